// Concordance (keyword in context): every occurrence of a word or phrase in matching articles,
// with aligned left and right context, as corpus-linguistics concordancers show them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dossier::searcher {

// One word of a text: byte offsets and its lower-cased form (Xapian's Unicode case folding).
struct KwicToken {
  size_t start = 0, end = 0;
  std::string lower;
};
// Splits `text` into words the way Xapian's TermGenerator sees them, near enough: runs of
// Unicode word characters, an apostrophe (' or ’) between two of them kept inside the word.
std::vector<KwicToken> KwicTokenize(const std::string& text);

// Matches a word or phrase: each word by its English stem ("talks" finds talk, talking,
// talked), or by prefix when it ends in '*' ("negotiat*"); a phrase as consecutive words.
class KwicMatcher {
 public:
  explicit KwicMatcher(const std::string& pattern);
  bool empty() const { return words_.empty(); }
  // The pattern's words, for a query that pre-selects the articles that may contain it.
  std::string FilterQuery() const;

  struct Occurrence {
    size_t start = 0, end = 0;  // byte offsets of the match in the text
  };
  // Every occurrence in `text`, in order.
  std::vector<Occurrence> Find(const std::string& text) const;

 private:
  struct Word {
    std::string lower;   // the word as given, lower-cased
    std::string stem;    // of the lower-cased word; empty when `prefix` is used
    std::string prefix;  // for "word*"
  };
  std::vector<Word> words_;
};

struct KwicLine {
  std::string left, match, right;  // whitespace folded to single spaces; left/right cut to width
  std::string id, date, source, title;
  uint64_t rank = 0;      // the article's rank in the search
  size_t position = 0;    // byte offset of the match (title occurrences come first)
};

// The context of an occurrence: up to `width` code points either side (whitespace folded).
KwicLine MakeKwicLine(const std::string& text, const KwicMatcher::Occurrence& o, size_t width);

enum class KwicSort { kRank, kLeft, kRight, kDate };
// "rank" (the search order, default), "left" (by the words leading up to the match, nearest
// first, as concordancers sort), "right" (by the words after it), "date".
bool ParseKwicSort(const std::string& name, KwicSort* out);
// Stable sort of `lines`; ties keep search order.
void SortKwic(KwicSort sort, std::vector<KwicLine>* lines);

// Number of code points of UTF-8 `s` (for alignment).
size_t CodePoints(const std::string& s);

}  // namespace dossier::searcher
