"""PyTorch twin of train_reverse.weft (see ../twin.py for its commands):
the Transformer learns to reverse strings of 8 digits, Adam (lr 1e-3),
batches of 64; greedy decoding measured on held-out strings after every
epoch."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import twin  # noqa: E402
from ch07_transformer.transformer import Transformer  # noqa: E402

LENGTH = 8


def reverse_task(n):
    x = torch.randint(0, 10, (n, LENGTH))
    return x, x.flip(1)


class Trainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = Transformer()
        self.opt = torch.optim.Adam(self.parameters(), lr=1e-3)

    @staticmethod
    def shifted(target):
        return torch.cat([torch.ones_like(target[:, :1]), target[:, :-1]], 1)

    def step(self, x, y):
        target = y + 2
        logits = self.net(x + 2, self.shifted(target))
        loss = F.cross_entropy(logits.transpose(1, 2), target)
        twin.optimize(self.opt, loss)
        return loss.item(), (logits.argmax(-1) == target).float().mean().item()

    @torch.no_grad()
    def decode(self, src):
        memory = self.net.encode(src)
        tokens = torch.ones_like(src)
        decoded = torch.zeros_like(src)
        for t in range(src.shape[1]):
            decoded[:, t] = self.net.decode(tokens, memory, src)[:, t].argmax(-1)
            if t + 1 < src.shape[1]:
                tokens[:, t + 1] = decoded[:, t]
        return decoded

    @torch.no_grad()
    def evaluate(self, x, y):
        target = y + 2
        logits = self.net(x + 2, self.shifted(target))
        loss = F.cross_entropy(logits.transpose(1, 2), target).item()
        right = self.decode(x + 2) == target
        return loss, right.float().mean().item(), right.all(1).float().mean().item()


args, trainer = twin.main(
    __doc__, lambda: (Trainer(), reverse_task(20000), reverse_task(2000)),
    batch=64, epochs=10,
    names=("loss", "token_accuracy", "sequence_accuracy"))
if args.command == "evaluate":
    # Greedy decoding of three new strings.
    x, _ = reverse_task(3)
    for source, decoded in zip(x, trainer.decode(x + 2) - 2):
        print("".join(map(str, source.tolist())), "->",
              "".join(map(str, decoded.tolist())))
