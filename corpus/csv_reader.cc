// CSV and TSV with a header row; RFC 4180 quoting (fields may hold newlines and "" quotes).
#include <fmt/format.h>

#include <string>
#include <vector>

#include "corpus/format_readers.h"
#include "corpus/record.h"
#include "corpus/text.h"

namespace dossier::corpus {
namespace {

// After this many re-reads following unbalanced quotes, the rest of a file is given up.
constexpr int kMaxResyncs = 100;

// Splits the input into records, one or more physical lines each.
class CsvParser {
 public:
  CsvParser(LineReader* in, char delimiter, size_t max_record_bytes)
      : in_(in), delimiter_(delimiter), max_record_bytes_(max_record_bytes) {}

  enum class Result {
    kRecord,      // *fields holds the next record
    kEnd,         // no more input
    kError,       // read error (in->error())
    kUnbalanced,  // a quoted field never closed before the end of input
    kTooLong,     // a record longer than max_record_bytes (see too_long_resumable)
  };
  // Reads the next record that is not a blank line.
  Result Next(std::vector<std::string>* fields);

  // Physical line where the record just returned (or failed) started.
  size_t start_line() const { return start_line_; }

  // After kUnbalanced: read on from the line after the failed record's start, as if its
  // opening quote had been a stray character. False when nothing is left to re-read.
  bool Resync();

  // After kTooLong: whether it was a single unquoted line (skipped; reading can go on) rather
  // than a quoted field running on (where the next record starts is unknown).
  bool too_long_resumable() const { return too_long_resumable_; }

 private:
  bool too_long_resumable_ = false;
  LineReader* in_;
  char delimiter_;
  size_t max_record_bytes_;
  size_t start_line_ = 0;
  std::string raw_;  // physical lines of the current record, for Resync
};

CsvParser::Result CsvParser::Next(std::vector<std::string>* fields) {
  fields->clear();
  std::string field;
  std::string line;
  bool in_quotes = false;
  bool field_start = true;
  raw_.clear();
  for (;;) {
    const LineReader::Result r = in_->Next(&line);
    if (r == LineReader::Result::kError) return Result::kError;
    if (r == LineReader::Result::kEnd) return in_quotes ? Result::kUnbalanced : Result::kEnd;
    if (r == LineReader::Result::kTooLong) {
      too_long_resumable_ = !in_quotes;
      if (!in_quotes) start_line_ = in_->line_number();
      return Result::kTooLong;
    }
    if (!in_quotes) {
      start_line_ = in_->line_number();
      if (start_line_ == 1) StripBom(&line);
      if (Trim(line).empty()) continue;
    } else {
      field.push_back('\n');
      raw_.push_back('\n');
    }
    raw_.append(line);
    if (raw_.size() > max_record_bytes_) {
      too_long_resumable_ = false;
      return Result::kTooLong;
    }

    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (in_quotes) {
        if (c != '"') {
          field.push_back(c);
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else if (c == delimiter_) {
        fields->push_back(std::move(field));
        field.clear();
        field_start = true;
      } else if (c == '"' && field_start) {
        in_quotes = true;
        field_start = false;
      } else {
        // Lenient like most readers: a quote inside an unquoted field, or text after a
        // closing quote, is kept as it is.
        field.push_back(c);
        field_start = false;
      }
    }
    if (!in_quotes) {
      fields->push_back(std::move(field));
      return Result::kRecord;
    }
  }
}

bool CsvParser::Resync() {
  const size_t nl = raw_.find('\n');
  if (nl == std::string::npos) return false;
  in_->PushBack(std::string_view(raw_).substr(nl + 1), start_line_ + 1);
  return true;
}

std::string JoinHeader(const std::vector<std::string>& header) {
  std::string out;
  for (const std::string& h : header) {
    if (!out.empty()) out += ", ";
    out += h;
  }
  return out;
}

}  // namespace

bool ReadCsvFormat(LineReader* in, const std::string& path, char delimiter,
                   const ReadOptions& options, ArticleSink* sink) {
  CsvParser parser(in, delimiter, options.max_record_bytes);
  const FieldKeys field_keys(options);
  std::vector<std::string> header;
  std::vector<std::string> fields;
  std::array<int, kFieldCount> column;
  column.fill(-1);
  bool have_header = false;
  int resyncs = 0;
  for (;;) {
    const CsvParser::Result r = parser.Next(&fields);
    const std::string location = fmt::format("{}:{}", path, parser.start_line());
    switch (r) {
      case CsvParser::Result::kEnd:
        if (!have_header) ReportError(sink, path, "empty file");
        return true;
      case CsvParser::Result::kError:
        ReportError(sink, path, in->error());
        return true;
      case CsvParser::Result::kTooLong:
        if (parser.too_long_resumable()) {
          ReportError(sink, location,
                      fmt::format("line longer than {} bytes, skipped", options.max_record_bytes));
          continue;
        }
        // Within a quoted field we cannot tell where the next record starts.
        ReportError(sink, location,
                    fmt::format("record longer than {} bytes (unbalanced quote?); rest of file "
                                "skipped",
                                options.max_record_bytes));
        return true;
      case CsvParser::Result::kUnbalanced:
        if (++resyncs > kMaxResyncs || !parser.Resync()) {
          ReportError(sink, location, "unbalanced quote: record never ends; rest of file skipped");
          return true;
        }
        ReportError(sink, location,
                    "unbalanced quote: record never ends; skipped, reading on from the next line");
        continue;
      case CsvParser::Result::kRecord:
        break;
    }

    if (!have_header) {
      have_header = true;
      header = fields;
      for (std::string& h : header) h = CollapseWhitespace(ToValidUtf8(h));
      for (size_t f = 0; f < kFieldCount; ++f) {
        // Exact spelling first, then ignoring case; the first matching column wins.
        for (int pass = 0; pass < 2 && column[f] < 0; ++pass) {
          for (const std::string& key : field_keys.keys(static_cast<Field>(f))) {
            for (size_t c = 0; c < header.size() && column[f] < 0; ++c) {
              if (pass == 0 ? header[c] == key : EqualsIgnoreCase(header[c], key)) {
                column[f] = static_cast<int>(c);
              }
            }
            if (column[f] >= 0) break;
          }
        }
      }
      if (column[kBody] < 0 && column[kTitle] < 0) {
        ReportError(sink, location,
                    fmt::format("header has no body or title column (columns: {}); file skipped",
                                Excerpt(JoinHeader(header))));
        return true;
      }
      continue;
    }

    if (fields.size() != header.size()) {
      ReportError(
          sink, location,
          fmt::format("{} columns, header has {}; record skipped", fields.size(), header.size()));
      continue;
    }
    RawRecord record;
    for (size_t f = 0; f < kFieldCount; ++f) {
      if (column[f] >= 0) record.values[f] = std::move(fields[static_cast<size_t>(column[f])]);
    }
    if (!DeliverRecord(std::move(record), location, 0, options, sink)) return false;
  }
}

}  // namespace dossier::corpus
