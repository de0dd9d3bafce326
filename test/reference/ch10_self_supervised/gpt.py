"""PyTorch twin of examples/ch10_self_supervised/gpt.weft:
`gpt.py OUTDIR [forward | greedy | sample SEED | --trajectory N]`.

Decoding extends a prompt of 3 tokens to 8; top-k sampling draws its
uniforms with weft's generator (weft_random), keyed by the position, as the
weft program does."""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
import weft_random  # noqa: E402
import weft_reference  # noqa: E402
from transformer import SelfAttention  # noqa: E402


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = SelfAttention(d, heads, causal=True)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.proj = nn.Linear(4 * d, d)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.proj(F.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(1000, 64)
        self.wpe = nn.Embedding(128, 64)
        self.blocks = nn.ModuleList([Block(64, 4) for _ in range(2)])
        self.ln_f = nn.LayerNorm(64)
        self.head = nn.Linear(64, 1000, bias=False)

    def forward(self, ids):
        h = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.blocks:
            h = block(h)
        return self.head(self.ln_f(h))

    def greedy(self, prompt, length=8):
        tokens = prompt
        while tokens.shape[1] < length:
            logits = GPT.forward(self, tokens)[:, -1]
            tokens = torch.cat([tokens, logits.argmax(-1, keepdim=True)], 1)
        return tokens

    def sample(self, prompt, seed, length=8, k=5, temperature=0.8):
        tokens = prompt
        while tokens.shape[1] < length:
            t = tokens.shape[1]
            logits = GPT.forward(self, tokens)[:, -1]
            best, ids = torch.topk(logits / temperature, k)
            u = torch.from_numpy(weft_random.rand(best.shape, seed, t))
            choice = (best - torch.log(-torch.log(u))).argmax(-1, keepdim=True)
            tokens = torch.cat([tokens, torch.gather(ids, 1, choice)], 1)
        return tokens


def build():
    # `gpt.py OUTDIR --trajectory N` (weft_reference.main) trains forward.
    entry = "forward"
    seed = 0
    if len(sys.argv) > 2 and not sys.argv[2].startswith("--"):
        entry = sys.argv[2]
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
        del sys.argv[2:]
    model = GPT()
    weft_reference.randomize_layer_norm(model)
    if entry == "forward":
        return model, {"ids": torch.randint(0, 1000, (2, 16))}
    if entry == "greedy":
        model.forward = model.greedy
    else:
        model.forward = lambda prompt: model.sample(prompt, seed)
    return model, {"prompt": torch.randint(0, 1000, (2, 3))}


if __name__ == "__main__":
    weft_reference.main(build)
