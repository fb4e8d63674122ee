// dossier-bench-query: times Dossier searches in one process, for scripts/bench-query.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "searcher/search.h"
#include "searcher/tools/bench_common.h"

using namespace dossier;

namespace {

constexpr char kUsage[] =
    "Usage: dossier-bench-query --db DIR --queries FILE [--reps N] [--facets LIST]\n"
    "                           [--no-snippets] [--limit N] [--only CLASS,...]\n"
    "                           [--facet-cache-mb N]\n\n"
    "Runs every query of FILE (CLASS<TAB>QID<TAB>QUERY lines) once untimed, then N times\n"
    "(default 5, round-robin over the queries) through searcher::Searcher::Search, timing each\n"
    "call with a steady clock, and prints one JSON object: per query its class, hit count and\n"
    "the N times in milliseconds (and the warm-up's as first_ms). Queries of class 'statements'\n"
    "search the statements database (dossier-search --statements), with the facets asked for\n"
    "that statements have (person and institution become speaker: a statement's speaker is its\n"
    "only person or institution; place is left out). --only keeps the queries of the given classes. --facet-cache-mb sets the searcher's\n"
    "facet cache (Searcher::set_facet_cache_bytes; 0: off, every search reads its documents).\n";

int Run(int argc, char** argv) {
  std::string db_path, queries_path, facets;
  std::set<std::string> only;
  int reps = 5;
  long facet_cache_mb = -1;  // -1: the searcher's default
  searcher::SearchOptions so;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db") db_path = bench::FlagValue(argc, argv, &i);
    else if (a == "--queries") queries_path = bench::FlagValue(argc, argv, &i);
    else if (a == "--reps") reps = std::stoi(bench::FlagValue(argc, argv, &i));
    else if (a == "--facets") facets = bench::FlagValue(argc, argv, &i);
    else if (a == "--limit") so.limit = std::stoull(bench::FlagValue(argc, argv, &i));
    else if (a == "--only") only = bench::SplitCommas(bench::FlagValue(argc, argv, &i));
    else if (a == "--no-snippets") so.snippets = false;
    else if (a == "--facet-cache-mb") facet_cache_mb = std::stol(bench::FlagValue(argc, argv, &i));
    else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::fprintf(stderr, "dossier-bench-query: unknown argument '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (db_path.empty() || queries_path.empty() || reps < 1) {
    std::fprintf(stderr, "dossier-bench-query: --db and --queries are needed\n%s", kUsage);
    return 2;
  }
  if (Status s = searcher::ParseFacetList(facets, &so.facets); !s.ok()) {
    std::fprintf(stderr, "dossier-bench-query: --facets: %s\n", s.message().c_str());
    return 2;
  }
  std::vector<bench::BenchQuery> queries = bench::ReadBenchQueries(queries_path);
  // Statements have a speaker, topics, a source and a date, not the article's people,
  // institutions and places: people and institutions become one speaker facet, places go.
  std::vector<searcher::FacetKind> statement_facets;
  for (searcher::FacetKind k : so.facets) {
    if (k == searcher::FacetKind::kPlace) continue;  // statements have no places
    if (k == searcher::FacetKind::kPerson || k == searcher::FacetKind::kInstitution)
      k = searcher::FacetKind::kSpeaker;
    if (std::find(statement_facets.begin(), statement_facets.end(), k) == statement_facets.end())
      statement_facets.push_back(k);
  }
  const std::vector<searcher::FacetKind> article_facets = so.facets;

  auto open_start = std::chrono::steady_clock::now();
  std::unique_ptr<searcher::Searcher> searcher;
  if (Status s = searcher::Searcher::Open(db_path, &searcher); !s.ok()) {
    std::fprintf(stderr, "dossier-bench-query: %s\n", s.message().c_str());
    return 2;
  }
  double open_ms = bench::MillisSince(open_start);
  if (facet_cache_mb >= 0) searcher->set_facet_cache_bytes(static_cast<size_t>(facet_cache_mb) << 20);

  nlohmann::json rows = nlohmann::json::array();
  std::vector<size_t> run;  // indexes into rows of the queries that are timed
  for (const bench::BenchQuery& q : queries) {
    nlohmann::json row = {{"class", q.cls}, {"qid", q.qid}, {"query", q.query}};
    if (!only.empty() && !only.count(q.cls)) continue;
    run.push_back(rows.size());
    row["ms"] = nlohmann::json::array();
    rows.push_back(row);
  }
  bool any_error = false;
  // Pass 0 warms the caches and is not timed; passes 1..reps are.
  for (int pass = 0; pass <= reps; ++pass) {
    for (size_t r : run) {
      nlohmann::json& row = rows[r];
      so.query = row["query"].get<std::string>();
      so.statements = row["class"] == "statements";
      so.facets = so.statements ? statement_facets : article_facets;
      searcher::SearchResult result;
      auto start = std::chrono::steady_clock::now();
      Status s = searcher->Search(so, &result);
      double ms = bench::MillisSince(start);
      if (!s.ok()) {
        row["error"] = s.message();
        any_error = true;
        continue;
      }
      if (pass == 0) {
        row["total"] = result.total;
        row["returned"] = result.hits.size();
        row["first_ms"] = ms;  // the untimed pass: cold caches (the OS's, Xapian's, facets')
      } else {
        row["ms"].push_back(ms);
      }
    }
  }
  nlohmann::json out = {{"format_version", 1},
                        {"tool", "dossier-bench-query"},
                        {"db", db_path},
                        {"articles", searcher->database().get_doccount()},
                        {"reps", reps},
                        {"facets", facets},
                        {"snippets", so.snippets},
                        {"limit", so.limit ? *so.limit : 0},
                        {"open_ms", open_ms},
                        {"facet_cache_mb", facet_cache_mb},
                        {"facet_cache_bytes_end", searcher->facet_cache_bytes()},
                        {"queries", rows}};
  std::cout << out.dump() << std::endl;
  return any_error ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dossier-bench-query: %s\n", e.what());
  }
  return 2;
}
