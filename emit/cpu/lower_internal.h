// The LLVM lowering's internals (emit/cpu/lower_*.cpp), one idea per file; the public entry points
// are in lower_llvm.h. A Lowerer emits one kernel from a LoopNest (emit/loop_nest.h): every loop,
// guard, fusion group, staged tensor and scratch offset comes from the loop nest; the Lowerer adds
// only what the CPU makes of it (explicit vectors, registers, threads, cache hints).
//   lower_llvm.cpp          the driver: the kernel function, its buffers, the groups in order
//   lower_loops.cpp         loops, guards and the loop nest walk (nest)
//   lower_statement.cpp     a statement: assignment, lifted reduction, its initialisation and
//                           epilogue pass
//   lower_register_tile.cpp register tiles (accumulators across the reduction loop)
//   lower_group.cpp         fusion groups: the shared loop, contracted slices in the scratch
//   lower_threads.cpp       threads: the outlined worker, pthread start and join
//   lower_pack.cpp          packed copies of operands
//   lower_vector.cpp        explicit vector code (<W x float>), vector math, vector reductions
//   lower_cache_hints.cpp   streaming stores and prefetches
//   lower_memory.cpp        addresses, loads and stores, storage types (bf16, f16, bool)
//   lower_expr.cpp          scalar expressions, element functions, nested reductions
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "emit/loop_nest.h"
#include "ir/dtype.h"
#include "ir/index_program.h"

namespace axon::lowering {

class Lowerer {
public:
  Lowerer(const IndexProgram& p, const LoopNest& nest, llvm::LLVMContext& ctx,
          const std::string& name, const std::map<std::string, std::string>& vector_math,
          int math_lanes);
  std::unique_ptr<llvm::Module> run();

private:
  struct Buf {
    llvm::Value* ptr = nullptr;
    llvm::Type* elt = nullptr;
    std::vector<int64_t> shape;
    llvm::MDNode* scope = nullptr;
    llvm::MDNode* scope_list = nullptr;
    llvm::MDNode* noalias_list = nullptr;
    DType dtype = DType::F32; // what elt stores (arithmetic is in f32)
    // A temporary that lives only inside one fusion group holds one outer iteration's slice:
    // index `contracted` is taken relative to `slice_base` (shape[contracted] is the slice's).
    int contracted = -1;
    llvm::Value* slice_base = nullptr;
  };

  // ---- loops (lower_loops.cpp) ----
  void for_loop(const std::string& name, llvm::Value* n, bool vectorize, int width,
                const std::function<void(llvm::Value*)>& body, llvm::Value* start = nullptr);
  void when(llvm::Value* cond, const std::string& name, const std::function<void()>& body);
  void nest(const LoopList& ll, size_t k, const std::function<void()>& inner);
  static size_t loop_pos(const std::vector<Loop>& order, const std::string& l);

  // ---- statements (lower_statement.cpp) ----
  void lower_stmt(const Nest& n);
  void lower_stmt_body(const Nest& n);
  void epilogue_pass(const IndexStmt& st, const LoopList& over, const Expr& epi);

  // ---- register tiles (lower_register_tile.cpp) ----
  bool register_tile(const Nest& n, const ExprNode* red, const Expr& epi, const double* identity);

  // ---- fusion groups (lower_group.cpp) and threads (lower_threads.cpp) ----
  void lower_group(const Group& g);
  void with_slices(const Group& g, const std::vector<const StagedTensor*>& slices, int threads,
                   const std::function<void()>& emit);
  void run_threaded(size_t first, int64_t trip, int threads,
                    const std::function<void(const std::function<void()>&)>& around,
                    const std::function<void(llvm::Value*)>& body);

  // ---- packed copies (lower_pack.cpp) ----
  void emit_packs(const Nest& n, int64_t& at);
  void emit_pack(const StagedTensor& staged, int64_t at);

  // ---- explicit vectors (lower_vector.cpp) ----
  static const char* math_function(ExprKind k);
  std::string math_routine(ExprKind k) const;
  bool vectorizable(const Expr& e) const;
  llvm::Type* vty();
  llvm::Value* vmath(ExprKind k, llvm::Value* x);
  llvm::Value* splat(llvm::Value* v);
  bool depends_on_vec(const Expr& e);
  llvm::Value* per_lane(const std::function<llvm::Value*()>& scalar);
  bool contiguous(const std::vector<Expr>& idx);
  llvm::Value* vload(const Expr& e);
  llvm::Value* vload_out(const Buf& out, const std::vector<std::string>& vars);
  void vstore(const Buf& out, const std::vector<std::string>& vars, llvm::Value* v);
  llvm::Value* vreal(const Expr& e);
  llvm::Value* vector_reduction(const Expr& e);

  // ---- cache hints (lower_cache_hints.cpp) ----
  void prefetch_next(const Expr& e);
  void streaming_store(const Buf& out, llvm::Value* val, llvm::Value* addr);

  // ---- memory (lower_memory.cpp) ----
  llvm::Value* address(const Buf& buf, const std::vector<llvm::Value*>& idx, bool inbounds = true);
  llvm::Value* access_address(const Expr& e);
  std::vector<llvm::Value*> index_values(const std::vector<std::string>& vars);
  void tag(llvm::Instruction* inst, const Buf& buf);
  llvm::Value* load(const Buf& buf, llvm::Value* addr);
  void store_at(const Buf& buf, llvm::Value* addr, llvm::Value* v);
  void store(const Buf& buf, const std::vector<std::string>& vars, llvm::Value* v);
  llvm::Value* vload_at(const Buf& buf, llvm::Value* addr);
  static llvm::Type* like(llvm::Value* v, llvm::Type* elt);
  llvm::Value* widen(llvm::Value* raw, DType d);
  llvm::Value* narrow(llvm::Value* v, DType d);

  // ---- expressions (lower_expr.cpp) ----
  llvm::Value* real_or_bool(const Expr& e);
  llvm::Value* integer(const Expr& e);
  llvm::Value* floor_divmod(ExprKind k, llvm::Value* a, llvm::Value* d);
  llvm::Value* boolean(const Expr& e);
  llvm::Value* branch(const Expr& e, const std::function<llvm::Value*(const Expr&)>& gen,
                      llvm::Type* ty);
  llvm::Value* libm(const char* fname, std::vector<llvm::Value*> args);
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Value*> args);
  llvm::Value* real(const Expr& e);
  llvm::Value* reduction(const Expr& e);
  llvm::Value* combine(ExprKind k, llvm::Value* acc, llvm::Value* v);

  // ---- state ----
  const IndexProgram& p_;
  const LoopNest& nest_;
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> mod_;
  llvm::IRBuilder<> b_;
  bool streams_ = false; // the statement being lowered writes its output with streaming stores
  bool fence_ = false;   // some statement did: the kernel (and each worker) ends with a fence
  // The inputs the statement being lowered prefetches for its group's next outer iteration, the
  // group's outer variable (as the statement names it) and its step (see prefetch_next).
  std::set<std::string> prefetch_;
  std::string prefetch_var_;
  int64_t prefetch_step_ = 1;
  std::map<std::string, std::string>
      vector_math_; // function -> vector routine of math_lanes_ lanes
  int math_lanes_ = 0;
  int width_ = 0; // the statement's explicit vector width
  llvm::Type *f32_, *i64_, *i8_;
  std::string name_;
  llvm::Function* fn_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  std::map<std::string, Buf> bufs_;
  std::map<std::string, llvm::Value*> vars_;  // index variable -> value
  std::map<std::string, llvm::Value*> parts_; // split loop part (v.o / v.i) -> induction variable
  bool explicit_ok_ = false;                  // this statement may use explicit vector code
  size_t current_stmt_ = 0;                   // the statement being lowered
  llvm::Value* tid_ = nullptr;                // inside a threaded group's worker: its thread id
  int64_t scratch_used_ = 0;                  // the most scratch any group has used (bytes)
  int64_t scratch_bytes_ = 0;                 // the loop nest's, what the caller passes
  static constexpr const char* kScratch = "axon.scratch"; // the scratch block, in bufs_
  struct Packed {
    std::string var;
    int64_t tile = 0, lead = 0;
    size_t pos = 0; // the index position of var in the source
  };
  std::map<std::string, Packed> packed_; // operands read from their packed copy
  std::string vec_var_;                  // inside an explicit vector loop: its variable
  int64_t vec_width_ = 0;
};

} // namespace axon::lowering
