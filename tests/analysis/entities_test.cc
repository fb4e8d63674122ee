// Tests for indexer/entities.cc: name detection, canonical names, surname and alias
// resolution, topic phrases, offsets; the seed article when ../shared is present.
#include "indexer/entities.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <random>
#include <thread>

#include "indexer/ner.h"

namespace dossier::indexer {
namespace {

using schema::Codebook;
using schema::EntityType;
using Strings = std::vector<std::string>;

bool Has(const Strings& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class EntitiesTest : public ::testing::Test {
 protected:
  EntityExtractor extractor_{Codebook::Default()};
};

TEST_F(EntitiesTest, TheTaggerModelIsEmbedded) {
  ASSERT_NE(NerModel::Embedded(), nullptr)
      << "indexer/models/ner-conll2003.bin missing or built for other features";
  EXPECT_TRUE(extractor_.has_tagger());
}

TEST_F(EntitiesTest, ResolvesTitlesAliasesAndSurnamesToCanonicalNames) {
  ArticleEntities e = extractor_.Extract(
      "Blinken visits Cairo",
      "Secretary of State Antony Blinken met officials of the US State Department on Monday. "
      "Blinken said the Department of State would respond. Mr Blinken later left.");
  EXPECT_EQ(e.people, Strings{"Antony Blinken"});
  EXPECT_EQ(e.institutions, Strings{"US Department of State"});
  EXPECT_TRUE(Has(e.places, "Cairo"));
}

TEST_F(EntitiesTest, SurnameResolvesToTheFullNameUsedEarlierInTheArticle) {
  ArticleEntities e = extractor_.Extract(
      "", "Chancellor Gordon Brown defended the budget on Tuesday. Speaking in London, Mr Brown "
          "said the Treasury had kept its promises. Brown also met Hamid Karzai.");
  EXPECT_TRUE(Has(e.people, "Gordon Brown"));
  EXPECT_FALSE(Has(e.people, "Brown"));
  EXPECT_FALSE(Has(e.people, "Mr Brown"));
  int brown = 0;
  for (const auto& m : e.mentions) brown += m.canonical == "Gordon Brown";
  EXPECT_EQ(brown, 3);
}

TEST_F(EntitiesTest, FindsNamesThatNoCodebookLists) {
  ArticleEntities e = extractor_.Extract(
      "", "Local farmer Maria Kowalczyk told the Grimsby Fishing Cooperative that prices had "
          "collapsed, according to a statement from Northfield Logistics Ltd.");
  EXPECT_TRUE(Has(e.people, "Maria Kowalczyk")) << ::testing::PrintToString(e.people);
  EXPECT_TRUE(Has(e.institutions, "Northfield Logistics Ltd"))
      << ::testing::PrintToString(e.institutions);
}

TEST_F(EntitiesTest, RuleBasedFallbackUsesCues) {
  EntityExtractor rules(Codebook::Default());
  rules.DisableTaggerForTesting();
  ArticleEntities e = rules.Extract(
      "", "The report was written by Mr Kowalczyk and the Northfield Shipping Company.");
  EXPECT_TRUE(Has(e.people, "Kowalczyk")) << ::testing::PrintToString(e.people);
  EXPECT_TRUE(Has(e.institutions, "Northfield Shipping Company"))
      << ::testing::PrintToString(e.institutions);
  EXPECT_FALSE(Has(e.people, "The"));
}

TEST_F(EntitiesTest, MatchesTopicPhrasesInAnyCaseAndPlural) {
  ArticleEntities e = extractor_.Extract(
      "Talks on a Cease-Fire", "Negotiators discussed a humanitarian pause and the release of "
                               "the remaining hostages; interest rates were not mentioned.");
  EXPECT_TRUE(Has(e.topics, "ceasefire"));
  EXPECT_TRUE(Has(e.topics, "hostages"));
  EXPECT_TRUE(Has(e.topics, "interest rates"));
  EXPECT_FALSE(Has(e.topics, "climate"));
}

TEST_F(EntitiesTest, MentionOffsetsPointAtTheSurfaceForm) {
  std::string title = "Hamas rejects plan";
  std::string body = "A spokesman for Hamas\xE2\x80\x99s political bureau spoke to the UN "
                     "General Assembly.";
  ArticleEntities e = extractor_.Extract(title, body);
  ASSERT_FALSE(e.mentions.empty());
  EXPECT_TRUE(e.mentions[0].in_title);
  bool saw_assembly = false;
  for (const auto& m : e.mentions) {
    const std::string& text = m.in_title ? title : body;
    std::string surface = text.substr(m.begin, m.end - m.begin);
    if (m.canonical == "Hamas") {
      EXPECT_EQ(surface, "Hamas");
    }
    if (m.canonical == "UN General Assembly") {
      EXPECT_EQ(surface, "UN General Assembly");
      saw_assembly = true;
    }
  }
  EXPECT_TRUE(saw_assembly);
  EXPECT_EQ(e.institutions.front(), "Hamas");
}

TEST_F(EntitiesTest, UserCodebookAddsEntities) {
  Codebook book = Codebook::Default();
  ASSERT_TRUE(book.LoadString("person\tJane Q. Archivist\tJ. Q. Archivist|Archivist\n"
                              "topic\tpaper shortage\tpulp prices\n",
                              "user.tsv")
                  .ok());
  EntityExtractor ex(book);
  ArticleEntities e = ex.Extract("", "Pulp prices rose, J. Q. Archivist warned.");
  EXPECT_TRUE(Has(e.people, "Jane Q. Archivist")) << ::testing::PrintToString(e.people);
  EXPECT_TRUE(Has(e.topics, "paper shortage"));
}

TEST_F(EntitiesTest, EmptyAndOddInputIsHarmless) {
  EXPECT_TRUE(extractor_.Extract("", "").mentions.empty());
  ArticleEntities e = extractor_.Extract("\xFF\xFE", std::string(3, '\0') + "Mr \n\n ...");
  EXPECT_TRUE(e.people.empty());
}

TEST_F(EntitiesTest, PossessivesTitlesAndFunctionWordsAreNotPeople) {
  ArticleEntities e = extractor_.Extract(
      "", "Israel\xE2\x80\x99s government rejected the plan. The Secretary said nothing. "
          "Source: Reuters. President Emmanuel Macron\xE2\x80\x99s office disagreed.");
  for (const char* bad : {"Israel", "Israel's", "Israel\xE2\x80\x99s", "The", "Secretary", "Source",
                          "President"})
    EXPECT_FALSE(Has(e.people, bad)) << bad << " in " << ::testing::PrintToString(e.people);
  EXPECT_TRUE(Has(e.people, "Emmanuel Macron")) << ::testing::PrintToString(e.people);
  EXPECT_TRUE(Has(e.places, "Israel"));
  EXPECT_TRUE(Has(e.institutions, "Reuters"));
}

TEST_F(EntitiesTest, FirstNameAloneResolvesToTheOnlyPersonWithIt) {
  ArticleEntities e = extractor_.Extract(
      "", "Sir Digby Wrenfield, the director general, spoke first. Later Sir Digby added that "
          "the rules were clear.");
  EXPECT_EQ(e.people, Strings{"Digby Wrenfield"});
}

TEST_F(EntitiesTest, HeadlinesInCapitalsStillYieldNames) {
  ArticleEntities e = extractor_.Extract("NATO CHIEF STOLTENBERG VISITS KYIV",
                                         "Jens Stoltenberg arrived on Monday.");
  EXPECT_TRUE(Has(e.people, "Jens Stoltenberg")) << ::testing::PrintToString(e.people);
  EXPECT_TRUE(Has(e.institutions, "North Atlantic Treaty Organization"))
      << ::testing::PrintToString(e.institutions);
  // The capitals headline must not turn "WHO" the pronoun into the World Health Organization.
  e = extractor_.Extract("MAN WHO SOLD THE BRIDGE IS JAILED", "A man was jailed.");
  EXPECT_FALSE(Has(e.institutions, "World Health Organization"));
}

TEST_F(EntitiesTest, ReportsSentenceBoundaries) {
  std::string body = "Mr. Brown spoke. He left at 5 p.m. on Friday.\nNew paragraph";
  ArticleEntities e = extractor_.Extract("A title", body);
  ASSERT_EQ(e.sentences.size(), 4u);
  EXPECT_TRUE(e.sentences[0].in_title);
  EXPECT_EQ(body.substr(e.sentences[2].begin, e.sentences[2].end - e.sentences[2].begin),
            "He left at 5 p.m. on Friday.");
}

TEST_F(EntitiesTest, ExtractIsThreadSafe) {
  std::string body;
  for (int i = 0; i < 50; ++i)
    body += "Chancellor Gordon Brown told the House of Commons that Mr Brown's budget would cut "
            "interest rates, the Bank of England said. ";
  ArticleEntities expected = extractor_.Extract("Budget", body);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 20; ++k) {
        ArticleEntities got = extractor_.Extract("Budget", body);
        ok[t] += got.people == expected.people && got.institutions == expected.institutions &&
                 got.mentions.size() == expected.mentions.size();
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, (std::vector<int>{20, 20, 20, 20}));
  EXPECT_EQ(expected.people, Strings{"Gordon Brown"});
}

TEST_F(EntitiesTest, RandomBytesKeepOffsetsInsideTheText) {
  std::mt19937 rng(7);
  const std::string alphabet = "Ab .'\"-\n\xE2\x80\x99\xC3\x89\xFFMr";
  for (int round = 0; round < 300; ++round) {
    std::string title, body;
    for (int i = 0; i < 40; ++i) title += static_cast<char>(rng() % 256);
    for (int i = 0; i < 400; ++i)
      body += (rng() % 2) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    ArticleEntities e = extractor_.Extract(title, body);
    for (const auto& m : e.mentions) {
      ASSERT_LT(m.begin, m.end);
      ASSERT_LE(m.end, (m.in_title ? title : body).size());
    }
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(EntitiesTest, SeedArticle) {
  std::string path =
      std::string(DOSSIER_SHARED_CORPORA) + "/seed/state-department-dissent-memo.txt";
  std::string body = ReadFile(path);
  if (body.empty()) GTEST_SKIP() << "shared corpora not found at " << path;
  ArticleEntities e = extractor_.Extract("", body);
  SCOPED_TRACE(::testing::PrintToString(e.people) + ::testing::PrintToString(e.institutions) +
               ::testing::PrintToString(e.topics));
  EXPECT_TRUE(Has(e.people, "Antony Blinken"));
  for (const char* org : {"US Department of State", "Politico", "Hamas", "UN General Assembly"})
    EXPECT_TRUE(Has(e.institutions, org)) << org;
  for (const char* topic : {"ceasefire", "civilian casualties", "arms transfers"})
    EXPECT_TRUE(Has(e.topics, topic)) << topic;
  for (const char* bad : {"Source", "Secretary", "The", "Israel\xE2\x80\x99s", "Israel's", "Israel"})
    EXPECT_FALSE(Has(e.people, bad)) << bad;
  EXPECT_FALSE(Has(e.institutions, "Source"));
  for (const auto& m : e.mentions) {
    std::string surface = body.substr(m.begin, m.end - m.begin);
    if (m.canonical == "Antony Blinken") {
      EXPECT_TRUE(surface == "Antony Blinken" || surface == "Blinken") << surface;
    }
  }
}

}  // namespace
}  // namespace dossier::indexer
