"""PyTorch twin of train_ddpm2d.weft (see ../twin.py for its commands):
DDPM on 2-D points with an MLP denoiser, T = 100 steps, Adam (lr 1e-3),
batches of 256. Each step draws its diffusion steps and noise with weft's
generator (test/reference/weft_random.py) at the seeds weft's next_seed()
gives (the count of draws: 2k and 2k + 1 in step k, with --seed 0), so
the twin takes the same steps as weft. Its data: a swiss roll of its own."""
import math
import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
import weft_random  # noqa: E402
from ch09_diffusion.ddpm import time_embedding  # noqa: E402

T = 100


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.time1 = nn.Linear(16, 128)
        self.fc1, self.fc2 = nn.Linear(2, 128), nn.Linear(128, 128)
        self.fc3, self.out = nn.Linear(128, 128), nn.Linear(128, 2)

    def forward(self, x, t):
        h = F.silu(self.fc1(x) + self.time1(time_embedding(t)))
        return self.out(F.silu(self.fc3(F.silu(self.fc2(h)))))


class DDPM2D(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = Denoiser()
        self.opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        steps = torch.arange(T, dtype=torch.float32)
        betas = 0.0001 + steps * ((0.02 - 0.0001) / (T - 1))
        self.alpha_bars = torch.cumprod(1.0 - betas, 0)
        self.draws = 0

    def next_seed(self):
        self.draws += 1
        return self.draws - 1

    def step(self, x):
        b = x.shape[0]
        u = torch.from_numpy(weft_random.rand((b,), self.next_seed(), 1))
        t = (u * np.float32(T)).long()
        eps = torch.from_numpy(
            weft_random.randn((b, 2), self.next_seed(), 2))
        abar = self.alpha_bars[t].view(-1, 1)
        noised = torch.sqrt(abar) * x + torch.sqrt(1.0 - abar) * eps
        loss = F.mse_loss(self.net(noised, t.float()), eps)
        return (twin.optimize(self.opt, loss),)


def swiss_roll(n):
    t = 1.5 * math.pi * (1 + 2 * torch.rand(n))
    points = torch.stack([t * torch.cos(t), t * torch.sin(t)], 1) / 10
    return (points + 0.05 * torch.randn(n, 2),)


twin.main(__doc__, lambda: (DDPM2D(), swiss_roll(20000), None), batch=256,
          epochs=100)
