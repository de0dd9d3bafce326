"""PyTorch twin of examples/ch09_diffusion/ddpm.weft:
`ddpm.py OUTDIR noise|denoise|sample STEPS SEED`.

The sampler draws its noise with weft's generator (weft_random), keyed as
the weft program keys it, so both run the same reverse process."""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_random  # noqa: E402
import weft_reference  # noqa: E402


def time_embedding(t):
    freqs = torch.exp(torch.arange(8, dtype=torch.float32) * (-math.log(10000.0) / 8.0))
    angles = t.reshape(-1, 1) * freqs
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.time1 = nn.Linear(16, 32)
        self.time2 = nn.Linear(32, 32)
        self.inc = nn.Conv2d(1, 16, 3, padding=1)
        self.t_in = nn.Linear(32, 16)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.t_down = nn.Linear(32, 32)
        self.mid = nn.Conv2d(32, 32, 3, padding=1)
        self.up = nn.Conv2d(32, 16, 3, padding=1)
        self.merge = nn.Conv2d(32, 16, 3, padding=1)
        self.outc = nn.Conv2d(16, 1, 3, padding=1)

    def forward(self, x, t):
        temb = F.silu(self.time2(F.silu(self.time1(time_embedding(t)))))
        h1 = F.silu(self.inc(x) + self.t_in(temb).view(-1, 16, 1, 1))
        h2 = F.silu(self.down(h1) + self.t_down(temb).view(-1, 32, 1, 1))
        h2 = F.silu(self.mid(h2))
        u = F.silu(self.up(F.interpolate(h2, scale_factor=2, mode="nearest")))
        return self.outc(F.silu(self.merge(torch.cat([u, h1], dim=1))))


class DDPM(nn.Module):
    def __init__(self, steps, seed, batch):
        super().__init__()
        self.unet = UNet()
        self.steps, self.seed, self.batch = steps, seed, batch
        t = torch.arange(steps, dtype=torch.float32)
        self.betas = 0.0001 + t * ((0.02 - 0.0001) / (steps - 1))
        self.alpha_bars = torch.cumprod(1.0 - self.betas, 0)

    def noise(self, x0, t, eps):
        abar = self.alpha_bars[t].view(-1, 1, 1, 1)
        return abar.sqrt() * x0 + (1.0 - abar).sqrt() * eps

    def denoise(self, x, t):
        return self.unet(x, t.float())

    def randn(self, key):
        shape = (self.batch, 1, 8, 8)
        return torch.from_numpy(weft_random.randn(shape, self.seed, key))

    def sample(self):
        x = self.randn(self.steps)
        for t in reversed(range(self.steps)):
            eps = self.unet(x, torch.tensor([float(t)]))
            b = self.betas[t]
            x = (x - b / (1.0 - self.alpha_bars[t]).sqrt() * eps) / (1.0 - b).sqrt()
            if t > 0:
                x = x + b.sqrt() * self.randn(t)
        return x


def build():
    entry, steps, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    # What follows (--gradients) is weft_reference.main's.
    del sys.argv[2:5]
    batch = 3
    model = DDPM(steps, seed, batch)
    model.forward = getattr(model, entry)
    inputs = {
        "noise": {"x0": torch.randn(batch, 1, 8, 8),
                  "t": torch.tensor([0, steps // 2, steps - 1]),
                  "eps": torch.randn(batch, 1, 8, 8)},
        "denoise": {"x": torch.randn(batch, 1, 8, 8),
                    "t": torch.tensor([steps - 1, 1, 0])},
        "sample": {},
    }[entry]
    return model, inputs


if __name__ == "__main__":
    weft_reference.main(build)
