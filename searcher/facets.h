// Facets: exact counts of people, institutions, topics, places, sources, years and months over
// the whole match set of a query.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
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
  uint64_t distinct = 0;           // how many different values the match set has
  std::vector<FacetValue> values;  // the top ones, by count (ties by value)
};

// Counts facet values of every document the match visits. Used with
// check_at_least = doccount so that the counts are exact.
//
// Two ways of counting, same results: locally one FacetSpy reads each matching document's
// value slots once. Xapian's stock xapian-tcpsrv only knows its own match spies, so over
// remote shards each needed slot gets a ValueCountMatchSpy (which the remote protocol
// serialises), and the counts of whole slot values are split and folded here afterwards.
class FacetCounter {
 public:
  // `count_groups`: count exact-duplicate groups (research.h GroupKey) instead of documents;
  // local databases only (ignored when `remote`).
  FacetCounter(std::vector<FacetKind> kinds, bool remote, bool count_groups = false);
  ~FacetCounter();
  // Adds the spies to `enquire`; they must stay attached until the MSet has been fetched.
  void Attach(Xapian::Enquire* enquire);
  // The top `size` values of each facet, in the order of the kinds given.
  std::vector<FacetResult> Results(size_t size);

 private:
  class LocalSpy;
  std::vector<FacetKind> kinds_;
  std::unique_ptr<LocalSpy> local_;
  std::vector<std::pair<Xapian::valueno, std::unique_ptr<Xapian::ValueCountMatchSpy>>> remote_;
};

}  // namespace dossier::searcher
