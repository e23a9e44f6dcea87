// The front end as three calls: parse the text, check it against the op specs, expand named ops
// into index notation. Each stage is its own file (parse.cpp, check.cpp, expand.cpp); this header
// is the entry point the CLI, smt/, isa/ and the tests use.
#pragma once

#include <map>
#include <string>

#include "ir/index_program.h"
#include "ir/program.h"
#include "ir/source.h"
#include "ir/spec_library.h"

namespace axon {

struct FrontendOptions {
  std::map<std::string, int64_t> dim_overrides; // --dim M=64
  const SpecLibrary* specs = nullptr;           // default: SpecLibrary::builtin()
};

// .tp text -> checked Program. Bad input throws UserError with file:line:col.
Program load_program(const SourceRef& src, const FrontendOptions& opts = {});
// .tp text -> IndexProgram (load_program then expand).
IndexProgram load_index_program(const SourceRef& src, const FrontendOptions& opts = {});
// Checked Program -> IndexProgram.
IndexProgram expand(const Program& p, const SpecLibrary& specs);

} // namespace axon
