#pragma once
// A checkpoint that cannot be written, or read back as written: names the
// file and what is wrong with it.
#include <stdexcept>

namespace gasworks::checkpoint {

class checkpoint_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gasworks::checkpoint
