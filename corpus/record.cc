// Field aliases and the clean-up every article goes through before delivery.
#include "corpus/record.h"

#include <fmt/format.h>

#include <utility>

#include "corpus/dates.h"
#include "corpus/text.h"

namespace dossier::corpus {
namespace {

constexpr std::string_view kFieldNames[kFieldCount] = {"id",     "title", "date", "source",
                                                       "author", "url",   "body"};

const std::vector<std::string>& Aliases(Field f) {
  static const std::array<std::vector<std::string>, kFieldCount> kAliases = {{
      {"id", "guid", "doc_id", "docid", "uuid"},
      {"title", "headline"},
      {"date", "published", "publishedAt", "published_at", "pubDate", "datetime", "timestamp"},
      {"source", "publisher", "site", "outlet", "source_name"},
      {"author", "authors", "byline"},
      {"url", "link", "href"},
      {"body", "text", "content", "article", "story"},
  }};
  return kAliases[f];
}

}  // namespace

std::string Excerpt(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(CutUtf8(s, max)) + "...";
}

std::string_view FieldName(Field f) { return kFieldNames[f]; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

FieldKeys::FieldKeys(const ReadOptions& options) {
  for (size_t f = 0; f < kFieldCount; ++f) {
    const auto it = options.field_map.find(std::string(kFieldNames[f]));
    if (it != options.field_map.end() && !it->second.empty()) keys_[f].push_back(it->second);
    for (const std::string& alias : Aliases(static_cast<Field>(f))) {
      if (keys_[f].empty() || keys_[f].front() != alias) keys_[f].push_back(alias);
    }
  }
}

void ReportError(ArticleSink* sink, std::string location, std::string message) {
  sink->OnDiagnostic({Diagnostic::Severity::kError, std::move(location), std::move(message)});
}

void ReportWarning(ArticleSink* sink, std::string location, std::string message) {
  sink->OnDiagnostic({Diagnostic::Severity::kWarning, std::move(location), std::move(message)});
}

bool FinishArticle(Article&& a, const std::string& location, size_t repaired, bool cut,
                   const ReadOptions& options, ArticleSink* sink) {
  size_t n = 0;
  const auto line_field = [&](std::string* s) {
    *s = CollapseWhitespace(ToValidUtf8(*s, &n));
    repaired += n;
  };
  line_field(&a.id);
  line_field(&a.title);
  line_field(&a.source);
  line_field(&a.author);
  line_field(&a.url);
  // date_raw stays exactly as written (UTF-8 repaired), unless it is only whitespace.
  a.date_raw = ToValidUtf8(a.date_raw, &n);
  repaired += n;
  if (Trim(a.date_raw).empty()) a.date_raw.clear();
  a.body = ToValidUtf8(a.body, &n);
  repaired += n;
  StripBoilerplateTrailer(&a.body);

  if (a.body.empty() && a.title.empty()) {
    ReportError(sink, location, "no body or title");
    return true;
  }
  if (repaired > 0) {
    ReportWarning(
        sink, location,
        fmt::format("invalid UTF-8 repaired ({} byte{})", repaired, repaired == 1 ? "" : "s"));
  }
  if (!a.date_raw.empty()) {
    a.date = ParseDate(a.date_raw);
    if (!a.date)
      ReportWarning(sink, location,
                    fmt::format("unparseable date '{}'", Excerpt(CollapseWhitespace(a.date_raw))));
  }
  if (cut || a.body.size() > options.max_body_bytes) {
    a.body.resize(CutUtf8(a.body, options.max_body_bytes).size());
    ReportWarning(sink, location,
                  fmt::format("body cut to {} bytes (longer than max_body_bytes)", a.body.size()));
  }
  a.origin = location;
  return sink->OnArticle(std::move(a));
}

bool DeliverRecord(RawRecord&& raw, const std::string& location, size_t repaired,
                   const ReadOptions& options, ArticleSink* sink) {
  Article a;
  std::string* targets[kFieldCount] = {&a.id,     &a.title, &a.date_raw, &a.source,
                                       &a.author, &a.url,   &a.body};
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (raw.values[f]) *targets[f] = std::move(*raw.values[f]);
  }
  return FinishArticle(std::move(a), location, repaired, /*cut=*/false, options, sink);
}

}  // namespace dossier::corpus
