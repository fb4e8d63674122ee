// Plain-text articles: the whole file is one article, with an optional title line.
#include <filesystem>
#include <string>

#include "corpus/format_readers.h"
#include "corpus/record.h"
#include "corpus/text.h"

namespace dossier::corpus {
namespace {

// Drops an incomplete multi-byte UTF-8 sequence at the end of `s` (input cut at a limit),
// so that it is not "repaired" as Windows-1252.
void DropIncompleteTail(std::string* s) {
  size_t k = 0;
  while (k < 3 && k < s->size() &&
         (static_cast<unsigned char>((*s)[s->size() - 1 - k]) & 0xC0) == 0x80) {
    ++k;
  }
  if (k >= s->size()) return;
  const unsigned char lead = static_cast<unsigned char>((*s)[s->size() - 1 - k]);
  if ((lead & 0xC0) != 0xC0) return;
  const size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (k + 1 < expected) s->resize(s->size() - 1 - k);
}

}  // namespace

void StripBom(std::string* s) {
  if (s->compare(0, 3, "\xEF\xBB\xBF") == 0) s->erase(0, 3);
}

bool ReadTextFormat(LineReader* in, const std::string& path, const ReadOptions& options,
                    ArticleSink* sink) {
  std::string raw;
  bool more = false;
  if (in->ReadAll(options.max_body_bytes + kTextSlackBytes, &raw, &more) ==
      LineReader::Result::kError) {
    // A partly read article is not delivered: its end is missing.
    ReportError(sink, path, in->error());
    return true;
  }
  StripBom(&raw);
  if (Trim(raw).empty()) {
    ReportError(sink, path, "empty file");
    return true;
  }
  if (more) DropIncompleteTail(&raw);
  size_t repaired = 0;
  const std::string text = ToValidUtf8(raw, &repaired);
  Article a;
  // A plain-text file has no id of its own: its absolute path stands in (as a file's URL
  // would), so re-indexing an edited file replaces it and identical files stay distinct.
  if (path != "<stdin>") {
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(path, ec);
    a.id = ec ? path : abs.lexically_normal().string();
  }
  std::string_view body;
  SplitTitle(text, &a.title, &body);
  a.body = std::string(body);
  StripBoilerplateTrailer(&a.body);
  // A file that is only a trailer line ("Source link") must not make it a title.
  if (a.body.empty()) {
    std::string title = a.title;
    if (StripBoilerplateTrailer(&title) && title.empty()) a.title.clear();
  }
  return FinishArticle(std::move(a), path, repaired, more, options, sink);
}

}  // namespace dossier::corpus
