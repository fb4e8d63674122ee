// Building Xapian documents from articles; every prefix and slot comes from schema/.
#include "indexer/document_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "corpus/identity.h"
#include "schema/schema.h"

namespace dossier::indexer {

using schema::FieldId;
using schema::Prefix;

std::string IdTerm(const std::string& key) { return schema::IdTerm(key); }

namespace {

// Cuts `s` to at most `n` bytes without splitting a UTF-8 sequence.
std::string_view CutUtf8(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// The year/month/day terms and date slot shared by articles and statements.
void AddDateTerms(const corpus::Article& a, Xapian::Document* doc) {
  if (!a.date) return;
  int y, m, d;
  schema::CivilFromSeconds(*a.date, &y, &m, &d);
  doc->add_boolean_term(fmt::format("{}{:04}", Prefix(FieldId::kYear), y));
  doc->add_boolean_term(fmt::format("{}{:04}{:02}", Prefix(FieldId::kMonth), y, m));
  doc->add_boolean_term(fmt::format("{}{:04}{:02}{:02}", Prefix(FieldId::kDay), y, m, d));
  doc->add_value(schema::kSlotDate, Xapian::sortable_serialise(static_cast<double>(*a.date)));
}

std::string DisplayTitle(const corpus::Article& a) {
  if (!a.title.empty()) return a.title;
  std::string_view b = a.body;
  size_t end = b.find_first_of("\n");
  for (size_t i = 0; i + 1 < b.size() && i < 200; ++i) {
    if ((b[i] == '.' || b[i] == '!' || b[i] == '?') && b[i + 1] == ' ') {
      end = std::min(end, i + 1);
      break;
    }
  }
  return std::string(CutUtf8(b.substr(0, end), 200));
}

constexpr uint64_t kFnvOffset = 1469598103934665603ULL, kFnvPrime = 1099511628211ULL;

// Calls f(word_hash) for each word of `text`.
template <typename F>
void ForEachWordHash(std::string_view text, F f) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    if (!(std::isalnum(c) || c >= 0x80)) {
      ++i;
      continue;
    }
    uint64_t h = kFnvOffset;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                               static_cast<unsigned char>(text[i]) >= 0x80)) {
      h = (h ^ static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(text[i])))) *
          kFnvPrime;
      ++i;
    }
    f(h);
  }
}

std::string Hex64(uint64_t v) { return fmt::format("{:016x}", v); }

}  // namespace

uint64_t ExactFingerprint(std::string_view title, std::string_view body) {
  uint64_t h = kFnvOffset;
  auto mix = [&](uint64_t w) {
    for (int k = 0; k < 8; ++k) h = (h ^ ((w >> (8 * k)) & 0xff)) * kFnvPrime;
  };
  ForEachWordHash(title, mix);
  mix(0x5eed);  // keeps "A B" + "" apart from "A" + "B"
  ForEachWordHash(body, mix);
  return h;
}

uint64_t StatementGroup(std::string_view speaker, std::string_view text) {
  return ExactFingerprint(speaker, text);
}

uint64_t SimHash(std::string_view body, size_t* shingles) {
  // ones[b]: how many shingles have bit b set; the SimHash bit is set where they are the
  // majority (2 * ones > shingles: the sign of the usual +1/-1 sum, without its branch).
  uint32_t ones[64] = {0};
  uint64_t w1 = 0, w2 = 0;
  size_t n = 0;
  ForEachWordHash(body, [&](uint64_t w) {
    if (++n >= 3) {
      uint64_t shingle = (w2 * 0x9E3779B97F4A7C15ULL) ^ (w1 * 0xC2B2AE3D27D4EB4FULL) ^ w;
      shingle ^= shingle >> 29;
      shingle *= 0xBF58476D1CE4E5B9ULL;
      shingle ^= shingle >> 32;
      for (int b = 0; b < 64; ++b) ones[b] += static_cast<uint32_t>((shingle >> b) & 1);
    }
    w2 = w1;
    w1 = w;
  });
  const uint64_t total = n >= 2 ? n - 2 : 0;
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b)
    if (2 * uint64_t{ones[b]} > total) out |= 1ULL << b;
  if (shingles) *shingles = n >= 2 ? n - 2 : 0;
  return out;
}

Xapian::Document BuildStatementDocument(const corpus::Article& a, const ArticleIdentity& ident,
                                        const Statement& st, Xapian::TermGenerator& tg) {
  Xapian::Document doc;
  tg.set_document(doc);
  tg.set_termpos(0);
  tg.index_text(st.text);
  if (!a.source.empty()) {
    tg.increase_termpos(100);
    tg.index_text(a.source, 1, Prefix(FieldId::kSource));
  }
  // The article's id term: id: filters statements by article, and re-indexing the article
  // deletes its statements by it.
  doc.add_boolean_term(IdTerm(ident.key));
  doc.add_boolean_term(schema::EntityTerm(FieldId::kSpeaker, st.speaker));
  // The speaker also counts as a person/institution of the statement, so person:/org: work.
  doc.add_boolean_term(schema::EntityTerm(st.speaker_type == schema::EntityType::kInstitution
                                              ? FieldId::kInstitution
                                              : FieldId::kPerson,
                                          st.speaker));
  doc.add_boolean_term(Prefix(FieldId::kCue) + st.cue);
  doc.add_boolean_term(Prefix(FieldId::kQuote) + (st.direct ? "direct" : "indirect"));
  std::string topics;
  for (const std::string& t : st.topics) {
    doc.add_boolean_term(schema::EntityTerm(FieldId::kTopic, t));
    if (!topics.empty()) topics += '\n';
    topics += t;
  }
  if (!topics.empty()) doc.add_value(schema::kSlotTopics, topics);
  doc.add_value(schema::kSlotSpeaker, st.speaker);
  if (!a.source.empty()) doc.add_value(schema::kSlotSource, a.source);
  // The same statement in copies of a story (or quoted again) counts once under --dedup.
  doc.add_value(schema::kSlotGroup, Hex64(StatementGroup(st.speaker, st.text)));
  AddDateTerms(a, &doc);

  schema::StoredStatement stored;
  stored.article_id = ident.key;
  stored.title = DisplayTitle(a);
  if (a.date) stored.date = schema::FormatIsoDateTime(*a.date);
  stored.source = a.source;
  stored.speaker = st.speaker;
  stored.speaker_type = std::string(schema::EntityTypeName(st.speaker_type));
  stored.cue = st.cue;
  stored.direct = st.direct;
  stored.text = st.text;
  const std::string_view base = st.in_title ? std::string_view(a.title) : std::string_view(a.body);
  stored.start = CodePointOffset(base, st.begin);
  stored.end = CodePointOffset(base, st.end);
  stored.in_title = st.in_title;
  stored.topics = st.topics;
  doc.set_data(schema::EncodeStoredStatement(stored));
  return doc;
}

Xapian::Document BuildDocument(const corpus::Article& a, const ArticleIdentity& ident,
                               const ArticleEntities* entities, Xapian::TermGenerator& tg) {
  Xapian::Document doc;
  tg.set_document(doc);
  tg.set_termpos(0);

  if (!a.title.empty()) {
    tg.index_text(a.title, 1, Prefix(FieldId::kTitle));
    tg.increase_termpos();
    tg.index_text(a.title, kTitleWeight);
    tg.increase_termpos(100);
  }
  std::string_view body = CutUtf8(a.body, kMaxIndexedBodyBytes);
  tg.index_text(Xapian::Utf8Iterator(body.data(), body.size()));
  if (!a.author.empty()) {
    tg.increase_termpos(100);
    tg.index_text(a.author, 1, Prefix(FieldId::kAuthor));
  }
  if (!a.source.empty()) {
    tg.increase_termpos(100);
    tg.index_text(a.source, 1, Prefix(FieldId::kSource));
  }

  doc.add_boolean_term(IdTerm(ident.key));
  if (!a.url.empty()) {
    std::string url_term = Prefix(FieldId::kUrl) + corpus::NormalizeUrl(a.url);
    if (url_term.size() <= schema::kMaxTermBytes) doc.add_boolean_term(url_term);
  }

  schema::StoredArticle stored;
  stored.id = ident.key;
  stored.title = a.title;
  stored.source = a.source;
  stored.author = a.author;
  stored.url = a.url;
  stored.body = a.body;
  stored.origin = a.origin;
  AddDateTerms(a, &doc);
  if (a.date) stored.date = schema::FormatIsoDateTime(*a.date);
  if (entities) {
    auto add = [&](FieldId field, schema::Slot slot, const std::vector<std::string>& names,
                   std::vector<std::string>* stored_names) {
      if (names.empty()) return;
      std::string joined;
      for (const std::string& n : names) {
        doc.add_boolean_term(schema::EntityTerm(field, n));
        if (!joined.empty()) joined += '\n';
        joined += n;
      }
      doc.add_value(slot, joined);
      *stored_names = names;
    };
    add(FieldId::kPerson, schema::kSlotPeople, entities->people, &stored.people);
    add(FieldId::kInstitution, schema::kSlotInstitutions, entities->institutions,
        &stored.institutions);
    add(FieldId::kTopic, schema::kSlotTopics, entities->topics, &stored.topics);
    add(FieldId::kPlace, schema::kSlotPlaces, entities->places, &stored.places);
  }
  doc.add_value(schema::kSlotContentHash, ident.content_hash);
  if (!a.source.empty()) doc.add_value(schema::kSlotSource, a.source);
  const std::string exact = Hex64(ExactFingerprint(a.title, a.body));
  doc.add_value(schema::kSlotDupGroup, exact);
  size_t shingles = 0;
  const uint64_t simhash = SimHash(a.body, &shingles);
  if (shingles >= kMinSimHashShingles) doc.add_value(schema::kSlotSimHash, Hex64(simhash));
  // Its own group until the end of the run, when RegroupDuplicates joins near duplicates.
  doc.add_value(schema::kSlotGroup, exact);
  doc.set_data(schema::EncodeStoredArticle(stored));
  return doc;
}

}  // namespace dossier::indexer
