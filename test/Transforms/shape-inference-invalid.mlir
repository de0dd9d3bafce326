// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(weft-shape-inference))' -verify-diagnostics

// A declared type that disagrees with the computed one is an error at the
// cast, which MLIRGen places at the source of the declaration.
func.func @declared_mismatch(%x: tensor<4x8xf32>) -> tensor<4x9xf32> {
  %0 = weft.relu %x : tensor<4x8xf32> -> tensor<*xf32>
  // expected-error @+1 {{type mismatch: the value is f32[4, 8] but f32[4, 9] is declared here}}
  %1 = weft.cast %0 : tensor<*xf32> to tensor<4x9xf32>
  return %1 : tensor<4x9xf32>
}

// -----

// Shape errors found only now are reported at the op.
func.func @late_broadcast_error(%x: tensor<4x8xf32>) -> tensor<*xf32> {
  %0 = weft.cast %x : tensor<4x8xf32> to tensor<*xf32>
  %1 = weft.transpose %0 [1, 0] : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{shapes f32[8, 4] and f32[4, 8] cannot be broadcast together}}
  %2 = weft.add %1, %x : tensor<*xf32>, tensor<4x8xf32> -> tensor<*xf32>
  return %2 : tensor<*xf32>
}
