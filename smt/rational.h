// Exact rationals with 64-bit numerator and denominator for the coefficients of normalized
// polynomials. Overflow is not silently wrapped: it throws RationalOverflow, which the prover
// turns into an Unknown verdict (a wrong coefficient would make a proof unsound).
#pragma once

#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>

namespace axon::smt {

class RationalOverflow : public std::runtime_error {
public:
  RationalOverflow() : std::runtime_error("rational coefficient overflow") {}
};

class Rational {
public:
  Rational(int64_t n = 0) : num_(n), den_(1) {} // NOLINT: implicit from integers is intended
  Rational(int64_t n, int64_t d) { set(n, d); }

  // The exact value of the shortest decimal text that round-trips to v (1e-5 -> 1/100000),
  // which is what the user wrote; doubles that need more than 18 digits overflow.
  static Rational from_double(double v);

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }
  bool is_zero() const { return num_ == 0; }
  bool is_one() const { return num_ == 1 && den_ == 1; }
  bool is_int() const { return den_ == 1; }
  int sign() const { return num_ > 0 ? 1 : (num_ < 0 ? -1 : 0); }
  double to_double() const { return static_cast<double>(num_) / static_cast<double>(den_); }
  std::string str() const {
    return den_ == 1 ? std::to_string(num_) : std::to_string(num_) + "/" + std::to_string(den_);
  }

  friend Rational operator+(const Rational& a, const Rational& b) {
    int64_t g = std::gcd(a.den_, b.den_);
    return Rational(add(mul(a.num_, b.den_ / g), mul(b.num_, a.den_ / g)), mul(a.den_ / g, b.den_));
  }
  friend Rational operator-(const Rational& a) { return Rational(mul(a.num_, -1), a.den_); }
  friend Rational operator-(const Rational& a, const Rational& b) { return a + (-b); }
  friend Rational operator*(const Rational& a, const Rational& b) {
    int64_t g1 = std::gcd(a.num_, b.den_), g2 = std::gcd(b.num_, a.den_);
    if (g1 == 0)
      g1 = 1;
    if (g2 == 0)
      g2 = 1;
    return Rational(mul(a.num_ / g1, b.num_ / g2), mul(a.den_ / g2, b.den_ / g1));
  }
  Rational inverse() const { return num_ == 0 ? Rational(0) : Rational(den_, num_); }
  friend bool operator==(const Rational& a, const Rational& b) {
    return a.num_ == b.num_ && a.den_ == b.den_;
  }
  friend bool operator<(const Rational& a, const Rational& b) { return (a - b).sign() < 0; }

private:
  void set(int64_t n, int64_t d) {
    if (d == 0)
      throw RationalOverflow();
    if (d < 0) {
      n = mul(n, -1);
      d = mul(d, -1);
    }
    int64_t g = std::gcd(n, d);
    if (g == 0)
      g = 1;
    num_ = n / g;
    den_ = d / g;
  }
  static int64_t mul(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r))
      throw RationalOverflow();
    return r;
  }
  static int64_t add(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
      throw RationalOverflow();
    return r;
  }
  int64_t num_ = 0, den_ = 1;
};

} // namespace axon::smt
