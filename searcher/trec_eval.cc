// MAP, P@10 and nDCG@10 of a TREC run, computed as trec_eval does (ranks as given).
#include "searcher/trec_eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace dossier::searcher {

Status ReadQrels(std::istream& in, Qrels* out) {
  out->clear();
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream s(line);
    std::string qid, iter, doc;
    int rel;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!(s >> qid >> iter >> doc >> rel)) {
      return Status::InvalidArgument(fmt::format("qrels line {}: want QID ITER DOCID REL", n));
    }
    (*out)[qid][doc] = rel;
  }
  return Status::OK();
}

Status ReadRun(std::istream& in, Run* out) {
  out->clear();
  std::map<std::string, std::vector<std::pair<long, std::string>>> ranked;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream s(line);
    std::string qid, q0, doc, tag;
    long rank;
    double score;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!(s >> qid >> q0 >> doc >> rank >> score >> tag)) {
      return Status::InvalidArgument(fmt::format("run line {}: want QID Q0 DOCID RANK SCORE TAG", n));
    }
    ranked[qid].emplace_back(rank, doc);
  }
  for (auto& [qid, docs] : ranked) {
    std::stable_sort(docs.begin(), docs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [rank, doc] : docs) (*out)[qid].push_back(std::move(doc));
  }
  return Status::OK();
}

namespace {
int Grade(const std::map<std::string, int>& rel, const std::string& doc) {
  auto it = rel.find(doc);
  return it == rel.end() ? 0 : it->second;
}
}  // namespace

double AveragePrecision(const std::vector<std::string>& ranked, const std::map<std::string, int>& rel) {
  size_t r = 0;
  for (const auto& [doc, grade] : rel) r += grade > 0;
  if (r == 0) return 0;
  double sum = 0;
  size_t found = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (Grade(rel, ranked[i]) > 0) sum += static_cast<double>(++found) / (i + 1);
  }
  return sum / r;
}

double PrecisionAt(size_t k, const std::vector<std::string>& ranked, const std::map<std::string, int>& rel) {
  size_t found = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) found += Grade(rel, ranked[i]) > 0;
  return k == 0 ? 0 : static_cast<double>(found) / k;
}

double NdcgAt(size_t k, const std::vector<std::string>& ranked, const std::map<std::string, int>& rel) {
  double dcg = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    int g = Grade(rel, ranked[i]);
    if (g > 0) dcg += g / std::log2(i + 2.0);
  }
  std::vector<int> grades;
  for (const auto& [doc, g] : rel)
    if (g > 0) grades.push_back(g);
  std::sort(grades.rbegin(), grades.rend());
  double ideal = 0;
  for (size_t i = 0; i < std::min(k, grades.size()); ++i) ideal += grades[i] / std::log2(i + 2.0);
  return ideal == 0 ? 0 : dcg / ideal;
}

Evaluation Evaluate(const Qrels& qrels, const Run& run) {
  Evaluation e;
  static const std::vector<std::string> kNone;
  for (const auto& [qid, rel] : qrels) {
    bool any = false;
    for (const auto& [doc, g] : rel) any |= g > 0;
    if (!any) continue;
    auto it = run.find(qid);
    const std::vector<std::string>& ranked = it == run.end() ? kNone : it->second;
    ++e.queries;
    e.map += AveragePrecision(ranked, rel);
    e.p10 += PrecisionAt(10, ranked, rel);
    e.ndcg10 += NdcgAt(10, ranked, rel);
  }
  if (e.queries > 0) {
    e.map /= e.queries;
    e.p10 /= e.queries;
    e.ndcg10 /= e.queries;
  }
  return e;
}

}  // namespace dossier::searcher
