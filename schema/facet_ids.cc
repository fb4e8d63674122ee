#include "schema/facet_ids.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "schema/schema.h"

namespace dossier::schema {
namespace {

static_assert(kSlotFacetIds >= kFacetIdSlotCount);

// Single-valued slots hold one name; the others a '\n'-separated list (empty entries skipped).
bool SingleValued(Xapian::valueno slot) { return slot == kSlotSource || slot == kSlotSpeaker; }

std::string SlotKeyPrefix(Xapian::valueno slot) {
  return fmt::format("{}{:02}:", kFacetIdsKeyPrefix, slot);
}

void PutVarint(uint32_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(const unsigned char*& p, const unsigned char* end, uint32_t* v) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28 && p < end; shift += 7) {
    const unsigned char b = *p++;
    result |= static_cast<uint32_t>(b & 0x7f) << shift;
    if (b < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

// Calls f(name) for each name of a slot value, as the facet counters read it.
template <typename F>
void ForEachName(Xapian::valueno slot, std::string_view value, F f) {
  if (value.empty()) return;
  if (SingleValued(slot)) {
    f(value);
    return;
  }
  size_t i = 0;
  while (i < value.size()) {
    size_t j = value.find('\n', i);
    if (j == std::string_view::npos) j = value.size();
    if (j > i) f(value.substr(i, j - i));
    i = j + 1;
  }
}

}  // namespace

bool DecodeFacetIds(std::string_view value, FacetIds* out) {
  for (auto& v : *out) v.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const auto* end = p + value.size();
  if (p == end || *p++ != kFacetIdsVersion) return false;
  while (p < end) {
    const unsigned slot = *p++;
    uint32_t count;
    if (slot >= kFacetIdSlotCount || !GetVarint(p, end, &count) || count > value.size())
      return false;
    std::vector<uint32_t>& ids = (*out)[slot];
    ids.resize(count);  // keeps its capacity from document to document
    uint32_t* q = ids.data();
    for (uint32_t k = 0; k < count; ++k) {
      if (p < end && *p < 0x80) {  // most ids are below 128 or a little more
        q[k] = *p++;
      } else if (!GetVarint(p, end, &q[k])) {
        return false;
      }
    }
  }
  return true;
}

bool ForEachFacetChunk(const Xapian::Database& shard, Xapian::valueno slot,
                       const std::function<void(const std::string&)>& f) {
  const std::string prefix = SlotKeyPrefix(slot);
  uint64_t count = 0;
  for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) {
    const std::string key = *it;
    uint64_t first = 0;
    if (key.size() != prefix.size() + 8) return false;
    for (char c : key.substr(prefix.size())) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      first = first * 16 + static_cast<uint64_t>(std::isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0'
                                                     : std::tolower(c) - 'a' + 10);
    }
    if (first != count) return false;  // ids must follow on from the last chunk
    const std::string list = shard.get_metadata(key);
    if (!list.empty() && list.back() != '\n') return false;  // every name ends a line
    count += static_cast<uint64_t>(std::count(list.begin(), list.end(), '\n'));
    f(list);
  }
  return true;
}

bool ForEachFacetName(const Xapian::Database& shard, Xapian::valueno slot,
                      const std::function<void(std::string_view)>& f) {
  return ForEachFacetChunk(shard, slot, [&](const std::string& list) {
    size_t i = 0;
    while (i < list.size()) {
      const size_t j = list.find('\n', i);
      f(std::string_view(list).substr(i, j - i));
      i = j + 1;
    }
  });
}

std::optional<uint64_t> FacetNameCount(const Xapian::Database& shard, Xapian::valueno slot) {
  const std::string v = shard.get_metadata(fmt::format("{}{:02}", kFacetIdsCountKeyPrefix, slot));
  uint64_t n = 0;
  if (v.empty() || v.size() > 12) return std::nullopt;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

bool LoadFacetNames(const Xapian::Database& shard, Xapian::valueno slot,
                    std::vector<std::string>* names) {
  names->clear();
  return ForEachFacetName(shard, slot, [&](std::string_view name) { names->emplace_back(name); });
}

std::string_view FacetIdsWriter::NameTable::Name(uint32_t id) const {
  const uint64_t begin = id == 0 ? 0 : ends_[id - 1];
  return std::string_view(arena_).substr(begin, ends_[id] - begin);
}

void FacetIdsWriter::NameTable::Grow(size_t slots) {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(slots, 0);
  const size_t mask = slots - 1;
  for (uint64_t e : old) {
    if (e == 0) continue;
    size_t i = static_cast<size_t>(e >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = e;
  }
}

void FacetIdsWriter::NameTable::Reserve(size_t names) {
  size_t slots = 16;
  while (slots < 2 * names) slots *= 2;
  if (slots > slots_.size()) Grow(slots);
  ends_.reserve(names);
}

size_t FacetIdsWriter::NameTable::Probe(std::string_view name, uint64_t* tag) const {
  *tag = std::hash<std::string_view>{}(name) >> 32;
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(*tag) & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask) {
    if ((slots_[i] >> 32) == *tag && Name(static_cast<uint32_t>(slots_[i]) - 1) == name) break;
  }
  return i;
}

uint32_t FacetIdsWriter::NameTable::Push(std::string_view name, size_t slot, uint64_t tag) {
  const uint32_t id = size();
  arena_.append(name);
  ends_.push_back(arena_.size());
  if (slots_[slot] == 0) slots_[slot] = (tag << 32) | (uint64_t{id} + 1);
  return id;
}

uint32_t FacetIdsWriter::NameTable::FindOrAdd(std::string_view name, bool* added) {
  if (2 * (ends_.size() + 1) > slots_.size()) Grow(std::max<size_t>(16, 2 * slots_.size()));
  uint64_t tag;
  const size_t i = Probe(name, &tag);
  *added = slots_[i] == 0;
  return *added ? Push(name, i, tag) : static_cast<uint32_t>(slots_[i]) - 1;
}

void FacetIdsWriter::NameTable::Append(std::string_view name) {
  if (2 * (ends_.size() + 1) > slots_.size()) Grow(std::max<size_t>(16, 2 * slots_.size()));
  uint64_t tag;
  const size_t i = Probe(name, &tag);
  Push(name, i, tag);
}

void FacetIdsWriter::Open(Xapian::WritableDatabase& db) {
  on_ = false;
  for (Xapian::valueno slot : kFacetIdSlots) {
    Numbering& n = numbering_[slot];
    n = Numbering();
    std::vector<std::string> names;
    if (!LoadFacetNames(db, slot, &names)) return;
    n.ids.Reserve(names.size());
    for (const std::string& name : names) n.ids.Append(name);
    n.next = n.ids.size();
    n.first_pending = n.next;
    // A numbering written before the counts were (or by a writer that lost them) gets its
    // count with the next commit: readers only use numberings whose size they know.
    const std::optional<uint64_t> count = FacetNameCount(db, slot);
    n.count_stale = n.next > 0 && (!count || *count != n.next);
  }
  on_ = true;
}

void FacetIdsWriter::Add(Xapian::Document& doc) {
  if (!on_) return;
  std::string value(1, kFacetIdsVersion);
  for (Xapian::valueno slot : kFacetIdSlots) {
    const std::string v = doc.get_value(slot);
    if (v.empty()) continue;
    // A single name with a line break cannot be stored in the numbering: no ids then.
    if (SingleValued(slot) && v.find('\n') != std::string::npos) return;
    Numbering& n = numbering_[slot];
    std::vector<uint32_t>& ids = scratch_[slot];
    ids.clear();
    ForEachName(slot, v, [&](std::string_view name) {
      bool added;
      const uint32_t id = n.ids.FindOrAdd(name, &added);
      if (added) {
        ++n.next;
        n.pending.append(name);
        n.pending += '\n';
      }
      ids.push_back(id);
    });
    if (ids.empty()) continue;
    value.push_back(static_cast<char>(slot));
    PutVarint(static_cast<uint32_t>(ids.size()), &value);
    for (uint32_t id : ids) PutVarint(id, &value);
  }
  doc.add_value(kSlotFacetIds, value);
}

void FacetIdsWriter::BeforeCommit(Xapian::WritableDatabase& db) {
  if (!on_) return;
  for (Xapian::valueno slot : kFacetIdSlots) {
    Numbering& n = numbering_[slot];
    if (n.pending.empty() && !n.count_stale) continue;
    if (!n.pending.empty())
      db.set_metadata(fmt::format("{}{:08x}", SlotKeyPrefix(slot), n.first_pending), n.pending);
    db.set_metadata(fmt::format("{}{:02}", kFacetIdsCountKeyPrefix, slot), std::to_string(n.next));
    n.pending.clear();
    n.first_pending = n.next;
    n.count_stale = false;
  }
}

bool FacetIdsWriter::Pending() const {
  if (!on_) return false;
  for (Xapian::valueno slot : kFacetIdSlots) {
    if (!numbering_[slot].pending.empty() || numbering_[slot].count_stale) return true;
  }
  return false;
}

}  // namespace dossier::schema
