// End-to-end tests of dossier-index and dossier-search on fixtures written here, on
// corpus/samples, and (when present) on the real corpora in ../shared.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unistd.h>
#include <fmt/format.h>
#include <algorithm>

#include "cli_util.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Six articles of our own: four JSON Lines records and two text files.
const char kFixtureJsonl[] =
    R"({"id": "a1", "title": "Ceasefire talks resume in Geneva", "date": "2023-11-14T09:30:00Z", "source": "Harbour Times", "author": "Jane Doe", "url": "https://example.org/a1", "body": "Negotiators met in Geneva on Tuesday.\n\nThe envoy said restoring calm was the first priority, and that a truce could follow within days."})"
    "\n"
    R"({"id": "a2", "title": "Central bank holds interest rates", "date": "14 Dec 2023", "source": "Continental Wire", "author": "Sam Roe", "body": "The bank kept rates steady. Calm markets welcomed the decision, though restoring the balance of trade will take time."})"
    "\n"
    R"({"id": "a3", "title": "Aid convoy reaches the city", "date": "January 5, 2024", "source": "Harbour Times", "body": "A humanitarian pause allowed the convoy to pass the checkpoint. Officials said fuel and medicine were unloaded."})"
    "\n"
    R"({"id": "a4", "title": "Election results delayed", "source": "Daily Ledger", "body": "Officials said the count in the northern districts would finish next week."})"
    "\n";
const char kTextWithTitle[] =
    "Trade ministers agree on tariffs\n\nTrade ministers agreed on Friday to cut tariffs on steel.\n";
const char kTextWithoutTitle[] =
    "The harbour authority reopened the port after the storm, officials said on Monday. "
    "Ships waited offshore for two days.\nSource link\n";

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    dir_->Write("in/news.jsonl", kFixtureJsonl);
    dir_->Write("in/text/trade.txt", kTextWithTitle);
    dir_->Write("in/text/port.txt", kTextWithoutTitle);
    db_ = dir_->File("db");
    first_index_ = new CommandResult(Index(dir_->File("in"), "--json"));
  }
  static void TearDownTestSuite() {
    delete first_index_;
    delete dir_;
  }
  static CommandResult Index(const std::string& path, const std::string& extra = "") {
    return RunCommand(Quote(IndexBin()) + " --db " + Quote(db_) + " " + extra + " " + Quote(path));
  }
  static CommandResult Search(const std::string& args) {
    return RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " " + args);
  }
  static std::set<std::string> Ids(const json& j) {
    std::set<std::string> ids;
    for (const json& h : j["hits"]) ids.insert(h["id"].get<std::string>());
    return ids;
  }

  static TempDir* dir_;
  static std::string db_;
  static CommandResult* first_index_;
};
TempDir* CliTest::dir_;
std::string CliTest::db_;
CommandResult* CliTest::first_index_;

TEST_F(CliTest, IndexSummaryCountsEveryArticle) {
  ASSERT_EQ(first_index_->status, 0) << first_index_->err;
  json j = json::parse(first_index_->out);
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["added"], 6);
  EXPECT_EQ(j["skipped"], 0);
  EXPECT_NE(first_index_->err.find("added 6, updated 0, unchanged 0, skipped 0"), std::string::npos)
      << first_index_->err;
  EXPECT_EQ(SearchJson(db_, "'*'")["total"], 6);
  EXPECT_EQ(SearchJson(db_, "")["total"], 6);
}

TEST_F(CliTest, ReindexingChangesNothing) {
  CommandResult r = Index(dir_->File("in"), "--json");
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["added"], 0);
  EXPECT_EQ(j["unchanged"], 6);
  EXPECT_EQ(SearchJson(db_, "'*'")["total"], 6);
}

TEST_F(CliTest, ChangedArticleIsUpdatedNotDuplicated) {
  TempDir tmp;
  std::string db = tmp.File("db");
  std::string v1 = tmp.Write("v1.jsonl", R"({"id": "x", "title": "First version", "body": "alpha words"})" "\n");
  std::string v2 = tmp.Write("v2.jsonl", R"({"id": "x", "title": "Second version", "body": "beta words"})" "\n");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " + Quote(v1)).status, 0);
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --json " + Quote(v2));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["updated"], 1);
  EXPECT_EQ(SearchJson(db, "'*'")["total"], 1);
  EXPECT_EQ(SearchJson(db, "alpha")["total"], 0);
  EXPECT_EQ(SearchJson(db, "beta")["hits"][0]["title"], "Second version");
}

TEST_F(CliTest, DuplicateIdsInOneRunKeepOneDocument) {
  TempDir tmp;
  std::string in = tmp.Write("d.jsonl", R"({"id": "same", "body": "one"})" "\n"
                                        R"({"id": "same", "body": "two"})" "\n");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(tmp.File("db")) + " " + Quote(in));
  // The first record wins; the second is an error (README "Identity").
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(in + ":2: error: duplicate id 'same' (first read at " + in + ":1)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(SearchJson(tmp.File("db"), "'*'")["total"], 1);
  EXPECT_EQ(SearchJson(tmp.File("db"), "one")["total"], 1);
}

// Statements are indexed with STEM_ALL_Z and say so in each statements shard's metadata; a
// database whose statements were written before (STEM_SOME, no key) stays STEM_SOME in every
// shard, so that its phrases keep working.
TEST_F(CliTest, StatementStemmingIsOneChoicePerDatabase) {
  TempDir tmp;
  const std::string db = tmp.File("db");
  auto key = [&](int shard) {
    return RunCommand("xapian-metadata get " + Quote(db + "/statements/shard-" + std::to_string(shard)) +
                      " dossier.statements_stemming").out;
  };
  std::string a = tmp.Write("a.jsonl", R"({"id": "s1", "title": "Talks resume", "body": "\"The talks were very useful for both sides,\" Foreign Minister Anna Berg said on Monday."})" "\n");
  std::string b = tmp.Write("b.jsonl", R"({"id": "s2", "title": "Plan rejected", "body": "\"The plan is deeply flawed,\" Foreign Minister Elena Varga said on Tuesday."})" "\n");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --jobs 2 " + Quote(a)).status, 0);
  EXPECT_EQ(key(0), "all_z\n");
  EXPECT_EQ(key(1), "all_z\n");  // the shard without statements too
  EXPECT_EQ(SearchJson(db, "--statements --limit 0 " + Quote("\"very useful\""))["total"], 1);
  // As written before the key existed: STEM_SOME statements (their Z terms are there too).
  for (int shard : {0, 1}) {
    ASSERT_EQ(RunCommand("xapian-metadata set " + Quote(db + "/statements/shard-" + std::to_string(shard)) +
                         " dossier.statements_stemming ''").status, 0);
  }
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " + Quote(b)).status, 0);
  EXPECT_EQ(key(0), "\n");
  EXPECT_EQ(key(1), "\n");
  // Parsed as STEM_SOME, the new statement's phrase is found: it was indexed STEM_SOME too.
  EXPECT_EQ(SearchJson(db, "--statements --limit 0 " + Quote("\"deeply flawed\""))["total"], 1);
}

TEST_F(CliTest, PhraseSearchNeedsAdjacentWords) {
  json phrase = SearchJson(db_, Quote("\"restoring calm\""));
  EXPECT_EQ(phrase["total"], 1);
  EXPECT_EQ(Ids(phrase), std::set<std::string>{"a1"});
  EXPECT_EQ(SearchJson(db_, "restoring calm")["total"], 2);
}

TEST_F(CliTest, BooleanOperators) {
  EXPECT_EQ(Ids(SearchJson(db_, Quote("truce OR tariffs"))).size(), 2u);
  EXPECT_EQ(Ids(SearchJson(db_, Quote("officials NOT convoy"))).size(), 2u);  // a4 and port.txt
  EXPECT_EQ(Ids(SearchJson(db_, Quote("calm -truce"))), std::set<std::string>{"a2"});
  EXPECT_EQ(Ids(SearchJson(db_, Quote("(truce OR convoy) harbour"))).size(), 0u);
  EXPECT_EQ(Ids(SearchJson(db_, Quote("envoy NEAR/8 priority"))), std::set<std::string>{"a1"});
  EXPECT_EQ(Ids(SearchJson(db_, Quote("envoy NEAR/4 priority"))).size(), 0u);  // 7 words apart
  EXPECT_EQ(Ids(SearchJson(db_, Quote("envoy ADJ/8 priority"))), std::set<std::string>{"a1"});
  EXPECT_EQ(Ids(SearchJson(db_, Quote("priority ADJ/8 envoy"))).size(), 0u);  // ADJ keeps order
  EXPECT_EQ(Ids(SearchJson(db_, Quote("negotiat*"))), std::set<std::string>{"a1"});
}

TEST_F(CliTest, StemmingMatchesOtherForms) {
  EXPECT_EQ(Ids(SearchJson(db_, "negotiator")), std::set<std::string>{"a1"});
  EXPECT_EQ(Ids(SearchJson(db_, "agree")).size(), 1u);  // "agreed" in the trade text
}

TEST_F(CliTest, FieldQueries) {
  EXPECT_EQ(Ids(SearchJson(db_, "title:ceasefire")), std::set<std::string>{"a1"});
  EXPECT_EQ(Ids(SearchJson(db_, "title:rates")), std::set<std::string>{"a2"});
  EXPECT_EQ(Ids(SearchJson(db_, "source:harbour")), (std::set<std::string>{"a1", "a3"}));
  EXPECT_EQ(Ids(SearchJson(db_, Quote("source:\"continental wire\""))), std::set<std::string>{"a2"});
  EXPECT_EQ(Ids(SearchJson(db_, "author:doe")), std::set<std::string>{"a1"});
  EXPECT_EQ(Ids(SearchJson(db_, "id:a3")), std::set<std::string>{"a3"});
  // A word only in the title ranks the title-match first.
  json j = SearchJson(db_, "calm");
  ASSERT_EQ(j["hits"].size(), 2u);
}

TEST_F(CliTest, DateRangesAndYears) {
  EXPECT_EQ(Ids(SearchJson(db_, "date:2023-11-01..2023-12-31")), (std::set<std::string>{"a1", "a2"}));
  EXPECT_EQ(Ids(SearchJson(db_, "date:2024..")), std::set<std::string>{"a3"});
  EXPECT_EQ(Ids(SearchJson(db_, "date:..2023-11-30")), std::set<std::string>{"a1"});
  EXPECT_EQ(Ids(SearchJson(db_, "date:2023-12")), std::set<std::string>{"a2"});
  EXPECT_EQ(Ids(SearchJson(db_, "year:2023")), (std::set<std::string>{"a1", "a2"}));
  EXPECT_EQ(Ids(SearchJson(db_, "month:2024-01")), std::set<std::string>{"a3"});
  EXPECT_EQ(Ids(SearchJson(db_, "--from 2023-12 --to 2024-01 '*'")), (std::set<std::string>{"a2", "a3"}));
  EXPECT_EQ(Ids(SearchJson(db_, "--to 2023 officials")).size(), 0u);
  json a1 = SearchJson(db_, "id:a1");
  EXPECT_EQ(a1["hits"][0]["date"], "2023-11-14T09:30:00Z");
}

TEST_F(CliTest, SortByDate) {
  json j = SearchJson(db_, "--sort date --limit all '*'");
  std::vector<std::string> order;
  for (const json& h : j["hits"]) order.push_back(h["id"]);
  ASSERT_EQ(order.size(), 6u);
  EXPECT_EQ(order[0], "a1");
  EXPECT_EQ(order[1], "a2");
  EXPECT_EQ(order[2], "a3");  // undated articles come last
  json d = SearchJson(db_, "--sort -date --limit 1 '*'");
  EXPECT_EQ(d["hits"][0]["id"], "a3");
}

TEST_F(CliTest, JsonSchema) {
  json j = SearchJson(db_, "truce --explain");
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["query"], "truce");
  EXPECT_EQ(j["total"], 1);
  EXPECT_EQ(j["total_exact"], true);
  EXPECT_TRUE(j.contains("parsed_query"));
  const json& h = j["hits"][0];
  for (const char* key : {"rank", "id", "score", "title", "date", "source", "author", "url", "snippet"})
    EXPECT_TRUE(h.contains(key)) << key;
  EXPECT_EQ(h["rank"], 1);
  EXPECT_EQ(h["title"], "Ceasefire talks resume in Geneva");
  EXPECT_EQ(h["url"], "https://example.org/a1");
  EXPECT_NE(h["snippet"].get<std::string>().find("truce"), std::string::npos);
}

TEST_F(CliTest, TitleFallsBackToFirstSentence) {
  json j = SearchJson(db_, "harbour authority");
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["title"],
            "The harbour authority reopened the port after the storm, officials said on Monday.");
  EXPECT_EQ(SearchJson(db_, Quote("\"source link\""))["total"], 0);  // boilerplate trailer dropped
  EXPECT_EQ(Ids(SearchJson(db_, "title:tariffs")).size(), 1u);
}

TEST_F(CliTest, JsonlAndCsv) {
  CommandResult r = Search("--format jsonl source:harbour");
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<json> lines;
  size_t start = 0, nl;
  while ((nl = r.out.find('\n', start)) != std::string::npos) {
    lines.push_back(json::parse(r.out.substr(start, nl - start)));
    start = nl + 1;
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["type"], "hit");
  EXPECT_EQ(lines[2]["type"], "summary");
  EXPECT_EQ(lines[2]["total"], 2);
  CommandResult c = Search("--format csv source:harbour");
  ASSERT_EQ(c.status, 0);
  EXPECT_EQ(c.out.rfind("rank,id,score,date,source,author,title,url,snippet\r\n", 0), 0u) << c.out;
  EXPECT_EQ(std::count(c.out.begin(), c.out.end(), '\n'), 3);
}

TEST_F(CliTest, LimitOffset) {
  json j = SearchJson(db_, "--limit 2 --offset 1 --sort date '*'");
  ASSERT_EQ(j["hits"].size(), 2u);
  EXPECT_EQ(j["hits"][0]["rank"], 2);
  EXPECT_EQ(j["hits"][0]["id"], "a2");
  EXPECT_EQ(j["total"], 6);
}

TEST_F(CliTest, BatchQueriesCarryTheirQid) {
  std::string batch = dir_->Write("queries.tsv", "q1\ttruce\n# a comment\nq2\tsource:harbour\ncalm\n");
  json j = SearchJson(db_, "--batch " + Quote(batch));
  ASSERT_EQ(j["results"].size(), 3u);
  EXPECT_EQ(j["results"][0]["qid"], "q1");
  EXPECT_EQ(j["results"][0]["total"], 1);
  EXPECT_EQ(j["results"][1]["qid"], "q2");
  EXPECT_EQ(j["results"][1]["hits"][0]["qid"], "q2");
  EXPECT_EQ(j["results"][2]["qid"], "4");  // line number when no qid is given
}

// A batch reuses one query parser (set up once per database, for speed): each query's result,
// its --explain notes included, must be what the query gives on its own.
TEST_F(CliTest, BatchQueriesGiveWhatEachGivesAlone) {
  const std::vector<std::string> queries = {"person:nosuchname truce", "truce OR calm", "calm",
                                            "source:harbour", "topic:ceasefire"};
  std::string lines;
  for (size_t i = 0; i < queries.size(); ++i) {
    lines += "q" + std::to_string(i) + "\t" + queries[i] + "\n";
  }
  std::string batch = dir_->Write("same.tsv", lines);
  const std::string args = "--explain --no-snippets --facets person,source,year ";
  json all = SearchJson(db_, args + "--batch " + Quote(batch));
  ASSERT_EQ(all["results"].size(), queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    json got = all["results"][i];
    got.erase("qid");
    for (json& h : got["hits"]) h.erase("qid");
    json alone = SearchJson(db_, args + Quote(queries[i]));
    EXPECT_EQ(got, alone) << queries[i];
  }
  EXPECT_FALSE(all["results"][0]["notes"].empty());
  EXPECT_TRUE(all["results"][1]["notes"].empty());
}

TEST_F(CliTest, ExitStatuses) {
  EXPECT_EQ(Search("truce").status, 0);
  EXPECT_EQ(Search("zzzunknownword").status, 1);
  CommandResult quote = Search(Quote("\"unbalanced quote"));
  EXPECT_EQ(quote.status, 2);
  EXPECT_NE(quote.err.find("column 1"), std::string::npos) << quote.err;
  CommandResult paren = Search(Quote("(truce OR calm"));
  EXPECT_EQ(paren.status, 2);
  EXPECT_NE(paren.err.find("not closed"), std::string::npos) << paren.err;
  CommandResult field = Search("nosuchfield:x");
  EXPECT_EQ(field.status, 2);
  EXPECT_NE(field.err.find("unknown field 'nosuchfield:'"), std::string::npos) << field.err;
  EXPECT_EQ(Search("--limit -1 truce").status, 2);
  EXPECT_EQ(Search("--limit lots truce").status, 2);
  EXPECT_EQ(Search("--sort sideways truce").status, 2);
  EXPECT_EQ(Search("date:yesterday..tomorrow").status, 2);
  CommandResult nodb = RunCommand(Quote(SearchBin()) + " --db /nonexistent/db truce");
  EXPECT_EQ(nodb.status, 2);
  EXPECT_NE(nodb.err.find("no database at '/nonexistent/db'"), std::string::npos) << nodb.err;
  CommandResult file_db = RunCommand(Quote(SearchBin()) + " --db " + Quote(dir_->File("in/news.jsonl")) + " truce");
  EXPECT_EQ(file_db.status, 2);
  EXPECT_FALSE(file_db.err.empty());
  CommandResult huge = Search(Quote(std::string(100000, 'a') + " b"));
  EXPECT_LE(huge.status, 2);
}

TEST_F(CliTest, BrokenPipeIsQuiet) {
  CommandResult r = RunCommand("set -o pipefail 2>/dev/null; " + Quote(SearchBin()) + " --db " +
                               Quote(db_) + " --limit all --format jsonl '*' | head -c 10 >/dev/null; "
                               "echo \"${PIPESTATUS[0]}\"");
  // /bin/sh may not be bash: accept either the pipeline status or nothing at all on stderr.
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(CliTest, DbFromEnvironment) {
  CommandResult r = RunCommand("DOSSIER_DB=" + Quote(db_) + " " + Quote(SearchBin()) + " truce");
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(CliTest, BadRecordsAreReportedAndSkipped) {
  TempDir tmp;
  std::string in = tmp.Write("mixed.jsonl", R"({"id": "g1", "body": "good one"})" "\n"
                                            "{not json\n"
                                            R"({"id": "g2", "body": "good two", "date": "not a date"})" "\n");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(tmp.File("db")) + " --json " + Quote(in));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(in + ":2: error:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(in + ":3: warning:"), std::string::npos) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["added"], 2);
  EXPECT_EQ(j["skipped"], 1);
  EXPECT_EQ(SearchJson(tmp.File("db"), "good")["total"], 2);
}

TEST_F(CliTest, IndexerRefusesBadDatabasePaths) {
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(dir_->File("in/news.jsonl")) +
                               " " + Quote(dir_->File("in")));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("is a file"), std::string::npos) << r.err;
  EXPECT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(dir_->File("x"))).status, 2);  // no input
}

TEST_F(CliTest, StdinJsonLines) {
  TempDir tmp;
  std::string input = R"({"id": "s1", "body": "from standard input"})" "\n";
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(tmp.File("db")) + " -", &input);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(SearchJson(tmp.File("db"), "standard")["total"], 1);
}

// Facet counts must equal counts computed from the full hit list.
TEST_F(CliTest, FacetsAreExact) {
  for (const std::string query : {"'*'", "officials", "source:harbour", "calm OR truce"}) {
    json j = SearchJson(db_, "--limit all --no-snippets --facets source,year,month --facet-size 100 " + query);
    std::map<std::string, uint64_t> source, year, month;
    for (const json& h : j["hits"]) {
      if (!h["source"].get<std::string>().empty()) ++source[h["source"]];
      if (h["date"].is_string()) {
        std::string d = h["date"];
        ++year[d.substr(0, 4)];
        ++month[d.substr(0, 7)];
      }
    }
    auto as_map = [&](const char* name) {
      std::map<std::string, uint64_t> m;
      for (const json& v : j["facets"][name]) m[v["value"]] = v["count"];
      return m;
    };
    EXPECT_EQ(as_map("source"), source) << query;
    EXPECT_EQ(as_map("year"), year) << query;
    EXPECT_EQ(as_map("month"), month) << query;
  }
  json top = SearchJson(db_, "--facets source --facet-size 1 '*'");
  ASSERT_EQ(top["facets"]["source"].size(), 1u);
  EXPECT_EQ(top["facets"]["source"][0]["value"], "Harbour Times");
  EXPECT_EQ(top["facets"]["source"][0]["count"], 2);
  EXPECT_EQ(Search("--facets nosuch '*'").status, 2);
}

// The bundled samples: every article is indexed and the index answers the obvious queries.
TEST(SamplesTest, IndexAndSearch) {
  TempDir tmp;
  std::string db = tmp.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --json " + Quote(DOSSIER_SAMPLES));
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["skipped"], 0);
  EXPECT_EQ(j["added"], 30);
  EXPECT_EQ(SearchJson(db, "'*'")["total"], 30);
  EXPECT_GE(SearchJson(db, "ceasefire")["total"].get<int>(), 3);
}

// Entities on the samples: field queries by alias and by part of a name, and exact facets
// checked against counts computed from the hits' own entity lists.
class SamplesEntitiesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->File("db");
    CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db_) + " " + Quote(DOSSIER_SAMPLES));
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* SamplesEntitiesTest::dir_;
std::string SamplesEntitiesTest::db_;

TEST_F(SamplesEntitiesTest, FacetsEqualBruteForceCounts) {
  for (const std::string query : {"'*'", "topic:ceasefire", "person:varga", "sanctions OR inflation"}) {
    json j = SearchJson(db_, "--limit all --no-snippets --facet-size 1000 "
                             "--facets person,institution,topic,place " + query);
    std::map<std::string, std::map<std::string, uint64_t>> brute;
    for (const json& h : j["hits"]) {
      for (const auto& [facet, key] : {std::pair<std::string, std::string>{"person", "people"},
                                       {"institution", "institutions"},
                                       {"topic", "topics"},
                                       {"place", "places"}}) {
        for (const json& name : h[key]) ++brute[facet][name.get<std::string>()];
      }
    }
    for (const char* facet : {"person", "institution", "topic", "place"}) {
      std::map<std::string, uint64_t> got;
      for (const json& v : j["facets"][facet]) got[v["value"]] = v["count"];
      EXPECT_EQ(got, brute[facet]) << query << " " << facet;
    }
  }
}

TEST_F(SamplesEntitiesTest, FieldsMatchAliasesAndNameParts) {
  int varga = SearchJson(db_, "--limit 0 person:varga")["total"];
  EXPECT_EQ(varga, 16);  // corpus/samples/README.md: Elena Varga appears in 16 articles
  EXPECT_EQ(SearchJson(db_, "--limit 0 " + Quote("person:\"Elena Varga\""))["total"], varga);
  EXPECT_EQ(SearchJson(db_, "--limit 0 person:VARGA")["total"], varga);
  int daniel = SearchJson(db_, "--limit 0 " + Quote("person:\"Daniel Brown\""))["total"];
  int margaret = SearchJson(db_, "--limit 0 " + Quote("person:\"Margaret Brown\""))["total"];
  int both = SearchJson(db_, "--limit 0 " + Quote("person:\"Daniel Brown\" person:\"Margaret Brown\""))["total"];
  int brown = SearchJson(db_, "--limit 0 person:brown")["total"];
  EXPECT_GT(daniel, 0);
  EXPECT_GT(margaret, 0);
  EXPECT_EQ(brown, daniel + margaret - both);  // ambiguous: matches either
  json explain = SearchJson(db_, "--limit 0 --explain person:brown");
  ASSERT_EQ(explain["notes"].size(), 1u);
  EXPECT_NE(explain["notes"][0].get<std::string>().find("ambiguous"), std::string::npos);
  int state = SearchJson(db_, "--limit 0 " + Quote("org:\"state department\""))["total"];
  EXPECT_GT(state, 0);
  EXPECT_EQ(SearchJson(db_, "--limit 0 " + Quote("institution:\"US Department of State\""))["total"], state);
  int ceasefire = SearchJson(db_, "--limit 0 topic:ceasefire")["total"];
  EXPECT_GT(ceasefire, 0);
  EXPECT_EQ(SearchJson(db_, "--limit 0 topic:cease-fire")["total"], ceasefire);
  EXPECT_EQ(SearchJson(db_, "--limit 0 topic:truce")["total"], ceasefire);
  EXPECT_EQ(SearchJson(db_, "--limit 0 person:nobodyatall")["total"], 0);
}

TEST_F(SamplesEntitiesTest, EntitiesListing) {
  json j = SearchJson(db_, "--entities --type person --limit 3 topic:ceasefire");
  ASSERT_EQ(j["entities"].size(), 3u);
  json f = SearchJson(db_, "--facets person --facet-size 3 --limit 0 topic:ceasefire");
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(j["entities"][i]["name"], f["facets"]["person"][i]["value"]);
    EXPECT_EQ(j["entities"][i]["count"], f["facets"]["person"][i]["count"]);
    EXPECT_EQ(j["entities"][i]["type"], "person");
  }
  json all = SearchJson(db_, "--entities --type institution --limit all '*'");
  bool found = false;
  for (const json& e : all["entities"]) {
    if (e["name"] == "US Department of State") {
      found = true;
      EXPECT_NE(std::find(e["aliases"].begin(), e["aliases"].end(), "State Department"), e["aliases"].end());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " --entities --type sideways '*'").status, 2);
}

TEST(CodebookCliTest, UserCodebookAddsEntitiesAndChangesTheDigest) {
  TempDir tmp;
  std::string in = tmp.Write("a.jsonl", R"({"id": "c1", "title": "Harbour board meets", "body": "The Quillon Harbour Board met on Monday. Its chair, Zedna Quarrow, said the fees would stay."})" "\n");
  std::string cb = tmp.Write("mine.tsv", "# my codebook\nperson\tZedna Quarrow\tZ. Quarrow\ninstitution\tQuillon Harbour Board\tHarbour Board\ntopic\tport fees\tfees|harbour dues\n");
  std::string plain_db = tmp.File("plain"), db = tmp.File("db");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(plain_db) + " " + Quote(in)).status, 0);
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --codebook " + Quote(cb) + " " + Quote(in));
  ASSERT_EQ(r.status, 0) << r.err;
  json hit = SearchJson(db, "id:c1")["hits"][0];
  EXPECT_NE(std::find(hit["topics"].begin(), hit["topics"].end(), "port fees"), hit["topics"].end()) << hit.dump();
  EXPECT_NE(std::find(hit["people"].begin(), hit["people"].end(), "Zedna Quarrow"), hit["people"].end()) << hit.dump();
  EXPECT_EQ(SearchJson(db, "--limit 0 topic:dues")["total"], 0);  // a word of an alias is not the alias
  EXPECT_EQ(SearchJson(db, "--limit 0 " + Quote("topic:\"harbour dues\""))["total"], 1);
  json info = json::parse(RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " --info --format json").out);
  json plain = json::parse(RunCommand(Quote(SearchBin()) + " --db " + Quote(plain_db) + " --info --format json").out);
  EXPECT_EQ(info["codebook_digest"].get<std::string>().size(), 64u);
  EXPECT_NE(info["codebook_digest"], plain["codebook_digest"]);
  // A malformed codebook stops the run before anything is written, naming file and line.
  std::string bad = tmp.Write("bad.tsv", "person\tOk Name\nperson-ish\tBad\n");
  CommandResult b = RunCommand(Quote(IndexBin()) + " --db " + Quote(tmp.File("db2")) + " --codebook " + Quote(bad) + " " + Quote(in));
  EXPECT_EQ(b.status, 2);
  EXPECT_NE(b.err.find(bad + ":2:"), std::string::npos) << b.err;
}

// Code points of a UTF-8 string (for checking statement offsets).
std::u32string CodePoints(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out += cp;
    i += n;
  }
  return out;
}

TEST_F(SamplesEntitiesTest, StatementsSearchAndOffsets) {
  json all = SearchJson(db_, "--statements --limit all --no-snippets --facets speaker,topic,source,year --facet-size 1000 '*'");
  ASSERT_GT(all["total"].get<int>(), 50) << all.dump().substr(0, 500);
  EXPECT_EQ(all["format_version"], 1);
  EXPECT_EQ(all["statements"].size(), all["total"].get<size_t>());
  // Offsets are code points into the body as read: check them against the JSONL input.
  std::map<std::string, std::string> bodies;
  {
    std::ifstream in(std::string(DOSSIER_SAMPLES) + "/articles.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      json a = json::parse(line);
      bodies[a["id"]] = a["body"];
    }
  }
  std::map<std::string, uint64_t> speakers;
  int checked = 0;
  for (const json& st : all["statements"]) {
    for (const char* key : {"article_id", "title", "date", "source", "speaker", "cue", "direct",
                            "text", "start", "end", "topics", "score"})
      ASSERT_TRUE(st.contains(key)) << key;
    ++speakers[st["speaker"].get<std::string>()];
    auto it = bodies.find(st["article_id"].get<std::string>());
    if (it == bodies.end() || st["in_title"].get<bool>()) continue;
    std::u32string body = CodePoints(it->second);
    size_t start = st["start"], end = st["end"];
    ASSERT_LE(end, body.size());
    EXPECT_EQ(body.substr(start, end - start), CodePoints(st["text"].get<std::string>())) << st.dump();
    ++checked;
  }
  EXPECT_GT(checked, 30);
  std::map<std::string, uint64_t> facet;
  for (const json& v : all["facets"]["speaker"]) facet[v["value"]] = v["count"];
  EXPECT_EQ(facet, speakers);  // exact speaker facet

  // --by takes any alias; the speaker: field is the same filter.
  json by = SearchJson(db_, "--statements --limit all --by " + Quote("State Department"));
  ASSERT_GT(by["total"].get<int>(), 0);
  for (const json& st : by["statements"]) EXPECT_EQ(st["speaker"], "US Department of State");
  EXPECT_EQ(SearchJson(db_, "--statements --limit 0 " + Quote("speaker:\"state department\""))["total"], by["total"]);
  // --about with a topic alias finds the topic; with free words, the words.
  json about = SearchJson(db_, "--statements --limit all --about truce");
  ASSERT_GT(about["total"].get<int>(), 0);
  for (const json& st : about["statements"])
    EXPECT_NE(std::find(st["topics"].begin(), st["topics"].end(), "ceasefire"), st["topics"].end()) << st.dump();
  EXPECT_EQ(about["total"], SearchJson(db_, "--statements --limit 0 topic:ceasefire")["total"]);
  json words = SearchJson(db_, "--statements --limit all --about incubators");  // not a topic
  ASSERT_GT(words["total"].get<int>(), 0);
  for (const json& st : words["statements"])
    EXPECT_NE(st["text"].get<std::string>().find("incubators"), std::string::npos) << st.dump();
  // Statements are indexed with stemmed terms only (STEM_ALL_Z) and positions: other word
  // forms, capitalised words, phrases and NEAR still find them; words out of order do not.
  EXPECT_EQ(SearchJson(db_, "--statements --limit 0 --about incubator")["total"], words["total"]);
  json phrase = SearchJson(db_, "--statements --limit all " + Quote("\"real and verifiable\""));
  ASSERT_EQ(phrase["total"], 1) << phrase.dump().substr(0, 800);
  EXPECT_NE(phrase["statements"][0]["text"].get<std::string>().find("\"real and verifiable\""), std::string::npos);
  CommandResult shown = RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) +
                                   " --statements --color always 'verifiable ceasefires'");
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_NE(shown.out.find("\x1b[1;33mceasefire\x1b[0m"), std::string::npos) << shown.out;  // highlighted
  EXPECT_EQ(SearchJson(db_, "--statements --limit 0 " + Quote("\"verifiable and real\""))["total"], 0);
  EXPECT_EQ(SearchJson(db_, "--statements --limit 0 " + Quote("real NEAR/2 verifiable"))["total"], 1);
  EXPECT_GT(SearchJson(db_, "--statements --limit 0 Kessel")["total"].get<int>(), 0);
  // Direct quotes only.
  json direct = SearchJson(db_, "--statements --limit all quote:direct");
  ASSERT_GT(direct["total"].get<int>(), 0);
  for (const json& st : direct["statements"]) EXPECT_TRUE(st["direct"].get<bool>());
  // Other formats and batch mode.
  CommandResult csv = RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " --statements --format csv --limit 3 cue:say");
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("rank,article_id,score,date,source,speaker,cue,direct,text,start,end,topics,title\r\n", 0), 0u);
  CommandResult jsonl = RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " --statements --format jsonl --limit 2 cue:say");
  ASSERT_EQ(jsonl.status, 0);
  EXPECT_NE(jsonl.out.find("\"type\":\"statement\""), std::string::npos);
  std::string batch = dir_->Write("stm.tsv", "b1\tspeaker:varga\nb2\tspeaker:okafor topic:ceasefire\n");
  json b = SearchJson(db_, "--statements --batch " + Quote(batch));
  ASSERT_EQ(b["results"].size(), 2u);
  EXPECT_EQ(b["results"][1]["qid"], "b2");
  EXPECT_EQ(b["results"][0]["statements"][0]["speaker"], "Elena Varga");
  EXPECT_EQ(RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " --by x '*'").status, 2);  // --by needs --statements
}

// What must not differ between two databases holding the same articles: totals, every hit
// with its score (ties may come in another order), and the facet counts.
std::string Canonical(const json& j, bool statements) {
  std::vector<std::string> hits;
  for (const json& h : j[statements ? "statements" : "hits"]) {
    std::string key = statements ? h["article_id"].get<std::string>() + "@" + std::to_string(h["start"].get<int>())
                                 : h["id"].get<std::string>();
    hits.push_back(key + fmt::format(" {:.9f}", h["score"].get<double>()));
  }
  std::sort(hits.begin(), hits.end());
  json c = {{"total", j["total"]}, {"hits", hits}, {"facets", j.contains("facets") ? j["facets"] : json()}};
  return c.dump();
}

const char* kCompareQueries[] = {"'*'", "ceasefire", "'\"humanitarian pause\"'", "person:varga",
                                 "'sanctions OR inflation'", "topic:ceasefire date:2023",
                                 "'org:\"state department\"'"};

void ExpectSameResults(const std::string& db_a, const std::string& db_b) {
  for (const char* q : kCompareQueries) {
    std::string args = std::string("--limit all --no-snippets --facets person,institution,topic,source,year,month --facet-size 1000 ") + q;
    EXPECT_EQ(Canonical(SearchJson(db_a, args), false), Canonical(SearchJson(db_b, args), false)) << q;
    std::string sargs = std::string("--statements --limit all --no-snippets --facets speaker,topic,year --facet-size 1000 ") + q;
    EXPECT_EQ(Canonical(SearchJson(db_a, sargs), true), Canonical(SearchJson(db_b, sargs), true)) << q;
  }
}

// Parallel sharded indexing gives the same answers as one shard.
TEST(ShardsTest, ShardedEqualsSingle) {
  TempDir tmp;
  std::string one = tmp.File("one"), three = tmp.File("three");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " -j1 --db " + Quote(one) + " " + Quote(DOSSIER_SAMPLES)).status, 0);
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " -j3 --db " + Quote(three) + " " + Quote(DOSSIER_SAMPLES)).status, 0);
  EXPECT_TRUE(fs::exists(fs::path(three) / "shard-2"));
  ExpectSameResults(one, three);
  // Re-indexing with another --jobs keeps the database's shards and changes nothing.
  CommandResult again = RunCommand(Quote(IndexBin()) + " -j1 --json --db " + Quote(three) + " " + Quote(DOSSIER_SAMPLES));
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["unchanged"], 30);
  EXPECT_EQ(json::parse(again.out)["shards"], 3);
}

// A faceted filter (`*`, person:, topic:, a date) takes its hits from a match per shard
// (Xapian 1.4 matches a filter over several shards far slower than each alone): the same
// hits, in the same order, as the one match over the whole database a search without facets
// makes, at any offset.
TEST(ShardsTest, FilterHitsMatchedShardByShardKeepOrder) {
  TempDir tmp;
  std::string three = tmp.File("three");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " -j3 --db " + Quote(three) + " " + Quote(DOSSIER_SAMPLES)).status, 0);
  auto ids = [](const json& j, const char* list, const char* key) {
    std::vector<std::string> out;
    for (const json& h : j[list]) out.push_back(h[key].is_string() ? h[key].get<std::string>() : h[key].dump());
    return out;
  };
  for (const char* q : {"'*'", "person:varga", "topic:ceasefire", "'* year:2023'", "'topic:ceasefire NOT person:varga'"}) {
    for (const char* page : {"--limit 4", "--limit 5 --offset 3", "--limit all"}) {
      std::string args = std::string("--no-snippets ") + page + " " + q;
      json plain = SearchJson(three, args);
      json faceted = SearchJson(three, args + " --facets person,topic");
      EXPECT_FALSE(ids(plain, "hits", "id").empty()) << q << " " << page;
      EXPECT_EQ(ids(faceted, "hits", "id"), ids(plain, "hits", "id")) << q << " " << page;
      EXPECT_EQ(faceted["total"], plain["total"]) << q;
      json splain = SearchJson(three, "--statements " + args);
      json sfaceted = SearchJson(three, "--statements " + args + " --facets speaker");
      EXPECT_EQ(ids(sfaceted, "statements", "start"), ids(splain, "statements", "start")) << q << " " << page;
      EXPECT_EQ(ids(sfaceted, "statements", "article_id"), ids(splain, "statements", "article_id")) << q;
    }
  }
}

// A weighted query over local shards is ranked shard by shard, on threads of their own, with
// the whole database's statistics (searcher/shard_rank.h): the output must be that of the one
// match over all shards (DOSSIER_SHARD_RANKING=0) byte for byte: hits, order, scores,
// snippets (phrases highlighted as phrases), totals and facets, at any offset. The same
// for a total counted beside the ranking match (DOSSIER_COUNT_TOTAL=0: every match weighed).
TEST(ShardsTest, WeightedHitsRankedShardByShardEqualOneMatch) {
  TempDir tmp;
  std::string three = tmp.File("three");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " -j3 --db " + Quote(three) + " " + Quote(DOSSIER_SAMPLES)).status, 0);
  int hits = 0;
  for (const char* q : {"ceasefire", "'sanctions OR inflation'", "'\"humanitarian pause\"'",
                        "'ceasefire NOT person:varga'", "'talks NEAR/8 ceasefire'", "'minister said'",
                        "'ceasefire year:2023'", "'aid -convoy'"}) {
    for (const char* page : {"--limit 3", "--limit 4 --offset 2", "--limit all"}) {
      for (const char* facets : {"", "--facets person,topic,year "}) {
        for (const char* statements : {"", "--statements "}) {
          std::string args = std::string("--format json ") + statements + page + " " + facets + q;
          CommandResult one = SearchWithEnv(three, args, "DOSSIER_SHARD_RANKING", "0");
          CommandResult by_shard = SearchWithEnv(three, args, "DOSSIER_SHARD_RANKING", "1");
          // Without facets the total is counted beside the ranking match; weighing every
          // match gives the same.
          CommandResult weighed = SearchWithEnv(three, args, "DOSSIER_COUNT_TOTAL", "0");
          ASSERT_TRUE(one.status == 0 || one.status == 1) << args << "\n" << one.err;  // 1: no hits
          EXPECT_EQ(by_shard.status, one.status) << args;
          EXPECT_EQ(by_shard.out, one.out) << args;
          EXPECT_EQ(weighed.out, one.out) << args;
          json j = json::parse(one.out);
          hits += static_cast<int>(j[*statements ? "statements" : "hits"].size());
        }
      }
    }
  }
  EXPECT_GT(hits, 300);
}

// Compaction shrinks the shards and changes no answer; indexing goes on afterwards.
TEST(ShardsTest, CompactKeepsResults) {
  TempDir tmp;
  std::string a = tmp.File("a"), b = tmp.File("b");
  for (const std::string& db : {a, b})
    ASSERT_EQ(RunCommand(Quote(IndexBin()) + " -j2 --db " + Quote(db) + " " + Quote(DOSSIER_SAMPLES)).status, 0);
  CommandResult c = RunCommand(Quote(IndexBin()) + " --db " + Quote(b) + " --compact --json");
  ASSERT_EQ(c.status, 0) << c.err;
  json j = json::parse(c.out);
  EXPECT_EQ(j["shards"], 4);  // two article shards, two statement shards
  EXPECT_LT(j["bytes_after"].get<uint64_t>(), j["bytes_before"].get<uint64_t>());
  ExpectSameResults(a, b);
  CommandResult again = RunCommand(Quote(IndexBin()) + " --json --db " + Quote(b) + " " + Quote(DOSSIER_SAMPLES));
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["unchanged"], 30);
  EXPECT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(b) + " --compact x").status, 2);
  EXPECT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(tmp.File("none")) + " --compact").status, 2);
}

// Shards served by Xapian's xapian-tcpsrv answer like the local shards, facets included.
TEST(ShardsTest, RemoteShardsEqualLocal) {
  if (std::system("command -v xapian-tcpsrv >/dev/null 2>&1") != 0) GTEST_SKIP() << "xapian-tcpsrv not installed";
  TempDir tmp;
  std::string db = tmp.File("db"), stub = tmp.File("stub");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " -j2 --db " + Quote(db) + " " + Quote(DOSSIER_SAMPLES)).status, 0);
  // Four servers (two article shards, two statement shards) on free-looking ports.
  int base = 20000 + static_cast<int>(getpid() % 20000);
  std::string log = tmp.File("serve.log");
  std::string cmd = Quote(std::string(DOSSIER_SCRIPTS) + "/serve-shards") + " --stub " + Quote(stub) + " " + Quote(db);
  for (int i = 0; i < 4; ++i) cmd += " " + std::to_string(base + i);
  std::string pid_file = tmp.File("pid");
  RunCommand("(" + cmd + " >" + Quote(log) + " 2>&1 & echo $! >" + Quote(pid_file) + ")");
  // The servers stop however the test ends (an ASSERT returns early): serve-shards stops them
  // all on SIGTERM.
  struct StopServers {
    std::string pid_file;
    ~StopServers() { RunCommand("kill $(cat " + Quote(pid_file) + ") 2>/dev/null"); }
  } stop_servers{pid_file};
  bool ready = false;
  for (int i = 0; i < 100 && !ready; ++i) {
    usleep(100 * 1000);
    ready = RunCommand("grep -q 'serve-shards: ready' " + Quote(log)).status == 0 &&
            RunCommand(Quote(SearchBin()) + " --db " + Quote(stub) + " --limit 0 '*'").status == 0;
  }
  ASSERT_TRUE(ready) << RunCommand("cat " + Quote(log)).out;
  ExpectSameResults(db, stub);
  // Research counts that Xapian's remote protocol carries (a ValueCountMatchSpy, the collapse
  // key): --dedup (articles and statements) and --histogram, split or not, equal the local ones.
  for (const char* q : kCompareQueries) {
    for (const std::string args : {"--dedup --limit all --no-snippets --facets source,year ",
                                   "--statements --dedup --limit all --no-snippets ",
                                   "--histogram month --limit 0 ", "--statements --histogram week --limit 0 ",
                                   "--histogram month --by-facet person --facet-size 3 --limit 0 ",
                                   "--histogram year --by-facet source --limit 0 ",
                                   "--statements --histogram month --by-facet speaker --limit 0 "}) {
      json local = SearchJson(db, args + q), remote = SearchJson(stub, args + q);
      EXPECT_EQ(local["total"], remote["total"]) << args << q;
      EXPECT_EQ(local["histogram"], remote["histogram"]) << args << q;
      EXPECT_EQ(local["facets"], remote["facets"]) << args << q;
      std::multiset<int> local_copies, remote_copies;
      for (const char* key : {"hits", "statements"}) {
        for (const json& h : local[key]) local_copies.insert(h.value("copies", 1));
        for (const json& h : remote[key]) remote_copies.insert(h.value("copies", 1));
      }
      EXPECT_EQ(local_copies, remote_copies) << args << q;
    }
  }
  EXPECT_GT(SearchJson(stub, "'*' --dedup --limit 0")["total"].get<int>(), 0);
  EXPECT_LT(SearchJson(stub, "'*' --dedup --limit 0")["total"], SearchJson(stub, "'*' --limit 0")["total"]);
  EXPECT_FALSE(SearchJson(stub, "'*' --histogram month --by-facet person --limit 0")["histogram"].empty());
  // What needs two values of each match together is refused, saying why.
  for (const char* args : {"'*' --count-groups --facets source", "'*' --count-groups --histogram month"}) {
    CommandResult r = RunCommand(Quote(SearchBin()) + " --db " + Quote(stub) + " " + args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_NE(r.err.find("does not work over remote shards"), std::string::npos) << r.err;
  }
}

// Real corpora from ../shared: seed article, BBC folder, Reuters JSON Lines.
TEST(SharedCorporaTest, SeedBbcReuters) {
  const fs::path shared = DOSSIER_SHARED_CORPORA;
  const fs::path seed = shared / "seed/state-department-dissent-memo.txt";
  const fs::path bbc = shared / "bbc/raw";
  const fs::path reuters = shared / "reuters21578/reuters21578.jsonl";
  if (!fs::exists(seed) || !fs::exists(bbc) || !fs::exists(reuters)) {
    GTEST_SKIP() << "shared corpora not found at " << shared;
  }
  TempDir tmp;
  std::string db = tmp.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --json --batch-size 10000 " +
                               Quote(seed.string()) + " " + Quote(bbc.string()) + " " + Quote(reuters.string()));
  // BBC sport/199.txt has a latin-1 byte: a warning, not a skip. Reuters record 12793 has
  // neither title nor body: the one skipped record, so the exit status is 2.
  EXPECT_EQ(r.status, 2) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("sport/199.txt: warning: invalid UTF-8 repaired"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reuters21578.jsonl:12793: error: no body or title"), std::string::npos) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["skipped"], 1);
  // Seed 1 + BBC 2,225 files + Reuters 21,578 records - 1 skipped.
  // Text files are identified by their path, so BBC's 98 groups of identical files stay
  // distinct articles: every record is added.
  EXPECT_EQ(j["added"], 1 + 2225 + 21577);
  json all = SearchJson(db, "--no-snippets --limit 0 '*'");
  EXPECT_EQ(all["total"], j["added"]);  // documents == distinct ids
  json calm = SearchJson(db, Quote("\"restoring calm\""));
  ASSERT_GE(calm["total"].get<int>(), 1);
  bool found_seed = false;
  for (const json& h : calm["hits"])
    found_seed |= h["title"].get<std::string>().rfind("In a leaked memo obtained by Politico", 0) == 0;
  EXPECT_TRUE(found_seed) << calm.dump();
  EXPECT_GE(SearchJson(db, "--limit 0 source:reuters year:1987")["total"].get<int>(), 19000);
  // The seed article's entities, through the whole pipeline.
  json seed_hit = SearchJson(db, "--no-snippets id:" + Quote(fs::absolute(seed).lexically_normal().string()));
  ASSERT_EQ(seed_hit["hits"].size(), 1u) << seed_hit.dump();
  const json& h = seed_hit["hits"][0];
  auto has = [&](const char* key, const char* name) {
    return std::find(h[key].begin(), h[key].end(), name) != h[key].end();
  };
  EXPECT_TRUE(has("people", "Antony Blinken"));
  for (const char* org : {"US Department of State", "Politico", "Hamas", "UN General Assembly"})
    EXPECT_TRUE(has("institutions", org)) << org;
  for (const char* topic : {"ceasefire", "civilian casualties", "arms transfers"})
    EXPECT_TRUE(has("topics", topic)) << topic;
  for (const char* bad : {"Source", "Secretary", "The", "Israel’s"}) EXPECT_FALSE(has("people", bad)) << bad;
  // Exact facets over the whole index equal the brute-force counts of a query's hits.
  json facets = SearchJson(db, "--limit all --no-snippets --facet-size 100000 --facets person,source,year person:brown");
  std::map<std::string, uint64_t> brute;
  for (const json& hit : facets["hits"])
    for (const json& p : hit["people"]) ++brute[p.get<std::string>()];
  std::map<std::string, uint64_t> got;
  for (const json& v : facets["facets"]["person"]) got[v["value"]] = v["count"];
  EXPECT_EQ(got, brute);

}

TEST(SharedCorporaTest, SeedStatementsByBlinkenAboutCeasefire) {
  const fs::path seed = fs::path(DOSSIER_SHARED_CORPORA) / "seed/state-department-dissent-memo.txt";
  if (!fs::exists(seed)) GTEST_SKIP() << "shared corpora not found at " << DOSSIER_SHARED_CORPORA;
  TempDir tmp;
  std::string db = tmp.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " + Quote(seed.string()));
  ASSERT_EQ(r.status, 0) << r.err;
  // Statements by Blinken about a ceasefire: the two sentences in which he speaks, not the
  // memo's demands and not the State Department email.
  json st = SearchJson(db, "--statements --limit all --by Blinken --about ceasefire");
  std::string texts;
  for (const json& x : st["statements"]) {
    EXPECT_EQ(x["speaker"], "Antony Blinken");
    texts += x["text"].get<std::string>() + "\n";
  }
  EXPECT_NE(texts.find("Blinken has rejected calls for a halt to the Israeli operation"), std::string::npos) << texts;
  EXPECT_NE(texts.find("He has stated that the US has engaged with Israel"), std::string::npos) << texts;
  EXPECT_EQ(texts.find("The memo specifically calls"), std::string::npos) << texts;
  EXPECT_EQ(texts.find("urged diplomats"), std::string::npos) << texts;
  EXPECT_EQ(st["statements"].size(), 2u) << texts;
  // id: narrows statements to one article's.
  EXPECT_EQ(SearchJson(db, "--statements --limit 0 " + Quote("id:" + fs::absolute(seed).lexically_normal().string()))["total"],
            SearchJson(db, "--statements --limit 0 '*'")["total"]);
}

}  // namespace
}  // namespace dossier::testing
