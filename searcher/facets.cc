// FacetSpy: exact facet counts from the value slots of matching documents.
#include "searcher/facets.h"

#include <fmt/format.h>

#include <algorithm>

#include "schema/schema.h"

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
    case FacetKind::kPerson: return schema::kSlotPeople;
    case FacetKind::kInstitution: return schema::kSlotInstitutions;
    case FacetKind::kTopic: return schema::kSlotTopics;
    case FacetKind::kPlace: return schema::kSlotPlaces;
    default: return Xapian::BAD_VALUENO;
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
            "unknown facet '{}' (person, institution, topic, place, source, year, month, speaker)", name));
      }
      if (std::find(out->begin(), out->end(), k) == out->end()) out->push_back(k);
    }
    start = comma + 1;
  }
  return Status::OK();
}

FacetSpy::FacetSpy(std::vector<FacetKind> kinds) : kinds_(std::move(kinds)), counts_(kinds_.size()) {}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  std::string date;  // read at most once per document
  bool date_read = false;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    auto& counts = counts_[i];
    switch (kinds_[i]) {
      case FacetKind::kSource:
      case FacetKind::kSpeaker: {
        std::string v = doc.get_value(kinds_[i] == FacetKind::kSource ? schema::kSlotSource
                                                                      : schema::kSlotSpeaker);
        if (!v.empty()) ++counts[v];
        break;
      }
      case FacetKind::kYear:
      case FacetKind::kMonth: {
        if (!date_read) {
          date = doc.get_value(schema::kSlotDate);
          date_read = true;
        }
        if (date.empty()) break;
        int y, m, d;
        schema::CivilFromSeconds(static_cast<int64_t>(Xapian::sortable_unserialise(date)), &y, &m, &d);
        ++counts[kinds_[i] == FacetKind::kYear ? fmt::format("{:04}", y)
                                               : fmt::format("{:04}-{:02}", y, m)];
        break;
      }
      default: {
        std::string list = doc.get_value(ListSlot(kinds_[i]));
        size_t start = 0;
        while (start < list.size()) {
          size_t nl = list.find('\n', start);
          if (nl == std::string::npos) nl = list.size();
          if (nl > start) ++counts[list.substr(start, nl - start)];
          start = nl + 1;
        }
        break;
      }
    }
  }
}

std::vector<FacetResult> FacetSpy::Results(size_t size) const {
  std::vector<FacetResult> out;
  for (size_t i = 0; i < kinds_.size(); ++i) {
    FacetResult r;
    r.kind = kinds_[i];
    r.distinct = counts_[i].size();
    std::vector<FacetValue> all;
    all.reserve(counts_[i].size());
    for (const auto& [v, c] : counts_[i]) all.push_back({v, c});
    bool chronological = r.kind == FacetKind::kYear || r.kind == FacetKind::kMonth;
    auto by_count = [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    size_t n = std::min(size, all.size());
    std::partial_sort(all.begin(), all.begin() + n, all.end(), by_count);
    all.resize(n);
    if (chronological) {
      std::sort(all.begin(), all.end(), [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
    }
    r.values = std::move(all);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dossier::searcher
