#include "searcher/shard_rank.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "searcher/shard_threads.h"

namespace dossier::searcher {

// The formula of Xapian 1.4's BM25Weight with k2 = 0 and k3 = 1 (the parameters Searcher
// uses), operation for operation, so that the weights come out bit for bit the same (the
// tests compare them with ==; shard_rank.cc is compiled without contracting a * b + c).
ShardBM25Weight::ShardBM25Weight(std::shared_ptr<const Stats> stats) : stats_(std::move(stats)) {
  need_stat(TERMFREQ);
  need_stat(COLLECTION_FREQ);
  need_stat(WDF);
  need_stat(WDF_MAX);
  need_stat(DOC_LENGTH);
  need_stat(DOC_LENGTH_MIN);
  need_stat(WQF);
}

ShardBM25Weight* ShardBM25Weight::clone() const { return new ShardBM25Weight(stats_); }

void ShardBM25Weight::init(double factor) {
  const Stats& s = *stats_;
  if (s.b == 0 || s.k1 == 0) {
    len_factor_ = 0;  // the document's length plays no part
  } else {
    len_factor_ = s.average_length;
    if (len_factor_ != 0) len_factor_ = 1 / len_factor_;
  }
  termweight_ = 0;
  // The term-independent part (factor 0: a boolean branch) and terms this shard does not hold
  // (no document here gets their weight) need no statistics.
  if (factor == 0 || get_termfreq() == 0) return;
  auto it = s.termfreqs.find({get_termfreq(), get_collection_freq()});
  if (it == s.termfreqs.end()) {
    s.missed = true;
    return;
  }
  const Xapian::doccount tf = it->second;
  double tw = (s.collection_size - tf + 0.5) / (tf + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;  // Xapian's floor for terms in more than a third of documents
  termweight_ = std::log(tw) * factor;
  const double k3 = 1, wqf = get_wqf();
  termweight_ *= (k3 + 1) * wqf / (k3 + wqf);
  termweight_ *= (s.k1 + 1);
}

double ShardBM25Weight::get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                                    Xapian::termcount) const {
  const Stats& s = *stats_;
  const double normlen = std::max(doclen * len_factor_, s.min_normlen);
  const double wdf_double = wdf;
  const double denom = s.k1 * (normlen * s.b + (1 - s.b)) + wdf_double;
  return termweight_ * (wdf_double / denom);
}

double ShardBM25Weight::get_maxpart() const {
  const Stats& s = *stats_;
  double denom = s.k1;
  if (s.k1 != 0 && s.b != 0) {
    const double normlen_lb =
        std::max(std::max(get_wdf_upper_bound(), get_doclength_lower_bound()) * len_factor_,
                 s.min_normlen);
    denom *= (normlen_lb * s.b + (1 - s.b));
  }
  const double wdf_max = get_wdf_upper_bound();
  denom += wdf_max;
  return termweight_ * (wdf_max / denom);
}

double ShardBM25Weight::get_sumextra(Xapian::termcount, Xapian::termcount) const { return 0; }

double ShardBM25Weight::get_maxextra() const { return 0; }

namespace {

// Collects the terms `q` weighs; false if it holds a weighted part whose weight is not the sum
// of its terms' BM25 weights.
bool WeightedTerms(const Xapian::Query& q, bool weighted, std::set<std::string>* terms) {
  const size_t n = q.get_num_subqueries();
  auto subs = [&](size_t from, bool w) {
    for (size_t i = from; i < n; ++i) {
      if (!WeightedTerms(q.get_subquery(i), w, terms)) return false;
    }
    return true;
  };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      if (weighted) terms->insert(*q.get_terms_begin());
      return true;
    case Xapian::Query::LEAF_POSTING_SOURCE:  // weighs itself, per shard either way
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
      return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      return subs(0, weighted);
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
      return n == 0 || (WeightedTerms(q.get_subquery(0), weighted, terms) && subs(1, false));
    case Xapian::Query::OP_SCALE_WEIGHT:
      // Xapian 1.4 has no accessor for the factor; its description is "Query(0 * ...)".
      return subs(0, weighted && q.get_description().rfind("Query(0 * ", 0) != 0);
    default:
      // Match-all (weighed by document length), synonyms and wildcards (weighed with their
      // terms' statistics combined), edit distance, OP_MAX, OP_ELITE_SET: fine where nothing
      // is weighed.
      return !weighted && subs(0, false);
  }
}

bool ShardRankingOn() {
  const char* v = std::getenv("DOSSIER_SHARD_RANKING");
  return v == nullptr || std::string(v) != "0";
}

}  // namespace

bool RankableShardByShard(const Xapian::Query& query) {
  std::set<std::string> terms;
  return ShardRankingOn() && WeightedTerms(query, true, &terms);
}

bool RankShardsInParallel(const Xapian::Database& db, const Xapian::Query& query,
                          const std::function<Xapian::Query()>& copy, double k1, double b,
                          Xapian::doccount first, Xapian::doccount want,
                          Xapian::doccount check_at_least, std::vector<Xapian::MSet>* msets,
                          std::vector<ShardHit>* hits, Xapian::doccount* total,
                          bool* total_exact) {
  const size_t n = db.size();
  if (n < 2 || !ShardRankingOn()) return false;
  std::set<std::string> terms;
  if (!WeightedTerms(query, true, &terms)) return false;
  // Database::internal and Database(Internal*): see FacetCounter::CountShards.
  std::vector<Xapian::Database> shards;
  for (size_t s = 0; s < n; ++s) shards.emplace_back(db.internal[s].get());
  const Xapian::doccount size = db.get_doccount();
  std::vector<std::shared_ptr<ShardBM25Weight::Stats>> stats(n);
  for (size_t s = 0; s < n; ++s) {
    auto st = std::make_shared<ShardBM25Weight::Stats>();
    st->k1 = k1;
    st->b = b;
    st->min_normlen = 0.5;
    st->collection_size = size;
    // As Xapian's statistics over several shards: their lengths summed, over their documents.
    st->average_length = size == 0 ? 0 : static_cast<double>(db.get_total_length()) / size;
    stats[s] = std::move(st);
  }
  for (const std::string& term : terms) {
    const Xapian::doccount whole = db.get_termfreq(term);
    for (size_t s = 0; s < n; ++s) {
      const Xapian::doccount tf = shards[s].get_termfreq(term);
      if (tf == 0) continue;
      auto [it, added] =
          stats[s]->termfreqs.emplace(std::make_pair(tf, shards[s].get_collection_freq(term)), whole);
      if (!added && it->second != whole) return false;  // two terms look alike in this shard
    }
  }
  std::vector<Xapian::Query> copies;
  try {
    for (size_t s = 0; s < n; ++s) {
      copies.push_back(copy ? copy() : Xapian::Query::unserialise(query.serialise()));
    }
  } catch (const Xapian::Error&) {
    return false;  // e.g. a posting source that cannot be serialised
  }
  std::vector<Xapian::MSet> out(n);
  const uint64_t depth = uint64_t{first} + want;
  auto match = [&](size_t s) {
    Xapian::Enquire enquire(shards[s]);
    enquire.set_query(copies[s]);
    enquire.set_weighting_scheme(ShardBM25Weight(stats[s]));
    const Xapian::doccount here = shards[s].get_doccount();
    out[s] = enquire.get_mset(0, static_cast<Xapian::doccount>(std::min<uint64_t>(depth, here)),
                              std::min(check_at_least, here));
  };
  // One thread per core at most, each taking whole shards (shard_threads.h).
  ForEachShard(n, ShardThreads(n), [&](size_t, size_t s) { match(s); });
  for (const auto& st : stats) {
    if (st->missed) return false;
  }
  // Merged as Xapian orders one match: by weight, then by docid in the whole database (docid
  // d of shard s of n is (d - 1) * n + s + 1 there).
  std::vector<ShardHit> all;
  Xapian::doccount sum = 0;
  bool exact = true;
  for (size_t s = 0; s < n; ++s) {
    const Xapian::MSet& m = out[s];
    sum += m.get_matches_estimated();
    exact = exact && m.get_matches_lower_bound() == m.get_matches_upper_bound();
    for (auto it = m.begin(); it != m.end(); ++it) {
      all.push_back({s, it, static_cast<Xapian::docid>((*it - 1) * n + s + 1)});
    }
  }
  std::sort(all.begin(), all.end(), [](const ShardHit& a, const ShardHit& b) {
    const double wa = a.it.get_weight(), wb = b.it.get_weight();
    return wa != wb ? wa > wb : a.docid < b.docid;
  });
  hits->clear();
  for (size_t i = first; i < all.size() && i < depth; ++i) hits->push_back(all[i]);
  *msets = std::move(out);
  *total = sum;
  *total_exact = exact;
  return true;
}

}  // namespace dossier::searcher
