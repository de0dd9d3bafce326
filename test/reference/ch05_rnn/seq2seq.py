"""PyTorch twin of examples/ch05_rnn/seq2seq.weft:
`seq2seq.py OUTDIR greedy|beam` (source of 5 tokens, 6 target tokens)."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402

LENGTH, BEAMS, VOCAB = 6, 3, 40


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_emb = nn.Embedding(VOCAB, 16)
        self.encoder = nn.GRU(16, 32, batch_first=True)
        self.tgt_emb = nn.Embedding(VOCAB, 16)
        self.decoder = nn.GRUCell(16, 32)
        self.out = nn.Linear(32, VOCAB)

    def encode(self, src):
        return self.encoder(self.src_emb(src))[1][0]

    def greedy(self, src):
        h = self.encode(src)
        token = torch.ones(src.shape[0], dtype=torch.long)
        tokens = []
        for _ in range(LENGTH):
            h = self.decoder(self.tgt_emb(token), h)
            token = self.out(h).argmax(-1)
            tokens.append(token)
        return torch.stack(tokens, 1)

    def beam(self, src):
        batch = src.shape[0]
        h = self.encode(src).repeat_interleave(BEAMS, 0)
        scores = torch.full((batch, BEAMS), -1e9)
        scores[:, 0] = 0.0
        token = torch.ones(batch * BEAMS, dtype=torch.long)
        history = torch.zeros(batch, BEAMS, 0, dtype=torch.long)
        for _ in range(LENGTH):
            h = self.decoder(self.tgt_emb(token), h)
            logp = F.log_softmax(self.out(h), -1).view(batch, BEAMS, VOCAB)
            total = (scores[:, :, None] + logp).view(batch, BEAMS * VOCAB)
            scores, choice = total.topk(BEAMS, -1)
            origin, token = choice // VOCAB, choice % VOCAB
            history = torch.cat([torch.gather(
                history, 1, origin[:, :, None].expand(-1, -1, history.shape[2])),
                token[:, :, None]], 2)
            rows = (origin + torch.arange(batch)[:, None] * BEAMS).view(-1)
            h, token = h[rows], token.view(-1)
        return history[:, 0]


def build():
    model = Seq2Seq()
    with torch.no_grad():  # an input-driven decoder: varied tokens
        model.decoder.weight_ih.normal_(0, 1.0)
    model.forward = getattr(model, sys.argv.pop(2))
    return model, {"src": torch.randint(0, VOCAB, (4, 5))}


weft_reference.main(build)
