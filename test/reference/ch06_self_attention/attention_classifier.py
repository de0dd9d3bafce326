"""PyTorch twin of examples/ch06_self_attention/attention_classifier.weft."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402
from self_attention import positional_encoding  # noqa: E402


class AttentionClassifier(nn.Module):
    def __init__(self, vocab=1000, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 2)

    def forward(self, ids):
        h = self.emb(ids) + positional_encoding(ids.shape[1], self.emb.embedding_dim)
        scores = self.q(h) @ self.k(h).transpose(1, 2) / math.sqrt(h.shape[-1])
        h = self.norm(h + F.softmax(scores, dim=-1) @ self.v(h))
        return F.log_softmax(self.head(h.mean(dim=1)), dim=-1)


weft_reference.main(lambda: (AttentionClassifier(),
                             {"ids": torch.randint(0, 1000, (4, 12))}))
