// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-fuse-elementwise))' | FileCheck %s

// A chain with a broadcast operand becomes one group; the constant is copied
// into it, the other operands become its inputs.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[G:.*]] = weft.fused elementwise(%[[X]], %[[B]]) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%[[A0:.*]]: tensor<4x8xf32>, %[[A1:.*]]: tensor<8xf32>):
// CHECK-NEXT: %[[C:.*]] = weft.constant dense<2.0
// CHECK-NEXT: %[[S:.*]] = weft.add %[[A0]], %[[A1]]
// CHECK-NEXT: %[[M:.*]] = weft.mul %[[S]], %[[C]]
// CHECK-NEXT: %[[R:.*]] = weft.tanh %[[M]]
// CHECK-NEXT: weft.yield %[[R]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @chain(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %c = weft.constant dense<2.0> : tensor<f32>
  %0 = weft.add %x, %b : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %1 = weft.mul %0, %c : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
  %2 = weft.tanh %1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// A value used twice inside the chain joins it once both users have; a value
// also used outside a chain ends it and stays outside.
// CHECK-LABEL: func.func @shared
// CHECK: %[[S:.*]] = weft.sigmoid %{{.*}}
// CHECK-NEXT: %[[G:.*]] = weft.fused elementwise(%[[S]]) : (tensor<8xf32>) -> tensor<8xf32> {
// CHECK: weft.exp
// CHECK-NEXT: weft.neg
// CHECK-NEXT: weft.mul
// CHECK-NEXT: weft.yield
// CHECK: return %[[G]], %[[S]]
func.func @shared(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %s = weft.sigmoid %x : tensor<8xf32> -> tensor<8xf32>
  %e = weft.exp %s : tensor<8xf32> -> tensor<8xf32>
  %n = weft.neg %e : tensor<8xf32> -> tensor<8xf32>
  %p = weft.mul %e, %n : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %p, %s : tensor<8xf32>, tensor<8xf32>
}

// -----

// A single elementwise op is no group; neither is an op of another kind.
// CHECK-LABEL: func.func @alone
// CHECK-NOT: weft.fused
func.func @alone(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %0 = weft.relu %x : tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = weft.transpose %0 [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
  %2 = weft.matmul %0, %1 : tensor<4x8xf32>, tensor<8x4xf32> -> tensor<4x4xf32>
  return %2 : tensor<4x4xf32>
}
