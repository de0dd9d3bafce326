"""PyTorch twin of examples/ch10_self_supervised/gpt.weft."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402
from transformer import SelfAttention  # noqa: E402


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = SelfAttention(d, heads, causal=True)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.proj = nn.Linear(4 * d, d)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.proj(F.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(1000, 64)
        self.wpe = nn.Embedding(128, 64)
        self.blocks = nn.ModuleList([Block(64, 4) for _ in range(2)])
        self.ln_f = nn.LayerNorm(64)
        self.head = nn.Linear(64, 1000, bias=False)

    def forward(self, ids):
        h = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.blocks:
            h = block(h)
        return self.head(self.ln_f(h))


def build():
    model = GPT()
    with torch.no_grad():  # layer norms as after training, not the identity
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.normal_(1, 0.2)
                m.bias.normal_(0, 0.2)
    return model, {"ids": torch.randint(0, 1000, (2, 16))}


weft_reference.main(build)
