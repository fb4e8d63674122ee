// End-to-end tests of the research workflow: --histogram (and --plot), --dedup/--count-groups,
// --format trec, --kwic, --significant and --cooccur, on a fixture written here and (when
// present) on the BBC corpus in ../shared.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cli_util.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Six articles: r1 and r2 are the same story from two outlets (an exact duplicate), r6 is
// undated, February has no article.
const char kFixture[] =
    R"({"id": "r1", "title": "Ceasefire talks open in Geneva", "date": "2023-01-05T10:00:00Z", "source": "Harbour Times", "body": "Antony Blinken said the ceasefire talks would open on Monday. Envoys hope a truce follows the ceasefire talks."})" "\n"
    R"({"id": "r2", "title": "Ceasefire talks open in Geneva", "date": "2023-01-06T08:00:00Z", "source": "Continental Wire", "body": "Antony Blinken said the ceasefire  talks would open on Monday.\nEnvoys hope a truce follows the ceasefire talks!"})" "\n"
    R"({"id": "r3", "title": "Central bank holds interest rates", "date": "2023-03-10T09:00:00Z", "source": "Daily Ledger", "body": "The central bank kept interest rates steady as inflation eased."})" "\n"
    R"({"id": "r4", "title": "Truce holds for a second day", "date": "2023-03-15T12:00:00Z", "source": "Harbour Times", "body": "The truce held. Antony Blinken welcomed the ceasefire, talking of peace."})" "\n"
    R"({"id": "r5", "title": "Markets rally", "date": "2023-04-02T12:00:00Z", "source": "Daily Ledger", "body": "Shares rose as interest rates stayed on hold and inflation slowed."})" "\n"
    R"({"id": "r6", "title": "Aid reaches the coast", "source": "Harbour Times", "body": "A ceasefire let aid through to the coast."})" "\n";

class ResearchCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    dir_->Write("in/news.jsonl", kFixture);
    db_ = dir_->File("db");
    CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db_) + " " + Quote(dir_->File("in")));
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static CommandResult Search(const std::string& args) {
    return RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " " + args);
  }
  static std::vector<json> Lines(const std::string& out) {
    std::vector<json> v;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) v.push_back(json::parse(line));
    return v;
  }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* ResearchCliTest::dir_;
std::string ResearchCliTest::db_;

TEST_F(ResearchCliTest, HistogramJsonHasEmptyPeriodsAndAddsUpToTotal) {
  json j = SearchJson(db_, "'*' --histogram month --limit 0");
  EXPECT_EQ(j["histogram_period"], "month");
  const json& h = j["histogram"];
  ASSERT_EQ(h.size(), 5u) << h.dump();
  EXPECT_EQ(h[0], json({{"period", "2023-01"}, {"count", 2}}));
  EXPECT_EQ(h[1], json({{"period", "2023-02"}, {"count", 0}}));
  EXPECT_EQ(h[2]["count"], 2);
  EXPECT_EQ(h[4], json({{"period", "undated"}, {"count", 1}}));
  uint64_t sum = 0;
  for (const json& row : h) sum += row["count"].get<uint64_t>();
  EXPECT_EQ(sum, j["total"].get<uint64_t>());
  // With a query and a filter: only its matches.
  json c = SearchJson(db_, "ceasefire --from 2023-03 --histogram week --limit 0");
  EXPECT_EQ(c["total"], 1);
  EXPECT_EQ(c["histogram"][0]["period"], "2023-W09");  // --from widens the span to its week
  EXPECT_EQ(c["histogram"].back(), json({{"period", "2023-W11"}, {"count", 1}}));
}

TEST_F(ResearchCliTest, HistogramSplitByFacetCsvAndText) {
  json j = SearchJson(db_, "'*' --histogram year --by-facet source --facet-size 2 --limit 0");
  EXPECT_EQ(j["histogram_by"], "source");
  std::set<std::string> series;
  for (const json& row : j["histogram"]) series.insert(row["series"].get<std::string>());
  EXPECT_EQ(series, (std::set<std::string>{"Harbour Times", "Daily Ledger"}));
  CommandResult csv = Search("'*' --histogram month --format csv");
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find("\r\n")), "period,count");
  EXPECT_NE(csv.out.find("\r\n2023-02,0\r\n"), std::string::npos) << csv.out;
  CommandResult text = Search("'*' --histogram month --limit 0 --color never");
  EXPECT_NE(text.out.find("matches per month (6 in all)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2023-01  █"), std::string::npos) << text.out;
  json st = SearchJson(db_, "--statements '*' --histogram year --limit 0");
  uint64_t sum = 0;
  for (const json& row : st["histogram"]) sum += row["count"].get<uint64_t>();
  EXPECT_EQ(sum, st["total"].get<uint64_t>());
}

TEST_F(ResearchCliTest, PlotWritesSvgAndPngWithTheSeries) {
  if (RunCommand("command -v gnuplot").status != 0) GTEST_SKIP() << "gnuplot is not installed (apt-get install gnuplot-nox)";
  const std::string svg = dir_->File("chart.svg"), png = dir_->File("chart.png");
  CommandResult r = Search("'*' --histogram month --by-facet source --limit 0 --plot " + Quote(svg));
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(svg);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content.rfind("<?xml", 0), 0u);
  EXPECT_NE(content.find("</svg>"), std::string::npos);
  for (const char* s : {"Harbour Times", "Daily Ledger", "Continental Wire", "Articles per month", "2023-02"}) {
    EXPECT_NE(content.find(s), std::string::npos) << s;
  }
  r = Search("'*' --histogram month --limit 0 --plot " + Quote(png));
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream pin(png, std::ios::binary);
  char magic[8] = {};
  pin.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  r = Search("'*' --histogram month --limit 0 --plot " + Quote(dir_->File("chart.gif")));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(".svg or .png"), std::string::npos) << r.err;
}

TEST_F(ResearchCliTest, DedupCollapsesExactDuplicatesAndCountsGroups) {
  json j = SearchJson(db_, "ceasefire --dedup --no-snippets");
  EXPECT_EQ(j["total"], 3);  // r1+r2, r4, r6
  EXPECT_EQ(j["total_counts"], "groups");
  EXPECT_EQ(j["facet_counts"], "articles");
  ASSERT_EQ(j["hits"].size(), 3u);
  std::map<std::string, int> copies;
  for (const json& h : j["hits"]) copies[h["id"]] = h["copies"];
  EXPECT_EQ(copies.count("r1") + copies.count("r2"), 1u);
  EXPECT_EQ(copies.count("r1") ? copies["r1"] : copies["r2"], 2);
  EXPECT_EQ(copies["r4"], 1);
  json plain = SearchJson(db_, "ceasefire --no-snippets --facets source");
  EXPECT_EQ(plain["total"], 4);
  EXPECT_FALSE(plain.contains("total_counts"));
  // --count-groups: facets and histograms count the group once.
  json g = SearchJson(db_, "ceasefire --dedup --count-groups --facets source --histogram month --limit 0");
  EXPECT_EQ(g["facet_counts"], "groups");
  uint64_t sum = 0;
  for (const json& row : g["histogram"]) sum += row["count"].get<uint64_t>();
  EXPECT_EQ(sum, 3u);
  EXPECT_EQ(g["histogram"][0], json({{"period", "2023-01"}, {"count", 1}}));
  uint64_t facet_sum = 0;
  for (const json& v : g["facets"]["source"]) facet_sum += v["count"].get<uint64_t>();
  EXPECT_EQ(facet_sum, 4u);  // the group counts once under each of its two sources
  CommandResult text = Search("ceasefire --dedup --color never --no-snippets");
  EXPECT_NE(text.out.find("3 duplicate groups match"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(2 copies)"), std::string::npos) << text.out;
}

// --statements --dedup: r1 and r2 carry the same statement by Blinken (spacing aside): one group.
TEST_F(ResearchCliTest, DedupStatementsCountsTheSameStatementOnce) {
  json plain = SearchJson(db_, "--statements '*' --no-snippets --limit all");
  ASSERT_EQ(plain["total"], 3) << plain.dump();
  json j = SearchJson(db_, "--statements '*' --dedup --no-snippets --limit all");
  EXPECT_EQ(j["total"], 2);
  EXPECT_EQ(j["total_counts"], "groups");
  ASSERT_EQ(j["statements"].size(), 2u);
  EXPECT_EQ(j["statements"][0]["copies"], 2);
  EXPECT_EQ(j["statements"][0]["text"], "Antony Blinken said the ceasefire talks would open on Monday.");
  EXPECT_EQ(j["statements"][1]["copies"], 1);
  json g = SearchJson(db_, "--statements '*' --count-groups --facets source --histogram month --limit 0");
  EXPECT_EQ(g["facet_counts"], "groups");
  EXPECT_EQ(g["histogram"][0], json({{"period", "2023-01"}, {"count", 1}}));
  uint64_t facet_sum = 0;
  for (const json& v : g["facets"]["source"]) facet_sum += v["count"].get<uint64_t>();
  EXPECT_EQ(facet_sum, 3u);  // the group under both its sources, r4's statement under one
  CommandResult csv = Search("--statements '*' --dedup --format csv");
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find("\r\n")),
            "rank,article_id,score,date,source,speaker,cue,direct,text,start,end,topics,title,copies");
  EXPECT_NE(csv.out.find(",Ceasefire talks open in Geneva,2\r\n"), std::string::npos) << csv.out;
}

// Lightly edited copies (a new headline; one figure changed) join the original's group; another
// story opening with the same sentence, and short bodies that happen to be equal, do not.
TEST(NearDuplicatesCliTest, LightlyEditedCopiesCollapseWithTheirOriginal) {
  const std::string body =
      "The old swing bridge over the Marrow estuary reopened to traffic on Tuesday after eleven "
      "months of repairs. Engineers replaced the rusted counterweights, rebuilt the deck and fitted "
      "new sensors that warn of high winds. The county council said the work cost 14 million "
      "pounds, two million more than planned, because corrosion had spread further than surveys "
      "showed. Ferry operators, who carried commuters across the water while the bridge was shut, "
      "expect passenger numbers to fall sharply. Local traders welcomed the reopening and said the "
      "closure had cut footfall in the harbour district by a third. Council leader Miriam Osei "
      "thanked residents for their patience and promised that the cycle lane would open next month.";
  std::string edited = body;
  edited.replace(edited.find("14 million"), 10, "15 million");
  const std::string other =
      "The old swing bridge over the Marrow estuary reopened to traffic on Tuesday after eleven "
      "months of repairs. Yet commuters faced queues of up to an hour as the new traffic lights at "
      "the northern end failed twice during the morning. Drivers said signs pointing to the ferry "
      "terminal were still in place and confused visitors. The council blamed a software fault in "
      "the signal controller and said a contractor would fix it overnight. Opposition councillors "
      "called for an inquiry into why the lights had not been tested before the opening ceremony.";
  auto record = [](const char* id, const char* title, const char* date, const char* source,
                   const std::string& text) {
    return json({{"id", id}, {"title", title}, {"date", date}, {"source", source}, {"body", text}}).dump() + "\n";
  };
  TempDir t;
  // First run: the original, the other story and the short items.
  t.Write("a/news.jsonl",
          record("n1", "Marrow bridge reopens after repairs", "2024-05-14T09:00:00Z", "Estuary Gazette", body) +
              record("n4", "Queues on first day of reopened bridge", "2024-05-14T18:00:00Z", "Estuary Gazette", other) +
              record("n5", "Fire at the paper mill", "2024-05-16T08:00:00Z", "Coastal Wire", "Full report to follow.") +
              record("n6", "Council budget approved", "2024-05-16T09:00:00Z", "Coastal Wire", "Full report to follow."));
  // Second run: the copies arrive later, in another file.
  t.Write("b/news.jsonl",
          record("n2", "Swing bridge back in service", "2024-05-14T11:30:00Z", "Coastal Wire", body) +
              record("n3", "Marrow bridge reopens after repairs", "2024-05-15T07:00:00Z", "Northern Echo Online", edited));
  const std::string db = t.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " -j2 --json --db " + Quote(db) + " " + Quote(t.File("a")));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["duplicate_groups"], 0);
  r = RunCommand(Quote(IndexBin()) + " -j2 --json --db " + Quote(db) + " " + Quote(t.File("b")));
  ASSERT_EQ(r.status, 0) << r.err;
  json summary = json::parse(r.out);
  EXPECT_EQ(summary["duplicate_groups"], 1);
  EXPECT_EQ(summary["near_duplicate_groups"], 1);
  EXPECT_EQ(summary["duplicate_articles"], 3);
  EXPECT_NE(r.err.find("duplicate groups: 1 (1 of them near duplicates) covering 3 articles"), std::string::npos) << r.err;

  json all = SearchJson(db, "'*' --dedup --no-snippets --limit all");
  EXPECT_EQ(all["total"], 4);  // n1+n2+n3, n4, n5, n6
  std::map<std::string, int> copies;
  for (const json& h : all["hits"]) copies[h["id"]] = h["copies"];
  EXPECT_EQ(copies.count("n1") + copies.count("n2") + copies.count("n3"), 1u) << all.dump();
  EXPECT_EQ(copies["n4"], 1);
  EXPECT_EQ(copies["n5"], 1);
  EXPECT_EQ(copies["n6"], 1);
  // Counting groups: the bridge story once, at its earliest date, under each of its sources.
  json g = SearchJson(db, "bridge --count-groups --facets source --histogram day --limit 0");
  EXPECT_EQ(g["total"], 4);
  EXPECT_EQ(g["histogram"], json::parse(R"([{"period": "2024-05-14", "count": 2}])"));  // story, n4
  EXPECT_EQ(SearchJson(db, "bridge --histogram day --limit 0")["histogram"],
            json::parse(R"([{"period": "2024-05-14", "count": 3}, {"period": "2024-05-15", "count": 1}])"));
  std::map<std::string, int> sources;
  for (const json& v : g["facets"]["source"]) sources[v["value"]] = v["count"];
  EXPECT_EQ(sources["Estuary Gazette"], 2);
  EXPECT_EQ(sources["Northern Echo Online"], 1);
  // A run with nothing new changes no group.
  r = RunCommand(Quote(IndexBin()) + " --json --db " + Quote(db) + " " + Quote(t.File("a")) + " " + Quote(t.File("b")));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["regrouped"], 0);
  EXPECT_EQ(json::parse(r.out)["duplicate_groups"], 1);
}

TEST_F(ResearchCliTest, TrecRunLines) {
  TempDir t;
  std::string batch = t.Write("q.tsv", "7\tceasefire\n8\tinterest rates\n");
  CommandResult r = Search("--batch " + Quote(batch) + " --format trec --run-tag myrun --limit 2");
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream in(r.out);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  std::string qid, q0, docid, tag;
  int rank;
  double score;
  std::istringstream first(lines[0]);
  first >> qid >> q0 >> docid >> rank >> score >> tag;
  EXPECT_EQ(qid, "7");
  EXPECT_EQ(q0, "Q0");
  EXPECT_EQ(rank, 1);
  EXPECT_GT(score, 0);
  EXPECT_EQ(tag, "myrun");
  EXPECT_EQ(lines[2].rfind("8 Q0 r", 0), 0u) << lines[2];
  // --match any ranks articles with any of the words.
  json any = SearchJson(db_, "'ceasefire markets' --match any --limit 0");
  EXPECT_EQ(any["total"], 5);
  EXPECT_EQ(SearchJson(db_, "'ceasefire markets' --limit 0")["total"], 0);
  EXPECT_EQ(SearchJson(db_, "ceasefire --bm25 1.2,0.75 --limit 0")["total"], 4);
  EXPECT_EQ(Search("ceasefire --bm25 x").status, 2);
}

TEST_F(ResearchCliTest, KwicFindsStemmedFormsAndPhrases) {
  CommandResult r = Search("'*' --kwic 'ceasefire talks' --format jsonl --limit all --kwic-sort date");
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<json> lines = Lines(r.out);
  // r1 and r2: the title and twice in the body each; r4 "ceasefire, talking"; the summary.
  ASSERT_EQ(lines.size(), 8u) << r.out;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    for (const char* k : {"left", "match", "right", "id", "date", "source"}) EXPECT_TRUE(lines[i].contains(k)) << k;
  }
  EXPECT_EQ(lines[4]["match"], "ceasefire talks");  // r2's double space is folded
  EXPECT_EQ(lines[6]["match"], "ceasefire, talking");
  EXPECT_EQ(lines[0]["id"], "r1");
  EXPECT_EQ(lines.back()["total"], 7);
  EXPECT_EQ(lines.back()["articles"], 3);
  json talk = SearchJson(db_, "'*' --kwic talks --limit all");
  std::set<std::string> forms;
  for (const json& l : talk["lines"]) forms.insert(l["match"].get<std::string>());
  EXPECT_EQ(forms, (std::set<std::string>{"talks", "talking"}));
  CommandResult text = Search("'*' --kwic truce --width 10 --kwic-sort right --color never");
  EXPECT_NE(text.out.find("occurrences of \"truce\""), std::string::npos) << text.out;
  CommandResult csv = Search("'*' --kwic truce --format csv --limit 1");
  EXPECT_EQ(csv.out.substr(0, csv.out.find("\r\n")), "left,match,right,id,date,source,title");
  EXPECT_EQ(Search("'*' --kwic zebra").status, 1);
}

TEST_F(ResearchCliTest, SignificantAndCooccur) {
  json s = SearchJson(db_, "ceasefire --significant 10");
  EXPECT_EQ(s["score"], "G2");
  EXPECT_EQ(s["total"], 4);
  std::map<std::string, json> by_text;
  for (const json& t : s["significant"]) by_text[t["text"]] = t;
  ASSERT_TRUE(by_text.count("truce")) << s.dump();
  EXPECT_EQ(by_text["truce"]["foreground"], 3);
  EXPECT_EQ(by_text["truce"]["background"], 3);
  EXPECT_GT(by_text["truce"]["score"].get<double>(), 0);
  json c = SearchJson(db_, "ceasefire --cooccur person");
  ASSERT_FALSE(c["cooccur"].empty()) << c.dump();
  EXPECT_EQ(c["cooccur"][0]["text"], "Antony Blinken");
  EXPECT_EQ(c["cooccur"][0]["kind"], "person");
  EXPECT_EQ(c["cooccur"][0]["foreground"], 3);
  EXPECT_EQ(Search("ceasefire --cooccur colour").status, 2);
}

// scripts/examples run against an index of corpus/samples and print what they promise.
TEST(ResearchExamplesTest, ExampleScriptsRunOnTheSamples) {
  TempDir t;
  const std::string db = t.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " + Quote(DOSSIER_SAMPLES));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string env = "DOSSIER_DB=" + Quote(db) + " DOSSIER_SEARCH=" + Quote(SearchBin()) + " ";
  const std::string examples = std::string(DOSSIER_SCRIPTS) + "/examples/";
  r = RunCommand(env + Quote(examples + "statements-by-month.py") + " Varga ceasefire");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("month,statements,first_quote\n2023-02,1,", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\n2023-03,0,\n"), std::string::npos) << r.out;
  r = RunCommand(env + Quote(examples + "top-cooccurring.py") + " --top 3 ceasefire");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("United Nations"), std::string::npos) << r.out;
  r = RunCommand(env + Quote(examples + "syndication-report.sh") + " ceasefire");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("2 copies"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("distinct stories in all"), std::string::npos) << r.out;
}

// Peak resident memory (kB) of one run of `args` (stdout to `out`), measured by a Python parent
// whose only child it is. Under AddressSanitizer (scripts/test --sanitize) freed memory waits
// in a quarantine (256 MB by default) that would count as growth: it is switched off here.
long PeakKb(const std::string& args, const std::string& out) {
  CommandResult r = RunCommand(
      "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0\" "
      "python3 -c 'import resource, subprocess, sys\n"
      "with open(sys.argv[1], \"wb\") as f: subprocess.run(sys.argv[2:], stdout=f, check=True)\n"
      "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' " + Quote(out) + " " + args);
  EXPECT_EQ(r.status, 0) << r.err;
  return r.status == 0 ? std::stol(r.out) : -1;
}

// `--limit all --format jsonl` writes each hit as it is read: exporting the whole Reuters
// archive takes about as much memory as exporting 100 articles.
TEST(ResearchReutersTest, ExportingEveryResultStreamsInConstantMemory) {
  const fs::path data = fs::path(DOSSIER_SHARED_CORPORA) / "reuters21578" / "reuters21578.jsonl";
  if (std::string(DOSSIER_SHARED_CORPORA).empty() || !fs::exists(data)) {
    GTEST_SKIP() << "../shared/corpora/reuters21578 is absent";
  }
  TempDir t;
  const std::string db = t.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " + Quote(data.string()));
  ASSERT_NE(r.status, -1) << r.err;
  const std::string base = Quote(SearchBin()) + " --db " + Quote(db) + " '*' --no-snippets --format jsonl --limit ";
  long all = PeakKb(base + "all", t.File("all.jsonl"));
  long few = PeakKb(base + "100", t.File("few.jsonl"));
  std::ifstream in(t.File("all.jsonl"));
  size_t lines = 0, bytes = 0;
  std::string last;
  for (std::string line; std::getline(in, line); ++lines) {
    bytes += line.size();
    last = line;
  }
  json summary = json::parse(last);
  EXPECT_GT(summary["total"].get<size_t>(), 20000u);
  EXPECT_EQ(summary["returned"], summary["total"]);
  EXPECT_EQ(lines, summary["total"].get<size_t>() + 1);
  // The export is ~8 MB of JSON (--format json, which holds every hit, peaks near 120 MB); the
  // streaming process grows by far less than that.
  EXPECT_LT(all - few, 4 * 1024) << "peak kB: all " << all << ", 100 hits " << few << "; wrote " << bytes << " bytes";
  RecordProperty("peak_kb_all", std::to_string(all));
  RecordProperty("peak_kb_100", std::to_string(few));
}

// The BBC set has 98 groups of byte-identical files: each must be one duplicate group.
TEST(ResearchBbcTest, EveryExactDuplicateFileGroupIsOneGroup) {
  const fs::path raw = fs::path(DOSSIER_SHARED_CORPORA) / "bbc" / "raw";
  if (std::string(DOSSIER_SHARED_CORPORA).empty() || !fs::exists(raw)) {
    GTEST_SKIP() << "../shared/corpora/bbc is absent";
  }
  std::map<std::string, std::vector<std::string>> by_content;
  for (const auto& e : fs::recursive_directory_iterator(raw)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    by_content[content].push_back(fs::canonical(e.path()).string());
  }
  TempDir t;
  std::string batch;
  int groups = 0;
  for (const auto& [content, files] : by_content) {
    if (files.size() < 2) continue;
    ++groups;
    std::string q;
    for (const std::string& f : files) q += (q.empty() ? "" : " OR ") + fmt::format("id:\"{}\"", f);
    batch += fmt::format("{}\t{}\n", groups, q);
  }
  EXPECT_EQ(groups, 98);
  const std::string db = t.File("db");
  CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " + Quote(fs::canonical(raw).string()));
  ASSERT_EQ(r.status, 0) << r.err;
  r = RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " --dedup --no-snippets --format json --batch " +
                 Quote(t.Write("groups.tsv", batch)));
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["results"].size(), 98u);
  for (const json& res : j["results"]) {
    EXPECT_EQ(res["total"], 1) << res["query"];
    EXPECT_GE(res["hits"][0]["copies"].get<int>(), 2) << res["query"];
  }
  json all = SearchJson(db, "'*' --dedup --limit 0");
  EXPECT_LT(all["total"].get<int>(), 2225 - 98);
}

}  // namespace
}  // namespace dossier::testing
