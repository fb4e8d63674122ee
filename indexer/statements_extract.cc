// dossier-extract-statements: runs entity and statement extraction on JSONL articles or
// plain-text files and prints one JSON object per article (for scripts/eval-statements,
// benchmarks and debugging).
//
//   dossier-extract-statements [--codebook FILE]... [--no-title] [--entities] [--bench N]
//                              [--cue-model FILE|none] [--candidates] [--cue-tokens]
//                              [FILE.jsonl | -]
//   dossier-extract-statements [--codebook FILE]... --text FILE...
//
// JSONL input lines need "body" and may have "id" and "title" (--no-title ignores it, for
// corpora whose body already starts with the title). Output objects carry "format_version",
// "id" and "statements"; offsets ("begin", "end", "content_begin", "content_end") are Unicode
// code points into the body (or the title when "in_title"); --entities adds the article's
// person/institution/place "mentions" (for debugging). --cue-model replaces the embedded
// learned cue model by a file ("none": the rules alone); --candidates adds every candidate of
// the learned cue pass ("candidates": statement fields plus "features", the word's "cue_begin",
// "cue_end" and the tagger's "tag_keys") and keeps them out of "statements"; --cue-tokens adds
// every word the cue tagger may score ("cue_tokens": [begin, end, key...] in code points)
// (both for scripts/train-statement-cues). Throughput goes to stderr.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/entities.h"
#include "indexer/statements.h"
#include "schema/codebook.h"

namespace {

using dossier::indexer::CodePointOffset;
using dossier::indexer::SpeakerRef;
using dossier::indexer::Statement;

const char* RefName(SpeakerRef r) {
  switch (r) {
    case SpeakerRef::kName:
      return "name";
    case SpeakerRef::kPronoun:
      return "pronoun";
    case SpeakerRef::kRole:
      return "role";
    case SpeakerRef::kContinuation:
      return "continuation";
  }
  return "name";
}

nlohmann::json StatementJson(const std::string& title, const std::string& body,
                             const Statement& s) {
  const std::string& text = s.in_title ? title : body;
  nlohmann::json o;
  o["speaker"] = s.speaker;
  o["speaker_type"] = std::string(dossier::schema::EntityTypeName(s.speaker_type));
  o["speaker_ref"] = RefName(s.speaker_ref);
  o["cue"] = s.cue;
  o["direct"] = s.direct;
  o["in_title"] = s.in_title;
  o["begin"] = CodePointOffset(text, s.begin);
  o["end"] = CodePointOffset(text, s.end);
  o["content_begin"] = CodePointOffset(text, s.content_begin);
  o["content_end"] = CodePointOffset(text, s.content_end);
  o["text"] = s.text;
  o["topics"] = s.topics;
  return o;
}

// Code-point offsets of increasing byte offsets in one pass (CodePointOffset per token would
// be quadratic).
class CodePoints {
 public:
  explicit CodePoints(const std::string& text) : text_(text) {}
  size_t At(size_t byte) {
    if (byte < byte_) byte_ = cp_ = 0;
    byte = std::min(byte, text_.size());
    for (; byte_ < byte; ++byte_)
      if ((static_cast<unsigned char>(text_[byte_]) & 0xC0) != 0x80) ++cp_;
    return cp_;
  }

 private:
  const std::string& text_;
  size_t byte_ = 0, cp_ = 0;
};

nlohmann::json ToJson(const std::string& id, const std::string& title, const std::string& body,
                      const std::vector<Statement>& statements,
                      const dossier::indexer::ArticleEntities* entities,
                      const std::vector<dossier::indexer::CueCandidate>* candidates,
                      const std::vector<dossier::indexer::CueToken>* cue_tokens) {
  nlohmann::json j;
  j["format_version"] = 1;
  j["id"] = id;
  nlohmann::json list = nlohmann::json::array();
  for (const Statement& s : statements) list.push_back(StatementJson(title, body, s));
  j["statements"] = std::move(list);
  if (candidates) {
    nlohmann::json cs = nlohmann::json::array();
    for (const auto& c : *candidates) {
      nlohmann::json o = StatementJson(title, body, c.statement);
      o["features"] = c.features;
      o["cue_begin"] = CodePointOffset(body, c.cue_begin);
      o["cue_end"] = CodePointOffset(body, c.cue_end);
      o["tag_keys"] = std::vector<uint32_t>(std::begin(c.tag_keys), std::end(c.tag_keys));
      cs.push_back(std::move(o));
    }
    j["candidates"] = std::move(cs);
  }
  if (cue_tokens) {
    nlohmann::json ts = nlohmann::json::array();
    CodePoints cp(body);
    for (const auto& t : *cue_tokens) {
      nlohmann::json row = nlohmann::json::array({cp.At(t.begin), cp.At(t.end)});
      for (uint32_t k : t.tag_keys) row.push_back(k);
      ts.push_back(std::move(row));
    }
    j["cue_tokens"] = std::move(ts);
  }
  if (entities) {  // --entities: person/institution/place mentions, for debugging
    nlohmann::json ms = nlohmann::json::array();
    for (const auto& m : entities->mentions) {
      if (m.type == dossier::schema::EntityType::kTopic) continue;
      const std::string& text = m.in_title ? title : body;
      ms.push_back({{"canonical", m.canonical},
                    {"type", std::string(dossier::schema::EntityTypeName(m.type))},
                    {"in_title", m.in_title},
                    {"begin", CodePointOffset(text, m.begin)},
                    {"end", CodePointOffset(text, m.end)}});
    }
    j["mentions"] = std::move(ms);
  }
  return j;
}

int Usage(std::ostream& os, int status) {
  os << "usage: dossier-extract-statements [--codebook FILE]... [--no-title] [--entities] "
        "[--bench N] [--cue-model FILE|none] [--candidates] [--cue-tokens] [FILE.jsonl | -]\n"
        "       dossier-extract-statements [--codebook FILE]... "
        "--text "
        "FILE...\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    dossier::schema::Codebook book = dossier::schema::Codebook::Default();
    bool text_mode = false, no_title = false, with_entities = false, with_candidates = false,
         with_cue_tokens = false;
    dossier::indexer::StatementOptions options;
    dossier::indexer::StatementCueModel file_model;
    int bench = 0;
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--codebook" && i + 1 < argc) {
        dossier::Status s = book.LoadFile(argv[++i]);
        if (!s.ok()) {
          std::cerr << "dossier-extract-statements: " << s.message() << "\n";
          return 2;
        }
      } else if (a == "--text") {
        text_mode = true;
      } else if (a == "--entities") {
        with_entities = true;
      } else if (a == "--cue-model" && i + 1 < argc) {
        std::string path = argv[++i];
        if (path == "none") {
          options.cue_model = nullptr;
        } else {
          std::ifstream in(path, std::ios::binary);
          std::stringstream ss;
          ss << in.rdbuf();
          dossier::Status s = file_model.Load(ss.str());
          if (!in || !s.ok()) {
            std::cerr << "dossier-extract-statements: " << path << ": "
                      << (in ? s.message() : "cannot open") << "\n";
            return 2;
          }
          options.cue_model = &file_model;
        }
      } else if (a == "--candidates") {
        with_candidates = true;
      } else if (a == "--cue-tokens") {
        with_cue_tokens = true;
      } else if (a == "--no-title") {
        no_title = true;
      } else if (a == "--bench" && i + 1 < argc) {
        bench = std::stoi(argv[++i]);
      } else if (a == "--help" || a == "-h") {
        return Usage(std::cout, 0);
      } else if (!a.empty() && a[0] == '-' && a != "-") {
        return Usage(std::cerr, 2);
      } else {
        inputs.push_back(a);
      }
    }
    dossier::indexer::EntityExtractor extractor(book);

    struct Doc {
      std::string id, title, body;
    };
    std::vector<Doc> docs;
    if (text_mode) {
      for (const auto& path : inputs) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
          std::cerr << "dossier-extract-statements: cannot open " << path << "\n";
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
            std::cerr << "dossier-extract-statements: cannot open " << path << "\n";
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
          docs.push_back({str("id"), no_title ? std::string() : str("title"), str("body")});
        }
      }
    }

    size_t bytes = 0, count = 0;
    double entity_secs = 0, statement_secs = 0;
    int rounds = bench > 0 ? bench : 1;
    for (int r = 0; r < rounds; ++r) {
      for (const Doc& d : docs) {
        auto t0 = std::chrono::steady_clock::now();
        auto entities = extractor.Extract(d.title, d.body);
        auto t1 = std::chrono::steady_clock::now();
        std::vector<dossier::indexer::CueCandidate> candidates;
        options.candidates = with_candidates ? &candidates : nullptr;
        std::vector<dossier::indexer::CueToken> cue_tokens;
        options.cue_tokens = with_cue_tokens ? &cue_tokens : nullptr;
        auto statements =
            dossier::indexer::ExtractStatements(d.title, d.body, entities, book, options);
        auto t2 = std::chrono::steady_clock::now();
        entity_secs += std::chrono::duration<double>(t1 - t0).count();
        statement_secs += std::chrono::duration<double>(t2 - t1).count();
        bytes += d.title.size() + d.body.size();
        count += statements.size();
        if (bench == 0)
          std::cout << ToJson(d.id, d.title, d.body, statements,
                              with_entities ? &entities : nullptr,
                              with_candidates ? &candidates : nullptr,
                              with_cue_tokens ? &cue_tokens : nullptr)
                           .dump()
                    << "\n";
      }
    }
    std::cerr << "dossier-extract-statements: " << docs.size() << " articles x" << rounds << ", "
              << bytes << " bytes, " << count << " statements; entities " << entity_secs
              << " s, statements " << statement_secs << " s ("
              << (bytes / 1e6) / (statement_secs > 0 ? statement_secs : 1e-9)
              << " MB/s for statements alone, one thread)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "dossier-extract-statements: " << e.what() << "\n";
    return 2;
  }
}
