// RUN: weft-opt %s -pass-pipeline='builtin.module(func.func(weft-vectorize-generics{vector-size=64}),canonicalize,cse,func.func(loop-invariant-subset-hoisting))' -mlir-print-local-scope | FileCheck %s
// RUN: weft-opt %s -pass-pipeline='builtin.module(func.func(weft-vectorize-generics{vector-size=64 min-parallel-elements=512}),canonicalize,cse)' -mlir-print-local-scope | FileCheck %s --check-prefix=THREADS

// An element-wise op with a broadcast bias: one row at a time, the row in
// tiles of 64.
// CHECK-LABEL: func @bias_add
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c4 step %c1
// CHECK: scf.for %[[COL:.*]] = %c0 to %c128 step %c64
// CHECK: %[[XS:.*]] = tensor.extract_slice %{{.*}}[%[[ROW]], %[[COL]]] [1, 64]
// CHECK: %[[BS:.*]] = tensor.extract_slice %{{.*}}[%[[COL]]] [64]
// CHECK: %[[X:.*]] = vector.transfer_read %[[XS]]{{.*}} : tensor<1x64xf32>, vector<64xf32>
// CHECK: %[[B:.*]] = vector.transfer_read %[[BS]]{{.*}} : tensor<64xf32>, vector<64xf32>
// CHECK: %[[S:.*]] = arith.addf %[[X]], %[[B]] : vector<64xf32>
// CHECK: vector.transfer_write %[[S]]
// CHECK-NOT: linalg.generic
// With 512 iterations or more (here exactly), the rows are split over
// threads, each row's tiles computed as without them; the row sums (128
// iterations) stay on one thread.
// THREADS-LABEL: func @bias_add
// THREADS: scf.forall (%[[ROW:.*]]) in (4)
// THREADS: scf.for %[[COL:.*]] = %c0 to %c128 step %c64
// THREADS: arith.addf {{.*}} : vector<64xf32>
// THREADS: tensor.parallel_insert_slice
// THREADS-LABEL: func @row_sum_exp
// THREADS-NOT: scf.forall
// THREADS: return
func.func @bias_add(%x: tensor<4x128xf32>, %b: tensor<128xf32>) -> tensor<4x128xf32> {
  %e = tensor.empty() : tensor<4x128xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<4x128xf32>, tensor<128xf32>) outs(%e : tensor<4x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<4x128xf32>
  return %r : tensor<4x128xf32>
}

// A reduction along the rows, polynomial functions included: one
// vector.reduction per row, added to the accumulator.
// CHECK-LABEL: func @row_sum_exp
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c4 step %c1
// CHECK: %[[XS:.*]] = tensor.extract_slice %{{.*}}[%[[ROW]], 0] [1, 32]
// CHECK: %[[X:.*]] = vector.transfer_read %[[XS]]{{.*}} : tensor<1x32xf32>, vector<32xf32>
// CHECK: %[[E:.*]] = math.exp %[[X]] : vector<32xf32>
// CHECK: vector.reduction <add>, %[[E]], %{{.*}} : vector<32xf32> into f32
// CHECK-NOT: linalg.generic
func.func @row_sum_exp(%x: tensor<4x32xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x32xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    %s = arith.addf %out, %e : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// A reduction along the outer dimension: the loop over it stays, its
// accumulator vector read before it and written after it.
// CHECK-LABEL: func @column_sum
// CHECK: %[[ACC:.*]] = vector.transfer_read %{{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK: %[[SUM:.*]]:2 = scf.for %[[ROW:.*]] = %c0 to %c8 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[A:.*]] = %[[ACC]]) -> (tensor<32xf32>, vector<32xf32>)
// CHECK: %[[XS:.*]] = tensor.extract_slice %{{.*}}[%[[ROW]], 0] [1, 32]
// CHECK: %[[X:.*]] = vector.transfer_read %[[XS]]{{.*}} : tensor<1x32xf32>, vector<32xf32>
// CHECK: %[[S:.*]] = arith.addf %[[A]], %[[X]] : vector<32xf32>
// CHECK: scf.yield %{{.*}}, %[[S]]
// CHECK: vector.transfer_write %[[SUM]]#1
func.func @column_sum(%x: tensor<8x32xf32>, %init: tensor<32xf32>) -> tensor<32xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%x : tensor<8x32xf32>) outs(%init : tensor<32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  return %r : tensor<32xf32>
}

// A copy that transposes: square blocks of 16, each read as 16 vectors and
// transposed. Threads would split a block's rows: it stays on one.
// CHECK-LABEL: func @transpose_copy
// CHECK: scf.for %[[I:.*]] = %c0 to %c32 step %c16
// CHECK: scf.for %[[J:.*]] = %c0 to %c64 step %c16
// CHECK: %[[BLOCK:.*]] = tensor.extract_slice %arg0[%[[J]], %[[I]]] [16, 16]
// CHECK: %[[READ:.*]] = vector.transfer_read %[[BLOCK]]{{.*}} : tensor<16x16xf32>, vector<16x16xf32>
// CHECK: %[[T:.*]] = vector.transpose %[[READ]], [1, 0]
// CHECK: vector.transfer_write %[[T]]
// THREADS-LABEL: func @transpose_copy
// THREADS-NOT: scf.forall
// THREADS: vector.transpose
func.func @transpose_copy(%x: tensor<64x32xf32>) -> tensor<32x64xf32> {
  %e = tensor.empty() : tensor<32x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<32x64xf32>
  return %r : tensor<32x64xf32>
}

// Stay scalar: masks (i1), a transposing read that is not a copy, a
// contraction, an innermost dimension no tile divides.
// CHECK-LABEL: func @scalar
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT: vector.
func.func @scalar(%x: tensor<4x64xf32>, %m: tensor<4x64xi1>, %y: tensor<64x4xf32>, %w: tensor<64x8xf32>, %p: tensor<4x67xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x8xf32>, tensor<4x67xf32>) {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %m : tensor<4x64xf32>, tensor<4x64xi1>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %keep: i1, %out: f32):
    %s = arith.select %keep, %in, %cst : f32
    linalg.yield %s : f32
  } -> tensor<4x64xf32>
  %transposed = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<64x4xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x64xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %product = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x64xf32>, tensor<64x8xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %t = arith.mulf %a, %b : f32
    %s = arith.addf %out, %t : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %e3 = tensor.empty() : tensor<4x67xf32>
  %prime = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x67xf32>) outs(%e3 : tensor<4x67xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x67xf32>
  return %masked, %transposed, %product, %prime : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x8xf32>, tensor<4x67xf32>
}
