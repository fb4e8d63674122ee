// What is distinctive about a match set: words, phrases and entities over-represented in it
// compared with the whole index (--significant), and the entities that co-occur with a query
// (--cooccur). Scored by Dunning's log-likelihood ratio G².
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/status.h"
#include "searcher/facets.h"

namespace dossier::searcher {

// G² of a 2x2 table: `k1` of `n1` foreground documents have the term, `k2` of `n2` background
// (rest of the index) documents have it. G² = 2 Σ O ln(O/E) over the four cells; 0 when a row
// or column is empty. Large values mean the two rates differ; 3.84 is p < 0.05, 10.83 p < 0.001
// (one degree of freedom).
double LogLikelihoodG2(double k1, double n1, double k2, double n2);

struct SignificantTerm {
  std::string kind;     // "word", "phrase", "person", "institution", "topic", "place"
  std::string text;     // the word, the phrase, or the entity's canonical name
  uint64_t foreground = 0;  // matching documents (of those examined) that have it
  uint64_t background = 0;  // documents of the whole index that have it
  double score = 0;         // G² (foreground against the rest of the index)
  double lift = 0;          // foreground rate / index rate
};

struct SignificantOptions {
  size_t size = 20;          // terms returned (each kind competes in one list)
  size_t min_foreground = 3; // ignore terms in fewer matching documents (noise)
  // Look at most at this many matching documents; a larger match set is sampled evenly along
  // the search order, and the result says so.
  size_t max_foreground = 20000;
  bool words = true, phrases = true;  // --significant: words and two-word phrases
  // Entity kinds to consider (person, institution, topic, place).
  std::vector<FacetKind> entities = {FacetKind::kPerson, FacetKind::kInstitution,
                                     FacetKind::kTopic, FacetKind::kPlace};
  size_t phrase_candidates = 200;  // phrases whose background count is looked up
};

struct SignificantResult {
  uint64_t foreground = 0;   // matching documents
  uint64_t examined = 0;     // of those, examined (all unless sampled)
  bool sampled = false;
  uint64_t background = 0;   // documents in the index
  std::vector<SignificantTerm> terms;  // over-represented only, by score
};

// Scores the terms of the documents `docids` (the match set, in search order) against `db`.
// `texts` (same order, may be empty) holds each document's title and body for phrases.
Status FindSignificant(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                       const std::vector<std::string>& texts, const SignificantOptions& options,
                       SignificantResult* out);

}  // namespace dossier::searcher
