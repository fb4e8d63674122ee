// Tests for indexer/tokenize.cc: tokens, offsets, clitics, abbreviations, sentences, folding.
#include "indexer/tokenize.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema/codebook.h"

namespace dossier::indexer {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  Tokenize(text, &toks, &sents);
  std::vector<std::string> out;
  for (const Token& t : toks) out.emplace_back(text.substr(t.begin, t.end - t.begin));
  return out;
}

using Strings = std::vector<std::string>;

TEST(TokenizeTest, SplitsPossessivesAndNegationLikeTheTreebank) {
  EXPECT_EQ(Words("Germany's vet don't"), (Strings{"Germany", "'s", "vet", "do", "n't"}));
  EXPECT_EQ(Words("Israel\xE2\x80\x99s bombing"), (Strings{"Israel", "\xE2\x80\x99s", "bombing"}));
  EXPECT_EQ(Words("Farmers' Union"), (Strings{"Farmers", "'", "Union"}));
  EXPECT_EQ(Words("O'Neill said"), (Strings{"O'Neill", "said"}));
}

TEST(TokenizeTest, KeepsAbbreviationsHyphensAndNumbersTogether) {
  EXPECT_EQ(Words("Mr. Smith of the U.S. said 1,000 cease-fire talks."),
            (Strings{"Mr.", "Smith", "of", "the", "U.S.", "said", "1,000", "cease-fire", "talks",
                     "."}));
  EXPECT_EQ(Words("AT&T (EU-wide) 3.5%"),
            (Strings{"AT&T", "(", "EU-wide", ")", "3.5", "%"}));
  EXPECT_EQ(Words("\xE2\x80\x9Crestoring calm,\xE2\x80\x9D"),
            (Strings{"\xE2\x80\x9C", "restoring", "calm", ",", "\xE2\x80\x9D"}));
}

TEST(TokenizeTest, OffsetsPointIntoTheText) {
  std::string text = "  Hamas\xE2\x80\x99 leader,\n\tMr Haniyeh";
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  Tokenize(text, &toks, &sents);
  ASSERT_EQ(toks.size(), 6u);
  EXPECT_EQ(text.substr(toks[0].begin, toks[0].end - toks[0].begin), "Hamas");
  EXPECT_EQ(toks[0].begin, 2u);
  EXPECT_EQ(text.substr(toks[5].begin, toks[5].end - toks[5].begin), "Haniyeh");
  EXPECT_TRUE(toks[4].flags & kTokNewlineBefore);
}

TEST(TokenizeTest, SplitsSentencesAtFinalPunctuationAndLineBreaks) {
  std::string text = "Mr. Brown spoke. He left at 5 p.m. on Friday! \"Why?\" she asked.\nNext line";
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  Tokenize(text, &toks, &sents);
  std::vector<std::string> got;
  for (const Sentence& s : sents) got.push_back(text.substr(s.begin, s.end - s.begin));
  EXPECT_EQ(got, (Strings{"Mr. Brown spoke.", "He left at 5 p.m. on Friday!",
                          "\"Why?\" she asked.", "Next line"}));
}

// Archives that write both quotation marks as '' (". ''We need ...,'' said"): the opening
// one after a sentence's end starts the next sentence, the closing one ends none.
TEST(TokenizeTest, DoubledApostrophesOpenASentence) {
  std::string text = "The mayor was worried. ''We need help,'' she said. ''Now.''";
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  Tokenize(text, &toks, &sents);
  std::vector<std::string> got;
  for (const Sentence& s : sents) got.push_back(text.substr(s.begin, s.end - s.begin));
  EXPECT_EQ(got, (Strings{"The mayor was worried.", "''We need help,'' she said.", "''Now.''"}));
}

TEST(TokenizeTest, MarksHeadlinesInCapitals) {
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  Tokenize("SOCCER - JAPAN GET LUCKY WIN .\nJapan won.", &toks, &sents);
  ASSERT_EQ(sents.size(), 2u);
  EXPECT_TRUE(sents[0].all_upper);
  EXPECT_FALSE(sents[1].all_upper);
}

TEST(TokenizeTest, FoldingMatchesTheCodebooksFoldName) {
  for (std::string_view w : {"U.S.", "Cease-Fire", "ISRAEL\xE2\x80\x99S", "\xC3\x89lys\xC3\xA9" "e",
                             "AT&T", "Zelenskyy", "n't"}) {
    std::string folded;
    AppendFolded(w, &folded);
    EXPECT_EQ(folded, schema::FoldName(w)) << w;
  }
  EXPECT_EQ(FoldHash("U.S."), FoldHash("us"));
  EXPECT_EQ(FoldHash("cease-fire"), FoldHash("Ceasefire"));
}

TEST(TokenizeTest, SurvivesInvalidUtf8AndEmptyText) {
  EXPECT_TRUE(Words("").empty());
  EXPECT_EQ(Words("caf\xE9 \xFF"), (Strings{"caf\xE9", "\xFF"}));
}

}  // namespace
}  // namespace dossier::indexer
