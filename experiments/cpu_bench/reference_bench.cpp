// Reference timings for the side-by-side CPU benchmark (scripts/bench_cpu.sh):
//   axon-bench-ref sgemm M N K    oneDNN's dnnl_sgemm, row-major, median of repeats (ms)
//   axon-bench-ref copy MIB [T]   memcpy bandwidth of a MIB-sized buffer split across T threads
//                                 (GB/s, read + write)
// oneDNN runs with the thread count of OMP_NUM_THREADS / DNNL's default; the script sets it.
#include <dnnl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char** argv) {
  if (argc >= 5 && std::string(argv[1]) == "sgemm") {
    long m = std::atol(argv[2]), n = std::atol(argv[3]), k = std::atol(argv[4]);
    std::vector<float> a(static_cast<size_t>(m * k), 0.5f), b(static_cast<size_t>(k * n), 0.25f),
        c(static_cast<size_t>(m * n));
    std::vector<double> ms;
    for (int r = 0; r < 12; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n) !=
          dnnl_success)
        return 1;
      double t =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (r >= 2)
        ms.push_back(t);
    }
    std::printf("%.4f\n", median(ms));
    return 0;
  }
  if (argc >= 3 && std::string(argv[1]) == "copy") {
    size_t bytes = static_cast<size_t>(std::atol(argv[2])) << 20;
    size_t threads = argc >= 4 ? static_cast<size_t>(std::max(1L, std::atol(argv[3]))) : 1;
    std::vector<char> src(bytes, 1), dst(bytes, 0);
    std::vector<double> gbps;
    for (int r = 0; r < 10; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      std::vector<std::thread> pool;
      size_t chunk = (bytes + threads - 1) / threads;
      for (size_t t = 0; t < threads; ++t) {
        size_t lo = std::min(bytes, t * chunk), hi = std::min(bytes, lo + chunk);
        pool.emplace_back([&, lo, hi] { std::memcpy(dst.data() + lo, src.data() + lo, hi - lo); });
      }
      for (auto& th : pool)
        th.join();
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r >= 2)
        gbps.push_back(2.0 * static_cast<double>(bytes) / s / 1e9);
      src[static_cast<size_t>(r)] = dst[bytes - 1 - static_cast<size_t>(r)];
    }
    std::printf("%.2f\n", median(gbps));
    return 0;
  }
  std::fprintf(stderr, "usage: axon-bench-ref sgemm M N K | copy MIB [THREADS]\n");
  return 2;
}
