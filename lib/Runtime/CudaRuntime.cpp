//===- CudaRuntime.cpp - The weft CUDA runtime ----------------------------===//
//
// The driver API is declared here, not included from cuda.h: weft builds
// without CUDA. The declarations follow the driver's ABI, which is stable;
// the `_v2` names are the ones cuda.h maps the plain names to.
//
//===----------------------------------------------------------------------===//

#include "weft/Runtime/CudaRuntime.h"
#include "weft/Runtime/ABI.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>

using namespace mlir::weft;

namespace {
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;

constexpr CUresult kSuccess = 0;
constexpr CUresult kStubLibrary = 34;
// CUjit_option values.
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;
constexpr int kJitOptimizationLevel = 7;
constexpr unsigned kMemAttachGlobal = 1;

/// The driver entry points weft uses.
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuModuleGetGlobal)(CUdeviceptr *, size_t *, CUmodule,
                                const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
};

/// The runtime's state: one device, one context, one stream. Host code of
/// the cuda target runs on one thread; the mutex guards the allocator, which
/// the driver's own threads never touch, against a caller that does not.
struct Runtime {
  Driver driver;
  CUdevice device = 0;
  CUstream stream = nullptr;
  /// Managed memory where kernels report an index error: raised flag, site,
  /// index, size.
  int64_t *indexErrorRecord = nullptr;
  std::string error;
  std::mutex mutex;
  std::multimap<size_t, void *> freeBlocks;
  std::map<void *, size_t> blockSizes;
};

Runtime *runtime = nullptr;

/// Records the first failure; true if `result` is success.
bool check(CUresult result, const char *call) {
  if (result == kSuccess)
    return true;
  if (!runtime->error.empty())
    return false;
  const char *name = nullptr, *description = nullptr;
  runtime->driver.cuGetErrorName(result, &name);
  runtime->driver.cuGetErrorString(result, &description);
  std::string what = name ? name : "error " + std::to_string(result);
  if (result == kStubLibrary)
    description = "the library is CUDA's link stub, not a driver";
  if (description)
    what += std::string(" (") + description + ")";
  runtime->error = std::string("CUDA driver: ") + call + " failed: " + what;
  return false;
}

template <typename T>
bool loadSymbol(void *library, const char *name, T &function) {
  function = reinterpret_cast<T>(dlsym(library, name));
  return function != nullptr;
}

std::string loadDriver(Driver &driver) {
  const char *path = std::getenv(cuda::kDriverVariable);
  if (!path || !*path)
    path = "libcuda.so.1";
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return std::string("no CUDA driver found (") + dlerror() +
           "); --target=cuda runs on a machine with an NVIDIA GPU and its "
           "driver";
  bool found =
      loadSymbol(library, "cuInit", driver.cuInit) &&
      loadSymbol(library, "cuGetErrorName", driver.cuGetErrorName) &&
      loadSymbol(library, "cuGetErrorString", driver.cuGetErrorString) &&
      loadSymbol(library, "cuDeviceGet", driver.cuDeviceGet) &&
      loadSymbol(library, "cuDevicePrimaryCtxRetain",
                 driver.cuDevicePrimaryCtxRetain) &&
      loadSymbol(library, "cuCtxSetCurrent", driver.cuCtxSetCurrent) &&
      loadSymbol(library, "cuModuleLoadDataEx", driver.cuModuleLoadDataEx) &&
      loadSymbol(library, "cuModuleUnload", driver.cuModuleUnload) &&
      loadSymbol(library, "cuModuleGetFunction", driver.cuModuleGetFunction) &&
      loadSymbol(library, "cuModuleGetGlobal_v2", driver.cuModuleGetGlobal) &&
      loadSymbol(library, "cuLaunchKernel", driver.cuLaunchKernel) &&
      loadSymbol(library, "cuStreamCreate", driver.cuStreamCreate) &&
      loadSymbol(library, "cuStreamSynchronize", driver.cuStreamSynchronize) &&
      loadSymbol(library, "cuMemAllocManaged", driver.cuMemAllocManaged) &&
      loadSymbol(library, "cuMemFree_v2", driver.cuMemFree) &&
      loadSymbol(library, "cuMemcpyHtoD_v2", driver.cuMemcpyHtoD);
  if (!found)
    return std::string("no CUDA driver found: ") + path +
           " lacks a driver function weft needs (" + dlerror() + ")";
  return "";
}

std::string start() {
  auto *state = new Runtime();
  if (std::string error = loadDriver(state->driver); !error.empty()) {
    delete state;
    return error;
  }
  runtime = state;
  Driver &d = runtime->driver;
  CUcontext context = nullptr;
  void *record = nullptr;
  if (!check(d.cuInit(0), "cuInit") ||
      !check(d.cuDeviceGet(&runtime->device, 0), "cuDeviceGet") ||
      !check(d.cuDevicePrimaryCtxRetain(&context, runtime->device),
             "cuDevicePrimaryCtxRetain") ||
      !check(d.cuCtxSetCurrent(context), "cuCtxSetCurrent") ||
      !check(d.cuStreamCreate(&runtime->stream, 0), "cuStreamCreate") ||
      !(record = cuda::allocate(4 * sizeof(int64_t)))) {
    std::string error = cuda::takeError();
    runtime = nullptr;
    delete state;
    return error;
  }
  runtime->indexErrorRecord = static_cast<int64_t *>(record);
  std::memset(record, 0, 4 * sizeof(int64_t));
  return "";
}

//===----------------------------------------------------------------------===//
// What compiled host code calls
//===----------------------------------------------------------------------===//

/// Loads PTX (`gpu-module-to-binary{format=isa}`), compiled by the driver's
/// JIT at optimization level `optLevel`, and points the module's index-error
/// global at the runtime's record.
void *mgpuModuleLoadJIT(void *ptx, int optLevel) {
  char log[8192] = "";
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize,
                   kJitOptimizationLevel};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log)),
                    reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CUmodule module = nullptr;
  Driver &d = runtime->driver;
  if (!check(d.cuModuleLoadDataEx(&module, ptx, 3, options, values),
             "cuModuleLoadDataEx")) {
    if (*log)
      runtime->error += std::string(": ") + log;
    return nullptr;
  }
  CUdeviceptr global = 0;
  size_t bytes = 0;
  if (d.cuModuleGetGlobal(&global, &bytes, module,
                          kIndexErrorRecordGlobal.data()) ==
      kSuccess)
    check(d.cuMemcpyHtoD(global, &runtime->indexErrorRecord, sizeof(void *)),
          "cuMemcpyHtoD");
  return module;
}

void mgpuModuleUnload(void *module) {
  if (module)
    check(runtime->driver.cuModuleUnload(module), "cuModuleUnload");
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction function = nullptr;
  if (module)
    check(runtime->driver.cuModuleGetFunction(&function, module, name),
          "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemory, void *stream,
                      void **params, void **extra, size_t /*paramCount*/) {
  // After a failure the remaining kernels are skipped; the caller reports
  // the failure.
  if (!function || !runtime->error.empty())
    return;
  // An empty tensor's kernel has no threads; the driver rejects a launch
  // of none.
  if (gridX * gridY * gridZ * blockX * blockY * blockZ == 0)
    return;
  check(runtime->driver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX,
                                       blockY, blockZ, sharedMemory, stream,
                                       params, extra),
        "cuLaunchKernel");
}

/// Every launch goes to the runtime's one stream, created once: a stream per
/// launch (what the lowering asks for) would cost a driver call each.
void *mgpuStreamCreate() { return runtime->stream; }
void mgpuStreamDestroy(void *) {}
void mgpuStreamSynchronize(void *stream) {
  check(runtime->driver.cuStreamSynchronize(stream), "cuStreamSynchronize");
}

void *allocateAligned(size_t alignment, size_t bytes) {
  (void)alignment; // Managed memory is aligned to at least 256 bytes.
  return cuda::allocate(bytes);
}
} // namespace

//===----------------------------------------------------------------------===//
// The C++ interface
//===----------------------------------------------------------------------===//

std::string cuda::initialize() {
  static std::string error = start();
  return error;
}

std::string cuda::takeError() {
  if (!runtime)
    return "";
  return std::exchange(runtime->error, std::string());
}

bool cuda::takeIndexError(IndexError &error) {
  int64_t *record = runtime ? runtime->indexErrorRecord : nullptr;
  if (!record || !record[0])
    return false;
  error = {record[1], record[2], record[3]};
  std::memset(record, 0, 4 * sizeof(int64_t));
  return true;
}

void *cuda::allocate(size_t bytes) {
  // Sizes are rounded up so that nearby sizes share freed blocks.
  size_t size = (std::max<size_t>(bytes, 1) + 255) / 256 * 256;
  {
    std::lock_guard<std::mutex> lock(runtime->mutex);
    auto it = runtime->freeBlocks.find(size);
    if (it != runtime->freeBlocks.end()) {
      void *block = it->second;
      runtime->freeBlocks.erase(it);
      return block;
    }
  }
  CUdeviceptr block = 0;
  if (!check(runtime->driver.cuMemAllocManaged(&block, size, kMemAttachGlobal),
             "cuMemAllocManaged"))
    return nullptr;
  auto *pointer = reinterpret_cast<void *>(block);
  std::lock_guard<std::mutex> lock(runtime->mutex);
  runtime->blockSizes[pointer] = size;
  return pointer;
}

void cuda::deallocate(void *pointer) {
  if (!pointer)
    return;
  std::lock_guard<std::mutex> lock(runtime->mutex);
  auto it = runtime->blockSizes.find(pointer);
  if (it != runtime->blockSizes.end())
    runtime->freeBlocks.insert({it->second, pointer});
}

std::vector<std::pair<const char *, void *>> cuda::getRuntimeSymbols() {
  auto address = [](auto *function) {
    return reinterpret_cast<void *>(function);
  };
  return {
      {"mgpuModuleLoadJIT", address(&mgpuModuleLoadJIT)},
      {"mgpuModuleUnload", address(&mgpuModuleUnload)},
      {"mgpuModuleGetFunction", address(&mgpuModuleGetFunction)},
      {"mgpuLaunchKernel", address(&mgpuLaunchKernel)},
      {"mgpuStreamCreate", address(&mgpuStreamCreate)},
      {"mgpuStreamDestroy", address(&mgpuStreamDestroy)},
      {"mgpuStreamSynchronize", address(&mgpuStreamSynchronize)},
      {"_mlir_memref_to_llvm_alloc", address(&cuda::allocate)},
      {"_mlir_memref_to_llvm_aligned_alloc", address(&allocateAligned)},
      {"_mlir_memref_to_llvm_free", address(&cuda::deallocate)},
  };
}
