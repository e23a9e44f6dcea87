// CPU feature detection from cpuid leaves 1, 7 and 0x80000001, with the OS state check (xgetbv)
// that AVX and AVX-512 registers need (see cpu_features.h). Bit positions: Intel SDM vol. 2A,
// CPUID; AMD APM vol. 3, appendix E.
#include "runtime/cpu_features.h"

#include <cpuid.h>

#include <cstdint>

namespace axon::rt {

namespace {

struct Regs {
  uint32_t a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(uint32_t leaf, uint32_t sub) {
  Regs r;
  if (!__get_cpuid_count(leaf, sub, &r.a, &r.b, &r.c, &r.d))
    return Regs{};
  return r;
}

uint64_t xcr0() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}

enum Reg { A, B, C, D };
enum State { Plain, Avx, Avx512 };

struct Feature {
  const char* name;
  uint32_t leaf, sub;
  Reg reg;
  int bit;
  State state;
};

constexpr Feature kFeatures[] = {
    {"sse4.2", 1, 0, C, 20, Plain},
    {"popcnt", 1, 0, C, 23, Plain},
    {"fma", 1, 0, C, 12, Avx},
    {"avx", 1, 0, C, 28, Avx},
    {"f16c", 1, 0, C, 29, Avx},
    {"bmi", 7, 0, B, 3, Plain},
    {"avx2", 7, 0, B, 5, Avx},
    {"bmi2", 7, 0, B, 8, Plain},
    {"avx512f", 7, 0, B, 16, Avx512},
    {"avx512dq", 7, 0, B, 17, Avx512},
    {"avx512cd", 7, 0, B, 28, Avx512},
    {"avx512bw", 7, 0, B, 30, Avx512},
    {"avx512vl", 7, 0, B, 31, Avx512},
    {"avx512vnni", 7, 0, C, 11, Avx512},
    {"avx512fp16", 7, 0, D, 23, Avx512},
    {"avx512bf16", 7, 1, A, 5, Avx512},
    {"sse4a", 0x80000001, 0, C, 6, Plain},
    {"xop", 0x80000001, 0, C, 11, Avx},
    {"fma4", 0x80000001, 0, C, 16, Avx},
};

bool os_saves(State s) {
  if (s == Plain)
    return true;
  Regs one = cpuid(1, 0);
  if (!(one.c & (1u << 27)))
    return false; // OSXSAVE: the OS manages extended state
  uint64_t x = xcr0();
  bool avx = (x & 0x6) == 0x6; // SSE and AVX state
  if (s == Avx)
    return avx;
  return avx && (x & 0xe0) == 0xe0; // opmask, ZMM0-15 upper halves, ZMM16-31
}

} // namespace

int cpu_supports(const std::string& feature) {
  for (const Feature& f : kFeatures) {
    if (feature != f.name)
      continue;
    if (cpu_feature_hidden(feature))
      return 0;
    uint32_t max_leaf = __get_cpuid_max(f.leaf & 0x80000000u, nullptr);
    if (max_leaf < f.leaf)
      return 0;
    if (f.leaf == 7 && f.sub > 0 && cpuid(7, 0).a < f.sub)
      return 0;
    Regs r = cpuid(f.leaf, f.sub);
    uint32_t v = f.reg == A ? r.a : f.reg == B ? r.b : f.reg == C ? r.c : r.d;
    return ((v >> f.bit) & 1) && os_saves(f.state) ? 1 : 0;
  }
  return -1;
}

const std::vector<std::string>& known_cpu_features() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Feature& f : kFeatures)
      v.push_back(f.name);
    return v;
  }();
  return names;
}

} // namespace axon::rt
