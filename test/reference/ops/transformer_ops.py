"""PyTorch twin of test/Examples/ops/Inputs/transformer_ops.weft: layer
normalization, GELU and SiLU, which the Transformer chapters build on."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class TransformerOps(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm(16)
        self.ln2 = nn.LayerNorm([4, 16], eps=1e-3)
        self.fc = nn.Linear(16, 16)

    def forward(self, x):
        h = x + F.gelu(self.fc(self.ln(x))) * F.silu(x)
        return self.ln2(h)


def build():
    model = TransformerOps()
    with torch.no_grad():
        for ln in (model.ln, model.ln2):
            ln.weight.normal_(1, 0.2)
            ln.bias.normal_(0, 0.2)
    return model, {"x": torch.randn(3, 4, 16)}


weft_reference.main(build)
