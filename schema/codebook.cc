// Codebook loading, folding, digest and look-up.
#include "schema/codebook.h"
#include "schema/utf8.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

namespace dossier::schema {

// Generated from schema/codebooks/world-news.tsv by schema/codebooks/embed.cmake.
extern const char kWorldNewsCodebookText[];
extern const size_t kWorldNewsCodebookSize;

std::string_view EntityTypeName(EntityType t) {
  switch (t) {
    case EntityType::kPerson: return "person";
    case EntityType::kInstitution: return "institution";
    case EntityType::kPlace: return "place";
    case EntityType::kTopic: return "topic";
  }
  return "unknown";
}

std::optional<EntityType> ParseEntityType(std::string_view name) {
  if (name == "person" || name == "people") return EntityType::kPerson;
  if (name == "institution" || name == "org" || name == "organisation" ||
      name == "organization")
    return EntityType::kInstitution;
  if (name == "place" || name == "location") return EntityType::kPlace;
  if (name == "topic") return EntityType::kTopic;
  return std::nullopt;
}

namespace {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and sets *len. Invalid bytes are
// returned as themselves with length 1 (callers only fold, they never reject).
uint32_t DecodeUtf8(std::string_view s, size_t i, size_t* len) {
  unsigned char c = s[i];
  if (c < 0x80) { *len = 1; return c; }
  int n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 0;
  if (n == 0 || i + n > s.size()) { *len = 1; return c; }
  uint32_t cp = c & (0x7F >> n);
  for (int k = 1; k < n; ++k) {
    unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) { *len = 1; return c; }
    cp = (cp << 6) | (d & 0x3F);
  }
  *len = n;
  return cp;
}


// Lower case for the Latin ranges news names use; other scripts are left as they are.
uint32_t LowerLatin(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return cp | 1;
  if (cp >= 0x139 && cp <= 0x148 && (cp & 1)) return cp + 1;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;  // Cyrillic
  if (cp >= 0x391 && cp <= 0x3A9) return cp + 0x20;  // Greek
  return cp;
}

bool IsHyphen(uint32_t cp) { return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212; }
bool IsQuote(uint32_t cp) { return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019; }
// Punctuation and spaces outside ASCII that separate words.
bool IsWideSeparator(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

// ---- SHA-256 (FIPS 180-4), for Digest(). ----
class Sha256 {
 public:
  void Update(std::string_view data) {
    for (unsigned char c : data) {
      buf_[buf_len_++] = c;
      if (buf_len_ == 64) { Block(); buf_len_ = 0; }
    }
    bits_ += uint64_t{data.size()} * 8;
  }
  std::string HexDigest() {
    uint64_t bits = bits_;
    buf_[buf_len_++] = 0x80;
    if (buf_len_ > 56) {
      while (buf_len_ < 64) buf_[buf_len_++] = 0;
      Block();
      buf_len_ = 0;
    }
    while (buf_len_ < 56) buf_[buf_len_++] = 0;
    for (int i = 7; i >= 0; --i) buf_[buf_len_++] = static_cast<unsigned char>(bits >> (i * 8));
    Block();
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (uint32_t v : h_)
      for (int i = 28; i >= 0; i -= 4) out.push_back(kHex[(v >> i) & 0xF]);
    return out;
  }

 private:
  static uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  void Block() {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t{buf_[4 * i]} << 24) | (uint32_t{buf_[4 * i + 1]} << 16) |
             (uint32_t{buf_[4 * i + 2]} << 8) | uint32_t{buf_[4 * i + 3]};
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6],
             h = h_[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h_[0] += a; h_[1] += b; h_[2] += c; h_[3] += d;
    h_[4] += e; h_[5] += f; h_[6] += g; h_[7] += h;
  }

  std::array<uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  unsigned char buf_[64] = {};
  size_t buf_len_ = 0;
  uint64_t bits_ = 0;
};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitWords(std::string_view folded) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < folded.size()) {
    size_t j = folded.find(' ', i);
    if (j == std::string_view::npos) j = folded.size();
    if (j > i) words.push_back(folded.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

std::string CanonicalKey(EntityType type, std::string_view canonical) {
  std::string key(1, static_cast<char>('0' + static_cast<int>(type)));
  key += '\x1f';
  key += FoldName(canonical);
  return key;
}

}  // namespace

std::string FoldName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  uint32_t prev = ' ';
  for (size_t i = 0; i < text.size();) {
    size_t len;
    uint32_t cp = DecodeUtf8(text, i, &len);
    size_t next_i = i + len;
    uint32_t next = ' ';
    if (next_i < text.size()) {
      size_t nlen;
      next = DecodeUtf8(text, next_i, &nlen);
    }
    i = next_i;
    bool prev_word = prev != ' ' && !IsWideSeparator(prev) && (prev >= 0x80 || IsAsciiAlnum(prev));
    bool next_word = next >= 0x80 ? !IsWideSeparator(next) : IsAsciiAlnum(next);
    if (cp == '.' || (IsHyphen(cp) && prev_word && next_word)) {
      // "U.S." -> "us", "cease-fire" -> "ceasefire": dropped without a break.
      prev = cp;
      continue;
    }
    uint32_t emit;
    if (cp < 0x80) {
      if (IsAsciiAlnum(cp)) emit = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
      else if (cp == '\'' || cp == '`') emit = '\'';
      else if (cp == '&') emit = '&';
      else emit = ' ';
    } else if (IsQuote(cp)) {
      emit = '\'';
    } else if (IsWideSeparator(cp)) {
      emit = ' ';
    } else {
      emit = LowerLatin(cp);
    }
    prev = cp;
    if (emit == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    AppendUtf8(emit, &out);
  }
  return out;
}

const Codebook& Codebook::Default() {
  static const Codebook* book = [] {
    auto* b = new Codebook();
    Status s = b->LoadString(std::string_view(kWorldNewsCodebookText, kWorldNewsCodebookSize),
                             "world-news.tsv");
    // The built-in codebook is checked by the tests; a broken one is a build defect.
    if (!s.ok()) {
      fprintf(stderr, "dossier: built-in codebook: %s\n", s.message().c_str());
      abort();
    }
    return b;
  }();
  return *book;
}

Status Codebook::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open codebook " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("error reading codebook " + path);
  return LoadString(ss.str(), path);
}

Status Codebook::LoadString(std::string_view text, const std::string& name) {
  std::vector<CodebookEntry> parsed;
  size_t line_no = 0;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // UTF-8 byte-order mark
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = TrimSpaces(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    auto error = [&](const std::string& what) {
      return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": " + what);
    };
    std::vector<std::string_view> fields;
    size_t f = 0;
    while (true) {
      size_t tab = line.find('\t', f);
      fields.push_back(TrimSpaces(line.substr(f, tab == std::string_view::npos ? tab : tab - f)));
      if (tab == std::string_view::npos) break;
      f = tab + 1;
    }
    // Trailing empty fields (a stray tab at the end of a line) are harmless.
    while (fields.size() > 1 && fields.back().empty()) fields.pop_back();
    if (fields.size() < 2 || fields.size() > 3)
      return error("expected TYPE<TAB>CANONICAL[<TAB>ALIAS|ALIAS...], found " +
                   std::to_string(fields.size()) + " tab-separated field" +
                   (fields.size() == 1 ? "" : "s"));
    auto type = ParseEntityType(fields[0]);
    if (!type)
      return error("unknown entity type '" + std::string(fields[0]) +
                   "' (expected person, institution, place or topic)");
    if (fields[1].empty()) return error("empty canonical name");
    if (fields[1].find('|') != std::string_view::npos)
      return error("'|' in canonical name '" + std::string(fields[1]) +
                   "' (aliases go in the third field)");
    if (FoldName(fields[1]).empty())
      return error("canonical name '" + std::string(fields[1]) + "' has no letters or digits");
    CodebookEntry entry{*type, std::string(fields[1]), {std::string(fields[1])}};
    if (fields.size() == 3) {
      size_t a = 0;
      std::string_view list = fields[2];
      while (a <= list.size()) {
        size_t bar = list.find('|', a);
        if (bar == std::string_view::npos) bar = list.size();
        std::string_view alias = TrimSpaces(list.substr(a, bar - a));
        if (alias.empty() || FoldName(alias).empty())
          return error("empty alias in '" + std::string(list) + "'");
        entry.aliases.emplace_back(alias);
        a = bar + 1;
      }
    }
    parsed.push_back(std::move(entry));
  }
  for (auto& e : parsed) Add(std::move(e));
  return Status::OK();
}

void Codebook::Add(CodebookEntry entry) {
  std::string key = CanonicalKey(entry.type, entry.canonical);
  size_t index;
  auto it = by_canonical_.find(key);
  if (it == by_canonical_.end()) {
    index = entries_.size();
    by_canonical_.emplace(std::move(key), index);
    entries_.push_back(CodebookEntry{entry.type, entry.canonical, {}});
  } else {
    index = it->second;
  }
  CodebookEntry& target = entries_[index];
  // Aliases are unique by folded form within an entry; the canonical name is always first.
  std::vector<std::string> folded;
  folded.reserve(target.aliases.size());
  for (const auto& a : target.aliases) folded.push_back(FoldName(a));
  if (target.aliases.empty()) {
    target.aliases.push_back(target.canonical);
    folded.push_back(FoldName(target.canonical));
    by_alias_[folded.back()].push_back(index);
  }
  for (auto& alias : entry.aliases) {
    std::string f = FoldName(alias);
    bool seen = false;
    for (const auto& g : folded) seen = seen || g == f;
    if (seen) continue;
    folded.push_back(f);
    target.aliases.push_back(std::move(alias));
    by_alias_[f].push_back(index);
  }
}

void Codebook::Merge(const Codebook& other) {
  if (&other == this) return;
  for (const auto& e : other.entries_) Add(e);
}

std::string Codebook::Serialise() const {
  std::string out = "# dossier codebook: TYPE<TAB>CANONICAL<TAB>ALIAS|ALIAS...\n";
  for (const auto& e : entries_) {
    out += EntityTypeName(e.type);
    out += '\t';
    out += e.canonical;
    bool first = true;
    for (const auto& a : e.aliases) {
      if (a == e.canonical) continue;
      out += first ? '\t' : '|';
      out += a;
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string Codebook::Digest() const {
  Sha256 sha;
  sha.Update(Serialise());
  return sha.HexDigest();
}

std::vector<const CodebookEntry*> Codebook::Resolve(std::string_view text,
                                                    std::optional<EntityType> type) const {
  std::vector<const CodebookEntry*> out;
  std::string folded = FoldName(text);
  if (folded.empty()) return out;
  if (auto it = by_alias_.find(folded); it != by_alias_.end()) {
    for (size_t i : it->second)
      if (!type || entries_[i].type == *type) out.push_back(&entries_[i]);
    if (!out.empty()) return out;
  }
  std::vector<std::string_view> words = SplitWords(folded);
  if (words.size() > 1 && words.front() == "the") words.erase(words.begin());
  for (const auto& e : entries_) {
    if (type && e.type != *type) continue;
    std::string canon = FoldName(e.canonical);
    std::vector<std::string_view> cwords = SplitWords(canon);
    bool all = true;
    for (auto w : words) {
      bool found = false;
      for (auto c : cwords) found = found || c == w;
      all = all && found;
    }
    if (all) out.push_back(&e);
  }
  return out;
}

}  // namespace dossier::schema
