// IndexProgram: every op expanded into granular computations `out[i...] = expr`, in SSA form
// (each tensor is written by exactly one statement). Produced by expand() from a Program, read by
// the reference interpreter, smt/, synth/ and search/.
//
// Grammar:
//   IndexProgram ::= dims: (name [= size])*  tensors: TensorDecl*  stmts: Stmt*
// A dim without a size is symbolic (allowed for proofs and ISA semantics; the interpreter needs
// every dim it touches bound).
//   TensorDecl   ::= name dtype shape: Int Expr*  role: input | output | temp
//   Stmt         ::= out[v0, ..., vr-1] = Expr      (vi range over out's shape[i])
// An in-place update of tensor `p` reads input `p` and writes output `p@1`; `updates` records
// that `p@1` is stored back into `p`'s buffer. Accumulation (`+=`) is expanded to an explicit add.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "ir/expr.h"
#include "ir/source.h"

namespace axon {

enum class TensorRole { Input, Output, Temp };
const char* role_name(TensorRole r);

struct TensorDecl {
  std::string name;
  DType dtype = DType::F32;
  std::vector<Expr> shape; // Int expressions over DimVar and IntConst
  TensorRole role = TensorRole::Temp;
  size_t rank() const { return shape.size(); }
};

struct IndexStmt {
  std::string out;               // tensor written
  std::vector<std::string> vars; // one index variable per dimension of out
  Expr value;                    // Real (or Bool for a bool tensor); free vars within `vars`
  Loc loc;                       // where it came from in the .tp (0:0 if generated)
  std::string origin;            // the op it was expanded from, e.g. "softmax" or "index"
};

class IndexProgram {
public:
  // Checked construction: names unique, every statement's vars match the out rank, every
  // access names a declared tensor with the right rank, every tensor read is an input or written
  // by an earlier statement, every output is written, SSA (one writer per tensor).
  static IndexProgram make(std::map<std::string, std::optional<int64_t>> dims,
                           std::vector<TensorDecl> tensors, std::vector<IndexStmt> stmts,
                           std::map<std::string, std::string> updates = {});

  const std::map<std::string, std::optional<int64_t>>& dims() const { return dims_; }
  const std::vector<TensorDecl>& tensors() const { return tensors_; }
  const std::vector<IndexStmt>& stmts() const { return stmts_; }
  // output name -> input name whose buffer it updates in place
  const std::map<std::string, std::string>& updates() const { return updates_; }

  const TensorDecl& tensor(const std::string& name) const; // internal_error if absent
  const TensorDecl* find_tensor(const std::string& name) const;
  std::vector<const TensorDecl*> inputs() const;
  std::vector<const TensorDecl*> outputs() const;
  // Concrete size of a shape expression under dims(); internal_error if it mentions an unbound dim.
  int64_t eval_size(const Expr& e) const;
  std::vector<int64_t> concrete_shape(const std::string& tensor) const;
  int64_t numel(const std::string& tensor) const; // elements of concrete_shape(tensor)

  // The same program with some dims rebound (for --dim overrides and small test runs).
  IndexProgram with_dims(const std::map<std::string, int64_t>& overrides) const;

private:
  std::map<std::string, std::optional<int64_t>> dims_;
  std::vector<TensorDecl> tensors_;
  std::vector<IndexStmt> stmts_;
  std::map<std::string, std::string> updates_;
};

// Readable dump: dims, declarations, then one statement per line.
std::string to_string(const IndexProgram& p);
// One statement: `out[v0, v1] = value`.
std::string to_string(const IndexStmt& s);

} // namespace axon
