"""What the examples' PyTorch twins share: Debian's data sets read as weft
train reads them, safetensors files, and the three things a twin does:

  first-steps OUT   writes the first batches of the data set, initial
                    weights and the losses of the first steps in order (for
                    the example's test: weft train from the same weights on
                    the same batches must give the same losses);
  train             trains with the example's settings, as its README says;
  evaluate FILE     loads a weft checkpoint into the twin (strict
                    load_state_dict) and measures it.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "test",
                                "reference"))
from safetensors_io import load_safetensors, save_safetensors  # noqa: E402,F401

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
FORTUNES = "/usr/share/games/fortunes"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big")
             for i in range(rank)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(shape)


def fashion_mnist(split):
    """Images f32 [N, 1, 28, 28] in [0, 1] and labels i64 [N], as weft
    train's fashion-mnist (split: train or t10k)."""
    prefix = os.path.join(FASHION_MNIST, split)
    images = read_idx(prefix + "-images-idx3-ubyte.gz")
    labels = read_idx(prefix + "-labels-idx1-ubyte.gz")
    return (torch.from_numpy(images.astype(np.float32) / 255).unsqueeze(1),
            torch.from_numpy(labels.astype(np.int64)))


def fortunes(length, limit=None):
    """Debian's fortunes as weft train's fortunes:T reads them: the files
    without an extension in name order, `\\n` token 0, printable ASCII 1 to
    95; windows of `length` and the characters after them."""
    ids = []
    for name in sorted(os.listdir(FORTUNES)):
        path = os.path.join(FORTUNES, name)
        if "." in name or not os.path.isfile(path):
            continue
        for c in open(path, "rb").read():
            if c == 10:
                ids.append(0)
            elif 32 <= c <= 126:
                ids.append(c - 31)
    count = (len(ids) - 1) // length
    if limit:
        count = min(count, limit)
    ids = torch.tensor(ids[:count * length + 1])
    return (ids[:count * length].reshape(count, length),
            ids[1:count * length + 1].reshape(count, length))


def batches(fields, batch, shuffle, generator=None):
    """Batches of `batch` samples, a last partial one dropped (as weft
    train does)."""
    n = fields[0].shape[0]
    order = (torch.randperm(n, generator=generator) if shuffle
             else torch.arange(n))
    for start in range(0, n - batch + 1, batch):
        index = order[start:start + batch]
        yield [f[index] for f in fields]


def optimize(opt, loss, max_norm=None):
    """One step of `opt` on `loss`, as weft's `opt(loss, max_norm=...)`:
    zero_grad, backward, clip_grad_norm_ of the optimizer's parameters
    when `max_norm` is given, step. Gives the loss as a number."""
    opt.zero_grad()
    loss.backward()
    if max_norm is not None:
        torch.nn.utils.clip_grad_norm_(
            [p for group in opt.param_groups for p in group["params"]],
            max_norm)
    opt.step()
    return loss.item()


def state_dict_numpy(module):
    return {k: v.detach().numpy().copy() for k, v in
            module.state_dict().items()}


def first_steps(out, trainer, step, fields, batch, steps):
    """Writes the first `steps` batches' fields (field0.npy, ...), the
    trainer's initial weights, and each step's results (expected.npy,
    [steps, results])."""
    os.makedirs(out, exist_ok=True)
    for i, f in enumerate(fields):
        np.save(os.path.join(out, f"field{i}.npy"),
                f[:batch * steps].numpy())
    save_safetensors(os.path.join(out, "weights.safetensors"),
                     state_dict_numpy(trainer))
    results = []
    for b in batches([f[:batch * steps] for f in fields], batch, False):
        results.append([float(r) for r in step(*b)])
    np.save(os.path.join(out, "expected.npy"),
            np.array(results, dtype=np.float32))


def load_checkpoint(trainer, path):
    state = {k: torch.from_numpy(np.array(v)) for k, v in
             load_safetensors(path).items()}
    trainer.load_state_dict(state, strict=True)
    print(f"PyTorch loaded {len(state)} tensors from {path}")


class Timer:
    def __init__(self):
        self.start = time.time()

    def __str__(self):
        seconds = int(time.time() - self.start + 0.5)
        return f"{seconds // 60}:{seconds % 60:02d}"


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    sub = parser.add_subparsers(dest="command", required=True)
    first = sub.add_parser("first-steps")
    first.add_argument("out")
    first.add_argument("--steps", type=int, default=5)
    train = sub.add_parser("train")
    train.add_argument("--epochs", type=int, default=None)
    evaluate = sub.add_parser("evaluate")
    evaluate.add_argument("checkpoint")
    parser.add_argument("--trainer", default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    return args


def main(description, build, batch, epochs, names=("loss",)):
    """Runs the twin's command (see the top of this file). `build()` gives
    the trainer, the training set and the test set (or None), made after
    the seed is set (a dict of them by name: --trainer picks one); the step's results are named `names`, and
    `trainer.evaluate(*test)` gives the test set's (`test_` names). Returns
    the arguments and the trainer."""
    args = arguments(description)
    # Several trainers in one file: a dict of builds, --trainer picks one.
    if isinstance(build, dict):
        build = build[args.trainer]
    trainer, train, test = build()
    if args.command == "first-steps":
        first_steps(args.out, trainer, trainer.step, train, batch, args.steps)
        return args, trainer
    if args.command == "evaluate":
        load_checkpoint(trainer, args.checkpoint)
        if test is not None:
            print(" ".join(f"test_{n} {v:.4f}" for n, v in
                           zip(names, trainer.evaluate(*test))))
        return args, trainer
    timer = Timer()
    for epoch in range(1, (args.epochs or epochs) + 1):
        sums, steps = [0.0] * len(names), 0
        for fields in batches(train, batch, True):
            sums = [s + float(r) for s, r in zip(sums, trainer.step(*fields))]
            steps += 1
        line = f"epoch {epoch} " + " ".join(
            f"{n} {s / steps:.4f}" for n, s in zip(names, sums))
        if test is not None:
            line += " " + " ".join(f"test_{n} {v:.4f}" for n, v in
                                   zip(names, trainer.evaluate(*test)))
        print(f"{line} ({timer})", flush=True)
    return args, trainer
