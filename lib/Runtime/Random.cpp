//===- Random.cpp - Seeded random numbers ---------------------------------===//

#include "weft/Runtime/Random.h"
#include "weft/Runtime/Tensor.h"

#include <cmath>

using namespace mlir::weft;

/// The output function of splitmix64.
static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t splitmix64(uint64_t &x) { return mix64(x += counter::kGamma); }

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

Random::Random(uint64_t seed) {
  for (uint64_t &s : state)
    s = splitmix64(seed);
}

Random Random::forName(uint64_t seed, llvm::StringRef name) {
  // FNV-1a of the name, mixed into the seed.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name)
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return Random(seed ^ hash);
}

uint64_t Random::next() {
  uint64_t result = rotl(state[1] * 5, 7) * 9;
  uint64_t t = state[1] << 17;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 45);
  return result;
}

double Random::uniform() { return (next() >> 11) * 0x1.0p-53; }

double Random::normal() {
  // 1 - uniform() is in (0, 1], so the logarithm is finite.
  double u1 = 1.0 - uniform(), u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

void Random::fillUniform(Tensor &tensor, double low, double high) {
  for (int64_t i = 0, e = tensor.numElements(); i < e; ++i)
    tensor.set(i, low + (high - low) * uniform());
}

void Random::fillNormal(Tensor &tensor) {
  for (int64_t i = 0, e = tensor.numElements(); i < e; ++i)
    tensor.set(i, normal());
}

uint64_t mlir::weft::counter::stream(uint64_t seed, uint64_t key) {
  return mix64(mix64(seed) ^ key);
}

uint64_t mlir::weft::counter::bits(uint64_t seed, uint64_t key,
                                   uint64_t counter) {
  return mix64(stream(seed, key) + counter * kGamma);
}

double mlir::weft::counter::uniform(uint64_t seed, uint64_t key, uint64_t index,
                                    bool f32) {
  uint64_t b = bits(seed, key, index);
  return f32 ? (b >> 40) * 0x1.0p-24 : (b >> 11) * 0x1.0p-53;
}

double mlir::weft::counter::normal(uint64_t seed, uint64_t key,
                                   uint64_t index) {
  double u1 = uniform(seed, key, 2 * index, /*f32=*/false);
  double u2 = uniform(seed, key, 2 * index + 1, /*f32=*/false);
  return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * M_PI * u2);
}
