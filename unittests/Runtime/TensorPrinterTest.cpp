//===- TensorPrinterTest.cpp - NumPy-like printing of tensors -------------===//

#include "weft/Runtime/TensorPrinter.h"

#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <gtest/gtest.h>

using namespace mlir::weft;

namespace {
std::string print(const Tensor &t, PrintOptions options = {}) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printTensor(os, t, options);
  return text;
}

Tensor iota(llvm::ArrayRef<int64_t> shape, double scale = 1.0) {
  Tensor t(DType::F32, shape);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.set(i, scale * i);
  return t;
}
} // namespace

TEST(TensorPrinterTest, Scalar) {
  Tensor t(DType::F64, {});
  t.set(0, 2.5);
  EXPECT_EQ(print(t), "f64\n2.5000\n");
}

TEST(TensorPrinterTest, MatrixIsAlignedAndNested) {
  Tensor t = iota({2, 3}, 1.5);
  t.set(1, -1.5);
  EXPECT_EQ(print(t), "f32[2, 3]\n"
                      "[[ 0.0000, -1.5000,  3.0000],\n"
                      " [ 4.5000,  6.0000,  7.5000]]\n");
}

TEST(TensorPrinterTest, RankThreeSeparatesBlocksWithABlankLine) {
  EXPECT_EQ(print(iota({2, 1, 2})), "f32[2, 1, 2]\n"
                                    "[[[0.0000, 1.0000]],\n"
                                    "\n"
                                    " [[2.0000, 3.0000]]]\n");
}

TEST(TensorPrinterTest, LargeTensorsAreSummarized) {
  std::string text = print(iota({2000}));
  EXPECT_EQ(text, "f32[2000]\n[   0.0000,    1.0000,    2.0000, ..., "
                  "1997.0000, 1998.0000, 1999.0000]\n");
}

TEST(TensorPrinterTest, WideRangeUsesScientificNotation) {
  Tensor t(DType::F32, {2});
  t.set(0, 1e-6);
  t.set(1, 1.0);
  EXPECT_EQ(print(t), "f32[2]\n[1.0000e-06, 1.0000e+00]\n");
}

TEST(TensorPrinterTest, NonFiniteValues) {
  Tensor t(DType::F32, {3});
  t.set(0, NAN);
  t.set(1, INFINITY);
  t.set(2, -INFINITY);
  EXPECT_EQ(print(t), "f32[3]\n[ nan,  inf, -inf]\n");
}

TEST(TensorPrinterTest, IntegersPrintWithoutDecimals) {
  Tensor t(DType::I64, {3});
  t.set(0, 2);
  t.set(1, -13);
  t.set(2, 0);
  EXPECT_EQ(print(t), "i64[3]\n[  2, -13,   0]\n");
}

TEST(TensorPrinterTest, BooleansPrintAsWords) {
  Tensor t(DType::Bool, {3});
  t.set(0, 1);
  t.set(2, 7); // any nonzero value is true
  EXPECT_EQ(t.get(2), 1.0);
  EXPECT_EQ(print(t), "bool[3]\n[ true, false,  true]\n");
}
