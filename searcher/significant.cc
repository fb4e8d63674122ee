// FindSignificant: foreground document frequencies from term lists, background ones from the
// database, phrases from the stored text, G² for each.
#include "searcher/significant.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "schema/schema.h"
#include "searcher/kwic.h"
#include "searcher/research.h"

namespace dossier::searcher {
namespace {

double XLogX(double o, double e) { return o > 0 && e > 0 ? o * std::log(o / e) : 0; }

// A plain word term as the indexer writes it: unprefixed (prefixes are upper case) and not
// a number or a single character.
bool IsWordTerm(const std::string& t) {
  if (t.size() < 2) return false;
  unsigned char c = static_cast<unsigned char>(t[0]);
  if (std::isupper(c)) return false;
  return t.find_first_not_of("0123456789.,") != std::string::npos;
}

schema::FieldId FieldOf(FacetKind k) {
  switch (k) {
    case FacetKind::kPerson: return schema::FieldId::kPerson;
    case FacetKind::kInstitution: return schema::FieldId::kInstitution;
    case FacetKind::kTopic: return schema::FieldId::kTopic;
    default: return schema::FieldId::kPlace;
  }
}

}  // namespace

double LogLikelihoodG2(double k1, double n1, double k2, double n2) {
  const double n = n1 + n2, k = k1 + k2;
  if (n1 <= 0 || n2 <= 0 || k <= 0 || k >= n) return 0;
  const double e11 = n1 * k / n, e12 = n1 * (n - k) / n, e21 = n2 * k / n, e22 = n2 * (n - k) / n;
  return 2 * (XLogX(k1, e11) + XLogX(n1 - k1, e12) + XLogX(k2, e21) + XLogX(n2 - k2, e22));
}

Status FindSignificant(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                       const std::vector<std::string>& texts, const SignificantOptions& options,
                       SignificantResult* out) {
  *out = SignificantResult();
  out->foreground = docids.size();
  out->background = db.get_doccount();
  // An even sample along the search order when the match set is large.
  std::vector<size_t> picked;
  if (docids.size() > options.max_foreground && options.max_foreground > 0) {
    out->sampled = true;
    for (size_t i = 0; i < options.max_foreground; ++i) {
      picked.push_back(i * docids.size() / options.max_foreground);
    }
  } else {
    for (size_t i = 0; i < docids.size(); ++i) picked.push_back(i);
  }
  out->examined = picked.size();
  if (picked.empty()) return Status::OK();

  std::unordered_map<std::string, uint64_t> fg;           // term -> documents
  std::unordered_map<std::string, std::pair<std::string, std::string>> entity;  // term -> kind, name
  std::unordered_map<std::string, uint64_t> phrases;      // "a b" -> documents
  std::vector<std::pair<std::string, FacetKind>> prefixes;
  for (FacetKind k : options.entities) prefixes.emplace_back(schema::Prefix(FieldOf(k)), k);
  for (size_t i : picked) {
    Xapian::Document doc = db.get_document(docids[i]);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      if (options.words && IsWordTerm(term)) {
        ++fg[term];
        continue;
      }
      for (const auto& [prefix, kind] : prefixes) {
        if (term.size() > prefix.size() && term.compare(0, prefix.size(), prefix) == 0 &&
            std::isupper(static_cast<unsigned char>(prefix.back())) &&
            !std::isupper(static_cast<unsigned char>(term[prefix.size()]))) {
          ++fg[term];
          break;
        }
      }
    }
    // Display names of entity terms come from the value slots (the terms are normalised).
    for (FacetKind k : options.entities) {
      for (const std::string& name : FacetValuesOf(k, doc)) {
        std::string term = schema::EntityTerm(FieldOf(k), name);
        if (!entity.count(term)) entity[term] = {FacetName(k), name};
      }
    }
    if (options.phrases && i < texts.size()) {
      std::vector<KwicToken> tokens = KwicTokenize(texts[i]);
      std::vector<std::string> seen;
      const Xapian::Stopper& stop = *EnglishStopper();
      for (size_t w = 0; w + 1 < tokens.size(); ++w) {
        const std::string& a = tokens[w].lower;
        const std::string& b = tokens[w + 1].lower;
        // "of the", "the talks": phrases with a function word say little.
        if (a.size() < 2 || b.size() < 2 || stop(a) || stop(b)) continue;
        seen.push_back(a + " " + b);
      }
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      for (const std::string& p : seen) ++phrases[p];
    }
  }

  const double scale = static_cast<double>(out->foreground) / out->examined;
  const double n1 = out->examined;
  const double n2 = static_cast<double>(out->background) - out->foreground;
  auto score = [&](SignificantTerm* t) {
    // The rest of the index: background minus the (estimated, when sampled) foreground.
    double k2 = std::max(0.0, static_cast<double>(t->background) - t->foreground * scale);
    double rate1 = t->foreground / n1, rate2 = n2 > 0 ? k2 / n2 : 0;
    t->lift = out->background > 0 && t->background > 0
                  ? rate1 / (static_cast<double>(t->background) / out->background)
                  : 0;
    if (rate1 <= rate2) return false;
    t->score = LogLikelihoodG2(t->foreground, n1, k2, n2);
    return true;
  };
  std::vector<SignificantTerm> all;
  for (const auto& [term, count] : fg) {
    if (count < options.min_foreground) continue;
    SignificantTerm t;
    auto e = entity.find(term);
    if (e != entity.end()) {
      t.kind = e->second.first;
      t.text = e->second.second;
    } else if (IsWordTerm(term)) {
      t.kind = "word";
      t.text = term;
    } else {
      continue;  // an entity term whose display name was not found
    }
    t.foreground = count;
    t.background = db.get_termfreq(term);
    if (score(&t)) all.push_back(std::move(t));
  }
  // Phrases: the most frequent candidates get an exact background count by phrase search.
  if (options.phrases && !phrases.empty()) {
    std::vector<std::pair<std::string, uint64_t>> cand;
    for (const auto& [p, c] : phrases)
      if (c >= options.min_foreground) cand.emplace_back(p, c);
    std::sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (cand.size() > options.phrase_candidates) cand.resize(options.phrase_candidates);
    Xapian::Enquire enquire(db);
    for (const auto& [p, c] : cand) {
      size_t sp = p.find(' ');
      const std::vector<Xapian::Query> words = {Xapian::Query(p.substr(0, sp)), Xapian::Query(p.substr(sp + 1))};
      Xapian::Query q(Xapian::Query::OP_PHRASE, words.begin(), words.end(), 2);
      enquire.set_query(q);
      Xapian::MSet m = enquire.get_mset(0, 0, db.get_doccount());
      SignificantTerm t;
      t.kind = "phrase";
      t.text = p;
      t.foreground = c;
      // Never below the foreground count (tokenisation differences), so G² stays sane.
      t.background = std::max<uint64_t>(m.get_matches_estimated(), static_cast<uint64_t>(c * scale));
      if (score(&t)) all.push_back(std::move(t));
    }
  }
  std::sort(all.begin(), all.end(), [](const SignificantTerm& a, const SignificantTerm& b) {
    return a.score != b.score ? a.score > b.score : a.text < b.text;
  });
  if (all.size() > options.size) all.resize(options.size);
  out->terms = std::move(all);
  return Status::OK();
}

}  // namespace dossier::searcher
