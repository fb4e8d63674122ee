// Output of the research features (histograms, concordances, distinctive terms) in every
// format; used by output.cc and by dossier-search's research modes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "searcher/kwic.h"
#include "searcher/output.h"
#include "searcher/research.h"
#include "searcher/significant.h"

namespace dossier::searcher {

// [{"period": "1987-03", "count": 412}, ...], with "series" in each row when split.
nlohmann::json HistogramJson(const Histogram& h);

// A bar chart for the terminal: one line per period (one block of lines per series), bars
// scaled to the largest count, the count at the end of each line.
std::string HistogramText(const Histogram& h, bool color);

// CSV of the histogram rows: the header ("qid," first when `batch`) and the rows, CRLF.
std::string HistogramCsvHeader(bool split, bool batch);
std::string HistogramCsvRows(const Histogram& h, const std::string& qid, bool batch);

// What a count counts: "groups" when duplicate groups are counted, else "statements" or
// "articles".
std::string CountedUnit(bool groups, bool statements);

// A concordance of `lines` (already sorted and cut to --offset/--limit) for the query of `r`:
// text (aligned columns), json ({"lines": [...]}), jsonl (one {"left", "match", "right", "id",
// "date", "source", ...} object per line, then a summary), csv.
struct KwicSummary {
  std::string pattern;
  uint64_t occurrences = 0;  // before --offset/--limit
  uint64_t articles = 0;     // matching articles that contain the pattern
  size_t width = 40;
  std::string sort;
};
void WriteKwic(OutputFormat format, const OutputOptions& o, const SearchResult& r,
               const KwicSummary& summary, const std::vector<KwicLine>& lines);

// --significant (`mode` "significant") or --cooccur (`mode` "cooccur") results.
void WriteSignificant(OutputFormat format, const OutputOptions& o, const SearchResult& r,
                      const std::string& mode, const SignificantResult& s);

}  // namespace dossier::searcher
