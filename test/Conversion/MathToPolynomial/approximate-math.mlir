// RUN: weft-opt %s -weft-approximate-math | FileCheck %s

// f32 tanh becomes arithmetic (a rational polynomial, clamped); f64 tanh and
// the other functions stay for libm.
// CHECK-LABEL: func @functions
// CHECK-NOT: math.tanh %{{.*}} : f32
// CHECK: arith.divf
// CHECK-DAG: math.tanh %{{.*}} : f64
// CHECK-DAG: math.exp %{{.*}} : f32
// CHECK-DAG: math.erf %{{.*}} : f32
func.func @functions(%x: f32, %y: f64) -> (f32, f64, f32, f32) {
  %0 = math.tanh %x : f32
  %1 = math.tanh %y : f64
  %2 = math.exp %x : f32
  %3 = math.erf %x : f32
  return %0, %1, %2, %3 : f32, f64, f32, f32
}
