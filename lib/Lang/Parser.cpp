//===- Parser.cpp - Recursive-descent parser of .weft files ---------------===//
//
// The grammar is written down in docs/language.md. Each parse function
// returns a null/false result after printing the first error; nothing is
// recovered, so one mistake yields exactly one message.
//
//===----------------------------------------------------------------------===//

#include "weft/Lang/Parser.h"
#include "weft/Lang/Lexer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir::weft;
using llvm::SMLoc;

namespace {
class Parser {
public:
  Parser(llvm::SourceMgr &sourceMgr, unsigned bufferID)
      : sourceMgr(sourceMgr),
        lex(sourceMgr.getMemoryBuffer(bufferID)->getBuffer()) {}

  /// Parses the buffer's imports and definitions into `module`.
  bool parseFile(ModuleAST &module);
  /// Parses the buffer as one expression.
  ExprPtr parseWholeExpression() {
    skipSeparators();
    ExprPtr expr = parseExpr();
    if (!expr)
      return nullptr;
    skipSeparators();
    if (lex.kind() != Token::Eof) {
      unexpected("the end of the expression");
      return nullptr;
    }
    return expr;
  }
  /// Reports the first name declared twice in one scope: top-level
  /// functions and models (across imported files), a model's layers and
  /// methods, a function's parameters.
  bool checkRedefinitions(const ModuleAST &module);

private:
  bool error(SMLoc loc, const llvm::Twine &message) {
    if (!failed)
      sourceMgr.PrintMessage(loc, llvm::SourceMgr::DK_Error, message);
    failed = true;
    return false;
  }
  /// Reports the current token as unexpected.
  bool unexpected(llvm::StringRef expected) {
    if (lex.kind() == Token::Error)
      return error(lex.loc(), lex.error());
    return error(lex.loc(),
                 "expected " + expected + ", found " +
                     (lex.kind() == Token::Eof || lex.kind() == Token::Newline
                          ? describe(lex.kind()).str()
                          : "'" + lex.text().str() + "'"));
  }
  bool expect(Token kind, llvm::StringRef what = {}) {
    if (lex.kind() != kind)
      return unexpected(what.empty() ? describe(kind) : what);
    lex.next();
    return true;
  }
  bool consumeIf(Token kind) {
    if (lex.kind() != kind)
      return false;
    lex.next();
    return true;
  }
  void skipSeparators() {
    while (lex.kind() == Token::Newline || lex.kind() == Token::Semicolon)
      lex.next();
  }
  /// After a statement or declaration: a newline, ';', or the closing
  /// brace that ends the enclosing block.
  bool expectEndOfStatement() {
    if (lex.kind() == Token::Newline || lex.kind() == Token::Semicolon ||
        lex.kind() == Token::RBrace || lex.kind() == Token::Eof)
      return true;
    return unexpected("end of line");
  }

  /// Counts one more level of recursion for its lifetime; when that passes
  /// kMaxNesting, the parse fails.
  struct Nested {
    Nested(Parser &parser) : parser(parser) { ++parser.depth; }
    ~Nested() { --parser.depth; }
    bool tooDeep() const {
      if (parser.depth <= kMaxNesting)
        return false;
      parser.tooDeep(parser.lex.loc());
      return true;
    }
    Parser &parser;
  };
  /// `expr`, or null after an error if it nests too deeply.
  ExprPtr bounded(ExprPtr expr) {
    if (expr && expr->getHeight() > kMaxNesting) {
      tooDeep(expr->getLoc());
      return nullptr;
    }
    return expr;
  }
  bool tooDeep(SMLoc loc) {
    return error(loc, "nesting deeper than " + llvm::Twine(kMaxNesting) +
                          " levels (of blocks, brackets, calls and "
                          "operators); split it with intermediate variables");
  }

  bool checkUnique(llvm::StringMap<SMLoc> &seen, llvm::StringRef name,
                   SMLoc loc, llvm::StringRef what = "");
  bool checkParameters(const FunctionAST &function);

  bool parseModel(ModuleAST &module);
  bool parseFunction(FunctionAST &function);
  bool parseType(TypeAST &type);
  bool parseStatement(std::vector<StmtAST> &body);
  bool parseBlock(std::vector<StmtAST> &body);
  bool parseArguments(std::vector<ExprPtr> &args,
                      std::vector<KeywordArgAST> &kwargs);

  ExprPtr parseExpr();
  /// A left-associative chain of `operand`s joined by `operators`.
  ExprPtr parseBinary(llvm::ArrayRef<Token> operators,
                      ExprPtr (Parser::*operand)());
  ExprPtr parseComparison();
  ExprPtr parseAdditive();
  ExprPtr parseMultiplicative();
  ExprPtr parseUnary();
  ExprPtr parsePower();
  /// An atom followed by any subscripts: `x[0, 1:]`.
  ExprPtr parsePrimary();
  ExprPtr parseAtom();
  bool parseSubscript(std::vector<SubscriptAST> &subscripts);

  llvm::SourceMgr &sourceMgr;
  Lexer lex;
  bool failed = false;
  unsigned depth = 0;
};
} // namespace

bool Parser::parseFile(ModuleAST &module) {
  skipSeparators();
  while (lex.kind() != Token::Eof) {
    if (lex.kind() == Token::KwImport) {
      SMLoc loc = lex.loc();
      lex.next();
      if (lex.kind() != Token::Identifier)
        return unexpected("a library name after 'import'");
      module.imports.push_back({loc, lex.text().str()});
      lex.next();
    } else if (lex.kind() == Token::KwModel) {
      if (!parseModel(module))
        return false;
    } else if (lex.kind() == Token::KwDef) {
      module.functions.emplace_back();
      if (!parseFunction(module.functions.back()))
        return false;
    } else {
      return unexpected("'import', 'model' or 'def'");
    }
    if (!expectEndOfStatement())
      return false;
    skipSeparators();
  }
  return true;
}

bool Parser::checkUnique(llvm::StringMap<SMLoc> &seen, llvm::StringRef name,
                         SMLoc loc, llvm::StringRef what) {
  auto [it, inserted] = seen.try_emplace(name, loc);
  if (inserted)
    return true;
  error(loc, "redefinition of " + what + "'" + name + "'");
  sourceMgr.PrintMessage(it->second, llvm::SourceMgr::DK_Note,
                         "previous definition is here");
  return false;
}

bool Parser::checkParameters(const FunctionAST &function) {
  llvm::StringMap<SMLoc> params;
  for (const ParamAST &param : function.params)
    if (!checkUnique(params, param.name, param.loc, "parameter "))
      return false;
  return true;
}

bool Parser::checkRedefinitions(const ModuleAST &module) {
  llvm::StringMap<SMLoc> topLevel;
  for (const FunctionAST &f : module.functions)
    if (!checkUnique(topLevel, f.name, f.loc) || !checkParameters(f))
      return false;
  for (const ModelAST &model : module.models) {
    if (!checkUnique(topLevel, model.name, model.loc))
      return false;
    llvm::StringMap<SMLoc> members;
    for (const ParamAST &param : model.params)
      if (!checkUnique(members, param.name, param.loc))
        return false;
    for (const LayerAST &layer : model.layers)
      if (!checkUnique(members, layer.name, layer.loc))
        return false;
    for (const FunctionAST &f : model.methods)
      if (!checkUnique(members, f.name, f.loc) || !checkParameters(f))
        return false;
  }
  return true;
}

bool Parser::parseModel(ModuleAST &module) {
  ModelAST model;
  model.loc = lex.loc();
  lex.next(); // 'model'
  if (lex.kind() != Token::Identifier)
    return unexpected("a model name");
  model.name = lex.text().str();
  lex.next();
  if (consumeIf(Token::LParen) && lex.kind() != Token::RParen) {
    do {
      if (lex.kind() != Token::Identifier)
        return unexpected("a model parameter name");
      model.params.push_back({lex.loc(), lex.text().str(), std::nullopt});
      lex.next();
    } while (consumeIf(Token::Comma));
  }
  if (!model.params.empty() && !expect(Token::RParen, "',' or ')'"))
    return false;
  if (model.params.empty())
    consumeIf(Token::RParen);
  if (!expect(Token::LBrace))
    return false;
  skipSeparators();
  while (lex.kind() != Token::RBrace) {
    if (lex.kind() == Token::KwDef) {
      model.methods.emplace_back();
      if (!parseFunction(model.methods.back()))
        return false;
    } else if (lex.kind() == Token::Identifier) {
      LayerAST layer;
      layer.loc = lex.loc();
      layer.name = lex.text().str();
      lex.next();
      if (!expect(Token::Assign))
        return false;
      bool isList = consumeIf(Token::LBracket);
      SMLoc kindLoc = lex.loc();
      // `nn.Linear(...)`, as PyTorch spells it.
      if (lex.kind() == Token::MethodName)
        return error(kindLoc, "expected a layer type such as Linear, found '" +
                                  lex.text() +
                                  "'; weft's layers need no "
                                  "module prefix: write " +
                                  lex.text().rsplit('.').second + "(...)");
      if (lex.kind() != Token::Identifier)
        return unexpected("a layer type such as Linear");
      std::string kind = lex.text().str();
      lex.next();
      std::vector<ExprPtr> args;
      std::vector<KeywordArgAST> kwargs;
      if (!expect(Token::LParen) || !parseArguments(args, kwargs))
        return false;
      layer.constructor = std::make_unique<CallExprAST>(
          kindLoc, std::move(kind), std::move(args), std::move(kwargs));
      if (isList) {
        if (!expect(Token::KwFor, "'for' (a layer list is [Kind(...) for N])"))
          return false;
        layer.count = parseExpr();
        if (!layer.count || !expect(Token::RBracket))
          return false;
      }
      model.layers.push_back(std::move(layer));
    } else {
      return unexpected("a layer declaration, 'def' or '}'");
    }
    if (!expectEndOfStatement())
      return false;
    skipSeparators();
  }
  lex.next(); // '}'
  module.models.push_back(std::move(model));
  return true;
}

bool Parser::parseType(TypeAST &type) {
  type.loc = lex.loc();
  if (lex.kind() != Token::Identifier)
    return unexpected("a type such as f32[B, 784]");
  type.dtype = lex.text().str();
  lex.next();
  if (!consumeIf(Token::LBracket))
    return true;
  do {
    DimAST dim;
    dim.loc = lex.loc();
    if (lex.kind() == Token::Number) {
      if (!lex.isInteger() || lex.integer() < 1)
        return error(lex.loc(), "a dimension must be a positive integer or "
                                "a name, found '" +
                                    lex.text() + "'");
      dim.size = lex.integer();
    } else if (lex.kind() == Token::Identifier) {
      dim.symbol = lex.text().str();
    } else {
      return unexpected("a dimension");
    }
    lex.next();
    type.dims.push_back(std::move(dim));
  } while (consumeIf(Token::Comma));
  return expect(Token::RBracket, "',' or ']'");
}

bool Parser::parseFunction(FunctionAST &function) {
  function.loc = lex.loc();
  lex.next(); // 'def'
  if (lex.kind() != Token::Identifier)
    return unexpected("a function name");
  function.name = lex.text().str();
  lex.next();
  if (!expect(Token::LParen))
    return false;
  if (lex.kind() != Token::RParen) {
    do {
      ParamAST param;
      param.loc = lex.loc();
      // `mut` before a name is a modifier, not a name.
      if (lex.kind() == Token::Identifier && lex.text() == "mut") {
        param.isMut = true;
        lex.next();
      }
      if (lex.kind() != Token::Identifier)
        return unexpected("a parameter name");
      param.name = lex.text().str();
      lex.next();
      if (consumeIf(Token::Colon)) {
        param.type.emplace();
        if (!parseType(*param.type))
          return false;
      }
      function.params.push_back(std::move(param));
    } while (consumeIf(Token::Comma));
  }
  if (!expect(Token::RParen, "',' or ')'"))
    return false;
  if (consumeIf(Token::Arrow)) {
    function.result.emplace();
    if (!parseType(*function.result))
      return false;
  }
  if (lex.kind() == Token::Assign) {
    StmtAST ret;
    ret.loc = lex.loc();
    ret.kind = StmtAST::Return;
    lex.next();
    // The expression may start on the next line.
    while (lex.kind() == Token::Newline)
      lex.next();
    ret.value = parseExpr();
    if (!ret.value)
      return false;
    function.body.push_back(std::move(ret));
    return true;
  }
  if (lex.kind() != Token::LBrace)
    return unexpected("'{' or '='");
  return parseBlock(function.body);
}

bool Parser::parseBlock(std::vector<StmtAST> &body) {
  Nested nested(*this);
  if (nested.tooDeep() || !expect(Token::LBrace))
    return false;
  skipSeparators();
  while (lex.kind() != Token::RBrace) {
    if (!parseStatement(body) || !expectEndOfStatement())
      return false;
    skipSeparators();
  }
  lex.next(); // '}'
  return true;
}

bool Parser::parseStatement(std::vector<StmtAST> &body) {
  StmtAST stmt;
  stmt.loc = lex.loc();
  if (consumeIf(Token::KwFor)) {
    stmt.kind = StmtAST::For;
    if (lex.kind() != Token::Identifier)
      return unexpected("a loop variable");
    stmt.name = lex.text().str();
    lex.next();
    if (!expect(Token::KwIn))
      return false;
    if (lex.kind() != Token::Identifier)
      return unexpected("a layer list or range(n)");
    stmt.list = lex.text().str();
    lex.next();
    if (stmt.list == "range" && consumeIf(Token::LParen)) {
      stmt.list.clear();
      do {
        stmt.range.push_back(parseExpr());
        if (!stmt.range.back())
          return false;
      } while (stmt.range.size() < 3 && consumeIf(Token::Comma));
      if (!expect(Token::RParen, "')' (range takes at most 3 arguments)"))
        return false;
    }
    if (!parseBlock(stmt.body))
      return false;
    body.push_back(std::move(stmt));
    return true;
  }
  if (consumeIf(Token::KwReturn)) {
    stmt.kind = StmtAST::Return;
    SMLoc loc = lex.loc();
    std::vector<ExprPtr> values;
    do {
      values.push_back(parseExpr());
      if (!values.back())
        return false;
    } while (consumeIf(Token::Comma));
    stmt.value = values.size() == 1
                     ? std::move(values.front())
                     : std::make_unique<TupleExprAST>(loc, std::move(values));
    body.push_back(std::move(stmt));
    return true;
  }
  if (lex.kind() != Token::Identifier)
    return unexpected("a statement");
  // A name followed by '(' starts a call made for its effect.
  Lexer ahead = lex;
  ahead.next();
  if (ahead.kind() == Token::LParen) {
    stmt.kind = StmtAST::Call;
    stmt.value = parseExpr();
    if (!stmt.value)
      return false;
    body.push_back(std::move(stmt));
    return true;
  }
  do {
    if (lex.kind() != Token::Identifier)
      return unexpected("a variable name");
    stmt.names.push_back(lex.text().str());
    lex.next();
  } while (consumeIf(Token::Comma));
  if (!expect(Token::Assign, "'=' (statements are 'name = expr', "
                             "'return expr', 'for name in list { ... }' or "
                             "a call such as 'opt(loss)')"))
    return false;
  stmt.value = parseExpr();
  if (!stmt.value)
    return false;
  body.push_back(std::move(stmt));
  return true;
}

bool Parser::parseArguments(std::vector<ExprPtr> &args,
                            std::vector<KeywordArgAST> &kwargs) {
  if (consumeIf(Token::RParen))
    return true;
  do {
    SMLoc loc = lex.loc();
    ExprPtr value = parseExpr();
    if (!value)
      return false;
    if (lex.kind() == Token::Assign) {
      auto *name = llvm::dyn_cast<VarExprAST>(value.get());
      if (!name)
        return error(loc, "a keyword argument needs a name before '='");
      lex.next();
      ExprPtr kwValue = parseExpr();
      if (!kwValue)
        return false;
      kwargs.push_back({loc, name->name, std::move(kwValue)});
      continue;
    }
    if (!kwargs.empty())
      return error(loc, "a positional argument cannot follow keyword "
                        "arguments");
    args.push_back(std::move(value));
  } while (consumeIf(Token::Comma));
  return expect(Token::RParen, "',' or ')'");
}

// expr := comparison ('|>' name ['(' arguments ')'])*
ExprPtr Parser::parseExpr() {
  ExprPtr lhs = parseComparison();
  while (lhs && lex.kind() == Token::Pipe) {
    lex.next();
    SMLoc loc = lex.loc();
    if (lex.kind() != Token::Identifier) {
      unexpected("a function or layer name after '|>'");
      return nullptr;
    }
    std::string callee = lex.text().str();
    lex.next();
    std::vector<ExprPtr> args;
    std::vector<KeywordArgAST> kwargs;
    args.push_back(std::move(lhs));
    if (consumeIf(Token::LParen) && !parseArguments(args, kwargs))
      return nullptr;
    lhs = bounded(std::make_unique<CallExprAST>(
        loc, std::move(callee), std::move(args), std::move(kwargs)));
  }
  return lhs;
}

ExprPtr Parser::parseBinary(llvm::ArrayRef<Token> operators,
                            ExprPtr (Parser::*operand)()) {
  ExprPtr lhs = (this->*operand)();
  while (lhs && llvm::is_contained(operators, lex.kind())) {
    SMLoc loc = lex.loc();
    llvm::StringRef op = lex.text();
    lex.next();
    ExprPtr rhs = (this->*operand)();
    if (!rhs)
      return nullptr;
    lhs = bounded(std::make_unique<BinaryExprAST>(loc, op, std::move(lhs),
                                                  std::move(rhs)));
  }
  return lhs;
}

// Comparisons do not chain: `a < b < c` is an error, not `(a < b) < c`.
ExprPtr Parser::parseComparison() {
  static constexpr Token comparisons[] = {
      Token::EqualEqual, Token::NotEqual, Token::Less,
      Token::LessEqual,  Token::Greater,  Token::GreaterEqual};
  ExprPtr lhs = parseAdditive();
  if (!lhs || !llvm::is_contained(comparisons, lex.kind()))
    return lhs;
  SMLoc loc = lex.loc();
  llvm::StringRef op = lex.text();
  lex.next();
  ExprPtr rhs = parseAdditive();
  if (!rhs)
    return nullptr;
  if (llvm::is_contained(comparisons, lex.kind())) {
    error(lex.loc(), "comparisons do not chain ('a < b < c'); write each "
                     "comparison separately");
    return nullptr;
  }
  return std::make_unique<BinaryExprAST>(loc, op, std::move(lhs),
                                         std::move(rhs));
}

ExprPtr Parser::parseAdditive() {
  return parseBinary({Token::Plus, Token::Minus}, &Parser::parseMultiplicative);
}

ExprPtr Parser::parseMultiplicative() {
  return parseBinary(
      {Token::Star, Token::Slash, Token::SlashSlash, Token::Percent, Token::At},
      &Parser::parseUnary);
}

// Every nested expression is parsed through here, which bounds the
// recursion.
ExprPtr Parser::parseUnary() {
  Nested nested(*this);
  if (nested.tooDeep())
    return nullptr;
  if (lex.kind() != Token::Minus)
    return parsePower();
  SMLoc loc = lex.loc();
  lex.next();
  ExprPtr operand = parseUnary();
  if (!operand)
    return nullptr;
  return std::make_unique<UnaryExprAST>(loc, '-', std::move(operand));
}

// `**` binds tighter than unary minus on its left and is right-associative.
ExprPtr Parser::parsePower() {
  ExprPtr base = parsePrimary();
  if (!base || lex.kind() != Token::StarStar)
    return base;
  SMLoc loc = lex.loc();
  lex.next();
  ExprPtr exponent = parseUnary();
  if (!exponent)
    return nullptr;
  return std::make_unique<BinaryExprAST>(loc, "**", std::move(base),
                                         std::move(exponent));
}

ExprPtr Parser::parsePrimary() {
  ExprPtr expr = parseAtom();
  while (expr && lex.kind() == Token::LBracket) {
    SMLoc loc = lex.loc();
    lex.next();
    std::vector<SubscriptAST> subscripts;
    do {
      if (!parseSubscript(subscripts))
        return nullptr;
    } while (consumeIf(Token::Comma));
    if (!expect(Token::RBracket, "',' or ']'"))
      return nullptr;
    expr = bounded(std::make_unique<IndexExprAST>(loc, std::move(expr),
                                                  std::move(subscripts)));
  }
  return expr;
}

// subscript := '...' | [expr] ':' [expr] [':' [expr]] | expr
bool Parser::parseSubscript(std::vector<SubscriptAST> &subscripts) {
  SubscriptAST subscript;
  subscript.loc = lex.loc();
  if (consumeIf(Token::Ellipsis)) {
    subscript.kind = SubscriptAST::Ellipsis;
    subscripts.push_back(std::move(subscript));
    return true;
  }
  // A part of a slice is absent before ':', ',' and ']'.
  auto part = [&](ExprPtr &into) {
    if (lex.kind() == Token::Colon || lex.kind() == Token::Comma ||
        lex.kind() == Token::RBracket)
      return true;
    into = parseExpr();
    return into != nullptr;
  };
  if (!part(subscript.index))
    return false;
  if (consumeIf(Token::Colon)) {
    subscript.kind = SubscriptAST::Slice;
    subscript.start = std::move(subscript.index);
    if (!part(subscript.end) ||
        (consumeIf(Token::Colon) && !part(subscript.step)))
      return false;
  } else if (!subscript.index) {
    return unexpected("an index, a slice or '...'");
  }
  subscripts.push_back(std::move(subscript));
  return true;
}

ExprPtr Parser::parseAtom() {
  SMLoc loc = lex.loc();
  switch (lex.kind()) {
  case Token::Number: {
    ExprPtr number = lex.isInteger()
                         ? std::make_unique<NumberExprAST>(loc, lex.integer())
                         : std::make_unique<NumberExprAST>(loc, lex.number());
    lex.next();
    return number;
  }
  case Token::String: {
    auto string = std::make_unique<StringExprAST>(loc, lex.string().str());
    lex.next();
    return string;
  }
  case Token::KwTrue:
  case Token::KwFalse: {
    bool value = lex.kind() == Token::KwTrue;
    lex.next();
    return std::make_unique<BoolExprAST>(loc, value);
  }
  case Token::Identifier: {
    std::string name = lex.text().str();
    lex.next();
    if (!consumeIf(Token::LParen))
      return std::make_unique<VarExprAST>(loc, std::move(name));
    std::vector<ExprPtr> args;
    std::vector<KeywordArgAST> kwargs;
    if (!parseArguments(args, kwargs))
      return nullptr;
    return std::make_unique<CallExprAST>(loc, std::move(name), std::move(args),
                                         std::move(kwargs));
  }
  case Token::MethodName: {
    // A member model's method is called: `net.encode(x)`.
    std::string name = lex.text().str();
    lex.next();
    std::vector<ExprPtr> args;
    std::vector<KeywordArgAST> kwargs;
    if (lex.kind() != Token::LParen)
      return error(loc, "'" + name +
                            "' is not a call: weft has no attributes (a "
                            "tensor's shape is in its type; a member model's "
                            "method is called, as in " +
                            name + "(...))"),
             nullptr;
    if (!expect(Token::LParen) || !parseArguments(args, kwargs))
      return nullptr;
    return std::make_unique<CallExprAST>(loc, std::move(name), std::move(args),
                                         std::move(kwargs));
  }
  case Token::LParen: {
    lex.next();
    ExprPtr inner = parseExpr();
    if (!inner || !expect(Token::RParen))
      return nullptr;
    return inner;
  }
  case Token::LBracket: {
    lex.next();
    std::vector<ExprPtr> items;
    if (lex.kind() != Token::RBracket) {
      do {
        ExprPtr item = parseExpr();
        if (!item)
          return nullptr;
        items.push_back(std::move(item));
      } while (consumeIf(Token::Comma));
    }
    if (!expect(Token::RBracket, "',' or ']'"))
      return nullptr;
    return std::make_unique<ListExprAST>(loc, std::move(items));
  }
  default:
    unexpected("an expression");
    return nullptr;
  }
}

std::optional<ModuleAST>
mlir::weft::parseModule(llvm::SourceMgr &sourceMgr,
                        llvm::ArrayRef<std::string> importPath) {
  ModuleAST program, module;
  if (!Parser(sourceMgr, sourceMgr.getMainFileID()).parseFile(program))
    return std::nullopt;
  // Imports are resolved breadth-first; each file is read once, so cycles
  // end. Library definitions come first, so a program that redefines one
  // is told so at its own definition.
  module.imports = program.imports;
  // Files are told apart by their real paths; the main file counts as
  // read, so an import cycle through it ends there.
  auto realPath = [](llvm::StringRef path) {
    llvm::SmallString<256> real;
    if (llvm::sys::fs::real_path(path, real))
      return path.str();
    return real.str().str();
  };
  llvm::StringSet<> loaded;
  loaded.insert(realPath(sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                             ->getBufferIdentifier()));
  for (size_t i = 0; i < module.imports.size(); ++i) {
    ImportAST import = module.imports[i];
    std::string path;
    for (const std::string &dir : importPath) {
      llvm::SmallString<256> candidate(dir);
      llvm::sys::path::append(candidate, import.name + ".weft");
      if (llvm::sys::fs::is_regular_file(candidate)) {
        path = candidate.str().str();
        break;
      }
    }
    if (path.empty()) {
      std::string searched;
      for (const std::string &dir : importPath)
        searched += (searched.empty() ? "" : ", ") + dir;
      sourceMgr.PrintMessage(import.loc, llvm::SourceMgr::DK_Error,
                             "no library '" + import.name + ".weft' in " +
                                 searched);
      return std::nullopt;
    }
    if (!loaded.insert(realPath(path)).second)
      continue;
    std::string included;
    unsigned id = sourceMgr.AddIncludeFile(path, import.loc, included);
    if (id == 0) {
      sourceMgr.PrintMessage(import.loc, llvm::SourceMgr::DK_Error,
                             "cannot read '" + path + "'");
      return std::nullopt;
    }
    if (!Parser(sourceMgr, id).parseFile(module))
      return std::nullopt;
  }
  std::move(program.functions.begin(), program.functions.end(),
            std::back_inserter(module.functions));
  std::move(program.models.begin(), program.models.end(),
            std::back_inserter(module.models));
  if (!Parser(sourceMgr, sourceMgr.getMainFileID()).checkRedefinitions(module))
    return std::nullopt;
  return module;
}

ExprPtr mlir::weft::parseExpression(llvm::SourceMgr &sourceMgr,
                                    unsigned bufferID) {
  return Parser(sourceMgr, bufferID).parseWholeExpression();
}
