"""PyTorch twin of examples/ch01_basics/linear_regression.weft."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(8))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.b + (x * self.w).sum(dim=1)


if __name__ == "__main__":
    weft_reference.main(lambda: (LinearRegression(), {"x": torch.randn(32, 8)}))
