"""Helpers for the PyTorch twins of weft examples.

A twin builds the PyTorch model of an example, and `export` writes what a test
needs into a directory: the weights as safetensors (PyTorch state_dict names),
each input as .npy, and the model's output as expected.npy. Debian has no
safetensors package; the format is small enough to write here
(safetensors_io.py).
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

from safetensors_io import load_safetensors, save_safetensors  # noqa: F401

def export(model, inputs, outdir, extra=None):
    """Runs `model` on `inputs` (name -> tensor) and writes the test files.

    `extra` maps a name to a function of the model whose result is written
    as expected_<name>.npy: the reference for another entry point.
    """
    os.makedirs(outdir, exist_ok=True)
    model.eval()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    save_safetensors(os.path.join(outdir, "weights.safetensors"), state)
    for name, tensor in inputs.items():
        np.save(os.path.join(outdir, name + ".npy"), tensor.numpy())
    with torch.no_grad():
        out = model(*inputs.values())
        np.save(os.path.join(outdir, "expected.npy"), out.numpy())
        for name, fn in (extra or {}).items():
            np.save(os.path.join(outdir, f"expected_{name}.npy"), fn(model).numpy())


def export_gradients(model, loss_fn, inputs, outdir, prefix=""):
    """Writes the weights (named under `prefix`) and inputs as `export`
    does, then the loss `loss_fn(model, *inputs)` as loss.npy and the
    gradient of each parameter, in `model.parameters()` order, as
    grad.0.npy, grad.1.npy, ...: the reference for an entry point returning
    grad(loss, parameters())."""
    os.makedirs(outdir, exist_ok=True)
    state = {prefix + k: v.detach().numpy()
             for k, v in model.state_dict().items()}
    save_safetensors(os.path.join(outdir, "weights.safetensors"), state)
    for name, tensor in inputs.items():
        np.save(os.path.join(outdir, name + ".npy"), tensor.numpy())
    loss = loss_fn(model, *inputs.values())
    loss.backward()
    np.save(os.path.join(outdir, "loss.npy"), loss.detach().numpy())
    for i, param in enumerate(model.parameters()):
        np.save(os.path.join(outdir, f"grad.{i}.npy"), param.grad.numpy())


def randomize_batch_norm(model):
    """Gives every batch-norm layer random statistics and affine parameters,
    as after training, so the test sees more than the identity."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
                m.running_mean.normal_(0, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.normal_(1, 0.2)
                m.bias.normal_(0, 0.2)


def randomize_layer_norm(model):
    """Gives every layer norm random affine parameters, as after training,
    so the test sees more than the identity."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.LayerNorm):
                m.weight.normal_(1, 0.2)
                m.bias.normal_(0, 0.2)


def export_probe_gradients(model, inputs, outdir, prefix):
    """The reference for a gradient test of an example: `export_gradients`
    of sum(model(inputs) * v) for a random probe `v` of the output's shape
    (written as v.npy), the weights named under `prefix` (the layer a weft
    probe model holds the example in). In evaluation mode, as weft runs the
    examples."""
    model.eval()
    probe = torch.randn(model(*inputs.values()).shape,
                        generator=torch.Generator().manual_seed(1))
    os.makedirs(outdir, exist_ok=True)
    np.save(os.path.join(outdir, "v.npy"), probe.numpy())
    export_gradients(model, lambda m, *x: torch.sum(m(*x) * probe), inputs,
                     outdir, prefix)


def export_trajectory(model, inputs, outdir, prefix, steps):
    """The reference for a training test of an example: `steps` Adam steps
    (lr 1e-3) on one batch, minimizing the cross entropy of the model's
    output (classes on its last axis) for random targets `t`. Writes the
    weights (named under `prefix`), the inputs, t.npy and the loss of every
    step as losses.npy. In train mode, which for the examples trained this
    way (no dropout or batch norm) computes as evaluation mode does."""
    os.makedirs(outdir, exist_ok=True)
    state = {prefix + k: v.numpy() for k, v in model.state_dict().items()}
    save_safetensors(os.path.join(outdir, "weights.safetensors"), state)
    for name, tensor in inputs.items():
        np.save(os.path.join(outdir, name + ".npy"), tensor.numpy())
    with torch.no_grad():
        shape = model(*inputs.values()).shape
    generator = torch.Generator().manual_seed(2)
    target = torch.randint(0, shape[-1], shape[:-1], generator=generator)
    np.save(os.path.join(outdir, "t.npy"), target.numpy())
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        out = model(*inputs.values())
        # cross_entropy takes the classes on axis 1.
        loss = F.cross_entropy(out.movedim(-1, 1), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    np.save(os.path.join(outdir, "losses.npy"),
            np.array(losses, dtype=np.float32))


def main(build, extra=None):
    """Entry point of a twin script: `twin.py OUTDIR` writes what the
    example's numerics test compares with; `twin.py OUTDIR --gradients`
    what its gradient test does (export_probe_gradients, under `net.`);
    `twin.py OUTDIR --trajectory N` what its training test does
    (export_trajectory, under `net.`)."""
    torch.manual_seed(0)
    model, inputs = build()
    if sys.argv[2:] == ["--gradients"]:
        export_probe_gradients(model, inputs, sys.argv[1], "net.")
        return
    if sys.argv[2:3] == ["--trajectory"]:
        export_trajectory(model, inputs, sys.argv[1], "net.",
                          int(sys.argv[3]))
        return
    export(model, inputs, sys.argv[1], extra)
