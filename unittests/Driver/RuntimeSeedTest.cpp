//===- RuntimeSeedTest.cpp - One compiled program, seeds at run time ------===//
//
// An entry point that takes its seed as an argument is compiled once and
// called with several seeds: other seeds draw other numbers, the same seed
// the same ones, and they are the generator's numbers for that seed and key
// (weft.random's specification, in weft/Runtime/Random.h).
//
//===----------------------------------------------------------------------===//

#include "weft/Driver/Invocation.h"
#include "weft/Pipelines/Pipelines.h"
#include "weft/Runtime/Random.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
constexpr llvm::StringLiteral kProgram =
    "def draw(s: i64) = randn([16], key=3, seed=s)\n";

class RuntimeSeedTest : public ::testing::Test {
protected:
  RuntimeSeedTest() : context(registry()), compilation(context) {}

  static DialectRegistry registry() {
    registerWeftPassesAndPipelines();
    DialectRegistry registry;
    registerWeftDialects(registry);
    return registry;
  }

  /// One call of the compiled program with seed `seed`.
  Tensor draw(CompiledEntry &entry, int64_t seed) {
    TensorMap inputs;
    Tensor value(DType::I64, {});
    value.set(0, double(seed));
    inputs.insert({"s", std::move(value)});
    llvm::Expected<std::vector<Tensor>> results = entry.call(inputs);
    EXPECT_TRUE(static_cast<bool>(results));
    if (!results) {
      llvm::consumeError(results.takeError());
      return Tensor();
    }
    return std::move(results->front());
  }

  MLIRContext context;
  Compilation compilation;
};

bool equal(const Tensor &a, const Tensor &b) {
  if (a.numElements() != b.numElements())
    return false;
  for (int64_t i = 0, e = a.numElements(); i < e; ++i)
    if (a.get(i) != b.get(i))
      return false;
  return true;
}

TEST_F(RuntimeSeedTest, OneProgramDrawsPerSeed) {
  ASSERT_TRUE(succeeded(compilation.loadSource(kProgram, "seed.weft")));
  llvm::Expected<EntryPoint> entry =
      findEntryPoint(compilation.getAST(), "draw");
  ASSERT_TRUE(static_cast<bool>(entry));
  ASSERT_TRUE(succeeded(compilation.generate(*entry, {})));
  ASSERT_TRUE(succeeded(compilation.lowerTo(Stage::Weft)));
  llvm::Expected<CompiledEntry> compiled =
      compileEntry(compilation, *entry, InvocationOptions());
  ASSERT_TRUE(static_cast<bool>(compiled));

  Tensor first = draw(*compiled, 1);
  Tensor second = draw(*compiled, 2);
  Tensor again = draw(*compiled, 1);
  ASSERT_EQ(first.numElements(), 16);
  EXPECT_FALSE(equal(first, second));
  EXPECT_TRUE(equal(first, again));
  // The numbers of the specification, rounded once to f32.
  for (int64_t i = 0; i < 16; ++i) {
    EXPECT_EQ(first.get(i), double(float(counter::normal(1, 3, i))));
    EXPECT_EQ(second.get(i), double(float(counter::normal(2, 3, i))));
  }
}
} // namespace
