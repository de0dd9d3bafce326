// RUN: weft-opt %s --weft-gpu-emulate-kernels --split-input-file --verify-diagnostics | FileCheck %s

// A launch becomes loops over the grid (z, y, x) and the block (z, y, x)
// around the kernel's body, the ids the loops' indices; the kernel module
// goes.
// CHECK-NOT: gpu.module
// CHECK-LABEL: func.func @host
// CHECK-SAME: (%[[X:.*]]: memref<64xf32>)
// CHECK:       scf.for %[[BZ:.*]] = %c0{{.*}} to %c1
// CHECK:         scf.for %[[BY:.*]] = %c0{{.*}} to %c1
// CHECK:           scf.for %[[BX:.*]] = %c0{{.*}} to %c2
// CHECK:             scf.for %[[TZ:.*]] = %c0{{.*}} to %c1
// CHECK:               scf.for %[[TY:.*]] = %c0{{.*}} to %c1
// CHECK:                 scf.for %[[TX:.*]] = %c0{{.*}} to %c32
// CHECK:                   %[[BASE:.*]] = arith.muli %[[BX]], %c32
// CHECK:                   %[[I:.*]] = arith.addi %[[BASE]], %[[TX]]
// CHECK:                   memref.store %{{.*}}, %[[X]][%[[I]]]
// CHECK-NOT:   gpu.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @fill(%x: memref<64xf32>, %v: f32) kernel {
      %bx = gpu.block_id x
      %tx = gpu.thread_id x
      %n = gpu.block_dim x
      %base = arith.muli %bx, %n : index
      %i = arith.addi %base, %tx : index
      memref.store %v, %x[%i] : memref<64xf32>
      gpu.return
    }
  }
  func.func @host(%x: memref<64xf32>) {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c32 = arith.constant 32 : index
    %v = arith.constant 1.0 : f32
    gpu.launch_func @kernels::@fill blocks in (%c2, %c1, %c1) threads in (%c32, %c1, %c1) args(%x : memref<64xf32>, %v : f32)
    return
  }
}

// -----

// An all-reduce splits the body: the part before for every thread, folding
// into a total; then the part after for every thread, with the total, the
// pure values it needs computed again.
// CHECK-LABEL: func.func @sum
// CHECK:         %[[TOTAL:.*]] = memref.alloca() : memref<f32>
// CHECK:         memref.store %cst{{.*}}, %[[TOTAL]][]
// CHECK:         scf.for %[[T:.*]] = %c0{{.*}} to %c4
// CHECK:           %[[V:.*]] = memref.load %{{.*}}[%[[T]]]
// CHECK:           %[[OLD:.*]] = memref.load %[[TOTAL]][]
// CHECK:           %[[NEW:.*]] = arith.addf %[[OLD]], %[[V]]
// CHECK:           memref.store %[[NEW]], %[[TOTAL]][]
// CHECK:         %[[SUM:.*]] = memref.load %[[TOTAL]][]
// CHECK:         scf.for %[[T2:.*]] = %c0{{.*}} to %c4
// CHECK:           %[[FIRST:.*]] = arith.cmpi eq, %[[T2]], %c0
// CHECK:           scf.if %[[FIRST]]
// CHECK:             memref.store %[[SUM]], %{{.*}}[]
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @sum(%x: memref<4xf32>, %out: memref<f32>) kernel {
      %c0 = arith.constant 0 : index
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<4xf32>
      %s = gpu.all_reduce add %v uniform {} : (f32) -> f32
      %first = arith.cmpi eq, %t, %c0 : index
      scf.if %first {
        memref.store %s, %out[] : memref<f32>
      }
      gpu.return
    }
  }
  func.func @sum(%x: memref<4xf32>, %out: memref<f32>) {
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    gpu.launch_func @kernels::@sum blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%x : memref<4xf32>, %out : memref<f32>)
    return
  }
}

// -----

// Threads that communicate cannot run one after another.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @sync() kernel {
      gpu.barrier
      gpu.return
    }
  }
  func.func @host() {
    %c1 = arith.constant 1 : index
    // expected-error @below {{cannot emulate kernel 'sync': 'gpu.barrier'}}
    gpu.launch_func @kernels::@sync blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}
