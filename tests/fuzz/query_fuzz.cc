// Fuzz target: the query front end: searcher::CheckQuerySyntax, Searcher::ParseQuery and a
// search, on a small database built once from a few articles.
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "fuzz_util.h"
#include "indexer/indexer.h"
#include "searcher/search.h"

using namespace dossier;

namespace {

searcher::Searcher* OpenTestDatabase() {
  char templ[] = "/tmp/dossier-query-fuzz-XXXXXX";
  fuzz::Check(mkdtemp(templ) != nullptr, "mkdtemp");
  std::string db = std::string(templ) + "/db";
  indexer::IndexerOptions options;
  options.db_path = db;
  options.jobs = 2;
  std::unique_ptr<indexer::Indexer> ix;
  fuzz::Check(indexer::Indexer::Open(options, &ix).ok(), "opening the test database");
  const char* const kBodies[][3] = {
      {"a1", "Ceasefire talks resume in Geneva", "Antony Blinken met the envoy in Geneva; a truce could follow."},
      {"a2", "Central bank holds interest rates", "The European Central Bank kept rates steady on Thursday."},
      {"a3", "Aid convoy reaches Gaza", "A humanitarian pause let the United Nations convoy pass."},
      {"a4", "", "Officials said the count in the northern districts would finish next week."},
  };
  int day = 1;
  for (const auto& b : kBodies) {
    corpus::Article a;
    a.id = b[0];
    a.title = b[1];
    a.body = b[2];
    a.source = "Harbour Times";
    a.author = "Jane Doe";
    a.date = 1700000000 + 86400 * day++;
    a.origin = "fuzz";
    fuzz::Check(ix->Add(std::move(a)).ok(), "adding an article");
  }
  fuzz::Check(ix->Close().ok(), "closing the test database");
  std::unique_ptr<searcher::Searcher> s;
  fuzz::Check(searcher::Searcher::Open(db, &s).ok(), "opening the searcher");
  // Left on disk under /tmp until the process ends (libFuzzer exits without cleanup hooks).
  return s.release();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static searcher::Searcher* s = OpenTestDatabase();
  if (size > 4096) return 0;  // long queries are covered by the CLI tests; keep this fast
  std::string query(reinterpret_cast<const char*>(data), size);
  // ParseQuery checks the query with surrounding whitespace trimmed (a trailing tab after
  // "name:" makes the untrimmed text an unknown field reference).
  size_t b = query.find_first_not_of(" \t\n\v\f\r"), e = query.find_last_not_of(" \t\n\v\f\r");
  Status syntax = searcher::CheckQuerySyntax(b == std::string::npos ? "" : query.substr(b, e - b + 1));
  searcher::SearchOptions options;
  options.query = query;
  options.limit = 3;
  Xapian::Query parsed;
  Status parse = s->ParseQuery(options, &parsed);
  // A query CheckQuerySyntax refuses is refused by ParseQuery too (unless blank or "*").
  if (!syntax.ok()) fuzz::Check(!parse.ok(), "ParseQuery accepted what CheckQuerySyntax refused");
  if (!parse.ok()) {
    fuzz::Check(parse.code() == Status::Code::kInvalidArgument, "a bad query is not InvalidArgument");
    fuzz::Check(!parse.message().empty() && parse.message().find('\n') == std::string::npos,
                "a bad query's message is not one line");
    return 0;
  }
  searcher::SearchResult result;
  Status found = s->Search(options, &result);
  fuzz::Check(found.ok() || found.code() == Status::Code::kInvalidArgument, "a parsed query failed to run");
  if (found.ok()) fuzz::Check(result.hits.size() <= 3 && result.total <= 4, "more hits than documents");
  return 0;
}
