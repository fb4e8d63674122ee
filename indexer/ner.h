// Named-entity tagger: a structured (averaged) perceptron over hashed features with BIO labels
// for PER/ORG/LOC/MISC, trained on CoNLL-2003 by dossier-train-ner (indexer/ner_train.cc).
// Also the codebook gazetteer (alias matching over tokens) whose hits are tagger features.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/tokenize.h"
#include "schema/codebook.h"
#include "schema/status.h"

namespace dossier::indexer {

// Labels, BIO. Their order is part of the model file format.
enum NerLabel : uint8_t {
  kNerO = 0,
  kNerBPer, kNerIPer,
  kNerBOrg, kNerIOrg,
  kNerBLoc, kNerILoc,
  kNerBMisc, kNerIMisc,
};
inline constexpr int kNerLabels = 9;
// "O", "B-PER", ...; and back (kNerO for anything unknown).
std::string_view NerLabelName(int label);
int NerLabelFromName(std::string_view name);

// Bumped whenever the features change: a model trained on other features is refused.
inline constexpr uint32_t kNerFeatureVersion = 4;

// ---- Gazetteer: codebook aliases matched over tokens ----

struct GazetteerMatch {
  uint32_t first_token, end_token;  // [first, end) token indices
  uint32_t entry;                   // index into Codebook::entries()
};

// Matches the aliases of a codebook against token sequences (longest match, left to right).
// Names (people, institutions, places) must be capitalised in the text where the alias is,
// and a name alias in capitals ("WHO") does not match inside a headline in capitals; topic
// phrases match in any case, with plural "s" folded. Immutable after construction.
class Gazetteer {
 public:
  explicit Gazetteer(const schema::Codebook& codebook);
  // Appends the matches in `tokens` (one text) to *names and *topics, in text order.
  void Match(std::string_view text, const std::vector<Token>& tokens,
             const std::vector<Sentence>& sentences, std::vector<GazetteerMatch>* names,
             std::vector<GazetteerMatch>* topics) const;
  // The codebook entry (index) whose name alias equals tokens[first, end) after folding,
  // preferring one of `preferred` type; -1 if none. Case is not checked.
  int Lookup(const std::vector<Token>& tokens, size_t first, size_t end,
             schema::EntityType preferred) const;
  const schema::Codebook& codebook() const { return codebook_; }

 private:
  struct Alias {
    uint32_t entry;
    uint16_t tokens;
    bool capitalised;  // first character of the alias is upper case
    bool all_caps;     // a single all-capitals token ("WHO", "UN")
  };
  struct Table {
    std::unordered_map<uint64_t, std::vector<Alias>> full;  // sequence hash -> aliases
    std::unordered_map<uint64_t, uint8_t> prefixes;         // sequence hash of every proper prefix
    size_t max_tokens = 0;
  };
  void AddAlias(Table* table, const std::vector<uint64_t>& hashes, Alias alias);
  void MatchTable(const Table& table, bool topics, std::string_view text,
                  const std::vector<Token>& tokens, const std::vector<Sentence>& sentences,
                  std::vector<GazetteerMatch>* out) const;

  const schema::Codebook& codebook_;
  Table names_, topics_;
};

// ---- Per-token input of the tagger ----

// Lexicon bits (indexer/ner_lexicon.cc).
enum LexiconBit : uint8_t {
  kLexFirstName = 1 << 0,   // common given name ("Peter", "Fatima")
  kLexTitle = 1 << 1,       // title or honorific cue ("Mr", "President", "Sen.")
  kLexOrgWord = 1 << 2,     // word typical of organisation names ("Ministry", "Corp", "Party")
  kLexLocWord = 1 << 3,     // word typical of place names ("River", "Province")
  kLexFunction = 1 << 4,    // function word or common sentence opener ("The", "But", "Source")
  kLexNationality = 1 << 5, // "German", "Israeli": MISC in CoNLL, never a name on its own
};
uint8_t LexiconBits(uint64_t fold_hash);

// Everything the features look at, per token. Built by PrepareNerInput.
struct NerToken {
  std::string_view word;   // as written
  uint32_t flags = 0;      // TokenFlag bits
  uint64_t fold = 0;
  uint8_t lex = 0;         // LexiconBit
  uint8_t gaz = 0;         // 0, or 1 + 2*codebook type + (1 if first token of the match)
  uint8_t doc = 0;         // bit 0: the folded word occurs in lower case elsewhere in the
                           // document; bit 1: occurs capitalised mid-sentence elsewhere
  bool candidate = false;  // may be part of a name; all others are tagged O without scoring
  bool headline = false;   // its sentence is in capitals
};

// Fills `out` (resized to tokens.size()) for one text. `doc_lower` and `doc_cap` are sorted
// fold hashes of the whole document's lower-case tokens and mid-sentence capitalised tokens
// (see CollectDocumentWords); `names` are the gazetteer's name matches for this text.
void PrepareNerInput(std::string_view text, const std::vector<Token>& tokens,
                     const std::vector<Sentence>& sentences,
                     const std::vector<GazetteerMatch>& names, const schema::Codebook& codebook,
                     const std::vector<uint64_t>& doc_lower, const std::vector<uint64_t>& doc_cap,
                     std::vector<NerToken>* out);
// Adds the document-level word sets of one text (call for title and body, then sort+unique).
void CollectDocumentWords(const std::vector<Token>& tokens, const std::vector<Sentence>& sentences,
                          std::vector<uint64_t>* doc_lower, std::vector<uint64_t>* doc_cap);

// ---- Features ----

inline constexpr int kMaxNerFeatures = 40;
// Hashed features of token i of tokens[0, n) (one sentence), as bucket indices < 2^bits.
// Returns the count written to out[0, kMaxNerFeatures).
int NerFeatures(const NerToken* tokens, size_t n, size_t i, int bits, uint32_t* out);

// Viterbi over `n` tokens with emission scores emis[n * kNerLabels] and transition scores
// trans[from * kNerLabels + to]; the tokens before and after are O. BIO is enforced (I-X only
// after B-X or I-X). Writes labels to out[0, n).
void NerViterbi(const float* emis, size_t n, const float* trans, uint8_t* out);

// ---- The model ----

class NerModel {
 public:
  // The model compiled into the binary (indexer/models/ner-conll2003.bin), loaded on first use;
  // nullptr if it is missing or does not match this build's features (a build defect, which the
  // tests catch).
  static const NerModel* Embedded();

  // Parses a model file's bytes (the data is copied). Corruption on a bad or foreign file.
  Status Load(std::string_view bytes);
  // The file format: "DSNER\0\0\1", u32 feature version, u32 bits, f32 scale,
  // f32 trans[81], i16 weights[2^bits * 9], all little-endian.
  static std::string Serialise(int bits, const std::vector<float>& weights,
                               const std::vector<float>& trans);

  // Tags one sentence tokens[0, n): runs of candidate tokens are decoded, the rest are O.
  // `scratch` avoids allocation across calls.
  struct Scratch {
    std::vector<float> emis;
    std::vector<uint8_t> run_labels;
  };
  void Tag(const NerToken* tokens, size_t n, uint8_t* labels, Scratch* scratch) const;

  int bits() const { return bits_; }
  size_t bytes() const { return weights_.size() * sizeof(int16_t); }

 private:
  int bits_ = 0;
  float scale_ = 1;
  float trans_[kNerLabels * kNerLabels] = {};
  std::vector<int16_t> weights_;
};

}  // namespace dossier::indexer
