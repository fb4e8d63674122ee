// Tests for searcher/facets.cc: the three ways of counting facets agree with counts computed
// by hand, over shards, with a FacetCache of any size, and after documents are replaced or
// deleted.
#include "searcher/facets.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "schema/schema.h"
#include "searcher/search.h"
#include "tests/searcher/searcher_test_util.h"

namespace dossier::searcher {
namespace {

const std::vector<FacetKind> kAllKinds = {FacetKind::kPerson, FacetKind::kInstitution,
                                          FacetKind::kTopic,  FacetKind::kPlace,
                                          FacetKind::kSource, FacetKind::kYear,
                                          FacetKind::kMonth};

// kind -> value -> count
using Counts = std::map<FacetKind, std::map<std::string, uint64_t>>;

// Names meant to trip a hash table: long ones that share their first 20 bytes (compared in
// the table's entry) and differ after, non-ASCII bytes, one- and two-byte names.
const char* const kNames[] = {
    "Ann",
    "Bob",
    "X",
    "Yo",
    "Élise Dupré",
    "Recep Tayyip Erdoğan",
    "International Monetary Fund",
    "International Monetary Funds",
    "International Monetary Fun",
    "Ministry of Labour and Social Affairs of the Republic",
    "Ministry of Labour and Social Affairs of the Kingdom",
    "exactly twenty bytes",  // 20 bytes: the whole name fits the entry
    "exactly twenty bytez",
    "twenty-one bytes here",
};
constexpr size_t kNameCount = sizeof(kNames) / sizeof(kNames[0]);

// A '\n'-joined list of a few names, sometimes with a name twice (counted twice, as the value
// says) or an empty entry (skipped); "" sometimes.
std::string NameList(Lcg* r) {
  std::string v;
  const uint32_t n = r->Next(6);
  for (uint32_t i = 0; i < n; ++i) {
    if (!v.empty() || i > 0) v += r->Next(10) == 0 ? "\n\n" : "\n";
    v += kNames[r->Next(kNameCount)];
  }
  if (r->Next(8) == 0 && !v.empty()) v += "\n" + v.substr(0, v.find('\n'));
  return v;
}

Xapian::Document MakeDoc(Lcg* r, int i) {
  Xapian::Document doc;
  // Each word also as the query parser's stemmed form (Z prefix), for the Searcher test.
  for (const std::string& w : {std::string("x"), std::string(i % 2 == 0 ? "even" : "odd"),
                               "t" + std::to_string(r->Next(5))}) {
    doc.add_term(w);
    doc.add_term("Z" + w);
  }
  // Words with positions, for phrases: by i % 4, "alpha beta", "beta alpha", "alpha gamma
  // beta", and "alpha _ _ beta gamma alpha beta" (the phrase "alpha beta" at its second
  // "alpha" only, "beta beta" nowhere). Added without drawing on `r`.
  static const std::vector<std::vector<std::pair<const char*, Xapian::termpos>>> kWords = {
      {{"alpha", 1}, {"beta", 2}},
      {{"beta", 1}, {"alpha", 2}},
      {{"alpha", 1}, {"gamma", 2}, {"beta", 3}},
      {{"alpha", 1}, {"beta", 4}, {"gamma", 5}, {"alpha", 6}, {"beta", 7}}};
  for (const auto& [word, pos] : kWords[i % 4]) doc.add_posting(word, pos);
  for (Xapian::valueno slot : {schema::kSlotPeople, schema::kSlotInstitutions,
                               schema::kSlotTopics, schema::kSlotPlaces}) {
    std::string v = NameList(r);
    if (!v.empty()) doc.add_value(slot, v);
  }
  if (r->Next(6) != 0) doc.add_value(schema::kSlotSource, r->Next(2) ? "BBC News" : "Reuters");
  if (r->Next(7) != 0) {
    // 1930 to 2029, before 1970 too (negative seconds).
    const int64_t s = schema::SecondsFromCivil(1930 + static_cast<int>(r->Next(100)),
                                               1 + static_cast<int>(r->Next(12)), 1 + static_cast<int>(r->Next(28)));
    doc.add_value(schema::kSlotDate, Xapian::sortable_serialise(static_cast<double>(s)));
  }
  return doc;
}

// What the facets of `query` must be: every match's slot values split and counted by hand.
Counts BruteForce(const Xapian::Database& db, const Xapian::Query& query, uint64_t* total) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
  Counts out;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Xapian::Document doc = it.get_document();
    for (FacetKind k : kAllKinds) {
      switch (k) {
        case FacetKind::kSource: {
          std::string v = doc.get_value(schema::kSlotSource);
          if (!v.empty()) ++out[k][v];
          break;
        }
        case FacetKind::kYear:
        case FacetKind::kMonth: {
          std::string v = doc.get_value(schema::kSlotDate);
          if (v.empty()) break;
          int y, m, d;
          schema::CivilFromSeconds(static_cast<int64_t>(Xapian::sortable_unserialise(v)), &y, &m, &d);
          char buf[16];
          if (k == FacetKind::kYear) {
            std::snprintf(buf, sizeof buf, "%04d", y);
          } else {
            std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
          }
          ++out[k][buf];
          break;
        }
        default: {
          const Xapian::valueno slot = k == FacetKind::kPerson        ? schema::kSlotPeople
                                       : k == FacetKind::kInstitution ? schema::kSlotInstitutions
                                       : k == FacetKind::kTopic       ? schema::kSlotTopics
                                                                      : schema::kSlotPlaces;
          std::string v = doc.get_value(slot);
          size_t start = 0;
          while (start < v.size()) {
            size_t nl = v.find('\n', start);
            if (nl == std::string::npos) nl = v.size();
            if (nl > start) ++out[k][v.substr(start, nl - start)];
            start = nl + 1;
          }
        }
      }
    }
  }
  if (total) *total = mset.size();
  return out;
}

Counts AsCounts(const std::vector<FacetResult>& results) {
  Counts out;
  for (const FacetResult& r : results) {
    auto& m = out[r.kind];
    for (const FacetValue& v : r.values) m[v.value] = v.count;
    EXPECT_EQ(r.distinct, r.values.size()) << FacetName(r.kind);  // facet size is unlimited here
  }
  // Kinds with no value at all are absent from BruteForce's map too.
  for (auto it = out.begin(); it != out.end();) it = it->second.empty() ? out.erase(it) : ++it;
  return out;
}

Counts ByShards(const Xapian::Database& db, const Xapian::Query& query, FacetCache* cache,
                uint64_t* total = nullptr) {
  FacetCounter counter(kAllKinds, /*remote=*/false);
  const Xapian::doccount n = counter.CountShards(db, query, cache);
  if (total) *total = n;
  return AsCounts(counter.Results(1000000));
}

// The spy on the ranking match (`remote`: Xapian's ValueCountMatchSpys, as over xapian-tcpsrv).
Counts BySpy(const Xapian::Database& db, const Xapian::Query& query, bool remote) {
  FacetCounter counter(kAllKinds, remote);
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  counter.Attach(&enquire);
  enquire.get_mset(0, 10, db.get_doccount());
  return AsCounts(counter.Results(1000000));
}

std::vector<Xapian::Query> Queries() {
  using Q = Xapian::Query;
  auto many = [](Q::op op, std::vector<Q> subs) { return Q(op, subs.begin(), subs.end()); };
  return {Xapian::Query::MatchAll,
          // Shapes CountShards matches itself (its DocSets), beside those it leaves to Xapian.
          Q(Q::OP_SCALE_WEIGHT, Q::MatchAll, 0),
          many(Q::OP_AND, {Q("x"), Q("even"), Q("t2")}),
          Q(Q::OP_AND, Q(Q::OP_OR, Q("t0"), Q("t4")), Q(Q::OP_AND_NOT, Q("x"), Q("odd"))),
          Q(Q::OP_AND_NOT, Q("x"), Q(Q::OP_OR, Q("t1"), Q("t2"))),
          many(Q::OP_AND_NOT, {Q("even"), Q("t0"), Q("t4")}),
          Q(Q::OP_SCALE_WEIGHT, many(Q::OP_OR, {Q("t1"), Q("t3"), Q("nosuchterm"), Q("t0")}), 0),
          Q(Q::OP_AND_MAYBE, Q("odd"), Q("t1")),
          Q(Q::OP_SYNONYM, Q("t1"), Q("t2")),
          Q(Q::OP_MAX, Q("t3"), Q(Q::OP_AND, Q("x"), Q("t4"))),
          Q(Q::OP_OR, Q(Q::OP_AND, Q("even"), Q("t1")), Q(Q::OP_AND, Q("odd"), Q("t1"))),
          Q(Q::OP_FILTER, Q("x"), Q(Q::OP_AND, Q("nosuchterm"), Q("t1"))),
          // Wildcards: unlimited ones expanded by CountShards over each shard's terms (t0..t4;
          // none), a limited one left to Xapian's matcher.
          Q(Q::OP_WILDCARD, "t"),
          Q(Q::OP_AND, Q("even"), Q(Q::OP_WILDCARD, "t", 0, Q::WILDCARD_LIMIT_ERROR, Q::OP_OR)),
          Q(Q::OP_OR, Q(Q::OP_WILDCARD, "nosuch"), Q("t1")),
          Q(Q::OP_AND_NOT, Q(Q::OP_WILDCARD, "e"), Q(Q::OP_WILDCARD, "t")),
          Q(Q::OP_WILDCARD, "t", 2, Q::WILDCARD_LIMIT_FIRST),
          // Phrases (left to Xapian's matcher), exact and with a wider window.
          Q(Q::OP_PHRASE, Q("alpha"), Q("beta")),
          Q(Q::OP_PHRASE, Q("beta"), Q("alpha")),
          Q(Q::OP_PHRASE, Q("beta"), Q("gamma")),
          many(Q::OP_PHRASE, {Q("gamma"), Q("alpha"), Q("beta")}),
          many(Q::OP_PHRASE, {Q("alpha"), Q("gamma"), Q("beta")}),
          Q(Q::OP_PHRASE, Q("beta"), Q("beta")),
          Q(Q::OP_PHRASE, Q("alpha"), Q("nosuchterm")),
          Q(Q::OP_AND, Q("even"), Q(Q::OP_PHRASE, Q("alpha"), Q("beta"))),
          Q(Q::OP_AND_NOT, Q("x"), Q(Q::OP_PHRASE, Q("alpha"), Q("beta"))),
          [] {
            const std::vector<Q> ab = {Q("alpha"), Q("beta")};
            return Q(Q::OP_PHRASE, ab.begin(), ab.end(), 3);
          }(),
          Xapian::Query("even"),
          Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("t1"), Xapian::Query("t3")),
          Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query("x"), Xapian::Query("t0")),
          Xapian::Query("nosuchterm"),
          Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query("odd"),
                        Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate,
                                      Xapian::sortable_serialise(0))),
          // Value ranges (matched by CountShards itself): dates before 1970 too, one value,
          // a slot without values, and bounds of other lengths.
          Q(Q::OP_VALUE_RANGE, schema::kSlotDate,
            Xapian::sortable_serialise(static_cast<double>(schema::SecondsFromCivil(1950, 1, 1))),
            Xapian::sortable_serialise(static_cast<double>(schema::SecondsFromCivil(1990, 6, 30)))),
          Q(Q::OP_AND, Q("t2"),
            Q(Q::OP_VALUE_LE, schema::kSlotDate,
              Xapian::sortable_serialise(static_cast<double>(schema::SecondsFromCivil(2001, 1, 1))))),
          Q(Q::OP_AND_NOT, Q(Q::OP_VALUE_RANGE, schema::kSlotSource, "BBC News", "BBC News"),
            Q("t1")),
          Q(Q::OP_OR, Q(Q::OP_VALUE_GE, schema::kSlotSource, "C"), Q("t4")),
          Q(Q::OP_VALUE_RANGE, 200, "a", "z"),
          Q(Q::OP_VALUE_RANGE, schema::kSlotDate, std::string(300, 'a'), std::string(300, 'z'))};
}

// Three in-memory shards (of different sizes, one empty) searched as one database.
Xapian::Database ThreeShards() {
  Xapian::Database all;
  Lcg r{42};
  int i = 0;
  for (int size : {300, 0, 170}) {
    Xapian::WritableDatabase shard(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (int k = 0; k < size; ++k) shard.add_document(MakeDoc(&r, i++));
    shard.commit();
    all.add_database(shard);
  }
  return all;
}

TEST(FacetCounterTest, ShardsSpyAndRemoteSpiesEqualCountsByHand) {
  const Xapian::Database db = ThreeShards();
  ASSERT_EQ(db.size(), 3u);
  for (const Xapian::Query& q : Queries()) {
    uint64_t want_total = 0, got_total = 0;
    const Counts want = BruteForce(db, q, &want_total);
    EXPECT_EQ(ByShards(db, q, nullptr, &got_total), want) << q.get_description();
    EXPECT_EQ(got_total, want_total) << q.get_description();
    EXPECT_EQ(BySpy(db, q, /*remote=*/false), want) << q.get_description();
    EXPECT_EQ(BySpy(db, q, /*remote=*/true), want) << q.get_description();
  }
  EXPECT_FALSE(BruteForce(db, Xapian::Query::MatchAll, nullptr).at(FacetKind::kInstitution).empty());
}

// A cache reused across searches, whole or cut short by its budget, counts as no cache does.
TEST(FacetCounterTest, CacheOfAnySizeCountsTheSame) {
  const Xapian::Database db = ThreeShards();
  std::map<size_t, size_t> held;
  for (size_t budget : {size_t{0}, size_t{64}, size_t{3000}, size_t{20000}, size_t{1} << 30}) {
    FacetCache cache(budget);
    for (int round = 0; round < 2; ++round) {
      for (const Xapian::Query& q : Queries()) {
        EXPECT_EQ(ByShards(db, q, &cache), BruteForce(db, q, nullptr))
            << "budget " << budget << " round " << round << " " << q.get_description();
      }
    }
    held[budget] = cache.bytes();
  }
  // Between searches a cache holds no more than its budget (nothing at all with 0), and a
  // whole one at least a docid index per shard and kind (7 kinds, 300 + 170 documents).
  for (const auto& [budget, bytes] : held) EXPECT_LE(bytes, budget) << budget;
  EXPECT_EQ(held[0], 0u);
  EXPECT_GT(held[size_t{1} << 30], 470u * 7 * 4);
}

// One cache serves searches that count different sets of kinds, in any order: each set keeps
// one run of ids per document; a set that holds another's kinds is read for it (not filled).
TEST(FacetCounterTest, CacheCountsSetsOfKindsInAnyOrder) {
  const Xapian::Database db = ThreeShards();
  const std::vector<std::vector<FacetKind>> sets = {
      {FacetKind::kTopic, FacetKind::kPerson},
      kAllKinds,
      {FacetKind::kPerson, FacetKind::kTopic},  // the first set, in another order
      {FacetKind::kYear},                       // held by kAllKinds' runs: read from them
      {FacetKind::kMonth, FacetKind::kSource, FacetKind::kInstitution},
      {FacetKind::kPlace, FacetKind::kPerson, FacetKind::kTopic, FacetKind::kYear}};
  for (size_t budget : {size_t{0}, size_t{3000}, size_t{1} << 30}) {
    FacetCache cache(budget);
    for (int round = 0; round < 2; ++round) {
      for (const std::vector<FacetKind>& kinds : sets) {
        for (const Xapian::Query& q : Queries()) {
          Counts want = BruteForce(db, q, nullptr);
          for (auto it = want.begin(); it != want.end();) {
            it = std::find(kinds.begin(), kinds.end(), it->first) == kinds.end() ? want.erase(it)
                                                                                 : ++it;
          }
          FacetCounter counter(kinds, /*remote=*/false);
          counter.CountShards(db, q, &cache);
          const std::vector<FacetResult> results = counter.Results(1000000);
          ASSERT_EQ(results.size(), kinds.size());
          for (size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(results[i].kind, kinds[i]);
          EXPECT_EQ(AsCounts(results), want) << "budget " << budget << " round " << round
                                             << " kinds " << kinds.size() << " "
                                             << q.get_description();
        }
      }
    }
  }
  // A set in another order reuses the first order's runs, and a set whose kinds another set
  // holds reads that set's runs without adding to them (the rest of its documents are read
  // and not kept): a later search of the larger set still counts right. (Terms' docids are
  // not kept here, so that the bytes held are the runs' and the names'.)
  ASSERT_EQ(setenv("DOSSIER_FACET_TERM_DOCS", "off", 1), 0);
  FacetCache cache(size_t{1} << 30);
  auto count = [&](const std::vector<FacetKind>& kinds, const Xapian::Query& q) {
    FacetCounter counter(kinds, /*remote=*/false);
    counter.CountShards(db, q, &cache);
    return AsCounts(counter.Results(1000000));
  };
  count({FacetKind::kTopic, FacetKind::kPerson}, Xapian::Query::MatchAll);
  const size_t one_set = cache.bytes();
  count({FacetKind::kPerson, FacetKind::kTopic}, Xapian::Query::MatchAll);
  EXPECT_EQ(cache.bytes(), one_set);
  const Xapian::Query even("even");
  EXPECT_EQ(count(kAllKinds, even), BruteForce(db, even, nullptr));
  const size_t two_sets = cache.bytes();
  Counts years = BruteForce(db, Xapian::Query::MatchAll, nullptr);
  for (auto it = years.begin(); it != years.end();)
    it = it->first == FacetKind::kYear ? ++it : years.erase(it);
  EXPECT_EQ(count({FacetKind::kYear}, Xapian::Query::MatchAll), years);
  // Only the names of years first seen in odd documents were added (~ 440 bytes); runs for
  // the ~ 235 odd documents would take at least 8 bytes each.
  EXPECT_LT(cache.bytes() - two_sets, 1000u);
  EXPECT_EQ(count(kAllKinds, Xapian::Query::MatchAll),
            BruteForce(db, Xapian::Query::MatchAll, nullptr));
  unsetenv("DOSSIER_FACET_TERM_DOCS");
}

// The counting matcher keeps a term's docids from the second search that meets it on (as a
// bitmap or as sorted docids, DOSSIER_FACET_TERM_DOCS), within a quarter of the budget:
// whatever it keeps, on one thread or several, the counts and totals are those by hand.
TEST(FacetCounterTest, TermDocsKeptCountTheSame) {
  const Xapian::Database db = ThreeShards();
  // Besides Queries(), date ranges whose bounds are some documents' very dates (kept as
  // numbers like terms' docids: a bound is in the range).
  std::vector<Xapian::Query> queries = Queries();
  int seen = 0;
  for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    if (seen++ % 90 != 0) continue;
    const std::string v = db.get_document(*it).get_value(schema::kSlotDate);
    if (v.empty()) continue;
    using Q = Xapian::Query;
    queries.push_back(Q(Q::OP_VALUE_RANGE, schema::kSlotDate, v, v));
    queries.push_back(Q(Q::OP_VALUE_LE, schema::kSlotDate, v));
    queries.push_back(Q(Q::OP_AND, Q("x"), Q(Q::OP_VALUE_GE, schema::kSlotDate, v)));
  }
  ASSERT_GT(queries.size(), Queries().size() + 6);
  std::map<std::string, size_t> without;  // threads -> bytes held with "off"
  for (const char* mode : {"off", "by-density", "dense", "sparse"}) {
    ASSERT_EQ(setenv("DOSSIER_FACET_TERM_DOCS", mode, 1), 0);
    for (const char* threads : {"1", "2"}) {
      ASSERT_EQ(setenv("DOSSIER_FACET_THREADS", threads, 1), 0);
      for (size_t budget : {size_t{0}, size_t{800}, size_t{12000}, size_t{1} << 30}) {
        FacetCache cache(budget);
        for (int round = 0; round < 3; ++round) {
          for (const Xapian::Query& q : queries) {
            uint64_t want_total = 0, got_total = 0;
            const Counts want = BruteForce(db, q, &want_total);
            EXPECT_EQ(ByShards(db, q, &cache, &got_total), want)
                << mode << ", " << threads << " threads, budget " << budget << " round "
                << round << " " << q.get_description();
            EXPECT_EQ(got_total, want_total) << mode << " " << q.get_description();
          }
          EXPECT_LE(cache.bytes(), budget) << mode << " round " << round;
        }
        // With room, terms' docids were kept beside the runs and names.
        if (budget == size_t{1} << 30) {
          if (std::string(mode) == "off") {
            without[threads] = cache.bytes();
          } else {
            EXPECT_GT(cache.bytes(), without[threads]) << mode << " " << threads;
          }
        }
      }
    }
  }
  unsetenv("DOSSIER_FACET_TERM_DOCS");
  unsetenv("DOSSIER_FACET_THREADS");
}

// The shards are counted on several threads (DOSSIER_FACET_THREADS, default one per core):
// any number of them, with the cache whole, cut short or off, counts as one thread does.
TEST(FacetCounterTest, ShardsCountedOnSeveralThreadsCountTheSame) {
  const Xapian::Database db = ThreeShards();
  for (const char* threads : {"1", "2", "3", "8"}) {
    ASSERT_EQ(setenv("DOSSIER_FACET_THREADS", threads, 1), 0);
    for (size_t budget : {size_t{0}, size_t{3000}, size_t{1} << 30}) {
      FacetCache cache(budget);
      for (int round = 0; round < 3; ++round) {
        for (const Xapian::Query& q : Queries()) {
          uint64_t want_total = 0, got_total = 0;
          const Counts want = BruteForce(db, q, &want_total);
          EXPECT_EQ(ByShards(db, q, &cache, &got_total), want)
              << threads << " threads, budget " << budget << " round " << round << " "
              << q.get_description();
          EXPECT_EQ(got_total, want_total) << threads << " " << q.get_description();
        }
      }
    }
  }
  unsetenv("DOSSIER_FACET_THREADS");
}

// Terms, everything and AND / OR / AND_NOT / FILTER of them are matched by CountShards itself;
// Xapian's matcher (DOSSIER_FACET_MATCHER=xapian) counts the same.
TEST(FacetCounterTest, OwnMatchingCountsAsXapiansMatcher) {
  using Q = Xapian::Query;
  EXPECT_TRUE(FacetCounter::CountsWithoutMatcher(Q(Q::OP_WILDCARD, "t")));
  EXPECT_TRUE(FacetCounter::CountsWithoutMatcher(
      Q(Q::OP_AND, Q("x"), Q(Q::OP_WILDCARD, "t", 0, Q::WILDCARD_LIMIT_ERROR, Q::OP_OR))));
  EXPECT_FALSE(FacetCounter::CountsWithoutMatcher(Q(Q::OP_WILDCARD, "t", 2)));
  EXPECT_FALSE(FacetCounter::CountsWithoutMatcher(Q(Q::OP_PHRASE, Q("alpha"), Q("beta"))));
  const Xapian::Database db = ThreeShards();
  for (const char* matcher : {"xapian", "own"}) {
    ASSERT_EQ(setenv("DOSSIER_FACET_MATCHER", matcher, 1), 0);
    for (size_t budget : {size_t{0}, size_t{1} << 30}) {
      FacetCache cache(budget);
      for (int round = 0; round < 2; ++round) {
        for (const Xapian::Query& q : Queries()) {
          uint64_t want_total = 0, got_total = 0;
          EXPECT_EQ(ByShards(db, q, &cache, &got_total), BruteForce(db, q, &want_total))
              << matcher << " " << q.get_description();
          EXPECT_EQ(got_total, want_total) << matcher << " " << q.get_description();
        }
      }
    }
  }
  unsetenv("DOSSIER_FACET_MATCHER");
}

// Facet sizes cut the list to the top values by count, ties by name; years and months then
// in date order; `distinct` still counts all.
TEST(FacetCounterTest, TopValuesAreTheSameEitherWay) {
  const Xapian::Database db = ThreeShards();
  FacetCache cache(size_t{1} << 30);
  for (size_t size : {size_t{1}, size_t{3}, size_t{10}}) {
    FacetCounter shards(kAllKinds, false), spy(kAllKinds, false);
    shards.CountShards(db, Xapian::Query("x"), &cache);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query("x"));
    spy.Attach(&enquire);
    enquire.get_mset(0, 10, db.get_doccount());
    const std::vector<FacetResult> a = shards.Results(size), b = spy.Results(size);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].distinct, b[i].distinct) << FacetName(a[i].kind);
      ASSERT_EQ(a[i].values.size(), b[i].values.size()) << FacetName(a[i].kind);
      for (size_t j = 0; j < a[i].values.size(); ++j) {
        EXPECT_EQ(a[i].values[j].value, b[i].values[j].value) << FacetName(a[i].kind) << " " << j;
        EXPECT_EQ(a[i].values[j].count, b[i].values[j].count) << FacetName(a[i].kind) << " " << j;
      }
    }
  }
}

// Two glass shards behind a stub, as dossier-index writes them; documents replaced (same docid,
// other values), deleted and added between searches.
TEST(FacetCounterTest, CacheClearedAfterReplaceAndDeleteCountsTheNewRevision) {
  TempDir tmp;
  std::vector<Xapian::WritableDatabase> shards;
  std::ofstream(tmp.path() + "/XAPIANDB") << "auto shard-0\nauto shard-1\n";
  Lcg r{7};
  for (int s = 0; s < 2; ++s) {
    shards.emplace_back(tmp.path() + "/shard-" + std::to_string(s), Xapian::DB_CREATE_OR_OPEN);
    shards.back().set_metadata(std::string(schema::kSchemaVersionKey),
                               std::to_string(schema::kSchemaVersion));
    for (int k = 0; k < 200; ++k) shards.back().add_document(MakeDoc(&r, k));
    shards.back().commit();
  }
  Xapian::Database db(tmp.path());
  ASSERT_EQ(db.size(), 2u);
  FacetCache cache(size_t{1} << 30);
  for (const Xapian::Query& q : Queries()) EXPECT_EQ(ByShards(db, q, &cache), BruteForce(db, q, nullptr));

  for (int s = 0; s < 2; ++s) {
    for (Xapian::docid d = 1; d <= 200; d += 7) shards[s].replace_document(d, MakeDoc(&r, 1000 + d));
    for (Xapian::docid d = 3; d <= 200; d += 11) shards[s].delete_document(d);
    for (int k = 0; k < 20; ++k) shards[s].add_document(MakeDoc(&r, 2000 + k));
    shards[s].commit();
  }
  db.reopen();
  cache.Clear();
  for (const Xapian::Query& q : Queries()) {
    uint64_t want_total = 0, got_total = 0;
    const Counts want = BruteForce(db, q, &want_total);
    EXPECT_EQ(ByShards(db, q, &cache, &got_total), want) << q.get_description();
    EXPECT_EQ(got_total, want_total) << q.get_description();
  }

  // Through the Searcher: the first search fills its cache, the second reads it; both equal
  // the counts by hand, and so does the total.
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(tmp.path(), &searcher).ok());
  for (const char* query : {"*", "even", "t1 OR t3"}) {
    SearchOptions so;
    so.query = query;
    so.facets = kAllKinds;
    so.facet_size = 1000000;
    so.snippets = false;
    so.limit = 0;  // these documents have no stored article to show
    uint64_t want_total = 0;
    Xapian::Query q = std::string(query) == "*"  ? Xapian::Query::MatchAll
                      : std::string(query) == "even" ? Xapian::Query("even")
                                                 : Xapian::Query(Xapian::Query::OP_OR,
                                                                 Xapian::Query("t1"),
                                                                 Xapian::Query("t3"));
    const Counts want = BruteForce(db, q, &want_total);
    for (int round = 0; round < 2; ++round) {
      SearchResult result;
      const Status s = searcher->Search(so, &result);
      ASSERT_TRUE(s.ok()) << query << ": " << s.message();
      EXPECT_EQ(AsCounts(result.facets), want) << query << " round " << round;
      EXPECT_EQ(result.total, want_total) << query;
      EXPECT_TRUE(result.total_exact);
    }
  }

  // Weighted queries count their facets on a second handle of the shards while the first runs
  // the ranking match. A searcher keeps reading the revision it opened: `searcher`'s second
  // handle was opened with it (its searches above), `older`'s is opened at its first faceted
  // search, after the commit below, at another revision; its facets are then counted on the
  // first handle, and stay those of its hits and total. A searcher opened after the commit
  // counts the new revision.
  std::unique_ptr<Searcher> older;
  ASSERT_TRUE(Searcher::Open(tmp.path(), &older).ok());
  const Xapian::Database before(tmp.path());
  for (int s = 0; s < 2; ++s) {
    for (Xapian::docid d = 2; d <= 200; d += 5) shards[s].replace_document(d, MakeDoc(&r, 3000 + d));
    for (int k = 0; k < 30; ++k) shards[s].add_document(MakeDoc(&r, 4000 + k));
    shards[s].commit();
  }
  db.reopen();
  std::unique_ptr<Searcher> newer;
  ASSERT_TRUE(Searcher::Open(tmp.path(), &newer).ok());
  for (const char* parallel : {"1", "0"}) {
    ASSERT_EQ(setenv("DOSSIER_PARALLEL_COUNT", parallel, 1), 0);
    const std::vector<std::pair<Searcher*, const Xapian::Database*>> cases = {
        {older.get(), &before}, {searcher.get(), &before}, {newer.get(), &db}};
    for (const auto& [s, reads] : cases) {
      for (const char* query : {"even", "t1 OR t3"}) {
        SearchOptions so;
        so.query = query;
        so.facets = kAllKinds;
        so.facet_size = 1000000;
        so.snippets = false;
        so.limit = 0;
        const Xapian::Query q = std::string(query) == "even"
                                    ? Xapian::Query("even")
                                    : Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("t1"),
                                                    Xapian::Query("t3"));
        uint64_t want_total = 0;
        const Counts want = BruteForce(*reads, q, &want_total);
        for (int round = 0; round < 2; ++round) {
          SearchResult result;
          const Status st = s->Search(so, &result);
          ASSERT_TRUE(st.ok()) << query << ": " << st.message();
          EXPECT_EQ(AsCounts(result.facets), want)
              << query << " parallel " << parallel << " round " << round
              << (s == older.get() ? " older" : s == newer.get() ? " newer" : " searcher");
          EXPECT_EQ(result.total, want_total) << query;
        }
      }
    }
  }
  unsetenv("DOSSIER_PARALLEL_COUNT");
}

}  // namespace
}  // namespace dossier::searcher
