//===- WeftDialect.td - The weft dialect -------------------*- tablegen -*-===//

#ifndef WEFT_DIALECT_WEFT_IR_WEFTDIALECT_TD
#define WEFT_DIALECT_WEFT_IR_WEFTDIALECT_TD

include "mlir/IR/OpBase.td"

def Weft_Dialect : Dialect {
  let name = "weft";
  let summary = "Tensor operations at the level a model author thinks in.";
  let description = [{
    The weft dialect is what the `.weft` front end produces: layer-level
    tensor operations (linear, matmul, elementwise math, reductions, shape
    manipulation) on builtin tensor types. Operands of elementwise operations
    broadcast with NumPy rules. Values in generic user functions are unranked
    tensors until inlining; the `weft-shape-inference` pass then gives every
    value its static shape.
  }];
  let cppNamespace = "::mlir::weft";
  let hasConstantMaterializer = 1;
}

#endif // WEFT_DIALECT_WEFT_IR_WEFTDIALECT_TD
