// Indexer: shard layout, lock waiting, per-shard writer threads, replace-by-id, batches.
#include "indexer/indexer.h"

#include <fmt/format.h>
#include <malloc.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "corpus/identity.h"
#include "indexer/document_builder.h"
#include "indexer/near_duplicates.h"
#include "indexer/statements.h"
#include "schema/facet_ids.h"
#include "schema/name_words.h"
#include "schema/schema.h"

namespace dossier::indexer {

namespace fs = std::filesystem;

namespace {

constexpr char kStubName[] = "XAPIANDB";

bool IsXapianDatabaseDir(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p / "iamglass", ec) || fs::exists(p / "iamchert", ec);
}

// Which shard an article key belongs to: stable across runs and machines.
uint32_t ShardOf(const std::string& key, uint32_t shards) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  return static_cast<uint32_t>(h % shards);
}

// Writes the stub file listing `count` local shards, atomically (temp file + rename).
Status WriteStub(const fs::path& dir, uint32_t count) {
  fs::path tmp = dir / (std::string(kStubName) + ".tmp");
  {
    std::ofstream out(tmp);
    for (uint32_t i = 0; i < count; ++i) out << "auto shard-" << i << "\n";
    out.flush();
    if (!out) return Status::IOError(fmt::format("cannot write '{}'", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, dir / kStubName, ec);
  if (ec)
    return Status::IOError(
        fmt::format("cannot write '{}': {}", (dir / kStubName).string(), ec.message()));
  return Status::OK();
}

}  // namespace

Status ListShards(const std::string& db_path, std::vector<std::string>* shards) {
  shards->clear();
  fs::path dir(db_path);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::NotFound(fmt::format("no database at '{}'", db_path));
  if (!fs::is_directory(dir, ec)) {
    return Status::InvalidArgument(fmt::format("'{}' is a file, not a database folder", db_path));
  }
  if (IsXapianDatabaseDir(dir)) {
    shards->push_back(dir.string());
    return Status::OK();
  }
  std::ifstream in(dir / kStubName);
  if (!in) return Status::NotFound(fmt::format("'{}' holds no Dossier database", db_path));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream words(line);
    std::string type, where;
    words >> type >> where;
    if (type.empty() || type[0] == '#') continue;
    if (type == "remote") {
      return Status::InvalidArgument(
          fmt::format("{}/{}:{}: remote shards are read-only; index on the machine that holds them",
                      db_path, kStubName, n));
    }
    if (where.empty()) {
      return Status::Corruption(
          fmt::format("{}/{}:{}: cannot read '{}'", db_path, kStubName, n, line));
    }
    fs::path p(where);
    shards->push_back((p.is_absolute() ? p : dir / p).string());
  }
  if (shards->empty())
    return Status::Corruption(fmt::format("{}/{} lists no shard", db_path, kStubName));
  return Status::OK();
}

// Opens or creates one Xapian database for writing, waiting for its lock until `deadline`,
// and checks or sets its schema version.
Status OpenWritable(const std::string& path, std::chrono::steady_clock::time_point deadline,
                    double wait_seconds, Xapian::WritableDatabase* out) {
  // A new shard is created under a temporary name and renamed into place, so that a kill
  // during its creation never leaves a half-made database where the next run looks.
  std::error_code fs_ec;
  if (!fs::exists(path, fs_ec)) {
    const std::string tmp = path + ".creating";
    fs::remove_all(tmp, fs_ec);
    try {
      Xapian::WritableDatabase fresh(tmp, Xapian::DB_CREATE);
      fresh.set_metadata(std::string(schema::kSchemaVersionKey),
                         std::to_string(schema::kSchemaVersion));
      fresh.commit();
      fresh.close();
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("creating '{}'", path));
    }
    fs::rename(tmp, path, fs_ec);
    if (fs_ec) return Status::IOError(fmt::format("cannot create '{}': {}", path, fs_ec.message()));
  }
  Xapian::WritableDatabase db;
  for (;;) {
    try {
      db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
      break;
    } catch (const Xapian::DatabaseLockError&) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Locked(fmt::format(
            "database '{}' is being written by another dossier-index (waited {} s; see --wait)",
            path, wait_seconds));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("opening '{}' for writing", path));
    }
  }
  try {
    const std::string key(schema::kSchemaVersionKey);
    const std::string ours = std::to_string(schema::kSchemaVersion);
    std::string version = db.get_metadata(key);
    if (version.empty()) {
      if (db.get_doccount() > 0) {
        return Status::InvalidArgument(fmt::format(
            "'{}' is a Xapian database but not a Dossier one: refusing to write", path));
      }
      db.set_metadata(key, ours);
      db.commit();
    } else if (version != ours) {
      return Status::VersionMismatch(fmt::format(
          "'{}' has schema version {}, this dossier-index writes version {}: use a new --db", path,
          version, ours));
    }
  } catch (...) {
    return StatusFromCurrentXapianError(fmt::format("preparing '{}'", path));
  }
  *out = std::move(db);
  return Status::OK();
}

// One shard: its articles database and its statements database, written by one thread.
class ShardWriter {
 public:
  ShardWriter(std::string path, Xapian::WritableDatabase db, std::string stmt_path,
              Xapian::WritableDatabase stmt_db, uint32_t batch_size, uint64_t batch_bytes)
      : path_(std::move(path)),
        db_(std::move(db)),
        stmt_path_(std::move(stmt_path)),
        stmt_db_(std::move(stmt_db)),
        batch_size_(batch_size),
        batch_bytes_(batch_bytes) {
    tg_.set_stemmer(schema::Stemmer());
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    stmt_tg_.set_stemmer(schema::Stemmer());
    stmt_tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  }

  static Status Open(const std::string& path, const std::string& stmt_path,
                     std::chrono::steady_clock::time_point deadline, double wait_seconds,
                     uint32_t batch_size, uint64_t batch_bytes, std::unique_ptr<ShardWriter>* out) {
    Xapian::WritableDatabase db, stmt_db;
    if (Status s = OpenWritable(path, deadline, wait_seconds, &db); !s.ok()) return s;
    if (Status s = OpenWritable(stmt_path, deadline, wait_seconds, &stmt_db); !s.ok()) return s;
    out->reset(new ShardWriter(path, std::move(db), stmt_path, std::move(stmt_db), batch_size,
                               batch_bytes));
    try {
      (*out)->names_.Open((*out)->db_);
      (*out)->stmt_names_.Open((*out)->stmt_db_);
      (*out)->facet_ids_.Open((*out)->db_);
      (*out)->stmt_facet_ids_.Open((*out)->stmt_db_);
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("preparing '{}'", path));
    }
    return Status::OK();
  }

  // `extractor` may be null (no entity extraction). It is shared between threads.
  void set_extractor(const EntityExtractor* extractor, const schema::Codebook* codebook) {
    extractor_ = extractor;
    codebook_ = codebook;
  }

  // Stores the codebook in use in the shard's metadata (committed with the next batch).
  Status SetCodebook(const schema::Codebook& codebook) {
    try {
      std::string digest = codebook.Digest();
      if (db_.get_metadata(std::string(schema::kCodebookDigestKey)) != digest) {
        db_.set_metadata(std::string(schema::kCodebookKey), codebook.Serialise());
        db_.set_metadata(std::string(schema::kCodebookDigestKey), digest);
      }
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("writing the codebook to '{}'", path_));
    }
    return Status::OK();
  }

  Status Add(const corpus::Article& article) {
    ArticleIdentity ident{corpus::ArticleKey(article), corpus::ContentHash(article)};
    const std::string id_term = IdTerm(ident.key);
    try {
      Xapian::PostingIterator p = db_.postlist_begin(id_term);
      if (p != db_.postlist_end(id_term)) {
        if (db_.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotContentHash) ==
            ident.content_hash) {
          ++stats_.unchanged;
          return Status::OK();
        }
        Xapian::Document doc = Build(article, ident);
        names_.Note(db_, doc);
        facet_ids_.Add(doc);
        db_.replace_document(id_term, doc);
        ++pending_stats_.updated;
      } else {
        Xapian::Document doc = Build(article, ident);
        names_.Note(db_, doc);
        facet_ids_.Add(doc);
        db_.add_document(doc);
        ++pending_stats_.added;
      }
      WriteStatements(article, ident);
    } catch (...) {
      return StatusFromCurrentXapianError(
          fmt::format("{}: writing to '{}'", article.origin, path_));
    }
    pending_bytes_ += article.title.size() + article.body.size() + statement_bytes_;
    if (++pending_ >= batch_size_ || pending_bytes_ >= batch_bytes_) return Commit();
    return Status::OK();
  }

  // Automatic batches (--batch-mb auto): `shards` writers share the budget, which grows once
  // the database is large (IndexerOptions::batch_bytes). Checked at open and after commits.
  void set_auto_batch(uint32_t shards) {
    auto_batch_shards_ = shards;
    AdjustBatch();
  }

  Status Commit() {
    try {
      // Statements first: after a crash between the two commits the article is not there,
      // so the re-run adds it again and rewrites its statements (never the other way round).
      // With nothing added since the last commit, nothing is written: no new revision for
      // searchers to retry on (a metadata change alone, e.g. a new codebook, then leaves the
      // name-word index stale, and the next run rebuilds it).
      if (pending_ > 0) {
        stmt_names_.BeforeCommit(stmt_db_);
        stmt_facet_ids_.BeforeCommit(stmt_db_);
      }
      stmt_db_.commit();
      if (pending_ > 0) {
        names_.BeforeCommit(db_);
        facet_ids_.BeforeCommit(db_);
      }
      db_.commit();
      // Only what a commit made durable counts as added or updated.
      stats_.added += pending_stats_.added;
      stats_.updated += pending_stats_.updated;
      pending_stats_ = IndexStats();
      pending_ = 0;
      pending_bytes_ = 0;
      AdjustBatch();
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("committing to '{}'", path_));
    }
    return Status::OK();
  }

  Status Close() {
    Status s = Commit();
    try {
      stmt_db_.close();
      db_.close();
    } catch (...) {
      if (s.ok()) s = StatusFromCurrentXapianError(fmt::format("closing '{}'", path_));
    }
    return s;
  }

  // Statements databases index their text with STEM_ALL_Z (half the terms of STEM_SOME, about
  // a seventh of the indexing time on quotation-rich articles) and say so in their metadata.
  // Statements written before that key existed were STEM_SOME: the indexer keeps STEM_SOME for
  // every shard of such a database (see Indexer::Open), so that one database never mixes them.
  // `legacy`: this shard has statements without the key.
  Status LegacyStatementStemming(bool* legacy) {
    try {
      *legacy = stmt_db_.get_metadata(std::string(schema::kStatementsStemmingKey)).empty() &&
                stmt_db_.get_doccount() > 0;
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("preparing '{}'", stmt_path_));
    }
    return Status::OK();
  }
  // Switches this shard's statements to STEM_ALL_Z, recording it (committed with the next batch).
  Status UseStatementStemAllZ() {
    try {
      const std::string key(schema::kStatementsStemmingKey);
      if (stmt_db_.get_metadata(key) != schema::kStatementsStemAllZ)
        stmt_db_.set_metadata(key, std::string(schema::kStatementsStemAllZ));
      stmt_tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("preparing '{}'", stmt_path_));
    }
    return Status::OK();
  }

  const IndexStats& stats() const { return stats_; }
  const std::string& path() const { return path_; }
  Xapian::WritableDatabase* db() { return &db_; }

 private:
  // Analyses the article (entities_ keeps the result for WriteStatements) and builds it.
  Xapian::Document Build(const corpus::Article& article, const ArticleIdentity& ident) {
    if (!extractor_) return BuildDocument(article, ident, nullptr, tg_);
    entities_ = extractor_->Extract(article.title, article.body);
    return BuildDocument(article, ident, &entities_, tg_);
  }

  // Replaces the article's statements with those found now.
  void WriteStatements(const corpus::Article& article, const ArticleIdentity& ident) {
    stmt_db_.delete_document(IdTerm(ident.key));
    if (!extractor_) return;
    std::vector<Statement> statements =
        ExtractStatements(article.title, article.body, entities_, *codebook_);
    statement_bytes_ = 0;
    for (const Statement& st : statements) statement_bytes_ += st.text.size();
    for (size_t i = 0; i < statements.size(); ++i) {
      Xapian::Document doc = BuildStatementDocument(article, ident, statements[i], stmt_tg_);
      stmt_names_.Note(stmt_db_, doc);
      stmt_facet_ids_.Add(doc);
      stmt_db_.add_document(doc);
    }
  }

  void AdjustBatch() {
    if (auto_batch_shards_ == 0) return;
    const bool large = uint64_t{db_.get_doccount()} * auto_batch_shards_ >=
                       IndexerOptions::kLargeBatchFromArticles;
    batch_bytes_ = (large ? IndexerOptions::kLargeBatchBytes : IndexerOptions::kSmallBatchBytes) /
                   auto_batch_shards_;
  }

  const EntityExtractor* extractor_ = nullptr;
  const schema::Codebook* codebook_ = nullptr;
  uint32_t auto_batch_shards_ = 0;  // 0: a fixed batch_bytes_
  ArticleEntities entities_;
  std::string path_;
  Xapian::WritableDatabase db_;
  std::string stmt_path_;
  Xapian::WritableDatabase stmt_db_;
  Xapian::TermGenerator tg_;
  Xapian::TermGenerator stmt_tg_;  // statements: see UseStatementStemAllZ
  schema::NameWordsWriter names_, stmt_names_;  // the shards' entity-name word indexes
  schema::FacetIdsWriter facet_ids_, stmt_facet_ids_;  // the shards' facet name numbering
  // (statement members are declared with the statement helpers above)
  uint32_t batch_size_;
  uint64_t batch_bytes_;
  uint32_t pending_ = 0;
  uint64_t pending_bytes_ = 0;
  IndexStats pending_stats_;      // added/updated since the last commit
  uint64_t statement_bytes_ = 0;  // text of the last article's statements
  IndexStats stats_;
};

// A bounded queue of articles for one shard.
class ArticleQueue {
 public:
  explicit ArticleQueue(size_t depth) : depth_(depth) {}
  // Blocks while full. Returns false if the queue was closed.
  bool Push(corpus::Article&& a) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < depth_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(a));
    not_empty_.notify_one();
    return true;
  }
  // Blocks while empty. Returns false when closed and drained.
  bool Pop(corpus::Article* out) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    *out = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<corpus::Article> items_;
  size_t depth_;
  bool closed_ = false;
};

struct Indexer::Impl {
  IndexerOptions options;
  schema::Codebook codebook;
  std::unique_ptr<EntityExtractor> extractor;
  std::vector<std::unique_ptr<ShardWriter>> writers;
  std::vector<std::unique_ptr<ArticleQueue>> queues;
  std::vector<std::thread> threads;
  std::mutex error_mu;
  Status first_error;
  std::atomic<bool> failed{false};
  bool closed = false;
  RegroupStats regroup;  // of the near-duplicate grouping at Close()

  void SetError(const Status& s) {
    std::lock_guard lock(error_mu);
    if (first_error.ok()) first_error = s;
    failed = true;
  }
  Status Error() {
    std::lock_guard lock(error_mu);
    return first_error;
  }

  void Work(size_t shard) {
    corpus::Article a;
    while (queues[shard]->Pop(&a)) {
      if (failed) continue;  // drain without writing after an error elsewhere
      Status s = writers[shard]->Add(a);
      if (!s.ok()) SetError(s);
    }
  }
};

Indexer::Indexer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Indexer::~Indexer() { Close(); }

// Whether `dir` is what a run killed while creating a new database leaves: shard folders
// (and a statements folder) but no stub yet, every shard empty. Such a folder is cleared and
// created again.
bool LeftoverOfInterruptedCreation(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / kStubName, ec) || IsXapianDatabaseDir(dir)) return false;
  auto only_empty_shards = [&](const fs::path& d, bool allow_statements) {
    for (const auto& e : fs::directory_iterator(d, ec)) {
      const std::string name = e.path().filename().string();
      if (allow_statements && name == std::string(schema::kStatementsDir) && e.is_directory(ec))
        continue;
      if (name == std::string(kStubName) + ".tmp") continue;
      if (name.rfind("shard-", 0) != 0 || !e.is_directory(ec)) return false;
      if (name.size() > 9 && name.substr(name.size() - 9) == ".creating") continue;
      try {
        if (Xapian::Database(e.path().string()).get_doccount() > 0) return false;
      } catch (const Xapian::Error&) {
        // a shard from before atomic creation, half made: nothing in it was ever committed
      }
    }
    return !ec;
  };
  if (!only_empty_shards(dir, true)) return false;
  const fs::path stmt = dir / schema::kStatementsDir;
  return !fs::exists(stmt, ec) || !fs::exists(stmt / kStubName, ec)
             ? (fs::exists(stmt, ec) ? only_empty_shards(stmt, false) : true)
             : false;
}

Status Indexer::Open(const IndexerOptions& options, std::unique_ptr<Indexer>* out) {
  fs::path dir(options.db_path);
  std::error_code ec;
  if (fs::is_directory(dir, ec) && !fs::is_empty(dir, ec) && LeftoverOfInterruptedCreation(dir)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) fs::remove_all(e.path(), ec);
  }
  std::vector<std::string> shard_paths;
  bool create_stub = false;
  uint32_t count = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (!fs::exists(dir, ec) || (fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    fs::create_directories(dir, ec);
    if (ec)
      return Status::IOError(fmt::format("cannot create '{}': {}", dir.string(), ec.message()));
    for (uint32_t i = 0; i < count; ++i)
      shard_paths.push_back((dir / fmt::format("shard-{}", i)).string());
    create_stub = true;
  } else {
    Status s = ListShards(options.db_path, &shard_paths);
    if (s.code() == Status::Code::kNotFound) {
      return Status::InvalidArgument(
          fmt::format("'{}' is a folder with other files in it, not a Dossier database: refusing "
                      "to write there",
                      options.db_path));
    }
    if (!s.ok()) return s;
  }

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->codebook.Merge(schema::Codebook::Default());
  for (const std::string& file : options.codebook_files) {
    if (Status s = impl->codebook.LoadFile(file); !s.ok()) return s;
  }
  if (options.entities) impl->extractor = std::make_unique<EntityExtractor>(impl->codebook);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(options.wait_seconds * 1000));
  const fs::path stmt_dir = schema::StatementsPath(options.db_path);
  fs::create_directories(stmt_dir, ec);
  if (ec)
    return Status::IOError(fmt::format("cannot create '{}': {}", stmt_dir.string(), ec.message()));

  for (size_t i = 0; i < shard_paths.size(); ++i) {
    const std::string& p = shard_paths[i];
    const std::string stmt_path = (stmt_dir / fmt::format("shard-{}", i)).string();
    std::unique_ptr<ShardWriter> w;
    const uint64_t shard_batch_bytes =
        std::max<uint64_t>(options.batch_bytes / shard_paths.size(), 256 << 10);  // unless auto
    Status s = ShardWriter::Open(p, stmt_path, deadline, options.wait_seconds, options.batch_size,
                                 shard_batch_bytes, &w);
    if (!s.ok()) return s;  // writers opened so far close (and unlock) on destruction
    if (Status c = w->SetCodebook(impl->codebook); !c.ok()) return c;
    if (options.batch_bytes == 0) {
      try {
        w->set_auto_batch(static_cast<uint32_t>(shard_paths.size()));
      } catch (...) {
        return StatusFromCurrentXapianError(fmt::format("opening '{}'", p));
      }
    }
    w->set_extractor(impl->extractor.get(), &impl->codebook);
    impl->writers.push_back(std::move(w));
  }
  // STEM_ALL_Z statements unless some shard already holds STEM_SOME ones (written before).
  bool legacy_stemming = false;
  for (auto& w : impl->writers) {
    bool legacy = false;
    if (Status s = w->LegacyStatementStemming(&legacy); !s.ok()) return s;
    legacy_stemming = legacy_stemming || legacy;
  }
  if (!legacy_stemming) {
    for (auto& w : impl->writers)
      if (Status s = w->UseStatementStemAllZ(); !s.ok()) return s;
  }
  // The stubs are written once every shard exists, so that a searcher never meets a stub
  // listing missing shards; a kill before that leaves empty shards that the next run clears
  // (see LeftoverOfInterruptedCreation).
  if (create_stub) {
    if (Status s = WriteStub(dir, count); !s.ok()) return s;
  }
  if (!fs::exists(stmt_dir / kStubName, ec)) {
    if (Status s = WriteStub(stmt_dir, static_cast<uint32_t>(shard_paths.size())); !s.ok())
      return s;
  }
  for (size_t i = 0; i < impl->writers.size(); ++i) {
    impl->queues.push_back(std::make_unique<ArticleQueue>(std::max(1u, options.queue_depth)));
  }
  Impl* raw = impl.get();
  for (size_t i = 0; i < impl->writers.size(); ++i) {
    impl->threads.emplace_back([raw, i] { raw->Work(i); });
  }
  out->reset(new Indexer(std::move(impl)));
  return Status::OK();
}

Status Indexer::Add(corpus::Article&& article) {
  if (impl_->failed) return impl_->Error();
  uint32_t shard =
      ShardOf(corpus::ArticleKey(article), static_cast<uint32_t>(impl_->queues.size()));
  impl_->queues[shard]->Push(std::move(article));
  return Status::OK();
}

Status Indexer::Close() {
  if (impl_->closed) return impl_->Error();
  impl_->closed = true;
  for (auto& q : impl_->queues) q->Close();
  for (auto& t : impl_->threads) t.join();
  // Near duplicates are grouped over the whole database once every shard has committed, still
  // holding the write locks. After an error the new articles keep their exact groups until the
  // next run regroups.
  for (auto& w : impl_->writers) {
    Status s = w->Commit();
    if (!s.ok()) impl_->SetError(s);
  }
  // What the writers and the caller freed (Xapian's buffers of the last batches, the analysis'
  // scratch, the caller's tables) goes back to the system before the grouping allocates its own:
  // glibc keeps freed small blocks in the heap, where the grouping's large arrays cannot use
  // them, and the resident set would carry both.
  malloc_trim(0);
  if (!impl_->failed) {
    std::vector<Xapian::WritableDatabase*> dbs;
    std::vector<std::string> names;
    for (auto& w : impl_->writers) {
      dbs.push_back(w->db());
      names.push_back(w->path());
    }
    Status s = RegroupDuplicates(dbs, names, &impl_->regroup);
    if (!s.ok()) impl_->SetError(s);
  }
  for (auto& w : impl_->writers) {
    Status s = w->Close();
    if (!s.ok()) impl_->SetError(s);
  }
  return impl_->Error();
}

IndexStats Indexer::stats() const {
  IndexStats total;
  for (const auto& w : impl_->writers) {
    total.added += w->stats().added;
    total.updated += w->stats().updated;
    total.unchanged += w->stats().unchanged;
  }
  total.duplicate_groups = impl_->regroup.groups;
  total.near_duplicate_groups = impl_->regroup.near_groups;
  total.duplicate_articles = impl_->regroup.grouped_articles;
  total.regrouped = impl_->regroup.rewritten;
  return total;
}

std::string Indexer::codebook_digest() const { return impl_->codebook.Digest(); }

namespace {

uint64_t FolderBytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

Status CompactShard(const std::string& path, std::chrono::steady_clock::time_point deadline,
                    double wait_seconds, CompactReport::Shard* out) {
  out->path = path;
  out->bytes_before = FolderBytes(path);
  Xapian::WritableDatabase lock;  // held until the compacted copy is in place
  if (Status s = OpenWritable(path, deadline, wait_seconds, &lock); !s.ok()) return s;
  const std::string tmp = path + ".compact-tmp";
  const std::string old = path + ".compact-old";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::remove_all(old, ec);
  try {
    Xapian::Database source(path);
    const bool name_words = schema::NameWordsComplete(source);
    source.compact(tmp, Xapian::DBCOMPACT_MULTIPASS);
    if (name_words) {
      // The copy starts again at revision 1: stamp its (copied) name-word index complete.
      Xapian::WritableDatabase copy(tmp, Xapian::DB_OPEN);
      copy.set_metadata(std::string(schema::kNameWordsKey),
                        std::to_string(copy.get_revision() + 1));
      copy.commit();
      copy.close();
    }
  } catch (...) {
    fs::remove_all(tmp, ec);
    return StatusFromCurrentXapianError(fmt::format("compacting '{}'", path));
  }
  fs::rename(path, old, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    return Status::IOError(fmt::format("cannot move '{}' aside: {}", path, ec.message()));
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::rename(old, path, ignored);  // put the original back
    return Status::IOError(
        fmt::format("cannot put the compacted '{}' in place: {}", path, ec.message()));
  }
  try {
    lock.close();
  } catch (...) {
  }
  fs::remove_all(old, ec);
  out->bytes_after = FolderBytes(path);
  return Status::OK();
}

// The article shards of the database at `db_path`, then its statement shards.
Status ListAllShards(const std::string& db_path, std::vector<std::string>* shards) {
  std::vector<std::string> stmt_shards;
  if (Status s = ListShards(db_path, shards); !s.ok()) return s;
  if (fs::exists(fs::path(schema::StatementsPath(db_path)) / kStubName)) {
    if (Status s = ListShards(schema::StatementsPath(db_path), &stmt_shards); !s.ok()) return s;
  }
  shards->insert(shards->end(), stmt_shards.begin(), stmt_shards.end());
  return Status::OK();
}

// Gives the documents of one shard that have no facet ids their ids (see UpgradeDatabase).
Status UpgradeShard(const std::string& path, std::chrono::steady_clock::time_point deadline,
                    double wait_seconds, uint32_t batch, const UpgradeProgress& progress,
                    UpgradeReport::Shard* out) {
  out->path = path;
  Xapian::WritableDatabase db;
  if (Status s = OpenWritable(path, deadline, wait_seconds, &db); !s.ok()) return s;
  try {
    schema::NameWordsWriter names;
    schema::FacetIdsWriter ids;
    names.Open(db);  // rebuilds a stale name-word index, as any writer does
    ids.Open(db);
    const bool name_words_stale = !schema::NameWordsComplete(db);
    bool committed = false;
    Xapian::docid next = 1;
    for (;;) {
      // A batch of the documents without ids, read (all documents, and the ids' value stream
      // beside them) from fresh iterators before the loop below modifies the shard.
      std::vector<Xapian::docid> docids;
      Xapian::docid seen = 0;
      {
        Xapian::PostingIterator it = db.postlist_begin("");
        Xapian::ValueIterator v = db.valuestream_begin(schema::kSlotFacetIds);
        const Xapian::ValueIterator v_end = db.valuestream_end(schema::kSlotFacetIds);
        it.skip_to(next);
        for (uint32_t n = 0; it != db.postlist_end("") && n < batch; ++it, ++n) {
          seen = *it;
          ++out->documents;
          if (v != v_end && v.get_docid() < seen) v.skip_to(seen);
          if (v == v_end || v.get_docid() != seen) docids.push_back(seen);
        }
      }
      if (seen == 0) break;
      next = seen + 1;
      uint64_t given = 0;
      for (Xapian::docid did : docids) {
        Xapian::Document doc = db.get_document(did);
        // All values in one read (a value look-up each costs a B-tree search, and adding a
        // value loads them all anyway).
        doc.values_count();
        ids.Add(doc);
        if (doc.get_value(schema::kSlotFacetIds).empty()) continue;  // numbering unreadable
        db.replace_document(did, doc);  // values only: Xapian rewrites no terms
        ++given;
      }
      if (given > 0) {
        // Only values and the numbering change: the name-word index stays complete.
        names.BeforeCommit(db);
        ids.BeforeCommit(db);
        db.commit();
        out->given_ids += given;
        committed = true;
      }
      if (progress) progress(*out, db.get_doccount());
    }
    if (!committed && (name_words_stale || ids.Pending())) {
      names.BeforeCommit(db);
      ids.BeforeCommit(db);
      db.commit();
    }
    out->name_words_rebuilt = name_words_stale;
    db.close();
  } catch (...) {
    return StatusFromCurrentXapianError(fmt::format("upgrading '{}'", path));
  }
  return Status::OK();
}

}  // namespace

Status UpgradeDatabase(const std::string& db_path, double wait_seconds, uint32_t batch,
                       const UpgradeProgress& progress, UpgradeReport* report) {
  *report = UpgradeReport();
  std::vector<std::string> shards;
  if (Status s = ListAllShards(db_path, &shards); !s.ok()) return s;
  for (const std::string& p : shards) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(static_cast<int64_t>(wait_seconds * 1000));
    UpgradeReport::Shard r;
    Status s = UpgradeShard(p, deadline, wait_seconds, std::max<uint32_t>(batch, 1), progress,
                            &r);
    report->documents += r.documents;
    report->given_ids += r.given_ids;
    report->shards.push_back(r);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status CompactDatabase(const std::string& db_path, double wait_seconds, CompactReport* report) {
  *report = CompactReport();
  std::vector<std::string> shards;
  if (Status s = ListAllShards(db_path, &shards); !s.ok()) return s;
  for (const std::string& p : shards) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(static_cast<int64_t>(wait_seconds * 1000));
    CompactReport::Shard r;
    if (Status s = CompactShard(p, deadline, wait_seconds, &r); !s.ok()) return s;
    report->bytes_before += r.bytes_before;
    report->bytes_after += r.bytes_after;
    report->shards.push_back(r);
  }
  return Status::OK();
}

uint32_t Indexer::shard_count() const { return static_cast<uint32_t>(impl_->writers.size()); }

}  // namespace dossier::indexer
