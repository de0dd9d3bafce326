// The threads of a split contraction: scf.forall becomes an OpenMP parallel
// work-sharing loop in the LLVM dialect, which the JIT runs on libomp.
// RUN: weft-opt %s -weft-cpu-pipeline | FileCheck %s

// CHECK-LABEL: llvm.func @matmul(
// CHECK: omp.parallel {
// CHECK: omp.wsloop {
// CHECK: omp.loop_nest (%{{.*}}) : i64 = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK: llvm.intr.fmuladd
// CHECK: omp.yield
// CHECK: omp.terminator
func.func @matmul(%a: tensor<128x128xf32>, %b: tensor<128x128xf32>) -> tensor<128x128xf32> attributes {llvm.emit_c_interface} {
  %0 = weft.matmul %a, %b : tensor<128x128xf32>, tensor<128x128xf32> -> tensor<128x128xf32>
  return %0 : tensor<128x128xf32>
}
