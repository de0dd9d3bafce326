//===- JitRunner.cpp - Running lowered functions on the CPU JIT -----------===//

#include "weft/Execution/JitRunner.h"
#include "weft/Execution/SourceLocation.h"
#include "weft/Runtime/ABI.h"
#include "weft/Runtime/CudaRuntime.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <malloc.h>
#include <sys/sysinfo.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The first out-of-range index of a call, reported by the compiled code.
struct IndexError {
  std::atomic<bool> raised{false};
  int64_t site = 0, index = 0, size = 0;
};
IndexError lastIndexError;

extern "C" void weftIndexError(int64_t site, int64_t index, int64_t size) {
  if (lastIndexError.raised.exchange(true))
    return;
  lastIndexError.site = site;
  lastIndexError.index = index;
  lastIndexError.size = size;
}

// The compiled code's allocations on the CPU (memref.alloc lowered with
// use-generic-functions). An allocation that fails ends the process with a
// message: the code would write through the null pointer.
[[noreturn]] void exitOutOfMemory(size_t bytes) {
  llvm::outs().flush();
  llvm::errs() << "weft: error: out of memory: the program needs a buffer of "
               << bytes << " bytes, which this machine could not allocate\n";
  std::_Exit(1);
}

extern "C" void *weftAlloc(size_t bytes) {
  void *block = std::malloc(bytes);
  if (!block && bytes)
    exitOutOfMemory(bytes);
  return block;
}

extern "C" void *weftAlignedAlloc(size_t alignment, size_t bytes) {
  // aligned_alloc takes a multiple of the alignment.
  size_t rounded =
      std::max((bytes + alignment - 1) / alignment, size_t(1)) * alignment;
  void *block = std::aligned_alloc(alignment, rounded);
  if (!block)
    exitOutOfMemory(bytes);
  return block;
}

extern "C" void weftFree(void *block) { std::free(block); }
} // namespace

JitProgram::JitProgram(std::unique_ptr<ExecutionEngine> engine, Target target,
                       std::vector<std::string> indexSites, bool usesThreads,
                       std::vector<std::string> functionNames)
    : engine(std::move(engine)), target(target),
      indexSites(std::move(indexSites)), usesThreads(usesThreads),
      functionNames(std::move(functionNames)) {}
JitProgram::JitProgram(JitProgram &&) = default;
JitProgram::~JitProgram() {
  for (void *copy : constantCopies)
    cuda::deallocate(copy);
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::weft::createHostTargetMachine() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto hostMachine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostMachine)
    return hostMachine.takeError();
  hostMachine->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  return hostMachine->createTargetMachine();
}

llvm::Error JitProgram::checkTarget(Target target) {
  if (target == Target::CUDA)
    if (std::string error = cuda::initialize(); !error.empty())
      return llvm::createStringError(error);
  return llvm::Error::success();
}

llvm::Expected<JitProgram> JitProgram::compile(ModuleOp module, Target target) {
  if (llvm::Error error = checkTarget(target))
    return std::move(error);
  static bool initialized = [] {
    // Compiled code frees each temporary after its last use. Kept in the
    // heap (not unmapped), the memory is reused by the next temporary and
    // the next call instead of being mapped and zeroed by the kernel again:
    // the temporaries of a LeNet-5 call took as long in page faults as in
    // arithmetic.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
  }();
  (void)initialized;
  // LLVM's optimizer needs the host's features (AVX-512, AVX2, FMA...) to
  // choose vector widths; without a target machine it assumes none.
  auto targetMachine = createHostTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();
  ExecutionEngineOptions options;
  // The CPU's parallel loops call LLVM's OpenMP runtime: the one found at
  // build time, or $WEFT_LIBOMP (a static weft on a machine without LLVM).
  // Where there is none, a program with parallel loops fails to link; the
  // cuda target's host code has none.
  const char *override = std::getenv("WEFT_LIBOMP");
  llvm::StringRef libomp = override ? override : WEFT_LIBOMP_PATH;
  bool hasLibomp = llvm::sys::fs::exists(libomp);
  if (target == Target::CPU && hasLibomp)
    options.sharedLibPaths = llvm::ArrayRef(libomp);
  // OpenMP ops (omp.parallel, omp.wsloop) become calls of the runtime.
  bool callsLibomp = false;
  module.walk([&](Operation *op) {
    callsLibomp |= op->getName().getDialectNamespace() == "omp";
  });
  if (callsLibomp && !hasLibomp)
    return llvm::createStringError(
        "the program's parallel loops need LLVM's OpenMP runtime, which is "
        "not at " +
        libomp + " (set WEFT_LIBOMP to a libomp.so.5)");
  // The options hold only a reference to the transformer: it must outlive
  // ExecutionEngine::create.
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                targetMachine->get());
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return engine.takeError();
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, void *address) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    };
    add(kIndexErrorFunction, reinterpret_cast<void *>(&weftIndexError));
    if (target == Target::CUDA) {
      for (auto [name, address] : cuda::getRuntimeSymbols())
        add(name, address);
    } else {
      add("_mlir_memref_to_llvm_alloc", reinterpret_cast<void *>(&weftAlloc));
      add("_mlir_memref_to_llvm_aligned_alloc",
          reinterpret_cast<void *>(&weftAlignedAlloc));
      add("_mlir_memref_to_llvm_free", reinterpret_cast<void *>(&weftFree));
    }
    return symbols;
  });
  // Runs the global constructors: for the cuda target, they load the
  // kernels.
  (*engine)->initialize();
  if (std::string error = cuda::takeError(); !error.empty())
    return llvm::createStringError(error);
  std::vector<std::string> sites;
  if (auto list = module->getAttrOfType<ArrayAttr>(kIndexSitesAttrName))
    for (auto site : list.getAsRange<NameLoc>())
      sites.push_back("'" + site.getName().str() + "' at " +
                      formatSourceLocation(site.getChildLoc()));
  std::vector<std::string> functionNames;
  module.walk([&](LLVM::LLVMFuncOp func) {
    if (!func.isExternal())
      functionNames.push_back(func.getSymName().str());
  });
  return JitProgram(std::move(*engine), target, std::move(sites), callsLibomp,
                    std::move(functionNames));
}

llvm::Expected<std::string> JitProgram::writePerfMap() {
  std::vector<std::pair<uint64_t, llvm::StringRef>> starts;
  for (const std::string &name : functionNames) {
    auto address = engine->lookup(name);
    if (!address)
      return address.takeError();
    starts.push_back({reinterpret_cast<uint64_t>(*address), name});
  }
  llvm::sort(starts);
  std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (error)
    return llvm::createStringError("cannot write " + path + ": " +
                                   error.message());
  // The functions lie one after the other in the program's code section,
  // so each ends where the next begins. The last one's end is not known
  // here: it is given the largest of the other sizes (no other code
  // follows it).
  uint64_t largest = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    uint64_t size =
        i + 1 < starts.size() ? starts[i + 1].first - starts[i].first : largest;
    largest = std::max(largest, size);
    os << llvm::format_hex_no_prefix(starts[i].first, 1) << ' '
       << llvm::format_hex_no_prefix(size, 1) << ' ' << starts[i].second
       << '\n';
  }
  return path;
}

namespace {
/// The number of fields of a ranked memref descriptor as the C interface
/// lays it out: allocated and aligned pointers, offset, sizes, strides; all
/// fields 8 bytes wide.
int64_t descriptorFields(int64_t rank) { return 3 + 2 * rank; }

/// An argument's memref descriptor.
struct Descriptor {
  explicit Descriptor(int64_t rank) : fields(descriptorFields(rank), 0) {}
  /// A contiguous view of `tensor`'s shape at `data`.
  Descriptor(const Tensor &tensor, void *data) : Descriptor(tensor.rank()) {
    auto ptr = reinterpret_cast<int64_t>(data);
    fields[0] = fields[1] = ptr;
    int64_t rank = tensor.rank(), stride = 1;
    for (int64_t i = rank - 1; i >= 0; --i) {
      fields[3 + i] = tensor.shape()[i];
      fields[3 + rank + i] = stride;
      stride *= tensor.shape()[i];
    }
  }
  std::vector<int64_t> fields;
};

/// Managed memory holding a copy of `tensor`.
void *copyToManaged(const Tensor &tensor) {
  void *copy = cuda::allocate(tensor.numBytes());
  if (copy)
    std::memcpy(copy, tensor.data(), tensor.numBytes());
  return copy;
}
} // namespace

std::vector<void *> JitProgram::copyToDevice(llvm::ArrayRef<Tensor *> args,
                                             size_t numConstant) {
  size_t numVarying = args.size() - numConstant;
  if (constantCopies.empty())
    for (Tensor *arg : args.drop_front(numVarying))
      constantCopies.push_back(copyToManaged(*arg));
  std::vector<void *> copies;
  for (Tensor *arg : args.take_front(numVarying))
    copies.push_back(copyToManaged(*arg));
  return copies;
}

void JitProgram::syncConstants(llvm::ArrayRef<Tensor *> constants) {
  for (auto [tensor, copy] : llvm::zip(constants, constantCopies))
    std::memcpy(tensor->data(), copy, tensor->numBytes());
}

namespace {
/// The source location the OpenMP runtime takes with a parallel region
/// (`ident_t` of LLVM's libomp, kmp.h); KMP_IDENT_KMPC in its flags.
struct OpenMPLocation {
  int32_t reserved1 = 0, flags = 0x02, reserved2 = 0, reserved3 = 0;
  const char *source = ";weft;prepare;0;0;;";
};
using OpenMPMicrotask = void (*)(int32_t *, int32_t *, ...);
using OpenMPForkCall = void (*)(OpenMPLocation *, int32_t, OpenMPMicrotask,
                                ...);
void emptyMicrotask(int32_t *, int32_t *, ...) {}
} // namespace

llvm::Error JitProgram::prepare(llvm::StringRef symbol, uint64_t scratchBytes) {
  if (auto function = engine->lookupPacked(("_mlir_ciface_" + symbol).str());
      !function)
    return function.takeError();
  // The runtime reads its settings, the machine's topology and starts its
  // threads at the first parallel region: milliseconds, which an empty
  // region spends here instead of in the first call.
  if (usesThreads) {
    auto forkCall = engine->lookup("__kmpc_fork_call");
    if (!forkCall)
      return forkCall.takeError();
    OpenMPLocation location;
    reinterpret_cast<OpenMPForkCall> (*forkCall)(&location, 0, &emptyMicrotask);
  }
  // Freed memory stays in the heap (see compile), so memory touched once is
  // what the calls' buffers reuse without faulting pages in.
  struct sysinfo info;
  if (target == Target::CPU && scratchBytes && sysinfo(&info) == 0) {
    // Below the mmap threshold: a block above it would be unmapped when
    // freed.
    uint64_t limit = std::min<uint64_t>(
        uint64_t(info.totalram) * info.mem_unit / 4, (1 << 30) - (1 << 20));
    size_t bytes = std::min(scratchBytes, limit);
    if (auto *block = static_cast<volatile char *>(std::malloc(bytes))) {
      for (size_t i = 0; i < bytes; i += 4096)
        block[i] = 0;
      std::free(const_cast<char *>(block));
    }
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>>
JitProgram::call(llvm::StringRef symbol, llvm::ArrayRef<Tensor *> args,
                 llvm::ArrayRef<ResultType> results, size_t numConstant,
                 llvm::ArrayRef<unsigned> updatedArgs) {
  // The cuda target's kernels cannot read the host's tensors: they get
  // managed copies.
  bool onDevice = target == Target::CUDA;
  std::vector<void *> copies;
  if (onDevice) {
    copies = copyToDevice(args, numConstant);
    if (llvm::is_contained(copies, nullptr) ||
        llvm::is_contained(constantCopies, nullptr))
      return llvm::createStringError(cuda::takeError());
  }
  // The results come back in one struct of their descriptors, whose address
  // the C interface takes first.
  int64_t resultFields = 0;
  for (ResultType result : results)
    resultFields += descriptorFields(result.rank);
  std::vector<int64_t> out(resultFields, 0);
  std::vector<Descriptor> descriptors;
  descriptors.reserve(args.size());
  for (auto [i, arg] : llvm::enumerate(args)) {
    void *data = arg->data();
    if (onDevice)
      data = i < copies.size() ? copies[i] : constantCopies[i - copies.size()];
    descriptors.emplace_back(*arg, data);
  }
  // The packed interface takes, for each argument, a pointer to where the
  // argument (here: a descriptor pointer) is stored.
  std::vector<void *> pointers, packed;
  pointers.push_back(out.data());
  for (Descriptor &d : descriptors)
    pointers.push_back(d.fields.data());
  for (void *&p : pointers)
    packed.push_back(&p);
  lastIndexError.raised = false;
  llvm::Error invoked =
      engine->invokePacked(("_mlir_ciface_" + symbol).str(), packed);
  // The kernels updated the managed copies of these arguments.
  if (onDevice && !invoked)
    for (unsigned i : updatedArgs)
      if (i < copies.size())
        std::memcpy(args[i]->data(), copies[i], args[i]->numBytes());
  for (void *copy : copies)
    cuda::deallocate(copy);
  if (invoked)
    return std::move(invoked);
  if (onDevice) {
    if (std::string error = cuda::takeError(); !error.empty())
      return llvm::createStringError(error);
    cuda::IndexError e;
    if (cuda::takeIndexError(e))
      weftIndexError(e.site, e.index, e.size);
  }

  // The function's own results are contiguous (identity layout) and owned
  // by the caller: copy them out and free them. Two results may share a
  // buffer (`return x, x`, or two gradients that are one value), which is
  // freed once, after every result is copied.
  std::vector<Tensor> tensors;
  llvm::SetVector<void *> buffers;
  const int64_t *fields = out.data();
  for (ResultType type : results) {
    llvm::SmallVector<int64_t> shape(fields + 3, fields + 3 + type.rank);
    Tensor tensor(type.dtype, shape);
    buffers.insert(reinterpret_cast<void *>(fields[0]));
    auto *aligned = reinterpret_cast<char *>(fields[1]);
    std::memcpy(tensor.data(), aligned + fields[2] * sizeOf(type.dtype),
                tensor.numBytes());
    tensors.push_back(std::move(tensor));
    fields += descriptorFields(type.rank);
  }
  for (void *allocated : buffers) {
    if (onDevice)
      cuda::deallocate(allocated);
    else
      std::free(allocated);
  }
  if (lastIndexError.raised) {
    const IndexError &e = lastIndexError;
    std::string where = e.site >= 0 && size_t(e.site) < indexSites.size()
                            ? indexSites[e.site]
                            : "an unknown op";
    // The empty range marks a division's site (weft/Runtime/ABI.h).
    if (e.size == 0)
      return llvm::createStringError("integer division by zero in " + where);
    return llvm::createStringError("index " + std::to_string(e.index) +
                                   " is outside [0, " + std::to_string(e.size) +
                                   ") in " + where);
  }
  return tensors;
}
