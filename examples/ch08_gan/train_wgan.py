"""PyTorch twin of train_wgan.weft (see ../twin.py for its commands): five
critic steps, each with its weights clipped to [-0.01, 0.01], then a
generator step; RMSprop (lr 5e-5) for both. The noise is drawn with weft's
generator (test/reference/weft_random.py) at the seeds weft's next_seed()
gives (the count of draws: 6k to 6k + 4 for the critic's steps of step k,
key 1; 6k + 5 for the generator's, key 2), so the twin takes weft's
steps."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
import weft_random  # noqa: E402
from ch08_gan.dcgan import Generator  # noqa: E402
from ch08_gan.wgan_critic import Critic  # noqa: E402


class WGANTrainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.gen, self.critic = Generator(), Critic()
        self.g_opt = torch.optim.RMSprop(self.gen.parameters(), lr=5e-5)
        self.c_opt = torch.optim.RMSprop(self.critic.parameters(), lr=5e-5)
        self.draws = 0

    def noise(self, batch, key):
        z = weft_random.randn((batch, 64), self.draws, key)
        self.draws += 1
        return torch.from_numpy(z)

    def step(self, x, label):
        real = 2.0 * x - 1.0
        for _ in range(5):
            fake = self.gen(self.noise(x.shape[0], 1))
            c_loss = self.critic(fake).mean() - self.critic(real).mean()
            twin.optimize(self.c_opt, c_loss)
            with torch.no_grad():
                for p in self.critic.parameters():
                    p.clamp_(-0.01, 0.01)
        g_loss = -self.critic(self.gen(self.noise(x.shape[0], 2))).mean()
        twin.optimize(self.g_opt, g_loss)
        return c_loss.item(), g_loss.item()


twin.main(__doc__, lambda: (WGANTrainer(), twin.fashion_mnist("train"),
                            None),
          batch=64, epochs=1, names=("c_loss", "g_loss"))
