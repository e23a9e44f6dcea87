// NPU program objects and the loader: parse (sim/program_parse.h), check every legality rule
// (sim/program_check.h), index the distinct uses (sim/program_uses.h).
#include "sim/program.h"

#include "ir/error.h"
#include "sim/input_file.h"
#include "sim/program_check.h"
#include "sim/program_parse.h"
#include "sim/program_uses.h"

namespace axon {

int64_t HbmTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t Tile::free_size() const {
  int64_t n = 1;
  for (const auto& d : ap)
    n *= d.count;
  return n;
}

std::string NpuInstr::where() const {
  std::string s = "instruction " + std::to_string(index);
  if (!name.empty())
    s += " '" + name + "'";
  s += " (" + instr->name + " on " + engine->name;
  if (engine->queues > 1)
    s += " queue " + std::to_string(queue);
  return s + ")";
}

const HbmTensor* NpuProgram::find_tensor(const std::string& n) const {
  for (const auto& t : tensors)
    if (t.name == n)
      return &t;
  return nullptr;
}
const Buffer* NpuProgram::find_buffer(const std::string& n) const {
  for (const auto& b : buffers)
    if (b.name == n)
      return &b;
  return nullptr;
}
const std::string& NpuProgram::memory_of(const Tile& t) const {
  return t.in_hbm ? hbm_memory : buffers[t.object].memory;
}
DType NpuProgram::dtype_of(const Tile& t) const {
  return t.in_hbm ? tensors[t.object].dtype : buffers[t.object].dtype;
}

NpuProgram load_npu_program_from_string(const std::string& text, const Isa& isa,
                                        const std::string& path) {
  ParsedNpuProgram parsed = parse_npu_program(text, isa, path);
  std::vector<NpuDiagnostic> bad = check_npu_program(parsed.program, isa);
  if (!bad.empty()) {
    // "/instrs/K/rest" -> the pointer of instruction K in the file, then "/rest".
    std::string ptr = bad.front().pointer;
    if (ptr.rfind("/instrs/", 0) == 0) {
      size_t end = ptr.find('/', 8);
      size_t k = std::stoul(ptr.substr(8, end == std::string::npos ? end : end - 8));
      ptr = parsed.instr_pointers.at(k) + (end == std::string::npos ? "" : ptr.substr(end));
    }
    user_error(path + ": " + ptr + ": " + bad.front().message);
  }
  index_uses(parsed.program);
  return std::move(parsed.program);
}

NpuProgram load_npu_program(const std::string& path, const Isa& isa) {
  return load_npu_program_from_string(read_sim_input_file(path, "NPU program"), isa, path);
}

} // namespace axon
