// Tests for corpus/dates.cc: every accepted form, zones, and what must be rejected.
#include "corpus/dates.h"

#include <gtest/gtest.h>

#include <string>

namespace dossier::corpus {
namespace {

// Reference values from `date -u -d ... +%s`.
constexpr int64_t k20231114 = 1699920000;     // 2023-11-14T00:00:00Z
constexpr int64_t k20231114T10 = 1699956000;  // 2023-11-14T10:00:00Z
constexpr int64_t kReuters = 541350061;       // 1987-02-26T15:01:01Z
constexpr int64_t kHour = 3600;

struct Case {
  const char* text;
  int64_t expected;
};

class ParseDateAccepts : public ::testing::TestWithParam<Case> {};

TEST_P(ParseDateAccepts, Value) {
  const Case& c = GetParam();
  const std::optional<int64_t> got = ParseDate(c.text);
  ASSERT_TRUE(got.has_value()) << "'" << c.text << "' not parsed";
  EXPECT_EQ(*got, c.expected) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseDateAccepts,
    ::testing::Values(
        // ISO 8601 and slashes
        Case{"2023-11-14", k20231114}, Case{"2023-11-14T10:00:00Z", k20231114T10},
        Case{"2023-11-14T10:00Z", k20231114T10}, Case{"2023-11-14t10:00:00z", k20231114T10},
        Case{"2023-11-14 10:00:00+02:00", k20231114T10 - 2 * kHour},
        Case{"2023-11-14T10:00:00.123456-05:00", k20231114T10 + 5 * kHour},
        Case{"2023-11-14T10:00:00+0530", k20231114T10 - 5 * kHour - 30 * 60},
        Case{"2023-11-14T10:00:00+02", k20231114T10 - 2 * kHour},
        Case{"2023-11-14 10:00:00 UTC", k20231114T10}, Case{"2023/11/14", k20231114},
        Case{"2023/11/14 10:00", k20231114T10}, Case{"  2023-11-14\n", k20231114},
        Case{"2023-1-5", 1672876800},
        // day month year
        Case{"14 Nov 2023", k20231114}, Case{"14 November 2023", k20231114},
        Case{"14th November 2023", k20231114}, Case{"14 nov. 2023", k20231114},
        Case{"14 Sept 2023", 1694649600},
        // month day year
        Case{"November 14, 2023", k20231114}, Case{"Nov. 14, 2023", k20231114},
        Case{"Nov 14 2023", k20231114}, Case{"Tuesday, November 14, 2023", k20231114},
        Case{"November 14, 2023 10:00", k20231114T10},
        Case{"Nov. 14, 2023 at 10:00 a.m. EST", k20231114T10 + 5 * kHour},
        Case{"November 14, 2023, 3:30 PM", k20231114 + 15 * kHour + 30 * 60},
        Case{"November 14, 2023 12:05 am", k20231114 + 5 * 60},
        // RFC 822 / 2822
        Case{"Tue, 14 Nov 2023 10:00:00 GMT", k20231114T10},
        Case{"Tue, 14 Nov 2023 10:00:00 +0200", k20231114T10 - 2 * kHour},
        Case{"Tue, 14 Nov 2023 10:00:00 -0800", k20231114T10 + 8 * kHour},
        Case{"Tue, 14 Nov 2023 10:00:00 EST", k20231114T10 + 5 * kHour},
        Case{"Tue, 14 Nov 2023 10:00:00 PDT", k20231114T10 + 7 * kHour},
        Case{"Tue, 14 Nov 2023 10:00 GMT+2", k20231114T10 - 2 * kHour},
        Case{"14 Nov 2023 10:00:00 (UTC)", k20231114T10},
        // asctime
        Case{"Tue Nov 14 10:00:00 2023", k20231114T10},
        // Reuters, including the SGML residue after the time
        Case{"26-FEB-1987 15:01:01.79", kReuters}, Case{"26-FEB-1987 15:01:01.79F", kReuters},
        Case{"26-FEB-1987 15:01:01.79 RM", kReuters}, Case{"26-FEB-1987 15:01:01.79E F", kReuters},
        Case{"26-FEB-1987  15:01:01.7", kReuters}, Case{"26-Feb-1987", kReuters - 54061},
        // Unix timestamps (9-10 digits)
        Case{"1699956000", k20231114T10}, Case{"123456789", 123456789},
        // Range edges and leap days
        Case{"0001-01-01", -62135596800}, Case{"9999-12-31", 253402214400},
        Case{"1969-12-31T23:59:59Z", -1}, Case{"29 Feb 2024", 1709164800},
        Case{"2016-12-31T23:59:60Z", 1483228800}));

class ParseDateRejects : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseDateRejects, Nullopt) {
  EXPECT_FALSE(ParseDate(GetParam()).has_value()) << "'" << GetParam() << "' was accepted";
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, ParseDateRejects,
    ::testing::Values("", "   ", "yesterday", "2023-02-30", "2023-13-01", "2023-00-10",
                      "0000-01-01", "29 Feb 2023", "2023-11-14 25:00", "2023-11-14 10:60",
                      "2023-11-14T10:00:00+2500", "2023-11-14 foo", "2023-11-14T",
                      "31-MAR-1987 605:12:19.12",  // the one malformed Reuters date
                      "26-FEB-1987 15:01:01.79 est later", "14/11/2023", "11/14/2023", "14 Nov 23",
                      "Nov 14", "2023-11", "2023", "12345678", "12345678901", "-1699956000",
                      "Smarch 14, 2023", "14 Nov 2023 13:00 pm", "November 14, 2023 10:00 XYZ",
                      "2023-11-14 10:00:00+02:00 extra"));

TEST(ParseDate, TwelveHourClockBounds) {
  EXPECT_EQ(ParseDate("Nov 14, 2023 12:00 pm"), k20231114 + 12 * kHour);
  EXPECT_EQ(ParseDate("Nov 14, 2023 12:00 am"), k20231114);
  EXPECT_FALSE(ParseDate("Nov 14, 2023 0:30 am").has_value());
}

}  // namespace
}  // namespace dossier::corpus
