// RUN: weft-opt %s --pass-pipeline='builtin.module(func.func(weft-copy-globals-to-heap))' | FileCheck %s

// Each global a function reads gets one heap copy at the entry, used in
// place of every get_global of it, in loops too.

memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
memref.global "private" constant @scale : memref<f32> = dense<2.0>

// CHECK-LABEL: func.func @reads
// CHECK-NEXT:    %[[TABLE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK-NEXT:    %[[G0:.*]] = memref.get_global @table : memref<4xf32>
// CHECK-NEXT:    memref.copy %[[G0]], %[[TABLE]]
// CHECK-NEXT:    %[[SCALE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<f32>
// CHECK-NEXT:    %[[G1:.*]] = memref.get_global @scale : memref<f32>
// CHECK-NEXT:    memref.copy %[[G1]], %[[SCALE]]
// CHECK:         scf.for
// CHECK:           memref.load %[[TABLE]]
// CHECK:           memref.load %[[SCALE]]
// CHECK:         memref.load %[[TABLE]]
// CHECK-NOT:     memref.get_global
func.func @reads(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %t = memref.get_global @table : memref<4xf32>
    %s = memref.get_global @scale : memref<f32>
    %x = memref.load %t[%i] : memref<4xf32>
    %y = memref.load %s[] : memref<f32>
    %z = arith.mulf %x, %y : f32
    memref.store %z, %out[%i] : memref<4xf32>
  }
  %t2 = memref.get_global @table : memref<4xf32>
  %first = memref.load %t2[%c0] : memref<4xf32>
  memref.store %first, %out[%c0] : memref<4xf32>
  return
}

// A function that reads no global is left alone.
// CHECK-LABEL: func.func @none
// CHECK-NOT:     memref.alloc
func.func @none(%x: memref<4xf32>) {
  return
}
