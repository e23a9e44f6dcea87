// Canonical goals (isel_goal.h): rename bound variables apart, then rename every name by first
// occurrence in a pre-order walk of the value, the extents and the tensor shapes.
#include "synth/isel_goal.h"

#include <cctype>
#include <functional>

#include "ir/error.h"
#include "ir/inline.h"

namespace axon::isel {

namespace {

struct Renamer {
  std::map<std::string, std::string> tensor, var, dim;
  std::vector<std::string> tensor_order;

  std::string name_of(std::map<std::string, std::string>& m, const std::string& n,
                      const char* prefix) {
    auto it = m.find(n);
    if (it != m.end())
      return it->second;
    std::string c = std::string(prefix) + std::to_string(m.size());
    m.emplace(n, c);
    return c;
  }

  Expr go(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::IndexVar: {
      auto it = var.find(e->name());
      AXON_CHECK(it != var.end(), "isel: free index variable '" + e->name() + "' not in the goal");
      return ExprNode::index_var(it->second);
    }
    case ExprKind::DimVar:
      return ExprNode::dim_var(name_of(dim, e->name(), "d$"));
    case ExprKind::Access: {
      bool fresh = !tensor.count(e->name());
      std::string n = name_of(tensor, e->name(), "t$");
      if (fresh)
        tensor_order.push_back(e->name());
      std::vector<Expr> idx;
      for (auto& a : e->args())
        idx.push_back(go(a));
      return ExprNode::access(n, std::move(idx), e->sort());
    }
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin: {
      Expr ext = go(e->extent());
      std::string b = "r$" + std::to_string(bound_count++);
      var[e->name()] = b;
      Expr body = go(e->body());
      return ExprNode::reduce(e->kind(), b, ext, body);
    }
    default:
      break;
    }
    if (e->args().empty())
      return e;
    return map_args(e, [&](const Expr& a) { return go(a); });
  }
  size_t bound_count = 0;
};

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '\'';
}

} // namespace

Goal make_goal(const std::vector<std::string>& vars, const std::vector<Expr>& extents,
               const Expr& value, const std::map<std::string, TensorDecl>& decls,
               std::map<std::string, std::string>& display, size_t outer, bool ordered,
               std::vector<int> layout) {
  AXON_CHECK(vars.size() == extents.size(), "isel: one extent per variable");
  Renamer r;
  Goal g;
  g.outer = outer;
  g.ordered = ordered;
  g.layout = std::move(layout);
  for (size_t i = 0; i < vars.size(); ++i) {
    std::string c = "v$" + std::to_string(i);
    r.var[vars[i]] = c;
    g.vars.push_back(c);
    display[c] = vars[i];
  }
  Expr fresh = rename_bound_apart(value);
  // Bound variables are shown by their name before renaming apart ("j'12" -> "j").
  std::map<std::string, std::string> bound_orig;
  visit(fresh, [&](const ExprNode& n) {
    if (is_reduce(n.kind()))
      bound_orig[n.name()] = n.name().substr(0, n.name().find('\''));
  });
  g.value = r.go(fresh);
  for (auto& [orig, c] : r.var)
    if (c.rfind("r$", 0) == 0)
      display[c] = bound_orig.count(orig) ? bound_orig[orig] : orig;
  for (auto& e : extents)
    g.extents.push_back(r.go(e));
  visit(g.value, [&](const ExprNode& n) {
    if (is_reduce(n.kind()))
      g.bound_extent[n.name()] = n.extent();
  });
  for (const auto& orig : r.tensor_order) {
    auto it = decls.find(orig);
    if (it == decls.end())
      internal_error("isel: tensor '" + orig + "' read by the goal is not declared");
    TensorDecl d = it->second;
    d.name = r.tensor.at(orig);
    d.role = TensorRole::Input;
    for (auto& s : d.shape)
      s = r.go(s);
    display[d.name] = orig;
    g.tensors.push_back(std::move(d));
  }
  for (auto& [orig, c] : r.dim) {
    g.dims.push_back(c);
    display[c] = orig;
  }
  std::string k = std::to_string(outer) + (ordered ? "o" : "") + "|";
  for (int l : g.layout)
    k += std::to_string(l) + ",";
  for (size_t i = 0; i < g.vars.size(); ++i)
    k += g.vars[i] + ":" + to_string(g.extents[i]) + ",";
  k += "|";
  for (auto& t : g.tensors) {
    k += t.name + ":" + dtype_name(t.dtype) + "[";
    for (auto& s : t.shape)
      k += to_string(s) + ",";
    k += "]";
  }
  k += "|" + to_string(g.value);
  g.key = k;
  return g;
}

std::string rename_tokens(const std::string& text,
                          const std::map<std::string, std::string>& names) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!token_char(text[i]) || std::isdigit(static_cast<unsigned char>(text[i]))) {
      // A number: copy it whole so "1e5" is not read as an identifier.
      if (std::isdigit(static_cast<unsigned char>(text[i]))) {
        while (i < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '.'))
          out += text[i++];
        continue;
      }
      out += text[i++];
      continue;
    }
    size_t s = i;
    while (i < text.size() && token_char(text[i]))
      ++i;
    std::string tok = text.substr(s, i - s);
    auto it = names.find(tok);
    out += it == names.end() ? tok : it->second;
  }
  return out;
}

} // namespace axon::isel
