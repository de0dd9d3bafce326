//===- Tensor.cpp - Host tensors ------------------------------------------===//

#include "weft/Runtime/Tensor.h"

#include <cstdlib>
#include <cstring>
#include <new>

using namespace mlir::weft;

size_t mlir::weft::sizeOf(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

llvm::StringRef mlir::weft::nameOf(DType dtype) {
  return dtype == DType::F32 ? "f32" : "f64";
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

std::string Tensor::describe() const {
  std::string text = nameOf(type).str();
  if (dims.empty())
    return text;
  text += '[';
  for (size_t i = 0; i < dims.size(); ++i)
    text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + ']';
}

double Tensor::get(int64_t i) const {
  if (type == DType::F32)
    return static_cast<const float *>(data())[i];
  return static_cast<const double *>(data())[i];
}

void Tensor::set(int64_t i, double value) {
  if (type == DType::F32)
    static_cast<float *>(data())[i] = static_cast<float>(value);
  else
    static_cast<double *>(data())[i] = value;
}
