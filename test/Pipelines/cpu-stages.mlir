// Each named stage of the CPU pipeline, as weft-opt runs it.
// RUN: weft-opt %s -weft-frontend -weft-lower-to-linalg | FileCheck %s --check-prefix=LINALG
// RUN: weft-opt %s -weft-frontend -weft-lower-to-linalg -weft-cpu-bufferize-to-loops | FileCheck %s --check-prefix=LOOPS
// RUN: weft-opt %s -weft-cpu-pipeline | FileCheck %s --check-prefix=LLVM

func.func @forward(%x: tensor<4x8xf32>) -> tensor<4xf32> attributes {llvm.emit_c_interface} {
  %w = weft.param "fc.weight" init uniform fan_in 8 : tensor<3x8xf32>
  %0 = weft.linear %x, %w : tensor<4x8xf32>, tensor<3x8xf32> -> tensor<4x3xf32>
  %1 = weft.tanh %0 : tensor<4x3xf32> -> tensor<4x3xf32>
  %2 = weft.sum %1 axes [1] : tensor<4x3xf32> -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// LINALG-LABEL: func @forward
// LINALG-SAME: %{{.*}}: tensor<3x8xf32> {weft.param = "fc.weight"}
// LINALG-NOT: weft.
// LINALG: linalg.generic
// LINALG: math.tanh
// LINALG: linalg.generic

// Bufferized across the function boundary, with loops on memrefs, each loop
// nest in a function of its own, and the temporaries freed. The product is
// one register tile (4 x 3, 8 steps): vector fused multiply-adds, no loop;
// the tanh and the sum are vector code a row at a time.
// LOOPS-LABEL: func @forward
// LOOPS-SAME: (%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<3x8xf32> {weft.param = "fc.weight"}) -> memref<4xf32>
// LOOPS-NOT: tensor<
// LOOPS: %[[TANH:.*]] = memref.alloc() {{.*}} : memref<4x3xf32>
// LOOPS: %[[ACC:.*]] = memref.alloc() {{.*}} : memref<4x3xf32>
// LOOPS: call @forward.nest1(%arg1, %[[WT:.*]]) : (memref<3x8xf32>, memref<8x3xf32>)
// LOOPS: vector.transfer_read %[[ACC]]
// LOOPS: vector.transfer_read %arg0
// LOOPS: vector.transfer_read %[[WT]]
// LOOPS-COUNT-32: vector.fma {{.*}} : vector<3xf32>
// LOOPS: vector.transfer_write {{.*}}, %[[ACC]]
// LOOPS: call @forward.nest2(%[[ACC]], %[[TANH]])
// LOOPS: memref.dealloc
// LOOPS: return %{{.*}} : memref<4xf32>
// LOOPS: func.func private @forward.nest0
// LOOPS: func.func private @forward.nest1(%{{.*}}: memref<3x8xf32>, %{{.*}}: memref<8x3xf32>) attributes {passthrough = ["noinline"]}
// LOOPS: scf.for
// LOOPS: scf.for
// LOOPS: func.func private @forward.nest2
// LOOPS: math.tanh {{.*}} : vector<3xf32>
// LOOPS: func.func private @forward.nest4
// LOOPS: vector.reduction <add>, {{.*}} : vector<3xf32> into f32

// LLVM-LABEL: llvm.func @forward(
// LLVM: llvm.call @_mlir_memref_to_llvm_alloc
// LLVM: llvm.intr.fmuladd
// LLVM: llvm.call @forward.nest2(
// LLVM: llvm.call @_mlir_memref_to_llvm_free
// LLVM-LABEL: llvm.func @_mlir_ciface_forward
// LLVM-NOT: memref
// LLVM-NOT: scf.
// LLVM-LABEL: llvm.func @forward.nest2(
// LLVM-SAME: passthrough = ["noinline"]
// tanh is a polynomial (weft-approximate-math), not a call into libm.
// LLVM-NOT: llvm.call @tanhf
// LLVM: llvm.fmul
// LLVM-NOT: llvm.call @tanhf

// A convolution's windows are copied one kernel tap at a time, straight
// into the columns of its product: the copies are vector code (one outlined
// nest, called per tap) writing the columns' buffer, and no copy of a
// buffer into itself follows (eliminate-empty-tensors before vectorizing,
// cse and canonicalize after bufferizing).
func.func @conv(%x: tensor<2x3x12x12xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x10x10xf32> attributes {llvm.emit_c_interface} {
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x3x12x12xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x10x10xf32>
  return %0 : tensor<2x4x10x10xf32>
}

// LOOPS-LABEL: func @conv
// LOOPS: %[[COLUMNS:.*]] = memref.alloc() {{.*}} : memref<3x3x3x2x10x10xf32>
// LOOPS-COUNT-9: call @conv.nest0(
// LOOPS-NOT: call
// LOOPS: memref.collapse_shape %[[COLUMNS]]
// LOOPS: func.func private @conv.nest0
// LOOPS: vector.transfer_read {{.*}} vector<10xf32>
// LOOPS: vector.transfer_write {{.*}} : vector<10xf32>
