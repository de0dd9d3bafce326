"""PyTorch twin of examples/ch06_self_attention/self_attention.weft."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


def positional_encoding(length, d):
    """The sinusoidal table, written the way PyTorch tutorials write it."""
    pe = torch.zeros(length, d)
    position = torch.arange(0, length, dtype=torch.float).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    return pe


class SelfAttention(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.q = nn.Linear(d, d, bias=False)
        self.k = nn.Linear(d, d, bias=False)
        self.v = nn.Linear(d, d, bias=False)
        self.out = nn.Linear(d, d)

    def forward(self, x):
        h = x + positional_encoding(x.shape[1], x.shape[2])
        scores = self.q(h) @ self.k(h).transpose(1, 2) / math.sqrt(h.shape[-1])
        return self.out(F.softmax(scores, dim=-1) @ self.v(h))


if __name__ == "__main__":
    weft_reference.main(lambda: (SelfAttention(), {"x": torch.randn(4, 10, 64)}))
