// Codebook: canonical entities (people, institutions, places) and topics with their aliases.
// Shared by the indexer (extraction) and the searcher (matching a query's name to a canonical one).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schema/status.h"

namespace dossier::schema {

enum class EntityType { kPerson, kInstitution, kPlace, kTopic };

// "person", "institution", "place", "topic": the spelling used in codebook files and output.
std::string_view EntityTypeName(EntityType t);
// The inverse of EntityTypeName; also accepts "org"/"organisation"/"organization" for
// institutions and "people"/"location" for the obvious ones. nullopt when unknown.
std::optional<EntityType> ParseEntityType(std::string_view name);

struct CodebookEntry {
  EntityType type;
  std::string canonical;             // "Antony Blinken", "US Department of State", "ceasefire"
  std::vector<std::string> aliases;  // surface forms / signal phrases, canonical included
};

// Folds a name or phrase for comparison: lower case (ASCII and Latin-1 letters), typographic
// quotes to ', periods and hyphens/dashes inside words removed ("U.S." -> "us", "cease-fire" ->
// "ceasefire"), other punctuation and runs of spaces to one space, trimmed.
// The extractor uses the same folding token by token.
std::string FoldName(std::string_view text);

// A list of entries, looked up by folded alias. Entries are unique by (type, folded canonical):
// adding an entry that already exists adds its new aliases to the existing one.
//
// The text format, one entry per line (see schema/codebooks/world-news.tsv for a commented one):
//   TYPE <TAB> CANONICAL [<TAB> ALIAS | ALIAS | ...]
// Blank lines and lines starting with '#' are ignored. TYPE is person, institution, place or
// topic. For topics the aliases are the words and phrases that signal the topic.
class Codebook {
 public:
  Codebook() = default;

  // The built-in world-news codebook (schema/codebooks/world-news.tsv, compiled into the binary).
  // Built on first use; thread-safe.
  static const Codebook& Default();

  // Adds the entries of a codebook file. On failure returns NotFound/IOError for an unreadable
  // file or InvalidArgument "path:line: ..." for a malformed line; the codebook is then unchanged.
  Status LoadFile(const std::string& path);
  // The same, from memory; `name` stands for the path in error messages.
  Status LoadString(std::string_view text, const std::string& name);

  // Adds every entry of `other` (aliases of existing entries are merged).
  void Merge(const Codebook& other);

  // Stable hex digest (SHA-256 of Serialise()) of the whole content, order included.
  std::string Digest() const;
  // The codebook in its text format; LoadString reads it back to an equal codebook.
  std::string Serialise() const;

  const std::vector<CodebookEntry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  // Entries whose canonical name or an alias equals `text` after FoldName, or, if none, whose
  // canonical name contains all words of `text` (a leading "the" ignored) as whole words.
  // Restricted to `type` when given. Pointers stay valid until the codebook is next modified.
  std::vector<const CodebookEntry*> Resolve(std::string_view text,
                                            std::optional<EntityType> type) const;

 private:
  // Adds or merges one entry; aliases are deduplicated by FoldName, canonical always first.
  void Add(CodebookEntry entry);

  std::vector<CodebookEntry> entries_;
  // FoldName(alias or canonical) -> indices into entries_.
  std::unordered_map<std::string, std::vector<size_t>> by_alias_;
  // (type, FoldName(canonical)) as "t\x1f" + fold -> index into entries_.
  std::unordered_map<std::string, size_t> by_canonical_;
};

}  // namespace dossier::schema
