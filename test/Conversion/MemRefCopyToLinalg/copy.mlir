// RUN: weft-opt %s -convert-memref-copy-to-linalg | FileCheck %s
// RUN: weft-opt %s -convert-memref-copy-to-linalg -convert-linalg-to-loops | FileCheck %s --check-prefix=LOOPS

// A copy into a strided view, as bufferization writes for tensor.pad.
// CHECK-LABEL: func @copy
func.func @copy(%src: memref<2x3xf32>, %dst: memref<4x5xf32>) {
  %view = memref.subview %dst[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  // CHECK-NOT: memref.copy
  // CHECK: linalg.copy ins(%{{.*}} : memref<2x3xf32>) outs(%{{.*}} : memref<2x3xf32, strided<[5, 1], offset: 6>>)
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  return
}
// LOOPS: scf.for
// LOOPS: scf.for
// LOOPS: memref.load
// LOOPS: memref.store
// LOOPS-NOT: call
