"""PyTorch twin of train_mlp.weft under weft train: writes a data set of 40
samples (x.npy, t.npy, and the same as IDX files), the initial weights, and
the losses and accuracies of two epochs in order (batches of 8, the data
set's order) with the weights and the optimizer's state after them."""
import gzip
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "reference"))
from safetensors_io import save_safetensors  # noqa: E402

out = sys.argv[1]
torch.manual_seed(0)
x = torch.randn(40, 6)
t = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
np.save(os.path.join(out, "x.npy"), x.numpy())
np.save(os.path.join(out, "t.npy"), t.numpy())
# The labels and a 40 x 2 x 3 image of bytes as IDX files.
pixels = np.arange(40 * 6, dtype=np.uint8).reshape(40, 2, 3)
with gzip.open(os.path.join(out, "images.idx.gz"), "wb") as f:
    f.write(struct.pack(">BBBBIII", 0, 0, 8, 3, 40, 2, 3) + pixels.tobytes())
with open(os.path.join(out, "labels.idx"), "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 8, 1, 40) +
            t.numpy().astype(np.uint8).tobytes())
np.save(os.path.join(out, "pixels.npy"), pixels.astype(np.float32) / 255)

model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.Tanh(),
                            torch.nn.Linear(16, 3))
names = {"0": "fc1", "2": "fc2"}
rename = lambda k: names[k.split(".")[0]] + "." + k.split(".")[1]  # noqa: E731
save_safetensors(os.path.join(out, "weights.safetensors"),
                 {rename(k): v.numpy() for k, v in model.state_dict().items()})
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
rows = []
for epoch in range(2):
    for i in range(0, 40, 8):
        opt.zero_grad()
        logits = model(x[i:i + 8])
        loss = F.cross_entropy(logits, t[i:i + 8])
        loss.backward()
        opt.step()
        accuracy = (logits.argmax(1) == t[i:i + 8]).float().mean()
        rows.append([loss.item(), accuracy.item()])
np.save(os.path.join(out, "expected.npy"), np.array(rows, dtype=np.float32))
state = {rename(k): v.numpy() for k, v in model.state_dict().items()}
for (k, v), p in zip(model.state_dict().items(), model.parameters()):
    state[f"opt.state.{rename(k)}.momentum_buffer"] = \
        opt.state[p]["momentum_buffer"].numpy()
state["opt.step"] = np.array(10.0)
save_safetensors(os.path.join(out, "expected.safetensors"), state)
