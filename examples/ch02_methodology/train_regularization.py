"""PyTorch twin of train_regularization.weft (see ../twin.py for its
commands): three copies of an MLP on the first 1,000 Fashion-MNIST images,
Adam, AdamW (weight decay 0.5) and dropout. The dropout copy's masks are
weft's: an element is kept where weft's generator
(test/reference/weft_random.py) draws at least p at (seed: the count of
draws, 2k and 2k + 1 for the two dropouts of step k; key: --seed, 0), so
all three copies take weft's steps."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
import weft_random  # noqa: E402
from ch02_methodology.mlp_dropout import DropoutMLP  # noqa: E402


class PlainMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 256), nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        h = F.relu(self.fc2(F.relu(self.fc1(x))))
        return F.log_softmax(self.fc3(h), dim=1)


class WeftDropout(nn.Module):
    """Inverted dropout with weft's masks, the draws counted in `counter`."""

    def __init__(self, p, counter):
        super().__init__()
        self.p, self.counter = p, counter

    def forward(self, x):
        u = weft_random.rand(tuple(x.shape), self.counter[0], 0)
        self.counter[0] += 1
        return x * torch.from_numpy(u >= self.p).float() / (1 - self.p)


class Regularization(nn.Module):
    def __init__(self):
        super().__init__()
        self.plain_net, self.decay_net = PlainMLP(), PlainMLP()
        self.dropout_net = DropoutMLP()
        draws = [0]
        self.dropout_net.drop1 = WeftDropout(0.5, draws)
        self.dropout_net.drop2 = WeftDropout(0.2, draws)
        self.opts = [
            torch.optim.Adam(self.plain_net.parameters(), lr=1e-3),
            torch.optim.AdamW(self.decay_net.parameters(), lr=1e-3,
                              weight_decay=0.5),
            torch.optim.Adam(self.dropout_net.parameters(), lr=1e-3)]

    def step(self, x, t):
        x, losses = x.flatten(1), []
        for net, opt in zip([self.plain_net, self.decay_net,
                             self.dropout_net], self.opts):
            loss = F.nll_loss(net(x), t)
            losses.append(twin.optimize(opt, loss))
        return losses


def data():
    x, t = twin.fashion_mnist("train")
    return x[:1000], t[:1000]


twin.main(__doc__, lambda: (Regularization(), data(), None), batch=50,
          epochs=60, names=("plain", "decay", "dropout"))
