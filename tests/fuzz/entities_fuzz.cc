// Fuzz target: the entity extractor (indexer/entities.cc) and the statement extractor
// (indexer/statements.cc) on arbitrary title and body bytes. The input is "TITLE\nBODY".
#include <string_view>

#include "fuzz_util.h"
#include "indexer/entities.h"
#include "indexer/statements.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const indexer::EntityExtractor* extractor =
      new indexer::EntityExtractor(schema::Codebook::Default());
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t nl = all.find('\n');
  std::string_view title = nl == std::string_view::npos ? std::string_view() : all.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? all : all.substr(nl + 1);
  indexer::ArticleEntities e = extractor->Extract(title, body);
  for (const indexer::EntityMention& m : e.mentions) {
    size_t len = m.in_title ? title.size() : body.size();
    fuzz::Check(m.begin <= m.end && m.end <= len, "mention outside its text");
    fuzz::Check(!m.canonical.empty(), "mention without a canonical name");
  }
  for (const indexer::SentenceSpan& s : e.sentences) {
    size_t len = s.in_title ? title.size() : body.size();
    fuzz::Check(s.begin <= s.end && s.end <= len, "sentence outside its text");
  }
  for (const indexer::Statement& s :
       indexer::ExtractStatements(title, body, e, schema::Codebook::Default())) {
    std::string_view text = s.in_title ? title : body;
    fuzz::Check(s.begin <= s.end && s.end <= text.size(), "statement outside its text");
    fuzz::Check(s.text == text.substr(s.begin, s.end - s.begin), "statement text is not its span");
    fuzz::Check(s.content_begin <= s.content_end && s.content_end <= text.size(),
                "statement content outside its text");
    fuzz::Check(!s.speaker.empty() && !s.cue.empty(), "statement without speaker or cue");
    fuzz::Check(indexer::CodePointOffset(text, s.end) <= text.size(), "code-point offset too far");
  }
  return 0;
}
