// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s --check-prefix=REDUCTION
// RUN: weft-opt %s -convert-weft-to-linalg=scatter-loops=true -mlir-print-local-scope | FileCheck %s --check-prefix=LOOPS

// scatter_add by default (the GPU): a reduction over the index's axis for
// each result element, which adds the sources whose index names it.
// REDUCTION-LABEL: func @embedding_gradient
// REDUCTION: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// REDUCTION-SAME: ins(%arg1, %arg2 : tensor<6x4xi64>, tensor<6x4xf32>) outs(%arg0 : tensor<10x4xf32>)
// REDUCTION: linalg.index 0
// REDUCTION: arith.cmpi eq
// REDUCTION: arith.select
// REDUCTION: arith.addf

// With scatter-loops (the CPU): a loop nest over the sources, each added to
// the element its index names, an index out of range skipped.
// LOOPS-LABEL: func @embedding_gradient
// LOOPS-NOT: linalg.generic
// LOOPS: scf.for %[[I:.*]] = %{{.*}} to %c6 step %{{.*}} iter_args(%[[A:.*]] = %arg0)
// LOOPS: scf.for %[[J:.*]] = %{{.*}} to %c4 step %{{.*}} iter_args(%[[B:.*]] = %[[A]])
// LOOPS: %[[INDEX:.*]] = tensor.extract %arg1[%[[I]], %[[J]]] : tensor<6x4xi64>
// LOOPS: %[[VALUE:.*]] = tensor.extract %arg2[%[[I]], %[[J]]] : tensor<6x4xf32>
// LOOPS-DAG: arith.cmpi sge, %[[INDEX]]
// LOOPS-DAG: arith.cmpi slt, %[[INDEX]]
// LOOPS: scf.if
// LOOPS: %[[ROW:.*]] = arith.index_cast %[[INDEX]] : i64 to index
// LOOPS: %[[OLD:.*]] = tensor.extract %[[B]][%[[ROW]], %[[J]]]
// LOOPS: %[[SUM:.*]] = arith.addf %[[OLD]], %[[VALUE]]
// LOOPS: tensor.insert %[[SUM]] into %[[B]][%[[ROW]], %[[J]]]
// LOOPS: } else {
// LOOPS: scf.yield %[[B]]
func.func @embedding_gradient(%table: tensor<10x4xf32>, %ids: tensor<6x4xi64>, %g: tensor<6x4xf32>) -> tensor<10x4xf32> {
  %0 = weft.scatter_add %table axis 0, %ids, %g : tensor<10x4xf32>, tensor<6x4xi64>, tensor<6x4xf32> -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}
