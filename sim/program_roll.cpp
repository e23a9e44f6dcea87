// Loop rolling: each pass scans the items left to right and folds the longest-covering run of
// repeated blocks starting at each position into a loop of a fresh variable; blocks match when
// every item has the same signature (everything but the constant terms of its integers) and the
// constant terms move by one step vector from block to block.
#include "sim/program_roll.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

namespace axon {

namespace {

// c + sum coef[v] * v over loop variables.
struct Affine {
  std::map<std::string, int64_t> coef;
  int64_t c = 0;
};

struct Item {
  int record = -1;          // instruction: index into the flat records
  int shape = -1;           // instruction: equal for records of equal text
  std::vector<Affine> ints; // instruction: its integers in order
  std::string var;          // loop
  int64_t count = 0;        // loop
  std::vector<Item> body;   // loop
  std::string sig;          // equal for items equal up to the constant terms
  size_t hash = 0;
  bool loop() const { return record < 0; }
};

void sign(Item& it) {
  std::string s;
  if (it.loop()) {
    s = "L" + it.var + "#" + std::to_string(it.count) + "{";
    for (const auto& b : it.body)
      s += b.sig + "\x1f";
    s += "}";
  } else {
    s = "I" + std::to_string(it.shape) + "|";
    for (const auto& a : it.ints) {
      for (const auto& [v, k] : a.coef)
        s += v + ":" + std::to_string(k) + ",";
      s += ";";
    }
  }
  it.sig = std::move(s);
  it.hash = std::hash<std::string>()(it.sig);
}

// The integers of an item in order.
void leaves(Item& it, std::vector<Affine*>& out) {
  if (it.loop()) {
    for (auto& b : it.body)
      leaves(b, out);
  } else {
    for (auto& a : it.ints)
      out.push_back(&a);
  }
}

std::vector<int64_t> constants(Item& it) {
  std::vector<Affine*> l;
  leaves(it, l);
  std::vector<int64_t> c;
  c.reserve(l.size());
  for (const Affine* a : l)
    c.push_back(a->c);
  return c;
}

void resign(Item& x) {
  for (auto& y : x.body)
    resign(y);
  sign(x);
}

bool roll_pass(std::vector<Item>& items, const std::string& var, size_t max_block) {
  const size_t n_items = items.size();
  std::vector<std::vector<int64_t>> cs(n_items);
  for (size_t i = 0; i < n_items; ++i)
    cs[i] = constants(items[i]);
  auto same_sig = [&](size_t a, size_t b) {
    return items[a].hash == items[b].hash && items[a].sig == items[b].sig;
  };
  // The step from item a to item b into d, or whether it equals d.
  auto step = [&](size_t a, size_t b, std::vector<int64_t>& d, bool compare) {
    const auto &x = cs[a], &y = cs[b];
    if (!compare)
      d.resize(x.size());
    for (size_t k = 0; k < x.size(); ++k) {
      int64_t v = y[k] - x[k];
      if (compare && d[k] != v)
        return false;
      d[k] = v;
    }
    return true;
  };
  std::vector<Item> out;
  bool changed = false;
  size_t i = 0;
  while (i < n_items) {
    size_t best_l = 0, best_n = 1;
    std::vector<std::vector<int64_t>> best_d;
    for (size_t l = 1; l <= max_block && i + 2 * l <= n_items; ++l) {
      bool ok = true;
      for (size_t t = 0; t < l && ok; ++t)
        ok = same_sig(i + t, i + l + t);
      if (!ok)
        continue;
      std::vector<std::vector<int64_t>> d(l);
      for (size_t t = 0; t < l; ++t)
        step(i + t, i + l + t, d[t], false);
      size_t n = 2;
      while (i + (n + 1) * l <= n_items) {
        size_t a = i + (n - 1) * l, b = i + n * l;
        for (size_t t = 0; t < l && ok; ++t)
          ok = same_sig(i + t, b + t) && step(a + t, b + t, d[t], true);
        if (!ok)
          break;
        ++n;
      }
      if (n * l > best_n * std::max<size_t>(best_l, 1)) {
        best_l = l;
        best_n = n;
        best_d = std::move(d);
      }
    }
    if (best_l == 0) {
      out.push_back(std::move(items[i]));
      ++i;
      continue;
    }
    Item loop;
    loop.var = var;
    loop.count = static_cast<int64_t>(best_n);
    for (size_t t = 0; t < best_l; ++t) {
      Item b = std::move(items[i + t]);
      std::vector<Affine*> l;
      leaves(b, l);
      for (size_t k = 0; k < l.size(); ++k)
        if (best_d[t][k] != 0)
          l[k]->coef[var] = best_d[t][k];
      resign(b);
      loop.body.push_back(std::move(b));
    }
    sign(loop);
    out.push_back(std::move(loop));
    i += best_n * best_l;
    changed = true;
  }
  items = std::move(out);
  return changed;
}

std::string formula(const Affine& a) {
  if (a.coef.empty())
    return std::to_string(a.c);
  std::string s = a.c != 0 ? std::to_string(a.c) : "";
  for (const auto& [v, k] : a.coef) {
    if (s.empty())
      s = k < 0 ? "-" : "";
    else
      s += k < 0 ? " - " : " + ";
    int64_t m = k < 0 ? -k : k;
    s += (m == 1 ? "" : std::to_string(m) + " * ") + v;
  }
  return "\"" + s + "\"";
}

int64_t emit(const Item& it, const std::vector<RollRecord>& flat, const std::string& indent,
             bool last, std::string& out) {
  int64_t steps = 1;
  out += indent;
  if (it.loop()) {
    out +=
        "{\"loop\": \"" + it.var + "\", \"count\": " + std::to_string(it.count) + ", \"body\": [\n";
    int64_t body = 0;
    for (size_t k = 0; k < it.body.size(); ++k)
      body += emit(it.body[k], flat, indent + "  ", k + 1 == it.body.size(), out);
    out += indent + "]}";
    steps = it.count * (1 + body);
  } else {
    size_t k = 0;
    for (char ch : flat[static_cast<size_t>(it.record)].text) {
      if (ch == kRollHole)
        out += formula(it.ints[k++]);
      else
        out += ch;
    }
  }
  out += last ? "\n" : ",\n";
  return steps;
}

} // namespace

RolledProgram roll_npu_program(const std::vector<RollRecord>& flat, const std::string& indent,
                               int max_depth, int max_block) {
  std::vector<Item> items;
  items.reserve(flat.size());
  std::unordered_map<std::string, int> shapes;
  for (size_t r = 0; r < flat.size(); ++r) {
    Item it;
    it.record = static_cast<int>(r);
    it.shape = shapes.emplace(flat[r].text, static_cast<int>(shapes.size())).first->second;
    for (int64_t v : flat[r].ints)
      it.ints.push_back({{}, v});
    sign(it);
    items.push_back(std::move(it));
  }
  for (int d = 0; d < max_depth; ++d)
    if (!roll_pass(items, "i" + std::to_string(d), static_cast<size_t>(std::max(1, max_block))))
      break;
  RolledProgram r;
  for (size_t k = 0; k < items.size(); ++k)
    r.steps += emit(items[k], flat, indent, k + 1 == items.size(), r.text);
  return r;
}

} // namespace axon
