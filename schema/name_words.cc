#include "schema/name_words.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "schema/schema.h"

namespace dossier::schema {
namespace {

// Metadata keys are limited (Glass: 255 bytes with its own overhead); a longer word is keyed
// by its first bytes, and readers check whole words anyway.
constexpr size_t kMaxKeyWordBytes = 180;

std::string WordKey(std::string_view prefix, std::string_view word) {
  std::string key(kNameWordPrefix);
  key += prefix;
  key += ':';
  key += word.substr(0, kMaxKeyWordBytes);
  key += ':';
  return key;
}

// The prefixes of the entity fields, whose names the index covers.
const std::vector<std::string>& EntityPrefixes() {
  static const std::vector<std::string> prefixes = [] {
    std::vector<std::string> out;
    for (const Field& f : Fields())
      if (f.kind == FieldKind::kEntity) out.emplace_back(f.prefix);
    return out;
  }();
  return prefixes;
}

bool Stamped(const Xapian::Database& db) {
  return db.get_metadata(std::string(kNameWordsKey)) == std::to_string(db.get_revision());
}

bool HasAllWords(std::string_view name, const std::vector<std::string>& want_words) {
  const std::vector<std::string> words = NameWords(name);
  return std::all_of(want_words.begin(), want_words.end(), [&](const std::string& w) {
    return std::find(words.begin(), words.end(), w) != words.end();
  });
}

}  // namespace

std::vector<std::string> NameWords(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

void NameWordsWriter::Open(Xapian::WritableDatabase& db) {
  pending_.clear();
  active_ = true;
  if (db.get_doccount() == 0 || Stamped(db)) return;
  // Written before the index existed, or stale: rebuild it from the names the shard holds
  // (one pass over the entity terms; committed with the next batch).
  std::vector<std::string> old_keys;
  for (auto it = db.metadata_keys_begin(std::string(kNameWordPrefix));
       it != db.metadata_keys_end(std::string(kNameWordPrefix)); ++it) {
    old_keys.push_back(*it);
  }
  for (const std::string& key : old_keys) db.set_metadata(key, "");  // "" deletes
  for (const std::string& prefix : EntityPrefixes()) {
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
      pending_.insert(*it);
    // One field at a time: the lists of a field are built in memory, then handed to Xapian.
    WriteLists(db, db.get_revision() + 1, /*append=*/false);
  }
}

void NameWordsWriter::Note(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  if (!active_) return;
  for (const std::string& prefix : EntityPrefixes()) {
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(prefix);
    for (; it != doc.termlist_end(); ++it) {
      std::string term = *it;
      if (term.compare(0, prefix.size(), prefix) != 0) break;
      if (pending_.count(term) || db.term_exists(term)) continue;
      pending_.insert(std::move(term));
    }
  }
}

void NameWordsWriter::BeforeCommit(Xapian::WritableDatabase& db) {
  if (!active_) return;
  const Xapian::rev next = db.get_revision() + 1;
  WriteLists(db, next, /*append=*/true);
  db.set_metadata(std::string(kNameWordsKey), std::to_string(next));
}

void NameWordsWriter::WriteLists(Xapian::WritableDatabase& db, Xapian::rev next, bool append) {
  const std::string rev_suffix = fmt::format("{:08x}", next);
  std::map<std::string, std::string> lists;  // key -> names, one per line
  for (const std::string& term : pending_) {
    for (const std::string& prefix : EntityPrefixes()) {
      if (term.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string_view name = std::string_view(term).substr(prefix.size());
      std::vector<std::string> words = NameWords(name);
      std::sort(words.begin(), words.end());
      words.erase(std::unique(words.begin(), words.end()), words.end());
      for (const std::string& w : words) {
        std::string& list = lists[WordKey(prefix, w) + rev_suffix];
        list.append(name);
        list += '\n';
      }
      break;
    }
  }
  for (auto& [key, list] : lists) {
    // Revisions start again at 1 after compaction: never overwrite an older commit's list.
    std::string before = append ? db.get_metadata(key) : std::string();
    db.set_metadata(key, before.empty() ? list : before + list);
  }
  pending_.clear();
}

bool NameWordsComplete(const Xapian::Database& db) { return Stamped(db); }

void KeepNameWordsStamp(Xapian::WritableDatabase& db) {
  if (Stamped(db))
    db.set_metadata(std::string(kNameWordsKey), std::to_string(db.get_revision() + 1));
}

std::optional<std::vector<std::string>> LookupNameWords(
    const Xapian::Database& db, const std::string& prefix,
    const std::vector<std::string>& want_words) {
  std::vector<std::string> out;
  if (want_words.empty()) return out;
  // One word's lists, checked for the others: the longest word is usually the rarest.
  const std::string& probe = *std::max_element(
      want_words.begin(), want_words.end(),
      [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
  const std::string key = WordKey(prefix, probe);
  // Database::internal (public in the 1.4 header, marked internal) gives the shards as `db`
  // reads them, at its revision; see FacetCounter::CountShards.
  for (size_t shard = 0; shard < db.size(); ++shard) {
    Xapian::Database one(db.internal[shard].get());
    try {
      if (!Stamped(one)) return std::nullopt;
    } catch (const Xapian::Error&) {
      return std::nullopt;  // no revision: a remote shard
    }
    for (auto it = one.metadata_keys_begin(key); it != one.metadata_keys_end(key); ++it) {
      const std::string list = one.get_metadata(*it);
      size_t i = 0;
      while (i < list.size()) {
        size_t j = list.find('\n', i);
        if (j == std::string::npos) j = list.size();
        std::string_view name(list.data() + i, j - i);
        if (!name.empty() && HasAllWords(name, want_words))
          out.push_back(prefix + std::string(name));
        i = j + 1;
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  // Names whose last article was deleted or replaced stay in the index.
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const std::string& t) { return !db.term_exists(t); }),
            out.end());
  return out;
}

}  // namespace dossier::schema
