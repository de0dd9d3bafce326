//===- FakeCudaDriver.cpp - A stand-in CUDA driver for tests --------------===//
//
// Tests the host side of the cuda target on machines without a GPU: weft
// loads this library instead of libcuda.so.1 (WEFT_CUDA_DRIVER). It runs no
// kernel. It traces the driver calls weft makes (to $FAKE_CUDA_TRACE, or
// stderr), allocates "managed" memory on the host, fails the call named by
// $FAKE_CUDA_FAIL with CUDA_ERROR_ILLEGAL_ADDRESS, and with
// $FAKE_CUDA_INDEX_ERROR=site,index,size reports an index error the way
// kernels do, through the record whose address the runtime stored in the
// module's weft_index_error_record.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>

namespace {
using CUdeviceptr = unsigned long long;
constexpr int kIllegalAddress = 700;
constexpr int kNotFound = 500;

/// The PTX of the last module loaded.
std::string loadedPtx;

FILE *trace() {
  static FILE *file = [] {
    const char *path = std::getenv("FAKE_CUDA_TRACE");
    FILE *opened = path ? std::fopen(path, "w") : nullptr;
    return opened ? opened : stderr;
  }();
  return file;
}

/// CUDA_ERROR_ILLEGAL_ADDRESS if $FAKE_CUDA_FAIL names `call`.
int result(const char *call) {
  const char *failing = std::getenv("FAKE_CUDA_FAIL");
  return failing && std::strcmp(failing, call) == 0 ? kIllegalAddress : 0;
}

/// The module global where the runtime stores its record's address.
int64_t *indexErrorRecord = nullptr;
} // namespace

extern "C" {
int cuInit(unsigned) {
  std::fprintf(trace(), "cuInit\n");
  return result("cuInit");
}
int cuGetErrorName(int error, const char **name) {
  *name = error == kIllegalAddress ? "CUDA_ERROR_ILLEGAL_ADDRESS" : "?";
  return 0;
}
int cuGetErrorString(int error, const char **description) {
  *description = "an illegal memory access was encountered";
  return 0;
}
int cuDeviceGet(int *device, int) {
  *device = 0;
  return 0;
}
int cuDevicePrimaryCtxRetain(void **context, int) {
  static int token;
  *context = &token;
  return 0;
}
int cuCtxSetCurrent(void *) { return 0; }
int cuModuleLoadDataEx(void **module, const void *image, unsigned, int *,
                       void **) {
  std::string &ptx = loadedPtx = static_cast<const char *>(image);
  int entries = 0;
  for (size_t at = ptx.find(".entry"); at != std::string::npos;
       at = ptx.find(".entry", at + 1))
    ++entries;
  std::fprintf(trace(), "cuModuleLoadDataEx: %s, %d kernels\n",
               ptx.find(".target sm_") != std::string::npos ? "PTX" : "?",
               entries);
  static int token;
  *module = &token;
  return result("cuModuleLoadDataEx");
}
int cuModuleUnload(void *) {
  std::fprintf(trace(), "cuModuleUnload\n");
  return 0;
}
int cuModuleGetFunction(void **function, void *, const char *name) {
  // A function is its name, kept for the process as a driver keeps its
  // module's functions.
  static std::deque<std::string> functions;
  *function = functions.emplace_back(name).data();
  return result("cuModuleGetFunction");
}
int cuModuleGetGlobal_v2(CUdeviceptr *address, size_t *bytes, void *,
                         const char *name) {
  static int64_t *global;
  if (loadedPtx.find(name) == std::string::npos)
    return kNotFound;
  std::fprintf(trace(), "cuModuleGetGlobal %s\n", name);
  *address = reinterpret_cast<CUdeviceptr>(&global);
  *bytes = sizeof(global);
  indexErrorRecord = reinterpret_cast<int64_t *>(&global);
  return 0;
}
int cuMemcpyHtoD_v2(CUdeviceptr to, const void *from, size_t bytes) {
  std::memcpy(reinterpret_cast<void *>(to), from, bytes);
  return 0;
}
int cuLaunchKernel(void *function, unsigned gridX, unsigned gridY,
                   unsigned gridZ, unsigned blockX, unsigned blockY,
                   unsigned blockZ, unsigned, void *, void **, void **) {
  std::fprintf(trace(), "cuLaunchKernel %s grid %u,%u,%u block %u,%u,%u\n",
               static_cast<const char *>(function), gridX, gridY, gridZ, blockX,
               blockY, blockZ);
  long long site, index, size;
  const char *report = std::getenv("FAKE_CUDA_INDEX_ERROR");
  if (report && indexErrorRecord &&
      std::sscanf(report, "%lld,%lld,%lld", &site, &index, &size) == 3) {
    auto *record = *reinterpret_cast<int64_t **>(indexErrorRecord);
    record[0] = 1;
    record[1] = site;
    record[2] = index;
    record[3] = size;
  }
  return result("cuLaunchKernel");
}
int cuStreamCreate(void **stream, unsigned) {
  static int token;
  *stream = &token;
  return 0;
}
int cuStreamSynchronize(void *) { return 0; }
int cuMemAllocManaged(CUdeviceptr *pointer, size_t bytes, unsigned) {
  *pointer = reinterpret_cast<CUdeviceptr>(std::calloc(1, bytes));
  return result("cuMemAllocManaged");
}
int cuMemFree_v2(CUdeviceptr pointer) {
  std::free(reinterpret_cast<void *>(pointer));
  return 0;
}
}
