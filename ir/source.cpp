// Source files and file:line:col diagnostics with the offending line and a caret.
#include "ir/source.h"

#include <fstream>
#include <sstream>

#include "ir/error.h"

namespace axon {

std::string SourceFile::line(int line_no) const {
  int cur = 1;
  size_t start = 0;
  while (cur < line_no) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) return "";
    start = nl + 1;
    ++cur;
  }
  size_t end = text.find('\n', start);
  std::string l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!l.empty() && l.back() == '\r') l.pop_back();
  return l;
}

SourceRef read_source(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) user_error(path + ": error: cannot open file (check the path)");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) user_error(path + ": error: cannot read file");
  return std::make_shared<SourceFile>(SourceFile{path, ss.str()});
}

SourceRef source_from_string(std::string text, std::string path) {
  return std::make_shared<SourceFile>(SourceFile{std::move(path), std::move(text)});
}

std::string format_diagnostic(const SourceFile& src, Loc loc, const std::string& msg,
                              const std::string& hint) {
  std::ostringstream os;
  os << src.path;
  if (loc.line > 0) os << ":" << loc.line << ":" << loc.col;
  os << ": error: " << msg;
  if (loc.line > 0) {
    std::string l = src.line(loc.line);
    // Tabs keep their width in the caret line so the caret stays under the column.
    std::string caret;
    for (int i = 1; i < loc.col && i - 1 < static_cast<int>(l.size()); ++i)
      caret += (l[i - 1] == '\t') ? '\t' : ' ';
    os << "\n  " << l << "\n  " << caret << "^";
  }
  if (!hint.empty()) os << "\n  hint: " << hint;
  return os.str();
}

void user_error_at(const SourceFile& src, Loc loc, const std::string& msg, const std::string& hint) {
  throw UserError(format_diagnostic(src, loc, msg, hint));
}

}  // namespace axon
