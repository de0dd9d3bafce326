// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-fuse-epilogues))' | FileCheck %s

// linear -> relu -> residual add: one epilogue group. The producer of the
// linear's input (before it) stays out.
// CHECK-LABEL: func.func @mlp_block
// CHECK: %[[IN:.*]] = weft.tanh %arg0
// CHECK-NEXT: %[[G:.*]] = weft.fused epilogue(%[[IN]], %arg1, %arg2, %arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.linear
// CHECK-NEXT: weft.relu
// CHECK-NEXT: %[[R:.*]] = weft.add
// CHECK-NEXT: weft.yield %[[R]]
// CHECK: return %[[G]]
func.func @mlp_block(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = weft.tanh %x : tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = weft.linear %0, %w, %b : tensor<4x8xf32>, tensor<8x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %2 = weft.relu %1 : tensor<4x8xf32> -> tensor<4x8xf32>
  %3 = weft.add %2, %x : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  return %3 : tensor<4x8xf32>
}

// -----

// A convolution with its bias-free activation; an epilogue that changes the
// shape (a broadcast to a larger tensor) or a product used twice is no group.
// CHECK-LABEL: func.func @conv_relu
// CHECK: weft.fused epilogue
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.conv2d
// CHECK-NEXT: weft.relu
// CHECK-NOT: weft.fused
func.func @conv_relu(%x: tensor<1x1x6x6xf32>, %w: tensor<2x1x3x3xf32>, %m: tensor<4x3xf32>, %n: tensor<3x4xf32>, %big: tensor<2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<2x4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32> -> tensor<1x2x4x4xf32>
  %1 = weft.relu %0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %2 = weft.matmul %m, %n : tensor<4x3xf32>, tensor<3x4xf32> -> tensor<4x4xf32>
  %3 = weft.add %2, %big : tensor<4x4xf32>, tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  %4 = weft.matmul %m, %n : tensor<4x3xf32>, tensor<3x4xf32> -> tensor<4x4xf32>
  %5 = weft.relu %4 : tensor<4x4xf32> -> tensor<4x4xf32>
  return %1, %3, %4, %5 : tensor<1x2x4x4xf32>, tensor<2x4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>
}
