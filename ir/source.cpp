// Source files and file:line:col diagnostics with the offending line and a caret.
#include "ir/source.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "ir/error.h"
#include "ir/limits.h"

namespace axon {

std::string SourceFile::line(int line_no) const {
  int cur = 1;
  size_t start = 0;
  while (cur < line_no) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos)
      return "";
    start = nl + 1;
    ++cur;
  }
  size_t end = text.find('\n', start);
  std::string l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!l.empty() && l.back() == '\r')
    l.pop_back();
  return l;
}

SourceRef read_source(const std::string& path) {
  // stat() before opening: opening a FIFO blocks until a writer comes, and /dev/zero (or a
  // symlink to it) never ends. Only regular files up to kMaxInputFileBytes are read, and the read
  // itself stops there too, in case the file grows or is swapped after the stat.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    user_error(path + ": error: cannot open file (check the path)");
  if (!S_ISREG(st.st_mode))
    user_error(path + ": error: not a regular file (" +
               (S_ISDIR(st.st_mode)                          ? "a directory"
                : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                             : "a special file") +
               "); input files must be regular files");
  auto too_big = [&] {
    user_error(path + ": error: the file is larger than " +
               std::to_string(limits::kMaxInputFileBytes >> 20) +
               " MiB, the limit on one input file (docs/reliability.md)");
  };
  if (st.st_size > limits::kMaxInputFileBytes)
    too_big();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    user_error(path + ": error: cannot open file (check the path)");
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (static_cast<int64_t>(text.size()) > limits::kMaxInputFileBytes)
      too_big();
  }
  if (in.bad())
    user_error(path + ": error: cannot read file");
  return std::make_shared<SourceFile>(SourceFile{path, std::move(text)});
}

SourceRef source_from_string(std::string text, std::string path) {
  return std::make_shared<SourceFile>(SourceFile{std::move(path), std::move(text)});
}

std::string format_diagnostic(const SourceFile& src, Loc loc, const std::string& msg,
                              const std::string& hint) {
  std::ostringstream os;
  os << src.path;
  if (loc.line > 0)
    os << ":" << loc.line << ":" << loc.col;
  os << ": error: " << msg;
  if (loc.line > 0) {
    std::string l = src.line(loc.line);
    // Tabs keep their width in the caret line so the caret stays under the column.
    std::string caret;
    for (int i = 1; i < loc.col && i - 1 < static_cast<int>(l.size()); ++i)
      caret += (l[i - 1] == '\t') ? '\t' : ' ';
    os << "\n  " << l << "\n  " << caret << "^";
  }
  if (!hint.empty())
    os << "\n  hint: " << hint;
  return os.str();
}

void user_error_at(const SourceFile& src, Loc loc, const std::string& msg,
                   const std::string& hint) {
  throw UserError(format_diagnostic(src, loc, msg, hint));
}

} // namespace axon
