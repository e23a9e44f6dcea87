// Plan + covers -> the NPU program as data (lower_ops.h). Per statement: tile loops over its
// Vars in the plan's order (reduction Vars innermost); per tile the cover is instantiated
// (synth/isel_tile.h) and each call becomes one instruction whose operand tiles are loaded from
// HBM into rotating SBUF buffers in the layout the operand needs (its axis 0 on the partitions: a
// strided DMA, or route "pe": rows transposed through PSUM), read from a preloaded input, or kept
// from an earlier tile when they do not change along a loop; temps live in rotating on-chip
// buffers; the result is stored to HBM (copied out of the accumulator memory first). A reduction
// chunked by its tile accumulates into one accumulator tile over its chunks with the
// instruction's accumulating form. Hoisted instructions (constants) run once, before the
// statement's loops. A fusion group shares one outer loop over its statements' rows and keeps
// intermediates on chip (a matmul's result in PSUM for its epilogue).
#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "emit/npu/lower_internal.h"
#include "ir/error.h"
#include "synth/isel_tile.h"

namespace axon {
namespace {

using namespace npu_lower;

// Buffers: rings of `bufs` rotating copies per role, released at the end of a group for the next
// groups to reuse (statements run one after another, so later groups may overwrite them).
struct BufferPool {
  NpuOps* ops = nullptr;
  struct Ring {
    std::vector<int> bufs;
    size_t next = 0;
  };
  std::map<std::string, Ring> rings;
  std::vector<int> free_list;
  int counter = 0;

  int take(const std::string& memory, DType dtype, int64_t size, const std::string& hint) {
    int best = -1;
    for (size_t i = 0; i < free_list.size(); ++i) {
      const NpuOpsBuffer& b = ops->buffers[free_list[i]];
      if (b.memory == memory && b.dtype == dtype && b.size >= size &&
          (best < 0 || b.size < ops->buffers[free_list[best]].size))
        best = static_cast<int>(i);
    }
    if (best >= 0) {
      int id = free_list[best];
      free_list.erase(free_list.begin() + best);
      return id;
    }
    ops->buffers.push_back({hint + "_" + std::to_string(counter++), memory, dtype, size});
    return static_cast<int>(ops->buffers.size()) - 1;
  }
  // The next buffer of role `key` (created with `copies` buffers on first use).
  int next(const std::string& key, int copies, const std::string& memory, DType dtype,
           int64_t size) {
    Ring& r = rings[key];
    if (r.bufs.empty())
      for (int i = 0; i < copies; ++i)
        r.bufs.push_back(take(memory, dtype, size, key));
    int id = r.bufs[r.next++ % r.bufs.size()];
    AXON_CHECK(ops->buffers[id].size >= size && ops->buffers[id].memory == memory,
               "npu lowering: buffer ring " + key + " sized by its first tile");
    return id;
  }
  void release_all() {
    for (auto& [k, r] : rings)
      for (int id : r.bufs)
        free_list.push_back(id);
    rings.clear();
  }
};

class Scheduler {
public:
  // first_tile_only: stop each statement after its first tile (every buffer exists by then):
  // what the capacity check needs.
  Scheduler(const IndexProgram& p, const NpuPlan& plan, const Isa& isa, bool first_tile_only)
      : p_(p), plan_(plan), isa_(isa), mv_(find_movement(isa)), first_only_(first_tile_only) {
    pool_.ops = &ops_;
  }

  NpuOps run(const std::vector<StmtTiling>& tilings) {
    declare_tensors();
    emit_preloads();
    for (const auto& group : plan_.groups) {
      std::vector<const StmtTiling*> ts;
      for (size_t s : group)
        ts.push_back(&tilings.at(s));
      lower_group(ts);
      pool_.release_all();
      hoisted_.clear();
      onchip_.clear();
      cached_.clear();
      ++generation_;
    }
    return std::move(ops_);
  }

private:
  // ---- HBM tensors
  void declare_tensors() {
    std::set<std::string> written;
    for (auto& s : p_.stmts())
      written.insert(s.out);
    for (const TensorDecl& d : p_.tensors()) {
      NpuTensorKind k = d.role == TensorRole::Input    ? NpuTensorKind::Input
                        : d.role == TensorRole::Output ? NpuTensorKind::Output
                                                       : NpuTensorKind::Scratch;
      tensor_[d.name] = static_cast<int>(ops_.tensors.size());
      ops_.tensors.push_back({d.name, d.dtype, hbm_shape(p_, d.name), k});
    }
  }

  // Flat element offset and per-axis flat strides of a tensor access.
  struct Flat {
    int64_t origin = 0;
    std::vector<int64_t> strides; // per operand axis
  };
  Flat flat(const TileAccess& a) const {
    std::vector<int64_t> rs = row_major(hbm_shape(p_, a.tensor));
    Flat f;
    for (size_t t = 0; t < a.origin.size() && t < rs.size(); ++t)
      f.origin += a.origin[t] * rs[t];
    for (auto& s : a.strides) {
      int64_t x = 0;
      for (size_t t = 0; t < s.size() && t < rs.size(); ++t)
        x += s[t] * rs[t];
      f.strides.push_back(x);
    }
    return f;
  }
  NpuView hbm_view(const TileAccess& a) const {
    AXON_CHECK(a.affine, "npu lowering: a non-affine access reached the view");
    Flat f = flat(a);
    NpuView v;
    v.hbm = true;
    v.object = tensor_.at(a.tensor);
    v.offset = f.origin;
    v.np = a.extents.empty() ? 1 : a.extents[0];
    v.pstride = a.extents.empty() ? 1 : f.strides[0];
    for (size_t i = 1; i < a.extents.size(); ++i)
      v.ap.push_back({f.strides[i], a.extents[i]});
    if (v.ap.empty())
      v.ap.push_back({1, 1});
    return v;
  }
  static int64_t free_elems(const std::vector<int64_t>& extents) {
    int64_t n = 1;
    for (size_t i = 1; i < extents.size(); ++i)
      n *= extents[i];
    return n;
  }
  static NpuView dense(int buf, int64_t np, int64_t n, int64_t offset = 0) {
    NpuView v;
    v.object = buf;
    v.np = np;
    v.offset = offset;
    v.ap.push_back({1, n});
    return v;
  }

  int next_queue() { return dma_++ % std::max(1, std::min(plan_.queues, mv_.queues)); }

  void dma(const std::string& instr, const std::string& engine, const std::string& src_slot,
           const std::string& dst_slot, NpuView src, NpuView dst, const std::string& name) {
    NpuOp op;
    op.instr = instr;
    op.engine = engine;
    op.name = name;
    op.queue = next_queue();
    op.operands[src_slot] = std::move(src);
    op.operands[dst_slot] = std::move(dst);
    ops_.ops.push_back(std::move(op));
  }
  // The in and out operand names of a movement instruction (its semantics' single statement).
  std::pair<std::string, std::string> slots(const std::string& instr) const {
    const Instruction& in = isa_.instruction(instr);
    std::string src, dst;
    for (auto& o : in.operands) {
      if (o.role == OperandRole::In && src.empty())
        src = o.name;
      if (o.role == OperandRole::Out && dst.empty())
        dst = o.name;
    }
    return {src, dst};
  }
  void load(NpuView src, NpuView dst, const std::string& name) {
    auto [s, d] = slots(mv_.load);
    dma(mv_.load, mv_.load_engine, s, d, std::move(src), std::move(dst), name);
  }
  void store(NpuView src, NpuView dst, const std::string& name) {
    auto [s, d] = slots(mv_.store);
    dma(mv_.store, mv_.store_engine, s, d, std::move(src), std::move(dst), name);
  }

  // The engine to run `ci` on given where its tiles live: the selection's, else the first of the
  // instruction's engines that may touch them all.
  std::string engine_for(const CoverInstr& ci, const NpuOp& op) const {
    const Instruction& instr = isa_.instructions.at(ci.instr);
    auto fits = [&](const std::string& e) {
      for (auto& [slot, v] : op.operands) {
        const std::string& m =
            v.hbm ? mv_.mem.hbm : ops_.buffers.at(static_cast<size_t>(v.object)).memory;
        const OperandSpec* o = instr.find_operand(slot);
        bool out = o && o->role == OperandRole::Out;
        if (out ? !isa_.can_write(e, m) : !isa_.can_read(e, m))
          return false;
      }
      for (auto& [slot, v] : op.vector_tiles)
        if (!isa_.can_read(e, ops_.buffers.at(static_cast<size_t>(v.object)).memory))
          return false;
      return true;
    };
    if (fits(ci.engine))
      return ci.engine;
    for (auto& e : instr.engines)
      if (fits(e))
        return e;
    return ci.engine;
  }

  // ---- One statement
  struct TempBuf {
    int buf = -1;
    std::vector<int64_t> shape; // the temp's max shape (first tile)
    std::vector<int64_t> lay;   // free stride per temp axis (0 for the partition axis)
    int part_axis = -1;         // temp axis on the partitions, -1: one partition
  };

  NpuView temp_view(const TempBuf& tb, const TileAccess& a) const {
    AXON_CHECK(a.affine, "npu lowering: a non-affine temp access");
    NpuView v;
    v.object = tb.buf;
    int64_t off = 0;
    for (size_t t = 0; t < a.origin.size(); ++t)
      off += static_cast<int>(t) == tb.part_axis ? 0 : a.origin[t] * tb.lay[t];
    v.p0 = tb.part_axis >= 0 ? a.origin[tb.part_axis] : 0;
    v.np = a.extents.empty() ? 1 : a.extents[0];
    v.offset = off;
    for (size_t ax = 1; ax < a.extents.size(); ++ax) {
      int64_t st = 0;
      for (size_t t = 0; t < a.strides[ax].size(); ++t)
        st += static_cast<int>(t) == tb.part_axis ? 0 : a.strides[ax][t] * tb.lay[t];
      v.ap.push_back({st, a.extents[ax]});
    }
    if (v.ap.empty())
      v.ap.push_back({1, 1});
    return v;
  }

  TempBuf make_temp(const TileInstr& ti, const CoverInstr& ci, const std::string& key, int copies,
                    const std::string& memory, DType dtype) {
    TempBuf tb;
    tb.shape = ti.temp_shape;
    std::string pv = ci.out_axes.empty() ? "" : ci.out_axes.front();
    for (size_t t = 0; t < ti.temp_vars.size(); ++t)
      if (!pv.empty() && ti.temp_vars[t] == pv && tb.part_axis < 0)
        tb.part_axis = static_cast<int>(t);
    tb.lay.assign(tb.shape.size(), 0);
    int64_t n = 1;
    for (size_t t = tb.shape.size(); t-- > 0;) {
      if (static_cast<int>(t) == tb.part_axis)
        continue;
      tb.lay[t] = n;
      n *= tb.shape[t];
    }
    tb.buf = pool_.next(key, copies, memory, dtype, std::max<int64_t>(1, n));
    return tb;
  }

  // ---- Fusion groups: one outer loop over the row Var (each statement's output axis 0) shared
  // by the group's statements; an intermediate that its producer writes with rows on the
  // partitions and that a consumer reads that way stays in an on-chip buffer of the outer tile's
  // rows; it goes to HBM as well when it is an output, is read outside the group or is read in
  // another layout (then that consumer loads it from HBM).
  struct GroupTensor {
    std::string ring;         // the pool ring of its on-chip buffer
    int buf = -1;             // this outer tile's buffer
    std::vector<int64_t> lay; // free stride per tensor axis (axis 0 is the partition)
    bool hbm = false;         // also stored to HBM
    std::string memory;       // where it lives: the working memory, or the accumulator memory
                              // for a matmul's result read only in the group (an epilogue
                              // reads it there, with no copy-out)
  };

  void lower_group(const std::vector<const StmtTiling*>& ts) {
    if (ts.size() == 1) {
      lower_statement(*ts[0], nullptr);
      return;
    }
    const std::string& v0 = p_.stmts()[ts[0]->stmt].vars.at(0);
    int64_t extent = ts[0]->extent.at(v0), tile = ts[0]->tile.at(v0);
    std::set<std::string> in_group;
    for (auto* t : ts)
      in_group.insert(p_.stmts()[t->stmt].out);
    // Which intermediates stay on chip and which go to HBM too.
    std::map<std::string, bool> producer_rows; // written with rows on the partitions
    for (auto* t : ts) {
      const IndexStmt& st = p_.stmts()[t->stmt];
      const CoverInstr& last = t->cover->instrs.back();
      producer_rows[st.out] = !last.out_axes.empty() && last.out_axes[0] == st.vars.at(0);
    }
    std::optional<std::pair<int64_t, int64_t>> cols = shared_columns(ts, in_group);
    std::map<std::string, GroupTensor> gt;
    for (auto* t : ts) {
      const IndexStmt& st = p_.stmts()[t->stmt];
      for (const CoverInstr& ci : t->cover->instrs) {
        const Instruction& instr = isa_.instructions.at(ci.instr);
        for (const CoverOperand& o : ci.operands) {
          if ((o.term.kind != TermKind::Tensor && o.term.kind != TermKind::Scalar) ||
              !in_group.count(o.term.tensor))
            continue;
          GroupTensor& g = gt[o.term.tensor];
          bool rows = o.term.kind == TermKind::Tensor && !o.term.index.empty() &&
                      o.term.index[0]->kind() == ExprKind::IndexVar &&
                      o.term.index[0]->name() == st.vars.at(0) && !o.term.axes.empty() &&
                      o.term.axes[0] == st.vars.at(0);
          const OperandSpec* os = instr.find_operand(o.slot);
          const ParamSpec* ps = instr.find_param(o.slot);
          const std::vector<std::string>& mems = os ? os->memories : ps->memories;
          bool sbuf = std::find(mems.begin(), mems.end(), mv_.mem.sbuf) != mems.end();
          auto route = plan_.route.find(o.term.tensor);
          bool pe_rows = route != plan_.route.end() && route->second == "pe" &&
                         o.term.kind == TermKind::Tensor && o.term.axes.size() == 2 &&
                         !o.term.index.empty() && o.term.index[0]->kind() == ExprKind::IndexVar &&
                         o.term.index[0]->name() == st.vars.at(0) &&
                         o.term.axes[1] == st.vars.at(0);
          if (!(rows || pe_rows) || !sbuf || !producer_rows[o.term.tensor])
            g.hbm = true;
        }
      }
    }
    for (auto& [name, g] : gt) {
      const TensorDecl& d = p_.tensor(name);
      if (!producer_rows[name] || d.role == TensorRole::Output || d.role == TensorRole::Input)
        g.hbm = true;
    }
    for (size_t s = 0; s < p_.stmts().size(); ++s) {
      bool mine = false;
      for (auto* t : ts)
        mine = mine || t->stmt == s;
      if (mine)
        continue;
      for (auto& [name, g] : gt)
        if (reads(p_.stmts()[s].value, name))
          g.hbm = true;
    }
    for (auto& [name, g] : gt) {
      if (!producer_rows[name])
        continue;
      std::vector<int64_t> shape = hbm_shape(p_, name);
      g.lay.assign(shape.size(), 0);
      int64_t n = 1;
      for (size_t a = shape.size(); a-- > 1;) {
        g.lay[a] = n;
        n *= shape[a];
      }
      g.ring = "g." + name;
      if (cols)
        n = cols->second; // one outer tile's columns
      g.buf = n;          // the size until the first outer tile takes a buffer
      g.memory = mv_.mem.sbuf;
      for (auto* t : ts)
        if (p_.stmts()[t->stmt].out == name && stays_in_accumulator(*t, g, n, ts))
          g.memory = mv_.mem.psum;
    }
    int64_t col_extent = cols ? cols->first : 1, col_tile = cols ? cols->second : 1;
    share_loads_ = cols.has_value();
    for (int64_t o = 0; o < extent; o += tile) {
      for (int64_t c = 0; c < col_extent; c += col_tile) {
        onchip_.clear();
        loaded_.clear();
        for (auto& [name, g] : gt)
          if (producer_rows[name]) {
            GroupTensor x = g;
            x.buf =
                pool_.next(g.ring, plan_.bufs, g.memory,
                           g.memory == mv_.mem.sbuf ? p_.tensor(name).dtype : DType::F32, g.buf);
            onchip_[name] = x;
          }
        row0_ = o;
        col0_ = c;
        col_tile_ = cols ? std::min(col_tile, col_extent - c) : 0;
        for (auto* t : ts) {
          const IndexStmt& st = p_.stmts()[t->stmt];
          Outer outer{{st.vars.at(0), TileRange{o, std::min(tile, extent - o)}}};
          if (cols)
            outer[st.vars.at(1)] = TileRange{c, col_tile_};
          lower_statement(*t, &outer);
        }
        if (first_only_)
          break;
      }
      if (first_only_)
        break;
    }
    onchip_.clear();
    loaded_.clear();
    share_loads_ = false;
    col_tile_ = 0;
  }

  // Groups whose statements are all elementwise over the same two Vars (the output's axes 0 and
  // 1, no reduction, the same extent and tile of axis 1, every intermediate of rank 2 read at
  // those indices) share the loop over columns too: the outer tile is [rows, columns], so every
  // intermediate is one tile on chip and a tile loaded for one statement serves the others.
  // (extent, tile) of the columns, nullopt otherwise.
  std::optional<std::pair<int64_t, int64_t>>
  shared_columns(const std::vector<const StmtTiling*>& ts,
                 const std::set<std::string>& in_group) const {
    std::optional<std::pair<int64_t, int64_t>> cols;
    for (auto* t : ts) {
      const IndexStmt& st = p_.stmts()[t->stmt];
      if (st.vars.size() != 2 || p_.tensor(st.out).rank() != 2)
        return std::nullopt;
      for (const CoverVar& v : t->cover->vars)
        if (v.reduction || (v.name != st.vars[0] && v.name != st.vars[1]))
          return std::nullopt;
      auto e = t->extent.find(st.vars[1]);
      if (e == t->extent.end())
        return std::nullopt;
      std::pair<int64_t, int64_t> c{e->second, t->tile.at(st.vars[1])};
      if (cols && *cols != c)
        return std::nullopt;
      cols = c;
      for (const CoverInstr& ci : t->cover->instrs) {
        if (!ci.loops.empty())
          return std::nullopt;
        for (const CoverOperand& o : ci.operands) {
          if (o.term.kind != TermKind::Tensor || !in_group.count(o.term.tensor))
            continue;
          if (o.term.index.size() != 2 || o.term.axes.size() != 2 || o.term.axes[0] != st.vars[0] ||
              o.term.axes[1] != st.vars[1])
            return std::nullopt;
          for (size_t ax = 0; ax < 2; ++ax)
            if (o.term.index[ax]->kind() != ExprKind::IndexVar ||
                o.term.index[ax]->name() != st.vars[ax])
              return std::nullopt;
        }
      }
    }
    if (cols && cols->second >= cols->first)
      return std::nullopt; // one column tile: the row loop alone is the same
    return cols;
  }

  // Whether the result of `t` (written in the accumulator memory) may stay there for its readers
  // in the group: not needed in HBM, one tile per outer tile that fits one bank, and every reader
  // operand may live in the accumulator memory.
  bool stays_in_accumulator(const StmtTiling& t, const GroupTensor& g, int64_t elems,
                            const std::vector<const StmtTiling*>& ts) const {
    const CoverInstr& last = t.cover->instrs.back();
    const Instruction& li = isa_.instructions.at(last.instr);
    const std::string& name = p_.stmts()[t.stmt].out;
    const MemoryLevel* acc = isa_.find_memory(mv_.mem.psum);
    if (g.hbm || mv_.mem.psum.empty() || !acc ||
        result_memory(li, last.result, mv_.mem) != mv_.mem.psum)
      return false;
    if (acc->bank_bytes > 0 && elems * 4 > acc->bank_bytes)
      return false;
    const std::string& v0 = p_.stmts()[t.stmt].vars.at(0);
    for (const CoverVar& v : t.cover->vars)
      if (!v.reduction && v.name != v0 && t.tile.at(v.name) < t.extent.at(v.name))
        return false;
    for (auto* r : ts)
      for (const CoverInstr& ci : r->cover->instrs) {
        const Instruction& instr = isa_.instructions.at(ci.instr);
        for (const CoverOperand& o : ci.operands) {
          if (o.term.kind != TermKind::Tensor || o.term.tensor != name)
            continue;
          const OperandSpec* os = instr.find_operand(o.slot);
          if (!os || std::find(os->memories.begin(), os->memories.end(), mv_.mem.psum) ==
                         os->memories.end())
            return false;
        }
      }
    return true;
  }

  static bool reads(const Expr& e, const std::string& tensor) {
    if (e->kind() == ExprKind::Access && e->name() == tensor)
      return true;
    for (auto& a : e->args())
      if (reads(a, tensor))
        return true;
    return false;
  }

  // The access with its two axes swapped: the rows a transpose reads.
  static TileAccess swapped(const TileAccess& a) {
    TileAccess b = a;
    std::swap(b.extents[0], b.extents[1]);
    std::swap(b.strides[0], b.strides[1]);
    return b;
  }

  // An on-chip view with the tensor's rows on the partitions: the group's buffer of an
  // intermediate, or a preloaded input; nullopt when the access does not read it that way.
  std::optional<NpuView> onchip_rows(const TileAccess& a) const {
    if (std::optional<NpuView> v = group_view(a))
      return v;
    return preload_view(a);
  }

  // Route "pe": the operand's rows [e1, e0] (on chip already, or loaded), transposed on the
  // transpose instruction into the accumulator memory in blocks of its partition bound, and
  // copied to the working memory as the [e0, e1] tile the operand reads.
  NpuView transposed_through_pe(const TileAccess& a, const std::string& sname, size_t k,
                                const std::string& keep_ring, int keep_copies) {
    std::string what = "no lowering for " + sname + ": route pe of " + a.tensor;
    if (mv_.transpose.empty() || mv_.copy_out.empty())
      user_error(what + ": the target has no transpose into " + mv_.mem.psum + " and copy out");
    const Instruction& tr = isa_.instruction(mv_.transpose);
    std::string in_slot = slots(mv_.transpose).first, out_slot = slots(mv_.transpose).second;
    const OperandSpec* in = tr.find_operand(in_slot);
    int64_t pmax = mv_.mem.partitions, fmax = mv_.mem.partitions;
    if (in && in->shape.size() == 2) {
      if (DimSpec d = tr.dim_bounds(in->shape[0].name); d.max)
        pmax = *d.max;
      if (DimSpec d = tr.dim_bounds(in->shape[1].name); d.max)
        fmax = *d.max;
    }
    int64_t e0 = a.extents[0], e1 = a.extents[1];
    const MemoryLevel* psum = isa_.find_memory(mv_.mem.psum);
    if (e0 > fmax || e1 > mv_.mem.partitions ||
        (psum && psum->bank_bytes > 0 && e1 * 4 > psum->bank_bytes))
      user_error(what + ": a [" + std::to_string(e0) + ", " + std::to_string(e1) +
                 "] tile does not fit one transpose block of " + std::to_string(fmax) +
                 " columns into one " + mv_.mem.psum + " bank");
    TileAccess rows = swapped(a);
    std::optional<NpuView> src = onchip_rows(rows);
    std::string key = sname + ".k" + std::to_string(k) + "." + a.slot;
    if (!src) {
      int buf = pool_.next(key + ".rows", plan_.bufs, mv_.mem.sbuf, p_.tensor(a.tensor).dtype, e0);
      NpuView dst = dense(buf, e1, e0);
      load(hbm_view(rows), dst, sname + ".load_rows." + a.tensor);
      src = dst;
    }
    // Twice the rotating buffers, so transposes run ahead of their copy-outs, within half the
    // accumulator's banks (the matmul's result ring takes the rest).
    int pe_copies = 2 * plan_.bufs;
    if (psum && psum->bank_bytes > 0 && psum->partition_bytes >= 2 * psum->bank_bytes)
      pe_copies = std::min<int>(
          pe_copies, std::max<int>(plan_.bufs, static_cast<int>(psum->partition_bytes /
                                                                (2 * psum->bank_bytes))));
    int ps = pool_.next(key + ".pe", pe_copies, mv_.mem.psum, DType::F32, e1);
    for (int64_t r = 0; r < e1; r += pmax) {
      int64_t nr = std::min(pmax, e1 - r);
      NpuView block = *src;
      block.p0 += r;
      block.np = nr;
      NpuOp t;
      t.instr = mv_.transpose;
      t.engine = mv_.transpose_engine;
      t.name = sname + ".transpose." + a.tensor;
      t.operands[in_slot] = block;
      t.operands[out_slot] = dense(ps, e0, nr, r);
      ops_.ops.push_back(std::move(t));
    }
    int sb = keep_ring.empty()
                 ? pool_.next(key + ".T", plan_.bufs, mv_.mem.sbuf, p_.tensor(a.tensor).dtype, e1)
                 : pool_.next(keep_ring, keep_copies, mv_.mem.sbuf, p_.tensor(a.tensor).dtype, e1);
    NpuOp cp;
    cp.instr = mv_.copy_out;
    cp.engine = mv_.copy_out_engine;
    cp.name = sname + ".copy_transposed." + a.tensor;
    auto [cs, cd] = slots(mv_.copy_out);
    cp.operands[cs] = dense(ps, e0, e1);
    cp.operands[cd] = dense(sb, e0, e1);
    ops_.ops.push_back(std::move(cp));
    return dense(sb, e0, e1);
  }

  // ---- Preload: an input loaded whole into the working memory before every loop, row r at
  // partition r mod P and free offset (r / P) * (its row's elements).
  struct Preloaded {
    int buf = -1;
    std::vector<int64_t> lay; // free stride per tensor axis >= 1
    int64_t row = 1;          // elements of one row
  };

  void emit_preloads() {
    for (const std::string& name : plan_.preload) {
      const TensorDecl* d = p_.find_tensor(name);
      if (!d || d->role != TensorRole::Input)
        user_error("plan: preload names '" + name + "', not an input tensor of the program");
      std::vector<int64_t> shape = hbm_shape(p_, name);
      Preloaded pl;
      pl.lay.assign(shape.size(), 0);
      for (size_t t = shape.size(); t-- > 1;) {
        pl.lay[t] = pl.row;
        pl.row *= shape[t];
      }
      int64_t P = mv_.mem.partitions, blocks = ceil_div(shape[0], P);
      ops_.buffers.push_back({"pre_" + name, mv_.mem.sbuf, d->dtype, blocks * pl.row});
      pl.buf = static_cast<int>(ops_.buffers.size()) - 1;
      // In column chunks of the target's recommended bytes per partition for a transfer (the
      // ISA constant dma_recommended_partition_bytes; whole rows without it), the first columns of
      // every row block first: a consumer walking column tiles can start on the first chunks
      // while the rest arrive.
      int64_t chunk = pl.row;
      if (auto c = isa_.constants.find("dma_recommended_partition_bytes");
          c != isa_.constants.end() && c->second > 0)
        chunk = std::max<int64_t>(
            1, std::min(pl.row, static_cast<int64_t>(c->second) / dtype_bytes(d->dtype)));
      for (int64_t c0 = 0; c0 < pl.row; c0 += chunk)
        for (int64_t b = 0; b < blocks; ++b) {
          int64_t rows = std::min(P, shape[0] - b * P), n = std::min(chunk, pl.row - c0);
          NpuView src;
          src.hbm = true;
          src.object = tensor_.at(name);
          src.offset = b * P * pl.row + c0;
          src.np = rows;
          src.pstride = pl.row;
          src.ap = {{1, n}};
          load(src, dense(pl.buf, rows, n, b * pl.row + c0), "preload." + name);
        }
      preload_[name] = pl;
    }
  }

  // Whether a tile of `np` partitions may start at partition `p0` of the working memory (its
  // partition rules in the target file).
  bool start_allowed(int64_t p0, int64_t np) const {
    const MemoryLevel* m = isa_.find_memory(mv_.mem.sbuf);
    if (!m)
      return p0 == 0;
    for (const PartitionRule& r : m->partition_rules)
      if (np >= r.min_partitions && np <= r.max_partitions)
        return std::find(r.starts.begin(), r.starts.end(), p0) != r.starts.end();
    return true;
  }

  std::optional<NpuView> preload_view(const TileAccess& a) const {
    auto it = preload_.find(a.tensor);
    if (it == preload_.end() || !a.affine || a.extents.empty() || a.origin.empty())
      return std::nullopt;
    const Preloaded& pl = it->second;
    int64_t P = mv_.mem.partitions;
    for (size_t t = 0; t < a.strides[0].size(); ++t)
      if (a.strides[0][t] != (t == 0 ? 1 : 0) && a.extents[0] > 1)
        return std::nullopt;
    for (size_t ax = 1; ax < a.extents.size(); ++ax)
      if (a.strides[ax][0] != 0 && a.extents[ax] > 1)
        return std::nullopt;
    int64_t r0 = a.origin[0];
    if (r0 % P + a.extents[0] > P || !start_allowed(r0 % P, a.extents[0]))
      return std::nullopt; // the rows straddle two blocks, or start where a tile may not
    NpuView v;
    v.object = pl.buf;
    v.p0 = r0 % P;
    v.np = a.extents[0];
    v.offset = (r0 / P) * pl.row;
    for (size_t t = 1; t < a.origin.size(); ++t)
      v.offset += a.origin[t] * pl.lay[t];
    for (size_t ax = 1; ax < a.extents.size(); ++ax) {
      int64_t st = 0;
      for (size_t t = 1; t < a.strides[ax].size(); ++t)
        st += a.strides[ax][t] * pl.lay[t];
      v.ap.push_back({st, a.extents[ax]});
    }
    if (v.ap.empty())
      v.ap.push_back({1, 1});
    return v;
  }

  // The on-chip view of a group tensor's access, or nullopt when the access does not put the
  // tensor's rows on the partitions.
  std::optional<NpuView> group_view(const TileAccess& a) const {
    auto it = onchip_.find(a.tensor);
    if (it == onchip_.end() || !a.affine || a.extents.empty() || a.origin.empty())
      return std::nullopt;
    const GroupTensor& g = it->second;
    for (size_t t = 0; t < a.strides[0].size(); ++t)
      if (a.strides[0][t] != (t == 0 ? 1 : 0) && a.extents[0] > 1)
        return std::nullopt;
    for (size_t ax = 1; ax < a.extents.size(); ++ax)
      if (a.strides[ax][0] != 0 && a.extents[ax] > 1)
        return std::nullopt;
    NpuView v;
    v.object = g.buf;
    v.p0 = a.origin[0] - row0_;
    v.np = a.extents[0];
    if (col_tile_ > 0) { // the outer tile's columns only
      if (a.origin.size() != 2)
        return std::nullopt;
      int64_t last = a.origin[1];
      for (size_t ax = 1; ax < a.extents.size(); ++ax)
        last += (a.extents[ax] - 1) * (a.strides[ax].size() > 1 ? a.strides[ax][1] : 0);
      if (a.origin[1] < col0_ || last >= col0_ + col_tile_)
        return std::nullopt;
      v.offset = -col0_;
    }
    for (size_t t = 1; t < a.origin.size(); ++t)
      v.offset += a.origin[t] * g.lay[t];
    for (size_t ax = 1; ax < a.extents.size(); ++ax) {
      int64_t st = 0;
      for (size_t t = 1; t < a.strides[ax].size(); ++t)
        st += a.strides[ax][t] * g.lay[t];
      v.ap.push_back({st, a.extents[ax]});
    }
    if (v.ap.empty())
      v.ap.push_back({1, 1});
    return v;
  }

  using Outer = std::map<std::string, TileRange>; // the group's outer tile: Var -> range

  void lower_statement(const StmtTiling& st, const Outer* outer) {
    const Cover& c = *st.cover;
    cur_ = &st;
    cur_outer_.clear();
    if (outer)
      for (auto& [v, r] : *outer)
        cur_outer_.insert(v);
    const std::string sname = "s" + std::to_string(st.stmt);
    const IndexStmt& stmt = p_.stmts()[st.stmt];
    std::map<std::string, int64_t> dims;
    for (auto& [d, v] : p_.dims())
      if (v)
        dims[d] = *v;
    DType out_dtype = p_.tensor(stmt.out).dtype;

    // Hoisted instructions: once, at the first (largest) tile of the statement.
    std::map<size_t, TempBuf>& hoisted = hoisted_[st.stmt];
    bool first_tile = !hoisted_done_.count(st.stmt) || hoisted_done_[st.stmt] != generation_;
    std::map<std::string, int64_t> off;
    for (auto& v : c.vars)
      off[v.name] = 0;

    std::function<void(size_t)> walk = [&](size_t li) {
      if (li < st.loops.size() && cur_outer_.count(st.loops[li])) {
        walk(li + 1);
        return;
      }
      if (li < st.loops.size()) {
        const std::string& v = st.loops[li];
        for (int64_t o = 0; o < st.extent.at(v) && !(first_only_ && !first_tile);
             o += st.tile.at(v)) {
          off[v] = o;
          walk(li + 1);
        }
        off[v] = 0;
        return;
      }
      Tile t;
      t.dims = dims;
      bool first_chunk = true, last_chunk = true;
      for (auto& [v, e] : st.extent) {
        int64_t n = std::min(st.tile.at(v), e - off[v]);
        t.ranges[v] = cur_outer_.count(v) ? outer->at(v) : TileRange{off[v], n};
        if (st.chunked.count(v)) {
          first_chunk = first_chunk && off[v] == 0;
          last_chunk = last_chunk && off[v] + n == e;
        }
      }
      TileCover tc = instantiate_tile(c, isa_, t);
      if (first_tile)
        emit_hoisted(c, tc, sname, &hoisted);
      first_tile = false;
      hoisted_done_[st.stmt] = generation_;
      emit_tile(st, c, tc, sname, out_dtype, hoisted, first_chunk, last_chunk);
    };
    walk(0);
  }

  void emit_hoisted(const Cover& c, const TileCover& tc, const std::string& sname,
                    std::map<size_t, TempBuf>* hoisted) {
    for (const TileInstr& ti : tc.instrs) {
      const CoverInstr& ci = c.instrs[ti.index];
      if (!ci.hoisted)
        continue;
      if (ti.index + 1 == c.instrs.size())
        user_error("no lowering for " + sname + ": its result instruction " + ci.name +
                   " is hoisted (a constant statement)");
      const Instruction& instr = isa_.instructions.at(ci.instr);
      std::string key = sname + ".k" + std::to_string(ti.index) + ".const";
      TempBuf tb = make_temp(ti, ci, key, 1, result_memory(instr, ci.result, mv_.mem),
                             operand_dtype(instr, ci.result, DType::F32));
      (*hoisted)[ti.index] = tb;
      for (const TileCall& call : ti.calls) {
        if (scalar_fill(ci, instr, call, temp_view(tb, call.out), sname))
          continue;
        NpuOp op = start_op(ci, instr, sname + ".const" + std::to_string(ti.index));
        for (const TileAccess& a : call.operands)
          bind_operand(op, instr, a, ci, sname, ti.index, *hoisted, nullptr);
        op.operands[ci.result] = temp_view(tb, call.out);
        add_extra_outputs(op, instr, ci, call, sname, ti.index);
        add_unread_params(op, instr, ci, sname);
        op.engine = engine_for(ci, op);
        ops_.ops.push_back(std::move(op));
      }
    }
  }

  // A fill whose value is one element of a tensor (a memset to a scalar input): the target
  // takes no immediate from memory, so the element is broadcast into the tile by the partition
  // broadcast, its row read with stride 0. True when `call` is one and was emitted so.
  bool scalar_fill(const CoverInstr& ci, const Instruction& instr, const TileCall& call,
                   const NpuView& dst, const std::string& sname) {
    if (call.operands.size() != 1 || call.operands[0].kind != TermKind::Scalar)
      return false;
    const TileAccess& a = call.operands[0];
    const ParamSpec* ps = instr.find_param(a.slot);
    if (!ps || ps->kind != ParamKind::Immediate)
      return false;
    IndexProgram sem = instruction_semantics(instr, ci.params);
    if (sem.stmts().size() != 1 || sem.stmts()[0].out != ci.result ||
        sem.stmts()[0].value->kind() != ExprKind::Access || sem.stmts()[0].value->name() != a.slot)
      return false;
    if (mv_.broadcast.empty())
      user_error("no lowering for " + sname + ": " + ci.name + "." + a.slot +
                 " reads one element of " + a.tensor +
                 " and the target has no partition broadcast");
    int64_t n = 1;
    for (auto& [st, cnt] : dst.ap)
      n *= cnt;
    NpuView src;
    src.hbm = true;
    src.object = tensor_.at(a.tensor);
    src.offset = flat(a).origin;
    src.np = n;
    src.pstride = 0;
    src.ap = {{1, 1}};
    NpuOp b;
    b.instr = mv_.broadcast;
    b.engine = mv_.broadcast_engine;
    b.name = sname + ".fill." + a.tensor;
    b.queue = next_queue();
    auto [sl, dl] = slots(mv_.broadcast);
    b.operands[sl] = src;
    b.operands[dl] = dst;
    ops_.ops.push_back(std::move(b));
    return true;
  }

  // An instruction whose operands read the accumulator memory in a way its constraints refuse (two
  // inputs there) gets them copied out to the working memory, one at a time, until its use is
  // legal by the target's own check.
  void legalize_accumulator_reads(NpuOp& op, const Instruction& instr, const TileCall& call,
                                  const std::string& sname) {
    if (mv_.mem.psum.empty() || mv_.copy_out.empty())
      return;
    auto use_of = [&]() {
      InstrUse u;
      u.engine = op.engine;
      u.dims = call.dims;
      for (auto& [k, v] : op.choices)
        u.params[k] = v;
      for (auto& [k, v] : op.flags)
        u.params[k] = v ? "true" : "false";
      for (auto& [slot, v] : op.operands) {
        u.memory[slot] = v.hbm ? mv_.mem.hbm : ops_.buffers.at(v.object).memory;
        u.dtypes[slot] = v.hbm ? ops_.tensors.at(v.object).dtype : ops_.buffers.at(v.object).dtype;
      }
      for (auto& [slot, v] : op.vector_tiles) {
        u.memory[slot] = ops_.buffers.at(v.object).memory;
        u.dtypes[slot] = ops_.buffers.at(v.object).dtype;
      }
      for (auto& [slot, v] : op.vector_immediates)
        u.memory[slot] = "immediate";
      return u;
    };
    if (check_use(isa_, instr, use_of()).empty())
      return;
    InstrUse moved = use_of();
    for (auto& [slot, m] : moved.memory)
      if (m == mv_.mem.psum && instr.find_operand(slot) &&
          instr.find_operand(slot)->role == OperandRole::In)
        m = mv_.mem.sbuf;
    if (!check_use(isa_, instr, moved).empty())
      return; // not the accumulator reads: the builder's check names the problem
    for (auto& [slot, v] : op.operands) {
      if (check_use(isa_, instr, use_of()).empty())
        return;
      const OperandSpec* os = instr.find_operand(slot);
      if (!os || os->role != OperandRole::In || v.hbm ||
          ops_.buffers.at(v.object).memory != mv_.mem.psum)
        continue;
      int64_t n = 1;
      for (auto& [st, c] : v.ap)
        n *= c;
      int sb = pool_.next(sname + ".acc_read." + slot, plan_.bufs, mv_.mem.sbuf, DType::F32, n);
      NpuOp cp;
      cp.instr = mv_.copy_out;
      cp.engine = mv_.copy_out_engine;
      cp.name = sname + ".copy_out";
      auto [cs, cd] = slots(mv_.copy_out);
      cp.operands[cs] = v;
      cp.operands[cd] = dense(sb, v.np, n);
      ops_.ops.push_back(std::move(cp));
      v = dense(sb, v.np, n);
    }
  }

  // Parameters the cover leaves out do not affect its result (a tensor_scalar's s1 under
  // op1=bypass): given as 0 where the target allows an immediate.
  void add_unread_params(NpuOp& op, const Instruction& instr, const CoverInstr& ci,
                         const std::string& sname) const {
    for (const ParamSpec& ps : instr.params) {
      if (ps.kind == ParamKind::Vector && !op.vector_tiles.count(ps.name) &&
          !op.vector_immediates.count(ps.name)) {
        if (!ps.allows_immediate)
          user_error("no lowering for " + sname + ": " + ci.name + "." + ps.name +
                     " is not bound by the cover and the target allows no immediate there");
        op.vector_immediates[ps.name] = 0.0;
      }
      if (ps.kind == ParamKind::Immediate && ps.immediate_type != "int" && !op.reals.count(ps.name))
        op.reals[ps.name] = 0.0;
    }
  }

  NpuOp start_op(const CoverInstr& ci, const Instruction& instr, const std::string& name) const {
    NpuOp op;
    op.instr = ci.name;
    op.engine = ci.engine;
    op.name = name;
    apply_params(op, instr, ci.params);
    return op;
  }

  static void apply_params(NpuOp& op, const Instruction& instr, const ParamChoice& choice) {
    for (auto& [param, value] : choice) {
      const ParamSpec* ps = instr.find_param(param);
      if (!ps)
        continue;
      if (ps->kind == ParamKind::Flag)
        op.flags[param] = value == "true";
      else if (ps->kind == ParamKind::Enum)
        op.choices[param] = value;
      else if (ps->kind == ParamKind::Immediate && ps->immediate_type == "int")
        op.integers[param] = std::stoll(value);
    }
  }

  // Out operands the cover does not name (an activation's elementwise `out` when its result is
  // the row sum `acc`): scratch tiles of the size the call binds.
  void add_extra_outputs(NpuOp& op, const Instruction& instr, const CoverInstr& ci,
                         const TileCall& call, const std::string& sname, size_t k) {
    for (const OperandSpec& o : instr.operands) {
      if (o.role != OperandRole::Out || o.name == ci.result || op.operands.count(o.name))
        continue;
      if (!o.when.empty()) {
        auto f = op.flags.find(o.when);
        if (f == op.flags.end() || !f->second)
          continue;
      }
      std::vector<int64_t> ext;
      for (auto& d : o.shape) {
        auto it = call.dims.find(d.name);
        ext.push_back(it == call.dims.end() ? 1 : it->second);
      }
      std::string mem = result_memory(instr, o.name, mv_.mem);
      int buf = pool_.next(sname + ".k" + std::to_string(k) + "." + o.name, plan_.bufs, mem,
                           operand_dtype(instr, o.name, DType::F32), free_elems(ext));
      op.operands[o.name] = dense(buf, ext.empty() ? 1 : ext[0], free_elems(ext));
    }
  }

  // Binds one operand or parameter of a call.
  void bind_operand(NpuOp& op, const Instruction& instr, const TileAccess& a, const CoverInstr& ci,
                    const std::string& sname, size_t k, const std::map<size_t, TempBuf>& temps,
                    const CoverTerm* term) {
    const ParamSpec* ps = instr.find_param(a.slot);
    const OperandSpec* os = instr.find_operand(a.slot);
    auto put = [&](const NpuView& v) {
      if (ps && ps->kind == ParamKind::Vector)
        op.vector_tiles[a.slot] = v;
      else
        op.operands[a.slot] = v;
    };
    switch (a.kind) {
    case TermKind::Constant:
      if (ps && ps->kind == ParamKind::Vector) {
        if (!ps->allows_immediate)
          user_error("no lowering for " + sname + ": " + ci.name + "." + a.slot +
                     " takes a constant but the target allows no immediate there");
        op.vector_immediates[a.slot] = a.value;
      } else if (ps && ps->kind == ParamKind::Immediate) {
        if (ps->immediate_type == "int")
          op.integers[a.slot] = static_cast<int64_t>(a.value);
        else
          op.reals[a.slot] = a.value;
      } else {
        user_error("no lowering for " + sname + ": operand " + ci.name + "." + a.slot +
                   " is a constant tile the cover does not build");
      }
      return;
    case TermKind::Temp: {
      auto it = temps.find(a.temp);
      AXON_CHECK(it != temps.end(), "npu lowering: temp of instruction " + std::to_string(a.temp) +
                                        " read before it is written");
      put(temp_view(it->second, a));
      return;
    }
    case TermKind::Scalar: {
      if (!(ps && ps->kind == ParamKind::Vector) || mv_.broadcast.empty())
        user_error(
            "no lowering for " + sname + ": " + ci.name + "." + a.slot + " reads one element of " +
            a.tensor +
            (mv_.broadcast.empty() ? " and the target has no partition broadcast" : " as a tile"));
      int64_t np = a.extents.empty() ? 1 : a.extents[0];
      int buf = pool_.next(sname + ".k" + std::to_string(k) + "." + a.slot, plan_.bufs,
                           mv_.mem.sbuf, p_.tensor(a.tensor).dtype, 1);
      NpuView src;
      src.hbm = true;
      src.object = tensor_.at(a.tensor);
      src.offset = flat(a).origin;
      src.np = 1;
      src.pstride = 1;
      src.ap = {{1, 1}};
      NpuOp b;
      b.instr = mv_.broadcast;
      b.engine = mv_.broadcast_engine;
      b.name = sname + ".bcast." + a.tensor;
      b.queue = next_queue();
      auto [s, d] = slots(mv_.broadcast);
      b.operands[s] = src;
      b.operands[d] = dense(buf, np, 1);
      ops_.ops.push_back(std::move(b));
      put(dense(buf, np, 1));
      return;
    }
    case TermKind::Tensor:
      break;
    }
    if (!a.affine)
      user_error("no lowering for " + sname + ": " + ci.name + "." + a.slot + " reads " + a.tensor +
                 " at indices that are not affine in the tile");
    const std::vector<std::string>& mems = os ? os->memories : ps->memories;
    bool sbuf_ok = std::find(mems.begin(), mems.end(), mv_.mem.sbuf) != mems.end();
    if (sbuf_ok) {
      if (std::optional<NpuView> v = onchip_rows(a)) {
        put(*v); // produced earlier in this group or preloaded: still on chip
        return;
      }
    }
    if (std::find(mems.begin(), mems.end(), mv_.mem.hbm) != mems.end()) {
      put(hbm_view(a)); // the instruction reads device memory itself (a broadcast's row)
      return;
    }
    std::string sig = a.tensor + "@" + std::to_string(flat(a).origin);
    for (size_t ax = 0; ax < a.extents.size(); ++ax)
      sig += ":" + std::to_string(a.extents[ax]) + "/" + std::to_string(flat(a).strides[ax]);
    auto route = plan_.route.find(a.tensor);
    bool pe =
        sbuf_ok && route != plan_.route.end() && route->second == "pe" && a.extents.size() == 2;
    if (pe)
      sig += ":T";
    for (auto* seen : {&loaded_, &cached_})
      if (auto it = seen->find(sig); it != seen->end() && holds_[it->second.object] == sig) {
        put(it->second); // loaded for this tile already, or kept from an earlier one
        return;
      }
    // A tile that does not change along a tile loop is kept for the next pass of that loop in
    // one buffer per tile the loops inside it read.
    int64_t np = a.extents.empty() ? 1 : a.extents[0];
    int64_t n = free_elems(a.extents);
    int64_t tile_bytes = n * dtype_bytes(p_.tensor(a.tensor).dtype);
    int64_t keep = invariant_slots(term, tile_bytes);
    // Kept tiles rotate over `bufs` sets where they fit, so the next pass's tiles are made while
    // the current ones are still read.
    if (const MemoryLevel* sb = isa_.find_memory(mv_.mem.sbuf);
        keep && sb && keep * plan_.bufs * tile_bytes <= sb->partition_bytes / 4)
      keep *= plan_.bufs;
    std::string ring = sname + ".k" + std::to_string(k) + "." + a.slot;
    if (pe) {
      NpuView v = transposed_through_pe(a, sname, k, keep ? ring + ".kept" : "",
                                        keep ? static_cast<int>(keep) : plan_.bufs);
      holds_[v.object] = sig;
      (keep ? cached_ : loaded_)[sig] = v;
      put(v);
      return;
    }
    if (auto g = onchip_.find(a.tensor); g != onchip_.end())
      AXON_CHECK(g->second.hbm, "npu lowering: " + a.tensor + " read off chip but not stored");
    int buf = keep ? pool_.next(ring + ".kept", static_cast<int>(keep), mv_.mem.sbuf,
                                p_.tensor(a.tensor).dtype, n)
                   : pool_.next(ring, plan_.bufs, mv_.mem.sbuf, p_.tensor(a.tensor).dtype, n);
    NpuView dst = dense(buf, np, n);
    // The DMA moves [np, n]: the HBM side's free axes flattened into the on-chip row.
    load(hbm_view(a), dst, sname + ".load." + a.tensor);
    holds_[buf] = sig;
    (keep ? cached_ : loaded_)[sig] = dst;
    put(dst);
  }

  // How many tiles of `term` to keep on chip so that the next pass of the innermost tile loop it
  // does not depend on finds them: the tiles of the loops inside that one which it reads; 0 when
  // it depends on every loop or they would take more than a quarter of a partition.
  int64_t invariant_slots(const CoverTerm* term, int64_t bytes) const {
    if (!term || !cur_)
      return 0;
    std::set<std::string> vars;
    for (auto& e : term->index)
      for (auto& v : free_index_vars(e))
        vars.insert(v);
    for (auto& v : term->axes)
      if (!v.empty())
        vars.insert(v);
    std::vector<std::string> loops;
    for (auto& l : cur_->loops)
      if (!cur_outer_.count(l))
        loops.push_back(l);
    int inv = -1;
    for (size_t i = 0; i < loops.size(); ++i)
      if (!vars.count(loops[i]))
        inv = static_cast<int>(i);
    if (inv < 0)
      return 0;
    int64_t slots = 1;
    for (size_t j = inv + 1; j < loops.size(); ++j)
      if (vars.count(loops[j]))
        slots *= ceil_div(cur_->extent.at(loops[j]), cur_->tile.at(loops[j]));
    const MemoryLevel* sb = isa_.find_memory(mv_.mem.sbuf);
    if (slots > 64 || !sb || slots * bytes > sb->partition_bytes / 4)
      return 0;
    return slots;
  }

  void emit_tile(const StmtTiling& st, const Cover& c, const TileCover& tc,
                 const std::string& sname, DType out_dtype,
                 const std::map<size_t, TempBuf>& hoisted, bool first_chunk, bool last_chunk) {
    std::map<size_t, TempBuf> temps = hoisted;
    if (!share_loads_)
      loaded_.clear();
    for (const TileInstr& ti : tc.instrs) {
      const CoverInstr& ci = c.instrs[ti.index];
      if (ci.hoisted)
        continue;
      const Instruction& instr = isa_.instructions.at(ci.instr);
      bool last = ti.index + 1 == c.instrs.size();
      std::string key = sname + ".k" + std::to_string(ti.index);
      if (!last) {
        temps[ti.index] =
            make_temp(ti, ci, key + ".out", plan_.bufs, result_memory(instr, ci.result, mv_.mem),
                      operand_dtype(instr, ci.result, DType::F32));
      }
      for (const TileCall& call : ti.calls) {
        if (!last && scalar_fill(ci, instr, call, temp_view(temps.at(ti.index), call.out), sname))
          continue;
        std::optional<NpuView> direct;
        NpuOp op = start_op(ci, instr, sname + "." + ci.name);
        for (size_t i = 0; i < call.operands.size(); ++i)
          bind_operand(op, instr, call.operands[i], ci, sname, ti.index, temps,
                       &ci.operands.at(i).term);
        if (!last) {
          op.operands[ci.result] = temp_view(temps.at(ti.index), call.out);
        } else {
          std::string mem = result_memory(instr, ci.result, mv_.mem);
          int64_t np = call.out.extents.empty() ? 1 : call.out.extents[0];
          int64_t n = free_elems(call.out.extents);
          DType rd = mem == mv_.mem.sbuf ? operand_dtype(instr, ci.result, out_dtype)
                                         : operand_dtype(instr, ci.result, DType::F32);
          std::optional<NpuView> gv = group_view(call.out);
          bool same = gv && ops_.buffers.at(gv->object).memory == mem;
          if (same && (mem == mv_.mem.sbuf ? st.chunked.empty() : true)) {
            direct = gv; // straight into the group's on-chip buffer
            op.operands[ci.result] = *gv;
          } else {
            if (first_chunk || result_buf_ < 0)
              result_buf_ = pool_.next(
                  key + ".res", st.chunked.empty() ? plan_.bufs : plan_.bufs + 1, mem, rd, n);
            op.operands[ci.result] = dense(result_buf_, np, n);
          }
          if (st.accumulate && !first_chunk)
            apply_params(op, instr, *st.accumulate);
        }
        add_extra_outputs(op, instr, ci, call, sname, ti.index);
        add_unread_params(op, instr, ci, sname);
        op.engine = engine_for(ci, op);
        legalize_accumulator_reads(op, instr, call, sname);
        ops_.ops.push_back(std::move(op));
        if (last && last_chunk)
          finish_result(call, sname, key, direct);
      }
    }
  }

  // The statement's result tile to its group buffer and/or HBM: copied out of the accumulator
  // memory first. `direct`: the result was written straight into the group buffer.
  void finish_result(const TileCall& call, const std::string& sname, const std::string& key,
                     const std::optional<NpuView>& direct) {
    auto g = onchip_.find(call.out.tensor);
    bool to_hbm = g == onchip_.end() || g->second.hbm;
    std::optional<NpuView> gv = direct ? direct : group_view(call.out);
    int64_t np = call.out.extents.empty() ? 1 : call.out.extents[0];
    int64_t n = free_elems(call.out.extents);
    NpuView src = direct ? *direct : dense(result_buf_, np, n);
    if (!direct) {
      const NpuOpsBuffer& rb = ops_.buffers.at(result_buf_);
      if (rb.memory != mv_.mem.sbuf || gv) {
        std::string copy = mv_.copy_out, engine = mv_.copy_out_engine;
        if (rb.memory == mv_.mem.sbuf) { // an on-chip copy into the group buffer
          copy = mv_.load;
          engine = mv_.load_engine;
        }
        if (copy.empty())
          user_error("no lowering for " + sname + ": its result lands in " + rb.memory +
                     " and the target has no copy from " + rb.memory + " to " + mv_.mem.sbuf);
        NpuView dst = gv ? *gv
                         : dense(pool_.next(key + ".out", plan_.bufs, mv_.mem.sbuf,
                                            p_.tensor(call.out.tensor).dtype, n),
                                 np, n);
        NpuOp cp;
        cp.instr = copy;
        cp.engine = engine;
        cp.name = sname + ".copy_out";
        if (rb.memory == mv_.mem.sbuf)
          cp.queue = next_queue();
        auto [s, d] = slots(copy);
        cp.operands[s] = src;
        cp.operands[d] = dst;
        ops_.ops.push_back(std::move(cp));
        src = dst;
      }
    }
    if (to_hbm)
      store(src, hbm_view(call.out), sname + ".store." + call.out.tensor);
  }

  const IndexProgram& p_;
  const NpuPlan& plan_;
  const Isa& isa_;
  NpuMovement mv_;
  NpuOps ops_;
  BufferPool pool_;
  std::map<std::string, int> tensor_;
  std::map<std::string, NpuView> loaded_; // this tile's loads by access
  std::map<int, std::string> holds_;      // buffer -> the access it holds
  int result_buf_ = -1;
  int dma_ = 0;
  std::map<size_t, std::map<size_t, TempBuf>> hoisted_; // per statement of the current group
  std::map<size_t, int> hoisted_done_;
  int generation_ = 0;                        // bumped per group
  std::map<std::string, GroupTensor> onchip_; // intermediates on chip for this outer tile
  int64_t row0_ = 0;                          // first row of the outer tile
  int64_t col0_ = 0, col_tile_ = 0;           // its columns when the group shares them (else 0)
  bool share_loads_ = false;                  // loads serve every statement of the outer tile
  std::map<std::string, Preloaded> preload_;
  std::map<std::string, NpuView> cached_; // tiles kept across tiles (invariant_slots)
  const StmtTiling* cur_ = nullptr;       // the statement being lowered
  std::set<std::string> cur_outer_;       // its Vars the group's outer loops fix
  bool first_only_ = false;
};

} // namespace

NpuOps schedule_npu_plan(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                         const Isa& isa) {
  NpuMovement mv = find_movement(isa);
  std::vector<StmtTiling> ts;
  if (std::string e = plan_tilings(p, plan, covers, isa, mv.mem, &ts); !e.empty())
    user_error(e);
  NpuOps ops = Scheduler(p, plan, isa, false).run(ts);
  if (std::string e = check_capacity(ops, isa); !e.empty())
    user_error(e);
  return ops;
}

std::string check_npu_plan(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                           const Isa& isa) {
  NpuMovement mv = find_movement(isa);
  std::vector<StmtTiling> ts;
  if (std::string e = plan_tilings(p, plan, covers, isa, mv.mem, &ts); !e.empty())
    return e;
  try {
    return check_capacity(Scheduler(p, plan, isa, true).run(ts), isa);
  } catch (const UserError& e) {
    return e.what();
  }
}

} // namespace axon
