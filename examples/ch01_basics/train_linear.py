"""PyTorch twin of train_linear.weft (see ../twin.py for its commands):
linear regression on y = -2 + x_1 + 2 x_2 + ... + 8 x_8 plus noise, SGD (lr
0.1), batches of 20, 20 epochs; prints the fitted w and b."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch01_basics.linear_regression import LinearRegression  # noqa: E402


def linear_data(n):
    x = torch.rand(n, 8) * 2 - 1
    return x, -2 + x @ torch.arange(1.0, 9.0) + 0.1 * torch.randn(n)


class LinearFit(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = LinearRegression()
        self.opt = torch.optim.SGD(self.parameters(), lr=0.1)

    def step(self, x, y):
        loss = F.mse_loss(self.net(x), y)
        return (twin.optimize(self.opt, loss),)


args, trainer = twin.main(
    __doc__, lambda: (LinearFit(), linear_data(1000), None), batch=20,
    epochs=20)
print("w", [round(v, 4) for v in trainer.net.w.tolist()],
      "b", round(trainer.net.b.item(), 4))
