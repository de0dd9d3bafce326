"""Times each reference model on weft's JIT and on PyTorch, in one run.

    bench.py [--runs N] [--rounds R] [--only NAME ...] [--unfused]
             [--no-sgemm] [--no-train]

For every model: PyTorch builds it (float32, eval, no_grad), its weights
and input are written as safetensors/.npy, `weft run --benchmark` runs the
same model on them (the outputs must agree), and both are timed with 1 and
with 2 threads. Each side measures the steady state: a first call, warm-up
calls until the time per call is steady (the median of the last 3 within
5% of the 3 before, after at least 0.2 s of warm-up, at most 1 s: a core
of a shared machine can take tens of milliseconds to come up to speed),
then N timed calls. weft and
PyTorch run in alternating processes, R rounds of each; a side's time is
the median of its rounds' medians, its spread the rounds' range around it.
The table gives both, the weft/PyTorch ratio (below 1: weft is faster),
weft's first call (where buffers fault their pages in), weft's JIT compile
time and, with --unfused, weft's time with fusion off (`--fusion=none`,
one thread, one round).

PyTorch runs in its best configuration on the machine, which the run
prints: OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set (OpenBLAS reads them
when it loads), passive OpenMP waiting, and OpenBLAS's kernel for this CPU
where OPENBLAS_CORETYPE is set to an older one for safety's sake, once a
check in the run has found the native kernel's products correct and
faster.

Then the train steps (bench/models/train_steps.weft, gpt_train.weft):
forward, cross entropy, backward and one Adam step of the MLP, LeNet-5 and
the GPT, on weft (`--benchmark`, the parameters and Adam's state updated
in place at each call) and PyTorch (torch.optim.Adam), 1 and 2 threads,
from the same weights and batch; PyTorch takes as many steps as weft did
(first call, warm-up and timed calls), after which their losses must
agree within 1e-3 of the first step's loss (column "loss err": the
hundreds of steps overfit the one batch, and the loss falls by orders of
magnitude). Then the sgemm table: GFLOP/s of weft's matmul, NumPy's BLAS and
PyTorch at n = 256 ... 2048 (one thread), next to the machine's FMA peak
(build/bin/fma-peak).
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "reference"))
sys.path.insert(0, os.path.join(ROOT, "test", "reference", "ch10_self_supervised"))
import weft_reference  # noqa: E402
from gpt import Block  # noqa: E402

WEFT = os.path.join(ROOT, "build", "bin", "weft")


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 256), nn.Linear(256, 256), nn.Linear(256, 10)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(torch.flatten(h, 1))))))


class Recurrent(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        setattr(self, kind, (nn.LSTM if kind == "lstm" else nn.GRU)(64, 128, batch_first=True))

    def forward(self, x):
        return getattr(self, self.kind)(x)[0]


class EncoderLayer(nn.Module):
    """PyTorch's own nn.TransformerEncoderLayer; its packed in_proj weights
    are split into weft's q, k, v when exported."""

    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(256, 4, 1024, dropout=0.0, batch_first=True)

    def forward(self, x):
        return self.layer(x)

    def weft_state(self):
        state = {k: v for k, v in self.state_dict().items()}
        w = state.pop("layer.self_attn.in_proj_weight").chunk(3)
        b = state.pop("layer.self_attn.in_proj_bias").chunk(3)
        for name, wi, bi in zip("qkv", w, b):
            state[f"layer.self_attn.{name}.weight"] = wi
            state[f"layer.self_attn.{name}.bias"] = bi
        state["layer.self_attn.o.weight"] = state.pop("layer.self_attn.out_proj.weight")
        state["layer.self_attn.o.bias"] = state.pop("layer.self_attn.out_proj.bias")
        return state


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(1000, 256), nn.Embedding(128, 256)
        self.blocks = nn.ModuleList([Block(256, 4) for _ in range(4)])
        self.ln_f = nn.LayerNorm(256)
        self.head = nn.Linear(256, 1000, bias=False)

    def forward(self, ids):
        h = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.blocks:
            h = block(h)
        return self.head(self.ln_f(h))


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(18, 128), nn.Linear(128, 128), nn.Linear(128, 2)

    def forward(self, x, t):
        angles = t[:, None] * torch.exp(torch.arange(8.0) * (-math.log(10000.0) / 8.0))
        h = torch.cat([x, torch.sin(angles), torch.cos(angles)], 1)
        return self.fc3(F.silu(self.fc2(F.silu(self.fc1(h)))))


# name, PyTorch model, inputs, weft file, entry, dims
MODELS = [
    ("MLP 784-256-256-10, batch 64", MLP, lambda: {"x": torch.randn(64, 784)},
     "examples/ch01_basics/deep_relu.weft", "DeepReLU.forward", {}),
    ("LeNet-5, batch 64", LeNet5, lambda: {"x": torch.randn(64, 1, 28, 28)},
     "examples/ch04_cnn/lenet5.weft", "LeNet5.forward", {}),
    ("LSTM 64->128, seq 32, batch 16", lambda: Recurrent("lstm"),
     lambda: {"x": torch.randn(16, 32, 64)},
     "bench/models/recurrent.weft", "LSTMBench.forward", {}),
    ("GRU 64->128, seq 32, batch 16", lambda: Recurrent("gru"),
     lambda: {"x": torch.randn(16, 32, 64)},
     "bench/models/recurrent.weft", "GRUBench.forward", {}),
    ("Transformer encoder layer 256/4/1024, seq 128, batch 8", EncoderLayer,
     lambda: {"x": torch.randn(8, 128, 256)},
     "bench/models/transformer_layer.weft", "EncoderLayerBench.forward", {}),
    ("GPT 4x256, vocab 1000, context 128, batch 1", GPT,
     lambda: {"ids": torch.randint(0, 1000, (1, 128))},
     "bench/models/gpt_bench.weft", "GPTBench.forward", {}),
    ("DDPM denoiser MLP, batch 1024", Denoiser,
     lambda: {"x": torch.randn(1024, 2), "t": torch.randint(0, 1000, (1024,)).float()},
     "bench/models/ddpm_mlp.weft", "DenoiserBench.forward", {}),
]


class Trained(nn.Module):
    """A model of MODELS as a train step's model: under `net`, as
    train_steps.weft holds it."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)


# name, PyTorch model, inputs (the last: the targets), weft file, entry
TRAIN_STEPS = [
    ("MLP 784-256-256-10, batch 64", MLP,
     lambda: {"x": torch.randn(64, 784), "t": torch.randint(0, 10, (64,))},
     "bench/models/train_steps.weft", "MLPTrain.step"),
    ("LeNet-5, batch 64", LeNet5,
     lambda: {"x": torch.randn(64, 1, 28, 28),
              "t": torch.randint(0, 10, (64,))},
     "bench/models/train_steps.weft", "LeNet5Train.step"),
    ("GPT 4x256, vocab 1000, context 128, batch 1", GPT,
     lambda: {"ids": torch.randint(0, 1000, (1, 128)),
              "t": torch.randint(0, 1000, (1, 128))},
     "bench/models/gpt_train.weft", "GPTTrain.step"),
]


# The PyTorch side's environment beyond the thread counts: filled in by
# choose_torch_config() before any PyTorch timing.
TORCH_ENV = {}


def thread_env(threads, extra=None):
    """The environment that gives PyTorch, OpenMP and OpenBLAS `threads`
    threads. Passive waiting: PyTorch's spinning OpenMP threads otherwise
    fight OpenBLAS's and run 2-3x slower with 2 threads than with 1."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads),
               OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
               OMP_WAIT_POLICY="passive")
    env.update(TORCH_ENV if extra is None else extra)
    return {k: v for k, v in env.items() if v is not None}


def steady_times(fn, runs):
    """`fn`'s first call, the warm-up calls until its time is steady (as
    weft's --benchmark: the median of the last 3 within 5% of the 3
    before, after at least 0.2 s and at most 1 s of them), and `runs` timed
    calls: (first ms, number of warm-up calls, the timed calls' ms)."""
    def timed():
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1e3
    first = timed()
    warm_up, started = [], time.perf_counter()

    def steady():
        if len(warm_up) < 6:
            return False
        now, then = np.median(warm_up[-3:]), np.median(warm_up[-6:-3])
        return abs(now - then) <= 0.05 * then

    while True:
        warm_up.append(timed())
        elapsed = time.perf_counter() - started
        if elapsed >= 1.0 or (elapsed >= 0.2 and steady()):
            break
    return first, len(warm_up), [timed() for _ in range(runs)]


def torch_worker(model_path, runs):
    """In a process of its own (OpenBLAS fixes its thread count when it is
    loaded): the steady-state median time of the saved model on its saved
    inputs."""
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    model, inputs = torch.load(model_path)
    with torch.no_grad():
        _, _, times = steady_times(lambda: model(*inputs), runs)
    print(float(np.median(times)))


def train_worker(model_path, runs, steps):
    """In a process of its own: one train step of the saved model (forward,
    cross entropy, backward, Adam) taken `steps` times, as many as weft
    took; the median time of the last `runs`, the last step's loss and the
    first's."""
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    model, inputs = torch.load(model_path)
    *x, target = inputs
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(*x).movedim(-1, 1), target)
        loss.backward()
        opt.step()
        return loss.item()

    times, losses = [], []
    for _ in range(steps):
        start = time.perf_counter()
        losses.append(step())
        times.append((time.perf_counter() - start) * 1e3)
    print(float(np.median(times[-runs:])), losses[-1], losses[0])


def time_torch(model, inputs, threads, runs, tmp, worker="--torch-worker",
               steps=None):
    path = os.path.join(tmp, "model.pt")
    torch.save((model, inputs), path)
    command = [sys.executable, os.path.abspath(__file__), worker, path,
               "--runs", str(runs)]
    if steps is not None:
        command += ["--steps", str(steps)]
    result = subprocess.run(command, capture_output=True, text=True,
                            env=thread_env(threads))
    if result.returncode != 0:
        sys.exit(f"PyTorch timing failed:\n{result.stderr}")
    return [float(v) for v in result.stdout.split()]


BENCHMARK_LINE = re.compile(
    r"compile ([\d.]+) ms, first call ([\d.]+) ms, run median ([\d.]+) ms "
    r".* after (\d+) warm-up calls")


def run_weft(path, entry, files, inputs, threads, runs, out, fusion="all",
             dims=()):
    """Runs `weft run --benchmark`: returns a dict of its compile, first
    call and median times (ms) and the number of calls it made."""
    command = [WEFT, "run", os.path.join(ROOT, path), "--entry", entry,
               "--benchmark", str(runs), "--fusion", fusion, "--output", out]
    if "weights" in files:
        command += ["--weights", files["weights"]]
    for name in inputs:
        command += ["--input", f"{name}={files[name]}"]
    for dim in dims:
        command += ["--dim", dim]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads),
               WEFT_PATH=os.path.join(ROOT, "examples", "ch10_self_supervised"))
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"weft failed on {path}:\n{result.stderr}")
    m = BENCHMARK_LINE.search(result.stderr)
    return {"compile": float(m.group(1)), "first": float(m.group(2)),
            "median": float(m.group(3)),
            "calls": 1 + int(m.group(4)) + runs}


def summarize(medians):
    """The median of the rounds' medians and their spread: the largest
    distance of a round from it, relative."""
    middle = float(np.median(medians))
    return middle, max(abs(m - middle) for m in medians) / middle


def best_ms(fn, runs):
    return float(np.median(steady_times(fn, runs)[2]))


def blas_library():
    """The BLAS library this process has loaded (Debian's libblas.so.3 is
    OpenBLAS once libopenblas-dev is installed, else the reference BLAS)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower()}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none"


def blas_library_of_torch():
    """The BLAS library PyTorch loads, from a one-thread worker process."""
    result = subprocess.run(
        [sys.executable, "-c",
         "import torch, sys; torch.ones(2, 2) @ torch.ones(2, 2); "
         f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
         "import bench; print(bench.blas_library())"],
        capture_output=True, text=True, env=thread_env(1))
    return result.stdout.strip() or "an unknown BLAS"


def sgemm_worker(n, runs):
    """In a one-thread process: NumPy's and PyTorch's n x n product, ms."""
    torch.set_num_threads(1)
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)
    numpy_ms = best_ms(lambda: a @ b, runs)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    print(numpy_ms, best_ms(lambda: ta @ tb, runs), blas_library())


def sgemm(sizes, runs):
    """GFLOP/s of an n x n by n x n float32 product, one thread each."""
    env = thread_env(1)
    print(f"{'sgemm n':<10} {'weft GFLOP/s':>13} {'NumPy GFLOP/s':>14} "
          f"{'PyTorch GFLOP/s':>16}")
    blas = None
    for n in sizes:
        flops = 2.0 * n ** 3
        weft_ms = run_weft("bench/models/sgemm.weft", "sgemm", {}, {}, 1, runs,
                           os.devnull, dims=[f"N={n}"])["median"]
        reference = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--sgemm-worker", str(n),
             "--runs", str(runs)], capture_output=True, text=True, env=env)
        if reference.returncode != 0:
            sys.exit(f"sgemm reference failed:\n{reference.stderr}")
        numpy_ms, torch_ms, blas = reference.stdout.split(maxsplit=2)
        numpy_ms, torch_ms = float(numpy_ms), float(torch_ms)
        print(f"{n:<10} {flops / weft_ms / 1e6:>13.2f} {flops / numpy_ms / 1e6:>14.2f} "
              f"{flops / torch_ms / 1e6:>16.2f}")
    print(f"NumPy's and PyTorch's BLAS: {blas.strip()}")


def kernel_check_worker(runs):
    """In a one-thread process: the largest relative error of PyTorch's
    float32 products against float64 ones computed without BLAS (NumPy's
    einsum loops), and the time of a 512 x 512 product."""
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    error = 0.0
    for m, k, n in [(67, 129, 250), (256, 256, 256), (64, 784, 256),
                    (1, 256, 1000), (128, 1024, 256)]:
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        expected = np.einsum("ik,kj->ij", a.astype(np.float64),
                             b.astype(np.float64))
        actual = (torch.from_numpy(a) @ torch.from_numpy(b)).numpy()
        error = max(error, np.abs(actual - expected).max() / np.abs(expected).max())
    a = torch.randn(512, 512)
    print(error, best_ms(lambda: a @ a, runs))


def choose_torch_config():
    """Sets TORCH_ENV to PyTorch's best configuration here and says which.
    Where OPENBLAS_CORETYPE holds OpenBLAS to an older CPU's kernel, the
    native one is taken if its products are right and it is faster."""
    def check(extra):
        result = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--kernel-check",
             "--runs", "20"], capture_output=True, text=True,
            env=thread_env(1, extra))
        if result.returncode != 0:
            return float("inf"), float("inf")
        return [float(v) for v in result.stdout.split()]

    threads = "OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set, passive OpenMP waiting"
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    if coretype is None:
        TORCH_ENV.clear()
        return f"{threads}; OpenBLAS's kernel for this CPU (OPENBLAS_CORETYPE not set)"
    set_error, set_ms = check({})
    native_error, native_ms = check({"OPENBLAS_CORETYPE": None})
    if native_error < 1e-4 and native_ms < set_ms:
        TORCH_ENV.update(OPENBLAS_CORETYPE=None)
        return (f"{threads}; OPENBLAS_CORETYPE={coretype} unset for PyTorch: "
                f"the native kernel's products were right (max rel err "
                f"{native_error:.1e}) and faster (512^3 product {native_ms:.3f} "
                f"ms, {set_ms:.3f} with {coretype})")
    TORCH_ENV.clear()
    why = ("its products were wrong" if native_error >= 1e-4
           else "it was not faster")
    return (f"{threads}; OPENBLAS_CORETYPE={coretype} kept: the native kernel "
            f"{why} (max rel err {native_error:.1e}, 512^3 product "
            f"{native_ms:.3f} ms against {set_ms:.3f})")


def train_steps(args):
    """Times each train step (forward, backward, Adam) on weft and on
    PyTorch from the same weights and batch; the losses after the same
    number of steps must agree."""
    torch.manual_seed(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build, make_inputs, path, entry in TRAIN_STEPS:
            if args.only and not any(o.lower() in name.lower() for o in args.only):
                continue
            model = Trained(build())
            inputs = make_inputs()
            files = {"weights": os.path.join(tmp, "w.safetensors")}
            weft_reference.save_safetensors(
                files["weights"],
                {k: v.detach().numpy() for k, v in model.state_dict().items()})
            for k, v in inputs.items():
                files[k] = os.path.join(tmp, k + ".npy")
                np.save(files[k], v.numpy())
            for threads in (1, 2):
                weft_rounds, torch_rounds, error = [], [], 0.0
                for _ in range(args.rounds):
                    out = os.path.join(tmp, "loss.npy")
                    weft = run_weft(path, entry, files, inputs, threads,
                                    args.runs, out)
                    # From the same weights, as many steps as weft took.
                    torch_ms, torch_loss, first_loss = time_torch(
                        model, list(inputs.values()), threads, args.runs, tmp,
                        "--train-worker", steps=weft["calls"])
                    if threads > 1:
                        # PyTorch's threads reorder its sums (weft's do
                        # not), and over tens of steps on one batch the
                        # roundings compound (LeNet-5 after 54 steps: weft
                        # 0.0532, PyTorch on two threads 0.0599; after 53,
                        # weft and PyTorch on one thread 0.0671 both). The
                        # loss is checked against one thread's.
                        _, torch_loss, first_loss = time_torch(
                            model, list(inputs.values()), 1, args.runs, tmp,
                            "--train-worker", steps=weft["calls"])
                    # The steps overfit the one batch: the loss falls by
                    # orders of magnitude, so the difference is measured
                    # against the first step's.
                    loss = float(np.load(out))
                    error = max(error, abs(loss - torch_loss) / abs(first_loss))
                    if error > 1e-3:
                        sys.exit(f"{name} train step: weft's loss {loss} and "
                                 f"PyTorch's {torch_loss} disagree")
                    weft_rounds.append(weft)
                    torch_rounds.append(torch_ms)
                rows.append(row(name, threads, weft_rounds, torch_rounds, error))
                print(f"  {name} train step, {threads} thread(s) done",
                      file=sys.stderr)
    print_table("train step (forward, backward, Adam)", rows, "loss err")


def row(name, threads, weft_rounds, torch_medians, error, unfused=None):
    weft_ms, weft_spread = summarize([w["median"] for w in weft_rounds])
    torch_ms, torch_spread = summarize(torch_medians)
    return (name, threads, weft_ms, weft_spread, torch_ms, torch_spread,
            float(np.median([w["first"] for w in weft_rounds])),
            float(np.median([w["compile"] for w in weft_rounds])), error,
            unfused)


def print_table(title, rows, error_name):
    unfused = any(r[-1] is not None for r in rows)
    print(f"{title:<56} {'thr':>3} {'weft ms':>9} {'+-':>4} {'torch ms':>9} "
          f"{'+-':>4} {'weft/torch':>10} {'first ms':>9} {'compile ms':>10} "
          f"{error_name:>12}" + (f" {'unfused ms':>10}" if unfused else ""))
    for (name, threads, weft_ms, weft_spread, torch_ms, torch_spread, first,
         compile_ms, error, unfused_ms) in rows:
        line = (f"{name:<56} {threads:>3} {weft_ms:>9.3f} "
                f"{weft_spread * 100:>3.0f}% {torch_ms:>9.3f} "
                f"{torch_spread * 100:>3.0f}% {weft_ms / torch_ms:>10.2f} "
                f"{first:>9.3f} {compile_ms:>10.1f} {error:>12.1e}")
        if unfused:
            line += f" {unfused_ms:>10.3f}" if unfused_ms is not None else ""
        print(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30,
                        help="timed calls per process, after the warm-up")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating weft and PyTorch processes per row")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--unfused", action="store_true")
    parser.add_argument("--no-sgemm", action="store_true")
    parser.add_argument("--no-train", action="store_true")
    parser.add_argument("--torch-worker", help=argparse.SUPPRESS)
    parser.add_argument("--train-worker", help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sgemm-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--kernel-check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_worker:
        return torch_worker(args.torch_worker, args.runs)
    if args.train_worker:
        return train_worker(args.train_worker, args.runs, args.steps)
    if args.sgemm_worker:
        return sgemm_worker(args.sgemm_worker, args.runs)
    if args.kernel_check:
        return kernel_check_worker(args.runs)
    peak = subprocess.run([os.path.join(ROOT, "build", "bin", "fma-peak")],
                          capture_output=True, text=True)
    print(peak.stdout.strip() or peak.stderr.strip())
    config = choose_torch_config()
    print(f"PyTorch {torch.__version__} on {blas_library_of_torch()}: {config}")
    print(f"{args.rounds} rounds of alternating weft and PyTorch processes, "
          f"each {args.runs} timed calls after a warm-up; +-: the rounds' "
          "spread around their median")
    print()
    torch.manual_seed(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build, make_inputs, path, entry, _ in MODELS:
            if args.only and not any(o.lower() in name.lower() for o in args.only):
                continue
            model = build().eval()
            inputs = make_inputs()
            state = model.weft_state() if hasattr(model, "weft_state") else model.state_dict()
            files = {"weights": os.path.join(tmp, "w.safetensors")}
            weft_reference.save_safetensors(
                files["weights"], {k: v.detach().numpy() for k, v in state.items()})
            for k, v in inputs.items():
                files[k] = os.path.join(tmp, k + ".npy")
                np.save(files[k], v.numpy())
            with torch.no_grad():
                expected = model(*inputs.values()).numpy()
            unfused = None
            if args.unfused:
                unfused = run_weft(path, entry, files, inputs, 1, args.runs,
                                   os.path.join(tmp, "unfused.npy"), "none")["median"]
            for threads in (1, 2):
                weft_rounds, torch_rounds, error = [], [], 0.0
                for _ in range(args.rounds):
                    out = os.path.join(tmp, "out.npy")
                    weft_rounds.append(run_weft(path, entry, files, inputs,
                                                threads, args.runs, out))
                    actual = np.load(out)
                    error = max(error, np.abs(actual - expected).max()
                                / np.abs(expected).max())
                    if error > 1e-3:
                        sys.exit(f"{name}: weft and PyTorch disagree (relative error {error:.2e})")
                    torch_ms, = time_torch(model, list(inputs.values()),
                                           threads, args.runs, tmp)
                    torch_rounds.append(torch_ms)
                rows.append(row(name, threads, weft_rounds, torch_rounds, error,
                                unfused if threads == 1 else None))
                print(f"  {name}, {threads} thread(s) done", file=sys.stderr)
    print_table("model", rows, "max rel err")
    if not args.no_train:
        print()
        train_steps(args)
    if not args.no_sgemm:
        print()
        sgemm([256, 512, 1024, 2048], args.runs)


if __name__ == "__main__":
    main()
