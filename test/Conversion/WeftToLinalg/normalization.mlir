// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// softmax: the maximum along the axis, the sum of exp(x - max), then
// exp(x - max) / sum.
// CHECK-LABEL: func @softmax
func.func @softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // CHECK: arith.constant 0xFF800000 : f32
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
  // CHECK: arith.maximumf
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>]
  // CHECK: arith.subf
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
  // CHECK: math.exp
  // CHECK: arith.addf
  // CHECK: linalg.generic
  // CHECK: %[[E:.*]] = math.exp
  // CHECK: arith.divf %[[E]]
  %0 = weft.softmax %x axis -1 : tensor<4x10xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// log_softmax along axis 0: (x - max) - log(sum).
// CHECK-LABEL: func @log_softmax
func.func @log_softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // CHECK: iterator_types = ["reduction", "parallel"]
  // CHECK: affine_map<(d0, d1) -> (d1)>
  // CHECK: %[[L:.*]] = math.log
  // CHECK: arith.subf %{{.*}}, %[[L]]
  %0 = weft.log_softmax %x axis 0 : tensor<4x10xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// batch_norm: one pass, the statistics read along the channel axis.
// CHECK-LABEL: func @batch_norm
func.func @batch_norm(%x: tensor<2x3x4x4xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  // CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
  // CHECK: ^bb0(%[[X:.*]]: f32, %[[G:.*]]: f32, %[[B:.*]]: f32, %[[M:.*]]: f32, %[[V:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[C:.*]] = arith.subf %[[X]], %[[M]]
  // CHECK: %[[VE:.*]] = arith.addf %[[V]], %[[EPS]]
  // CHECK: %[[S:.*]] = math.sqrt %[[VE]]
  // CHECK: %[[N:.*]] = arith.divf %[[C]], %[[S]]
  // CHECK: %[[SC:.*]] = arith.mulf %[[N]], %[[G]]
  // CHECK: arith.addf %[[SC]], %[[B]]
  %0 = weft.batch_norm %x, %g, %b, %m, %v eps 1.0e-03 : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32> -> tensor<2x3x4x4xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// flatten reshapes; dropout is its input.
// CHECK-LABEL: func @flatten_dropout
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @flatten_dropout(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  // CHECK: %[[SHAPE:.*]] = arith.constant dense<[2, 12]> : tensor<2xindex>
  // CHECK: %[[R:.*]] = tensor.reshape %[[X]](%[[SHAPE]])
  // CHECK-NEXT: return %[[R]]
  %0 = weft.dropout %x p 0.25 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = weft.flatten %0 from 1 to -1 : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %1 : tensor<2x12xf32>
}

// layer_norm: the mean over the normalized dimensions, the mean squared
// deviation, then one pass reading weight and bias along those dimensions.
// CHECK-LABEL: func @layer_norm
func.func @layer_norm(%x: tensor<2x4x16xf32>, %w: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<2x4x16xf32> {
  // CHECK: %[[COUNT:.*]] = arith.constant 1.600000e+01 : f32
  // CHECK: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK: arith.divf %{{.*}}, %[[COUNT]]
  // CHECK: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
  // CHECK: math.sqrt
  %0 = weft.layer_norm %x, %w, %b dims 1 eps 1.0e-05 : tensor<2x4x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// gelu is x / 2 * (1 + erf(x / sqrt(2))); silu is x * sigmoid(x).
// CHECK-LABEL: func @activations
func.func @activations(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: arith.constant 0.707106769 : f32
  // CHECK: math.erf
  %0 = weft.gelu %x : tensor<4xf32> -> tensor<4xf32>
  // CHECK: math.exp
  // CHECK: arith.divf
  // CHECK: arith.mulf
  %1 = weft.silu %0 : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
