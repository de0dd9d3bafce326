// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// A batched product: a generic over (batch..., m, k, n); the right operand
// has no batch dimensions of its own, so its map drops them.
// CHECK-LABEL: func @batched_matmul
func.func @batched_matmul(%q: tensor<2x4x8x16xf32>, %m: tensor<16x3xf32>) -> tensor<2x4x8x3xf32> {
  // CHECK: linalg.fill
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
  // CHECK: arith.mulf
  // CHECK: arith.addf
  %0 = weft.matmul %q, %m : tensor<2x4x8x16xf32>, tensor<16x3xf32> -> tensor<2x4x8x3xf32>
  return %0 : tensor<2x4x8x3xf32>
}

// concat writes each input at its offset; stack writes each into a slice of
// size 1 along the new axis, rank-reduced.
// CHECK-LABEL: func @joins
// CHECK-SAME: (%[[A:.*]]: tensor<8x3xf32>, %[[B:.*]]: tensor<8x5xf32>)
func.func @joins(%a: tensor<8x3xf32>, %b: tensor<8x5xf32>) -> (tensor<8x8xf32>, tensor<8x3x2xf32>) {
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<8x8xf32>
  // CHECK: %[[I:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [8, 3] [1, 1]
  // CHECK: tensor.insert_slice %[[B]] into %[[I]][0, 3] [8, 5] [1, 1]
  %0 = weft.concat %a, %b axis 1 : tensor<8x3xf32>, tensor<8x5xf32> -> tensor<8x8xf32>
  // CHECK: %[[S:.*]] = tensor.empty() : tensor<8x3x2xf32>
  // CHECK: %[[J:.*]] = tensor.insert_slice %[[A]] into %[[S]][0, 0, 0] [8, 3, 1] [1, 1, 1] : tensor<8x3xf32> into tensor<8x3x2xf32>
  // CHECK: tensor.insert_slice %[[A]] into %[[J]][0, 0, 1] [8, 3, 1] [1, 1, 1]
  %1 = weft.stack %a, %a axis -1 : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<8x3x2xf32>
  return %0, %1 : tensor<8x8xf32>, tensor<8x3x2xf32>
}

// CHECK-LABEL: func @trig
func.func @trig(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: math.sin
  %0 = weft.sin %a : tensor<4xf32> -> tensor<4xf32>
  // CHECK: math.cos
  %1 = weft.cos %0 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: math.sqrt
  %2 = weft.sqrt %1 : tensor<4xf32> -> tensor<4xf32>
  return %2 : tensor<4xf32>
}
