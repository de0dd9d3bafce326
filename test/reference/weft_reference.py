"""Helpers for the PyTorch twins of weft examples.

A twin builds the PyTorch model of an example, and `export` writes what a test
needs into a directory: the weights as safetensors (PyTorch state_dict names),
each input as .npy, and the model's output as expected.npy. Debian has no
safetensors package; the format is small enough to write here.
"""
import json
import os
import struct
import sys

import numpy as np
import torch

_DTYPES = {np.dtype("float32"): "F32", np.dtype("float64"): "F64"}


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": _DTYPES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def export(model, inputs, outdir):
    """Runs `model` on `inputs` (name -> tensor) and writes the test files."""
    os.makedirs(outdir, exist_ok=True)
    model.eval()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    save_safetensors(os.path.join(outdir, "weights.safetensors"), state)
    for name, tensor in inputs.items():
        np.save(os.path.join(outdir, name + ".npy"), tensor.numpy())
    with torch.no_grad():
        out = model(*inputs.values())
    np.save(os.path.join(outdir, "expected.npy"), out.numpy())


def main(build):
    """Entry point of a twin script: `twin.py OUTDIR`."""
    torch.manual_seed(0)
    model, inputs = build()
    export(model, inputs, sys.argv[1])
