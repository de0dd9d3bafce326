// RUN: weft-opt %s --pass-pipeline='builtin.module(func.func(weft-gpu-map-reductions))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>
#rows = affine_map<(d0, d1) -> (d0)>

// sum(x * x) over a 2-d memref: one block of 256 threads, each folding the
// elements thread, thread + 256, ... with the generic's body, then the
// block's total added to the output by thread 0.
// CHECK-LABEL: func.func @sum_of_squares
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}})
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[PART:.*]] = scf.for %[[I:.*]] = %{{.*}} to %c{{.*}} step %c256{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK:             %[[COL:.*]] = arith.remui %[[I]], %c300
// CHECK:             %[[ROW:.*]] = arith.divui %[[I]], %c300
// CHECK-NOT:         arith.remui
// CHECK:             %[[X:.*]] = memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<3x300xf32>
// CHECK:             %[[SQ:.*]] = arith.mulf %[[X]], %[[X]]
// CHECK:             %[[NEXT:.*]] = arith.addf %[[ACC]], %[[SQ]]
// CHECK:             scf.yield %[[NEXT]]
// CHECK:           %[[TOTAL:.*]] = gpu.all_reduce add %[[PART]] uniform
// CHECK:           scf.if
// CHECK:             %[[OLD:.*]] = memref.load %{{.*}}[] : memref<f32>
// CHECK:             %[[NEW:.*]] = arith.addf %[[OLD]], %[[TOTAL]]
// CHECK:             memref.store %[[NEW]], %{{.*}}[] : memref<f32>
// CHECK-NOT:     linalg.generic
func.func @sum_of_squares(%x: memref<3x300xf32>, %out: memref<f32>) {
  linalg.generic {indexing_maps = [#id, #scalar],
                  iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<3x300xf32>) outs(%out : memref<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %sum = arith.addf %acc, %sq : f32
    linalg.yield %sum : f32
  }
  return
}

// A maximum starts from -inf and reduces with maximumf.
// CHECK-LABEL: func.func @maximum
// CHECK:         arith.constant 0xFF800000 : f32
// CHECK:         gpu.all_reduce maximumf
func.func @maximum(%x: memref<64xf32>, %out: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>],
                  iterator_types = ["reduction"]}
      ins(%x : memref<64xf32>) outs(%out : memref<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  }
  return
}

// Row sums of 300 elements: a block of 256 threads per row (3 blocks), the
// row from the block's id, each thread folding elements t, t + 256 of it.
// CHECK-LABEL: func.func @row_sums
// CHECK:         gpu.launch blocks(%[[ROW:.*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c3{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads(%[[T:.*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}})
// CHECK:           %[[PART:.*]] = scf.for %[[I:.*]] = %[[T]] to %c300{{.*}} step %c256{{.*}} iter_args
// CHECK:             memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<3x300xf32>
// CHECK:           %[[TOTAL:.*]] = gpu.all_reduce add %[[PART]] uniform
// CHECK:           scf.if
// CHECK:             %[[OLD:.*]] = memref.load %{{.*}}[%[[ROW]]] : memref<3xf32>
// CHECK:             %[[NEW:.*]] = arith.addf %[[OLD]], %[[TOTAL]]
// CHECK:             memref.store %[[NEW]], %{{.*}}[%[[ROW]]] : memref<3xf32>
func.func @row_sums(%x: memref<3x300xf32>, %out: memref<3xf32>) {
  linalg.generic {indexing_maps = [#id, #rows],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<3x300xf32>) outs(%out : memref<3xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sum = arith.addf %acc, %in : f32
    linalg.yield %sum : f32
  }
  return
}

// Rows of fewer than 32 elements stay one thread per row (the parallel
// loops'); so does a reduction whose output does not hold every parallel
// loop (a scatter into fewer elements).
// CHECK-LABEL: func.func @left
// CHECK-NOT:     gpu.launch
// CHECK-COUNT-2: linalg.generic
func.func @left(%x: memref<300x20xf32>, %out: memref<300xf32>, %y: memref<4x300xf32>, %o: memref<f32>) {
  linalg.generic {indexing_maps = [#id, #rows],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<300x20xf32>) outs(%out : memref<300xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sum = arith.addf %acc, %in : f32
    linalg.yield %sum : f32
  }
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> ()>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%y : memref<4x300xf32>) outs(%o : memref<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %sum = arith.addf %acc, %in : f32
    linalg.yield %sum : f32
  }
  return
}

// A fill of the output before the reduction, with ops between that do not
// touch the output, is folded in: thread 0 combines the total with the
// fill's value, and the fill goes.
// CHECK-LABEL: func.func @filled
// CHECK-SAME: (%{{.*}}: memref<3x300xf32>, %[[OUT:.*]]: memref<3xf32>, %[[OTHER:.*]]: memref<3xf32>)
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[OTHER]] : memref<3xf32>)
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch
// CHECK:           %[[TOTAL:.*]] = gpu.all_reduce maximumf
// CHECK:           scf.if
// CHECK-NEXT:        %[[NEW:.*]] = arith.maximumf %[[TOTAL]], %cst
// CHECK-NEXT:        memref.store %[[NEW]], %[[OUT]][
func.func @filled(%x: memref<3x300xf32>, %out: memref<3xf32>, %other: memref<3xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%ninf : f32) outs(%out : memref<3xf32>)
  linalg.fill ins(%zero : f32) outs(%other : memref<3xf32>)
  linalg.generic {indexing_maps = [#id, #rows],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<3x300xf32>) outs(%out : memref<3xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  }
  return
}

// A matrix-vector product's neighbours: the bias broadcast that initializes
// it is computed by thread 0 of each block, and the tanh that reads it is
// applied before the store; the sums themselves are not stored.
#bias = affine_map<(d0, d1) -> (d1)>
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @layer
// CHECK-SAME: (%{{.*}}: memref<2x64xf32>, %{{.*}}: memref<10x64xf32>, %[[BIAS:.*]]: memref<10xf32>, %[[D:.*]]: memref<2x10xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         gpu.launch
// CHECK:           %[[TOTAL:.*]] = gpu.all_reduce add
// CHECK:           scf.if
// CHECK-NEXT:        %[[B:.*]] = memref.load %[[BIAS]][
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[B]], %[[TOTAL]]
// CHECK-NEXT:        %[[T:.*]] = math.tanh %[[SUM]]
// CHECK-NEXT:        memref.store %[[T]], %[[D]][
// CHECK-NEXT:      }
// CHECK-NOT:     linalg.generic
func.func @layer(%x: memref<2x64xf32>, %w: memref<10x64xf32>, %bias: memref<10xf32>, %d: memref<2x10xf32>) {
  %c = memref.alloc() : memref<2x10xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<10xf32>) outs(%c : memref<2x10xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x64xf32>, memref<10x64xf32>) outs(%c : memref<2x10xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<2x10xf32>) outs(%d : memref<2x10xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %c : memref<2x10xf32>
  return
}

// An RNN step: the epilogue reads a buffer an op between writes (the other
// product's bias), so it is computed where it was, not in the reduction's
// kernel, and the reduction stores its sums.
// CHECK-LABEL: func.func @step
// CHECK-SAME: (%{{.*}}: memref<2x32xf32>, %{{.*}}: memref<32x32xf32>, %[[C:[^:]*]]: memref<2x32xf32>, %[[OTHER:[^:]*]]: memref<2x32xf32>
// CHECK:         gpu.launch
// CHECK:           memref.store %{{.*}}, %[[C]][
// CHECK:         linalg.generic {{.*}} outs(%[[OTHER]] : memref<2x32xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[OTHER]], %[[C]] : memref<2x32xf32>, memref<2x32xf32>)
func.func @step(%h: memref<2x32xf32>, %w: memref<32x32xf32>, %c: memref<2x32xf32>, %other: memref<2x32xf32>, %bias: memref<32xf32>, %d: memref<2x32xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%h, %w : memref<2x32xf32>, memref<32x32xf32>) outs(%c : memref<2x32xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<32xf32>) outs(%other : memref<2x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%other, %c : memref<2x32xf32>, memref<2x32xf32>) outs(%d : memref<2x32xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.addf %in, %in_2 : f32
    linalg.yield %0 : f32
  }
  return
}
