"""Checks weft's gradients against central finite differences.

    gradcheck.py WEFT FILE ENTRY --wrt N [--probes K] [--rtol R] [--seed S]
                 [-- extra weft run arguments]

ENTRY's parameters are `name: f64[d0, d1, ...]` (or i64 with --index
name=limit: random integers in [0, limit)); it returns the loss, a scalar,
then the gradients of the loss with respect to its first N parameters, in
order (`return l, gx, gw` after `gx, gw = grad(l, [x, w])`).

The inputs are random normal numbers from the seed. For each of K random
directions u (over all N parameters at once), the directional derivative
sum_i <grad_i, u_i> is compared with (loss(x + h u) - loss(x - h u)) / 2h,
all computed by the float64 interpreter (weft run --interp): the relative
error |analytic - fd| / max(|analytic|, |fd|, 1e-8) must be at most R.
Prints one line per probe; exits 1 on a mismatch.

--also=FLAGS (repeatable) also runs the entry compiled with FLAGS ("" is
the CPU JIT, "--target=cuda --gpu-emulation" the emulated cuda kernels) on
the same inputs: every output within --also-rtol of the interpreter's,
max|a - b| / max|b|.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("weft")
parser.add_argument("file")
parser.add_argument("entry")
parser.add_argument("--wrt", type=int, required=True)
parser.add_argument("--probes", type=int, default=3)
parser.add_argument("--rtol", type=float, default=1e-6)
parser.add_argument("--step", type=float, default=1e-6)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--index", action="append", default=[],
                    help="name=limit: an integer parameter in [0, limit)")
parser.add_argument("--positive", action="append", default=[],
                    help="a parameter drawn in [0.5, 2) (for log, sqrt)")
parser.add_argument("--also", action="append", default=[])
parser.add_argument("--also-rtol", type=float, default=1e-12)
parser.add_argument("extra", nargs="*")
args = parser.parse_args()


def signature(path, entry):
    """The (name, dtype, shape) of each parameter of `entry`."""
    name = entry.split(".")[-1]
    text = open(path).read()
    m = re.search(r"def\s+" + re.escape(name) + r"\s*\(([^)]*)\)", text)
    if not m:
        sys.exit(f"no function {entry} in {path}")
    params = []
    for part in re.findall(r"(\w+)\s*:\s*(\w+)(\[[^\]]*\])?", m.group(1)):
        dims = [int(d) for d in part[2].strip("[]").split(",") if d.strip()]
        params.append((part[0], part[1], dims))
    return params


def run(inputs, tmp, tag, mode=("--interp",)):
    """The entry's outputs for `inputs`, by the interpreter (or `mode`)."""
    flags = []
    for name, value in inputs.items():
        path = os.path.join(tmp, f"{tag}.{name}.npy")
        np.save(path, value)
        flags += ["--input", f"{name}={path}"]
    out = os.path.join(tmp, f"{tag}.out.npy")
    subprocess.run([args.weft, "run", args.file, "--entry", args.entry,
                    "--output", out] + list(mode) + flags + args.extra,
                   check=True)
    count = args.wrt + 1
    return [np.load(os.path.join(tmp, f"{tag}.out.{i}.npy"))
            for i in range(count)]


rng = np.random.default_rng(args.seed)
limits = dict(item.split("=") for item in args.index)
params = signature(args.file, args.entry)
inputs = {}
for name, dtype, shape in params:
    if name in limits:
        inputs[name] = rng.integers(0, int(limits[name]), size=shape)
    elif name in args.positive:
        inputs[name] = rng.uniform(0.5, 2.0, size=shape)
    else:
        inputs[name] = rng.standard_normal(shape)
wrt = [name for name, _, _ in params[:args.wrt]]

failed = False
with tempfile.TemporaryDirectory() as tmp:
    outputs = run(inputs, tmp, "base")
    gradients = dict(zip(wrt, outputs[1:]))
    for probe in range(args.probes):
        u = {name: rng.standard_normal(inputs[name].shape) for name in wrt}
        analytic = sum(float(np.sum(gradients[n] * u[n])) for n in wrt)
        plus = dict(inputs, **{n: inputs[n] + args.step * u[n] for n in wrt})
        minus = dict(inputs, **{n: inputs[n] - args.step * u[n] for n in wrt})
        fd = (float(run(plus, tmp, "plus")[0]) -
              float(run(minus, tmp, "minus")[0])) / (2 * args.step)
        error = abs(analytic - fd) / max(abs(analytic), abs(fd), 1e-8)
        verdict = "ok" if error <= args.rtol else "MISMATCH"
        failed |= error > args.rtol
        print(f"{verdict}: {args.entry} probe {probe}: analytic {analytic:.9g}"
              f" fd {fd:.9g} relative error {error:.2e}"
              f" (tolerance {args.rtol:.0e})")
    for target in args.also:
        compiled = run(inputs, tmp, "target", target.split())
        error = max(np.abs(a - b).max(initial=0.0) /
                    max(np.abs(b).max(initial=0.0), 1e-300)
                    for a, b in zip(compiled, outputs))
        verdict = "ok" if error <= args.also_rtol else "MISMATCH"
        failed |= error > args.also_rtol
        print(f"{verdict}: {args.entry} compiled with '{target}': relative "
              f"error {error:.2e} (tolerance {args.also_rtol:.0e})")
sys.exit(1 if failed else 0)
