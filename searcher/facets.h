// Facets: exact counts of people, institutions, topics, places, sources, years and months over
// the whole match set of a query.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "schema/status.h"

namespace dossier::searcher {

enum class FacetKind { kPerson, kInstitution, kTopic, kPlace, kSource, kYear, kMonth, kSpeaker };

// "person", "institution" (or "org"), "topic", "place", "source", "year", "month", "speaker"
// (statements).
bool ParseFacetKind(const std::string& name, FacetKind* out);
std::string FacetName(FacetKind kind);
// Parses a comma-separated list ("person,topic"); InvalidArgument naming the bad entry.
Status ParseFacetList(const std::string& list, std::vector<FacetKind>* out);

struct FacetValue {
  std::string value;
  uint64_t count = 0;
};

struct FacetResult {
  FacetKind kind;
  uint64_t distinct = 0;            // how many different values the match set has
  std::vector<FacetValue> values;   // the top ones, by count (ties by value)
};

// Counts facet values of every document the match visits. Used with
// check_at_least = doccount so that the counts are exact.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(std::vector<FacetKind> kinds);

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "dossier::FacetSpy"; }

  // The top `size` values of each facet, in the order of the kinds given.
  std::vector<FacetResult> Results(size_t size) const;

 private:
  std::vector<FacetKind> kinds_;
  std::vector<std::unordered_map<std::string, uint64_t>> counts_;
};

}  // namespace dossier::searcher
