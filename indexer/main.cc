// dossier-index: read article archives and write them into a Dossier database.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpus/identity.h"
#include "corpus/reader.h"
#include "indexer/indexer.h"

namespace po = boost::program_options;
using namespace dossier;

namespace {

constexpr char kProgram[] = "dossier-index";
// Documents an --upgrade commits at a time (bounds memory; an interrupted upgrade keeps them).
constexpr uint32_t kUpgradeBatch = 20000;
volatile std::sig_atomic_t g_interrupted = 0;

void OnSignal(int) { g_interrupted = 1; }

// Feeds articles from the readers to the indexer, reports diagnostics and progress.
class IndexingSink : public corpus::ArticleSink {
 public:
  IndexingSink(indexer::Indexer* ix, bool progress) : ix_(ix), progress_(progress) {
    start_ = last_progress_ = std::chrono::steady_clock::now();
  }

  bool OnArticle(corpus::Article&& a) override {
    if (g_interrupted) {
      fatal_ = Status::IOError("interrupted: stopping after committing what was indexed");
      return false;
    }
    if (std::string first = FirstWithSameKey(a); !first.empty()) {
      OnDiagnostic({corpus::Diagnostic::Severity::kError, a.origin,
                    fmt::format("{} (first read at {}): record skipped", DuplicateWhat(a), first)});
      return true;
    }
    Status s = ix_->Add(std::move(a));
    if (!s.ok()) {
      fatal_ = s;
      return false;
    }
    ++seen_;
    if (progress_ && (seen_ & 63) == 0) MaybeShowProgress();
    return true;
  }

  void OnDiagnostic(const corpus::Diagnostic& d) override {
    bool error = d.severity == corpus::Diagnostic::Severity::kError;
    if (error) {
      ++skipped_;
    } else {
      ++warnings_;
    }
    ClearProgress();
    fmt::print(stderr, "{}: {}: {}\n", d.location, error ? "error" : "warning", d.message);
  }

  // Frees the duplicate-key table (~40 bytes per article read) once reading is done, before
  // the indexer's closing work (the near-duplicate grouping holds ~60 bytes per article of the
  // whole database) would add to it.
  void ForgetKeys() {
    std::unordered_map<size_t, uint64_t>().swap(seen_keys_);
    std::vector<std::string>().swap(files_);
  }

  void ClearProgress() {
    if (shown_) {
      fmt::print(stderr, "\r\033[K");
      shown_ = false;
    }
  }

  const Status& fatal() const { return fatal_; }
  uint64_t skipped() const { return skipped_; }
  uint64_t warnings() const { return warnings_; }
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  // Duplicate keys (identity.h) within one run: the first record wins, later ones are
  // errors. Remembers a 64-bit hash of each key with where it was read (a file number and
  // line: about 40 bytes an article, plus each file's path once); returns the first
  // location, or "" for a new key.
  std::string FirstWithSameKey(const corpus::Article& a) {
    std::string_view file = a.origin;
    uint32_t line = 0;
    if (size_t colon = file.rfind(':'); colon != std::string_view::npos && colon + 1 < file.size() &&
                                        file.find_first_not_of("0123456789", colon + 1) ==
                                            std::string_view::npos) {
      line = static_cast<uint32_t>(std::stoul(std::string(file.substr(colon + 1))));
      file = file.substr(0, colon);
    }
    if (files_.empty() || files_.back() != file) files_.emplace_back(file);
    const uint64_t where = (static_cast<uint64_t>(files_.size() - 1) << 32) | line;
    auto [it, added] = seen_keys_.try_emplace(std::hash<std::string>{}(corpus::ArticleKey(a)), where);
    if (added) return "";
    const std::string& first_file = files_[it->second >> 32];
    const uint32_t first_line = static_cast<uint32_t>(it->second);
    return first_line ? fmt::format("{}:{}", first_file, first_line) : first_file;
  }

  static std::string DuplicateWhat(const corpus::Article& a) {
    if (!a.id.empty()) return fmt::format("duplicate id '{}'", a.id);
    if (!a.url.empty()) return fmt::format("duplicate url '{}'", a.url);
    return "the same article again (no id or url; same source, title and body)";
  }

  void MaybeShowProgress() {
    auto now = std::chrono::steady_clock::now();
    if (now - last_progress_ < std::chrono::milliseconds(250)) return;
    last_progress_ = now;
    fmt::print(stderr, "\r\033[K{}: {} articles, {:.0f}/s", kProgram, seen_, seen_ / Seconds());
    shown_ = true;
  }

  indexer::Indexer* ix_;
  bool progress_;
  bool shown_ = false;
  uint64_t seen_ = 0, skipped_ = 0, warnings_ = 0;
  std::unordered_map<size_t, uint64_t> seen_keys_;  // hash of ArticleKey -> file number, line
  std::vector<std::string> files_;                  // file numbers (consecutive repeats merged)
  Status fatal_;
  std::chrono::steady_clock::time_point start_, last_progress_;
};

// Reads a whole number in [lo, hi] for --NAME; prints why not and returns false otherwise.
bool ParseCount(const char* name, const std::string& text, uint64_t lo, uint64_t hi,
                uint64_t* out) {
  bool digits = !text.empty() && text.size() <= 12 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) *out = std::stoull(text);
  if (!digits || *out < lo || *out > hi) {
    fmt::print(stderr, "{}: --{} wants a whole number from {} to {}, got '{}'\n", kProgram, name,
               lo, hi, text);
    return false;
  }
  return true;
}

int Run(int argc, char** argv) {
  std::string db_path, format_name = "auto";
  std::vector<std::string> paths, field_maps;
  indexer::IndexerOptions ix_options;
  bool json = false, quiet = false, compact = false, upgrade = false;
  std::string batch_size_text, batch_mb_text = "auto", jobs_text = "0";

  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help and exit")(
      "db,d", po::value(&db_path), "database folder (default: $DOSSIER_DB, else ./dossier-db)")(
      "format,f", po::value(&format_name)->default_value("auto"),
      "input format: auto, text, jsonl, csv, tsv (auto: by extension, then content)")(
      "field", po::value(&field_maps)->composing(),
      "map a field to an input key, e.g. --field body=fulltext (repeatable)")(
      "batch-size",
      po::value(&batch_size_text)->default_value(std::to_string(ix_options.batch_size)),
      "each shard commits after this many new or changed articles...")(
      "batch-mb", po::value(&batch_mb_text)->default_value(batch_mb_text),
      "...or after its share of this many MB of text, shared among the shards (bounds memory: "
      "15-20 MB per MB); auto: 2 MB while the database holds under 250,000 articles, then 6 MB "
      "(fewer, larger commits write far less to a large database)")(
      "jobs,j", po::value(&jobs_text)->default_value("0"),
      "writer threads = shards of a new database (0: one per core); an existing database keeps its "
      "shards")("wait", po::value(&ix_options.wait_seconds)->default_value(ix_options.wait_seconds),
                "seconds to wait for another writer to finish before giving up")(
      "codebook", po::value(&ix_options.codebook_files)->composing(),
      "add a codebook of people, institutions, places and topics (TSV; repeatable)")(
      "no-entities", "do not extract people, institutions, topics and places")(
      "compact", po::bool_switch(&compact),
      "compact every shard of --db in place (Xapian's compactor) and report sizes; no PATH")(
      "upgrade", po::bool_switch(&upgrade),
      "bring a database written by an older dossier-index up to this version's index features "
      "without re-reading its articles (facet ids for faster facet counts, the name-word index "
      "of entity filters); no PATH")(
      "json", po::bool_switch(&json), "print the summary as a JSON object on stdout")(
      "quiet,q", po::bool_switch(&quiet), "no progress line");
  po::options_description hidden;
  hidden.add_options()("path", po::value(&paths)->composing());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("path", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    fmt::print(stderr, "{}: {} (see --help)\n", kProgram, e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "Usage: dossier-index [--db DIR] [options] PATH...\n\n"
                 "Reads news articles and indexes them into a Dossier database. PATH is a file,\n"
                 "a folder (recursed) or - for JSON Lines on standard input. Formats: plain text\n"
                 "(one article per file, optional title line), JSON Lines, CSV/TSV with a header,\n"
                 "and .gz/.bz2/.xz/.zst compressed versions of each.\n\n"
              << opts
              << "\nExamples:\n"
                 "  dossier-index --db news.db corpus/samples/\n"
                 "  dossier-index --db news.db archive.jsonl.gz --field body=fulltext\n"
                 "  zcat feed.jsonl.gz | dossier-index --db news.db -\n"
                 "  dossier-index --db news.db --codebook my-people.tsv archive/\n"
                 "  dossier-index --db news.db --compact\n"
                 "  dossier-index --db news.db --upgrade\n\n"
                 "Re-indexing an article with the same id replaces it; unchanged articles are not\n"
                 "rewritten. Bad records are reported as FILE:LINE: error: REASON and skipped;\n"
                 "so is a second record with the same id (or url) within one run (the first wins).\n"
                 "Exit status: 0 all indexed, 2 some records skipped or an error.\n";
    return 0;
  }
  if (db_path.empty()) {
    const char* env = std::getenv("DOSSIER_DB");
    db_path = env && *env ? env : "./dossier-db";
  }
  if (upgrade) {
    if (!paths.empty() || compact) {
      fmt::print(stderr, "{}: --upgrade takes no PATH and no --compact\n", kProgram);
      return 2;
    }
    indexer::UpgradeReport report;
    auto start = std::chrono::steady_clock::now();
    bool shown = false;
    indexer::UpgradeProgress progress;
    if (!quiet && isatty(STDERR_FILENO)) {
      progress = [&](const indexer::UpgradeReport::Shard& sh, uint64_t shard_docs) {
        fmt::print(stderr, "\r\033[K{}: {}: {} of {} documents read", kProgram, sh.path,
                   sh.documents, shard_docs);
        shown = true;
      };
    }
    Status s = indexer::UpgradeDatabase(db_path, ix_options.wait_seconds, kUpgradeBatch, progress,
                                        &report);
    if (shown) fmt::print(stderr, "\r\033[K");
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& sh : report.shards) {
      fmt::print(stderr, "{}: {}: {} documents, {} given facet ids{}\n", kProgram, sh.path,
                 sh.documents, sh.given_ids,
                 sh.name_words_rebuilt ? ", name-word index rebuilt" : "");
    }
    if (!s.ok()) {
      fmt::print(stderr, "{}: {}\n", kProgram, s.message());
      return 2;
    }
    fmt::print(stderr, "{}: upgraded {} shards: {} of {} documents given facet ids in {:.1f} s\n",
               kProgram, report.shards.size(), report.given_ids, report.documents, secs);
    if (json) {
      nlohmann::json j = {{"format_version", 1},        {"db", db_path},
                          {"shards", report.shards.size()}, {"documents", report.documents},
                          {"given_facet_ids", report.given_ids}, {"seconds", secs}};
      std::cout << j.dump() << std::endl;
    }
    return 0;
  }
  if (compact) {
    if (!paths.empty()) {
      fmt::print(stderr, "{}: --compact takes no PATH\n", kProgram);
      return 2;
    }
    indexer::CompactReport report;
    auto start = std::chrono::steady_clock::now();
    Status s = indexer::CompactDatabase(db_path, ix_options.wait_seconds, &report);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!s.ok()) {
      fmt::print(stderr, "{}: {}\n", kProgram, s.message());
      return 2;
    }
    for (const auto& sh : report.shards) {
      fmt::print(stderr, "{}: {}: {:.1f} MB -> {:.1f} MB\n", kProgram, sh.path,
                 sh.bytes_before / 1e6, sh.bytes_after / 1e6);
    }
    fmt::print(stderr, "{}: compacted {} shards: {:.1f} MB -> {:.1f} MB in {:.1f} s\n", kProgram,
               report.shards.size(), report.bytes_before / 1e6, report.bytes_after / 1e6, secs);
    if (json) {
      nlohmann::json j = {{"format_version", 1},
                          {"db", db_path},
                          {"shards", report.shards.size()},
                          {"bytes_before", report.bytes_before},
                          {"bytes_after", report.bytes_after},
                          {"seconds", secs}};
      std::cout << j.dump() << std::endl;
    }
    return 0;
  }
  if (paths.empty()) {
    fmt::print(stderr, "{}: no input: give one or more files or folders (see --help)\n", kProgram);
    return 2;
  }
  corpus::ReadOptions read_options;
  if (!corpus::ParseFormat(format_name, &read_options.format)) {
    fmt::print(stderr, "{}: unknown --format '{}' (auto, text, jsonl, csv, tsv)\n", kProgram,
               format_name);
    return 2;
  }
  for (const std::string& m : field_maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size()) {
      fmt::print(stderr, "{}: --field wants FIELD=KEY, got '{}'\n", kProgram, m);
      return 2;
    }
    read_options.field_map[m.substr(0, eq)] = m.substr(eq + 1);
  }
  // Counts are read as text: Boost.Program_options would wrap "-1" into a huge unsigned.
  uint64_t batch_size = 0, batch_mb = 0, jobs = 0;
  if (!ParseCount("batch-size", batch_size_text, 1, 10'000'000, &batch_size) ||
      (batch_mb_text != "auto" && !ParseCount("batch-mb", batch_mb_text, 1, 1 << 20, &batch_mb)) ||
      !ParseCount("jobs", jobs_text, 0, 256, &jobs)) {
    return 2;
  }
  if (ix_options.wait_seconds < 0) ix_options.wait_seconds = 0;
  ix_options.batch_size = static_cast<uint32_t>(batch_size);
  ix_options.batch_bytes = batch_mb_text == "auto" ? 0 : batch_mb << 20;
  ix_options.jobs = static_cast<uint32_t>(jobs);
  ix_options.db_path = db_path;
  ix_options.entities = vm.count("no-entities") == 0;

  std::unique_ptr<indexer::Indexer> ix;
  if (Status s = indexer::Indexer::Open(ix_options, &ix); !s.ok()) {
    fmt::print(stderr, "{}: {}\n", kProgram, s.message());
    return 2;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);

  IndexingSink sink(ix.get(), !quiet && isatty(STDERR_FILENO));
  for (const std::string& p : paths) {
    if (!corpus::ReadPath(p, read_options, &sink)) break;
  }
  sink.ClearProgress();
  sink.ForgetKeys();
  Status close = ix->Close();
  double secs = sink.Seconds();
  indexer::IndexStats st = ix->stats();
  st.skipped = sink.skipped();
  st.warnings = sink.warnings();
  uint64_t done = st.added + st.updated + st.unchanged;
  int rc = 0;
  if (!sink.fatal().ok()) {
    fmt::print(stderr, "{}: {}\n", kProgram, sink.fatal().message());
    rc = 2;
  }
  if (!close.ok()) {
    // The first error often comes back from Close() too: say it once.
    if (close.message() != sink.fatal().message())
      fmt::print(stderr, "{}: {}\n", kProgram, close.message());
    rc = 2;
  }
  if (st.skipped > 0) rc = 2;
  double rate = secs > 0 ? done / secs : 0;
  fmt::print(stderr,
             "{}: added {}, updated {}, unchanged {}, skipped {} in {:.2f} s ({:.0f} articles/s)\n",
             kProgram, st.added, st.updated, st.unchanged, st.skipped, secs, rate);
  if (close.ok()) {
    fmt::print(stderr,
               "{}: duplicate groups: {} ({} of them near duplicates) covering {} articles; {} "
               "articles regrouped\n",
               kProgram, st.duplicate_groups, st.near_duplicate_groups, st.duplicate_articles,
               st.regrouped);
  }
  if (json) {
    nlohmann::json j = {{"format_version", 1},
                        {"db", db_path},
                        {"added", st.added},
                        {"updated", st.updated},
                        {"unchanged", st.unchanged},
                        {"skipped", st.skipped},
                        {"warnings", st.warnings},
                        {"seconds", secs},
                        {"articles_per_second", rate},
                        {"shards", ix->shard_count()},
                        {"codebook_digest", ix->codebook_digest()},
                        {"duplicate_groups", st.duplicate_groups},
                        {"near_duplicate_groups", st.near_duplicate_groups},
                        {"duplicate_articles", st.duplicate_articles},
                        {"regrouped", st.regrouped},
                        {"ok", rc == 0}};
    std::cout << j.dump() << std::endl;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", kProgram, e.what());
  } catch (...) {
    fmt::print(stderr, "{}: internal error\n", kProgram);
  }
  return 2;
}
