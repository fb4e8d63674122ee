// Parsing the date forms found in news archives into UTC seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dossier::corpus {

// Parses `text` and returns seconds since the Unix epoch, UTC. Accepted forms include
// ISO 8601 ("2023-11-14", "2023-11-14T10:00:00Z", "2023-11-14 10:00:00+02:00"),
// "14 Nov 2023", "November 14, 2023", "Nov. 14, 2023", RFC 822 ("Tue, 14 Nov 2023 10:00:00 GMT"),
// "26-FEB-1987 15:01:01.79" (Reuters), "2023/11/14", and Unix timestamps given as digits only
// when 9-10 digits long. A time zone offset is applied; no zone means UTC. Returns nullopt
// for anything else, including impossible dates ("2023-02-30") and years outside 1..9999.
// Details: surrounding whitespace is ignored; a leading weekday is optional; times are
// H:MM[:SS[.fraction]] with an optional am/pm ("10:00 a.m."), after "T", spaces, "," or "at";
// zones are "Z", "+02:00" / "+0200" / "+02", or GMT UTC UT EST EDT CST CDT MST MDT PST PDT BST
// CET CEST EET EEST (GMT/UTC may carry an offset: "UTC+2"); ordinals ("14th") and asctime
// ("Tue Nov 14 10:00:00 2023") are accepted. In the Reuters form, upper-case letters after the
// time (SGML residue such as "15:01:01.79 RM") are ignored. Two-digit years and all-numeric
// day-month orders ("14/11/2023") are rejected as ambiguous.
std::optional<int64_t> ParseDate(std::string_view text);

}  // namespace dossier::corpus
