// Readers: archive files (text, JSON Lines, CSV/TSV, compressed) -> Article records.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "corpus/article.h"

namespace dossier::corpus {

enum class Format {
  kAuto,   // by extension (after removing .gz/.bz2/.xz/.zst), then by content (a first
           // non-blank character '{' means JSON Lines, anything else plain text)
  kText,   // one article per file: optional title line + blank line, then the body
  kJsonl,  // one JSON object per line (.jsonl, .ndjson, .json)
  kCsv,    // comma-separated, header row, RFC 4180 quoting
  kTsv,    // tab-separated, header row (the same quoting rules as CSV)
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
  // A JSONL line or CSV/TSV record longer than this is skipped with an error without being
  // held in memory (a quoted CSV field running on past it ends the file's reading).
  size_t max_record_bytes = 64 * 1024 * 1024;
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
//
// Details of the contract:
// - Folders: entries are sorted by name (bytes); names starting with '.' are skipped; only
//   files ending in .txt .text .jsonl .ndjson .json .csv .tsv (any case), optionally followed
//   by .gz .bz2 .xz .zst, are read, except README / LICENSE / LICENCE / COPYING / CHANGELOG
//   files (e.g. "README.TXT"), which describe a corpus rather than belong to it. Symlinks
//   are followed; each folder (by device and inode) is read once, a second visit (a loop)
//   is a warning. A file named by `path` itself is read whatever its name.
// - ReadOptions::format applies to every file when not kAuto (and to stdin, which is JSON
//   Lines under kAuto); compression is always detected from the magic bytes.
// - Locations: "path" for file-level problems and plain-text articles, "path:LINE" for
//   records, LINE being the physical line where the record starts; stdin is "<stdin>".
// - File-level errors: "cannot open: ...", "binary file, skipped" (a NUL byte, or mostly
//   control characters, in the first 8 KiB), "empty file" (nothing but whitespace),
//   "truncated or corrupt gzip data: ..." (after the records before the damage were
//   delivered; bzip2, xz, zstd likewise; a damaged plain-text article is not delivered),
//   "pretty-printed JSON is not JSON Lines", "header has no body or title column".
//   A UTF-8 byte order mark is ignored; UTF-16 input is not supported (it looks binary).
// - Record errors (record skipped): "malformed JSON: ...", "not a JSON object but ...",
//   "JSON nested deeper than 64 levels" (checked before parsing), "field 'title' is an
//   object, expected a string; record skipped", "no body or title", "N columns, header has
//   M", "line longer than N bytes, skipped" (max_record_bytes), "unbalanced quote" (reading
//   goes on from the line after the record's start; at the end of a file, or after a quoted
//   field longer than max_record_bytes, the rest of the file is skipped).
// - Warnings (article delivered): "invalid UTF-8 repaired (N bytes)" (bytes taken as
//   Windows-1252), "unparseable date '...'", "body cut to N bytes".
// - Raw control characters inside JSON strings (invalid JSON, but common) are accepted.
// - JSONL fields and their aliases (after field_map): id: id guid doc_id docid uuid; title:
//   title headline; date: date published publishedAt published_at pubDate datetime
//   timestamp; source: source publisher site outlet source_name; author: author authors
//   byline; url: url link href; body: body text content article story. Keys match exactly
//   first, then ignoring case; null counts as absent; unknown keys are ignored. Numbers are
//   accepted for id and date, {"name": ...} for source, arrays of strings (or of
//   {"name": ...}) for author (joined with ", ") and arrays of strings for body (paragraphs,
//   joined with a blank line). CSV/TSV header names use the same keys.
// - Plain text: see SplitTitle in text.h for the title rule; boilerplate trailer lines are
//   dropped from every body (StripBoilerplateTrailer).
bool ReadPath(const std::string& path, const ReadOptions& options, ArticleSink* sink);

}  // namespace dossier::corpus
