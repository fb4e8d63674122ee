// Helpers shared by the searcher tests: a scratch folder and a small reproducible generator.
#ifndef DOSSIER_TESTS_SEARCHER_SEARCHER_TEST_UTIL_H_
#define DOSSIER_TESTS_SEARCHER_SEARCHER_TEST_UTIL_H_

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

namespace dossier::searcher {

// A fresh folder under the temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string t =
        (std::filesystem::temp_directory_path() / "dossier-searcher-XXXXXX").string();
    path_ = mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A linear congruential generator: the same numbers on every machine.
struct Lcg {
  uint64_t s;
  uint32_t Next(uint32_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((s >> 33) % n);
  }
};

}  // namespace dossier::searcher

#endif  // DOSSIER_TESTS_SEARCHER_SEARCHER_TEST_UTIL_H_
