"""`csv_columns.py METRICS.csv OUT.npy COLUMN...`: the named columns of a
metrics CSV that weft train wrote, as a float32 array [rows, columns]; the
rows where they are empty (measurements made at an epoch's end only) are
left out."""
import csv
import sys

import numpy as np

with open(sys.argv[1]) as f:
    rows = list(csv.DictReader(f))
np.save(sys.argv[2], np.array([[float(r[c]) for c in sys.argv[3:]]
                               for r in rows
                               if all(r[c] != "" for c in sys.argv[3:])],
                              dtype=np.float32))
