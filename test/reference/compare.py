"""Compares a weft result with a reference result.

    compare.py ACTUAL.npy EXPECTED.npy --rtol R
    compare.py ACTUAL.safetensors EXPECTED.safetensors --rtol R

The shapes must be equal and the error, max|actual - expected| divided by
max|expected| (or by --floor F when that is larger: for a value that is
zero but for rounding), at most R. Two safetensors files compare tensor by
tensor: every tensor of EXPECTED must be in ACTUAL. Prints the measured
error (per tensor); exits 1 on a mismatch or a missing tensor.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import load_safetensors  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("actual")
parser.add_argument("expected")
parser.add_argument("--rtol", type=float, required=True)
parser.add_argument("--floor", type=float, default=0.0)
args = parser.parse_args()


def compare(actual, expected, what=""):
    """Prints the verdict on one pair of arrays; whether it is within."""
    actual, expected = actual.astype(np.float64), expected.astype(np.float64)
    if actual.shape != expected.shape:
        print(f"shape mismatch: {what}{actual.shape} vs {expected.shape}")
        return False
    scale = max(np.abs(expected).max(initial=0.0),
                np.finfo(np.float32).tiny, args.floor)
    error = np.abs(actual - expected).max(initial=0.0) / scale
    verdict = "ok" if error <= args.rtol else "MISMATCH"
    print(f"{verdict}: {what}relative error {error:.3e} "
          f"(tolerance {args.rtol:.0e}), shape {actual.shape}")
    return error <= args.rtol


if args.expected.endswith(".safetensors"):
    actual = load_safetensors(args.actual)
    passed = True
    for name, expected in sorted(load_safetensors(args.expected).items()):
        if name not in actual:
            print(f"MISSING: {name}")
            passed = False
            continue
        passed &= compare(actual[name], expected, name + " ")
else:
    passed = compare(np.load(args.actual), np.load(args.expected))
sys.exit(0 if passed else 1)
