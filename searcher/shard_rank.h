// Ranking a weighted query shard by shard, one thread per shard, with the statistics of the
// whole database: the same hits, in the same order, with the same weights as one Xapian match
// over all the shards.
//
// Xapian 1.4 matches a database of several shards on one thread, and sums up each term's
// statistics over all of them first. A match over one shard alone is about twice as fast per
// document (at 1,000,000 articles in two shards, `minister said`: 62 ms over both, 20 ms over
// one), but weighs with that shard's statistics. ShardBM25Weight is BM25Weight's formula fed
// with the whole database's: each term's document count, the number of documents and their
// average length; so every document gets the weight one match over all shards gives it, and
// merging the shards' first hits by weight (then docid, as Xapian breaks ties) gives that
// match's hits. Xapian only tells a weight object the term's statistics in its shard, not the
// term: a term is recognised by its (document count, collection frequency) in that shard, and
// a query where two terms share those in some shard is not ranked this way.
#ifndef DOSSIER_SEARCHER_SHARD_RANK_H_
#define DOSSIER_SEARCHER_SHARD_RANK_H_

#include <xapian.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dossier::searcher {

// BM25Weight(k1, 0, 1, b, min_normlen) with the term statistics of the whole database.
class ShardBM25Weight : public Xapian::Weight {
 public:
  struct Stats {
    double k1 = 1, b = 0.5, min_normlen = 0.5;
    Xapian::doccount collection_size = 0;  // of the whole database
    double average_length = 0;             // of the whole database
    // A term's (document count, collection frequency) in this shard -> its document count in
    // the whole database.
    std::map<std::pair<Xapian::doccount, Xapian::termcount>, Xapian::doccount> termfreqs;
    // Set when a weighted term was not in `termfreqs` (then the match's weights are wrong).
    mutable std::atomic<bool> missed{false};
  };
  explicit ShardBM25Weight(std::shared_ptr<const Stats> stats);

  ShardBM25Weight* clone() const override;
  void init(double factor) override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                     Xapian::termcount uniqterms) const override;
  double get_maxpart() const override;
  double get_sumextra(Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
  double get_maxextra() const override;

 private:
  std::shared_ptr<const Stats> stats_;
  double termweight_ = 0, len_factor_ = 0;
};

// One hit of a shard's match, as a hit of the whole database.
struct ShardHit {
  size_t shard;            // index into the MSets
  Xapian::MSetIterator it;  // into that shard's MSet
  Xapian::docid docid;      // in the whole database
};

// Hits first..first + want of `query` over `db` (two or more local shards) ranked by relevance
// with BM25Weight(k1, 0, 1, b, 0.5), each shard matched on a thread of its own with at least
// `check_at_least` of its matches checked (the shard's document count: exact totals). Sets
// `msets` (one per shard, kept for the hits' documents and snippets), `hits`, `total` (summed
// over the shards) and `total_exact`. False, with nothing set, when the query holds something
// whose weight this cannot reproduce (wildcards, synonyms, match-all with a weight...), two of
// its terms cannot be told apart in a shard, or a query copy cannot be made for each thread;
// then match the whole database as usual. DOSSIER_SHARD_RANKING=0 always returns false.
// `copy` makes an independent copy of `query` for a thread (Xapian's reference counts are not
// atomic); it is called on this thread, before any other starts. Empty: serialise and read back.
bool RankShardsInParallel(const Xapian::Database& db, const Xapian::Query& query,
                          const std::function<Xapian::Query()>& copy, double k1, double b,
                          Xapian::doccount first, Xapian::doccount want,
                          Xapian::doccount check_at_least, std::vector<Xapian::MSet>* msets,
                          std::vector<ShardHit>* hits, Xapian::doccount* total,
                          bool* total_exact);

// Whether RankShardsInParallel can rank `query` (its structure, and DOSSIER_SHARD_RANKING).
bool RankableShardByShard(const Xapian::Query& query);

}  // namespace dossier::searcher

#endif  // DOSSIER_SEARCHER_SHARD_RANK_H_
