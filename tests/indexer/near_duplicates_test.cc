// Tests for near-duplicate clustering (indexer/near_duplicates.cc).
#include "indexer/near_duplicates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace dossier::indexer {
namespace {

Fingerprint Fp(uint64_t exact, uint64_t simhash) { return {exact, simhash, true}; }
Fingerprint NoSimHash(uint64_t exact) { return {exact, 0, false}; }

TEST(NearDuplicateGroupsTest, JoinsWithinTheThresholdOnly) {
  const uint64_t base = 0x0123456789abcdefULL;
  // One bit in each of the first four bands (they start at bits 0, 12, 25, 38, 51): only the
  // fifth band brings the near pair together.
  const uint64_t four_bits = base ^ 0x0001000100010001ULL;
  const uint64_t five_bits = base ^ 0x1000100010001004ULL;  // 9 bits from four_bits
  std::vector<uint64_t> g =
      NearDuplicateGroups({Fp(50, base), Fp(40, four_bits), Fp(30, five_bits)});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0], 40u);  // the smallest exact fingerprint of the cluster
  EXPECT_EQ(g[1], 40u);
  EXPECT_EQ(g[2], 30u);  // 5 bits from base: its own group
}

TEST(NearDuplicateGroupsTest, NearPairsDifferingInEveryBandButOneAreFound) {
  // 4 differing bits spread over 4 of the 5 bands (bands start at bits 0, 12, 25, 38, 51).
  const uint64_t a = 0xfedcba9876543210ULL;
  const uint64_t b = a ^ ((1ULL << 1) | (1ULL << 13) | (1ULL << 26) | (1ULL << 39));
  std::vector<uint64_t> g = NearDuplicateGroups({Fp(7, a), Fp(9, b)});
  EXPECT_EQ(g, (std::vector<uint64_t>{7, 7}));
}

TEST(NearDuplicateGroupsTest, ExactDuplicatesWithoutSimHashAndChains) {
  const uint64_t s = 0xaaaaaaaa55555555ULL;
  std::vector<Fingerprint> fps = {
      NoSimHash(5),      NoSimHash(5),    NoSimHash(6),  // short bodies: exact groups only
      Fp(100, s),        Fp(90, s ^ 0xf),                // near (4 bits)
      Fp(80, s ^ 0xf0f),                                 // 4 bits from the second, 8 from the first
      Fp(70, 0),                                         // far away
  };
  std::vector<uint64_t> g = NearDuplicateGroups(fps);
  EXPECT_EQ(g, (std::vector<uint64_t>{5, 5, 6, 80, 80, 80, 70}));
}

TEST(NearDuplicateGroupsTest, SameGroupsInAnyOrder) {
  std::mt19937_64 rng(42);
  std::vector<Fingerprint> fps;
  for (int i = 0; i < 2000; ++i) {
    uint64_t h = rng();
    fps.push_back(Fp(rng(), h));
    if (i % 10 == 0) fps.push_back(Fp(rng(), h ^ (1ULL << (i % 64))));  // a near copy
    if (i % 25 == 0) fps.push_back(fps.back());                         // an exact copy
  }
  std::vector<uint64_t> g = NearDuplicateGroups(fps);
  std::vector<size_t> order(fps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Fingerprint> shuffled;
  for (size_t i : order) shuffled.push_back(fps[i]);
  std::vector<uint64_t> g2 = NearDuplicateGroups(shuffled);
  for (size_t k = 0; k < order.size(); ++k) ASSERT_EQ(g2[k], g[order[k]]) << k;
  // Every near copy joined its original; random SimHashes stay apart.
  std::sort(g.begin(), g.end());
  const size_t groups = std::unique(g.begin(), g.end()) - g.begin();
  EXPECT_EQ(groups, 2000u);
}

TEST(NearDuplicateGroupsTest, Empty) { EXPECT_TRUE(NearDuplicateGroups({}).empty()); }

}  // namespace
}  // namespace dossier::indexer
