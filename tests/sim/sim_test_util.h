// Helpers for the simulator tests: the shipped NPU target, and a small builder that writes NPU
// programs (docs/npu-program.md) as JSON, so each test states only the instructions it is about.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "sim/program.h"

namespace axon::simtest {

using json = nlohmann::json;

inline const Isa& npu() {
  static const Isa isa = load_isa("targets/npu.json");
  return isa;
}

// A contiguous [P, F] view of a buffer (or of a row-major [rows, cols] HBM tensor).
inline json tile(const std::string& buf, int64_t n, int64_t offset = 0) {
  return {{"buf", buf}, {"n", n}, {"offset", offset}};
}
inline json ptile(const std::string& buf, int64_t p, int64_t np, int64_t n, int64_t offset = 0) {
  return {{"buf", buf}, {"p", p}, {"np", np}, {"n", n}, {"offset", offset}};
}
inline json hbm(const std::string& t, int64_t rows, int64_t cols, int64_t offset = 0,
                int64_t row_stride = -1) {
  return {{"tensor", t},
          {"offset", offset},
          {"ap", {{row_stride < 0 ? cols : row_stride, rows}, {1, cols}}}};
}

class ProgramBuilder {
public:
  ProgramBuilder() {
    doc_ = {{"schema_version", 1},
            {"name", "test"},
            {"tensors", json::array()},
            {"buffers", json::array()},
            {"program", json::array()}};
  }

  ProgramBuilder& tensor(const std::string& name, const std::string& dtype,
                         std::vector<int64_t> shape, const std::string& kind) {
    doc_["tensors"].push_back({{"name", name}, {"dtype", dtype}, {"shape", shape}, {"kind", kind}});
    return *this;
  }
  ProgramBuilder& buffer(const std::string& name, const std::string& memory,
                         const std::string& dtype, int64_t partitions, int64_t size) {
    doc_["buffers"].push_back({{"name", name},
                               {"memory", memory},
                               {"dtype", dtype},
                               {"partitions", partitions},
                               {"size", size}});
    return *this;
  }
  ProgramBuilder& raw_buffer(json b) {
    doc_["buffers"].push_back(std::move(b));
    return *this;
  }
  ProgramBuilder& instr(json j) {
    doc_["program"].push_back(std::move(j));
    return *this;
  }
  // An input tensor [P, F] loaded into an SBUF buffer of the same name plus "_s".
  ProgramBuilder& input(const std::string& name, const std::string& dtype, int64_t P, int64_t F,
                        int queue = 0) {
    tensor(name, dtype, {P, F}, "input");
    buffer(name + "_s", "SBUF", dtype, P, F);
    return instr({{"instr", "dma_copy"},
                  {"queue", queue},
                  {"src", hbm(name, P, F)},
                  {"dst", tile(name + "_s", F)}});
  }
  // An output tensor [P, F] stored from SBUF buffer `from`.
  ProgramBuilder& output(const std::string& name, const std::string& dtype, const std::string& from,
                         int64_t P, int64_t F) {
    tensor(name, dtype, {P, F}, "output");
    return instr({{"instr", "dma_copy"}, {"src", tile(from, F)}, {"dst", hbm(name, P, F)}});
  }
  std::string text() const { return doc_.dump(); }
  NpuProgram load() const { return load_npu_program_from_string(text(), npu(), "test.json"); }
  json& doc() { return doc_; }

private:
  json doc_;
};

} // namespace axon::simtest
