// Statement extraction: who said (wrote, urged, denied...) what in an article, from the cue
// verbs around the people and institutions the entity extractor found.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/entities.h"
#include "schema/codebook.h"
#include "schema/status.h"

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

// The learned cue model (indexer/models/statement-cues-polnear.bin, trained on PolNeAR train
// by scripts/train-statement-cues, see STATEMENTS.md): a logistic regression over hashed
// features of a word the rules did not take as a cue, in a sentence where they found no
// statement, whose subject the speaker finder accepts ("Clinton has sought for months to
// ..."), scoring whether that word is the cue of an attribution by that subject. Among its
// features are those of a token-level cue tagger: how often words in the same context (the
// word; the word and the next; the previous and the word; the word between the classes of its
// neighbours; its ending and the next word) were inside a PolNeAR cue span, binned.
inline constexpr int kCueModelBits = 16;
inline constexpr int kMaxCueFeatures = 40;
inline constexpr int kCueTagBits = 17;  // buckets of the tagger's table
inline constexpr int kCueTagKeys = 5;   // context keys per word
class StatementCueModel {
 public:
  // The model compiled into the binary, loaded on first use; nullptr if it is missing or was
  // trained on other features (a build defect the tests catch).
  static const StatementCueModel* Embedded();
  // Parses a model file's bytes (copied). Corruption on a bad or foreign file.
  // The format: "DSCUE\0\0\1", u32 feature version, u32 bits, f32 threshold, f32 bias,
  // f32 weights[2^bits], u8 words[2^bits / 8], u8 tag[2^kCueTagBits], all little-endian.
  // `words` is a bitmap over the buckets of the word feature: words of a right training
  // candidate that scored at least the threshold - 1; the others are not scored at all
  // (speed). `tag` is the tagger's table (TagBin).
  Status Load(std::string_view bytes);
  // The log-odds of features f[0, n) (bucket indices < 2^kCueModelBits).
  float Score(const uint32_t* f, int n) const;
  // The tagger's bin for context key `key` (< 2^kCueTagBits): 0 when the context was seen
  // fewer than 3 times in training, else 7 + floor(log-odds of being a cue), in 1..10.
  uint8_t TagBin(uint32_t key) const { return tag_[key]; }
  float threshold() const { return threshold_; }
  // Whether a word whose word-feature bucket is `bucket` may be accepted (see `words`).
  bool MayAccept(uint32_t bucket) const { return (words_[bucket >> 3] >> (bucket & 7)) & 1; }

 private:
  float threshold_ = 0, bias_ = 0;
  std::vector<float> weights_;
  std::vector<uint8_t> words_;
  std::vector<uint8_t> tag_;
};

// A candidate of the learned cue pass, for training (StatementOptions::candidates).
struct CueCandidate {
  Statement statement;                  // the statement it would add
  std::vector<uint32_t> features;       // hashed features (bucket indices), without the
                                        // tagger's: the trainer adds those from tag_keys
  size_t cue_begin = 0, cue_end = 0;    // BYTE offsets of the candidate word
  uint32_t tag_keys[kCueTagKeys] = {};  // the word's context keys in the tagger's table
};

// A word the tagger may be asked about (StatementOptions::cue_tokens): every lower-case word
// of three or more bytes outside quotations, in the body (not the title).
struct CueToken {
  size_t begin = 0, end = 0;  // BYTE offsets in the body
  uint32_t tag_keys[kCueTagKeys] = {};
};

struct StatementOptions {
  // The learned cues; nullptr: the rules alone.
  const StatementCueModel* cue_model = StatementCueModel::Embedded();
  // When set, every candidate of the learned pass is appended here, and none is added to the
  // statements (which are then those of the rules alone): the trainer's view.
  std::vector<CueCandidate>* candidates = nullptr;
  // When set, every word of the body the tagger may score is appended here (for training the
  // tagger on PolNeAR's cue spans); the statements are unchanged.
  std::vector<CueToken>* cue_tokens = nullptr;
};

// Finds the statements of one article, using the entity extraction already done for it
// (`entities` must come from EntityExtractor::Extract(title, body) with the same texts).
// Returns them title first, then in body order; at most one per sentence and speaker.
// Statements by anonymous or unresolvable sources ("officials said", a pronoun with no
// person before it) are left out: precision is preferred to recall.
// Thread-safe (no shared mutable state); accepts any bytes.
std::vector<Statement> ExtractStatements(std::string_view title, std::string_view body,
                                         const ArticleEntities& entities,
                                         const schema::Codebook& codebook,
                                         const StatementOptions& options = StatementOptions());

// The lemma of a lower-case verb outside the cue lexicon, from its inflection, for the cue of
// a statement whose verb the lexicon does not hold ("voiced" -> "voice", "wants" -> "want",
// "replied" -> "reply", "shot" -> "shoot"): English spelling rules and a short table of
// irregular verbs. Imperfect where spelling alone cannot tell ("biased" gives "biase"; "cited"
// needs the table, since "edited" and "visited" keep no "e"); a word it cannot read as an
// inflected verb is returned as it is.
std::string CueVerbLemma(std::string_view word);

// Converts a byte offset in valid UTF-8 `text` to a Unicode code-point offset (the index
// stores code points). Offsets past the end count as the end; an offset inside a multi-byte
// character counts that character as before it.
size_t CodePointOffset(std::string_view text, size_t byte_offset);

}  // namespace dossier::indexer
