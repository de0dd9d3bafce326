"""PyTorch twin of examples/ch10_self_supervised/bert.weft."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
import weft_reference  # noqa: E402
from transformer import SelfAttention  # noqa: E402


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = SelfAttention(d, heads)
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.fc = nn.Linear(d, 4 * d)
        self.proj = nn.Linear(4 * d, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.proj(F.gelu(self.fc(x))))


class Bert(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(1000, 64)
        self.positions = nn.Embedding(128, 64)
        self.segments = nn.Embedding(2, 64)
        self.ln = nn.LayerNorm(64, eps=1e-12)
        self.layers = nn.ModuleList([EncoderLayer(64, 4) for _ in range(2)])
        self.mlm_fc = nn.Linear(64, 64)
        self.mlm_ln = nn.LayerNorm(64, eps=1e-12)
        self.mlm_out = nn.Linear(64, 1000)

    def forward(self, ids, segment):
        n = ids.shape[1]
        h = self.tokens(ids) + self.positions(torch.arange(n)) + self.segments(segment)
        h = self.ln(h)
        for layer in self.layers:
            h = layer(h)
        return self.mlm_out(self.mlm_ln(F.gelu(self.mlm_fc(h))))


def build():
    model = Bert()
    weft_reference.randomize_layer_norm(model)
    ids = torch.randint(0, 1000, (2, 12))
    segment = torch.cat([torch.zeros(2, 6), torch.ones(2, 6)], dim=1).long()
    return model, {"ids": ids, "segment": segment}


if __name__ == "__main__":
    weft_reference.main(build)
