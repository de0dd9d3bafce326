// Scalar arithmetic on constants folds (in double precision, rounded once),
// so that a scale like `x / sqrt(64.0)` divides by a constant.
// RUN: weft-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func @scale
// CHECK-NEXT: %[[C:.*]] = weft.constant dense<8.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[D:.*]] = weft.div %arg0, %[[C]]
// CHECK-NEXT: return %[[D]]
func.func @scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = weft.constant dense<64.0> : tensor<f32>
  %s = weft.sqrt %c : tensor<f32> -> tensor<f32>
  %d = weft.div %x, %s : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// A splat meets a dense constant: the result has the dense one's shape.
// CHECK-LABEL: func @arithmetic
// CHECK-NEXT: %[[C:.*]] = weft.constant dense<[-2.000000e+00, -3.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @arithmetic() -> tensor<2xf32> {
  %a = weft.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %one = weft.constant dense<1.0> : tensor<f32>
  %b = weft.add %a, %one : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %c = weft.log %b : tensor<2xf32> -> tensor<2xf32>
  %d = weft.exp %c : tensor<2xf32> -> tensor<2xf32>
  %e = weft.neg %d : tensor<2xf32> -> tensor<2xf32>
  %f = weft.mul %e, %one : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %g = weft.sub %f, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %f : tensor<2xf32>
}

// Integers and non-constants do not fold.
// CHECK-LABEL: func @kept
// CHECK: weft.add
// CHECK: weft.sqrt
func.func @kept(%x: tensor<4xf32>) -> (tensor<i64>, tensor<4xf32>) {
  %a = weft.constant dense<1> : tensor<i64>
  %b = weft.add %a, %a : tensor<i64>, tensor<i64> -> tensor<i64>
  %s = weft.sqrt %x : tensor<4xf32> -> tensor<4xf32>
  return %b, %s : tensor<i64>, tensor<4xf32>
}
