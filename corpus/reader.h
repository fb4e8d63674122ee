// Readers: archive files (text, JSON Lines, CSV/TSV, compressed) -> Article records.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "corpus/article.h"

namespace dossier::corpus {

enum class Format {
  kAuto,   // by extension (after removing .gz/.bz2/.xz/.zst), then by content
  kText,   // one article per file: optional title line + blank line, then the body
  kJsonl,  // one JSON object per line
  kCsv,    // comma-separated, header row, RFC 4180 quoting
  kTsv,    // tab-separated, header row
};
// "auto", "text", "jsonl", "csv", "tsv" -> Format; false if unknown.
bool ParseFormat(const std::string& name, Format* out);

struct ReadOptions {
  Format format = Format::kAuto;
  // Extra field mappings for JSONL/CSV: our field name ("body") -> the input's key ("text").
  // Applied before the built-in aliases.
  std::map<std::string, std::string> field_map;
  // Articles whose body is longer than this are cut (at a UTF-8 boundary) with a warning.
  size_t max_body_bytes = 8 * 1024 * 1024;
};

// A problem found while reading. `location` is "path" or "path:line".
struct Diagnostic {
  enum class Severity { kWarning, kError };
  Severity severity;
  std::string location;
  std::string message;
};

// Receives what the readers produce, in input order. Implementations must not throw.
class ArticleSink {
 public:
  virtual ~ArticleSink() = default;
  // A complete article, body valid UTF-8. Return false to stop reading (e.g. a fatal error).
  virtual bool OnArticle(Article&& article) = 0;
  // A warning (the record was still delivered) or an error (the record was skipped).
  virtual void OnDiagnostic(const Diagnostic& d) = 0;
};

// Reads `path`: a file (any Format, optionally compressed), a folder (recursed in sorted
// order, hidden files skipped, symlink loops detected), or "-" for JSON Lines on stdin.
// Bad records and unreadable files are reported to the sink as errors and skipped; reading
// goes on. Returns false only when the sink asked to stop.
bool ReadPath(const std::string& path, const ReadOptions& options, ArticleSink* sink);

}  // namespace dossier::corpus
