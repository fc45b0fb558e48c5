#include "toolkits/cf/model_files.hpp"

#include <unordered_map>

#include "engine/io/atomic_output_file.hpp"
#include "engine/io/write_number.hpp"

namespace gasworks::cf {

using io::write_number;

void write_factors(const std::filesystem::path& path, const std::vector<fitted_vertex>& model, bool users) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  for (const auto& [id, v] : model) {
    if (is_user(id) != users || !v.fitted()) continue;
    out << id_in_its_side(id);
    for (Eigen::Index k = 0; k < v.factors.size(); ++k) {
      out << '\t';
      write_number(out, v.factors[k]);
    }
    out << '\n';
  }
  file.commit();
}

void write_biases(const std::filesystem::path& path, const std::vector<fitted_vertex>& model, double mean) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  out << "mean\t";
  write_number(out, mean);
  out << '\n';
  for (const bool users : {true, false})
    for (const auto& [id, v] : model) {
      if (is_user(id) != users || !v.fitted()) continue;
      out << (users ? "user\t" : "item\t") << id_in_its_side(id) << '\t';
      write_number(out, v.bias);
      out << '\n';
    }
  file.commit();
}

prediction_outcome write_predictions(const std::filesystem::path& path, const prediction_request& request,
                                     const std::vector<fitted_vertex>& model, const prediction_rule& rule) {
  std::unordered_map<vertex_id, const latent_vertex*> by_id;
  by_id.reserve(model.size());
  for (const auto& [id, v] : model) by_id.emplace(id, &v);
  const latent_vertex unfitted;
  auto find = [&](vertex_id id) -> const latent_vertex& {
    const auto it = by_id.find(id);
    return it == by_id.end() ? unfitted : *it->second;
  };
  prediction_outcome outcome;
  io::atomic_output_file file(path);
  auto& out = file.stream();
  const auto& pairs = request.pairs.ratings;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const latent_vertex& user = find(user_vertex(pairs[i].user));
    const latent_vertex& item = find(item_vertex(pairs[i].item));
    if (!user.fitted() || !item.fitted()) {
      if (outcome.unknown++ == 0 && i < request.pairs.lines.size()) outcome.first_unknown_line = request.pairs.lines[i];
    }
    out << pairs[i].user << '\t' << pairs[i].item << '\t';
    write_number(out, rule(user, item));
    out << '\n';
  }
  file.commit();
  outcome.written = pairs.size();
  return outcome;
}

}  // namespace gasworks::cf
