"""PyTorch twin of test/Examples/ops/Inputs/attention.weft: attention
written out with an explicit upper-triangular mask."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


def attention(q, k, v, causal=False, scale=None):
    scale = scale if scale is not None else 1 / math.sqrt(q.shape[-1])
    scores = q @ k.transpose(-2, -1) * scale
    if causal:
        t, s = scores.shape[-2:]
        future = torch.ones(t, s, dtype=torch.bool).triu(1)
        scores = scores.masked_fill(future, float("-inf"))
    return F.softmax(scores, dim=-1) @ v


class Attention(nn.Module):
    def forward(self, q, k, v, memory):
        h = attention(q, k, v, causal=True)
        return attention(h, memory, memory, scale=0.125)


weft_reference.main(lambda: (Attention(), {
    "q": torch.randn(2, 3, 7, 16), "k": torch.randn(2, 3, 7, 16),
    "v": torch.randn(2, 3, 7, 16), "memory": torch.randn(2, 3, 5, 16)}))
