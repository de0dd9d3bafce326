"""Writes the malformed and mismatched data files the driver tests feed weft.

    make_bad_files.py OUTDIR
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "reference"))
from weft_reference import save_safetensors  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)


def path(name):
    return os.path.join(out, name)


good = rng.standard_normal((2, 784)).astype(np.float32)
np.save(path("good.npy"), good)
with open(path("good.npy"), "rb") as f:
    data = f.read()
with open(path("truncated.npy"), "wb") as f:
    f.write(data[:-100])
with open(path("not-npy.npy"), "wb") as f:
    f.write(b"hello, this is text\n")
np.save(path("int32.npy"), np.zeros((2, 784), dtype=np.int32))
np.save(path("float16.npy"), np.zeros((2, 784), dtype=np.float16))
np.save(path("f64.npy"), good.astype(np.float64))
np.save(path("wrong-features.npy"), np.zeros((2, 100), dtype=np.float32))
np.save(path("three-rows.npy"), np.zeros((3, 784), dtype=np.float32))

weights = {
    "fc1.weight": np.zeros((256, 784), np.float32), "fc1.bias": np.zeros(256, np.float32),
    "fc2.weight": np.zeros((256, 256), np.float32), "fc2.bias": np.zeros(256, np.float32),
    "fc3.weight": np.zeros((10, 256), np.float32), "fc3.bias": np.zeros(10, np.float32),
}
save_safetensors(path("good.safetensors"), weights)
save_safetensors(path("missing.safetensors"),
                 {k: v for k, v in weights.items() if k != "fc2.bias"})
save_safetensors(path("wrong-shape.safetensors"),
                 dict(weights, **{"fc3.weight": np.zeros((256, 10), np.float32)}))
save_safetensors(path("f64.safetensors"),
                 dict(weights, **{"fc1.bias": np.zeros(256, np.float64)}))
save_safetensors(path("extra.safetensors"),
                 dict(weights, **{"fc4.weight": np.zeros(3, np.float32)}))
with open(path("good.safetensors"), "rb") as f:
    data = f.read()
with open(path("truncated.safetensors"), "wb") as f:
    f.write(data[:-1000])
with open(path("header-only.safetensors"), "wb") as f:
    f.write(data[:5])
np.save(path("ids-in-range.npy"), np.array([[0, 999, 5]], dtype=np.int64))
np.save(path("ids-too-large.npy"), np.array([[0, 1000, 5]], dtype=np.int64))
np.save(path("ids-negative.npy"), np.array([[-1, 3, 5]], dtype=np.int32))
np.save(path("steps-negative.npy"), np.array([3, -1], dtype=np.int64))
np.save(path("ids-small.npy"), np.array([1, 4, 2, 0], dtype=np.int64))
