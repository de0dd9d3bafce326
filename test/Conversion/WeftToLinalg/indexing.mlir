// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Each result element reads its index, checks it against the table's rows
// (calling the runtime's error function, with the site's number, when it
// is outside), makes the clamped index an `index` and extracts the table
// entry at (index, feature). The module lists the check sites.
// CHECK: module attributes {weft.index_sites = [loc("embedding"({{.*}}indexing.mlir":{{[0-9]+}}:8))]}
// CHECK-LABEL: func @embedding
// CHECK-SAME: (%[[IDS:.*]]: tensor<4x10xi64>, %[[TABLE:.*]]: tensor<100x8xf32>)
func.func @embedding(%ids: tensor<4x10xi64>, %table: tensor<100x8xf32>) -> tensor<4x10x8xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<4x10xi64>)
  // CHECK: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
  // CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
  // CHECK-DAG: %[[ROWS:.*]] = arith.constant 100 : i64
  // CHECK-DAG: %[[HIGH:.*]] = arith.cmpi sge, %[[ID]], %[[ROWS]] : i64
  // CHECK-DAG: %[[LOW:.*]] = arith.cmpi slt, %[[ID]], %[[ZERO]] : i64
  // CHECK: %[[BAD:.*]] = arith.ori %[[LOW]], %[[HIGH]] : i1
  // CHECK: scf.if %[[BAD]] {
  // CHECK: func.call @weft_index_error(%{{.*}}, %[[ID]], %[[ROWS]]) : (i64, i64, i64) -> ()
  // CHECK: %[[SAFE:.*]] = arith.select %[[BAD]], %[[ZERO]], %[[ID]] : i64
  // CHECK: %[[ROW:.*]] = arith.index_cast %[[SAFE]] : i64 to index
  // CHECK: %[[COL:.*]] = linalg.index 2 : index
  // CHECK: %[[V:.*]] = tensor.extract %[[TABLE]][%[[ROW]], %[[COL]]] : tensor<100x8xf32>
  // CHECK: linalg.yield %[[V]] : f32
  %0 = weft.embedding %ids, %table : tensor<4x10xi64>, tensor<100x8xf32> -> tensor<4x10x8xf32>
  return %0 : tensor<4x10x8xf32>
}
// CHECK: func.func private @weft_index_error(i64, i64, i64)
