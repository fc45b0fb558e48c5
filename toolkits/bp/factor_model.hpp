#pragma once
// A discrete graphical model as a set of factors over variables, read from
// the UAI competition's formats: the model (MARKOV or BAYES), its evidence
// and reference marginals (the MAR result format).
//
//   model     MARKOV or BAYES; n; the n cardinalities; m; m scopes, each its
//             size then its variables (0-based); then m tables, each its
//             entry count then the entries, the scope's last variable
//             changing fastest. A BAYES table is the conditional probability
//             of its last variable given the others; as a factor it is read
//             the same way.
//   evidence  e, then e pairs 'variable value'.
//   MAR       'MAR', then n and, per variable, its cardinality and its
//             marginal probabilities.
// Values may wrap across lines. Every malformed value is an input_error
// naming the file and line; nothing beyond what the header announces is
// allocated before it is read.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

namespace gasworks::bp {

using variable_id = std::uint32_t;

// A factor's entries, row-major (the scope's last variable changes
// fastest). Immutable once made and shared by copying, so that the many
// factors of a regular model (a grid's neighbours) hold one table.
class factor_table {
 public:
  factor_table() : entries_(std::make_shared<const std::vector<double>>()) {}
  factor_table(std::vector<double> entries) : entries_(std::make_shared<const std::vector<double>>(std::move(entries))) {}

  std::size_t size() const noexcept { return entries_->size(); }
  double operator[](std::size_t index) const noexcept { return (*entries_)[index]; }
  auto begin() const noexcept { return entries_->begin(); }
  auto end() const noexcept { return entries_->end(); }
  const std::vector<double>& entries() const noexcept { return *entries_; }

 private:
  std::shared_ptr<const std::vector<double>> entries_;
};

struct factor {
  std::vector<variable_id> scope;
  factor_table table;
};

struct factor_model {
  bool bayes = false;
  std::vector<std::uint32_t> cardinality;  // per variable
  std::vector<factor> factors;

  std::size_t variables() const noexcept { return cardinality.size(); }
};

// Observed values: (variable, value) pairs.
using evidence = std::vector<std::pair<variable_id, std::uint32_t>>;

// A distribution over the values of each variable.
using marginals = std::vector<std::vector<double>>;

factor_model read_uai(const std::filesystem::path& file);
// libDAI's .fg format: factors given by their variables' labels and
// cardinalities and their nonzero entries (index, value), the first variable
// changing fastest; '#' starts a comment line. Variables are numbered by
// ascending label.
factor_model read_libdai(const std::filesystem::path& file);
evidence read_evidence(const std::filesystem::path& file, const factor_model& model);
marginals read_marginals(const std::filesystem::path& file, const factor_model& model);

}  // namespace gasworks::bp
