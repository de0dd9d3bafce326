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
  // expected-error @+2 {{matmul needs tensors of rank 2 or more, got f32[4] and f32[4, 2]}}
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

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) {
  // expected-error @+2 {{conv2d weight f32[6, 3, 3, 3] does not fit input f32[1, 4, 8, 8] with 1 group(s)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x4x8x8xf32>, tensor<6x3x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{conv2d groups must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 0 : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{conv2d needs input [N, C, H, W] and weight [O, C/groups, KH, KW], got f32[4, 8, 8] and f32[6, 4, 3, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<4x8x8xf32>, tensor<6x4x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_stride(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{conv2d stride must be two integers of at least 1, got [0, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv2d %x, %w stride [0, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x4x2x2xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{conv2d window [3, 3] does not fit f32[1, 4, 2, 2] with padding [0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x4x2x2xf32>, tensor<6x4x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+2 {{conv2d bias f32[5] does not match weight f32[6, 4, 3, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv2d %x, %w, %b stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<5xf32> -> tensor<*xf32>
  return
}

// -----

func.func @max_pool_padding(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{pooling padding [2, 2] must be at most half the kernel [2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.max_pool2d %x kernel [2, 2] stride [2, 2] padding [2, 2] : tensor<1x4x8x8xf32> -> tensor<*xf32>
  return
}

// -----

func.func @avg_pool_rank(%x: tensor<4x8x8xf32>) {
  // expected-error @+2 {{pooling needs [N, C, H, W] input, got f32[4, 8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<4x8x8xf32> -> tensor<*xf32>
  return
}

// -----

func.func @adaptive_size(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{adaptive pooling size must be two positive integers, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.adaptive_avg_pool2d %x to [0, 2] : tensor<1x4x8x8xf32> -> tensor<*xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<2x4xf32>, %s: tensor<3xf32>) {
  // expected-error @+2 {{batch_norm statistics f32[3] do not match the channels of f32[2, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.batch_norm %x, %s, %s, %s, %s eps 1.0e-05 : tensor<2x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %s: tensor<4xf32>) {
  // expected-error @+2 {{batch_norm needs [N, C, ...] input, got f32[4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.batch_norm %x, %s, %s, %s, %s eps 1.0e-05 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{axis 2 is invalid for f32[2, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.softmax %x axis 2 : tensor<2x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{axis -3 is invalid for f32[2, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.log_softmax %x axis -3 : tensor<2x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @flatten_axes(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{flatten axes 1 to 0 are invalid for f32[2, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.flatten %x from 1 to 0 : tensor<2x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @dropout_probability(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{probability must be in [0, 1], got 1.5}}
  %0 = weft.dropout %x p 1.5 : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A window wider than the padded input fits nowhere.
func.func @pool_window(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{pooling window [5, 5] does not fit f32[1, 1, 2, 2] with padding [0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.max_pool2d %x kernel [5, 5] stride [5, 5] padding [0, 0] : tensor<1x1x2x2xf32> -> tensor<*xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+2 {{matmul batch dimensions of f32[2, 3, 4] and f32[3, 4, 5] cannot be broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.matmul %a, %b : tensor<2x3x4xf32>, tensor<3x4x5xf32> -> tensor<*xf32>
  return
}

// -----

func.func @concat_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+2 {{concat inputs f32[2, 3] and f32[3, 3] do not fit together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.concat %a, %b axis 1 : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @stack_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{stack inputs f32[2, 3] and f32[2, 4] do not fit together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.stack %a, %b axis 0 : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<*xf32>
  return
}

// -----

func.func @stack_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{stack axis 3 is invalid for f32[2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.stack %a axis 3 : tensor<2x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @layer_norm_shape(%x: tensor<2x4x16xf32>, %w: tensor<16xf32>) {
  // expected-error @+2 {{layer_norm parameter f32[16] does not match the normalized shape f32[4, 16]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.layer_norm %x, %w, %w dims 2 eps 1.0e-05 : tensor<2x4x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<*xf32>
  return
}

// -----

func.func @layer_norm_dims(%x: tensor<16xf32>, %w: tensor<16xf32>) {
  // expected-error @+2 {{layer_norm over 2 dimensions is invalid for f32[16]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.layer_norm %x, %w, %w dims 2 eps 1.0e-05 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<*xf32>
  return
}

// -----

func.func @embedding_table(%ids: tensor<4xi64>, %table: tensor<100xf32>) {
  // expected-error @+2 {{embedding table must be [V, D], got f32[100]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.embedding %ids, %table : tensor<4xi64>, tensor<100xf32> -> tensor<*xf32>
  return
}

// -----

func.func @embedding_float_indices(%ids: tensor<4xf32>, %table: tensor<100x8xf32>) {
  // expected-error @+1 {{operand #0 must be tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = weft.embedding %ids, %table : tensor<4xf32>, tensor<100x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @relu_integer(%x: tensor<4xi64>) {
  // expected-error @+1 {{operand #0 must be tensor of 32-bit float or 64-bit float values}}
  %0 = weft.relu %x : tensor<4xi64> -> tensor<4xi64>
  return
}

// -----

func.func @attention_shapes(%q: tensor<2x8x16xf32>, %k: tensor<2x8x8xf32>) {
  // expected-error @+2 {{attention needs query [..., Tq, D], key [..., Tk, D] and value [..., Tk, Dv] with the same leading dimensions, got f32[2, 8, 16], f32[2, 8, 8] and f32[2, 8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.attention %q, %k, %k : tensor<2x8x16xf32>, tensor<2x8x8xf32>, tensor<2x8x8xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x8x7x7xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+2 {{conv_transpose2d weight f32[4, 4, 3, 3] does not fit input f32[1, 8, 7, 7]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv_transpose2d %x, %w stride [1, 1] padding [0, 0] output_padding [0, 0] dilation [1, 1] : tensor<1x8x7x7xf32>, tensor<4x4x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x8x7x7xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{conv_transpose2d output_padding [2, 2] must be smaller than the stride or the dilation}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.conv_transpose2d %x, %w stride [2, 2] padding [0, 0] output_padding [2, 2] dilation [1, 1] : tensor<1x8x7x7xf32>, tensor<8x4x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @slice_range(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{slice 6 to 9 of axis 1 is out of range for f32[4, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.slice %x axis 1 from 6 to 9 : tensor<4x8xf32> -> tensor<*xf32>
  return
}

// -----

func.func @slice_drop(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{slice 2 to 4 of axis 0 is out of range for f32[4, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.slice %x axis 0 from 2 to 4 drop : tensor<4x8xf32> -> tensor<*xf32>
  return
}

// -----

func.func @argmax_axis(%x: tensor<4x10xf32>) {
  // expected-error @+2 {{argmax axis 2 is invalid for f32[4, 10]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.argmax %x axis 2 : tensor<4x10xf32> -> tensor<*xi64>
  return
}

// -----

func.func @upsample_scale(%x: tensor<1x2x3x3xf32>) {
  // expected-error @+2 {{upsample scale must be two integers of at least 1, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.upsample_nearest %x scale [0, 2] : tensor<1x2x3x3xf32> -> tensor<*xf32>
  return
}

// -----

func.func @compare_dtypes(%a: tensor<4xf32>, %b: tensor<4xi64>) {
  // expected-error @+2 {{dtype mismatch in elementwise operation: f32[4] and i64[4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.compare eq, %a, %b : tensor<4xf32>, tensor<4xi64> -> tensor<4xi1>
  return
}

// -----

func.func @where_shapes(%m: tensor<3xi1>, %x: tensor<4xf32>) {
  // expected-error @+2 {{shapes f32[3] and f32[4] cannot be broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.where %m, %x, %x : tensor<3xi1>, tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @convert_shape(%x: tensor<4xi64>) {
  // expected-error @+1 {{changes the shape from i64[4] to f32[5]}}
  %0 = weft.convert %x : tensor<4xi64> -> tensor<5xf32>
  return
}

// -----

func.func @gather_index_shape(%x: tensor<4x10xf32>, %i: tensor<3x3xi64>) {
  // expected-error @+2 {{gather index i64[3, 3] must match f32[4, 10] on every axis but 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.gather %x axis 1, %i : tensor<4x10xf32>, tensor<3x3xi64> -> tensor<3x3xf32>
  return
}

// -----

func.func @index_select_rank(%x: tensor<4x10xf32>, %i: tensor<2x2xi64>) {
  // expected-error @+2 {{index_select takes a vector of indices, got i64[2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.index_select %x axis 1, %i : tensor<4x10xf32>, tensor<2x2xi64> -> tensor<*xf32>
  return
}

// -----

func.func @topk_k(%x: tensor<4x10xf32>) {
  // expected-error @+2 {{topk needs k >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = weft.topk %x k 0 axis 1 : tensor<4x10xf32> -> tensor<4x0xf32>, tensor<4x0xi64>
  return
}

// -----

func.func @select_scatter_index(%x: tensor<4x10xf32>, %h: tensor<4xf32>) {
  // expected-error @+2 {{select_scatter index 10 is outside [0, 10) along axis 1 of f32[4, 10]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.select_scatter %x, %h axis 1 index 10 : tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @random_shape() {
  // expected-error @+1 {{needs a static shape, got f32[?]}}
  %0 = weft.random normal seed 0 key 0 : tensor<?xf32>
  return
}

// -----

func.func @random_seed_shape(%s: tensor<2xi64>) {
  // expected-error @+1 {{takes a scalar seed, got i64[2]}}
  %0 = weft.random normal seed %s : tensor<2xi64> key 0 : tensor<4xf32>
  return
}

// -----

func.func @triu_rank(%x: tensor<4xf32>) {
  // expected-error @+2 {{'triu' needs a tensor of rank 2 or more, got f32[4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.triu %x diagonal 0 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @linspace_size() {
  // expected-error @+1 {{needs a static size of at least 1, got f32[?]}}
  %0 = weft.linspace 0.0 to 1.0 : tensor<?xf32>
  return
}

// -----

func.func @fused_arguments(%x: tensor<4xf32>) {
  // expected-error @+1 {{block arguments must have the types of the inputs}}
  %0 = weft.fused elementwise(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<8xf32>):
    weft.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @fused_results(%x: tensor<4xf32>) {
  // expected-error @+1 {{yields 1 values whose types differ from the results}}
  %0 = weft.fused elementwise(%x) : (tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<4xf32>):
    weft.yield %a : tensor<4xf32>
  }
  return
}

// -----

func.func @fused_isolated(%x: tensor<4xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = weft.fused elementwise() : () -> tensor<4xf32> {
    // expected-error @+1 {{using value defined outside the region}}
    %1 = weft.relu %x : tensor<4xf32> -> tensor<4xf32>
    weft.yield %1 : tensor<4xf32>
  }
  return
}

// -----

func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects parent op 'weft.fused'}}
  weft.yield %x : tensor<4xf32>
}

// -----

func.func @scatter_add_shapes(%x: tensor<4x10xf32>, %i: tensor<4x3xi64>, %s: tensor<4x2xf32>) {
  // expected-error @+2 {{scatter_add index i64[4, 3] and src f32[4, 2] must have one shape, f32[4, 10]'s on every axis but 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.scatter_add %x axis 1, %i, %s : tensor<4x10xf32>, tensor<4x3xi64>, tensor<4x2xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @gradient_not_scalar(%x: tensor<4xf32>) {
  // expected-error @+2 {{'grad' differentiates a scalar loss, but the loss is f32[4] (reduce it first, with sum or mean)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = weft.gradient %x wrt %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return
}
