//===- BuiltinTableTest.cpp - The built-in tables match the docs ----------===//
//
// docs/language.md lists the built-in functions (under "Expressions") and
// the layer kinds (under "Models") in tables whose first column gives each
// signature as a code span. These tests fail when a row of the compiler's
// tables is missing from the docs, is documented with other parameters or
// defaults, or when the docs list a call the tables do not have.
//
//===----------------------------------------------------------------------===//

#include "weft/Lang/Builtins.h"

#include "gtest/gtest.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace {

/// The code spans of the first column of the tables in section `heading`
/// of docs/language.md, each without a leading `name = ` (`fc = Linear(...)`
/// documents `Linear(...)`).
std::vector<std::string> documentedCalls(const std::string &heading) {
  std::ifstream file(WEFT_LANGUAGE_DOC);
  EXPECT_TRUE(file) << "cannot read " << WEFT_LANGUAGE_DOC;
  std::vector<std::string> calls;
  bool inSection = false;
  std::string line;
  const std::regex span("`([^`]*)`");
  const std::regex assignment("^[A-Za-z_][A-Za-z0-9_., ]* = ");
  while (std::getline(file, line)) {
    if (line.rfind("## ", 0) == 0) {
      inSection = line == "## " + heading;
      continue;
    }
    if (!inSection || line.rfind("| `", 0) != 0)
      continue;
    std::string firstCell = line.substr(1, line.find(" |", 1));
    for (std::sregex_iterator it(firstCell.begin(), firstCell.end(), span), end;
         it != end; ++it)
      calls.push_back(std::regex_replace((*it)[1].str(), assignment, ""));
  }
  return calls;
}

/// The name a call is made by: "softmax" for "softmax(x, axis=-1)".
std::string calleeOf(const std::string &call) {
  return call.substr(0, call.find('('));
}

void expectSameTable(const std::vector<std::string> &table,
                     const std::string &heading) {
  std::vector<std::string> documented = documentedCalls(heading);
  ASSERT_FALSE(documented.empty()) << "no table under ## " << heading;
  std::set<std::string> documentedSet(documented.begin(), documented.end());
  std::set<std::string> names;
  for (const std::string &signature : table) {
    names.insert(calleeOf(signature));
    EXPECT_TRUE(documentedSet.count(signature))
        << "docs/language.md (## " << heading << ") does not list `"
        << signature << "`";
  }
  for (const std::string &call : documented)
    EXPECT_TRUE(names.count(calleeOf(call)))
        << "docs/language.md (## " << heading << ") lists `" << call
        << "`, which is not in the compiler's table";
}

TEST(BuiltinTableTest, FunctionsMatchTheDocs) {
  expectSameTable(mlir::weft::builtinFunctionSignatures(), "Expressions");
}

TEST(BuiltinTableTest, LayersMatchTheDocs) {
  expectSameTable(mlir::weft::builtinLayerSignatures(), "Models");
}

TEST(BuiltinTableTest, EveryNameIsOneRow) {
  std::set<std::string> seen;
  for (const std::string &signature : mlir::weft::builtinFunctionSignatures())
    EXPECT_TRUE(seen.insert(calleeOf(signature)).second)
        << "two rows for " << calleeOf(signature);
  for (const std::string &signature : mlir::weft::builtinLayerSignatures())
    EXPECT_TRUE(seen.insert(calleeOf(signature)).second)
        << "two rows for " << calleeOf(signature);
}

} // namespace
