//===- Lexer.h - Tokens of the .weft language -------------------*- C++ -*-===//

#ifndef WEFT_LANG_LEXER_H
#define WEFT_LANG_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <string>

namespace mlir::weft {

enum class Token {
  Eof,
  Error,
  Newline,
  Identifier,
  /// A member model's method, `net.encode`: a name, a dot, a name.
  MethodName,
  Number,
  /// `"sum"` or `'sum'`: an option's value.
  String,
  // Keywords.
  KwImport,
  KwModel,
  KwDef,
  KwReturn,
  KwFor,
  KwIn,
  KwTrue,
  KwFalse,
  // Punctuation and operators.
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Ellipsis,
  Semicolon,
  Assign,
  Arrow,
  Pipe,
  Plus,
  Minus,
  Star,
  StarStar,
  Slash,
  SlashSlash,
  Percent,
  At,
  EqualEqual,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
};

/// Human-readable name of a token kind, for "expected X" messages.
llvm::StringRef describe(Token kind);

/// Splits a buffer into tokens. Newlines end statements, except inside
/// parentheses and brackets, where expressions may span lines; `#` starts a
/// comment that runs to the end of the line.
class Lexer {
public:
  explicit Lexer(llvm::StringRef buffer) : buffer(buffer), cur(buffer.begin()) {
    next();
  }

  Token kind() const { return curKind; }
  llvm::StringRef text() const { return curText; }
  llvm::SMLoc loc() const {
    return llvm::SMLoc::getFromPointer(curText.begin());
  }
  /// The value of a Number token.
  double number() const { return curNumber; }
  /// Whether a Number token is an integer (no `.` or exponent), and then
  /// its exact value.
  bool isInteger() const { return curIsInteger; }
  int64_t integer() const { return curInteger; }
  /// The characters between a String token's quotes.
  llvm::StringRef string() const { return curText.drop_front().drop_back(); }
  /// For an Error token, what was wrong.
  llvm::StringRef error() const { return curError; }

  /// Moves to the next token.
  void next();

private:
  Token lexNumber(const char *start);
  Token lexIdentifier(const char *start);

  llvm::StringRef buffer;
  const char *cur;
  Token curKind = Token::Eof;
  llvm::StringRef curText;
  double curNumber = 0;
  bool curIsInteger = false;
  int64_t curInteger = 0;
  llvm::StringRef curError;
  std::string errorText;
  int nesting = 0;
};

} // namespace mlir::weft

#endif // WEFT_LANG_LEXER_H
