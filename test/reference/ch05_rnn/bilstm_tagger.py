"""PyTorch twin of examples/ch05_rnn/bilstm_tagger.weft:
`bilstm_tagger.py OUTDIR` (forward; expected_tags.npy for Tagger.tags)."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 24, batch_first=True, bidirectional=True)
        self.out = nn.Linear(48, 6)

    def forward(self, ids):
        return self.out(self.lstm(self.emb(ids))[0])


inputs = {}


def build():
    inputs["ids"] = torch.randint(0, 100, (3, 7))
    return Tagger(), dict(inputs)


weft_reference.main(
    build, extra={"tags": lambda model: model(inputs["ids"]).argmax(-1)})
