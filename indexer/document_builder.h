// Turning an Article (plus its analysis) into a Xapian document, following schema/.
#pragma once

#include <xapian.h>

#include <string>

#include "corpus/article.h"
#include "indexer/entities.h"
#include "indexer/statements.h"

namespace dossier::indexer {

// Title words count this many times a body word in the unprefixed (default) field, so that
// a query word in the title ranks above the same word in the body.
inline constexpr Xapian::termcount kTitleWeight = 3;
// Bodies longer than this are indexed up to here only (the full body is still stored).
inline constexpr size_t kMaxIndexedBodyBytes = 4 * 1024 * 1024;

// What the indexer knows about an article beyond its fields: its key and content hash.
struct ArticleIdentity {
  std::string key;           // corpus::ArticleKey()
  std::string content_hash;  // corpus::ContentHash()
};

// Builds the document: positional, stemmed title/body/author/source words, boolean id, url
// and date terms, entity terms (when `entities` is not null), the value slots, and the stored
// article as document data. `tg` is reused between calls for speed (its document and position
// are reset here). Never throws except std::bad_alloc and Xapian errors.
Xapian::Document BuildDocument(const corpus::Article& a, const ArticleIdentity& ident,
                               const ArticleEntities* entities, Xapian::TermGenerator& tg);

// Builds a statement document: the statement's words (positional, stemmed), speaker, cue,
// quote kind, topics and the article's date and source terms; the date/source/topics/speaker
// value slots; a StoredStatement as data; and the article's id term, which links it to `a`.
Xapian::Document BuildStatementDocument(const corpus::Article& a, const ArticleIdentity& ident,
                                        const Statement& st, Xapian::TermGenerator& tg);

// Content fingerprints for duplicate detection (see schema kSlotDupGroup / kSlotSimHash).
// Words are runs of letters and digits (any byte >= 0x80 counts as a letter), ASCII lower-cased.
uint64_t ExactFingerprint(std::string_view title, std::string_view body);
// The SimHash of the body's word 3-shingles; `shingles` (may be null) receives their number.
uint64_t SimHash(std::string_view body, size_t* shingles = nullptr);
// Bodies with fewer shingles than this (about two sentences) get no SimHash: a short text's
// SimHash says little, and identical short bodies under different titles (a stock caption,
// "Full story to follow") are not the same story. Such articles group by exact fingerprint only.
inline constexpr size_t kMinSimHashShingles = 20;
// The group key of a statement (schema kSlotGroup): FNV-1a 64 of the speaker's and the
// statement's words, lower-cased, punctuation and spacing ignored.
uint64_t StatementGroup(std::string_view speaker, std::string_view text);

// The unique-id term for an article key ("Q" + key, hashed if too long for a term).
std::string IdTerm(const std::string& key);

}  // namespace dossier::indexer
