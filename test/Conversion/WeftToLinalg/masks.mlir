// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Integer arithmetic uses the signed integer ops, with Python's rounding:
// `//` is arith.floordivsi, and `%` corrects arith.remsi toward the
// divisor's sign.

// CHECK-LABEL: func @integers
func.func @integers(%a: tensor<6xi64>, %b: tensor<i64>) -> tensor<6xi64> {
  // CHECK: arith.addi
  %0 = weft.add %a, %b : tensor<6xi64>, tensor<i64> -> tensor<6xi64>
  // CHECK: arith.muli
  %1 = weft.mul %0, %a : tensor<6xi64>, tensor<6xi64> -> tensor<6xi64>
  // CHECK: arith.floordivsi
  %2 = weft.floor_div %1, %b : tensor<6xi64>, tensor<i64> -> tensor<6xi64>
  // CHECK: %[[REM:.*]] = arith.remsi %{{.*}}, %[[DIVISOR:[^ ]*]] : i64
  // CHECK: %[[FIXED:.*]] = arith.addi %[[REM]], %[[DIVISOR]] : i64
  // CHECK: arith.select %{{.*}}, %[[FIXED]], %[[REM]] : i64
  %3 = weft.rem %2, %b : tensor<6xi64>, tensor<i64> -> tensor<6xi64>
  // CHECK: arith.maxsi
  %4 = weft.maximum %3, %a : tensor<6xi64>, tensor<6xi64> -> tensor<6xi64>
  return %4 : tensor<6xi64>
}

// CHECK-LABEL: func @masks
func.func @masks(%ids: tensor<2x5xi64>, %pad: tensor<i64>, %x: tensor<2x5xf32>, %fill: tensor<f32>) -> tensor<2x5xf32> {
  // CHECK: linalg.generic
  // CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i64
  // CHECK: -> tensor<2x5xi1>
  %m = weft.compare ne, %ids, %pad : tensor<2x5xi64>, tensor<i64> -> tensor<2x5xi1>
  // CHECK: arith.cmpf olt
  %n = weft.compare lt, %x, %fill : tensor<2x5xf32>, tensor<f32> -> tensor<2x5xi1>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
  // CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
  %w = weft.where %m, %x, %fill : tensor<2x5xi1>, tensor<2x5xf32>, tensor<f32> -> tensor<2x5xf32>
  // CHECK: arith.uitofp %{{.*}} : i1 to f32
  %f = weft.convert %n : tensor<2x5xi1> -> tensor<2x5xf32>
  // CHECK: arith.sitofp %{{.*}} : i64 to f32
  %g = weft.convert %ids : tensor<2x5xi64> -> tensor<2x5xf32>
  // CHECK: arith.fptosi %{{.*}} : f32 to i32
  %h = weft.convert %w : tensor<2x5xf32> -> tensor<2x5xi32>
  %0 = weft.add %w, %f : tensor<2x5xf32>, tensor<2x5xf32> -> tensor<2x5xf32>
  %1 = weft.add %0, %g : tensor<2x5xf32>, tensor<2x5xf32> -> tensor<2x5xf32>
  return %1 : tensor<2x5xf32>
}
