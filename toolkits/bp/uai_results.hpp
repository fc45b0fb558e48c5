#pragma once
// Results in the UAI competition's formats, written atomically:
//   MAR  'MAR', then on one line the number of variables and, per variable,
//        its cardinality and its marginal probabilities;
//   MAP  'MAP', then on one line the number of variables and their labels.
// Observed variables appear as what the evidence says (a point mass, their
// value).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/io/atomic_output_file.hpp"
#include "engine/io/write_number.hpp"
#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp {

inline void write_mar(const std::filesystem::path& file, const marginals& beliefs) {
  io::atomic_output_file out(file);
  auto& s = out.stream();
  s << "MAR\n" << beliefs.size();
  for (const auto& b : beliefs) {
    s << ' ' << b.size();
    for (double p : b) {
      s << ' ';
      io::write_number(s, p);
    }
  }
  s << '\n';
  out.commit();
}

inline void write_map(const std::filesystem::path& file, const std::vector<std::uint32_t>& labels) {
  io::atomic_output_file out(file);
  auto& s = out.stream();
  s << "MAP\n" << labels.size();
  for (auto l : labels) s << ' ' << l;
  s << '\n';
  out.commit();
}

}  // namespace gasworks::bp
