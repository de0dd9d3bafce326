// RUN: weft-opt %s --pass-pipeline='builtin.module(func.func(weft-gpu-map-parallel-loops))' | FileCheck %s

// A 2-D loop: blocks of 32 x 8 threads, the innermost dimension (contiguous
// in memory) on x, for both the grid and the threads.
// CHECK-LABEL: func.func @two_d
// CHECK:   %[[ROWS:.*]] = arith.muli %c1{{.*}}, %c8{{.*}} : index
// CHECK:   %[[COLS:.*]] = arith.muli %c1{{.*}}, %c32{{.*}} : index
// CHECK:   scf.parallel ({{.*}}) = ({{.*}}) to (%c64{{.*}}, %c100{{.*}}) step (%[[ROWS]], %[[COLS]])
// CHECK:     scf.parallel
// CHECK:     } {mapping = [#gpu.loop_dim_map<processor = thread_y, {{.*}}>, #gpu.loop_dim_map<processor = thread_x, {{.*}}>]}
// CHECK:   } {mapping = [#gpu.loop_dim_map<processor = block_y, {{.*}}>, #gpu.loop_dim_map<processor = block_x, {{.*}}>]}
func.func @two_d(%x: memref<64x100xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c100 = arith.constant 100 : index
  %cst = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c100) step (%c1, %c1) {
    memref.store %cst, %x[%i, %j] : memref<64x100xf32>
    scf.reduce
  }
  return
}

// 1-D: 256 threads, shrunk to a small loop's extent (a power of two);
// beyond three dimensions the outer ones run sequentially in each thread.
// CHECK-LABEL: func.func @shapes
// CHECK:   %[[T:.*]] = arith.muli %c1{{.*}}, %c16{{.*}} : index
// CHECK:   scf.parallel ({{.*}}) = ({{.*}}) to (%c10{{.*}}) step (%[[T]])
// CHECK:   {mapping = [#gpu.loop_dim_map<processor = thread_x, {{.*}}>]}
// CHECK:   {mapping = [#gpu.loop_dim_map<processor = block_x, {{.*}}>]}
// CHECK:   {mapping = [#gpu.loop_dim_map<processor = sequential, {{.*}}>, #gpu.loop_dim_map<processor = thread_z, {{.*}}>, #gpu.loop_dim_map<processor = thread_y, {{.*}}>, #gpu.loop_dim_map<processor = thread_x, {{.*}}>]}
// CHECK:   {mapping = [#gpu.loop_dim_map<processor = sequential, {{.*}}>, #gpu.loop_dim_map<processor = block_z, {{.*}}>, #gpu.loop_dim_map<processor = block_y, {{.*}}>, #gpu.loop_dim_map<processor = block_x, {{.*}}>]}
func.func @shapes(%x: memref<10xf32>, %y: memref<2x3x4x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c10 = arith.constant 10 : index
  %cst = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
    memref.store %cst, %x[%i] : memref<10xf32>
    scf.reduce
  }
  scf.parallel (%a, %b, %c, %d) = (%c0, %c0, %c0, %c0) to (%c2, %c3, %c4, %c5) step (%c1, %c1, %c1, %c1) {
    memref.store %cst, %y[%a, %b, %c, %d] : memref<2x3x4x5xf32>
    scf.reduce
  }
  return
}

// More than 65535 blocks along y (5000000 rows / 64 per block): that
// dimension loops over its blocks in each thread instead (CUDA grids hold
// at most 65535 along y and z).
// CHECK-LABEL: func.func @tall
// CHECK:   {mapping = [#gpu.loop_dim_map<processor = thread_y, {{.*}}>, #gpu.loop_dim_map<processor = thread_x, {{.*}}>]}
// CHECK:   {mapping = [#gpu.loop_dim_map<processor = sequential, {{.*}}>, #gpu.loop_dim_map<processor = block_x, {{.*}}>]}
func.func @tall(%x: memref<5000000x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %rows = arith.constant 5000000 : index
  %cst = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%rows, %c4) step (%c1, %c1) {
    memref.store %cst, %x[%i, %j] : memref<5000000x4xf32>
    scf.reduce
  }
  return
}
