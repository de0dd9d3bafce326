// The canonicalization patterns of WeftCombine.td and WeftCombine.cpp:
// each rewrite keeps the value, and its guard keeps a rewrite from changing
// a type (an add that broadcasts is not its operand).
// RUN: weft-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func @neg_neg
// CHECK-NEXT: return %arg0
func.func @neg_neg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = weft.neg %x : tensor<4xf32> -> tensor<4xf32>
  %1 = weft.neg %0 : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @identities
// CHECK-NEXT: return %arg0, %arg0, %arg0, %arg0, %arg0, %arg0
func.func @identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>,
    tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = weft.constant dense<0.0> : tensor<f32>
  %one = weft.constant dense<1.0> : tensor<f32>
  %0 = weft.add %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %1 = weft.add %zero, %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  %2 = weft.sub %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %3 = weft.mul %x, %one : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %4 = weft.mul %one, %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  %5 = weft.div %x, %one : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
      tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Integers too.
// CHECK-LABEL: func @integer_identities
// CHECK-NEXT: return %arg0, %arg0
func.func @integer_identities(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>) {
  %zero = weft.constant dense<0> : tensor<i64>
  %one = weft.constant dense<1> : tensor<i64>
  %0 = weft.add %x, %zero : tensor<4xi64>, tensor<i64> -> tensor<4xi64>
  %1 = weft.mul %x, %one : tensor<4xi64>, tensor<i64> -> tensor<4xi64>
  return %0, %1 : tensor<4xi64>, tensor<4xi64>
}

// -----

// Adding zero that broadcasts x to a larger shape keeps the add; so does
// adding or multiplying by anything else.
// CHECK-LABEL: func @not_identities
// CHECK: weft.add %arg0
// CHECK: weft.mul %arg0
func.func @not_identities(%x: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<4xf32>) {
  %zero = weft.constant dense<0.0> : tensor<3x4xf32>
  %two = weft.constant dense<2.0> : tensor<f32>
  %0 = weft.add %x, %zero : tensor<4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
  %1 = weft.mul %x, %two : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<4xf32>
}

// -----

// x - (-y) = x + y and x + (-y) = x - y.
// CHECK-LABEL: func @negated_operands
// CHECK-NEXT: %[[A:.*]] = weft.add %arg0, %arg1
// CHECK-NEXT: %[[S:.*]] = weft.sub %arg0, %arg1
// CHECK-NEXT: return %[[A]], %[[S]]
func.func @negated_operands(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %n = weft.neg %y : tensor<4xf32> -> tensor<4xf32>
  %0 = weft.sub %x, %n : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = weft.add %x, %n : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A transpose undone disappears; two others compose into one.
// CHECK-LABEL: func @transposes
// CHECK-NEXT: %[[T:.*]] = weft.transpose %arg0 [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT: return %arg0, %[[T]]
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x2x3xf32>) {
  %0 = weft.transpose %x [1, 0, 2] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %1 = weft.transpose %0 [1, 0, 2] : tensor<3x2x4xf32> -> tensor<2x3x4xf32>
  %2 = weft.transpose %0 [2, 1, 0] : tensor<3x2x4xf32> -> tensor<4x2x3xf32>
  return %1, %2 : tensor<2x3x4xf32>, tensor<4x2x3xf32>
}

// -----

// Two reshapes are one; a reshape back to the input's shape is none.
// CHECK-LABEL: func @reshapes
// CHECK-NEXT: %[[R:.*]] = weft.reshape %arg0 to [4, 6] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NEXT: return %arg0, %[[R]]
func.func @reshapes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x6xf32>) {
  %0 = weft.reshape %x to [6, -1] : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = weft.reshape %0 to [2, 3, 4] : tensor<6x4xf32> -> tensor<2x3x4xf32>
  %2 = weft.reshape %0 to [4, -1] : tensor<6x4xf32> -> tensor<4x6xf32>
  return %1, %2 : tensor<2x3x4xf32>, tensor<4x6xf32>
}

// -----

// A broadcast summed back over the axes it stretched is the input times the
// number of copies (reshaped where the result's shape differs); a mean is
// the input.
// CHECK-LABEL: func @broadcast_summed
// CHECK-DAG: %[[N:.*]] = weft.constant dense<3.000000e+00> : tensor<f32>
// CHECK-DAG: %[[S:.*]] = weft.mul %arg0, %[[N]] : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
// CHECK-DAG: %[[R:.*]] = weft.reshape %arg1 to [2] : tensor<2x1xf32> -> tensor<2xf32>
// CHECK-DAG: %[[K:.*]] = weft.mul %[[R]], %{{.*}} : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
// CHECK: return %[[S]], %[[K]], %arg0
func.func @broadcast_summed(%x: tensor<4xf32>, %y: tensor<2x1xf32>) -> (tensor<4xf32>, tensor<2xf32>, tensor<4xf32>) {
  %0 = weft.broadcast %x to [3, 4] : tensor<4xf32> -> tensor<3x4xf32>
  %1 = weft.sum %0 axes [0] : tensor<3x4xf32> -> tensor<4xf32>
  %2 = weft.broadcast %y to [2, 5] : tensor<2x1xf32> -> tensor<2x5xf32>
  %3 = weft.sum %2 axes [-1] : tensor<2x5xf32> -> tensor<2xf32>
  %4 = weft.mean %0 axes [0] : tensor<3x4xf32> -> tensor<4xf32>
  return %1, %3, %4 : tensor<4xf32>, tensor<2xf32>, tensor<4xf32>
}

// -----

// Summing over an axis the broadcast did not stretch is not undone.
// CHECK-LABEL: func @broadcast_summed_elsewhere
// CHECK: weft.sum
func.func @broadcast_summed_elsewhere(%x: tensor<4xf32>) -> tensor<3xf32> {
  %0 = weft.broadcast %x to [3, 4] : tensor<4xf32> -> tensor<3x4xf32>
  %1 = weft.sum %0 axes [1] : tensor<3x4xf32> -> tensor<3xf32>
  return %1 : tensor<3xf32>
}
