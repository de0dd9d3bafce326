//===- AST.h - Syntax tree of the .weft language ----------------*- C++ -*-===//

#ifndef WEFT_LANG_AST_H
#define WEFT_LANG_AST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"
#include <algorithm>
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

class ExprAST;
using ExprPtr = std::unique_ptr<ExprAST>;

class ExprAST {
public:
  enum Kind {
    Number,
    Bool,
    String,
    Var,
    List,
    Tuple,
    Unary,
    Binary,
    Call,
    Index
  };
  ExprAST(Kind kind, llvm::SMLoc loc, unsigned height = 1)
      : kind(kind), loc(loc), height(height) {}
  virtual ~ExprAST() = default;
  Kind getKind() const { return kind; }
  llvm::SMLoc getLoc() const { return loc; }
  /// The levels of the tree from this node down: 1 for a leaf. The parser
  /// bounds it, so every pass over the tree may recurse.
  unsigned getHeight() const { return height; }

protected:
  /// One more than the tallest of `children`.
  static unsigned above(llvm::ArrayRef<const ExprAST *> children) {
    unsigned tallest = 0;
    for (const ExprAST *child : children)
      tallest = std::max(tallest, child->height);
    return tallest + 1;
  }
  static unsigned aboveAll(const std::vector<ExprPtr> &children) {
    unsigned tallest = 0;
    for (const ExprPtr &child : children)
      tallest = std::max(tallest, child->height);
    return tallest + 1;
  }

private:
  const Kind kind;
  llvm::SMLoc loc;
  unsigned height;
};

/// A number as written: `value`, and for an integer (no `.` or exponent)
/// also its exact value `integer`.
struct NumberExprAST : ExprAST {
  NumberExprAST(llvm::SMLoc loc, double value)
      : ExprAST(Number, loc), value(value) {}
  NumberExprAST(llvm::SMLoc loc, int64_t integer)
      : ExprAST(Number, loc), value(static_cast<double>(integer)),
        isInteger(true), integer(integer) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Number; }
  double value;
  bool isInteger = false;
  int64_t integer = 0;
};

struct BoolExprAST : ExprAST {
  BoolExprAST(llvm::SMLoc loc, bool value) : ExprAST(Bool, loc), value(value) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Bool; }
  bool value;
};

/// `"sum"`: the value of an option, `reduction="sum"`.
struct StringExprAST : ExprAST {
  StringExprAST(llvm::SMLoc loc, std::string value)
      : ExprAST(String, loc), value(std::move(value)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == String; }
  std::string value;
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
      : ExprAST(List, loc, aboveAll(items)), items(std::move(items)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == List; }
  std::vector<ExprPtr> items;
};

/// `a, b` after `return`: a function's several results.
struct TupleExprAST : ExprAST {
  TupleExprAST(llvm::SMLoc loc, std::vector<ExprPtr> items)
      : ExprAST(Tuple, loc, aboveAll(items)), items(std::move(items)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Tuple; }
  std::vector<ExprPtr> items;
};

struct UnaryExprAST : ExprAST {
  UnaryExprAST(llvm::SMLoc loc, char op, ExprPtr operand)
      : ExprAST(Unary, loc, above({operand.get()})), op(op),
        operand(std::move(operand)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Unary; }
  char op;
  ExprPtr operand;
};

/// `op` is the operator as written: `+ - * / // % ** @ == != < <= > >=`.
struct BinaryExprAST : ExprAST {
  BinaryExprAST(llvm::SMLoc loc, llvm::StringRef op, ExprPtr lhs, ExprPtr rhs)
      : ExprAST(Binary, loc, above({lhs.get(), rhs.get()})), op(op.str()),
        lhs(std::move(lhs)), rhs(std::move(rhs)) {}
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
      : ExprAST(Call, loc, heightOf(args, kwargs)), callee(std::move(callee)),
        args(std::move(args)), kwargs(std::move(kwargs)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Call; }
  std::string callee;
  std::vector<ExprPtr> args;
  std::vector<KeywordArgAST> kwargs;

private:
  static unsigned heightOf(const std::vector<ExprPtr> &args,
                           const std::vector<KeywordArgAST> &kwargs) {
    unsigned height = aboveAll(args);
    for (const KeywordArgAST &kwarg : kwargs)
      height = std::max(height, kwarg.value->getHeight() + 1);
    return height;
  }
};

/// One subscript of `x[...]`: an index `i`, a slice `start:end:step` (each
/// part optional), or `...`.
struct SubscriptAST {
  enum Kind { Index, Slice, Ellipsis } kind = Index;
  llvm::SMLoc loc;
  /// Index: the index; Slice: the parts given.
  ExprPtr index, start, end, step;
};

/// `x[i, a:b, ...]`: NumPy's basic indexing, and a vector of indices.
struct IndexExprAST : ExprAST {
  IndexExprAST(llvm::SMLoc loc, ExprPtr base,
               std::vector<SubscriptAST> subscripts)
      : ExprAST(Index, loc, heightOf(base, subscripts)), base(std::move(base)),
        subscripts(std::move(subscripts)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Index; }
  ExprPtr base;
  std::vector<SubscriptAST> subscripts;

private:
  static unsigned heightOf(const ExprPtr &base,
                           const std::vector<SubscriptAST> &subscripts) {
    unsigned height = base->getHeight() + 1;
    for (const SubscriptAST &s : subscripts)
      for (const ExprPtr *part : {&s.index, &s.start, &s.end, &s.step})
        if (*part)
          height = std::max(height, (*part)->getHeight() + 1);
    return height;
  }
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
