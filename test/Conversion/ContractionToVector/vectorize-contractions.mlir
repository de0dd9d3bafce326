// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(convert-weft-to-linalg,func.func(weft-vectorize-contractions{min-parallel-work=0}),canonicalize,cse)' | FileCheck %s

// A 64x32 by 32x128 product: the right operand, viewed as [32, 2, 64], is
// packed into two panels of 64 columns, [2, 32, 64] (a permutation), and the product is computed into the result
// viewed as [64, 2, 64]. The panels are split over threads (scf.forall); in
// a panel, row tiles of 4 and reduction steps of 8, the 4x64 accumulator
// carried in registers through the k loop, and per k step 8 x 4 fused
// multiply-adds of a broadcast element with a row of the panel.
// CHECK: #[[PACK:.*]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %arg1 {{\[}}[0], [1, 2]] output_shape [32, 2, 64]
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[PACK]], {{.*}}]{{.*}} ins(%[[SPLIT]] : tensor<32x2x64xf32>) outs(%{{.*}} : tensor<2x32x64xf32>)
// CHECK: tensor.expand_shape {{.*}} : tensor<64x128xf32> into tensor<64x2x64xf32>
// CHECK: scf.forall (%[[N:.*]]) in (2) shared_outs(
// CHECK: tensor.extract_slice %[[P]][%[[N]], 0, 0] [1, 32, 64]
// CHECK: scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %c4 iter_args(
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x1x64xf32>, vector<4x1x64xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8 iter_args(%{{.*}} = %[[ACC]]) -> (vector<4x1x64xf32>)
// CHECK: vector.transfer_read {{.*}} : tensor<4x8xf32>, vector<4x8xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<1x8x64xf32>, vector<8x64xf32>
// CHECK-COUNT-32: vector.fma {{.*}} : vector<64xf32>
// CHECK: scf.yield {{.*}} : vector<4x1x64xf32>
// CHECK: vector.transfer_write {{.*}} : vector<4x1x64xf32>, tensor<4x1x64xf32>
// CHECK: tensor.parallel_insert_slice
// CHECK: tensor.collapse_shape {{.*}} : tensor<64x2x64xf32> into tensor<64x128xf32>
func.func @matmul(%a: tensor<64x32xf32>, %b: tensor<32x128xf32>) -> tensor<64x128xf32> {
  %0 = weft.matmul %a, %b : tensor<64x32xf32>, tensor<32x128xf32> -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

// A batched product (attention's scores per head) is split over the batch;
// a linear on [1, 4, 32] tiles its rows by 4 after dropping the unit
// dimension; sizes that 4, 64 or 8 do not divide take the largest divisor
// (here 3 rows, 10 columns, 5 steps). None has the 16 rows from which the
// right operand is packed: its transpose is read in place.
// CHECK-LABEL: func.func @shapes
// CHECK-NOT: linalg.generic
// CHECK: scf.forall (%{{.*}}) in (6)
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK: linalg.transpose
// CHECK: scf.forall (%{{.*}}) = (0) to (128) step (64)
// CHECK: vector.fma {{.*}} : vector<64xf32>
// CHECK-NOT: scf.forall (
// CHECK: vector.transfer_read {{.*}} : tensor<3x5xf32>, vector<3x5xf32>
// CHECK-COUNT-15: vector.fma {{.*}} : vector<10xf32>
func.func @shapes(%q: tensor<6x8x16xf32>, %kt: tensor<6x16x16xf32>, %x: tensor<1x4x32xf32>, %w: tensor<128x32xf32>, %a: tensor<3x5xf32>, %b: tensor<5x10xf32>) -> (tensor<6x8x16xf32>, tensor<1x4x128xf32>, tensor<3x10xf32>) {
  %0 = weft.matmul %q, %kt : tensor<6x8x16xf32>, tensor<6x16x16xf32> -> tensor<6x8x16xf32>
  %1 = weft.linear %x, %w : tensor<1x4x32xf32>, tensor<128x32xf32> -> tensor<1x4x128xf32>
  %2 = weft.matmul %a, %b : tensor<3x5xf32>, tensor<5x10xf32> -> tensor<3x10xf32>
  return %0, %1, %2 : tensor<6x8x16xf32>, tensor<1x4x128xf32>, tensor<3x10xf32>
}

// -----

// With the default threshold (2M multiply-adds), a small product runs on one
// thread: no scf.forall.
// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(convert-weft-to-linalg,func.func(weft-vectorize-contractions),canonicalize,cse)' | FileCheck %s --check-prefix=SMALL
// SMALL-LABEL: func.func @small
// SMALL-NOT: scf.forall
// SMALL: vector.fma
func.func @small(%a: tensor<64x32xf32>, %b: tensor<32x128xf32>) -> tensor<64x128xf32> {
  %0 = weft.matmul %a, %b : tensor<64x32xf32>, tensor<32x128xf32> -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

// A reduction of 512 steps (more than twice k-block = 128) is split into
// four blocks of 128, in an scf.for around the row tiles; inside, the
// register tiles step by 8 as before.
// CHECK-LABEL: func.func @long_reduction
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c128 iter_args(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4 iter_args(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8 iter_args(%{{.*}}) -> (vector<4x1x64xf32>)
func.func @long_reduction(%a: tensor<16x512xf32>, %b: tensor<512x128xf32>) -> tensor<16x128xf32> {
  %0 = weft.matmul %a, %b : tensor<16x512xf32>, tensor<512x128xf32> -> tensor<16x128xf32>
  return %0 : tensor<16x128xf32>
}

// -----

// linear's weight [n, k] is packed into panels straight from the weight:
// its transpose, which the product read before, is gone. The packing's
// innermost loop walks a panel's row (contiguous stores), down the weight's
// columns: the weight viewed as [4, 64, 64] and each block transposed.
// CHECK: #[[WEIGHT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK: #[[PANEL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @linear_weight
// CHECK-NOT: linalg.transpose
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2]] output_shape [4, 64, 64]
// CHECK: linalg.generic {indexing_maps = [#[[WEIGHT]], #[[PANEL]]]{{.*}} ins(%[[SPLIT]] : tensor<4x64x64xf32>) outs(%{{.*}} : tensor<4x64x64xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: vector.fma {{.*}} : vector<64xf32>
func.func @linear_weight(%x: tensor<32x64xf32>, %w: tensor<256x64xf32>) -> tensor<32x256xf32> {
  %0 = weft.linear %x, %w : tensor<32x64xf32>, tensor<256x64xf32> -> tensor<32x256xf32>
  return %0 : tensor<32x256xf32>
}
