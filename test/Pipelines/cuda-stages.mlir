// Each named stage of the cuda pipeline, as weft-opt runs it.
// RUN: weft-opt %s -weft-frontend -weft-cuda-lower-to-linalg -weft-cuda-bufferize-to-kernels | FileCheck %s --check-prefix=GPU
// RUN: weft-opt %s -weft-frontend -weft-cuda-lower-to-linalg -weft-cuda-bufferize-to-kernels '-weft-cuda-kernels-to-nvvm=chip=sm_80' | FileCheck %s --check-prefix=NVVM
// RUN: weft-opt %s -weft-cuda-pipeline | FileCheck %s --check-prefix=LLVM

func.func @forward(%x: tensor<4x8xf32>) -> tensor<f32> attributes {llvm.emit_c_interface} {
  %w = weft.param "fc.weight" init uniform fan_in 8 : tensor<3x8xf32>
  %0 = weft.linear %x, %w : tensor<4x8xf32>, tensor<3x8xf32> -> tensor<4x3xf32>
  %1 = weft.tanh %0 : tensor<4x3xf32> -> tensor<4x3xf32>
  %2 = weft.sum %1 axes [0, 1] : tensor<4x3xf32> -> tensor<f32>
  return %2 : tensor<f32>
}

// Bufferized across the function boundary; the parallel loops became
// kernels in one module with PTX names, the full sum of 12 elements a block
// of 32 threads (a warp) with an all-reduce; the host allocates and launches.
// GPU: gpu.module @kernels {
// GPU:   gpu.func @forward_kernel(
// GPU-SAME: kernel
// GPU:     gpu.block_id
// GPU:     gpu.thread_id
// GPU:   gpu.func @forward_kernel_{{[0-9]+}}({{.*}}known_block_size = array<i32: 32, 1, 1>, known_grid_size = array<i32: 1, 1, 1>
// GPU:     gpu.all_reduce add
// GPU-LABEL: func.func @forward
// GPU-SAME: (%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<3x8xf32> {weft.param = "fc.weight"}) -> memref<f32>
// GPU-NOT: linalg.
// GPU:   memref.alloc()
// GPU:   gpu.launch_func @kernels::@forward_kernel blocks
// GPU:   gpu.launch_func @kernels::@forward_kernel_{{[0-9]+}} blocks in (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}) threads in (%c32{{.*}}, %c1{{.*}}, %c1{{.*}})
// GPU:   memref.dealloc

// The kernels in the NVVM and LLVM dialects for the chosen architecture;
// tanh a polynomial (no libdevice call), the all-reduce warp shuffles.
// NVVM: gpu.module @kernels [#nvvm.target<chip = "sm_80", features = "+ptx80"
// NVVM:   llvm.func @forward_kernel(
// NVVM-SAME: nvvm.kernel
// NVVM:     nvvm.read.ptx.sreg.ctaid
// NVVM-NOT: __nv_tanh
// NVVM:     nvvm.shfl.sync bfly
// NVVM-NOT: llvm.call @__nv_

// PTX in a gpu.binary; the host in the LLVM dialect, allocating through the
// runtime's generic functions and launching through the mgpu calls.
// LLVM: gpu.binary @kernels
// LLVM-SAME: .target sm_90
// LLVM: llvm.func @forward(
// LLVM:   llvm.call @_mlir_memref_to_llvm_alloc
// LLVM:   gpu.launch_func @kernels::@forward_kernel
// LLVM:   llvm.call @_mlir_memref_to_llvm_free
