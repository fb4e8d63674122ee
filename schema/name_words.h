// An index from the words of entity names to the names, kept per shard in Xapian metadata, so
// that `person:blinken` finds "antony blinken" without reading every name of the field.
//
// Layout (metadata of each article and statements shard):
//   dossier.nw:PREFIX:WORD:REV -> the entity terms' names (without PREFIX) added in the commit
//                                 that made revision REV (8 hex digits) and containing WORD,
//                                 one per line. Written once per commit and word, so a commit
//                                 costs what it adds (after a compaction, which starts the
//                                 revisions again, a commit appends to the older list).
//   dossier.name_words         -> the revision at which the index lists every name in the
//                                 shard (decimal).
// The index may list names no document holds any more (deleted or replaced articles): readers
// check that each name's term still exists. It is complete only while dossier.name_words equals
// the shard's revision: a commit by anything that does not keep it (an older dossier-index)
// leaves it stale, readers then fall back to reading every name, and the next dossier-index
// run rebuilds it.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace dossier::schema {

inline constexpr std::string_view kNameWordsKey = "dossier.name_words";
inline constexpr std::string_view kNameWordPrefix = "dossier.nw:";

// The words of a normalised entity name (split at spaces).
std::vector<std::string> NameWords(std::string_view name);

// Keeps one shard's index while an indexer writes it. All methods may throw Xapian::Error.
class NameWordsWriter {
 public:
  // Prepares the shard's index: kept as it is when complete at the shard's current revision,
  // else (a shard written by an older dossier-index, or by one that did not keep the index)
  // rebuilt from every name the shard holds, to be committed with the next batch.
  void Open(Xapian::WritableDatabase& db);
  // Notes the entity names of `doc` that `db` does not hold yet. Call before adding `doc`.
  void Note(Xapian::WritableDatabase& db, const Xapian::Document& doc);
  // Writes the names noted since the last call and stamps the index complete at the revision
  // the next commit makes. Call just before db.commit().
  void BeforeCommit(Xapian::WritableDatabase& db);

 private:
  // Writes the lists of the pending names under revision `next`, after any list already
  // under the same key when `append`; clears the pending names.
  void WriteLists(Xapian::WritableDatabase& db, Xapian::rev next, bool append);

  bool active_ = false;
  std::unordered_set<std::string> pending_;  // whole entity terms, prefix included
};

// Whether the index of `db` (one local shard) lists every name at its current revision.
bool NameWordsComplete(const Xapian::Database& db);

// For writers that commit without changing any entity names (regrouping duplicates,
// compaction): keeps a complete index's stamp valid across their next commit. Call just
// before db.commit().
void KeepNameWordsStamp(Xapian::WritableDatabase& db);

// The terms of entity prefix `prefix` in `db` (every shard) whose names contain every word of
// `want_words` (as whole words), sorted; nullopt when some shard has no complete index (or is
// remote), in which case the caller must read the names itself. May throw Xapian::Error.
std::optional<std::vector<std::string>> LookupNameWords(const Xapian::Database& db,
                                                        const std::string& prefix,
                                                        const std::vector<std::string>& want_words);

}  // namespace dossier::schema
