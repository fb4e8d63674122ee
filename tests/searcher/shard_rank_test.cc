// Tests for searcher/shard_rank.cc: ranking shard by shard on threads of their own gives the
// very hits, order, weights (compared with ==) and totals of one Xapian match over all shards.
#include "searcher/shard_rank.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/searcher/searcher_test_util.h"

namespace dossier::searcher {
namespace {

// Words of very different frequencies: "w0" in nearly every document, "w9" in few.
std::string Word(Lcg* r) {
  uint32_t x = r->Next(100);
  int w = x < 40 ? 0 : x < 60 ? 1 : x < 72 ? 2 : x < 80 ? 3 : x < 86 ? 4 : x < 91 ? 5
        : x < 94 ? 6 : x < 97 ? 7 : x < 99 ? 8 : 9;
  return "w" + std::to_string(w);
}

// `shards` glass shards behind a stub, documents routed by a hash as dossier-index routes
// them (so the shards differ in size), of varied lengths, every fifth a copy of the one before
// (equal weights: ties), with a boolean term and a value.
std::string MakeShards(const std::string& dir, int shards, int docs, uint64_t seed) {
  std::ofstream stub(dir + "/XAPIANDB");
  std::vector<Xapian::WritableDatabase> dbs;
  for (int s = 0; s < shards; ++s) {
    stub << "auto shard-" << s << "\n";
    dbs.emplace_back(dir + "/shard-" + std::to_string(s), Xapian::DB_CREATE_OR_OPEN);
  }
  stub.close();
  Lcg r{seed};
  Xapian::Document last;
  for (int d = 0; d < docs; ++d) {
    Xapian::Document doc;
    if (d % 5 == 4) {
      doc = last;
    } else {
      const uint32_t len = 1 + r.Next(d % 7 == 0 ? 120 : 30);
      for (uint32_t p = 1; p <= len; ++p) doc.add_posting(Word(&r), p);
      doc.add_boolean_term(r.Next(3) == 0 ? "Kred" : "Kblue");
      doc.add_value(0, Xapian::sortable_serialise(r.Next(100)));
      last = doc;
    }
    dbs[(d * 2654435761u >> 7) % shards].add_document(doc);
  }
  for (auto& db : dbs) db.commit();
  return dir;
}

Xapian::Query Of(Xapian::Query::op op, std::vector<Xapian::Query> subs, Xapian::termcount window = 0) {
  return Xapian::Query(op, subs.begin(), subs.end(), window);
}

std::vector<Xapian::Query> Queries() {
  using Q = Xapian::Query;
  return {
      Q("w0"),
      Q("w9"),
      Q(Q::OP_AND, Q("w1"), Q("w3")),
      Q(Q::OP_OR, Q("w2"), Q("w8")),
      Of(Q::OP_OR, {Q("w0"), Q("w4"), Q("w7"), Q("w9")}),
      Q(Q::OP_AND_NOT, Q("w2"), Q("w5")),
      Q(Q::OP_AND_MAYBE, Q("w3"), Q("w6")),
      Q(Q::OP_XOR, Q("w5"), Q("w6")),
      Q(Q::OP_FILTER, Q(Q::OP_OR, Q("w1"), Q("w6")), Q("Kred")),
      Of(Q::OP_PHRASE, {Q("w0"), Q("w1")}),
      Of(Q::OP_NEAR, {Q("w2"), Q("w4")}, 3),
      Q(Q::OP_SCALE_WEIGHT, Q("w4"), 2.5),
      Q(Q::OP_FILTER, Q("w3"), Q(Q::OP_VALUE_RANGE, 0, Xapian::sortable_serialise(10),
                                 Xapian::sortable_serialise(60))),
      Q(Q::OP_AND, Q(Q::OP_SCALE_WEIGHT, Q::MatchAll, 0), Q("w5")),
      Q(Q::OP_OR, Q("w1"), Q("absent")),
      Q("absent"),
  };
}

struct Hit {
  Xapian::docid docid;
  double weight;
  bool operator==(const Hit& o) const { return docid == o.docid && weight == o.weight; }
};

void PrintTo(const Hit& h, std::ostream* os) { *os << h.docid << "@" << h.weight; }

TEST(ShardRankTest, SameHitsWeightsAndTotalsAsOneMatch) {
  for (int shards : {2, 3}) {
    TempDir tmp;
    Xapian::Database db(MakeShards(tmp.path(), shards, 900, 11 + shards));
    ASSERT_EQ(db.size(), static_cast<size_t>(shards));
    const Xapian::doccount all = db.get_doccount();
    // Dossier's default, others --bm25 allows, and the two where length plays no part.
    for (auto [k1, b] : {std::pair{1.2, 0.75}, std::pair{2.0, 0.3}, std::pair{0.9, 1.0},
                         std::pair{1.0, 0.0}, std::pair{0.0, 0.5}}) {
      for (const Xapian::Query& q : Queries()) {
        for (auto [first, want] : {std::pair{0u, 10u}, std::pair{7u, 25u}, std::pair{0u, all}}) {
          for (Xapian::doccount check : {Xapian::doccount{0}, all}) {
            SCOPED_TRACE(q.get_description() + " shards " + std::to_string(shards) + " k1 " +
                         std::to_string(k1) + " first " + std::to_string(first) + " check " +
                         std::to_string(check));
            Xapian::Enquire one(db);
            one.set_query(q);
            one.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
            Xapian::MSet m = one.get_mset(first, want, check);
            std::vector<Hit> expected;
            for (auto it = m.begin(); it != m.end(); ++it) expected.push_back({*it, it.get_weight()});

            std::vector<Xapian::MSet> msets;
            std::vector<ShardHit> hits;
            Xapian::doccount total = 0;
            bool exact = false;
            ASSERT_TRUE(RankShardsInParallel(db, q, {}, k1, b, first, want, check, &msets, &hits,
                                             &total, &exact));
            std::vector<Hit> got;
            for (const ShardHit& h : hits) {
              got.push_back({h.docid, h.it.get_weight()});
              // The hit's document is the whole database's document of that docid.
              EXPECT_EQ(h.it.get_document().get_data(), db.get_document(h.docid).get_data());
              EXPECT_EQ(h.it.get_document().get_value(0), db.get_document(h.docid).get_value(0));
            }
            EXPECT_EQ(got, expected);
            if (check == all) {
              EXPECT_TRUE(exact);
              EXPECT_EQ(total, m.get_matches_estimated());
            }
          }
        }
      }
    }
  }
}

TEST(ShardRankTest, QueriesItCannotWeighAreLeftToOneMatch) {
  TempDir tmp;
  Xapian::Database db(MakeShards(tmp.path(), 2, 300, 5));
  using Q = Xapian::Query;
  std::vector<Xapian::MSet> msets;
  std::vector<ShardHit> hits;
  Xapian::doccount total = 0;
  bool exact = false;
  for (const Q& q : {Q(Q::OP_WILDCARD, "w"), Q(Q::OP_SYNONYM, Q("w1"), Q("w2")), Q::MatchAll,
                     Q(Q::OP_AND, Q("w1"), Q(Q::OP_WILDCARD, "w"))}) {
    EXPECT_FALSE(RankableShardByShard(q)) << q.get_description();
    EXPECT_FALSE(RankShardsInParallel(db, q, {}, 1, 0.5, 0, 10, 0, &msets, &hits, &total, &exact))
        << q.get_description();
  }
  // In a boolean branch they weigh nothing, so they may stand there.
  EXPECT_TRUE(RankableShardByShard(Q(Q::OP_FILTER, Q("w1"), Q(Q::OP_WILDCARD, "w"))));
  EXPECT_TRUE(RankableShardByShard(Q(Q::OP_AND_NOT, Q("w1"), Q(Q::OP_SYNONYM, Q("w2"), Q("w3")))));
  // One shard: nothing to gain.
  Xapian::Database one(tmp.path() + "/shard-0");
  EXPECT_FALSE(RankShardsInParallel(one, Q("w1"), {}, 1, 0.5, 0, 10, 0, &msets, &hits, &total, &exact));
}

// Two terms with the same document count and collection frequency in a shard but different
// counts in the whole database cannot be told apart by the weight: not ranked this way.
TEST(ShardRankTest, TermsAlikeInAShardAreLeftToOneMatch) {
  TempDir tmp;
  std::ofstream(tmp.path() + "/XAPIANDB") << "auto shard-0\nauto shard-1\n";
  for (int s = 0; s < 2; ++s) {
    Xapian::WritableDatabase w(tmp.path() + "/shard-" + std::to_string(s), Xapian::DB_CREATE_OR_OPEN);
    for (int d = 0; d < 6; ++d) {
      Xapian::Document doc;
      doc.add_term("filler");
      if (d < 2) doc.add_term("alpha");                  // 2 here, 2 there
      if (d >= 2 && d < 4) doc.add_term("beta");        // 2 here ...
      if (s == 1 && d >= 4) doc.add_term("beta");       // ... and 4 in shard 1
      w.add_document(doc);
    }
    w.commit();
  }
  Xapian::Database db(tmp.path());
  using Q = Xapian::Query;
  std::vector<Xapian::MSet> msets;
  std::vector<ShardHit> hits;
  Xapian::doccount total = 0;
  bool exact = false;
  EXPECT_FALSE(RankShardsInParallel(db, Q(Q::OP_OR, Q("alpha"), Q("beta")), {}, 1, 0.5, 0, 10, 0,
                                    &msets, &hits, &total, &exact));
  EXPECT_TRUE(RankShardsInParallel(db, Q("beta"), {}, 1, 0.5, 0, 10, 0, &msets, &hits, &total, &exact));
}

}  // namespace
}  // namespace dossier::searcher
