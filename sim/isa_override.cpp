// Parses and applies one "ENGINE.ATTRIBUTE=VALUE" override to a loaded Isa.
#include "sim/isa_override.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "ir/error.h"

namespace axon {

void apply_isa_override(Isa& isa, const std::string& a) {
  size_t dot = a.find('.'), eq = a.find('=');
  if (dot == std::string::npos || eq == std::string::npos || dot == 0 || eq < dot + 2 ||
      eq + 1 >= a.size())
    user_error("--set '" + a +
               "': expected ENGINE.ATTRIBUTE=VALUE, e.g. DMA.aggregate_bandwidth_gbps=110");
  std::string engine = a.substr(0, dot), attr = a.substr(dot + 1, eq - dot - 1),
              val = a.substr(eq + 1);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(val.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || !std::isfinite(v))
    user_error("--set '" + a + "': '" + val + "' is not a number");
  for (auto& e : isa.engines)
    if (e.name == engine) {
      e.attributes[attr] = v;
      return;
    }
  std::string known;
  for (const auto& e : isa.engines)
    known += (known.empty() ? "" : ", ") + e.name;
  user_error("--set '" + a + "': target '" + isa.name + "' has no engine '" + engine +
             "'; engines: " + known);
}

} // namespace axon
