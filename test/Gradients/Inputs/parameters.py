"""PyTorch twins of parameters.weft's models: the weights, inputs, loss and
every parameter's gradient by torch.autograd
(weft_reference.export_gradients); the other models' in the subdirectories
tagger, normed, convnet and poolnet."""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "reference"))
import weft_reference  # noqa: E402


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)

    def forward(self, x):
        return torch.relu(self.fc(x)) + x


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.randn(3))
        self.fc1 = nn.Linear(4, 8)
        self.blocks = nn.ModuleList([Block(8) for _ in range(2)])
        self.fc2 = nn.Linear(8, 3, bias=False)

    def forward(self, x):
        h = torch.tanh(self.fc1(x))
        for block in self.blocks:
            h = block(h)
        return self.fc2(h) * self.scale


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 6)
        self.out = nn.Linear(6, 3)

    def forward(self, ids):
        return self.out(self.emb(ids))


class Normed(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 6)
        self.ln = nn.LayerNorm(6)
        self.bn = nn.BatchNorm1d(6)
        self.out = nn.Linear(6, 2)

    def forward(self, x):
        return self.out(self.bn(self.ln(self.fc(x))))


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=2, dilation=2, groups=2)
        self.up = nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1,
                                     output_padding=1)

    def forward(self, x):
        return self.up(torch.tanh(self.conv2(torch.tanh(self.conv1(x)))))


class PoolNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3, padding=1)
        self.conv2 = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        h = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        h = F.avg_pool2d(torch.relu(self.conv2(h)), 3, stride=2, padding=1)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 2), 1))


torch.manual_seed(0)
weft_reference.export_gradients(
    Net(), lambda net, x, t: torch.mean((net(x) - t) ** 2),
    {"x": torch.randn(16, 4), "t": torch.randn(16, 3)}, sys.argv[1])
weft_reference.export_gradients(
    Tagger(), lambda net, ids, t: torch.mean((net(ids) - t) ** 2),
    {"ids": torch.randint(0, 10, (4, 7)), "t": torch.randn(4, 7, 3)},
    os.path.join(sys.argv[1], "tagger"))
normed = Normed()
weft_reference.randomize_layer_norm(normed)
weft_reference.randomize_batch_norm(normed)
normed.eval()
weft_reference.export_gradients(
    normed, lambda net, x, t: F.mse_loss(net(x), t),
    {"x": torch.randn(8, 4), "t": torch.randn(8, 2)},
    os.path.join(sys.argv[1], "normed"))
weft_reference.export_gradients(
    ConvNet(), lambda net, x, t: F.mse_loss(net(x), t),
    {"x": torch.randn(3, 1, 9, 8), "t": torch.randn(3, 2, 10, 8)},
    os.path.join(sys.argv[1], "convnet"))
weft_reference.export_gradients(
    PoolNet(), lambda net, x, t: F.mse_loss(net(x), t),
    {"x": torch.randn(4, 1, 12, 12), "t": torch.randn(4, 2)},
    os.path.join(sys.argv[1], "poolnet"))
