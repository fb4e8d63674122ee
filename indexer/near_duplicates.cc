// Near-duplicate grouping: SimHash banding plus union-find over every article, then a rewrite
// of the duplicate-group slot where it changed.
#include "indexer/near_duplicates.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <limits>
#include <numeric>

#include "schema/name_words.h"
#include "schema/schema.h"

namespace dossier::indexer {
namespace {

// kNearDuplicateBits + 1 bands (of 12 or 13 bits for 4): two SimHashes within
// kNearDuplicateBits bits differ in at most that many bands, so they agree on at least one
// (pigeonhole). Narrower bands would make bigger candidate buckets (about n / 2^bits each).
constexpr int kBands = kNearDuplicateBits + 1;
int BandStart(int band) { return band * 64 / kBands; }
// Changed documents are committed every this many, so that a big regrouping does not hold
// all its changes in memory.
constexpr uint64_t kCommitEvery = 5000;

uint32_t Find(std::vector<uint32_t>& parent, uint32_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

// The root of a set is always its smallest index (NearDuplicateGroups relies on it).
void Union(std::vector<uint32_t>& parent, uint32_t a, uint32_t b) {
  a = Find(parent, a);
  b = Find(parent, b);
  if (a < b) {
    parent[b] = a;
  } else if (b < a) {
    parent[a] = b;
  }
}

bool ParseHex64(const std::string& s, uint64_t* out) {
  if (s.size() != 16 || s.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
  *out = std::strtoull(s.c_str(), nullptr, 16);
  return true;
}

std::string Hex64(uint64_t v) { return fmt::format("{:016x}", v); }

}  // namespace

std::vector<uint64_t> NearDuplicateGroups(const std::vector<Fingerprint>& fps) {
  const size_t n = fps.size();
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<uint64_t> buf(n);

  // Exact duplicates: equal fingerprints, adjacent once sorted.
  std::iota(buf.begin(), buf.end(), uint64_t{0});
  std::sort(buf.begin(), buf.end(), [&](uint64_t a, uint64_t b) {
    return fps[a].exact != fps[b].exact ? fps[a].exact < fps[b].exact : a < b;
  });
  for (size_t i = 1; i < n; ++i) {
    if (fps[buf[i]].exact == fps[buf[i - 1]].exact)
      Union(parent, static_cast<uint32_t>(buf[i - 1]), static_cast<uint32_t>(buf[i]));
  }

  // Near duplicates: for each band, the SimHashes that agree on it are candidates.
  for (int band = 0; band < kBands; ++band) {
    size_t m = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!fps[i].has_simhash) continue;
      const int width = BandStart(band + 1) - BandStart(band);
      const uint64_t key = (fps[i].simhash >> BandStart(band)) & ((uint64_t{1} << width) - 1);
      buf[m++] = (key << 32) | i;
    }
    std::sort(buf.begin(), buf.begin() + m);
    for (size_t start = 0; start < m;) {
      size_t end = start + 1;
      while (end < m && (buf[end] >> 32) == (buf[start] >> 32)) ++end;
      if (end - start > 1) {
        // Equal SimHashes first (one comparison each), then the distinct ones pairwise.
        auto idx = [&](size_t k) { return static_cast<uint32_t>(buf[k] & 0xffffffffu); };
        std::sort(buf.begin() + start, buf.begin() + end, [&](uint64_t a, uint64_t b) {
          const uint64_t ha = fps[a & 0xffffffffu].simhash, hb = fps[b & 0xffffffffu].simhash;
          return ha != hb ? ha < hb : a < b;
        });
        std::vector<uint32_t> distinct;
        for (size_t k = start; k < end; ++k) {
          if (k > start && fps[idx(k)].simhash == fps[idx(k - 1)].simhash) {
            Union(parent, idx(k - 1), idx(k));
          } else {
            distinct.push_back(idx(k));
          }
        }
        // TODO: a band value shared by thousands of distinct SimHashes (machine-made text)
        // makes this quadratic; real news spreads them evenly (about n / 4096 per value).
        for (size_t a = 0; a < distinct.size(); ++a) {
          for (size_t b = a + 1; b < distinct.size(); ++b) {
            if (std::popcount(fps[distinct[a]].simhash ^ fps[distinct[b]].simhash) <=
                kNearDuplicateBits) {
              Union(parent, distinct[a], distinct[b]);
            }
          }
        }
      }
      start = end;
    }
  }

  // The group: the smallest exact fingerprint of the cluster, gathered at its root. A root is
  // the smallest index of its set, so in index order it is final before its members read it.
  std::fill(buf.begin(), buf.end(), std::numeric_limits<uint64_t>::max());
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = Find(parent, static_cast<uint32_t>(i));
    buf[r] = std::min(buf[r], fps[i].exact);
  }
  for (size_t i = 0; i < n; ++i) buf[i] = buf[Find(parent, static_cast<uint32_t>(i))];
  return buf;
}

Status RegroupDuplicates(const std::vector<Xapian::WritableDatabase*>& shards,
                         const std::vector<std::string>& names, RegroupStats* stats) {
  *stats = RegroupStats();
  std::vector<Fingerprint> fps;
  std::vector<Xapian::docid> docids;
  std::vector<uint64_t> current;  // the group each article has now
  std::vector<bool> has_current;
  std::vector<size_t> shard_begin;
  // Sized once (growing by doubling would hold the old and the new array together).
  size_t articles = 0;
  try {
    for (const Xapian::WritableDatabase* db : shards) articles += db->get_doccount();
  } catch (const Xapian::Error&) {
    articles = 0;  // the reading below reports it
  }
  fps.reserve(articles);
  docids.reserve(articles);
  for (size_t s = 0; s < shards.size(); ++s) {
    shard_begin.push_back(fps.size());
    const size_t base = fps.size();
    try {
      Xapian::WritableDatabase& db = *shards[s];
      // Value streams run in docid order: every article has an exact fingerprint, so its
      // stream lists them all, and the two others are merged into it.
      for (auto it = db.valuestream_begin(schema::kSlotDupGroup);
           it != db.valuestream_end(schema::kSlotDupGroup); ++it) {
        uint64_t v;
        if (!ParseHex64(*it, &v)) continue;
        fps.push_back({v, 0, false});
        docids.push_back(it.get_docid());
      }
      current.resize(fps.size(), 0);
      has_current.resize(fps.size(), false);
      auto merge = [&](Xapian::valueno slot, auto on_value) {
        size_t k = base;
        for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
          const Xapian::docid did = it.get_docid();
          while (k < fps.size() && docids[k] < did) ++k;
          if (k == fps.size()) break;
          uint64_t v;
          if (docids[k] == did && ParseHex64(*it, &v)) on_value(k, v);
        }
      };
      merge(schema::kSlotSimHash, [&](size_t k, uint64_t v) {
        fps[k].simhash = v;
        fps[k].has_simhash = true;
      });
      merge(schema::kSlotGroup, [&](size_t k, uint64_t v) {
        current[k] = v;
        has_current[k] = true;
      });
    } catch (...) {
      return StatusFromCurrentXapianError(
          fmt::format("reading duplicate groups of '{}'", names[s]));
    }
  }
  shard_begin.push_back(fps.size());
  stats->articles = fps.size();

  const std::vector<uint64_t> groups = NearDuplicateGroups(fps);
  for (size_t s = 0; s < shards.size(); ++s) {
    try {
      Xapian::WritableDatabase& db = *shards[s];
      uint64_t pending = 0;
      for (size_t k = shard_begin[s]; k < shard_begin[s + 1]; ++k) {
        if (has_current[k] && current[k] == groups[k]) continue;
        // Only a value changes: Xapian rewrites the values, not the terms.
        Xapian::Document doc = db.get_document(docids[k]);
        doc.add_value(schema::kSlotGroup, Hex64(groups[k]));
        db.replace_document(docids[k], doc);
        ++stats->rewritten;
        if (++pending >= kCommitEvery) {
          schema::KeepNameWordsStamp(db);  // names are unchanged
          db.commit();
          pending = 0;
        }
      }
      // Nothing left to commit: no new revision (searchers would retry for nothing).
      if (pending > 0) schema::KeepNameWordsStamp(db);
      db.commit();
    } catch (...) {
      return StatusFromCurrentXapianError(fmt::format("regrouping duplicates in '{}'", names[s]));
    }
  }

  // Figures for the summary: groups of two or more, and those joining different texts.
  std::vector<Xapian::docid>().swap(docids);
  std::vector<uint64_t>().swap(current);
  std::vector<uint32_t> order(fps.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return groups[a] != groups[b] ? groups[a] < groups[b] : fps[a].exact < fps[b].exact;
  });
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && groups[order[end]] == groups[order[start]]) ++end;
    if (end - start > 1) {
      ++stats->groups;
      stats->grouped_articles += end - start;
      if (fps[order[start]].exact != fps[order[end - 1]].exact) ++stats->near_groups;
    }
    start = end;
  }
  return Status::OK();
}

}  // namespace dossier::indexer
