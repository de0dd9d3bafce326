"""Compares a weft result with a reference result.

    compare.py ACTUAL.npy EXPECTED.npy --rtol R

The shapes must be equal and the error, max|actual - expected| divided by
max|expected| (or by --floor F when that is larger: for a value that is
zero but for rounding), at most R. Prints the measured error; exits 1 on a
mismatch.
"""
import argparse
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("actual")
parser.add_argument("expected")
parser.add_argument("--rtol", type=float, required=True)
parser.add_argument("--floor", type=float, default=0.0)
args = parser.parse_args()

actual = np.load(args.actual).astype(np.float64)
expected = np.load(args.expected).astype(np.float64)
if actual.shape != expected.shape:
    print(f"shape mismatch: {actual.shape} vs {expected.shape}")
    sys.exit(1)
scale = max(np.abs(expected).max(initial=0.0), np.finfo(np.float32).tiny,
            args.floor)
error = np.abs(actual - expected).max(initial=0.0) / scale
verdict = "ok" if error <= args.rtol else "MISMATCH"
print(f"{verdict}: relative error {error:.3e} (tolerance {args.rtol:.0e}), "
      f"shape {actual.shape}")
sys.exit(0 if error <= args.rtol else 1)
