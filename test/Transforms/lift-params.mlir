// RUN: weft-opt %s -split-input-file -weft-lift-params | FileCheck %s

// Parameters become trailing arguments in order of first use; a parameter
// read twice becomes one argument.
// CHECK-LABEL: func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32> {weft.param = "fc.weight"}, %[[B:.*]]: tensor<3xf32> {weft.param = "fc.bias"})
func.func @forward(%x: tensor<4x8xf32>) -> tensor<4x3xf32> {
  // CHECK-NOT: weft.param
  %w = weft.param "fc.weight" init uniform fan_in 8 : tensor<3x8xf32>
  %b = weft.param "fc.bias" init uniform fan_in 8 : tensor<3xf32>
  // CHECK: weft.linear %[[X]], %[[W]], %[[B]]
  %0 = weft.linear %x, %w, %b : tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %b2 = weft.param "fc.bias" init uniform fan_in 8 : tensor<3xf32>
  // CHECK: weft.add %{{.*}}, %[[B]]
  %1 = weft.add %0, %b2 : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  return %1 : tensor<4x3xf32>
}

// -----

// Private functions are left alone: they are inlined before this pass runs.
// CHECK-LABEL: func private @helper
// CHECK-SAME: () -> tensor<2xf32>
// CHECK: weft.param "p"
func.func private @helper() -> tensor<2xf32> {
  %p = weft.param "p" : tensor<2xf32>
  return %p : tensor<2xf32>
}
