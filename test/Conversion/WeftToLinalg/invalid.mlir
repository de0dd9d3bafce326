// RUN: weft-opt %s -split-input-file -convert-weft-to-linalg -verify-diagnostics

func.func @unlifted_param() -> tensor<3xf32> {
  // expected-error @+1 {{parameter 'w' must be lifted to a function argument first (run weft-lift-params)}}
  %0 = weft.param "w" : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// An op whose shape is still unknown cannot be lowered.
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{failed to legalize operation 'weft.relu'}}
  %0 = weft.relu %x : tensor<*xf32> -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
