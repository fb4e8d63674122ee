// Tests for schema/codebook.cc: loading, errors with file and line, merging, digest, look-up.
#include "schema/codebook.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace dossier::schema {
namespace {

TEST(CodebookTest, LoadsEntriesWithCanonicalNameFirstAmongAliases) {
  Codebook book;
  ASSERT_TRUE(book.LoadString("# comment\n\nperson\tAntony Blinken\tBlinken | Tony Blinken\n"
                              "topic\tceasefire\tcease-fire|truce\n",
                              "test.tsv")
                  .ok());
  ASSERT_EQ(book.entries().size(), 2u);
  EXPECT_EQ(book.entries()[0].type, EntityType::kPerson);
  EXPECT_EQ(book.entries()[0].aliases,
            (std::vector<std::string>{"Antony Blinken", "Blinken", "Tony Blinken"}));
  EXPECT_EQ(EntityTypeName(book.entries()[1].type), "topic");
}

TEST(CodebookTest, MalformedLineNamesFileAndLineAndLeavesCodebookUnchanged) {
  Codebook book;
  Status s = book.LoadString("person\tA B\n\nperson-ish\tX\n", "mine.tsv");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("mine.tsv:3: unknown entity type 'person-ish'"), std::string::npos)
      << s.message();
  EXPECT_TRUE(book.empty());

  s = book.LoadString("institution Hamas\n", "spaces.tsv");
  EXPECT_NE(s.message().find("spaces.tsv:1: expected TYPE<TAB>CANONICAL"), std::string::npos)
      << s.message();
  s = book.LoadString("topic\tx\ta||b\n", "empty.tsv");
  EXPECT_NE(s.message().find("empty.tsv:1: empty alias"), std::string::npos) << s.message();
  s = book.LoadString("topic\t\ta\n", "nocanon.tsv");
  EXPECT_NE(s.message().find("nocanon.tsv:1: empty canonical name"), std::string::npos)
      << s.message();
}

TEST(CodebookTest, LoadFileReportsPathAndLine) {
  std::string path = ::testing::TempDir() + "codebook_test_bad.tsv";
  {
    std::ofstream out(path);
    out << "place\tGaza\tGaza Strip\nplace\tGaza\tStrip\textra\tfield\n";
  }
  Codebook book;
  Status s = book.LoadFile(path);
  EXPECT_NE(s.message().find(path + ":2: expected"), std::string::npos) << s.message();
  std::remove(path.c_str());
  s = book.LoadFile(path);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find(path), std::string::npos);
}

TEST(CodebookTest, MergeAddsAliasesToExistingEntries) {
  Codebook a, b;
  ASSERT_TRUE(a.LoadString("institution\tHamas\n", "a").ok());
  ASSERT_TRUE(b.LoadString("institution\tHAMAS\tHarakat al-Muqawama\nperson\tX Y\n", "b").ok());
  a.Merge(b);
  ASSERT_EQ(a.entries().size(), 2u);
  EXPECT_EQ(a.entries()[0].canonical, "Hamas");
  EXPECT_EQ(a.entries()[0].aliases.size(), 2u);
  EXPECT_EQ(a.Resolve("Harakat al-Muqawama", std::nullopt).size(), 1u);
}

TEST(CodebookTest, SerialiseRoundTripsAndDigestIsStable) {
  const Codebook& def = Codebook::Default();
  Codebook copy;
  ASSERT_TRUE(copy.LoadString(def.Serialise(), "serialised").ok());
  EXPECT_EQ(copy.Serialise(), def.Serialise());
  EXPECT_EQ(copy.Digest(), def.Digest());
  EXPECT_EQ(def.Digest().size(), 64u);
  Codebook empty;
  // SHA-256 of the header line alone, computed independently with sha256sum.
  EXPECT_EQ(empty.Digest(), "0916714278ab7262fc9cdd20ef89727db23224a6b3d9a9e04ffd0eaeed9336cd")
      << "update after checking with: printf '# dossier codebook: TYPE<TAB>CANONICAL<TAB>ALIAS|ALIAS...\\n' | sha256sum";
  Codebook more;
  ASSERT_TRUE(more.LoadString("topic\tx\n", "x").ok());
  EXPECT_NE(more.Digest(), empty.Digest());
}

TEST(CodebookTest, DefaultCodebookCoversTheWorldNewsBasics) {
  const Codebook& def = Codebook::Default();
  int topics = 0;
  for (const auto& e : def.entries()) topics += e.type == EntityType::kTopic;
  EXPECT_GE(topics, 40);
  auto r = def.Resolve("the State Department", EntityType::kInstitution);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->canonical, "US Department of State");
  r = def.Resolve("U.S. State Department", std::nullopt);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->canonical, "US Department of State");
  r = def.Resolve("cease-fire", EntityType::kTopic);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->canonical, "ceasefire");
  r = def.Resolve("humanitarian pause", std::nullopt);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->canonical, "ceasefire");
}

TEST(CodebookTest, ResolveFallsBackToWholeWordsOfTheCanonicalName) {
  Codebook book;
  ASSERT_TRUE(book.LoadString("person\tAntony Blinken\ninstitution\tUS Department of State\n", "t")
                  .ok());
  auto r = book.Resolve("blinken", std::nullopt);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->canonical, "Antony Blinken");
  EXPECT_TRUE(book.Resolve("blink", std::nullopt).empty());
  EXPECT_TRUE(book.Resolve("Blinken", EntityType::kPlace).empty());
  EXPECT_EQ(book.Resolve("department state", EntityType::kInstitution).size(), 1u);
}

TEST(CodebookTest, FoldNameFoldsCaseQuotesPeriodsAndHyphens) {
  EXPECT_EQ(FoldName("  U.S. State  Department "), "us state department");
  EXPECT_EQ(FoldName("Israel\xE2\x80\x99s"), "israel's");
  EXPECT_EQ(FoldName("cease-fire"), "ceasefire");
  EXPECT_EQ(FoldName("de-escalation/ceasefire"), "deescalation ceasefire");
  EXPECT_EQ(FoldName("\xC3\x89LYS\xC3\x89" "E"), "\xC3\xA9lys\xC3\xA9" "e");
}

}  // namespace
}  // namespace dossier::schema
