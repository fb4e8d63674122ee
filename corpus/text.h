// Text clean-up shared by all readers: UTF-8 repair and whitespace handling.
#pragma once

#include <string>
#include <string_view>

namespace dossier::corpus {

// Returns `in` as valid UTF-8. Byte sequences that are not UTF-8 are taken as Windows-1252 /
// Latin-1 and transcoded (the usual cause in news archives); NUL and other C0 control
// characters except \t \n \r become spaces; \r\n and \r become \n. `*repaired` is set to the
// number of invalid bytes that had to be transcoded (0 for clean input) when not null.
std::string ToValidUtf8(std::string_view in, size_t* repaired = nullptr);

// Removes leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

}  // namespace dossier::corpus
