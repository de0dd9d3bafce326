"""PyTorch twin of test/Examples/ops/Inputs/decode_ops.weft:
`decode_ops.py OUTDIR forward|step`."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class Ops(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 6)
        self.out = nn.Linear(6, 10)

    def forward(self, logits):
        return self.out(self.emb(logits.argmax(dim=-1)))

    def step(self, x):
        return F.interpolate(x, scale_factor=(2, 3), mode="nearest")


def build():
    model = Ops()
    if sys.argv.pop(2) == "step":
        model.forward = model.step
        return model, {"x": torch.randn(3, 2, 3, 3)}
    return model, {"logits": torch.randn(5, 10)}


weft_reference.main(build)
