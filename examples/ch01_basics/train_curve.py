"""PyTorch twin of train_curve.weft (see ../twin.py for its commands): the
sum of 16 sigmoids fitted to the piecewise-linear curve through (-3, 0),
(-1, 2), (1, -1) and (3, 1) plus noise, Adam (lr 0.05), batches of 50, 40
epochs."""
import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch01_basics.sigmoid_sum import SigmoidSum  # noqa: E402


def curve_data(n):
    x = torch.rand(n, 1) * 6 - 3
    y = np.interp(x[:, 0].numpy(), [-3, -1, 1, 3], [0, 2, -1, 1])
    return x, torch.from_numpy(y).float() + 0.05 * torch.randn(n)


class CurveFit(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = SigmoidSum()
        self.opt = torch.optim.Adam(self.parameters(), lr=0.05)

    def step(self, x, y):
        loss = F.mse_loss(self.net(x), y)
        return (twin.optimize(self.opt, loss),)


twin.main(__doc__, lambda: (CurveFit(), curve_data(2000), None), batch=50,
          epochs=40)
