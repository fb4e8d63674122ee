// Histogram output: JSON rows, CSV rows and a terminal bar chart.
#include "searcher/research_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "searcher/output.h"

namespace dossier::searcher {

nlohmann::json HistogramJson(const Histogram& h) {
  nlohmann::json rows = nlohmann::json::array();
  for (const HistogramRow& r : h.rows) {
    nlohmann::json j = {{"period", r.period}, {"count", r.count}};
    if (h.by) j["series"] = r.series;
    rows.push_back(std::move(j));
  }
  return rows;
}

std::string HistogramText(const Histogram& h, bool color) {
  constexpr size_t kBarWidth = 50;
  const char* bold = color ? "\033[1m" : "";
  const char* reset = color ? "\033[0m" : "";
  uint64_t max = 0;
  size_t label_width = 4;
  for (const HistogramRow& r : h.rows) {
    max = std::max(max, r.count);
    label_width = std::max(label_width, r.period.size());
  }
  // Eighth blocks give the bars a finer resolution than one character.
  static const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  std::string out = fmt::format("\n{}{} per {}{}{} ({} in all)\n", bold,
                                CountedUnit(h.groups, false) == "groups" ? "duplicate groups" : "matches",
                                PeriodName(h.period), h.by ? ", by " + FacetName(*h.by) : "", reset,
                                h.total);
  std::string series = "\x01";  // no series seen yet
  for (const HistogramRow& r : h.rows) {
    if (h.by && r.series != series) {
      series = r.series;
      out += fmt::format("{}{}{}\n", bold, series, reset);
    }
    size_t eighths = max == 0 ? 0 : static_cast<size_t>((r.count * kBarWidth * 8 + max / 2) / max);
    std::string bar;
    for (size_t i = 0; i < eighths / 8; ++i) bar += "█";
    bar += kEighths[eighths % 8];
    if (r.count > 0 && bar.empty()) bar = "▏";
    size_t cells = eighths / 8 + (eighths % 8 ? 1 : 0) + (r.count > 0 && eighths == 0 ? 1 : 0);
    out += fmt::format("  {:<{}}  {}{}  {}\n", r.period, label_width, bar,
                       std::string(kBarWidth + 1 - std::min(cells, kBarWidth + 1), ' '), r.count);
  }
  return out;
}

std::string HistogramCsvHeader(bool split, bool batch) {
  return std::string(batch ? "qid," : "") + (split ? "series," : "") + "period,count\r\n";
}

std::string HistogramCsvRows(const Histogram& h, const std::string& qid, bool batch) {
  std::string out;
  for (const HistogramRow& r : h.rows) {
    if (batch) out += CsvField(qid) + ",";
    if (h.by) out += CsvField(r.series) + ",";
    out += fmt::format("{},{}\r\n", r.period, r.count);
  }
  return out;
}

std::string CountedUnit(bool groups, bool statements) {
  return groups ? "groups" : statements ? "statements" : "articles";
}

}  // namespace dossier::searcher

namespace dossier::searcher {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json Summary(const SearchResult& r, bool explain) {
  json j = {{"format_version", kFormatVersion}, {"query", r.query}};
  if (explain) j["parsed_query"] = r.parsed;
  return j;
}

json KwicJson(const KwicLine& l) {
  return {{"left", l.left},   {"match", l.match},  {"right", l.right}, {"id", l.id},
          {"date", l.date.empty() ? json(nullptr) : json(l.date)}, {"source", l.source},
          {"title", l.title}, {"rank", l.rank}};
}

std::string PadLeft(const std::string& s, size_t width) {
  size_t n = CodePoints(s);
  return n >= width ? s : std::string(width - n, ' ') + s;
}
std::string PadRight(const std::string& s, size_t width) {
  size_t n = CodePoints(s);
  return n >= width ? s : s + std::string(width - n, ' ');
}

json TermJson(const SignificantTerm& t) {
  return {{"kind", t.kind}, {"text", t.text}, {"foreground", t.foreground},
          {"background", t.background}, {"score", std::round(t.score * 1000) / 1000},
          {"lift", std::round(t.lift * 1000) / 1000}};
}

}  // namespace

void WriteKwic(OutputFormat format, const OutputOptions& o, const SearchResult& r,
               const KwicSummary& s, const std::vector<KwicLine>& lines) {
  auto summary = [&]() {
    json j = Summary(r, o.explain);
    j["kwic"] = s.pattern;
    j["total"] = s.occurrences;
    j["articles"] = s.articles;
    j["returned"] = lines.size();
    j["sort"] = s.sort;
    return j;
  };
  switch (format) {
    case OutputFormat::kJson: {
      json j = summary();
      json arr = json::array();
      for (const KwicLine& l : lines) arr.push_back(KwicJson(l));
      j["lines"] = std::move(arr);
      WriteOut(Dump(j) + "\n");
      return;
    }
    case OutputFormat::kJsonl: {
      for (const KwicLine& l : lines) {
        json j = KwicJson(l);
        j["type"] = "kwic";
        j["format_version"] = kFormatVersion;
        WriteOut(Dump(j) + "\n");
      }
      json j = summary();
      j["type"] = "summary";
      WriteOut(Dump(j) + "\n");
      return;
    }
    case OutputFormat::kCsv:
      WriteOut("left,match,right,id,date,source,title\r\n");
      for (const KwicLine& l : lines) {
        WriteOut(fmt::format("{},{},{},{},{},{},{}\r\n", CsvField(l.left), CsvField(l.match),
                             CsvField(l.right), CsvField(l.id), CsvField(l.date),
                             CsvField(l.source), CsvField(l.title)));
      }
      return;
    case OutputFormat::kTrec:
    case OutputFormat::kText:
      break;
  }
  const char* bold = o.color ? "\033[1;33m" : "";
  const char* dim = o.color ? "\033[2m" : "";
  const char* reset = o.color ? "\033[0m" : "";
  std::string out = fmt::format("{} occurrence{} of \"{}\" in {} article{} (showing {})\n",
                                s.occurrences, s.occurrences == 1 ? "" : "s", s.pattern,
                                s.articles, s.articles == 1 ? "" : "s", lines.size());
  size_t match_width = 0;
  for (const KwicLine& l : lines) match_width = std::max(match_width, CodePoints(l.match));
  for (const KwicLine& l : lines) {
    std::string meta = l.id;
    if (!l.date.empty()) meta += " " + l.date.substr(0, 10);
    if (!l.source.empty()) meta += " " + l.source;
    out += fmt::format("{} {}{}{} {}  {}{}{}\n", PadLeft(l.left, s.width), bold,
                       PadRight(l.match, match_width), reset, PadRight(l.right, s.width), dim, meta,
                       reset);
  }
  WriteOut(out);
}

void WriteSignificant(OutputFormat format, const OutputOptions& o, const SearchResult& r,
                      const std::string& mode, const SignificantResult& s) {
  json summary = Summary(r, o.explain);
  summary["total"] = s.foreground;
  summary["examined"] = s.examined;
  summary["sampled"] = s.sampled;
  summary["background"] = s.background;
  summary["score"] = "G2";
  switch (format) {
    case OutputFormat::kJson: {
      json arr = json::array();
      for (const SignificantTerm& t : s.terms) arr.push_back(TermJson(t));
      summary[mode] = std::move(arr);
      WriteOut(Dump(summary) + "\n");
      return;
    }
    case OutputFormat::kJsonl:
      for (const SignificantTerm& t : s.terms) {
        json j = TermJson(t);
        j["type"] = mode;
        j["format_version"] = kFormatVersion;
        WriteOut(Dump(j) + "\n");
      }
      summary["type"] = "summary";
      WriteOut(Dump(summary) + "\n");
      return;
    case OutputFormat::kCsv:
      WriteOut("kind,text,foreground,background,score,lift\r\n");
      for (const SignificantTerm& t : s.terms) {
        WriteOut(fmt::format("{},{},{},{},{:.3f},{:.3f}\r\n", t.kind, CsvField(t.text),
                             t.foreground, t.background, t.score, t.lift));
      }
      return;
    case OutputFormat::kTrec:
    case OutputFormat::kText:
      break;
  }
  const char* bold = o.color ? "\033[1m" : "";
  const char* reset = o.color ? "\033[0m" : "";
  std::string out = fmt::format(
      "{}{} matching article{}{}{} against {} in the index; score: log-likelihood G²\n", bold,
      s.foreground, s.foreground == 1 ? "" : "s",
      s.sampled ? fmt::format(" (an even sample of {} examined)", s.examined) : "", reset,
      s.background);
  size_t width = 4;
  for (const SignificantTerm& t : s.terms) width = std::max(width, std::min<size_t>(CodePoints(t.text), 40));
  out += fmt::format("  {:<11} {:<{}} {:>8} {:>10} {:>9} {:>7}\n", "kind", "term", width,
                     "matches", "index", "G²", "lift");
  for (const SignificantTerm& t : s.terms) {
    out += fmt::format("  {:<11} {}{} {:>8} {:>10} {:>9.1f} {:>7.1f}\n", t.kind, t.text,
                       std::string(width > CodePoints(t.text) ? width - CodePoints(t.text) : 0, ' '),
                       t.foreground, t.background, t.score, t.lift);
  }
  WriteOut(out);
}

}  // namespace dossier::searcher
