"""Expected output of test/Examples/ops/Inputs/random.weft, from the
generator's independent implementation: `random_numbers.py OUT.npy SEED`."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import weft_random  # noqa: E402

seed = int(sys.argv[2])
u = weft_random.rand((5, 7), seed, 1)
z = weft_random.randn((5, 7), seed, 2)
w = weft_random.randn((5, 7), seed, 2, np.float64).astype(np.float32)
np.save(sys.argv[1], np.stack([u, z, w]))
