// ORC JIT and object emission for CPU kernels (see cpu_jit.h).
#include "emit/cpu/cpu_jit.h"

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Host.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>

#include "emit/cpu/aligned_bytes.h"
#include "emit/cpu/lower_llvm.h"
#include "ir/error.h"
#include "ir/interp.h"
#include "runtime/cpu_features.h"

namespace axon {

namespace {

void init_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

llvm::orc::JITTargetMachineBuilder machine_builder(const CpuTarget& t) {
  llvm::orc::JITTargetMachineBuilder jtmb{llvm::Triple(llvm::sys::getProcessTriple())};
  jtmb.setCPU(t.cpu);
  jtmb.addFeatures(t.features);
  jtmb.setCodeGenOptLevel(llvm::CodeGenOpt::Aggressive);
  return jtmb;
}

template <typename T> T unwrap(llvm::Expected<T> v, const char* what) {
  if (!v) {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    os << v.takeError();
    internal_error(std::string(what) + ": " + os.str());
  }
  return std::move(*v);
}

// LLVM's optimisation remarks and warnings (e.g. "loop not vectorized") are collected instead of
// printed: a requested vectorization that LLVM declines is a property of the candidate, visible
// in its IR and its time, not a message for the user.
void collect_diagnostics(llvm::LLVMContext& ctx, std::string* sink) {
  ctx.setDiagnosticHandlerCallBack(
      [](const llvm::DiagnosticInfo& di, void* p) {
        if (di.getSeverity() == llvm::DS_Error) {
          std::string msg;
          llvm::raw_string_ostream os(msg);
          llvm::DiagnosticPrinterRawOStream dp(os);
          di.print(dp);
          internal_error("LLVM: " + os.str());
        }
        if (auto* s = static_cast<std::string*>(p)) {
          llvm::raw_string_ostream os(*s);
          llvm::DiagnosticPrinterRawOStream dp(os);
          di.print(dp);
          os << "\n";
        }
      },
      sink);
}

// Lowers, then runs LLVM's O3 pipeline for the target. Math calls are vectorized through glibc's
// libmvec where it has a vector variant.
std::unique_ptr<llvm::Module> optimized_module(const IndexProgram& p, const Schedule& s,
                                               const CpuTarget& t, const std::string& name,
                                               llvm::LLVMContext& ctx, llvm::TargetMachine& tm) {
  std::unique_ptr<llvm::Module> m =
      lower_to_llvm(p, s, name, ctx, t.vector_math, t.vector_bytes / 4);
  m->setDataLayout(tm.createDataLayout());
  m->setTargetTriple(tm.getTargetTriple().str());
  for (llvm::Function& f : *m) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", t.cpu);
    std::string feats;
    for (auto& x : t.features)
      feats += (feats.empty() ? "" : ",") + x;
    f.addFnAttr("target-features", feats);
  }
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  llvm::TargetLibraryInfoImpl tlii(tm.getTargetTriple());
  tlii.addVectorizableFunctionsFromVecLib(llvm::TargetLibraryInfoImpl::LIBMVEC_X86);
  fam.registerPass([&] { return llvm::TargetLibraryAnalysis(tlii); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(*m, mam);
  return m;
}

class JitKernel : public CpuKernel {
public:
  JitKernel(std::unique_ptr<llvm::orc::LLJIT> jit, void (*fn)(void**), std::string ir,
            int64_t scratch)
      : jit_(std::move(jit)), fn_(fn) {
    ir_ = std::move(ir);
    scratch_bytes_ = scratch;
  }
  void run(void** buffers) const override { fn_(buffers); }

private:
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  void (*fn_)(void**);
};

} // namespace

bool host_has(const std::string& feature) {
  // __builtin_cpu_supports takes a literal, so every name a target may ask for is spelled here;
  // this is a question about the host, not about any target.
#define AXON_HOST_FEATURE(name)                                                                    \
  if (feature == name)                                                                             \
    return !rt::cpu_feature_hidden(name) && __builtin_cpu_supports(name);
  AXON_HOST_FEATURE("sse4.2")
  AXON_HOST_FEATURE("avx")
  AXON_HOST_FEATURE("avx2")
  AXON_HOST_FEATURE("fma")
  AXON_HOST_FEATURE("f16c")
  AXON_HOST_FEATURE("avx512f")
  AXON_HOST_FEATURE("avx512bw")
  AXON_HOST_FEATURE("avx512dq")
  AXON_HOST_FEATURE("avx512vl")
#undef AXON_HOST_FEATURE
  user_error("unknown host CPU feature '" + feature +
             "'; known: sse4.2, avx, avx2, fma, f16c, avx512f, avx512bw, avx512dq, avx512vl");
}

// The llvm field's CPU name and feature flags, checked against what LLVM knows for this host's
// architecture before any search: LLVM itself only prints a warning for an unknown name and then
// aborts or fails late (issue 18).
static void check_llvm_names(const Isa& isa) {
  std::string triple = llvm::sys::getProcessTriple(), err;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, err);
  if (!target)
    internal_error("no LLVM target for " + triple + ": " + err);
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
  if (!sti)
    internal_error("no LLVM subtarget information for " + triple);
  const std::string& cpu = isa.llvm->cpu;
  if (!sti->isCPUStringValid(cpu))
    user_error(isa.path + ": /llvm/cpu: \"" + cpu + "\" is not a CPU LLVM knows for " + triple +
               " (e.g. \"haswell\", \"skylake-avx512\", \"znver4\")");
  // LLVM 14 has no public list of features: a name is known when enabling or disabling it
  // changes the feature bits of the generic CPU. LLVM prints a warning for an unknown name while
  // it is probed; stderr is silenced meanwhile, since the error below says it better.
  auto bits = [&](const std::string& fs) {
    std::unique_ptr<llvm::MCSubtargetInfo> s(target->createMCSubtargetInfo(triple, "", fs));
    return s->getFeatureBits();
  };
  const llvm::FeatureBitset base = bits("");
  for (size_t i = 0; i < isa.llvm->features.size(); ++i) {
    std::string name = isa.llvm->features[i].substr(1);
    std::fflush(stderr);
    int saved = ::dup(2), null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
      ::dup2(null, 2);
    bool found = bits("+" + name) != base || bits("-" + name) != base;
    llvm::errs().flush();
    if (saved >= 0) {
      ::dup2(saved, 2);
      ::close(saved);
    }
    if (null >= 0)
      ::close(null);
    if (!found)
      user_error(isa.path + ": /llvm/features/" + std::to_string(i) + ": \"" +
                 isa.llvm->features[i] + "\" is not a feature LLVM knows for " + triple +
                 " (e.g. \"+avx2\", \"+fma\", \"-avx512f\")");
  }
}

CpuTarget cpu_target(const Isa& isa) {
  init_llvm();
  if (!isa.llvm)
    user_error(isa.path + ": target '" + isa.name +
               "' has no llvm backend; the CPU code generator needs one (see docs/isa.md)");
  check_llvm_names(isa);
  for (const auto& f : isa.llvm->host_features)
    if (!host_has(f))
      user_error("this CPU does not support " + f + ", which target '" + isa.name + "' (" +
                 isa.path + ") needs; use a target it supports, e.g. --isa targets/avx2.json");
  CpuTarget t;
  t.isa = isa.name;
  t.cpu = isa.llvm->cpu;
  t.features = isa.llvm->features;
  t.vector_bytes = static_cast<int>(isa.llvm->vector_bytes);
  t.vector_math = isa.llvm->vector_math;
  t.nontemporal_stores = isa.llvm->nontemporal_stores;
  return t;
}

std::unique_ptr<CpuKernel> jit_compile(const IndexProgram& p, const Schedule& s, const CpuTarget& t,
                                       const std::string& name) {
  init_llvm();
  auto jtmb = machine_builder(t);
  auto tm = unwrap(jtmb.createTargetMachine(), "creating the target machine");
  auto ctx = std::make_unique<llvm::LLVMContext>();
  std::string remarks;
  collect_diagnostics(*ctx, &remarks);
  std::unique_ptr<llvm::Module> m = optimized_module(p, s, t, name, *ctx, *tm);
  std::string ir;
  llvm::raw_string_ostream os(ir);
  m->print(os, nullptr);
  os.flush();
  auto jit = unwrap(llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(jtmb).create(),
                    "creating the JIT");
  const llvm::DataLayout& dl = jit->getDataLayout();
  jit->getMainJITDylib().addGenerator(
      unwrap(llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(dl.getGlobalPrefix()),
             "process symbols"));
  if (auto err = jit->addIRModule(llvm::orc::ThreadSafeModule(std::move(m), std::move(ctx)))) {
    std::string msg;
    llvm::raw_string_ostream es(msg);
    es << err;
    internal_error("adding the kernel to the JIT: " + es.str());
  }
  auto sym = unwrap(jit->lookup(name), "looking up the kernel");
  auto fn = reinterpret_cast<void (*)(void**)>(sym.getAddress());
  return std::make_unique<JitKernel>(std::move(jit), fn, std::move(ir), scratch_bytes(p, s));
}

namespace {

// Every tensor of p in its storage format: inputs copied in, outputs and temporaries poisoned
// (NaN, or 0xAB bytes for bool) so that an element the kernel forgets to write shows; then the
// kernel run on them.
std::vector<AlignedBytes> run_on_buffers(const CpuKernel& k, const IndexProgram& p,
                                         const std::map<std::string, TensorValue>& inputs) {
  std::vector<AlignedBytes> bufs(p.tensors().size());
  std::vector<void*> ptrs(p.tensors().size());
  for (size_t i = 0; i < p.tensors().size(); ++i) {
    const TensorDecl& t = p.tensors()[i];
    size_t n = static_cast<size_t>(p.numel(t.name));
    size_t w = static_cast<size_t>(dtype_bytes(t.dtype));
    bufs[i].resize(std::max<size_t>(n * w, 1));
    float* f = t.dtype == DType::F32 ? reinterpret_cast<float*>(bufs[i].data())
                                     : nullptr; // the common case, inline
    if (t.role == TensorRole::Input) {
      const TensorValue& in = inputs.at(t.name);
      if (f)
        for (size_t j = 0; j < n; ++j)
          f[j] = static_cast<float>(in.data[j]);
      else
        for (size_t j = 0; j < n; ++j)
          encode_element(t.dtype, in.data[j], bufs[i].data() + j * w);
    } else if (f) {
      std::fill(f, f + n, std::numeric_limits<float>::quiet_NaN());
    } else if (t.dtype != DType::Bool) {
      for (size_t j = 0; j < n; ++j)
        encode_element(t.dtype, std::nan(""), bufs[i].data() + j * w);
    } else {
      std::fill(bufs[i].begin(), bufs[i].end(), 0xAB);
    }
    ptrs[i] = bufs[i].data();
  }
  // The scratch, poisoned too: a kernel must not count on what it holds.
  AlignedBytes scratch(static_cast<size_t>(k.scratch_bytes()), 0xAB);
  if (k.scratch_bytes() > 0)
    ptrs.push_back(scratch.data());
  k.run(ptrs.data());
  return bufs;
}

double element_at(const AlignedBytes& buf, DType dtype, size_t offset) {
  if (dtype == DType::F32)
    return reinterpret_cast<const float*>(buf.data())[offset];
  return decode_element(dtype, buf.data() + offset * static_cast<size_t>(dtype_bytes(dtype)));
}

} // namespace

std::map<std::string, TensorValue>
run_on_tensors(const CpuKernel& k, const IndexProgram& p,
               const std::map<std::string, TensorValue>& inputs) {
  std::vector<AlignedBytes> bufs = run_on_buffers(k, p, inputs);
  std::map<std::string, TensorValue> out;
  for (size_t i = 0; i < p.tensors().size(); ++i) {
    const TensorDecl& t = p.tensors()[i];
    if (t.role == TensorRole::Input)
      continue;
    TensorValue v;
    v.shape = p.concrete_shape(t.name);
    size_t n = static_cast<size_t>(p.numel(t.name));
    v.data.resize(n);
    for (size_t j = 0; j < n; ++j)
      v.data[j] = element_at(bufs[i], t.dtype, j);
    out[t.name] = std::move(v);
  }
  return out;
}

std::vector<double>
run_on_tensors_at(const CpuKernel& k, const IndexProgram& p, const TensorMap& inputs,
                  const std::map<std::string, std::vector<std::vector<int64_t>>>& points) {
  std::vector<AlignedBytes> bufs = run_on_buffers(k, p, inputs);
  std::vector<double> vals;
  for (auto& [t, list] : points) {
    size_t i = 0;
    while (i < p.tensors().size() && p.tensors()[i].name != t)
      ++i;
    AXON_CHECK(i < p.tensors().size(), "no tensor " + t + " to sample");
    std::vector<int64_t> shape = p.concrete_shape(t);
    for (auto& idx : list) {
      AXON_CHECK(idx.size() == shape.size(), "point of the wrong rank for " + t);
      size_t off = 0;
      for (size_t d = 0; d < idx.size(); ++d) {
        AXON_CHECK(idx[d] >= 0 && idx[d] < shape[d], "point outside " + t);
        off = off * static_cast<size_t>(shape[d]) + static_cast<size_t>(idx[d]);
      }
      vals.push_back(element_at(bufs[i], p.tensors()[i].dtype, off));
    }
  }
  return vals;
}

std::string compile_object(const IndexProgram& p, const Schedule& s, const CpuTarget& t,
                           const std::string& name) {
  init_llvm();
  auto tm = unwrap(machine_builder(t).createTargetMachine(), "creating the target machine");
  llvm::LLVMContext ctx;
  collect_diagnostics(ctx, nullptr);
  std::unique_ptr<llvm::Module> m = optimized_module(p, s, t, name, ctx, *tm);
  llvm::SmallString<0> buf;
  llvm::raw_svector_ostream os(buf);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CGFT_ObjectFile))
    internal_error("the target cannot emit object files");
  pm.run(*m);
  return std::string(buf.begin(), buf.end());
}

} // namespace axon
