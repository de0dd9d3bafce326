"""PyTorch twin of train_bert.weft (see ../twin.py for its commands): BERT
(test/reference/ch10_self_supervised/bert.py) pre-trained as a masked
language model on Debian's fortunes, windows of 64, Adam (lr 1e-3). The
positions each step masks are weft's: its dropout keeps an element where
weft's generator (test/reference/weft_random.py) draws at least p at
(seed: the count of draws, k in step k; key: --seed, 0), so the twin
masks the same positions and takes the same steps."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
import weft_random  # noqa: E402
from ch10_self_supervised.bert import Bert  # noqa: E402


class BertTrainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = Bert()
        self.opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        self.draws = 0

    def masked_lm(self, ids, masked):
        corrupted = torch.where(masked, torch.full_like(ids, 96), ids)
        targets = torch.where(masked, ids, torch.full_like(ids, -100))
        logits = self.net(corrupted, torch.zeros_like(ids))
        loss = F.cross_entropy(logits.transpose(1, 2), targets)
        right = masked & (logits.argmax(-1) == ids)
        return loss, right.sum() / masked.sum()

    def step(self, x, next_characters):
        # dropout(ones, p=0.85) > 0: the positions weft's draw keeps.
        u = torch.from_numpy(weft_random.rand(tuple(x.shape), self.draws, 0))
        self.draws += 1
        loss, accuracy = self.masked_lm(x, u >= 0.85)
        twin.optimize(self.opt, loss)
        return loss.item(), accuracy.item()


twin.main(__doc__, lambda: (BertTrainer(), twin.fortunes(64, 20000), None),
          batch=32, epochs=1, names=("loss", "accuracy"))
