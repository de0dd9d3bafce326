// Inference mode: canonicalization removes dropout.
// RUN: weft-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func @dropout
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @dropout(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = weft.dropout %x p 0.5 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
