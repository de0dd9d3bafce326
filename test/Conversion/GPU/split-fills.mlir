// RUN: weft-opt %s --pass-pipeline='builtin.module(func.func(weft-gpu-split-fills))' | FileCheck %s

// One fill read as the initial value of two reductions: the second gets a
// fill of its own.
#id = affine_map<(d0, d1) -> (d0, d1)>
#rows = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @two_sums
// CHECK:       %[[EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:       %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<4xf32>)
// CHECK:       %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<4xf32>)
// CHECK-NOT:   linalg.fill
// CHECK:       linalg.generic {{.*}} outs(%[[F1]] : tensor<4xf32>)
// CHECK:       linalg.generic {{.*}} outs(%[[F2]] : tensor<4xf32>)
func.func @two_sums(%x: tensor<4x64xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id, #rows], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x64xf32>) outs(%f : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %acc, %in : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %q = linalg.generic {indexing_maps = [#id, #rows], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x64xf32>) outs(%f : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.mulf %in, %in : f32
    %a = arith.addf %acc, %m : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  return %s, %q : tensor<4xf32>, tensor<4xf32>
}
