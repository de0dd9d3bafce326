//===- GPU.h - The cuda target's passes ------------------------*- C++ -*-===//

#ifndef WEFT_CONVERSION_GPU_GPU_H
#define WEFT_CONVERSION_GPU_GPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace affine {
class AffineDialect;
}
namespace arith {
class ArithDialect;
}
namespace func {
class FuncOp;
}
namespace gpu {
class GPUDialect;
class GPUModuleOp;
} // namespace gpu
namespace LLVM {
class LLVMDialect;
}
namespace memref {
class MemRefDialect;
}
namespace scf {
class SCFDialect;
}

namespace weft {

#define GEN_PASS_DECL_WEFTCOPYGLOBALSTOHEAP
#define GEN_PASS_DECL_WEFTGPUEMULATEKERNELS
#define GEN_PASS_DECL_WEFTGPUFOLDTRANSPOSES
#define GEN_PASS_DECL_WEFTGPUKERNELMODULE
#define GEN_PASS_DECL_WEFTGPUMAPPARALLELLOOPS
#define GEN_PASS_DECL_WEFTGPUMAPPRODUCTS
#define GEN_PASS_DECL_WEFTGPUMAPREDUCTIONS
#define GEN_PASS_DECL_WEFTGPUREDUCTIONSINWARD
#define GEN_PASS_DECL_WEFTGPUSPLITFILLS
#define GEN_PASS_DECL_WEFTNVVMLIBDEVICETOINTRINSICS
#define GEN_PASS_DECL_WEFTNVVMINDEXERRORS
#define GEN_PASS_DECL_WEFTNVVMLIBDEVICECALLS
#include "weft/Conversion/Passes.h.inc"

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_GPU_GPU_H
