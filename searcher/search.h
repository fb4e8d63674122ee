// Searcher: parses Dossier queries and runs them against a database, read-only.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "schema/schema.h"
#include "schema/status.h"
#include "searcher/facets.h"
#include "searcher/research.h"

namespace dossier::searcher {

enum class SortOrder { kRelevance, kDate, kDateDescending };

struct SearchOptions {
  std::string query;                   // the query text; "" or "*" matches every article
  uint64_t offset = 0;                 // skip this many hits
  std::optional<uint64_t> limit = 10;  // nullopt: all hits
  SortOrder sort = SortOrder::kRelevance;
  std::optional<int64_t> from, to;  // inclusive date bounds, seconds since the epoch (UTC)
  size_t snippet_bytes = 240;       // aim for snippets about this long
  bool snippets = true;
  // Search statements (who said what) instead of articles. `by` and `about` narrow them:
  // `by` is any alias of a speaker; `about` a codebook topic or alias, else free words.
  bool statements = false;
  std::string by, about;
  std::vector<FacetKind> facets;  // facets to count exactly over all matches
  size_t facet_size = 10;         // values shown per facet
  // Research (searcher/research.h):
  std::optional<Period> histogram;        // count all matches per period (HistogramSpy)
  std::optional<FacetKind> histogram_by;  // split the histogram: one series per top facet value
                                          // (facet_size of them)
  bool dedup = false;         // collapse duplicate groups (kSlotGroup: exact and near duplicate
                              // articles, or the same statement) to their best hit; total then
                              // counts groups, Hit::copies the copies of each
  bool count_groups = false;  // facet and histogram counts count duplicate groups, not copies
  bool match_any = false;     // words are ORed (ranked by BM25) instead of ANDed
  // BM25 k1 and b. Robertson's classic values; better than Xapian's own (1, 0.5) on both TIME
  // and CISI (tuned on TIME, confirmed on CISI: scripts/eval-ranking, README).
  std::pair<double, double> bm25 = {1.2, 0.75};
  std::string filter_query;  // a query every match must also satisfy, unranked ("" none)
};

struct Hit {
  uint64_t rank = 0;  // 1-based, counting from the first hit of the whole result
  Xapian::docid docid = 0;
  double score = 0;                   // BM25 weight (0 when sorting by date only)
  schema::StoredArticle article;      // article searches
  schema::StoredStatement statement;  // statement searches
  std::string display_title;          // the title, or the body's first sentence when there is none
  // The snippet, with highlighted matches between kHighlightStart and kHighlightEnd.
  std::string snippet;
  uint64_t copies = 1;  // with SearchOptions::dedup: matching articles in its duplicate group
};

// Markers around highlighted words in Hit::snippet; output formats replace them.
inline constexpr char kHighlightStart = '\x01';
inline constexpr char kHighlightEnd = '\x02';

struct SearchResult {
  bool statements = false;         // hits are statements (Hit::statement), not articles
  std::string query;               // as given
  std::string parsed;              // Xapian's description of the parsed query (for --explain)
  std::vector<std::string> notes;  // what entity filters matched (for --explain)
  uint64_t total = 0;              // number of matching articles
  bool total_exact = true;
  std::vector<Hit> hits;
  std::vector<FacetResult> facets;     // in the order asked for
  std::optional<Histogram> histogram;  // with SearchOptions::histogram
  bool dedup = false;                  // duplicates were collapsed: total counts duplicate groups
  bool count_groups = false;           // facet and histogram counts are duplicate groups
};

// The longest query text accepted (bytes): far above any query a person writes (a query of
// a thousand OR'ed words fits), low enough that parsing and matching stay fast.
inline constexpr size_t kMaxQueryBytes = 16 * 1024;

// Checks a query for the mistakes Xapian's parser would silently work around: unbalanced
// quotes or parentheses and unknown field names, and its length (kMaxQueryBytes). Returns
// InvalidArgument with a message that points at the problem (column numbers count from 1),
// OK otherwise.
Status CheckQuerySyntax(const std::string& query);

class Searcher {
 public:
  // Opens the database read-only and checks its schema version (see schema::OpenForReading).
  static Status Open(const std::string& db_path, std::unique_ptr<Searcher>* out);

  // Parses options.query into a Xapian query with the date bounds applied. InvalidArgument
  // on a bad query.
  Status ParseQuery(const SearchOptions& options, Xapian::Query* out);

  // Runs a search. Retries transparently when the database changed under us (an indexer
  // committing): the result always comes from one consistent revision.
  Status Search(const SearchOptions& options, SearchResult* result);

  // Receives each hit, in order, instead of SearchResult::hits; `result`'s other fields (total,
  // facets, histogram) are already set when the first hit comes.
  using HitSink = std::function<void(const SearchResult& result, Hit&& hit)>;
  // Like Search, but streams the hits to `sink` (when not empty): memory does not grow with
  // the articles written, only with Xapian's list of matching docids and weights. If the
  // database changes after some hits were passed on, returns IOError instead of starting over.
  Status Search(const SearchOptions& options, SearchResult* result, const HitSink& sink);

  const Xapian::Database& database() const { return db_; }
  // Bytes each database (articles, statements) may hold of facet values between searches
  // (FacetCache; default kDefaultFacetCacheBytes); 0 keeps nothing. Repeated searches over
  // the same documents then count their facets without reading the documents again. The
  // cache is filled from the second faceted search of a searcher on (a one-shot search would
  // only pay for it).
  void set_facet_cache_bytes(size_t bytes);
  // Bytes the facet caches hold now (FacetCache::bytes of both databases).
  size_t facet_cache_bytes() const;
  static constexpr size_t kDefaultFacetCacheBytes = size_t{256} << 20;
  // The codebook the database was indexed with (empty for an older database).
  const schema::Codebook& codebook() const { return codebook_; }
  std::string codebook_digest() const;

 private:
  explicit Searcher(Xapian::Database db, std::string path);
  Status ParseQueryWithNotes(const SearchOptions& options, Xapian::Query* out,
                             schema::QueryNotes* notes);
  // The database a search runs on: the articles, or the statements (opened on first use).
  Status Target(bool statements, Xapian::Database** db);
  Status ReopenAll();
  // A second handle on the articles' (or statements') shards, at the revisions `db` reads,
  // for counting facets while `db` runs the ranking match (Xapian handles are not shared
  // between threads); nullptr when there is none (then count on `db` after the ranking match).
  // DOSSIER_PARALLEL_COUNT=0: never.
  const Xapian::Database* CountingDatabase(bool statements, const Xapian::Database& db);
  // Whether the stub of the articles (or statements) database lists remote shards.
  bool HasRemoteShards(bool statements) const;
  bool ReadHasRemoteShards(bool statements) const;
  Status SearchOnce(const SearchOptions& options, SearchResult* result, const HitSink* sink,
                    uint64_t* streamed);

  Xapian::Database db_;
  std::string path_;
  schema::Codebook codebook_;
  std::unique_ptr<Xapian::Database> stmt_db_;
  std::unique_ptr<Xapian::Database> count_dbs_[2];  // CountingDatabase's, per database
  // Per database (0 articles, 1 statements), made on first use: whether the stub lists remote
  // shards, and the query parser with the notes its entity processors write.
  mutable std::optional<bool> has_remote_[2];
  std::unique_ptr<Xapian::QueryParser> parsers_[2];
  schema::QueryNotes parser_notes_[2];
  // Per database, as parsers_: facet values of the documents counted so far, at the revision
  // open (cleared by ReopenAll).
  FacetCache facet_caches_[2] = {FacetCache(kDefaultFacetCacheBytes),
                                 FacetCache(kDefaultFacetCacheBytes)};
  uint64_t faceted_searches_[2] = {0, 0};  // the caches are used from the second on
};

// The first sentence of `body` (up to about `max_bytes`), for articles without a title.
std::string FirstSentence(const std::string& body, size_t max_bytes = 160);

}  // namespace dossier::searcher
