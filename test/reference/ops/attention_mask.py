"""PyTorch twin of test/Examples/ops/Inputs/attention_mask.weft: attention
with a boolean mask (true: the key is seen), as the attn_mask of PyTorch's
scaled_dot_product_attention, which Debian's PyTorch predates."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


def attention(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    return F.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1) @ v


class AttentionMask(nn.Module):
    def forward(self, x, memory, lengths):
        t, s = x.shape[2], memory.shape[2]
        own = torch.arange(t)[None, :] < lengths[:, None]
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        h = attention(x, x, x, own[:, None, None, :] & causal)
        seen = torch.arange(s)[None, :] < lengths[:, None]
        return attention(h, memory, memory, seen[:, None, None, :])


# Every sequence has at least one position, so no query sees nothing.
# `attention_mask.py OUTDIR long`: sequences longer than weft's key block
# (T = 160 and S = 200 keys go in 4 blocks of 40 and 50), with lengths that
# end inside a block, in its first block, and at the end.
if sys.argv[2:] == ["long"]:
    shapes, lengths = ((3, 2, 160, 8), (3, 2, 200, 8)), [200, 70, 1]
else:
    shapes, lengths = ((3, 2, 6, 8), (3, 2, 6, 8)), [6, 3, 1]
weft_reference.main(lambda: (AttentionMask(), {
    "x": torch.randn(*shapes[0]), "memory": torch.randn(*shapes[1]),
    "lengths": torch.tensor(lengths)}))
