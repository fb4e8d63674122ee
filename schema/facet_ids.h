// Facet ids: each shard numbers the names of its name-valued facet slots (people,
// institutions, topics, places, source, speaker) and stores, per document, the ids of the
// document's names in one short value (kSlotFacetIds), so that counting facets reads one short
// value per match and adds small integers, instead of reading four to six long values and
// looking every name up.
//
// Layout (per shard):
//   metadata dossier.fid:SLOT:FIRST -> names SLOT's ids FIRST, FIRST+1, ... stand for, one per
//                                      line (SLOT: 2 digits; FIRST: 8 hex digits). Written
//                                      once per commit with the names it added; ids only grow.
//   value kSlotFacetIds             -> kFacetIdsVersion, then for each slot with names: the
//                                      slot number, the count, the ids (varints), in slot order.
// The names are the values of the slots as written (the '\n'-separated lists), so counts from
// ids equal counts from the slots. Documents without the value (written by an older
// dossier-index) are counted from their slots.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::schema {

inline constexpr std::string_view kFacetIdsKeyPrefix = "dossier.fid:";
// dossier.fidn:SLOT -> how many names SLOT's numbering holds (decimal), for readers deciding
// whether loading it pays.
inline constexpr std::string_view kFacetIdsCountKeyPrefix = "dossier.fidn:";
inline constexpr char kFacetIdsVersion = 1;
// The slots that get ids (all < kFacetIdSlotCount).
inline constexpr std::array<Xapian::valueno, 6> kFacetIdSlots = {2, 3, 4, 5, 6, 7};
inline constexpr Xapian::valueno kFacetIdSlotCount = 8;

// The ids of one document, by slot: ids[slot] (empty for slots without names).
using FacetIds = std::array<std::vector<uint32_t>, kFacetIdSlotCount>;

// Decodes a kSlotFacetIds value into `out` (cleared first). False if it is not one.
bool DecodeFacetIds(std::string_view value, FacetIds* out);

// Assigns ids while an indexer writes one shard. Methods may throw Xapian::Error.
class FacetIdsWriter {
 public:
  // Loads the shard's numbering. If it is unreadable (not as this code writes it), the writer
  // stays off: documents get no ids and are counted from their slots.
  void Open(Xapian::WritableDatabase& db);
  // Sets `doc`'s kSlotFacetIds from its name slots, numbering new names.
  void Add(Xapian::Document& doc);
  // Writes the names numbered since the last call (and a missing or wrong name count). Call
  // just before db.commit().
  void BeforeCommit(Xapian::WritableDatabase& db);
  // Whether BeforeCommit has anything to write.
  bool Pending() const;

 private:
  // Name -> id, compact: the names one after another in one string, an open-addressing table
  // of (hash tag, id) — about the name's length + 20 bytes per name, against ~100 for a
  // std::unordered_map<std::string, uint32_t>. A writer of a large archive holds hundreds of
  // thousands of names per shard (the resident set must stay bounded).
  class NameTable {
   public:
    // The id of `name`; a new name gets the next id, size() (`*added` says which).
    uint32_t FindOrAdd(std::string_view name, bool* added);
    // Numbers `name` size() even if it has an id already (a numbering read back that names one
    // name twice: look-ups keep finding the first id, as readers do).
    void Append(std::string_view name);
    uint32_t size() const { return static_cast<uint32_t>(ends_.size()); }
    void Reserve(size_t names);

   private:
    std::string_view Name(uint32_t id) const;
    void Grow(size_t slots);
    // The slot holding `name`, or the empty slot where it would go; `tag` its hash tag.
    size_t Probe(std::string_view name, uint64_t* tag) const;
    uint32_t Push(std::string_view name, size_t slot, uint64_t tag);
    std::string arena_;            // the names, concatenated in id order
    std::vector<uint64_t> ends_;   // ends_[id]: where name id ends in arena_
    std::vector<uint64_t> slots_;  // (hash >> 32) << 32 | (id + 1); 0: empty
  };
  struct Numbering {
    NameTable ids;
    uint32_t next = 0;
    uint32_t first_pending = 0;
    std::string pending;  // names numbered since the last commit, one per line
    bool count_stale = false;  // dossier.fidn:SLOT is missing or wrong
  };
  bool on_ = false;
  std::array<Numbering, kFacetIdSlotCount> numbering_;
  FacetIds scratch_;
};

// Calls f(name) for the names of `slot`'s ids in one shard, in id order (0, 1, ...). False if
// the numbering is unreadable (then no document's ids of that shard may be used; f may have
// been called for some names). May throw Xapian::Error.
bool ForEachFacetName(const Xapian::Database& shard, Xapian::valueno slot,
                      const std::function<void(std::string_view)>& f);
// How many names `slot`'s numbering holds in one shard; nullopt if not recorded.
std::optional<uint64_t> FacetNameCount(const Xapian::Database& shard, Xapian::valueno slot);
// The same a chunk at a time: f(list) with the names of consecutive ids, each followed by a
// line break, in id order.
bool ForEachFacetChunk(const Xapian::Database& shard, Xapian::valueno slot,
                       const std::function<void(const std::string&)>& f);
// The same into a vector (`names[id]`). False if the numbering is unreadable
// (then no document's ids of that shard may be used). May throw Xapian::Error.
bool LoadFacetNames(const Xapian::Database& shard, Xapian::valueno slot,
                    std::vector<std::string>* names);

}  // namespace dossier::schema
