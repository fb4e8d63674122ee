// The per-shard index of entity-name words (schema/name_words.h): after indexing, compaction
// and more indexing, looking a word up gives exactly the names that reading every name gives,
// and a stale index is never trusted.
#include "schema/name_words.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "schema/schema.h"
#include "tests/cli/cli_util.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;

// What the entity field processor did before the index: every name with all the words.
std::vector<std::string> Scan(const Xapian::Database& db, const std::string& prefix,
                              const std::vector<std::string>& want) {
  std::vector<std::string> out;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    std::vector<std::string> words = schema::NameWords((*it).substr(prefix.size()));
    bool all = true;
    for (const std::string& w : want) all = all && std::count(words.begin(), words.end(), w) > 0;
    if (all) out.push_back(*it);
  }
  return out;
}

// Every word of every name, and every name's first two words together, for each entity field.
// Returns how many look-ups were compared.
int ExpectLookupEqualsScan(const std::string& path) {
  Xapian::Database db;
  EXPECT_TRUE(schema::OpenForReading(path, &db).ok()) << path;
  int compared = 0;
  for (const schema::Field& f : schema::Fields()) {
    if (f.kind != schema::FieldKind::kEntity) continue;
    const std::string prefix(f.prefix);
    std::set<std::vector<std::string>> queries;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
      std::vector<std::string> words = schema::NameWords((*it).substr(prefix.size()));
      for (const std::string& w : words) queries.insert({w});
      if (words.size() >= 2) queries.insert({words[0], words[1]});
    }
    queries.insert({"nosuchwordanywhere"});
    for (const std::vector<std::string>& q : queries) {
      std::optional<std::vector<std::string>> found = schema::LookupNameWords(db, prefix, q);
      if (!found) {
        ADD_FAILURE() << path << ": no complete index";
        return compared;
      }
      EXPECT_EQ(*found, Scan(db, prefix, q)) << path << " " << prefix << " " << q[0];
      ++compared;
    }
  }
  return compared;
}

std::vector<std::string> ShardPaths(const std::string& db) {
  std::vector<std::string> out;
  for (const std::string& dir : {db, db + "/statements"})
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().rfind("shard-", 0) == 0) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(NameWordsTest, LookupEqualsReadingEveryNameThroughCompactionAndUpdates) {
  TempDir tmp;
  const std::string db = IndexSamples(tmp);
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_GT(ExpectLookupEqualsScan(db), 100);
  EXPECT_GT(ExpectLookupEqualsScan(db + "/statements"), 20);

  // Compaction starts every shard's revisions again; the index must stay complete and the
  // commits after it must add to the lists written before it, not replace them.
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --compact").status, 0);
  for (const std::string& shard : ShardPaths(db)) {
    Xapian::Database one(shard);
    EXPECT_TRUE(schema::NameWordsComplete(one)) << shard;
  }
  // Articles whose names share words with names already indexed (Varga, Brown), added in two
  // rounds with a compaction between them: the second round's commits get the same revision
  // numbers as the first's, and must add to their lists.
  auto add = [&](const std::string& name, const std::string& first, const std::string& second) {
    std::string jsonl;
    for (int i = 0; i < 4; ++i) {
      jsonl += "{\"id\":\"" + name + std::to_string(i) +
               "\",\"title\":\"Talks resume\",\"date\":\"2024-02-0" + std::to_string(i + 1) +
               "\",\"source\":\"Test Wire\",\"body\":\"Minister " + first + " met Gordon Brown " +
               "in Budapest on Monday. \\\"We will keep talking,\\\" " + second +
               " said on Tuesday.\"}\n";
    }
    ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " +
                         Quote(tmp.Write(name + ".jsonl", jsonl)))
                  .status,
              0);
  };
  add("round1-", "Katalin Varga", "Katalin Varga");
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --compact").status, 0);
  add("round2-", "Zoltan Varga", "Ilona Brownfield");
  EXPECT_GT(ExpectLookupEqualsScan(db), 100);
  EXPECT_GT(ExpectLookupEqualsScan(db + "/statements"), 20);
  Xapian::Database all;
  ASSERT_TRUE(schema::OpenForReading(db, &all).ok());
  auto vargas = schema::LookupNameWords(all, "XP", {"varga"});
  ASSERT_TRUE(vargas);
  EXPECT_EQ(*vargas,
            (std::vector<std::string>{"XPelena varga", "XPkatalin varga", "XPzoltan varga"}));
}

// A commit that does not keep the index (an older dossier-index appending) makes it stale:
// look-ups then refuse, and dossier-search reads every name instead, with the same answers,
// until the next dossier-index run rebuilds the index.
TEST(NameWordsTest, StaleIndexIsNotTrusted) {
  TempDir tmp;
  const std::string db = IndexSamples(tmp);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const char* queries[] = {"person:varga",   "person:brown",    "org:\"world bank\"",
                           "place:brussels", "topic:ceasefire", "person:nosuchperson"};
  std::map<std::string, std::string> before;
  for (const char* q : queries)
    before[q] =
        SearchJson(db, std::string("--limit all --explain --no-snippets ") + Quote(q)).dump();
  {
    // As an old writer would: a commit that does not touch the stamp.
    Xapian::WritableDatabase w(db + "/shard-1");
    w.set_metadata("unrelated", "x");
    w.commit();
  }
  Xapian::Database all;
  ASSERT_TRUE(schema::OpenForReading(db, &all).ok());
  EXPECT_FALSE(schema::LookupNameWords(all, "XP", {"varga"}));
  for (const char* q : queries)
    EXPECT_EQ(SearchJson(db, std::string("--limit all --explain --no-snippets ") + Quote(q)).dump(),
              before[q])
        << q;
  // The next dossier-index run rebuilds it from the names the shard holds, and adds the names
  // of its own articles in the same commit.
  std::string jsonl;
  for (int i = 0; i < 4; ++i) {
    jsonl += "{\"id\":\"stale-" + std::to_string(i) +
             "\",\"title\":\"Talks resume\",\"date\":\"2024-03-01\",\"source\":\"Test "
             "Wire\",\"body\":\"Minister Zoltan Varga met Gordon Brown in Budapest.\"}\n";
  }
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " +
                       Quote(tmp.Write("more.jsonl", jsonl)))
                .status,
            0);
  for (const char* shard : {"/shard-0", "/shard-1"}) {
    Xapian::Database one(db + shard);
    EXPECT_TRUE(schema::NameWordsComplete(one)) << shard;
  }
  EXPECT_GT(ExpectLookupEqualsScan(db), 100);
  Xapian::Database again;
  ASSERT_TRUE(schema::OpenForReading(db, &again).ok());
  auto vargas = schema::LookupNameWords(again, "XP", {"varga"});
  ASSERT_TRUE(vargas);
  EXPECT_EQ(*vargas, (std::vector<std::string>{"XPelena varga", "XPzoltan varga"}));
}

}  // namespace
}  // namespace dossier::testing
