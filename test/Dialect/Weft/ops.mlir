// Every weft op prints and parses back to itself.
// RUN: weft-opt %s | weft-opt | FileCheck %s

// CHECK-LABEL: func @values
func.func @values() -> (tensor<2x3xf32>, tensor<f32>, tensor<4xf64>) {
  // CHECK: weft.param "fc.weight" init uniform fan_in 3 : tensor<2x3xf32>
  %0 = weft.param "fc.weight" init uniform fan_in 3 : tensor<2x3xf32>
  // CHECK: weft.constant dense<5.000000e-01> : tensor<f32>
  %1 = weft.constant dense<0.5> : tensor<f32>
  // CHECK: weft.param "w" : tensor<4xf64>
  %2 = weft.param "w" init normal : tensor<4xf64>
  // CHECK: weft.param "bn.weight" init ones : tensor<3xf32>
  %3 = weft.param "bn.weight" init ones : tensor<3xf32>
  // CHECK: weft.param "bn.running_mean" init zeros : tensor<3xf32>
  %4 = weft.param "bn.running_mean" init zeros : tensor<3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<f32>, tensor<4xf64>
}

// CHECK-LABEL: func @elementwise
func.func @elementwise(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: weft.neg %{{.*}} : tensor<4x8xf32> -> tensor<4x8xf32>
  %0 = weft.neg %a : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.relu
  %1 = weft.relu %0 : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.sigmoid
  %2 = weft.sigmoid %1 : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.tanh
  %3 = weft.tanh %2 : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.exp
  %4 = weft.exp %3 : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.log
  %5 = weft.log %4 : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.add %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %6 = weft.add %5, %b : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  // CHECK: weft.sub
  %7 = weft.sub %6, %b : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  // CHECK: weft.mul
  %8 = weft.mul %b, %7 : tensor<8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.div
  %9 = weft.div %8, %8 : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK: weft.pow
  %10 = weft.pow %9, %b : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return %10 : tensor<4x8xf32>
}

// CHECK-LABEL: func @contractions
func.func @contractions(%x: tensor<4x8xf32>, %m: tensor<8x3xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>, %x3: tensor<2x4x8xf32>)
    -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<2x4x3xf32>) {
  // CHECK: weft.matmul %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  %0 = weft.matmul %x, %m : tensor<4x8xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  // CHECK: weft.linear %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %1 = weft.linear %x, %w, %b : tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<4x3xf32>
  // CHECK: weft.linear %{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<3x8xf32> -> tensor<2x4x3xf32>
  %2 = weft.linear %x3, %w : tensor<2x4x8xf32>, tensor<3x8xf32> -> tensor<2x4x3xf32>
  return %0, %1, %2 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<2x4x3xf32>
}

// CHECK-LABEL: func @reductions
func.func @reductions(%x: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4x1xf32>, tensor<f32>) {
  // CHECK: weft.sum %{{.*}} axes [1] : tensor<4x8xf32> -> tensor<4xf32>
  %0 = weft.sum %x axes [1] : tensor<4x8xf32> -> tensor<4xf32>
  // CHECK: weft.mean %{{.*}} axes [-1] keepdim : tensor<4x8xf32> -> tensor<4x1xf32>
  %1 = weft.mean %x axes [-1] keepdim : tensor<4x8xf32> -> tensor<4x1xf32>
  // CHECK: weft.max %{{.*}} : tensor<4x8xf32> -> tensor<f32>
  %2 = weft.max %x : tensor<4x8xf32> -> tensor<f32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4x1xf32>, tensor<f32>
}

// CHECK-LABEL: func @shapes
func.func @shapes(%x: tensor<8xf32>, %y: tensor<4x2x3xf32>, %u: tensor<*xf32>)
    -> (tensor<4x8xf32>, tensor<4x6xf32>, tensor<3x2x4xf32>, tensor<4x2x3xf32>) {
  // CHECK: weft.broadcast %{{.*}} to [4, 8] : tensor<8xf32> -> tensor<4x8xf32>
  %0 = weft.broadcast %x to [4, 8] : tensor<8xf32> -> tensor<4x8xf32>
  // CHECK: weft.reshape %{{.*}} to [4, -1] : tensor<4x2x3xf32> -> tensor<4x6xf32>
  %1 = weft.reshape %y to [4, -1] : tensor<4x2x3xf32> -> tensor<4x6xf32>
  // CHECK: weft.transpose %{{.*}} [2, 1, 0] : tensor<4x2x3xf32> -> tensor<3x2x4xf32>
  %2 = weft.transpose %y [2, 1, 0] : tensor<4x2x3xf32> -> tensor<3x2x4xf32>
  // CHECK: weft.cast %{{.*}} : tensor<*xf32> to tensor<4x2x3xf32>
  %3 = weft.cast %u : tensor<*xf32> to tensor<4x2x3xf32>
  return %0, %1, %2, %3 : tensor<4x8xf32>, tensor<4x6xf32>, tensor<3x2x4xf32>, tensor<4x2x3xf32>
}

// Before shape inference, results may be unranked.
// CHECK-LABEL: func @unranked
func.func @unranked(%x: tensor<*xf32>, %y: tensor<4x8xf32>) -> tensor<*xf32> {
  // CHECK: weft.add %{{.*}}, %{{.*}} : tensor<*xf32>, tensor<4x8xf32> -> tensor<*xf32>
  %0 = weft.add %x, %y : tensor<*xf32>, tensor<4x8xf32> -> tensor<*xf32>
  // CHECK: weft.relu %{{.*}} : tensor<4x8xf32> -> tensor<*xf32>
  %1 = weft.relu %y : tensor<4x8xf32> -> tensor<*xf32>
  %2 = weft.mul %0, %1 : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  return %2 : tensor<*xf32>
}

// CHECK-LABEL: func @cnn
func.func @cnn(%x: tensor<2x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>, %c: tensor<4xf32>)
    -> (tensor<2x6x4x4xf32>, tensor<2x4x4x4xf32>, tensor<2x4x5x5xf32>, tensor<2x4x1x1xf32>, tensor<2x4x8x8xf32>, tensor<2x256xf32>) {
  // CHECK: weft.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [2, 2] padding [1, 1] dilation [1, 1] groups 2 : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<2x6x4x4xf32>
  %0 = weft.conv2d %x, %w, %b stride [2, 2] padding [1, 1] dilation [1, 1] groups 2 : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<2x6x4x4xf32>
  // CHECK: weft.max_pool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32>
  %1 = weft.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32>
  // CHECK: weft.avg_pool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32>
  %2 = weft.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32>
  // CHECK: weft.adaptive_avg_pool2d %{{.*}} to [5, 5] : tensor<2x4x8x8xf32> -> tensor<2x4x5x5xf32>
  %3 = weft.adaptive_avg_pool2d %x to [5, 5] : tensor<2x4x8x8xf32> -> tensor<2x4x5x5xf32>
  // CHECK: weft.adaptive_avg_pool2d %{{.*}} to [1, 1]
  %4 = weft.adaptive_avg_pool2d %x to [1, 1] : tensor<2x4x8x8xf32> -> tensor<2x4x1x1xf32>
  // CHECK: weft.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} eps 1.000000e-05 : tensor<2x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x4x8x8xf32>
  %5 = weft.batch_norm %x, %c, %c, %c, %c eps 1.0e-05 : tensor<2x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x4x8x8xf32>
  // CHECK: weft.flatten %{{.*}} from 1 to -1 : tensor<2x4x8x8xf32> -> tensor<2x256xf32>
  %6 = weft.flatten %x from 1 to -1 : tensor<2x4x8x8xf32> -> tensor<2x256xf32>
  return %0, %1, %3, %4, %5, %6 : tensor<2x6x4x4xf32>, tensor<2x4x4x4xf32>, tensor<2x4x5x5xf32>, tensor<2x4x1x1xf32>, tensor<2x4x8x8xf32>, tensor<2x256xf32>
}

// CHECK-LABEL: func @normalization
func.func @normalization(%x: tensor<4x10xf32>) -> (tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>) {
  // CHECK: weft.softmax %{{.*}} axis -1 : tensor<4x10xf32> -> tensor<4x10xf32>
  %0 = weft.softmax %x axis -1 : tensor<4x10xf32> -> tensor<4x10xf32>
  // CHECK: weft.log_softmax %{{.*}} axis 0 : tensor<4x10xf32> -> tensor<4x10xf32>
  %1 = weft.log_softmax %x axis 0 : tensor<4x10xf32> -> tensor<4x10xf32>
  // CHECK: weft.dropout %{{.*}} p 5.000000e-01 : tensor<4x10xf32> -> tensor<4x10xf32>
  %2 = weft.dropout %x p 0.5 : tensor<4x10xf32> -> tensor<4x10xf32>
  return %0, %1, %2 : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>
}

// CHECK-LABEL: func @attention_ops
func.func @attention_ops(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x16x8xf32>, %m: tensor<16x3xf32>, %a: tensor<8x3xf32>)
    -> (tensor<2x4x8x8xf32>, tensor<2x4x8x3xf32>, tensor<16x3xf32>, tensor<8x3x2xf32>, tensor<8x3xf32>) {
  // CHECK: weft.matmul %{{.*}}, %{{.*}} : tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32> -> tensor<2x4x8x8xf32>
  %0 = weft.matmul %q, %k : tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32> -> tensor<2x4x8x8xf32>
  // CHECK: weft.matmul %{{.*}}, %{{.*}} : tensor<2x4x8x16xf32>, tensor<16x3xf32> -> tensor<2x4x8x3xf32>
  %1 = weft.matmul %q, %m : tensor<2x4x8x16xf32>, tensor<16x3xf32> -> tensor<2x4x8x3xf32>
  // CHECK: weft.concat %{{.*}}, %{{.*}} axis 0 : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<16x3xf32>
  %2 = weft.concat %a, %a axis 0 : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<16x3xf32>
  // CHECK: weft.stack %{{.*}}, %{{.*}} axis -1 : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<8x3x2xf32>
  %3 = weft.stack %a, %a axis -1 : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<8x3x2xf32>
  // CHECK: weft.sin
  %4 = weft.sin %a : tensor<8x3xf32> -> tensor<8x3xf32>
  // CHECK: weft.cos
  %5 = weft.cos %4 : tensor<8x3xf32> -> tensor<8x3xf32>
  // CHECK: weft.sqrt
  %6 = weft.sqrt %5 : tensor<8x3xf32> -> tensor<8x3xf32>
  return %0, %1, %2, %3, %6 : tensor<2x4x8x8xf32>, tensor<2x4x8x3xf32>, tensor<16x3xf32>, tensor<8x3x2xf32>, tensor<8x3xf32>
}

// CHECK-LABEL: func @transformer_ops
func.func @transformer_ops(%x: tensor<2x4x16xf32>, %w: tensor<4x16xf32>) -> tensor<2x4x16xf32> {
  // CHECK: weft.gelu %{{.*}} : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  %0 = weft.gelu %x : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  // CHECK: weft.silu
  %1 = weft.silu %0 : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  // CHECK: weft.layer_norm %{{.*}}, %{{.*}}, %{{.*}} dims 2 eps 1.000000e-05 : tensor<2x4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32> -> tensor<2x4x16xf32>
  %2 = weft.layer_norm %1, %w, %w dims 2 eps 1.0e-05 : tensor<2x4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32> -> tensor<2x4x16xf32>
  return %2 : tensor<2x4x16xf32>
}

// CHECK-LABEL: func @embedding
func.func @embedding(%ids: tensor<4x10xi64>, %ids32: tensor<3xi32>, %table: tensor<100x8xf32>) -> (tensor<4x10x8xf32>, tensor<3x8xf32>) {
  // CHECK: weft.embedding %{{.*}}, %{{.*}} : tensor<4x10xi64>, tensor<100x8xf32> -> tensor<4x10x8xf32>
  %0 = weft.embedding %ids, %table : tensor<4x10xi64>, tensor<100x8xf32> -> tensor<4x10x8xf32>
  // CHECK: weft.embedding %{{.*}}, %{{.*}} : tensor<3xi32>, tensor<100x8xf32> -> tensor<3x8xf32>
  %1 = weft.embedding %ids32, %table : tensor<3xi32>, tensor<100x8xf32> -> tensor<3x8xf32>
  return %0, %1 : tensor<4x10x8xf32>, tensor<3x8xf32>
}

// CHECK-LABEL: func @attention
func.func @attention(%q: tensor<2x8x16xf32>, %m: tensor<2x5x16xf32>) -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>) {
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} causal : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  %0 = weft.attention %q, %q, %q causal : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} scale 1.250000e-01 : tensor<2x8x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32> -> tensor<2x8x16xf32>
  %1 = weft.attention %q, %m, %m scale 0.125 : tensor<2x8x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32> -> tensor<2x8x16xf32>
  return %0, %1 : tensor<2x8x16xf32>, tensor<2x8x16xf32>
}

// CHECK-LABEL: func @gan_ops
func.func @gan_ops(%x: tensor<2x8x7x7xf32>, %w: tensor<8x4x4x4xf32>, %b: tensor<4xf32>) -> (tensor<2x4x14x14xf32>, tensor<2x8x7x7xf32>) {
  // CHECK: weft.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} stride [2, 2] padding [1, 1] output_padding [0, 0] dilation [1, 1] : tensor<2x8x7x7xf32>, tensor<8x4x4x4xf32>, tensor<4xf32> -> tensor<2x4x14x14xf32>
  %0 = weft.conv_transpose2d %x, %w, %b stride [2, 2] padding [1, 1] output_padding [0, 0] dilation [1, 1] : tensor<2x8x7x7xf32>, tensor<8x4x4x4xf32>, tensor<4xf32> -> tensor<2x4x14x14xf32>
  // CHECK: weft.maximum
  %1 = weft.maximum %x, %x : tensor<2x8x7x7xf32>, tensor<2x8x7x7xf32> -> tensor<2x8x7x7xf32>
  // CHECK: weft.minimum
  %2 = weft.minimum %1, %x : tensor<2x8x7x7xf32>, tensor<2x8x7x7xf32> -> tensor<2x8x7x7xf32>
  return %0, %2 : tensor<2x4x14x14xf32>, tensor<2x8x7x7xf32>
}

// CHECK-LABEL: func @slices
func.func @slices(%x: tensor<4x8xf32>) -> (tensor<4x3xf32>, tensor<4xf32>) {
  // CHECK: weft.slice %{{.*}} axis 1 from 2 to 5 : tensor<4x8xf32> -> tensor<4x3xf32>
  %0 = weft.slice %x axis 1 from 2 to 5 : tensor<4x8xf32> -> tensor<4x3xf32>
  // CHECK: weft.slice %{{.*}} axis -1 from 3 to 4 drop : tensor<4x8xf32> -> tensor<4xf32>
  %1 = weft.slice %x axis -1 from 3 to 4 drop : tensor<4x8xf32> -> tensor<4xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4xf32>
}

// CHECK-LABEL: func @decode_ops
func.func @decode_ops(%logits: tensor<4x10xf32>, %x: tensor<1x2x3x3xf32>) -> (tensor<4xi64>, tensor<1x2x6x9xf32>) {
  // CHECK: weft.argmax %{{.*}} axis -1 : tensor<4x10xf32> -> tensor<4xi64>
  %0 = weft.argmax %logits axis -1 : tensor<4x10xf32> -> tensor<4xi64>
  // CHECK: weft.upsample_nearest %{{.*}} scale [2, 3] : tensor<1x2x3x3xf32> -> tensor<1x2x6x9xf32>
  %1 = weft.upsample_nearest %x scale [2, 3] : tensor<1x2x3x3xf32> -> tensor<1x2x6x9xf32>
  return %0, %1 : tensor<4xi64>, tensor<1x2x6x9xf32>
}

// CHECK-LABEL: func @masks
func.func @masks(%ids: tensor<4x10xi64>, %pad: tensor<i64>, %x: tensor<4x10xf32>) -> (tensor<4x10xf32>, tensor<4x10xi64>, tensor<4x10xf32>) {
  // CHECK: weft.compare ne, %{{.*}}, %{{.*}} : tensor<4x10xi64>, tensor<i64> -> tensor<4x10xi1>
  %m = weft.compare ne, %ids, %pad : tensor<4x10xi64>, tensor<i64> -> tensor<4x10xi1>
  // CHECK: weft.where %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x10xi1>, tensor<4x10xf32>, tensor<4x10xf32> -> tensor<4x10xf32>
  %w = weft.where %m, %x, %x : tensor<4x10xi1>, tensor<4x10xf32>, tensor<4x10xf32> -> tensor<4x10xf32>
  // CHECK: weft.floor_div %{{.*}}, %{{.*}} : tensor<4x10xi64>, tensor<i64> -> tensor<4x10xi64>
  %q = weft.floor_div %ids, %pad : tensor<4x10xi64>, tensor<i64> -> tensor<4x10xi64>
  // CHECK: weft.rem %{{.*}}, %{{.*}} : tensor<4x10xi64>, tensor<4x10xi64> -> tensor<4x10xi64>
  %r = weft.rem %q, %ids : tensor<4x10xi64>, tensor<4x10xi64> -> tensor<4x10xi64>
  // CHECK: weft.convert %{{.*}} : tensor<4x10xi1> -> tensor<4x10xf32>
  %f = weft.convert %m : tensor<4x10xi1> -> tensor<4x10xf32>
  return %w, %r, %f : tensor<4x10xf32>, tensor<4x10xi64>, tensor<4x10xf32>
}

// CHECK-LABEL: func @indexing
func.func @indexing(%x: tensor<4x10xf32>, %i: tensor<4x3xi64>, %v: tensor<3xi64>, %h: tensor<4xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xi64>, tensor<4x10xf32>, tensor<4x10xf32>) {
  // CHECK: weft.gather %{{.*}} axis 1, %{{.*}} : tensor<4x10xf32>, tensor<4x3xi64> -> tensor<4x3xf32>
  %0 = weft.gather %x axis 1, %i : tensor<4x10xf32>, tensor<4x3xi64> -> tensor<4x3xf32>
  // CHECK: weft.index_select %{{.*}} axis -1, %{{.*}} : tensor<4x10xf32>, tensor<3xi64> -> tensor<4x3xf32>
  %1 = weft.index_select %x axis -1, %v : tensor<4x10xf32>, tensor<3xi64> -> tensor<4x3xf32>
  // CHECK: weft.topk %{{.*}} k 3 axis 1 : tensor<4x10xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  %2:2 = weft.topk %x k 3 axis 1 : tensor<4x10xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  // CHECK: weft.cumsum %{{.*}} axis 1 : tensor<4x10xf32> -> tensor<4x10xf32>
  %3 = weft.cumsum %x axis 1 : tensor<4x10xf32> -> tensor<4x10xf32>
  // CHECK: weft.cumprod %{{.*}} axis 0 : tensor<4x10xf32> -> tensor<4x10xf32>
  %4 = weft.cumprod %3 axis 0 : tensor<4x10xf32> -> tensor<4x10xf32>
  // CHECK: weft.select_scatter %{{.*}}, %{{.*}} axis 1 index 9 : tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  %5 = weft.select_scatter %4, %h axis 1 index 9 : tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  return %0, %1, %2#1, %3, %5 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xi64>, tensor<4x10xf32>, tensor<4x10xf32>
}

// CHECK-LABEL: func @random
func.func @random() -> (tensor<16x2xf32>, tensor<3xf64>) {
  // CHECK: weft.random normal seed 0 key 7 : tensor<16x2xf32>
  %0 = weft.random normal seed 0 key 7 : tensor<16x2xf32>
  // CHECK: weft.random uniform seed 5 key 1 : tensor<3xf64>
  %1 = weft.random uniform seed 5 key 1 : tensor<3xf64>
  return %0, %1 : tensor<16x2xf32>, tensor<3xf64>
}

// A seed read at run time; its type is printed only when it is not
// tensor<i64>.
// CHECK-LABEL: func @random_seed_operand
func.func @random_seed_operand(%s: tensor<i64>, %u: tensor<*xi64>) -> (tensor<8xf32>, tensor<2xf32>) {
  // CHECK: weft.random normal seed %arg0 key 7 : tensor<8xf32>
  %0 = weft.random normal seed %s key 7 : tensor<8xf32>
  // CHECK: weft.random uniform seed %arg1 : tensor<*xi64> key 0 : tensor<2xf32>
  %1 = weft.random uniform seed %u : tensor<*xi64> key 0 : tensor<2xf32>
  return %0, %1 : tensor<8xf32>, tensor<2xf32>
}

// CHECK-LABEL: func @triangles
func.func @triangles(%x: tensor<2x4x4xf32>, %m: tensor<3x5xi1>) -> (tensor<2x4x4xf32>, tensor<3x5xi1>) {
  // CHECK: weft.triu %{{.*}} diagonal 1 : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  %0 = weft.triu %x diagonal 1 : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  // CHECK: weft.tril %{{.*}} diagonal -1 : tensor<3x5xi1> -> tensor<3x5xi1>
  %1 = weft.tril %m diagonal -1 : tensor<3x5xi1> -> tensor<3x5xi1>
  return %0, %1 : tensor<2x4x4xf32>, tensor<3x5xi1>
}

// CHECK-LABEL: func @linspace
func.func @linspace() -> (tensor<5xf32>, tensor<1xf64>) {
  // CHECK: weft.linspace 0.000000e+00 to 1.000000e+00 : tensor<5xf32>
  %0 = weft.linspace 0.0 to 1.0 : tensor<5xf32>
  // CHECK: weft.linspace -2.500000e+00 to 3.000000e+00 : tensor<1xf64>
  %1 = weft.linspace -2.5 to 3.0 : tensor<1xf64>
  return %0, %1 : tensor<5xf32>, tensor<1xf64>
}

// CHECK-LABEL: func @masked_attention
func.func @masked_attention(%q: tensor<2x4x8x16xf32>, %m: tensor<2x1x1x8xi1>) -> tensor<2x4x8x16xf32> {
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} : tensor<2x1x1x8xi1> causal : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>
  %0 = weft.attention %q, %q, %q mask %m : tensor<2x1x1x8xi1> causal : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>
  return %0 : tensor<2x4x8x16xf32>
}

// CHECK-LABEL: func @fused
// CHECK: %[[G:.*]] = weft.fused epilogue(%arg0, %arg1) : (tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<4x3xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<3x8xf32>):
// CHECK-NEXT: %[[L:.*]] = weft.linear %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = weft.relu %[[L]]
// CHECK-NEXT: weft.yield %[[R]] : tensor<4x3xf32>
func.func @fused(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>) -> tensor<4x3xf32> {
  %0 = weft.fused epilogue(%x, %w) : (tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<4x3xf32> {
  ^bb0(%a: tensor<4x8xf32>, %b: tensor<3x8xf32>):
    %1 = weft.linear %a, %b : tensor<4x8xf32>, tensor<3x8xf32> -> tensor<4x3xf32>
    %2 = weft.relu %1 : tensor<4x3xf32> -> tensor<4x3xf32>
    weft.yield %2 : tensor<4x3xf32>
  }
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func @gradients
func.func @gradients(%x: tensor<4x10xf32>, %i: tensor<4x3xi64>, %s: tensor<4x3xf32>) -> (tensor<4x10xf32>, tensor<4x10xf32>) {
  // CHECK: weft.scatter_add %{{.*}} axis 1, %{{.*}}, %{{.*}} : tensor<4x10xf32>, tensor<4x3xi64>, tensor<4x3xf32> -> tensor<4x10xf32>
  %0 = weft.scatter_add %x axis 1, %i, %s : tensor<4x10xf32>, tensor<4x3xi64>, tensor<4x3xf32> -> tensor<4x10xf32>
  %l = weft.sum %0 : tensor<4x10xf32> -> tensor<f32>
  // CHECK: weft.gradient %{{.*}} wrt %{{.*}} : tensor<f32>, tensor<4x10xf32> -> tensor<4x10xf32>
  %1 = weft.gradient %l wrt %x : tensor<f32>, tensor<4x10xf32> -> tensor<4x10xf32>
  return %0, %1 : tensor<4x10xf32>, tensor<4x10xf32>
}
