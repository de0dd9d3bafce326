"""PyTorch reference for losses.weft: writes the inputs, and for each entry
the loss and its gradient (torch.nn.functional, torch.autograd) as
ENTRY.0.npy and ENTRY.1.npy."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
torch.manual_seed(0)
inputs = {
    "x": torch.randn(6, 5) * 3, "t": torch.tensor([0, 2, 4, 2, 1, 3]),
    "w": torch.rand(5) + 0.5,
    "x3": torch.randn(2, 5, 3), "t3": torch.tensor([[0, 4, 2], [1, 1, 3]]),
    "a": torch.randn(3, 4), "b": torch.randn(3, 4),
    "z": torch.randn(6) * 4, "p": torch.rand(6), "w6": torch.rand(6),
    "pw": torch.rand(6) * 3,
}
for name, value in inputs.items():
    np.save(os.path.join(out, f"{name}.npy"), value.numpy())

entries = {
    "ce_mean": ("x", lambda x, i: F.cross_entropy(x, i["t"])),
    "ce_sum_weight": ("x", lambda x, i: F.cross_entropy(
        x, i["t"], weight=i["w"], reduction="sum")),
    "ce_none_smooth": ("x", lambda x, i: F.cross_entropy(
        x, i["t"], reduction="none", label_smoothing=0.1)),
    "ce_ignore": ("x", lambda x, i: F.cross_entropy(x, i["t"], ignore_index=2)),
    "ce_smooth_weight": ("x", lambda x, i: F.cross_entropy(
        x, i["t"], weight=i["w"], ignore_index=2, label_smoothing=0.2)),
    "ce_3d": ("x3", lambda x, i: F.cross_entropy(x, i["t3"])),
    "nll_mean": ("x", lambda x, i: F.nll_loss(F.log_softmax(x, 1), i["t"])),
    "nll_weight_ignore": ("x", lambda x, i: F.nll_loss(
        F.log_softmax(x, 1), i["t"], weight=i["w"], ignore_index=2)),
    "mse": ("a", lambda a, i: F.mse_loss(a, i["b"])),
    "mse_sum": ("a", lambda a, i: F.mse_loss(a, i["b"], reduction="sum")),
    "l1": ("a", lambda a, i: F.l1_loss(a, i["b"])),
    "l1_none": ("a", lambda a, i: F.l1_loss(a, i["b"], reduction="none")),
    "bce": ("z", lambda z, i: F.binary_cross_entropy_with_logits(z, i["p"])),
    "bce_weights": ("z", lambda z, i: F.binary_cross_entropy_with_logits(
        z, i["p"], weight=i["w6"], reduction="sum", pos_weight=i["pw"])),
}
for entry, (name, loss_fn) in entries.items():
    x = inputs[name].clone().requires_grad_(True)
    loss = loss_fn(x, inputs)
    loss.sum().backward()
    np.save(os.path.join(out, f"{entry}.0.npy"), loss.detach().numpy())
    np.save(os.path.join(out, f"{entry}.1.npy"), x.grad.numpy())
