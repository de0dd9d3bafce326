"""PyTorch twin of examples/ch02_methodology/mlp_dropout.weft (eval mode)."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class DropoutMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.drop1 = nn.Dropout(0.5)
        self.fc2 = nn.Linear(256, 128)
        self.drop2 = nn.Dropout(p=0.2)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        h = self.drop1(F.relu(self.fc1(x)))
        h = self.drop2(F.relu(self.fc2(h)))
        return F.log_softmax(self.fc3(h), dim=1)


if __name__ == "__main__":
    weft_reference.main(lambda: (DropoutMLP(), {"x": torch.randn(16, 784)}))
