"""`check_folds.py FOLDS.csv LOG`: the cross-validation summary of weft
train's log against the mean and the sample standard deviation of each
fold's last validation in the metrics CSV (to the 4 decimals printed)."""
import csv
import re
import statistics
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
last_epoch = max(r["epoch"] for r in rows)
final = [r for r in rows if r["epoch"] == last_epoch and r["val_loss"]]
summary = [line for line in open(sys.argv[2])
           if line.startswith("cross-validation")][0]
ok = True
for name, mean, deviation in re.findall(r"(val_\w+) ([0-9.]+) ± ([0-9.]+)",
                                        summary):
    values = [float(r[name]) for r in final]
    ok &= abs(statistics.mean(values) - float(mean)) <= 5e-5
    ok &= abs(statistics.stdev(values) - float(deviation)) <= 5e-5
print(f"{len(final)} folds, the summary", "agrees" if ok else "DISAGREES")
