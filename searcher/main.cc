// dossier-search: query a Dossier database from the command line or from scripts.
#include <fmt/format.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "searcher/output.h"
#include "searcher/search.h"

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
  if (!v) throw UsageError{fmt::format("--{}: cannot read '{}' as a date (YYYY, YYYY-MM or YYYY-MM-DD)", option, text)};
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
  uint64_t offset = 0;
  bool explain = false, no_snippets = false;
  std::vector<std::string> words;
  std::string facets, entity_type;
  bool entities_mode = false, info = false;
  searcher::SearchOptions so;

  po::options_description opts("Options");
  opts.add_options()
      ("help,h", "show this help and exit")
      ("db,d", po::value(&db_path), "database folder (default: $DOSSIER_DB, else ./dossier-db)")
      ("limit,n", po::value(&limit)->default_value("10"), "how many hits to show: N or all")
      ("offset", po::value(&offset)->default_value(0), "skip the first N hits")
      ("sort", po::value(&sort)->default_value("relevance"), "relevance, date (oldest first) or -date (newest first)")
      ("from", po::value(&from), "only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
      ("to", po::value(&to), "only articles dated on or before DATE (the whole period: --to 2023 means to 31 Dec)")
      ("format,f", po::value(&format)->default_value("text"), "text, json, jsonl or csv")
      ("batch", po::value(&batch), "run one query per line of FILE (QID<TAB>QUERY or QUERY; '#' comments)")
      ("facets", po::value(&facets), "exact counts over all matches: any of person,institution,topic,place,source,year,month")
      ("facet-size", po::value(&so.facet_size)->default_value(10), "values shown per facet")
      ("statements", po::bool_switch(&so.statements), "search statements (who said what) instead of articles")
      ("by", po::value(&so.by), "with --statements: only statements by NAME (any alias: Blinken, \"State Department\")")
      ("about", po::value(&so.about), "with --statements: only statements about a codebook topic or alias (ceasefire, truce), else containing these words")
      ("entities", po::bool_switch(&entities_mode), "list the people, institutions, topics and places of the matching articles, with article counts and known aliases (--limit entities per type)")
      ("type", po::value(&entity_type), "with --entities: only person, institution, topic or place")
      ("info", po::bool_switch(&info), "describe the database (articles, schema version, codebook digest) and exit")
      ("explain", po::bool_switch(&explain), "show how the query was parsed")
      ("no-snippets", po::bool_switch(&no_snippets), "do not compute snippets (faster)")
      ("color", po::value(&color)->default_value("auto"), "highlight in text output: auto, always, never");
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
    std::cout << "Usage: dossier-search [--db DIR] [options] QUERY...\n\n"
                 "Searches a Dossier database. The query language is Xapian's: words (implicit\n"
                 "AND, stemmed), OR, NOT, -word, +word, (parentheses), \"exact phrases\", NEAR and\n"
                 "ADJ (a NEAR/5 b), word* and fields:\n";
    for (const schema::Field& f : schema::Fields()) {
      if (f.name.empty()) continue;
      std::cout << fmt::format("  {:<13} {}\n", std::string(f.name) + ":", f.help);
    }
    std::cout << fmt::format("  {:<13} {}\n", "date:",
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
                 "  dossier-search --statements 'speaker:varga quote:direct' --facets speaker,topic\n\n"
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
  so.offset = offset;
  if (sort == "relevance") so.sort = searcher::SortOrder::kRelevance;
  else if (sort == "date") so.sort = searcher::SortOrder::kDate;
  else if (sort == "-date") so.sort = searcher::SortOrder::kDateDescending;
  else throw UsageError{fmt::format("--sort wants relevance, date or -date, got '{}'", sort)};
  if (!from.empty()) so.from = ParseDateOption("from", from, false);
  if (!to.empty()) so.to = ParseDateOption("to", to, true);
  so.snippets = !no_snippets;
  searcher::OutputFormat out_format;
  if (!searcher::ParseOutputFormat(format, &out_format)) {
    throw UsageError{fmt::format("--format wants text, json, jsonl or csv, got '{}'", format)};
  }
  searcher::OutputOptions oo;
  if (color == "always") oo.color = true;
  else if (color == "never") oo.color = false;
  else if (color == "auto") oo.color = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  else throw UsageError{fmt::format("--color wants auto, always or never, got '{}'", color)};
  oo.explain = explain;
  oo.statements = so.statements;
  if (!so.statements && (!so.by.empty() || !so.about.empty())) {
    throw UsageError{"--by and --about go with --statements"};
  }
  if (so.statements && entities_mode) throw UsageError{"--statements and --entities do not combine"};

  std::vector<BatchQuery> queries;
  if (!batch.empty()) {
    if (!words.empty()) throw UsageError{"give either --batch FILE or a query, not both"};
    queries = ReadBatch(batch);
    oo.batch = true;
  } else {
    queries.push_back({"", so.query});
  }

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
      searcher::WriteOut(fmt::format("database:         {}\narticles:         {}\nschema version:   {}\n"
                                     "codebook digest:  {}\ncodebook entries: {}\n",
                                     db_path, db.get_doccount(), j["schema_version"].get<std::string>(),
                                     searcher->codebook_digest(), searcher->codebook().entries().size()));
    } else {
      searcher::WriteOut(j.dump() + "\n");
    }
    searcher::FlushOut();
    return 0;
  }

  if (entities_mode) {
    if (!batch.empty()) throw UsageError{"--entities does not combine with --batch"};
    std::vector<searcher::FacetKind> kinds;
    for (const char* t : {"person", "institution", "topic", "place"}) {
      searcher::FacetKind k;
      searcher::ParseFacetKind(t, &k);
      if (entity_type.empty() || entity_type == t || (entity_type == "org" && k == searcher::FacetKind::kInstitution)) {
        kinds.push_back(k);
      }
    }
    if (kinds.empty()) {
      throw UsageError{fmt::format("--type wants person, institution, topic or place, got '{}'", entity_type)};
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
    Status s = searcher->Search(so, &result);
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
    writer->Write(result, bq.qid);
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
