"""PyTorch twin of examples/ch07_transformer/transformer.weft:
`transformer.py OUTDIR forward|greedy`. The layers mirror weft's stdlib/nn.weft
(post-norm, attention with boolean masks; true = attend)."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402

D, HEADS, FF, VOCAB = 32, 4, 64, 50


class MultiHeadAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k = nn.Linear(D, D), nn.Linear(D, D)
        self.v, self.o = nn.Linear(D, D), nn.Linear(D, D)

    def split(self, x):
        return x.view(x.shape[0], -1, HEADS, D // HEADS).transpose(1, 2)

    def forward(self, x, memory, mask):
        q, k, v = self.split(self.q(x)), self.split(self.k(memory)), self.split(self.v(memory))
        scores = q @ k.transpose(-2, -1) / math.sqrt(D // HEADS)
        a = F.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1) @ v
        return self.o(a.transpose(1, 2).reshape(x.shape[0], -1, D))


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn, self.norm1 = MultiHeadAttention(), nn.LayerNorm(D)
        self.linear1, self.linear2 = nn.Linear(D, FF), nn.Linear(FF, D)
        self.norm2 = nn.LayerNorm(D)

    def forward(self, x, mask):
        x = self.norm1(x + self.self_attn(x, x, mask))
        return self.norm2(x + self.linear2(F.relu(self.linear1(x))))


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn, self.norm1 = MultiHeadAttention(), nn.LayerNorm(D)
        self.cross_attn, self.norm2 = MultiHeadAttention(), nn.LayerNorm(D)
        self.linear1, self.linear2 = nn.Linear(D, FF), nn.Linear(FF, D)
        self.norm3 = nn.LayerNorm(D)

    def forward(self, y, memory, self_mask, memory_mask):
        y = self.norm1(y + self.self_attn(y, y, self_mask))
        y = self.norm2(y + self.cross_attn(y, memory, memory_mask))
        return self.norm3(y + self.linear2(F.relu(self.linear1(y))))


def positions(n):
    angle = torch.arange(n, dtype=torch.float32)[:, None] * torch.exp(
        torch.arange(0, D, 2, dtype=torch.float32) * (-math.log(10000.0) / D))
    return torch.stack([torch.sin(angle), torch.cos(angle)], -1).reshape(n, D)


def keep(ids):
    return (ids != 0)[:, None, None, :]


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_emb = nn.Embedding(VOCAB, D)
        self.tgt_emb = nn.Embedding(VOCAB, D)
        self.encoder = nn.ModuleList([EncoderLayer() for _ in range(2)])
        self.decoder = nn.ModuleList([DecoderLayer() for _ in range(2)])
        self.out = nn.Linear(D, VOCAB)

    def encode(self, src):
        h = self.src_emb(src) * math.sqrt(D) + positions(src.shape[1])
        for layer in self.encoder:
            h = layer(h, keep(src))
        return h

    def decode(self, tgt, memory, src):
        t = tgt.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        y = self.tgt_emb(tgt) * math.sqrt(D) + positions(t)
        for layer in self.decoder:
            y = layer(y, memory, causal & keep(tgt), keep(src))
        return self.out(y)

    def forward(self, src, tgt):
        return self.decode(tgt, self.encode(src), src)

    def greedy(self, src, length=6):
        memory = self.encode(src)
        tokens = torch.zeros(src.shape[0], length, dtype=torch.long)
        tokens[:, 0] = 1
        for t in range(1, length):
            tokens[:, t] = self.decode(tokens, memory, src)[:, t - 1].argmax(-1)
        return tokens


def build():
    entry = sys.argv.pop(2)
    model = Transformer()
    weft_reference.randomize_layer_norm(model)
    src = torch.randint(2, VOCAB, (3, 7))
    src[1, 5:] = 0          # padded sources
    src[2, 3:] = 0
    if entry == "greedy":
        model.forward = model.greedy
        return model, {"src": src}
    tgt = torch.randint(2, VOCAB, (3, 6))
    tgt[:, 0] = 1
    tgt[2, 4:] = 0
    return model, {"src": src, "tgt": tgt}


if __name__ == "__main__":
    weft_reference.main(build)
