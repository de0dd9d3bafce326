//===- Fuzzer.cpp - What weft's fuzz targets share ------------------------===//

#include "Fuzzer.h"
#include "weft/Driver/Invocation.h"
#include "weft/Pipelines/Pipelines.h"

using namespace mlir;

const DialectRegistry &mlir::weft::fuzz::setUp() {
  static DialectRegistry *registry = [] {
    auto *registry = new DialectRegistry();
    registerWeftDialects(*registry);
    registerWeftPassesAndPipelines();
    setMemoryLimit(uint64_t(1) << 30);
    return registry;
  }();
  return *registry;
}
