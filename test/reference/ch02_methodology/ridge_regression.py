"""PyTorch twin of examples/ch02_methodology/ridge_regression.weft."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class RidgeRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(8))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.b + (x * self.w).sum(dim=1)

    def penalty(self):
        return 0.01 * (self.w ** 2).sum()


weft_reference.main(lambda: (RidgeRegression(), {"x": torch.randn(32, 8)}),
                    extra={"penalty": lambda m: m.penalty()})
