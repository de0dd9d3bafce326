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

// Functions of f32 vectors all become polynomials, their fused multiply-adds
// vector.fma (a math.fma of a vector would become a libm call per element).
// CHECK-LABEL: func @vectors
// CHECK-NOT: math.{{exp|erf|log|fma}}
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: math.{{exp|erf|log|fma}}
// CHECK: return
func.func @vectors(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %0 = math.exp %x : vector<16xf32>
  %1 = math.erf %x : vector<16xf32>
  %2 = math.log %x : vector<16xf32>
  return %0, %1, %2 : vector<16xf32>, vector<16xf32>, vector<16xf32>
}
