// Phrases and NEAR with facets: counted first through Xapian's matcher, then ranked as the AND
// of their words over the documents counted (searcher/search.cc, WithoutRequiredPositions).
// Hits, scores, snippets, totals and facets must equal those of the plain way
// (DOSSIER_POSITIONS_ONCE=0), and the totals must be the documents that hold the phrase, not
// those that merely hold its words.
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/cli_util.h"

namespace dossier::testing {
namespace {

// 90 articles: every third has "the central bank said" and every third the same words in
// another order; every fourth has "oil" and "prices" with two words between them, every fourth
// twenty words apart.
std::string Articles() {
  static const char* kPeople[] = {"Anna Varga", "Tomas Keller", "Ruth Adeyemi"};
  std::string jsonl;
  for (int i = 0; i < 90; ++i) {
    std::string body = "Minister " + std::string(kPeople[i % 3]) + " spoke in Geneva on " +
                       std::to_string(i) + " March. ";
    if (i % 3 == 0) body += "Rates will stay where they are, the central bank said on Monday. ";
    if (i % 3 == 1) body += "The bank said rates in the central districts would rise. ";
    if (i % 4 == 0) body += "Oil and gas prices fell again. ";
    if (i % 4 == 1) {
      body += "Oil exports grew. The harbour was busy all week and the ships waited in long "
              "lines before the storm turned south and the market reopened. Prices fell. ";
    }
    if (i % 5 == 0) body += "The central bank said nothing more. ";
    jsonl += "{\"id\":\"ph" + std::to_string(i) + "\",\"title\":\"Report " + std::to_string(i) +
             "\",\"date\":\"202" + std::to_string(i % 4) + "-05-1" + std::to_string(i % 9) +
             "\",\"source\":\"" + (i % 2 ? "Test Wire" : "Other Wire") + "\",\"body\":\"" + body +
             "\"}\n";
  }
  return jsonl;
}

std::string Search(const std::string& db, const std::string& args, bool once) {
  CommandResult r = SearchWithEnv(db, args, "DOSSIER_POSITIONS_ONCE", once ? "1" : "0");
  EXPECT_NE(r.status, 2) << args << "\n" << r.err;
  return r.out;
}

TEST(PhraseTest, CountedOnceRanksAsBefore) {
  TempDir tmp;
  const std::string in = tmp.Write("in.jsonl", Articles()), db = tmp.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " -q -j2 --db " + Quote(db) + " " + Quote(in));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string facets = "--format json --facets person,source,year ";
  struct Case {
    const char* query;
    int total;  // the articles that match, by construction
  };
  const Case cases[] = {
      {"\"central bank said\"", 42},              // i % 3 == 0 or i % 5 == 0
      {"\"the central bank said\" year:2021", 11},  // those with i % 4 == 1
      {"oil NEAR/3 prices", 23},                    // i % 4 == 0
      {"oil ADJ/3 prices", -1},
      {"geneva \"central bank said\" -oil", 20},    // the first case, less i % 4 < 2
      {"\"central bank said\" OR prices", -1},      // a phrase under OR stays a phrase
      {"minister AND \"central bank said\" AND oil NEAR/3 prices", -1},
  };
  for (const Case& c : cases) {
    for (const std::string& extra : {std::string("--limit 40 "), std::string("--limit 40 --sort date "),
                                     std::string("--offset 3 --limit 5 --no-snippets ")}) {
      const std::string args = facets + extra + Quote(c.query);
      const std::string once = Search(db, args, true);
      EXPECT_EQ(once, Search(db, args, false)) << c.query << " " << extra;
      if (c.total >= 0 && extra == "--limit 40 ") {
        const nlohmann::json j = nlohmann::json::parse(once, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << once;
        EXPECT_EQ(j.value("total", -1), c.total) << c.query;
      }
    }
  }
}

}  // namespace
}  // namespace dossier::testing
