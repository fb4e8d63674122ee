// Bad input and bad queries through the real binaries: a clear message, the good records
// indexed, exit status 2, never a crash or a hang.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <regex>

#include "reliability_util.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct IndexRun {
  CommandResult r;
  json summary;  // --json output (an empty object if there was none)
  std::string db;
};

// Indexes `paths` (already quoted) into DIR/db with --json, under a 120 s timeout.
IndexRun Index(const TempDir& dir, const std::string& paths, const std::string& extra = "") {
  IndexRun run;
  run.db = dir.File("db");
  run.r = RunCommand("timeout 120 " + Quote(IndexBin()) + " --db " + Quote(run.db) +
                     " --json --quiet " + extra + " " + paths);
  run.summary = json::parse(run.r.out, nullptr, false);
  if (run.summary.is_discarded()) run.summary = json::object();
  return run;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// stderr shows no crash, sanitizer report or exception dump.
void ExpectNoCrash(const CommandResult& r) {
  EXPECT_LT(r.status, 124) << "crashed or timed out (status " << r.status << "): " << r.err.substr(0, 2000);
  for (const char* bad : {"terminate called", "internal error", "Sanitizer", "runtime error",
                          "Segmentation", "Aborted", "what():"}) {
    EXPECT_FALSE(Contains(r.err, bad)) << bad << " in: " << r.err.substr(0, 2000);
  }
}

int64_t Total(const std::string& db, const std::string& query) {
  return SearchJson(db, "--no-snippets " + Quote(query)).value("total", int64_t{-1});
}

const std::string kGood1 = R"({"id": "good-1", "title": "Harbour reopens", "body": "The harbour reopened after the storm, officials said."})";
const std::string kGood2 = R"({"id": "good-2", "title": "Wheat prices", "body": "Wheat prices rose sharply in the northern provinces."})";

// ---- Encodings ----

TEST(BadInput, Latin1BytesAreRepairedWithAWarning) {
  TempDir dir;
  std::string in = dir.Write(
      "mixed.jsonl", kGood1 + "\n" +
                         "{\"id\": \"lat-1\", \"title\": \"Caf\xe9 owners protest\", \"author\": \"Jos\xe9 N\xfa\xf1" "ez\", "
                         "\"source\": \"Le Monde \xe9" "dition\", \"body\": \"The caf\xe9 owners said \x93no\x94 to the tax.\"}\n" +
                         "{\"id\": \"utf-1\", \"body\": \"Another caf\xc3\xa9 in proper UTF-8.\"}\n");
  std::string txt = dir.Write("text/latin.txt", "R\xe9sum\xe9 of the week\n\nThe r\xe9sum\xe9 was long.\n");
  IndexRun run = Index(dir, Quote(in) + " " + Quote(txt));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 0) << run.r.err;  // repaired, not skipped
  EXPECT_TRUE(Contains(run.r.err, in + ":2: warning: invalid UTF-8 repaired")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, txt + ": warning: invalid UTF-8 repaired")) << run.r.err;
  EXPECT_EQ(run.summary["added"], 4);
  EXPECT_EQ(Total(run.db, "café"), 2);
  EXPECT_EQ(Total(run.db, "résumé"), 1);
  json hit = SearchJson(run.db, "id:lat-1")["hits"][0];
  EXPECT_EQ(hit["title"], "Café owners protest");
  EXPECT_EQ(hit["author"], "José Núñez");
  EXPECT_EQ(hit["source"], "Le Monde édition");
}

TEST(BadInput, BinaryAndEmptyFilesAreSkipped) {
  TempDir dir;
  dir.Write("in/a-good.jsonl", kGood1 + "\n" + kGood2 + "\n");
  std::string binary(4096, '\0');
  std::mt19937 rng(7);
  for (char& c : binary) c = static_cast<char>(rng());
  binary[10] = '\0';
  std::string bin = dir.Write("in/b-binary.txt", binary);
  std::string bin_jsonl = dir.Write("in/c-binary.jsonl", "{\"id\": \"x\", \"body\": \"a\0b\"}\n" + binary);
  std::string empty = dir.Write("in/d-empty.txt", "");
  std::string blank = dir.Write("in/e-blank.jsonl", "  \n\n\t\n");
  IndexRun run = Index(dir, Quote(dir.File("in")));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  EXPECT_TRUE(Contains(run.r.err, bin + ": error: binary file")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, bin_jsonl + ": error: binary file")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, empty + ": error: empty file")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, blank + ": error: empty file")) << run.r.err;
  EXPECT_EQ(run.summary["added"], 2);
  EXPECT_EQ(run.summary["skipped"], 4);
  EXPECT_EQ(Total(run.db, "*"), 2);
}

// ---- Compressed files ----

class CompressedTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CompressedTest, TruncatedOrCorruptKeepsTheRecordsBefore) {
  const std::string tool = GetParam();  // gzip, bzip2, xz, zstd
  const std::string ext = tool == "gzip" ? "gz" : tool == "bzip2" ? "bz2" : tool == "xz" ? "xz" : "zst";
  if (RunCommand("command -v " + tool).status != 0) GTEST_SKIP() << tool << " not installed";
  TempDir dir;
  std::string plain = dir.Write("src.jsonl", GenerateJsonl(2000, 5, "z"));
  ASSERT_EQ(RunCommand(tool + " -c " + Quote(plain) + " > " + Quote(dir.File("whole." + ext))).status, 0);
  std::ifstream f(dir.File("whole." + ext), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  // Truncated in the middle.
  {
    TempDir sub;
    std::string cut = sub.Write("cut.jsonl." + ext, bytes.substr(0, bytes.size() / 2));
    std::string good = sub.Write("good.jsonl", kGood1 + "\n");
    IndexRun run = Index(sub, Quote(cut) + " " + Quote(good));
    ExpectNoCrash(run.r);
    EXPECT_EQ(run.r.status, 2);
    EXPECT_TRUE(Contains(run.r.err, cut + ": error: truncated or corrupt " + tool + " data")) << run.r.err;
    EXPECT_EQ(run.summary.value("skipped", -1), 1) << run.r.err;
    int64_t total = Total(run.db, "*");
    EXPECT_EQ(Total(run.db, "id:good-1"), 1);
    // The records before the damage are indexed (bzip2 and xz deliver by block: maybe none).
    EXPECT_LT(total, 2001);
    if (tool == "gzip" || tool == "zstd") {
      EXPECT_GT(total, 100);
    }
  }
  // Garbage in the middle.
  {
    TempDir sub;
    std::string bad = bytes;
    for (size_t i = bad.size() / 3; i < bad.size() / 3 + 64; ++i) bad[i] = static_cast<char>(i * 31);
    std::string corrupt = sub.Write("corrupt.jsonl." + ext, bad);
    IndexRun run = Index(sub, Quote(corrupt));
    ExpectNoCrash(run.r);
    EXPECT_EQ(run.r.status, 2) << run.r.err;
    EXPECT_TRUE(Contains(run.r.err, corrupt + ":")) << run.r.err;
    EXPECT_TRUE(Contains(run.r.err, "error:")) << run.r.err;
  }
  // Named .gz (etc.) but not compressed.
  {
    TempDir sub;
    std::string fake = sub.Write("fake.jsonl." + ext, kGood1 + "\n");
    IndexRun run = Index(sub, Quote(fake));
    ExpectNoCrash(run.r);
    EXPECT_EQ(run.r.status, 2);
    EXPECT_TRUE(Contains(run.r.err, fake + ": error: ")) << run.r.err;
  }
}
INSTANTIATE_TEST_SUITE_P(Tools, CompressedTest, ::testing::Values("gzip", "bzip2", "xz", "zstd"));

// ---- JSON Lines ----

TEST(BadInput, MalformedJsonLinesAreSkippedWithTheirLine) {
  TempDir dir;
  std::string in = dir.Write("bad.jsonl", kGood1 + "\n" +
                                              "{not json\n"                                     // 2
                                              "[1, 2, 3]\n"                                     // 3
                                              "\"just a string\"\n"                             // 4
                                              "{\"id\": \"u\", \"body\": \"unterminated\n"      // 5
                                              "{\"id\": \"t\", \"body\": \"x\"} trailing\n"     // 6
                                              "{\"id\": \"n\", \"body\": 1e999999}\n"           // 7
                                              "{}\n"                                            // 8
                                              + kGood2 + "\n");                                 // 9
  IndexRun run = Index(dir, Quote(in));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  for (int line : {2, 3, 4, 5, 6, 7, 8}) {
    EXPECT_TRUE(Contains(run.r.err, in + ":" + std::to_string(line) + ": error: ")) << line << "\n" << run.r.err;
  }
  EXPECT_EQ(run.summary["added"], 2);
  EXPECT_EQ(run.summary["skipped"], 7);
}

TEST(BadInput, WrongFieldTypesAreReported) {
  TempDir dir;
  std::string in = dir.Write(
      "types.jsonl",
      kGood1 + "\n" +
          R"({"id": "t2", "title": {"text": "nested"}, "body": "object title"})" "\n"  // 2
          R"({"id": "t3", "title": "ok", "body": 42})" "\n"                            // 3
          R"({"id": "t4", "title": "array date", "date": [2023, 1, 1], "body": "x"})" "\n"  // 4
          R"({"id": "t5", "title": "bool author", "author": true, "body": "x"})" "\n"  // 5
          R"({"id": {"a": 1}, "title": "object id", "body": "x"})" "\n"                // 6
          R"({"id": "t7", "title": "source list", "source": [1, 2], "body": "x"})" "\n"  // 7
          + kGood2 + "\n");
  IndexRun run = Index(dir, Quote(in));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  for (int line = 2; line <= 7; ++line) {
    EXPECT_TRUE(Contains(run.r.err, in + ":" + std::to_string(line) + ": error: field '"))
        << line << "\n" << run.r.err;
  }
  EXPECT_EQ(run.summary["added"], 2);
  EXPECT_EQ(run.summary["skipped"], 6);
  EXPECT_EQ(Total(run.db, "*"), 2);
}

TEST(BadInput, DeeplyNestedJsonIsRejectedBeforeParsing) {
  TempDir dir;
  std::string deep_array(200000, '[');
  std::string deep_object;
  for (int i = 0; i < 100; ++i) deep_object += "{\"a\": ";
  deep_object += "1" + std::string(100, '}');
  std::string in = dir.Write("deep.jsonl", kGood1 + "\n" + deep_array + "\n" +
                                               "{\"id\": \"d\", \"body\": \"x\", \"extra\": " +
                                               deep_object + "}\n" + kGood2 + "\n");
  IndexRun run = Index(dir, Quote(in));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  EXPECT_TRUE(Contains(run.r.err, in + ":2: error: ")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, in + ":3: error: JSON nested deeper than")) << run.r.err;
  EXPECT_EQ(run.summary["added"], 2);
}

TEST(BadInput, UnknownFieldsAreIgnored) {
  TempDir dir;
  std::string in = dir.Write(
      "unknown.jsonl",
      R"({"id": "k1", "body": "known words here", "sentiment": 0.7, "tags": ["a", "b"], "meta": {"x": {"y": null}}})" "\n");
  IndexRun run = Index(dir, Quote(in));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 0) << run.r.err;
  EXPECT_EQ(Total(run.db, "known"), 1);
}

TEST(BadInput, DuplicateIdsInOneRunKeepTheFirstAndReportTheOthers) {
  TempDir dir;
  std::string in = dir.Write("dup.jsonl", R"({"id": "same", "body": "first alpha"})" "\n"
                                          R"({"id": "same", "body": "second beta"})" "\n"
                                          R"({"id": "same", "body": "third gamma"})" "\n" + kGood1 + "\n");
  std::string csv = dir.Write("dup.csv", "id,url,body\nother,https://x.example/a,delta one\n"
                                         "same,,epsilon two\n"
                                         ",https://x.example/a,zeta three\n");
  IndexRun run = Index(dir, Quote(in) + " " + Quote(csv));
  ExpectNoCrash(run.r);
  // README "Identity": within one run the first record with an identity wins; later ones
  // are errors naming both places, counted as skipped, exit status 2.
  EXPECT_EQ(run.r.status, 2) << run.r.err;
  EXPECT_EQ(run.summary.value("skipped", -1), 3) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, in + ":2: error: duplicate id 'same' (first read at " + in + ":1)"))
      << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, in + ":3: error: duplicate id 'same'")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, csv + ":3: error: duplicate id 'same' (first read at " + in + ":1)"))
      << run.r.err;
  // The third CSV record has no id: its key is its URL, which "other" does not share
  // (ids and URLs are different keys), so it is indexed.
  EXPECT_EQ(Total(run.db, "*"), 4);
  EXPECT_EQ(Total(run.db, "alpha"), 1);
  EXPECT_EQ(Total(run.db, "beta OR gamma OR epsilon"), 0);
}

TEST(BadInput, NulByteInTheFirstJsonLineOnlyCostsThatRecord) {
  TempDir dir;
  static const char kRawNul[] = "{\"id\": \"n1\", \"body\": \"raw \0 nul\"}\n";
  std::string in = dir.Write("nul.jsonl", std::string(kRawNul, sizeof kRawNul - 1) + kGood1 + "\n" +
                                              kGood2 + "\n");
  std::string text = dir.Write("nul.txt", std::string("A plain text \0 file\n", 21));
  IndexRun run = Index(dir, Quote(in) + " " + Quote(text));
  ExpectNoCrash(run.r);
  EXPECT_EQ(Total(run.db, "wheat"), 1) << run.r.err;  // the good records after it
  EXPECT_GE(run.summary.value("added", -1), 2) << run.r.err;
  // A plain-text file with a NUL is binary: skipped as a whole, with an error.
  EXPECT_TRUE(Contains(run.r.err, text + ": error: binary file, skipped")) << run.r.err;
  EXPECT_EQ(run.r.status, 2);
}

TEST(BadInput, ExtremeDatesAreWarningsNotCrashes) {
  TempDir dir;
  std::string in;
  const char* dates[] = {"0000-01-01",           "99999-01-01",   "-0001-12-31", "0001-01-01",
                         "9999-12-31T23:59:59Z", "1970-01-01",    "1969-12-31",  "+002023-01-01",
                         "31 Dec 9999 23:59:59 -1400", "2023-13-45",  "99999999999999999999"};
  int n = 0;
  for (const char* d : dates) {
    in += json{{"id", "date-" + std::to_string(++n)}, {"date", d}, {"body", "dated article"}}.dump() + "\n";
  }
  in += R"({"id": "num-1", "date": 1e300, "body": "dated article"})" "\n";
  in += R"({"id": "num-2", "date": -99999999999999, "body": "dated article"})" "\n";
  std::string path = dir.Write("dates.jsonl", in);
  IndexRun run = Index(dir, Quote(path));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.summary.value("added", -1), n + 2) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, path + ":1: warning: unparseable date '0000-01-01'")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, path + ":2: warning: unparseable date '99999-01-01'")) << run.r.err;
  // Every stored date reads back as ISO 8601 with a four-digit year, and sorting works.
  json all = SearchJson(run.db, "--limit all --sort date --no-snippets '*'");
  ASSERT_EQ(all["hits"].size(), static_cast<size_t>(n + 2));
  for (const json& h : all["hits"]) {
    if (h["date"].is_null()) continue;
    EXPECT_TRUE(std::regex_match(h["date"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << h["id"] << " " << h["date"];
  }
  EXPECT_EQ(Total(run.db, "year:9999"), 1);
  EXPECT_EQ(Total(run.db, "date:0001..0001"), 1);
}

// ---- CSV ----

TEST(BadInput, CsvWithBadQuotesAndColumns) {
  TempDir dir;
  std::string in = dir.Write("bad.csv",
                             "id,title,date,body\n"                                   // 1
                             "c1,Good one,2023-01-01,\"Quoted, with comma\"\n"         // 2
                             "c2,Missing columns\n"                                   // 3
                             "c3,Too,many,columns,here,2023,extra\n"                  // 4
                             "c5,Good two,2023-01-03,\"Multi\nline body\"\n"          // 5-6
                             "c6,Good three,2023-01-04,plain body\n");                // 7
  // A quote that never closes: reading goes on from the line after the record's start.
  std::string open_quote = dir.Write("quote.csv",
                                     "id,title,body\n"                                // 1
                                     "q1,Fine,first body\n"                           // 2
                                     "q2,\"Unbalanced quote,second body\n"            // 3
                                     "q3,Fine too,third body\n");                     // 4
  std::string tsv = dir.Write("bad.tsv", "id\ttitle\tbody\nt1\tfine\tbody one\nt2\tshort\n");
  std::string nohead = dir.Write("nohead.csv", "id,date\nx1,2023-01-01\n");
  IndexRun run = Index(dir, Quote(in) + " " + Quote(open_quote) + " " + Quote(tsv) + " " + Quote(nohead));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  EXPECT_TRUE(Contains(run.r.err, in + ":3: error: 2 columns, header has 4")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, in + ":4: error: 7 columns, header has 4")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, open_quote + ":3: error: unbalanced quote")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, tsv + ":3: error: ")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, nohead + ":1: error: header has no body or title column")) << run.r.err;
  for (const char* id : {"c1", "c5", "c6", "q1", "q3", "t1"}) EXPECT_EQ(Total(run.db, std::string("id:") + id), 1) << id;
  EXPECT_EQ(Total(run.db, "id:c3"), 0);
  EXPECT_EQ(run.summary["skipped"], 5);
}

// ---- Size ----

// A 100 MB article: cut at the documented limit (ReadOptions::max_body_bytes, 8 MiB) with a
// warning, in bounded memory; a 100 MB JSON line is skipped (max_record_bytes, 64 MiB).
TEST(BadInput, HundredMegabyteArticle) {
  TempDir dir;
  const size_t kSize = 100u << 20;
  {
    std::ofstream out(dir.File("huge.txt"), std::ios::binary);
    out << "Enormous article title\n\n";
    std::string para = "The enormous report covered every district and every harbour in detail. ";
    for (size_t written = 0; written < kSize; written += para.size()) out << para;
    out << "unreachabletailword\n";
  }
  {
    std::ofstream out(dir.File("huge.jsonl"), std::ios::binary);
    out << kGood1 << "\n{\"id\": \"huge\", \"body\": \"";
    std::string para = "lots of words in one line ";
    for (size_t written = 0; written < kSize; written += para.size()) out << para;
    out << "\"}\n" << kGood2 << "\n";
  }
  std::string txt = dir.File("huge.txt"), jsonl = dir.File("huge.jsonl");
  IndexRun run = Index(dir, Quote(txt) + " " + Quote(jsonl));
  // Peak memory of the indexer, measured by GNU time when available.
  CommandResult timed = RunCommand("command -v /usr/bin/time >/dev/null && /usr/bin/time -f '%M' " +
                                   Quote(IndexBin()) + " --db " + Quote(dir.File("db2")) +
                                   " --quiet " + Quote(txt) + " 2>&1 >/dev/null | tail -1");
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);  // the JSON line is skipped
  EXPECT_TRUE(Contains(run.r.err, txt + ": warning: body cut to")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, jsonl + ":2: error: line longer than")) << run.r.err;
  EXPECT_EQ(run.summary["added"], 3);
  EXPECT_EQ(Total(run.db, "enormous"), 1);
  EXPECT_EQ(Total(run.db, "unreachabletailword"), 0);
  EXPECT_EQ(Total(run.db, "id:good-2"), 1);
  if (timed.status == 0 && !timed.out.empty() && std::isdigit(static_cast<unsigned char>(timed.out[0]))) {
    long kb = std::stol(timed.out);
    std::cerr << "[ memory   ] indexing a 100 MB article: " << kb / 1024 << " MB peak\n";
    EXPECT_LT(kb, 1024 * 1024) << "more than 1 GB to index one 100 MB article";
  }
}

TEST(BadInput, ExtremelyLongWordsLinesAndFields) {
  TempDir dir;
  std::string long_word(1 << 20, 'x');
  std::string long_name;  // a capitalised "name" of 2000 words, for the entity extractor
  for (int i = 0; i < 2000; ++i) long_name += (i ? " " : "") + std::string("Zed") + std::to_string(i);
  std::string long_cap_word = "Mr " + std::string(5000, 'Q') + " said";
  std::string in;
  in += json{{"id", "w1"}, {"title", "Long word"}, {"body", "before " + long_word + " after"}}.dump() + "\n";
  in += json{{"id", "w2"}, {"title", long_name}, {"body", long_name + " met officials. " + long_cap_word}}.dump() + "\n";
  in += json{{"id", std::string(1000, 'i')}, {"title", "Long id"}, {"body", "long identifier"}}.dump() + "\n";
  in += json{{"url", "https://example.org/" + std::string(5000, 'u')}, {"body", "long url body"}}.dump() + "\n";
  in += json{{"id", "w5"}, {"author", std::string(10000, 'A')}, {"source", std::string(10000, 'S')},
             {"body", "long author and source"}}.dump() + "\n";
  std::string many_lines;
  for (int i = 0; i < 200000; ++i) many_lines += "line " + std::to_string(i) + "\n";
  std::string path = dir.Write("long.jsonl", in);
  std::string text = dir.Write("lines.txt", "Many short lines\n\n" + many_lines);
  IndexRun run = Index(dir, Quote(path) + " " + Quote(text));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 0) << run.r.err.substr(0, 2000);
  EXPECT_EQ(run.summary.value("added", -1), 6) << run.r.err.substr(0, 2000);
  EXPECT_EQ(Total(run.db, "before after"), 1);
  EXPECT_EQ(Total(run.db, "officials"), 1);
  EXPECT_EQ(Total(run.db, "identifier"), 1);
  EXPECT_EQ(Total(run.db, "url"), 1);
  // (Searching for the 1000-byte id: see LongIdIsFoundById.)
  // Re-indexing finds every one of them unchanged (the long keys are stable).
  IndexRun again = Index(dir, Quote(path) + " " + Quote(text));
  EXPECT_EQ(again.summary.value("unchanged", -1), 6) << again.r.err.substr(0, 2000);
}

TEST(BadInput, LongIdIsFoundById) {
  // Regression (was a bug): an id longer than a Xapian term is indexed under a hashed term
  // (indexer/document_builder.cc IdTerm), but the query parser turns id:KEY into "Q" + KEY
  // (schema/schema.cc ConfigureQueryParser), so `dossier-search 'id:<1000 x i>'` finds nothing
  // (exit 1) although the article is indexed. Reproduce: index
  // {"id": "<1000 x i>", "body": "x"} and search id:<1000 x i>.
  TempDir dir;
  std::string id(1000, 'i');
  std::string path = dir.Write("long.jsonl", json{{"id", id}, {"body", "long identifier"}}.dump() + "\n");
  IndexRun run = Index(dir, Quote(path));
  ASSERT_EQ(run.r.status, 0) << run.r.err;
  EXPECT_EQ(Total(run.db, "id:" + id), 1);
}

TEST(BadInput, ControlCharactersAndNulBytes) {
  TempDir dir;
  std::string ctl;
  for (int c = 1; c < 32; ++c) ctl += static_cast<char>(c);
  std::string in;
  in += json{{"id", "c1"}, {"title", "Escaped \u0000 NUL"}, {"body", std::string("nul\0inside", 10) + " text"}}.dump() + "\n";
  // Raw control characters inside JSON strings (invalid JSON, accepted by the reader).
  in += "{\"id\": \"c2\", \"title\": \"raw" + ctl.substr(0, 9) + "\", \"body\": \"raw controls" +
        ctl.substr(10) + " here\"}\n";
  // A raw NUL byte in a line after the first 8 KiB (the binary sniff does not see it).
  std::string padding;
  for (int i = 0; i < 400; ++i) padding += json{{"id", "p" + std::to_string(i)}, {"body", "padding record"}}.dump() + "\n";
  in += padding;
  static const char kRawNul[] = "{\"id\": \"c3\", \"body\": \"raw \0 nul\"}\n";
  in += std::string(kRawNul, sizeof kRawNul - 1);
  in += kGood2 + "\n";
  std::string path = dir.Write("ctl.jsonl", in);
  std::string text = dir.Write("ctl.txt", "Title\x07 bell\n\nBody with \x1b[31m zebracontrol \x7f and \x0c form feed.\n");
  IndexRun run = Index(dir, Quote(path) + " " + Quote(text));
  ExpectNoCrash(run.r);
  EXPECT_GE(run.summary.value("added", -1), 404) << run.r.err.substr(0, 2000);
  EXPECT_EQ(Total(run.db, "id:c1"), 1);
  EXPECT_EQ(Total(run.db, "id:c2"), 1);
  EXPECT_EQ(Total(run.db, "zebracontrol"), 1);
  EXPECT_EQ(Total(run.db, "wheat"), 1);
  // Whatever was stored comes back as valid JSON from every output format.
  for (const char* format : {"json", "jsonl", "csv", "text"}) {
    CommandResult r = RunCommand(Quote(SearchBin()) + " --db " + Quote(run.db) + " --format " +
                                 format + " --limit all '*'");
    EXPECT_EQ(r.status, 0) << format << ": " << r.err;
  }
  // The raw NUL record: reported with its line (an error) or indexed; never silently lost.
  bool c3_indexed = Total(run.db, "id:c3") == 1;
  EXPECT_TRUE(c3_indexed || Contains(run.r.err, path + ":403: ")) << run.r.err.substr(0, 2000);
}

// ---- Paths ----

TEST(BadInput, PathsWithSpacesAndNonAsciiNames) {
  TempDir dir;
  std::string in = dir.Write("news dir/日本 café/ü b.jsonl", kGood1 + "\n{broken\n");
  dir.Write("news dir/日本 café/résumé.txt", "Title here\n\nA body with words.\n");
  IndexRun run = Index(dir, Quote(dir.File("news dir")));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  EXPECT_TRUE(Contains(run.r.err, in + ":2: error: malformed JSON")) << run.r.err;
  EXPECT_EQ(run.summary["added"], 2);
  EXPECT_EQ(Total(run.db, "words"), 1);
}

TEST(BadInput, SymlinkLoopsEndAndMissingPathsAreReported) {
  TempDir dir;
  dir.Write("tree/a/good.jsonl", kGood1 + "\n");
  fs::create_directory_symlink("..", dir.File("tree/a/up"));
  fs::create_directory_symlink(dir.File("tree"), dir.File("tree/a/root"));
  fs::create_symlink("nowhere.jsonl", dir.File("tree/a/dangling.jsonl"));
  fs::create_symlink("self.jsonl", dir.File("tree/self.jsonl"));
  IndexRun run = Index(dir, Quote(dir.File("tree")) + " " + Quote(dir.File("missing.jsonl")));
  ExpectNoCrash(run.r);
  EXPECT_EQ(run.r.status, 2);
  EXPECT_EQ(run.summary["added"], 1) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, dir.File("missing.jsonl") + ": error: ")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, "dangling.jsonl: error: ")) << run.r.err;
  EXPECT_TRUE(Contains(run.r.err, "self.jsonl: error: ")) << run.r.err;
  EXPECT_EQ(Total(run.db, "*"), 1);
}

// ---- Bad queries and options ----

class BadQuery : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string in = dir_->Write("in.jsonl", GenerateJsonl(50, 3));
    db_ = dir_->File("db");
    RunCommand(Quote(IndexBin()) + " --db " + Quote(db_) + " --quiet " + Quote(in));
  }
  static void TearDownTestSuite() { delete dir_; }
  // Runs dossier-search; expects exit 2 with exactly one line on stderr, naming `expect`.
  static void ExpectOneLineError(const std::string& args, const std::string& expect,
                                 const std::string& db = "") {
    CommandResult r = RunCommand("timeout 60 " + Quote(SearchBin()) + " --db " +
                                 Quote(db.empty() ? db_ : db) + " " + args);
    SCOPED_TRACE(args.substr(0, 200));
    ExpectNoCrash(r);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("dossier-search: ", 0), 0u) << r.err;
    EXPECT_TRUE(Contains(r.err, expect)) << "want '" << expect << "' in: " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
  }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* BadQuery::dir_;
std::string BadQuery::db_;

TEST_F(BadQuery, UnbalancedQuotesAndParentheses) {
  ExpectOneLineError(Quote("\"open quote"), "column 1");
  ExpectOneLineError(Quote("minister \"talks"), "column 10");
  ExpectOneLineError(Quote("(a OR b"), "'(' at column 1 is not closed");
  ExpectOneLineError(Quote("a OR b)"), "')' at column 7");
  ExpectOneLineError(Quote("((((((((((((((((((((x"), "not closed");
  ExpectOneLineError("--format jsonl " + Quote("title:\"x"), "not closed");
}

// Found by fuzz_query: a bad date range leaked memory inside Xapian's QueryParser (the
// date: range processor throws through it); under ASan this checks for a clean exit.
TEST_F(BadQuery, BadDateRangeFailsCleanly) {
  ExpectOneLineError("date:.02023-0", "cannot read '.02023-0' as a date");
  ExpectOneLineError(Quote("date:2023-13..2023-14 minister"), "as a date");
}

// Found by fuzz_query (2026-11-27): a bad date inside a NOT clause made Xapian 1.4's
// QueryParser free memory it did not own while our field processor's exception unwound
// through it (ASan: "attempting free on address which was not malloc()-ed"). Field processors
// no longer throw (schema::QueryNotes::error).
TEST_F(BadQuery, BadDateInsideNotIsRefusedWithoutCrashing) {
  ExpectOneLineError(Quote("talks -date:2023-122to:312-31efi`2h\x99r"), "as a date");
  ExpectOneLineError(Quote("minister -month:2023-99x"), "as a month");
  ExpectOneLineError(Quote("NOT day:2023-1 talks"), "as a day");
}

// Found by fuzz_query: CheckQuerySyntax takes "name:" followed by a tab or newline as a
// field reference but "name: " (a space) as a word; both are refused or both accepted.
TEST_F(BadQuery, FieldColonThenWhitespace) {
  // Regression (was a bug): searcher/search.cc CheckQuerySyntax tests query[j + 1] != ' ' instead of
  // isspace(): `dossier-search $'foo:\tbar'` exits 2 "unknown field 'foo:'" while
  // `dossier-search 'foo: bar'` runs the words (exit 1).
  CommandResult space = RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " 'foo: bar'");
  CommandResult tab = RunCommand(Quote(SearchBin()) + " --db " + Quote(db_) + " " + Quote("foo:\tbar"));
  EXPECT_EQ(space.status, tab.status) << space.err << tab.err;
}

TEST_F(BadQuery, UnknownFieldNames) {
  ExpectOneLineError("nosuchfield:x", "unknown field 'nosuchfield:'");
  ExpectOneLineError(Quote("minister Titel:talks"), "unknown field 'Titel:' at column 10");
}

TEST_F(BadQuery, HundredKilobyteQuery) {
  for (const std::string& q : {std::string(100 * 1024, 'a'), [] {
                                 std::string s;
                                 while (s.size() < 100 * 1024) s += "minister OR ";
                                 return s + "talks";
                               }(),
                               std::string(50 * 1024, '(') + "x" + std::string(50 * 1024, ')'),
                               std::string(100 * 1024, '"')}) {
    auto start = std::chrono::steady_clock::now();
    CommandResult r = RunCommand("timeout 60 " + Quote(SearchBin()) + " --db " + Quote(db_) +
                                 " --format json " + Quote(q));
    SCOPED_TRACE(q.substr(0, 30));
    ExpectNoCrash(r);
    EXPECT_LT(SecondsSince(start), 30);
    // Over kMaxQueryBytes (16 KiB): one clear line, exit status 2.
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(CountLines(r.err), 1) << r.err.substr(0, 500);
    EXPECT_TRUE(Contains(r.err, "query too long: ")) << r.err.substr(0, 500);
  }
  // A long but reasonable query (a thousand OR'ed words, under the limit) still runs.
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "w" + std::to_string(i) + " OR ";
  CommandResult r = RunCommand("timeout 60 " + Quote(SearchBin()) + " --db " + Quote(db_) + " " +
                               Quote(many + "minister"));
  EXPECT_LE(r.status, 1) << r.err.substr(0, 500);
}

TEST_F(BadQuery, BadOptions) {
  ExpectOneLineError("--limit -1 minister", "limit");
  ExpectOneLineError("--limit 99999999999999999999 minister", "limit");
  ExpectOneLineError("--from 2023-99 minister", "--from");
  ExpectOneLineError("--sort sideways minister", "--sort");
  ExpectOneLineError("--format xml minister", "--format");
  ExpectOneLineError("--facets nosuch minister", "--facets");
  ExpectOneLineError("--batch /nonexistent/queries.txt", "/nonexistent/queries.txt");
}

TEST_F(BadQuery, NegativeCountsAreRefused) {
  // Regression (was a bug): Boost.Program_options reads "-5" into an unsigned option by wrapping it:
  // `dossier-search --offset -5 x` runs with offset 18446744073709551611 and exits 0 ("24
  // articles match (none shown)"); `--facet-size -1` likewise (searcher/main.cc, Run). In
  // dossier-index (indexer/main.cc) `--batch-size -1` becomes 4294967295 (no commit until the
  // end) and `--jobs -1` asks for 4294967295 shards: `dossier-index --db new --jobs -1 a.jsonl`
  // spins building shard paths until killed (no output, no database). ParseCount-style
  // validation is needed for every numeric option.
  ExpectOneLineError("--offset -5 minister", "offset");
  ExpectOneLineError("--facet-size -1 --facets source minister", "facet-size");
  for (const char* opt : {"--jobs -1", "--batch-size -1", "--batch-mb -1", "--batch-mb 0",
                          "--batch-mb automatic"}) {
    CommandResult r = RunCommand("timeout 20 " + Quote(IndexBin()) + " --db " + Quote(dir_->File("neg")) +
                                 " --quiet " + opt + " " + Quote(dir_->File("in.jsonl")));
    EXPECT_EQ(r.status, 2) << opt << ": " << r.err;
    EXPECT_EQ(CountLines(r.err), 1) << opt << ": " << r.err;
  }
}

TEST_F(BadQuery, DatabasePathIsAFileOrMissing) {
  std::string file = dir_->Write("plain-file", "hello\n");
  ExpectOneLineError("minister", file, file);
  ExpectOneLineError("minister", "/nonexistent/db", "/nonexistent/db");
  std::string empty_dir = dir_->File("empty-dir");
  fs::create_directories(empty_dir);
  ExpectOneLineError("minister", empty_dir, empty_dir);
  std::string junk = dir_->File("junk-dir");
  dir_->Write("junk-dir/notes.txt", "not a database\n");
  ExpectOneLineError("minister", junk, junk);
  // The indexer refuses the same paths with one line too.
  for (const std::string& db : {file, junk}) {
    CommandResult r = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --quiet " +
                                 Quote(dir_->File("in.jsonl")));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_TRUE(Contains(r.err, db)) << r.err;
  }
}

TEST_F(BadQuery, OtherSchemaVersionOrNotDossier) {
  // A copy of the database whose shards claim schema version 999.
  std::string other = dir_->File("v999");
  fs::copy(db_, other, fs::copy_options::recursive);
  for (const std::string& shard : ShardPaths(other)) {
    Xapian::WritableDatabase w(shard);
    w.set_metadata("dossier.schema_version", "999");
    w.commit();
  }
  ExpectOneLineError("minister", "schema version 999", other);
  CommandResult ix = RunCommand(Quote(IndexBin()) + " --db " + Quote(other) + " --quiet " +
                                Quote(dir_->File("in.jsonl")));
  EXPECT_EQ(ix.status, 2);
  EXPECT_TRUE(Contains(ix.err, "schema version 999")) << ix.err;
  EXPECT_EQ(CountLines(ix.err), 1) << ix.err;

  // A Xapian database that is not a Dossier one.
  std::string plain = dir_->File("plain-xapian");
  {
    Xapian::WritableDatabase w(plain, Xapian::DB_CREATE);
    Xapian::Document d;
    d.add_term("hello");
    d.set_data("not dossier");
    w.add_document(d);
    w.commit();
  }
  ExpectOneLineError("hello", "not a Dossier one", plain);
  CommandResult ix2 = RunCommand(Quote(IndexBin()) + " --db " + Quote(plain) + " --quiet " +
                                 Quote(dir_->File("in.jsonl")));
  EXPECT_EQ(ix2.status, 2);
  EXPECT_TRUE(Contains(ix2.err, "not a Dossier one")) << ix2.err;
}

TEST_F(BadQuery, CorruptDatabase) {
  struct Damage {
    std::string name;
    std::function<void(const std::string& shard)> apply;
  };
  auto overwrite = [](const std::string& file, size_t at, size_t n) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at));
    std::mt19937 rng(static_cast<uint32_t>(at));
    for (size_t i = 0; i < n; ++i) f.put(static_cast<char>(rng()));
  };
  std::vector<Damage> damages = {
      {"iamglass deleted", [](const std::string& s) { fs::remove(s + "/iamglass"); }},
      {"iamglass garbage", [&](const std::string& s) { overwrite(s + "/iamglass", 0, 64); }},
      {"postlist truncated",
       [](const std::string& s) { fs::resize_file(s + "/postlist.glass", 8192); }},
      {"docdata garbage",
       [&](const std::string& s) { overwrite(s + "/docdata.glass", 0, fs::file_size(s + "/docdata.glass")); }},
      {"termlist garbage",
       [&](const std::string& s) { overwrite(s + "/termlist.glass", 0, fs::file_size(s + "/termlist.glass")); }},
      {"stub garbage", [](const std::string& s) {
         std::ofstream(fs::path(s).parent_path() / "XAPIANDB") << "\x01\x02 nonsense \xff\n";
       }},
  };
  int n = 0;
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.name);
    std::string copy = dir_->File("corrupt-" + std::to_string(n++));
    fs::copy(db_, copy, fs::copy_options::recursive);
    d.apply(ShardPaths(copy)[0]);
    for (const char* args : {"--format json minister", "--limit all --format jsonl '*'",
                             "--facets source,year '*'"}) {
      CommandResult r = RunCommand("timeout 60 " + Quote(SearchBin()) + " --db " + Quote(copy) +
                                   " " + args);
      SCOPED_TRACE(args);
      ExpectNoCrash(r);
      EXPECT_EQ(r.status, 2) << r.err.substr(0, 500);
      EXPECT_EQ(CountLines(r.err), 1) << r.err.substr(0, 500);
    }
  }
}

}  // namespace
}  // namespace dossier::testing
