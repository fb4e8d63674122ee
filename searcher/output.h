// Output formats for search results: text for people, JSON / JSON Lines / CSV for scripts.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "searcher/search.h"

namespace dossier::searcher {

// Version of the JSON, JSON Lines and CSV layouts. Adding fields is free; removing or renaming
// one bumps it.
inline constexpr int kFormatVersion = 1;

// kTrec: TREC run lines "QID Q0 DOCID RANK SCORE TAG" (DOCID is the article id).
enum class OutputFormat { kText, kJson, kJsonl, kCsv, kTrec };
// "text", "json", "jsonl", "csv", "trec" -> OutputFormat; false if unknown.
bool ParseOutputFormat(const std::string& name, OutputFormat* out);

struct OutputOptions {
  bool color = false;            // ANSI bold/colour in text output (set when stdout is a terminal)
  bool explain = false;          // include the parsed query
  bool batch = false;            // results of several queries, each with its qid
  bool statements = false;       // results are statements (CSV header differs)
  bool histogram = false;        // with --histogram: CSV prints the histogram rows instead of hits
  bool histogram_split = false;  // the histogram is split by a facet (CSV has a series column)
  bool dedup = false;            // hits stand for duplicate groups (CSV has a copies column)
  std::string run_tag = "dossier";  // the TAG column of TREC run lines
};

// Writes results as they come. All writes go through WriteOut(), which ends the process
// quietly with status 0 when stdout is a closed pipe.
class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void Begin() {}
  // One query's result. `qid` is "" outside batch mode.
  virtual void Write(const SearchResult& result, const std::string& qid) = 0;
  virtual void End() {}
  // Streaming (Searcher::Search with a HitSink), for formats that can (CanStream()): each hit
  // as it comes, then the rest of its result (facets, summary) with the number written.
  virtual bool CanStream() const { return false; }
  virtual void WriteHit(const SearchResult&, const Hit&, const std::string& /*qid*/) {}
  virtual void WriteTail(const SearchResult&, uint64_t /*returned*/, const std::string& /*qid*/) {}
};

// One entity of an --entities listing.
struct EntityRow {
  std::string type;                  // person, institution, topic, place
  std::string name;                  // canonical name
  uint64_t count = 0;                // matching articles that mention it
  std::vector<std::string> aliases;  // known aliases from the codebook (canonical excluded)
};
// Writes an --entities listing of the articles matching `r` in `format`.
void WriteEntities(OutputFormat format, const OutputOptions& options, const SearchResult& r,
                   const std::vector<EntityRow>& rows);

std::unique_ptr<ResultWriter> MakeResultWriter(OutputFormat format, const OutputOptions& options);

// Writes `s` to stdout; on EPIPE exits(0) without a word (`dossier-search … | head`).
// Requires SIGPIPE to be ignored. Output is buffered: call FlushOut() before exiting.
void WriteOut(std::string_view s);
void FlushOut();

// `s` with the highlight markers replaced by `start`/`end` and runs of whitespace (line
// breaks included) folded to one space.
std::string RenderSnippet(const std::string& s, std::string_view start, std::string_view end);

// One CSV field, quoted when needed (RFC 4180).
std::string CsvField(std::string_view s);

}  // namespace dossier::searcher
