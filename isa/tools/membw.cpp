// axon-membw: measures the numbers that targets/avx2.json and targets/avx512.json declare for the
// machine it runs on: the core clock (from a dependent integer multiply chain, 3 cycles each),
// read and write bandwidth of each cache level and of DRAM, for one core and for all cores, and
// the peak vector FMA rate (the ceiling of any matrix product; `fma_units` in the JSON is the
// vector FMAs per cycle it implies). Results print as a table and, with --json, as one JSON object;
// docs/isa.md records them.
//
// Method: a buffer of a given size is swept repeatedly with the widest vector loads (64-byte
// with AVX-512, else 32-byte) summed into four accumulators, or written with vector stores; the
// best of several timed repetitions is kept (the least disturbed by other processes). Buffer sizes
// are chosen at half of each cache level so the data stays resident; DRAM uses 256 MiB per thread.
//
// Build: cmake --build BUILD --target axon-membw   (compiled with -O2 -march=native)
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A chain of dependent 64-bit multiplies takes 3 cycles per imul on every x86-64 core of the
// last decade (Intel since Nehalem, AMD since Zen), so multiplies per second x 3 is the clock the
// core actually runs at, turbo included. (A chain of add-immediates is not: Golden Cove folds
// them at rename and runs them faster than one per cycle.)
double measure_clock_ghz() {
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    uint64_t x = 1, m = 3;
    const uint64_t n = 100'000'000;
    auto t0 = Clock::now();
    for (uint64_t i = 0; i < n; i += 8) {
      // Eight multiplies per iteration so loop overhead runs in parallel with the chain.
      asm volatile("imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\t"
                   "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0"
                   : "+r"(x)
                   : "r"(m));
    }
    double s = seconds_since(t0);
    best = std::max(best, 3.0 * static_cast<double>(n) / s / 1e9);
  }
  return best;
}

// The widest vector the build targets: 64-byte zmm with AVX-512, else 32-byte ymm. Sweeping
// with the widest loads measures what the target's vector loads can reach.
#ifdef __AVX512F__
using Vec = __m512;
constexpr size_t kLanes = 16;
inline Vec vzero() { return _mm512_setzero_ps(); }
inline Vec vload(const float* p) { return _mm512_load_ps(p); }
inline Vec vadd(Vec a, Vec b) { return _mm512_add_ps(a, b); }
inline void vstore(float* p, Vec v) { _mm512_store_ps(p, v); }
inline Vec vset(float v) { return _mm512_set1_ps(v); }
inline Vec vfma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline float vfirst(Vec v) { return _mm512_cvtss_f32(v); }
constexpr const char* kIsa = "avx512";
#else
using Vec = __m256;
constexpr size_t kLanes = 8;
inline Vec vzero() { return _mm256_setzero_ps(); }
inline Vec vload(const float* p) { return _mm256_load_ps(p); }
inline Vec vadd(Vec a, Vec b) { return _mm256_add_ps(a, b); }
inline void vstore(float* p, Vec v) { _mm256_store_ps(p, v); }
inline Vec vset(float v) { return _mm256_set1_ps(v); }
inline Vec vfma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline float vfirst(Vec v) { return _mm_cvtss_f32(_mm256_castps256_ps128(v)); }
constexpr const char* kIsa = "avx2";
#endif

// Sums the buffer with vector loads into four accumulators (to hide add latency); returns a
// value so the compiler cannot drop the loads.
float read_sweep(const float* p, size_t n_floats) {
  Vec a0 = vzero(), a1 = a0, a2 = a0, a3 = a0;
  for (size_t i = 0; i + 4 * kLanes <= n_floats; i += 4 * kLanes) {
    a0 = vadd(a0, vload(p + i));
    a1 = vadd(a1, vload(p + i + kLanes));
    a2 = vadd(a2, vload(p + i + 2 * kLanes));
    a3 = vadd(a3, vload(p + i + 3 * kLanes));
  }
  return vfirst(vadd(vadd(a0, a1), vadd(a2, a3)));
}

void write_sweep(float* p, size_t n_floats, float v) {
  Vec x = vset(v);
  for (size_t i = 0; i + 4 * kLanes <= n_floats; i += 4 * kLanes) {
    vstore(p + i, x);
    vstore(p + i + kLanes, x);
    vstore(p + i + 2 * kLanes, x);
    vstore(p + i + 3 * kLanes, x);
  }
}

// Peak f32 FLOP/s of `threads` threads, each running 12 independent vector FMA chains (more
// than latency x units on any x86 core, so the FMA ports, not the chains, set the pace). A FMA
// counts 2 FLOP per lane. Best of 3.
double fma_flops(int threads) {
  const long iters = 20000000;
  double best = 0;
  std::atomic<float> sink{0};
  for (int rep = 0; rep < 3; ++rep) {
    std::vector<std::thread> ts;
    std::vector<double> secs(static_cast<size_t>(threads));
    for (int t = 0; t < threads; ++t)
      ts.emplace_back([&, t] {
        Vec acc[12];
        for (int j = 0; j < 12; ++j)
          acc[j] = vset(static_cast<float>(j));
        Vec m = vset(1.0001f), a = vset(0.9999f);
        auto t0 = Clock::now();
        for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 12
          for (int j = 0; j < 12; ++j)
            acc[j] = vfma(acc[j], m, a);
        }
        secs[static_cast<size_t>(t)] = seconds_since(t0);
        Vec s = acc[0];
        for (int j = 1; j < 12; ++j)
          s = vadd(s, acc[j]);
        sink.store(sink.load() + vfirst(s));
      });
    for (auto& th : ts)
      th.join();
    double slowest = *std::max_element(secs.begin(), secs.end());
    best = std::max(best, static_cast<double>(iters) * 12 * kLanes * 2 * threads / slowest);
  }
  return best;
}

// Bytes per second of `threads` threads each sweeping its own buffer of `bytes`.
double bandwidth(size_t bytes, int threads, bool write) {
  const size_t n = bytes / sizeof(float);
  // Sweep enough bytes per timing that a measurement lasts ~50 ms even for L1.
  const size_t sweeps = std::max<size_t>(1, (size_t(1) << 30) / bytes / (write ? 2 : 1));
  std::vector<float*> bufs(static_cast<size_t>(threads));
  for (auto& b : bufs) {
    b = static_cast<float*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
    std::memset(b, 0, bytes);
  }
  double best = 0;
  std::atomic<float> sink{0};
  for (int rep = 0; rep < 5; ++rep) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> ts;
    std::vector<double> secs(static_cast<size_t>(threads));
    for (int t = 0; t < threads; ++t)
      ts.emplace_back([&, t] {
        float* p = bufs[static_cast<size_t>(t)];
        // Warm the buffer into this core's caches before timing.
        float acc = read_sweep(p, n);
        ready.fetch_add(1);
        while (!go.load()) {
        }
        auto t0 = Clock::now();
        for (size_t s = 0; s < sweeps; ++s) {
          if (write)
            write_sweep(p, n, static_cast<float>(s));
          else
            acc += read_sweep(p, n);
        }
        secs[static_cast<size_t>(t)] = seconds_since(t0);
        sink.store(sink.load() + acc);
      });
    while (ready.load() < threads) {
    }
    go.store(true);
    for (auto& th : ts)
      th.join();
    double slowest = *std::max_element(secs.begin(), secs.end());
    best = std::max(best,
                    static_cast<double>(bytes) * static_cast<double>(sweeps) * threads / slowest);
  }
  for (auto b : bufs)
    std::free(b);
  return best;
}

} // namespace

int main(int argc, char** argv) {
  // --json: one JSON object instead of the table; --threads N: the "all cores" column uses N
  // threads (default: every hardware thread), to model a target with fewer cores than the host.
  bool as_json = false;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") {
      as_json = true;
    } else if (a == "--threads" && i + 1 < argc) {
      cores = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: axon-membw [--json] [--threads N]\n");
      return 2;
    }
  }
  struct Level {
    const char* name;
    size_t bytes;
  };
  // Half of each level's per-core size on the machines we describe (L1D 32 KiB; L2 512 KiB on
  // Zen 3, 1 MiB on Zen 4 / Skylake-SP, so 256 KiB stays in either; L3 >= 16 MiB shared).
  const Level levels[] = {
      {"L1D", 16 << 10}, {"L2", 256 << 10}, {"L3", 4 << 20}, {"DRAM", 256 << 20}};
  double ghz = measure_clock_ghz();
  if (!as_json)
    std::printf("vectors: %s\nclock: %.2f GHz (dependent imul chain)\nthreads: %d\n", kIsa, ghz,
                cores);
  double f1 = fma_flops(1) / 1e9, fn = fma_flops(cores) / 1e9;
  if (!as_json)
    std::printf(
        "fma: %.1f GFLOP/s (1 core) %.1f GFLOP/s (%d cores); %.2f vector FMAs per cycle per core\n",
        f1, fn, cores, f1 / ghz / (2.0 * kLanes));
  std::string js = std::string("{\"vectors\": \"") + kIsa +
                   "\", \"clock_ghz\": " + std::to_string(ghz) +
                   ", \"fma_gflops_1core\": " + std::to_string(f1) +
                   ", \"fma_gflops_all\": " + std::to_string(fn) +
                   ", \"cores\": " + std::to_string(cores) + ", \"levels\": [";
  bool first = true;
  for (const auto& l : levels) {
    double r1 = bandwidth(l.bytes, 1, false) / 1e9, w1 = bandwidth(l.bytes, 1, true) / 1e9;
    double rn = bandwidth(l.bytes, cores, false) / 1e9, wn = bandwidth(l.bytes, cores, true) / 1e9;
    if (!as_json)
      std::printf("%-5s buffer %8zu KiB: read %7.1f GB/s (1 core) %7.1f GB/s (%d cores); "
                  "write %7.1f GB/s (1 core) %7.1f GB/s (%d cores); %.1f B/cycle read per core\n",
                  l.name, l.bytes >> 10, r1, rn, cores, w1, wn, cores, r1 / ghz);
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s{\"level\": \"%s\", \"buffer_bytes\": %zu, \"read_gbps_1core\": %.1f, "
                  "\"read_gbps_all\": %.1f, \"write_gbps_1core\": %.1f, \"write_gbps_all\": %.1f}",
                  first ? "" : ", ", l.name, l.bytes, r1, rn, w1, wn);
    js += buf;
    first = false;
  }
  js += "]}";
  if (as_json)
    std::printf("%s\n", js.c_str());
  return 0;
}
