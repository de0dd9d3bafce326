//===- AST.cpp - Printing the syntax tree ---------------------------------===//

#include "weft/Lang/AST.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::weft;

std::string mlir::weft::toString(const TypeAST &type) {
  std::string text = type.dtype;
  if (type.dims.empty())
    return text;
  text += '[';
  for (size_t i = 0; i < type.dims.size(); ++i) {
    const DimAST &d = type.dims[i];
    text +=
        (i ? ", " : "") + (d.isSymbolic() ? d.symbol : std::to_string(d.size));
  }
  return text + ']';
}

namespace {
class Dumper {
public:
  Dumper(const llvm::SourceMgr &sourceMgr, llvm::raw_ostream &os)
      : sourceMgr(sourceMgr), os(os) {}

  /// The program's own imports and definitions; what they import is not
  /// repeated.
  void module(const ModuleAST &module) {
    os << "Module\n";
    for (const ImportAST &import : module.imports)
      if (isOwn(import.loc))
        line(1, import.loc, "Import " + import.name);
    for (const FunctionAST &f : module.functions)
      if (isOwn(f.loc))
        function("Function", f, 1);
    for (const ModelAST &m : module.models)
      if (isOwn(m.loc))
        model(m);
  }

private:
  bool isOwn(llvm::SMLoc loc) const {
    return sourceMgr.FindBufferContainingLoc(loc) == sourceMgr.getMainFileID();
  }

  void line(int depth, llvm::SMLoc loc, const llvm::Twine &text) {
    auto [row, col] = sourceMgr.getLineAndColumn(loc);
    os.indent(2 * depth) << text << " @" << row << ':' << col << '\n';
  }

  void model(const ModelAST &m) {
    std::string params;
    for (const ParamAST &p : m.params)
      params += (params.empty() ? "" : ", ") + p.name;
    line(1, m.loc,
         "Model " + m.name + (params.empty() ? "" : "(" + params + ")"));
    for (const LayerAST &layer : m.layers) {
      line(2, layer.loc, (layer.count ? "LayerList " : "Layer ") + layer.name);
      expr(*layer.constructor, 3);
      if (layer.count)
        expr(*layer.count, 3);
    }
    for (const FunctionAST &f : m.methods)
      function("Method", f, 2);
  }

  void function(llvm::StringRef what, const FunctionAST &f, int depth) {
    std::string sig = f.name + "(";
    for (size_t i = 0; i < f.params.size(); ++i) {
      const ParamAST &p = f.params[i];
      sig += (i ? ", " : "") + std::string(p.isMut ? "mut " : "") + p.name +
             (p.type ? ": " + toString(*p.type) : "");
    }
    sig += ")";
    if (f.result)
      sig += " -> " + toString(*f.result);
    line(depth, f.loc, what + " " + sig);
    statements(f.body, depth + 1);
  }

  void statements(const std::vector<StmtAST> &body, int depth) {
    for (const StmtAST &s : body) {
      switch (s.kind) {
      case StmtAST::Assign:
        line(depth, s.loc, "Assign " + llvm::join(s.names, ", "));
        expr(*s.value, depth + 1);
        break;
      case StmtAST::Return:
        line(depth, s.loc, "Return");
        expr(*s.value, depth + 1);
        break;
      case StmtAST::Call:
        line(depth, s.loc, "Call");
        expr(*s.value, depth + 1);
        break;
      case StmtAST::For:
        line(depth, s.loc,
             "For " + s.name + " in " + (s.range.empty() ? s.list : "range"));
        for (const ExprPtr &arg : s.range)
          expr(*arg, depth + 1);
        statements(s.body, depth + 1);
        break;
      }
    }
  }

  void expr(const ExprAST &e, int depth) {
    llvm::TypeSwitch<const ExprAST *>(&e)
        .Case([&](const NumberExprAST *n) {
          std::string text;
          llvm::raw_string_ostream(text) << n->value;
          line(depth, n->getLoc(), "Number " + text);
        })
        .Case([&](const BoolExprAST *b) {
          line(depth, b->getLoc(), b->value ? "Bool true" : "Bool false");
        })
        .Case([&](const StringExprAST *str) {
          line(depth, str->getLoc(), "String \"" + str->value + "\"");
        })
        .Case([&](const VarExprAST *v) {
          line(depth, v->getLoc(), "Var " + v->name);
        })
        .Case([&](const ListExprAST *l) {
          line(depth, l->getLoc(), "List");
          for (const ExprPtr &item : l->items)
            expr(*item, depth + 1);
        })
        .Case([&](const TupleExprAST *t) {
          line(depth, t->getLoc(), "Tuple");
          for (const ExprPtr &item : t->items)
            expr(*item, depth + 1);
        })
        .Case([&](const UnaryExprAST *u) {
          line(depth, u->getLoc(), "Unary -");
          expr(*u->operand, depth + 1);
        })
        .Case([&](const BinaryExprAST *b) {
          line(depth, b->getLoc(), "Binary " + b->op);
          expr(*b->lhs, depth + 1);
          expr(*b->rhs, depth + 1);
        })
        .Case([&](const CallExprAST *c) {
          line(depth, c->getLoc(), "Call " + c->callee);
          for (const ExprPtr &arg : c->args)
            expr(*arg, depth + 1);
          for (const KeywordArgAST &kw : c->kwargs) {
            line(depth + 1, kw.loc, "Keyword " + kw.name);
            expr(*kw.value, depth + 2);
          }
        })
        .Case([&](const IndexExprAST *x) {
          line(depth, x->getLoc(), "Index");
          expr(*x->base, depth + 1);
          for (const SubscriptAST &s : x->subscripts) {
            if (s.kind == SubscriptAST::Ellipsis) {
              line(depth + 1, s.loc, "Ellipsis");
              continue;
            }
            if (s.kind == SubscriptAST::Index) {
              expr(*s.index, depth + 1);
              continue;
            }
            line(depth + 1, s.loc, "Slice");
            for (auto [name, part] : {std::pair{"start", &s.start},
                                      {"end", &s.end},
                                      {"step", &s.step}})
              if (*part) {
                line(depth + 2, (*part)->getLoc(), name);
                expr(**part, depth + 3);
              }
          }
        });
  }

  const llvm::SourceMgr &sourceMgr;
  llvm::raw_ostream &os;
};
} // namespace

void mlir::weft::dump(const ModuleAST &module, const llvm::SourceMgr &sourceMgr,
                      llvm::raw_ostream &os) {
  Dumper(sourceMgr, os).module(module);
}
