//===- ABI.h - Names compiled code and the runtime share --------*- C++ -*-===//
//
// The attributes and symbols through which the compiler tells the runtime
// how to call an entry point, and through which compiled code calls back.
// Header-only: the compiler's passes, the JIT runner and the CUDA runtime
// include it, and none of them links the others for it.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_RUNTIME_ABI_H
#define WEFT_RUNTIME_ABI_H

#include "llvm/ADT/StringRef.h"

namespace mlir::weft {

/// The argument attribute holding a lifted parameter's name
/// (weft-lift-params): the runtime passes weights in that order.
inline constexpr llvm::StringLiteral kParamAttrName = "weft.param";

/// The result attribute of an entry point's result that is the new value of
/// an argument (a `mut` parameter), holding the argument's position: the
/// lowering writes the value into the argument's buffer and drops the
/// result, and the runtime hands the same buffer to the next call.
inline constexpr llvm::StringLiteral kUpdatesAttrName = "weft.updates";

/// Run-time index checks. Every lookup (IndexingOpInterface) is a check
/// site: the module attribute `weft.index_sites` lists them (a NameLoc per
/// site, named by the op, at its source location), each op carries its
/// number in `weft.index_site`, and its lowering calls
/// `weft_index_error(site, index, size)`, which the runtime provides, for an
/// index outside [0, size) before reading at a clamped index. An integer
/// division (an op with the DividesIntegers trait) is a site too: its
/// lowering calls `weft_index_error(site, 0, 0)` for a zero divisor, an
/// index outside the empty range, which the runtime reports as a division
/// by zero.
inline constexpr llvm::StringLiteral kIndexSitesAttrName = "weft.index_sites";
inline constexpr llvm::StringLiteral kIndexSiteAttrName = "weft.index_site";
inline constexpr llvm::StringLiteral kIndexErrorFunction = "weft_index_error";

/// On the GPU: the global of a kernel module that holds the address of the
/// runtime's index-error record, four 64-bit words: raised flag, site,
/// index, size.
inline constexpr llvm::StringLiteral kIndexErrorRecordGlobal =
    "weft_index_error_record";

} // namespace mlir::weft

#endif // WEFT_RUNTIME_ABI_H
