// Near-duplicate grouping: joins articles whose SimHashes are close into one duplicate group
// (schema kSlotGroup), at the end of every index run.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "schema/status.h"

namespace dossier::indexer {

// Two articles are near duplicates when their 64-bit SimHashes (schema kSlotSimHash) differ in
// at most this many bits. Manku, Jain & Das Sarma (WWW 2007) use 3 of 64 for web pages; on the
// BBC set the pairs of bodies sharing 97-99 % of their word 3-shingles are 1-5 bits apart, and
// no pair sharing less than 97 % is within 5 bits (README), so 4 catches more lightly edited
// copies at no cost in wrong merges there. Groups are the transitive closure: A~B and B~C put
// A, B and C in one group.
inline constexpr int kNearDuplicateBits = 4;

// What one article contributes to the clustering.
struct Fingerprint {
  uint64_t exact = 0;    // kSlotDupGroup: equal for exact duplicates
  uint64_t simhash = 0;  // kSlotSimHash, when has_simhash
  bool has_simhash = false;
};

// The group of each fingerprint: the smallest `exact` of its cluster, where a cluster joins
// equal `exact` values and SimHashes within kNearDuplicateBits (found by banding: the 64 bits
// cut into kNearDuplicateBits + 1 bands, any two SimHashes within kNearDuplicateBits bits agree
// on at least one band; candidates are checked by their real distance). Deterministic: the same
// input in any order gives the same groups. Memory: about 12 bytes per fingerprint besides the
// input.
std::vector<uint64_t> NearDuplicateGroups(const std::vector<Fingerprint>& fingerprints);

struct RegroupStats {
  uint64_t articles = 0;          // articles read
  uint64_t groups = 0;            // duplicate groups of two or more articles
  uint64_t near_groups = 0;       // of which hold articles with different exact fingerprints
  uint64_t grouped_articles = 0;  // articles in those groups
  uint64_t rewritten = 0;         // articles whose group changed (their documents rewritten)
};

// Recomputes the duplicate group (kSlotGroup) of every article in `shards` (the article shards
// of one database, opened for writing, everything committed) from their kSlotDupGroup and
// kSlotSimHash values, and rewrites only the documents whose group changed, committing each
// shard (every few thousand changes, and at its end). Crash-safe: a kill leaves every document
// with a valid group (some clusters not yet joined, or joined in some shards only); running
// again finishes the job. Reads value streams, so it is fast; memory is about 44 bytes per
// article. Returns the first Xapian error (documents committed before it stay), naming
// `names[i]`, the path of the shard concerned.
Status RegroupDuplicates(const std::vector<Xapian::WritableDatabase*>& shards,
                         const std::vector<std::string>& names, RegroupStats* stats);

}  // namespace dossier::indexer
