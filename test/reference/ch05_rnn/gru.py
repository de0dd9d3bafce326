"""PyTorch twin of examples/ch05_rnn/gru.weft: nn.GRU, batch first, then a
linear layer on the last hidden state; expected_state.npy is that state."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out[:, -1])


inputs = {}


def build():
    model = GRUClassifier()
    inputs["x"] = torch.randn(3, 9, 16)
    return model, inputs


weft_reference.main(
    build, extra={"state": lambda model: model.gru(inputs["x"])[1][0]})
