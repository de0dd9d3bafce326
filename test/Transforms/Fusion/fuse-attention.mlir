// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-fuse-attention))' | FileCheck %s

// softmax(q @ transpose(k) / 8) @ v is raised to weft.attention with scale
// 1/8, in an attention group of its own.
// CHECK-LABEL: func.func @written_out
// CHECK-NEXT: %[[G:.*]] = weft.fused attention(%arg0, %arg1, %arg2)
// CHECK-NEXT: ^bb0(%[[Q:.*]]: tensor<2x8x64xf32>, %[[K:.*]]: tensor<2x8x64xf32>, %[[V:.*]]: tensor<2x8x64xf32>):
// CHECK-NEXT: %[[A:.*]] = weft.attention %[[Q]], %[[K]], %[[V]] scale 1.250000e-01
// CHECK-NEXT: weft.yield %[[A]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @written_out(%q: tensor<2x8x64xf32>, %k: tensor<2x8x64xf32>, %v: tensor<2x8x64xf32>) -> tensor<2x8x64xf32> {
  %c = weft.constant dense<8.0> : tensor<f32>
  %kt = weft.transpose %k [0, 2, 1] : tensor<2x8x64xf32> -> tensor<2x64x8xf32>
  %s = weft.matmul %q, %kt : tensor<2x8x64xf32>, tensor<2x64x8xf32> -> tensor<2x8x8xf32>
  %d = weft.div %s, %c : tensor<2x8x8xf32>, tensor<f32> -> tensor<2x8x8xf32>
  %p = weft.softmax %d axis -1 : tensor<2x8x8xf32> -> tensor<2x8x8xf32>
  %o = weft.matmul %p, %v : tensor<2x8x8xf32>, tensor<2x8x64xf32> -> tensor<2x8x64xf32>
  return %o : tensor<2x8x64xf32>
}

// -----

// A causal weft.attention becomes a group as it is; scores that are also
// returned, or a softmax over another axis, are left alone.
// CHECK-LABEL: func.func @kept
// CHECK: weft.fused attention
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.attention {{.*}} causal
// CHECK-NOT: weft.fused
// CHECK: weft.softmax %{{.*}} axis -1
// CHECK: weft.softmax %{{.*}} axis 1
func.func @kept(%q: tensor<2x8x16xf32>, %k: tensor<2x16x8xf32>, %v: tensor<2x8x16xf32>) -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x8xf32>, tensor<2x8x16xf32>) {
  %a = weft.attention %q, %q, %v causal : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  %s = weft.matmul %q, %k : tensor<2x8x16xf32>, tensor<2x16x8xf32> -> tensor<2x8x8xf32>
  %p = weft.softmax %s axis -1 : tensor<2x8x8xf32> -> tensor<2x8x8xf32>
  %o = weft.matmul %p, %v : tensor<2x8x8xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  %s2 = weft.matmul %q, %k : tensor<2x8x16xf32>, tensor<2x16x8xf32> -> tensor<2x8x8xf32>
  %p2 = weft.softmax %s2 axis 1 : tensor<2x8x8xf32> -> tensor<2x8x8xf32>
  %o2 = weft.matmul %p2, %v : tensor<2x8x8xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  return %a, %o, %s, %o2 : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x8xf32>, tensor<2x8x16xf32>
}
