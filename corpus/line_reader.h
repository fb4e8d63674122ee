// Internal: physical lines (or the whole input) from a ByteSource, with no fixed line length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "corpus/byte_source.h"

namespace dossier::corpus {

class LineReader {
 public:
  // Lines longer than `max_line_bytes` are not stored (see kTooLong). `src` must outlive this.
  LineReader(ByteSource* src, size_t max_line_bytes) : src_(src), max_line_bytes_(max_line_bytes) {}

  // Up to `n` bytes from the current position, buffered but not consumed (for sniffing).
  // Shorter only at the end of the input or on a read error.
  std::string_view Peek(size_t n);

  enum class Result {
    kLine,     // *line holds the next line, without "\n" or "\r\n"
    kTooLong,  // the next line was longer than max_line_bytes: skipped (it still counts)
    kEnd,      // no more input
    kError,    // read or decompression error (see error()); a partial last line is dropped
  };
  Result Next(std::string* line);

  // Physical line number (from 1) of the line Next just returned.
  size_t line_number() const { return line_; }

  // All remaining input, at most `limit` bytes, into *out; *more tells whether input was left.
  // Returns kLine on success, kError on a read error (*out then holds what was read).
  Result ReadAll(size_t limit, std::string* out, bool* more);

  // Makes `text` (lines joined by '\n') the next input, numbered from `first_line`, before
  // whatever was not read yet. Used to re-read the rest of a CSV record after a bad quote.
  void PushBack(std::string_view text, size_t first_line);

  const std::string& error() const { return src_->error(); }

 private:
  // Reads one more chunk into buf_. False at the end of input or on an error.
  bool Fill();
  void Compact();

  ByteSource* src_;
  size_t max_line_bytes_;
  std::string buf_;
  size_t pos_ = 0;
  size_t line_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

}  // namespace dossier::corpus
