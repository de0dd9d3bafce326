// RUN: weft-opt %s --pass-pipeline='builtin.module(func.func(weft-gpu-map-products),canonicalize,cse)' --split-input-file | FileCheck %s

// A product of 70 x 33 by 33 x 130: 16 x 16 tiles (T = 1; larger tiles would
// leave the grid with fewer than 128 blocks), 9 x 5 blocks of 16 x 16
// threads, the k-steps staged in shared memory between barriers.
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// CHECK-LABEL: func.func @product
// CHECK-SAME: (%[[A:.*]]: memref<70x33xf32>, %[[B:.*]]: memref<33x130xf32>, %[[C:.*]]: memref<70x130xf32>)
// CHECK-NOT:   linalg.generic
// CHECK:       gpu.launch blocks(%[[BX:.*]], %[[BY:.*]], %{{.*}}) in (%{{.*}} = %c9, %{{.*}} = %c5, %{{.*}} = %c1) threads(%[[TX:.*]], %[[TY:.*]], %{{.*}}) in (%{{.*}} = %c16, %{{.*}} = %c16, %{{.*}} = %c1)
// CHECK-SAME:    workgroup(%[[AS:.*]] : memref<16x17xf32, #gpu.address_space<workgroup>>, %[[BS:.*]] : memref<16x17xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME:    private(%[[ACC:.*]] : memref<1x1xf32, #gpu.address_space<private>>)
// The accumulator starts from the output's value.
// CHECK:         %[[INIT:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK-NEXT:      memref.load %[[C]]
// CHECK:         memref.store %[[INIT]], %[[ACC]][%c0, %c0]
// CHECK:         scf.for %[[K0:.*]] = %c0 to %c33 step %c16 {
// A is read along k (its innermost index): thread t takes k = t % 16.
// CHECK:           %[[KA:.*]] = arith.remui %{{.*}}, %c16
// CHECK:           %[[MA:.*]] = arith.divui %{{.*}}, %c16
// CHECK:           %[[VA:.*]] = scf.if
// CHECK-NEXT:        memref.load %[[A]]
// CHECK:           memref.store %[[VA]], %[[AS]][%[[KA]], %[[MA]]]
// CHECK:           %[[VB:.*]] = scf.if
// CHECK-NEXT:        memref.load %[[B]]
// CHECK:           memref.store %[[VB]], %[[BS]]
// CHECK:           gpu.barrier
// CHECK:           %[[LEFT:.*]] = arith.subi %c33, %[[K0]]
// CHECK:           %[[END:.*]] = arith.minui %[[LEFT]], %c16
// CHECK:           scf.for %[[KK:.*]] = %c0 to %[[END]] step %c1 {
// CHECK:             %[[X:.*]] = memref.load %[[AS]][%[[KK]], %[[TY]]]
// CHECK:             %[[Y:.*]] = memref.load %[[BS]][%[[KK]], %[[TX]]]
// CHECK:             %[[OLD:.*]] = memref.load %[[ACC]][%c0, %c0]
// CHECK:             %[[P:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK:             %[[NEW:.*]] = arith.addf %[[OLD]], %[[P]]
// CHECK:             memref.store %[[NEW]], %[[ACC]][%c0, %c0]
// CHECK:           }
// CHECK:           gpu.barrier
// CHECK:         }
// CHECK:         scf.if
// CHECK-NEXT:      %[[SUM:.*]] = memref.load %[[ACC]][%c0, %c0]
// CHECK-NEXT:      memref.store %[[SUM]], %[[C]]
func.func @product(%x: memref<70x33xf32>, %y: memref<33x130xf32>, %z: memref<70x130xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %y : memref<70x33xf32>, memref<33x130xf32>) outs(%z : memref<70x130xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// 1024 x 1024 outputs: 64 x 64 tiles (T = 4: 256 blocks), each thread 4 x 4
// outputs.
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @large
// CHECK:       gpu.launch {{.*}} in (%{{.*}} = %c16{{.*}}, %{{.*}} = %c16{{.*}}, %{{.*}} = %c1{{.*}}) threads
// CHECK-SAME:    workgroup(%{{.*}} : memref<16x65xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<16x65xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME:    private(%{{.*}} : memref<4x4xf32, #gpu.address_space<private>>)
// CHECK-COUNT-16: arith.mulf
// CHECK-NOT:     arith.mulf
func.func @large(%x: memref<1024x64xf32>, %y: memref<64x1024xf32>, %z: memref<1024x1024xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %y : memref<1024x64xf32>, memref<64x1024xf32>) outs(%z : memref<1024x1024xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Attention's scores q @ kᵀ over 3 batches: the batch loop runs along the
// grid's z; the keys are read along k, their innermost index. The first input
// holds the columns here (the output's innermost loop), so it is staged as
// the column operand.
#k = affine_map<(b, n, m, d) -> (b, n, d)>
#q = affine_map<(b, n, m, d) -> (b, m, d)>
#s = affine_map<(b, n, m, d) -> (b, m, n)>
// CHECK-LABEL: func.func @scores
// CHECK-SAME: (%[[K:.*]]: memref<3x40x24xf32>, %[[Q:.*]]: memref<3x20x24xf32>
// CHECK:       gpu.launch blocks(%{{.*}}, %{{.*}}, %[[BZ:.*]]) in (%{{.*}} = %c3, %{{.*}} = %c2, %[[GZ:.*]] = %c3)
// CHECK:         scf.for %[[BATCH:.*]] = %[[BZ]] to %c3 step %[[GZ]]
// CHECK:           memref.load %[[Q]][%[[BATCH]],
// CHECK:           memref.load %[[K]][%[[BATCH]],
func.func @scores(%k: memref<3x40x24xf32>, %q: memref<3x20x24xf32>, %s: memref<3x20x40xf32>) {
  linalg.generic {indexing_maps = [#k, #q, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%k, %q : memref<3x40x24xf32>, memref<3x20x24xf32>) outs(%s : memref<3x20x40xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in_2, %in : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Left to one thread per output: fewer than 16 columns; an integer product;
// two reduction loops.
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// CHECK-LABEL: func.func @narrow
// CHECK-NOT:   gpu.launch
// CHECK-COUNT-3: linalg.generic
func.func @narrow(%x: memref<64x64xf32>, %y: memref<64x10xf32>, %z: memref<64x10xf32>,
                  %i: memref<64x64xi32>, %j: memref<64x64xi32>, %o: memref<64x64xi32>,
                  %t: memref<64x8x64xf32>, %u: memref<8x64x64xf32>, %v: memref<64x64xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %y : memref<64x64xf32>, memref<64x10xf32>) outs(%z : memref<64x10xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%i, %j : memref<64x64xi32>, memref<64x64xi32>) outs(%o : memref<64x64xi32>) {
  ^bb0(%in: i32, %in_2: i32, %out: i32):
    %0 = arith.muli %in, %in_2 : i32
    %1 = arith.addi %out, %0 : i32
    linalg.yield %1 : i32
  }
  linalg.generic {indexing_maps = [affine_map<(m, k, l, n) -> (m, k, l)>, affine_map<(m, k, l, n) -> (k, l, n)>, affine_map<(m, k, l, n) -> (m, n)>], iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%t, %u : memref<64x8x64xf32>, memref<8x64x64xf32>) outs(%v : memref<64x64xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A Linear layer with its activation: the bias broadcast that initializes the
// product and the relu that reads it are computed in the product's kernel;
// the product's own buffer is never written (nothing reads it after) and
// goes.
#bias = affine_map<(m, n) -> (n)>
#id = affine_map<(m, n) -> (m, n)>
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (n, k)>
#c = affine_map<(m, k, n) -> (m, n)>
// CHECK-LABEL: func.func @linear_relu
// CHECK-SAME: (%[[X:.*]]: memref<64x32xf32>, %[[W:.*]]: memref<48x32xf32>, %[[BIAS:.*]]: memref<48xf32>)
// CHECK:       %[[D:.*]] = memref.alloc() : memref<64x48xf32>
// CHECK-NOT:   memref.alloc
// CHECK:       gpu.launch
// CHECK:         %[[START:.*]] = scf.if
// CHECK-NEXT:      %[[B:.*]] = memref.load %[[BIAS]][
// CHECK-NEXT:      scf.yield %[[B]]
// CHECK:         memref.store %[[START]], %{{.*}}[%c0, %c0]
// CHECK:         gpu.barrier
// CHECK:         scf.if
// CHECK-NEXT:      %[[SUM:.*]] = memref.load %{{.*}}[%c0, %c0]
// CHECK-NEXT:      %[[R:.*]] = arith.maximumf %[[SUM]], %cst
// CHECK-NEXT:      memref.store %[[R]], %[[D]][
// CHECK-NEXT:    }
// CHECK-NOT:   linalg.generic
// CHECK:       return %[[D]]
func.func @linear_relu(%x: memref<64x32xf32>, %w: memref<48x32xf32>, %bias: memref<48xf32>) -> memref<64x48xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x48xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<48xf32>) outs(%c : memref<64x48xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %w : memref<64x32xf32>, memref<48x32xf32>) outs(%c : memref<64x48xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  %d = memref.alloc() : memref<64x48xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<64x48xf32>) outs(%d : memref<64x48xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %c : memref<64x48xf32>
  return %d : memref<64x48xf32>
}

// -----

// The product's result is returned too: the kernel stores it as well as the
// epilogue's.
#id = affine_map<(m, n) -> (m, n)>
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// CHECK-LABEL: func.func @both
// CHECK-SAME: (%{{.*}}: memref<32x32xf32>, %{{.*}}: memref<32x32xf32>, %[[C:.*]]: memref<32x32xf32>, %[[D:.*]]: memref<32x32xf32>)
// CHECK:       gpu.barrier
// CHECK:       gpu.barrier
// CHECK:       scf.if
// CHECK-NEXT:    %[[SUM:.*]] = memref.load
// CHECK-NEXT:    memref.store %[[SUM]], %[[C]][
// CHECK-NEXT:    %[[T:.*]] = math.tanh %[[SUM]]
// CHECK-NEXT:    memref.store %[[T]], %[[D]][
// CHECK-NOT:   linalg.generic
func.func @both(%x: memref<32x32xf32>, %y: memref<32x32xf32>, %c: memref<32x32xf32>, %d: memref<32x32xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %y : memref<32x32xf32>, memref<32x32xf32>) outs(%c : memref<32x32xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<32x32xf32>) outs(%d : memref<32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Not taken in: an epilogue after a write to memory (a copy could change
// what it reads), and an epilogue that writes into the product's input,
// which other blocks are still reading.
#id = affine_map<(m, n) -> (m, n)>
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
// CHECK-LABEL: func.func @kept_apart
// CHECK:       gpu.launch
// CHECK:       memref.copy
// CHECK:       linalg.generic
// CHECK:       gpu.launch
// CHECK:       linalg.generic
// CHECK-SAME:    outs(%arg0 : memref<32x32xf32>)
func.func @kept_apart(%x: memref<32x32xf32>, %y: memref<32x32xf32>, %c: memref<32x32xf32>, %d: memref<32x32xf32>, %e: memref<32x32xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %y : memref<32x32xf32>, memref<32x32xf32>) outs(%c : memref<32x32xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  memref.copy %y, %e : memref<32x32xf32> to memref<32x32xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %e : memref<32x32xf32>, memref<32x32xf32>) outs(%d : memref<32x32xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.addf %in, %in_2 : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %y : memref<32x32xf32>, memref<32x32xf32>) outs(%c : memref<32x32xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.mulf %in, %in_2 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<32x32xf32>) outs(%x : memref<32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  }
  return
}
