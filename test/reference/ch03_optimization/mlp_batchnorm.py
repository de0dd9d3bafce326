"""PyTorch twin of examples/ch03_optimization/mlp_batchnorm.weft (eval mode)."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class BatchNormMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128, bias=False)
        self.bn1 = nn.BatchNorm1d(128)
        self.fc2 = nn.Linear(128, 128, bias=False)
        self.bn2 = nn.BatchNorm1d(128, eps=1e-3)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        h = F.relu(self.bn1(self.fc1(x)))
        h = F.relu(self.bn2(self.fc2(h)))
        return F.softmax(self.fc3(h), dim=-1)


def build():
    model = BatchNormMLP()
    weft_reference.randomize_batch_norm(model)
    return model, {"x": torch.randn(16, 64)}


if __name__ == "__main__":
    weft_reference.main(build)
