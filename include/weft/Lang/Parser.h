//===- Parser.h - Recursive-descent parser of .weft files -------*- C++ -*-===//

#ifndef WEFT_LANG_PARSER_H
#define WEFT_LANG_PARSER_H

#include "weft/Lang/AST.h"
#include "weft/Runtime/Limits.h"

#include "llvm/ADT/ArrayRef.h"
#include <optional>
#include <string>

namespace mlir::weft {

/// Parses the main buffer of `sourceMgr` and, into the same module, every
/// file it imports (`import nn` reads the first `nn.weft` found in the
/// directories of `importPath`), each once, and checks that no name is
/// declared twice in one scope. Errors are printed through `sourceMgr`
/// (file:line:col, the line and a caret); the first one stops the parse and
/// yields std::nullopt.
std::optional<ModuleAST> parseModule(llvm::SourceMgr &sourceMgr,
                                     llvm::ArrayRef<std::string> importPath);

/// Parses buffer `bufferID` of `sourceMgr` as one expression, with blank
/// lines around it allowed (the REPL's input). Errors are printed through
/// `sourceMgr`; the result is then null.
ExprPtr parseExpression(llvm::SourceMgr &sourceMgr, unsigned bufferID);

} // namespace mlir::weft

#endif // WEFT_LANG_PARSER_H
