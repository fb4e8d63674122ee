// Searcher: query checking, parsing, matching, snippets; retries on concurrent commits.
#include "searcher/search.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <system_error>
#include <thread>

#include "searcher/shard_rank.h"

namespace dossier::searcher {
namespace {

// A search racing commits retries this often, sleeping a little longer each time (glass keeps
// only the last two revisions: a long read under frequent commits must start over).
constexpr int kMaxRetries = 60;
// Snippets are looked for in this much of the body at most (they are cut from its start).
constexpr size_t kSnippetSourceBytes = 64 * 1024;

bool IsNameChar(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Snippets are looked for window by window: MSet::snippet's cost grows with the text it is
// given, and the first match is usually early.
constexpr size_t kSnippetWindowBytes = 4096;
constexpr size_t kSnippetOverlapBytes = 256;

// Undoes the HTML escaping MSet::snippet() applies.
std::string UnescapeHtml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static const std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool done = false;
      for (const auto& [ent, ch] : kEntities) {
        if (s.compare(i, ent.size(), ent) == 0) {
          out += ch;
          i += ent.size() - 1;
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    out += s[i];
  }
  return out;
}

std::string_view CutUtf8(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// Whether every match of `q` has the weight 0 (a filter: `*`, `person:x`, `year:2020`...),
// judged from its structure; SearchShardsUnweighted checks it again on the MSets.
bool Unweighted(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
      return true;
    case Xapian::Query::OP_SCALE_WEIGHT:
      // Xapian 1.4 has no accessor for the factor; its description is "Query(0 * ...)".
      return q.get_description().rfind("Query(0 * ", 0) == 0;
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
      return Unweighted(q.get_subquery(0));
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
      for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
        if (!Unweighted(q.get_subquery(i))) return false;
      }
      return true;
    default:
      return false;
  }
}

// One hit of a match: its MSet (for the document and snippets) and its docid in `db`.
struct Pick {
  const Xapian::MSet* mset;
  Xapian::MSetIterator it;
  Xapian::docid docid;
};

// Hits offset.. offset + want of an unweighted `query` over a database of several local
// shards, matched shard by shard. Xapian 1.4 matches a filter over several shards far slower
// than over each alone: `*` (top 10 of 570,845 articles in 2 shards) took 47 ms, each shard
// 0.00 ms; person:alvarez 22.7 ms against 2.1 + 2.2 ms. With every weight 0 Xapian ranks by
// docid, and docid d of shard s (of n) is (d - 1) * n + s + 1 in `db`, so merging the shards'
// first hits by that docid gives the very hits of the whole. False (and nothing in `msets`)
// when a shard's match turns out weighted after all.
bool SearchShardsUnweighted(const Xapian::Database& db, const Xapian::Query& query,
                            Xapian::doccount offset, Xapian::doccount want,
                            std::vector<Xapian::MSet>* msets, std::vector<Pick>* picks) {
  const size_t n = db.size();
  msets->clear();
  picks->clear();
  msets->reserve(n);
  for (size_t shard = 0; shard < n; ++shard) {
    // Database::internal: see FacetCounter::CountShards.
    Xapian::Enquire enquire(Xapian::Database(db.internal[shard].get()));
    enquire.set_query(query);
    const Xapian::doccount first_hits = static_cast<Xapian::doccount>(
        std::min<uint64_t>(uint64_t{offset} + want, db.get_doccount()));
    msets->push_back(enquire.get_mset(0, first_hits, Xapian::doccount{0}));
    if (msets->back().get_max_possible() != 0) {
      msets->clear();
      return false;
    }
  }
  std::vector<Pick> all;
  for (size_t shard = 0; shard < n; ++shard) {
    const Xapian::MSet& m = (*msets)[shard];
    for (auto it = m.begin(); it != m.end(); ++it) {
      all.push_back({&m, it, static_cast<Xapian::docid>((*it - 1) * n + shard + 1)});
    }
  }
  std::sort(all.begin(), all.end(),
            [](const Pick& a, const Pick& b) { return a.docid < b.docid; });
  for (size_t i = offset; i < all.size() && i < size_t{offset} + want; ++i) picks->push_back(all[i]);
  return true;
}

// The snippet of `body` for this MSet's query: from the first window of the body (up to
// kSnippetSourceBytes) that holds a match, else its opening. Without Xapian's background
// model, which looks up the frequency of every word of the text and made snippets 70-98 % of
// a query's time.
std::string Snippet(const Xapian::MSet& mset, const std::string& body, size_t length,
                    const Xapian::Stem& stemmer) {
  const std::string hi_start(1, kHighlightStart), hi_end(1, kHighlightEnd);
  std::string_view all = CutUtf8(body, kSnippetSourceBytes);
  for (size_t offset = 0; offset < all.size(); offset += kSnippetWindowBytes) {
    // Start the window at a UTF-8 boundary, and let it overlap the next one a little.
    while (offset < all.size() && (static_cast<unsigned char>(all[offset]) & 0xC0) == 0x80)
      ++offset;
    std::string window(CutUtf8(all.substr(offset), kSnippetWindowBytes + kSnippetOverlapBytes));
    std::string s = mset.snippet(window, length, stemmer, Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH,
                                 hi_start, hi_end, "…");
    if (!s.empty()) return UnescapeHtml(offset > 0 && s.rfind("…", 0) != 0 ? "…" + s : s);
  }
  std::string opening(CutUtf8(all, kSnippetWindowBytes));
  return UnescapeHtml(mset.snippet(opening, length, stemmer, 0, hi_start, hi_end, "…"));
}

// The matches having facet value `value` of `kind` (a --by-facet series over remote shards):
// entity lists by their boolean term, single-valued slots by an exact value range.
// TODO: two canonical names that normalise alike ("U.S." and "U S") share a term, so such a
// series would count both; locally they are counted apart.
Xapian::Query SeriesFilter(FacetKind kind, const std::string& value) {
  auto term = [&](schema::FieldId id) { return Xapian::Query(schema::EntityTerm(id, value)); };
  switch (kind) {
    case FacetKind::kPerson: return term(schema::FieldId::kPerson);
    case FacetKind::kInstitution: return term(schema::FieldId::kInstitution);
    case FacetKind::kTopic: return term(schema::FieldId::kTopic);
    case FacetKind::kPlace: return term(schema::FieldId::kPlace);
    case FacetKind::kSpeaker:
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotSpeaker, value, value);
    case FacetKind::kSource:
    default:
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotSource, value, value);
  }
}

// Whether `q` holds a value range (a date: range, a --from/--to).
bool HasValueRange(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
      return true;
    default:
      for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
        if (HasValueRange(q.get_subquery(i))) return true;
      }
      return false;
  }
}

// Whether a search without facets counts its total with the counting matcher (SearchOnce);
// DOSSIER_COUNT_TOTAL=0 switches it off.
bool CountTotal() {
  const char* v = std::getenv("DOSSIER_COUNT_TOTAL");
  return v == nullptr || v != std::string("0");
}

// Whether phrases are counted first and ranked without positions (below); DOSSIER_POSITIONS_ONCE=0
// switches it off. At 1,000,000 articles, same binary either way (scripts/BENCHMARKS.md): NEAR
// queries 18-52 % faster but one 7 % slower, phrases from 11 % slower to 20 % faster, the
// slowest one unchanged.
bool PositionsOnce() {
  const char* v = std::getenv("DOSSIER_POSITIONS_ONCE");
  return v == nullptr || v != std::string("0");
}

// `q` with the phrases and NEARs every match must satisfy (reached only through AND, FILTER
// and the first branch of AND_NOT and AND_MAYBE) turned into the AND of their words; false if
// there are none. It matches at least the documents `q` matches, and gives each of those the
// same weight: Xapian weighs a phrase or NEAR as the AND of its words, and a required one holds
// in every match. Phrases under OR, NOT or an optional branch stay (there the AND would add
// weight to documents whose words are not in the phrase).
bool WithoutRequiredPositions(const Xapian::Query& q, Xapian::Query* out) {
  const Xapian::Query::op type = q.get_type();
  const size_t n = q.get_num_subqueries();
  std::vector<Xapian::Query> subs;
  switch (type) {
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      for (size_t i = 0; i < n; ++i) subs.push_back(q.get_subquery(i));
      *out = Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end());
      return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE: {
      const size_t required =
          type == Xapian::Query::OP_AND || type == Xapian::Query::OP_FILTER ? n : 1;
      bool changed = false;
      for (size_t i = 0; i < n; ++i) {
        Xapian::Query sub = q.get_subquery(i), without;
        if (i < required && WithoutRequiredPositions(sub, &without)) {
          subs.push_back(without);
          changed = true;
        } else {
          subs.push_back(sub);
        }
      }
      if (changed) *out = Xapian::Query(type, subs.begin(), subs.end());
      return changed;
    }
    default:
      return false;
  }
}

// The documents a counting pass matched, shard by shard, as a filter for the ranking match:
// Xapian 1.4 gives each shard of a database its own clone of a posting source, initialised with
// that shard alone, which is told apart by its UUID.
class MatchedDocs : public Xapian::PostingSource {
 public:
  using Sets = std::map<std::string, std::vector<Xapian::docid>>;
  // Null if two shards share a UUID (a copied shard): they could not be told apart.
  static std::unique_ptr<MatchedDocs> Make(FacetCounter::ShardMatches&& m) {
    auto sets = std::make_shared<Sets>();
    for (size_t i = 0; i < m.uuids.size(); ++i) {
      if (!sets->emplace(m.uuids[i], std::move(m.docids[i])).second) return nullptr;
    }
    return std::make_unique<MatchedDocs>(std::move(sets));
  }
  explicit MatchedDocs(std::shared_ptr<const Sets> sets) : sets_(std::move(sets)) {}
  const std::shared_ptr<const Sets>& sets() const { return sets_; }

  Xapian::doccount get_termfreq_min() const override { return size(); }
  Xapian::doccount get_termfreq_est() const override { return size(); }
  Xapian::doccount get_termfreq_max() const override { return size(); }
  Xapian::docid get_docid() const override { return (*docs_)[pos_]; }
  bool at_end() const override { return started_ && pos_ >= docs_->size(); }
  void next(double) override {
    pos_ = started_ ? pos_ + 1 : 0;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    if (!started_) {
      started_ = true;
      pos_ = 0;
    }
    if (pos_ < docs_->size() && (*docs_)[pos_] >= did) return;
    pos_ = static_cast<size_t>(
        std::lower_bound(docs_->begin() + static_cast<std::ptrdiff_t>(pos_), docs_->end(), did) -
        docs_->begin());
  }
  MatchedDocs* clone() const override { return new MatchedDocs(sets_); }
  void init(const Xapian::Database& shard) override {
    static const std::vector<Xapian::docid> kNone;
    auto it = sets_->find(shard.get_uuid());
    docs_ = it == sets_->end() ? &kNone : &it->second;
    pos_ = 0;
    started_ = false;
  }

 private:
  Xapian::doccount size() const { return static_cast<Xapian::doccount>(docs_->size()); }
  std::shared_ptr<const Sets> sets_;
  const std::vector<Xapian::docid>* docs_ = nullptr;
  size_t pos_ = 0;
  bool started_ = false;
};

}  // namespace

std::string FirstSentence(const std::string& body, size_t max_bytes) {
  std::string_view b = Trimmed(body);
  size_t end = std::string_view::npos;
  for (size_t i = 0; i + 1 < b.size() && i < max_bytes; ++i) {
    if ((b[i] == '.' || b[i] == '!' || b[i] == '?') && (b[i + 1] == ' ' || b[i + 1] == '\n')) {
      end = i + 1;
      break;
    }
    if (b[i] == '\n') {
      end = i;
      break;
    }
  }
  if (end != std::string_view::npos) return std::string(b.substr(0, end));
  if (b.size() <= max_bytes) return std::string(b);
  std::string_view cut = CutUtf8(b, max_bytes);
  size_t space = cut.rfind(' ');
  if (space != std::string_view::npos && space > max_bytes / 2) cut = cut.substr(0, space);
  return std::string(cut) + "…";
}

Status CheckQuerySyntax(const std::string& query) {
  if (query.size() > kMaxQueryBytes) {
    return Status::InvalidArgument(fmt::format(
        "query too long: {} bytes, the limit is {} bytes", query.size(), kMaxQueryBytes));
  }
  bool in_quote = false;
  size_t quote_at = 0;
  std::vector<size_t> open_parens;
  for (size_t i = 0; i < query.size(); ++i) {
    char c = query[i];
    if (c == '"') {
      in_quote = !in_quote;
      quote_at = i;
      continue;
    }
    if (in_quote) continue;
    if (c == '(') {
      open_parens.push_back(i);
    } else if (c == ')') {
      if (open_parens.empty()) {
        return Status::InvalidArgument(
            fmt::format("bad query: ')' at column {} has no matching '('", i + 1));
      }
      open_parens.pop_back();
    } else if (IsNameChar(c) && (i == 0 || std::string_view(" \t(+-").find(query[i - 1]) !=
                                               std::string_view::npos)) {
      size_t j = i;
      while (j < query.size() && IsNameChar(query[j])) ++j;
      if (j < query.size() && query[j] == ':' && j + 1 < query.size() &&
          !std::isspace(static_cast<unsigned char>(query[j + 1]))) {
        std::string name = query.substr(i, j - i);
        std::string lower = name;
        for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        bool known = schema::FindFieldByName(lower) != nullptr || lower == "date" ||
                     lower == "http" || lower == "https";
        if (!known) {
          std::string names;
          for (const schema::Field& f : schema::Fields()) {
            if (f.name.empty() || f.kind == schema::FieldKind::kInternal) continue;
            names += names.empty() ? "" : ", ";
            names += f.name;
          }
          return Status::InvalidArgument(
              fmt::format("bad query: unknown field '{}:' at column {} (fields: {}, date)", name,
                          i + 1, names));
        }
      }
      i = j - 1;
    }
  }
  if (in_quote) {
    return Status::InvalidArgument(
        fmt::format("bad query: the quote at column {} is not closed", quote_at + 1));
  }
  if (!open_parens.empty()) {
    return Status::InvalidArgument(
        fmt::format("bad query: '(' at column {} is not closed", open_parens.back() + 1));
  }
  return Status::OK();
}

Searcher::Searcher(Xapian::Database db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {}

Status Searcher::Open(const std::string& db_path, std::unique_ptr<Searcher>* out) {
  Xapian::Database db;
  Status s = schema::OpenForReading(db_path, &db);
  if (!s.ok()) return s;
  auto searcher = std::unique_ptr<Searcher>(new Searcher(std::move(db), db_path));
  try {
    std::string text;
    for (int attempt = 0;; ++attempt) {
      try {
        text = searcher->db_.get_metadata(std::string(schema::kCodebookKey));
        break;
      } catch (const Xapian::DatabaseModifiedError&) {
        // An indexer committed as we opened: read the newest revision instead.
        if (attempt >= kMaxRetries) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(2 * attempt, 50)));
        try {
          searcher->db_.reopen();
        } catch (const Xapian::DatabaseModifiedError&) {
          // retried on the next turn of the loop
        }
      }
    }
    if (!text.empty()) {
      if (Status c = searcher->codebook_.LoadString(text, db_path + " (stored codebook)");
          !c.ok()) {
        return Status::Corruption(c.message());
      }
    }
  } catch (...) {
    return StatusFromCurrentXapianError(fmt::format("reading '{}'", db_path));
  }
  *out = std::move(searcher);
  return Status::OK();
}

std::string Searcher::codebook_digest() const {
  try {
    return db_.get_metadata(std::string(schema::kCodebookDigestKey));
  } catch (...) {
    return "";
  }
}

Status Searcher::ParseQuery(const SearchOptions& options, Xapian::Query* out) {
  return ParseQueryWithNotes(options, out, nullptr);
}

Status Searcher::Target(bool statements, Xapian::Database** db) {
  if (!statements) {
    *db = &db_;
    return Status::OK();
  }
  if (!stmt_db_) {
    const std::string path = schema::StatementsPath(path_);
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(path) / "XAPIANDB", ec)) {
      return Status::NotFound(fmt::format(
          "'{}' has no statements database: it was indexed by an older dossier-index; re-index it",
          path_));
    }
    try {
      stmt_db_ = std::make_unique<Xapian::Database>(path);
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("opening '{}'", path));
    }
  }
  *db = stmt_db_.get();
  return Status::OK();
}

bool Searcher::HasRemoteShards(bool statements) const {
  // Read once: the stub is read when the database is opened, and a reopen does not read it
  // again either (and reading it cost a plain query three system calls).
  std::optional<bool>& cached = has_remote_[statements ? 1 : 0];
  if (!cached) cached = ReadHasRemoteShards(statements);
  return *cached;
}

bool Searcher::ReadHasRemoteShards(bool statements) const {
  std::string stub =
      (std::filesystem::path(statements ? schema::StatementsPath(path_) : path_) / "XAPIANDB")
          .string();
  std::ifstream in(stub);
  std::string word;
  while (in >> word) {
    if (word == "remote") return true;
  }
  return false;
}

void Searcher::set_facet_cache_bytes(size_t bytes) {
  for (FacetCache& c : facet_caches_) c.set_max_bytes(bytes);
}

size_t Searcher::facet_cache_bytes() const {
  return facet_caches_[0].bytes() + facet_caches_[1].bytes();
}

namespace {

// Whether `a` and `b` are the same shards at the same revisions.
bool SameShardsAndRevisions(const Xapian::Database& a, const Xapian::Database& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    // Database::internal: see FacetCounter::CountShards.
    const Xapian::Database one_a(a.internal[i].get()), one_b(b.internal[i].get());
    if (one_a.get_revision() != one_b.get_revision() || one_a.get_uuid() != one_b.get_uuid()) {
      return false;
    }
  }
  return true;
}

}  // namespace

const Xapian::Database* Searcher::CountingDatabase(bool statements, const Xapian::Database& db) {
  if (const char* v = std::getenv("DOSSIER_PARALLEL_COUNT"); v != nullptr && v == std::string("0")) {
    return nullptr;
  }
  std::unique_ptr<Xapian::Database>& c = count_dbs_[statements ? 1 : 0];
  try {
    if (!c) {
      c = std::make_unique<Xapian::Database>(statements ? schema::StatementsPath(path_) : path_);
    }
    if (SameShardsAndRevisions(db, *c)) return c.get();
    c->reopen();
    if (SameShardsAndRevisions(db, *c)) return c.get();
  } catch (...) {
    c.reset();  // e.g. a shard without revisions: count on `db` itself
  }
  return nullptr;
}

Status Searcher::ReopenAll() {
  // A reopened database may hold other documents under the same docids.
  for (FacetCache& c : facet_caches_) c.Clear();
  try {
    db_.reopen();
    if (stmt_db_) stmt_db_->reopen();
  } catch (const Xapian::DatabaseModifiedError&) {
    // Changed again while reopening: the search's next attempt retries.
  } catch (...) {
    return StatusFromCurrentXapianError(fmt::format("reopening '{}'", path_));
  }
  return Status::OK();
}

Status Searcher::ParseQueryWithNotes(const SearchOptions& options, Xapian::Query* out,
                                     schema::QueryNotes* notes) {
  Xapian::Database* db;
  if (Status s = Target(options.statements, &db); !s.ok()) return s;
  std::string_view text = Trimmed(options.query);
  Xapian::Query q;
  // One parser per database, set up on first use: its prefixes and field processors cost more
  // than parsing a short query. Its entity processors write to parser_notes_, handed on below.
  const int which = options.statements ? 1 : 0;
  schema::QueryNotes& parser_notes = parser_notes_[which];
  parser_notes.lines.clear();
  try {
    if (!parsers_[which]) {
      auto fresh = std::make_unique<Xapian::QueryParser>();
      schema::ConfigureQueryParser(*fresh, *db, &codebook_, &parser_notes);
      if (options.statements &&
          db->get_metadata(std::string(schema::kStatementsStemmingKey)) ==
              schema::kStatementsStemAllZ) {
        fresh->set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
      }
      parsers_[which] = std::move(fresh);
    }
    parsers_[which]->set_default_op(options.match_any ? Xapian::Query::OP_OR
                                                      : Xapian::Query::OP_AND);
    parsers_[which]->set_stopper(options.match_any ? EnglishStopper() : nullptr);
  } catch (...) {
    return StatusFromCurrentXapianError("setting up the query parser");
  }
  Xapian::QueryParser& qp = *parsers_[which];
  auto parse = [&](const std::string& query, Xapian::Query* out) -> Status {
    if (Status s = CheckQuerySyntax(query); !s.ok()) return s;
    parser_notes.error.clear();
    try {
      *out = qp.parse_query(query, schema::QueryParserFlags());
    } catch (const Xapian::QueryParserError& e) {
      return Status::InvalidArgument("bad query: " + e.get_msg());
    } catch (...) {
      return StatusFromCurrentXapianError("parsing the query");
    }
    // A bad field value (date:, month:, day:) is recorded, not thrown (QueryNotes::error).
    if (!parser_notes.error.empty()) return Status::InvalidArgument("bad query: " + parser_notes.error);
    return Status::OK();
  };
  // Everything, unweighted: Xapian weights <alldocuments> by document length, so a match
  // ranked by relevance visited every document for its first hits (50 ms at 570,845 articles);
  // with no weight it stops at them. Hits come in index order.
  const Xapian::Query all(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0);
  bool everything = true;  // q is `all`
  if (text.empty() || text == "*") {
    q = all;
  } else {
    if (Status s = parse(std::string(text), &q); !s.ok()) return s;
    everything = q.empty();
    if (q.empty()) q = all;  // e.g. only stopwords or punctuation
  }
  // --by NAME and --about TOPIC_OR_WORDS (statements): filters built with the same fields.
  auto quoted = [](const std::string& v) {
    std::string out;
    for (char c : v)
      if (c != '"') out += c;
    return "\"" + out + "\"";
  };
  if (!options.by.empty()) {
    Xapian::Query by;
    if (Status s = parse("speaker:" + quoted(options.by), &by); !s.ok()) return s;
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, by);
    everything = false;
  }
  if (!options.about.empty()) {
    bool is_topic = !codebook_.Resolve(options.about, schema::EntityType::kTopic).empty() ||
                    db->term_exists(schema::EntityTerm(schema::FieldId::kTopic, options.about));
    Xapian::Query about;
    if (Status s = parse(is_topic ? "topic:" + quoted(options.about) : options.about, &about);
        !s.ok()) {
      return s;
    }
    q = is_topic ? Xapian::Query(Xapian::Query::OP_FILTER, q, about)
                 : (everything ? about
                        : Xapian::Query(Xapian::Query::OP_AND, q, about));
  }
  if (!options.filter_query.empty()) {
    Xapian::Query filter;
    if (Status s = parse(options.filter_query, &filter); !s.ok()) return s;
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
  }
  if (options.from || options.to) {
    Xapian::Query range;
    if (options.from && options.to) {
      range = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate,
                            Xapian::sortable_serialise(*options.from),
                            Xapian::sortable_serialise(*options.to));
    } else if (options.from) {
      range = Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate,
                            Xapian::sortable_serialise(*options.from));
    } else {
      range = Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate,
                            Xapian::sortable_serialise(*options.to));
    }
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, range);
  }
  if (notes) notes->lines = std::move(parser_notes.lines);
  *out = q;
  return Status::OK();
}

Status Searcher::Search(const SearchOptions& options, SearchResult* result) {
  return Search(options, result, HitSink());
}

Status Searcher::Search(const SearchOptions& options, SearchResult* result, const HitSink& sink) {
  uint64_t streamed = 0;
  for (int attempt = 0;; ++attempt) {
    try {
      return SearchOnce(options, result, sink ? &sink : nullptr, &streamed);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (streamed > 0) {
        return Status::IOError(
            fmt::format("'{}' changed while {} hits were being written; run the search again",
                        path_, streamed));
      }
      if (attempt >= kMaxRetries) {
        return Status::IOError(fmt::format(
            "'{}' kept changing under the search ({} retries); try again", path_, kMaxRetries));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(2 * attempt, 50)));
      if (Status s = ReopenAll(); !s.ok()) return s;
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("searching '{}'", path_));
    }
  }
}

Status Searcher::SearchOnce(const SearchOptions& options, SearchResult* result, const HitSink* sink,
                            uint64_t* streamed) {
  *result = SearchResult();
  result->query = options.query;
  result->statements = options.statements;
  Xapian::Database* db;
  if (Status s = Target(options.statements, &db); !s.ok()) return s;
  Xapian::Query query;
  schema::QueryNotes notes;
  if (Status s = ParseQueryWithNotes(options, &query, &notes); !s.ok()) return s;
  result->parsed = query.get_description();
  result->notes = std::move(notes.lines);

  Xapian::Enquire enquire(*db);
  enquire.set_query(query);
  switch (options.sort) {
    case SortOrder::kRelevance:
      break;
    case SortOrder::kDate: {
      // Undated articles sort after dated ones (the default would put them first).
      auto* key = new Xapian::MultiValueKeyMaker();
      key->add_value(schema::kSlotDate, false,
                     db->get_value_upper_bound(schema::kSlotDate) + "\xff");
      enquire.set_sort_by_key_then_relevance(key->release(), false);
      break;
    }
    case SortOrder::kDateDescending:
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
      break;
  }
  const Xapian::doccount doccount = db->get_doccount();
  Xapian::doccount want =
      options.limit ? static_cast<Xapian::doccount>(std::min<uint64_t>(*options.limit, doccount))
                    : doccount;
  enquire.set_weighting_scheme(
      Xapian::BM25Weight(options.bm25.first, 0, 1, options.bm25.second, 0.5));
  const bool remote = HasRemoteShards(options.statements);
  if (remote && options.count_groups) {
    // xapian-tcpsrv runs only Xapian's own match spies, and ValueCountMatchSpy counts one slot
    // at a time; counting groups needs two values of each match together (README).
    return Status::InvalidArgument(
        "--count-groups does not work over remote shards: it needs each match's duplicate group "
        "together with its facet values or date, and xapian-tcpsrv counts one value slot at a "
        "time (--dedup, --facets and --histogram do work)");
  }
  // Local facets are counted by a match of their own per shard (FacetCounter::CountShards),
  // which can reuse what earlier searches read; --count-groups and remote shards spy on this
  // match instead.
  std::unique_ptr<FacetCounter> facets;
  const bool shard_facets = !options.facets.empty() && !remote && !options.count_groups;
  if (!options.facets.empty()) {
    facets = std::make_unique<FacetCounter>(options.facets, remote, options.count_groups);
    if (!shard_facets) facets->Attach(&enquire);
  }
  std::unique_ptr<HistogramSpy> histogram;
  std::unique_ptr<Xapian::ValueCountMatchSpy> dates;  // remote histograms: counts per date
  std::unique_ptr<FacetCounter> series;               // ... and their series, when split
  if (options.histogram) {
    histogram = std::make_unique<HistogramSpy>(*options.histogram, options.histogram_by,
                                               options.count_groups);
    if (remote) {
      dates = std::make_unique<Xapian::ValueCountMatchSpy>(schema::kSlotDate);
      enquire.add_matchspy(dates.get());
      if (options.histogram_by) {
        // Split: the top values here, then one match per value for its dates (below).
        series = std::make_unique<FacetCounter>(std::vector<FacetKind>{*options.histogram_by},
                                                true);
        series->Attach(&enquire);
      }
    } else {
      enquire.add_matchspy(histogram.get());
    }
  }
  // --dedup: Xapian keeps the best hit of each duplicate group; the spy counts the groups
  // and their copies exactly (the MSet's own totals are estimates under collapsing).
  std::unique_ptr<GroupSpy> groups;
  if (options.dedup) {
    groups = std::make_unique<GroupSpy>();
    enquire.add_matchspy(groups.get());
    enquire.set_collapse_key(schema::kSlotGroup);
  }
  result->dedup = options.dedup;
  result->count_groups = options.count_groups;
  // check_at_least = doccount makes the total exact, not an estimate, and lets the spies see
  // every match. When only CountShards needs every match, it gives the exact total, and this
  // match may stop as soon as it has its hits.
  // A search without facets gives an exact total too. Where the counting matcher covers the
  // query (words, boolean searches, fields, wildcards, entity filters), it counts the matches,
  // unweighted (beside the ranking match, or after it when that match runs a thread per shard),
  // and the ranking match stops at its hits instead of weighing every match (at 1,000,000 articles `government`, 600,680 matches: scripts/
  // BENCHMARKS.md). Not for date ranges: without the facet cache the counting reads their
  // values document by document, and they measured twice as slow that way. DOSSIER_COUNT_TOTAL=0:
  // the ranking match weighs every match for the total.
  const bool count_total = options.facets.empty() && !remote && !histogram && !groups &&
                           CountTotal() && !HasValueRange(query) &&
                           FacetCounter::CountsWithoutMatcher(query);
  const bool total_from_facets = (shard_facets && !histogram && !groups) || count_total;
  // The hits: from shard by shard matches for a filter whose total comes from the facets
  // (nothing spies on this match), else from one match over the whole database.
  Xapian::MSet mset;
  std::vector<Xapian::MSet> shard_msets;
  std::vector<Pick> picks;
  // Local facets are counted on a second handle of the same shards, at the same revisions,
  // while this thread runs the ranking match: that match is one thread, the counting one per
  // shard, and at 1,000,000 articles each took about half of a faceted search's time.
  // The cache from the searcher's second faceted search on: a one-shot dossier-search would
  // only pay for filling it (at 1,000,000 articles, `*` would keep ~ 150 MB of ids).
  FacetCache* cache = nullptr;
  const Xapian::Database* count_db = nullptr;
  // Whether a weighted query may be ranked shard by shard (below): local shards, relevance
  // order, nothing spying on the ranking match. Likely to be when its query allows (it may still
  // find a shard where two terms look alike and fall back to one match).
  const bool shard_ranking = !remote && options.sort == SortOrder::kRelevance &&
                             db->size() > 1 && (!facets || shard_facets) && !histogram && !groups;
  const bool rank_by_shard = shard_ranking && !Unweighted(query) && RankableShardByShard(query);
  std::string serialised;  // the query, for the counting thread's own copy
  if (shard_facets) {
    const int which = options.statements ? 1 : 0;
    cache = faceted_searches_[which]++ > 0 ? &facet_caches_[which] : nullptr;
    // Not for an unweighted query in relevance order (a filter: `*`, `person:...`): its
    // hits come from the first matches of each shard, quickly, and the two handles reading
    // the same posting lists measured slower than one after the other (at 1,000,000
    // articles, entity filters 17 -> 22 ms). Nor when the counting goes through Xapian's
    // matcher (phrases, NEAR, wildcards): its threads keep both cores busy already, and at
    // 200,000 articles phrases took 12.9 ms one after the other, 16.4 ms side by side.
    // Nor when the ranking match itself runs one thread per shard (RankShardsInParallel):
    // four threads on two cores measured slower than ranking, then counting (at 1,000,000
    // articles words 38.5 -> 34.4 ms, boolean 41 -> 35, dates 30 -> 27).
    if ((!Unweighted(query) || options.sort != SortOrder::kRelevance) && !rank_by_shard &&
        FacetCounter::CountsWithoutMatcher(query)) {
      count_db = CountingDatabase(options.statements, *db);
    }
  }
  if (count_total && (!Unweighted(query) || options.sort != SortOrder::kRelevance) &&
      !rank_by_shard) {
    count_db = CountingDatabase(options.statements, *db);  // as for facets, above
  }
  if (count_db != nullptr) {
    try {
      serialised = query.serialise();
    } catch (const Xapian::Error&) {
      count_db = nullptr;  // e.g. a posting source that cannot be serialised
    }
  }
  Xapian::doccount counted = 0;
  std::exception_ptr count_error;
  std::thread counting;
  if (count_db != nullptr) {
    try {
      counting = std::thread([&] {
        try {
          // Its own copy: Xapian's reference counts are not atomic.
          const Xapian::Query copy = Xapian::Query::unserialise(serialised);
          counted = count_total ? FacetCounter::CountMatches(*count_db, copy)
                                : facets->CountShards(*count_db, copy, cache);
        } catch (...) {
          count_error = std::current_exception();
        }
      });
    } catch (const std::system_error&) {
      // no thread to be had: counted below, after the ranking match
    }
  }
  // Joined before this function returns, whatever the ranking match throws.
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{counting};
  // Phrases and NEAR are counted through Xapian's matcher, which checks the positions of every
  // document that has their words; the ranking match would check them all again. So they are
  // counted first, keeping the matches, and the ranking match weighs the words of those
  // documents only, reading no positions (WithoutRequiredPositions: the same weights).
  // DOSSIER_POSITIONS_ONCE=0 switches it off (see PositionsOnce).
  bool counted_first = false;
  Xapian::doccount first_count = 0;
  Xapian::Query without_positions;
  // How the ranking match's query is copied for a thread of its own (RankShardsInParallel).
  std::function<Xapian::Query()> copy_ranked;
  if (shard_facets && count_db == nullptr && PositionsOnce() &&
      WithoutRequiredPositions(query, &without_positions)) {
    FacetCounter::ShardMatches matched;
    first_count = facets->CountShards(*db, query, cache, &matched);
    counted_first = true;
    if (std::unique_ptr<MatchedDocs> docs = MatchedDocs::Make(std::move(matched))) {
      copy_ranked = [sets = docs->sets(), words = without_positions.serialise()] {
        return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::unserialise(words),
                             Xapian::Query((new MatchedDocs(sets))->release()));
      };
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, without_positions,
                                      Xapian::Query(docs.release()->release())));
    }
  }
  const bool by_shard = total_from_facets && options.sort == SortOrder::kRelevance &&
                        db->size() > 1 && Unweighted(query) &&
                        SearchShardsUnweighted(*db, query,
                                               static_cast<Xapian::doccount>(options.offset),
                                               want, &shard_msets, &picks);
  // A weighted query over local shards, when nothing spies on the match and the order is
  // relevance: each shard ranked on a thread of its own, with the whole database's
  // statistics (shard_rank.h): the same hits and weights as the one match below.
  bool ranked_by_shard = false;
  std::optional<Xapian::MSet> snippet_mset;  // for snippets instead of the hits' own MSets
  if (!by_shard && shard_ranking) {
    std::vector<ShardHit> shard_hits;
    Xapian::doccount total = 0;
    bool exact = false;
    ranked_by_shard = RankShardsInParallel(
        *db, enquire.get_query(), copy_ranked, options.bm25.first, options.bm25.second,
        static_cast<Xapian::doccount>(options.offset), want, total_from_facets ? 0 : doccount,
        &shard_msets, &shard_hits, &total, &exact);
    if (ranked_by_shard) {
      if (counted_first) {
        // The shards' MSets highlight the words of the ranking query; the phrases' are wanted
        // (MSet::snippet reads its Enquire's query). A match for no hits sets up nothing else.
        enquire.set_query(query);
        if (options.snippets) snippet_mset = enquire.get_mset(0, 0, Xapian::doccount{0});
      }
      for (const ShardHit& h : shard_hits) picks.push_back({&shard_msets[h.shard], h.it, h.docid});
      result->total = total;
      result->total_exact = exact;
    }
  }
  if (!by_shard && !ranked_by_shard) {
    mset = enquire.get_mset(static_cast<Xapian::doccount>(options.offset), want,
                            total_from_facets ? 0 : doccount);
    // MSet::snippet reads the Enquire's query when called: the phrases again for highlighting.
    if (counted_first) enquire.set_query(query);
    for (auto it = mset.begin(); it != mset.end(); ++it) picks.push_back({&mset, it, *it});
    result->total = mset.get_matches_estimated();
    result->total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  }
  if (shard_facets) {
    Xapian::doccount matches;
    if (counted_first) {
      matches = first_count;
    } else if (counting.joinable()) {
      counting.join();
      if (count_error) std::rethrow_exception(count_error);
      matches = counted;
    } else {
      matches = facets->CountShards(*db, query, cache);
    }
    if (total_from_facets) {
      result->total = matches;
      result->total_exact = true;
    }
  }
  if (count_total) {
    if (counting.joinable()) {
      counting.join();
      if (count_error) std::rethrow_exception(count_error);
    } else {
      counted = FacetCounter::CountMatches(*db, query);
    }
    result->total = counted;
    result->total_exact = true;
  }
  if (options.dedup) {
    result->total = groups->groups();
    result->total_exact = true;
  }
  if (facets) result->facets = facets->Results(options.facet_size);
  if (histogram) {
    if (dates) histogram->AddDateCounts(*dates);
    if (series) {
      const std::vector<FacetResult> top = series->Results(options.facet_size);
      for (const FacetValue& v : top.front().values) {
        Xapian::Enquire one(*db);
        one.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                    SeriesFilter(*options.histogram_by, v.value)));
        Xapian::ValueCountMatchSpy series_dates(schema::kSlotDate);
        one.add_matchspy(&series_dates);
        one.get_mset(0, 0, doccount);
        histogram->AddDateCounts(series_dates, &v.value);
      }
    }
    Histogram h;
    std::string error;
    if (!histogram->Result(options.facet_size, options.from, options.to, &h, &error)) {
      return Status::InvalidArgument(error);
    }
    result->histogram = std::move(h);
  }
  if (facets || histogram || dates || series || groups) enquire.clear_matchspies();

  const Xapian::Stem stemmer = schema::Stemmer();
  const std::string hi_start(1, kHighlightStart), hi_end(1, kHighlightEnd);
  uint64_t rank = options.offset;
  auto emit = [&](Hit&& h) {
    if (sink) {
      (*sink)(*result, std::move(h));
      ++*streamed;
    } else {
      result->hits.push_back(std::move(h));
    }
  };
  for (const Pick& pick : picks) {
    const Xapian::MSet& mset = snippet_mset ? *snippet_mset : *pick.mset;
    const Xapian::MSetIterator& it = pick.it;
    Hit hit;
    hit.rank = ++rank;
    hit.docid = pick.docid;
    hit.score = it.get_weight();
    Xapian::Document doc = it.get_document();
    if (options.dedup) hit.copies = groups->Copies(doc);
    if (options.statements) {
      if (Status s = schema::DecodeStoredStatement(doc.get_data(), &hit.statement); !s.ok()) {
        return Status::Corruption(
            fmt::format("statement {} in '{}': {}", pick.docid, path_, s.message()));
      }
      if (options.snippets) {
        // The whole statement, with the query's words highlighted.
        hit.snippet = UnescapeHtml(mset.snippet(hit.statement.text, hit.statement.text.size() + 16,
                                                stemmer, 0, hi_start, hi_end, ""));
      }
      emit(std::move(hit));
      continue;
    }
    if (Status s = schema::DecodeStoredArticle(doc.get_data(), &hit.article); !s.ok()) {
      return Status::Corruption(
          fmt::format("document {} in '{}': {}", pick.docid, path_, s.message()));
    }
    hit.display_title =
        hit.article.title.empty() ? FirstSentence(hit.article.body) : hit.article.title;
    if (options.snippets && !hit.article.body.empty()) {
      hit.snippet = Snippet(mset, hit.article.body, options.snippet_bytes, stemmer);
    }
    emit(std::move(hit));
  }
  return Status::OK();
}

}  // namespace dossier::searcher
