// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func @shapes
func.func @shapes(%x: tensor<4x2x3xf32>, %u: tensor<*xf32>) -> (tensor<3x2x4xf32>, tensor<4x6xf32>, tensor<2xf64>, tensor<4x2x3xf32>) {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x2x4xf32>
  // CHECK: linalg.transpose ins(%{{.*}} : tensor<4x2x3xf32>) outs(%[[EMPTY]] : tensor<3x2x4xf32>) permutation = [2, 1, 0]
  %0 = weft.transpose %x [-1, 1, 0] : tensor<4x2x3xf32> -> tensor<3x2x4xf32>
  // CHECK: %[[SHAPE:.*]] = arith.constant dense<[4, 6]> : tensor<2xindex>
  // CHECK: tensor.reshape %{{.*}}(%[[SHAPE]])
  %1 = weft.reshape %x to [4, -1] : tensor<4x2x3xf32> -> tensor<4x6xf32>
  // CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf64>
  %2 = weft.constant dense<[1.0, 2.0]> : tensor<2xf64>
  // CHECK: tensor.cast %{{.*}} : tensor<*xf32> to tensor<4x2x3xf32>
  %3 = weft.cast %u : tensor<*xf32> to tensor<4x2x3xf32>
  return %0, %1, %2, %3 : tensor<3x2x4xf32>, tensor<4x6xf32>, tensor<2xf64>, tensor<4x2x3xf32>
}

// A slice is an extract_slice; one that drops its axis is rank-reduced.
// CHECK-LABEL: func @slices
func.func @slices(%x: tensor<4x8xf32>) -> (tensor<4x3xf32>, tensor<4xf32>) {
  // CHECK: tensor.extract_slice %{{.*}}[0, 2] [4, 3] [1, 1] : tensor<4x8xf32> to tensor<4x3xf32>
  %0 = weft.slice %x axis 1 from 2 to 5 : tensor<4x8xf32> -> tensor<4x3xf32>
  // CHECK: tensor.extract_slice %{{.*}}[0, 3] [4, 1] [1, 1] : tensor<4x8xf32> to tensor<4xf32>
  %1 = weft.slice %x axis -1 from 3 to 4 drop : tensor<4x8xf32> -> tensor<4xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4xf32>
}

// Nearest upsampling reads (h floordiv s0, w floordiv s1).
// CHECK-LABEL: func @upsample
func.func @upsample(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x6x9xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
  %0 = weft.upsample_nearest %x scale [2, 3] : tensor<1x2x3x3xf32> -> tensor<1x2x6x9xf32>
  return %0 : tensor<1x2x6x9xf32>
}

// concat inserts each input at its offset along the axis; an empty input
// (size 0 there) inserts nothing.
// CHECK-LABEL: func @concat_with_empty
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[EMPTY]][0, 0] [2, 3] [1, 1]
// CHECK-NOT: tensor.insert_slice %arg1
// CHECK: tensor.insert_slice %arg2 into %[[A]][0, 3] [2, 1] [1, 1]
func.func @concat_with_empty(%a: tensor<2x3xf32>, %b: tensor<2x0xf32>, %c: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %0 = weft.concat %a, %b, %c axis 1 : tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x1xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// triu keeps the elements with j - i >= diagonal over the last two axes,
// tril those with j - i <= diagonal; the others are zero.
// CHECK-LABEL: func @triangles
func.func @triangles(%x: tensor<2x3x4xf32>, %m: tensor<3x3xi1>) -> (tensor<2x3x4xf32>, tensor<3x3xi1>) {
  // CHECK: linalg.generic
  // CHECK: %[[I:.*]] = linalg.index 1 : index
  // CHECK: %[[J:.*]] = linalg.index 2 : index
  // CHECK: %[[D:.*]] = arith.subi %[[J]], %[[I]] : index
  // CHECK: %[[K:.*]] = arith.cmpi sge, %[[D]], %c1 : index
  // CHECK: arith.select %[[K]], %{{.*}}, %{{.*}} : f32
  %0 = weft.triu %x diagonal 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // CHECK: linalg.generic
  // CHECK: arith.cmpi sle, %{{.*}}, %c0 : index
  // CHECK: arith.select %{{.*}}, %{{.*}}, %false : i1
  %1 = weft.tril %m diagonal 0 : tensor<3x3xi1> -> tensor<3x3xi1>
  return %0, %1 : tensor<2x3x4xf32>, tensor<3x3xi1>
}

// linspace: a generic without inputs; element i from the start in the first
// half, from the end in the second, in f64, rounded to f32.
// CHECK-LABEL: func @linspace
func.func @linspace() -> tensor<5xf32> {
  // CHECK: linalg.generic {{.*}} outs(
  // CHECK: %[[I:.*]] = linalg.index 0 : index
  // CHECK: arith.sitofp %{{.*}} : i64 to f64
  // CHECK: arith.cmpi slt, %[[I]], %c2 : index
  // CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
  // CHECK: arith.truncf %{{.*}} : f64 to f32
  %0 = weft.linspace 0.0 to 1.0 : tensor<5xf32>
  return %0 : tensor<5xf32>
}
