//===- Fuzzer.h - What weft's fuzz targets share ----------------*- C++ -*-===//
//
// Each fuzz target defines LLVMFuzzerTestOneInput. Built with WEFT_FUZZ
// (clang's libFuzzer) it is a fuzzer; built without, StandaloneMain.cpp
// gives it a main that runs it once on each file named, which is how ctest
// replays the regression corpus in fuzz/regressions/.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_FUZZ_FUZZER_H
#define WEFT_FUZZ_FUZZER_H

#include "mlir/IR/DialectRegistry.h"

#include <cstddef>
#include <cstdint>

namespace mlir::weft::fuzz {

/// The dialects and passes weft registers, set up once per process, and a
/// memory limit (1 GiB a tensor) below the fuzzer's own, so that a program
/// that asks for more is an error like any other rather than a finding.
const DialectRegistry &setUp();

} // namespace mlir::weft::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif // WEFT_FUZZ_FUZZER_H
