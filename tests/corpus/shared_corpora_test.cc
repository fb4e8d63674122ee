// Reader tests on the real corpora in ../shared/corpora; each skips when its data is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "corpus/dates.h"
#include "corpus/reader.h"
#include "corpus/text.h"
#include "test_util.h"

namespace dossier::corpus {
namespace {

using testing::RecordingSink;

const std::string kCorpora = DOSSIER_SHARED_CORPORA;

// The path of `rel` under the shared corpora, or "" when it is absent.
std::string SharedPath(const std::string& rel) {
  const std::string p = kCorpora + "/" + rel;
  return std::filesystem::exists(p) ? p : std::string();
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(SharedCorpora, SeedArticle) {
  const std::string path = SharedPath("seed/state-department-dissent-memo.txt");
  if (path.empty()) GTEST_SKIP() << "shared seed article absent (" << kCorpora << ")";
  RecordingSink sink = testing::Read(path);
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  ASSERT_EQ(sink.articles.size(), 1u);
  const Article& a = sink.articles[0];
  EXPECT_EQ(a.title, "") << "the first line is a long paragraph, not a title";
  EXPECT_EQ(a.origin, path);
  EXPECT_FALSE(EndsWith(a.body, "Source link"));
  EXPECT_FALSE(EndsWith(a.body, "\n"));
  EXPECT_NE(a.body.find("restoring calm"), std::string::npos);
  EXPECT_NE(a.body.find("Blinken"), std::string::npos);
  EXPECT_GT(a.body.size(), 2000u);
}

TEST(SharedCorpora, BbcRawFolder) {
  const std::string path = SharedPath("bbc/raw");
  if (path.empty()) GTEST_SKIP() << "shared BBC raw folder absent (" << kCorpora << ")";
  RecordingSink sink = testing::Read(path);
  EXPECT_EQ(sink.articles.size(), 2225u);
  std::map<std::string, int> per_section;
  for (const Article& a : sink.articles) {
    EXPECT_FALSE(a.title.empty()) << a.origin;
    EXPECT_FALSE(a.body.empty()) << a.origin;
    EXPECT_EQ(a.origin.find("README"), std::string::npos);
    const std::string rel = a.origin.substr(path.size() + 1);
    ++per_section[rel.substr(0, rel.find('/'))];
  }
  EXPECT_EQ(per_section.size(), 5u);
  // Sorted order: business first, tech last, files in name order.
  ASSERT_FALSE(sink.articles.empty());
  EXPECT_EQ(sink.articles.front().origin, path + "/business/001.txt");
  EXPECT_TRUE(EndsWith(sink.articles.back().origin, "/tech/401.txt"))
      << sink.articles.back().origin;
  // The one latin-1 byte in sport/199.txt is repaired with a warning; nothing else is reported.
  EXPECT_EQ(sink.errors(), 0u) << sink.Dump();
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + "/sport/199.txt");
  EXPECT_EQ(sink.diagnostics[0].message, "invalid UTF-8 repaired (1 byte)");
  for (const Article& a : sink.articles) {
    if (EndsWith(a.origin, "/sport/199.txt")) {
      EXPECT_NE(a.body.find("\xC2\xA3"), std::string::npos) << "the pound sign was lost";
    }
  }
}

// Reuters-21578 as JSON Lines: 21,578 records, one of which (reuters21578-12793, an UNPROC
// document) has neither body nor title. Its "date" field is the converted ISO form.
TEST(SharedCorpora, ReutersJsonl) {
  const std::string path = SharedPath("reuters21578/reuters21578.jsonl");
  if (path.empty()) GTEST_SKIP() << "shared Reuters JSONL absent (" << kCorpora << ")";
  RecordingSink iso = testing::Read(path);
  ASSERT_EQ(iso.articles.size() + iso.errors(), 21578u) << "every line is one record";
  EXPECT_EQ(iso.articles.size(), 21577u);
  ASSERT_EQ(iso.errors(), 1u) << iso.Dump();
  EXPECT_EQ(iso.diagnostics[0].message, "no body or title");
  EXPECT_EQ(iso.warnings(), 0u) << iso.Dump();
  // The converted "date" field is ISO 8601 on every record.
  size_t dated = 0;
  for (const Article& a : iso.articles) dated += a.date.has_value() ? 1 : 0;
  EXPECT_EQ(dated, 21577u);
  EXPECT_EQ(iso.articles[0].id, "reuters21578-1");
  EXPECT_EQ(iso.articles[0].source, "Reuters");
  EXPECT_EQ(iso.articles[0].origin, path + ":1");
  // The " Reuter" sign-off line that ends most stories is dropped.
  size_t signed_off = 0;
  for (const Article& a : iso.articles) {
    const size_t nl = a.body.rfind('\n');
    const std::string last = nl == std::string::npos ? a.body : a.body.substr(nl + 1);
    signed_off += Trim(last) == "Reuter" ? 1 : 0;
  }
  EXPECT_EQ(signed_off, 0u);
}

// The raw SGML dates ("26-FEB-1987 15:01:01.79", some with upper-case residue after the time)
// parse to the same instants as the converted ISO dates, except two: the malformed
// "31-MAR-1987 605:12:19.12" and one with a comment appended ("... # date added by ...").
// date_raw is pulled out of each line by a plain string search: a second full JSON parse of
// 28 MB would take seconds in a Debug build.
TEST(SharedCorpora, ReutersRawDates) {
  const std::string path = SharedPath("reuters21578/reuters21578.jsonl");
  if (path.empty()) GTEST_SKIP() << "shared Reuters JSONL absent (" << kCorpora << ")";
  std::ifstream in(path);
  std::string line;
  size_t lines = 0, parsed = 0, same = 0;
  std::vector<std::string> rejected;
  const auto string_field = [&](const std::string& key) -> std::string {
    const std::string marker = "\"" + key + "\": \"";
    const size_t at = line.find(marker);
    if (at == std::string::npos) return "";
    const size_t begin = at + marker.size();
    return line.substr(begin, line.find('"', begin) - begin);
  };
  while (std::getline(in, line)) {
    ++lines;
    const std::string raw = string_field("date_raw");
    const std::optional<int64_t> raw_date = ParseDate(raw);
    if (!raw_date) {
      rejected.push_back(raw);
      continue;
    }
    ++parsed;
    const std::optional<int64_t> iso_date = ParseDate(string_field("date"));
    same += iso_date == raw_date ? 1 : 0;
  }
  EXPECT_EQ(lines, 21578u);
  EXPECT_EQ(parsed, 21576u);
  EXPECT_EQ(same, parsed);
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].rfind("9-APR-1987 00:00:00.00", 0), 0u) << rejected[0];
  EXPECT_NE(rejected[0].find("# date added"), std::string::npos) << rejected[0];
  EXPECT_EQ(rejected[1], "31-MAR-1987 605:12:19.12");
}

}  // namespace
}  // namespace dossier::corpus
