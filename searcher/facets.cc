// FacetSpy: exact facet counts from the value slots of matching documents.
#include "searcher/facets.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "schema/facet_ids.h"
#include "schema/schema.h"
#include "searcher/research.h"
#include "searcher/shard_threads.h"

namespace dossier::searcher {

namespace {

struct FacetInfo {
  FacetKind kind;
  const char* name;
};
constexpr FacetInfo kFacets[] = {
    {FacetKind::kPerson, "person"}, {FacetKind::kInstitution, "institution"},
    {FacetKind::kTopic, "topic"},   {FacetKind::kPlace, "place"},
    {FacetKind::kSource, "source"}, {FacetKind::kYear, "year"},
    {FacetKind::kMonth, "month"},   {FacetKind::kSpeaker, "speaker"},
};

Xapian::valueno ListSlot(FacetKind k) {
  switch (k) {
    case FacetKind::kPerson:
      return schema::kSlotPeople;
    case FacetKind::kInstitution:
      return schema::kSlotInstitutions;
    case FacetKind::kTopic:
      return schema::kSlotTopics;
    case FacetKind::kPlace:
      return schema::kSlotPlaces;
    default:
      return Xapian::BAD_VALUENO;
  }
}

}  // namespace

bool ParseFacetKind(const std::string& name, FacetKind* out) {
  std::string n = name == "org" ? "institution" : name;
  for (const FacetInfo& f : kFacets) {
    if (n == f.name) {
      *out = f.kind;
      return true;
    }
  }
  return false;
}

std::string FacetName(FacetKind kind) {
  for (const FacetInfo& f : kFacets)
    if (f.kind == kind) return f.name;
  return "?";
}

Status ParseFacetList(const std::string& list, std::vector<FacetKind>* out) {
  out->clear();
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string name = list.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) {
      FacetKind k;
      if (!ParseFacetKind(name, &k)) {
        return Status::InvalidArgument(fmt::format(
            "unknown facet '{}' (person, institution, topic, place, source, year, month, speaker)",
            name));
      }
      if (std::find(out->begin(), out->end(), k) == out->end()) out->push_back(k);
    }
    start = comma + 1;
  }
  return Status::OK();
}

namespace {

Xapian::valueno SlotOf(FacetKind k) {
  switch (k) {
    case FacetKind::kSource:
      return schema::kSlotSource;
    case FacetKind::kSpeaker:
      return schema::kSlotSpeaker;
    case FacetKind::kYear:
    case FacetKind::kMonth:
      return schema::kSlotDate;
    default:
      return ListSlot(k);
  }
}

// Counts per name without a std::string per name and document: an open-addressing table of
// (hash, name, count) whose names live once in an arena. A std::unordered_map<std::string>
// here was 43 % of a faceted query's time (a substring copy, a hash and a node per name).
class NameCounts {
 public:
  void Add(std::string_view name, uint64_t n) {
    if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
    const uint32_t h = static_cast<uint32_t>(std::hash<std::string_view>()(name));
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Entry& e = slots_[i];
      if (e.count == 0) {
        e = {h, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(name.size()),
             static_cast<uint32_t>(n)};
        arena_.append(name);
        ++used_;
        return;
      }
      if (e.hash == h && Name(e) == name) {
        e.count += static_cast<uint32_t>(n);
        return;
      }
    }
  }
  size_t size() const { return used_; }
  // Calls f(name, count) for every name; the views live as long as this object.
  template <class F>
  void ForEach(F&& f) const {
    for (const Entry& e : slots_)
      if (e.count != 0) f(Name(e), e.count);
  }

 private:
  // 16 bytes, so that the table stays in cache. 32 bits suffice: a count never exceeds the
  // number of matching documents (Xapian::doccount is 32-bit), and the distinct names of one
  // facet never add up to 4 GiB.
  struct Entry {
    uint32_t hash = 0;
    uint32_t offset = 0, length = 0;
    uint32_t count = 0;  // 0: an empty entry (Add never adds 0)
  };
  std::string_view Name(const Entry& e) const {
    return std::string_view(arena_).substr(e.offset, e.length);
  }
  void Grow() {
    std::vector<Entry> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Entry());
    const size_t mask = slots_.size() - 1;
    for (const Entry& e : old) {
      if (e.count == 0) continue;
      size_t i = e.hash & mask;
      while (slots_[i].count != 0) i = (i + 1) & mask;
      slots_[i] = e;
    }
  }
  std::vector<Entry> slots_;
  std::string arena_;
  size_t used_ = 0;
};

// The counts of one facet. Years and months are counted as numbers and named at the end (the
// date slot holds seconds, nearly one distinct value per article).
class Tally {
 public:
  explicit Tally(FacetKind kind) : kind_(kind) {}
  // Adds `n` for one slot value `v` of a document (or of `n` documents sharing that value).
  void Add(std::string_view v, uint64_t n) {
    if (v.empty()) return;
    switch (kind_) {
      case FacetKind::kSource:
      case FacetKind::kSpeaker:
        names_.Add(v, n);
        return;
      case FacetKind::kYear:
      case FacetKind::kMonth: {
        int y, m, d;
        schema::CivilFromSeconds(static_cast<int64_t>(Xapian::sortable_unserialise(std::string(v))),
                                 &y, &m, &d);
        AddPeriod(kind_ == FacetKind::kYear ? y : int64_t{y} * 12 + (m - 1), n);
        return;
      }
      default: {
        size_t start = 0;
        while (start < v.size()) {
          size_t nl = v.find('\n', start);
          if (nl == std::string_view::npos) nl = v.size();
          if (nl > start) names_.Add(v.substr(start, nl - start), n);
          start = nl + 1;
        }
      }
    }
  }
  size_t distinct() const { return names_.size() + periods_.size(); }
  // Adds every value `other` counted, with its count, or once each (`once`: duplicate groups).
  void AddTally(const Tally& other, bool once) {
    other.names_.ForEach(
        [&](std::string_view name, uint64_t c) { names_.Add(name, once ? 1 : c); });
    for (const auto& [key, c] : other.periods_) AddPeriod(key, once ? 1 : c);
  }
  // Calls f(name, count) for every value counted.
  template <class F>
  void ForEach(F&& f) const {
    names_.ForEach(f);
    for (const auto& [key, count] : periods_) {
      const std::string name =
          kind_ == FacetKind::kYear
              ? fmt::format("{:04}", key)
              : fmt::format("{:04}-{:02}", FloorDiv12(key), key - FloorDiv12(key) * 12 + 1);
      f(std::string_view(name), count);
    }
  }

 private:
  void AddPeriod(int64_t key, uint64_t n) { periods_[key] += n; }
  static int64_t FloorDiv12(int64_t k) { return k >= 0 ? k / 12 : -((-k + 11) / 12); }
  FacetKind kind_;
  NameCounts names_;
  // year, or year * 12 + month - 1 -> count (integers hash cheaply).
  std::unordered_map<int64_t, uint64_t> periods_;
};

}  // namespace

// ---- Counting shard by shard, with a FacetCache ----

namespace {

constexpr size_t kKindCount = 8;  // FacetKind's values
size_t KindIndex(FacetKind k) { return static_cast<size_t>(k); }

// A cheap 64-bit hash of a short string, 8 bytes at a time (std::hash's murmur was ~ 70
// instructions a name). Only spreads names over the table: names are compared in full.
uint64_t FastHash(const char* p, size_t n) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  uint64_t h = n * kMul;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w;
    if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = (uint64_t{a} << 32) | b;
    } else {
      const auto* u = reinterpret_cast<const unsigned char*>(p);
      w = (uint64_t{u[0]} << 16) | (uint64_t{u[n / 2]} << 8) | u[n - 1];
    }
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

std::string PeriodName(FacetKind kind, int64_t key) {
  auto floor_div12 = [](int64_t k) { return k >= 0 ? k / 12 : -((-k + 11) / 12); };
  return kind == FacetKind::kYear
             ? fmt::format("{:04}", key)
             : fmt::format("{:04}-{:02}", floor_div12(key), key - floor_div12(key) * 12 + 1);
}

constexpr uint32_t kNotCached = 0xFFFFFFFF;

// The names of one facet kind, numbered in order of first sight: an open-addressing table of
// 16-byte entries (at most half full) over one arena of names. Lists are looked up in batches
// whose table entries are prefetched first: the tables of a large archive (tens of thousands
// of people) do not fit in the CPU's caches. 32-byte entries holding the first 20 bytes of
// the name measured slower: a search that starts with no names spent ~ 20 % of its time
// zero-filling and page-faulting the twice larger tables as they grew.
class Dictionary {
 public:
  uint32_t size() const { return static_cast<uint32_t>(names_.size()); }
  std::string_view name(uint32_t id) const {
    return std::string_view(arena_).substr(names_[id].first, names_[id].second);
  }
  size_t bytes() const {
    return slots_.size() * sizeof(Entry) + arena_.size() + names_.size() * 8 + periods_.size() * 32;
  }
  // Appends the ids of the '\n'-separated names of `list` (empty ones skipped) to `out`.
  void InternList(std::string_view list, std::vector<uint32_t>* out) {
    constexpr size_t kBatch = 32;
    struct Item {
      const char* p;
      uint32_t length, hash;
    };
    Item items[kBatch];
    const char* p = list.data();
    const char* const end = p + list.size();
    while (p < end) {
      Reserve(kBatch);
      const size_t mask = slots_.size() - 1;
      size_t k = 0;
      while (p < end && k < kBatch) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
        if (nl == nullptr) nl = end;
        if (nl > p) {
          const uint32_t h = static_cast<uint32_t>(FastHash(p, nl - p));
          __builtin_prefetch(&slots_[h & mask]);
          items[k++] = {p, static_cast<uint32_t>(nl - p), h};
        }
        p = nl + 1;
      }
      for (size_t i = 0; i < k; ++i)
        out->push_back(Insert(std::string_view(items[i].p, items[i].length), items[i].hash));
    }
  }
  uint32_t Intern(std::string_view name) {
    Reserve(1);
    return Insert(name, static_cast<uint32_t>(FastHash(name.data(), name.size())));
  }
  // Years and months by number (`key`: year, or year * 12 + month - 1), named once.
  uint32_t InternPeriod(FacetKind kind, int64_t key) {
    auto [it, added] = periods_.try_emplace(key, size());
    if (added) AddName(PeriodName(kind, key));
    return it->second;
  }

 private:
  struct Entry {
    uint32_t hash = 0;
    uint32_t id_plus_1 = 0;  // 0: an empty entry
    uint32_t offset = 0, length = 0;  // the name in arena_
  };
  static_assert(sizeof(Entry) == 16);
  void Reserve(size_t more) {
    while ((names_.size() + more) * 2 > slots_.size()) Grow();
  }
  uint32_t Insert(std::string_view name, uint32_t h) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Entry& e = slots_[i];
      if (e.id_plus_1 == 0) {
        const uint32_t id = size();
        e = {h, id + 1, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(name.size())};
        AddName(name);
        return id;
      }
      if (e.hash == h && e.length == name.size() &&
          std::memcmp(arena_.data() + e.offset, name.data(), name.size()) == 0) {
        return e.id_plus_1 - 1;
      }
    }
  }
  void AddName(std::string_view name) {
    names_.emplace_back(static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(name.size()));
    arena_.append(name);
  }
  void Grow() {
    std::vector<Entry> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Entry());
    const size_t mask = slots_.size() - 1;
    for (const Entry& e : old) {
      if (e.id_plus_1 == 0) continue;
      size_t i = e.hash & mask;
      while (slots_[i].id_plus_1 != 0) i = (i + 1) & mask;
      slots_[i] = e;
    }
  }
  std::vector<Entry> slots_;
  std::string arena_;                                  // every name, once
  std::vector<std::pair<uint32_t, uint32_t>> names_;   // id -> offset, length in arena_
  std::unordered_map<int64_t, uint32_t> periods_;      // year / month number -> id
};

// Whether to count from the documents' facet ids: when it pays (below), unless
// DOSSIER_FACET_IDS is 0 (never: the name slots, as for documents written before the ids
// existed) or 1 (always, where the documents have them). Tests compare the two.
enum class IdsUse { kWhenItPays, kNever, kAlways };
IdsUse FacetIdsUse() {
  static const IdsUse use = [] {
    const char* v = std::getenv("DOSSIER_FACET_IDS");
    if (v != nullptr && std::string_view(v) == "0") return IdsUse::kNever;
    if (v != nullptr && std::string_view(v) == "1") return IdsUse::kAlways;
    return IdsUse::kWhenItPays;
  }();
  return use;
}

// Counting a match from its ids instead of its names saves ≈ 8,000 instructions (callgrind,
// generated articles, six facets). Loading a shard's numbering costs ≈ 300 instructions a name
// when every name is mapped into the cache's dictionaries (a searcher with a cache budget),
// ≈ 150 when read as it is (no budget: one-shot searches): the ids pay once a shard's matches
// are more than about 1/25 (1/50) of the names to load.
constexpr uint64_t kNamesPerMatchSaved = 25;
constexpr uint64_t kNamesPerMatchSavedLocal = 50;

// The ids of each document's values of a set of facet kinds (`kinds`, in KindIndex order), in
// one shard: the run of document d starts at ids[start[d]] and holds how many ids, then those
// ids, each with its kind's place in `kinds` in its top bits (kRunKindShift). One run per
// document for all the kinds a search counts, not one per kind: a warm search's counting loop
// spent most of its time waiting for the five loads of start[d] and of the run's first id,
// one per kind, that missed the CPU's caches. One loop over all of them, not one per kind: a
// loop per kind ends at a different count each time, a branch the CPU likely mispredicts (this
// machine has no counters to show it; a benchmark of the two loops over 600,000 made-up runs:
// 29.6 -> 17.6 ms, medians of five).
constexpr uint32_t kRunKindShift = 28;
constexpr uint32_t kRunIdMask = (uint32_t{1} << kRunKindShift) - 1;
static_assert(kKindCount <= (uint32_t{1} << (32 - kRunKindShift)));
struct Runs {
  std::vector<FacetKind> kinds;
  std::vector<uint32_t> start;  // kNotCached: the document has no run (yet)
  std::vector<uint32_t> ids;
};

bool ByKindIndex(FacetKind a, FacetKind b) { return KindIndex(a) < KindIndex(b); }

// One shard's posting list of one term as docids, kept between searches: a bitmap when the
// term is in more than 1 document of 32 (4 bytes a docid cost more then), else the sorted
// docids. Counting a warm search's matches spent about half its time decoding Xapian's posting
// lists (libxapian and pread: 50 % of the samples at 1,000,000 articles, words class).
struct TermDocs {
  std::vector<uint64_t> bits;  // dense: bit d of the shard's docid d
  std::vector<Xapian::docid> ids;
  bool dense = false;
  size_t bytes() const { return (bits.size() * 8 + ids.size() * 4); }
};

// A shard's term seen by the counting matcher: how often, and its docids once kept.
struct TermEntry {
  uint32_t uses = 0;
  std::shared_ptr<const TermDocs> docs;
};

// Bytes a term's entry costs besides its docids (the map's node, the name).
size_t TermEntryBytes(const std::string& term) { return term.size() + 64; }

// The first docid >= `from` whose bit is set in `bits` (0: none).
Xapian::docid NextBit(const std::vector<uint64_t>& bits, uint64_t from) {
  size_t w = from / 64;
  if (w >= bits.size()) return 0;
  uint64_t word = bits[w] & (~uint64_t{0} << (from % 64));
  while (word == 0) {
    if (++w == bits.size()) return 0;
    word = bits[w];
  }
  return static_cast<Xapian::docid>(w * 64 + static_cast<size_t>(__builtin_ctzll(word)));
}

// DOSSIER_FACET_TERM_DOCS: "off" keeps no term's docids; "dense" / "sparse" keep every term
// as a bitmap / as sorted docids (tests compare); else by the term's density.
enum class TermDocsUse { kByDensity, kOff, kDense, kSparse };
TermDocsUse TermDocsMode() {
  const char* v = std::getenv("DOSSIER_FACET_TERM_DOCS");
  if (v == nullptr) return TermDocsUse::kByDensity;
  const std::string_view m(v);
  return m == "off"      ? TermDocsUse::kOff
         : m == "dense"  ? TermDocsUse::kDense
         : m == "sparse" ? TermDocsUse::kSparse
                         : TermDocsUse::kByDensity;
}

// One shard's values of a slot of numbers (sortable_serialise: dates) as numbers, kept
// between searches for value ranges: NaN where a document has none. Reading a slot's value
// stream cost a date filter ~ 30 ms at 1,000,000 articles (`* date:2019` against `year:2020`,
// a term, 6 ms).
struct KeptValues {
  uint32_t uses = 0;
  bool unusable = false;  // a value that is not a sortable_serialise'd number
  std::shared_ptr<const std::vector<double>> numbers;
};

}  // namespace

// One shard's facet ids of one slot (schema/facet_ids.h) as ids of the cache's Dictionary.
struct IdMap {
  bool loaded = false;
  bool usable = false;  // the shard's numbering was readable
  std::vector<uint32_t> to_dict;
};

// One shard's numbering of one slot, read as it is (no look-ups): the name of id i is
// arena[starts[i], starts[i + 1] - 1) (each name is followed by its line break). What a search
// without a cache budget loads: it counts by these ids and looks up only the names it counted.
struct LocalNames {
  std::string arena;
  std::vector<uint32_t> starts{0};
  uint32_t size() const { return static_cast<uint32_t>(starts.size() - 1); }
  std::string_view name(uint32_t id) const {
    return std::string_view(arena).substr(starts[id], starts[id + 1] - starts[id] - 1);
  }
  bool Load(const Xapian::Database& one, Xapian::valueno slot) {
    const bool ok = schema::ForEachFacetChunk(one, slot, [&](const std::string& list) {
      const size_t base = arena.size();
      arena.append(list);
      const char* p = list.data();
      const char* const end = p + list.size();
      while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
        p = nl + 1;
        starts.push_back(static_cast<uint32_t>(base + (p - list.data())));
      }
    });
    if (!ok || arena.size() > UINT32_MAX) {
      arena.clear();
      starts.assign(1, 0);
      return false;
    }
    return true;
  }
};

struct FacetCache::Impl {
  explicit Impl(size_t max) : max_bytes(max) {}
  size_t max_bytes;
  size_t run_bytes = 0;  // held by the Runs
  Dictionary dicts[kKindCount];
  // [shard]: one Runs per set of kinds searches counted (usually one), each in its own heap
  // block so that a spy's pointer stays valid while another set is added.
  std::vector<std::vector<std::unique_ptr<Runs>>> shards;
  std::vector<std::array<IdMap, schema::kFacetIdSlotCount>> id_maps;  // [shard][slot]
  // [shard]: the terms the counting matcher met, their docids kept from the second search
  // that meets them on (a term met once is often never met again), within a quarter of the
  // budget. Each shard's map is touched only by the thread counting that shard.
  std::vector<std::unordered_map<std::string, TermEntry>> terms;
  // [shard]: slots value ranges met, their numbers kept as terms' docids are (same budget).
  std::vector<std::unordered_map<Xapian::valueno, KeptValues>> values;
  size_t term_bytes = 0;
  // The ids of `slot` in `shard` (`one`), loaded on first use; nullptr if unusable.
  const IdMap* id_map(size_t shard, const Xapian::Database& one, Xapian::valueno slot,
                      Dictionary* dict) {
    if (id_maps.size() <= shard) id_maps.resize(shard + 1);
    IdMap& m = id_maps[shard][slot];
    if (!m.loaded) {
      m.loaded = true;
      m.usable = schema::ForEachFacetName(
          one, slot, [&](std::string_view name) { m.to_dict.push_back(dict->Intern(name)); });
      if (!m.usable) m.to_dict.clear();
    }
    return m.usable ? &m : nullptr;
  }
  // Whether `more` bytes of runs still fit, counting them if so.
  bool Take(size_t more) {
    if (run_bytes + term_bytes + more > max_bytes) return false;
    run_bytes += more;
    return true;
  }
  // The same for terms' entries and docids, which may hold a quarter of the budget.
  bool TakeForTerms(size_t more) {
    if (term_bytes + more > max_bytes / 4 || run_bytes + term_bytes + more > max_bytes) {
      return false;
    }
    term_bytes += more;
    return true;
  }
  // The docids of `term` ("": every document) in `shard` (`one`) when kept, else nullptr;
  // kept from the second search that meets the term on, budget allowing. `mu` guards the
  // budget; the shard's map is the calling thread's own.
  std::shared_ptr<const TermDocs> KeptDocs(size_t shard, const Xapian::Database& one,
                                           const std::string& term, std::mutex* mu) {
    const TermDocsUse mode = TermDocsMode();
    if (max_bytes == 0 || mode == TermDocsUse::kOff) return nullptr;
    std::unordered_map<std::string, TermEntry>& map = terms[shard];
    auto it = map.find(term);
    if (it == map.end()) {
      std::lock_guard<std::mutex> lock(*mu);
      if (!TakeForTerms(TermEntryBytes(term))) return nullptr;
      it = map.emplace(term, TermEntry{}).first;
    }
    TermEntry& entry = it->second;
    if (entry.docs || ++entry.uses < 2) return entry.docs;
    const Xapian::docid last = one.get_lastdocid();
    const Xapian::doccount df = term.empty() ? one.get_doccount() : one.get_termfreq(term);
    const bool dense = mode == TermDocsUse::kDense ||
                       (mode == TermDocsUse::kByDensity && uint64_t{df} * 32 > last);
    const size_t bytes = dense ? (size_t{last} / 64 + 1) * 8 : size_t{df} * 4;
    {
      std::lock_guard<std::mutex> lock(*mu);
      if (!TakeForTerms(bytes)) return nullptr;
    }
    auto docs = std::make_shared<TermDocs>();
    docs->dense = dense;
    if (dense) {
      docs->bits.assign(size_t{last} / 64 + 1, 0);
    } else {
      docs->ids.reserve(df);
    }
    for (Xapian::PostingIterator p = one.postlist_begin(term), end = one.postlist_end(term);
         p != end; ++p) {
      const Xapian::docid d = *p;
      if (!dense) {
        docs->ids.push_back(d);
      } else if (d <= last) {
        docs->bits[d / 64] |= uint64_t{1} << (d % 64);
      }
    }
    if (docs->bytes() != bytes) {  // the budget counts what is held
      std::lock_guard<std::mutex> lock(*mu);
      term_bytes = term_bytes - bytes + docs->bytes();
    }
    entry.docs = std::move(docs);
    return entry.docs;
  }
  // The numbers of `slot` in `shard` (`one`) when kept, else nullptr; kept from the second
  // search that meets the slot on, budget allowing, as KeptDocs.
  std::shared_ptr<const std::vector<double>> KeptNumbers(size_t shard, const Xapian::Database& one,
                                                         Xapian::valueno slot, std::mutex* mu) {
    if (max_bytes == 0 || TermDocsMode() == TermDocsUse::kOff) return nullptr;
    KeptValues& kept = values[shard][slot];
    if (kept.numbers || kept.unusable || ++kept.uses < 2) return kept.numbers;
    const Xapian::docid last = one.get_lastdocid();
    const size_t bytes = (size_t{last} + 1) * sizeof(double);
    {
      std::lock_guard<std::mutex> lock(*mu);
      if (!TakeForTerms(bytes)) return nullptr;
    }
    auto numbers = std::make_shared<std::vector<double>>(
        size_t{last} + 1, std::numeric_limits<double>::quiet_NaN());
    for (Xapian::ValueIterator v = one.valuestream_begin(slot), end = one.valuestream_end(slot);
         v != end; ++v) {
      const std::string raw = *v;
      const double x = Xapian::sortable_unserialise(raw);
      // Compared as numbers only if that orders them as their bytes: each must be the very
      // serialisation of its number.
      if (std::isnan(x) || Xapian::sortable_serialise(x) != raw || v.get_docid() > last) {
        kept.unusable = true;
        std::lock_guard<std::mutex> lock(*mu);
        term_bytes -= bytes;
        return nullptr;
      }
      (*numbers)[v.get_docid()] = x;
    }
    kept.numbers = std::move(numbers);
    return kept.numbers;
  }
};

FacetCache::FacetCache(size_t max_bytes) : impl_(std::make_unique<Impl>(max_bytes)) {}
FacetCache::~FacetCache() = default;
void FacetCache::Clear() { impl_ = std::make_unique<Impl>(impl_->max_bytes); }
void FacetCache::set_max_bytes(size_t max_bytes) {
  if (max_bytes < impl_->run_bytes + impl_->term_bytes) Clear();
  impl_->max_bytes = max_bytes;
}
size_t FacetCache::max_bytes() const { return impl_->max_bytes; }
size_t FacetCache::bytes() const {
  size_t n = impl_->run_bytes + impl_->term_bytes;
  for (const Dictionary& d : impl_->dicts) n += d.bytes();
  return n;
}

// Counts the matches of one shard: each document's ids from the cache, or from its value slots
// (then cached, budget allowing). `counts[i]` is indexed by the ids of kind i.
class FacetCounter::ShardSpy : public Xapian::MatchSpy {
 public:
  // `mu` guards what the shards' spies share, the cache's names and budget (a spy per shard
  // may count on each thread); a shard's runs and the spy's counts are its own.
  ShardSpy(const std::vector<FacetKind>& kinds, FacetCache::Impl* cache, size_t shard,
           const Xapian::Database& one, bool use_ids, std::vector<std::vector<uint32_t>>* counts,
           std::mutex* mu)
      : kinds_(kinds), cache_(cache), counts_(*counts), mu_(*mu) {
    // Locked only where the spies meet: a one-shot search's numberings load in parallel.
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    FindRuns(shard, one.get_lastdocid(), &lock);
    kept_.resize(kinds_.size());
    for (FacetKind k : kinds_) {
      dicts_.push_back(&cache_->dicts[KindIndex(k)]);
      slots_.push_back(SlotOf(k));
      const bool has_ids = std::find(schema::kFacetIdSlots.begin(), schema::kFacetIdSlots.end(),
                                     slots_.back()) != schema::kFacetIdSlots.end();
      // Without a budget nothing is kept for the next search: count by the shard's own ids
      // and look up only the names counted (Flush). With one, map every name once.
      const bool local = use_ids && has_ids && cache_->max_bytes == 0;
      local_names_.emplace_back();
      local_counts_.emplace_back();
      if (local && local_names_.back().Load(one, slots_.back())) {
        local_counts_.back().assign(local_names_.back().size(), 0);
        id_maps_.push_back(nullptr);
        local_.push_back(true);
        continue;
      }
      local_.push_back(false);
      lock.lock();
      id_maps_.push_back(
          use_ids && has_ids ? cache_->id_map(shard, one, slots_.back(), dicts_.back()) : nullptr);
      lock.unlock();
    }
    // Grown after the maps interned every name of the shard.
    lock.lock();
    for (size_t i = 0; i < kinds_.size(); ++i) {
      if (counts_[i].size() < dicts_[i]->size()) counts_[i].resize(dicts_[i]->size(), 0);
    }
    PointRunCounts();
  }
  void operator()(const Xapian::Document& doc, double) override {
    Count(doc.get_docid(), [&](Xapian::valueno slot) { return doc.get_value(slot); });
    if (record_ != nullptr) record_->push_back(doc.get_docid());
  }
  // Keeps the docids the match shows this spy in `record` too.
  void Record(std::vector<Xapian::docid>* record) { record_ = record; }
  // Counts document `did` of the shard; value(slot) gives its value in `slot`, only called for
  // what the cache does not hold.
  template <class Value>
  void Count(Xapian::docid did, Value&& value) {
    ++matches_;
    if (runs_ != nullptr && did < runs_->start.size() && runs_->start[did] != kNotCached) {
      const uint32_t* run = runs_->ids.data() + runs_->start[did];
      const uint32_t n = run[0];  // read once: the counts could alias it
      uint32_t* const* counts = run_counts_;
      if (all_counted_) {
        for (uint32_t j = 1; j <= n; ++j) {
          const uint32_t v = run[j];
          ++counts[v >> kRunKindShift][v & kRunIdMask];
        }
      } else {
        for (uint32_t j = 1; j <= n; ++j) {
          const uint32_t v = run[j];
          if (uint32_t* c = counts[v >> kRunKindShift]) ++c[v & kRunIdMask];
        }
      }
      return;
    }
    bool keep = fill_ && did < runs_->start.size();
    bool decoded = false, have_ids = false;
    for (size_t i = 0; i < kinds_.size(); ++i) {
      ids_.clear();
      if (local_[i]) {
        keep = false;  // shard-local ids (no budget: there are no runs to fill either)
        if (!decoded) {
          decoded = true;
          have_ids = schema::DecodeFacetIds(value(schema::kSlotFacetIds), &doc_ids_);
        }
        const std::vector<uint32_t>& ids = doc_ids_[slots_[i]];
        std::vector<uint32_t>& lc = local_counts_[i];
        if (have_ids &&
            std::all_of(ids.begin(), ids.end(), [&](uint32_t id) { return id < lc.size(); })) {
          for (uint32_t id : ids) ++lc[id];
          continue;
        }
        // No ids (an older document) or ids the numbering read does not cover: the slot.
      }
      // The document's facet ids (one short value for every kind) when it has them and the
      // shard's numbering covers them; else its names from the kind's slot.
      bool from_ids = false;
      if (const IdMap* m = id_maps_[i]) {  // the shard's own, read only once loaded
        if (!decoded) {
          decoded = true;
          have_ids = schema::DecodeFacetIds(value(schema::kSlotFacetIds), &doc_ids_);
        }
        if (have_ids) {
          from_ids = true;
          for (uint32_t id : doc_ids_[slots_[i]]) {
            if (id >= m->to_dict.size()) {
              from_ids = false;
              ids_.clear();
              break;
            }
            ids_.push_back(m->to_dict[id]);
          }
        }
      }
      if (!from_ids) Read(i, value(slots_[i]));
      std::vector<uint32_t>& c = counts_[i];
      for (uint32_t id : ids_) {
        if (id >= c.size()) c.resize(size_t{id} + 1, 0);
        ++c[id];
      }
      if (keep) kept_[i].assign(ids_.begin(), ids_.end());
    }
    PointRunCounts();  // the counts may have grown
    if (!keep) return;
    size_t total = 0;
    for (const int i : run_kinds_) {
      for (uint32_t id : kept_[i]) {
        if (id > kRunIdMask) return;  // no room for its kind beside it: not kept
      }
      total += kept_[i].size();
    }
    std::lock_guard<std::mutex> lock(mu_);  // the cache's budget
    if (!cache_->Take(sizeof(uint32_t) * (total + 1))) return;
    std::vector<uint32_t>& ids = runs_->ids;
    runs_->start[did] = static_cast<uint32_t>(ids.size());
    ids.push_back(static_cast<uint32_t>(total));
    for (size_t k = 0; k < run_kinds_.size(); ++k) {
      const uint32_t tag = static_cast<uint32_t>(k) << kRunKindShift;
      for (uint32_t id : kept_[run_kinds_[k]]) ids.push_back(id | tag);
    }
  }
  std::string name() const override { return "dossier::FacetShardSpy"; }
  Xapian::doccount matches() const { return matches_; }

  // Adds what was counted by the shard's own ids to the counts by dictionary id. Call once,
  // after the match.
  void Flush() {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < kinds_.size(); ++i) {
      if (!local_[i]) continue;
      const std::vector<uint32_t>& lc = local_counts_[i];
      for (uint32_t id = 0; id < lc.size(); ++id) {
        if (lc[id] == 0) continue;
        const uint32_t gid = dicts_[i]->Intern(local_names_[i].name(id));
        std::vector<uint32_t>& c = counts_[i];
        if (c.size() <= gid) c.resize(size_t{gid} + 1, 0);
        c[gid] += lc[id];
      }
    }
  }

 private:
  // The ids of one slot value, into ids_ (as Tally::Add counts it). Names are looked up under
  // the shared lock; a year or month, a value of every document, first in the spy's own map.
  void Read(size_t i, const std::string& v) {
    if (v.empty()) return;
    Dictionary& d = *dicts_[i];
    switch (kinds_[i]) {
      case FacetKind::kSource:
      case FacetKind::kSpeaker: {
        std::lock_guard<std::mutex> lock(mu_);
        ids_.push_back(d.Intern(v));
        return;
      }
      case FacetKind::kYear:
      case FacetKind::kMonth: {
        int y, m, day;
        schema::CivilFromSeconds(static_cast<int64_t>(Xapian::sortable_unserialise(v)), &y, &m,
                                 &day);
        const int64_t key = kinds_[i] == FacetKind::kYear ? y : int64_t{y} * 12 + (m - 1);
        auto [it, added] = period_ids_.try_emplace(key * kKindCount + KindIndex(kinds_[i]), 0);
        if (added) {
          std::lock_guard<std::mutex> lock(mu_);
          it->second = d.InternPeriod(kinds_[i], key);
        }
        ids_.push_back(it->second);
        return;
      }
      default: {
        std::lock_guard<std::mutex> lock(mu_);
        d.InternList(v, &ids_);
      }
    }
  }
  // The shard's runs for these kinds: those of the same set (read and filled), else those of
  // a set holding them all (only read: filling them would read kinds not asked for), else a
  // new set's, budget allowing (else none: every document is read from its values).
  // Per kind of the runs, where its counts are (null: not counted); again whenever they grow.
  void PointRunCounts() {
    for (size_t k = 0; k < run_kinds_.size(); ++k) {
      run_counts_[k] = run_kinds_[k] >= 0 ? counts_[run_kinds_[k]].data() : nullptr;
    }
  }
  void FindRuns(size_t shard, Xapian::docid lastdocid, std::unique_lock<std::mutex>* lock) {
    std::vector<FacetKind> want = kinds_;
    std::sort(want.begin(), want.end(), ByKindIndex);
    std::vector<std::unique_ptr<Runs>>& sets = cache_->shards[shard];  // the shard's own
    for (const std::unique_ptr<Runs>& r : sets) {
      if (r->kinds == want) {
        runs_ = r.get();
        fill_ = true;
        break;
      }
      if (runs_ == nullptr &&
          std::includes(r->kinds.begin(), r->kinds.end(), want.begin(), want.end(), ByKindIndex)) {
        runs_ = r.get();
      }
    }
    if (runs_ == nullptr) {
      lock->lock();
      const bool fits = cache_->Take(sizeof(uint32_t) * (size_t{lastdocid} + 1));
      lock->unlock();
      if (!fits) return;
      sets.push_back(std::make_unique<Runs>());
      runs_ = sets.back().get();
      runs_->kinds = want;
      runs_->start.assign(size_t{lastdocid} + 1, kNotCached);
      fill_ = true;
    }
    all_counted_ = true;
    for (FacetKind k : runs_->kinds) {
      const auto at = std::find(kinds_.begin(), kinds_.end(), k);
      run_kinds_.push_back(at == kinds_.end() ? -1 : static_cast<int>(at - kinds_.begin()));
      all_counted_ = all_counted_ && run_kinds_.back() >= 0;
    }
  }
  std::unordered_map<int64_t, uint32_t> period_ids_;  // (period key, kind) -> dictionary id
  const std::vector<FacetKind>& kinds_;
  FacetCache::Impl* cache_;
  std::vector<std::vector<uint32_t>>& counts_;
  std::mutex& mu_;
  Runs* runs_ = nullptr;       // the shard's runs read (nullptr: none)
  bool fill_ = false;          // runs_ holds exactly kinds_: documents read are added
  std::vector<int> run_kinds_;  // per kind of runs_: its index in kinds_, or -1 (not counted)
  bool all_counted_ = false;    // no -1 in run_kinds_
  uint32_t* run_counts_[kKindCount] = {};  // PointRunCounts
  std::vector<std::vector<uint32_t>> kept_;  // per kind: the ids of the document being read
  std::vector<Dictionary*> dicts_;
  std::vector<Xapian::valueno> slots_;
  std::vector<const IdMap*> id_maps_;  // per kind; nullptr: read the slot
  std::vector<bool> local_;            // per kind: counted by the shard's ids (no budget)
  std::vector<LocalNames> local_names_;
  std::vector<std::vector<uint32_t>> local_counts_;
  schema::FacetIds doc_ids_;
  std::vector<uint32_t> ids_;
  Xapian::doccount matches_ = 0;
  std::vector<Xapian::docid>* record_ = nullptr;
};

class FacetCounter::LocalSpy : public Xapian::MatchSpy {
 public:
  LocalSpy(const std::vector<FacetKind>& kinds, bool count_groups)
      : kinds_(kinds), count_groups_(count_groups) {
    for (FacetKind k : kinds_) {
      slots_.push_back(SlotOf(k));
      tallies_.emplace_back(k);
    }
  }
  // Document::get_value per match and slot is most of the cost left; Xapian's value streams
  // were measured no cheaper per value, and their skip_to is unreliable over shards in 1.4.22.
  void operator()(const Xapian::Document& doc, double) override {
    if (count_groups_) {
      // A group counts once per value any of its matching copies has.
      std::vector<Tally>& group = groups_[GroupKey(doc)];
      if (group.empty()) {
        for (FacetKind k : kinds_) group.emplace_back(k);
      }
      for (size_t i = 0; i < kinds_.size(); ++i) group[i].Add(doc.get_value(slots_[i]), 1);
      return;
    }
    for (size_t i = 0; i < kinds_.size(); ++i) tallies_[i].Add(doc.get_value(slots_[i]), 1);
  }
  std::string name() const override { return "dossier::FacetSpy"; }
  std::vector<Tally>& tallies() {
    for (const auto& [key, group] : groups_) {
      for (size_t i = 0; i < group.size(); ++i) tallies_[i].AddTally(group[i], /*once=*/true);
    }
    groups_.clear();
    return tallies_;
  }

 private:
  const std::vector<FacetKind>& kinds_;
  bool count_groups_;
  std::vector<Xapian::valueno> slots_;
  std::vector<Tally> tallies_;
  std::unordered_map<std::string, std::vector<Tally>> groups_;
};

// Whether counting `query`'s matches in `shard` from facet ids pays: the numberings it needs
// are loaded already (a warm searcher), or the matches Xapian estimates outweigh the names to
// load. Both ways count the same.
bool FacetCounter::IdsPay(FacetCache::Impl* cache, size_t shard, const Xapian::Database& one,
                          const Xapian::Query& query) const {
  uint64_t names = 0;
  for (FacetKind k : kinds_) {
    const Xapian::valueno slot = SlotOf(k);
    if (std::find(schema::kFacetIdSlots.begin(), schema::kFacetIdSlots.end(), slot) ==
        schema::kFacetIdSlots.end()) {
      continue;
    }
    if (shard < cache->id_maps.size() && cache->id_maps[shard][slot].loaded) continue;
    std::optional<uint64_t> n = schema::FacetNameCount(one, slot);
    if (!n) return false;  // no numbering (or an unrecorded one): count from the slots
    names += *n;
  }
  if (names == 0) return true;
  Xapian::Enquire enquire(one);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  const Xapian::doccount estimate = enquire.get_mset(0, 0).get_matches_estimated();
  return uint64_t{estimate} *
             (cache->max_bytes == 0 ? kNamesPerMatchSavedLocal : kNamesPerMatchSaved) >=
         names;
}

FacetCounter::FacetCounter(std::vector<FacetKind> kinds, bool remote, bool count_groups)
    : kinds_(std::move(kinds)) {
  if (!remote) {
    local_ = std::make_unique<LocalSpy>(kinds_, count_groups);
    return;
  }
  for (FacetKind k : kinds_) {
    Xapian::valueno slot = SlotOf(k);
    bool have = false;
    for (const auto& r : remote_) have |= r.first == slot;
    if (!have) remote_.emplace_back(slot, std::make_unique<Xapian::ValueCountMatchSpy>(slot));
  }
}

FacetCounter::~FacetCounter() = default;

void FacetCounter::Attach(Xapian::Enquire* enquire) {
  if (local_) {
    enquire->add_matchspy(local_.get());
  } else {
    for (auto& r : remote_) enquire->add_matchspy(r.second.get());
  }
}

namespace {

// The matches of a query in one shard, for counting them without Xapian's matcher: per match
// the matcher made a Xapian::Document and called the spy, most of a warm faceted search.
// Covers terms, everything, value ranges (dates) and AND / OR / AND_NOT / FILTER of them
// (what words, boolean searches, fields, dates and entity filters parse to); other queries
// (phrases, NEAR, wildcards) go through the matcher. Phrases checked here measured 12-15 times slower than
// the matcher (100,000 generated articles, "said in a statement": 1.8 s against 0.13 s): the
// public position list of one document is a fresh B-tree look-up per term and document, a
// pread each, where Xapian's phrase matching walks each term's positions with a cursor of
// its own. Positioned on its first match once made.
class DocSet {
 public:
  virtual ~DocSet() = default;
  bool at_end() const { return did_ == 0; }
  Xapian::docid docid() const { return did_; }
  virtual void next() = 0;
  // To the first match >= `target` (> the current one).
  virtual void skip_to(Xapian::docid target) = 0;

 protected:
  Xapian::docid did_ = 0;  // 0: no more matches
};

class TermSet : public DocSet {
 public:
  TermSet(const Xapian::Database& one, const std::string& term)
      : it_(one.postlist_begin(term)), end_(one.postlist_end(term)) {
    Settle();
  }
  void next() override {
    ++it_;
    Settle();
  }
  void skip_to(Xapian::docid target) override {
    if (at_end()) return;
    it_.skip_to(target);
    Settle();
  }

 private:
  void Settle() { did_ = it_ == end_ ? 0 : *it_; }
  Xapian::PostingIterator it_, end_;
};

// A term's docids kept in the cache (TermDocs).
class KeptTermSet : public DocSet {
 public:
  explicit KeptTermSet(std::shared_ptr<const TermDocs> docs) : docs_(std::move(docs)) {
    if (docs_->dense) {
      did_ = NextBit(docs_->bits, 1);
    } else {
      Settle();
    }
  }
  void next() override {
    if (docs_->dense) {
      did_ = NextBit(docs_->bits, uint64_t{did_} + 1);
    } else {
      ++at_;
      Settle();
    }
  }
  void skip_to(Xapian::docid target) override {
    if (at_end() || target <= did_) return;
    if (docs_->dense) {
      did_ = NextBit(docs_->bits, target);
      return;
    }
    // Galloping: the next match is usually near.
    const std::vector<Xapian::docid>& ids = docs_->ids;
    size_t step = 1, hi = at_ + 1;
    while (hi < ids.size() && ids[hi] < target) {
      at_ = hi;
      step *= 2;
      hi = at_ + step;
    }
    hi = std::min(hi, ids.size());  // ids[hi] >= target: lower_bound stops there anyway
    at_ = static_cast<size_t>(std::lower_bound(ids.begin() + at_, ids.begin() + hi, target) -
                              ids.begin());
    Settle();
  }

 private:
  void Settle() { did_ = at_ < docs_->ids.size() ? docs_->ids[at_] : 0; }
  std::shared_ptr<const TermDocs> docs_;
  size_t at_ = 0;
};

// Where the counting matcher finds what is kept between searches: given a term, its docids,
// and given a slot, its numbers (nullptr: read the posting list, the value stream).
struct TermKeeper {
  std::function<std::shared_ptr<const TermDocs>(const std::string& term)> docs;
  std::function<std::shared_ptr<const std::vector<double>>(Xapian::valueno slot)> numbers;
};

std::unique_ptr<DocSet> MakeTermSet(const Xapian::Database& one, const std::string& term,
                                    const TermKeeper& keeper) {
  if (keeper.docs) {
    if (std::shared_ptr<const TermDocs> docs = keeper.docs(term)) {
      return std::make_unique<KeptTermSet>(std::move(docs));
    }
  }
  return std::make_unique<TermSet>(one, term);
}

// The union of its sets, gathered into a bitmap of the shard's docids when made: an entity
// filter is an OR of every name holding the words (person:alvarez: 34 names), which merging
// document by document would scan for each match.
class OrSet : public DocSet {
 public:
  OrSet(std::vector<std::unique_ptr<DocSet>> sets, Xapian::docid lastdocid)
      : bits_(size_t{lastdocid} / 64 + 1, 0) {
    for (auto& s : sets) {
      for (; !s->at_end(); s->next()) {
        const Xapian::docid d = s->docid();
        if (d <= lastdocid) bits_[d / 64] |= uint64_t{1} << (d % 64);
      }
    }
    Seek(1);
  }
  void next() override { did_ = NextBit(bits_, uint64_t{did_} + 1); }
  void skip_to(Xapian::docid target) override {
    if (!at_end() && target > did_) did_ = NextBit(bits_, target);
  }

 private:
  void Seek(uint64_t from) { did_ = NextBit(bits_, from); }
  std::vector<uint64_t> bits_;
};

class AndSet : public DocSet {
 public:
  explicit AndSet(std::vector<std::unique_ptr<DocSet>> sets) : sets_(std::move(sets)) {
    Align(sets_[0]->docid());
  }
  void next() override {
    sets_[0]->next();
    Align(sets_[0]->docid());
  }
  void skip_to(Xapian::docid target) override {
    if (at_end()) return;
    if (sets_[0]->docid() < target) sets_[0]->skip_to(target);
    Align(sets_[0]->docid());
  }

 private:
  // Leapfrogs the sets to their first common match >= `target` (0: the first set ended).
  void Align(Xapian::docid target) {
    while (target != 0) {
      bool agreed = true;
      for (auto& s : sets_) {
        if (!s->at_end() && s->docid() < target) s->skip_to(target);
        if (s->at_end()) {
          did_ = 0;
          return;
        }
        if (s->docid() > target) {
          target = s->docid();
          agreed = false;
          break;
        }
      }
      if (agreed) break;
    }
    did_ = target;
  }
  std::vector<std::unique_ptr<DocSet>> sets_;
};

class AndNotSet : public DocSet {
 public:
  AndNotSet(std::unique_ptr<DocSet> left, std::unique_ptr<DocSet> right)
      : left_(std::move(left)), right_(std::move(right)) {
    Settle();
  }
  void next() override {
    left_->next();
    Settle();
  }
  void skip_to(Xapian::docid target) override {
    if (at_end()) return;
    left_->skip_to(target);
    Settle();
  }

 private:
  void Settle() {
    for (; !left_->at_end(); left_->next()) {
      const Xapian::docid d = left_->docid();
      if (!right_->at_end() && right_->docid() < d) right_->skip_to(d);
      if (right_->at_end() || right_->docid() != d) break;
    }
    did_ = left_->docid();
  }
  std::unique_ptr<DocSet> left_, right_;
};

// The slot and bounds of a VALUE_RANGE, VALUE_GE or VALUE_LE query, which Xapian 1.4 has no
// accessors for: read from its serialisation (a byte 0x20 | slot for a range, with the lower
// bound empty for VALUE_LE, or 0x30 | slot for VALUE_GE, then each bound's length and bytes)
// and then checked by serialising the query made from them, so that a misreading (another
// Xapian's format) is never used: the query is then left to Xapian's matcher.
struct ValueBounds {
  Xapian::valueno slot = 0;
  std::string begin, end;
  bool has_end = false;
};
bool ReadValueBounds(const Xapian::Query& q, ValueBounds* out) {
  const Xapian::Query::op type = q.get_type();
  if (type != Xapian::Query::OP_VALUE_RANGE && type != Xapian::Query::OP_VALUE_GE &&
      type != Xapian::Query::OP_VALUE_LE) {
    return false;
  }
  const std::string s = q.serialise();
  size_t p = 0;
  auto byte = [&](uint8_t* b) {
    if (p >= s.size()) return false;
    *b = static_cast<uint8_t>(s[p++]);
    return true;
  };
  auto bytes = [&](std::string* out) {
    uint8_t n;
    if (!byte(&n) || n == 0xff || s.size() - p < n) return false;  // long ones: not read here
    out->assign(s, p, n);
    p += n;
    return true;
  };
  uint8_t head;
  if (!byte(&head)) return false;
  ValueBounds b;
  b.slot = head & 0x0f;
  if (b.slot == 15) {
    uint8_t more;
    if (!byte(&more) || more == 0xff) return false;
    b.slot += more;
  }
  if ((head & 0xf0) == 0x20) {
    if (!bytes(&b.begin) || !bytes(&b.end)) return false;
    b.has_end = true;
  } else if ((head & 0xf0) != 0x30 || !bytes(&b.begin)) {
    return false;
  }
  if (p != s.size()) return false;
  const Xapian::Query again =
      type == Xapian::Query::OP_VALUE_GE   ? Xapian::Query(type, b.slot, b.begin)
      : type == Xapian::Query::OP_VALUE_LE ? Xapian::Query(type, b.slot, b.end)
                                           : Xapian::Query(type, b.slot, b.begin, b.end);
  if (again.serialise() != s) return false;
  *out = std::move(b);
  return true;
}

// The prefix of a wildcard without an expansion limit (`negotiat*`: OP_WILDCARD, as
// QueryParser makes it), read from its serialisation (Xapian 1.4 has no accessors: 0x0b, the
// limit, the limit's type, the combining operator, the pattern) and checked by serialising the
// query read again. Limited wildcards, long or empty patterns: false (Xapian's matcher counts).
bool ReadWildcard(const Xapian::Query& q, std::string* prefix) {
  if (q.get_type() != Xapian::Query::OP_WILDCARD) return false;
  const std::string s = q.serialise();
  if (s.size() < 6 || static_cast<uint8_t>(s[0]) != 0x0b || s[1] != 0) return false;
  const int limit_type = static_cast<uint8_t>(s[2]);
  const auto combiner = static_cast<Xapian::Query::op>(static_cast<uint8_t>(s[3]));
  const size_t n = static_cast<uint8_t>(s[4]);
  if (n == 0 || n == 0xff || s.size() != 5 + n) return false;
  *prefix = s.substr(5, n);
  return Xapian::Query(Xapian::Query::OP_WILDCARD, *prefix, 0, limit_type, combiner).serialise() ==
         s;
}

// The documents whose value in a slot lies within bounds (as Xapian's VALUE_RANGE, VALUE_GE
// and VALUE_LE match: a document without a value in the slot never does), read from the
// slot's value stream.
class ValueRangeSet : public DocSet {
 public:
  ValueRangeSet(const Xapian::Database& one, ValueBounds b)
      : b_(std::move(b)), it_(one.valuestream_begin(b_.slot)), end_(one.valuestream_end(b_.slot)) {
    Settle();
  }
  void next() override {
    ++it_;
    Settle();
  }
  void skip_to(Xapian::docid target) override {
    if (at_end() || target <= did_) return;
    it_.skip_to(target);
    Settle();
  }

 private:
  void Settle() {
    for (; it_ != end_; ++it_) {
      const std::string v = *it_;
      if (v >= b_.begin && (!b_.has_end || v <= b_.end)) {
        did_ = it_.get_docid();
        return;
      }
    }
    did_ = 0;
  }
  ValueBounds b_;
  Xapian::ValueIterator it_, end_;
};

class EmptySet : public DocSet {
 public:
  void next() override {}
  void skip_to(Xapian::docid) override {}
};

// The same from a slot's kept numbers (KeptValues), for bounds that are numbers too.
class NumberRangeSet : public DocSet {
 public:
  NumberRangeSet(std::shared_ptr<const std::vector<double>> numbers, double lo, double hi)
      : numbers_(std::move(numbers)), lo_(lo), hi_(hi) {
    Seek(1);
  }
  void next() override { Seek(uint64_t{did_} + 1); }
  void skip_to(Xapian::docid target) override {
    if (!at_end() && target > did_) Seek(target);
  }

 private:
  void Seek(uint64_t from) {
    const std::vector<double>& v = *numbers_;
    for (uint64_t d = from; d < v.size(); ++d) {
      if (v[d] >= lo_ && v[d] <= hi_) {  // false for NaN: no value
        did_ = static_cast<Xapian::docid>(d);
        return;
      }
    }
    did_ = 0;
  }
  std::shared_ptr<const std::vector<double>> numbers_;
  double lo_, hi_;
};

// The documents of a value range: from the slot's kept numbers when its bounds are numbers,
// else from its value stream. Empty when the bounds miss the slot's values altogether.
std::unique_ptr<DocSet> MakeValueRangeSet(const Xapian::Database& one, ValueBounds b,
                                          const TermKeeper& keeper) {
  auto number = [](const std::string& bound, double none, double* out) {
    if (bound.empty()) {
      *out = none;
      return true;
    }
    *out = Xapian::sortable_unserialise(bound);
    return !std::isnan(*out) && Xapian::sortable_serialise(*out) == bound;
  };
  // As Xapian's matcher: nothing to read when the bounds miss every value of the slot (an
  // empty end bound matches only empty values, which no document has).
  const std::string upper = one.get_value_upper_bound(b.slot);
  if (upper.empty() || b.begin > upper ||
      (b.has_end && (b.end.empty() || b.end < one.get_value_lower_bound(b.slot)))) {
    return std::make_unique<EmptySet>();
  }
  const double inf = std::numeric_limits<double>::infinity();
  double lo, hi = inf;
  if (number(b.begin, -inf, &lo) && (!b.has_end || number(b.end, inf, &hi)) && keeper.numbers) {
    if (std::shared_ptr<const std::vector<double>> numbers = keeper.numbers(b.slot)) {
      return std::make_unique<NumberRangeSet>(std::move(numbers), lo, hi);
    }
  }
  return std::make_unique<ValueRangeSet>(one, std::move(b));
}

// Whether MakeDocSet covers `q` (checked first: making a set may keep its terms' docids).
bool Covered(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
      return true;
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE: {
      ValueBounds b;
      return ReadValueBounds(q, &b);
    }
    case Xapian::Query::OP_WILDCARD: {
      std::string prefix;
      return ReadWildcard(q, &prefix);
    }
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:
      return Covered(q.get_subquery(0));
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_AND_NOT:
      for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
        if (!Covered(q.get_subquery(i))) return false;
      }
      return q.get_num_subqueries() > 0;
    default:
      return false;
  }
}

// The matches of `q` in `one`, or nullptr for a query this does not cover.
std::unique_ptr<DocSet> MakeDocSet(const Xapian::Database& one, const Xapian::Query& q,
                                   const TermKeeper& keeper) {
  std::vector<std::unique_ptr<DocSet>> subs;
  auto make_subs = [&](size_t from) {
    for (size_t i = from; i < q.get_num_subqueries(); ++i) {
      std::unique_ptr<DocSet> sub = MakeDocSet(one, q.get_subquery(i), keeper);
      if (!sub) return false;
      subs.push_back(std::move(sub));
    }
    return !subs.empty();
  };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      return MakeTermSet(one, *q.get_terms_begin(), keeper);
    case Xapian::Query::LEAF_MATCH_ALL:
      return MakeTermSet(one, std::string(), keeper);  // every document
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE: {
      ValueBounds b;
      if (!ReadValueBounds(q, &b)) return nullptr;
      return MakeValueRangeSet(one, std::move(b), keeper);
    }
    case Xapian::Query::OP_WILDCARD: {
      // Expanded over this shard's terms, as Xapian's matcher expands it for each shard.
      std::string prefix;
      if (!ReadWildcard(q, &prefix)) return nullptr;
      for (auto t = one.allterms_begin(prefix); t != one.allterms_end(prefix); ++t) {
        subs.push_back(MakeTermSet(one, *t, keeper));
      }
      return std::make_unique<OrSet>(std::move(subs), one.get_lastdocid());
    }
    case Xapian::Query::OP_SCALE_WEIGHT:
      return MakeDocSet(one, q.get_subquery(0), keeper);
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      if (!make_subs(0)) return nullptr;
      return subs.size() == 1 ? std::move(subs[0]) : std::make_unique<AndSet>(std::move(subs));
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      if (!make_subs(0)) return nullptr;
      return subs.size() == 1 ? std::move(subs[0])
                              : std::make_unique<OrSet>(std::move(subs), one.get_lastdocid());
    case Xapian::Query::OP_AND_NOT: {
      std::unique_ptr<DocSet> left = MakeDocSet(one, q.get_subquery(0), keeper);
      if (!left || !make_subs(1)) return nullptr;
      return std::make_unique<AndNotSet>(
          std::move(left),
          subs.size() == 1 ? std::move(subs[0])
                           : std::make_unique<OrSet>(std::move(subs), one.get_lastdocid()));
    }
    case Xapian::Query::OP_AND_MAYBE:
      return MakeDocSet(one, q.get_subquery(0), keeper);  // the others only add weight
    default:
      return nullptr;
  }
}

// The values of one shard's documents, asked for in increasing docid order per slot.
class ValueStreams {
 public:
  explicit ValueStreams(const Xapian::Database& one) : one_(one) {}
  std::string Get(Xapian::valueno slot, Xapian::docid did) {
    if (streams_.size() <= slot) streams_.resize(size_t{slot} + 1);
    std::optional<Xapian::ValueIterator>& it = streams_[slot];
    if (!it) it = one_.valuestream_begin(slot);
    const Xapian::ValueIterator end = one_.valuestream_end(slot);
    if (*it == end) return std::string();
    if (it->get_docid() < did) it->skip_to(did);
    if (*it == end || it->get_docid() != did) return std::string();
    return **it;
  }

 private:
  const Xapian::Database& one_;
  std::vector<std::optional<Xapian::ValueIterator>> streams_;
};

// DOSSIER_FACET_MATCHER=xapian: count every query through Xapian's matcher (tests compare).
bool UseOwnMatcher() {
  const char* v = std::getenv("DOSSIER_FACET_MATCHER");
  return v == nullptr || std::string_view(v) != "xapian";
}

}  // namespace

bool FacetCounter::CountsWithoutMatcher(const Xapian::Query& query) {
  return UseOwnMatcher() && Covered(query);
}

Xapian::doccount FacetCounter::CountMatches(const Xapian::Database& db,
                                            const Xapian::Query& query) {
  const size_t shards = db.size();
  size_t threads = ShardThreads(shards);
  std::vector<Xapian::Query> copies;
  try {
    // Each thread its own copy: Xapian's reference counts are not atomic.
    const std::string serialised = threads > 1 ? query.serialise() : std::string();
    for (size_t t = 0; t < threads; ++t) {
      copies.push_back(t == 0 ? query : Xapian::Query::unserialise(serialised));
    }
  } catch (const Xapian::Error&) {
    threads = 1;
    copies.assign(1, query);
  }
  std::vector<Xapian::doccount> counts(threads, 0);
  ForEachShard(shards, threads, [&](size_t t, size_t shard) {
    // Database::internal: see CountShards.
    Xapian::Database one(db.internal[shard].get());
    std::unique_ptr<DocSet> set = MakeDocSet(one, copies[t], TermKeeper{});
    if (!set) throw std::logic_error("CountMatches: a query the own matcher does not cover");
    Xapian::doccount n = 0;
    for (; !set->at_end(); set->next()) ++n;
    counts[t] += n;
  });
  Xapian::doccount total = 0;
  for (Xapian::doccount n : counts) total += n;
  return total;
}

Xapian::doccount FacetCounter::CountShards(const Xapian::Database& db, const Xapian::Query& query,
                                           FacetCache* cache, ShardMatches* matched) {
  if (cache == nullptr || cache->max_bytes() == 0) {
    own_cache_ = std::make_unique<FacetCache>(0);
    cache = own_cache_.get();
  }
  FacetCache::Impl* impl = cache->impl_.get();
  // A spy on a match over all shards sees each shard's documents under their docids in that
  // shard, and cannot tell the shards apart; a match per shard can. Xapian 1.4 has no public
  // way to get a Database's shards: Database::internal and Database(Internal*) are marked
  // internal in <xapian/database.h>, but they are the very shards `db` reads, at its revision.
  // TODO: Xapian 2 has neither; open the stub's shards ourselves there.
  const size_t shards = db.size();
  // Sized before any thread starts: each thread then touches only its shards' entries.
  if (impl->shards.size() < shards) impl->shards.resize(shards);
  if (impl->id_maps.size() < shards) impl->id_maps.resize(shards);
  if (impl->terms.size() < shards) impl->terms.resize(shards);
  if (impl->values.size() < shards) impl->values.resize(shards);
  if (matched != nullptr) {
    *matched = ShardMatches();
    matched->uuids.resize(shards);
    matched->docids.resize(shards);
  }
  // The shards are counted on up to one thread per core (a Xapian shard is read by one
  // thread at a time: each thread takes whole shards, and its own copy of the query, since
  // Xapian's reference counts are not atomic). DOSSIER_FACET_THREADS=1: one thread.
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  if (const char* v = std::getenv("DOSSIER_FACET_THREADS"); v != nullptr && std::atoi(v) > 0) {
    threads = static_cast<size_t>(std::atoi(v));
  }
  threads = std::min(threads, shards);
  std::string serialised;
  if (threads > 1) {
    try {
      serialised = query.serialise();
    } catch (const Xapian::Error&) {
      threads = 1;  // e.g. a posting source that cannot be serialised
    }
  }
  struct Part {
    std::vector<std::vector<uint32_t>> counts;
    Xapian::doccount matches = 0;
  };
  std::vector<Part> parts(threads);
  std::mutex mu;
  std::atomic<size_t> next{0};
  auto count = [&](size_t t, const Xapian::Query& q) {
    Part& part = parts[t];
    part.counts.resize(kinds_.size());
    for (size_t shard = next++; shard < shards; shard = next++) {
      Xapian::Database one(db.internal[shard].get());
      const Xapian::doccount n = one.get_doccount();
      if (n == 0) continue;
      const IdsUse use = FacetIdsUse();
      const bool ids =
          use == IdsUse::kAlways || (use == IdsUse::kWhenItPays && IdsPay(impl, shard, one, q));
      ShardSpy spy(kinds_, impl, shard, one, ids, &part.counts, &mu);
      std::vector<Xapian::docid>* record = nullptr;
      if (matched != nullptr) {
        matched->uuids[shard] = one.get_uuid();
        record = &matched->docids[shard];
        spy.Record(record);
      }
      const TermKeeper keeper{
          [&, shard](const std::string& term) { return impl->KeptDocs(shard, one, term, &mu); },
          [&, shard](Xapian::valueno slot) { return impl->KeptNumbers(shard, one, slot, &mu); }};
      if (std::unique_ptr<DocSet> set = UseOwnMatcher() && Covered(q) ? MakeDocSet(one, q, keeper)
                                                                   : nullptr) {
        // Values the cache does not hold are read through one value stream per slot, in docid
        // order, as Xapian's matcher reads them for a spy: a Document from get_document looks
        // each value up in the B-tree afresh (15 times slower for a one-shot `government`).
        ValueStreams values(one);
        // (Prefetching the cached runs of batches of 16 matches before counting them measured
        // no faster at 1,000,000 articles: all 68 warm queries' median 39.6-44.3 ms with it,
        // 39.6-41.5 without, alternating.)
        for (; !set->at_end(); set->next()) {
          const Xapian::docid did = set->docid();
          spy.Count(did, [&](Xapian::valueno slot) { return values.Get(slot, did); });
          if (record != nullptr) record->push_back(did);
        }
      } else {
        Xapian::Enquire enquire(one);
        enquire.set_query(q);
        enquire.set_weighting_scheme(Xapian::BoolWeight());  // the counts need no weights
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, n);
        // A spy sees a shard's matches in docid order; sorted again in case it did not.
        if (record != nullptr && !std::is_sorted(record->begin(), record->end()))
          std::sort(record->begin(), record->end());
      }
      spy.Flush();
      part.matches += spy.matches();
    }
  };
  std::vector<std::thread> workers;
  std::vector<std::exception_ptr> errors(threads);
  for (size_t t = 1; t < threads; ++t) {
    try {
      workers.emplace_back([&, t] {
        try {
          count(t, Xapian::Query::unserialise(serialised));
        } catch (...) {
          errors[t] = std::current_exception();
          next = shards;  // the others stop after their shard
        }
      });
    } catch (const std::system_error&) {
      break;  // no thread to be had: the threads started (or this one) count the rest
    }
  }
  try {
    count(0, query);
  } catch (...) {
    errors[0] = std::current_exception();
    next = shards;
  }
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<std::vector<uint32_t>> counts = std::move(parts[0].counts);
  counts.resize(kinds_.size());
  Xapian::doccount matches = parts[0].matches;
  for (const Part& part : std::span(parts).subspan(1)) {
    matches += part.matches;
    for (size_t i = 0; i < kinds_.size() && i < part.counts.size(); ++i) {
      const std::vector<uint32_t>& c = part.counts[i];
      if (counts[i].size() < c.size()) counts[i].resize(c.size(), 0);
      for (size_t id = 0; id < c.size(); ++id) counts[i][id] += c[id];
    }
  }
  counted_.assign(kinds_.size(), {});
  for (size_t i = 0; i < kinds_.size(); ++i) {
    const Dictionary& d = impl->dicts[KindIndex(kinds_[i])];
    for (uint32_t id = 0; id < counts[i].size(); ++id) {
      if (counts[i][id] != 0) counted_[i].emplace_back(d.name(id), counts[i][id]);
    }
  }
  shards_counted_ = true;
  // The names count against the budget too (an archive's long tail of names has no bound):
  // past it, start afresh next time. Clear() frees the names counted_ points into, so the
  // last search keeps them in own_cache_.
  if (cache->bytes() > cache->max_bytes() && cache != own_cache_.get()) {
    own_cache_ = std::make_unique<FacetCache>(0);
    std::swap(own_cache_->impl_, cache->impl_);
    cache->impl_->max_bytes = own_cache_->impl_->max_bytes;
    own_cache_->impl_->max_bytes = 0;
  }
  return matches;
}

std::vector<FacetResult> FacetCounter::Results(size_t size) {
  std::vector<Tally> remote_tallies;
  if (!local_ && !shards_counted_) {
    for (size_t i = 0; i < kinds_.size(); ++i) {
      remote_tallies.emplace_back(kinds_[i]);
      for (const auto& r : remote_) {
        if (r.first != SlotOf(kinds_[i])) continue;
        for (auto it = r.second->values_begin(); it != r.second->values_end(); ++it) {
          remote_tallies[i].Add(*it, it.get_termfreq());
        }
      }
    }
  }
  const std::vector<Tally>& tallies =
      shards_counted_ ? remote_tallies : local_ ? local_->tallies() : remote_tallies;
  std::vector<FacetResult> out;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    FacetResult r;
    r.kind = kinds_[i];
    // Sorted as views (period names are kept alive in `names`); only the top ones are copied.
    std::vector<std::string> names;
    std::vector<std::pair<std::string_view, uint64_t>> all;
    if (shards_counted_) {
      all = std::move(counted_[i]);  // views into the FacetCache's names
      r.distinct = all.size();
    } else {
      r.distinct = tallies[i].distinct();
      all.reserve(r.distinct);
      names.reserve(r.distinct);
      tallies[i].ForEach([&](std::string_view v, uint64_t c) {
        if (r.kind == FacetKind::kYear || r.kind == FacetKind::kMonth) {
          names.emplace_back(v);
          v = names.back();
        }
        all.emplace_back(v, c);
      });
    }
    auto by_count = [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    size_t n = std::min(size, all.size());
    std::partial_sort(all.begin(), all.begin() + n, all.end(), by_count);
    all.resize(n);
    if (r.kind == FacetKind::kYear || r.kind == FacetKind::kMonth) {
      std::sort(all.begin(), all.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    for (const auto& [v, c] : all) r.values.push_back({std::string(v), c});
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dossier::searcher
