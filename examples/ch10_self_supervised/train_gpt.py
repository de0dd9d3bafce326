"""PyTorch twin of train_gpt.weft (see ../twin.py for its commands): GPT
(test/reference/ch10_self_supervised/gpt.py) on Debian's fortunes at the
character level, windows of 64, Adam (lr 1e-3)."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch10_self_supervised.gpt import GPT  # noqa: E402


class GPTTrainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = GPT()
        self.opt = torch.optim.Adam(self.parameters(), lr=1e-3)

    def step(self, x, t):
        loss = F.cross_entropy(self.net(x).transpose(1, 2), t)
        return (twin.optimize(self.opt, loss),)


twin.main(__doc__, lambda: (GPTTrainer(), twin.fortunes(64, 20000), None),
          batch=32, epochs=1)
