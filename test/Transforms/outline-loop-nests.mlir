// RUN: weft-opt %s -split-input-file -weft-outline-loop-nests | FileCheck %s

// Each top-level loop nest becomes a noinline function taking the buffers
// it uses; constants are cloned into it. The two nests that differ only in
// the buffers they touch share one function; the third, with another
// constant, gets its own.

// CHECK: func.func @steps(%[[A:.*]]: memref<8xf32>, %[[B:.*]]: memref<8xf32>)
// CHECK-NEXT: call @steps.nest0(%[[A]])
// CHECK-NEXT: call @steps.nest0(%[[B]])
// CHECK-NEXT: call @steps.nest1(%[[A]])
// CHECK-NEXT: return
// CHECK: func.func private @steps.nest0(%{{.*}}: memref<8xf32>) attributes {passthrough = ["noinline"]}
// CHECK-DAG: arith.constant 2.0
// CHECK-DAG: arith.constant 8 : index
// CHECK: scf.for
// CHECK: func.func private @steps.nest1(
// CHECK: arith.constant 3.0
// CHECK-NOT: func.func
func.func @steps(%a: memref<8xf32>, %b: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  %three = arith.constant 3.0 : f32
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %a[%i] : memref<8xf32>
    %y = arith.mulf %x, %two : f32
    memref.store %y, %a[%i] : memref<8xf32>
  }
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %b[%i] : memref<8xf32>
    %y = arith.mulf %x, %two : f32
    memref.store %y, %b[%i] : memref<8xf32>
  }
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %a[%i] : memref<8xf32>
    %y = arith.mulf %x, %three : f32
    memref.store %y, %a[%i] : memref<8xf32>
  }
  return
}

// -----

// Nests that differ only in the offset of a view share one function taking
// the view with a dynamic offset.
// CHECK-LABEL: func.func @views
// CHECK: %[[A:.*]] = memref.cast %{{.*}} : memref<4xf32, strided<[1]>> to memref<4xf32, strided<[1], offset: ?>>
// CHECK: call @views.nest0(%[[A]])
// CHECK: %[[B:.*]] = memref.cast %{{.*}} : memref<4xf32, strided<[1], offset: 4>> to memref<4xf32, strided<[1], offset: ?>>
// CHECK: call @views.nest0(%[[B]])
// CHECK: func.func private @views.nest0(%{{.*}}: memref<4xf32, strided<[1], offset: ?>>)
// CHECK-NOT: func.func private
func.func @views(%m: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  %a = memref.subview %m[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 0>>
  %b = memref.subview %m[4] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 4>>
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %one, %a[%i] : memref<4xf32, strided<[1], offset: 0>>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %one, %b[%i] : memref<4xf32, strided<[1], offset: 4>>
  }
  return
}
