// Entity extraction: tagger spans + codebook matches -> canonical people, institutions, places
// and topics, with surname resolution inside the article.
#include "indexer/entities.h"

#include <algorithm>
#include <unordered_set>

#include "indexer/ner.h"
#include "indexer/tokenize.h"

namespace dossier::indexer {

using schema::EntityType;

namespace {

constexpr int kNerPer = 0, kNerOrg = 1, kNerLoc = 2, kNerMisc = 3;

// Honorifics that make the next capitalised words a person even when the tagger says nothing.
bool IsHonorific(uint64_t fold) {
  static const std::vector<uint64_t> kList = [] {
    std::vector<uint64_t> v;
    for (std::string_view w : {"mr", "mrs", "ms", "mx", "dr", "sen", "senator", "gov", "rep",
                               "president", "chancellor", "sir", "dame", "prof", "professor"})
      v.push_back(FoldHash(w));
    std::sort(v.begin(), v.end());
    return v;
  }();
  return std::binary_search(kList.begin(), kList.end(), fold);
}

uint64_t Fold(std::string_view w) { return FoldHash(w); }

// Appends the surface text of tokens [first, end), one space where the text has white space,
// typographic apostrophes as '.
void AppendSurface(std::string_view text, const std::vector<Token>& toks, size_t first,
                   size_t end, std::string* out) {
  for (size_t k = first; k < end; ++k) {
    if (k > first && (toks[k].flags & kTokSpaceBefore)) out->push_back(' ');
    std::string_view w = text.substr(toks[k].begin, toks[k].end - toks[k].begin);
    for (size_t i = 0; i < w.size(); ++i) {
      if (w.compare(i, 3, "\xE2\x80\x99") == 0 || w.compare(i, 3, "\xE2\x80\x98") == 0) {
        out->push_back('\'');
        i += 2;
      } else {
        out->push_back(w[i]);
      }
    }
  }
}

// "GORDON BROWN" -> "Gordon Brown" (ASCII letters; initials and short acronyms kept).
void TitleCaseWords(std::string* s) {
  bool word_start = true;
  for (char& c : *s) {
    bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (letter) {
      if (!word_start && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      word_start = false;
    } else {
      word_start = c != '\'';
    }
  }
}

}  // namespace

struct EntityExtractor::Span {
  int ner = kNerMisc;          // kNerPer...; the type before the codebook decides
  uint32_t first = 0, end = 0; // tokens of the name (title cues and possessives stripped)
  int entry = -1;              // codebook entry, or -1
  bool from_codebook = false;  // found by the gazetteer (not the tagger)
  EntityType type = EntityType::kPerson;
  std::string canonical;
};

struct EntityExtractor::Text {
  std::string_view text;
  bool in_title = false;
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  std::vector<GazetteerMatch> names, topics;
  std::vector<NerToken> ner;
  std::vector<uint8_t> labels;
  std::vector<Span> spans;
  NerModel::Scratch scratch;
};

EntityExtractor::EntityExtractor(const schema::Codebook& codebook)
    : codebook_(codebook),
      gazetteer_(std::make_unique<Gazetteer>(codebook)),
      model_(NerModel::Embedded()) {
  std::vector<Token> toks;
  std::vector<Sentence> sents;
  const auto& entries = codebook.entries();
  for (size_t e = 0; e < entries.size(); ++e) {
    if (entries[e].type != EntityType::kPerson) continue;
    Tokenize(entries[e].canonical, &toks, &sents);
    if (toks.size() < 2) continue;
    uint64_t last = toks.back().fold;
    auto [it, inserted] = person_surnames_.emplace(last, static_cast<uint32_t>(e));
    if (!inserted && it->second != e) it->second = ~0u;
  }
}

EntityExtractor::~EntityExtractor() = default;

void EntityExtractor::Analyse(Text* t, const std::vector<uint64_t>& doc_lower,
                              const std::vector<uint64_t>& doc_cap) const {
  PrepareNerInput(t->text, t->toks, t->sents, t->names, codebook_, doc_lower, doc_cap, &t->ner);
  t->labels.assign(t->toks.size(), kNerO);
  if (model_) {
    for (const Sentence& s : t->sents)
      model_->Tag(t->ner.data() + s.first_token, s.end_token - s.first_token,
                  t->labels.data() + s.first_token, &t->scratch);
    return;
  }
  // Rule-based fallback: runs of capitalised words, typed by cues and lexicons.
  for (const Sentence& s : t->sents) {
    if (s.all_upper) continue;  // headlines in capitals carry no capitalisation cue
    for (uint32_t a = s.first_token; a < s.end_token;) {
      const NerToken& na = t->ner[a];
      bool skip = !na.candidate || (na.lex & (kLexFunction | kLexTitle | kLexNationality)) ||
                  ((na.flags & (kTokSentenceStart | kTokQuoteStart)) && (na.doc & 1));
      if (skip) {
        ++a;
        continue;
      }
      // Runs stop at titles and at the weaker connectors ("Kowalczyk and the Northfield...").
      static const uint64_t kStops[] = {Fold("and"), Fold("the"), Fold("for"), Fold("on"),
                                        Fold("'s")};
      uint32_t b = a;
      while (b < s.end_token && t->ner[b].candidate && !(t->ner[b].lex & kLexTitle) &&
             std::find(std::begin(kStops), std::end(kStops), t->ner[b].fold) == std::end(kStops))
        ++b;
      if (b == a) {
        ++a;
        continue;
      }
      bool org = false, loc = false;
      for (uint32_t k = a; k < b; ++k) {
        org = org || (t->ner[k].lex & kLexOrgWord);
        loc = loc || (t->ner[k].lex & kLexLocWord);
      }
      bool per = (t->ner[a].lex & kLexFirstName) != 0;
      bool cue = a > s.first_token && (t->ner[a - 1].lex & kLexTitle);
      int type = cue ? kNerPer : org ? kNerOrg : per ? kNerPer : loc ? kNerLoc : -1;
      if (type >= 0) {
        t->labels[a] = static_cast<uint8_t>(1 + 2 * type);
        for (uint32_t k = a + 1; k < b; ++k) t->labels[k] = static_cast<uint8_t>(2 + 2 * type);
      }
      a = b;
    }
  }
}

void EntityExtractor::FindSpans(Text* t) const {
  const auto& toks = t->toks;
  const auto& ner = t->ner;
  std::vector<Span> tagged;
  for (size_t i = 0; i < toks.size();) {
    uint8_t l = t->labels[i];
    if (l == kNerO) {
      ++i;
      continue;
    }
    int type = (l - 1) / 2;
    size_t j = i + 1;
    while (j < toks.size() && t->labels[j] == 2 + 2 * type &&
           toks[j].sentence == toks[i].sentence)
      ++j;
    Span s;
    s.ner = type;
    s.first = static_cast<uint32_t>(i);
    s.end = static_cast<uint32_t>(j);
    tagged.push_back(s);
    i = j;
  }
  // Honorific cues: "Mr Brown", "Dr Ruth Smith" are people whatever the tagger said.
  for (size_t i = 0; i + 1 < toks.size(); ++i) {
    if (!IsHonorific(toks[i].fold) || !(toks[i].flags & kTokUpperInitial)) continue;
    size_t a = i + 1;
    if (a < toks.size() && toks[a].fold == Fold(".")) ++a;
    size_t b = a;
    while (b < toks.size() && toks[b].sentence == toks[i].sentence &&
           (toks[b].flags & kTokUpperInitial) && !(ner[b].lex & (kLexTitle | kLexFunction)) &&
           !t->sents[toks[b].sentence].all_upper)
      ++b;
    if (b == a || b - a > 4) continue;
    bool handled = false;
    for (Span& s : tagged) {
      if (s.end <= a || s.first >= b) continue;
      handled = true;
      if (s.first >= i && s.ner != kNerPer) s.ner = kNerPer;
    }
    if (!handled) {
      Span s;
      s.ner = kNerPer;
      s.first = static_cast<uint32_t>(a);
      s.end = static_cast<uint32_t>(b);
      tagged.push_back(s);
    }
  }
  std::sort(tagged.begin(), tagged.end(),
            [](const Span& x, const Span& y) { return x.first < y.first; });

  // Codebook matches against tagger spans: the codebook wins, except when a tagger span
  // strictly contains the match and adds real name words ("Bank of England" around "England").
  std::vector<bool> tagged_dropped(tagged.size(), false);
  std::vector<Span> spans;
  size_t start = 0;
  for (const GazetteerMatch& g : t->names) {
    while (start < tagged.size() && tagged[start].end <= g.first_token) ++start;
    bool keep_match = true;
    for (size_t k = start; k < tagged.size() && tagged[k].first < g.end_token; ++k) {
      const Span& s = tagged[k];
      if (s.end <= g.first_token) continue;
      bool contains = s.first <= g.first_token && s.end >= g.end_token &&
                      (s.first < g.first_token || s.end > g.end_token);
      bool adds_words = false;
      if (contains) {
        for (uint32_t x = s.first; x < s.end; ++x) {
          if (x >= g.first_token && x < g.end_token) continue;
          if ((toks[x].flags & kTokHasLetter) && !(ner[x].lex & (kLexTitle | kLexFunction)))
            adds_words = true;
        }
      }
      if (adds_words) {
        keep_match = false;
      } else {
        tagged_dropped[k] = true;
      }
    }
    if (keep_match) {
      Span s;
      s.first = g.first_token;
      s.end = g.end_token;
      s.entry = static_cast<int>(g.entry);
      s.from_codebook = true;
      s.type = codebook_.entries()[g.entry].type;
      s.ner = s.type == EntityType::kPerson        ? kNerPer
              : s.type == EntityType::kInstitution ? kNerOrg
                                                   : kNerLoc;
      spans.push_back(s);
    }
  }
  for (size_t k = 0; k < tagged.size(); ++k)
    if (!tagged_dropped[k] && tagged[k].ner != kNerMisc) spans.push_back(tagged[k]);
  std::sort(spans.begin(), spans.end(),
            [](const Span& x, const Span& y) { return x.first < y.first; });

  const uint64_t kThe = Fold("the"), kOf = Fold("of"), kS = Fold("'s");
  t->spans.clear();
  for (Span& s : spans) {
    if (!s.from_codebook) {
      // Strip cues: leading titles ("Secretary of State"), "the"; trailing possessives.
      bool stripped_title = false;
      while (s.first < s.end) {
        const NerToken& n = ner[s.first];
        bool title = s.ner == kNerPer && (n.lex & kLexTitle);
        bool of = stripped_title && n.fold == kOf;
        bool period = stripped_title && n.word == ".";
        if (!(title || of || period || n.fold == kThe)) break;
        stripped_title = stripped_title || title;
        ++s.first;
      }
      while (s.end > s.first && (ner[s.end - 1].fold == kS || (toks[s.end - 1].flags & kTokPunct)))
        --s.end;
      if (s.first >= s.end) continue;
      bool has_letter = false;
      for (uint32_t k = s.first; k < s.end; ++k) has_letter = has_letter || (toks[k].flags & kTokHasLetter);
      if (!has_letter) continue;
      if (s.end - s.first == 1) {
        uint8_t lex = ner[s.first].lex;
        if (lex & kLexFunction) continue;  // "The", "Source"
        if (s.ner == kNerPer && (lex & (kLexTitle | kLexNationality))) continue;  // "Secretary"
      }
      if (s.end - s.first > 10) continue;  // a run-away span is not a name
      s.type = s.ner == kNerPer ? EntityType::kPerson
               : s.ner == kNerOrg ? EntityType::kInstitution
                                  : EntityType::kPlace;
      int entry = gazetteer_->Lookup(toks, s.first, s.end, s.type);
      if (entry >= 0) {
        s.entry = entry;
        s.type = codebook_.entries()[entry].type;
      }
    }
    if (s.entry >= 0) {
      s.canonical = codebook_.entries()[s.entry].canonical;
    } else {
      s.canonical.clear();
      AppendSurface(t->text, toks, s.first, s.end, &s.canonical);
      // "Northfield Logistics Ltd." and "... Ltd" are one name; "U.S." and "J." keep theirs.
      std::string_view last = t->text.substr(toks[s.end - 1].begin,
                                             toks[s.end - 1].end - toks[s.end - 1].begin);
      if (last.size() > 2 && last.back() == '.' && last.find('.') == last.size() - 1)
        s.canonical.pop_back();
      if (s.type == EntityType::kPerson) {
        bool all_caps = true;
        for (uint32_t k = s.first; k < s.end; ++k)
          if ((toks[k].flags & kTokHasLower)) all_caps = false;
        if (all_caps) TitleCaseWords(&s.canonical);
      }
    }
    t->spans.push_back(std::move(s));
  }
}

ArticleEntities EntityExtractor::Extract(std::string_view title, std::string_view body) const {
  Text texts[2];
  texts[0].text = title;
  texts[0].in_title = true;
  texts[1].text = body;
  std::vector<uint64_t> doc_lower, doc_cap;
  for (Text& t : texts) {
    Tokenize(t.text, &t.toks, &t.sents);
    gazetteer_->Match(t.text, t.toks, t.sents, &t.names, &t.topics);
    CollectDocumentWords(t.toks, t.sents, &doc_lower, &doc_cap);
  }
  std::sort(doc_lower.begin(), doc_lower.end());
  doc_lower.erase(std::unique(doc_lower.begin(), doc_lower.end()), doc_lower.end());
  std::sort(doc_cap.begin(), doc_cap.end());
  doc_cap.erase(std::unique(doc_cap.begin(), doc_cap.end()), doc_cap.end());
  for (Text& t : texts) {
    Analyse(&t, doc_lower, doc_cap);
    FindSpans(&t);
  }

  // Surname resolution: a one-word person ("Blinken", "Mr Brown") is the article's full name
  // ending in that word (the latest one before it, else the first after it), else the
  // codebook's only person with that surname. A one-word institution or place from the tagger
  // that is such a surname is taken to be that person.
  struct FullName {
    uint64_t first_word;
    uint64_t last;
    size_t order;
    const std::string* canonical;
  };
  std::vector<FullName> full;
  size_t order = 0;
  for (Text& t : texts) {
    for (Span& s : t.spans) {
      ++order;
      if (s.type != EntityType::kPerson) continue;
      if (s.end - s.first >= 2 || s.entry >= 0) {
        uint64_t last = t.toks[s.end - 1].fold;
        if (s.entry >= 0) {
          // The codebook's canonical surname ("Blinken" for "Antony Blinken" matched as "Tony
          // Blinken") is what later mentions use.
          std::vector<Token> ct;
          std::vector<Sentence> cs;
          Tokenize(s.canonical, &ct, &cs);
          if (ct.size() >= 2) last = ct.back().fold;
        }
        full.push_back({t.toks[s.first].fold, last, order, &s.canonical});
      }
    }
  }
  order = 0;
  for (Text& t : texts) {
    for (Span& s : t.spans) {
      ++order;
      if (s.end - s.first != 1 || s.entry >= 0 || s.from_codebook) continue;
      if (s.type == EntityType::kTopic) continue;
      uint64_t w = t.toks[s.first].fold;
      const FullName* before = nullptr;
      const FullName* after = nullptr;
      for (const FullName& f : full) {
        if (f.last != w || f.order == order) continue;
        if (f.order < order) before = &f;
        else if (!after) after = &f;
      }
      const FullName* pick = before ? before : after;
      if (!pick && s.type == EntityType::kPerson) {
        // "Sir Digby" after "Sir Digby Jones": a first name alone, if only one person has it.
        int count = 0;
        for (const FullName& f : full) {
          if (f.first_word != w || f.last == w) continue;
          if (!pick || *pick->canonical != *f.canonical) ++count;
          pick = &f;
        }
        if (count != 1) pick = nullptr;
      }
      if (pick) {
        s.type = EntityType::kPerson;
        s.canonical = *pick->canonical;
        continue;
      }
      if (s.type != EntityType::kPerson) continue;
      auto it = person_surnames_.find(w);
      if (it != person_surnames_.end() && it->second != ~0u) {
        s.entry = static_cast<int>(it->second);
        s.canonical = codebook_.entries()[it->second].canonical;
      }
    }
  }

  ArticleEntities out;
  std::unordered_set<std::string> seen[4];
  auto list_for = [&](EntityType type) -> std::vector<std::string>& {
    switch (type) {
      case EntityType::kPerson: return out.people;
      case EntityType::kInstitution: return out.institutions;
      case EntityType::kPlace: return out.places;
      case EntityType::kTopic: return out.topics;
    }
    return out.topics;
  };
  for (Text& t : texts) {
    for (const Sentence& s : t.sents) out.sentences.push_back({t.in_title, s.begin, s.end});
    // Merge names and topics in text order.
    std::vector<EntityMention> mentions;
    for (const Span& s : t.spans)
      mentions.push_back({s.type, s.canonical, t.in_title, t.toks[s.first].begin,
                          t.toks[s.end - 1].end});
    for (const GazetteerMatch& g : t.topics)
      mentions.push_back({EntityType::kTopic, codebook_.entries()[g.entry].canonical, t.in_title,
                          t.toks[g.first_token].begin, t.toks[g.end_token - 1].end});
    std::stable_sort(mentions.begin(), mentions.end(),
                     [](const EntityMention& x, const EntityMention& y) { return x.begin < y.begin; });
    for (EntityMention& m : mentions) {
      if (seen[static_cast<int>(m.type)].insert(m.canonical).second)
        list_for(m.type).push_back(m.canonical);
      out.mentions.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace dossier::indexer
