// Rational::from_double: the exact value of a double (see rational.h).
#include "smt/rational.h"

#include <charconv>
#include <cmath>
#include <string>

namespace axon::smt {

Rational Rational::from_double(double v) {
  if (!std::isfinite(v))
    throw RationalOverflow();
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, res.ptr);
  bool neg = false;
  size_t i = 0;
  if (s[i] == '-') {
    neg = true;
    ++i;
  }
  int64_t mant = 0;
  int exp10 = 0, digits = 0;
  bool frac = false;
  for (; i < s.size() && s[i] != 'e'; ++i) {
    if (s[i] == '.') {
      frac = true;
      continue;
    }
    if (++digits > 18)
      throw RationalOverflow();
    mant = mant * 10 + (s[i] - '0');
    if (frac)
      --exp10;
  }
  if (i < s.size())
    exp10 += std::stoi(s.substr(i + 1));
  Rational r(neg ? -mant : mant);
  Rational ten(10);
  for (; exp10 > 0; --exp10)
    r = r * ten;
  for (; exp10 < 0; ++exp10)
    r = r * Rational(1, 10);
  return r;
}

} // namespace axon::smt
