"""PyTorch twin of train_regularization.weft (see ../twin.py for its
commands): three copies of an MLP on the first 1,000 Fashion-MNIST images,
Adam, AdamW (weight decay 0.5) and dropout. The dropout copy's masks are
PyTorch's, not weft's, so its steps differ; the other two match."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch02_methodology.mlp_dropout import DropoutMLP  # noqa: E402


class PlainMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 256), nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        h = F.relu(self.fc2(F.relu(self.fc1(x))))
        return F.log_softmax(self.fc3(h), dim=1)


class Regularization(nn.Module):
    def __init__(self):
        super().__init__()
        self.plain_net, self.decay_net = PlainMLP(), PlainMLP()
        self.dropout_net = DropoutMLP()
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
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses


def data():
    x, t = twin.fashion_mnist("train")
    return x[:1000], t[:1000]


twin.main(__doc__, lambda: (Regularization(), data(), None), batch=50,
          epochs=60, names=("plain", "decay", "dropout"))
