"""PyTorch twin of optimizers.weft: three steps of each optimizer
configuration with torch.optim, from the same weights and batch. Writes
the inputs, the initial weights, and for each configuration the three
losses and the weights and optimizer state after the steps, under weft's
names (`opt.state.<parameter>.<key>`, `opt.step`)."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "reference"))
from weft_reference import save_safetensors  # noqa: E402

O = torch.optim
S = O.lr_scheduler
# name: (optimizer, schedule, max_norm), as optimizers.weft declares them.
CONFIGS = {
    "SGDPlain": (lambda p: O.SGD(p, lr=0.1), None, None),
    "SGDMomentum": (lambda p: O.SGD(p, lr=0.1, momentum=0.9, dampening=0.1),
                    None, None),
    "SGDNesterov": (lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True,
                                    weight_decay=0.01), None, None),
    "SGDMaximize": (lambda p: O.SGD(p, lr=0.05, maximize=True), None, None),
    "AdamDefault": (lambda p: O.Adam(p), None, None),
    "AdamAmsgrad": (lambda p: O.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                     weight_decay=0.1, amsgrad=True),
                    None, None),
    "AdamMaximize": (lambda p: O.Adam(p, lr=0.01, maximize=True), None, None),
    "AdamWDefault": (lambda p: O.AdamW(p), None, None),
    "AdamWAmsgrad": (lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1,
                                       amsgrad=True), None, None),
    "AdagradDefault": (lambda p: O.Adagrad(p), None, None),
    "AdagradOptions": (lambda p: O.Adagrad(p, lr=0.05, lr_decay=0.1,
                                           weight_decay=0.05,
                                           initial_accumulator_value=0.1,
                                           eps=1e-8, maximize=True),
                       None, None),
    "RMSpropDefault": (lambda p: O.RMSprop(p), None, None),
    "RMSpropCentered": (lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6,
                                            weight_decay=0.1, momentum=0.9,
                                            centered=True), None, None),
    "RMSpropMaximize": (lambda p: O.RMSprop(p, momentum=0.5, maximize=True),
                        None, None),
    "StepSchedule": (lambda p: O.SGD(p, lr=0.1, momentum=0.9),
                     lambda o: S.StepLR(o, step_size=2, gamma=0.5), None),
    "CosineSchedule": (lambda p: O.Adam(p, lr=0.01),
                       lambda o: S.CosineAnnealingLR(o, T_max=4,
                                                     eta_min=0.001), None),
    "LinearSchedule": (lambda p: O.AdamW(p, lr=0.01),
                       lambda o: S.LinearLR(o, start_factor=0.25,
                                            total_iters=2), None),
    "Clipped": (lambda p: O.Adam(p, lr=0.01), None, 0.1),
}
STEPS = 3


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(4, 8)
        self.fc2 = torch.nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


class Trainer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = Net()


out = sys.argv[1]
torch.manual_seed(0)
x, t = torch.randn(8, 4), torch.randint(0, 3, (8,))
np.save(os.path.join(out, "x.npy"), x.numpy())
np.save(os.path.join(out, "t.npy"), t.numpy())
initial = Trainer().state_dict()
save_safetensors(os.path.join(out, "weights.safetensors"),
                 {k: v.numpy() for k, v in initial.items()})

for name, (make, schedule, max_norm) in CONFIGS.items():
    model = Trainer()
    model.load_state_dict(initial)
    params = dict(model.named_parameters())
    opt = make(params.values())
    sched = schedule(opt) if schedule else None
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(model.net(x), t)
        loss.backward()
        if max_norm:
            torch.nn.utils.clip_grad_norm_(params.values(), max_norm)
        opt.step()
        if sched:
            sched.step()
        losses.append(loss.item())
    np.save(os.path.join(out, f"{name}.loss.npy"),
            np.array(losses, dtype=np.float32))
    tensors = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    for pname, p in params.items():
        for key, value in opt.state[p].items():
            if key != "step" and value is not None:
                tensors[f"opt.state.{pname}.{key}"] = value.numpy()
    tensors["opt.step"] = np.array(STEPS, dtype=np.float64)
    save_safetensors(os.path.join(out, f"{name}.safetensors"), tensors)
