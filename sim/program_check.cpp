// Legality of an NPU program held in memory. Order: tensors, buffers, instructions; within an
// instruction: engine and queue, parameters, operands (existence, tile bounds, dims, placement),
// the ISA's own check of the use (cached per distinct use), `after` edges. Address arithmetic is
// done in 128 bits, so no tile of a broken program can wrap into range.
#include "sim/program_check.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "sim/program_uses.h"
#include "sim/sim_limits.h"

namespace axon {

namespace {

struct Stop {}; // thrown once enough diagnostics are collected

std::string str128(__int128 v) {
  if (v >= INT64_MIN && v <= INT64_MAX)
    return std::to_string(static_cast<int64_t>(v));
  return std::string(v < 0 ? "-" : "") + "more than 2^63";
}

class Checker {
public:
  Checker(const NpuProgram& p, const Isa& isa, size_t max) : p_(p), isa_(isa), max_(max) {}

  std::vector<NpuDiagnostic> run() {
    try {
      tensors();
      buffers();
      for (size_t k = 0; k < p_.instrs.size(); ++k)
        instr(p_.instrs[k], "/instrs/" + std::to_string(k), static_cast<int>(k));
    } catch (const Stop&) {
    }
    return std::move(out_);
  }

private:
  // Records a violation; returns false so that callers can skip dependent checks.
  bool bad(const std::string& ptr, const std::string& msg) {
    out_.push_back({ptr, msg});
    if (out_.size() >= max_)
      throw Stop{};
    return false;
  }

  bool in_range(int64_t v) const {
    return v >= -sim_limits::kMaxInteger && v <= sim_limits::kMaxInteger;
  }

  void tensors() {
    __int128 elems = 0, bytes = 0;
    const MemoryLevel* dram = isa_.find_memory(p_.hbm_memory);
    if (!p_.tensors.empty() && !dram)
      bad("/tensors", "target '" + isa_.name + "' has no device memory (a memory of kind dram)");
    for (size_t i = 0; i < p_.tensors.size(); ++i) {
      const HbmTensor& h = p_.tensors[i];
      std::string ptr = "/tensors/" + std::to_string(i);
      name(h.name, ptr + "/name");
      if (h.shape.empty()) {
        bad(ptr + "/shape", "expected a non-empty array of sizes");
        continue;
      }
      __int128 n = 1;
      bool ok = true;
      for (size_t d = 0; d < h.shape.size() && ok; ++d) {
        if (h.shape[d] < 1)
          ok = bad(ptr + "/shape/" + std::to_string(d), "sizes must be >= 1");
        else if ((n *= h.shape[d]) > limits::kMaxExtent)
          ok = bad(ptr + "/shape",
                   "tensor '" + h.name + "' has more than 2^40 elements (kMaxExtent)");
      }
      if (!ok)
        continue;
      elems += n;
      if (elems > sim_limits::kMaxTensorElements)
        bad(ptr + "/shape", "the tensors up to '" + h.name +
                                "' hold more than 2^40 elements in all (kMaxTensorElements)");
      bytes += n * dtype_bytes(h.dtype);
      if (dram && dram->capacity_bytes > 0 && bytes > dram->capacity_bytes)
        bad(ptr, "the tensors up to '" + h.name + "' need " + str128(bytes) + " bytes; " +
                     dram->name + " has " + std::to_string(dram->capacity_bytes));
    }
  }

  void name(const std::string& n, const std::string& ptr) {
    if (n.empty())
      bad(ptr, "empty name");
    else if (!names_.insert(n).second)
      bad(ptr, "name '" + n + "' is used twice (tensors and buffers share one namespace)");
  }

  void buffers() {
    for (size_t i = 0; i < p_.buffers.size(); ++i) {
      const Buffer& buf = p_.buffers[i];
      std::string ptr = "/buffers/" + std::to_string(i);
      name(buf.name, ptr + "/name");
      const MemoryLevel* m = isa_.find_memory(buf.memory);
      if (!m) {
        bad(ptr + "/memory", "target '" + isa_.name + "' has no memory '" + buf.memory + "'");
        continue;
      }
      if (m->kind == MemoryKind::Dram) {
        bad(ptr + "/memory",
            "'" + buf.memory + "' is device memory; declare it under \"tensors\"");
        continue;
      }
      if (!in_range(buf.partitions) || !in_range(buf.start_partition) || buf.partitions < 1 ||
          buf.start_partition < 0 || buf.start_partition + buf.partitions > m->partitions) {
        bad(ptr, "partitions [" + std::to_string(buf.start_partition) + ", " +
                     str128(static_cast<__int128>(buf.start_partition) + buf.partitions) +
                     ") are outside " + m->name + "'s " + std::to_string(m->partitions) +
                     " partitions");
        continue;
      }
      if (buf.size < 1 || buf.size > sim_limits::kMaxInteger) {
        bad(ptr + "/size", buf.size < 1 ? "expected at least 1 element per partition"
                                        : "size is outside [1, 2^40] (kMaxExtent)");
        continue;
      }
      if (buf.offset < 0 || buf.offset > sim_limits::kMaxInteger) {
        bad(ptr + "/offset", buf.offset < 0 ? "offsets are >= 0"
                                            : "offset is outside [0, 2^40] (kMaxExtent)");
        continue;
      }
      int64_t bytes = buf.size * dtype_bytes(buf.dtype);
      if (buf.offset + bytes > m->partition_bytes) {
        bad(ptr, m->name + " bytes per partition exceeded: buffer '" + buf.name +
                     "' needs bytes [" + std::to_string(buf.offset) + ", " +
                     std::to_string(buf.offset + bytes) + ") of each partition; " + m->name +
                     " has " + std::to_string(m->partition_bytes) + " bytes per partition");
        continue;
      }
      for (size_t k = 0; k < i; ++k) {
        const Buffer& o = p_.buffers[k];
        if (o.memory != buf.memory || !placed_[k])
          continue;
        bool parts = o.start_partition < buf.start_partition + buf.partitions &&
                     buf.start_partition < o.start_partition + o.partitions;
        int64_t ob = o.size * dtype_bytes(o.dtype);
        bool overlap = o.offset < buf.offset + bytes && buf.offset < o.offset + ob;
        if (parts && overlap)
          bad(ptr, "buffer '" + buf.name + "' overlaps buffer '" + o.name + "' in " + m->name);
      }
      placed_.resize(p_.buffers.size(), false);
      placed_[i] = true;
    }
    placed_.resize(p_.buffers.size(), false);
  }

  // Bounds of one tile; false (after a diagnostic) when it is unusable. For HBM tiles the
  // partition pair is "ap/0" and free dim d is "ap/(d+1)", as in the file.
  bool tile(const NpuInstr& x, const Tile& t, const std::string& ptr) {
    int hbm_shift = t.in_hbm ? 1 : 0;
    if (t.in_hbm ? (t.object < 0 || t.object >= static_cast<int>(p_.tensors.size()))
                 : (t.object < 0 || t.object >= static_cast<int>(p_.buffers.size())))
      return bad(ptr, x.where() + ": the tile names no declared " +
                          std::string(t.in_hbm ? "tensor" : "buffer"));
    if (!t.in_hbm && !placed_[static_cast<size_t>(t.object)])
      return bad(ptr, x.where() + ": the tile's buffer '" + p_.buffers[t.object].name +
                          "' is not legal");
    if (t.ap.empty())
      return bad(ptr, "expected [[stride, count], ...]");
    for (int64_t v : {t.p0, t.np, t.pstride, t.offset})
      if (!in_range(v))
        return bad(ptr, "integer " + std::to_string(v) + " is outside [-2^40, 2^40] (kMaxExtent)");
    for (size_t d = 0; d < t.ap.size(); ++d) {
      std::string dp = ptr + "/ap/" + std::to_string(d + hbm_shift);
      if (!in_range(t.ap[d].stride) || !in_range(t.ap[d].count))
        return bad(dp, "integer is outside [-2^40, 2^40] (kMaxExtent)");
      if (t.ap[d].count < 1)
        return bad(dp + "/1", "counts are >= 1");
    }
    if (t.np < 1) {
      if (t.in_hbm)
        return bad(ptr + "/ap/0/1", "counts are >= 1");
      const Buffer& b = p_.buffers[t.object];
      return bad(ptr, "partitions [" + std::to_string(t.p0) + ", " + std::to_string(t.p0 + t.np) +
                          ") are outside buffer '" + b.name + "' (" +
                          std::to_string(b.partitions) + " partitions)");
    }
    // Lowest and highest element reached, relative to the offset (128-bit: cannot wrap).
    __int128 lo = 0, hi = 0;
    auto add = [&](int64_t stride, int64_t count) {
      (stride >= 0 ? hi : lo) += static_cast<__int128>(stride) * (count - 1);
    };
    if (t.in_hbm)
      add(t.pstride, t.np);
    for (const auto& d : t.ap)
      add(d.stride, d.count);
    if (t.in_hbm) {
      const HbmTensor& h = p_.tensors[t.object];
      int64_t numel = h.numel();
      if (t.offset + lo < 0 || t.offset + hi >= numel)
        return bad(ptr, "the access pattern reaches elements [" + str128(t.offset + lo) + ", " +
                            str128(t.offset + hi) + "] outside tensor '" + h.name + "' of " +
                            std::to_string(numel) + " elements");
    } else {
      const Buffer& b = p_.buffers[t.object];
      if (t.p0 < 0 || t.p0 + t.np > b.partitions)
        return bad(ptr, "partitions [" + std::to_string(t.p0) + ", " +
                            std::to_string(t.p0 + t.np) + ") are outside buffer '" + b.name +
                            "' (" + std::to_string(b.partitions) + " partitions)");
      if (t.offset + lo < 0 || t.offset + hi >= b.size)
        return bad(ptr, "elements [" + str128(t.offset + lo) + ", " + str128(t.offset + hi) +
                            "] of each partition are outside buffer '" + b.name + "' (" +
                            std::to_string(b.size) + " elements)");
    }
    __int128 n = t.np;
    for (const auto& d : t.ap)
      if ((n *= d.count) > sim_limits::kMaxTileElements)
        return bad(ptr, "the tile has more than " + std::to_string(sim_limits::kMaxTileElements) +
                            " elements (kMaxTileElements)");
    return true;
  }

  void set_dim(const NpuInstr& x, InstrUse& use, const std::string& dim, int64_t v,
               const std::string& who, const std::string& ptr, bool& ok) {
    auto [it, fresh] = use.dims.emplace(dim, v);
    if (!fresh && it->second != v)
      ok = bad(ptr, x.where() + ": dimension " + dim + " is " + std::to_string(it->second) +
                        " elsewhere but " + std::to_string(v) + " in '" + who + "'");
  }

  // Tile rules that depend on where a buffer lies: partition starts and bank boundaries.
  void placement(const NpuInstr& x, const std::string& who, const Tile& t,
                 const std::string& ptr) {
    if (t.in_hbm)
      return;
    const Buffer& b = p_.buffers[t.object];
    const MemoryLevel& m = *isa_.find_memory(b.memory);
    int64_t start = b.start_partition + t.p0;
    if (!m.partition_rules.empty()) {
      const PartitionRule* rule = nullptr;
      for (const auto& r : m.partition_rules)
        if (t.np >= r.min_partitions && t.np <= r.max_partitions)
          rule = &r;
      if (!rule ||
          std::find(rule->starts.begin(), rule->starts.end(), start) == rule->starts.end()) {
        std::string starts;
        if (rule)
          for (int64_t s : rule->starts)
            starts += (starts.empty() ? "" : ", ") + std::to_string(s);
        bad(ptr, x.where() + ": partition start rule: operand '" + who + "' spans " +
                     std::to_string(t.np) + " partitions from partition " + std::to_string(start) +
                     " of " + m.name +
                     (rule ? "; a tile of that height must start at one of " + starts
                           : "; no rule allows that height"));
      }
    }
    if (m.bank_bytes > 0) {
      int64_t lo = 0, hi = 0;
      for (const auto& d : t.ap)
        (d.stride >= 0 ? hi : lo) += d.stride * (d.count - 1);
      int64_t eb = dtype_bytes(b.dtype);
      int64_t blo = b.offset + (t.offset + lo) * eb, bhi = b.offset + (t.offset + hi + 1) * eb;
      if (blo / m.bank_bytes != (bhi - 1) / m.bank_bytes)
        bad(ptr, x.where() + ": " + m.name + " bank overflow: operand '" + who +
                     "' covers bytes [" + std::to_string(blo) + ", " + std::to_string(bhi) +
                     ") of each partition, across the bank boundary at " +
                     std::to_string((blo / m.bank_bytes + 1) * m.bank_bytes) + " (banks of " +
                     std::to_string(m.bank_bytes) + " bytes)");
    }
  }

  void instr(const NpuInstr& x, const std::string& ptr, int k) {
    if (!x.instr || !x.engine) {
      bad(ptr, "instruction " + std::to_string(k) + " names no instruction or engine");
      return;
    }
    if (x.index != k)
      bad(ptr, "instruction " + std::to_string(k) + " has index " + std::to_string(x.index) +
                   "; NpuInstr::index must be its position in the program");
    const Instruction& in = *x.instr;
    if (std::find(in.engines.begin(), in.engines.end(), x.engine->name) == in.engines.end()) {
      std::string ok;
      for (const auto& e : in.engines)
        ok += (ok.empty() ? "" : ", ") + e;
      bad(ptr + "/engine", "instruction '" + in.name + "' does not run on engine '" +
                               x.engine->name + "'; it runs on " + ok);
      return;
    }
    if (x.queue < 0 || x.queue >= x.engine->queues)
      bad(ptr + "/queue", x.where() + ": queue " + std::to_string(x.queue) +
                              " does not exist; engine " + x.engine->name + " has " +
                              std::to_string(x.engine->queues) + " queue(s)");
    bool ok = true;
    InstrUse use;
    use.engine = x.engine->name;
    use.params = x.choice;
    for (const auto& prm : in.params) {
      std::string pp = ptr + "/" + prm.name;
      switch (prm.kind) {
      case ParamKind::Enum:
      case ParamKind::Flag:
        if (auto c = x.choice.find(prm.name); c != x.choice.end()) {
          if (prm.kind == ParamKind::Flag ? c->second != "true" && c->second != "false"
                                          : !prm.find_value(c->second)) {
            std::string vals;
            for (const auto& pv : prm.values)
              vals += (vals.empty() ? "" : ", ") + pv.name;
            ok = bad(pp, x.where() + ": '" + c->second + "' is not a value of '" + prm.name +
                             "'; expected one of " + vals);
          }
        }
        break;
      case ParamKind::Immediate:
        if (prm.immediate_type != "int") {
          auto r = x.reals.find(prm.name);
          if (r == x.reals.end())
            ok = bad(pp, x.where() + ": '" + prm.name + "' needs a number");
          else if (!std::isfinite(r->second))
            ok = bad(pp, "number is not finite (a double overflows past about 1.8e308)");
        }
        break;
      case ParamKind::Vector: {
        auto v = x.vectors.find(prm.name);
        if (v == x.vectors.end()) {
          ok = bad(pp, x.where() + ": missing '" + prm.name + "': a [" + prm.dim + "] tile" +
                           (prm.allows_immediate ? " or a number"
                                                 : " (this target allows no immediate here)"));
          break;
        }
        if (v->second.immediate) {
          if (!prm.allows_immediate)
            ok = bad(pp, x.where() + ": '" + prm.name +
                             "' cannot be an immediate on this target; give a [" + prm.dim +
                             "] tile");
          else if (!std::isfinite(v->second.value))
            ok = bad(pp, "number is not finite (a double overflows past about 1.8e308)");
          use.memory[prm.name] = "immediate";
          break;
        }
        const Tile& t = v->second.tile;
        if (!tile(x, t, pp)) {
          ok = false;
          break;
        }
        if (t.free_size() != 1) {
          ok = bad(pp, x.where() + ": '" + prm.name + "' is one value per partition; its tile has " +
                           std::to_string(t.free_size()) + " elements per partition");
          break;
        }
        set_dim(x, use, prm.dim, t.np, prm.name, pp, ok);
        use.memory[prm.name] = p_.memory_of(t);
        use.dtypes[prm.name] = p_.dtype_of(t);
        break;
      }
      }
    }
    for (const auto& [name, v] : x.vectors)
      if (!in.find_param(name))
        ok = bad(ptr + "/" + name, x.where() + ": '" + name + "' is not a parameter of '" +
                                       in.name + "'");
    for (const auto& [name, t] : x.operands)
      if (!in.find_operand(name))
        ok = bad(ptr + "/" + name, x.where() + ": '" + name + "' is not an operand of '" +
                                       in.name + "'");
    std::vector<std::pair<std::string, const Tile*>> placed;
    for (const auto& op : in.operands) {
      std::string pp = ptr + "/" + op.name;
      bool exists = op.when.empty() || (x.choice.count(op.when) && x.choice.at(op.when) == "true");
      auto o = x.operands.find(op.name);
      if (!exists) {
        if (o != x.operands.end())
          ok = bad(pp, x.where() + ": operand '" + op.name + "' exists only when flag '" +
                           op.when + "' is set");
        continue;
      }
      if (o == x.operands.end()) {
        ok = bad(pp, x.where() + ": missing operand '" + op.name + "'");
        continue;
      }
      const Tile& t = o->second;
      if (!tile(x, t, pp)) {
        ok = false;
        continue;
      }
      if (op.shape.size() == 1) {
        if (t.free_size() != 1) {
          ok = bad(pp, x.where() + ": operand '" + op.name + "' is [" + op.shape[0].name +
                           "], one value per partition; its tile has " +
                           std::to_string(t.free_size()) + " elements per partition");
          continue;
        }
        set_dim(x, use, op.shape[0].name, t.np, op.name, pp, ok);
      } else if (op.shape.size() == 2) {
        set_dim(x, use, op.shape[0].name, t.np, op.name, pp, ok);
        set_dim(x, use, op.shape[1].name, t.free_size(), op.name, pp, ok);
      } else {
        ok = bad(pp, x.where() + ": operand '" + op.name + "' has rank " +
                         std::to_string(op.shape.size()) +
                         "; the simulator handles [partition] and [partition, free] operands");
        continue;
      }
      use.memory[op.name] = p_.memory_of(t);
      use.dtypes[op.name] = p_.dtype_of(t);
      placement(x, op.name, t, pp);
    }
    for (const auto& prm : in.params)
      if (prm.kind == ParamKind::Vector)
        if (auto v = x.vectors.find(prm.name);
            v != x.vectors.end() && !v->second.immediate && ok)
          placement(x, prm.name, v->second.tile, ptr + "/" + prm.name);
    if (ok) {
      // Legality of the use depends only on the use: each distinct use is checked once.
      std::string key = use_key(in, use);
      auto cached = uses_.find(key);
      if (cached == uses_.end()) {
        std::vector<std::string> v = check_use(isa_, in, use);
        std::string msg;
        for (const auto& b : v)
          msg += (msg.empty() ? "" : "; ") + b;
        cached = uses_.emplace(key, msg).first;
      }
      if (!cached->second.empty())
        bad(ptr, x.where() + ": " + cached->second);
    }
    for (size_t a = 0; a < x.after.size(); ++a)
      if (x.after[a] < 0 || x.after[a] >= k)
        bad(ptr + "/after/" + std::to_string(a),
            x.where() + ": 'after' names instruction " + std::to_string(x.after[a]) +
                ", which is not an earlier instruction");
  }

  const NpuProgram& p_;
  const Isa& isa_;
  size_t max_;
  std::vector<NpuDiagnostic> out_;
  std::set<std::string> names_;
  std::vector<bool> placed_; // buffers that passed their checks (tiles may index them)
  std::unordered_map<std::string, std::string> uses_; // use key -> violations ("" if legal)
};

} // namespace

std::vector<NpuDiagnostic> check_npu_program(const NpuProgram& p, const Isa& isa,
                                             size_t max_diagnostics) {
  return Checker(p, isa, std::max<size_t>(1, max_diagnostics)).run();
}

} // namespace axon
