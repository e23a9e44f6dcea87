// Packed copies of operands (lower_internal.h): [v.o][other indices][v.i] in the scratch.
#include "emit/cpu/lower_internal.h"

#include <algorithm>

#include "ir/error.h"

namespace axon::lowering {

// The packed copies statement n reads, in the scratch from byte `at` on (advanced past them).
void Lowerer::emit_packs(const Nest& n, int64_t& at) {
  for (auto& st : nest_.staged)
    if (st.kind == StagedKind::Packed && st.stmt == n.stmt) {
      AXON_CHECK(st.offset == at, "packed copy " + st.name + " out of place");
      emit_pack(st, at);
      at += st.bytes;
      scratch_used_ = std::max(scratch_used_, at);
    }
}

// Copies tensor t into the scratch at byte `at`, laid out [v.o][other indices][v.i], v being its
// packed variable (pack_var) at index position `pos`, so v's tiles are contiguous for every
// value of the other indices.
void Lowerer::emit_pack(const StagedTensor& staged, int64_t at) {
  const std::string& t = staged.tensor;
  const Buf& src = bufs_.at(t);
  Buf& dst = bufs_.at(t + ".pack");
  const size_t pos = staged.position;
  const std::string& var = staged.var;
  const int64_t tile = staged.tile, lead = staged.lead;
  int64_t n = src.shape.at(pos);
  std::vector<int64_t> stride(src.shape.size(), 1);
  for (size_t i = src.shape.size(); i-- > 1;)
    stride[i - 1] = stride[i] * src.shape[i];
  llvm::Value* raw =
      b_.CreateConstInBoundsGEP1_64(i8_, bufs_.at(kScratch).ptr, static_cast<uint64_t>(at));
  dst.ptr = b_.CreateBitCast(raw, llvm::PointerType::getUnqual(f32_), t + ".pack");
  dst.shape = staged.shape;
  // The innermost copy loop runs along the source's last dimension so that reads are
  // contiguous: v's tile innermost when v is that dimension, else outside the other dimensions.
  bool v_last = pos + 1 == src.shape.size();
  auto panel = [&](llvm::Value* o) {
    auto copy = [&](llvm::Value* i, llvm::Value* from, llvm::Value* l) {
      llvm::Value* v = b_.CreateAdd(b_.CreateMul(o, b_.getInt64(tile)), i);
      llvm::Value* at = b_.CreateAdd(from, b_.CreateMul(v, b_.getInt64(stride[pos])));
      llvm::Value* to = b_.CreateAdd(
          b_.CreateMul(b_.CreateAdd(b_.CreateMul(o, b_.getInt64(lead)), l), b_.getInt64(tile)), i);
      llvm::Value* x = load(src, b_.CreateInBoundsGEP(src.elt, src.ptr, at));
      tag(b_.CreateStore(x, b_.CreateInBoundsGEP(f32_, dst.ptr, to)), dst);
    };
    // One loop per other dimension, outer to inner: `from` is the source offset without v,
    // `l` the flattened other index.
    std::function<void(size_t, llvm::Value*, llvm::Value*, llvm::Value*)> dims =
        [&](size_t d, llvm::Value* i, llvm::Value* from, llvm::Value* l) {
          if (d == src.shape.size()) {
            if (v_last)
              for_loop(t + ".pk.i", b_.getInt64(tile), true, 0,
                       [&](llvm::Value* iv) { copy(iv, from, l); });
            else
              copy(i, from, l);
            return;
          }
          if (d == pos)
            return dims(d + 1, i, from, l);
          bool innermost = d + 1 == src.shape.size();
          for_loop(t + ".pk.d" + std::to_string(d), b_.getInt64(src.shape[d]), innermost, 0,
                   [&](llvm::Value* x) {
                     dims(d + 1, i, b_.CreateAdd(from, b_.CreateMul(x, b_.getInt64(stride[d]))),
                          b_.CreateAdd(b_.CreateMul(l, b_.getInt64(src.shape[d])), x));
                   });
        };
    if (v_last)
      dims(0, nullptr, b_.getInt64(0), b_.getInt64(0));
    else
      for_loop(t + ".pk.i", b_.getInt64(tile), false, 0,
               [&](llvm::Value* i) { dims(0, i, b_.getInt64(0), b_.getInt64(0)); });
  };
  // A threaded statement packs on its threads too (one panel of v's tiles per iteration).
  if (staged.copy_threads > 1)
    run_threaded(
        staged.stmt, n / tile, staged.copy_threads,
        [](const std::function<void()>& loop) { loop(); }, panel);
  else
    for_loop(t + ".pk.o", b_.getInt64(n / tile), false, 0, panel);
  packed_[t] = {var, tile, lead, pos};
}

} // namespace axon::lowering
