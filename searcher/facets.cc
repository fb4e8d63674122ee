// FacetSpy: exact facet counts from the value slots of matching documents.
#include "searcher/facets.h"

#include <fmt/format.h>

#include <algorithm>

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

using Counts = std::unordered_map<std::string, uint64_t>;

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

// Adds `n` to the counts of facet `kind` for one slot value `v` of a document (or of `n`
// documents sharing that value).
void CountValue(FacetKind kind, const std::string& v, uint64_t n, Counts* counts) {
  if (v.empty()) return;
  switch (kind) {
    case FacetKind::kSource:
    case FacetKind::kSpeaker:
      (*counts)[v] += n;
      return;
    case FacetKind::kYear:
    case FacetKind::kMonth: {
      int y, m, d;
      schema::CivilFromSeconds(static_cast<int64_t>(Xapian::sortable_unserialise(v)), &y, &m, &d);
      (*counts)[kind == FacetKind::kYear ? fmt::format("{:04}", y)
                                         : fmt::format("{:04}-{:02}", y, m)] += n;
      return;
    }
    default: {
      size_t start = 0;
      while (start < v.size()) {
        size_t nl = v.find('\n', start);
        if (nl == std::string::npos) nl = v.size();
        if (nl > start) (*counts)[v.substr(start, nl - start)] += n;
        start = nl + 1;
      }
    }
  }
}

}  // namespace

class FacetCounter::LocalSpy : public Xapian::MatchSpy {
 public:
  LocalSpy(const std::vector<FacetKind>& kinds, bool count_groups)
      : kinds_(kinds), count_groups_(count_groups), counts_(kinds.size()) {}
  void operator()(const Xapian::Document& doc, double) override {
    if (count_groups_) {
      // A group counts once per value any of its matching copies has.
      std::vector<Counts>& group = groups_[GroupKey(doc)];
      group.resize(kinds_.size());
      for (size_t i = 0; i < kinds_.size(); ++i) {
        CountValue(kinds_[i], doc.get_value(SlotOf(kinds_[i])), 1, &group[i]);
      }
      return;
    }
    for (size_t i = 0; i < kinds_.size(); ++i) {
      CountValue(kinds_[i], doc.get_value(SlotOf(kinds_[i])), 1, &counts_[i]);
    }
  }
  std::string name() const override { return "dossier::FacetSpy"; }
  std::vector<Counts>& counts() {
    for (const auto& [key, group] : groups_) {
      for (size_t i = 0; i < group.size(); ++i) {
        for (const auto& [value, n] : group[i]) ++counts_[i][value];
      }
    }
    groups_.clear();
    return counts_;
  }

 private:
  const std::vector<FacetKind>& kinds_;
  bool count_groups_;
  std::vector<Counts> counts_;
  std::unordered_map<std::string, std::vector<Counts>> groups_;
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
  std::vector<Counts> counts(kinds_.size());
  if (local_) {
    counts = std::move(local_->counts());
  } else {
    for (size_t i = 0; i < kinds_.size(); ++i) {
      for (const auto& r : remote_) {
        if (r.first != SlotOf(kinds_[i])) continue;
        for (auto it = r.second->values_begin(); it != r.second->values_end(); ++it) {
          CountValue(kinds_[i], *it, it.get_termfreq(), &counts[i]);
        }
      }
    }
  }
  std::vector<FacetResult> out;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    FacetResult r;
    r.kind = kinds_[i];
    r.distinct = counts[i].size();
    std::vector<FacetValue> all;
    all.reserve(counts[i].size());
    for (const auto& [v, c] : counts[i]) all.push_back({v, c});
    bool chronological = r.kind == FacetKind::kYear || r.kind == FacetKind::kMonth;
    auto by_count = [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    size_t n = std::min(size, all.size());
    std::partial_sort(all.begin(), all.begin() + n, all.end(), by_count);
    all.resize(n);
    if (chronological) {
      std::sort(all.begin(), all.end(),
                [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
    }
    r.values = std::move(all);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dossier::searcher
