"""PyTorch twin of test/Examples/ops/Inputs/masks.weft:
`masks.py OUTDIR forward|arith|select`."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class Masks(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(12, 4)

    def forward(self, ids):
        keep = ids != 0
        h = torch.where(keep.unsqueeze(-1), self.emb(ids), 0.0)
        count = keep.float().sum(dim=1, keepdim=True)
        return h.sum(dim=1) / count.clamp(min=1.0)

    def arith(self, ids):
        shifted = ids - 6
        return (torch.div(shifted, 4, rounding_mode="floor") * 100
                + torch.remainder(shifted, 4) * 10 + (shifted >= 0).long())

    def select(self, x):
        return torch.where(x > 0.5, x, torch.remainder(x, 0.5)
                           - torch.div(x, 0.25, rounding_mode="floor"))


def build():
    model = Masks()
    entry = sys.argv.pop(2)
    if entry == "select":
        model.forward = model.select
        return model, {"x": torch.randn(3, 7)}
    ids = torch.randint(0, 12, (3, 7))
    ids[0, 4:] = 0       # padding at the end
    ids[2, :] = 0        # all padding: the mean is 0
    if entry == "arith":
        model.forward = model.arith
    return model, {"ids": ids}


weft_reference.main(build)
