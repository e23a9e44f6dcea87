// Source text and locations for diagnostics: "file:line:col: error: msg", the source line, and a
// caret under the column.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace axon {

struct SourceFile {
  std::string path; // as given by the user ("<string>" for text not from a file)
  std::string text;
  std::string line(int line_no) const; // 1-based, without the newline
};
using SourceRef = std::shared_ptr<const SourceFile>;

struct Loc {
  int line = 0; // 1-based; 0 = unknown
  int col = 0;  // 1-based
};

// Reads a file; a missing or unreadable file is a UserError naming the path.
SourceRef read_source(const std::string& path);
SourceRef source_from_string(std::string text, std::string path = "<string>");

// "path:line:col: error: msg\n  <line>\n  <caret>\nhint" (hint omitted when empty).
std::string format_diagnostic(const SourceFile& src, Loc loc, const std::string& msg,
                              const std::string& hint = "");
[[noreturn]] void user_error_at(const SourceFile& src, Loc loc, const std::string& msg,
                                const std::string& hint = "");

} // namespace axon
