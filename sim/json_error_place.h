// Where a JSON text stops parsing, as a JSON pointer: the simulator's messages name the pointer of
// a bad value (a number past a double such as 1e400, a syntax error) rather than only a byte.
#pragma once

#include <cstddef>
#include <string>

namespace axon {

struct JsonErrorPlace {
  std::string pointer; // of the value being parsed when the parser stopped ("" at top level)
  size_t byte = 0;     // position of the parser
  std::string token;   // the offending token, at most 40 characters
};

// Parses `text` again with a path-tracking SAX handler; call it after json::parse failed.
JsonErrorPlace locate_json_error(const std::string& text);

} // namespace axon
