//===- Interrupt.cpp - Ctrl-C while weft works ----------------------------===//

#include "weft/Driver/Interrupt.h"

#include <atomic>

using namespace mlir::weft;

namespace {
std::atomic<bool> interrupted{false};

void onInterrupt(int) { interrupted = true; }
} // namespace

InterruptScope::InterruptScope() {
  interrupted = false;
  struct sigaction action = {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous);
}

InterruptScope::~InterruptScope() { sigaction(SIGINT, &previous, nullptr); }

bool mlir::weft::isInterrupted() { return interrupted; }

bool mlir::weft::takeInterrupt() { return interrupted.exchange(false); }
