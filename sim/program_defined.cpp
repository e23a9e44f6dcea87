// Use before definition, statically: one written-mask per buffer or non-input tensor that some
// instruction reads, element for element as functional mode keeps it. A program repeats the same
// tiles many times (rotating slots, the same PSUM bank), so each distinct (tile, read or write) is
// visited once: data once written stays written, and a tile once found written stays so.
#include "sim/program_defined.h"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace axon {

namespace {

// The masks of one program beyond which the check refuses rather than allocates (bits).
constexpr int64_t kMaxMaskElements = int64_t(1) << 31;

// One bit per element; ranges set and tested a word at a time.
struct Mask {
  std::vector<uint64_t> bits;
  int64_t left = 0; // elements not yet written; 0: every read passes
  bool tracked = false;

  // The first element of [lo, lo + n) not written, or -1.
  int64_t first_unset(int64_t lo, int64_t n) const {
    for (int64_t e = lo, end = lo + n; e < end;) {
      uint64_t w = ~bits[static_cast<size_t>(e >> 6)] >> (e & 63);
      int64_t span = std::min<int64_t>(64 - (e & 63), end - e);
      if (span < 64)
        w &= (uint64_t(1) << span) - 1;
      if (w)
        return e + __builtin_ctzll(w);
      e += span;
    }
    return -1;
  }
  void set(int64_t lo, int64_t n) {
    for (int64_t e = lo, end = lo + n; e < end;) {
      int64_t span = std::min<int64_t>(64 - (e & 63), end - e);
      uint64_t m = (span == 64 ? ~uint64_t(0) : ((uint64_t(1) << span) - 1)) << (e & 63);
      uint64_t& w = bits[static_cast<size_t>(e >> 6)];
      left -= __builtin_popcountll(m & ~w);
      w |= m;
      e += span;
    }
  }
};

std::string tile_key(const Tile& t) {
  std::string k = (t.in_hbm ? "t" : "b") + std::to_string(t.object) + ":" + std::to_string(t.p0) +
                  ":" + std::to_string(t.np) + ":" + std::to_string(t.pstride) + ":" +
                  std::to_string(t.offset);
  for (const auto& d : t.ap)
    k += ":" + std::to_string(d.stride) + "x" + std::to_string(d.count);
  return k;
}

class Defined {
public:
  Defined(const NpuProgram& p, size_t max) : p_(p), max_(max) {}

  std::vector<NpuDiagnostic> run() {
    tensors_.resize(p_.tensors.size());
    buffers_.resize(p_.buffers.size());
    int64_t total = 0;
    for (const auto& x : p_.instrs)
      for_reads(x, [&](const std::string&, const Tile& t) {
        Mask& m = mask(t);
        if (m.tracked || (t.in_hbm && p_.tensors[t.object].kind == HbmKind::Input))
          return;
        m.tracked = true;
        m.left = t.in_hbm ? p_.tensors[t.object].numel()
                          : p_.buffers[t.object].partitions * p_.buffers[t.object].size;
        total += m.left;
      });
    if (total > kMaxMaskElements) {
      out_.push_back({"", "the program reads " + std::to_string(total) +
                              " elements of buffers and non-input tensors, more than the 2^31 "
                              "that the use-before-definition check tracks"});
      return std::move(out_);
    }
    for (auto* v : {&tensors_, &buffers_})
      for (Mask& m : *v)
        if (m.tracked)
          m.bits.assign(static_cast<size_t>((m.left + 63) / 64), 0);
    for (size_t k = 0; k < p_.instrs.size() && out_.size() < max_; ++k) {
      const NpuInstr& x = p_.instrs[k];
      for_reads(x, [&](const std::string& who, const Tile& t) {
        if (out_.size() < max_)
          read(x, k, who, t);
      });
      for (const auto& op : x.instr->operands)
        if (op.role == OperandRole::Out)
          if (auto o = x.operands.find(op.name); o != x.operands.end())
            write(o->second);
    }
    return std::move(out_);
  }

private:
  Mask& mask(const Tile& t) { return t.in_hbm ? tensors_[t.object] : buffers_[t.object]; }

  // Calls f(name, tile) for every tile the instruction reads.
  template <class F> void for_reads(const NpuInstr& x, F&& f) const {
    for (const auto& op : x.instr->operands) {
      auto o = x.operands.find(op.name);
      if (o == x.operands.end())
        continue;
      bool accumulates = !op.accumulate_flag.empty() && x.choice.count(op.accumulate_flag) &&
                         x.choice.at(op.accumulate_flag) == "true";
      if (op.role == OperandRole::In || accumulates)
        f(op.name, o->second);
    }
    for (const auto& [name, v] : x.vectors)
      if (!v.immediate)
        f(name, v.tile);
  }

  // Visits the tile's elements as runs (first index in the object, length): the innermost
  // access-pattern axis is one run when its stride is 1, else runs of one element.
  template <class F> bool runs(const Tile& t, F&& f) const {
    int64_t row = t.in_hbm ? t.pstride : p_.buffers[t.object].size;
    int64_t base0 = t.in_hbm ? t.offset : t.p0 * row + t.offset;
    const ApDim& in = t.ap.back();
    bool dense = in.stride == 1;
    std::vector<ApDim> outer(t.ap.begin(), t.ap.end() - (dense ? 1 : 0));
    int64_t len = dense ? in.count : 1;
    if (outer.empty())
      outer.push_back({0, 1});
    std::vector<int64_t> idx(outer.size());
    for (int64_t p = 0; p < t.np; ++p) {
      std::fill(idx.begin(), idx.end(), 0);
      int64_t base = base0 + p * row;
      for (;;) {
        int64_t e = base;
        for (size_t d = 0; d < idx.size(); ++d)
          e += idx[d] * outer[d].stride;
        if (!f(p, e, len))
          return false;
        if (!next_index(idx, outer))
          break;
      }
    }
    return true;
  }

  void read(const NpuInstr& x, size_t k, const std::string& who, const Tile& t) {
    Mask& m = mask(t);
    if (!m.tracked || m.left == 0)
      return;
    std::string key = tile_key(t);
    if (read_ok_.count(key))
      return;
    int64_t bad_p = 0, bad_e = 0;
    bool ok = runs(t, [&](int64_t p, int64_t e, int64_t n) {
      int64_t u = m.first_unset(e, n);
      if (u < 0)
        return true;
      bad_p = p;
      bad_e = u;
      return false;
    });
    if (ok) {
      read_ok_.insert(std::move(key));
      return;
    }
    std::string obj =
        t.in_hbm ? "tensor '" + p_.tensors[t.object].name + "' element " + std::to_string(bad_e)
                 : "buffer '" + p_.buffers[t.object].name + "' partition " +
                       std::to_string(p_.buffers[t.object].start_partition + t.p0 + bad_p) +
                       " element " + std::to_string(bad_e % p_.buffers[t.object].size);
    out_.push_back({"/instrs/" + std::to_string(k) + "/" + who,
                    x.where() + ": read of never-written memory: operand '" + who + "' reads " +
                        obj + ", which no earlier instruction wrote"});
  }

  void write(const Tile& t) {
    Mask& m = mask(t);
    if (!m.tracked || m.left == 0)
      return;
    std::string key = tile_key(t);
    if (!written_.insert(std::move(key)).second)
      return;
    runs(t, [&](int64_t, int64_t e, int64_t n) {
      m.set(e, n);
      return true;
    });
  }

  const NpuProgram& p_;
  size_t max_;
  std::vector<Mask> tensors_, buffers_;
  std::unordered_set<std::string> read_ok_, written_;
  std::vector<NpuDiagnostic> out_;
};

} // namespace

std::vector<NpuDiagnostic> check_defined_reads(const NpuProgram& p, size_t max_diagnostics) {
  return Defined(p, std::max<size_t>(1, max_diagnostics)).run();
}

} // namespace axon
