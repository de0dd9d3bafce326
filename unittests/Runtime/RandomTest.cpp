//===- RandomTest.cpp - Seeded random numbers -----------------------------===//

#include "weft/Runtime/Random.h"
#include "weft/Runtime/Tensor.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

using namespace mlir::weft;

TEST(RandomTest, SameSeedSameNumbers) {
  Random a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(RandomTest, NamedStreamsAreIndependent) {
  EXPECT_EQ(Random::forName(1, "fc1.weight").next(),
            Random::forName(1, "fc1.weight").next());
  EXPECT_NE(Random::forName(1, "fc1.weight").next(),
            Random::forName(1, "fc1.bias").next());
}

TEST(RandomTest, UniformStaysInBounds) {
  Tensor t(DType::F32, {1000});
  Random(7).fillUniform(t, -0.5, 0.25);
  for (int64_t i = 0; i < t.numElements(); ++i) {
    EXPECT_GE(t.get(i), -0.5);
    EXPECT_LT(t.get(i), 0.25);
  }
}

TEST(RandomTest, NormalHasUnitMoments) {
  Tensor t(DType::F64, {20000});
  Random(3).fillNormal(t);
  double sum = 0, squares = 0;
  for (int64_t i = 0; i < t.numElements(); ++i) {
    sum += t.get(i);
    squares += t.get(i) * t.get(i);
  }
  double mean = sum / t.numElements();
  double variance = squares / t.numElements() - mean * mean;
  // Standard errors are about 0.007 (mean) and 0.01 (variance).
  EXPECT_NEAR(mean, 0.0, 0.03);
  EXPECT_NEAR(variance, 1.0, 0.05);
}

// The counter-based generator of weft.random, against a value computed
// from its specification in Python's arbitrary-precision integers.
TEST(CounterRandomTest, BitsFollowTheSpecification) {
  EXPECT_EQ(counter::bits(1, 2, 3), 0x89f077dbe50a2498ULL);
  EXPECT_NE(counter::bits(1, 2, 3), counter::bits(1, 3, 3));
  EXPECT_NE(counter::bits(1, 2, 3), counter::bits(2, 2, 3));
}

TEST(CounterRandomTest, UniformAndNormalHaveTheirMoments) {
  double sum = 0, squares = 0, low = 1, high = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    double u = counter::uniform(5, 1, i, /*f32=*/true);
    low = std::min(low, u);
    high = std::max(high, u);
    double z = counter::normal(5, 1, i);
    sum += z;
    squares += z * z;
  }
  EXPECT_GE(low, 0.0);
  EXPECT_LT(high, 1.0);
  EXPECT_NEAR(sum / n, 0.0, 0.03);
  EXPECT_NEAR(squares / n, 1.0, 0.05);
}
