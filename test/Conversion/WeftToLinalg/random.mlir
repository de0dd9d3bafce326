// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Each element hashes its row-major position with the stream of (seed, key),
// folded to a constant; uniform keeps the top 24 bits for f32.

// CHECK-LABEL: func @uniform
func.func @uniform() -> tensor<4x3xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(
  // CHECK: linalg.index 0
  // CHECK: linalg.index 1
  // CHECK: arith.index_cast %{{.*}} : index to i64
  // CHECK: arith.muli %{{.*}}, %{{.*}} : i64
  // CHECK: arith.shrui
  // CHECK: arith.uitofp %{{.*}} : i64 to f32
  // CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
  %0 = weft.random uniform seed 0 key 3 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Normal draws two f64 uniforms (counters 2i and 2i + 1) for Box-Muller and
// rounds the result to f32.
// CHECK-LABEL: func @normal
func.func @normal() -> tensor<5xf32> {
  // CHECK: math.log %{{.*}} : f64
  // CHECK: math.sqrt %{{.*}} : f64
  // CHECK: math.cos %{{.*}} : f64
  // CHECK: arith.truncf %{{.*}} : f64 to f32
  %0 = weft.random normal seed 0 key 3 : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// A seed read at run time is the generic's one input, a scalar read at every
// position, mixed with the key in the body.
// CHECK-LABEL: func @seed_operand
func.func @seed_operand(%s: tensor<i64>) -> tensor<4xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{.*}} : tensor<i64>)
  // CHECK: ^bb0(%[[SEED:.*]]: i64, %{{.*}}: f32):
  // CHECK: arith.shrui %[[SEED]]
  // CHECK: arith.xori
  %0 = weft.random uniform seed %s key 3 : tensor<4xf32>
  return %0 : tensor<4xf32>
}
