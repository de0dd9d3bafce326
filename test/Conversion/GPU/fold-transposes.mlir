// RUN: weft-opt %s --pass-pipeline='builtin.module(func.func(weft-gpu-fold-transposes))' --split-input-file | FileCheck %s

// x @ wᵀ: the product reads the weight through the permuted map, and the
// transpose goes.
#x = affine_map<(m, k, n) -> (m, k)>
#wt = affine_map<(m, k, n) -> (k, n)>
#y = affine_map<(m, k, n) -> (m, n)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<4x784xf32>, %[[WEIGHT:.*]]: tensor<256x784xf32>,
// CHECK-NOT:   linalg.transpose
// CHECK:       linalg.generic {indexing_maps = [#{{.*}}, #[[W]], #{{.*}}]
// CHECK-SAME:    ins(%[[X]], %[[WEIGHT]] : tensor<4x784xf32>, tensor<256x784xf32>)
func.func @linear(%x: tensor<4x784xf32>, %w: tensor<256x784xf32>, %init: tensor<4x256xf32>) -> tensor<4x256xf32> {
  %e = tensor.empty() : tensor<784x256xf32>
  %t = linalg.transpose ins(%w : tensor<256x784xf32>) outs(%e : tensor<784x256xf32>) permutation = [1, 0]
  %r = linalg.generic {indexing_maps = [#x, #wt, #y], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %t : tensor<4x784xf32>, tensor<784x256xf32>) outs(%init : tensor<4x256xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x256xf32>
  return %r : tensor<4x256xf32>
}

// -----

// A three-dimensional permutation; a transpose that is also returned stays
// for that use.
#id = affine_map<(a, b, c) -> (a, b, c)>
// CHECK-DAG: #[[P:.*]] = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
// CHECK-LABEL: func.func @kept
// CHECK-SAME: (%[[IN:.*]]: tensor<2x3x4xf32>
// CHECK:       %[[T:.*]] = linalg.transpose
// CHECK:       linalg.generic {indexing_maps = [#[[P]], #{{.*}}]
// CHECK-SAME:    ins(%[[IN]] : tensor<2x3x4xf32>)
// CHECK:       return %[[T]], %{{.*}}
func.func @kept(%in: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<4x2x3xf32>) {
  %e = tensor.empty() : tensor<4x2x3xf32>
  %t = linalg.transpose ins(%in : tensor<2x3x4xf32>) outs(%e : tensor<4x2x3xf32>) permutation = [2, 0, 1]
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%t : tensor<4x2x3xf32>) outs(%e : tensor<4x2x3xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x2x3xf32>
  return %t, %r : tensor<4x2x3xf32>, tensor<4x2x3xf32>
}
