// The weft stage of the pipeline: inline generic user functions, infer the
// shapes they take on, fold away the casts that no longer change a type,
// and drop the functions nobody calls.
// RUN: weft-opt %s -weft-frontend | FileCheck %s

func.func private @gelu_like(%x: tensor<*xf32>) -> tensor<*xf32> {
  %c = weft.constant dense<1.702> : tensor<f32>
  %0 = weft.mul %x, %c : tensor<*xf32>, tensor<f32> -> tensor<*xf32>
  %1 = weft.sigmoid %0 : tensor<*xf32> -> tensor<*xf32>
  %2 = weft.mul %x, %1 : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  return %2 : tensor<*xf32>
}

func.func private @unused(%x: tensor<*xf32>) -> tensor<*xf32> {
  return %x : tensor<*xf32>
}

// CHECK-NOT: func private
// CHECK-LABEL: func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @forward(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK-NOT: weft.cast
  // CHECK-NOT: call
  // CHECK: %[[C:.*]] = weft.constant dense<1.702000e+00> : tensor<f32>
  // CHECK: %[[M:.*]] = weft.mul %[[X]], %[[C]] : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
  // CHECK: %[[S:.*]] = weft.sigmoid %[[M]] : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: %[[R:.*]] = weft.mul %[[X]], %[[S]] : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: return %[[R]] : tensor<4x8xf32>
  %0 = weft.cast %x : tensor<4x8xf32> to tensor<*xf32>
  %1 = call @gelu_like(%0) : (tensor<*xf32>) -> tensor<*xf32>
  %2 = weft.cast %1 : tensor<*xf32> to tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}
