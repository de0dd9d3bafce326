// Verifier errors of every weft op.
// RUN: weft-opt %s -split-input-file -verify-diagnostics

func.func @param_dynamic() -> tensor<?x3xf32> {
  // expected-error @+1 {{parameter 'w' must have a static shape, got f32[?, 3]}}
  %0 = weft.param "w" : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

func.func @param_fan_in() -> tensor<3xf32> {
  // expected-error @+1 {{fan_in must be positive, got 0}}
  %0 = weft.param "w" init uniform fan_in 0 : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @param_uniform_without_fan_in() -> tensor<3xf32> {
  // expected-error @+1 {{fan_in is given exactly when init is uniform}}
  %0 = weft.param "w" init uniform : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @param_name() -> tensor<3xf32> {
  // expected-error @+1 {{parameter name must not be empty}}
  %0 = weft.param "" : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @constant_type() -> tensor<2xf32> {
  // expected-error @+1 {{failed to verify that all of {value, result} have same type}}
  %0 = "weft.constant"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @cast_incompatible(%x: tensor<4x8xf32>) -> tensor<4x9xf32> {
  // expected-error @+1 {{operand type 'tensor<4x8xf32>' and result type 'tensor<4x9xf32>' are cast incompatible}}
  %0 = weft.cast %x : tensor<4x8xf32> to tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

func.func @unary_result(%x: tensor<4x8xf32>) -> tensor<4x9xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4x8xf32>' are incompatible with return type(s) of operation 'tensor<4x9xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.relu %x : tensor<4x8xf32> -> tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

func.func @broadcast_fail(%a: tensor<4x8xf32>, %b: tensor<3x8xf32>) {
  // expected-error @+2 {{shapes f32[4, 8] and f32[3, 8] cannot be broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.add %a, %b : tensor<4x8xf32>, tensor<3x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @dtype_mismatch(%a: tensor<4xf32>, %b: tensor<4xf64>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = weft.mul %a, %b : tensor<4xf32>, tensor<4xf64> -> tensor<4xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+2 {{matmul needs two matrices, got f32[4] and f32[4, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.matmul %a, %b : tensor<4xf32>, tensor<4x2xf32> -> tensor<*xf32>
  return
}

// -----

func.func @matmul_inner(%a: tensor<3x4xf32>, %b: tensor<5x2xf32>) {
  // expected-error @+2 {{matmul inner dimensions differ: f32[3, 4] and f32[5, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.matmul %a, %b : tensor<3x4xf32>, tensor<5x2xf32> -> tensor<*xf32>
  return
}

// -----

func.func @linear_weight(%x: tensor<3x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{linear weight must be a matrix, got f32[4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.linear %x, %w : tensor<3x4xf32>, tensor<4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @linear_features(%x: tensor<3x4xf32>, %w: tensor<2x5xf32>) {
  // expected-error @+2 {{linear expects input features 5, got f32[3, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.linear %x, %w : tensor<3x4xf32>, tensor<2x5xf32> -> tensor<*xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<3x4xf32>, %w: tensor<2x4xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{linear bias f32[3] does not match weight f32[2, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.linear %x, %w, %b : tensor<3x4xf32>, tensor<2x4xf32>, tensor<3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @reduction_axes(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{reduction axes [2] are invalid for f32[3, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.sum %x axes [2] : tensor<3x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @reduction_repeated(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{reduction axes [1, -1] are invalid for f32[3, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.max %x axes [1, -1] : tensor<3x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @broadcast_to(%x: tensor<3xf32>) {
  // expected-error @+2 {{cannot broadcast f32[3] to [4, 5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.broadcast %x to [4, 5] : tensor<3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{cannot reshape f32[3, 4] (12 elements) to [5, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.reshape %x to [5, 2] : tensor<3x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @reshape_two_inferred(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{reshape target [-1, -1] may hold a single -1 and no other negative size}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.reshape %x to [-1, -1] : tensor<3x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{permutation [0, 0] is invalid for f32[3, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.transpose %x [0, 0] : tensor<3x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @neg_result(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.neg %x : tensor<4xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @sigmoid_result(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.sigmoid %x : tensor<4xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @tanh_result(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.tanh %x : tensor<4xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @exp_result(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.exp %x : tensor<4xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @log_result(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.log %x : tensor<4xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @sub_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{shapes f32[2, 3] and f32[2] cannot be broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.sub %a, %b : tensor<2x3xf32>, tensor<2xf32> -> tensor<*xf32>
  return
}

// -----

func.func @div_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{shapes f32[2, 3] and f32[2] cannot be broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.div %a, %b : tensor<2x3xf32>, tensor<2xf32> -> tensor<*xf32>
  return
}

// -----

func.func @pow_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{shapes f32[2, 3] and f32[2] cannot be broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.pow %a, %b : tensor<2x3xf32>, tensor<2xf32> -> tensor<*xf32>
  return
}

// -----

func.func @mean_axes(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{reduction axes [-3] are invalid for f32[3, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.mean %x axes [-3] : tensor<3x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @sum_keepdim_result(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<3x1xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.sum %x axes [1] keepdim : tensor<3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
