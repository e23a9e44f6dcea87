// How deeply a JSON text nests its arrays and objects, scanned before a parser builds (and later
// copies and destroys) the tree recursively. Header-only: the runtime uses it without linking ir/.
#pragma once

#include <cstdint>
#include <string_view>

namespace axon {

// The byte offset of the first `[` or `{` (outside strings) that opens a level deeper than
// `max_depth`, or -1 when the text stays within it.
inline int64_t json_nesting_overflow(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return static_cast<int64_t>(i);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return -1;
}

} // namespace axon
