// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-shape-inference))' | FileCheck %s

// Shapes flow from the arguments through every op; the function's result
// type follows its return.
// CHECK-LABEL: func @propagate
// CHECK-SAME: -> tensor<4x1xf32>
func.func @propagate(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> tensor<*xf32> {
  // CHECK: weft.linear {{.*}} -> tensor<4x3xf32>
  %0 = weft.linear %x, %w, %b : tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<*xf32>
  // CHECK: weft.sigmoid {{.*}} : tensor<4x3xf32> -> tensor<4x3xf32>
  %1 = weft.sigmoid %0 : tensor<*xf32> -> tensor<*xf32>
  // CHECK: weft.add {{.*}} : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %2 = weft.add %1, %b : tensor<*xf32>, tensor<3xf32> -> tensor<*xf32>
  // CHECK: weft.sum {{.*}} axes [-1] keepdim : tensor<4x3xf32> -> tensor<4x1xf32>
  %3 = weft.sum %2 axes [-1] keepdim : tensor<*xf32> -> tensor<*xf32>
  // CHECK: return {{.*}} : tensor<4x1xf32>
  return %3 : tensor<*xf32>
}

// -----

// A cast to an unranked or partly known type takes its operand's shape; a
// cast that already agrees keeps its declared type.
// CHECK-LABEL: func @casts
func.func @casts(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: weft.cast %{{.*}} : tensor<4x8xf32> to tensor<4x8xf32>
  %0 = weft.cast %x : tensor<4x8xf32> to tensor<*xf32>
  // CHECK: weft.reshape {{.*}} to [-1] : tensor<4x8xf32> -> tensor<32xf32>
  %1 = weft.reshape %0 to [-1] : tensor<*xf32> -> tensor<*xf32>
  // CHECK: weft.cast %{{.*}} : tensor<32xf32> to tensor<32xf32>
  %2 = weft.cast %1 : tensor<*xf32> to tensor<?xf32>
  // CHECK: weft.reshape {{.*}} to [4, 8] : tensor<32xf32> -> tensor<4x8xf32>
  %3 = weft.reshape %2 to [4, 8] : tensor<?xf32> -> tensor<*xf32>
  %4 = weft.cast %3 : tensor<*xf32> to tensor<4x8xf32>
  return %4 : tensor<4x8xf32>
}

// -----

// A conversion keeps its operand's shape and its own element type (`to(t,
// f32)` in a generic function).
// CHECK-LABEL: func @convert
// CHECK-SAME: -> tensor<4xf32>
func.func @convert(%t: tensor<4xi64>) -> tensor<*xf32> {
  // CHECK: weft.convert %arg0 : tensor<4xi64> -> tensor<4xf32>
  %0 = weft.convert %t : tensor<4xi64> -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
