// Tests for query checking, display titles and output helpers.
#include <gtest/gtest.h>

#include "searcher/output.h"
#include "searcher/search.h"

namespace dossier::searcher {
namespace {

TEST(CheckQuerySyntaxTest, AcceptsGoodQueries) {
  for (const char* q : {"ceasefire", "\"restoring calm\" OR truce", "(a OR b) AND c", "title:x",
                        "org:\"state department\"", "date:2023..2024", "a -b +c", "http://x.org",
                        "it's 10:30", "x NEAR/3 y"}) {
    EXPECT_TRUE(CheckQuerySyntax(q).ok()) << q << ": " << CheckQuerySyntax(q).message();
  }
}

TEST(CheckQuerySyntaxTest, PointsAtTheProblem) {
  Status s = CheckQuerySyntax("peace \"talks");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("column 7"), std::string::npos) << s.message();
  s = CheckQuerySyntax("(a OR (b)");
  EXPECT_NE(s.message().find("'(' at column 1 is not closed"), std::string::npos) << s.message();
  s = CheckQuerySyntax("a) b");
  EXPECT_NE(s.message().find("')' at column 2"), std::string::npos) << s.message();
  s = CheckQuerySyntax("foo:bar");
  EXPECT_NE(s.message().find("unknown field 'foo:'"), std::string::npos) << s.message();
  EXPECT_TRUE(CheckQuerySyntax("\"foo:bar inside quotes\"").ok());
}

TEST(FirstSentenceTest, StopsAtSentenceEndOrLine) {
  EXPECT_EQ(FirstSentence("One two. Three four."), "One two.");
  EXPECT_EQ(FirstSentence("  Headline\nBody."), "Headline");
  std::string long_text(300, 'a');
  std::string cut = FirstSentence(long_text, 100);
  EXPECT_LE(cut.size(), 104u);
  EXPECT_EQ(FirstSentence("No end"), "No end");
}

TEST(OutputTest, RenderSnippetFoldsSpaceAndMarks) {
  std::string s = std::string("a\n\n b ") + kHighlightStart + "c" + kHighlightEnd + " d";
  EXPECT_EQ(RenderSnippet(s, "[", "]"), "a b [c] d");
  EXPECT_EQ(RenderSnippet(s, "", ""), "a b c d");
}

TEST(OutputTest, CsvQuoting) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(OutputTest, FormatNames) {
  OutputFormat f;
  EXPECT_TRUE(ParseOutputFormat("jsonl", &f));
  EXPECT_EQ(f, OutputFormat::kJsonl);
  EXPECT_FALSE(ParseOutputFormat("xml", &f));
}

}  // namespace
}  // namespace dossier::searcher
