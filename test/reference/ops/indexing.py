"""PyTorch twin of test/Examples/ops/Inputs/indexing.weft:
`indexing.py OUTDIR forward|indices`."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class Indexing(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        scores = self.fc(x)
        best, where_best = torch.topk(scores, 3)
        picked = torch.gather(x, 1, where_best)
        left, right = torch.split(scores, 4, dim=-1)
        evens = torch.index_select(right, 1, torch.arange(0, 4, 2))
        out = torch.zeros(x.shape[0], 5)
        out = torch.select_scatter(out, (best * picked).sum(1), 1, 0)
        out = torch.select_scatter(out, torch.cumsum(left, 1).sum(1), 1, 1)
        out = torch.select_scatter(
            out, torch.cumprod(torch.sigmoid(right), -1)[:, 3], 1, 2)
        out[:, 3] = 0
        out = torch.select_scatter(out, evens.sum(1), 1, 4)
        return out

    def indices(self, x):
        return torch.topk(self.fc(x).T, 3, dim=0).indices.T


def build():
    model = Indexing()
    if sys.argv.pop(2) == "indices":
        model.forward = model.indices
    return model, {"x": torch.randn(6, 8)}


weft_reference.main(build)
