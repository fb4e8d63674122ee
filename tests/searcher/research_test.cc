// Tests for the research features: periods, histograms, duplicate groups, concordances, G².
#include <gtest/gtest.h>
#include <xapian.h>

#include "schema/schema.h"
#include "searcher/kwic.h"
#include "searcher/research.h"
#include "searcher/significant.h"
#include "searcher/trec_eval.h"

#include <sstream>

namespace dossier::searcher {
namespace {

int64_t At(const char* date) { return *schema::ParseQueryDate(date, false); }

TEST(PeriodTest, LabelsAndIsoWeeks) {
  EXPECT_EQ(PeriodLabel(Period::kDay, PeriodStart(Period::kDay, At("1987-03-26T15:01:01Z"))), "1987-03-26");
  EXPECT_EQ(PeriodLabel(Period::kMonth, PeriodStart(Period::kMonth, At("1987-03-26"))), "1987-03");
  EXPECT_EQ(PeriodLabel(Period::kYear, PeriodStart(Period::kYear, At("1987-03-26"))), "1987");
  // ISO weeks, checked against Python's date.isocalendar().
  EXPECT_EQ(PeriodLabel(Period::kWeek, PeriodStart(Period::kWeek, At("1987-03-26"))), "1987-W13");
  EXPECT_EQ(PeriodLabel(Period::kWeek, PeriodStart(Period::kWeek, At("2021-01-03"))), "2020-W53");
  EXPECT_EQ(PeriodLabel(Period::kWeek, PeriodStart(Period::kWeek, At("2020-12-31"))), "2020-W53");
  EXPECT_EQ(PeriodLabel(Period::kWeek, PeriodStart(Period::kWeek, At("2024-12-30"))), "2025-W01");
  // A week starts on Monday.
  EXPECT_EQ(PeriodStart(Period::kWeek, At("2023-11-16")), At("2023-11-13"));
  EXPECT_EQ(NextPeriodStart(Period::kMonth, At("2023-12-01")), At("2024-01-01"));
  EXPECT_EQ(NextPeriodStart(Period::kWeek, At("2023-11-13")), At("2023-11-20"));
}

// An in-memory database of dated documents with duplicate groups.
Xapian::Database MakeDb() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  struct Doc {
    const char* date;  // "" for undated
    const char* group;
    const char* people;
  };
  const Doc docs[] = {{"2023-01-05", "g1", "Ann\nBob"}, {"2023-01-20", "g1", "Ann"},
                      {"2023-03-02", "g2", "Bob"},      {"", "g3", ""},
                      {"2023-04-10", "g1", "Ann"}};
  for (const Doc& d : docs) {
    Xapian::Document doc;
    doc.add_term("x");
    if (*d.date) doc.add_value(schema::kSlotDate, Xapian::sortable_serialise(At(d.date)));
    doc.add_value(schema::kSlotGroup, d.group);
    if (*d.people) doc.add_value(schema::kSlotPeople, d.people);
    db.add_document(doc);
  }
  db.commit();
  return db;
}

Histogram RunSpy(const Xapian::Database& db, HistogramSpy* spy, GroupSpy* groups = nullptr,
              std::optional<int64_t> from = std::nullopt) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("x"));
  enquire.add_matchspy(spy);
  if (groups) enquire.add_matchspy(groups);
  enquire.get_mset(0, 10, db.get_doccount());
  Histogram h;
  std::string error;
  EXPECT_TRUE(spy->Result(10, from, std::nullopt, &h, &error)) << error;
  return h;
}

TEST(HistogramTest, EmptyPeriodsAreZeroAndRowsAddUpToTotal) {
  Xapian::Database db = MakeDb();
  HistogramSpy spy(Period::kMonth, std::nullopt, false);
  Histogram h = RunSpy(db, &spy);
  ASSERT_EQ(h.rows.size(), 5u);
  EXPECT_EQ(h.rows[0].period, "2023-01");
  EXPECT_EQ(h.rows[0].count, 2u);
  EXPECT_EQ(h.rows[1].period, "2023-02");
  EXPECT_EQ(h.rows[1].count, 0u);
  EXPECT_EQ(h.rows[3].period, "2023-04");
  EXPECT_EQ(h.rows[4].period, kUndatedLabel);
  EXPECT_EQ(h.rows[4].count, 1u);
  uint64_t sum = 0;
  for (const HistogramRow& r : h.rows) sum += r.count;
  EXPECT_EQ(sum, h.total);
  EXPECT_EQ(h.total, 5u);
}

TEST(HistogramTest, FromWidensTheSpan) {
  Xapian::Database db = MakeDb();
  HistogramSpy spy(Period::kMonth, std::nullopt, false);
  Histogram h = RunSpy(db, &spy, nullptr, At("2022-11-15"));
  EXPECT_EQ(h.rows.front().period, "2022-11");
  EXPECT_EQ(h.rows.front().count, 0u);
}

TEST(HistogramTest, GroupsCountOnceAtTheirEarliestDate) {
  Xapian::Database db = MakeDb();
  HistogramSpy spy(Period::kMonth, std::nullopt, true);
  GroupSpy groups;
  Histogram h = RunSpy(db, &spy, &groups);
  EXPECT_TRUE(h.groups);
  EXPECT_EQ(h.total, 3u);
  EXPECT_EQ(groups.groups(), 3u);
  ASSERT_EQ(h.rows.size(), 4u);     // January to March, then undated: g1's April copy is
  EXPECT_EQ(h.rows[0].count, 1u);   // not counted again, g1 counts in January
  EXPECT_EQ(h.rows[2].count, 1u);
  EXPECT_EQ(h.rows[3].period, kUndatedLabel);
}

TEST(HistogramTest, SplitByFacetGivesOneSeriesPerTopValue) {
  Xapian::Database db = MakeDb();
  HistogramSpy spy(Period::kMonth, FacetKind::kPerson, false);
  Histogram h = RunSpy(db, &spy);
  ASSERT_EQ(h.series.size(), 2u);
  EXPECT_EQ(h.series[0], "Ann");  // 3 articles
  EXPECT_EQ(h.series[1], "Bob");  // 2
  uint64_t ann = 0;
  for (const HistogramRow& r : h.rows)
    if (r.series == "Ann") ann += r.count;
  EXPECT_EQ(ann, 3u);
}

TEST(HistogramTest, RefusesTooManyPeriods) {
  Xapian::Database db = MakeDb();
  HistogramSpy spy(Period::kDay, std::nullopt, false);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("x"));
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 10, db.get_doccount());
  Histogram h;
  std::string error;
  EXPECT_FALSE(spy.Result(10, At("1900-01-01"), std::nullopt, &h, &error, 1000));
  EXPECT_NE(error.find("more than 1000 days"), std::string::npos) << error;
}

TEST(KwicTest, MatchesStemsPhrasesAndPrefixes) {
  const std::string text = "Talks resumed. The talk of peace  talking, and peace-talks; Negotiators negotiate.";
  EXPECT_EQ(KwicMatcher("talks").Find(text).size(), 4u);
  auto phrase = KwicMatcher("peace talks").Find(text);
  ASSERT_EQ(phrase.size(), 2u);
  EXPECT_EQ(text.substr(phrase[0].start, phrase[0].end - phrase[0].start), "peace  talking");
  EXPECT_EQ(KwicMatcher("negotiat*").Find(text).size(), 2u);
  EXPECT_TRUE(KwicMatcher(" ,. ").empty());
}

TEST(KwicTest, ContextIsCutToWidthWithSpacesFolded) {
  const std::string text = "one two\nthree  ceasefire four five six";
  auto o = KwicMatcher("ceasefire").Find(text);
  ASSERT_EQ(o.size(), 1u);
  KwicLine l = MakeKwicLine(text, o[0], 8);
  EXPECT_EQ(l.left, "o three ");
  EXPECT_EQ(l.match, "ceasefire");
  EXPECT_EQ(l.right, " four fi");
  EXPECT_EQ(CodePoints("é—x"), 3u);
}

TEST(KwicTest, SortsByLeftContextNearestWordFirst) {
  std::vector<KwicLine> lines(3);
  lines[0].left = "a zebra ";
  lines[1].left = "z apple ";
  lines[2].left = "b mango ";
  SortKwic(KwicSort::kLeft, &lines);
  EXPECT_EQ(lines[0].left, "z apple ");
  EXPECT_EQ(lines[1].left, "b mango ");
  EXPECT_EQ(lines[2].left, "a zebra ");
}

TEST(SignificantTest, LogLikelihoodMatchesHandComputedValues) {
  // N = 1000, k = 20: E = 2, 98, 18, 882;
  // G² = 2 (10 ln 5 + 90 ln 90/98 + 10 ln 10/18 + 890 ln 890/882) = 21.177
  EXPECT_NEAR(LogLikelihoodG2(10, 100, 10, 900), 21.177, 0.001);
  EXPECT_NEAR(LogLikelihoodG2(5, 10, 5, 10), 0.0, 1e-9);  // same rate
  EXPECT_EQ(LogLikelihoodG2(0, 10, 0, 10), 0.0);
}

// Hand-computed: relevant {d1, d3, d6}, retrieved d1..d5.
// AP = (1/1 + 2/3) / 3 = 0.5556; P@10 = 2/10; DCG@10 = 1/log2(2) + 1/log2(4) = 1.5,
// ideal = 1 + 1/log2(3) + 1/log2(4) = 2.1309, nDCG@10 = 0.7039.
TEST(TrecEvalTest, MeasuresMatchHandComputedValues) {
  const std::vector<std::string> ranked = {"d1", "d2", "d3", "d4", "d5"};
  const std::map<std::string, int> rel = {{"d1", 1}, {"d3", 1}, {"d6", 1}, {"d9", 0}};
  EXPECT_NEAR(AveragePrecision(ranked, rel), 0.5556, 1e-4);
  EXPECT_NEAR(PrecisionAt(10, ranked, rel), 0.2, 1e-9);
  EXPECT_NEAR(PrecisionAt(3, ranked, rel), 2.0 / 3, 1e-9);
  EXPECT_NEAR(NdcgAt(10, ranked, rel), 0.7039, 1e-4);
  // Graded: DCG = 1 + 2/log2(3) = 2.2619, ideal = 2 + 1/log2(3) = 2.6309, nDCG = 0.8597.
  EXPECT_NEAR(NdcgAt(10, {"d1", "d2"}, {{"d2", 2}, {"d1", 1}}), 0.8597, 1e-4);
}

TEST(TrecEvalTest, EvaluatesRunFilesOverQueriesWithRelevantDocuments) {
  std::istringstream qrels("1 0 d1 1\n1 0 d3 1\n1 0 d6 1\n2 0 x 1\n3 0 y 0\n");
  // Lines out of rank order on purpose: ranks, not line order, count.
  std::istringstream run("1 Q0 d2 2 9.0 t\n1 Q0 d1 1 9.5 t\n1 Q0 d3 3 8 t\n1 Q0 d4 4 7 t\n1 Q0 d5 5 6 t\n");
  Qrels q;
  searcher::Run r;
  ASSERT_TRUE(ReadQrels(qrels, &q).ok());
  ASSERT_TRUE(ReadRun(run, &r).ok());
  Evaluation e = Evaluate(q, r);
  EXPECT_EQ(e.queries, 2u);  // query 3 has no relevant document; query 2 is missing: 0
  EXPECT_NEAR(e.map, 0.5556 / 2, 1e-4);
  EXPECT_NEAR(e.p10, 0.1, 1e-9);
  EXPECT_NEAR(e.ndcg10, 0.7039 / 2, 1e-4);
  std::istringstream bad("1 Q0 d1\n");
  EXPECT_FALSE(ReadRun(bad, &r).ok());
}

}  // namespace
}  // namespace dossier::searcher
