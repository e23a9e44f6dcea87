// A SAX handler that keeps the path from the root to the value being parsed (one frame per open
// object or array: the last key, or the index of the next element) and records it when the
// parser reports an error. The nesting is held in a vector, so deep input costs no stack.
#include "sim/json_error_place.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace axon {

namespace {

using json = nlohmann::json;

class PathSax : public nlohmann::json_sax<json> {
public:
  JsonErrorPlace place;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    if (!frames_.empty())
      frames_.back().key = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception&) override {
    place.byte = position;
    place.token = last_token.substr(0, 40);
    place.pointer = pointer();
    return false;
  }

private:
  struct Frame {
    bool array = false;
    size_t index = 0;
    std::string key;
  };

  static std::string escape(const std::string& s) {
    std::string r;
    for (char c : s)
      r += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return r;
  }

  // The pointer of the value being parsed now.
  std::string pointer() const {
    std::string p;
    for (const auto& f : frames_)
      p += "/" + (f.array ? std::to_string(f.index) : escape(f.key));
    return p;
  }
  bool value() {
    if (!frames_.empty() && frames_.back().array)
      ++frames_.back().index;
    return true;
  }
  bool open(bool array) {
    frames_.push_back({array, 0, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return value();
  }

  std::vector<Frame> frames_;
};

} // namespace

JsonErrorPlace locate_json_error(const std::string& text) {
  PathSax sax;
  json::sax_parse(text, &sax);
  return sax.place;
}

} // namespace axon
