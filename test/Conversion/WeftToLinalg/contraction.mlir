// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x3xf32>)
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  // CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xf32>
  // CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x3xf32>)
  // CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[FILL]] : tensor<4x3xf32>)
  %0 = weft.matmul %a, %b : tensor<4x8xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// The bias is broadcast into the accumulator, then one contraction over k.
// CHECK-LABEL: func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[BIAS:.*]]: tensor<3xf32>)
func.func @linear(%x: tensor<2x4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> tensor<2x4x3xf32> {
  // CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]{{.*}} ins(%[[BIAS]]
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
  // CHECK-SAME: ins(%[[X]], %[[W]] : tensor<2x4x8xf32>, tensor<3x8xf32>) outs(%[[INIT]] : tensor<2x4x3xf32>)
  // CHECK: %[[P:.*]] = arith.mulf
  // CHECK: arith.addf %{{.*}}, %[[P]]
  %0 = weft.linear %x, %w, %b : tensor<2x4x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// Without a bias the accumulator starts at zero.
// CHECK-LABEL: func @linear_no_bias
func.func @linear_no_bias(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>) -> tensor<4x3xf32> {
  // CHECK: linalg.fill
  // CHECK: linalg.generic
  %0 = weft.linear %x, %w : tensor<4x8xf32>, tensor<3x8xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
