// Internal: one reader per input format, all over a LineReader. Each reports its problems to
// the sink with `path` (or "path:line") as location and returns false only when the sink
// asked to stop.
#pragma once

#include <string>

#include "corpus/line_reader.h"
#include "corpus/reader.h"

namespace dossier::corpus {

// The most bytes a plain-text file may add to max_body_bytes (for its title line) before the
// rest of it is no longer read.
inline constexpr size_t kTextSlackBytes = 64 * 1024;

// JSON objects nested deeper than this are rejected before parsing.
inline constexpr int kMaxJsonDepth = 64;

bool ReadTextFormat(LineReader* in, const std::string& path, const ReadOptions& options,
                    ArticleSink* sink);
bool ReadJsonlFormat(LineReader* in, const std::string& path, const ReadOptions& options,
                     ArticleSink* sink);
// `delimiter` is ',' for CSV and '\t' for TSV.
bool ReadCsvFormat(LineReader* in, const std::string& path, char delimiter,
                   const ReadOptions& options, ArticleSink* sink);

// Removes a UTF-8 byte order mark at the start of `s`.
void StripBom(std::string* s);

}  // namespace dossier::corpus
