// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-fuse-normalizations))' | FileCheck %s

// softmax(x * 0.5 + bias): the scale and the bias join the group.
// CHECK-LABEL: func.func @softmax
// CHECK-NEXT: %[[G:.*]] = weft.fused normalization(%arg0, %arg1) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
// CHECK: weft.constant dense<5.0
// CHECK-NEXT: weft.mul
// CHECK-NEXT: weft.add
// CHECK-NEXT: %[[S:.*]] = weft.softmax
// CHECK-NEXT: weft.yield %[[S]]
func.func @softmax(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %c = weft.constant dense<0.5> : tensor<f32>
  %0 = weft.mul %x, %c : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
  %1 = weft.add %0, %b : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %2 = weft.softmax %1 axis -1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// layer_norm(x + residual) is a group with its residual add; a layer norm
// alone is a group of one (it is lowered in two passes).
// CHECK-LABEL: func.func @layer_norms
// CHECK: %[[A:.*]] = weft.fused normalization(%arg0, %arg1, %arg2, %arg3)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.add
// CHECK-NEXT: weft.layer_norm
// CHECK: weft.fused normalization(%[[A]], %arg2, %arg3)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.layer_norm
// CHECK-NEXT: weft.yield
func.func @layer_norms(%x: tensor<2x16xf32>, %r: tensor<2x16xf32>, %w: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<2x16xf32> {
  %0 = weft.add %x, %r : tensor<2x16xf32>, tensor<2x16xf32> -> tensor<2x16xf32>
  %1 = weft.layer_norm %0, %w, %b dims 1 eps 1.0e-05 : tensor<2x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x16xf32>
  %2 = weft.layer_norm %1, %w, %b dims 1 eps 1.0e-05 : tensor<2x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x16xf32>
  return %2 : tensor<2x16xf32>
}
