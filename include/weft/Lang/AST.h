//===- AST.h - Syntax tree of the .weft language ----------------*- C++ -*-===//

#ifndef WEFT_LANG_AST_H
#define WEFT_LANG_AST_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
class SourceMgr;
} // namespace llvm

namespace mlir::weft {

/// One dimension of a declared tensor type: a size or a symbol (`B`).
struct DimAST {
  llvm::SMLoc loc;
  int64_t size = 0;
  std::string symbol;
  bool isSymbolic() const { return !symbol.empty(); }
};

/// `f32[B, 784]`; without brackets (`f32`) a rank-0 tensor.
struct TypeAST {
  llvm::SMLoc loc;
  std::string dtype;
  std::vector<DimAST> dims;
};

class ExprAST {
public:
  enum Kind { Number, Bool, Var, List, Tuple, Unary, Binary, Call };
  ExprAST(Kind kind, llvm::SMLoc loc) : kind(kind), loc(loc) {}
  virtual ~ExprAST() = default;
  Kind getKind() const { return kind; }
  llvm::SMLoc getLoc() const { return loc; }

private:
  const Kind kind;
  llvm::SMLoc loc;
};
using ExprPtr = std::unique_ptr<ExprAST>;

struct NumberExprAST : ExprAST {
  NumberExprAST(llvm::SMLoc loc, double value, bool isInteger)
      : ExprAST(Number, loc), value(value), isInteger(isInteger) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Number; }
  double value;
  bool isInteger;
};

struct BoolExprAST : ExprAST {
  BoolExprAST(llvm::SMLoc loc, bool value) : ExprAST(Bool, loc), value(value) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Bool; }
  bool value;
};

struct VarExprAST : ExprAST {
  VarExprAST(llvm::SMLoc loc, std::string name)
      : ExprAST(Var, loc), name(std::move(name)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Var; }
  std::string name;
};

/// `[a, b, c]`: shapes and axes.
struct ListExprAST : ExprAST {
  ListExprAST(llvm::SMLoc loc, std::vector<ExprPtr> items)
      : ExprAST(List, loc), items(std::move(items)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == List; }
  std::vector<ExprPtr> items;
};

/// `a, b` after `return`: a function's several results.
struct TupleExprAST : ExprAST {
  TupleExprAST(llvm::SMLoc loc, std::vector<ExprPtr> items)
      : ExprAST(Tuple, loc), items(std::move(items)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Tuple; }
  std::vector<ExprPtr> items;
};

struct UnaryExprAST : ExprAST {
  UnaryExprAST(llvm::SMLoc loc, char op, ExprPtr operand)
      : ExprAST(Unary, loc), op(op), operand(std::move(operand)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Unary; }
  char op;
  ExprPtr operand;
};

/// `op` is the operator as written: `+ - * / // % ** @ == != < <= > >=`.
struct BinaryExprAST : ExprAST {
  BinaryExprAST(llvm::SMLoc loc, llvm::StringRef op, ExprPtr lhs, ExprPtr rhs)
      : ExprAST(Binary, loc), op(op.str()), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Binary; }
  std::string op;
  ExprPtr lhs, rhs;
};

struct KeywordArgAST {
  llvm::SMLoc loc;
  std::string name;
  ExprPtr value;
};

/// `f(a, b, key=c)`. A pipeline `a |> f(b)` is parsed as `f(a, b)`.
struct CallExprAST : ExprAST {
  CallExprAST(llvm::SMLoc loc, std::string callee, std::vector<ExprPtr> args,
              std::vector<KeywordArgAST> kwargs)
      : ExprAST(Call, loc), callee(std::move(callee)), args(std::move(args)),
        kwargs(std::move(kwargs)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Call; }
  std::string callee;
  std::vector<ExprPtr> args;
  std::vector<KeywordArgAST> kwargs;
};

/// `name = value` (or `a, b = value` for several results), `return value`
/// (or `return a, b`), `for name in list { body }`, which runs its body once
/// per model of a layer list, `for name in range(n) { body }`, which runs
/// it for name = 0 .. n-1, or a call for its effect on the model's
/// parameters (`opt(loss)`).
struct StmtAST {
  enum Kind { Assign, Return, For, Call } kind = Assign;
  llvm::SMLoc loc;
  /// Assign: the variables, in order.
  std::vector<std::string> names;
  /// For: the loop variable.
  std::string name;
  /// Assign, Return and Call.
  ExprPtr value;
  /// For: the layer list, or the one to three arguments of `range(...)`,
  /// and the body.
  std::string list;
  std::vector<ExprPtr> range;
  std::vector<StmtAST> body;
  bool isReturn() const { return kind == Return; }
};

struct ParamAST {
  llvm::SMLoc loc;
  std::string name;
  std::optional<TypeAST> type;
  /// `mut w`: the function updates the caller's `w` to the parameter's value
  /// at the return.
  bool isMut = false;
};

/// `def name(params) -> type { body }`, or `def name(params) = expr`, whose
/// body is the single statement `return expr`.
struct FunctionAST {
  llvm::SMLoc loc;
  std::string name;
  std::vector<ParamAST> params;
  std::optional<TypeAST> result;
  std::vector<StmtAST> body;
};

/// `name = Kind(args)` inside a model: a layer, a raw parameter or a model
/// used inside this one; or `name = [Kind(args) for N]`, a list of N.
struct LayerAST {
  llvm::SMLoc loc;
  std::string name;
  std::unique_ptr<CallExprAST> constructor;
  /// For a list, the number of copies.
  ExprPtr count;
};

/// `model Name(params) { layers and methods }`; the parameters are integers
/// given where the model is used inside another.
struct ModelAST {
  llvm::SMLoc loc;
  std::string name;
  std::vector<ParamAST> params;
  std::vector<LayerAST> layers;
  std::vector<FunctionAST> methods;
};

/// `import name`: the definitions of `name.weft`, found on the import path,
/// join the program's.
struct ImportAST {
  llvm::SMLoc loc;
  std::string name;
};

/// A program: its own definitions and those of the files it imports.
struct ModuleAST {
  std::vector<ImportAST> imports;
  std::vector<FunctionAST> functions;
  std::vector<ModelAST> models;
};

/// The type as written: `f32[B, 784]`.
std::string toString(const TypeAST &type);

/// Prints the tree of the main file (its imports by name), one node a
/// line, each with its `line:col`.
void dump(const ModuleAST &module, const llvm::SourceMgr &sourceMgr,
          llvm::raw_ostream &os);

} // namespace mlir::weft

#endif // WEFT_LANG_AST_H
