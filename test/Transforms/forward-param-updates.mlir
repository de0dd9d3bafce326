// RUN: weft-opt %s -split-input-file -verify-diagnostics -weft-forward-param-updates | FileCheck %s
// RUN: weft-opt %s -split-input-file -verify-diagnostics -weft-forward-param-updates -weft-lift-params | FileCheck %s --check-prefix=LIFT

// A read after an update sees the new value, detached (a variable of its
// own for later gradients); a read before it, the old one. Only the last of
// two updates is kept.
// CHECK-LABEL: func @step
// LIFT-LABEL: func @step
// LIFT-SAME: (%[[X:.*]]: tensor<3xf32>, %[[W:.*]]: tensor<3xf32> {weft.param = "w"})
// LIFT-SAME: -> (tensor<3xf32>, tensor<3xf32> {weft.updates = 1 : i64})
func.func @step(%x: tensor<3xf32>) -> tensor<3xf32> {
  // CHECK: %[[W:.*]] = weft.param "w"
  %w = weft.param "w" : tensor<3xf32>
  // CHECK: %[[W1:.*]] = weft.add %[[W]], %{{.*}}
  %w1 = weft.add %w, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  // CHECK-NOT: weft.update_param
  // CHECK: %[[D:.*]] = weft.detach %[[W1]]
  weft.update_param "w", %w1 : tensor<3xf32>
  // CHECK-NOT: weft.param
  %r = weft.param "w" : tensor<3xf32>
  // CHECK: %[[W2:.*]] = weft.mul %[[D]], %[[D]]
  %w2 = weft.mul %r, %r : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  // CHECK: weft.update_param "w", %[[W2]]
  weft.update_param "w", %w2 : tensor<3xf32>
  // CHECK: return %[[D]]
  // LIFT: return %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Another parameter's update does not change the read.
// CHECK-LABEL: func @other
func.func @other(%x: tensor<3xf32>) -> tensor<3xf32> {
  %v = weft.param "v" : tensor<3xf32>
  weft.update_param "v", %x : tensor<3xf32>
  // CHECK: %[[W:.*]] = weft.param "w"
  %w = weft.param "w" : tensor<3xf32>
  // CHECK: return %[[W]]
  return %w : tensor<3xf32>
}

// -----

// A parameter read with another type than it is updated with.
func.func @mismatch(%x: tensor<3xf32>) -> tensor<3xf64> {
  %w = weft.param "w" : tensor<3xf32>
  // expected-error@+1 {{parameter 'w' is updated with f32[3] but read as f64[3]}}
  weft.update_param "w", %x : tensor<3xf32>
  %r = weft.param "w" : tensor<3xf64>
  return %r : tensor<3xf64>
}
