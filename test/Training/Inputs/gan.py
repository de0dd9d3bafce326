"""PyTorch twin of gan.weft: three GAN steps and three WGAN steps from the
same weights and batch. Writes the inputs, the initial weights, the losses
of each step, and the weights and both optimizers' state after the steps,
under weft's names."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "reference"))
from weft_reference import save_safetensors  # noqa: E402

STEPS = 3


class Generator(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = torch.nn.Linear(2, 8), torch.nn.Linear(8, 3)

    def forward(self, z):
        return self.fc2(torch.relu(self.fc1(z)))


class Discriminator(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = torch.nn.Linear(3, 8), torch.nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


def state(model, optimizers):
    tensors = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    for opt_name, (layer, opt) in optimizers.items():
        for pname, p in getattr(model, layer).named_parameters():
            for key, value in opt.state[p].items():
                if key != "step":
                    tensors[f"{opt_name}.state.{layer}.{pname}.{key}"] = \
                        value.numpy()
        tensors[f"{opt_name}.step"] = np.array(STEPS, dtype=np.float64)
    return tensors


def bce(logits, value):
    return F.binary_cross_entropy_with_logits(
        logits, torch.full_like(logits, value))


def gan(out):
    model = torch.nn.Module()
    model.gen, model.disc = Generator(), Discriminator()
    save_safetensors(os.path.join(out, "gan.weights.safetensors"),
                     {k: v.numpy() for k, v in model.state_dict().items()})
    g_opt = torch.optim.Adam(model.gen.parameters(), lr=2e-3,
                             betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(model.disc.parameters(), lr=2e-3,
                             betas=(0.5, 0.999))
    losses = []
    for _ in range(STEPS):
        d_opt.zero_grad()
        d_loss = bce(model.disc(real), 1) + \
            bce(model.disc(model.gen(z).detach()), 0)
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = bce(model.disc(model.gen(z)), 1)
        g_loss.backward()
        g_opt.step()
        losses.append([d_loss.item(), g_loss.item()])
    return model, {"g_opt": ("gen", g_opt), "d_opt": ("disc", d_opt)}, losses


def wgan(out):
    model = torch.nn.Module()
    model.gen, model.critic = Generator(), Discriminator()
    save_safetensors(os.path.join(out, "wgan.weights.safetensors"),
                     {k: v.numpy() for k, v in model.state_dict().items()})
    g_opt = torch.optim.RMSprop(model.gen.parameters(), lr=5e-3)
    c_opt = torch.optim.RMSprop(model.critic.parameters(), lr=5e-3)
    losses = []
    for _ in range(STEPS):
        c_opt.zero_grad()
        c_loss = model.critic(model.gen(z).detach()).mean() - \
            model.critic(real).mean()
        c_loss.backward()
        c_opt.step()
        for p in model.critic.parameters():
            p.data.clamp_(-0.01, 0.01)
        g_opt.zero_grad()
        g_loss = -model.critic(model.gen(z)).mean()
        g_loss.backward()
        g_opt.step()
        losses.append([c_loss.item(), g_loss.item()])
    return model, {"g_opt": ("gen", g_opt), "c_opt": ("critic", c_opt)}, \
        losses


out = sys.argv[1]
torch.manual_seed(0)
real, z = torch.randn(8, 3), torch.randn(8, 2)
np.save(os.path.join(out, "real.npy"), real.numpy())
np.save(os.path.join(out, "z.npy"), z.numpy())
for name, run in [("gan", gan), ("wgan", wgan)]:
    model, optimizers, losses = run(out)
    losses = np.array(losses, dtype=np.float32)
    for i in range(2):
        np.save(os.path.join(out, f"{name}.loss.{i}.npy"), losses[:, i])
    save_safetensors(os.path.join(out, f"{name}.after.safetensors"),
                     state(model, optimizers))
