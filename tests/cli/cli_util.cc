// Helpers for CLI tests.
#include "cli_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dossier::testing {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

static std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult RunCommand(const std::string& command, const std::string* input) {
  TempDir tmp;
  std::string in_path = "/dev/null";
  if (input) in_path = tmp.Write("stdin", *input);
  std::string full = "( " + command + " ) <" + Quote(in_path) + " >" + Quote(tmp.File("out")) +
                     " 2>" + Quote(tmp.File("err"));
  int raw = std::system(full.c_str());
  CommandResult r;
  if (WIFEXITED(raw)) r.status = WEXITSTATUS(raw);
  else if (WIFSIGNALED(raw)) r.status = 128 + WTERMSIG(raw);
  r.out = ReadAll(tmp.File("out"));
  r.err = ReadAll(tmp.File("err"));
  return r;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/dossier-test-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string p = File(name);
  fs::create_directories(fs::path(p).parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  return p;
}

std::string IndexBin() { return DOSSIER_INDEX_BIN; }
std::string SearchBin() { return DOSSIER_SEARCH_BIN; }

nlohmann::json SearchJson(const std::string& db, const std::string& args, int* status) {
  CommandResult r = RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " --format json " + args);
  if (status) *status = r.status;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "not JSON (status " << r.status << "): " << r.out << "\nstderr: " << r.err;
    return nlohmann::json::object();
  }
  return j;
}

std::string IndexSamples(const TempDir& tmp, const std::string& args) {
  const std::string db = tmp.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " " + args + " --db " + Quote(db) + " " +
                               Quote(DOSSIER_SAMPLES));
  EXPECT_EQ(r.status, 0) << r.err;
  return db;
}

CommandResult SearchWithEnv(const std::string& db, const std::string& args, const char* var,
                            const char* value) {
  setenv(var, value, 1);
  CommandResult r = RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " " + args);
  unsetenv(var);
  return r;
}

}  // namespace dossier::testing
