"""PyTorch twins of examples/ch08_gan/dcgan.weft (eval mode):
`dcgan.py OUTDIR generator|discriminator`."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 128 * 7 * 7, bias=False)
        self.bn0 = nn.BatchNorm1d(128 * 7 * 7)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, stride=2, padding=1)

    def forward(self, z):
        h = F.relu(self.bn0(self.fc(z))).view(-1, 128, 7, 7)
        h = F.relu(self.bn1(self.up1(h)))
        return torch.tanh(self.up2(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 4, stride=2, padding=1)
        self.conv2 = nn.Conv2d(64, 128, 4, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.fc = nn.Linear(128 * 7 * 7, 1)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = F.leaky_relu(self.bn2(self.conv2(h)), 0.2)
        return torch.sigmoid(self.fc(torch.flatten(h, 1)))


def build():
    which = sys.argv.pop(2)
    model = Generator() if which == "generator" else Discriminator()
    weft_reference.randomize_batch_norm(model)
    inputs = ({"z": torch.randn(4, 64)} if which == "generator"
              else {"x": torch.randn(4, 1, 28, 28)})
    return model, inputs


if __name__ == "__main__":
    weft_reference.main(build)
