"""Checks train-mode dropout's outputs from train_mode.weft's Dropped.step,
run with --steps 2 on ones: `check_dropout.py OUT` reads OUT.{0,1,2}.npy
(the first dropout's output, its gradient, a second dropout's output)."""
import sys

import numpy as np

y, g, z = (np.load(f"{sys.argv[1]}.{i}.npy") for i in range(3))
for name, out, p in (("Dropout(0.25)", y, 0.25), ("dropout(p=0.5)", z, 0.5)):
    values = sorted(set(np.unique(out).tolist()))
    rates = (out == 0).mean(axis=(1, 2))
    # 16384 draws a step: the rate's standard deviation is below 0.004.
    print(f"{name}: values {values}, scale {1 / (1 - p):.7g}, "
          f"rates within 0.02 of p: {bool((abs(rates - p) < 0.02).all())}")
print("steps draw anew:", bool((y[0] != y[1]).mean() > 0.3))
print("dropouts draw apart:", bool(((y[0] == 0) != (z[0] == 0)).mean() > 0.3))
print("gradient is the scaled mask:", bool((g == y).all()))
