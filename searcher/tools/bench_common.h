// Shared by the benchmark tools: the query file format and small command-line helpers.
#pragma once

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace dossier::bench {

// One line of scripts/bench-queries.tsv: CLASS<TAB>QID<TAB>QUERY ('#' starts a comment).
struct BenchQuery {
  std::string cls, qid, query;
};

// Reads the query file; throws std::runtime_error naming the file and line on a bad line.
inline std::vector<BenchQuery> ReadBenchQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  std::vector<BenchQuery> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto t1 = line.find('\t');
    auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": want CLASS<TAB>QID<TAB>QUERY");
    }
    out.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
  }
  return out;
}

// "a,b,c" -> {"a","b","c"}; "" -> {}.
inline std::set<std::string> SplitCommas(const std::string& s) {
  std::set<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.insert(item);
  }
  return out;
}

// Milliseconds since `start`.
inline double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Minimal flag parsing for the tools (Boost.Program_options stays in the main.cc files).
// Returns the value after `name` at argv[i] and advances i; throws when it is missing.
inline std::string FlagValue(int argc, char** argv, int* i) {
  if (*i + 1 >= argc) throw std::runtime_error(std::string(argv[*i]) + " wants a value");
  return argv[++*i];
}

}  // namespace dossier::bench
