"""PyTorch twin of train_mode.weft's Normed: three SGD steps in train mode
(batch statistics, running statistics moved by momentum, batches counted)
from the same weights and batch. Writes the inputs, the weights, the loss of
each step and the weights, running statistics and momentum buffers after
the steps."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "reference"))
from safetensors_io import save_safetensors  # noqa: E402


class Normed(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 4, 3, padding=1)
        self.bn2 = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(64, 8)
        self.bn1 = torch.nn.BatchNorm1d(8, momentum=0.3)
        self.head = torch.nn.Linear(8, 3)

    def forward(self, x):
        h = F.relu(self.bn2(self.conv(x)))
        return self.head(F.relu(self.bn1(self.fc(torch.flatten(h, 1)))))


out = sys.argv[1]
torch.manual_seed(0)
model = Normed()
with torch.no_grad():
    for bn in (model.bn1, model.bn2):
        bn.running_mean.normal_(0, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        bn.weight.normal_(1, 0.2)
        bn.bias.normal_(0, 0.2)
x, t = torch.randn(6, 2, 4, 4), torch.randint(0, 3, (6,))
np.save(os.path.join(out, "x.npy"), x.numpy())
np.save(os.path.join(out, "t.npy"), t.numpy())
save_safetensors(os.path.join(out, "weights.safetensors"),
                 {k: v.numpy() for k, v in model.state_dict().items()})
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
losses = []
for _ in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), t)
    loss.backward()
    opt.step()
    losses.append(loss.item())
np.save(os.path.join(out, "losses.npy"), np.array(losses, dtype=np.float32))
tensors = {k: v.numpy() for k, v in model.state_dict().items()}
for name, p in model.named_parameters():
    tensors[f"opt.state.{name}.momentum_buffer"] = \
        opt.state[p]["momentum_buffer"].numpy()
save_safetensors(os.path.join(out, "expected.safetensors"), tensors)
