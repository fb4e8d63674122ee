// Facets: exact counts of people, institutions, topics, places, sources, years and months over
// the whole match set of a query.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schema/status.h"

namespace dossier::searcher {

enum class FacetKind { kPerson, kInstitution, kTopic, kPlace, kSource, kYear, kMonth, kSpeaker };

// "person", "institution" (or "org"), "topic", "place", "source", "year", "month", "speaker"
// (statements).
bool ParseFacetKind(const std::string& name, FacetKind* out);
std::string FacetName(FacetKind kind);
// Parses a comma-separated list ("person,topic"); InvalidArgument naming the bad entry.
Status ParseFacetList(const std::string& list, std::vector<FacetKind>* out);

struct FacetValue {
  std::string value;
  uint64_t count = 0;
};

struct FacetResult {
  FacetKind kind;
  uint64_t distinct = 0;           // how many different values the match set has
  std::vector<FacetValue> values;  // the top ones, by count (ties by value)
};

// Each document's facet values as small numbers, kept between the searches of one database
// revision, so that a document counted once is counted again without reading and hashing its
// value slots (a faceted query spent ~ 45 % of its instructions hashing names and ~ 20 % in
// Document::get_value). One per database (and revision): Clear() it whenever the database is
// reopened, as a docid may then hold another document. Not thread-safe.
//
// Memory: 4 bytes per document and set of facet kinds counted (per shard, allocated on first
// use; searches asking for the same kinds in any order, or for kinds a set already holds, add
// no set), plus 4 bytes per value and per kind of each document cached, plus the distinct
// names. Past `max_bytes` further documents are counted without being kept, and when the
// names alone outgrow it the cache starts afresh at the next search; `max_bytes` 0 keeps
// nothing between searches.
class FacetCache {
 public:
  explicit FacetCache(size_t max_bytes = 0);
  ~FacetCache();
  FacetCache(const FacetCache&) = delete;
  FacetCache& operator=(const FacetCache&) = delete;
  // Forgets every document and name (the database was reopened).
  void Clear();
  // Changes the budget; a smaller one than what is held clears the cache.
  void set_max_bytes(size_t max_bytes);
  size_t max_bytes() const;
  // Bytes held now (approximately: the vectors' sizes, not the allocator's overheads).
  size_t bytes() const;

 private:
  friend class FacetCounter;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Counts facet values of every matching document, exactly.
//
// Three ways of counting, same results:
// - CountShards (local databases): a match of its own on each shard, unweighted, whose spy knows
//   the shard and so can use a FacetCache. The ranking match then needs no spy and no
//   check_at_least = doccount for the facets' sake, and CountShards gives the exact total.
// - Attach, locally (with count_groups, which needs each match's group): one spy on the ranking
//   match (check_at_least = doccount) reads each matching document's value slots once.
// - Attach, over remote shards: Xapian's stock xapian-tcpsrv only knows its own match spies,
//   so each needed slot gets a ValueCountMatchSpy (which the remote protocol serialises), and
//   the counts of whole slot values are split and folded here afterwards.
class FacetCounter {
 public:
  // `count_groups`: count exact-duplicate groups (research.h GroupKey) instead of documents;
  // local databases only (ignored when `remote`).
  FacetCounter(std::vector<FacetKind> kinds, bool remote, bool count_groups = false);
  ~FacetCounter();
  // Adds the spies to `enquire`; they must stay attached until the MSet has been fetched.
  void Attach(Xapian::Enquire* enquire);
  // Instead of Attach, for a counter made with remote and count_groups false: counts the
  // matches of `query` in each shard of `db` (local shards only), keeping what it reads in
  // `cache` (may be null: nothing kept). Returns the number of matching documents. May throw
  // Xapian errors (DatabaseModifiedError: clear the cache, reopen, count again).
  // With `matched`: also the matching documents, shard by shard (docids within the shard, in
  // ascending order), and each shard's UUID.
  struct ShardMatches {
    std::vector<std::string> uuids;
    std::vector<std::vector<Xapian::docid>> docids;
  };
  Xapian::doccount CountShards(const Xapian::Database& db, const Xapian::Query& query,
                               FacetCache* cache, ShardMatches* matched = nullptr);
  // Whether CountShards counts `query` without Xapian's matcher (terms, everything, value
  // ranges, unlimited wildcards and their AND / OR / AND_NOT / FILTER), from posting lists and
  // kept docids.
  static bool CountsWithoutMatcher(const Xapian::Query& query);
  // The number of documents `query` matches in `db`'s local shards, counted without Xapian's
  // matcher (CountsWithoutMatcher(query) must hold) from the posting lists, one thread per
  // shard up to one per core: the exact total of a search without facets.
  static Xapian::doccount CountMatches(const Xapian::Database& db, const Xapian::Query& query);
  // The top `size` values of each facet, in the order of the kinds given.
  std::vector<FacetResult> Results(size_t size);

 private:
  class LocalSpy;
  class ShardSpy;
  bool IdsPay(FacetCache::Impl* cache, size_t shard, const Xapian::Database& one,
              const Xapian::Query& query) const;
  std::vector<FacetKind> kinds_;
  std::unique_ptr<LocalSpy> local_;
  std::vector<std::pair<Xapian::valueno, std::unique_ptr<Xapian::ValueCountMatchSpy>>> remote_;
  // After CountShards: per kind, the names and counts (views into the cache used).
  std::vector<std::vector<std::pair<std::string_view, uint64_t>>> counted_;
  std::unique_ptr<FacetCache> own_cache_;  // CountShards' cache when given none
  bool shards_counted_ = false;
};

}  // namespace dossier::searcher
