// Two error channels (see STYLE.md):
//   UserError     — bad programs, bad ISA files, bad flags. The message names the construct, the
//                   place (file:line:col with the source line and a caret, or a JSON pointer)
//                   and what to do. The CLI prints it and exits 2.
//   InternalError — our own bugs, with the C++ source location. The CLI exits 1.
#pragma once

#include <stdexcept>
#include <string>

namespace axon {

class UserError : public std::runtime_error {
public:
  explicit UserError(const std::string& msg) : std::runtime_error(msg) {}
};

class InternalError : public std::logic_error {
public:
  explicit InternalError(const std::string& msg) : std::logic_error(msg) {}
};

// The defaults capture the caller's location (builtins that g++ and clang both provide).
[[noreturn]] void internal_error(const std::string& msg, const char* file = __builtin_FILE(),
                                 int line = __builtin_LINE(),
                                 const char* function = __builtin_FUNCTION());
[[noreturn]] void user_error(const std::string& msg);

#define AXON_CHECK(cond, msg)                                                                      \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      ::axon::internal_error(std::string("check failed: ") + #cond + ": " + (msg));                \
  } while (0)

} // namespace axon
