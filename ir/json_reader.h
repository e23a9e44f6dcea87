// Reading JSON input field by field, each value with its JSON pointer, for every reader of JSON
// input: ISA targets (isa/), NPU programs (sim/), manifests and kernel interfaces (runtime/).
// A JsonAt is a value plus its pointer plus the sink that reports a problem there; its reads check
// a type, a range or the members of an object and report "<pointer>: <message>" through the sink,
// which frames the message (the file's path first) and throws the caller's error type. The wording
// of each message stays the caller's: error-message tests pin each reader's text.
// Header-only and templated on the JSON type (nlohmann::json or ordered_json): the runtime uses
// it without linking ir/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace axon {

// One reference token of a JSON pointer, `~` and `/` escaped (RFC 6901).
inline std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Reports a problem at a JSON pointer ("" is the document root). It must throw: a reader never
// continues past a bad value.
using JsonFail = std::function<void(const std::string& pointer, const std::string& message)>;

// A value's kind and, for a scalar, the value, as messages quote it: "a number (1.5)", "an integer
// (3)", "a string (\"abc\")" (cut at 40 characters), "a boolean (true)", "null", "an array",
// "an object".
template <class Json> std::string json_type_text(const Json& j) {
  if (j.is_number_float())
    return "a number (" + j.dump() + ")";
  if (j.is_number())
    return "an integer (" + j.dump() + ")";
  if (j.is_string()) {
    std::string s = j.template get<std::string>();
    if (s.size() > 40)
      s = s.substr(0, 40) + "...";
    return "a string (\"" + s + "\")";
  }
  if (j.is_boolean())
    return std::string("a boolean (") + (j.template get<bool>() ? "true" : "false") + ")";
  if (j.is_null())
    return "null";
  if (j.is_array())
    return "an array";
  return "an object";
}

template <class Json> class JsonAt {
public:
  JsonAt(const Json& j, std::string pointer, const JsonFail& fail)
      : j_(&j), ptr_(std::move(pointer)), fail_(&fail) {}

  const Json& value() const { return *j_; }
  const std::string& pointer() const { return ptr_; }

  [[noreturn]] void fail(const std::string& message) const { fail_at(ptr_, message); }
  [[noreturn]] void fail_at(const std::string& pointer, const std::string& message) const {
    (*fail_)(pointer, message);
    throw std::logic_error("JsonFail returned for " + pointer + ": " + message);
  }

  // The pointer of a member or an element of this value.
  std::string at(std::string_view key) const { return ptr_ + "/" + json_pointer_token(key); }
  std::string at(size_t i) const { return ptr_ + "/" + std::to_string(i); }

  bool is_object() const { return j_->is_object(); }
  bool has(const std::string& key) const { return j_->is_object() && j_->contains(key); }
  // A member (which must be there: check has() first) or an element, with its pointer.
  JsonAt member(const std::string& key) const { return JsonAt(j_->at(key), at(key), *fail_); }
  JsonAt element(size_t i) const { return JsonAt(j_->at(i), at(i), *fail_); }

  // The first member (in document order) whose name `allowed` lacks; nullopt when every member
  // is allowed or the value is not an object. `allowed` is any container of strings.
  template <class Names> std::optional<std::string> unknown_member(const Names& allowed) const {
    if (!j_->is_object())
      return std::nullopt;
    for (auto it = j_->begin(); it != j_->end(); ++it)
      if (std::find(std::begin(allowed), std::end(allowed), it.key()) == std::end(allowed))
        return it.key();
    return std::nullopt;
  }

  // The string, or fail(wrong_type).
  const std::string& string(const std::string& wrong_type) const {
    if (!j_->is_string())
      fail(wrong_type);
    return j_->template get_ref<const std::string&>();
  }
  // The number as a double, or fail(wrong_type).
  double number(const std::string& wrong_type) const {
    if (!j_->is_number())
      fail(wrong_type);
    return j_->template get<double>();
  }
  // The boolean, or fail(wrong_type).
  bool boolean(const std::string& wrong_type) const {
    if (!j_->is_boolean())
      fail(wrong_type);
    return j_->template get<bool>();
  }
  // A JSON integer that fits an int64_t; nullopt for anything else (a float, a string, an
  // unsigned integer of 2^63 or more).
  std::optional<int64_t> int64() const {
    if (j_->is_number_unsigned()) {
      if (j_->template get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return std::nullopt;
      return static_cast<int64_t>(j_->template get<uint64_t>());
    }
    if (j_->is_number_integer())
      return j_->template get<int64_t>();
    return std::nullopt;
  }

private:
  const Json* j_;
  std::string ptr_;
  const JsonFail* fail_;
};

} // namespace axon
