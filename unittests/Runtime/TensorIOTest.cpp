//===- TensorIOTest.cpp - .npy and .safetensors files ---------------------===//

#include "weft/Runtime/TensorIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace mlir::weft;

namespace {
class TensorIOTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("weft-io", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) { return (dir + "/" + name).str(); }
  void writeRaw(llvm::StringRef name, llvm::StringRef bytes) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path(name), ec);
    ASSERT_FALSE(ec);
    os << bytes;
  }
  std::string errorOf(llvm::Error error) {
    return llvm::toString(std::move(error));
  }
  template <typename T> std::string errorOf(llvm::Expected<T> value) {
    EXPECT_FALSE(static_cast<bool>(value));
    return value ? std::string() : llvm::toString(value.takeError());
  }

  llvm::SmallString<128> dir;
};

Tensor iota(DType dtype, llvm::ArrayRef<int64_t> shape) {
  Tensor t(dtype, shape);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.set(i, 0.5 * i - 3);
  return t;
}

void expectEqual(const Tensor &a, const Tensor &b) {
  ASSERT_EQ(a.dtype(), b.dtype());
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.numElements(); ++i)
    EXPECT_EQ(a.get(i), b.get(i)) << "element " << i;
}
} // namespace

TEST_F(TensorIOTest, NpyRoundTrip) {
  for (DType dtype :
       {DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool})
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {5}, {2, 3}, {2, 1, 4}}) {
      Tensor t = iota(dtype, shape);
      ASSERT_FALSE(errorOf(writeNpy(path("t.npy"), t)).size());
      auto back = readNpy(path("t.npy"));
      ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
      expectEqual(t, *back);
    }
}

TEST_F(TensorIOTest, NpyHeaderIsAlignedAndReadableByNumpy) {
  ASSERT_FALSE(
      errorOf(writeNpy(path("t.npy"), iota(DType::F32, {2, 3}))).size());
  auto buffer = llvm::MemoryBuffer::getFile(path("t.npy"));
  ASSERT_TRUE(static_cast<bool>(buffer));
  llvm::StringRef bytes = (*buffer)->getBuffer();
  EXPECT_TRUE(bytes.starts_with("\x93NUMPY\x01\x00"));
  EXPECT_EQ((bytes.size() - 2 * 3 * 4) % 64, 0u);
  EXPECT_NE(bytes.find("'shape': (2,3)"), llvm::StringRef::npos);
}

TEST_F(TensorIOTest, NpyErrorsNameTheFile) {
  EXPECT_NE(
      errorOf(readNpy(path("missing.npy"))).find("missing.npy: cannot open"),
      std::string::npos);
  writeRaw("junk.npy", "not numpy at all");
  EXPECT_NE(errorOf(readNpy(path("junk.npy"))).find("not a .npy file"),
            std::string::npos);

  ASSERT_FALSE(
      errorOf(writeNpy(path("t.npy"), iota(DType::F32, {4, 4}))).size());
  auto whole = llvm::MemoryBuffer::getFile(path("t.npy"));
  writeRaw("short.npy", (*whole)->getBuffer().drop_back(10));
  EXPECT_NE(errorOf(readNpy(path("short.npy"))).find("truncated data"),
            std::string::npos);
  writeRaw("header.npy", (*whole)->getBuffer().take_front(20));
  EXPECT_NE(errorOf(readNpy(path("header.npy"))).find("truncated .npy header"),
            std::string::npos);

  std::string halves = (*whole)->getBuffer().str();
  halves.replace(halves.find("<f4"), 3, "<f2");
  writeRaw("halves.npy", halves);
  EXPECT_NE(
      errorOf(readNpy(path("halves.npy"))).find("unsupported dtype '<f2'"),
      std::string::npos);
}

TEST_F(TensorIOTest, SafetensorsRoundTripKeepsOrderAndNames) {
  TensorMap tensors;
  tensors.insert({"fc1.weight", iota(DType::F32, {3, 2})});
  tensors.insert({"fc1.bias", iota(DType::F32, {3})});
  tensors.insert({"scale", iota(DType::F64, {})});
  tensors.insert({"bn.num_batches_tracked", iota(DType::I64, {})});
  ASSERT_FALSE(
      errorOf(writeSafetensors(path("w.safetensors"), tensors)).size());
  auto back = readSafetensors(path("w.safetensors"));
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  ASSERT_EQ(back->size(), 4u);
  for (const auto &[name, tensor] : tensors)
    expectEqual(tensor, back->find(name)->second);
}

TEST_F(TensorIOTest, SafetensorsErrorsNameFileAndTensor) {
  writeRaw("tiny.safetensors", "abc");
  EXPECT_NE(
      errorOf(readSafetensors(path("tiny.safetensors"))).find("truncated"),
      std::string::npos);

  TensorMap tensors;
  tensors.insert({"w", iota(DType::F32, {8})});
  ASSERT_FALSE(
      errorOf(writeSafetensors(path("w.safetensors"), tensors)).size());
  auto whole = llvm::MemoryBuffer::getFile(path("w.safetensors"));
  writeRaw("cut.safetensors", (*whole)->getBuffer().drop_back(4));
  std::string message = errorOf(readSafetensors(path("cut.safetensors")));
  EXPECT_NE(message.find("cut.safetensors: tensor 'w': truncated data"),
            std::string::npos)
      << message;

  std::string text = (*whole)->getBuffer().str();
  text.replace(text.find("F32"), 3, "U16");
  writeRaw("u16.safetensors", text);
  message = errorOf(readSafetensors(path("u16.safetensors")));
  EXPECT_NE(message.find("tensor 'w': unsupported dtype U16"),
            std::string::npos)
      << message;
}
