// Helpers for CLI tests: run a command, capture its output and exit status; temp folders.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dossier::testing {

struct CommandResult {
  int status = -1;  // exit status, or 128+signal
  std::string out, err;
};

// Runs `command` with /bin/sh; stdin is /dev/null unless `input` is given.
CommandResult RunCommand(const std::string& command, const std::string* input = nullptr);

// Single-quotes `s` for the shell.
std::string Quote(const std::string& s);

// A fresh empty folder under $TMPDIR, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to File(name), creating folders; returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::string IndexBin();
std::string SearchBin();
// Indexes corpus/samples with `args` into the new database File("db") of `tmp` and returns its
// path; a failed indexing fails the calling test.
std::string IndexSamples(const TempDir& tmp, const std::string& args = "-j2");

// Runs dossier-search with `args` (already quoted) against `db`, with the environment
// variable `var` set to `value` for that run only.
CommandResult SearchWithEnv(const std::string& db, const std::string& args, const char* var,
                            const char* value);

// Runs dossier-search with `args` (already quoted) against `db`, --format json, and parses
// stdout. Fails the current test (ADD_FAILURE) when the output is not JSON.
nlohmann::json SearchJson(const std::string& db, const std::string& args, int* status = nullptr);

}  // namespace dossier::testing
