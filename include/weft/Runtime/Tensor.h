//===- Tensor.h - Host tensors ----------------------------------*- C++ -*-===//

#ifndef WEFT_RUNTIME_TENSOR_H
#define WEFT_RUNTIME_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mlir::weft {

/// Booleans take one byte, 0 or 1, as in NumPy and PyTorch.
enum class DType { F32, F64, I32, I64, Bool };

/// Size in bytes of one element.
size_t sizeOf(DType dtype);
/// The language's name: `f32`, `f64`, `i32`, `i64`, `bool`.
llvm::StringRef nameOf(DType dtype);
/// The name in the formats: NumPy's `descr` (`<f4`) and safetensors' dtype
/// (`F32`).
llvm::StringRef npyDescrOf(DType dtype);
llvm::StringRef safetensorsNameOf(DType dtype);
std::optional<DType> dtypeFromNpyDescr(llvm::StringRef descr);
std::optional<DType> dtypeFromSafetensorsName(llvm::StringRef name);

/// `f32[2, 3]`.
std::string describeTensor(DType dtype, llvm::ArrayRef<int64_t> shape);

/// A dense, row-major tensor in host memory, 64-byte aligned, as the JIT's
/// memref arguments expect.
class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor.
  Tensor(DType dtype, llvm::ArrayRef<int64_t> shape);
  /// A copy with storage of its own (tensors move; copies are explicit).
  Tensor copy() const;

  DType dtype() const { return type; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
  int64_t rank() const { return dims.size(); }
  int64_t numElements() const;
  size_t numBytes() const { return numElements() * sizeOf(type); }
  /// `f32[2, 3]`.
  std::string describe() const;

  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }

  /// Element `i` in row-major order, converted to double (integers up to
  /// 2^53 exactly).
  double get(int64_t i) const;
  /// Element `i` of an integer tensor, exactly.
  int64_t getInteger(int64_t i) const;
  void set(int64_t i, double value);

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType type = DType::F32;
  llvm::SmallVector<int64_t, 4> dims;
  std::unique_ptr<void, Free> storage;
};

} // namespace mlir::weft

#endif // WEFT_RUNTIME_TENSOR_H
