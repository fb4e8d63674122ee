// Facet ids (schema/facet_ids.h): counting from the documents' ids gives the same facets as
// counting from their name slots, one-shot and in a long-lived searcher, through compaction,
// updated articles and documents without ids (written by an older indexer).
#include "schema/facet_ids.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "schema/name_words.h"
#include "schema/schema.h"
#include "tests/cli/cli_util.h"

namespace dossier::testing {
namespace {

const char* kQueries[] = {
    "*",         "ceasefire",       "person:varga",       "sanctions OR inflation",
    "year:2023", "topic:ceasefire", "org:\"world bank\"", "talks"};

// dossier-search's output with facet ids used wherever documents have them (`ids`) or never.
std::string Search(const std::string& db, const std::string& args, bool ids) {
  CommandResult r = SearchWithEnv(db, args, "DOSSIER_FACET_IDS", ids ? "1" : "0");
  EXPECT_NE(r.status, 2) << args << "\n" << r.err;
  return r.out;
}

void ExpectIdsCountAsSlots(const std::string& db, const TempDir& tmp) {
  const std::string facets =
      "--format json --limit 3 --no-snippets --facet-size 100000 --facets "
      "person,institution,topic,place,source,year,month ";
  const std::string sfacets =
      "--statements --format json --limit 3 --no-snippets --facet-size 100000 --facets "
      "speaker,topic,source,year,person ";
  std::string batch;
  for (const char* q : kQueries) {
    EXPECT_EQ(Search(db, facets + Quote(q), true), Search(db, facets + Quote(q), false)) << q;
    EXPECT_EQ(Search(db, sfacets + Quote(q), true), Search(db, sfacets + Quote(q), false)) << q;
    batch += std::string(q) + "\n";
  }
  // Twice over in one process: the second round counts from the facet cache.
  const std::string file = tmp.Write("queries.txt", batch + batch);
  EXPECT_EQ(Search(db, facets + "--batch " + Quote(file), true),
            Search(db, facets + "--batch " + Quote(file), false));
  EXPECT_EQ(Search(db, sfacets + "--batch " + Quote(file), true),
            Search(db, sfacets + "--batch " + Quote(file), false));
  // And as searches run by default (ids where they pay).
  unsetenv("DOSSIER_FACET_IDS");
  for (const char* q : {"*", "person:varga"}) {
    CommandResult r =
        RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " " + facets + Quote(q));
    EXPECT_EQ(r.out, Search(db, facets + Quote(q), false)) << q;
  }
}

std::string Articles(const std::string& prefix, const std::string& person, const std::string& org) {
  std::string jsonl;
  for (int i = 0; i < 5; ++i) {
    jsonl += "{\"id\":\"" + prefix + std::to_string(i) + "\",\"title\":\"Talks on sanctions\"," +
             "\"date\":\"2023-0" + std::to_string(i + 1) + "-10\",\"source\":\"" +
             (i % 2 ? "Test Wire" : "Other Wire") + "\",\"body\":\"Minister " + person +
             " of the " + org + " spoke in Geneva. \\\"The ceasefire must hold,\\\" " + person +
             " said.\"}\n";
  }
  return jsonl;
}

TEST(FacetIdsTest, IdsCountAsTheNameSlots) {
  TempDir tmp;
  const std::string db = IndexSamples(tmp);
  ASSERT_FALSE(::testing::Test::HasFailure());
  {
    Xapian::Database all;
    ASSERT_TRUE(schema::OpenForReading(db, &all).ok());
    schema::FacetIds ids;
    EXPECT_TRUE(schema::DecodeFacetIds(all.get_document(1).get_value(schema::kSlotFacetIds), &ids));
    std::vector<std::string> names;
    Xapian::Database shard0(db + "/shard-0");
    ASSERT_TRUE(schema::LoadFacetNames(shard0, schema::kSlotPeople, &names));
    EXPECT_GT(names.size(), 5u);
  }
  ExpectIdsCountAsSlots(db, tmp);

  // New names after a compaction (numbering continues from the chunks written before), then
  // the same articles again with other names (replaced documents).
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --compact").status, 0);
  ASSERT_EQ(
      RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " +
                 Quote(tmp.Write("a.jsonl", Articles("fid-", "Katalin Varga", "Geneva Council"))))
          .status,
      0);
  ASSERT_EQ(RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " +
                       Quote(tmp.Write("b.jsonl", Articles("fid-", "Zoltan Varga", "World Bank"))))
                .status,
            0);
  ExpectIdsCountAsSlots(db, tmp);

  // Documents without ids, as an older dossier-index wrote them, counted beside those with.
  {
    Xapian::WritableDatabase w(db + "/shard-1");
    for (Xapian::docid d = 1; d <= w.get_lastdocid(); d += 2) {
      try {
        Xapian::Document doc = w.get_document(d);
        doc.remove_value(schema::kSlotFacetIds);
        w.replace_document(d, doc);
      } catch (const Xapian::DocNotFoundError&) {
      }
    }
    w.commit();
  }
  ExpectIdsCountAsSlots(db, tmp);
}

// Removes the facet ids of every `step`-th document of a shard (as written before ids existed);
// with `numbering`, the shard's numbering and name-word stamp too. Returns how many it stripped.
int StripIds(const std::string& shard, int step, bool numbering) {
  Xapian::WritableDatabase w(shard);
  int stripped = 0;
  for (Xapian::docid d = 1; d <= w.get_lastdocid(); d += step) {
    try {
      Xapian::Document doc = w.get_document(d);
      if (doc.get_value(schema::kSlotFacetIds).empty()) continue;
      doc.remove_value(schema::kSlotFacetIds);
      w.replace_document(d, doc);
      ++stripped;
    } catch (const Xapian::DocNotFoundError&) {
    }
  }
  if (numbering) {
    std::vector<std::string> keys;
    for (const std::string_view prefix : {schema::kFacetIdsKeyPrefix,
                                          schema::kFacetIdsCountKeyPrefix}) {
      for (auto it = w.metadata_keys_begin(std::string(prefix));
           it != w.metadata_keys_end(std::string(prefix)); ++it)
        keys.push_back(*it);
    }
    for (const std::string& k : keys) w.set_metadata(k, "");
    w.set_metadata("dossier.name_words", "1");  // stale: rebuilt by the upgrade
  }
  w.commit();
  return stripped;
}

int DocumentsWithoutIds(const std::string& db) {
  Xapian::Database all;
  EXPECT_TRUE(schema::OpenForReading(db, &all).ok());
  int without = 0;
  for (auto it = all.postlist_begin(""); it != all.postlist_end(""); ++it)
    if (all.get_document(*it).get_value(schema::kSlotFacetIds).empty()) ++without;
  return without;
}

TEST(FacetIdsTest, UpgradeGivesOlderDocumentsTheirIds) {
  TempDir tmp;
  const std::string db = IndexSamples(tmp);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::string before = Search(db, "--format json --facets person,topic,source '*'", false);
  // Every third article of shard 1, and every statement of statements shard 0 together with
  // that shard's numbering (a shard written wholly before ids existed).
  const int stripped = StripIds(db + "/shard-1", 3, false) +
                       StripIds(db + "/statements/shard-0", 1, true);
  ASSERT_GT(stripped, 5);
  ASSERT_EQ(DocumentsWithoutIds(db) + DocumentsWithoutIds(db + "/statements"), stripped);
  {
    // A numbering without its count (as written before the counts existed): a one-shot search
    // then never counts by that shard's ids, so the upgrade writes it.
    Xapian::WritableDatabase w(db + "/shard-0");
    w.set_metadata(std::string(schema::kFacetIdsCountKeyPrefix) + "04", "");
    w.commit();
  }

  CommandResult bad = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --upgrade " +
                                 Quote(DOSSIER_SAMPLES));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--upgrade takes no PATH"), std::string::npos) << bad.err;

  CommandResult up = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --upgrade --json");
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_NE(up.out.find("\"given_facet_ids\":" + std::to_string(stripped)), std::string::npos)
      << up.out;
  EXPECT_NE(up.err.find("name-word index rebuilt"), std::string::npos) << up.err;
  EXPECT_EQ(DocumentsWithoutIds(db), 0);
  EXPECT_EQ(DocumentsWithoutIds(db + "/statements"), 0);
  {
    Xapian::Database stmt0(db + "/statements/shard-0");
    EXPECT_TRUE(schema::NameWordsComplete(stmt0));
    Xapian::Database shard0(db + "/shard-0");
    std::vector<std::string> names;
    ASSERT_TRUE(schema::LoadFacetNames(shard0, 4, &names));
    EXPECT_GT(names.size(), 0u);
    EXPECT_EQ(schema::FacetNameCount(shard0, 4), std::optional<uint64_t>(names.size()));
  }
  ExpectIdsCountAsSlots(db, tmp);
  EXPECT_EQ(Search(db, "--format json --facets person,topic,source '*'", true), before);

  // Nothing left to do: a second upgrade changes nothing.
  up = RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " --upgrade --json");
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_NE(up.out.find("\"given_facet_ids\":0"), std::string::npos) << up.out;
  // And indexing goes on as usual afterwards.
  ASSERT_EQ(
      RunCommand(Quote(IndexBin()) + " --db " + Quote(db) + " " +
                 Quote(tmp.Write("a.jsonl", Articles("up-", "Katalin Varga", "Geneva Council"))))
          .status,
      0);
  ExpectIdsCountAsSlots(db, tmp);
}

TEST(FacetIdsTest, DecodeRejectsWhatItDidNotWrite) {
  schema::FacetIds ids;
  EXPECT_FALSE(schema::DecodeFacetIds("", &ids));
  EXPECT_FALSE(schema::DecodeFacetIds("\x02", &ids));  // another version
  EXPECT_FALSE(schema::DecodeFacetIds(std::string("\x01\x09\x01\x00", 4), &ids));  // bad slot
  EXPECT_FALSE(schema::DecodeFacetIds(std::string("\x01\x03\x02\x05", 4), &ids));  // cut short
  EXPECT_FALSE(schema::DecodeFacetIds(std::string("\x01\x03\x01\x80", 4), &ids));  // cut varint
  ASSERT_TRUE(schema::DecodeFacetIds(std::string("\x01\x03\x02\x05\x81\x01", 6), &ids));
  EXPECT_EQ(ids[3], (std::vector<uint32_t>{5, 129}));
  EXPECT_TRUE(ids[2].empty());
}

}  // namespace
}  // namespace dossier::testing
