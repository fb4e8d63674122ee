// UTF-8 validation and Windows-1252 repair, whitespace helpers, boilerplate trailers.
#include "corpus/text.h"
#include "schema/utf8.h"

#include <array>
#include <cstdint>

namespace dossier::corpus {
namespace {

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes (become U+FFFD).
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};


bool IsCont(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting at in[i] (i points at a byte >= 0x80), or 0
// when it is not valid (bad lead byte, missing continuation, overlong, surrogate, > U+10FFFF).
size_t ValidSequenceLength(std::string_view in, size_t i) {
  const auto b = [&](size_t k) -> unsigned char {
    return i + k < in.size() ? static_cast<unsigned char>(in[i + k]) : 0;
  };
  const unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return IsCont(b(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // E0 80..9F: overlong
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // ED A0..BF: surrogates
    return b(1) >= lo && b(1) <= hi && IsCont(b(2)) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // F0 80..8F: overlong
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // F4 90+: above U+10FFFF
    return b(1) >= lo && b(1) <= hi && IsCont(b(2)) && IsCont(b(3)) ? 4 : 0;
  }
  return 0;  // 80..C1 (continuation or overlong lead) and F5..FF
}

// Length of the prefix of `in` that Repair would copy unchanged.
size_t CleanPrefix(std::string_view in, bool clean_controls) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c >= 0x20 && c < 0x80) {
      ++i;
    } else if (c < 0x20) {
      if (clean_controls && c != '\t' && c != '\n') return i;
      ++i;
    } else {
      const size_t k = ValidSequenceLength(in, i);
      if (k == 0) return i;
      i += k;
    }
  }
  return n;
}

std::string Repair(std::string_view in, bool clean_controls, size_t* repaired) {
  // Most text is clean: check first, copy once.
  const size_t clean = CleanPrefix(in, clean_controls);
  if (clean == in.size()) {
    if (repaired != nullptr) *repaired = 0;
    return std::string(in);
  }
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  out.append(in.substr(0, clean));
  size_t bad = 0;
  size_t i = clean;
  while (i < in.size()) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      if (clean_controls && c < 0x20 && c != '\t' && c != '\n') {
        if (c == '\r') {
          out.push_back('\n');
          if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
        } else {
          out.push_back(' ');
        }
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const size_t n = ValidSequenceLength(in, i);
    if (n > 0) {
      out.append(in.substr(i, n));
      i += n;
      continue;
    }
    ++bad;
    char32_t cp = c;
    if (c < 0xA0) {
      cp = kCp1252High[c - 0x80];
      if (cp == 0) cp = 0xFFFD;
    }
    AppendUtf8(cp, &out);
    ++i;
  }
  if (repaired != nullptr) *repaired = bad;
  return out;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Lower-cased, trailing punctuation and decoration removed: "Read more »" -> "read more".
std::string NormalizeTrailer(std::string_view line) {
  line = Trim(line);
  std::string s;
  for (char c : line) s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  // Strip trailing ASCII punctuation and the UTF-8 forms of "…", "»", "→", "›".
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    for (std::string_view tail : {"\xE2\x80\xA6", "\xC2\xBB", "\xE2\x86\x92", "\xE2\x80\xBA"}) {
      if (s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0) {
        s.resize(s.size() - tail.size());
        changed = true;
      }
    }
    while (!s.empty() && (IsSpace(s.back()) ||
                          std::string_view(".:!>-|").find(s.back()) != std::string_view::npos)) {
      s.pop_back();
      changed = true;
    }
  }
  return s;
}

bool IsBoilerplate(std::string_view line) {
  static constexpr std::string_view kTrailers[] = {
      "source link",
      "source",
      "read more",
      "read more here",
      "read full article",
      "read full story",
      "read the full article",
      "read the full story",
      "continue reading",
      "click here to read more",
      "share this article",
      "share this story",
      "share this",
      "view source",
      "original source",
      "reuter",
  };
  const std::string norm = NormalizeTrailer(line);
  if (norm.empty()) return false;
  for (std::string_view t : kTrailers) {
    if (norm == t) return true;
  }
  return false;
}

}  // namespace

std::string ToValidUtf8(std::string_view in, size_t* repaired) {
  return Repair(in, /*clean_controls=*/true, repaired);
}

std::string RepairUtf8(std::string_view in, size_t* repaired) {
  return Repair(in, /*clean_controls=*/false, repaired);
}

bool IsValidUtf8(std::string_view s) {
  return CleanPrefix(s, /*clean_controls=*/false) == s.size();
}

std::string_view Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string CollapseWhitespace(std::string_view s) {
  s = Trim(s);
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string_view CutUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && IsCont(static_cast<unsigned char>(s[n]))) --n;
  return s.substr(0, n);
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsCont(static_cast<unsigned char>(c)) ? 0 : 1;
  return n;
}

bool StripBoilerplateTrailer(std::string* body) {
  bool removed = false;
  for (;;) {
    std::string_view rest = *body;
    while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
    const size_t nl = rest.rfind('\n');
    const std::string_view last = nl == std::string_view::npos ? rest : rest.substr(nl + 1);
    if (!IsBoilerplate(last)) {
      body->resize(rest.size());
      return removed;
    }
    body->resize(nl == std::string_view::npos ? 0 : nl);
    removed = true;
  }
}

namespace {

// `s` without its leading lines that are empty or whitespace only.
std::string_view DropLeadingBlankLines(std::string_view s) {
  for (;;) {
    const size_t nl = s.find('\n');
    if (nl == std::string_view::npos || !Trim(s.substr(0, nl)).empty()) return s;
    s.remove_prefix(nl + 1);
  }
}

constexpr size_t kMaxTitleChars = 200;

bool LooksLikeTitle(std::string_view line) {
  if (line.empty() || Utf8Length(line) >= kMaxTitleChars) return false;
  const char last = line.back();
  if (last == '.') return line.size() >= 3 && line.substr(line.size() - 3) == "...";
  return last != ',' && last != ';' && last != ':';
}

}  // namespace

void SplitTitle(std::string_view text, std::string* title, std::string_view* body) {
  title->clear();
  text = DropLeadingBlankLines(text);
  *body = text;
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return;
  const std::string_view first = Trim(text.substr(0, nl));
  std::string_view rest = text.substr(nl + 1);
  const size_t nl2 = rest.find('\n');
  const std::string_view second = rest.substr(0, nl2);
  if (!Trim(second).empty() || !LooksLikeTitle(first)) return;
  *title = CollapseWhitespace(first);
  rest = nl2 == std::string_view::npos ? std::string_view() : rest.substr(nl2 + 1);
  *body = DropLeadingBlankLines(rest);
}

bool LooksBinary(std::string_view head, bool nul_is_binary) {
  size_t controls = 0;
  for (char ch : head) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0 && nul_is_binary) return true;
    if (c < 0x20 && !IsSpace(ch) && c != 0x1B) ++controls;
  }
  return controls * 10 > head.size();
}

}  // namespace dossier::corpus
