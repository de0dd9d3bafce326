//===- fma_peak.cpp - The machine's single-precision FMA peak -------------===//
//
// Runs independent chains of fused multiply-adds in vector registers, enough
// of them to hide the FMA latency on every FMA port, on 1 and on 2 threads,
// and prints the GFLOP/s reached: the ceiling a matmul can approach. AVX2
// (8 lanes) always; AVX-512 (16 lanes) where the CPU has it.
//
//   fma-peak [seconds-per-measurement]
//
//===----------------------------------------------------------------------===//

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {
constexpr int kChains = 12;
constexpr long kIterations = 1 << 22;

__attribute__((target("avx2,fma"))) float avx2Chains(long iterations) {
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm256_set1_ps(1.0f + c);
  const __m256 scale = _mm256_set1_ps(0.999999f);
  const __m256 add = _mm256_set1_ps(1e-6f);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm256_fmadd_ps(acc[c], scale, add);
  float sum = 0;
  for (int c = 0; c < kChains; ++c) {
    float lanes[8];
    _mm256_storeu_ps(lanes, acc[c]);
    for (float lane : lanes)
      sum += lane;
  }
  return sum;
}

__attribute__((target("avx512f"))) float avx512Chains(long iterations) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm512_set1_ps(1.0f + c);
  const __m512 scale = _mm512_set1_ps(0.999999f);
  const __m512 add = _mm512_set1_ps(1e-6f);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm512_fmadd_ps(acc[c], scale, add);
  float sum = 0;
  for (int c = 0; c < kChains; ++c) {
    float lanes[16];
    _mm512_storeu_ps(lanes, acc[c]);
    for (float lane : lanes)
      sum += lane;
  }
  return sum;
}

/// GFLOP/s of `kernel` (`lanes` wide) run by `threads` threads at once.
double measure(float (*kernel)(long), int lanes, int threads) {
  std::vector<std::thread> workers;
  std::vector<float> sinks(threads);
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] { sinks[t] = kernel(kIterations); });
  for (std::thread &w : workers)
    w.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  volatile float keep = 0;
  for (float s : sinks)
    keep = keep + s;
  double flops = 2.0 * lanes * kChains * double(kIterations) * threads;
  return flops / seconds / 1e9;
}

/// The best of a few measurements: the machine is shared.
double best(float (*kernel)(long), int lanes, int threads) {
  double result = 0;
  for (int repeat = 0; repeat < 5; ++repeat)
    result = std::max(result, measure(kernel, lanes, threads));
  return result;
}
} // namespace

int main() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::fprintf(stderr, "fma-peak: this CPU has no AVX2 and FMA\n");
    return 1;
  }
  for (int threads : {1, 2}) {
    std::printf("fma peak, %d thread(s): AVX2 %.1f GFLOP/s", threads,
                best(avx2Chains, 8, threads));
    if (__builtin_cpu_supports("avx512f"))
      std::printf(", AVX-512 %.1f GFLOP/s", best(avx512Chains, 16, threads));
    std::printf("\n");
  }
  return 0;
}
