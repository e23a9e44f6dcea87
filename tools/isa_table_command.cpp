// `axon-synth isa table`: instantiates each spec op on symbolic operands (the `...` batch takes
// as many dims as make the op at least two-dimensional), expands it into granular computations,
// and asks synth/ to cover each one with the target's instructions.
#include "tools/isa_table_command.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "ir/error.h"
#include "ir/spec_instantiate.h"
#include "ir/spec_library.h"
#include "isa/isa.h"
#include "smt/proof_cache.h"
#include "synth/isel_cache.h"
#include "synth/select_instructions.h"

namespace axon {

namespace {

struct OpProgram {
  std::string title; // "softmax(x: [B0, N])"
  IndexProgram program;
};

OpProgram instantiate(const SpecOp& op) {
  const SourceFile& src = *op.src;
  size_t fixed = 0;
  for (auto& p : op.ast.params) {
    size_t n = 0;
    for (auto& d : p.pattern.shape)
      n += d->kind != AstExpr::Kind::Ellipsis;
    fixed = std::max(fixed, n);
  }
  size_t batch = fixed >= 2 ? 0 : 2 - fixed;
  std::map<std::string, std::optional<int64_t>> dims;
  std::vector<SpecOperand> operands;
  std::vector<TensorDecl> decls;
  std::string title = op.name() + "(";
  for (auto& p : op.ast.params) {
    SpecOperand o;
    o.ssa = p.name;
    o.loc = p.loc;
    o.sort = p.pattern.dtype == "bool" ? Sort::Bool : Sort::Real;
    std::string shape;
    for (auto& d : p.pattern.shape) {
      std::vector<std::string> names;
      if (d->kind == AstExpr::Kind::Ellipsis)
        for (size_t b = 0; b < batch; ++b)
          names.push_back("B" + std::to_string(b));
      else if (d->kind == AstExpr::Kind::Name)
        names.push_back(d->text);
      for (auto& n : names) {
        o.shape.push_back(ExprNode::dim_var(n));
        dims[n] = std::nullopt;
        shape += (shape.empty() ? "" : ", ") + n;
      }
      if (d->kind == AstExpr::Kind::Number) {
        o.shape.push_back(ExprNode::int_const(static_cast<int64_t>(d->number())));
        shape += (shape.empty() ? "" : ", ") + d->text;
      }
    }
    title += (operands.empty() ? "" : ", ") + p.name + ": " + (o.sort == Sort::Bool ? "bool" : "") +
             "[" + shape + "]";
    TensorDecl t;
    t.name = p.name;
    t.dtype = o.sort == Sort::Bool ? DType::Bool : DType::F32;
    t.shape = o.shape;
    t.role = TensorRole::Input;
    decls.push_back(t);
    operands.push_back(std::move(o));
  }
  std::vector<std::pair<std::string, AttrValue>> attrs;
  for (auto& [k, v] : op.ast.when) {
    attrs.push_back({k, v});
    title += std::string("; ") + k + " = \"" + v + "\"";
  }
  for (auto& a : op.ast.attrs)
    if (!a.default_value)
      attrs.push_back({a.name, 1.0});
  title += ")";
  SpecBinding b = bind_spec(op.name(), {&op}, operands, attrs, src, op.ast.loc);
  std::vector<TensorDecl> temps;
  std::vector<IndexStmt> stmts = expand_spec(b, operands, "out", op.ast.loc, temps);
  for (auto& t : temps)
    decls.push_back(t);
  TensorDecl out;
  out.name = "out";
  out.shape = b.result_shape;
  out.role = TensorRole::Output;
  for (auto& s : stmts)
    if (s.out == "out" && s.value->sort() == Sort::Bool)
      out.dtype = DType::Bool;
  decls.push_back(out);
  return {title, IndexProgram::make(dims, decls, stmts)};
}

std::string fmt_ns(double ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", ns);
  return buf;
}

nlohmann::json selection_json(const Selection& s) {
  nlohmann::json j;
  j["statement"] = s.statement;
  j["found"] = s.found;
  j["stats"] = {{"goals", s.stats.goals},
                {"candidates", s.stats.candidates},
                {"numeric_rejected", s.stats.numeric_rejected},
                {"proofs", s.stats.proofs},
                {"proven", s.stats.proven},
                {"refuted", s.stats.refuted},
                {"unknown", s.stats.unknown},
                {"seconds", s.seconds}};
  if (!s.found) {
    j["reason"] = s.reason;
    return j;
  }
  j["cost_ns"] = s.cost_ns;
  j["tile_elements"] = s.tile_elements;
  j["instructions"] = nlohmann::json::array();
  for (auto& i : s.instrs)
    j["instructions"].push_back(isel::instr_to_json(i));
  if (s.cover)
    j["cover"] = cover_to_json(*s.cover);      // the same instructions as data (synth/isel_cover.h)
  j["alternatives"] = nlohmann::json::array(); // other layouts; Selection::alternatives[1...]
  for (size_t a = 1; a < s.alternatives.size(); ++a)
    j["alternatives"].push_back(cover_to_json(*s.alternatives[a]));
  return j;
}

} // namespace

int isa_table_command(const IsaTableOptions& opts, std::ostream& out, std::ostream& err) {
  auto t0 = std::chrono::steady_clock::now();
  Isa isa = load_isa(opts.isa);
  const SpecLibrary& lib = SpecLibrary::builtin();
  if (!opts.op.empty() && !lib.has(opts.op))
    user_error("error: --op " + opts.op + ": no such op in specs/");
  SelectOptions so;
  so.max_instructions = opts.max_instructions;
  so.prove.use_cache = !opts.no_cache;
  so.prove.cache_dir = opts.cache_dir;
  if (!opts.no_cache)
    so.cache_dir = (opts.cache_dir.empty() ? smt::default_cache_dir() : opts.cache_dir) + "/isel";
  size_t stmts = 0, covered = 0, ops = 0, proofs = 0, cached = 0;
  nlohmann::json jops = nlohmann::json::array();
  if (!opts.json)
    out << "instruction synthesis for " << isa.name << " (" << opts.isa << ", "
        << isa.instructions.size() << " instructions, sequences of at most "
        << opts.max_instructions << ")\n";
  for (const auto& name : lib.names()) {
    if (!opts.op.empty() && name != opts.op)
      continue;
    for (const SpecOp* op : lib.overloads(name)) {
      ++ops;
      OpProgram p = instantiate(*op);
      nlohmann::json jop = {{"op", p.title}, {"statements", nlohmann::json::array()}};
      if (!opts.json)
        out << "\n" << p.title << "\n";
      double op_ns = 0;
      bool all = true;
      for (size_t i = 0; i < p.program.stmts().size(); ++i) {
        Selection s = select_instructions(p.program, i, isa, so);
        ++stmts;
        proofs += s.stats.proofs;
        cached += s.stats.cached;
        if (s.found) {
          ++covered;
          op_ns += s.cost_ns;
        } else {
          all = false;
        }
        if (opts.json) {
          jop["statements"].push_back(selection_json(s));
          continue;
        }
        std::string text = to_string(s);
        // Indent every line of the rendering under its op.
        std::string indented = "  ";
        for (size_t k = 0; k < text.size(); ++k) {
          indented += text[k];
          if (text[k] == '\n' && k + 1 < text.size())
            indented += "  ";
        }
        out << indented;
      }
      if (all)
        jop["cost_ns"] = op_ns;
      if (!opts.json)
        out << "  => " << (all ? "total " + fmt_ns(op_ns) + " ns per tile" : "not covered") << "\n";
      jops.push_back(jop);
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opts.json) {
    nlohmann::json j = {{"schema_version", 1}, {"isa", isa.name},     {"isa_hash", isa_hash(isa)},
                        {"ops", jops},         {"statements", stmts}, {"covered", covered},
                        {"cached", cached},    {"seconds", secs}};
    out << j.dump(2) << "\n";
  } else {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", secs);
    out << "\n"
        << covered << " of " << stmts << " granular computations of " << ops << " ops covered; "
        << proofs << " proofs; " << cached << " from the selection cache; " << buf << " s\n";
  }
  (void)err;
  return 0;
}

} // namespace axon
