//===- Builtins.h - The built-in functions and layers -----------*- C++ -*-===//
//
// One table row per built-in function and per layer kind
// (lib/Lang/MLIRGen{Builtins,Indexing,Layers}.cpp); these list them as the
// language documents them, for docs/language.md's test and for users.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_LANG_BUILTINS_H
#define WEFT_LANG_BUILTINS_H

#include <string>
#include <vector>

namespace mlir::weft {

/// Each built-in function's signature, "softmax(x, axis=-1)", in table
/// order.
std::vector<std::string> builtinFunctionSignatures();

/// Each layer kind's constructor, "Linear(in, out, bias=true)", in table
/// order.
std::vector<std::string> builtinLayerSignatures();

} // namespace mlir::weft

#endif // WEFT_LANG_BUILTINS_H
