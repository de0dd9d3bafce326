// RUN: weft-opt %s -convert-weft-to-linalg -mlir-print-local-scope | FileCheck %s

// topk ranks every element against every other along the axis (a reduction
// over the extra dimension d2), then picks, for output position p, the
// element whose rank is p.

// CHECK-LABEL: func @topk
func.func @topk(%x: tensor<4x10xf32>) -> (tensor<4x3xf32>, tensor<4x3xi64>) {
  // CHECK: %[[RANKS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
  // CHECK: arith.cmpf ogt
  // CHECK: arith.cmpi ult
  // CHECK: -> tensor<4x10xi64>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[RANKS]] : tensor<4x10xf32>, tensor<4x10xi64>)
  // CHECK: -> (tensor<4x3xf32>, tensor<4x3xi64>)
  %v, %i = weft.topk %x k 3 axis 1 : tensor<4x10xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  return %v, %i : tensor<4x3xf32>, tensor<4x3xi64>
}

// CHECK-LABEL: func @cumsum
func.func @cumsum(%x: tensor<5x3xf32>) -> tensor<5x3xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
  // CHECK: arith.cmpi ule
  // CHECK: arith.addf
  %0 = weft.cumsum %x axis 0 : tensor<5x3xf32> -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// CHECK-LABEL: func @lookups
func.func @lookups(%x: tensor<4x10xf32>, %i: tensor<4x3xi64>, %v: tensor<2xi64>) -> (tensor<4x3xf32>, tensor<2x10xf32>) {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
  // CHECK: %[[ROW:.*]] = linalg.index 0
  // CHECK: %[[COL:.*]] = arith.index_cast
  // CHECK: tensor.extract %{{.*}}[%[[ROW]], %[[COL]]]
  %0 = weft.gather %x axis 1, %i : tensor<4x10xf32>, tensor<4x3xi64> -> tensor<4x3xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>]
  %1 = weft.index_select %x axis 0, %v : tensor<4x10xf32>, tensor<2xi64> -> tensor<2x10xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<2x10xf32>
}

// CHECK-LABEL: func @select_scatter
func.func @select_scatter(%x: tensor<4x10xf32>, %h: tensor<4xf32>) -> tensor<4x10xf32> {
  // CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 7] [4, 1] [1, 1] : tensor<4xf32> into tensor<4x10xf32>
  %0 = weft.select_scatter %x, %h axis 1 index 7 : tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}
