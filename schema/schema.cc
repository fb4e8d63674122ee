// The field table and everything derived from it: query-parser set-up, stored data, dates.
#include "schema/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "schema/name_words.h"

namespace dossier::schema {
namespace {

// The one place where term prefixes are spelled out. Conventions follow Omega's
// docs/termprefixes.rst: Q unique id, S title, A author, U url, Y/M/D year/month/day, X… ours.
constexpr Field kFields[] = {
    {FieldId::kTitle, "title", "S", FieldKind::kFreeText, "words in the title: title:ceasefire"},
    {FieldId::kBody, "", "", FieldKind::kFreeText, "words in title or body (no field name)"},
    {FieldId::kAuthor, "author", "A", FieldKind::kFreeText,
     "words in the author line: author:smith"},
    {FieldId::kSource, "source", "XS", FieldKind::kFreeText,
     "words in the source name: source:reuters, source:\"BBC News\""},
    {FieldId::kId, "id", "Q", FieldKind::kBoolean,
     "the exact article id: id:bbc-politics-001 (with --statements: the article's statements)"},
    {FieldId::kUrl, "url", "U", FieldKind::kBoolean, "the exact normalised URL"},
    {FieldId::kYear, "year", "Y", FieldKind::kBoolean, "year of the article's date: year:2023"},
    {FieldId::kMonth, "month", "M", FieldKind::kBoolean, "month of the date: month:2023-11"},
    {FieldId::kDay, "day", "D", FieldKind::kBoolean, "day of the date: day:2023-11-14"},
    {FieldId::kPerson, "person", "XP", FieldKind::kEntity,
     "a person, by any alias or unique part of the name: person:blinken"},
    {FieldId::kInstitution, "institution", "XI", FieldKind::kEntity,
     "an institution (alias org:): org:\"state department\""},
    {FieldId::kTopic, "topic", "XT", FieldKind::kEntity, "a codebook topic: topic:ceasefire"},
    {FieldId::kPlace, "place", "XL", FieldKind::kEntity, "a place: place:gaza"},
    {FieldId::kSpeaker, "speaker", "XW", FieldKind::kEntity,
     "(--statements) who made the statement, by any alias: speaker:blinken"},
    {FieldId::kCue, "cue", "XC", FieldKind::kBoolean,
     "(--statements) the cue verb's lemma: cue:reject, cue:\"according to\""},
    {FieldId::kQuote, "quote", "XQ", FieldKind::kBoolean,
     "(--statements) quote:direct or quote:indirect"},
};

// Alternative user-facing names.
struct FieldAlias {
  std::string_view alias;
  FieldId id;
};
constexpr FieldAlias kFieldAliases[] = {{"org", FieldId::kInstitution}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool ValidCivil(int y, int m, int d) {
  using namespace std::chrono;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}

int LastDayOfMonth(int y, int m) {
  using namespace std::chrono;
  return static_cast<int>(unsigned(
      year_month_day_last{year{y}, month_day_last{month{static_cast<unsigned>(m)}}}.day()));
}

// A bad field value: recorded in `notes` (the first one wins) and matched by nothing; thrown
// only when there is no `notes` to hold it (see QueryNotes::error).
Xapian::Query BadFieldValue(QueryNotes* notes, std::string message) {
  if (!notes) throw Xapian::QueryParserError(message);
  if (notes->error.empty()) notes->error = std::move(message);
  return Xapian::Query::MatchNothing;
}

Xapian::Query BadDate(QueryNotes* notes, std::string_view field, std::string_view text) {
  return BadFieldValue(
      notes,
      fmt::format("{}: cannot read '{}' as a date (use YYYY, YYYY-MM or YYYY-MM-DD)", field, text));
}

// date:A..B and year:A..B: both ends are query dates; an open end is allowed.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  DateRangeProcessor(Xapian::valueno slot, const std::string& prefix, QueryNotes* notes)
      : Xapian::RangeProcessor(slot, prefix), name_(prefix), notes_(notes) {}

  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    std::optional<int64_t> lo, hi;
    if (!begin.empty() && !(lo = ParseQueryDate(begin, false))) return BadDate(notes_, name_, begin);
    if (!end.empty() && !(hi = ParseQueryDate(end, true))) return BadDate(notes_, name_, end);
    if (lo && hi) {
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, Xapian::sortable_serialise(*lo),
                           Xapian::sortable_serialise(*hi));
    }
    if (lo) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, Xapian::sortable_serialise(*lo));
    if (hi) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, Xapian::sortable_serialise(*hi));
    return Xapian::Query::MatchAll;
  }

 private:
  std::string name_;
  QueryNotes* notes_;
};

// date:2023, date:2023-11, date:2023-11-14 (a single period, no range).
class DateFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateFieldProcessor(QueryNotes* notes) : notes_(notes) {}
  Xapian::Query operator()(const std::string& text) override {
    auto lo = ParseQueryDate(text, false);
    auto hi = ParseQueryDate(text, true);
    if (!lo || !hi) return BadDate(notes_, "date", text);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotDate, Xapian::sortable_serialise(*lo),
                         Xapian::sortable_serialise(*hi));
  }

 private:
  QueryNotes* notes_;
};

// month:2023-11 / month:202311 -> the M term of that month.
class MonthFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit MonthFieldProcessor(QueryNotes* notes) : notes_(notes) {}
  Xapian::Query operator()(const std::string& text) override {
    std::string digits;
    for (char c : text)
      if (c != '-') digits += c;
    if (digits.size() != 6 || !AllDigits(digits)) {
      return BadFieldValue(notes_,
                           fmt::format("month: cannot read '{}' as a month (use YYYY-MM)", text));
    }
    return Xapian::Query(Prefix(FieldId::kMonth) + digits);
  }

 private:
  QueryNotes* notes_;
};

// day:2023-11-14 -> the D term of that day.
class DayFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DayFieldProcessor(QueryNotes* notes) : notes_(notes) {}
  Xapian::Query operator()(const std::string& text) override {
    auto lo = ParseQueryDate(text, false);
    if (!lo || text.size() < 8) {
      return BadFieldValue(notes_,
                           fmt::format("day: cannot read '{}' as a day (use YYYY-MM-DD)", text));
    }
    int y, m, d;
    CivilFromSeconds(*lo, &y, &m, &d);
    return Xapian::Query(fmt::format("{}{:04}{:02}{:02}", Prefix(FieldId::kDay), y, m, d));
  }

 private:
  QueryNotes* notes_;
};

// person:/institution:/topic:/place: match canonical names stored as lower-case boolean terms.
// The text matches every canonical name that equals it or contains all of its words as whole
// words ("blinken" -> "antony blinken"; "brown" -> every Brown). Names are read from the
// database's term list, so this works for entities that no codebook lists.
class EntityFieldProcessor : public Xapian::FieldProcessor {
 public:
  EntityFieldProcessor(Xapian::Database db, const Field& field, const Codebook* codebook,
                       QueryNotes* notes)
      : db_(std::move(db)),
        field_(field),
        prefix_(field.prefix),
        codebook_(codebook),
        notes_(notes) {}

  Xapian::Query operator()(const std::string& text) override {
    std::string want = NormalizeEntityName(text);
    std::vector<std::string> want_words = NameWords(want);
    std::vector<std::string> terms;
    const std::string exact = prefix_ + want;
    // The exact name, the codebook's aliases and every name containing all the words given:
    // "person:alvarez" must reach "Andrew Alvarez" even when a bare "Alvarez" is also known.
    if (!want.empty() && db_.term_exists(exact)) terms.push_back(exact);
    {
      if (codebook_) {
        for (const CodebookEntry* e : codebook_->Resolve(text, EntityTypeOf(field_.id))) {
          if (field_.id == FieldId::kSpeaker && e->type != EntityType::kPerson &&
              e->type != EntityType::kInstitution) {
            continue;
          }
          std::string t = EntityTerm(field_.id, e->canonical);
          if (db_.term_exists(t)) terms.push_back(t);
        }
      }
      std::optional<std::vector<std::string>> indexed;
      try {
        indexed = LookupNameWords(db_, prefix_, want_words);
      } catch (const Xapian::Error&) {
        indexed.reset();  // read the names below instead
      }
      if (indexed) {
        terms.insert(terms.end(), indexed->begin(), indexed->end());
      } else if (!want_words.empty()) {
        // No complete word index (a database written before it existed, or a remote shard):
        // read every name of the field.
        for (auto it = db_.allterms_begin(prefix_); it != db_.allterms_end(prefix_); ++it) {
          std::string name = (*it).substr(prefix_.size());
          std::vector<std::string> words = NameWords(name);
          bool all = std::all_of(want_words.begin(), want_words.end(), [&](const std::string& w) {
            return std::find(words.begin(), words.end(), w) != words.end();
          });
          if (all) terms.push_back(*it);
        }
      }
      std::sort(terms.begin(), terms.end());
      terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    }
    if (notes_) {
      std::string names;
      for (const std::string& t : terms)
        names += (names.empty() ? "" : ", ") + t.substr(prefix_.size());
      notes_->lines.push_back(
          terms.empty()
              ? fmt::format("{}:{} matches no {} in this database", field_.name, text, field_.name)
          : terms.size() == 1 ? fmt::format("{}:{} matches {}", field_.name, text, names)
                              : fmt::format("{}:{} is ambiguous: matches any of {} names: {}",
                                            field_.name, text, terms.size(), names));
    }
    if (terms.empty()) return Xapian::Query(exact);  // matches nothing
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }

 private:
  static std::optional<EntityType> EntityTypeOf(FieldId id) {
    switch (id) {
      case FieldId::kPerson:
        return EntityType::kPerson;
      case FieldId::kInstitution:
        return EntityType::kInstitution;
      case FieldId::kTopic:
        return EntityType::kTopic;
      case FieldId::kPlace:
        return EntityType::kPlace;
      default:
        return std::nullopt;  // speaker: a person or an institution
    }
  }

  Xapian::Database db_;
  const Field& field_;
  std::string prefix_;
  const Codebook* codebook_;
  QueryNotes* notes_;
};

}  // namespace

std::span<const Field> Fields() { return kFields; }

const Field& GetField(FieldId id) {
  for (const Field& f : kFields)
    if (f.id == id) return f;
  return kFields[0];  // unreachable: every FieldId is in the table (checked by schema_test)
}

const Field* FindFieldByName(std::string_view name) {
  std::string lower = Lower(name);
  for (const Field& f : kFields)
    if (!f.name.empty() && f.name == lower) return &f;
  for (const FieldAlias& a : kFieldAliases)
    if (a.alias == lower) return &GetField(a.id);
  return nullptr;
}

std::string Prefix(FieldId id) { return std::string(GetField(id).prefix); }

std::string NormalizeEntityName(std::string_view name) {
  // Lower-case ASCII, fold punctuation to spaces, collapse spaces. Non-ASCII bytes are kept
  // as they are (names such as "Erdoğan" must still match themselves).
  std::string out;
  bool space = true;
  for (unsigned char c : name) {
    if (c >= 0x80 || std::isalnum(c)) {
      out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
      space = false;
    } else if (c == '\'') {
      // "O'Brien" stays one word
      out += '\'';
    } else if (!space) {
      out += ' ';
      space = true;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string IdTerm(std::string_view key) {
  std::string term = Prefix(FieldId::kId) + std::string(key);
  if (term.size() > kMaxTermBytes) {
    uint64_t h = 1469598103934665603ULL;  // FNV-1a 64, as corpus::HashHex
    for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
    term = Prefix(FieldId::kId) + fmt::format("h:{:016x}", h);
  }
  return term;
}

// id:KEY -> the id term, hashed like the indexer's when the key is too long for a term.
class IdFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& text) override { return Xapian::Query(IdTerm(text)); }
};

std::string EntityTerm(FieldId id, std::string_view canonical) {
  std::string term = Prefix(id) + NormalizeEntityName(canonical);
  if (term.size() > kMaxTermBytes) term.resize(kMaxTermBytes);
  return term;
}

std::string StatementsPath(const std::string& db_path) {
  return (std::filesystem::path(db_path) / kStatementsDir).string();
}

namespace {

// Whether `s` is valid UTF-8: no overlong forms, surrogates or code points past U+10FFFF (what
// nlohmann's serializer accepts without replacing anything).
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += len;
  }
  return true;
}

// Appends `s` (valid UTF-8) as a JSON string, escaped as nlohmann's dump() does with
// ensure_ascii off: quote, backslash and control characters only.
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: out->append(fmt::format("\\u{:04x}", c));
    }
  }
  out->append(s.data() + plain, s.size() - plain);
  out->push_back('"');
}

// EncodeStoredStatement through nlohmann (the reference; used for text that is not UTF-8).
std::string EncodeStoredStatementJson(const StoredStatement& s) {
  nlohmann::json j = {{"article_id", s.article_id},
                      {"title", s.title},
                      {"date", s.date},
                      {"source", s.source},
                      {"speaker", s.speaker},
                      {"speaker_type", s.speaker_type},
                      {"cue", s.cue},
                      {"direct", s.direct},
                      {"text", s.text},
                      {"start", s.start},
                      {"end", s.end},
                      {"in_title", s.in_title},
                      {"topics", s.topics}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

// Written directly (the same bytes as nlohmann's dump, keys in its sorted order): building a
// nlohmann object per statement was ~4 % of indexing's instructions.
std::string EncodeStoredStatement(const StoredStatement& s) {
  bool utf8 = ValidUtf8(s.article_id) && ValidUtf8(s.title) && ValidUtf8(s.date) &&
              ValidUtf8(s.source) && ValidUtf8(s.speaker) && ValidUtf8(s.speaker_type) &&
              ValidUtf8(s.cue) && ValidUtf8(s.text);
  for (const std::string& t : s.topics) utf8 = utf8 && ValidUtf8(t);
  if (!utf8) return EncodeStoredStatementJson(s);  // nlohmann replaces what is not UTF-8
  std::string out;
  out.reserve(160 + s.title.size() + s.text.size());
  auto key = [&](const char* k) {
    out += out.empty() ? "{\"" : ",\"";
    out += k;
    out += "\":";
  };
  key("article_id");
  AppendJsonString(s.article_id, &out);
  key("cue");
  AppendJsonString(s.cue, &out);
  key("date");
  AppendJsonString(s.date, &out);
  key("direct");
  out += s.direct ? "true" : "false";
  key("end");
  out += std::to_string(s.end);
  key("in_title");
  out += s.in_title ? "true" : "false";
  key("source");
  AppendJsonString(s.source, &out);
  key("speaker");
  AppendJsonString(s.speaker, &out);
  key("speaker_type");
  AppendJsonString(s.speaker_type, &out);
  key("start");
  out += std::to_string(s.start);
  key("text");
  AppendJsonString(s.text, &out);
  key("title");
  AppendJsonString(s.title, &out);
  key("topics");
  out += '[';
  for (size_t i = 0; i < s.topics.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(s.topics[i], &out);
  }
  out += "]}";
  return out;
}

Status DecodeStoredStatement(const std::string& data, StoredStatement* out) {
  nlohmann::json j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("speaker")) {
    return Status::Corruption("document data is not a Dossier statement");
  }
  *out = StoredStatement();
  auto str = [&](const char* key, std::string* field) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string()) *field = it->get<std::string>();
  };
  str("article_id", &out->article_id);
  str("title", &out->title);
  str("date", &out->date);
  str("source", &out->source);
  str("speaker", &out->speaker);
  str("speaker_type", &out->speaker_type);
  str("cue", &out->cue);
  str("text", &out->text);
  if (auto it = j.find("direct"); it != j.end() && it->is_boolean()) out->direct = it->get<bool>();
  if (auto it = j.find("in_title"); it != j.end() && it->is_boolean())
    out->in_title = it->get<bool>();
  if (auto it = j.find("start"); it != j.end() && it->is_number_unsigned())
    out->start = it->get<uint64_t>();
  if (auto it = j.find("end"); it != j.end() && it->is_number_unsigned())
    out->end = it->get<uint64_t>();
  if (auto it = j.find("topics"); it != j.end() && it->is_array()) {
    for (const auto& t : *it)
      if (t.is_string()) out->topics.push_back(t.get<std::string>());
  }
  return Status::OK();
}

std::string EncodeStoredArticle(const StoredArticle& a) {
  // The body goes after the JSON header, raw: decoding a hit's display fields must not
  // JSON-decode a long body (JSON text has no raw line break, so the first '\n' ends it).
  nlohmann::json j = {{"id", a.id},         {"title", a.title},   {"date", a.date},
                      {"source", a.source}, {"author", a.author}, {"url", a.url},
                      {"origin", a.origin}};
  if (!a.people.empty()) j["people"] = a.people;
  if (!a.institutions.empty()) j["institutions"] = a.institutions;
  if (!a.topics.empty()) j["topics"] = a.topics;
  if (!a.places.empty()) j["places"] = a.places;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n' + a.body;
}

namespace {

// The length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7: no overlong forms,
// surrogates or code points above U+10FFFF), or 0.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return at(k) >= lo && at(k) <= hi;
  };
  const unsigned c = at(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Reads the JSON header of a stored article as EncodeStoredArticle writes it: one object whose
// values are strings or arrays of strings, no \u escapes, no repeated key. nlohmann's parser
// was most of the time a plain query spent outside Xapian (~48,000 instructions a hit).
// Returns false on anything else, and the caller decodes with nlohmann::json instead, so that
// the result never differs from it.
class StoredHeaderReader {
 public:
  explicit StoredHeaderReader(std::string_view s) : s_(s) {}
  bool Read(StoredArticle* out) {
    Space();
    if (!Take('{')) return false;
    Space();
    if (Take('}')) return End();
    std::vector<std::string> seen;
    std::string key, value;
    std::vector<std::string> list;
    for (;;) {
      if (!String(&key)) return false;
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) return false;
      seen.push_back(key);
      Space();
      if (!Take(':')) return false;
      Space();
      if (Peek('"')) {
        if (!String(&value)) return false;
        if (std::string* f = StringField(key, out)) *f = std::move(value);
      } else if (Take('[')) {
        list.clear();
        Space();
        if (!Take(']')) {
          for (;;) {
            if (!String(&value)) return false;
            list.push_back(std::move(value));
            Space();
            if (Take(']')) break;
            if (!Take(',')) return false;
            Space();
          }
        }
        if (std::vector<std::string>* f = ListField(key, out)) *f = std::move(list);
      } else {
        return false;  // numbers, null, objects: left to nlohmann
      }
      Space();
      if (Take('}')) return End();
      if (!Take(',')) return false;
      Space();
    }
  }

 private:
  static std::string* StringField(const std::string& key, StoredArticle* a) {
    if (key == "id") return &a->id;
    if (key == "title") return &a->title;
    if (key == "date") return &a->date;
    if (key == "source") return &a->source;
    if (key == "author") return &a->author;
    if (key == "url") return &a->url;
    if (key == "origin") return &a->origin;
    return nullptr;
  }
  static std::vector<std::string>* ListField(const std::string& key, StoredArticle* a) {
    if (key == "people") return &a->people;
    if (key == "institutions") return &a->institutions;
    if (key == "topics") return &a->topics;
    if (key == "places") return &a->places;
    return nullptr;
  }
  bool End() {
    Space();
    return i_ == s_.size();
  }
  void Space() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) {
      ++i_;
    }
  }
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool Take(char c) {
    if (!Peek(c)) return false;
    ++i_;
    return true;
  }
  bool String(std::string* out) {
    if (!Take('"')) return false;
    out->clear();
    size_t run = i_;
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        out->append(s_.substr(run, i_ - run));
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const size_t n = Utf8SequenceLength(s_, i_);
        if (n == 0) return false;
        i_ += n;
        continue;
      }
      if (c == '\\') {
        out->append(s_.substr(run, i_ - run));
        if (++i_ >= s_.size()) return false;
        switch (s_[i_]) {
          case '"':
            *out += '"';
            break;
          case '\\':
            *out += '\\';
            break;
          case '/':
            *out += '/';
            break;
          case 'b':
            *out += '\b';
            break;
          case 'f':
            *out += '\f';
            break;
          case 'n':
            *out += '\n';
            break;
          case 'r':
            *out += '\r';
            break;
          case 't':
            *out += '\t';
            break;
          default:
            return false;  // \u: left to nlohmann
        }
        run = ++i_;
        continue;
      }
      ++i_;
    }
    return false;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

Status DecodeStoredArticle(const std::string& data, StoredArticle* out) {
  size_t nl = data.find('\n');
  if (nl == std::string::npos) return Status::Corruption("document data is not a Dossier article");
  *out = StoredArticle();
  if (StoredHeaderReader(std::string_view(data).substr(0, nl)).Read(out)) {
    out->body.assign(data, nl + 1);
    return Status::OK();
  }
  nlohmann::json j = nlohmann::json::parse(data.begin(), data.begin() + nl, nullptr,
                                           /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption("document data is not a Dossier article");
  auto get = [&](const char* key, std::string* field) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string()) *field = it->get<std::string>();
  };
  *out = StoredArticle();
  get("id", &out->id);
  get("title", &out->title);
  get("date", &out->date);
  get("source", &out->source);
  get("author", &out->author);
  get("url", &out->url);
  out->body.assign(data, nl + 1);
  get("origin", &out->origin);
  auto get_list = [&](const char* key, std::vector<std::string>* field) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_array()) return;
    for (const auto& v : *it)
      if (v.is_string()) field->push_back(v.get<std::string>());
  };
  get_list("people", &out->people);
  get_list("institutions", &out->institutions);
  get_list("topics", &out->topics);
  get_list("places", &out->places);
  return Status::OK();
}

void CivilFromSeconds(int64_t seconds, int* year, int* month, int* day) {
  using namespace std::chrono;
  auto days = sys_days{} +
              std::chrono::days{seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400)};
  year_month_day ymd{days};
  *year = int(ymd.year());
  *month = int(unsigned(ymd.month()));
  *day = int(unsigned(ymd.day()));
}

int64_t SecondsFromCivil(int y, int m, int d) {
  using namespace std::chrono;
  sys_days days =
      year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  return int64_t(days.time_since_epoch().count()) * 86400;
}

std::string FormatIsoDateTime(int64_t seconds) {
  int y, m, d;
  CivilFromSeconds(seconds, &y, &m, &d);
  int64_t rem = seconds % 86400;
  if (rem < 0) rem += 86400;
  y = std::clamp(y, 0, 9999);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rem / 3600, rem / 60 % 60,
                     rem % 60);
}

std::optional<int64_t> ParseQueryDate(std::string_view text, bool end) {
  // YYYY | YYYY-MM | YYYY-MM-DD | YYYYMMDD | YYYY-MM-DDTHH:MM[:SS][Z]
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (AllDigits(s) && s.size() == 8) {
    static thread_local std::string buf;
    buf = fmt::format("{}-{}-{}", s.substr(0, 4), s.substr(4, 2), s.substr(6, 2));
    return ParseQueryDate(buf, end);
  }
  if (s.size() < 4 || !AllDigits(s.substr(0, 4))) return std::nullopt;
  int y = ToInt(s.substr(0, 4));
  if (y < 1) return std::nullopt;
  if (s.size() == 4) {
    return end ? SecondsFromCivil(y + 1, 1, 1) - 1 : SecondsFromCivil(y, 1, 1);
  }
  if (s[4] != '-' || s.size() < 7 || !AllDigits(s.substr(5, 2))) return std::nullopt;
  int m = ToInt(s.substr(5, 2));
  if (m < 1 || m > 12) return std::nullopt;
  if (s.size() == 7) {
    return end ? SecondsFromCivil(y, m, LastDayOfMonth(y, m)) + 86399 : SecondsFromCivil(y, m, 1);
  }
  if (s[7] != '-' || s.size() < 10 || !AllDigits(s.substr(8, 2))) return std::nullopt;
  int d = ToInt(s.substr(8, 2));
  if (!ValidCivil(y, m, d)) return std::nullopt;
  int64_t day_start = SecondsFromCivil(y, m, d);
  if (s.size() == 10) return end ? day_start + 86399 : day_start;
  if ((s[10] != 'T' && s[10] != ' ') || s.size() < 16 || !AllDigits(s.substr(11, 2)) ||
      s[13] != ':' || !AllDigits(s.substr(14, 2))) {
    return std::nullopt;
  }
  int hh = ToInt(s.substr(11, 2)), mm = ToInt(s.substr(14, 2)), ss = 0;
  size_t pos = 16;
  if (s.size() >= 19 && s[16] == ':' && AllDigits(s.substr(17, 2))) {
    ss = ToInt(s.substr(17, 2));
    pos = 19;
  }
  std::string_view rest = s.substr(pos);
  if (!(rest.empty() || rest == "Z")) return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return day_start + hh * 3600 + mm * 60 + ss;
}

Xapian::Stem Stemmer() { return Xapian::Stem("english"); }

unsigned QueryParserFlags() {
  using QP = Xapian::QueryParser;
  return QP::FLAG_PHRASE | QP::FLAG_BOOLEAN | QP::FLAG_LOVEHATE | QP::FLAG_WILDCARD |
         QP::FLAG_PURE_NOT;
}

void ConfigureQueryParser(Xapian::QueryParser& qp, const Xapian::Database& db,
                          const Codebook* codebook, QueryNotes* notes) {
  qp.set_database(db);
  qp.set_stemmer(Stemmer());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.add_rangeprocessor((new DateRangeProcessor(kSlotDate, "date:", notes))->release());
  qp.add_rangeprocessor((new DateRangeProcessor(kSlotDate, "year:", notes))->release());
  for (const Field& f : kFields) {
    if (f.name.empty()) continue;
    std::vector<std::string> names = {std::string(f.name)};
    for (const FieldAlias& a : kFieldAliases)
      if (a.id == f.id) names.emplace_back(a.alias);
    for (const std::string& name : names) {
      switch (f.kind) {
        case FieldKind::kFreeText:
          qp.add_prefix(name, std::string(f.prefix));
          break;
        case FieldKind::kBoolean:
          if (f.id == FieldId::kMonth) {
            qp.add_boolean_prefix(name, (new MonthFieldProcessor(notes))->release());
          } else if (f.id == FieldId::kDay) {
            qp.add_boolean_prefix(name, (new DayFieldProcessor(notes))->release());
          } else if (f.id == FieldId::kId) {
            qp.add_boolean_prefix(name, (new IdFieldProcessor())->release());
          } else {
            qp.add_boolean_prefix(name, std::string(f.prefix));
          }
          break;
        case FieldKind::kEntity:
          // An article has many people: person:a person:b means both (AND), unlike
          // single-valued boolean fields where two values of one field mean either (OR).
          qp.add_boolean_prefix(name, (new EntityFieldProcessor(db, f, codebook, notes))->release(),
                                /*exclusive=*/false);
          break;
        case FieldKind::kInternal:
          break;
      }
    }
  }
  qp.add_boolean_prefix("date", (new DateFieldProcessor(notes))->release());
}

Status OpenForReading(const std::string& path, Xapian::Database* db) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(
        fmt::format("no database at '{}' (create one with dossier-index)", path));
  }
  try {
    std::string version;
    // An indexer committing while we open (or read the version) makes the revision being read
    // go away: open again, a little later, and read the new one.
    for (int attempt = 0;; ++attempt) {
      try {
        *db = Xapian::Database(path);
        version = db->get_metadata(std::string(kSchemaVersionKey));
        break;
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt >= 60) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(2 * attempt, 50)));
      }
    }
    if (version.empty()) {
      return Status::Corruption(
          fmt::format("'{}' is a Xapian database but not a Dossier one", path));
    }
    if (version != std::to_string(kSchemaVersion)) {
      return Status::VersionMismatch(fmt::format(
          "'{}' has schema version {}, this dossier-search reads version {}: re-index it", path,
          version, kSchemaVersion));
    }
  } catch (...) {
    return StatusFromCurrentXapianError(fmt::format("opening '{}'", path));
  }
  return Status::OK();
}

}  // namespace dossier::schema
