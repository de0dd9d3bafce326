"""PyTorch twin of train_dcgan.weft (see ../twin.py for its commands): a
discriminator step, then a generator step, Adam (lr 2e-4, betas 0.5 and
0.999) for both, batches of 64 Fashion-MNIST images scaled to [-1, 1]. The
noise of each step is drawn with weft's generator
(test/reference/weft_random.py) at the seed weft's next_seed() gives (the
count of draws: k in step k, with --seed 0), so the twin takes the same
steps as weft."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
import weft_random  # noqa: E402
from ch08_gan.dcgan import Discriminator, Generator  # noqa: E402


class DCGANTrainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.gen, self.disc = Generator(), Discriminator()
        adam = dict(lr=2e-4, betas=(0.5, 0.999))
        self.g_opt = torch.optim.Adam(self.gen.parameters(), **adam)
        self.d_opt = torch.optim.Adam(self.disc.parameters(), **adam)
        self.draws = 0

    def step(self, x, label):
        real = 2.0 * x - 1.0
        z = torch.from_numpy(weft_random.randn((x.shape[0], 64), self.draws,
                                               1))
        self.draws += 1
        ones, zeros = torch.ones(x.shape[0], 1), torch.zeros(x.shape[0], 1)
        d_loss = (F.binary_cross_entropy(self.disc(real), ones) +
                  F.binary_cross_entropy(self.disc(self.gen(z)), zeros))
        twin.optimize(self.d_opt, d_loss)
        g_loss = F.binary_cross_entropy(self.disc(self.gen(z)), ones)
        twin.optimize(self.g_opt, g_loss)
        return d_loss.item(), g_loss.item()


twin.main(__doc__, lambda: (DCGANTrainer(), twin.fashion_mnist("train"),
                            None),
          batch=64, epochs=3, names=("d_loss", "g_loss"))
