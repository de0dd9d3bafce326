//===- Tensor.cpp - Host tensors ------------------------------------------===//

#include "weft/Runtime/Tensor.h"

#include <cstdlib>
#include <cstring>
#include <new>

using namespace mlir::weft;

namespace {
struct DTypeInfo {
  DType dtype;
  size_t size;
  llvm::StringRef name, npyDescr, safetensorsName;
};
constexpr DTypeInfo dtypes[] = {
    {DType::F32, 4, "f32", "<f4", "F32"},
    {DType::F64, 8, "f64", "<f8", "F64"},
    {DType::I32, 4, "i32", "<i4", "I32"},
    {DType::I64, 8, "i64", "<i8", "I64"},
    {DType::Bool, 1, "bool", "|b1", "BOOL"},
};
const DTypeInfo &infoOf(DType dtype) { return dtypes[static_cast<int>(dtype)]; }
} // namespace

size_t mlir::weft::sizeOf(DType dtype) { return infoOf(dtype).size; }
llvm::StringRef mlir::weft::nameOf(DType dtype) { return infoOf(dtype).name; }
llvm::StringRef mlir::weft::npyDescrOf(DType dtype) {
  return infoOf(dtype).npyDescr;
}
llvm::StringRef mlir::weft::safetensorsNameOf(DType dtype) {
  return infoOf(dtype).safetensorsName;
}

std::optional<DType> mlir::weft::dtypeFromNpyDescr(llvm::StringRef descr) {
  for (const DTypeInfo &info : dtypes)
    if (info.npyDescr == descr)
      return info.dtype;
  return std::nullopt;
}

std::optional<DType>
mlir::weft::dtypeFromSafetensorsName(llvm::StringRef name) {
  for (const DTypeInfo &info : dtypes)
    if (info.safetensorsName == name)
      return info.dtype;
  return std::nullopt;
}

void Tensor::Free::operator()(void *p) const { std::free(p); }

Tensor::Tensor(DType dtype, llvm::ArrayRef<int64_t> shape)
    : type(dtype), dims(shape) {
  // aligned_alloc needs a multiple of the alignment, and a zero-element
  // tensor still gets a valid pointer.
  size_t bytes = (numBytes() + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, bytes ? bytes : 64);
  if (!p)
    throw std::bad_alloc();
  std::memset(p, 0, bytes);
  storage.reset(p);
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

std::string mlir::weft::describeTensor(DType dtype,
                                       llvm::ArrayRef<int64_t> shape) {
  std::string text = nameOf(dtype).str();
  if (shape.empty())
    return text;
  text += '[';
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ']';
}

std::string Tensor::describe() const { return describeTensor(type, dims); }

double Tensor::get(int64_t i) const {
  switch (type) {
  case DType::F32:
    return static_cast<const float *>(data())[i];
  case DType::F64:
    return static_cast<const double *>(data())[i];
  case DType::I32:
    return static_cast<const int32_t *>(data())[i];
  case DType::I64:
    return static_cast<double>(static_cast<const int64_t *>(data())[i]);
  case DType::Bool:
    return static_cast<const uint8_t *>(data())[i] != 0;
  }
  return 0;
}

int64_t Tensor::getInteger(int64_t i) const {
  switch (type) {
  case DType::I32:
    return static_cast<const int32_t *>(data())[i];
  case DType::I64:
    return static_cast<const int64_t *>(data())[i];
  default:
    return static_cast<int64_t>(get(i));
  }
}

void Tensor::set(int64_t i, double value) {
  switch (type) {
  case DType::F32:
    static_cast<float *>(data())[i] = static_cast<float>(value);
    return;
  case DType::F64:
    static_cast<double *>(data())[i] = value;
    return;
  case DType::I32:
    static_cast<int32_t *>(data())[i] = static_cast<int32_t>(value);
    return;
  case DType::I64:
    static_cast<int64_t *>(data())[i] = static_cast<int64_t>(value);
    return;
  case DType::Bool:
    static_cast<uint8_t *>(data())[i] = value != 0;
    return;
  }
}

Tensor Tensor::copy() const {
  Tensor result(type, dims);
  if (numBytes() != 0)
    std::memcpy(result.data(), data(), numBytes());
  return result;
}
