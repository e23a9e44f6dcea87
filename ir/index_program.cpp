// IndexProgram: checked construction, queries and the readable dump.
#include "ir/index_program.h"

#include <set>
#include <sstream>

#include "ir/error.h"
#include "ir/ranges.h"
#include "ir/shape.h"

namespace axon {

const char* role_name(TensorRole r) {
  switch (r) {
  case TensorRole::Input:
    return "input";
  case TensorRole::Output:
    return "output";
  case TensorRole::Temp:
    return "temp";
  }
  return "?";
}

IndexProgram IndexProgram::make(std::map<std::string, std::optional<int64_t>> dims,
                                std::vector<TensorDecl> tensors, std::vector<IndexStmt> stmts,
                                std::map<std::string, std::string> updates) {
  IndexProgram p;
  p.dims_ = std::move(dims);
  p.tensors_ = std::move(tensors);
  p.stmts_ = std::move(stmts);
  p.updates_ = std::move(updates);
  std::map<std::string, const TensorDecl*> by_name;
  for (auto& t : p.tensors_) {
    AXON_CHECK(by_name.emplace(t.name, &t).second, "tensor declared twice: " + t.name);
    for (auto& d : t.shape) {
      AXON_CHECK(d->sort() == Sort::Int, "non-integer dim in " + t.name);
      visit(d, [&](const ExprNode& n) {
        AXON_CHECK(n.kind() != ExprKind::IndexVar && n.kind() != ExprKind::Access,
                   "shape of " + t.name + " uses an index");
        if (n.kind() == ExprKind::DimVar)
          AXON_CHECK(p.dims_.count(n.name()), "unknown dim " + n.name() + " in " + t.name);
      });
    }
  }
  std::set<std::string> written;
  for (auto& t : p.tensors_)
    if (t.role == TensorRole::Input)
      written.insert(t.name);
  for (auto& s : p.stmts_) {
    auto it = by_name.find(s.out);
    AXON_CHECK(it != by_name.end(), "statement writes undeclared " + s.out);
    AXON_CHECK(it->second->role != TensorRole::Input, "statement writes input " + s.out);
    AXON_CHECK(!written.count(s.out), "tensor written twice: " + s.out);
    AXON_CHECK(s.vars.size() == it->second->rank(), "rank mismatch writing " + s.out);
    AXON_CHECK(s.value->sort() == (it->second->dtype == DType::Bool ? Sort::Bool : Sort::Real),
               "value sort of " + s.out + " does not match its dtype");
    for (auto& v : free_index_vars(s.value))
      AXON_CHECK(std::find(s.vars.begin(), s.vars.end(), v) != s.vars.end(),
                 "free index " + v + " in " + s.out);
    visit(s.value, [&](const ExprNode& n) {
      if (n.kind() == ExprKind::Access) {
        auto t = by_name.find(n.name());
        AXON_CHECK(t != by_name.end(), "access to undeclared " + n.name());
        AXON_CHECK(written.count(n.name()), s.out + " reads " + n.name() + " before it is written");
        AXON_CHECK(n.args().size() == t->second->rank(), "rank mismatch reading " + n.name());
      }
      if (n.kind() == ExprKind::DimVar)
        AXON_CHECK(p.dims_.count(n.name()), "unknown dim " + n.name());
    });
    written.insert(s.out);
  }
  for (auto& t : p.tensors_)
    if (t.role == TensorRole::Output)
      AXON_CHECK(written.count(t.name), "output never written: " + t.name);
  for (auto& [out, in] : p.updates_) {
    AXON_CHECK(by_name.count(out) && by_name.count(in), "bad update " + out + " -> " + in);
    AXON_CHECK(by_name[in]->role == TensorRole::Input, "update target is not an input: " + in);
  }
  return p;
}

const TensorDecl* IndexProgram::find_tensor(const std::string& name) const {
  for (auto& t : tensors_)
    if (t.name == name)
      return &t;
  return nullptr;
}

const TensorDecl& IndexProgram::tensor(const std::string& name) const {
  const TensorDecl* t = find_tensor(name);
  AXON_CHECK(t != nullptr, "no tensor " + name);
  return *t;
}

std::vector<const TensorDecl*> IndexProgram::inputs() const {
  std::vector<const TensorDecl*> out;
  for (auto& t : tensors_)
    if (t.role == TensorRole::Input)
      out.push_back(&t);
  return out;
}

std::vector<const TensorDecl*> IndexProgram::outputs() const {
  std::vector<const TensorDecl*> out;
  for (auto& t : tensors_)
    if (t.role == TensorRole::Output)
      out.push_back(&t);
  return out;
}

int64_t IndexProgram::eval_size(const Expr& e) const {
  auto v = eval_size_checked(e, dims_,
                             [&](const std::string& why) { user_error("error: size " + why); });
  if (!v) {
    std::string unbound;
    visit(e, [&](const ExprNode& n) {
      if (n.kind() == ExprKind::DimVar && !dims_.at(n.name()))
        unbound = n.name();
    });
    user_error("dim '" + unbound + "' has no size; bind it with `where " + unbound +
               " = ...` or --dim " + unbound + "=...");
  }
  return *v;
}

std::vector<int64_t> IndexProgram::concrete_shape(const std::string& tensor_name) const {
  std::vector<int64_t> out;
  for (auto& d : tensor(tensor_name).shape)
    out.push_back(eval_size(d));
  return out;
}

int64_t IndexProgram::numel(const std::string& tensor_name) const {
  int64_t n = 1;
  for (int64_t d : concrete_shape(tensor_name))
    n *= d;
  return n;
}

IndexProgram IndexProgram::with_dims(const std::map<std::string, int64_t>& overrides) const {
  IndexProgram p = *this;
  for (auto& [k, v] : overrides) {
    if (!p.dims_.count(k))
      user_error("the program has no dim '" + k + "'");
    p.dims_[k] = v;
  }
  return p;
}

std::string to_string(const IndexStmt& s) {
  std::string t = s.out + "[";
  for (size_t i = 0; i < s.vars.size(); ++i)
    t += (i ? ", " : "") + s.vars[i];
  return t + "] = " + to_string(s.value);
}

std::string to_string(const IndexProgram& p) {
  std::ostringstream os;
  if (!p.dims().empty()) {
    os << "where ";
    bool first = true;
    for (auto& [k, v] : p.dims()) {
      os << (first ? "" : ", ") << k;
      if (v)
        os << " = " << *v;
      first = false;
    }
    os << "\n";
  }
  for (auto& t : p.tensors())
    os << role_name(t.role) << " " << t.name << ": " << dtype_name(t.dtype)
       << shape_to_string(t.shape) << "\n";
  for (auto& [out, in] : p.updates())
    os << "update " << in << " <- " << out << "\n";
  for (auto& s : p.stmts()) {
    os << to_string(s);
    if (!s.origin.empty())
      os << "    # " << s.origin;
    os << "\n";
  }
  return os.str();
}

} // namespace axon
