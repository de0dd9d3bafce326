"""Expected results of test/Examples/ops/Inputs/triangles.weft from PyTorch:
`triangles.py OUTDIR` writes x.npy, ids.npy and expected_<entry>.<i>.npy."""
import os
import sys

import numpy as np
import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
x = torch.randn(2, 5, 6)
ids = torch.randint(1, 10, (4, 4))
np.save(os.path.join(out, "x.npy"), x.numpy())
np.save(os.path.join(out, "ids.npy"), ids.numpy())

expected = {
    "forward": [torch.triu(x), torch.tril(x, diagonal=-1), torch.triu(x, 2),
                torch.tril(x, 3)],
    "masks": [torch.tril(ids),
              torch.triu(torch.ones(4, 4, dtype=torch.int64), diagonal=1) == 0],
    "ramps": [torch.linspace(-1.0, 2.0, 8),
              torch.linspace(0, 1, 7, dtype=torch.float64),
              torch.linspace(3.5, -1.5, 1), torch.linspace(0, 6, 4)],
}
for entry, tensors in expected.items():
    for i, t in enumerate(tensors):
        np.save(os.path.join(out, f"expected_{entry}.{i}.npy"), t.numpy())
