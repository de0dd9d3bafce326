// RUN: weft-opt %s --weft-gpu-kernel-module | FileCheck %s

// Outlined kernels, one module each, named after `Net.forward`, move into
// one module @kernels with PTX identifiers; the shared declaration is kept
// once and the launches follow.

// CHECK:      gpu.module @kernels {
// CHECK-NEXT:   gpu.func @Net_forward_kernel(
// CHECK:        func.func private @weft_index_error(i64, i64, i64)
// CHECK:        gpu.func @Net_forward_kernel_0(
// CHECK-NOT:    func.func private @weft_index_error
// CHECK:        gpu.func @Net_forward_kernel_1_first(
// CHECK:        gpu.func @Net_forward_kernel_1_second(
// CHECK:      }
// CHECK-NOT:  gpu.module
// CHECK-LABEL: func.func @Net.forward
// CHECK:        gpu.launch_func @kernels::@Net_forward_kernel blocks
// CHECK:        gpu.launch_func @kernels::@Net_forward_kernel_0 blocks
// CHECK:        gpu.launch_func @kernels::@Net_forward_kernel_1_second blocks
module attributes {gpu.container_module} {
  gpu.module @Net.forward_kernel {
    gpu.func @Net.forward_kernel() kernel {
      gpu.return
    }
    func.func private @weft_index_error(i64, i64, i64)
  }
  gpu.module @Net.forward_kernel_0 {
    gpu.func @Net.forward_kernel() kernel {
      gpu.return
    }
    func.func private @weft_index_error(i64, i64, i64)
  }
  gpu.module @Net.forward_kernel_1 {
    gpu.func @first() kernel {
      gpu.return
    }
    gpu.func @second() kernel {
      gpu.return
    }
  }
  func.func @Net.forward() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @Net.forward_kernel::@Net.forward_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @Net.forward_kernel_0::@Net.forward_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @Net.forward_kernel_1::@second blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}
