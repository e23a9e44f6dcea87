// The two error channels (see error.h).
#include "ir/error.h"

namespace axon {

void internal_error(const std::string& msg, std::source_location loc) {
  throw InternalError(std::string("internal error at ") + loc.file_name() + ":" +
                      std::to_string(loc.line()) + " (" + loc.function_name() + "): " + msg +
                      "\nThis is a bug in axon-synth; please report it with the input that caused it.");
}

void user_error(const std::string& msg) { throw UserError(msg); }

}  // namespace axon
