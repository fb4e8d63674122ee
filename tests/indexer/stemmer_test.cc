// The indexer's caching stemmer (indexer/document_builder.h) gives Xapian's stems exactly,
// for repeated words, after its cache has been emptied, and through a TermGenerator.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

#include "indexer/document_builder.h"
#include "schema/schema.h"

namespace dossier::indexer {
namespace {

std::vector<std::string> Terms(const Xapian::Document& doc) {
  std::vector<std::string> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) out.push_back(*it);
  return out;
}

TEST(CachingStemmerTest, SameStemsAsXapian) {
  Xapian::Stem plain = schema::Stemmer();
  Xapian::Stem cached = CachingStemmer();
  const std::vector<std::string> words = {"negotiations", "negotiating", "ceasefire", "running",
                                          "ran", "", "généralement", "studies", "negotiations"};
  for (int round = 0; round < 2; ++round)
    for (const std::string& w : words) EXPECT_EQ(cached(w), plain(w)) << w;
  // More distinct words than the cache holds: it empties itself and stays right.
  for (int i = 0; i < 70000; ++i) {
    const std::string w = "word" + std::to_string(i) + (i % 2 ? "ing" : "s");
    ASSERT_EQ(cached(w), plain(w)) << w;
  }
  for (const std::string& w : words) EXPECT_EQ(cached(w), plain(w)) << w;
}

TEST(CachingStemmerTest, TermGeneratorIndexesTheSameTerms) {
  const std::string text =
      "Negotiators said the negotiations were running late; the ceasefire talks ran on. "
      "Negotiators say negotiations run.";
  Xapian::Document a, b;
  Xapian::TermGenerator tg;
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  tg.set_stemmer(schema::Stemmer());
  tg.set_document(a);
  tg.index_text(text);
  tg.set_stemmer(CachingStemmer());
  tg.set_document(b);
  tg.index_text(text);
  tg.index_text(text, 1, "XS");  // a second pass: every word now comes from the cache
  tg.set_document(a);
  tg.set_stemmer(schema::Stemmer());
  tg.index_text(text, 1, "XS");
  const std::vector<std::string> terms = Terms(b);
  EXPECT_EQ(Terms(a), terms);
  EXPECT_NE(std::find(terms.begin(), terms.end(), "Znegoti"), terms.end());
}

}  // namespace
}  // namespace dossier::indexer
