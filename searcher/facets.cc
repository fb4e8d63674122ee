// FacetSpy: exact facet counts from the value slots of matching documents.
#include "searcher/facets.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schema/schema.h"
#include "searcher/research.h"

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

std::vector<FacetResult> FacetCounter::Results(size_t size) {
  std::vector<Tally> remote_tallies;
  if (!local_) {
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
  const std::vector<Tally>& tallies = local_ ? local_->tallies() : remote_tallies;
  std::vector<FacetResult> out;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    FacetResult r;
    r.kind = kinds_[i];
    r.distinct = tallies[i].distinct();
    // Sorted as views (period names are kept alive in `names`); only the top ones are copied.
    std::vector<std::string> names;
    std::vector<std::pair<std::string_view, uint64_t>> all;
    all.reserve(r.distinct);
    names.reserve(r.distinct);
    tallies[i].ForEach([&](std::string_view v, uint64_t c) {
      if (r.kind == FacetKind::kYear || r.kind == FacetKind::kMonth) {
        names.emplace_back(v);
        v = names.back();
      }
      all.emplace_back(v, c);
    });
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
