// A target ISA as data: memory levels, engines, contention rules and instructions, loaded from a
// JSON file (schema in docs/isa.md) and validated on load. Nothing about a particular target is
// known to the C++ code; every target-specific fact lives in targets/*.json.
//
// Model (one screen):
//   Isa         ::= name backends [llvm] constants MemoryLevel* Engine* Contention* Instruction*
//   MemoryLevel ::= name kind capacity partitions [banks] [registers] bandwidth
//                   readers writers accumulators PartitionRule*
//   Engine      ::= name kind lanes clock count queues cost_unit overheads
//   Instruction ::= name engines Operand* Param* semantics cost constraints emit[backend]
//   Operand     ::= name role(in|out) memories dtypes shape: (dim [min] [max])* [when flag]
//   Param       ::= enum(values -> expression templates) | flag | immediate | vector(dim)
// Semantics are statements in .tp index notation with `@param(args)` placeholders for enum and
// flag parameters; instantiating every enum/flag gives an IndexProgram that smt/ can compare
// with a granular computation (see instruction_semantics below).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "ir/enum_table.h"
#include "ir/index_program.h"
#include "isa/cost_expr.h"

namespace axon {

inline constexpr int kIsaSchemaVersion = 1;

enum class MemoryKind { Dram, Sram, Accumulator, Cache, Register };
inline constexpr EnumName<MemoryKind> kMemoryKindNames[] = {
    {MemoryKind::Dram, "dram"},
    {MemoryKind::Sram, "sram"},
    {MemoryKind::Accumulator, "accumulator"},
    {MemoryKind::Cache, "cache"},
    {MemoryKind::Register, "register"}};
const char* memory_kind_name(MemoryKind k);

struct PartitionRule {
  int64_t min_partitions = 1;
  int64_t max_partitions = 1;
  std::vector<int64_t> starts; // allowed first partitions of a tile of that height
};

struct MemoryLevel {
  std::string name;
  MemoryKind kind = MemoryKind::Sram;
  std::string description;
  int64_t capacity_bytes = 0;
  bool shared = false; // one instance shared by all engine instances (an L3, HBM), else per core
  int64_t partitions = 1;
  int64_t partition_bytes = 0; // capacity_bytes / partitions
  int64_t banks = 0;           // 0: not banked; banks split each partition
  int64_t bank_bytes = 0;
  int64_t registers = 0; // register files: number of registers and their width
  int64_t register_bytes = 0;
  std::optional<int64_t> max_free_elems; // largest free (non-partition) size of one tile
  // Sustained read bandwidth (GB/s = bytes/ns) from this level into one engine instance (one
  // core); the write bandwidth; and the total when every instance streams at once (shared levels
  // saturate below count x bandwidth_gbps).
  std::optional<double> bandwidth_gbps;
  std::optional<double> write_bandwidth_gbps;
  std::optional<double> aggregate_bandwidth_gbps;
  std::optional<double> latency_ns;
  std::vector<std::string> readers, writers, accumulators; // engine names
  std::vector<PartitionRule> partition_rules;              // empty: any start
};

enum class CostUnit { Cycles, Ns };
inline constexpr EnumName<CostUnit> kCostUnitNames[] = {{CostUnit::Cycles, "cycles"},
                                                        {CostUnit::Ns, "ns"}};
const char* cost_unit_name(CostUnit u);

struct Engine {
  std::string name;
  std::string kind; // free text class: "tensor", "vector", "dma", "core", ...
  std::string description;
  int64_t lanes = 1;
  std::optional<double> clock_ghz; // required when cost_unit is cycles
  int64_t count = 1;               // identical instances (CPU cores)
  int64_t queues = 1;              // independent instruction queues (DMA rings)
  CostUnit cost_unit = CostUnit::Cycles;
  // Optional numeric attributes; each one present is also a cost-formula variable of the
  // engine's instructions (by the JSON field name, e.g. `fixed_cost_ns`).
  std::map<std::string, double> attributes;
};

struct ContentionRule {
  std::string memory;
  std::vector<std::string> engines; // at most one of them accesses `memory` at a time
  std::string description;
};

enum class OperandRole { In, Out };
inline constexpr EnumName<OperandRole> kOperandRoleNames[] = {{OperandRole::In, "in"},
                                                              {OperandRole::Out, "out"}};
const char* operand_role_name(OperandRole r);

struct DimSpec {
  std::string name;
  std::optional<int64_t> min, max;
};

struct OperandSpec {
  std::string name;
  OperandRole role = OperandRole::In;
  std::string description;
  std::vector<std::string> memories; // where it may live
  std::vector<DType> dtypes;         // accepted element types (first = default)
  std::vector<DimSpec> shape;        // dim 0 is the partition dim of a partitioned memory
  std::string accumulate_flag;       // out operand: accumulates into memory when this flag is set
  std::string when;                  // present only when this flag is set
  // Bound to a tensor in memory, the operand's last axis must be the tensor's innermost axis
  // (unit stride): vector loads and stores.
  bool contiguous = false;
};

enum class ParamKind { Enum, Flag, Immediate, Vector };
inline constexpr EnumName<ParamKind> kParamKindNames[] = {{ParamKind::Enum, "enum"},
                                                          {ParamKind::Flag, "flag"},
                                                          {ParamKind::Immediate, "immediate"},
                                                          {ParamKind::Vector, "vector"}};
const char* param_kind_name(ParamKind k);

struct ParamValue {
  std::string name;
  std::string expr;                        // index-notation template with $0 .. $(arity-1)
  std::map<std::string, std::string> emit; // backend -> spelling (default: the value name)
  std::optional<double> accuracy_ulp;
};

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::Enum;
  std::string description;
  // Enum and Flag: the values (a flag has "false" and "true", in that order) and the number of
  // arguments the placeholder `@name(...)` takes.
  std::vector<ParamValue> values;
  int arity = 1;
  // Immediate: "f32" (a real scalar) or "int" (an integer, bound as a symbolic dim).
  std::string immediate_type;
  // Vector: a tensor of shape [dim] (one value per partition), where it may live, its dtypes,
  // and whether the emitter may pass an immediate instead (all entries equal).
  std::string dim;
  std::vector<std::string> memories;
  std::vector<DType> dtypes;
  bool allows_immediate = false;

  const ParamValue* find_value(const std::string& v) const;
};

struct SemanticsStmt {
  std::string text; // "out[p, f] = @func(in[p, f] * scale[p] + bias[p])"
  std::string when; // flag that must be set for the statement to exist; empty: always
};

struct Instruction {
  std::string name;
  std::string description;
  bool library = false; // a software routine (CPU math functions), not one hardware instruction
  std::vector<std::string> engines;
  std::vector<OperandSpec> operands;
  std::vector<ParamSpec> params;
  std::vector<SemanticsStmt> semantics;
  CostExpr cost;                           // in the engine's cost_unit
  std::vector<CostExpr> constraints;       // each must be non-zero for a use to be legal
  std::map<std::string, std::string> emit; // backend -> template with {operand}/{param}
  std::optional<double> accuracy_ulp;

  const OperandSpec* find_operand(const std::string& n) const;
  const ParamSpec* find_param(const std::string& n) const;
  // Distinct dims of all operands and vector params, in first-use order.
  std::vector<std::string> dims() const;
  // Tightest bounds of a dim over every operand that uses it.
  DimSpec dim_bounds(const std::string& dim) const;
};

// The llvm.vector_math value that asks for the LLVM backend's own implementation of a function,
// and the functions that have one (emit/cpu/vector_math.h).
inline constexpr const char* kInlineVectorMath = "inline";
inline const std::vector<std::string> kInlineVectorMathFunctions = {"exp", "tanh"};
// Whether SYMBOL is a vector routine the llvm backend may call for FUNCTION ("exp", "log", "tanh",
// "erf") on vectors of VECTOR_BYTES: only glibc libmvec's unmasked f32 variants of that very
// function and width (_ZGV{b,c,d,e}N{4,8,8,16}v_<function>f), so that a target file can never
// make a kernel call another symbol (e.g. libc's system()).
bool known_vector_math_routine(const std::string& function, const std::string& symbol,
                               int64_t vector_bytes);
// The symbols known_vector_math_routine accepts for FUNCTION and VECTOR_BYTES.
std::vector<std::string> vector_math_routines(const std::string& function, int64_t vector_bytes);

// Code generation settings of the `llvm` backend (required when a target declares it): LLVM's CPU
// name and feature flags, the vector register width the lowering uses, and the host CPU features
// (as the compiler's __builtin_cpu_supports names them) a kernel needs to run.
struct LlvmBackend {
  std::string cpu;                        // "haswell"
  std::vector<std::string> features;      // "+avx2", "-avx512f"
  int64_t vector_bytes = 0;               // 16, 32 or 64
  std::vector<std::string> host_features; // "avx2", "fma"
  // Vector math routines: function ("exp", "log", "tanh", "erf") -> symbol of a routine taking and
  // returning one vector of vector_bytes / 4 f32 (glibc's libmvec, e.g. "_ZGVdN8v_expf"), or
  // "inline" for the LLVM backend's own straight-line implementation (emit/cpu/vector_math.h; the
  // functions that have one are kInlineVectorMathFunctions).
  std::map<std::string, std::string> vector_math;
  // Whether LLVM lowers `!nontemporal` vector stores of vector_bytes to the target's streaming
  // (cache-bypassing) stores, e.g. vmovntps; the CPU search then measures them for large outputs.
  bool nontemporal_stores = false;
};

struct Isa {
  int schema_version = kIsaSchemaVersion;
  std::string name;
  std::string description;
  std::string path; // file it was loaded from ("<string>" otherwise)
  std::vector<std::string> backends;
  std::map<std::string, double> constants;
  std::vector<MemoryLevel> memories;
  std::vector<Engine> engines;
  std::vector<ContentionRule> contention;
  std::vector<Instruction> instructions;
  std::optional<LlvmBackend> llvm; // present exactly when backends lists "llvm"

  const MemoryLevel* find_memory(const std::string& n) const;
  const Engine* find_engine(const std::string& n) const;
  const Instruction* find_instruction(const std::string& n) const;
  const Instruction& instruction(const std::string& n) const; // UserError when absent
  // Whether `engine` may read / write / accumulate into `memory` (by the memory's lists).
  bool can_read(const std::string& engine, const std::string& memory) const;
  bool can_write(const std::string& engine, const std::string& memory) const;
  bool can_accumulate(const std::string& engine, const std::string& memory) const;
};

// Reads and validates a target file. Any problem is a UserError "PATH: /json/pointer: what is
// wrong; what is expected".
Isa load_isa(const std::string& path);
// The same from text (tests, fuzzing); `path` only names the source in messages.
Isa load_isa_from_string(const std::string& text, const std::string& path = "<string>");

// A readable multi-line summary for `axon-synth isa show`.
std::string describe_isa(const Isa& isa);

// The target as canonical JSON (fixed field order, defaults written out); loading it gives the
// same Isa. isa_hash is a 16-hex-digit FNV-1a hash of that text: the "ISA hash" of cache keys,
// unchanged by whitespace, field order or omitted defaults in the file.
std::string isa_to_json(const Isa& isa);
std::string isa_hash(const Isa& isa);

// --- Semantics -------------------------------------------------------------------------------
// A choice of value for each enum parameter ("exp") and flag ("true"/"false"). Missing entries
// take the first value (flags: false).
using ParamChoice = std::map<std::string, std::string>;

// Every combination of enum values and flags (for enumerating instruction instances in synth/).
std::vector<ParamChoice> all_param_choices(const Instruction& instr);

// A choice may also give an int immediate its integer ("stride": "2"); unset ones take their
// JSON default. Real immediates and vector params stay symbolic.
//
// The .tp text of one instantiation: `where` for every dim, `input` for in operands, vector
// params and real immediates (f32[] scalars), `inout` for out operands that accumulate under a
// set flag, and the statements with placeholders and int immediates expanded. UserError if
// `choice` names an unknown parameter or value.
std::string semantics_source(const Instruction& instr, const ParamChoice& choice);
// That text parsed by the .tp front end: the instruction as an IndexProgram whose tensors are the
// operands and params by name.
IndexProgram instruction_semantics(const Instruction& instr, const ParamChoice& choice);

// --- Emit ------------------------------------------------------------------------------------
// The emit template of `backend` with each {operand} replaced by `names[operand]` (the backend's
// spelling of the buffer or register), each {enum or flag} by the chosen value's spelling for the
// backend (its "emit" entry, else its name), and each {immediate or vector param} by
// `names[param]`. UserError when a needed name is missing or the backend is unknown.
std::string emit_text(const Instruction& instr, const std::string& backend,
                      const ParamChoice& choice, const std::map<std::string, std::string>& names);

// --- Cost ------------------------------------------------------------------------------------
// A concrete use of an instruction, for costing. Unset dims are an error; an unset memory or
// dtype takes the operand's first one; unset params take their first value.
struct InstrUse {
  std::string engine;                  // default: the instruction's first engine
  std::map<std::string, int64_t> dims; // shape dim -> size
  ParamChoice params;
  // operand / vector param -> memory level; "immediate" for a vector param passed as one
  std::map<std::string, std::string> memory;
  std::map<std::string, DType> dtypes; // operand / vector param -> dtype
};

// The variables a cost formula or constraint of `instr` may use (documented in docs/isa.md).
std::vector<std::string> cost_variables(const Isa& isa, const Instruction& instr);
// Cost of one execution in the engine's cost_unit, and in nanoseconds.
double instruction_cost(const Isa& isa, const Instruction& instr, const InstrUse& use);
double instruction_cost_ns(const Isa& isa, const Instruction& instr, const InstrUse& use);
// The constraints (and dim bounds) that `use` violates, as readable lines; empty when legal.
std::vector<std::string> check_use(const Isa& isa, const Instruction& instr, const InstrUse& use);

} // namespace axon
