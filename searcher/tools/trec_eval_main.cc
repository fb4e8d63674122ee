// dossier-trec-eval: MAP, P@10 and nDCG@10 of a TREC run file against a qrels file.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "searcher/trec_eval.h"

using namespace dossier;

int main(int argc, char** argv) {
  bool json = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") json = true;
    else if (a == "--help" || a == "-h") {
      std::cout << "Usage: dossier-trec-eval [--json] QRELS RUN\n\n"
                   "Prints MAP, P@10 and nDCG@10 (gain = grade, log2(rank+1) discount) of RUN\n"
                   "(QID Q0 DOCID RANK SCORE TAG lines) averaged over the queries of QRELS\n"
                   "(QID ITER DOCID REL lines) that have a relevant document; a query missing from\n"
                   "RUN counts 0. Ranks are taken as given (no re-sorting by score).\n";
      return 0;
    } else files.push_back(a);
  }
  if (files.size() != 2) {
    std::fprintf(stderr, "dossier-trec-eval: want QRELS and RUN (see --help)\n");
    return 2;
  }
  std::ifstream q(files[0]), r(files[1]);
  if (!q || !r) {
    std::fprintf(stderr, "dossier-trec-eval: cannot read '%s'\n", (!q ? files[0] : files[1]).c_str());
    return 2;
  }
  searcher::Qrels qrels;
  searcher::Run run;
  Status s = searcher::ReadQrels(q, &qrels);
  if (s.ok()) s = searcher::ReadRun(r, &run);
  if (!s.ok()) {
    std::fprintf(stderr, "dossier-trec-eval: %s\n", s.message().c_str());
    return 2;
  }
  searcher::Evaluation e = searcher::Evaluate(qrels, run);
  if (json) {
    std::cout << nlohmann::json{{"queries", e.queries}, {"map", e.map}, {"p10", e.p10}, {"ndcg10", e.ndcg10}}.dump() << "\n";
  } else {
    std::printf("queries %zu  MAP %.4f  P@10 %.4f  nDCG@10 %.4f\n", e.queries, e.map, e.p10, e.ndcg10);
  }
  return 0;
}
