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

// An all-reduce splits the body: the part before for every thread, each
// storing its value; the values folded as a tree of pairs (strides 1, 2, 4,
// ...), the order of the NVVM lowering's shuffles; then the part after for
// every thread, with the total, the pure values it needs computed again.
// CHECK-LABEL: func.func @sum
// CHECK:         %[[VALUES:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK:         scf.for %[[T:.*]] = %c0{{.*}} to %c4
// CHECK:           %[[V:.*]] = memref.load %{{.*}}[%[[T]]]
// CHECK:           %[[AT:.*]] = arith.addi %{{.*}}, %[[T]]
// CHECK:           memref.store %[[V]], %[[VALUES]][%[[AT]]]
// CHECK:         %[[COUNT:.*]] = memref.dim %[[VALUES]]
// CHECK:         scf.while (%[[STRIDE:.*]] = %c1{{.*}})
// CHECK:           arith.cmpi ult, %[[STRIDE]], %[[COUNT]]
// CHECK:         do {
// CHECK:         ^bb0(%[[S:.*]]: index):
// CHECK:           %[[PAIR:.*]] = arith.addi %[[S]], %[[S]]
// CHECK:           %[[END:.*]] = arith.subi %[[COUNT]], %[[S]]
// CHECK:           scf.for %[[I:.*]] = %c0{{.*}} to %[[END]] step %[[PAIR]]
// CHECK:             %[[J:.*]] = arith.addi %[[I]], %[[S]]
// CHECK:             %[[L:.*]] = memref.load %[[VALUES]][%[[I]]]
// CHECK:             %[[R:.*]] = memref.load %[[VALUES]][%[[J]]]
// CHECK:             %[[F:.*]] = arith.addf %[[L]], %[[R]]
// CHECK:             memref.store %[[F]], %[[VALUES]][%[[I]]]
// CHECK:           scf.yield %[[PAIR]]
// CHECK:         %[[SUM:.*]] = memref.load %[[VALUES]][%c0
// CHECK:         scf.for %[[T2:.*]] = %c0{{.*}} to %c4
// CHECK:           %[[FIRST:.*]] = arith.cmpi eq, %[[T2]], %c0
// CHECK:           scf.if %[[FIRST]]
// CHECK:             memref.store %[[SUM]], %{{.*}}[]
// CHECK:         memref.dealloc %[[VALUES]]
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

// A barrier ends a phase: every thread writes shared memory, then every
// thread reads it. Shared memory is one buffer, allocated around the grid.
// CHECK-LABEL: func.func @reverse
// CHECK:         %[[SHARED:.*]] = memref.alloc() : memref<32xf32>
// CHECK:         scf.for %[[T:.*]] = %c0{{.*}} to %c32
// CHECK:           %[[V:.*]] = memref.load %{{.*}}[%[[T]]]
// CHECK:           memref.store %[[V]], %[[SHARED]][%[[T]]]
// CHECK:         }
// CHECK:         scf.for %[[T2:.*]] = %c0{{.*}} to %c32
// CHECK:           %[[J:.*]] = arith.subi %c31{{.*}}, %[[T2]]
// CHECK:           %[[W:.*]] = memref.load %[[SHARED]][%[[J]]]
// CHECK:           memref.store %[[W]], %{{.*}}[%[[T2]]]
// CHECK:       memref.dealloc %[[SHARED]]
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @reverse(%x: memref<32xf32>, %y: memref<32xf32>)
        workgroup(%s : memref<32xf32, #gpu.address_space<workgroup>>) kernel {
      %c31 = arith.constant 31 : index
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<32xf32>
      memref.store %v, %s[%t] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.barrier
      %j = arith.subi %c31, %t : index
      %w = memref.load %s[%j] : memref<32xf32, #gpu.address_space<workgroup>>
      memref.store %w, %y[%t] : memref<32xf32>
      gpu.return
    }
  }
  func.func @reverse(%x: memref<32xf32>, %y: memref<32xf32>) {
    %c1 = arith.constant 1 : index
    %c32 = arith.constant 32 : index
    gpu.launch_func @kernels::@reverse blocks in (%c1, %c1, %c1) threads in (%c32, %c1, %c1) args(%x : memref<32xf32>, %y : memref<32xf32>)
    return
  }
}

// -----

// A loop holding barriers becomes a loop of the block around its phases;
// private memory is a slice per thread of one buffer, so that it lasts from
// phase to phase.
// CHECK-LABEL: func.func @tiles
// CHECK:         %[[SHARED:.*]] = memref.alloc() : memref<4xf32>
// CHECK:         %[[PRIVATE:.*]] = memref.alloc(%{{.*}}) : memref<?x1xf32>
// CHECK:         scf.for %[[T:.*]] = %c0{{.*}} to %c4
// CHECK:           %[[MINE:.*]] = memref.subview %[[PRIVATE]][%{{.*}}, 0] [1, 1] [1, 1]
// CHECK:           memref.store %cst{{.*}}, %[[MINE]][%c0
// CHECK:         scf.for %[[K:.*]] = %c0{{.*}} to %c16{{.*}} step %c4
// CHECK:           scf.for %[[T1:.*]] = %c0{{.*}} to %c4
// CHECK:             %[[I:.*]] = arith.addi %[[K]], %[[T1]]
// CHECK:             memref.load %{{.*}}[%[[I]]]
// CHECK:             memref.store %{{.*}}, %[[SHARED]][%[[T1]]]
// CHECK:           }
// CHECK:           scf.for %[[T2:.*]] = %c0{{.*}} to %c4
// CHECK:             memref.subview %[[PRIVATE]]
// CHECK:             scf.for
// CHECK:               memref.load %[[SHARED]]
// CHECK:         scf.for %[[T3:.*]] = %c0{{.*}} to %c4
// CHECK:           %[[MINE3:.*]] = memref.subview %[[PRIVATE]]
// CHECK:           %[[SUM:.*]] = memref.load %[[MINE3]][%c0
// CHECK:           memref.store %[[SUM]], %{{.*}}[%[[T3]]]
// CHECK:       memref.dealloc %[[SHARED]]
// CHECK:       memref.dealloc %[[PRIVATE]]
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @tiles(%x: memref<16xf32>, %y: memref<4xf32>)
        workgroup(%s : memref<4xf32, #gpu.address_space<workgroup>>)
        private(%acc : memref<1xf32, #gpu.address_space<private>>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %c16 = arith.constant 16 : index
      %zero = arith.constant 0.0 : f32
      %t = gpu.thread_id x
      memref.store %zero, %acc[%c0] : memref<1xf32, #gpu.address_space<private>>
      scf.for %k = %c0 to %c16 step %c4 {
        %i = arith.addi %k, %t : index
        %v = memref.load %x[%i] : memref<16xf32>
        memref.store %v, %s[%t] : memref<4xf32, #gpu.address_space<workgroup>>
        gpu.barrier
        scf.for %j = %c0 to %c4 step %c1 {
          %a = memref.load %s[%j] : memref<4xf32, #gpu.address_space<workgroup>>
          %old = memref.load %acc[%c0] : memref<1xf32, #gpu.address_space<private>>
          %new = arith.addf %old, %a : f32
          memref.store %new, %acc[%c0] : memref<1xf32, #gpu.address_space<private>>
        }
        gpu.barrier
      }
      %sum = memref.load %acc[%c0] : memref<1xf32, #gpu.address_space<private>>
      memref.store %sum, %y[%t] : memref<4xf32>
      gpu.return
    }
  }
  func.func @tiles(%x: memref<16xf32>, %y: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    gpu.launch_func @kernels::@tiles blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%x : memref<16xf32>, %y : memref<4xf32>)
    return
  }
}

// -----

// Threads that reach a barrier on different paths cannot be phased.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @branch(%c: i1) kernel {
      scf.if %c {
        gpu.barrier
      }
      gpu.return
    }
  }
  func.func @host(%c: i1) {
    %c1 = arith.constant 1 : index
    // expected-error @below {{cannot emulate kernel 'branch': a barrier or all-reduce inside 'scf.if'}}
    gpu.launch_func @kernels::@branch blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%c : i1)
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @ragged() kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %t = gpu.thread_id x
      scf.for %i = %c0 to %t step %c1 {
        gpu.barrier
      }
      gpu.return
    }
  }
  func.func @host() {
    %c1 = arith.constant 1 : index
    // expected-error @below {{cannot emulate kernel 'ragged': the bounds of a loop with a barrier differ between threads}}
    gpu.launch_func @kernels::@ragged blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}

// -----

// A value loaded before a barrier and used after would have to be kept per
// thread; kernels keep such values in private memory.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @kept(%x: memref<4xf32>) kernel {
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<4xf32>
      gpu.barrier
      memref.store %v, %x[%t] : memref<4xf32>
      gpu.return
    }
  }
  func.func @host(%x: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    // expected-error @below {{cannot emulate kernel 'kept': a value it reads across a barrier is neither the same for all threads nor recomputable}}
    gpu.launch_func @kernels::@kept blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    return
  }
}

// -----

// Threads that exchange values through shuffles cannot run one after
// another.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @shuffle(%v: f32) kernel {
      %c1 = arith.constant 1 : i32
      %c32 = arith.constant 32 : i32
      %r, %ok = gpu.shuffle xor %v, %c1, %c32 : f32
      gpu.return
    }
  }
  func.func @host(%v: f32) {
    %c1 = arith.constant 1 : index
    // expected-error @below {{cannot emulate kernel 'shuffle': 'gpu.shuffle'}}
    gpu.launch_func @kernels::@shuffle blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%v : f32)
    return
  }
}
