"""PyTorch twin of examples/ch04_cnn/resnet_small.weft (eval mode)."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


def conv(cin, cout, **kw):
    return nn.Conv2d(cin, cout, bias=False, **kw)


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = conv(channels, channels, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = conv(channels, channels, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + x)


class DownBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = conv(cin, cout, kernel_size=3, stride=2, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = conv(cout, cout, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = conv(cin, cout, kernel_size=1, stride=2)
        self.proj_bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + self.proj_bn(self.proj(x)))


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv(3, 16, kernel_size=3, padding=1)
        self.stem_bn = nn.BatchNorm2d(16)
        self.stage1 = nn.ModuleList([Block(16) for _ in range(2)])
        self.down = DownBlock(16, 32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        h = F.relu(self.stem_bn(self.stem(x)))
        for block in self.stage1:
            h = block(h)
        h = self.down(h)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


def build():
    model = SmallResNet()
    weft_reference.randomize_batch_norm(model)
    return model, {"x": torch.randn(4, 3, 32, 32)}


weft_reference.main(build)
