// Internal: what the record readers share: field names and aliases, and turning the raw field
// values of one record into a delivered Article.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/article.h"
#include "corpus/reader.h"

namespace dossier::corpus {

enum Field : size_t { kId, kTitle, kDate, kSource, kAuthor, kUrl, kBody, kFieldCount };

// "id", "title", "date", "source", "author", "url", "body".
std::string_view FieldName(Field f);

// The input keys that may hold each field, most preferred first: the ReadOptions::field_map
// entry, then the built-in aliases ("body": body, text, content, article, story).
class FieldKeys {
 public:
  explicit FieldKeys(const ReadOptions& options);
  const std::vector<std::string>& keys(Field f) const { return keys_[f]; }

 private:
  std::array<std::vector<std::string>, kFieldCount> keys_;
};

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Raw field values of one record (not yet cleaned); nullopt = absent.
struct RawRecord {
  std::array<std::optional<std::string>, kFieldCount> values;
};

// `s` shortened to about `max` bytes (at a UTF-8 boundary, "..." appended) for a message.
std::string Excerpt(std::string_view s, size_t max = 60);

// Sends an error diagnostic.
void ReportError(ArticleSink* sink, std::string location, std::string message);
void ReportWarning(ArticleSink* sink, std::string location, std::string message);

// Cleans `a` (UTF-8 repair of every field, one-line fields other than date_raw collapsed
// (a whitespace-only date_raw becomes ""), boilerplate trailer
// lines and trailing whitespace removed from the body, date parsed, body cut to
// max_body_bytes) and delivers it, preceded by its warnings. `repaired` counts invalid bytes
// already repaired by the caller; `cut` says the caller already dropped input beyond the
// limit. A record with neither body nor title is reported as an error and not delivered.
// Returns false when the sink asked to stop.
bool FinishArticle(Article&& a, const std::string& location, size_t repaired, bool cut,
                   const ReadOptions& options, ArticleSink* sink);

// Builds the article from `raw` (origin = location) and calls FinishArticle.
bool DeliverRecord(RawRecord&& raw, const std::string& location, size_t repaired,
                   const ReadOptions& options, ArticleSink* sink);

}  // namespace dossier::corpus
