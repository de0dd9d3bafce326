"""PyTorch twin of examples/ch03_optimization/cnn_batchnorm.weft (eval mode)."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class BatchNormCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        h = F.max_pool2d(F.relu(self.bn2(self.conv2(h))), 2)
        h = torch.flatten(F.adaptive_avg_pool2d(h, 1), 1)
        return self.fc(h)


def build():
    model = BatchNormCNN()
    weft_reference.randomize_batch_norm(model)
    return model, {"x": torch.randn(8, 1, 28, 28)}


weft_reference.main(build)
