"""PyTorch twin of train_mlp.weft under weft train: writes a data set of 40
samples (x.npy, t.npy, and the same as IDX files), the initial weights, and
the losses and accuracies of two epochs in order (batches of 8, the data
set's order) with the weights and the optimizer's state after them; or
loads a weft checkpoint into the twin (--load)."""
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
# The same as CSV, with headers (9 digits give every float32 back).
np.savetxt(os.path.join(out, "x.csv"), x.numpy(), fmt="%.9g", delimiter=",",
           header="a,b,c,d,e,f", comments="")
np.savetxt(os.path.join(out, "t.csv"), t.numpy(), fmt="%d", header="label",
           comments="")
# The labels and a 40 x 2 x 3 image of bytes as IDX files.
pixels = np.arange(40 * 6, dtype=np.uint8).reshape(40, 2, 3)
with gzip.open(os.path.join(out, "images.idx.gz"), "wb") as f:
    f.write(struct.pack(">BBBBIII", 0, 0, 8, 3, 40, 2, 3) + pixels.tobytes())
with open(os.path.join(out, "labels.idx"), "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 8, 1, 40) +
            t.numpy().astype(np.uint8).tobytes())
np.save(os.path.join(out, "pixels.npy"), pixels.astype(np.float32) / 255)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = torch.nn.Linear(6, 16), torch.nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


# A test set of 43 samples: five batches of 8 and three more.
torch.manual_seed(1)
x_test = torch.randn(43, 6)
t_test = (x_test[:, 0] > 0).long() + (x_test[:, 1] > 0.5).long()
np.save(os.path.join(out, "xtest.npy"), x_test.numpy())
np.save(os.path.join(out, "ttest.npy"), t_test.numpy())

if len(sys.argv) > 2:
    # `train_mlp.py OUT --load CHECKPOINT`: PyTorch's strict load_state_dict
    # of a weft checkpoint, as it is; and the mean loss and accuracy of the
    # test set with those weights (test.npy).
    from safetensors_io import load_safetensors  # noqa: E402
    state = {k: torch.from_numpy(v.copy())
             for k, v in load_safetensors(sys.argv[3]).items()}
    net = Net()
    net.load_state_dict(state)
    print(f"PyTorch loaded {len(state)} tensors")
    with torch.no_grad():
        logits = net(x_test)
        measured = [F.cross_entropy(logits, t_test).item(),
                    (logits.argmax(1) == t_test).float().mean().item()]
    np.save(os.path.join(out, "test.npy"), np.array([measured], np.float32))
    sys.exit(0)

model = Net()
save_safetensors(os.path.join(out, "weights.safetensors"),
                 {k: v.numpy() for k, v in model.state_dict().items()})
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
# The model's state, and beside it the optimizer's, as weft train's
# checkpoints keep them.
save_safetensors(os.path.join(out, "expected.safetensors"),
                 {k: v.numpy() for k, v in model.state_dict().items()})
training = {"opt.step": np.array(10.0)}
for name, p in model.named_parameters():
    training[f"opt.state.{name}.momentum_buffer"] = \
        opt.state[p]["momentum_buffer"].numpy()
save_safetensors(os.path.join(out, "expected.training.safetensors"), training)
