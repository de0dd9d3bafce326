"""PyTorch twin of examples/ch06_self_attention/multi_head_attention.weft."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402

from self_attention import positional_encoding  # noqa: E402


class MultiHeadAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.out = nn.Linear(d, d)

    def split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x):
        b, n, d = x.shape
        h = x + positional_encoding(n, d)
        q, k, v = self.split(self.q(h)), self.split(self.k(h)), self.split(self.v(h))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        context = F.softmax(scores, dim=-1) @ v
        return self.out(context.transpose(1, 2).reshape(b, n, d))


weft_reference.main(lambda: (MultiHeadAttention(), {"x": torch.randn(4, 10, 64)}))
