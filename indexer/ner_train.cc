// dossier-train-ner: trains the entity tagger (indexer/ner.h) on CoNLL-2003 JSONL with an
// averaged structured perceptron, picks the epoch with the best entity F1 on the dev split and
// writes the model file. scripts/train-ner runs it with the settings the shipped model used.
//
//   dossier-train-ner --data conll2003.jsonl --output model.bin
//                     [--train-split train] [--dev-split valid] [--epochs 15] [--bits 19]
//                     [--seed 1]
//
// The features see the same tokens, lexicons and codebook gazetteer (the built-in codebook)
// as at extraction time; only the tokens come from CoNLL instead of the tokeniser.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/ner.h"
#include "indexer/tokenize.h"
#include "schema/codebook.h"

namespace {

using namespace dossier::indexer;

struct Doc {
  std::string text;
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  std::vector<NerToken> ner;
  std::vector<uint8_t> gold;
};

// A run of candidate tokens: the unit the tagger decodes.
struct Run {
  uint32_t doc, sent_first, sent_end, a, b;  // token indices in the doc
  size_t feat_offset;                        // into the feature pool: (b - a) * stride
};

constexpr int kStride = kMaxNerFeatures + 1;  // count, then the features

struct Options {
  std::string data, output, train_split = "train", dev_split = "valid";
  int epochs = 15, bits = 19;
  unsigned seed = 1;
};

bool LoadDocs(const Options& opt, const std::string& split, const Gazetteer& gaz,
              std::vector<Doc>* docs) {
  std::ifstream in(opt.data, std::ios::binary);
  if (!in) {
    std::cerr << "dossier-train-ner: cannot open " << opt.data << "\n";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || j.value("split", "") != split) continue;
    Doc d;
    for (const auto& s : j["sentences"]) {
      const auto& words = s["tokens"];
      const auto& tags = s["ner"];
      for (size_t k = 0; k < words.size(); ++k) {
        std::string w = words[k].get<std::string>();
        if (w.empty()) continue;
        Token t;
        t.flags = kTokSpaceBefore | (k == 0 ? uint32_t{kTokNewlineBefore} : 0u);
        if (!d.text.empty()) d.text += k == 0 ? '\n' : ' ';
        t.begin = static_cast<uint32_t>(d.text.size());
        d.text += w;
        t.end = static_cast<uint32_t>(d.text.size());
        d.toks.push_back(t);
        d.gold.push_back(static_cast<uint8_t>(NerLabelFromName(tags[k].get<std::string>())));
      }
    }
    AnnotateTokens(d.text, &d.toks, &d.sents);
    docs->push_back(std::move(d));
  }
  for (Doc& d : *docs) {
    std::vector<GazetteerMatch> names;
    gaz.Match(d.text, d.toks, d.sents, &names, nullptr);
    std::vector<uint64_t> lower, cap;
    CollectDocumentWords(d.toks, d.sents, &lower, &cap);
    std::sort(lower.begin(), lower.end());
    lower.erase(std::unique(lower.begin(), lower.end()), lower.end());
    std::sort(cap.begin(), cap.end());
    cap.erase(std::unique(cap.begin(), cap.end()), cap.end());
    PrepareNerInput(d.text, d.toks, d.sents, names, gaz.codebook(), lower, cap, &d.ner);
  }
  return true;
}

void BuildRuns(const std::vector<Doc>& docs, int bits, std::vector<Run>* runs,
               std::vector<uint32_t>* pool, size_t* lost) {
  for (uint32_t di = 0; di < docs.size(); ++di) {
    const Doc& d = docs[di];
    for (const Sentence& s : d.sents) {
      for (uint32_t a = s.first_token; a < s.end_token;) {
        if (!d.ner[a].candidate) {
          if (d.gold[a] != kNerO) ++*lost;
          ++a;
          continue;
        }
        uint32_t b = a;
        while (b < s.end_token && d.ner[b].candidate) ++b;
        Run r{di, s.first_token, s.end_token, a, b, pool->size()};
        for (uint32_t i = a; i < b; ++i) {
          uint32_t feats[kMaxNerFeatures];
          int n = NerFeatures(d.ner.data() + s.first_token, s.end_token - s.first_token,
                              i - s.first_token, bits, feats);
          pool->push_back(static_cast<uint32_t>(n));
          pool->insert(pool->end(), feats, feats + n);
          pool->insert(pool->end(), kMaxNerFeatures - n, 0);
        }
        runs->push_back(r);
        a = b;
      }
    }
  }
}

// Gold labels of a run, repaired to valid BIO (an I-X cut off from its B-X becomes B-X).
void GoldOf(const Doc& d, const Run& r, std::vector<uint8_t>* out) {
  out->assign(d.gold.begin() + r.a, d.gold.begin() + r.b);
  for (size_t i = 0; i < out->size(); ++i) {
    uint8_t l = (*out)[i];
    if (l != kNerO && !(l & 1)) {
      uint8_t prev = i == 0 ? uint8_t{kNerO} : (*out)[i - 1];
      if (prev != l && prev != l - 1) (*out)[i] = l - 1;
    }
  }
}

class Perceptron {
 public:
  Perceptron(int bits)
      : w_((size_t{1} << bits) * kNerLabels, 0.f),
        u_(w_.size(), 0.f),
        tw_(kNerLabels * kNerLabels, 0.f),
        tu_(tw_.size(), 0.f) {}

  void Emissions(const std::vector<uint32_t>& pool, const Run& r, bool averaged,
                 std::vector<float>* emis) const {
    size_t n = r.b - r.a;
    emis->assign(n * kNerLabels, 0.f);
    for (size_t i = 0; i < n; ++i) {
      const uint32_t* f = &pool[r.feat_offset + i * kStride];
      for (uint32_t k = 1; k <= f[0]; ++k) {
        size_t base = size_t{f[k]} * kNerLabels;
        for (int l = 0; l < kNerLabels; ++l)
          (*emis)[i * kNerLabels + l] += averaged ? w_[base + l] - u_[base + l] / c_ : w_[base + l];
      }
    }
  }
  const float* Trans(bool averaged, std::vector<float>* buf) const {
    if (!averaged) return tw_.data();
    buf->resize(tw_.size());
    for (size_t k = 0; k < tw_.size(); ++k) (*buf)[k] = tw_[k] - tu_[k] / c_;
    return buf->data();
  }

  void Update(const std::vector<uint32_t>& pool, const Run& r, const std::vector<uint8_t>& gold,
              const std::vector<uint8_t>& pred) {
    size_t n = r.b - r.a;
    for (size_t i = 0; i < n; ++i) {
      if (gold[i] == pred[i]) continue;
      const uint32_t* f = &pool[r.feat_offset + i * kStride];
      for (uint32_t k = 1; k <= f[0]; ++k) {
        size_t base = size_t{f[k]} * kNerLabels;
        Add(&w_[base + gold[i]], &u_[base + gold[i]], 1.f);
        Add(&w_[base + pred[i]], &u_[base + pred[i]], -1.f);
      }
    }
    for (size_t i = 0; i <= n; ++i) {
      int gp = i == 0 ? int{kNerO} : gold[i - 1], gc = i == n ? int{kNerO} : gold[i];
      int pp = i == 0 ? int{kNerO} : pred[i - 1], pc = i == n ? int{kNerO} : pred[i];
      if (gp == pp && gc == pc) continue;
      Add(&tw_[gp * kNerLabels + gc], &tu_[gp * kNerLabels + gc], 1.f);
      Add(&tw_[pp * kNerLabels + pc], &tu_[pp * kNerLabels + pc], -1.f);
    }
  }
  void Tick() { ++c_; }

  std::vector<float> AveragedWeights() const {
    std::vector<float> out(w_.size());
    for (size_t k = 0; k < w_.size(); ++k) out[k] = w_[k] - u_[k] / c_;
    return out;
  }

 private:
  void Add(float* w, float* u, float d) {
    *w += d;
    *u += c_ * d;
  }
  std::vector<float> w_, u_, tw_, tu_;
  float c_ = 1;
};

struct Counts {
  std::map<int, int> tp, fp, fn;
};

void Spans(const std::vector<uint8_t>& labels, std::vector<std::tuple<int, size_t, size_t>>* out) {
  for (size_t i = 0; i < labels.size();) {
    if (labels[i] == kNerO) {
      ++i;
      continue;
    }
    int type = (labels[i] - 1) / 2;
    size_t j = i + 1;
    while (j < labels.size() && labels[j] == 2 + 2 * type) ++j;
    out->emplace_back(type, i, j);
    i = j;
  }
}

// Entity-level (exact span) scores on a split, per type; the whole sentence is scored, so
// entities lost to the candidate rule count as misses.
void Evaluate(const Perceptron& p, const std::vector<Doc>& docs, const std::vector<Run>& runs,
              const std::vector<uint32_t>& pool, Counts* c) {
  std::vector<float> emis, tbuf;
  const float* trans = p.Trans(true, &tbuf);
  std::vector<std::vector<uint8_t>> pred(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) pred[d].assign(docs[d].toks.size(), kNerO);
  for (const Run& r : runs) {
    p.Emissions(pool, r, true, &emis);
    NerViterbi(emis.data(), r.b - r.a, trans, pred[r.doc].data() + r.a);
  }
  for (size_t d = 0; d < docs.size(); ++d) {
    std::vector<std::tuple<int, size_t, size_t>> g, q;
    std::vector<uint8_t> gold = docs[d].gold;
    Spans(gold, &g);
    Spans(pred[d], &q);
    std::sort(g.begin(), g.end());
    std::sort(q.begin(), q.end());
    for (const auto& s : q) {
      if (std::binary_search(g.begin(), g.end(), s)) ++c->tp[std::get<0>(s)];
      else ++c->fp[std::get<0>(s)];
    }
    for (const auto& s : g)
      if (!std::binary_search(q.begin(), q.end(), s)) ++c->fn[std::get<0>(s)];
  }
}

double F1(int tp, int fp, int fn) { return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn); }

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "dossier-train-ner: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data") opt.data = next();
    else if (a == "--output") opt.output = next();
    else if (a == "--train-split") opt.train_split = next();
    else if (a == "--dev-split") opt.dev_split = next();
    else if (a == "--epochs") opt.epochs = std::stoi(next());
    else if (a == "--bits") opt.bits = std::stoi(next());
    else if (a == "--seed") opt.seed = static_cast<unsigned>(std::stoul(next()));
    else {
      std::cerr << "usage: dossier-train-ner --data conll2003.jsonl --output model.bin "
                   "[--train-split train] [--dev-split valid] [--epochs N] [--bits B] [--seed S]\n";
      return 2;
    }
  }
  if (opt.data.empty() || opt.output.empty() || opt.bits < 12 || opt.bits > 24) {
    std::cerr << "dossier-train-ner: --data and --output are required; --bits in 12..24\n";
    return 2;
  }
  const dossier::schema::Codebook& book = dossier::schema::Codebook::Default();
  Gazetteer gaz(book);
  std::vector<Doc> train, dev;
  if (!LoadDocs(opt, opt.train_split, gaz, &train) || !LoadDocs(opt, opt.dev_split, gaz, &dev))
    return 2;
  std::vector<Run> train_runs, dev_runs;
  std::vector<uint32_t> train_pool, dev_pool;
  size_t lost_train = 0, lost_dev = 0;
  BuildRuns(train, opt.bits, &train_runs, &train_pool, &lost_train);
  BuildRuns(dev, opt.bits, &dev_runs, &dev_pool, &lost_dev);
  size_t train_tokens = 0;
  for (const Doc& d : train) train_tokens += d.toks.size();
  std::cerr << "dossier-train-ner: " << train.size() << " train docs (" << train_tokens
            << " tokens, " << train_runs.size() << " candidate runs, " << lost_train
            << " entity tokens outside candidates), " << dev.size() << " dev docs\n";

  Perceptron p(opt.bits);
  std::mt19937 rng(opt.seed);
  std::vector<size_t> order(train_runs.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::vector<float> emis, tbuf;
  std::vector<uint8_t> gold, pred;
  double best_f1 = -1;
  int best_epoch = 0;
  std::vector<float> best_w, best_t;
  static const char* kTypes[] = {"PER", "ORG", "LOC", "MISC"};
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    size_t errors = 0;
    for (size_t k : order) {
      const Run& r = train_runs[k];
      GoldOf(train[r.doc], r, &gold);
      p.Emissions(train_pool, r, false, &emis);
      pred.resize(r.b - r.a);
      NerViterbi(emis.data(), r.b - r.a, p.Trans(false, &tbuf), pred.data());
      if (pred != gold) {
        ++errors;
        p.Update(train_pool, r, gold, pred);
      }
      p.Tick();
    }
    Counts c;
    Evaluate(p, dev, dev_runs, dev_pool, &c);
    int tp = 0, fp = 0, fn = 0;
    std::string per_type;
    for (int t = 0; t < 4; ++t) {
      tp += c.tp[t];
      fp += c.fp[t];
      fn += c.fn[t];
      char buf[64];
      std::snprintf(buf, sizeof buf, " %s %.3f", kTypes[t], F1(c.tp[t], c.fp[t], c.fn[t]));
      per_type += buf;
    }
    // PER and ORG are what Dossier reports; select on their mean F1.
    double sel = (F1(c.tp[0], c.fp[0], c.fn[0]) + F1(c.tp[1], c.fp[1], c.fn[1])) / 2;
    std::fprintf(stderr, "epoch %2d: %zu/%zu runs wrong; dev entity F1 %.4f:%s\n", epoch, errors,
                 order.size(), F1(tp, fp, fn), per_type.c_str());
    if (sel > best_f1) {
      best_f1 = sel;
      best_epoch = epoch;
      best_w = p.AveragedWeights();
      best_t.assign(p.Trans(true, &tbuf), p.Trans(true, &tbuf) + kNerLabels * kNerLabels);
    }
  }
  std::string bytes = NerModel::Serialise(opt.bits, best_w, best_t);
  std::ofstream out(opt.output, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::cerr << "dossier-train-ner: cannot write " << opt.output << "\n";
    return 2;
  }
  std::fprintf(stderr,
               "dossier-train-ner: wrote %s (%zu bytes) from epoch %d, dev PER/ORG mean F1 %.4f\n",
               opt.output.c_str(), bytes.size(), best_epoch, best_f1);
  return 0;
}
