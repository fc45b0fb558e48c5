#include "toolkits/bp/factor_model.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/token_reader.hpp"

namespace gasworks::bp {

namespace {

// Sizes a file may announce: enough for the competitions' models, and a
// guard against allocating what a corrupt header claims.
constexpr std::uint64_t max_variables = std::uint64_t{1} << 26;
constexpr std::uint64_t max_cardinality = std::uint64_t{1} << 20;
constexpr std::uint64_t max_factors = std::uint64_t{1} << 26;
constexpr std::uint64_t max_arity = 64;
constexpr std::uint64_t max_table = std::uint64_t{1} << 24;
// What a count announces is reserved up to this much; beyond, storage grows
// with what the file really holds.
constexpr std::uint64_t max_reserve = std::uint64_t{1} << 16;

}  // namespace

factor_model read_uai(const std::filesystem::path& file) {
  io::token_reader in(file);
  factor_model m;
  const std::string_view kind = in.expect("MARKOV or BAYES");
  if (kind != "MARKOV" && kind != "BAYES") throw in.error("expected MARKOV or BAYES, got '" + std::string(kind) + "'");
  m.bayes = kind == "BAYES";
  const auto n = in.expect_integer("the number of variables", 0, max_variables);
  m.cardinality.reserve(std::min(n, max_reserve));
  for (std::uint64_t i = 0; i < n; ++i)
    m.cardinality.push_back(static_cast<std::uint32_t>(in.expect_integer("a cardinality", 1, max_cardinality)));
  const auto count = in.expect_integer("the number of factors", 0, max_factors);
  m.factors.reserve(std::min(count, max_reserve));
  for (std::uint64_t f = 0; f < count; ++f) {
    factor& fac = m.factors.emplace_back();
    const auto arity = in.expect_integer("a scope size", 0, max_arity);
    std::uint64_t entries = 1;
    for (std::uint64_t i = 0; i < arity; ++i) {
      const auto v = static_cast<variable_id>(in.expect_integer("a variable of factor " + std::to_string(f) + "'s scope", 0,
                                                               n == 0 ? 0 : n - 1));
      if (n == 0) throw in.error("a scope names a variable, but the model has none");
      if (std::find(fac.scope.begin(), fac.scope.end(), v) != fac.scope.end())
        throw in.error("variable " + std::to_string(v) + " appears twice in factor " + std::to_string(f) + "'s scope");
      fac.scope.push_back(v);
      entries *= m.cardinality[v];
      if (entries > max_table) throw in.error("factor " + std::to_string(f) + "'s table would exceed 2^24 entries");
    }
  }
  for (std::uint64_t f = 0; f < count; ++f) {
    factor& fac = m.factors[f];
    std::uint64_t expected = 1;
    for (variable_id v : fac.scope) expected *= m.cardinality[v];
    const auto entries = in.expect_integer("factor " + std::to_string(f) + "'s entry count", 0, max_table);
    if (entries != expected)
      throw in.error("factor " + std::to_string(f) + " has " + std::to_string(expected) + " entries (the product of its scope's cardinalities), not " +
                     std::to_string(entries));
    std::vector<double> table;
    table.reserve(std::min(entries, max_reserve));
    for (std::uint64_t i = 0; i < entries; ++i) {
      const double x = in.expect_number("an entry of factor " + std::to_string(f));
      if (x < 0) throw in.error("factor " + std::to_string(f) + " has a negative entry");
      table.push_back(x);
    }
    fac.table = std::move(table);
    if (entries > 0 && std::all_of(fac.table.begin(), fac.table.end(), [](double x) { return x == 0; }))
      throw in.error("factor " + std::to_string(f) + "'s entries are all zero: the model gives every assignment zero weight");
  }
  if (const auto extra = in.next()) throw in.error("expected the end of the file after the last table, got '" + std::string(*extra) + "'");
  return m;
}

factor_model read_libdai(const std::filesystem::path& file) {
  io::token_reader in(file, '#');
  struct raw_factor {
    std::vector<std::uint64_t> labels;
    std::vector<std::uint32_t> cardinality;
    std::vector<double> table;  // the first variable fastest
  };
  const auto count = in.expect_integer("the number of factors", 0, max_factors);
  // Grown as factors are read, not sized by the count: a corrupt count must
  // not allocate what the file does not hold.
  std::vector<raw_factor> raw;
  std::map<std::uint64_t, std::uint32_t> cardinality_of_label;
  for (std::uint64_t f = 0; f < count; ++f) {
    raw_factor& r = raw.emplace_back();
    const auto arity = in.expect_integer("the number of variables of factor " + std::to_string(f), 0, max_arity);
    for (std::uint64_t i = 0; i < arity; ++i) {
      r.labels.push_back(in.expect_integer("a variable label", 0, std::numeric_limits<std::uint32_t>::max()));
      if (std::count(r.labels.begin(), r.labels.end(), r.labels.back()) > 1)
        throw in.error("variable " + std::to_string(r.labels.back()) + " appears twice in factor " + std::to_string(f));
    }
    std::uint64_t entries = 1;
    for (std::uint64_t i = 0; i < arity; ++i) {
      const auto c = static_cast<std::uint32_t>(in.expect_integer("a cardinality", 1, max_cardinality));
      const auto [it, added] = cardinality_of_label.emplace(r.labels[i], c);
      if (!added && it->second != c)
        throw in.error("variable " + std::to_string(r.labels[i]) + " has cardinality " + std::to_string(it->second) +
                       " elsewhere, " + std::to_string(c) + " here");
      r.cardinality.push_back(c);
      entries *= c;
      if (entries > max_table) throw in.error("factor " + std::to_string(f) + "'s table would exceed 2^24 entries");
    }
    r.table.assign(entries, 0.0);
    const auto nonzero = in.expect_integer("the number of nonzero entries", 0, entries);
    for (std::uint64_t k = 0; k < nonzero; ++k) {
      const auto index = in.expect_integer("an entry index", 0, entries - 1);
      const double value = in.expect_number("an entry value");
      if (value < 0) throw in.error("factor " + std::to_string(f) + " has a negative entry");
      r.table[index] = value;
    }
    if (std::all_of(r.table.begin(), r.table.end(), [](double x) { return x == 0; }))
      throw in.error("factor " + std::to_string(f) + "'s entries are all zero: the model gives every assignment zero weight");
  }
  if (const auto extra = in.next()) throw in.error("expected the end of the file, got '" + std::string(*extra) + "'");
  factor_model m;
  std::map<std::uint64_t, variable_id> number;
  for (const auto& [label, c] : cardinality_of_label) {
    number.emplace(label, static_cast<variable_id>(m.cardinality.size()));
    m.cardinality.push_back(c);
  }
  for (const raw_factor& r : raw) {
    factor& fac = m.factors.emplace_back();
    for (auto label : r.labels) fac.scope.push_back(number.at(label));
    // From the first variable fastest to the last fastest.
    std::vector<double> table(r.table.size());
    const std::size_t arity = r.labels.size();
    std::vector<std::uint64_t> stride(arity, 1);
    for (std::size_t i = arity; i-- > 1;) stride[i - 1] = stride[i] * r.cardinality[i];
    for (std::uint64_t index = 0; index < r.table.size(); ++index) {
      std::uint64_t rest = index, ours = 0;
      for (std::size_t i = 0; i < arity; ++i) {
        ours += (rest % r.cardinality[i]) * stride[i];
        rest /= r.cardinality[i];
      }
      table[ours] = r.table[index];
    }
    fac.table = std::move(table);
  }
  return m;
}

evidence read_evidence(const std::filesystem::path& file, const factor_model& model) {
  io::token_reader in(file);
  evidence e;
  std::vector<std::uint64_t> line_of;  // of each observation
  const auto first = in.next();
  if (!first) return e;  // an empty file: no evidence
  // The count was just read as a token; parse it through the same checks.
  std::uint64_t count = 0;
  {
    const char* last = first->data() + first->size();
    const auto [stop, status] = std::from_chars(first->data(), last, count);
    if (status != std::errc{} || stop != last || count > model.variables())
      throw in.error("expected the number of observed variables in [0, " + std::to_string(model.variables()) + "], got '" +
                     std::string(*first) + "'");
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto v = static_cast<variable_id>(in.expect_integer("an observed variable", 0, model.variables() - 1));
    const auto value = static_cast<std::uint32_t>(in.expect_integer("the value of variable " + std::to_string(v), 0, model.cardinality[v] - 1));
    for (const auto& [seen, ignored] : e)
      if (seen == v) throw in.error("variable " + std::to_string(v) + " is observed twice");
    e.emplace_back(v, value);
    line_of.push_back(in.line());
  }
  if (const auto extra = in.next()) throw in.error("expected the end of the file after the observations, got '" + std::string(*extra) + "'");
  // A factor that gives zero weight to every value the evidence leaves
  // makes the evidence impossible: say which.
  std::vector<std::int64_t> observed(model.variables(), -1);
  std::vector<std::uint64_t> observed_on(model.variables(), 0);
  for (std::size_t i = 0; i < e.size(); ++i) {
    observed[e[i].first] = e[i].second;
    observed_on[e[i].first] = line_of[i];
  }
  for (std::size_t f = 0; f < model.factors.size(); ++f) {
    const factor& fac = model.factors[f];
    std::uint64_t line = 0;
    for (variable_id v : fac.scope) line = std::max(line, observed_on[v]);
    if (line == 0) continue;  // no observed variable in its scope
    std::vector<std::uint32_t> x(fac.scope.size(), 0);
    bool possible = false;
    for (std::size_t index = 0; index < fac.table.size() && !possible; ++index) {
      bool consistent = fac.table[index] > 0;
      for (std::size_t i = 0; i < x.size() && consistent; ++i) consistent = observed[fac.scope[i]] < 0 || observed[fac.scope[i]] == x[i];
      possible = consistent;
      for (std::size_t i = x.size(); i-- > 0;) {
        if (++x[i] < model.cardinality[fac.scope[i]]) break;
        x[i] = 0;
      }
    }
    if (!possible) {
      std::string scope;
      for (variable_id v : fac.scope) scope += (scope.empty() ? "" : " ") + std::to_string(v);
      throw input_error(file, line, "factor " + std::to_string(f) + " (scope " + scope +
                                        ") gives zero weight to every value the evidence leaves: the evidence is impossible");
    }
  }
  return e;
}

marginals read_marginals(const std::filesystem::path& file, const factor_model& model) {
  io::token_reader in(file);
  const std::string_view head = in.expect("MAR");
  if (head != "MAR") throw in.error("expected MAR, got '" + std::string(head) + "'");
  const auto n = in.expect_integer("the number of variables", model.variables(), model.variables());
  marginals out(n);
  for (std::uint64_t v = 0; v < n; ++v) {
    in.expect_integer("the cardinality of variable " + std::to_string(v), model.cardinality[v], model.cardinality[v]);
    for (std::uint32_t x = 0; x < model.cardinality[v]; ++x) {
      const double p = in.expect_number("a probability");
      if (p < 0 || p > 1) throw in.error("expected a probability in [0, 1]");
      out[v].push_back(p);
    }
  }
  return out;
}

}  // namespace gasworks::bp
