"""PyTorch twin of examples/ch01_basics/sigmoid_sum.weft."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class SigmoidSum(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(16))
        self.bi = nn.Parameter(torch.randn(16))
        self.c = nn.Parameter(torch.randn(16))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.b + (self.c * torch.sigmoid(self.bi + self.w * x)).sum(dim=1)


if __name__ == "__main__":
    weft_reference.main(lambda: (SigmoidSum(), {"x": torch.randn(32, 1)}))
