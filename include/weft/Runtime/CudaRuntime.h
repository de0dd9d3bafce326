//===- CudaRuntime.h - The weft CUDA runtime --------------------*- C++ -*-===//
//
// What host code of the cuda target runs on: the CUDA driver API, loaded at
// run time with dlopen("libcuda.so.1") so that building weft needs no CUDA
// and a machine without a GPU gets an error message, not a crash. Compiled
// host code calls it through the `mgpu*` functions MLIR's gpu-to-llvm
// lowering emits (module loading, kernel launches, streams) and through
// MLIR's generic allocation functions, so that every host buffer is CUDA
// managed memory, which kernels and host code can both read and write.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_RUNTIME_CUDARUNTIME_H
#define WEFT_RUNTIME_CUDARUNTIME_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir::weft::cuda {

/// The environment variable that names the driver library to load instead
/// of libcuda.so.1.
inline constexpr const char *kDriverVariable = "WEFT_CUDA_DRIVER";

/// Loads the driver and makes the primary context of device 0 current, once.
/// Returns an empty string, or why the GPU cannot be used:
/// "no CUDA driver found (...)" when the library cannot be loaded.
std::string initialize();

/// The first failure of a driver call since the last takeError, with the
/// driver's name and description of the error; empty if there was none.
std::string takeError();

/// An out-of-range index a kernel reported (see weft-nvvm-index-errors).
struct IndexError {
  int64_t site, index, size;
};
/// Takes the first index error kernels reported since the last call.
bool takeIndexError(IndexError &error);

/// Managed memory of at least `bytes` bytes, aligned to 256 bytes; freed
/// blocks are kept for reuse by allocations of the same size.
void *allocate(size_t bytes);
void deallocate(void *pointer);

/// The C functions compiled host code calls, by symbol name, for the JIT.
std::vector<std::pair<const char *, void *>> getRuntimeSymbols();

} // namespace mlir::weft::cuda

#endif // WEFT_RUNTIME_CUDARUNTIME_H
