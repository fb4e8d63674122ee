// dossier-search: query a Dossier database from the command line or from scripts.
#include <fmt/format.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "searcher/kwic.h"
#include "searcher/output.h"
#include "searcher/plot.h"
#include "searcher/research.h"
#include "searcher/research_output.h"
#include "searcher/search.h"
#include "searcher/significant.h"

namespace po = boost::program_options;
using namespace dossier;

namespace {

constexpr char kProgram[] = "dossier-search";

struct UsageError {
  std::string message;
};

uint64_t ParseCount(const std::string& option, const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      text.size() > 12) {
    throw UsageError{fmt::format("--{} wants a whole number ≥ 0, got '{}'", option, text)};
  }
  return std::stoull(text);
}

int64_t ParseDateOption(const std::string& option, const std::string& text, bool end) {
  auto v = schema::ParseQueryDate(text, end);
  if (!v)
    throw UsageError{fmt::format("--{}: cannot read '{}' as a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                                 option, text)};
  return *v;
}

struct BatchQuery {
  std::string qid, query;
};

std::vector<BatchQuery> ReadBatch(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError{fmt::format("--batch: cannot read '{}'", path)};
  std::vector<BatchQuery> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab != std::string::npos) {
      out.push_back({line.substr(0, tab), line.substr(tab + 1)});
    } else {
      out.push_back({std::to_string(n), line});
    }
  }
  return out;
}

int Run(int argc, char** argv) {
  std::string db_path, limit = "10", sort = "relevance", from, to, format = "text", batch,
                       color = "auto";
  bool explain = false, no_snippets = false;
  std::vector<std::string> words;
  std::string facets, entity_type, offset_text = "0", facet_size_text = "10";
  bool entities_mode = false, info = false;
  searcher::SearchOptions so;
  // Research workflow (README "Research workflow").
  std::string histogram, by_facet, plot, run_tag = "dossier", match = "all", bm25;
  std::string kwic, kwic_sort = "rank", cooccur;
  size_t kwic_width = 40, significant = 0;

  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help and exit")(
      "db,d", po::value(&db_path), "database folder (default: $DOSSIER_DB, else ./dossier-db)")(
      "limit,n", po::value(&limit)->default_value("10"), "how many hits to show: N or all")(
      "offset", po::value(&offset_text)->default_value("0"), "skip the first N hits")(
      "sort", po::value(&sort)->default_value("relevance"),
      "relevance, date (oldest first) or -date (newest first)")(
      "from", po::value(&from),
      "only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")(
      "to", po::value(&to),
      "only articles dated on or before DATE (the whole period: --to 2023 means to 31 Dec)")(
      "format,f", po::value(&format)->default_value("text"),
      "text, json, jsonl, csv or trec (TREC run lines: QID Q0 DOCID RANK SCORE TAG)")(
      "batch", po::value(&batch),
      "run one query per line of FILE (QID<TAB>QUERY or QUERY; '#' comments)")(
      "facets", po::value(&facets),
      "exact counts over all matches: any of person,institution,topic,place,source,year,month")(
      "facet-size", po::value(&facet_size_text)->default_value("10"), "values shown per facet")(
      "statements", po::bool_switch(&so.statements),
      "search statements (who said what) instead of articles")(
      "by", po::value(&so.by),
      "with --statements: only statements by NAME (any alias: Blinken, \"State Department\")")(
      "about", po::value(&so.about),
      "with --statements: only statements about a codebook topic or alias (ceasefire, truce), else "
      "containing these words")(
      "entities", po::bool_switch(&entities_mode),
      "list the people, institutions, topics and places of the matching articles, with article "
      "counts and known aliases (--limit entities per type)")(
      "type", po::value(&entity_type), "with --entities: only person, institution, topic or place")(
      "info", po::bool_switch(&info),
      "describe the database (articles, schema version, codebook digest) and exit")(
      "explain", po::bool_switch(&explain), "show how the query was parsed")(
      "no-snippets", po::bool_switch(&no_snippets), "do not compute snippets (faster)")(
      "color", po::value(&color)->default_value("auto"),
      "highlight in text output: auto, always, never");
  po::options_description research("Research");
  research.add_options()(
      "histogram", po::value(&histogram),
      "exact counts of all matches per day, week (ISO), month or year; empty periods are 0")(
      "by-facet", po::value(&by_facet),
      "with --histogram: one series per top value (--facet-size) of person, institution, topic, "
      "place, source or speaker")(
      "plot", po::value(&plot),
      "with --histogram: also draw the chart into FILE.svg or FILE.png (needs gnuplot)")(
      "dedup", po::bool_switch(&so.dedup),
      "collapse duplicates (syndicated copies, exact or lightly edited; with --statements the "
      "same statement by the same speaker) to their best hit; total counts groups")(
      "count-groups", po::bool_switch(&so.count_groups),
      "facet and histogram counts count duplicate groups instead of copies (local shards only)")(
      "run-tag", po::value(&run_tag)->default_value("dossier"),
      "with --format trec: the run's tag (last column)")(
      "match", po::value(&match)->default_value("all"),
      "all: every word must match (default); any: any word, ranked by BM25")(
      "bm25", po::value(&bm25), "BM25 parameters K1,B (default 1.2,0.75; Xapian's own are 1,0.5)")(
      "kwic", po::value(&kwic),
      "concordance: every occurrence of a word or phrase (stemmed; word* for a prefix) in the "
      "matching articles, with its context (--limit lines)")(
      "width", po::value(&kwic_width)->default_value(40),
      "with --kwic: characters of context on each side")(
      "kwic-sort", po::value(&kwic_sort)->default_value("rank"),
      "with --kwic: rank (search order), left or right (context words nearest the match first) or "
      "date")("significant", po::value(&significant),
              "the N words, phrases and entities most over-represented in the matches compared "
              "with the whole index (G² score)")(
      "cooccur", po::value(&cooccur),
      "the person, institution, topic or place entities (--facet-size of them) most associated "
      "with the matches (G² score)");
  opts.add(research);
  po::options_description hidden;
  hidden.add_options()("query", po::value(&words)->composing());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("query", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what())};
  }
  if (vm.count("help")) {
    std::cout
        << "Usage: dossier-search [--db DIR] [options] QUERY...\n\n"
           "Searches a Dossier database. The query language is Xapian's: words (implicit\n"
           "AND, stemmed), OR, NOT, -word, +word, (parentheses), \"exact phrases\", NEAR and\n"
           "ADJ (a NEAR/5 b), word* and fields:\n";
    for (const schema::Field& f : schema::Fields()) {
      if (f.name.empty()) continue;
      std::cout << fmt::format("  {:<13} {}\n", std::string(f.name) + ":", f.help);
    }
    std::cout
        << fmt::format("  {:<13} {}\n", "date:",
                       "a date or a range: date:2023-11, date:2023-10-01..2023-12-31, date:2023..")
        << "An empty query or * matches every article.\n\n"
        << opts
        << "\nExamples:\n"
           "  dossier-search ceasefire talks\n"
           "  dossier-search '\"humanitarian pause\" source:harbour' --sort -date\n"
           "  dossier-search 'sanctions NEAR/5 oil' date:2023-01..2023-06 --format json\n"
           "  dossier-search '*' --from 2024 --limit all --format jsonl\n"
           "  dossier-search 'person:blinken topic:ceasefire' --facets institution,month\n"
           "  dossier-search --entities --type person 'topic:\"arms transfers\"'\n"
           "  dossier-search --statements --by Blinken --about ceasefire\n"
           "  dossier-search --statements 'speaker:varga quote:direct' --facets speaker,topic\n"
           "  dossier-search topic:ceasefire --histogram month --by-facet person --plot "
           "people.svg\n"
           "  dossier-search ceasefire --dedup --count-groups --facets source\n"
           "  dossier-search --statements --by Blinken --dedup --histogram month\n"
           "  dossier-search topic:ceasefire --kwic truce --kwic-sort left --limit all\n"
           "  dossier-search topic:ceasefire --significant 20\n"
           "  dossier-search topic:ceasefire --cooccur person\n"
           "  dossier-search --batch queries.tsv --match any --format trec --run-tag run1 --limit "
           "1000\n\n"
           "Exit status: 0 at least one hit, 1 no hits, 2 an error (bad query, no database).\n";
    return 0;
  }

  if (Status s = searcher::ParseFacetList(facets, &so.facets); !s.ok()) {
    throw UsageError{"--facets: " + s.message()};
  }
  so.query.clear();
  for (const std::string& w : words) so.query += (so.query.empty() ? "" : " ") + w;
  if (limit == "all") {
    so.limit.reset();
  } else {
    so.limit = ParseCount("limit", limit);
  }
  // Counts are read as text: Boost.Program_options would wrap "-5" into a huge unsigned.
  so.offset = ParseCount("offset", offset_text);
  so.facet_size = ParseCount("facet-size", facet_size_text);
  if (sort == "relevance")
    so.sort = searcher::SortOrder::kRelevance;
  else if (sort == "date")
    so.sort = searcher::SortOrder::kDate;
  else if (sort == "-date")
    so.sort = searcher::SortOrder::kDateDescending;
  else
    throw UsageError{fmt::format("--sort wants relevance, date or -date, got '{}'", sort)};
  if (!from.empty()) so.from = ParseDateOption("from", from, false);
  if (!to.empty()) so.to = ParseDateOption("to", to, true);
  so.snippets = !no_snippets;
  searcher::OutputFormat out_format;
  if (!searcher::ParseOutputFormat(format, &out_format)) {
    throw UsageError{
        fmt::format("--format wants text, json, jsonl, csv or trec, got '{}'", format)};
  }
  if (!histogram.empty()) {
    searcher::Period p;
    if (!searcher::ParsePeriod(histogram, &p)) {
      throw UsageError{
          fmt::format("--histogram wants day, week, month or year, got '{}'", histogram)};
    }
    so.histogram = p;
  }
  if (!by_facet.empty()) {
    searcher::FacetKind k;
    if (!so.histogram) throw UsageError{"--by-facet goes with --histogram"};
    if (!searcher::ParseFacetKind(by_facet, &k) || k == searcher::FacetKind::kYear ||
        k == searcher::FacetKind::kMonth) {
      throw UsageError{fmt::format(
          "--by-facet wants person, institution, topic, place, source or speaker, got '{}'",
          by_facet)};
    }
    so.histogram_by = k;
  }
  if (!plot.empty() && !so.histogram) throw UsageError{"--plot goes with --histogram"};
  if (match == "any")
    so.match_any = true;
  else if (match != "all")
    throw UsageError{fmt::format("--match wants all or any, got '{}'", match)};
  if (!bm25.empty()) {
    double k1 = -1, b = -1;
    char tail = 0;
    if (std::sscanf(bm25.c_str(), "%lf,%lf%c", &k1, &b, &tail) != 2 || k1 < 0 || b < 0 || b > 1) {
      throw UsageError{
          fmt::format("--bm25 wants K1,B with K1 >= 0 and 0 <= B <= 1, got '{}'", bm25)};
    }
    so.bm25 = std::make_pair(k1, b);
  }
  searcher::OutputOptions oo;
  if (color == "always")
    oo.color = true;
  else if (color == "never")
    oo.color = false;
  else if (color == "auto")
    oo.color = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  else
    throw UsageError{fmt::format("--color wants auto, always or never, got '{}'", color)};
  oo.explain = explain;
  oo.statements = so.statements;
  oo.histogram = so.histogram.has_value();
  oo.histogram_split = so.histogram_by.has_value();
  oo.dedup = so.dedup;
  oo.run_tag = run_tag;
  if (!so.statements && (!so.by.empty() || !so.about.empty())) {
    throw UsageError{"--by and --about go with --statements"};
  }
  if (so.statements && entities_mode)
    throw UsageError{"--statements and --entities do not combine"};

  std::vector<BatchQuery> queries;
  if (!batch.empty()) {
    if (!words.empty()) throw UsageError{"give either --batch FILE or a query, not both"};
    queries = ReadBatch(batch);
    oo.batch = true;
  } else {
    queries.push_back({"", so.query});
  }
  if (!plot.empty() && queries.size() != 1)
    throw UsageError{"--plot draws one query's histogram, not a --batch"};

  if (db_path.empty()) {
    const char* env = std::getenv("DOSSIER_DB");
    db_path = env && *env ? env : "./dossier-db";
  }
  std::unique_ptr<searcher::Searcher> searcher;
  if (Status s = searcher::Searcher::Open(db_path, &searcher); !s.ok()) {
    fmt::print(stderr, "{}: {}\n", kProgram, s.message());
    return 2;
  }

  if (info) {
    const Xapian::Database& db = searcher->database();
    nlohmann::json j = {{"format_version", searcher::kFormatVersion},
                        {"db", db_path},
                        {"articles", db.get_doccount()},
                        {"schema_version", db.get_metadata(std::string(schema::kSchemaVersionKey))},
                        {"codebook_digest", searcher->codebook_digest()},
                        {"codebook_entries", searcher->codebook().entries().size()}};
    if (out_format == searcher::OutputFormat::kText) {
      searcher::WriteOut(
          fmt::format("database:         {}\narticles:         {}\nschema version:   {}\n"
                      "codebook digest:  {}\ncodebook entries: {}\n",
                      db_path, db.get_doccount(), j["schema_version"].get<std::string>(),
                      searcher->codebook_digest(), searcher->codebook().entries().size()));
    } else {
      searcher::WriteOut(j.dump() + "\n");
    }
    searcher::FlushOut();
    return 0;
  }

  if (!kwic.empty() || significant > 0 || !cooccur.empty()) {
    if (!batch.empty())
      throw UsageError{"--kwic, --significant and --cooccur do not combine with --batch"};
    if (so.statements)
      throw UsageError{"--kwic, --significant and --cooccur work on articles, not --statements"};
    if (out_format == searcher::OutputFormat::kTrec)
      throw UsageError{"--format trec is for hit lists"};
    const std::optional<uint64_t> limit = so.limit;
    const uint64_t skip = so.offset;
    so.limit.reset();
    so.offset = 0;
    so.snippets = false;
    so.facets.clear();
    so.histogram.reset();
    searcher::KwicMatcher matcher(kwic);
    if (!kwic.empty()) {
      if (matcher.empty()) throw UsageError{fmt::format("--kwic: no words in '{}'", kwic)};
      so.filter_query = matcher.FilterQuery();
    }
    searcher::KwicSort ksort;
    if (!searcher::ParseKwicSort(kwic_sort, &ksort)) {
      throw UsageError{
          fmt::format("--kwic-sort wants rank, left, right or date, got '{}'", kwic_sort)};
    }
    searcher::FacetKind co_kind{};
    if (!cooccur.empty() &&
        (!searcher::ParseFacetKind(cooccur, &co_kind) ||
         (co_kind != searcher::FacetKind::kPerson && co_kind != searcher::FacetKind::kInstitution &&
          co_kind != searcher::FacetKind::kTopic && co_kind != searcher::FacetKind::kPlace))) {
      throw UsageError{
          fmt::format("--cooccur wants person, institution, topic or place, got '{}'", cooccur)};
    }
    // --kwic streams the matching articles: only their concordance lines are kept.
    std::vector<searcher::KwicLine> lines;
    searcher::KwicSummary summary{kwic, 0, 0, kwic_width, kwic_sort};
    auto concordance = [&](const searcher::SearchResult&, searcher::Hit&& h) {
      size_t before = lines.size();
      const std::string* texts[] = {&h.article.title, &h.article.body};
      size_t base = 0;
      for (const std::string* text : texts) {
        for (const auto& o : matcher.Find(*text)) {
          searcher::KwicLine line = searcher::MakeKwicLine(*text, o, kwic_width);
          line.id = h.article.id;
          line.date = h.article.date;
          line.source = h.article.source;
          line.title = h.display_title;
          line.rank = h.rank;
          line.position += base;
          lines.push_back(std::move(line));
        }
        base += text->size() + 1;
      }
      summary.articles += lines.size() > before;
    };
    searcher::SearchResult result;
    Status search_status =
        kwic.empty() ? searcher->Search(so, &result) : searcher->Search(so, &result, concordance);
    if (!search_status.ok()) {
      fmt::print(stderr, "{}: {}\n", kProgram, search_status.message());
      return 2;
    }
    if (!kwic.empty()) {
      summary.occurrences = lines.size();
      searcher::SortKwic(ksort, &lines);
      std::vector<searcher::KwicLine> shown;
      for (uint64_t i = skip; i < lines.size() && (!limit || shown.size() < *limit); ++i) {
        shown.push_back(std::move(lines[i]));
      }
      searcher::WriteKwic(out_format, oo, result, summary, shown);
      searcher::FlushOut();
      return summary.occurrences > 0 ? 0 : 1;
    }
    std::vector<Xapian::docid> docids;
    std::vector<std::string> texts;
    for (const searcher::Hit& h : result.hits) {
      docids.push_back(h.docid);
      if (significant > 0) texts.push_back(h.article.title + "\n" + h.article.body);
    }
    searcher::SignificantOptions sig;
    if (significant > 0) {
      sig.size = significant;
    } else {
      sig.size = so.facet_size;
      sig.words = sig.phrases = false;
      sig.entities = {co_kind};
      sig.min_foreground = 1;
    }
    searcher::SignificantResult sr;
    Status s;
    try {
      s = searcher::FindSignificant(searcher->database(), docids, texts, sig, &sr);
    } catch (const Xapian::Error& e) {
      s = Status::IOError(e.get_msg());
    }
    if (!s.ok()) {
      fmt::print(stderr, "{}: {}\n", kProgram, s.message());
      return 2;
    }
    searcher::WriteSignificant(out_format, oo, result, significant > 0 ? "significant" : "cooccur",
                               sr);
    searcher::FlushOut();
    return sr.terms.empty() ? 1 : 0;
  }

  if (entities_mode) {
    if (!batch.empty()) throw UsageError{"--entities does not combine with --batch"};
    std::vector<searcher::FacetKind> kinds;
    for (const char* t : {"person", "institution", "topic", "place"}) {
      searcher::FacetKind k;
      searcher::ParseFacetKind(t, &k);
      if (entity_type.empty() || entity_type == t ||
          (entity_type == "org" && k == searcher::FacetKind::kInstitution)) {
        kinds.push_back(k);
      }
    }
    if (kinds.empty()) {
      throw UsageError{
          fmt::format("--type wants person, institution, topic or place, got '{}'", entity_type)};
    }
    so.facets = kinds;
    so.facet_size = so.limit ? *so.limit : SIZE_MAX;
    so.limit = 0;
    so.offset = 0;
    so.snippets = false;
    searcher::SearchResult result;
    if (Status s = searcher->Search(so, &result); !s.ok()) {
      fmt::print(stderr, "{}: {}\n", kProgram, s.message());
      return 2;
    }
    std::vector<searcher::EntityRow> rows;
    for (const searcher::FacetResult& fr : result.facets) {
      std::string type = searcher::FacetName(fr.kind);
      auto etype = schema::ParseEntityType(type);
      for (const searcher::FacetValue& v : fr.values) {
        searcher::EntityRow row{type, v.value, v.count, {}};
        for (const schema::CodebookEntry* e : searcher->codebook().Resolve(v.value, etype)) {
          if (e->canonical != v.value) continue;
          for (const std::string& a : e->aliases)
            if (a != e->canonical) row.aliases.push_back(a);
        }
        rows.push_back(std::move(row));
      }
    }
    searcher::WriteEntities(out_format, oo, result, rows);
    searcher::FlushOut();
    return rows.empty() ? 1 : 0;
  }

  auto writer = searcher::MakeResultWriter(out_format, oo);
  writer->Begin();
  bool any_hit = false, any_error = false;
  for (const BatchQuery& bq : queries) {
    so.query = bq.query;
    searcher::SearchResult result;
    // jsonl and trec stream: each hit is written as it is read (constant memory for
    // --limit all); the other formats need the whole result first.
    const bool stream = writer->CanStream();
    uint64_t returned = 0;
    Status s = stream ? searcher->Search(so, &result,
                                         [&](const searcher::SearchResult& r, searcher::Hit&& h) {
                                           writer->WriteHit(r, h, bq.qid);
                                           ++returned;
                                         })
                      : searcher->Search(so, &result);
    if (!s.ok()) {
      if (oo.batch) {
        fmt::print(stderr, "{}: query {}: {}\n", kProgram, bq.qid, s.message());
      } else {
        fmt::print(stderr, "{}: {}\n", kProgram, s.message());
      }
      any_error = true;
      if (!oo.batch) return 2;
      continue;
    }
    any_hit = any_hit || result.total > 0;
    if (stream) {
      writer->WriteTail(result, returned, bq.qid);
    } else {
      writer->Write(result, bq.qid);
    }
    if (!plot.empty() && result.histogram) {
      searcher::PlotOptions po;
      std::string q = result.query.empty() ? "*" : result.query;
      po.title = fmt::format("{} per {}: {}", so.statements ? "Statements" : "Articles",
                             searcher::PeriodName(*so.histogram), q);
      if (so.count_groups) po.title += " (duplicate groups)";
      po.y_label = so.count_groups ? "duplicate groups" : so.statements ? "statements" : "articles";
      if (Status ps = searcher::PlotHistogram(*result.histogram, po, plot); !ps.ok()) {
        fmt::print(stderr, "{}: {}\n", kProgram, ps.message());
        any_error = true;
      }
    }
  }
  writer->End();
  searcher::FlushOut();
  if (any_error) return 2;
  return any_hit ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return Run(argc, argv);
  } catch (const UsageError& e) {
    fmt::print(stderr, "{}: {} (see --help)\n", kProgram, e.message);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", kProgram, e.what());
  } catch (...) {
    fmt::print(stderr, "{}: internal error\n", kProgram);
  }
  return 2;
}
