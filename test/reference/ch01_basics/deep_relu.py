"""PyTorch twin of examples/ch01_basics/deep_relu.weft."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class DeepReLU(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        h = torch.relu(self.fc2(h))
        return self.fc3(h)


weft_reference.main(lambda: (DeepReLU(), {"x": torch.randn(16, 784)}))
