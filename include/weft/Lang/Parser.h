//===- Parser.h - Recursive-descent parser of .weft files -------*- C++ -*-===//

#ifndef WEFT_LANG_PARSER_H
#define WEFT_LANG_PARSER_H

#include "weft/Lang/AST.h"

#include <optional>

namespace mlir::weft {

/// Parses the main buffer of `sourceMgr` and checks that no name is declared
/// twice in one scope. Errors are printed through `sourceMgr`
/// (file:line:col, the line and a caret); the first one stops the parse and
/// yields std::nullopt.
std::optional<ModuleAST> parseModule(llvm::SourceMgr &sourceMgr);

} // namespace mlir::weft

#endif // WEFT_LANG_PARSER_H
