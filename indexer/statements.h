// Statement extraction: who said (wrote, urged, denied...) what in an article, from the cue
// verbs around the people and institutions the entity extractor found.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/entities.h"
#include "schema/codebook.h"

namespace dossier::indexer {

// How the speaker is referred to at the cue.
enum class SpeakerRef {
  kName,         // a name the entity extractor found ("Blinken", "the State Department")
  kPronoun,      // he / she, resolved to an earlier person
  kRole,         // "the secretary of state", resolved to the person introduced with that title
  kContinuation  // a quotation without a cue that continues the previous speaker's quotation
};

struct Statement {
  std::string speaker;              // canonical entity name (as in ArticleEntities)
  schema::EntityType speaker_type;  // kPerson or kInstitution
  std::string cue;                  // cue verb lemma: "say", "urge", "call for", "according to"...;
                                    // ":" for `NAME: ...` headlines and transcripts; a verb
                                    // outside the lexicon before a "that" clause as written,
                                    // lower-cased ("realized")
  bool direct = false;              // a direct quotation
  bool in_title = false;
  size_t begin = 0, end = 0;  // BYTE offsets of the statement text in the body (or title): the
                              // sentence, widened to the whole quotation when one spans sentences
  std::string text;           // text[begin, end) as it stands in the article
  std::vector<std::string> topics;  // codebook topics signalled inside [begin, end), unique, in
                                    // text order
  // Added members (not needed by the index):
  size_t content_begin = 0, content_end = 0;  // BYTE offsets of what was said: the quotation
                                              // without its marks, or the reported clause
  SpeakerRef speaker_ref = SpeakerRef::kName;
};

// Finds the statements of one article, using the entity extraction already done for it
// (`entities` must come from EntityExtractor::Extract(title, body) with the same texts).
// Returns them title first, then in body order; at most one per sentence and speaker.
// Statements by anonymous or unresolvable sources ("officials said", a pronoun with no
// person before it) are left out: precision is preferred to recall.
// Thread-safe (no shared mutable state); accepts any bytes.
std::vector<Statement> ExtractStatements(std::string_view title, std::string_view body,
                                         const ArticleEntities& entities,
                                         const schema::Codebook& codebook);

// Converts a byte offset in valid UTF-8 `text` to a Unicode code-point offset (the index
// stores code points). Offsets past the end count as the end; an offset inside a multi-byte
// character counts that character as before it.
size_t CodePointOffset(std::string_view text, size_t byte_offset);

}  // namespace dossier::indexer
