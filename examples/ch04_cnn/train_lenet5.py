"""PyTorch twin of train_lenet5.weft (see ../twin.py for its commands):
LeNet-5 on Fashion-MNIST, Adam (lr 1e-3, annealed to 0 over 9370 steps by
a cosine), batches of 64, the test set measured after every epoch."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch04_cnn.lenet5 import LeNet5  # noqa: E402


class Trainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = LeNet5()
        self.opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        self.sched = torch.optim.lr_scheduler.CosineAnnealingLR(self.opt,
                                                                9370)

    def step(self, x, t):
        logits = self.net(x)
        loss = F.cross_entropy(logits, t)
        twin.optimize(self.opt, loss)
        self.sched.step()
        return loss.item(), (logits.argmax(1) == t).float().mean().item()

    @torch.no_grad()
    def evaluate(self, x, t):
        loss, correct = 0.0, 0
        for i in range(0, len(x), 1000):
            logits = self.net(x[i:i + 1000])
            loss += F.cross_entropy(logits, t[i:i + 1000],
                                    reduction="sum").item()
            correct += (logits.argmax(1) == t[i:i + 1000]).sum().item()
        return loss / len(x), correct / len(x)


twin.main(__doc__, lambda: (Trainer(), twin.fashion_mnist("train"),
                            twin.fashion_mnist("t10k")),
          batch=64, epochs=10, names=("loss", "accuracy"))
