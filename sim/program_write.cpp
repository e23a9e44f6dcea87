// The JSON writer of NPU programs: every field written explicitly (buffer offsets, tile partitions,
// offsets and access patterns), so that loading does not depend on defaults or placement.
#include "sim/program_write.h"

#include <map>
#include <nlohmann/json.hpp>

#include "ir/error.h"
#include "sim/program_roll.h"
#include "sim/sim_limits.h"

namespace axon {

namespace {

using ojson = nlohmann::ordered_json;

const char* kind_name(HbmKind k) {
  switch (k) {
  case HbmKind::Input:
    return "input";
  case HbmKind::Output:
    return "output";
  case HbmKind::Scratch:
    return "scratch";
  }
  return "input";
}

// A JSON string literal.
std::string quoted(const std::string& v) {
  std::string s = "\"";
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += static_cast<char>(c);
    } else if (c < 0x20) {
      static const char* hex = "0123456789abcdef";
      s += "\\u00";
      s += hex[c >> 4];
      s += hex[c & 15];
    } else {
      s += static_cast<char>(c);
    }
  }
  return s + "\"";
}

// Builds one instruction's JSON text; integers that the loader reads as integers go in as holes
// (loop rolling may turn them into formulas), everything else verbatim.
class Record {
public:
  void key(const std::string& k) {
    r_.text += first_ ? "{" : ", ";
    first_ = false;
    r_.text += quoted(k) + ": ";
  }
  void str(const std::string& v) { r_.text += quoted(v); }
  void raw(const std::string& v) { r_.text += v; }
  void integer(int64_t v) {
    r_.text += kRollHole;
    r_.ints.push_back(v);
  }
  void pairs(const std::vector<ApDim>& ap, bool open) {
    for (size_t d = 0; d < ap.size(); ++d) {
      r_.text += (d == 0 && open) ? "[" : ", ";
      r_.text += "[";
      integer(ap[d].stride);
      r_.text += ", ";
      integer(ap[d].count);
      r_.text += "]";
    }
  }
  RollRecord done() {
    r_.text += "}";
    return std::move(r_);
  }
  bool first_ = true;
  RollRecord r_;
};

void tile_text(const NpuProgram& p, const Tile& t, Record& r) {
  Record inner;
  if (t.in_hbm) {
    inner.key("tensor");
    inner.str(p.tensors.at(t.object).name);
    inner.key("offset");
    inner.integer(t.offset);
    inner.key("ap");
    inner.raw("[[");
    inner.integer(t.pstride);
    inner.raw(", ");
    inner.integer(t.np);
    inner.raw("]");
    inner.pairs(t.ap, false);
    inner.raw("]");
  } else {
    inner.key("buf");
    inner.str(p.buffers.at(t.object).name);
    inner.key("p");
    inner.integer(t.p0);
    inner.key("np");
    inner.integer(t.np);
    inner.key("offset");
    inner.integer(t.offset);
    inner.key("ap");
    inner.pairs(t.ap, true);
    inner.raw("]");
  }
  RollRecord x = inner.done();
  r.raw(x.text);
  r.r_.ints.insert(r.r_.ints.end(), x.ints.begin(), x.ints.end());
}

// Names under which `after` edges reach their targets (see the header).
std::vector<std::string> reachable_names(const NpuProgram& p) {
  std::vector<std::string> names;
  for (const auto& x : p.instrs)
    names.push_back(x.name);
  for (int round = 0; round < 4; ++round) {
    std::map<std::string, int> last;
    bool renamed = false;
    for (size_t k = 0; k < p.instrs.size(); ++k) {
      for (int t : p.instrs[k].after) {
        if (t < 0 || static_cast<size_t>(t) >= k)
          internal_error("write_npu_program: " + p.instrs[k].where() +
                         " has an 'after' edge to instruction " + std::to_string(t) +
                         ", not an earlier one; check the program first");
        auto it = last.find(names[t]);
        if (names[t].empty() || it == last.end() || it->second != t) {
          names[t] = p.instrs[t].name + "@" + std::to_string(t) + std::string(round, '@');
          renamed = true;
        }
      }
      if (!names[k].empty())
        last[names[k]] = static_cast<int>(k);
    }
    if (!renamed)
      return names;
  }
  internal_error("write_npu_program: cannot name the targets of 'after' edges uniquely");
}

RollRecord instr_record(const NpuProgram& p, const NpuInstr& x,
                        const std::vector<std::string>& names) {
  const Instruction& in = *x.instr;
  Record r;
  r.key("instr");
  r.str(in.name);
  r.key("engine");
  r.str(x.engine->name);
  if (x.engine->queues > 1 || x.queue != 0) {
    r.key("queue");
    r.integer(x.queue);
  }
  if (!names[x.index].empty()) {
    r.key("name");
    r.str(names[x.index]);
  }
  if (!x.after.empty()) {
    r.key("after");
    ojson a = ojson::array();
    for (int t : x.after)
      a.push_back(names[t]);
    r.raw(a.dump());
  }
  for (const auto& prm : in.params) {
    switch (prm.kind) {
    case ParamKind::Enum:
    case ParamKind::Flag:
      if (auto c = x.choice.find(prm.name); c != x.choice.end()) {
        r.key(prm.name);
        if (prm.kind == ParamKind::Flag)
          r.raw(c->second == "true" ? "true" : "false");
        else
          r.str(c->second);
      }
      break;
    case ParamKind::Immediate:
      if (prm.immediate_type == "int") {
        if (auto c = x.choice.find(prm.name); c != x.choice.end()) {
          r.key(prm.name);
          r.integer(std::stoll(c->second));
        }
      } else if (auto v = x.reals.find(prm.name); v != x.reals.end()) {
        r.key(prm.name);
        r.raw(ojson(static_cast<double>(v->second)).dump()); // a JSON float, never a formula
      }
      break;
    case ParamKind::Vector:
      if (auto v = x.vectors.find(prm.name); v != x.vectors.end()) {
        r.key(prm.name);
        if (v->second.immediate)
          r.raw(ojson(static_cast<double>(v->second.value)).dump());
        else
          tile_text(p, v->second.tile, r);
      }
      break;
    }
  }
  for (const auto& op : in.operands)
    if (auto o = x.operands.find(op.name); o != x.operands.end()) {
      r.key(op.name);
      tile_text(p, o->second, r);
    }
  return r.done();
}

void write_list(const char* key, const std::vector<ojson>& v, bool last, std::string& out) {
  out += std::string("  \"") + key + "\": [";
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ",\n    " : "\n    ") + v[i].dump();
  out += v.empty() ? "]" : "\n  ]";
  out += last ? "\n" : ",\n";
}

} // namespace

std::string write_npu_program(const NpuProgram& p, const NpuWriteOptions& options) {
  for (const auto& x : p.instrs)
    if (!x.instr || !x.engine)
      internal_error("write_npu_program: instruction " + std::to_string(x.index) +
                     " names no instruction or engine; check the program first");
  std::vector<ojson> tensors, buffers;
  for (const auto& t : p.tensors)
    tensors.push_back(ojson{{"name", t.name},
                            {"dtype", dtype_name(t.dtype)},
                            {"shape", t.shape},
                            {"kind", kind_name(t.kind)}});
  for (const auto& b : p.buffers)
    buffers.push_back(ojson{{"name", b.name},
                            {"memory", b.memory},
                            {"dtype", dtype_name(b.dtype)},
                            {"partitions", b.partitions},
                            {"start_partition", b.start_partition},
                            {"size", b.size},
                            {"offset", b.offset}});
  std::vector<std::string> names = reachable_names(p);
  std::vector<RollRecord> flat;
  flat.reserve(p.instrs.size());
  for (const auto& x : p.instrs)
    flat.push_back(instr_record(p, x, names));
  RolledProgram program = roll_npu_program(flat, "    ", options.roll_loops ? 8 : 0);
  // Loop iterations count towards the loader's expansion limit: fall back to the flat list
  // where rolling would push a program near the limit past it.
  if (program.steps > sim_limits::kMaxExpandedSteps)
    program = roll_npu_program(flat, "    ", 0);
  std::string out = "{\n  \"schema_version\": " + std::to_string(kNpuProgramSchemaVersion) + ",\n";
  out += "  \"name\": " + ojson(p.name).dump() + ",\n";
  if (p.isa)
    out += "  \"target\": " + ojson(p.isa->name).dump() + ",\n";
  write_list("tensors", tensors, false, out);
  write_list("buffers", buffers, false, out);
  out += "  \"program\": [\n";
  out += program.text;
  out += "  ]\n}\n";
  return out;
}

} // namespace axon
