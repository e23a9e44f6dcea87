// A derivation, readably: the input program, then each proven step (kind, what it did, who proved
// it) followed by the statements it changed, then the assumptions and the final program.
#pragma once
#include "synth/discover.h"
namespace axon::synth {
std::string derivation_text(const IndexProgram& original, const Variant& v);
}
