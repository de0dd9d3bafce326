// RUN: weft-opt %s -split-input-file -weft-decompose | FileCheck %s

// Train-mode batch statistics: the mean over every axis but the channels',
// and the sum of the squared deviations over n = 2 * 3 = 6 and over 5.
// CHECK-LABEL: func @batch_stats
func.func @batch_stats(%x: tensor<2x4x3xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK-NOT: weft.batch_stats
  // CHECK-DAG: %[[N1:.*]] = weft.constant dense<5.000000e+00>
  // CHECK-DAG: %[[N:.*]] = weft.constant dense<6.000000e+00>
  // CHECK: %[[MEAN:.*]] = weft.mean %arg0 axes [0, 2] keepdim
  // CHECK: %[[DEV:.*]] = weft.sub %arg0, %[[MEAN]]
  // CHECK: %[[SQ:.*]] = weft.mul %[[DEV]], %[[DEV]]
  // CHECK: %[[SUM:.*]] = weft.sum %[[SQ]] axes [0, 2] :
  // CHECK: %[[M:.*]] = weft.reshape %[[MEAN]] to [4]
  // CHECK: %[[V:.*]] = weft.div %[[SUM]], %[[N]]
  // CHECK: %[[U:.*]] = weft.div %[[SUM]], %[[N1]]
  // CHECK: return %[[M]], %[[V]], %[[U]]
  %m, %v, %u = weft.batch_stats %x : tensor<2x4x3xf32> -> tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return %m, %v, %u : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Train-mode dropout: the input times 1 / (1 - p) where the uniform number
// drawn at (seed, key) is at least p, else 0.
// CHECK-LABEL: func @dropout
func.func @dropout(%x: tensor<8xf32>, %n: tensor<i64>) -> tensor<8xf32> {
  // CHECK-NOT: weft.dropout
  // CHECK-DAG: %[[KEPT:.*]] = weft.constant dense<1.33333337>
  // CHECK-DAG: %[[ZERO:.*]] = weft.constant dense<0.000000e+00>
  // CHECK-DAG: %[[P:.*]] = weft.constant dense<2.500000e-01>
  // CHECK: %[[U:.*]] = weft.random uniform seed %arg1 key 7 : tensor<8xf32>
  // CHECK: %[[KEEP:.*]] = weft.compare ge, %[[U]], %[[P]]
  // CHECK: %[[SCALE:.*]] = weft.where %[[KEEP]], %[[KEPT]], %[[ZERO]]
  // CHECK: %[[Y:.*]] = weft.mul %arg0, %[[SCALE]]
  // CHECK: return %[[Y]]
  %y = weft.dropout %x p 2.500000e-01 seed %n : tensor<i64> key 7 : tensor<8xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// At inference dropout is the identity, and folds away.
// CHECK-LABEL: func @inference
func.func @inference(%x: tensor<8xf32>) -> tensor<8xf32> {
  // CHECK-NEXT: return %arg0
  %y = weft.dropout %x p 2.500000e-01 : tensor<8xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}
