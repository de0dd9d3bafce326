//===- Interrupt.h - Ctrl-C while weft works --------------------*- C++ -*-===//
//
// While an InterruptScope lives, Ctrl-C (SIGINT) does not end the process:
// it sets a flag that the work polls at points where it can stop cleanly
// (after a training step, between the stages of a compilation). System
// calls that it interrupts return early (no SA_RESTART), so a read of a
// line stops too.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DRIVER_INTERRUPT_H
#define WEFT_DRIVER_INTERRUPT_H

#include <csignal>

namespace mlir::weft {

class InterruptScope {
public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope &) = delete;
  InterruptScope &operator=(const InterruptScope &) = delete;

private:
  struct sigaction previous;
};

/// Whether Ctrl-C was pressed since the flag was last cleared.
bool isInterrupted();

/// Whether Ctrl-C was pressed, clearing the flag.
bool takeInterrupt();

} // namespace mlir::weft

#endif // WEFT_DRIVER_INTERRUPT_H
