// dossier-raw-xapian-query: the same plain queries through bare Xapian (no Dossier layers), to
// measure what the searcher adds on top (scripts/bench-query).
#include <xapian.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "schema/schema.h"
#include "searcher/tools/bench_common.h"

using namespace dossier;

namespace {

constexpr char kUsage[] =
    "Usage: dossier-raw-xapian-query --db DIR --queries FILE [--reps N] [--only CLASS,...]\n\n"
    "Like dossier-bench-query, but each query is one Xapian::QueryParser::parse_query (the\n"
    "schema's stemmer, prefixes and flags; no entity, date or month/day processors, no syntax\n"
    "check), one Enquire::get_mset(0, 10, doccount) and get_data() of the hits: a lower bound\n"
    "for what Dossier's searcher can cost. Prints one JSON object like dossier-bench-query.\n";

// The parser a minimal Xapian application would build: the prefixes come from the schema's
// field table (so no prefix is spelled out here), but nothing Dossier-specific is added.
void ConfigureRawParser(Xapian::QueryParser& qp, const Xapian::Database& db) {
  qp.set_database(db);
  qp.set_stemmer(schema::Stemmer());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  for (const schema::Field& f : schema::Fields()) {
    if (f.name.empty()) continue;
    if (f.kind == schema::FieldKind::kFreeText) {
      qp.add_prefix(std::string(f.name), std::string(f.prefix));
    } else if (f.kind == schema::FieldKind::kBoolean) {
      qp.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
    }
  }
}

int Run(int argc, char** argv) {
  std::string db_path, queries_path;
  std::set<std::string> only;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db") db_path = bench::FlagValue(argc, argv, &i);
    else if (a == "--queries") queries_path = bench::FlagValue(argc, argv, &i);
    else if (a == "--reps") reps = std::stoi(bench::FlagValue(argc, argv, &i));
    else if (a == "--only") only = bench::SplitCommas(bench::FlagValue(argc, argv, &i));
    else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::fprintf(stderr, "dossier-raw-xapian-query: unknown argument '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (db_path.empty() || queries_path.empty() || reps < 1) {
    std::fprintf(stderr, "dossier-raw-xapian-query: --db and --queries are needed\n%s", kUsage);
    return 2;
  }
  std::vector<bench::BenchQuery> queries = bench::ReadBenchQueries(queries_path);

  auto open_start = std::chrono::steady_clock::now();
  Xapian::Database db(db_path);
  double open_ms = bench::MillisSince(open_start);
  const Xapian::doccount doccount = db.get_doccount();
  const unsigned flags = schema::QueryParserFlags();

  nlohmann::json rows = nlohmann::json::array();
  for (const bench::BenchQuery& q : queries) {
    if (q.cls == "statements" || (!only.empty() && !only.count(q.cls))) continue;
    rows.push_back({{"class", q.cls}, {"qid", q.qid}, {"query", q.query},
                    {"ms", nlohmann::json::array()}});
  }
  size_t data_bytes = 0;  // keeps get_data() from being optimised away
  for (int pass = 0; pass <= reps; ++pass) {
    for (nlohmann::json& row : rows) {
      std::string text = row["query"].get<std::string>();
      auto start = std::chrono::steady_clock::now();
      Xapian::QueryParser qp;
      ConfigureRawParser(qp, db);
      Xapian::Query query = text == "*" || text.empty() ? Xapian::Query::MatchAll
                                                         : qp.parse_query(text, flags);
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      Xapian::MSet mset = enquire.get_mset(0, 10, doccount);
      for (auto it = mset.begin(); it != mset.end(); ++it) data_bytes += it.get_document().get_data().size();
      double ms = bench::MillisSince(start);
      if (pass == 0) {
        row["total"] = mset.get_matches_estimated();
        row["returned"] = mset.size();
      } else {
        row["ms"].push_back(ms);
      }
    }
  }
  nlohmann::json out = {{"format_version", 1}, {"tool", "dossier-raw-xapian-query"},
                        {"db", db_path},       {"articles", doccount},
                        {"reps", reps},        {"open_ms", open_ms},
                        {"data_bytes", data_bytes}, {"queries", rows}};
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "dossier-raw-xapian-query: %s\n", e.get_description().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dossier-raw-xapian-query: %s\n", e.what());
  }
  return 2;
}
