// Instruction semantics: expands the `@param(args)` placeholders of the JSON statements for one
// choice of enum values and flags, wraps the statements in a .tp program that declares the
// operands, and parses it with the .tp front end. The result is an IndexProgram over the
// operands' names, which is what smt/ compares with a granular computation.
//
// Placeholder rules (docs/isa.md):
//   @e(a0, ..., an-1)  enum parameter e: its value's template with $i replaced by (ai)
//   @f(x, y)           flag f: (x) when set, (y) when not
//   name               an int immediate: replaced by its integer (tokens are whole identifiers)
// An out operand with "accumulate": F is declared `inout` and its statement becomes `+=` when F
// is set, which is how accumulating matmuls are written in .tp.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <sstream>

#include "ir/frontend.h"
#include "isa/isa.h"
#include "isa/isa_internal.h"

namespace axon {

namespace {

constexpr int kMaxPlaceholderDepth = 16;
// A template that repeats its argument, nested, grows exponentially; cap the expanded text.
constexpr size_t kMaxExpandedBytes = 1 << 16;

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const std::string& choice_of(const ParamSpec& p, const ParamChoice& choice) {
  auto it = choice.find(p.name);
  if (it == choice.end())
    return p.values.front().name;
  if (!p.find_value(it->second)) {
    std::string known;
    for (const auto& v : p.values)
      known += (known.empty() ? "" : ", ") + v.name;
    user_error("parameter '" + p.name + "' has no value '" + it->second +
               "'; expected one of: " + known);
  }
  return it->second;
}

bool flag_set(const Instruction& instr, const std::string& flag, const ParamChoice& choice) {
  if (flag.empty())
    return true;
  const ParamSpec* p = instr.find_param(flag);
  return p && choice_of(*p, choice) == "true";
}

// Expands placeholders in `text` (one statement, or an argument of an outer placeholder).
std::string expand(const std::string& text, const Instruction& instr, const ParamChoice& choice,
                   int depth) {
  if (depth > kMaxPlaceholderDepth)
    user_error("placeholders nested more than 16 levels deep");
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '@' && !ident_start(c)) {
      out += c;
      ++i;
      continue;
    }
    if (c != '@') {
      // A whole identifier: an int immediate is replaced by its value; anything else is kept.
      size_t s = i;
      while (i < text.size() && ident_char(text[i]))
        ++i;
      std::string name = text.substr(s, i - s);
      const ParamSpec* p = instr.find_param(name);
      if (p && p->kind == ParamKind::Immediate && p->immediate_type == "int") {
        auto it = choice.find(name);
        std::string v = it != choice.end() ? it->second : p->values.front().name;
        out += "(" + v + ")";
      } else {
        out += name;
      }
      continue;
    }
    size_t at = i++;
    size_t s = i;
    while (i < text.size() && ident_char(text[i]))
      ++i;
    std::string name = text.substr(s, i - s);
    if (name.empty())
      user_error("column " + std::to_string(at + 1) + ": '@' must be followed by a parameter name");
    const ParamSpec* p = instr.find_param(name);
    if (!p || (p->kind != ParamKind::Enum && p->kind != ParamKind::Flag))
      user_error("column " + std::to_string(at + 1) + ": '@" + name +
                 "' does not name an enum or flag parameter of '" + instr.name + "'");
    if (i >= text.size() || text[i] != '(')
      user_error("column " + std::to_string(i + 1) + ": expected '(' after '@" + name + "'");
    ++i;
    // Split the arguments at top-level commas; brackets and parentheses nest.
    std::vector<std::string> args(1);
    int nest = 0;
    bool closed = false;
    for (; i < text.size(); ++i) {
      char d = text[i];
      if ((d == ')' || d == ']') && nest == 0) {
        if (d == ']')
          user_error("column " + std::to_string(i + 1) + ": unbalanced ']' in '@" + name +
                     "(...)'");
        closed = true;
        ++i;
        break;
      }
      if (d == '(' || d == '[')
        ++nest;
      if (d == ')' || d == ']')
        --nest;
      if (d == ',' && nest == 0) {
        args.emplace_back();
        continue;
      }
      args.back() += d;
    }
    if (!closed)
      user_error("column " + std::to_string(at + 1) + ": '@" + name + "(' is not closed");
    if (args.size() == 1 && args[0].find_first_not_of(" \t") == std::string::npos)
      args.clear();
    if (static_cast<int>(args.size()) != p->arity)
      user_error("column " + std::to_string(at + 1) + ": '@" + name + "' takes " +
                 std::to_string(p->arity) + " argument(s), got " + std::to_string(args.size()));
    for (auto& a : args) {
      a = expand(a, instr, choice, depth + 1);
      a.erase(0, a.find_first_not_of(" \t"));
      a.erase(a.find_last_not_of(" \t") + 1);
    }
    const ParamValue* v = p->find_value(choice_of(*p, choice));
    const std::string& t = v->expr;
    std::string body;
    for (size_t k = 0; k < t.size(); ++k) {
      if (t[k] == '$' && k + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[k + 1]))) {
        size_t n = 0, e = k + 1;
        while (e < t.size() && std::isdigit(static_cast<unsigned char>(t[e])) && n < 100)
          n = n * 10 + static_cast<size_t>(t[e++] - '0');
        body += "(" + args.at(n) + ")";
        if (body.size() > kMaxExpandedBytes)
          user_error("column " + std::to_string(at + 1) + ": '@" + name +
                     "(...)' expands to more than " + std::to_string(kMaxExpandedBytes) +
                     " characters");
        k = e - 1;
      } else {
        body += t[k];
      }
    }
    out += "(" + body + ")";
    if (out.size() > kMaxExpandedBytes)
      user_error("column " + std::to_string(at + 1) + ": the statement expands to more than " +
                 std::to_string(kMaxExpandedBytes) + " characters");
  }
  return out;
}

std::string shape_text(const std::vector<DimSpec>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + shape[i].name;
  return s + "]";
}

struct Built {
  std::string text;
  std::vector<int> stmt_line; // .tp line of each JSON statement (0: skipped by its flag)
  std::vector<std::string> written;
  std::vector<size_t> written_stmt; // the statement that writes each of `written`
};

Built build(const Instruction& instr, const ParamChoice& choice) {
  for (const auto& [k, v] : choice) {
    const ParamSpec* p = instr.find_param(k);
    if (!p)
      user_error("instruction '" + instr.name + "' has no parameter '" + k + "'");
    if (p->kind == ParamKind::Enum || p->kind == ParamKind::Flag)
      choice_of(*p, choice);
    if (p->kind == ParamKind::Immediate && p->immediate_type == "int") {
      bool ok = !v.empty() && v.size() < 19;
      for (size_t i = 0; i < v.size() && ok; ++i)
        ok = std::isdigit(static_cast<unsigned char>(v[i])) ||
             (i == 0 && v[i] == '-' && v.size() > 1);
      if (!ok)
        user_error("int immediate '" + k + "' needs an integer, got '" + v + "'");
    }
    if (p->kind == ParamKind::Vector ||
        (p->kind == ParamKind::Immediate && p->immediate_type != "int"))
      user_error("parameter '" + k + "' is symbolic in the semantics and takes no value");
  }
  Built b;
  std::vector<std::string> lines;
  lines.push_back("# semantics of instruction " + instr.name);
  std::vector<std::string> dims = instr.dims();
  if (!dims.empty()) {
    std::string w = "where ";
    for (size_t i = 0; i < dims.size(); ++i)
      w += (i ? ", " : "") + dims[i];
    lines.push_back(w);
  }
  for (const auto& op : instr.operands) {
    if (!flag_set(instr, op.when, choice))
      continue;
    bool acc = op.role == OperandRole::Out && !op.accumulate_flag.empty() &&
               flag_set(instr, op.accumulate_flag, choice);
    if (op.role == OperandRole::In || acc)
      lines.push_back(std::string(acc ? "inout " : "input ") + op.name + ": " +
                      dtype_name(op.dtypes.front()) + shape_text(op.shape));
  }
  for (const auto& p : instr.params) {
    if (p.kind == ParamKind::Vector)
      lines.push_back("input " + p.name + ": " + dtype_name(p.dtypes.front()) + "[" + p.dim + "]");
    else if (p.kind == ParamKind::Immediate && p.immediate_type != "int")
      lines.push_back("input " + p.name + ": f32[]");
  }
  b.stmt_line.assign(instr.semantics.size(), 0);
  for (size_t si = 0; si < instr.semantics.size(); ++si) {
    const SemanticsStmt& st = instr.semantics[si];
    if (!flag_set(instr, st.when, choice))
      continue;
    std::string text;
    try {
      text = expand(st.text, instr, choice, 0);
    } catch (const SemanticsError&) {
      throw;
    } catch (const UserError& e) {
      throw SemanticsError(si, e.what());
    }
    // The left side `name[v0, ...] =` is rewritten with explicit extents from the operand's
    // shape, so statements like memset's `out[p, f] = value` have sized index ranges.
    size_t i = 0;
    auto skip = [&] {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
        ++i;
    };
    auto ident = [&]() {
      skip();
      size_t s = i;
      if (i < text.size() && ident_start(text[i]))
        while (i < text.size() && ident_char(text[i]))
          ++i;
      return text.substr(s, i - s);
    };
    std::string name = ident();
    if (name.empty())
      throw SemanticsError(
          si, "expected `operand[i, ...] = expression`, starting with an out operand's name");
    const OperandSpec* op = instr.find_operand(name);
    if (!op || op->role != OperandRole::Out)
      throw SemanticsError(si, "'" + name + "' is not an out operand of '" + instr.name +
                                   "'; a statement defines one out operand");
    if (!flag_set(instr, op->when, choice))
      throw SemanticsError(si, "operand '" + name + "' exists only when flag '" + op->when +
                                   "' is set; give the statement \"when\": \"" + op->when + "\"");
    if (std::find(b.written.begin(), b.written.end(), name) != b.written.end())
      throw SemanticsError(si, "operand '" + name +
                                   "' is written twice; each out operand has one statement");
    std::vector<std::string> vars;
    skip();
    if (i < text.size() && text[i] == '[') {
      ++i;
      skip();
      if (i < text.size() && text[i] == ']') {
        ++i;
      } else {
        for (;;) {
          std::string v = ident();
          if (v.empty())
            throw SemanticsError(si,
                                 "expected an index variable in the left side of '" + name + "'");
          vars.push_back(v);
          skip();
          if (i < text.size() && text[i] == ',') {
            ++i;
            continue;
          }
          if (i < text.size() && text[i] == ']') {
            ++i;
            break;
          }
          throw SemanticsError(si, "expected ',' or ']' in the left side of '" + name + "'");
        }
      }
    }
    if (vars.size() != op->shape.size())
      throw SemanticsError(si, "'" + name + "' has rank " + std::to_string(op->shape.size()) +
                                   " (shape " + shape_text(op->shape) +
                                   ") but the statement indexes it with " +
                                   std::to_string(vars.size()) + " variable(s)");
    skip();
    if (i >= text.size() || text[i] != '=' || (i + 1 < text.size() && text[i + 1] == '='))
      throw SemanticsError(si, "expected '=' after the left side `" + name + "[...]`");
    ++i;
    std::string rhs = text.substr(i);
    bool acc = !op->accumulate_flag.empty() && flag_set(instr, op->accumulate_flag, choice);
    std::string lhs = (acc ? "" : "output ") + name;
    lhs += "[";
    for (size_t k = 0; k < vars.size(); ++k)
      lhs += (k ? ", " : "") + vars[k] + ": " + op->shape[k].name;
    lhs += "]";
    lines.push_back(lhs + (acc ? " +=" : " =") + rhs);
    b.stmt_line[si] = static_cast<int>(lines.size());
    b.written.push_back(name);
    b.written_stmt.push_back(si);
  }
  for (const auto& op : instr.operands)
    if (op.role == OperandRole::Out && flag_set(instr, op.when, choice) &&
        std::find(b.written.begin(), b.written.end(), op.name) == b.written.end())
      throw SemanticsError(SIZE_MAX,
                           "out operand '" + op.name + "' is never written by the semantics");
  for (const auto& l : lines)
    b.text += l + "\n";
  return b;
}

// Runs the front end on `b`; a diagnostic "PATH:LINE:COL: ..." is mapped back to its statement.
IndexProgram parse_built(const Instruction& instr, const Built& b) {
  const std::string path = "<semantics of " + instr.name + ">";
  try {
    return load_index_program(source_from_string(b.text, path));
  } catch (const UserError& e) {
    std::string msg = e.what();
    size_t stmt = SIZE_MAX;
    if (msg.rfind(path + ":", 0) == 0) {
      int line = std::atoi(msg.c_str() + path.size() + 1);
      for (size_t si = 0; si < b.stmt_line.size(); ++si)
        if (b.stmt_line[si] == line)
          stmt = si;
    }
    throw SemanticsError(stmt, msg);
  }
}

} // namespace

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 64 || !ident_start(s[0]))
    return false;
  return std::all_of(s.begin(), s.end(), ident_char);
}

std::string check_template_args(const std::string& templ, int arity) {
  if (templ.find('@') != std::string::npos)
    return "an enum value's template cannot contain '@' placeholders; write the expression itself";
  for (size_t k = 0; k < templ.size(); ++k) {
    if (templ[k] != '$')
      continue;
    size_t e = k + 1, n = 0;
    while (e < templ.size() && std::isdigit(static_cast<unsigned char>(templ[e])) && n < 1000)
      n = n * 10 + static_cast<size_t>(templ[e++] - '0');
    if (e == k + 1)
      return "'$' must be followed by an argument number in \"" + templ + "\"";
    if (static_cast<int>(n) >= arity)
      return "template \"" + templ + "\" uses $" + std::to_string(n) + " but the parameter takes " +
             std::to_string(arity) + " argument(s) ($0..$" + std::to_string(arity - 1) + ")";
  }
  return "";
}

std::string check_emit_template(const std::string& templ, const Instruction& instr) {
  for (size_t k = 0; k < templ.size(); ++k) {
    if (templ[k] == '{' && k + 1 < templ.size() && templ[k + 1] == '{') {
      ++k;
      continue;
    }
    if (templ[k] == '}' && k + 1 < templ.size() && templ[k + 1] == '}') {
      ++k;
      continue;
    }
    if (templ[k] == '}')
      return "unmatched '}' at column " + std::to_string(k + 1) +
             "; write '}}' for a literal brace";
    if (templ[k] != '{')
      continue;
    size_t e = templ.find('}', k);
    if (e == std::string::npos)
      return "unclosed '{' at column " + std::to_string(k + 1) + "; write '{{' for a literal brace";
    std::string name = templ.substr(k + 1, e - k - 1);
    if (!instr.find_operand(name) && !instr.find_param(name)) {
      std::string known;
      for (const auto& o : instr.operands)
        known += (known.empty() ? "" : ", ") + o.name;
      for (const auto& p : instr.params)
        known += (known.empty() ? "" : ", ") + p.name;
      return "placeholder {" + name + "} names no operand or parameter; expected one of: " + known;
    }
    k = e;
  }
  return "";
}

void validate_semantics(const Instruction& instr, const ParamChoice& choice) {
  Built b = build(instr, choice);
  IndexProgram prog = parse_built(instr, b);
  for (size_t i = 0; i < b.written.size(); ++i) {
    const std::string& name = b.written[i];
    // The front end names an accumulated inout's new version `name@1`; either is the operand.
    const TensorDecl* t = prog.find_tensor(name);
    if (!t || t->role != TensorRole::Output)
      t = prog.find_tensor(name + "@1");
    if (!t || t->role != TensorRole::Output)
      throw SemanticsError(b.written_stmt[i],
                           "out operand '" + name + "' is not an output of the parsed semantics");
    // The statement's value sort must match the operand's declared element type.
    bool want_bool = instr.find_operand(name)->dtypes.front() == DType::Bool;
    if (want_bool != (t->dtype == DType::Bool))
      throw SemanticsError(b.written_stmt[i],
                           "out operand '" + name + "' is declared " +
                               (want_bool ? "bool but its statement computes a real value"
                                          : "a real type but its statement computes a condition"));
  }
}

std::string semantics_source(const Instruction& instr, const ParamChoice& choice) {
  return build(instr, choice).text;
}

IndexProgram instruction_semantics(const Instruction& instr, const ParamChoice& choice) {
  return parse_built(instr, build(instr, choice));
}

std::string emit_text(const Instruction& instr, const std::string& backend,
                      const ParamChoice& choice, const std::map<std::string, std::string>& names) {
  auto it = instr.emit.find(backend);
  if (it == instr.emit.end())
    user_error("instruction '" + instr.name + "' has no emit template for backend '" + backend +
               "'");
  const std::string& t = it->second;
  std::string out;
  for (size_t k = 0; k < t.size(); ++k) {
    // Templates were checked on load, so braces are balanced and names known.
    if ((t[k] == '{' || t[k] == '}') && k + 1 < t.size() && t[k + 1] == t[k]) {
      out += t[k++];
      continue;
    }
    if (t[k] != '{') {
      out += t[k];
      continue;
    }
    size_t e = t.find('}', k);
    std::string name = t.substr(k + 1, e - k - 1);
    k = e;
    const ParamSpec* p = instr.find_param(name);
    if (p && (p->kind == ParamKind::Enum || p->kind == ParamKind::Flag)) {
      const ParamValue* v = p->find_value(choice_of(*p, choice));
      auto sp = v->emit.find(backend);
      out += sp != v->emit.end() ? sp->second : v->name;
      continue;
    }
    auto n = names.find(name);
    if (n == names.end()) {
      if (p && p->kind == ParamKind::Immediate && p->immediate_type == "int") {
        auto c = choice.find(name);
        out += c != choice.end() ? c->second : p->values.front().name;
        continue;
      }
      user_error("emitting '" + instr.name + "': no name given for {" + name + "}");
    }
    out += n->second;
  }
  return out;
}

std::vector<ParamChoice> all_param_choices(const Instruction& instr) {
  std::vector<ParamChoice> out{{}};
  for (const auto& p : instr.params) {
    if (p.kind != ParamKind::Enum && p.kind != ParamKind::Flag)
      continue;
    std::vector<ParamChoice> next;
    for (const auto& c : out)
      for (const auto& v : p.values) {
        ParamChoice n = c;
        n[p.name] = v.name;
        next.push_back(std::move(n));
      }
    out = std::move(next);
  }
  return out;
}

} // namespace axon
