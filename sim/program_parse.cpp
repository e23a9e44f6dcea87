// Parses the JSON form of an NPU program (docs/npu-program.md) into an NpuProgram: resolves
// names, expands `loop` blocks (integer fields may be formulas of the loop variables, in the
// cost-formula syntax of isa/cost_expr.h), places buffers without an offset, and bounds every
// integer and the expansion (sim/sim_limits.h). Legality is not judged here but by
// check_npu_program (sim/program_check.h), which the loader runs next.
#include "sim/program_parse.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "ir/error.h"
#include "ir/json_reader.h"
#include "ir/limits.h"
#include "sim/json_error_place.h"
#include "sim/sim_limits.h"

namespace axon {

using json = nlohmann::json;

namespace {

// Fields allowed in each kind of JSON object.
const std::set<std::string> kTopKeys = {"schema_version", "name",    "description", "target",
                                        "tensors",        "buffers", "program"};
const std::set<std::string> kTensorKeys = {"name", "dtype", "shape", "kind", "comment"};
const std::set<std::string> kBufferKeys = {
    "name", "memory", "dtype", "partitions", "start_partition", "size", "offset", "comment"};
const std::set<std::string> kLoopKeys = {"loop", "count", "body", "comment"};
const std::set<std::string> kHbmTileKeys = {"tensor", "offset", "ap"};
const std::set<std::string> kTileKeys = {"buf", "p", "np", "offset", "n", "ap"};
const std::set<std::string> kInstrKeys = {"instr", "engine", "queue", "name", "after", "comment"};

class Parser {
public:
  Parser(const Isa& isa, std::string path) : isa_(isa), path_(std::move(path)) {}

  ParsedNpuProgram parse(const std::string& text) {
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::exception& e) {
      // Syntax errors and numbers past a double (1e400): name the JSON pointer of the value.
      JsonErrorPlace at = locate_json_error(text);
      fail(at.pointer, "not valid JSON at byte " + std::to_string(at.byte) + ": " +
                           (e.id == 406 ? "a number overflows a double (" + at.token + ")"
                                        : std::string(e.what())));
    }
    if (!doc.is_object())
      fail("", "expected a JSON object with \"tensors\", \"buffers\" and \"program\"");
    only(doc, "", kTopKeys,
         "unknown field; expected schema_version, name, description, target, tensors, buffers, "
         "program");
    if (!doc.contains("schema_version") || doc["schema_version"] != kNpuProgramSchemaVersion)
      fail("/schema_version",
           "expected \"schema_version\": " + std::to_string(kNpuProgramSchemaVersion));
    if (doc.contains("target") && str(doc["target"], "/target") != isa_.name)
      fail("/target", "the program is for target '" + doc["target"].get<std::string>() +
                          "' but the ISA is '" + isa_.name + "'");
    p_.isa = &isa_;
    p_.path = path_;
    p_.name = doc.contains("name") ? str(doc["name"], "/name") : std::string();
    for (const auto& m : isa_.memories)
      if (m.kind == MemoryKind::Dram && p_.hbm_memory.empty())
        p_.hbm_memory = m.name;
    if (doc.contains("tensors"))
      load_tensors(doc["tensors"]);
    if (doc.contains("buffers"))
      load_buffers(doc["buffers"]);
    if (!doc.contains("program") || !doc["program"].is_array())
      fail("/program", "expected an array of instructions");
    static_steps(doc["program"], "/program", 0);
    std::map<std::string, int64_t> env;
    load_block(doc["program"], "/program", env);
    return {std::move(p_), std::move(instr_ptrs_)};
  }

private:
  [[noreturn]] void fail(const std::string& ptr, const std::string& msg) const {
    user_error(path_ + ": " + (ptr.empty() ? std::string() : ptr + ": ") + msg);
  }

  // The reader of the value j at ptr (ir/json_reader.h), reporting through fail().
  JsonAt<json> at(const json& j, const std::string& ptr) const { return {j, ptr, report_}; }

  // Fails with `message` at the first member of object j whose name `keys` lacks.
  void only(const json& j, const std::string& ptr, const std::set<std::string>& keys,
            const std::string& message) const {
    JsonAt<json> v = at(j, ptr);
    if (auto k = v.unknown_member(keys))
      v.fail_at(v.at(*k), message);
  }

  std::string str(const json& j, const std::string& ptr) const {
    return at(j, ptr).string("expected a string");
  }

  // An integer in [-kMaxInteger, kMaxInteger]: a JSON integer, or a formula of the enclosing loop
  // variables (at most kMaxFormulaChars characters and kMaxExprDepth operators, parentheses and
  // calls, checked before the formula parser sees it).
  int64_t integer(const json& j, const std::string& ptr,
                  const std::map<std::string, int64_t>& env) {
    constexpr int64_t kMax = sim_limits::kMaxInteger;
    const std::string range = "[-2^40, 2^40]";
    double v;
    if (j.is_number_unsigned()) {
      if (j.get<uint64_t>() > static_cast<uint64_t>(kMax))
        fail(ptr, "integer " + j.dump() + " is outside " + range + " (kMaxExtent)");
      return j.get<int64_t>();
    }
    if (j.is_number_integer()) {
      int64_t x = j.get<int64_t>();
      if (x < -kMax || x > kMax)
        fail(ptr, "integer " + j.dump() + " is outside " + range + " (kMaxExtent)");
      return x;
    }
    if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      // Keyed by the JSON node: a loop body's formulas are parsed once, evaluated per iteration.
      auto it = formulas_.find(&j);
      if (it == formulas_.end()) {
        check_formula_size(s, ptr);
        try {
          it = formulas_.emplace(&j, CostExpr::parse(s)).first;
        } catch (const UserError& e) {
          fail(ptr, "bad formula \"" + s + "\": " + e.what());
        }
      }
      try {
        v = it->second.eval([&](const std::string& name) -> std::optional<double> {
          auto e = env.find(name);
          if (e == env.end())
            return std::nullopt;
          return static_cast<double>(e->second);
        });
      } catch (const UserError& e) {
        fail(ptr,
             "formula \"" + s + "\": " + e.what() + " (only enclosing loop variables are defined)");
      }
    } else if (j.is_number()) {
      v = j.get<double>();
    } else {
      fail(ptr, "expected an integer or a formula string such as \"k * 128\"");
    }
    if (!std::isfinite(v) || v != std::floor(v))
      fail(ptr, "expected an integer, got " + std::to_string(v));
    if (std::fabs(v) > static_cast<double>(kMax))
      fail(ptr, "integer " + std::to_string(v) + " is outside " + range + " (kMaxExtent)");
    return static_cast<int64_t>(v);
  }

  // Long or deeply nested formulas are refused before parsing: the count of operators,
  // parentheses and calls bounds the nesting depth from above.
  void check_formula_size(const std::string& s, const std::string& ptr) const {
    if (s.size() > static_cast<size_t>(sim_limits::kMaxFormulaChars))
      fail(ptr, "formula of " + std::to_string(s.size()) + " characters (\"" + s.substr(0, 40) +
                    "...\"); the limit is " + std::to_string(sim_limits::kMaxFormulaChars) +
                    " characters (kMaxFormulaChars)");
    int64_t levels = 0;
    for (char c : s)
      if (std::strchr("+-*/<>=!&|(", c) && c != '\0')
        ++levels;
    if (levels > limits::kMaxExprDepth)
      fail(ptr, "formula with " + std::to_string(levels) + " operators, parentheses and calls (\"" +
                    s.substr(0, 40) + "...\"); the limit is " +
                    std::to_string(limits::kMaxExprDepth) + " (kMaxExprDepth)");
  }

  // A real number (immediates, scale values): JSON numbers are finite unless they overflow a
  // double (1e400 reads as infinity).
  double real(const json& j, const std::string& ptr, const std::string& what) const {
    double v = at(j, ptr).number(what);
    if (!std::isfinite(v))
      fail(ptr, "number is not finite (a double overflows past about 1.8e308)");
    return v;
  }

  DType dtype(const json& j, const std::string& ptr) const {
    auto t = parse_dtype(str(j, ptr));
    if (!t || *t == DType::Bool)
      fail(ptr, "unknown dtype " + j.dump() + "; expected f32, bf16 or f16");
    return *t;
  }

  void check_name(const std::string& n, const std::string& ptr) {
    if (n.empty())
      fail(ptr, "empty name");
    if (!names_.insert(n).second)
      fail(ptr, "name '" + n + "' is used twice (tensors and buffers share one namespace)");
  }

  void load_tensors(const json& a) {
    if (!a.is_array())
      fail("/tensors", "expected an array");
    std::map<std::string, int64_t> none;
    for (size_t i = 0; i < a.size(); ++i) {
      std::string ptr = "/tensors/" + std::to_string(i);
      const json& t = a[i];
      if (!t.is_object())
        fail(ptr, "expected an object {name, dtype, shape, kind}");
      HbmTensor h;
      h.name = str(t.value("name", json()), ptr + "/name");
      check_name(h.name, ptr + "/name");
      h.dtype = dtype(t.value("dtype", json("f32")), ptr + "/dtype");
      if (!t.contains("shape") || !t["shape"].is_array() || t["shape"].empty())
        fail(ptr + "/shape", "expected a non-empty array of sizes");
      for (size_t d = 0; d < t["shape"].size(); ++d)
        h.shape.push_back(integer(t["shape"][d], ptr + "/shape/" + std::to_string(d), none));
      std::string kind = str(t.value("kind", json("input")), ptr + "/kind");
      if (kind == "input")
        h.kind = HbmKind::Input;
      else if (kind == "output")
        h.kind = HbmKind::Output;
      else if (kind == "scratch")
        h.kind = HbmKind::Scratch;
      else
        fail(ptr + "/kind", "expected \"input\", \"output\" or \"scratch\"");
      only(t, ptr, kTensorKeys, "unknown field; expected name, dtype, shape, kind");
      p_.tensors.push_back(h);
    }
  }

  // Buffers without an offset are placed one after another in declaration order; in a banked
  // memory each starts on a bank boundary so that a tile of one bank never straddles two.
  void load_buffers(const json& a) {
    if (!a.is_array())
      fail("/buffers", "expected an array");
    std::map<std::string, int64_t> none, next;
    for (size_t i = 0; i < a.size(); ++i) {
      std::string ptr = "/buffers/" + std::to_string(i);
      const json& b = a[i];
      if (!b.is_object())
        fail(ptr, "expected an object {name, memory, dtype, partitions, size}");
      only(b, ptr, kBufferKeys,
           "unknown field; expected name, memory, dtype, partitions, start_partition, size, "
           "offset");
      Buffer buf;
      buf.name = str(b.value("name", json()), ptr + "/name");
      check_name(buf.name, ptr + "/name");
      buf.memory = str(b.value("memory", json()), ptr + "/memory");
      const MemoryLevel* m = isa_.find_memory(buf.memory);
      if (!m)
        fail(ptr + "/memory", "target '" + isa_.name + "' has no memory '" + buf.memory + "'");
      if (m->kind == MemoryKind::Dram)
        fail(ptr + "/memory",
             "'" + buf.memory + "' is device memory; declare it under \"tensors\"");
      buf.dtype = dtype(b.value("dtype", json("f32")), ptr + "/dtype");
      buf.partitions = b.contains("partitions")
                           ? integer(b["partitions"], ptr + "/partitions", none)
                           : m->partitions;
      buf.start_partition = b.contains("start_partition")
                                ? integer(b["start_partition"], ptr + "/start_partition", none)
                                : 0;
      buf.size = integer(b.value("size", json()), ptr + "/size", none);
      int64_t bytes = buf.size * dtype_bytes(buf.dtype);
      int64_t& bump = next[m->name];
      if (b.contains("offset")) {
        buf.offset = integer(b["offset"], ptr + "/offset", none);
      } else {
        if (m->bank_bytes > 0)
          bump = (bump + m->bank_bytes - 1) / m->bank_bytes * m->bank_bytes;
        buf.offset = bump;
      }
      if (bytes > 0)
        bump = std::max(bump, buf.offset + bytes);
      p_.buffers.push_back(buf);
    }
  }

  void load_block(const json& a, const std::string& ptr, std::map<std::string, int64_t>& env) {
    for (size_t i = 0; i < a.size(); ++i) {
      std::string ip = ptr + "/" + std::to_string(i);
      const json& item = a[i];
      if (!item.is_object())
        fail(ip, "expected an instruction {\"instr\": ...} or a loop {\"loop\": ...}");
      if (item.contains("loop")) {
        std::string var = str(item["loop"], ip + "/loop");
        if (env.count(var))
          fail(ip + "/loop", "loop variable '" + var + "' shadows an enclosing one");
        int64_t n = integer(item.value("count", json()), ip + "/count", env);
        if (!item.contains("body") || !item["body"].is_array())
          fail(ip + "/body", "expected an array");
        only(item, ip, kLoopKeys, "unknown field of a loop; expected loop, count, body");
        for (int64_t k = 0; k < n; ++k) {
          // Every iteration costs a step even with an empty body, so nested loops of nothing
          // end too.
          if (++steps_ > sim_limits::kMaxExpandedSteps)
            too_many_steps(ip, var);
          env[var] = k;
          load_block(item["body"], ip + "/body", env);
        }
        env.erase(var);
      } else {
        if (++steps_ > sim_limits::kMaxExpandedSteps)
          too_many_steps(ip, "");
        load_instr(item, ip, env);
      }
    }
  }

  // Steps (instructions and loop iterations) a block expands to, counting loops whose count is a
  // plain integer (a formula count is only known while expanding, where the running count
  // catches it): a huge loop is refused before anything is expanded, naming the innermost loop
  // that alone exceeds the limit. Also bounds the nesting of loops, which the loader recurses on.
  int64_t static_steps(const json& a, const std::string& ptr, int depth) {
    constexpr int64_t kCap = sim_limits::kMaxExpandedSteps;
    if (!a.is_array())
      return 0; // reported where the block is loaded
    int64_t total = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const json& item = a[i];
      std::string ip = ptr + "/" + std::to_string(i);
      if (!item.is_object() || !item.contains("loop")) {
        total += 1;
      } else {
        if (depth + 1 > sim_limits::kMaxLoopDepth)
          fail(ip, "loops nest more than " + std::to_string(sim_limits::kMaxLoopDepth) +
                       " deep (kMaxLoopDepth)");
        int64_t body =
            item.contains("body") ? static_steps(item["body"], ip + "/body", depth + 1) : 0;
        const json& c = item.contains("count") ? item["count"] : json();
        if (c.is_number_integer()) {
          __int128 n = c.is_number_unsigned() ? static_cast<__int128>(c.get<uint64_t>())
                                              : static_cast<__int128>(c.get<int64_t>());
          __int128 loop = n > 0 ? n * (1 + static_cast<__int128>(body)) : 0;
          if (loop > kCap)
            fail(ip, "loop '" + (item["loop"].is_string() ? item["loop"].get<std::string>() : "") +
                         "' expands to more than " + std::to_string(kCap) +
                         " instructions and loop iterations (kMaxExpandedSteps); simulate a "
                         "smaller problem or fewer, larger instructions");
          total += static_cast<int64_t>(loop);
        } else {
          // A formula count may be 0: count nothing here, the running count does the rest.
        }
      }
      if (total > kCap)
        fail(ip, "the program expands to more than " + std::to_string(kCap) +
                     " instructions and loop iterations (kMaxExpandedSteps)");
    }
    return total;
  }

  [[noreturn]] void too_many_steps(const std::string& ip, const std::string& var) const {
    fail(ip, std::string("the program expands to more than ") +
                 std::to_string(sim_limits::kMaxExpandedSteps) +
                 " instructions and loop iterations (kMaxExpandedSteps)" +
                 (var.empty() ? "" : " while expanding loop '" + var + "'") +
                 "; simulate a smaller problem or fewer, larger instructions");
  }

  Tile tile(const json& j, const std::string& ptr, const std::map<std::string, int64_t>& env) {
    if (!j.is_object())
      fail(ptr, "expected a tile {\"buf\": ...} or {\"tensor\": ...}");
    Tile t;
    auto ap_of = [&](const json& a, const std::string& ap_ptr) {
      if (!a.is_array() || a.empty())
        fail(ap_ptr, "expected [[stride, count], ...]");
      std::vector<ApDim> out;
      for (size_t d = 0; d < a.size(); ++d) {
        std::string dp = ap_ptr + "/" + std::to_string(d);
        if (!a[d].is_array() || a[d].size() != 2)
          fail(dp, "expected [stride, count]");
        ApDim x{integer(a[d][0], dp + "/0", env), integer(a[d][1], dp + "/1", env)};
        if (x.count < 1)
          fail(dp + "/1", "counts are >= 1");
        out.push_back(x);
      }
      return out;
    };
    if (j.contains("tensor")) {
      only(j, ptr, kHbmTileKeys, "unknown field of an HBM tile; expected tensor, offset, ap");
      std::string n = str(j["tensor"], ptr + "/tensor");
      const HbmTensor* h = p_.find_tensor(n);
      if (!h)
        fail(ptr + "/tensor", "no tensor '" + n + "' is declared");
      t.in_hbm = true;
      t.object = static_cast<int>(h - p_.tensors.data());
      t.offset = j.contains("offset") ? integer(j["offset"], ptr + "/offset", env) : 0;
      std::vector<ApDim> ap;
      if (j.contains("ap")) {
        ap = ap_of(j["ap"], ptr + "/ap");
      } else {
        // The whole tensor as [shape[0], rest]; a shape past its limits gives a placeholder
        // that the checker never reaches (it reports the tensor first).
        __int128 numel = 1;
        for (int64_t d : h->shape)
          numel = std::min<__int128>(numel * std::max<int64_t>(d, 1), limits::kMaxExtent + 1);
        int64_t rows = std::max<int64_t>(h->shape[0], 1);
        int64_t rest = static_cast<int64_t>(numel) / rows;
        ap = {{rest, rows}, {1, std::max<int64_t>(rest, 1)}};
      }
      t.pstride = ap[0].stride;
      t.np = ap[0].count;
      t.ap.assign(ap.begin() + 1, ap.end());
      if (t.ap.empty())
        t.ap.push_back({1, 1});
      return t;
    }
    if (!j.contains("buf"))
      fail(ptr, "a tile names a buffer (\"buf\") or an HBM tensor (\"tensor\")");
    only(j, ptr, kTileKeys, "unknown field of a tile; expected buf, p, np, offset, n or ap");
    std::string n = str(j["buf"], ptr + "/buf");
    const Buffer* b = p_.find_buffer(n);
    if (!b)
      fail(ptr + "/buf", "no buffer '" + n + "' is declared");
    t.object = static_cast<int>(b - p_.buffers.data());
    t.p0 = j.contains("p") ? integer(j["p"], ptr + "/p", env) : 0;
    t.np = j.contains("np") ? integer(j["np"], ptr + "/np", env) : b->partitions - t.p0;
    t.offset = j.contains("offset") ? integer(j["offset"], ptr + "/offset", env) : 0;
    if (j.contains("ap") && j.contains("n"))
      fail(ptr, "give either \"n\" or \"ap\", not both");
    if (j.contains("ap"))
      t.ap = ap_of(j["ap"], ptr + "/ap");
    else
      t.ap = {{1, j.contains("n") ? integer(j["n"], ptr + "/n", env) : b->size - t.offset}};
    if (t.ap[0].count < 1)
      fail(ptr, "a tile has at least one element per partition");
    return t;
  }

  // One instruction: names resolved, fields read; legality (engines, queues that exist, operand
  // presence, tile bounds, dims, placement, the ISA's rules) is the checker's.
  void load_instr(const json& j, const std::string& ptr,
                  const std::map<std::string, int64_t>& env) {
    NpuInstr x;
    x.index = static_cast<int>(p_.instrs.size());
    std::string iname = str(j.value("instr", json()), ptr + "/instr");
    x.instr = isa_.find_instruction(iname);
    if (!x.instr)
      fail(ptr + "/instr", "target '" + isa_.name + "' has no instruction '" + iname + "'");
    const Instruction& in = *x.instr;
    std::string ename =
        j.contains("engine") ? str(j["engine"], ptr + "/engine") : in.engines.front();
    x.engine = isa_.find_engine(ename);
    if (!x.engine)
      fail(ptr + "/engine", "target '" + isa_.name + "' has no engine '" + ename + "'");
    if (j.contains("name"))
      x.name = str(j["name"], ptr + "/name");
    if (j.contains("queue")) {
      // Checked here, before the narrowing to int: 2^32 + 1 must not become queue 1.
      int64_t q = integer(j["queue"], ptr + "/queue", env);
      if (q < 0 || q >= x.engine->queues)
        fail(ptr + "/queue", x.where() + ": queue " + std::to_string(q) +
                                 " does not exist; engine " + ename + " has " +
                                 std::to_string(x.engine->queues) + " queue(s)");
      x.queue = static_cast<int>(q);
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      if (kInstrKeys.count(k))
        continue;
      if (!in.find_operand(k) && !in.find_param(k)) {
        std::string ok;
        for (const auto& o : in.operands)
          ok += (ok.empty() ? "" : ", ") + o.name;
        for (const auto& p : in.params)
          ok += (ok.empty() ? "" : ", ") + p.name;
        fail(ptr + "/" + k, x.where() + ": '" + k + "' is neither an operand nor a parameter of '" +
                                iname + "'; expected " + ok);
      }
    }
    for (const auto& prm : in.params) {
      std::string pp = ptr + "/" + prm.name;
      if (!j.contains(prm.name))
        continue;
      const json& v = j[prm.name];
      switch (prm.kind) {
      case ParamKind::Enum:
        x.choice[prm.name] = str(v, pp);
        break;
      case ParamKind::Flag:
        if (!v.is_boolean())
          fail(pp, x.where() + ": flag '" + prm.name + "' takes true or false");
        x.choice[prm.name] = v.get<bool>() ? "true" : "false";
        break;
      case ParamKind::Immediate:
        if (prm.immediate_type == "int")
          x.choice[prm.name] = std::to_string(integer(v, pp, env));
        else
          x.reals[prm.name] = real(v, pp, x.where() + ": '" + prm.name + "' needs a number");
        break;
      case ParamKind::Vector: {
        VectorArg a;
        if (v.is_number()) {
          a.immediate = true;
          a.value = real(v, pp, "expected a number");
        } else {
          a.tile = tile(v, pp, env);
        }
        x.vectors[prm.name] = a;
        break;
      }
      }
    }
    for (const auto& op : in.operands)
      if (j.contains(op.name))
        x.operands[op.name] = tile(j[op.name], ptr + "/" + op.name, env);
    if (j.contains("after")) {
      if (!j["after"].is_array())
        fail(ptr + "/after", "expected an array of instruction names");
      for (size_t k = 0; k < j["after"].size(); ++k) {
        std::string n = str(j["after"][k], ptr + "/after/" + std::to_string(k));
        auto it = last_named_.find(n);
        if (it == last_named_.end())
          fail(ptr + "/after/" + std::to_string(k), "no earlier instruction is named '" + n + "'");
        x.after.push_back(it->second);
      }
    }
    if (!x.name.empty())
      last_named_[x.name] = x.index;
    p_.instrs.push_back(std::move(x));
    instr_ptrs_.push_back(ptr);
  }

  const Isa& isa_;
  std::string path_;
  // JsonAt's sink: fail()'s "PATH: /pointer: message" (the Parser is never copied).
  JsonFail report_ = [this](const std::string& ptr, const std::string& msg) { fail(ptr, msg); };
  NpuProgram p_;
  std::set<std::string> names_;
  std::vector<std::string> instr_ptrs_; // JSON pointer of each expanded instruction
  int64_t steps_ = 0; // instructions and loop iterations expanded so far (kMaxExpandedSteps)
  std::unordered_map<const json*, CostExpr> formulas_;
  std::map<std::string, int> last_named_;
};

} // namespace

ParsedNpuProgram parse_npu_program(const std::string& text, const Isa& isa,
                                   const std::string& path) {
  return Parser(isa, path).parse(text);
}

} // namespace axon
