// Tokeniser and sentence splitter; hand-written scanner (no regex: it runs on every article).
#include "indexer/tokenize.h"
#include "schema/utf8.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>

namespace dossier::indexer {
namespace {

bool IsAsciiAlnum(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiLetter(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsSpace(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Non-ASCII punctuation and symbols that separate words (mirrors schema::FoldName).
bool IsWideSeparator(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

bool IsWordChar(uint32_t cp) { return cp < 0x80 ? IsAsciiAlnum(cp) : !IsWideSeparator(cp); }
bool IsApostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019; }
bool IsWordHyphen(uint32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

uint32_t LowerLatin(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return cp | 1;
  if (cp >= 0x139 && cp <= 0x148 && (cp & 1)) return cp + 1;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp >= 0x391 && cp <= 0x3A9) return cp + 0x20;
  return cp;
}


uint64_t HashBytes(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

// Abbreviations whose period belongs to the word (lower case, without the period).
bool IsAbbreviation(std::string_view w) {
  static constexpr std::array<std::string_view, 52> kAbbrev = {
      "mr",  "mrs",  "ms",   "dr",  "prof", "gen",  "col",  "lt",   "sgt", "capt", "maj",
      "adm", "gov",  "sen",  "rep", "st",   "jr",   "sr",   "inc",  "corp", "ltd", "co",
      "bros", "no",  "vs",   "etc", "jan",  "feb",  "mar",  "apr",  "jun", "jul",  "aug",
      "sep", "sept", "oct",  "nov", "dec",  "mt",   "ft",   "rev",  "hon", "messrs", "dept",
      "univ", "assn", "ave", "gmbh", "cmdr", "supt", "insp", "pres"};
  if (w.size() > 6) return false;
  char buf[8];
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  std::string_view lw(buf, w.size());
  return std::find(kAbbrev.begin(), kAbbrev.end(), lw) != kAbbrev.end();
}

struct Scanner {
  std::string_view text;
  std::vector<Token>* tokens;
  bool newline_pending = false;
  bool space_pending = true;

  uint32_t At(size_t i, size_t* len) const {
    if (i >= text.size()) {
      *len = 0;
      return ' ';
    }
    return DecodeUtf8At(text, i, len);
  }

  void Emit(size_t b, size_t e) {
    if (e <= b) return;
    Token t;
    t.begin = static_cast<uint32_t>(b);
    t.end = static_cast<uint32_t>(e);
    if (newline_pending) t.flags |= kTokNewlineBefore;
    if (space_pending) t.flags |= kTokSpaceBefore;
    newline_pending = false;
    space_pending = false;
    tokens->push_back(t);
  }

  // Length of the ASCII letters at i.
  size_t LettersAt(size_t i) const {
    size_t k = i;
    while (k < text.size() && IsAsciiLetter(static_cast<unsigned char>(text[k]))) ++k;
    return k - i;
  }

  // Clitic after an apostrophe at i (of byte length alen): returns its total byte length
  // ("'s", "'re", "'ve", "'ll", "'d", "'m") or 0.
  size_t CliticAt(size_t i, size_t alen) const {
    size_t n = LettersAt(i + alen);
    if (n == 0 || n > 2) return 0;
    size_t after;
    uint32_t next = At(i + alen + n, &after);
    if (IsWordChar(next)) return 0;
    std::string_view s = text.substr(i + alen, n);
    auto eq = [&](std::string_view w) {
      if (w.size() != s.size()) return false;
      for (size_t k = 0; k < w.size(); ++k)
        if ((s[k] | 0x20) != w[k]) return false;
      return true;
    };
    if (eq("s") || eq("re") || eq("ve") || eq("ll") || eq("d") || eq("m")) return alen + n;
    return 0;
  }

  // Scans a word starting at s; emits it (and an "n't" clitic) and returns the end position.
  size_t Word(size_t s) {
    size_t j = s;
    bool internal_period = false;
    while (j < text.size()) {
      size_t len;
      uint32_t cp = At(j, &len);
      if (IsWordChar(cp)) {
        j += len;
        continue;
      }
      size_t nlen;
      uint32_t next = At(j + len, &nlen);
      if (cp == '.' && IsWordChar(next)) {
        internal_period = true;
        j += len;
        continue;
      }
      if (IsWordHyphen(cp) && IsWordChar(next)) {
        j += len;
        continue;
      }
      unsigned char prev = static_cast<unsigned char>(text[j - 1]);
      if (cp == '&' && prev >= 'A' && prev <= 'Z' && next >= 'A' && next <= 'Z') {
        j += len;
        continue;
      }
      if (cp == ',' && prev >= '0' && prev <= '9' && next >= '0' && next <= '9') {
        j += len;
        continue;
      }
      if (IsApostrophe(cp) && IsAsciiLetter(next)) {
        if (CliticAt(j, len)) break;  // "Israel's": the clitic is the next token
        size_t n = LettersAt(j + len);
        size_t after;
        uint32_t follow = At(j + len + n, &after);
        if (n == 1 && (text[j + len] | 0x20) == 't' && !IsWordChar(follow) && j - 1 > s &&
            (prev | 0x20) == 'n') {
          // "don't" -> "do" "n't"
          Emit(s, j - 1);
          Emit(j - 1, j + len + 1);
          return j + len + 1;
        }
        j += len;  // "O'Neill", "d'Estaing"
        continue;
      }
      break;
    }
    // A period closing an abbreviation belongs to the word.
    if (j < text.size() && text[j] == '.') {
      std::string_view w = text.substr(s, j - s);
      bool single_letter = w.size() == 1 && IsAsciiLetter(static_cast<unsigned char>(w[0]));
      if (internal_period || single_letter || IsAbbreviation(w)) ++j;
    }
    Emit(s, j);
    return j;
  }

  void Run() {
    size_t i = 0;
    while (i < text.size()) {
      size_t len;
      uint32_t cp = At(i, &len);
      if (IsSpace(cp)) {
        if (cp == '\n' || cp == 0x2028 || cp == 0x2029) newline_pending = true;
        space_pending = true;
        i += len;
        continue;
      }
      if (IsWordChar(cp)) {
        i = Word(i);
        continue;
      }
      if (IsApostrophe(cp)) {
        if (size_t c = CliticAt(i, len)) {
          Emit(i, i + c);
          i += c;
          continue;
        }
      }
      // Punctuation: runs of the same ASCII mark ("...", "--") are one token.
      size_t j = i + len;
      if (cp < 0x80)
        while (j < text.size() && static_cast<unsigned char>(text[j]) == cp) ++j;
      Emit(i, j);
      i = j;
    }
  }
};

uint32_t Flags(std::string_view w) {
  uint32_t f = 0;
  bool first = true;
  bool all_upper = true;
  for (size_t i = 0; i < w.size();) {
    size_t len;
    uint32_t cp = DecodeUtf8At(w, i, &len);
    i += len;
    if (cp >= 0x80) f |= kTokNonAscii;
    if (cp >= '0' && cp <= '9') {
      f |= kTokHasDigit;
    } else if (cp == '.') {
      f |= kTokPeriod;
    } else if (IsWordHyphen(cp)) {
      f |= kTokHyphen;
    } else if (IsUpperCodePoint(cp)) {
      f |= kTokHasUpper | kTokHasLetter;
      if (first) f |= kTokUpperInitial;
    } else if (IsLowerCodePoint(cp)) {
      f |= kTokHasLower | kTokHasLetter;
      all_upper = false;
    } else if (cp >= 0x80 && IsWordChar(cp)) {
      f |= kTokHasLetter;  // letters without case (CJK, Arabic...)
      all_upper = false;
    }
    first = false;
  }
  if (!(f & (kTokHasLetter | kTokHasDigit))) f |= kTokPunct;
  if ((f & kTokHasUpper) && all_upper) f |= kTokAllUpper;
  return f;
}

bool IsSentenceFinal(std::string_view w) {
  return w == "." || w == "!" || w == "?" || w == "..." || w == "\xE2\x80\xA6" || w == "!!" ||
         w == "??" || w == "?!";
}
bool IsClosing(std::string_view w) {
  return w == "\"" || w == "'" || w == ")" || w == "]" || w == "\xE2\x80\x9D" ||
         w == "\xE2\x80\x99" || w == "''";
}
bool IsOpening(std::string_view w) {
  // "''" opens a quotation in archives that write both marks so (after a space: ". ''We").
  return w == "\"" || w == "(" || w == "[" || w == "\xE2\x80\x9C" || w == "\xE2\x80\x98" ||
         w == "'" || w == "``" || w == "''";
}

}  // namespace

uint32_t DecodeUtf8At(std::string_view s, size_t i, size_t* len) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  int n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 0;
  if (n == 0 || i + n > s.size()) {
    *len = 1;
    return c;
  }
  uint32_t cp = c & (0x7F >> n);
  for (int k = 1; k < n; ++k) {
    unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) {
      *len = 1;
      return c;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  *len = n;
  return cp;
}

bool IsUpperCodePoint(uint32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  return u_isupper(static_cast<UChar32>(cp)) || u_istitle(static_cast<UChar32>(cp));
}
bool IsLowerCodePoint(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return u_islower(static_cast<UChar32>(cp));
}

void AppendFolded(std::string_view word, std::string* out) {
  for (size_t i = 0; i < word.size();) {
    size_t len;
    uint32_t cp = DecodeUtf8At(word, i, &len);
    i += len;
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z') {
        out->push_back(static_cast<char>(cp + 32));
      } else if (IsAsciiAlnum(cp) || cp == '&') {
        out->push_back(static_cast<char>(cp));
      } else if (cp == '\'' || cp == '`') {
        out->push_back('\'');
      }
      // '.', '-' and other ASCII punctuation inside a token are dropped.
    } else if (cp == 0x2018 || cp == 0x2019) {
      out->push_back('\'');
    } else if (!IsWideSeparator(cp)) {
      AppendUtf8(LowerLatin(cp), out);
    }
  }
}

uint64_t FoldHash(std::string_view word) {
  std::string buf;
  AppendFolded(word, &buf);
  return HashBytes(buf);
}

uint64_t TopicFoldHash(std::string_view folded) {
  if (folded.size() > 3 && folded.back() == 's' && folded[folded.size() - 2] != 's')
    folded.remove_suffix(1);
  return HashBytes(folded) ^ 0x5bd1e9955bd1e995ULL;
}

void Tokenize(std::string_view text, std::vector<Token>* tokens,
              std::vector<Sentence>* sentences) {
  tokens->clear();
  sentences->clear();
  if (text.size() > 0xFFFFFFF0u) text = text.substr(0, 0xFFFFFFF0u);
  Scanner sc{text, tokens};
  sc.Run();
  AnnotateTokens(text, tokens, sentences);
}

void AnnotateTokens(std::string_view text, std::vector<Token>* tokens,
                    std::vector<Sentence>* sentences) {
  sentences->clear();
  std::string folded;
  bool pending_end = false;  // a sentence-final mark was seen; the next capital starts a sentence
  bool quote_open = false;   // parity of straight double quotes in this paragraph
  for (size_t k = 0; k < tokens->size(); ++k) {
    Token& t = (*tokens)[k];
    std::string_view w = text.substr(t.begin, t.end - t.begin);
    t.flags |= Flags(w);
    folded.clear();
    AppendFolded(w, &folded);
    t.fold = HashBytes(folded);
    t.topic = TopicFoldHash(folded);

    bool start = k == 0 || (t.flags & kTokNewlineBefore);
    if (!start && pending_end) {
      if (IsClosing(w) && !(t.flags & kTokSpaceBefore)) {
        // still pending: ."  .)
      } else if ((t.flags & (kTokUpperInitial | kTokHasDigit)) ||
                 (IsOpening(w) && (t.flags & kTokSpaceBefore))) {
        start = true;
      } else {
        pending_end = false;
      }
    }
    if (start) {
      pending_end = false;
      Sentence s;
      s.first_token = static_cast<uint32_t>(k);
      sentences->push_back(s);
      t.flags |= kTokSentenceStart;
    }
    if (IsSentenceFinal(w)) pending_end = true;
    // A capital after an opening quote is as uninformative as one at a sentence start.
    // Straight quotes are opening when glued to the next word, closing when glued to the
    // previous one, else (space on both sides, as in tokenised text) by parity.
    if (t.flags & kTokNewlineBefore) quote_open = false;
    bool opening = false;
    if (w == "\xE2\x80\x9C" || w == "\xE2\x80\x98" || w == "``") {
      opening = true;
    } else if (w == "''") {
      // Opening when it follows a space and is glued to the next word (`said. ''We need`).
      opening = (t.flags & (kTokSpaceBefore | kTokNewlineBefore)) && k + 1 < tokens->size() &&
                !((*tokens)[k + 1].flags & kTokSpaceBefore);
    } else if (w == "\"") {
      bool glued_next = k + 1 < tokens->size() && !((*tokens)[k + 1].flags & kTokSpaceBefore);
      bool glued_prev = k > 0 && !(t.flags & kTokSpaceBefore) && !(t.flags & kTokNewlineBefore);
      opening = glued_prev ? false : glued_next ? true : !quote_open;
      quote_open = opening;
    }
    if (opening && k + 1 < tokens->size()) (*tokens)[k + 1].flags |= kTokQuoteStart;
    t.sentence = static_cast<uint32_t>(sentences->size() - 1);
  }
  for (size_t s = 0; s < sentences->size(); ++s) {
    Sentence& sent = (*sentences)[s];
    sent.end_token = s + 1 < sentences->size() ? (*sentences)[s + 1].first_token
                                               : static_cast<uint32_t>(tokens->size());
    sent.begin = (*tokens)[sent.first_token].begin;
    sent.end = (*tokens)[sent.end_token - 1].end;
    int upper = 0, lower = 0;
    for (uint32_t k = sent.first_token; k < sent.end_token; ++k) {
      uint32_t f = (*tokens)[k].flags;
      if (f & kTokHasLower) ++lower;
      else if (f & kTokHasUpper) ++upper;
    }
    sent.all_upper = upper >= 2 && lower == 0;
  }
}

}  // namespace dossier::indexer
