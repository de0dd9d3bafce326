// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Broadcast operands are read through indexing maps: a missing leading
// dimension is dropped, a stretched size-1 dimension reads index 0.

// CHECK-LABEL: func @binary
func.func @binary(%a: tensor<4x8xf32>, %row: tensor<8xf32>, %col: tensor<4x1xf32>) -> tensor<4x8xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
  // CHECK: arith.addf
  %0 = weft.add %a, %row : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
  // CHECK: arith.subf
  %1 = weft.sub %col, %0 : tensor<4x1xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: arith.mulf
  %2 = weft.mul %1, %1 : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: arith.divf
  %3 = weft.div %2, %a : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %c = weft.constant dense<2.0> : tensor<f32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
  // CHECK: math.powf
  %4 = weft.pow %3, %c : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
  return %4 : tensor<4x8xf32>
}

// CHECK-LABEL: func @unary
func.func @unary(%x: tensor<5xf64>) -> tensor<5xf64> {
  // CHECK: arith.negf
  %0 = weft.neg %x : tensor<5xf64> -> tensor<5xf64>
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
  // CHECK: arith.maximumf %{{.*}}, %[[ZERO]] : f64
  %1 = weft.relu %0 : tensor<5xf64> -> tensor<5xf64>
  // The logistic function, 1 / (1 + exp(-x)).
  // CHECK: %[[N:.*]] = arith.negf
  // CHECK: %[[E:.*]] = math.exp %[[N]]
  // CHECK: %[[D:.*]] = arith.addf %{{.*}}, %[[E]]
  // CHECK: arith.divf %{{.*}}, %[[D]]
  %2 = weft.sigmoid %1 : tensor<5xf64> -> tensor<5xf64>
  // CHECK: math.tanh
  %3 = weft.tanh %2 : tensor<5xf64> -> tensor<5xf64>
  // CHECK: math.exp
  %4 = weft.exp %3 : tensor<5xf64> -> tensor<5xf64>
  // CHECK: math.log
  %5 = weft.log %4 : tensor<5xf64> -> tensor<5xf64>
  // CHECK-NOT: weft.
  return %5 : tensor<5xf64>
}

// CHECK-LABEL: func @broadcast
func.func @broadcast(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: linalg.yield %[[IN]]
  %0 = weft.broadcast %x to [2, 3, 4] : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
