// RUN: weft-opt %s --pass-pipeline='builtin.module(gpu.module(weft-nvvm-libdevice-to-intrinsics))' | FileCheck %s
// RUN: weft-opt %s --pass-pipeline='builtin.module(gpu.module(weft-nvvm-libdevice-to-intrinsics,weft-nvvm-libdevice-calls))' --split-input-file --verify-diagnostics

// Calls of libdevice functions PTX has instructions for become intrinsics,
// f32 and f64; their declarations go. f64 log stays a libdevice call.

// CHECK-LABEL: gpu.module @math
// CHECK-NOT:     llvm.func @__nv_sqrtf
// CHECK-NOT:     llvm.func @__nv_fmaf
// CHECK:         llvm.func @__nv_log(f64) -> f64
// CHECK-LABEL:   llvm.func @kernel
// CHECK:           %[[S:.*]] = llvm.intr.sqrt(%{{.*}}) : (f32) -> f32
// CHECK:           %[[F:.*]] = llvm.intr.fma(%[[S]], %[[S]], %[[S]]) : (f32, f32, f32) -> f32
// CHECK:           llvm.intr.floor(%[[F]]) : (f32) -> f32
// CHECK:           llvm.intr.fabs(%{{.*}}) : (f64) -> f64
// CHECK:           llvm.call @__nv_log
gpu.module @math {
  llvm.func @__nv_sqrtf(f32) -> f32
  llvm.func @__nv_fmaf(f32, f32, f32) -> f32
  llvm.func @__nv_floorf(f32) -> f32
  llvm.func @__nv_fabs(f64) -> f64
  llvm.func @__nv_log(f64) -> f64
  llvm.func @kernel(%x: f32, %y: f64) -> f64 {
    %s = llvm.call @__nv_sqrtf(%x) : (f32) -> f32
    %f = llvm.call @__nv_fmaf(%s, %s, %s) : (f32, f32, f32) -> f32
    %r = llvm.call @__nv_floorf(%f) : (f32) -> f32
    %a = llvm.call @__nv_fabs(%y) : (f64) -> f64
    // expected-error @below {{this kernel calls libdevice's '__nv_log', which weft links from a CUDA toolkit, and none was found (set CUDA_HOME to one)}}
    %l = llvm.call @__nv_log(%a) : (f64) -> f64
    llvm.return %l : f64
  }
}

// -----

// With libdevice in the target's link list the call stays, to be linked.
gpu.module @linked [#nvvm.target<chip = "sm_90", link = ["/cuda/nvvm/libdevice/libdevice.10.bc"]>] {
  llvm.func @__nv_log(f64) -> f64
  llvm.func @kernel(%y: f64) -> f64 {
    %l = llvm.call @__nv_log(%y) : (f64) -> f64
    llvm.return %l : f64
  }
}
