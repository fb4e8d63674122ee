// dossier-extract-entities: runs the entity extractor on JSONL articles or plain-text files and
// prints one JSON object per article (for scripts/eval-entities, benchmarks and debugging).
//
//   dossier-extract-entities [--codebook FILE]... [--no-tagger] [--bench N] [FILE.jsonl | -]
//   dossier-extract-entities --text FILE.txt...
//
// JSONL input lines need "body" and may have "id" and "title". Output objects carry
// "format_version", "id", "people", "institutions", "places", "topics" and "surfaces" (each
// canonical name with the surface forms it was found as). Throughput goes to stderr.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/entities.h"
#include "schema/codebook.h"

namespace {

using dossier::indexer::ArticleEntities;
using dossier::indexer::EntityExtractor;

nlohmann::json ToJson(const std::string& id, const std::string& title, const std::string& body,
                      const ArticleEntities& e) {
  nlohmann::json j;
  j["format_version"] = 1;
  j["id"] = id;
  j["people"] = e.people;
  j["institutions"] = e.institutions;
  j["places"] = e.places;
  j["topics"] = e.topics;
  nlohmann::json surfaces = nlohmann::json::object();
  for (const auto& m : e.mentions) {
    const std::string& text = m.in_title ? title : body;
    std::string key = std::string(dossier::schema::EntityTypeName(m.type)) + ":" + m.canonical;
    std::string s = text.substr(m.begin, m.end - m.begin);
    auto& list = surfaces[key];
    if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
  }
  j["surfaces"] = surfaces;
  return j;
}

int Usage() {
  std::cerr << "usage: dossier-extract-entities [--codebook FILE]... [--no-tagger] [--bench N] "
               "[FILE.jsonl | -]\n       dossier-extract-entities [--codebook FILE]... --text "
               "FILE...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    dossier::schema::Codebook book = dossier::schema::Codebook::Default();
    bool no_tagger = false, text_mode = false;
    int bench = 0;
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--codebook" && i + 1 < argc) {
        dossier::Status s = book.LoadFile(argv[++i]);
        if (!s.ok()) {
          std::cerr << "dossier-extract-entities: " << s.message() << "\n";
          return 2;
        }
      } else if (a == "--no-tagger") {
        no_tagger = true;
      } else if (a == "--text") {
        text_mode = true;
      } else if (a == "--bench" && i + 1 < argc) {
        bench = std::stoi(argv[++i]);
      } else if (a == "--help" || a == "-h") {
        Usage();
        return 0;
      } else if (!a.empty() && a[0] == '-' && a != "-") {
        return Usage();
      } else {
        inputs.push_back(a);
      }
    }
    EntityExtractor extractor(book);
    if (no_tagger) extractor.DisableTaggerForTesting();
    if (!extractor.has_tagger() && !no_tagger)
      std::cerr << "dossier-extract-entities: warning: no tagger model embedded; rules only\n";

    struct Doc {
      std::string id, title, body;
    };
    std::vector<Doc> docs;
    if (text_mode) {
      for (const auto& path : inputs) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
          std::cerr << "dossier-extract-entities: cannot open " << path << "\n";
          return 2;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        docs.push_back({path, "", ss.str()});
      }
    } else {
      if (inputs.empty()) inputs.push_back("-");
      for (const auto& path : inputs) {
        std::ifstream file;
        std::istream* in = &std::cin;
        if (path != "-") {
          file.open(path, std::ios::binary);
          if (!file) {
            std::cerr << "dossier-extract-entities: cannot open " << path << "\n";
            return 2;
          }
          in = &file;
        }
        std::string line;
        size_t line_no = 0;
        while (std::getline(*in, line)) {
          ++line_no;
          if (line.empty()) continue;
          auto j = nlohmann::json::parse(line, nullptr, false);
          if (j.is_discarded() || !j.is_object()) {
            std::cerr << path << ":" << line_no << ": error: not a JSON object\n";
            continue;
          }
          auto str = [&](const char* k) {
            return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
          };
          docs.push_back({str("id"), str("title"), str("body")});
        }
      }
    }

    size_t bytes = 0;
    auto start = std::chrono::steady_clock::now();
    int rounds = bench > 0 ? bench : 1;
    for (int r = 0; r < rounds; ++r) {
      for (const Doc& d : docs) {
        ArticleEntities e = extractor.Extract(d.title, d.body);
        bytes += d.title.size() + d.body.size();
        if (bench == 0) std::cout << ToJson(d.id, d.title, d.body, e).dump() << "\n";
      }
    }
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "dossier-extract-entities: " << docs.size() << " articles x" << rounds << ", "
              << bytes << " bytes in " << secs << " s: " << (bytes / 1e6) / secs
              << " MB/s (one thread" << (extractor.has_tagger() ? ", tagger" : ", rules")
              << ")\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "dossier-extract-entities: " << e.what() << "\n";
    return 2;
  }
}
