// Word tokens and sentence boundaries with byte offsets, in the style of the Penn Treebank
// tokenisation the CoNLL-2003 tagger was trained on ("Israel's" -> "Israel" "'s").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::indexer {

// Token flags.
enum TokenFlag : uint32_t {
  kTokUpperInitial = 1u << 0,  // first character is an upper-case letter
  kTokHasUpper = 1u << 1,      // some character is upper case
  kTokHasLower = 1u << 2,      // some character is lower case
  kTokHasDigit = 1u << 3,
  kTokHasLetter = 1u << 4,
  kTokPunct = 1u << 5,         // no letter or digit at all
  kTokSentenceStart = 1u << 6, // first token of its sentence
  kTokHyphen = 1u << 7,        // contains an internal hyphen
  kTokPeriod = 1u << 8,        // contains or ends with a period ("U.S.", "Mr.")
  kTokNonAscii = 1u << 9,      // contains bytes >= 0x80
  kTokAllUpper = 1u << 10,     // has letters, all upper case ("NATO")
  kTokSpaceBefore = 1u << 11,  // preceded by white space or at the start of the text
  kTokNewlineBefore = 1u << 12,// a line break between this token and the previous one
  kTokQuoteStart = 1u << 13,   // first word after an opening quote ("Please don't...")
};

struct Token {
  uint32_t begin = 0;      // byte offsets in the text
  uint32_t end = 0;
  uint32_t flags = 0;      // TokenFlag bits
  uint32_t sentence = 0;   // index of the sentence
  uint64_t fold = 0;       // hash of the folded form (schema::FoldName of the token)
  uint64_t topic = 0;      // TopicFoldHash of the folded form
};

struct Sentence {
  uint32_t first_token = 0;  // [first_token, end_token) in the token vector
  uint32_t end_token = 0;
  size_t begin = 0;          // byte offsets: first byte of the first token, end of the last one
  size_t end = 0;
  bool all_upper = false;    // a headline in capitals: capitalisation carries no information
};

// Splits `text` (UTF-8; invalid bytes are treated as letters) into tokens and sentences. Both
// vectors are cleared first. Texts over 4 GiB are truncated (offsets are 32-bit).
// Sentences end at a line break, or at . ! ? (after closing quotes/brackets) followed by a token
// that starts with a capital, digit or opening quote; abbreviation periods ("Mr.", "U.S.",
// "J.") are part of their token and end no sentence.
void Tokenize(std::string_view text, std::vector<Token>* tokens, std::vector<Sentence>* sentences);

// The second half of Tokenize, for callers that build tokens themselves (the trainer joins
// CoNLL's tokens): given tokens with begin/end and kTokNewlineBefore/kTokSpaceBefore set, computes
// the other flags, the fold hashes and the sentences.
void AnnotateTokens(std::string_view text, std::vector<Token>* tokens,
                    std::vector<Sentence>* sentences);

// Hash of the folded form of a word (lower case, typographic quotes to ', periods and hyphens
// dropped); equal to the `fold` of a token with the same folded text.
uint64_t FoldHash(std::string_view word);
// Combines per-token fold hashes into the key of a token sequence.
inline uint64_t FoldSeqHash(uint64_t seq, uint64_t token) {
  seq ^= token + 0x9e3779b97f4a7c15ULL + (seq << 6) + (seq >> 2);
  return seq * 0xff51afd7ed558ccdULL;
}
// Strips a plural "s" off a folded word for topic matching ("hostages" -> "hostage");
// returns the hash of the result. `folded` must be the lower-case folded word.
uint64_t TopicFoldHash(std::string_view folded);

// Appends the folded form of `word` to *out (lower case, ’ to ', periods/hyphens dropped).
void AppendFolded(std::string_view word, std::string* out);

// Decodes one UTF-8 code point at s[i]; *len gets its length (1 for an invalid byte, which is
// returned as is).
uint32_t DecodeUtf8At(std::string_view s, size_t i, size_t* len);
bool IsUpperCodePoint(uint32_t cp);
bool IsLowerCodePoint(uint32_t cp);

}  // namespace dossier::indexer
