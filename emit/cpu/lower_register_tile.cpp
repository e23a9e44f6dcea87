// Register tiles of the LLVM lowering (lower_internal.h): the output tile in vector registers
// across the reduction loop.
#include "emit/cpu/lower_internal.h"

#include "ir/error.h"

namespace axon::lowering {

// A lifted reduction whose loop has only unrolled loops and the explicit vector loop inside it:
// the output tile is loaded into accumulators before the reduction loop (or, with `identity`,
// when the tile covers the whole reduction, they start at it), updated in registers, and stored
// after it (what LICM cannot do itself, as all output accesses share one buffer).
// `epi` (vectorizable, or nullptr): the reduction's epilogue, applied to each vector of the tile
// as it is stored.
bool Lowerer::register_tile(const Nest& n, const ExprNode* red, const Expr& epi,
                            const double* identity) {
  if (!explicit_ok_ || !n.annotations.register_tile)
    return false;
  const IndexStmt& st = p_.stmts()[n.stmt];
  const std::vector<Loop>& order = n.loops.loops;
  size_t r = n.reduction_loop;
  struct Inner {
    std::string loop, var;
    int64_t trip;
    bool vector;
  };
  std::vector<Inner> inner;
  for (size_t i = r + 1; i < order.size(); ++i)
    inner.push_back({order[i].name, order[i].var, order[i].tile, i + 1 == order.size()});
  std::map<std::string, const Loop*> inner_loop;
  for (size_t i = r + 1; i < order.size(); ++i)
    inner_loop[order[i].var] = &order[i];
  const Buf& out = bufs_.at(st.out);
  int64_t w = order.back().width;
  LoopList outer;
  outer.loops.assign(order.begin(), order.begin() + static_cast<long>(r));
  outer.guards = n.loops.guards;
  const Loop& rl = order[r];
  const std::string& rloop = rl.name;
  // Every point of the tile: one value per inner loop (the vector loop steps by W).
  std::vector<std::vector<int64_t>> points = {{}};
  for (auto& in : inner) {
    std::vector<std::vector<int64_t>> next;
    for (auto& pt : points)
      for (int64_t x = 0; x < in.trip; x += in.vector ? w : 1) {
        auto q = pt;
        q.push_back(x);
        next.push_back(q);
      }
    points = next;
  }
  // A ragged unrolled loop (its tile does not divide its extent): in the last tile, the rows
  // past the extent read the last row instead (clamped; valid memory, values thrown away) and
  // their stores are skipped (`in_extent`).
  llvm::Value* in_extent = nullptr;
  auto bind_point = [&](const std::vector<int64_t>& pt) {
    in_extent = nullptr;
    for (size_t i = 0; i < inner.size(); ++i) {
      parts_[inner[i].loop] = b_.getInt64(pt[i]);
      const std::string& v = inner[i].var;
      const Loop& il = *inner_loop.at(v);
      llvm::Value* x = b_.CreateAdd(b_.CreateMul(parts_.at(v + ".o"), b_.getInt64(il.tile)),
                                    parts_[inner[i].loop], v);
      int64_t e = il.extent;
      if (il.ragged()) {
        llvm::Value* ok = b_.CreateICmpSLT(x, b_.getInt64(e));
        in_extent = in_extent ? b_.CreateAnd(in_extent, ok) : ok;
        x = b_.CreateSelect(ok, x, b_.getInt64(e - 1), v + ".clamped");
      }
      vars_[v] = x;
    }
    vec_var_ = inner.back().var;
    vec_width_ = w;
  };
  nest(outer, n.bound, [&] {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    std::vector<llvm::AllocaInst*> accs;
    for (auto& pt : points) {
      bind_point(pt);
      accs.push_back(eb.CreateAlloca(vty(), nullptr, "tile"));
      b_.CreateStore(identity ? splat(llvm::ConstantFP::get(f32_, *identity))
                              : vload_out(out, st.vars),
                     accs.back());
    }
    const std::string& rv = rl.var;
    bool split_r = rl.part != LoopPart::Whole;
    for_loop(rloop, b_.getInt64(rl.trip), false, 0, [&](llvm::Value* iv) {
      parts_[rloop] = iv;
      if (!split_r)
        vars_[rv] = iv;
      else if (parts_.count(rv + ".o") && parts_.count(rv + ".i"))
        vars_[rv] = b_.CreateAdd(b_.CreateMul(parts_[rv + ".o"], b_.getInt64(rl.tile)),
                                 parts_[rv + ".i"], rv);
      llvm::Value* in_range =
          rl.ragged() ? b_.CreateICmpSLT(vars_[rv], b_.getInt64(rl.extent)) : nullptr;
      when(in_range, "rtile", [&] {
        for (size_t i = 0; i < points.size(); ++i) {
          bind_point(points[i]);
          llvm::Value* v = vreal(red->body());
          b_.CreateStore(combine(red->kind(), b_.CreateLoad(vty(), accs[i]), v), accs[i]);
        }
      });
    });
    parts_.erase(rloop);
    vars_.erase(rv);
    for (size_t i = 0; i < points.size(); ++i) {
      bind_point(points[i]);
      when(in_extent, "rtile.row", [&] {
        vstore(out, st.vars, b_.CreateLoad(vty(), accs[i]));
        if (epi)
          vstore(out, st.vars, vreal(epi));
      });
    }
    for (auto& in : inner) {
      parts_.erase(in.loop);
      vars_.erase(in.var);
    }
    vec_var_.clear();
    vec_width_ = 0;
  });
  return true;
}

} // namespace axon::lowering
