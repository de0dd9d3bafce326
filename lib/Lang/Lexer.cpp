//===- Lexer.cpp - Tokens of the .weft language ---------------------------===//

#include "weft/Lang/Lexer.h"

#include <algorithm>

#include "llvm/ADT/StringSwitch.h"
#include <cctype>
#include <cstdlib>

using namespace mlir::weft;

llvm::StringRef mlir::weft::describe(Token kind) {
  switch (kind) {
  case Token::Eof:
    return "end of file";
  case Token::Error:
    return "invalid token";
  case Token::Newline:
    return "end of line";
  case Token::Identifier:
    return "a name";
  case Token::MethodName:
    return "a method's name";
  case Token::Number:
    return "a number";
  case Token::String:
    return "a string";
  case Token::KwImport:
    return "'import'";
  case Token::KwModel:
    return "'model'";
  case Token::KwDef:
    return "'def'";
  case Token::KwReturn:
    return "'return'";
  case Token::KwFor:
    return "'for'";
  case Token::KwIn:
    return "'in'";
  case Token::KwTrue:
    return "'true'";
  case Token::KwFalse:
    return "'false'";
  case Token::LParen:
    return "'('";
  case Token::RParen:
    return "')'";
  case Token::LBracket:
    return "'['";
  case Token::RBracket:
    return "']'";
  case Token::LBrace:
    return "'{'";
  case Token::RBrace:
    return "'}'";
  case Token::Comma:
    return "','";
  case Token::Colon:
    return "':'";
  case Token::Ellipsis:
    return "'...'";
  case Token::Semicolon:
    return "';'";
  case Token::Assign:
    return "'='";
  case Token::Arrow:
    return "'->'";
  case Token::Pipe:
    return "'|>'";
  case Token::Plus:
    return "'+'";
  case Token::Minus:
    return "'-'";
  case Token::Star:
    return "'*'";
  case Token::StarStar:
    return "'**'";
  case Token::Slash:
    return "'/'";
  case Token::At:
    return "'@'";
  case Token::SlashSlash:
    return "'//'";
  case Token::Percent:
    return "'%'";
  case Token::EqualEqual:
    return "'=='";
  case Token::NotEqual:
    return "'!='";
  case Token::Less:
    return "'<'";
  case Token::LessEqual:
    return "'<='";
  case Token::Greater:
    return "'>'";
  case Token::GreaterEqual:
    return "'>='";
  }
  return "token";
}

void Lexer::next() {
  const char *end = buffer.end();
  for (;;) {
    while (cur != end && (*cur == ' ' || *cur == '\t' || *cur == '\r' ||
                          (*cur == '\n' && nesting > 0)))
      ++cur;
    if (cur != end && *cur == '#') {
      while (cur != end && *cur != '\n')
        ++cur;
      continue;
    }
    break;
  }
  const char *start = cur;
  auto single = [&](Token kind) {
    ++cur;
    curText = llvm::StringRef(start, 1);
    curKind = kind;
  };
  auto pair = [&](Token kind) {
    cur += 2;
    curText = llvm::StringRef(start, 2);
    curKind = kind;
  };
  if (cur == end) {
    curText = llvm::StringRef(start, 0);
    curKind = Token::Eof;
    return;
  }
  char c = *cur;
  char n = cur + 1 != end ? cur[1] : '\0';
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && std::isdigit(static_cast<unsigned char>(n)))) {
    curKind = lexNumber(start);
    return;
  }
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    curKind = lexIdentifier(start);
    return;
  }
  switch (c) {
  case '\n':
    return single(Token::Newline);
  case '(':
    ++nesting;
    return single(Token::LParen);
  case ')':
    nesting = nesting > 0 ? nesting - 1 : 0;
    return single(Token::RParen);
  case '[':
    ++nesting;
    return single(Token::LBracket);
  case ']':
    nesting = nesting > 0 ? nesting - 1 : 0;
    return single(Token::RBracket);
  case '{':
    return single(Token::LBrace);
  case '}':
    return single(Token::RBrace);
  case ',':
    return single(Token::Comma);
  case '"':
  case '\'': {
    // A string ends on its line, at the quote it began with.
    const char *close =
        std::find_if(cur + 1, end, [&](char x) { return x == c || x == '\n'; });
    if (close == end || *close != c) {
      cur = close;
      curText = llvm::StringRef(start, cur - start);
      curKind = Token::Error;
      errorText = "a string must end on its line with " + std::string(1, c);
      curError = errorText;
      return;
    }
    cur = close + 1;
    curText = llvm::StringRef(start, cur - start);
    curKind = Token::String;
    return;
  }
  case ':':
    return single(Token::Colon);
  case '.':
    if (n == '.' && cur + 2 != end && cur[2] == '.') {
      cur += 3;
      curText = llvm::StringRef(start, 3);
      curKind = Token::Ellipsis;
      return;
    }
    break;
  case ';':
    return single(Token::Semicolon);
  case '=':
    return n == '=' ? pair(Token::EqualEqual) : single(Token::Assign);
  case '!':
    if (n == '=')
      return pair(Token::NotEqual);
    break;
  case '<':
    return n == '=' ? pair(Token::LessEqual) : single(Token::Less);
  case '>':
    return n == '=' ? pair(Token::GreaterEqual) : single(Token::Greater);
  case '+':
    return single(Token::Plus);
  case '/':
    return n == '/' ? pair(Token::SlashSlash) : single(Token::Slash);
  case '%':
    return single(Token::Percent);
  case '@':
    return single(Token::At);
  case '-':
    return n == '>' ? pair(Token::Arrow) : single(Token::Minus);
  case '*':
    return n == '*' ? pair(Token::StarStar) : single(Token::Star);
  case '|':
    if (n == '>')
      return pair(Token::Pipe);
    break;
  default:
    break;
  }
  single(Token::Error);
  if (c == '|')
    errorText = "'|' must be followed by '>' (the pipeline operator)";
  else if (c == '!')
    errorText = "'!' must be followed by '=' (weft has no '!' operator)";
  else
    errorText = "unexpected character '" + std::string(1, c) + "'";
  curError = errorText;
}

Token Lexer::lexNumber(const char *start) {
  const char *end = buffer.end();
  auto digits = [&] {
    while (cur != end && std::isdigit(static_cast<unsigned char>(*cur)))
      ++cur;
  };
  digits();
  if (cur != end && *cur == '.') {
    ++cur;
    digits();
  }
  if (cur != end && (*cur == 'e' || *cur == 'E')) {
    const char *mark = cur++;
    if (cur != end && (*cur == '+' || *cur == '-'))
      ++cur;
    if (cur == end || !std::isdigit(static_cast<unsigned char>(*cur))) {
      cur = mark + 1;
      curText = llvm::StringRef(start, cur - start);
      errorText = "malformed exponent in number";
      curError = errorText;
      return Token::Error;
    }
    digits();
  }
  curText = llvm::StringRef(start, cur - start);
  if (cur != end &&
      (std::isalpha(static_cast<unsigned char>(*cur)) || *cur == '_')) {
    errorText = "a number must not run into a name";
    curError = errorText;
    curText = llvm::StringRef(start, cur - start + 1);
    ++cur;
    return Token::Error;
  }
  curNumber = std::strtod(std::string(curText).c_str(), nullptr);
  curIsInteger = curText.find_first_of(".eE") == llvm::StringRef::npos;
  // An integer is exact: it is read as one, not through a double.
  if (curIsInteger && curText.getAsInteger(10, curInteger)) {
    errorText = "integer " + curText.str() +
                " is larger than the largest i64, 9223372036854775807 (write "
                "a float, as 1e19, where a float is meant)";
    curError = errorText;
    return Token::Error;
  }
  return Token::Number;
}

Token Lexer::lexIdentifier(const char *start) {
  const char *end = buffer.end();
  while (cur != end &&
         (std::isalnum(static_cast<unsigned char>(*cur)) || *cur == '_'))
    ++cur;
  // `net.encode`: a method of the member model `net`.
  auto nameStart = [&](const char *at) {
    return at != end &&
           (std::isalpha(static_cast<unsigned char>(*at)) || *at == '_');
  };
  if (cur != end && *cur == '.' && nameStart(cur + 1)) {
    ++cur;
    while (cur != end &&
           (std::isalnum(static_cast<unsigned char>(*cur)) || *cur == '_'))
      ++cur;
    curText = llvm::StringRef(start, cur - start);
    return Token::MethodName;
  }
  curText = llvm::StringRef(start, cur - start);
  return llvm::StringSwitch<Token>(curText)
      .Case("import", Token::KwImport)
      .Case("model", Token::KwModel)
      .Case("def", Token::KwDef)
      .Case("return", Token::KwReturn)
      .Case("for", Token::KwFor)
      .Case("in", Token::KwIn)
      .Case("true", Token::KwTrue)
      .Case("false", Token::KwFalse)
      .Default(Token::Identifier);
}
