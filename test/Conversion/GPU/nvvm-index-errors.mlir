// RUN: weft-opt %s --pass-pipeline='builtin.module(gpu.module(weft-nvvm-index-errors))' | FileCheck %s

// The C-interface declaration a kernel module calls gets a body that
// records the first error through the record the runtime points the
// module's global at.

// CHECK-LABEL: gpu.module @kernels
// CHECK:         llvm.mlir.global external @weft_index_error_record(0 : i64) {addr_space = 1 : i32, alignment = 8 : i64} : i64
// CHECK:         llvm.func @_mlir_ciface_weft_index_error(%[[SITE:.*]]: i64, %[[INDEX:.*]]: i64, %[[SIZE:.*]]: i64)
// CHECK:           %[[GLOBAL:.*]] = llvm.mlir.addressof @weft_index_error_record : !llvm.ptr<1>
// CHECK:           %[[WORD:.*]] = llvm.load %[[GLOBAL]] : !llvm.ptr<1> -> i64
// CHECK:           %[[RECORD:.*]] = llvm.inttoptr %[[WORD]] : i64 to !llvm.ptr
// CHECK:           %[[SWAP:.*]] = llvm.cmpxchg %[[RECORD]], %{{.*}}, %{{.*}} acq_rel monotonic
// CHECK:           %[[FIRST:.*]] = llvm.extractvalue %[[SWAP]][1]
// CHECK:           llvm.cond_br %[[FIRST]], ^[[STORE:.*]], ^[[DONE:.*]]
// CHECK:         ^[[STORE]]:
// CHECK:           %[[F1:.*]] = llvm.getelementptr %[[RECORD]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:           llvm.store %[[SITE]], %[[F1]]
// CHECK:           %[[F2:.*]] = llvm.getelementptr %[[RECORD]][2]
// CHECK:           llvm.store %[[INDEX]], %[[F2]]
// CHECK:           %[[F3:.*]] = llvm.getelementptr %[[RECORD]][3]
// CHECK:           llvm.store %[[SIZE]], %[[F3]]
// CHECK:         ^[[DONE]]:
// CHECK:           llvm.return
gpu.module @kernels {
  llvm.func @weft_index_error(%site: i64, %index: i64, %size: i64) attributes {llvm.emit_c_interface} {
    llvm.call @_mlir_ciface_weft_index_error(%site, %index, %size) : (i64, i64, i64) -> ()
    llvm.return
  }
  llvm.func @_mlir_ciface_weft_index_error(i64, i64, i64) attributes {llvm.emit_c_interface}
}

// A module that never reports is left alone.
// CHECK-LABEL: gpu.module @quiet
// CHECK-NOT:     weft_index_error_record
gpu.module @quiet {
  llvm.func @f() {
    llvm.return
  }
}
