// Concordance lines: tokenising stored text, matching stems and phrases, cutting contexts.
#include "searcher/kwic.h"

#include <xapian.h>

#include <algorithm>

#include "schema/schema.h"

namespace dossier::searcher {
namespace {

bool IsApostrophe(unsigned ch) { return ch == '\'' || ch == 0x2019; }

// `s` with runs of whitespace folded to one space and the ends trimmed.
std::string Fold(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The last `n` code points of `s`.
std::string LastCodePoints(const std::string& s, size_t n) {
  size_t i = s.size();
  for (size_t k = 0; k < n && i > 0; ++k) {
    --i;
    while (i > 0 && IsContinuation(s[i])) --i;
  }
  return s.substr(i);
}

std::string FirstCodePoints(const std::string& s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && IsContinuation(s[i])) ++i;
  }
  return s.substr(0, i);
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  for (const KwicToken& t : KwicTokenize(s)) out.push_back(t.lower);
  return out;
}

}  // namespace

std::vector<KwicToken> KwicTokenize(const std::string& text) {
  std::vector<KwicToken> out;
  const char* base = text.data();
  Xapian::Utf8Iterator it(text), end;
  KwicToken cur;
  bool in_word = false;
  while (it != end) {
    unsigned ch = *it;
    size_t at = static_cast<size_t>(it.raw() - base);
    if (Xapian::Unicode::is_wordchar(ch)) {
      if (!in_word) {
        cur = KwicToken();
        cur.start = at;
        in_word = true;
      }
      Xapian::Unicode::append_utf8(cur.lower, Xapian::Unicode::tolower(ch));
      ++it;
      cur.end = it == end ? text.size() : static_cast<size_t>(it.raw() - base);
      continue;
    }
    if (in_word && IsApostrophe(ch)) {
      Xapian::Utf8Iterator next = it;
      ++next;
      if (next != end && Xapian::Unicode::is_wordchar(*next)) {
        cur.lower += '\'';
        it = next;
        continue;
      }
    }
    if (in_word) out.push_back(std::move(cur));
    in_word = false;
    ++it;
  }
  if (in_word) out.push_back(std::move(cur));
  return out;
}

KwicMatcher::KwicMatcher(const std::string& pattern) {
  const Xapian::Stem stem = schema::Stemmer();
  const std::string& p = pattern;
  // Words of the pattern; a trailing '*' on a word asks for a prefix match.
  std::vector<KwicToken> tokens = KwicTokenize(p);
  for (const KwicToken& t : tokens) {
    Word w;
    w.lower = t.lower;
    if (t.end < p.size() && p[t.end] == '*') {
      w.prefix = t.lower;
    } else {
      w.stem = stem(t.lower);
    }
    words_.push_back(std::move(w));
  }
}

std::string KwicMatcher::FilterQuery() const {
  // The words as given: the query parser stems them to the same Z terms the matcher compares.
  // Only words (no quotes or operators) reach the parser, so this cannot fail to parse.
  std::string q;
  for (const Word& w : words_) {
    q += q.empty() ? "" : " ";
    q += w.prefix.empty() ? w.lower : w.prefix + "*";
  }
  return q;
}

std::vector<KwicMatcher::Occurrence> KwicMatcher::Find(const std::string& text) const {
  std::vector<Occurrence> out;
  if (words_.empty()) return out;
  const Xapian::Stem stem = schema::Stemmer();
  std::vector<KwicToken> tokens = KwicTokenize(text);
  std::vector<std::string> stems(tokens.size());
  auto stem_of = [&](size_t i) -> const std::string& {
    if (stems[i].empty()) stems[i] = stem(tokens[i].lower);
    return stems[i];
  };
  auto matches = [&](size_t i, const Word& w) {
    if (!w.prefix.empty()) return tokens[i].lower.compare(0, w.prefix.size(), w.prefix) == 0;
    return stem_of(i) == w.stem;
  };
  for (size_t i = 0; i + words_.size() <= tokens.size(); ++i) {
    bool all = true;
    for (size_t k = 0; k < words_.size() && all; ++k) all = matches(i + k, words_[k]);
    if (all) out.push_back({tokens[i].start, tokens[i + words_.size() - 1].end});
  }
  return out;
}

KwicLine MakeKwicLine(const std::string& text, const KwicMatcher::Occurrence& o, size_t width) {
  KwicLine line;
  // Take generously many bytes, fold whitespace, then cut to code points.
  const size_t bytes = width * 4 + 64;
  size_t lstart = o.start > bytes ? o.start - bytes : 0;
  while (lstart > 0 && lstart < text.size() && IsContinuation(text[lstart])) --lstart;
  std::string left = text.substr(lstart, o.start - lstart);
  bool left_space = !left.empty() && std::isspace(static_cast<unsigned char>(left.back()));
  line.left = LastCodePoints(Fold(left) + (left_space ? " " : ""), width);
  line.match = Fold(text.substr(o.start, o.end - o.start));
  std::string right = text.substr(o.end, std::min(bytes, text.size() - o.end));
  bool right_space = !right.empty() && std::isspace(static_cast<unsigned char>(right.front()));
  line.right = FirstCodePoints((right_space ? " " : "") + Fold(right), width);
  line.position = o.start;
  return line;
}

bool ParseKwicSort(const std::string& name, KwicSort* out) {
  if (name == "rank") *out = KwicSort::kRank;
  else if (name == "left") *out = KwicSort::kLeft;
  else if (name == "right") *out = KwicSort::kRight;
  else if (name == "date") *out = KwicSort::kDate;
  else return false;
  return true;
}

void SortKwic(KwicSort sort, std::vector<KwicLine>* lines) {
  switch (sort) {
    case KwicSort::kRank:
      return;
    case KwicSort::kDate:
      std::stable_sort(lines->begin(), lines->end(), [](const KwicLine& a, const KwicLine& b) {
        // Undated lines last.
        if (a.date.empty() != b.date.empty()) return b.date.empty();
        return a.date < b.date;
      });
      return;
    case KwicSort::kLeft:
    case KwicSort::kRight: {
      // Sort keys: the context's words, nearest the match first.
      std::vector<std::pair<std::vector<std::string>, size_t>> keys;
      for (size_t i = 0; i < lines->size(); ++i) {
        std::vector<std::string> w = Words(sort == KwicSort::kLeft ? (*lines)[i].left : (*lines)[i].right);
        if (sort == KwicSort::kLeft) std::reverse(w.begin(), w.end());
        keys.emplace_back(std::move(w), i);
      }
      std::stable_sort(keys.begin(), keys.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<KwicLine> sorted;
      sorted.reserve(lines->size());
      for (auto& k : keys) sorted.push_back(std::move((*lines)[k.second]));
      *lines = std::move(sorted);
      return;
    }
  }
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += !IsContinuation(c);
  return n;
}

}  // namespace dossier::searcher
