// Text, JSON, JSON Lines and CSV writers for search results.
#include "searcher/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "searcher/research_output.h"

namespace dossier::searcher {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string DateOnly(const std::string& iso) { return iso.size() >= 10 ? iso.substr(0, 10) : iso; }

json HitJson(const Hit& h, const std::string& qid) {
  json j = {{"rank", h.rank},
            {"id", h.article.id},
            {"score", h.score},
            {"title", h.display_title},
            {"date", h.article.date.empty() ? json(nullptr) : json(h.article.date)},
            {"source", h.article.source},
            {"author", h.article.author},
            {"url", h.article.url},
            {"snippet", RenderSnippet(h.snippet, "", "")},
            {"people", h.article.people},
            {"institutions", h.article.institutions},
            {"topics", h.article.topics},
            {"places", h.article.places}};
  if (!qid.empty()) j["qid"] = qid;
  return j;
}

json FacetsJson(const SearchResult& r) {
  json f = json::object();
  for (const FacetResult& fr : r.facets) {
    json values = json::array();
    for (const FacetValue& v : fr.values)
      values.push_back({{"value", v.value}, {"count", v.count}});
    f[FacetName(fr.kind)] = std::move(values);
  }
  return f;
}

json StatementJson(const Hit& h, const std::string& qid) {
  const schema::StoredStatement& s = h.statement;
  json j = {{"rank", h.rank},
            {"article_id", s.article_id},
            {"title", s.title},
            {"date", s.date.empty() ? json(nullptr) : json(s.date)},
            {"source", s.source},
            {"speaker", s.speaker},
            {"speaker_type", s.speaker_type},
            {"cue", s.cue},
            {"direct", s.direct},
            {"text", s.text},
            {"start", s.start},
            {"end", s.end},
            {"in_title", s.in_title},
            {"topics", s.topics},
            {"score", h.score}};
  if (!qid.empty()) j["qid"] = qid;
  return j;
}

json HitOrStatementJson(const SearchResult& r, const Hit& h, const std::string& qid) {
  return r.statements ? StatementJson(h, qid) : HitJson(h, qid);
}

json SummaryJson(const SearchResult& r, const std::string& qid, bool explain) {
  json j = {{"format_version", kFormatVersion},
            {"query", r.query},
            {"total", r.total},
            {"total_exact", r.total_exact}};
  if (!qid.empty()) j["qid"] = qid;
  if (r.dedup || r.count_groups) {
    // Which unit each count is in: duplicate groups (exact and near duplicates) or not.
    j["dedup"] = r.dedup;
    j["total_counts"] = CountedUnit(r.dedup, r.statements);
    j["facet_counts"] = CountedUnit(r.count_groups, r.statements);
  }
  if (explain) {
    j["parsed_query"] = r.parsed;
    j["notes"] = r.notes;
  }
  return j;
}

class JsonWriter : public ResultWriter {
 public:
  explicit JsonWriter(const OutputOptions& o) : o_(o) {}
  void Write(const SearchResult& r, const std::string& qid) override {
    json j = SummaryJson(r, qid, o_.explain);
    json hits = json::array();
    for (const Hit& h : r.hits) {
      hits.push_back(HitOrStatementJson(r, h, qid));
      if (r.dedup) hits.back()["copies"] = h.copies;
    }
    j[r.statements ? "statements" : "hits"] = std::move(hits);
    if (!r.facets.empty()) j["facets"] = FacetsJson(r);
    if (r.histogram) {
      j["histogram_period"] = PeriodName(r.histogram->period);
      if (r.histogram->by) j["histogram_by"] = FacetName(*r.histogram->by);
      j["histogram"] = HistogramJson(*r.histogram);
    }
    if (o_.batch) {
      results_.push_back(std::move(j));
    } else {
      WriteOut(Dump(j) + "\n");
    }
  }
  void End() override {
    if (o_.batch) {
      json j = {{"format_version", kFormatVersion}, {"results", std::move(results_)}};
      WriteOut(Dump(j) + "\n");
    }
  }

 private:
  OutputOptions o_;
  json results_ = json::array();
};

class JsonlWriter : public ResultWriter {
 public:
  explicit JsonlWriter(const OutputOptions& o) : o_(o) {}
  void Write(const SearchResult& r, const std::string& qid) override {
    for (const Hit& h : r.hits) WriteHit(r, h, qid);
    WriteTail(r, r.hits.size(), qid);
  }
  bool CanStream() const override { return true; }
  void WriteHit(const SearchResult& r, const Hit& h, const std::string& qid) override {
    json j = HitOrStatementJson(r, h, qid);
    if (r.dedup) j["copies"] = h.copies;
    j["type"] = r.statements ? "statement" : "hit";
    j["format_version"] = kFormatVersion;
    WriteOut(Dump(j) + "\n");
  }
  void WriteTail(const SearchResult& r, uint64_t returned, const std::string& qid) override {
    if (!r.facets.empty()) {
      json f = {{"type", "facets"}, {"format_version", kFormatVersion}, {"facets", FacetsJson(r)}};
      if (!qid.empty()) f["qid"] = qid;
      WriteOut(Dump(f) + "\n");
    }
    if (r.histogram) {
      for (json row : HistogramJson(*r.histogram)) {
        row["type"] = "histogram";
        row["format_version"] = kFormatVersion;
        if (!qid.empty()) row["qid"] = qid;
        WriteOut(Dump(row) + "\n");
      }
    }
    json s = SummaryJson(r, qid, o_.explain);
    s["type"] = "summary";
    s["returned"] = returned;
    WriteOut(Dump(s) + "\n");
  }

 private:
  OutputOptions o_;
};

class CsvWriter : public ResultWriter {
 public:
  explicit CsvWriter(const OutputOptions& o) : o_(o) {}
  void Begin() override {
    if (o_.histogram) {
      WriteOut(HistogramCsvHeader(o_.histogram_split, o_.batch));
      return;
    }
    if (o_.dedup && !o_.statements) {
      WriteOut(std::string(o_.batch ? "qid," : "") +
               "rank,id,score,date,source,author,title,url,snippet,copies\r\n");
      return;
    }
    WriteOut(std::string(o_.batch ? "qid," : "") +
             (o_.statements ? "rank,article_id,score,date,source,speaker,cue,direct,text,start,end,"
                              "topics,title" +
                                  std::string(o_.dedup ? ",copies" : "") + "\r\n"
                            : "rank,id,score,date,source,author,title,url,snippet\r\n"));
  }
  void Write(const SearchResult& r, const std::string& qid) override {
    if (o_.histogram) {
      if (r.histogram) WriteOut(HistogramCsvRows(*r.histogram, qid, o_.batch));
      return;
    }
    if (r.statements) {
      for (const Hit& h : r.hits) {
        const schema::StoredStatement& s = h.statement;
        std::string topics;
        for (const std::string& t : s.topics) topics += (topics.empty() ? "" : "; ") + t;
        std::string row = o_.batch ? CsvField(qid) + "," : "";
        row += fmt::format("{},{},{:.4f},{},{},{},{},{},{},{},{},{},{}\r\n", h.rank,
                           CsvField(s.article_id), h.score, CsvField(s.date), CsvField(s.source),
                           CsvField(s.speaker), CsvField(s.cue), s.direct ? "true" : "false",
                           CsvField(s.text), s.start, s.end, CsvField(topics), CsvField(s.title));
        if (o_.dedup) row.insert(row.size() - 2, fmt::format(",{}", h.copies));
        WriteOut(row);
      }
      return;
    }
    for (const Hit& h : r.hits) {
      std::string row;
      if (o_.batch) row += CsvField(qid) + ",";
      row += fmt::format("{},{},{:.4f},{},{},{},{},{},{}\r\n", h.rank, CsvField(h.article.id),
                         h.score, CsvField(h.article.date), CsvField(h.article.source),
                         CsvField(h.article.author), CsvField(h.display_title),
                         CsvField(h.article.url), CsvField(RenderSnippet(h.snippet, "", "")));
      if (o_.dedup) row.insert(row.size() - 2, fmt::format(",{}", h.copies));
      WriteOut(row);
    }
  }

 private:
  OutputOptions o_;
};

// TREC run format (trec_eval's input): "QID Q0 DOCID RANK SCORE TAG", one line per hit.
class TrecWriter : public ResultWriter {
 public:
  explicit TrecWriter(const OutputOptions& o) : o_(o) {}
  void Write(const SearchResult& r, const std::string& qid) override {
    for (const Hit& h : r.hits) WriteHit(r, h, qid);
  }
  bool CanStream() const override { return true; }
  void WriteHit(const SearchResult& r, const Hit& h, const std::string& qid) override {
    const std::string& id = r.statements ? h.statement.article_id : h.article.id;
    WriteOut(fmt::format("{} Q0 {} {} {:.6f} {}\n", qid.empty() ? "1" : qid, id, h.rank, h.score,
                         o_.run_tag));
  }

 private:
  OutputOptions o_;
};

class TextWriter : public ResultWriter {
 public:
  explicit TextWriter(const OutputOptions& o) : o_(o) {}
  void Write(const SearchResult& r, const std::string& qid) override {
    std::string out;
    const char* bold = o_.color ? "\033[1m" : "";
    const char* dim = o_.color ? "\033[2m" : "";
    const char* reset = o_.color ? "\033[0m" : "";
    if (!qid.empty()) out += fmt::format("{}[{}]{} ", bold, qid, reset);
    std::string shown = r.hits.empty()
                            ? "none shown"
                            : fmt::format("showing {}-{}", r.hits.front().rank, r.hits.back().rank);
    const char* noun = r.statements ? "statement" : "article";
    if (r.dedup) noun = "duplicate group";
    out += fmt::format("{}{} {}{} match{}{} ({})\n", bold, r.total, noun, r.total == 1 ? "" : "s",
                       r.total == 1 ? "es" : "", reset, shown);
    if (o_.explain) {
      out += fmt::format("{}parsed: {}{}\n", dim, r.parsed, reset);
      for (const std::string& n : r.notes) out += fmt::format("{}note: {}{}\n", dim, n, reset);
    }
    for (const Hit& h : r.hits) {
      if (r.statements) {
        const schema::StoredStatement& s = h.statement;
        std::string meta = DateOnly(s.date);
        if (!s.source.empty()) meta += (meta.empty() ? "" : " · ") + s.source;
        out += fmt::format("\n{:>3}. {}{}{} ({}{}){}{}{}\n", h.rank, bold, s.speaker, reset, s.cue,
                           s.direct ? ", direct quote" : "", meta.empty() ? "" : " · ", meta,
                           r.dedup && h.copies > 1 ? fmt::format(" ({} copies)", h.copies) : "");
        std::string text = h.snippet.empty() ? s.text : h.snippet;
        out += "     " +
               RenderSnippet(text, o_.color ? "\033[1;33m" : "", o_.color ? "\033[0m" : "") + "\n";
        std::string topics;
        for (const std::string& t : s.topics) topics += (topics.empty() ? "" : ", ") + t;
        if (!topics.empty()) out += fmt::format("     {}topics:{} {}\n", dim, reset, topics);
        out += fmt::format("     {}in: {} [{}]{}\n", dim, s.title, s.article_id, reset);
        continue;
      }
      std::string meta = DateOnly(h.article.date);
      if (!h.article.source.empty()) meta += (meta.empty() ? "" : " · ") + h.article.source;
      if (!h.article.author.empty()) meta += (meta.empty() ? "" : " · ") + h.article.author;
      out += fmt::format("\n{:>3}. {}{}{}{}\n", h.rank, bold, h.display_title, reset,
                         r.dedup && h.copies > 1 ? fmt::format(" ({} copies)", h.copies) : "");
      if (!meta.empty()) out += fmt::format("     {}{}{}\n", dim, meta, reset);
      auto names = [](const std::vector<std::string>& v) {
        std::string s;
        for (const std::string& n : v) s += (s.empty() ? "" : ", ") + n;
        return s;
      };
      if (!h.article.people.empty())
        out += fmt::format("     {}people:{} {}\n", dim, reset, names(h.article.people));
      if (!h.article.institutions.empty())
        out +=
            fmt::format("     {}institutions:{} {}\n", dim, reset, names(h.article.institutions));
      if (!h.article.topics.empty())
        out += fmt::format("     {}topics:{} {}\n", dim, reset, names(h.article.topics));
      if (!h.snippet.empty()) {
        out += "     " +
               RenderSnippet(h.snippet, o_.color ? "\033[1;33m" : "", o_.color ? "\033[0m" : "") +
               "\n";
      }
      out += fmt::format("     {}id: {}{}\n", dim, h.article.id, reset);
    }
    for (const FacetResult& fr : r.facets) {
      out += fmt::format("\n{}{}{} ({} distinct)\n", bold, FacetName(fr.kind), reset, fr.distinct);
      size_t width = 0;
      for (const FacetValue& v : fr.values) width = std::max(width, v.value.size());
      for (const FacetValue& v : fr.values) {
        out += fmt::format("  {:<{}}  {:>7}\n", v.value, std::min<size_t>(width, 48), v.count);
      }
    }
    if (r.count_groups && !r.facets.empty()) out += "(facet counts are duplicate groups)\n";
    if (r.histogram) out += HistogramText(*r.histogram, o_.color);
    if (o_.batch) out += "\n";
    WriteOut(out);
  }

 private:
  OutputOptions o_;
};

}  // namespace

bool ParseOutputFormat(const std::string& name, OutputFormat* out) {
  if (name == "text")
    *out = OutputFormat::kText;
  else if (name == "json")
    *out = OutputFormat::kJson;
  else if (name == "jsonl")
    *out = OutputFormat::kJsonl;
  else if (name == "csv")
    *out = OutputFormat::kCsv;
  else if (name == "trec")
    *out = OutputFormat::kTrec;
  else
    return false;
  return true;
}

void WriteEntities(OutputFormat format, const OutputOptions& o, const SearchResult& r,
                   const std::vector<EntityRow>& rows) {
  auto row_json = [](const EntityRow& e) {
    return json{{"type", e.type}, {"name", e.name}, {"count", e.count}, {"aliases", e.aliases}};
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& a : v) s += (s.empty() ? "" : "; ") + a;
    return s;
  };
  switch (format) {
    case OutputFormat::kJson: {
      json j = SummaryJson(r, "", o.explain);
      json list = json::array();
      for (const EntityRow& e : rows) list.push_back(row_json(e));
      j["entities"] = std::move(list);
      WriteOut(Dump(j) + "\n");
      return;
    }
    case OutputFormat::kJsonl: {
      for (const EntityRow& e : rows) {
        json j = row_json(e);
        j["type_of_line"] = "entity";
        j["format_version"] = kFormatVersion;
        WriteOut(Dump(j) + "\n");
      }
      json s = SummaryJson(r, "", o.explain);
      s["type_of_line"] = "summary";
      WriteOut(Dump(s) + "\n");
      return;
    }
    case OutputFormat::kCsv:
      WriteOut("type,name,count,aliases\r\n");
      for (const EntityRow& e : rows) {
        WriteOut(fmt::format("{},{},{},{}\r\n", e.type, CsvField(e.name), e.count,
                             CsvField(join(e.aliases))));
      }
      return;
    case OutputFormat::kTrec:  // refused by dossier-search; text is the closest
    case OutputFormat::kText:
      break;
  }
  const char* bold = o.color ? "\033[1m" : "";
  const char* dim = o.color ? "\033[2m" : "";
  const char* reset = o.color ? "\033[0m" : "";
  std::string out = fmt::format("{}{} article{} match{}; {} entit{} listed{}\n", bold, r.total,
                                r.total == 1 ? "" : "s", r.total == 1 ? "es" : "", rows.size(),
                                rows.size() == 1 ? "y" : "ies", reset);
  size_t width = 4;
  for (const EntityRow& e : rows) width = std::max(width, std::min<size_t>(e.name.size(), 40));
  for (const EntityRow& e : rows) {
    out += fmt::format("  {:<11} {:<{}} {:>7}", e.type, e.name, width, e.count);
    if (!e.aliases.empty()) out += fmt::format("  {}aka {}{}", dim, join(e.aliases), reset);
    out += "\n";
  }
  WriteOut(out);
}

std::unique_ptr<ResultWriter> MakeResultWriter(OutputFormat format, const OutputOptions& options) {
  switch (format) {
    case OutputFormat::kJson:
      return std::make_unique<JsonWriter>(options);
    case OutputFormat::kJsonl:
      return std::make_unique<JsonlWriter>(options);
    case OutputFormat::kCsv:
      return std::make_unique<CsvWriter>(options);
    case OutputFormat::kTrec:
      return std::make_unique<TrecWriter>(options);
    case OutputFormat::kText:
      break;
  }
  return std::make_unique<TextWriter>(options);
}

namespace {
[[noreturn]] void WriteFailed() {
  if (errno == EPIPE) std::_Exit(0);
  std::fprintf(stderr, "dossier-search: cannot write results: %s\n", std::strerror(errno));
  std::_Exit(2);
}
}  // namespace

void WriteOut(std::string_view s) {
  if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size()) WriteFailed();
}

void FlushOut() {
  if (std::fflush(stdout) != 0) WriteFailed();
}

std::string RenderSnippet(const std::string& s, std::string_view start, std::string_view end) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == kHighlightStart) {
      if (space) out += ' ';
      space = false;
      out += start;
    } else if (c == kHighlightEnd) {
      out += end;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace dossier::searcher
