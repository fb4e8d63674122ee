// Text clean-up shared by all readers: UTF-8 repair and whitespace handling.
#pragma once

#include <string>
#include <string_view>

namespace dossier::corpus {

// Returns `in` as valid UTF-8. Byte sequences that are not UTF-8 are taken as Windows-1252 /
// Latin-1 and transcoded (the usual cause in news archives); NUL and other C0 control
// characters except \t \n \r become spaces; \r\n and \r become \n. `*repaired` is set to the
// number of invalid bytes that had to be transcoded (0 for clean input) when not null.
// Overlong forms, surrogates (ED A0..BF) and code points above U+10FFFF count as invalid;
// the five bytes Windows-1252 leaves undefined (81 8D 8F 90 9D) become U+FFFD.
std::string ToValidUtf8(std::string_view in, size_t* repaired = nullptr);

// Like ToValidUtf8 but only repairs invalid byte sequences: control characters and line
// breaks are left as they are (used on raw JSON lines before parsing).
std::string RepairUtf8(std::string_view in, size_t* repaired = nullptr);

// True when `s` is valid UTF-8 (RepairUtf8 would leave it unchanged).
bool IsValidUtf8(std::string_view s);

// Removes leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// Trims `s` and replaces every run of ASCII whitespace (line breaks included) by one space:
// for one-line fields such as titles and authors.
std::string CollapseWhitespace(std::string_view s);

// The longest prefix of the valid UTF-8 string `s` that is at most `max_bytes` long and does
// not end inside a multi-byte character.
std::string_view CutUtf8(std::string_view s, size_t max_bytes);

// Number of code points in the valid UTF-8 string `s`.
size_t Utf8Length(std::string_view s);

// Removes trailing boilerplate lines ("Source link", "Read more", "Share this article",
// "Continue reading", the Reuters sign-off "Reuter", ...) from the end of `body`, only when
// they are the last non-empty line (repeatedly), and then trailing whitespace. Matching
// ignores case and trailing punctuation. Returns true when a boilerplate line was removed.
bool StripBoilerplateTrailer(std::string* body);

// Splits a plain-text article into title and body. The first non-blank line is the title when
// it is shorter than 200 characters, does not end like a sentence or clause ('.', ',', ';',
// ':' -- an ellipsis "..." is fine) and is followed by a blank line; *title gets it with its
// whitespace collapsed. Otherwise *title is "" (the searcher shows the first sentence) and the
// body is the whole text. Leading blank lines of *body are dropped; *body points into `text`.
void SplitTitle(std::string_view text, std::string* title, std::string_view* body);

// True when `head` (the first bytes of a file) does not look like text: it contains a NUL
// byte (only when `nul_is_binary`), or more than 10% of its bytes are C0 control characters
// other than whitespace and ESC. Record formats (JSONL, CSV) pass false: a NUL byte there
// is the problem of one record, not a reason to skip the file's other records.
bool LooksBinary(std::string_view head, bool nul_is_binary = true);

}  // namespace dossier::corpus
