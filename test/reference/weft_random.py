"""The counter-based generator of weft's `rand` and `randn` (the `weft.random`
op), written independently of the compiler so twins can draw the same numbers.

    stream = mix(mix(seed) ^ key)
    bits(c) = mix(stream + c * GAMMA)          (64-bit wrapping arithmetic)
"""
import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)


def _mix(z):
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _bits(seed, key, counters):
    stream = _mix(_mix(np.uint64(seed)) ^ np.uint64(key))
    with np.errstate(over="ignore"):
        return _mix(stream + counters.astype(np.uint64) * GAMMA)


def rand(shape, seed, key, dtype=np.float32):
    """Uniform in [0, 1): 24 random bits for float32, 53 for float64."""
    counters = np.arange(int(np.prod(shape)), dtype=np.uint64)
    bits = _bits(seed, key, counters)
    if dtype == np.float32:
        values = (bits >> np.uint64(40)).astype(np.float64) * 2.0**-24
    else:
        values = (bits >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return values.reshape(shape).astype(dtype)


def randn(shape, seed, key, dtype=np.float32):
    """Standard normal: Box-Muller over the float64 uniforms of the counters
    2i and 2i + 1."""
    index = np.arange(int(np.prod(shape)), dtype=np.uint64)
    u1 = (_bits(seed, key, 2 * index) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    u2 = (_bits(seed, key, 2 * index + 1) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    z = np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(2.0 * np.pi * u2)
    return z.reshape(shape).astype(dtype)
