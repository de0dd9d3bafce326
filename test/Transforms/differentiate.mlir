// RUN: weft-opt %s --split-input-file --weft-differentiate --canonicalize --verify-diagnostics | FileCheck %s

// The gradient of sum(x * w) with respect to w: the loss's gradient 1,
// stretched over the sum's input, times x (the rule of mul). What the
// gradient of x would be is built and left dead.
// CHECK-LABEL: func.func @mul
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[W:.*]]: tensor<4xf32>)
// CHECK-NOT: weft.gradient
// CHECK: %[[ONE:.*]] = weft.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[ONES:.*]] = weft.broadcast %[[ONE]] to [4]
// CHECK: %[[G:.*]] = weft.mul %[[ONES]], %[[X]]
// CHECK: return %[[G]]
func.func @mul(%x: tensor<4xf32>, %w: tensor<4xf32>) -> tensor<4xf32> {
  %p = weft.mul %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %l = weft.sum %p : tensor<4xf32> -> tensor<f32>
  %g = weft.gradient %l wrt %w : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// A value used twice sums the gradients of its uses; a parameter read by two
// weft.param ops is one variable, whose gradient sums theirs.
// CHECK-LABEL: func.func @uses
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[ONES:.*]] = weft.broadcast
// CHECK: %[[G1:.*]] = weft.mul %[[ONES]], %[[X]]
// CHECK: %[[G:.*]] = weft.add %[[G1]], %[[ONES]]
// CHECK: return %[[G]]
func.func @uses(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w1 = weft.param "w" init normal : tensor<4xf32>
  %w2 = weft.param "w" init normal : tensor<4xf32>
  %p = weft.mul %x, %w1 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %q = weft.add %p, %w2 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %l = weft.sum %q : tensor<4xf32> -> tensor<f32>
  %g = weft.gradient %l wrt %w1 : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

func.func @unused(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %l = weft.sum %x : tensor<4xf32> -> tensor<f32>
  // expected-error @+1 {{the loss does not depend on input 1 (of 1) of 'grad'}}
  %g = weft.gradient %l wrt %y : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// Every weft op on floats has a rule; an op of another dialect (here a call
// that was not inlined) has none.
func.func private @external(tensor<4xf32>) -> tensor<4xf32>

func.func @no_rule(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-note @+1 {{the loss depends on it here}}
  %c = func.call @external(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %l = weft.sum %c : tensor<4xf32> -> tensor<f32>
  // expected-error @+1 {{cannot differentiate 'func.call': it has no gradient rule}}
  %g = weft.gradient %l wrt %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// A detached value is a variable of its own: no gradient flows through it,
// and the pass removes the detach once the gradients are built.
// CHECK-LABEL: func @detached
func.func @detached(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = weft.mul %x, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %d = weft.detach %y : tensor<3xf32>
  %z = weft.mul %d, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %l = weft.sum %z axes [0] : tensor<3xf32> -> tensor<f32>
  // CHECK-NOT: weft.detach
  // The gradient of sum(d * x) with respect to x is d = x * x alone (times
  // the loss's gradient, ones), without the path through d.
  // CHECK: %[[Y:.*]] = weft.mul %arg0, %arg0
  // CHECK: %[[ONES:.*]] = weft.broadcast
  // CHECK-NEXT: %[[G:.*]] = weft.mul %[[ONES]], %[[Y]]
  // CHECK-NEXT: return %[[G]]
  %g = weft.gradient %l wrt %x : tensor<f32>, tensor<3xf32> -> tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// Rules need static shapes: an unranked value is an error, not a crash.
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  %y = weft.exp %x : tensor<*xf32> -> tensor<*xf32>
  // expected-note@+1 {{the loss depends on it here}}
  %l = weft.sum %y axes [0] : tensor<*xf32> -> tensor<*xf32>
  // expected-error@+1 {{cannot differentiate 'weft.sum': its shapes are not known (run weft-shape-inference first)}}
  %g = weft.gradient %l wrt %x : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  return %g : tensor<*xf32>
}
