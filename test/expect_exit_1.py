"""Runs a command and succeeds only if it exits with status 1.

weft reports every bad input with a message and exit status 1; any other
status (0, a crash, an abort) fails the test. The command's output passes
through unchanged.
"""
import subprocess
import sys

status = subprocess.run(sys.argv[1:]).returncode
if status != 1:
    sys.stderr.write(f"expected exit status 1, got {status}\n")
    sys.exit(2)
