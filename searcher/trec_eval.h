// A small ranking evaluator (the measures of trec_eval that Dossier reports): MAP, P@k and
// nDCG@k of a TREC run against TREC qrels.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "schema/status.h"

namespace dossier::searcher {

// qid -> docid -> relevance grade (> 0 relevant). Lines "QID ITER DOCID REL".
using Qrels = std::map<std::string, std::map<std::string, int>>;
// qid -> docids in rank order. Lines "QID Q0 DOCID RANK SCORE TAG"; sorted by RANK.
using Run = std::map<std::string, std::vector<std::string>>;

// Parse errors are InvalidArgument naming the line.
Status ReadQrels(std::istream& in, Qrels* out);
Status ReadRun(std::istream& in, Run* out);

// Average precision: the mean over the R relevant documents of the precision at the rank
// where each is retrieved (0 for those never retrieved). 0 when R = 0.
double AveragePrecision(const std::vector<std::string>& ranked, const std::map<std::string, int>& rel);
// Relevant documents among the first k, divided by k (missing ranks count as not relevant).
double PrecisionAt(size_t k, const std::vector<std::string>& ranked, const std::map<std::string, int>& rel);
// DCG@k / ideal DCG@k with gain = grade and discount log2(rank + 1), as trec_eval's ndcg_cut.
double NdcgAt(size_t k, const std::vector<std::string>& ranked, const std::map<std::string, int>& rel);

struct Evaluation {
  size_t queries = 0;  // queries with at least one relevant document in the qrels
  double map = 0, p10 = 0, ndcg10 = 0;  // means over those queries (a query the run lacks is 0)
};
Evaluation Evaluate(const Qrels& qrels, const Run& run);

}  // namespace dossier::searcher
