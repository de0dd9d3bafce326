// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// A matrix product is a generic over (m, k, n): the reduction over k sits
// outside n, so the innermost loop walks rows of B and C. The sum of
// products may be reassociated and contracted into FMAs.
// CHECK-LABEL: func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x3xf32>)
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  // CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xf32>
  // CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x3xf32>)
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[FILL]] : tensor<4x3xf32>)
  // CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
  // CHECK: arith.addf %{{.*}}, %[[P]] fastmath<reassoc,contract> : f32
  %0 = weft.matmul %a, %b : tensor<4x8xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// The bias is broadcast into the accumulator; the weight [n, k] is
// transposed to [k, n], then one contraction over (..., k, n).
// CHECK-LABEL: func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[BIAS:.*]]: tensor<3xf32>)
func.func @linear(%x: tensor<2x4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> tensor<2x4x3xf32> {
  // CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]{{.*}} ins(%[[BIAS]]
  // CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<3x8xf32>) outs(%{{.*}} : tensor<8x3xf32>) permutation = [1, 0]
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
  // CHECK-SAME: ins(%[[X]], %[[WT]] : tensor<2x4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<2x4x3xf32>)
  // CHECK: %[[P:.*]] = arith.mulf
  // CHECK: arith.addf %{{.*}}, %[[P]]
  %0 = weft.linear %x, %w, %b : tensor<2x4x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// Without a bias the accumulator starts at zero.
// CHECK-LABEL: func @linear_no_bias
func.func @linear_no_bias(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>) -> tensor<4x3xf32> {
  // CHECK: linalg.fill
  // CHECK: linalg.transpose
  // CHECK: linalg.generic
  %0 = weft.linear %x, %w : tensor<4x8xf32>, tensor<3x8xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
