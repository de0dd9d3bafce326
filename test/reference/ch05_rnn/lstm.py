"""PyTorch twin of examples/ch05_rnn/lstm.weft: nn.LSTM, batch first, then a
linear layer on the last hidden state."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_reference  # noqa: E402


class LSTMClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


weft_reference.main(lambda: (LSTMClassifier(), {"x": torch.randn(3, 9, 16)}))
