// The two error channels (see error.h).
#include "ir/error.h"

namespace axon {

void internal_error(const std::string& msg, const char* file, int line, const char* function) {
  throw InternalError(
      std::string("internal error at ") + file + ":" + std::to_string(line) + " (" + function +
      "): " + msg +
      "\nThis is a bug in axon-synth; please report it with the input that caused it.");
}

void user_error(const std::string& msg) { throw UserError(msg); }

} // namespace axon
