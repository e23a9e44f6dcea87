// The semantics of named ops as data. Each op of a spec file (specs/*.spec, embedded in the binary
// at build time, plus any file given with --specs) is a small index-notation program over shape
// patterns; expansion instantiates it for the operands' shapes. Adding an op is adding a spec.
// The spec language is part of the front end (ir/); specs/ holds only the shipped spec files.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/ast.h"

namespace axon {

struct SpecOp {
  AstSpecOp ast;
  SourceRef src;
  const std::string& name() const { return ast.name; }
};

class SpecLibrary {
public:
  // The specs shipped in specs/ (compiled into the binary).
  static const SpecLibrary& builtin();
  // Parses and checks a spec file and adds its ops; a duplicate (same name and `when`) is a
  // UserError naming both places.
  void add_file(const SourceRef& src);
  // Every overload of `name`; empty when unknown.
  std::vector<const SpecOp*> overloads(const std::string& name) const;
  std::vector<std::string> names() const;
  bool has(const std::string& name) const { return ops_.count(name) != 0; }

private:
  std::map<std::string, std::vector<std::shared_ptr<SpecOp>>> ops_;
};

} // namespace axon
