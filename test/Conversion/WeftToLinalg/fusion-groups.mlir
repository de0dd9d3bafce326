// RUN: weft-opt %s -split-input-file -pass-pipeline='builtin.module(convert-weft-to-linalg,func.func(weft-lower-fusion-groups))' -mlir-print-local-scope | FileCheck %s

// An elementwise group becomes one linalg.generic, the broadcast operand read
// through its map, and the group is gone.
// CHECK-LABEL: func.func @elementwise
// CHECK-NOT: weft.fused
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK: arith.addf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: math.tanh
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @elementwise(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = weft.fused elementwise(%x, %b) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a0: tensor<4x8xf32>, %a1: tensor<8xf32>):
    %c = weft.constant dense<2.0> : tensor<f32>
    %1 = weft.add %a0, %a1 : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
    %2 = weft.mul %1, %c : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
    %3 = weft.tanh %2 : tensor<4x8xf32> -> tensor<4x8xf32>
    weft.yield %3 : tensor<4x8xf32>
  }
  return %0 : tensor<4x8xf32>
}

// -----

// A reduction group: the exponential is computed inside the reduction.
// CHECK-LABEL: func.func @reduction
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: math.exp
// CHECK-NEXT: arith.addf
// CHECK-NOT: linalg.generic
func.func @reduction(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %0 = weft.fused reduction(%x) : (tensor<4x8xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4x8xf32>):
    %1 = weft.exp %a : tensor<4x8xf32> -> tensor<4x8xf32>
    %2 = weft.sum %1 axes [1] : tensor<4x8xf32> -> tensor<4xf32>
    weft.yield %2 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

// softmax in a group: the maximum, the sum of exponentials and the result,
// three generics, each recomputing the scale instead of reading it stored.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[M:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.mulf
// CHECK-NEXT: arith.maximumf
// CHECK: %[[S:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[M]] :
// CHECK: arith.mulf
// CHECK-NEXT: arith.subf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK: linalg.generic {{.*}}ins(%arg0, %[[M]], %[[S]] :
// CHECK: arith.mulf
// CHECK-NEXT: arith.subf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.divf
// CHECK-NOT: linalg.generic
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = weft.fused normalization(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: tensor<4x8xf32>):
    %c = weft.constant dense<0.5> : tensor<f32>
    %1 = weft.mul %a, %c : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
    %2 = weft.softmax %1 axis -1 : tensor<4x8xf32> -> tensor<4x8xf32>
    weft.yield %2 : tensor<4x8xf32>
  }
  return %0 : tensor<4x8xf32>
}

// -----

// layer_norm in a group: the sum, the squared deviations from the mean, the
// result.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[S:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: %[[Q:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[S]] :
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}}ins(%arg0, %[[S]], %[[Q]], %{{.*}}, %{{.*}} :
// CHECK: math.sqrt
// CHECK-NOT: linalg.generic
func.func @layer_norm(%x: tensor<2x16xf32>, %w: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<2x16xf32> {
  %0 = weft.fused normalization(%x, %w, %b) : (tensor<2x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x16xf32> {
  ^bb0(%a: tensor<2x16xf32>, %g: tensor<16xf32>, %h: tensor<16xf32>):
    %1 = weft.layer_norm %a, %g, %h dims 1 eps 1.0e-05 : tensor<2x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x16xf32>
    weft.yield %1 : tensor<2x16xf32>
  }
  return %0 : tensor<2x16xf32>
}

// -----

// An epilogue group: the relu is tiled by 16 rows and the linear (its bias
// broadcast first, the weight transposed once, outside the loop) is computed
// tile by tile inside the same scf.for.
// CHECK-LABEL: func.func @epilogue
// CHECK: linalg.transpose
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C16:.*]] iter_args
// CHECK: tensor.extract_slice %arg0[%[[I]], 0] [16, 8] [1, 1]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.maximumf
// CHECK: tensor.insert_slice
// CHECK: scf.yield
func.func @epilogue(%x: tensor<64x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<64x4xf32> {
  %0 = weft.fused epilogue(%x, %w, %b) : (tensor<64x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<64x4xf32> {
  ^bb0(%a: tensor<64x8xf32>, %g: tensor<4x8xf32>, %h: tensor<4xf32>):
    %1 = weft.linear %a, %g, %h : tensor<64x8xf32>, tensor<4x8xf32>, tensor<4xf32> -> tensor<64x4xf32>
    %2 = weft.relu %1 : tensor<64x4xf32> -> tensor<64x4xf32>
    weft.yield %2 : tensor<64x4xf32>
  }
  return %0 : tensor<64x4xf32>
}

// -----

// Flash-style attention over 128 keys in blocks of 64: the keys are
// transposed once; the loop carries the running maximum, sum and output, and
// holds one [8 x 64] tile of scores.
// CHECK-LABEL: func.func @attention
// CHECK: %[[KT:.*]] = linalg.transpose ins(%arg1 : tensor<2x128x16xf32>) {{.*}} permutation = [0, 2, 1]
// CHECK: %[[L:.*]]:3 = scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8x16xf32>)
// CHECK: tensor.extract_slice %[[KT]][0, 0, %[[J]]] [2, 16, 64] [1, 1, 1]
// CHECK: tensor.extract_slice %arg2[0, %[[J]], 0] [2, 64, 16] [1, 1, 1]
// CHECK: -> tensor<2x8x64xf32>
// CHECK: arith.addi %[[J]]
// CHECK: arith.cmpi ugt
// CHECK: scf.yield
// CHECK: linalg.generic {{.*}}ins(%[[L]]#2, %[[L]]#1 :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.divf
func.func @attention(%q: tensor<2x8x16xf32>, %k: tensor<2x128x16xf32>, %v: tensor<2x128x16xf32>) -> tensor<2x8x16xf32> {
  %0 = weft.fused attention(%q, %k, %v) : (tensor<2x8x16xf32>, tensor<2x128x16xf32>, tensor<2x128x16xf32>) -> tensor<2x8x16xf32> {
  ^bb0(%a: tensor<2x8x16xf32>, %b: tensor<2x128x16xf32>, %c: tensor<2x128x16xf32>):
    %1 = weft.attention %a, %b, %c causal : tensor<2x8x16xf32>, tensor<2x128x16xf32>, tensor<2x128x16xf32> -> tensor<2x8x16xf32>
    weft.yield %1 : tensor<2x8x16xf32>
  }
  return %0 : tensor<2x8x16xf32>
}
