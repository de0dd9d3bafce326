"""Writes hostile data files: headers that announce more than they hold,
sizes that overflow, malformed and ambiguous headers, PyTorch's own files.

    make_hostile_files.py OUTDIR
"""
import json
import os
import struct
import sys
import zipfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


def npy(name, header, data=b""):
    """A version-1 .npy file with `header` as its dictionary, padded as NumPy
    pads it."""
    text = header.encode()
    total = 10 + len(text) + 1
    text += b" " * ((64 - total % 64) % 64) + b"\n"
    with open(path(name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + data)


def safetensors(name, header, data=b""):
    text = json.dumps(header).encode() if isinstance(header, dict) else header
    with open(path(name), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


# 2^62 elements: the byte count overflows 64 bits.
npy("overflow.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }",
    b"\0" * 128)
# 2^40 elements announced, 16 bytes present: nothing is allocated for them.
npy("huge.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }",
    b"\0" * 16)
# The shape's parenthesis never closes.
npy("unclosed.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 784 }")
npy("negative.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -784), }")

# An entry the model does not use, announcing 2^40 floats.
safetensors("huge.safetensors",
            {"unused": {"dtype": "F32", "shape": [1099511627776], "data_offsets": [0, 4398046511104]}})
f32 = {"dtype": "F32", "shape": [2]}
# The same name twice.
safetensors("duplicate.safetensors",
            b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, '
            b'"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}',
            b"\0" * 16)
# Two tensors sharing bytes.
safetensors("overlap.safetensors",
            {"a": dict(f32, data_offsets=[0, 8]), "b": dict(f32, data_offsets=[4, 12])},
            b"\0" * 12)

# torch.save's zip archive, and the pickle of older PyTorch.
with zipfile.ZipFile(path("model.pt"), "w") as z:
    z.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
with open(path("legacy.pt"), "wb") as f:
    f.write(b"\x80\x02\x8a\nl\xfc\x9cF\xf9 j\xa8P\x19.")
