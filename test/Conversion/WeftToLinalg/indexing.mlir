// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Each result element reads its index, makes it an `index` and extracts the
// table entry at (index, feature).
// CHECK-LABEL: func @embedding
// CHECK-SAME: (%[[IDS:.*]]: tensor<4x10xi64>, %[[TABLE:.*]]: tensor<100x8xf32>)
func.func @embedding(%ids: tensor<4x10xi64>, %table: tensor<100x8xf32>) -> tensor<4x10x8xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<4x10xi64>)
  // CHECK: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
  // CHECK: %[[ROW:.*]] = arith.index_cast %[[ID]] : i64 to index
  // CHECK: %[[COL:.*]] = linalg.index 2 : index
  // CHECK: %[[V:.*]] = tensor.extract %[[TABLE]][%[[ROW]], %[[COL]]] : tensor<100x8xf32>
  // CHECK: linalg.yield %[[V]] : f32
  %0 = weft.embedding %ids, %table : tensor<4x10xi64>, tensor<100x8xf32> -> tensor<4x10x8xf32>
  return %0 : tensor<4x10x8xf32>
}
