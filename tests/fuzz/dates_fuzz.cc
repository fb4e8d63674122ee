// Fuzz target: corpus::ParseDate on arbitrary text.
#include <string_view>

#include "corpus/dates.h"
#include "fuzz_util.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<int64_t> t = corpus::ParseDate(text);
  if (t) {
    // Years 1..9999 only (a zone offset may move the instant by up to a day).
    constexpr int64_t kYear1 = -62135596800, kYear10000 = 253402300800, kDay = 86400;
    fuzz::Check(*t >= kYear1 - kDay && *t < kYear10000 + kDay, "date outside years 1..9999");
    // Surrounding whitespace is ignored.
    fuzz::Check(corpus::ParseDate(" " + std::string(text) + " ") == t, "whitespace changes the date");
  }
  return 0;
}
