// Indexer: writes articles into a Dossier database of one or more shards, in parallel.
//
// Layout: DIR/XAPIANDB is a Xapian stub file listing DIR/shard-0 … DIR/shard-(N-1), so any
// Xapian reader (dossier-search, xapian-delve) opens DIR as one database. An article goes to
// shard hash(key) % N, so re-indexing an id always reaches the shard that holds it. Each shard
// has one writer thread that analyses and writes its articles; the caller's thread reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "schema/status.h"

namespace dossier::indexer {

struct IndexerOptions {
  std::string db_path = "./dossier-db";  // created if missing
  uint32_t batch_size = 2000;  // each shard commits after this many new or changed articles
  // ... or once its share of this much text (article and statement text, divided evenly among
  // the shards) has been added since its last commit. Bounds memory: Xapian holds a batch's
  // postings in memory until the commit, 15-20 bytes of memory per byte of text.
  // 0 (the default): kSmallBatchBytes while the database holds fewer than
  // kLargeBatchFromArticles articles, then kLargeBatchBytes. Small batches cost less CPU
  // (Reuters-21578: 2 MB 15% less than 8 MB; 100,000 generated articles: 2 MB 12-23% less
  // than 6 MB, and faster although writing 2.4x more); once the database outgrows the page
  // cache every commit's rewritten B-tree blocks go to disk, and larger batches win (490,845
  // generated articles: 6 MB wrote 20 GB per 20,000 articles against 44 GB, in 220 s against
  // 240-408 s; BENCHMARKS.md). The threshold lies between those two measured points.
  uint64_t batch_bytes = 0;
  static constexpr uint64_t kSmallBatchBytes = 2 << 20;
  static constexpr uint64_t kLargeBatchBytes = 6 << 20;
  static constexpr uint64_t kLargeBatchFromArticles = 250'000;
  double wait_seconds = 5;  // how long to wait for another writer's lock
  // Shards (and writer threads) when the database is created; 0 = the number of cores.
  // An existing database keeps the shard count it was created with.
  uint32_t jobs = 0;
  uint32_t queue_depth = 256;  // articles waiting per shard; bounds memory
  // Codebooks added to the built-in one (schema/codebooks/world-news.tsv).
  std::vector<std::string> codebook_files;
  bool entities = true;  // extract people, institutions, topics and places
};

struct IndexStats {
  uint64_t added = 0;      // new ids
  uint64_t updated = 0;    // known ids whose content changed
  uint64_t unchanged = 0;  // known ids with the same content hash: not rewritten
  uint64_t skipped = 0;    // records the readers rejected (counted by the caller)
  uint64_t warnings = 0;   // records delivered with a warning (counted by the caller)
  // Duplicate groups of the whole database after Close() (indexer/near_duplicates.h): groups
  // of two or more articles, those of them joining near (not only exact) duplicates, the
  // articles in them, and the articles whose group this run changed.
  uint64_t duplicate_groups = 0, near_duplicate_groups = 0, duplicate_articles = 0, regrouped = 0;
};

class ShardWriter;

class Indexer {
 public:
  // Opens (creating if needed) the database for writing, taking every shard's write lock
  // (waiting up to options.wait_seconds), and starts the writer threads. Fails with Locked,
  // VersionMismatch, InvalidArgument (a path that is a file, or a folder that is not a Dossier
  // database) or IOError; nothing is started then.
  static Status Open(const IndexerOptions& options, std::unique_ptr<Indexer>* out);

  ~Indexer();  // Close()s if the caller did not; errors there are lost

  // Queues one article for its shard; blocks while that shard's queue is full. Returns the
  // first error any shard met (disk full, …); after an error, call Close() and stop.
  Status Add(corpus::Article&& article);

  // Waits for the queues to drain, commits every shard, regroups near duplicates over the whole
  // database (RegroupDuplicates; skipped after an error) and releases the locks. Returns the
  // first error met. Every batch committed before an error stays in the database.
  Status Close();

  // Counts so far (final after Close()). skipped/warnings are the caller's to fill in.
  IndexStats stats() const;
  uint32_t shard_count() const;
  // Digest of the codebook in use (stored in the database).
  std::string codebook_digest() const;

 private:
  struct Impl;
  explicit Indexer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct CompactReport {
  struct Shard {
    std::string path;
    uint64_t bytes_before = 0, bytes_after = 0;
  };
  std::vector<Shard> shards;  // article shards, then statement shards
  uint64_t bytes_before = 0, bytes_after = 0;
};

// Compacts every shard of the database at `db_path` (articles and statements) in place with
// Xapian's compactor, shard by shard, holding each shard's write lock (waiting up to
// `wait_seconds`) so no indexer writes meanwhile. Readers keep working: the compacted copy
// replaces the shard folder by a rename. Shards stay separate (parallel indexing keeps
// working); on failure the shard being compacted is left as it was.
Status CompactDatabase(const std::string& db_path, double wait_seconds, CompactReport* report);

struct UpgradeReport {
  struct Shard {
    std::string path;
    uint64_t documents = 0;   // documents read
    uint64_t given_ids = 0;   // documents that had no facet ids and got them
    bool name_words_rebuilt = false;
  };
  std::vector<Shard> shards;  // article shards, then statement shards
  uint64_t documents = 0, given_ids = 0;
};

// Brings a database written by an older dossier-index up to this one's index features without
// re-reading its articles: every document without facet ids (schema/facet_ids.h; counted from
// its slots until then) gets them, and a stale entity-name word index is rebuilt. Shard by
// shard, holding each shard's write lock (waiting up to `wait_seconds`); commits every `batch`
// documents, so an interrupted upgrade keeps what it did and a re-run carries on from there.
// Only values change: no text is re-analysed, search results stay the same.
// `progress` (may be empty) is called after each batch with the shard so far and its size.
using UpgradeProgress = std::function<void(const UpgradeReport::Shard&, uint64_t shard_docs)>;
Status UpgradeDatabase(const std::string& db_path, double wait_seconds, uint32_t batch,
                       const UpgradeProgress& progress, UpgradeReport* report);

// The shard folders of the database at `db_path` (reading its stub file); a plain Xapian
// database folder is its own single shard. NotFound if there is no database there.
Status ListShards(const std::string& db_path, std::vector<std::string>* shards);

}  // namespace dossier::indexer
