// Entity extraction: people, institutions, places and topics of one article, with canonical
// names from the codebook and from the article itself ("Mr Brown" after "Gordon Brown").
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schema/codebook.h"

namespace dossier::indexer {

struct EntityMention {
  schema::EntityType type;
  std::string canonical;  // canonical name
  bool in_title;          // mention is in the title (offsets into title) or the body
  size_t begin, end;      // byte offsets of the surface form in that text: the name itself,
                          // without a title cue ("Blinken" in "Secretary Blinken") or a
                          // possessive "'s"; for topics the signal phrase
};

struct SentenceSpan {
  bool in_title;
  size_t begin, end;  // byte offsets of the sentence (first token to last token) in that text
};

struct ArticleEntities {
  // canonical names, unique, in order of first mention
  std::vector<std::string> people, institutions, places, topics;
  std::vector<EntityMention> mentions;  // every mention, in text order (title first)
  std::vector<SentenceSpan> sentences;  // sentence boundaries, title first
};

class Gazetteer;
class NerModel;

class EntityExtractor {
 public:
  // Uses the tagger compiled into the binary (NerModel::Embedded()); without it (a build
  // defect) names are found by capitalisation and cue rules only.
  explicit EntityExtractor(const schema::Codebook& codebook);  // codebook must outlive the extractor
  ~EntityExtractor();
  EntityExtractor(const EntityExtractor&) = delete;
  EntityExtractor& operator=(const EntityExtractor&) = delete;

  // Thread-safe (const, no shared mutable state): the indexer calls it from several threads.
  // Accepts any bytes; invalid UTF-8 is treated as letters.
  ArticleEntities Extract(std::string_view title, std::string_view body) const;

  // Whether the statistical tagger is in use (false: rule-based fallback).
  bool has_tagger() const { return model_ != nullptr; }
  // For tests: run without the tagger even when one is embedded.
  void DisableTaggerForTesting() { model_ = nullptr; }

 private:
  struct Text;
  struct Span;
  void Analyse(Text* text, const std::vector<uint64_t>& doc_lower,
               const std::vector<uint64_t>& doc_cap) const;
  void FindSpans(Text* text) const;

  const schema::Codebook& codebook_;
  std::unique_ptr<Gazetteer> gazetteer_;
  const NerModel* model_;
  // Folded last word of each codebook person's canonical name -> entry index; ~0u when two
  // people share it (a bare surname is then not resolved through the codebook).
  std::unordered_map<uint64_t, uint32_t> person_surnames_;
};

}  // namespace dossier::indexer
