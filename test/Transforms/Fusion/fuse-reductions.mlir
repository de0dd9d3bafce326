// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-fuse-reductions))' | FileCheck %s

// mean((y - t) ** 2): the difference and the square are computed inside the
// reduction's group.
// CHECK-LABEL: func.func @mse
// CHECK-NEXT: %[[G:.*]] = weft.fused reduction(%arg0, %arg1) : (tensor<16x4xf32>, tensor<16x4xf32>) -> tensor<f32> {
// CHECK: weft.sub
// CHECK-NEXT: weft.pow
// CHECK-NEXT: %[[M:.*]] = weft.mean
// CHECK-NEXT: weft.yield %[[M]]
// CHECK: return %[[G]]
func.func @mse(%y: tensor<16x4xf32>, %t: tensor<16x4xf32>) -> tensor<f32> {
  %two = weft.constant dense<2.0> : tensor<f32>
  %d = weft.sub %y, %t : tensor<16x4xf32>, tensor<16x4xf32> -> tensor<16x4xf32>
  %s = weft.pow %d, %two : tensor<16x4xf32>, tensor<f32> -> tensor<16x4xf32>
  %m = weft.mean %s : tensor<16x4xf32> -> tensor<f32>
  return %m : tensor<f32>
}

// -----

// A reduction of a value that is also used elsewhere, or of a non-elementwise
// producer, forms no group.
// CHECK-LABEL: func.func @unfused
// CHECK-NOT: weft.fused
func.func @unfused(%x: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4x8xf32>, tensor<8xf32>) {
  %e = weft.exp %x : tensor<4x8xf32> -> tensor<4x8xf32>
  %s = weft.sum %e axes [1] : tensor<4x8xf32> -> tensor<4xf32>
  %t = weft.transpose %x [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
  %m = weft.max %t axes [1] : tensor<8x4xf32> -> tensor<8xf32>
  return %s, %e, %m : tensor<4xf32>, tensor<4x8xf32>, tensor<8xf32>
}
