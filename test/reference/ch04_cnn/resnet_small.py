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


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv(3, 16, kernel_size=3, padding=1)
        self.stem_bn = nn.BatchNorm2d(16)
        self.b1_conv1 = conv(16, 16, kernel_size=3, padding=1)
        self.b1_bn1 = nn.BatchNorm2d(16)
        self.b1_conv2 = conv(16, 16, kernel_size=3, padding=1)
        self.b1_bn2 = nn.BatchNorm2d(16)
        self.b2_conv1 = conv(16, 32, kernel_size=3, stride=2, padding=1)
        self.b2_bn1 = nn.BatchNorm2d(32)
        self.b2_conv2 = conv(32, 32, kernel_size=3, padding=1)
        self.b2_bn2 = nn.BatchNorm2d(32)
        self.b2_proj = conv(16, 32, kernel_size=1, stride=2)
        self.b2_proj_bn = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        h = F.relu(self.stem_bn(self.stem(x)))
        r = F.relu(self.b1_bn1(self.b1_conv1(h)))
        h = F.relu(self.b1_bn2(self.b1_conv2(r)) + h)
        r = F.relu(self.b2_bn1(self.b2_conv1(h)))
        h = F.relu(self.b2_bn2(self.b2_conv2(r)) + self.b2_proj_bn(self.b2_proj(h)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


def build():
    model = SmallResNet()
    weft_reference.randomize_batch_norm(model)
    return model, {"x": torch.randn(4, 3, 32, 32)}


weft_reference.main(build)
