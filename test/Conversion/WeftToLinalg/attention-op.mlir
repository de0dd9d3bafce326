// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Causal attention: the scores q k^T, then one generic that scales them and
// puts -inf where the column index exceeds the row index, a softmax along
// the last axis, and the product with the values.
// CHECK-LABEL: func @causal
func.func @causal(%q: tensor<2x8x16xf32>) -> tensor<2x8x16xf32> {
  // CHECK: linalg.transpose {{.*}} permutation = [0, 2, 1]
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
  // CHECK-DAG: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
  // CHECK-DAG: %[[ROW:.*]] = linalg.index 1 : index
  // CHECK-DAG: %[[COL:.*]] = linalg.index 2 : index
  // CHECK: %[[FUTURE:.*]] = arith.cmpi ugt, %[[COL]], %[[ROW]] : index
  // CHECK: arith.select %[[FUTURE]], %{{.*}}, %{{.*}} : f32
  // CHECK: math.exp
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]
  %0 = weft.attention %q, %q, %q causal : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// Without causal there is no mask.
// CHECK-LABEL: func @full
func.func @full(%q: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // CHECK-NOT: arith.select
  // CHECK: return
  %0 = weft.attention %q, %q, %q : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// A mask is read through a broadcasting map; where it is false the score
// is -inf.
// CHECK-LABEL: func @masked
func.func @masked(%q: tensor<2x4x6xf32>, %m: tensor<2x1x4xi1>) -> tensor<2x4x6xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
  // CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
  %0 = weft.attention %q, %q, %q mask %m : tensor<2x1x4xi1> : tensor<2x4x6xf32>, tensor<2x4x6xf32>, tensor<2x4x6xf32> -> tensor<2x4x6xf32>
  return %0 : tensor<2x4x6xf32>
}
