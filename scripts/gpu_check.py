"""Runs every example on the GPU and compares it with the CPU; times matmul
and the models of bench/ against PyTorch CUDA where PyTorch has CUDA.

    gpu-check [--weft PATH] [--arch sm_NN] [--cpu-results DIR] [--runs N]
              [--only NAME ...]
    gpu-check --cpu-only DIR

Every entry point the numerics tests run (test/Examples) runs with the same
seed (random inputs and parameters) on `--target=cpu` and `--target=cuda`.
Floats must agree within max|gpu - cpu| / max|cpu| <= 1e-4 (the GPU computes
exp, tanh, erf, log as polynomials, the CPU with libm; summation orders
differ), integers (tokens, indices) exactly. The CPU results come from this
machine or, with --cpu-results, from a directory `--cpu-only` filled on
another (a GPU server may have no LLVM OpenMP runtime for the CPU's
parallel loops). Prints one table to paste into docs/gpu.md; exit status 1
if any example disagrees or fails. Needs Python 3 only (NumPy not needed);
the timings need PyTorch with CUDA and are skipped without it.
"""
import argparse
import datetime
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 1e-4

# (file, options): the entry points of test/Examples/*/*.numerics.test.
ENTRIES = [
    ("ch01_basics/deep_relu.weft", []),
    ("ch01_basics/linear_regression.weft", []),
    ("ch01_basics/sigmoid_sum.weft", []),
    ("ch02_methodology/mlp_dropout.weft", []),
    ("ch02_methodology/ridge_regression.weft", []),
    ("ch02_methodology/ridge_regression.weft", ["--entry", "penalty"]),
    ("ch03_optimization/cnn_batchnorm.weft", []),
    ("ch03_optimization/mlp_batchnorm.weft", []),
    ("ch04_cnn/lenet5.weft", []),
    ("ch04_cnn/resnet_small.weft", []),
    ("ch05_rnn/bilstm_tagger.weft", []),
    ("ch05_rnn/bilstm_tagger.weft", ["--entry", "Tagger.tags"]),
    ("ch05_rnn/elman_rnn.weft", []),
    ("ch05_rnn/gru.weft", []),
    ("ch05_rnn/lstm.weft", []),
    ("ch05_rnn/seq2seq.weft", ["--entry", "beam"]),
    ("ch05_rnn/seq2seq.weft", ["--entry", "greedy"]),
    ("ch06_self_attention/attention_classifier.weft", []),
    ("ch06_self_attention/multi_head_attention.weft", []),
    ("ch06_self_attention/self_attention.weft", []),
    ("ch07_transformer/transformer.weft", []),
    ("ch07_transformer/transformer.weft", ["--entry", "greedy"]),
    ("ch08_gan/dcgan.weft", ["--entry", "Discriminator.forward"]),
    ("ch08_gan/dcgan.weft", ["--entry", "Generator.forward"]),
    ("ch08_gan/wgan_critic.weft", ["--entry", "Critic.forward"]),
    ("ch09_diffusion/ddpm.weft", ["--entry", "DDPM.denoise", "--dim", "T=10"]),
    ("ch09_diffusion/ddpm.weft", ["--entry", "DDPM.noise", "--dim", "T=10"]),
    ("ch09_diffusion/ddpm.weft", ["--entry", "DDPM.sample", "--dim", "T=10"]),
    ("ch10_self_supervised/bert.weft", []),
    ("ch10_self_supervised/gpt.weft", []),
    ("ch10_self_supervised/gpt.weft", ["--entry", "GPT.greedy", "--dim", "T=8"]),
    ("ch10_self_supervised/gpt.weft", ["--entry", "GPT.sample", "--dim", "T=8"]),
]

NPY_TYPES = {"<f4": "f", "<f8": "d", "<i8": "q", "<i4": "i", "|b1": "?", "|u1": "B"}


def read_npy(path):
    """(values as a flat list, is float) of a little-endian, C-order .npy."""
    with open(path, "rb") as f:
        data = f.read()
    header_len = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + header_len].decode("latin1")
    descr = re.search(r"'descr': '([^']+)'", header).group(1)
    code = NPY_TYPES[descr]
    body = data[10 + header_len:]
    count = len(body) // struct.calcsize(code)
    return list(struct.unpack(f"<{count}{code}", body)), code in "fd"


def compare(cpu_path, gpu_path):
    """The relative error of floats, or 0/inf for integers equal or not."""
    cpu, is_float = read_npy(cpu_path)
    gpu, _ = read_npy(gpu_path)
    if len(cpu) != len(gpu):
        return float("inf")
    if not is_float:
        return 0.0 if cpu == gpu else float("inf")
    # NaN where the CPU has NaN (a fully masked softmax row) agrees.
    if any(math.isnan(a) != math.isnan(b) for a, b in zip(cpu, gpu)):
        return float("inf")
    pairs = [(a, b) for a, b in zip(cpu, gpu) if not math.isnan(a)]
    scale = max((abs(a) for a, _ in pairs), default=0.0) or 1.0
    return max((abs(a - b) for a, b in pairs), default=0.0) / scale


def entry_id(path, options):
    name = os.path.basename(path)[:-len(".weft")]
    return "_".join([name] + [o.replace("=", "").replace(".", "_")
                              for o in options if not o.startswith("--")])


def weft_env(*extra):
    """The standard library from this checkout: a weft built elsewhere (the
    static one of scripts/gpu-bundle) has another path compiled in."""
    path = [*extra, os.path.join(ROOT, "stdlib")]
    return dict(os.environ, WEFT_PATH=":".join(path))


def run_weft(weft, path, options, target, output, arch):
    command = [weft, "run", os.path.join(ROOT, "examples", path), *options,
               "--seed", "3", "--target", target, "--output", output]
    if target == "cuda":
        command += ["--gpu-arch", arch]
    result = subprocess.run(command, capture_output=True, text=True, env=weft_env())
    return result.returncode == 0, result.stderr.strip()


def selected(only):
    return [(path, options) for path, options in ENTRIES
            if not only or any(name in path for name in only)]


def check_examples(weft, arch, cpu_dir, tmp, only):
    rows, failed = [], 0
    for path, options in selected(only):
        key = entry_id(path, options)
        cpu = os.path.join(cpu_dir or tmp, key + ".npy")
        gpu = os.path.join(tmp, key + ".gpu.npy")
        if not cpu_dir:
            ok, message = run_weft(weft, path, options, "cpu", cpu, arch)
            if not ok:
                rows.append((path, options, None, "cpu failed: " + message))
                failed += 1
                continue
        ok, message = run_weft(weft, path, options, "cuda", gpu, arch)
        if not ok:
            rows.append((path, options, None, "gpu failed: " + message))
            failed += 1
            continue
        error = compare(cpu, gpu)
        good = error <= TOLERANCE
        failed += not good
        rows.append((path, options, error, "ok" if good else "MISMATCH"))
        print(f"  {key}: {error:.1e}", file=sys.stderr)
    return rows, failed


def device_name():
    if shutil.which("nvidia-smi"):
        result = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"],
            capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.strip().splitlines()[0]
    return "unknown GPU"


def time_models(weft, arch, runs):
    """weft (cuda) and PyTorch (CUDA) on bench/'s models and on sgemm."""
    try:
        import numpy as np
        import torch
    except ImportError:
        return None, "PyTorch or NumPy not installed: no timings"
    if not torch.cuda.is_available():
        return None, "PyTorch has no CUDA device: no timings"
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import bench  # noqa: E402  (its models and weight writer)

    def torch_ms(fn):
        fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(runs):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
        return sorted(times)[len(times) // 2]

    def weft_ms(path, entry, args):
        command = [weft, "run", os.path.join(ROOT, path), "--entry", entry,
                   "--target", "cuda", "--gpu-arch", arch,
                   "--benchmark", str(runs), "--output", os.devnull, *args]
        env = weft_env(os.path.join(ROOT, "examples", "ch10_self_supervised"))
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        m = re.search(r"run median ([\d.]+) ms", result.stderr)
        return float(m.group(1)) if m else None

    rows = []
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        for name, build, make_inputs, path, entry, _ in bench.MODELS:
            model = build().eval()
            inputs = make_inputs()
            state = model.weft_state() if hasattr(model, "weft_state") else model.state_dict()
            weights = os.path.join(tmp, "w.safetensors")
            bench.weft_reference.save_safetensors(
                weights, {k: v.detach().numpy() for k, v in state.items()})
            args = ["--weights", weights]
            for k, v in inputs.items():
                np.save(os.path.join(tmp, k + ".npy"), v.numpy())
                args += ["--input", f"{k}={os.path.join(tmp, k + '.npy')}"]
            model = model.cuda()
            device_inputs = [v.cuda() for v in inputs.values()]
            with torch.no_grad():
                reference = torch_ms(lambda: model(*device_inputs))
            rows.append((name, weft_ms(path, entry, args), reference))
        for n in (1024, 2048, 4096):
            a = torch.randn(n, n, device="cuda")
            b = torch.randn(n, n, device="cuda")
            reference = torch_ms(lambda: a @ b)
            ms = weft_ms("bench/models/sgemm.weft", "sgemm", ["--dim", f"N={n}"])
            rows.append((f"sgemm n={n} (GFLOP/s: weft "
                         f"{2 * n**3 / ms / 1e6 if ms else 0:.0f}, PyTorch "
                         f"{2 * n**3 / reference / 1e6:.0f})", ms, reference))
    return rows, f"PyTorch {torch.__version__}, CUDA {torch.version.cuda}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weft", default=os.path.join(ROOT, "build", "bin", "weft"))
    parser.add_argument("--arch", default="sm_90")
    parser.add_argument("--cpu-results", help="CPU results from --cpu-only")
    parser.add_argument("--cpu-only", metavar="DIR",
                        help="only write the CPU results to DIR")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", nargs="*", help="examples whose path has NAME")
    parser.add_argument("--no-timings", action="store_true")
    args = parser.parse_args()
    if args.cpu_only:
        os.makedirs(args.cpu_only, exist_ok=True)
        failed = 0
        for path, options in selected(args.only):
            out = os.path.join(args.cpu_only, entry_id(path, options) + ".npy")
            ok, message = run_weft(args.weft, path, options, "cpu", out, args.arch)
            if not ok:
                print(f"{path} {' '.join(options)}: {message}", file=sys.stderr)
                failed += 1
        return 1 if failed else 0

    with tempfile.TemporaryDirectory() as tmp:
        rows, failed = check_examples(args.weft, args.arch, args.cpu_results,
                                      tmp, args.only)
    print(f"GPU: {device_name()}, {args.arch}; {datetime.date.today()}; "
          f"tolerance max|gpu - cpu| / max|cpu| <= {TOLERANCE:g}, integers exact")
    print()
    print("| example | entry | max rel. error | result |")
    print("|---|---|---|---|")
    for path, options, error, status in rows:
        shown = "-" if error is None else f"{error:.1e}"
        print(f"| {path} | {' '.join(options) or 'forward'} | {shown} | {status} |")
    timings, about = (None, "timings not asked for") if args.no_timings else \
        time_models(args.weft, args.arch, args.runs)
    print()
    if timings is None:
        print(about)
    else:
        print(f"Median ms over {args.runs} runs ({about}):")
        print()
        print("| model | weft ms | PyTorch ms | weft/PyTorch |")
        print("|---|---|---|---|")
        for name, ms, reference in timings:
            ratio = f"{ms / reference:.2f}" if ms else "-"
            shown = f"{ms:.3f}" if ms else "failed"
            print(f"| {name} | {shown} | {reference:.3f} | {ratio} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
