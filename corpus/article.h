// Article: one news article as read from an archive, before any analysis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dossier::corpus {

struct Article {
  std::string id;        // the id given by the input ("" when none; a text file's absolute
                         // path); see identity.h for the key
  std::string title;     // "" when the input has none
  std::string date_raw;  // the date exactly as written in the input ("" when none)
  std::optional<int64_t> date;  // date_raw parsed: seconds since the Unix epoch, UTC
  std::string source;           // publisher ("BBC News", "Reuters")
  std::string author;
  std::string url;
  std::string body;    // valid UTF-8, line breaks kept, boilerplate trailer lines removed
  std::string origin;  // "path" for one-article files, "path:line" for record formats
};

}  // namespace dossier::corpus
