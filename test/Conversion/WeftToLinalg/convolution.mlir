// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// Padding is a tensor.pad with zeros; the bias fills the accumulator along
// the channel axis; a grouped convolution finds its input channel with a
// floordiv; stride and dilation scale the window indices. The loops are
// n, o, then the reductions c, kh, kw, then oh, ow innermost.
// CHECK-LABEL: func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>, %[[B:.*]]: tensor<6xf32>)
func.func @conv2d(%x: tensor<2x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<2x6x2x2xf32> {
  // CHECK: %[[PADDED:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.yield %{{.*}} : f32
  // CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} ins(%[[B]] : tensor<6xf32>)
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 3) * 2 + d2, d5 * 3 + d3 * 2, d6 * 3 + d4 * 2)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel"]}
  // CHECK-SAME: ins(%[[PADDED]], %[[W]] : tensor<2x4x10x10xf32>, tensor<6x2x3x3xf32>) outs(%[[INIT]] : tensor<2x6x2x2xf32>)
  // CHECK: arith.mulf
  // CHECK: arith.addf
  %0 = weft.conv2d %x, %w, %b stride [3, 3] padding [1, 1] dilation [2, 2] groups 2 : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<2x6x2x2xf32>
  return %0 : tensor<2x6x2x2xf32>
}

// Without padding, groups or bias: no pad, and one matrix product (im2col)
// for the whole batch: the windows gathered (rows of 3 pixels: one op over
// all six loops) into [c, kh, kw, n, oh, ow],
// collapsed to [27, 9] (n, oh, ow the columns), multiplied by the weight as
// [2, 27] into zeros; the [O, N, OH, OW] product transposed to the result.
// CHECK-LABEL: func @conv2d_plain
func.func @conv2d_plain(%x: tensor<1x3x5x5xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x3x3xf32> {
  // CHECK-NOT: tensor.pad
  // CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d1 + d4, d2 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>]{{.*}} outs(%{{.*}} : tensor<3x3x3x1x3x3xf32>)
  // CHECK: %[[M:.*]] = tensor.collapse_shape %[[COLS]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<3x3x3x1x3x3xf32> into tensor<27x9xf32>
  // CHECK: %[[WM:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<2x3x3x3xf32> into tensor<2x27xf32>
  // CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<2x9xf32>
  // CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[WM]], %[[M]] : tensor<2x27xf32>, tensor<27x9xf32>) outs(%[[ZEROS]] : tensor<2x9xf32>)
  // CHECK: %[[C:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1, 2, 3]] output_shape [2, 1, 3, 3]
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} ins(%[[C]] : tensor<2x1x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x3xf32>)
  %0 = weft.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x3x5x5xf32>, tensor<2x3x3x3xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// Max pooling pads with -inf and starts from -inf; the window tensor gives
// the loop bounds of the two reduction dimensions.
// CHECK-LABEL: func @max_pool
func.func @max_pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: tensor.pad {{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.yield %[[NEGINF]]
  // CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel", "parallel"]
  // CHECK: arith.maximumf
  %0 = weft.max_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// Average pooling sums, then divides by the window size (padding counts).
// CHECK-LABEL: func @avg_pool
func.func @avg_pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  // CHECK: arith.addf
  // CHECK: %[[COUNT:.*]] = arith.constant 4.000000e+00 : f32
  // CHECK: arith.divf %{{.*}}, %[[COUNT]]
  %0 = weft.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// Adaptive pooling of 5 rows to 3: windows [0, 2), [1, 4), [3, 5).
// CHECK-LABEL: func @adaptive
func.func @adaptive(%x: tensor<1x2x5x4xf32>) -> tensor<1x2x3x1xf32> {
  // CHECK-DAG: arith.constant dense<{{\[\[}}5.000000e-01, 5.000000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.333333343, 0.333333343, 0.333333343, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e-01, 5.000000e-01]]> : tensor<3x5xf32>
  // CHECK-DAG: arith.constant dense<2.500000e-01> : tensor<1x4xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>]
  %0 = weft.adaptive_avg_pool2d %x to [3, 1] : tensor<1x2x5x4xf32> -> tensor<1x2x3x1xf32>
  return %0 : tensor<1x2x3x1xf32>
}

// A kernel of few taps (9) over rows of at least 8 pixels (10) copies its
// windows one tap at a time: from a strided slice of the input (stride 2
// along the width) into the tap's slice of the columns [c, kh, kw, n, oh, ow],
// the channels and the batch swapped, the rows contiguous.
// CHECK-LABEL: func @conv2d_taps
func.func @conv2d_taps(%x: tensor<2x3x12x21xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x10x10xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x3x3x2x10x10xf32>
  // CHECK: %[[WINDOW:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0] [2, 3, 10, 10] [1, 1, 1, 2]
  // CHECK: %[[TAP:.*]] = tensor.extract_slice %[[EMPTY]][0, 0, 0, 0, 0, 0] [3, 1, 1, 2, 10, 10] [1, 1, 1, 1, 1, 1] : tensor<3x3x3x2x10x10xf32> to tensor<3x2x10x10xf32>
  // CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} ins(%[[WINDOW]] : tensor<2x3x10x10xf32>) outs(%[[TAP]] : tensor<3x2x10x10xf32>)
  // CHECK: tensor.insert_slice %[[COPY]] into %[[EMPTY]][0, 0, 0, 0, 0, 0] [3, 1, 1, 2, 10, 10]
  // CHECK: tensor.extract_slice %arg0[0, 0, 0, 1] [2, 3, 10, 10] [1, 1, 1, 2]
  // CHECK-COUNT-7: tensor.insert_slice
  // CHECK: %[[LAST:.*]] = tensor.insert_slice %{{.*}}[0, 2, 2, 0, 0, 0] [3, 1, 1, 2, 10, 10]
  // CHECK: tensor.collapse_shape %[[LAST]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<3x3x3x2x10x10xf32> into tensor<27x200xf32>
  %0 = weft.conv2d %x, %w stride [1, 2] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x3x12x21xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x10x10xf32>
  return %0 : tensor<2x4x10x10xf32>
}

// A transposed convolution (col2im), channel-major as conv2d: the kernel as
// a [O * KH * KW, I] matrix times the input as [I, N * H * W], [64, 49],
// viewed as [O, KH, KW, N, 7, 7]; each of the 16 taps added into a
// [4, 1, 16, 16] buffer at rows and columns 2 * h + kh (in place: the sum is
// computed into the buffer's strided slice); the output cut from it past
// the padding and transposed to [N, O, ...].
// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x: tensor<1x8x7x7xf32>, %w: tensor<8x4x4x4xf32>) -> tensor<1x4x14x14xf32> {
  // CHECK: %[[KERNEL:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3, d0, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} outs(%{{.*}} : tensor<4x4x4x8xf32>)
  // CHECK: %[[MATRIX:.*]] = tensor.collapse_shape %[[KERNEL]] {{\[}}[0, 1, 2], [3]] : tensor<4x4x4x8xf32> into tensor<64x8xf32>
  // CHECK: %[[INPUT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} outs(%{{.*}} : tensor<8x1x7x7xf32>)
  // CHECK: %[[PIXELS:.*]] = tensor.collapse_shape %[[INPUT]] {{\[}}[0], [1, 2, 3]] : tensor<8x1x7x7xf32> into tensor<8x49xf32>
  // CHECK: %[[PRODUCT:.*]] = linalg.generic {{.*}} ins(%[[MATRIX]], %[[PIXELS]] : tensor<64x8xf32>, tensor<8x49xf32>) outs(%{{.*}} : tensor<64x49xf32>)
  // CHECK: %[[COLUMNS:.*]] = tensor.expand_shape %[[PRODUCT]] {{.*}} into tensor<4x4x4x1x7x7xf32>
  // CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<4x1x16x16xf32>
  // CHECK: %[[TAP:.*]] = tensor.extract_slice %[[COLUMNS]][0, 0, 0, 0, 0, 0] [4, 1, 1, 1, 7, 7] [1, 1, 1, 1, 1, 1] : tensor<4x4x4x1x7x7xf32> to tensor<4x1x7x7xf32>
  // CHECK: %[[WINDOW:.*]] = tensor.extract_slice %[[ZEROS]][0, 0, 0, 0] [4, 1, 7, 7] [1, 1, 2, 2]
  // CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[TAP]] : tensor<4x1x7x7xf32>) outs(%[[WINDOW]] : tensor<4x1x7x7xf32>)
  // CHECK: tensor.insert_slice %[[SUM]] into %[[ZEROS]][0, 0, 0, 0] [4, 1, 7, 7] [1, 1, 2, 2]
  // CHECK-COUNT-14: tensor.insert_slice
  // CHECK: %[[LAST:.*]] = tensor.insert_slice %{{.*}}[0, 0, 3, 3] [4, 1, 7, 7] [1, 1, 2, 2]
  // CHECK: %[[CROPPED:.*]] = tensor.extract_slice %[[LAST]][0, 0, 1, 1] [4, 1, 14, 14] [1, 1, 1, 1] : tensor<4x1x16x16xf32> to tensor<4x1x14x14xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>, {{.*}} ins(%[[CROPPED]] : tensor<4x1x14x14xf32>) outs(%{{.*}} : tensor<1x4x14x14xf32>)
  %0 = weft.conv_transpose2d %x, %w stride [2, 2] padding [1, 1] output_padding [0, 0] dilation [1, 1] : tensor<1x8x7x7xf32>, tensor<8x4x4x4xf32> -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}
