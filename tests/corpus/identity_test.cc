// Tests for corpus/identity.cc: FNV-1a values, content hashes, article keys, URL normalisation.
#include "corpus/identity.h"

#include <gtest/gtest.h>

#include <string>

namespace dossier::corpus {
namespace {

Article Sample() {
  Article a;
  a.id = "";
  a.title = "Council approves budget";
  a.date_raw = "2023-11-14";
  a.date = 1699920000;
  a.source = "Gazette";
  a.author = "A. Writer";
  a.url = "https://example.org/budget";
  a.body = "The council approved the budget on Tuesday.";
  a.origin = "a.txt";
  return a;
}

TEST(HashHex, KnownFnv1aValues) {
  // Published FNV-1a 64-bit test vectors.
  EXPECT_EQ(HashHex(""), "cbf29ce484222325");
  EXPECT_EQ(HashHex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(HashHex("foobar"), "85944171f73967e8");
}

TEST(ContentHash, SixteenLowerCaseHexDigits) {
  const std::string h = ContentHash(Sample());
  ASSERT_EQ(h.size(), 16u);
  for (char c : h) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << h;
  EXPECT_EQ(ContentHash(Sample()), h);  // stable
}

TEST(ContentHash, ChangesWithEveryContentField) {
  const std::string base = ContentHash(Sample());
  std::string Article::*fields[] = {&Article::title,  &Article::date_raw, &Article::source,
                                    &Article::author, &Article::url,      &Article::body};
  for (auto field : fields) {
    Article a = Sample();
    a.*field += "x";
    EXPECT_NE(ContentHash(a), base);
  }
}

TEST(ContentHash, IgnoresIdOriginAndParsedDate) {
  const std::string base = ContentHash(Sample());
  Article a = Sample();
  a.id = "other-id";
  a.origin = "b.jsonl:7";
  a.date.reset();
  EXPECT_EQ(ContentHash(a), base);
}

TEST(ContentHash, FieldBoundariesMatter) {
  Article a = Sample();
  Article b = Sample();
  a.title = "ab";
  a.date_raw = "c";
  b.title = "a";
  b.date_raw = "bc";
  EXPECT_NE(ContentHash(a), ContentHash(b));
}

TEST(ArticleKey, GivenIdWins) {
  Article a = Sample();
  a.id = "reuters-17";
  EXPECT_EQ(ArticleKey(a), "reuters-17");
}

TEST(ArticleKey, NormalisedUrlWhenNoId) {
  Article a = Sample();
  a.url = "https://WWW.Example.org/budget/?utm_source=feed#comments";
  EXPECT_EQ(ArticleKey(a), "url:https://example.org/budget");
}

TEST(ArticleKey, ContentHashWhenNoIdNorUrl) {
  Article a = Sample();
  a.url = "";
  const std::string key = ArticleKey(a);
  ASSERT_EQ(key.size(), 18u);
  EXPECT_EQ(key.substr(0, 2), "h:");
  // The date and author are not part of it: a re-dated copy keeps its key.
  Article b = a;
  b.date_raw = "2024-01-01";
  b.author = "Someone Else";
  EXPECT_EQ(ArticleKey(b), key);
  b.body += " Updated.";
  EXPECT_NE(ArticleKey(b), key);
}

TEST(ArticleKey, NeverEmpty) {
  EXPECT_FALSE(ArticleKey(Article{}).empty());
  Article a;
  a.id = "   ";
  a.url = "  ";
  EXPECT_EQ(ArticleKey(a).substr(0, 2), "h:");
}

struct UrlCase {
  const char* in;
  const char* out;
};

class NormalizeUrlTest : public ::testing::TestWithParam<UrlCase> {};

TEST_P(NormalizeUrlTest, Normalises) { EXPECT_EQ(NormalizeUrl(GetParam().in), GetParam().out); }

INSTANTIATE_TEST_SUITE_P(
    Cases, NormalizeUrlTest,
    ::testing::Values(
        UrlCase{"HTTPS://WWW.Example.COM:443/News/Story/?utm_source=x&id=5&fbclid=abc#top",
                "https://example.com/News/Story?id=5"},
        UrlCase{"http://example.com:80/", "http://example.com"},
        UrlCase{"http://example.com:8080/a/", "http://example.com:8080/a"},
        UrlCase{"https://example.com:80/a", "https://example.com:80/a"},
        UrlCase{"https://example.com/a?utm_medium=social&UTM_campaign=z&gclid=1",
                "https://example.com/a"},
        UrlCase{"https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"},
        UrlCase{"  https://example.com/a  ", "https://example.com/a"},
        UrlCase{"https://user@Example.com/x", "https://user@example.com/x"},
        UrlCase{"//www.example.com/x/", "example.com/x"},
        UrlCase{"www.Example.com/Path/", "example.com/Path"},
        UrlCase{"http://[::1]:80/x", "http://[::1]/x"},
        UrlCase{"http://example.com", "http://example.com"}, UrlCase{"", ""},
        UrlCase{"#only-fragment", ""}));

}  // namespace
}  // namespace dossier::corpus
