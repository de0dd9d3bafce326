"""PyTorch twin of train_char_lstm.weft (see ../twin.py for its commands):
a character LSTM language model on Debian's fortunes, windows of 64,
Adam (lr 2e-3) with the gradients clipped to norm 1."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402


class CharLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(96, 64)
        self.lstm = nn.LSTM(64, 128, batch_first=True)
        self.out = nn.Linear(128, 96)
        self.opt = torch.optim.Adam(self.parameters(), lr=2e-3)

    def loss_of(self, x, t):
        outputs, _ = self.lstm(self.emb(x))
        return F.cross_entropy(self.out(outputs).transpose(1, 2), t)

    def step(self, x, t):
        return (twin.optimize(self.opt, self.loss_of(x, t), max_norm=1.0),)


twin.main(__doc__, lambda: (CharLSTM(), twin.fortunes(64, 16000), None),
          batch=32, epochs=2)
