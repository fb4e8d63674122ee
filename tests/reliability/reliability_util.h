// Helpers for the reliability tests: generated corpora, child processes, database snapshots.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli_util.h"

namespace dossier::testing {

// `count` varied news-like JSON Lines articles, the same for the same `seed`: ids
// "<id_prefix>-NNNNN" (every tenth article has no id but a unique URL instead), titles (some
// missing), dates 2019-2024 in several forms, sources, authors, bodies of 60-260 words.
std::string GenerateJsonl(int count, uint32_t seed, const std::string& id_prefix = "art");

// The first `n` lines of `jsonl` and the rest.
std::pair<std::string, std::string> SplitLines(const std::string& jsonl, int n);

// A child process started with /bin/sh -c; stdout and stderr go to files.
class Child {
 public:
  // Starts `command`; stdin is /dev/null.
  Child(const std::string& command, const std::string& out_path, const std::string& err_path);
  ~Child();  // SIGKILLs and reaps the child if it is still running
  pid_t pid() const { return pid_; }
  // Sends `signal` (to the process group: the shell and the binary it runs).
  void Kill(int signal);
  // Waits for the exit; returns the exit status, or 128+signal.
  int Wait();
  // Non-blocking: true (and *status set) once the child has ended.
  bool Poll(int* status);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
};

// The shard folders listed by DB/XAPIANDB (empty when it does not exist yet).
std::vector<std::string> ShardPaths(const std::string& db);

// Runs xapian-check on `path`; returns "" when it reports no errors, else its output.
std::string XapianCheck(const std::string& path);

// Document count of one shard or a whole database, via dossier-search (-1 on an error).
int64_t DocCount(const std::string& db);

// What a database answers: every id (sorted), and for each probe query its total and the
// ids of its first 20 hits in rank order.
struct Snapshot {
  int64_t total = -1;
  std::vector<std::string> ids;
  std::map<std::string, std::pair<int64_t, std::vector<std::string>>> queries;
  bool operator==(const Snapshot&) const = default;
};
Snapshot TakeSnapshot(const std::string& db);
// A readable difference between two snapshots ("" when equal).
std::string DescribeDifference(const Snapshot& want, const Snapshot& got);

// Seconds since `start`.
double SecondsSince(std::chrono::steady_clock::time_point start);

// True once `path` exists, polling every 5 ms up to `timeout_seconds`.
bool WaitForFile(const std::string& path, double timeout_seconds);

// Number of lines in `s` (a last line without "\n" counts).
int CountLines(const std::string& s);

}  // namespace dossier::testing
