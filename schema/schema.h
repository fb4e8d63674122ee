// The contract between indexer and searcher: fields, term prefixes, value slots, document data.
// Every term prefix string appears in schema.cc and nowhere else (notmuch lib/prefix.cc).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schema/codebook.h"
#include "schema/status.h"

namespace dossier::schema {

// Bumped whenever a change makes old databases unreadable or wrong for the new searcher.
// Stored in the database metadata under kSchemaVersionKey and checked on every open.
// 2: statements database, body after a JSON header; 3: duplicate-group slot (kSlotGroup), near
// duplicates, SimHash only for bodies long enough to have one.
inline constexpr int kSchemaVersion = 3;
inline constexpr std::string_view kSchemaVersionKey = "dossier.schema_version";
// The codebook used at index time, in its text form (Codebook::Serialise), and its digest.
inline constexpr std::string_view kCodebookKey = "dossier.codebook";
inline constexpr std::string_view kCodebookDigestKey = "dossier.codebook_digest";
// In a statements database: how its text was indexed. kStatementsStemAllZ: only Z-prefixed
// stemmed terms, with positions (Xapian's STEM_ALL_Z: half the terms of STEM_SOME, phrases
// still work), so its queries must be parsed with STEM_ALL_Z too. Absent: STEM_SOME, as the
// articles (statements databases written before this key existed keep that).
inline constexpr std::string_view kStatementsStemmingKey = "dossier.statements_stemming";
inline constexpr std::string_view kStatementsStemAllZ = "all_z";

enum class FieldKind {
  kFreeText,  // positional, stemmed words; also indexed unprefixed for plain search
  kBoolean,   // exact terms (ids, codes, years); filters, never ranked
  kEntity,    // canonical entity names; boolean terms, matched by alias via a FieldProcessor
  kInternal,  // written by the indexer, never exposed to the query parser
};

// Identifies a field so code can ask for its prefix without spelling the prefix out.
enum class FieldId {
  kId,
  kTitle,
  kBody,
  kAuthor,
  kSource,
  kUrl,
  kYear,
  kMonth,
  kDay,
  kPerson,
  kInstitution,
  kTopic,
  kPlace,
  // Statement documents (the statements database) only:
  kSpeaker,
  kCue,
  kQuote,
};

struct Field {
  FieldId id;
  std::string_view name;    // user-facing name in the query language ("title"); "" if none
  std::string_view prefix;  // Xapian term prefix ("S"); "" for unprefixed body text
  FieldKind kind;
  std::string_view help;  // one line for --help
};

// All fields, in the order --help lists them.
std::span<const Field> Fields();
// The field with this id. Never fails: every FieldId has exactly one entry.
const Field& GetField(FieldId id);
// The field a user-facing name refers to (aliases such as "org" included), or nullptr.
const Field* FindFieldByName(std::string_view name);
// Shorthand: GetField(id).prefix as a std::string.
std::string Prefix(FieldId id);

// Xapian's limit on a term's length is 245 bytes; longer terms are cut to this.
inline constexpr size_t kMaxTermBytes = 240;

// The form in which entity names are stored and compared: ASCII lower-cased, punctuation
// folded to single spaces ("U.S. State-Department" -> "u s state department").
std::string NormalizeEntityName(std::string_view name);
// The unique-id term of an article key: "Q" + key, or "Q" + "h:" + 16 hex digits of its
// FNV-1a hash when that would be longer than a term may be.
std::string IdTerm(std::string_view key);

// The boolean term for a canonical entity name of field `id` (kPerson, kInstitution, ...).
std::string EntityTerm(FieldId id, std::string_view canonical);

// Value slots. Each comment gives the encoding (Omega values.h).
enum Slot : Xapian::valueno {
  kSlotDate =
      0,  // Xapian::sortable_serialise(seconds since 1970-01-01T00:00:00Z); absent if unknown
  kSlotContentHash = 1,   // 16 lower-case hex digits: 64-bit hash of the article's content fields
  kSlotSource = 2,        // the source as written ("BBC News"); used for the source facet
  kSlotPeople = 3,        // reserved (entities): canonical people, joined by '\n'
  kSlotInstitutions = 4,  // reserved (entities): canonical institutions, joined by '\n'
  kSlotTopics = 5,        // reserved (entities): canonical topics, joined by '\n'
  kSlotPlaces = 6,        // reserved (entities): canonical places, joined by '\n'
  kSlotSpeaker = 7,       // statements: the speaker's canonical name
  kSlotDupGroup = 8,      // 16 hex digits: FNV-1a 64 of the article's title and body words, lower-
                          // cased, punctuation and spacing ignored; equal for exact duplicates
                          // (the exact fingerprint; the group itself is kSlotGroup)
  kSlotSimHash = 9,       // 16 hex digits: 64-bit SimHash of the body's word 3-shingles; near
                          // duplicates differ in few bits. Absent when the body has fewer than
                          // indexer::kMinSimHashShingles shingles (too short to tell)
  kSlotGroup = 10,  // 16 hex digits: the duplicate group, the --dedup collapse key. Articles: the
                    // smallest kSlotDupGroup of the article's near-duplicate cluster (set to its
                    // own kSlotDupGroup when written, regrouped at the end of every index run).
                    // Statements: FNV-1a 64 of the speaker's and the statement's words, so the
                    // same statement by the same speaker is one group
  kSlotFacetIds = 11,  // the shard's ids of the names in slots 2-7, for counting facets
                       // (schema/facet_ids.h); absent in documents of older indexers
};

// The statements database lives beside the articles: DIR/statements, with the same number
// of shards, each statement in the shard of its article.
inline constexpr std::string_view kStatementsDir = "statements";
// The statements database of the database at `db_path`.
std::string StatementsPath(const std::string& db_path);

// What the indexer stores for one statement (document data of a statement document).
struct StoredStatement {
  std::string article_id;  // the article's key
  std::string title;       // the article's display title
  std::string date;        // the article's date, ISO 8601 UTC or ""
  std::string source;
  std::string speaker;          // canonical name
  std::string speaker_type;     // "person" or "institution"
  std::string cue;              // cue lemma: "say", "reject", "according to"
  bool direct = false;          // a direct quotation
  std::string text;             // the statement as it stands in the article
  uint64_t start = 0, end = 0;  // code-point offsets of text in the article body (or title)
  bool in_title = false;
  std::vector<std::string> topics;  // codebook topics signalled in the statement itself
};
std::string EncodeStoredStatement(const StoredStatement& s);
// Returns Corruption if `data` is not an encoded StoredStatement.
Status DecodeStoredStatement(const std::string& data, StoredStatement* out);

// What the indexer stores as document data and the searcher reads back for display.
// Encoded as a one-line JSON object of every field but the body, a '\n', then the body as it
// is (see SCHEMA.md); unknown keys are ignored when decoding so that adding a field does not
// need a schema version bump.
struct StoredArticle {
  std::string id;     // the article's identity (see corpus/identity.h)
  std::string title;  // may be empty: the display title then falls back to the first sentence
  std::string date;   // ISO 8601 UTC ("2023-11-14T10:00:00Z") or empty when unknown
  std::string source;
  std::string author;
  std::string url;
  std::string body;    // the normalised body text (UTF-8)
  std::string origin;  // where it was read from: "path" or "path:line"
  // Canonical entity names, in order of first mention.
  std::vector<std::string> people, institutions, topics, places;
};
std::string EncodeStoredArticle(const StoredArticle& a);
// Returns Corruption if `data` is not an encoded StoredArticle.
Status DecodeStoredArticle(const std::string& data, StoredArticle* out);

// Date conversions shared by both sides. Seconds are since the Unix epoch, UTC.
// "2023-11-14T10:00:00Z"; years outside 0..9999 are clamped in the text form only.
std::string FormatIsoDateTime(int64_t seconds);
// Civil date parts of `seconds`.
void CivilFromSeconds(int64_t seconds, int* year, int* month, int* day);
// Seconds at 00:00:00Z of the given civil date (month 1-12, day 1-31; not validated).
int64_t SecondsFromCivil(int year, int month, int day);

// Parses a date as typed in a query or --from/--to: YYYY, YYYY-MM, YYYY-MM-DD, or a full ISO
// 8601 date-time. `end` selects the last second of the period instead of the first, so that
// "--to 2023-12" includes all of December. Returns nullopt when the text is not such a date.
std::optional<int64_t> ParseQueryDate(std::string_view text, bool end);

// Notes the query parser leaves for --explain, e.g. which names an entity filter matched.
struct QueryNotes {
  std::vector<std::string> lines;
  // The first bad field value met while parsing ("month: cannot read 'x' as a month ..."), or
  // "". The field processors record it and return MatchNothing instead of throwing: an
  // exception thrown through Xapian 1.4's QueryParser can free memory it does not own
  // (found by fuzz_query). The caller clears it before parsing and refuses the query if set.
  std::string error;
};

// Sets up a QueryParser for this schema: stemming, default operator AND, every user-facing
// field of Fields(), the date:/year: ranges. `db` is used for wildcard expansion and for the
// entity names it holds. Entity fields (person:, org:, topic:, place:) match a name in three
// ways, all together: the exact canonical name; the codebook's aliases (`codebook`, may be
// null); and every canonical name in the database containing all the words given.
// `notes` (may be null) receives one line per entity filter saying what it matched.
// `codebook` and `notes` must outlive the parser's queries.
void ConfigureQueryParser(Xapian::QueryParser& qp, const Xapian::Database& db,
                          const Codebook* codebook = nullptr, QueryNotes* notes = nullptr);
// The flags Dossier passes to QueryParser::parse_query.
unsigned QueryParserFlags();
// The stemmer used at index and query time.
Xapian::Stem Stemmer();

// Opens a database for reading and checks its schema version. On failure returns
// NotFound / VersionMismatch / Corruption with a message naming `path`.
Status OpenForReading(const std::string& path, Xapian::Database* db);

}  // namespace dossier::schema
