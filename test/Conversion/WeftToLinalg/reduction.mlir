// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func @sum
func.func @sum(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: linalg.fill ins(%[[ZERO]]
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
  // CHECK: arith.addf
  %0 = weft.sum %x axes [1] : tensor<4x8xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// The mean divides the sum by the number of reduced elements; keepdim
// reshapes the reduced tensor.
// CHECK-LABEL: func @mean_keepdim
func.func @mean_keepdim(%x: tensor<4x8x2xf32>) -> tensor<1x8x1xf32> {
  // CHECK: iterator_types = ["reduction", "parallel", "reduction"]
  // CHECK: %[[COUNT:.*]] = arith.constant 8.000000e+00 : f32
  // CHECK: arith.divf %{{.*}}, %[[COUNT]]
  // CHECK: %[[SHAPE:.*]] = arith.constant dense<[1, 8, 1]> : tensor<3xindex>
  // CHECK: tensor.reshape %{{.*}}(%[[SHAPE]]) : (tensor<8xf32>, tensor<3xindex>) -> tensor<1x8x1xf32>
  %0 = weft.mean %x axes [0, -1] keepdim : tensor<4x8x2xf32> -> tensor<1x8x1xf32>
  return %0 : tensor<1x8x1xf32>
}

// A maximum over every axis starts from -inf.
// CHECK-LABEL: func @max_all
func.func @max_all(%x: tensor<4x8xf32>) -> tensor<f32> {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK-NEXT: linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<f32>)
  // CHECK: iterator_types = ["reduction", "reduction"]
  // CHECK: arith.maximumf
  %0 = weft.max %x : tensor<4x8xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// argmax: one generic with two accumulators (the maximum and its index),
// a strict comparison keeping the first maximum.
// CHECK-LABEL: func @argmax
func.func @argmax(%x: tensor<4x10xf32>) -> tensor<4xi64> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
  // CHECK: %[[POS:.*]] = arith.index_cast %{{.*}} : index to i64
  // CHECK: %[[LARGER:.*]] = arith.cmpf ogt
  // CHECK: arith.select %[[LARGER]], %[[POS]], %{{.*}} : i64
  %0 = weft.argmax %x axis -1 : tensor<4x10xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
