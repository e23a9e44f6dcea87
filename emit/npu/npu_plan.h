// The NPU backend's candidate (a Plan of search/backend.h): per statement which cover of its
// instruction selection runs and how its Vars are tiled (the Var on the partitions at most the
// partition count), how statements fuse into groups that share their outer tile loops and keep
// intermediates on chip, how tensors read in another layout than their HBM one get there, what is
// preloaded into SBUF, and how many rotating buffers and DMA queues stream the tiles. Lowering it
// to a program: emit/npu/lower.h.
//
//   NpuPlan     ::= stmts: NpuStmtPlan*  groups: [stmt index*]*  route: tensor -> "dma" | "pe"
//                   preload: tensor*  bufs: 1..3  queues: 1..(the DMA engine's queues)
//   NpuStmtPlan ::= cover: Int  tile: Var -> Int  order: Var*
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "search/backend.h"

namespace axon {

struct NpuStmtPlan {
  int cover = 0;                       // which of the statement's covers (0: the cheapest)
  std::map<std::string, int64_t> tile; // cover Var -> tile extent (absent: the whole extent);
                                       // the Var on partitions <= the partition count
  std::vector<std::string> order;      // the statement's tile loops, outermost first
  bool operator==(const NpuStmtPlan&) const = default;
};

struct NpuPlan : PlanData {
  std::vector<NpuStmtPlan> stmts;          // one per statement of the IndexProgram
  std::vector<std::vector<size_t>> groups; // fusion groups in program order, each statement in
                                           // exactly one; a group shares its outer tile loops and
                                           // keeps its intermediates on chip
  // A tensor read in a layout other than its HBM row-major one: "dma" (a transposing DMA) or "pe"
  // (rows loaded, transposed on a transpose instruction into PSUM, copied to SBUF).
  std::map<std::string, std::string> route;
  std::vector<std::string> preload; // input tensors loaded whole into SBUF once, before every loop
  int bufs = 2;                     // rotating buffers per streamed tile (1..3)
  int queues = 2;                   // DMA queues that loads/stores alternate over
  bool operator==(const NpuPlan& o) const {
    return stmts == o.stmts && groups == o.groups && route == o.route && preload == o.preload &&
           bufs == o.bufs && queues == o.queues;
  }
};

// One line per statement ("s0 y: cover 0 tile {i: 128, j: 512} order [i, j] group 0"), then one
// for the plan's memory settings; deterministic, so it names the candidate.
std::string npu_plan_text(const IndexProgram& p, const NpuPlan& plan);
// Every field; the inverse checks the shape of each (a UserError naming `where` + the JSON
// pointer of the bad field) but not legality against a program (npu_plan_legality does that).
nlohmann::json npu_plan_to_json(const NpuPlan& plan);
NpuPlan npu_plan_from_json(const nlohmann::json& j, const std::string& where);

} // namespace axon
