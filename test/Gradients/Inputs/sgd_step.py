"""PyTorch twin of sgd_step.weft: writes the inputs, then the loss and the
weights after one step of gradient descent, computed by torch.autograd."""
import os
import sys

import numpy as np
import torch

out = sys.argv[1]
torch.manual_seed(0)
x, y = torch.randn(8, 2), torch.randn(8, 1)
params = {"w1": torch.randn(16, 2), "b1": torch.randn(16),
          "w2": torch.randn(1, 16), "b2": torch.randn(1)}
for name, value in dict(params, x=x, y=y).items():
    np.save(os.path.join(out, f"{name}.npy"), value.numpy())
for value in params.values():
    value.requires_grad_(True)
h = torch.tanh(torch.nn.functional.linear(x, params["w1"], params["b1"]))
loss = torch.mean((torch.nn.functional.linear(h, params["w2"], params["b2"])
                   - y) ** 2)
loss.backward()
with torch.no_grad():
    results = [loss] + [p - 0.1 * p.grad for p in params.values()]
for i, value in enumerate(results):
    np.save(os.path.join(out, f"torch.{i}.npy"), value.detach().numpy())
