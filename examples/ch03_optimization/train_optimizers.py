"""PyTorch twin of train_optimizers.weft (see ../twin.py for its commands;
--trainer Optimizers or BatchNorm): five copies of an MLP on Fashion-MNIST
averaged down to 8 x 8, each with its optimizer; the MLP with and without
batch normalization."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch03_optimization.mlp_batchnorm import BatchNormMLP  # noqa: E402


class PlainMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(64, 128), nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        h = F.relu(self.fc2(F.relu(self.fc1(x))))
        return F.softmax(self.fc3(h), dim=-1)


def features(x):
    return F.adaptive_avg_pool2d(x, 8).flatten(1)


class Comparison(nn.Module):
    """Copies of a network, each stepped by its own optimizer on the same
    batches: `nets` and `optimizers` by name."""

    def __init__(self, nets, optimizers):
        super().__init__()
        for name, net in nets.items():
            setattr(self, f"{name}_net", net)
        self.optimizers = {name: make(nets[name].parameters())
                           for name, make in optimizers.items()}

    def nets(self):
        return [(name, getattr(self, f"{name}_net")) for name in self.optimizers]

    def step(self, x, t):
        h, losses = features(x), []
        for name, net in self.nets():
            loss = F.nll_loss(torch.log(net(h)), t)
            losses.append(twin.optimize(self.optimizers[name], loss))
        return losses

    @torch.no_grad()
    def evaluate(self, x, t):
        self.eval()
        h = features(x)
        accuracy = [(net(h).argmax(1) == t).float().mean().item()
                    for _, net in self.nets()]
        self.train()
        return accuracy


def optimizers():
    return Comparison(
        {name: PlainMLP() for name in
         ["sgd", "momentum", "adagrad", "rmsprop", "adam"]},
        {"sgd": lambda p: torch.optim.SGD(p, lr=0.05),
         "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
         "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.05),
         "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-3),
         "adam": lambda p: torch.optim.Adam(p, lr=1e-3)})


def batch_norm():
    return Comparison(
        {"plain": PlainMLP(), "batchnorm": BatchNormMLP()},
        {"plain": lambda p: torch.optim.SGD(p, lr=0.05),
         "batchnorm": lambda p: torch.optim.SGD(p, lr=0.05)})


names = {"Optimizers": ("sgd", "momentum", "adagrad", "rmsprop", "adam"),
         "BatchNorm": ("plain", "batchnorm")}
trainer = sys.argv[sys.argv.index("--trainer") + 1]
twin.main(__doc__,
          {"Optimizers": lambda: (optimizers(), twin.fashion_mnist("train"),
                                  twin.fashion_mnist("t10k")),
           "BatchNorm": lambda: (batch_norm(), twin.fashion_mnist("train"),
                                 twin.fashion_mnist("t10k"))},
          batch=64, epochs=5, names=names[trainer])
