// Tests for the field table, stored data, dates and query-parser set-up.
#include "schema/schema.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <set>

namespace dossier::schema {
namespace {

TEST(FieldTableTest, EveryFieldIdHasOneEntryAndPrefixesAreUnique) {
  std::set<std::string_view> prefixes, names;
  for (const Field& f : Fields()) {
    EXPECT_EQ(&GetField(f.id), &f);
    if (!f.prefix.empty()) EXPECT_TRUE(prefixes.insert(f.prefix).second) << f.prefix;
    if (!f.name.empty()) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  }
  for (FieldId id : {FieldId::kId, FieldId::kTitle, FieldId::kBody, FieldId::kAuthor,
                     FieldId::kSource, FieldId::kUrl, FieldId::kYear, FieldId::kMonth,
                     FieldId::kDay, FieldId::kPerson, FieldId::kInstitution, FieldId::kTopic,
                     FieldId::kPlace, FieldId::kSpeaker, FieldId::kCue, FieldId::kQuote}) {
    EXPECT_EQ(GetField(id).id, id);
  }
  EXPECT_EQ(Prefix(FieldId::kId), "Q");
  EXPECT_EQ(Prefix(FieldId::kTitle), "S");
}

TEST(FieldTableTest, NoPrefixIsAPrefixOfAnotherFieldsTerms) {
  // Boolean prefixes of one or two capitals must not swallow another field's terms: a prefix
  // followed by an upper-case letter would be ambiguous. Entity and free-text terms after the
  // prefix are lower case, so only all-capital prefixes that extend another matter.
  for (const Field& a : Fields())
    for (const Field& b : Fields())
      if (&a != &b && !a.prefix.empty() && !b.prefix.empty() && b.prefix.size() > a.prefix.size())
        EXPECT_FALSE(b.prefix.substr(0, a.prefix.size()) == a.prefix && a.prefix != "X")
            << a.prefix << " vs " << b.prefix;
}

TEST(FieldTableTest, FindByNameIsCaseInsensitiveAndKnowsAliases) {
  ASSERT_NE(FindFieldByName("Title"), nullptr);
  EXPECT_EQ(FindFieldByName("title")->id, FieldId::kTitle);
  EXPECT_EQ(FindFieldByName("org")->id, FieldId::kInstitution);
  EXPECT_EQ(FindFieldByName("nosuch"), nullptr);
  EXPECT_EQ(FindFieldByName(""), nullptr);
}

TEST(StoredArticleTest, RoundTrip) {
  StoredArticle a{"id1", "Title “quoted”", "2023-11-14T00:00:00Z", "Src", "Au", "http://x",
                  "Body\nline two", "file.jsonl:3"};
  StoredArticle b;
  ASSERT_TRUE(DecodeStoredArticle(EncodeStoredArticle(a), &b).ok());
  EXPECT_EQ(b.id, a.id);
  EXPECT_EQ(b.title, a.title);
  EXPECT_EQ(b.body, a.body);
  EXPECT_EQ(b.origin, a.origin);
  EXPECT_FALSE(DecodeStoredArticle("not json", &b).ok());
}

// DecodeStoredArticle reads the header with a fast reader and falls back to nlohmann::json for
// anything unusual; both must give the same fields.
TEST(StoredArticleTest, DecodesEscapesUnicodeAndUnusualHeadersAlike) {
  StoredArticle a{"id\"1\\", "Tab\there / “quoted” Erdoğan 𝄞", "", "Src", "Au", "http://x",
                  "Body\nline two", "file.jsonl:3"};
  a.people = {"Recep Tayyip Erdoğan", "A \"B\" C"};
  a.places = {"Zürich"};
  a.title += '\x01';  // a control character: written as \u0001
  StoredArticle b;
  ASSERT_TRUE(DecodeStoredArticle(EncodeStoredArticle(a), &b).ok());
  EXPECT_EQ(b.id, a.id);
  EXPECT_EQ(b.title, a.title);
  EXPECT_EQ(b.people, a.people);
  EXPECT_EQ(b.places, a.places);
  EXPECT_TRUE(b.institutions.empty());
  EXPECT_EQ(b.body, a.body);

  // Unknown keys and values of other types are ignored; a repeated key keeps its last value.
  ASSERT_TRUE(DecodeStoredArticle(R"({"id":"x","n":3,"title":null,"people":["a",1,"b"],"x":{"y":[]}})"
                                  "\nbody",
                                  &b)
                  .ok());
  EXPECT_EQ(b.id, "x");
  EXPECT_EQ(b.title, "");
  EXPECT_EQ(b.people, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(b.body, "body");
  ASSERT_TRUE(DecodeStoredArticle("{\"id\":\"x\",\"id\":\"y\"}\n", &b).ok());
  EXPECT_EQ(b.id, "y");
  ASSERT_TRUE(DecodeStoredArticle(" { \"id\" : \"\\u00e9\\/\" , \"topics\" : [ ] } \n", &b).ok());
  EXPECT_EQ(b.id, "é/");
  EXPECT_TRUE(b.topics.empty());

  // Not a Dossier header: refused, whichever reader saw it.
  EXPECT_FALSE(DecodeStoredArticle("{\"id\":\"x\"} trailing\n", &b).ok());
  EXPECT_FALSE(DecodeStoredArticle("{\"id\":\"\xC0\xAF\"}\n", &b).ok());  // overlong UTF-8
  EXPECT_FALSE(DecodeStoredArticle("[\"id\"]\n", &b).ok());
  EXPECT_FALSE(DecodeStoredArticle("{\"id\":\"x\"}", &b).ok());  // no line break
}

TEST(DatesTest, CivilRoundTrip) {
  int64_t s = SecondsFromCivil(2023, 11, 14);
  EXPECT_EQ(s, 1699920000);
  int y, m, d;
  CivilFromSeconds(s + 3600, &y, &m, &d);
  EXPECT_EQ(y, 2023);
  EXPECT_EQ(m, 11);
  EXPECT_EQ(d, 14);
  CivilFromSeconds(-1, &y, &m, &d);
  EXPECT_EQ(y, 1969);
  EXPECT_EQ(d, 31);
  EXPECT_EQ(FormatIsoDateTime(s + 3661), "2023-11-14T01:01:01Z");
}

TEST(DatesTest, QueryDatesCoverWholePeriods) {
  EXPECT_EQ(ParseQueryDate("2023", false), SecondsFromCivil(2023, 1, 1));
  EXPECT_EQ(ParseQueryDate("2023", true), SecondsFromCivil(2024, 1, 1) - 1);
  EXPECT_EQ(ParseQueryDate("2024-02", true), SecondsFromCivil(2024, 3, 1) - 1);  // leap year
  EXPECT_EQ(ParseQueryDate("2023-11-14", true), SecondsFromCivil(2023, 11, 15) - 1);
  EXPECT_EQ(ParseQueryDate("20231114", false), SecondsFromCivil(2023, 11, 14));
  EXPECT_EQ(ParseQueryDate("2023-11-14T10:30:00Z", false), SecondsFromCivil(2023, 11, 14) + 37800);
  EXPECT_FALSE(ParseQueryDate("2023-02-30", false));
  EXPECT_FALSE(ParseQueryDate("2023-13", false));
  EXPECT_FALSE(ParseQueryDate("yesterday", false));
  EXPECT_FALSE(ParseQueryDate("", false));
  EXPECT_FALSE(ParseQueryDate("0000", false));
}

TEST(EntityNamesTest, Normalisation) {
  EXPECT_EQ(NormalizeEntityName("U.S. State-Department "), "u s state department");
  EXPECT_EQ(NormalizeEntityName("O'Brien"), "o'brien");
  EXPECT_EQ(EntityTerm(FieldId::kPerson, "Antony Blinken"), Prefix(FieldId::kPerson) + "antony blinken");
}

class QueryParserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::Document d;
    d.add_boolean_term(EntityTerm(FieldId::kPerson, "Daniel Brown"));
    d.add_boolean_term(EntityTerm(FieldId::kPerson, "Margaret Brown"));
    d.add_boolean_term(EntityTerm(FieldId::kPerson, "Antony Blinken"));
    db_.add_document(d);
    ConfigureQueryParser(qp_, db_);
  }
  std::string Parse(const std::string& q) {
    return qp_.parse_query(q, QueryParserFlags()).get_description();
  }
  Xapian::WritableDatabase db_;
  Xapian::QueryParser qp_;
};

TEST_F(QueryParserTest, FreeTextFieldsUseTheirPrefix) {
  EXPECT_NE(Parse("title:ceasefire").find("ZSceasefir"), std::string::npos) << Parse("title:ceasefire");
  EXPECT_NE(Parse("author:smith").find("ZAsmith"), std::string::npos);
}

TEST_F(QueryParserTest, BooleanAndDateFields) {
  EXPECT_NE(Parse("year:2023").find("Y2023"), std::string::npos);
  EXPECT_NE(Parse("month:2023-11").find("M202311"), std::string::npos);
  EXPECT_NE(Parse("day:2023-11-14").find("D20231114"), std::string::npos);
  EXPECT_NE(Parse("date:2023..2024").find("VALUE_RANGE"), std::string::npos);
  EXPECT_NE(Parse("date:2023..").find("VALUE_GE"), std::string::npos);
  EXPECT_NE(Parse("date:2023-11").find("VALUE_RANGE"), std::string::npos);
  EXPECT_THROW(Parse("date:soon..later"), Xapian::QueryParserError);
  EXPECT_THROW(Parse("month:eleven"), Xapian::QueryParserError);
}

TEST_F(QueryParserTest, EntityFieldsMatchPartsOfNames) {
  std::string blinken = Parse("person:blinken");
  EXPECT_NE(blinken.find("XPantony blinken"), std::string::npos) << blinken;
  std::string brown = Parse("person:brown");
  EXPECT_NE(brown.find("XPdaniel brown"), std::string::npos) << brown;
  EXPECT_NE(brown.find("XPmargaret brown"), std::string::npos) << brown;
  std::string exact = Parse("person:\"Margaret Brown\"");
  EXPECT_EQ(exact.find("daniel"), std::string::npos) << exact;
  EXPECT_NE(Parse("person:nobody").find("XPnobody"), std::string::npos);
}

TEST_F(QueryParserTest, BareSurnameStillReachesFullNames) {
  Xapian::Document d;
  d.add_boolean_term(EntityTerm(FieldId::kPerson, "Alvarez"));
  d.add_boolean_term(EntityTerm(FieldId::kPerson, "Andrew Alvarez"));
  db_.add_document(d);
  std::string q = Parse("person:alvarez");
  EXPECT_NE(q.find("XPalvarez"), std::string::npos) << q;
  EXPECT_NE(q.find("XPandrew alvarez"), std::string::npos) << q;
}

// EncodeStoredStatement writes the bytes nlohmann's dump() writes (as the statement data always
// was), for any text: quotes, backslashes, control characters, multi-byte UTF-8, and bytes that
// are not UTF-8 (replaced by U+FFFD, as before).
TEST(StoredStatementTest, EncodesAsNlohmannDoesAndRoundTrips) {
  const std::vector<std::string> pieces = {
      "a", "Blinken", " ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", std::string(1, '\0'),
      "\x01", "\x1f", "\x7f", "/", "\u00e9", "\u20ac", "\U0001d11e", "\u2028",
      "\xff", "\x80", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"};
  std::mt19937 rng(7);
  auto text = [&](bool utf8_only) {
    std::string t;
    const size_t n = rng() % 12;
    for (size_t i = 0; i < n; ++i) {
      const size_t k = rng() % (utf8_only ? pieces.size() - 6 : pieces.size());
      t += pieces[k];
    }
    return t;
  };
  for (int round = 0; round < 3000; ++round) {
    const bool utf8_only = round % 3 != 0;
    StoredStatement s;
    s.article_id = text(utf8_only);
    s.title = text(utf8_only);
    s.date = round % 2 ? "2024-05-15T00:00:00Z" : "";
    s.source = text(utf8_only);
    s.speaker = text(utf8_only);
    s.speaker_type = round % 2 ? "person" : "institution";
    s.cue = text(utf8_only);
    s.direct = round % 2 == 0;
    s.text = text(utf8_only);
    s.start = rng() % 100000;
    s.end = round == 5 ? UINT64_MAX : s.start + rng() % 1000;
    s.in_title = round % 5 == 0;
    for (size_t i = 0, n = rng() % 3; i < n; ++i) s.topics.push_back(text(utf8_only));
    const nlohmann::json ref = {{"article_id", s.article_id}, {"title", s.title},
                                {"date", s.date},             {"source", s.source},
                                {"speaker", s.speaker},       {"speaker_type", s.speaker_type},
                                {"cue", s.cue},               {"direct", s.direct},
                                {"text", s.text},             {"start", s.start},
                                {"end", s.end},               {"in_title", s.in_title},
                                {"topics", s.topics}};
    const std::string encoded = EncodeStoredStatement(s);
    ASSERT_EQ(encoded, ref.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        << round;
    if (!utf8_only) continue;
    StoredStatement back;
    ASSERT_TRUE(DecodeStoredStatement(encoded, &back).ok()) << encoded;
    EXPECT_EQ(back.text, s.text);
    EXPECT_EQ(back.topics, s.topics);
    EXPECT_EQ(back.end, s.end);
    EXPECT_EQ(back.in_title, s.in_title);
  }
}

}  // namespace
}  // namespace dossier::schema
