// Crash safety, resume, disk full and concurrency of the real dossier-index / dossier-search.
#include <gtest/gtest.h>
#include <signal.h>
#include <xapian.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include "reliability_util.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kArticles = 3000;
constexpr int kBatch = 100;
constexpr uint32_t kSeed = 20240611;

std::string IndexCommand(const std::string& db, const std::string& input, int batch = kBatch,
                         const std::string& extra = "") {
  return Quote(IndexBin()) + " --db " + Quote(db) + " --batch-size " + std::to_string(batch) +
         " --jobs 2 --quiet --json " + extra + " " + Quote(input);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Every shard of `db` passes xapian-check; returns the failures.
std::string CheckAllShards(const std::string& db) {
  std::string failures;
  for (const std::string& shard : ShardPaths(db)) failures += XapianCheck(shard);
  return failures;
}

// One generated corpus, shared by the tests here.
class CorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    corpus_ = GenerateJsonl(kArticles, kSeed);
    input_ = dir_->Write("articles.jsonl", corpus_);
  }
  static void TearDownTestSuite() { delete dir_; }

  static TempDir* dir_;
  static std::string corpus_, input_;
};
TempDir* CorpusTest::dir_;
std::string CorpusTest::corpus_, CorpusTest::input_;

// The corpus and its clean (uninterrupted) index, to compare interrupted runs with.
class CrashTest : public CorpusTest {
 protected:
  static void SetUpTestSuite() {
    CorpusTest::SetUpTestSuite();
    clean_db_ = dir_->File("clean");
    auto start = std::chrono::steady_clock::now();
    clean_run_ = new CommandResult(RunCommand(IndexCommand(clean_db_, input_)));
    clean_seconds_ = SecondsSince(start);
    clean_ = new Snapshot(TakeSnapshot(clean_db_));
  }
  static void TearDownTestSuite() {
    delete clean_;
    delete clean_run_;
    CorpusTest::TearDownTestSuite();
  }
  void SetUp() override {
    ASSERT_EQ(clean_run_->status, 0) << clean_run_->err;
    ASSERT_EQ(clean_->total, kArticles);
    ASSERT_EQ(clean_->ids.size(), static_cast<size_t>(kArticles));
  }

  static std::string clean_db_;
  static CommandResult* clean_run_;
  static double clean_seconds_;
  static Snapshot* clean_;
};
std::string CrashTest::clean_db_;
CommandResult* CrashTest::clean_run_;
double CrashTest::clean_seconds_;
Snapshot* CrashTest::clean_;

TEST_F(CrashTest, CleanRunIsConsistent) {
  EXPECT_EQ(CheckAllShards(clean_db_), "");
  json j = json::parse(clean_run_->out);
  EXPECT_EQ(j["added"], kArticles);
  // Every probe query finds something, so that comparing them below means something.
  for (const auto& [q, r] : clean_->queries) EXPECT_GT(r.first, 0) << q;
}

// SIGKILL at seeded random moments (one or two crashes per trial), xapian-check after each,
// then re-run the same command to the end and compare with the clean run.
TEST_F(CrashTest, SigkillAtRandomPointsThenResume) {
  std::mt19937 rng(kSeed);
  constexpr int kTrials = 6;
  int kills = 0, partial = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    std::string db = dir_->File("trial-" + std::to_string(trial));
    int crashes = 1 + static_cast<int>(rng() % 2);
    int64_t present = 0;
    for (int c = 0; c < crashes; ++c) {
      // The delay counts from the moment the stub exists (see StubMissingAfterEarlyKill for
      // kills before that), over most of a clean run's length.
      // A resumed run has less left to do: scale by the part not yet indexed.
      double delay = std::uniform_real_distribution<double>(0.02, 0.7)(rng) * clean_seconds_ *
                     (1.0 - static_cast<double>(present) / kArticles);
      Child child(IndexCommand(db, input_), dir_->File("out"), dir_->File("err"));
      ASSERT_TRUE(WaitForFile(db + "/XAPIANDB", 30));
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      child.Kill(SIGKILL);
      int status = child.Wait();
      if (status == 128 + SIGKILL) ++kills;
      ASSERT_EQ(ShardPaths(db).size(), 2u);
      ASSERT_EQ(CheckAllShards(db), "") << "after a kill at " << delay << " s";
      // Nothing is committed between batches: each shard holds whole batches only.
      int64_t total = 0;
      for (const std::string& shard : ShardPaths(db)) {
        int64_t n = DocCount(shard);
        ASSERT_GE(n, 0) << shard;
        if (status == 128 + SIGKILL) {
          EXPECT_EQ(n % kBatch, 0) << shard << " after " << delay << " s";
        }
        total += n;
      }
      EXPECT_GE(total, present) << "a crash lost committed documents";
      present = total;
      if (status == 128 + SIGKILL && total > 0 && total < kArticles) ++partial;
    }
    CommandResult resume = RunCommand(IndexCommand(db, input_));
    ASSERT_EQ(resume.status, 0) << resume.err;
    json j = json::parse(resume.out);
    EXPECT_EQ(j["unchanged"].get<int64_t>(), present);
    EXPECT_EQ(j["updated"], 0);
    EXPECT_EQ(j["added"].get<int64_t>() + present, kArticles);
    EXPECT_EQ(CheckAllShards(db), "");
    Snapshot got = TakeSnapshot(db);
    EXPECT_EQ(DescribeDifference(*clean_, got), "");
    std::error_code ec;
    fs::remove_all(db, ec);
  }
  RecordProperty("kills", kills);
  RecordProperty("partial", partial);
  std::cerr << "[ crash    ] " << kTrials << " trials, " << kills << " SIGKILLs, " << partial
            << " left a partial index (clean run " << clean_seconds_ << " s)\n";
  EXPECT_GE(kills, kTrials / 2) << "too few kills landed before the indexer finished";
  EXPECT_GE(partial, 2) << "too few kills landed mid-run to prove anything";
}

// A SIGKILL after the shards are created but before the XAPIANDB stub is written.
TEST_F(CrashTest, StubMissingAfterEarlyKill) {
  // Regression (was a bug): indexer/indexer.cc Indexer::Open creates DIR/shard-K (committing their schema
  // version) before WriteStub writes DIR/XAPIANDB. A kill in between leaves a folder the next
  // run refuses ("'DIR' is a folder with other files in it, not a Dossier database"), so the
  // crash is not resumable. Reproduce: dossier-index --db d a.jsonl & poll until d/shard-0
  // exists, kill -9; dossier-index --db d a.jsonl -> exit 2 with that message.
  std::string db = dir_->File("early");
  {
    Child child(IndexCommand(db, input_), dir_->File("out"), dir_->File("err"));
    ASSERT_TRUE(WaitForFile(db + "/shard-0", 30));
    child.Kill(SIGKILL);
    child.Wait();
  }
  CommandResult resume = RunCommand(IndexCommand(db, input_));
  EXPECT_EQ(resume.status, 0) << resume.err;
  EXPECT_EQ(DescribeDifference(*clean_, TakeSnapshot(db)), "");
}

// Disk full, simulated with a file size limit: write() fails with EFBIG (SIGXFSZ ignored).
class DiskFullTest : public CrashTest {
 protected:
  // Indexes the first 1000 articles, then the other 2000 under a file size limit a little
  // above the biggest file so far. Returns the limited run.
  CommandResult RunOutOfSpace(const std::string& db, std::string* rest_path, Snapshot* before) {
    auto [first, rest] = SplitLines(corpus_, 1000);
    std::string first_path = dir_->Write("first.jsonl", first);
    *rest_path = dir_->Write("rest.jsonl", rest);
    CommandResult r = RunCommand(IndexCommand(db, first_path));
    EXPECT_EQ(r.status, 0) << r.err;
    *before = TakeSnapshot(db);
    uintmax_t biggest = 0;
    for (const auto& e : fs::recursive_directory_iterator(db))
      if (e.is_regular_file()) biggest = std::max(biggest, e.file_size());
    uintmax_t limit_blocks = biggest / 1024 + 200;  // bash's ulimit -f counts 1024-byte blocks
    return RunCommand("bash -c " + Quote("trap '' XFSZ; ulimit -f " + std::to_string(limit_blocks) +
                                         "; exec " + IndexCommand(db, *rest_path)));
  }
};

TEST_F(DiskFullTest, FailsCleanlyAndKeepsCommittedWork) {
  std::string db = dir_->File("diskfull"), rest_path;
  Snapshot before;
  CommandResult full = RunOutOfSpace(db, &rest_path, &before);
  ASSERT_EQ(before.total, 1000);
  EXPECT_EQ(full.status, 2) << full.err;
  EXPECT_NE(full.err.find("dossier-index: "), std::string::npos) << full.err;
  EXPECT_NE(full.err.find(db), std::string::npos) << "the message names the database: " << full.err;
  EXPECT_EQ(full.err.find("terminate called"), std::string::npos) << full.err;
  EXPECT_EQ(full.err.find("internal error"), std::string::npos) << full.err;
  EXPECT_EQ(CheckAllShards(db), "");
  Snapshot after = TakeSnapshot(db);
  EXPECT_GE(after.total, before.total);
  EXPECT_LT(after.total, kArticles) << "the size limit did not bite";
  EXPECT_TRUE(std::includes(after.ids.begin(), after.ids.end(), before.ids.begin(), before.ids.end()))
      << "documents committed before the disk filled were lost";
  // Every document present is searchable, by its id and by its words.
  for (size_t i = 0; i < after.ids.size(); i += 97) {
    EXPECT_EQ(SearchJson(db, "--no-snippets " + Quote("id:" + after.ids[i]))["total"], 1)
        << after.ids[i];
  }
  // Resuming with space again gives the same database as an uninterrupted run.
  CommandResult resume = RunCommand(IndexCommand(db, rest_path));
  ASSERT_EQ(resume.status, 0) << resume.err;
  json j = json::parse(resume.out);
  EXPECT_EQ(j["unchanged"].get<int64_t>(), after.total - before.total);
  EXPECT_EQ(DescribeDifference(*clean_, TakeSnapshot(db)), "");
}

TEST_F(DiskFullTest, MessageSaysTheDiskIsFull) {
  // Regression (was a bug): the message is "committing to 'DB/shard-1': DatabaseError: Error writing block
  // 125", printed twice (once as the sink's fatal error, once from Close()); the OS reason
  // ("File too large" / "No space left on device", Xapian's Error::get_error_string()) is
  // dropped by StatusFromCurrentXapianError (schema/status.cc), so the user is not told the
  // disk is full. The summary also counts as "added" the articles of the batch whose commit
  // failed (indexer/indexer.cc ShardWriter::Add increments before the commit).
  std::string db = dir_->File("diskfull-message"), rest_path;
  Snapshot before;
  CommandResult full = RunOutOfSpace(db, &rest_path, &before);
  EXPECT_EQ(full.status, 2);
  EXPECT_TRUE(full.err.find("File too large") != std::string::npos ||
              full.err.find("No space left") != std::string::npos)
      << full.err;
  EXPECT_EQ(full.err.find("Error writing block"), full.err.rfind("Error writing block")) << full.err;
}

class LockTest : public CorpusTest {};

// One writer at a time: a second dossier-index waits --wait seconds, then names the database.
TEST_F(LockTest, SecondWriterWaitsThenFails) {
  std::string db = dir_->File("locked");
  std::string other = dir_->Write("other.jsonl", R"({"id": "other-1", "body": "second writer"})" "\n");
  // Batches of 2: the first writer commits often and runs for several seconds.
  Child first(IndexCommand(db, input_, 4), dir_->File("first.out"), dir_->File("first.err"));
  ASSERT_TRUE(WaitForFile(db + "/XAPIANDB", 30));
  auto start = std::chrono::steady_clock::now();
  CommandResult second = RunCommand(IndexCommand(db, other, kBatch, "--wait 1"));
  double waited = SecondsSince(start);
  int first_status = -1;
  bool first_done = first.Poll(&first_status);
  ASSERT_FALSE(first_done) << "the first writer finished too soon to test locking";
  EXPECT_EQ(second.status, 2) << second.err;
  EXPECT_GE(waited, 0.9);
  EXPECT_LT(waited, 10);
  EXPECT_NE(second.err.find(db), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("another dossier-index"), std::string::npos) << second.err;
  EXPECT_EQ(CountLines(second.err), 1) << second.err;
  EXPECT_EQ(first.Wait(), 0);
  EXPECT_EQ(CheckAllShards(db), "");
  EXPECT_EQ(DocCount(db), kArticles);
  EXPECT_EQ(SearchJson(db, "id:other-1")["total"], 0);
}

TEST_F(LockTest, SecondWriterWaitsForTheLock) {
  std::string db = dir_->File("waiting");
  std::string other = dir_->Write("other.jsonl", R"({"id": "other-1", "body": "second writer"})" "\n");
  // Under ASan the leak check at exit can take seconds on a loaded machine, after the locks
  // are released; the first writer skips it (every other test checks for leaks).
  Child first("env ASAN_OPTIONS=detect_leaks=0 " + IndexCommand(db, input_, 5), dir_->File("first.out"),
              dir_->File("first.err"));
  ASSERT_TRUE(WaitForFile(db + "/XAPIANDB", 30));
  auto start = std::chrono::steady_clock::now();
  CommandResult second = RunCommand(IndexCommand(db, other, kBatch, "--wait 120"));
  double second_done = SecondsSince(start);
  EXPECT_EQ(first.Wait(), 0);
  double first_done = SecondsSince(start);
  // The first writer releases its locks in Close(), a moment before it exits: allow that much.
  EXPECT_GE(second_done, first_done - 2.0) << "the second writer ran while the first held the lock";
  EXPECT_GE(second_done, 1.0) << "the second writer did not wait";
  EXPECT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(CheckAllShards(db), "");
  EXPECT_EQ(DocCount(db), kArticles + 1);
}

// Searchers in a loop while the indexer commits: no errors, and each loop's totals only grow
// and are always a committed state (whole batches per shard, or the final count).
// `queries` are dossier-search arguments; the first must match every article.
// Errors from the known retry bugs (see ConcurrentSearchersDuringRapidCommits) are counted
// apart when `tolerate_known_bugs`; any other error fails.
void RunSearchersDuringIndexing(const TempDir& dir, const std::string& input, int64_t articles,
                                int batch, const std::vector<std::string>& queries,
                                bool tolerate_known_bugs = false) {
  std::string db = dir.File("concurrent-" + std::to_string(batch));
  Child indexer(IndexCommand(db, input, batch), dir.File("ix.out"), dir.File("ix.err"));
  ASSERT_TRUE(WaitForFile(db + "/XAPIANDB", 30));
  std::atomic<bool> done{false};
  struct Loop {
    explicit Loop(std::string a) : args(std::move(a)) {}
    std::string args;
    int runs = 0, errors = 0, known_bug_errors = 0, not_monotonic = 0, mixed = 0;
    std::vector<int64_t> totals;
    std::string first_error;
  };
  std::vector<Loop> loops;
  for (const std::string& q : queries) loops.emplace_back(q);
  std::vector<std::thread> threads;
  for (Loop& loop : loops) {
    threads.emplace_back([&loop, &done, &db, tolerate_known_bugs] {
      while (!done) {
        CommandResult r = RunCommand(Quote(SearchBin()) + " --db " + Quote(db) +
                                     " --format json " + loop.args);
        ++loop.runs;
        json j = json::parse(r.out, nullptr, false);
        if ((r.status != 0 && r.status != 1) || j.is_discarded() || !r.err.empty()) {
          if (tolerate_known_bugs && (Contains(r.err, "DatabaseModifiedError") ||
                                      Contains(r.err, "kept changing under the search"))) {
            ++loop.known_bug_errors;
            continue;
          }
          if (++loop.errors == 1) loop.first_error = std::to_string(r.status) + ": " + r.err;
          continue;
        }
        int64_t total = j["total"];
        if (!loop.totals.empty() && total < loop.totals.back()) ++loop.not_monotonic;
        loop.totals.push_back(total);
        // --limit all: the hits and the total come from the same revision.
        if (loop.args.find("--limit all") != std::string::npos &&
            j["hits"].size() != static_cast<size_t>(total)) {
          ++loop.mixed;
        }
      }
    });
  }
  int status = indexer.Wait();
  done = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(status, 0);
  int64_t final_total = DocCount(db);
  EXPECT_EQ(final_total, articles);
  for (const Loop& loop : loops) {
    SCOPED_TRACE(loop.args);
    std::cerr << "[ searcher ] " << loop.args << ": " << loop.runs << " runs, " << loop.errors
              << " errors, " << loop.known_bug_errors << " known-bug errors\n";
    EXPECT_GE(loop.runs, 3) << "the indexing run was too short to race it";
    EXPECT_EQ(loop.errors, 0) << loop.first_error;
    EXPECT_EQ(loop.not_monotonic, 0);
    EXPECT_EQ(loop.mixed, 0);
  }
  // The match-all loop only sees committed states: whole batches in each shard, except
  // that a shard that has finished holds its final count.
  std::vector<int64_t> residues = {0};
  for (const std::string& shard : ShardPaths(db)) {
    int64_t r = DocCount(shard) % batch;
    for (size_t i = 0, n = residues.size(); i < n; ++i) residues.push_back((residues[i] + r) % batch);
  }
  for (int64_t t : loops[0].totals) {
    EXPECT_NE(std::find(residues.begin(), residues.end(), t % batch), residues.end()) << t;
  }
}


// Commits every 100 articles per shard, over 6,000 articles; small result pages.
TEST_F(LockTest, ConcurrentSearchersSeeOnlyCommittedStates) {
  constexpr int kMany = 6000;
  std::string input = dir_->Write("many.jsonl", GenerateJsonl(kMany, kSeed + 1, "many"));
  RunSearchersDuringIndexing(*dir_, input, kMany, kBatch,
                             {"--limit 0 '*'", "--limit 5 " + Quote("minister OR talks OR Geneva"),
                              "--limit 20 --sort -date " + Quote("year:2021 OR title:budget")},
                             /*tolerate_known_bugs=*/true);
}

// Commits every 10 articles per shard: several commits a second.
TEST_F(LockTest, ConcurrentSearchersDuringRapidCommits) {
  // Regression (was a bug) (1): searcher/search.cc Searcher::Open (via schema::OpenForReading in
  // schema/schema.cc) does not retry: a commit racing the open's get_metadata() fails the
  // search with "opening 'DB': DatabaseModifiedError: The revision being read has been
  // discarded ..." (exit 2; 1 in 113 runs of `dossier-search --limit 0 '*'` during a
  // --batch-size 100 run).
  // Regression (was a bug) (2): searcher/search.cc Searcher::Search retries a DatabaseModifiedError at most
  // kMaxRetries (10) times, reopening at once with no back-off, and re-reads every hit's data
  // on each attempt; a search returning thousands of hits while shards commit fails with
  // "'DB' kept changing under the search (10 retries); try again" (exit 2): 3 of 8 runs at
  // --batch-size 10 over 3,000 articles, 2 of 13 at --batch-size 100 over 12,000.
  // Reproduce: dossier-index --db d --batch-size 10 --jobs 2 articles.jsonl (3,000 articles)
  // while looping dossier-search --db d --limit all --no-snippets '*'.
  RunSearchersDuringIndexing(*dir_, input_, kArticles, 10,
                             {"--limit 0 '*'", "--limit all --no-snippets '*'",
                              "--limit all --sort -date --no-snippets " + Quote("year:2021 OR year:2022")});
}

// The regrouping at the end of a run commits shard by shard: a kill in the middle leaves some
// shards with the new duplicate groups and others with the old. The next run, even with nothing
// new to index, finishes it.
TEST(RegroupCrashTest, HalfDoneRegroupingIsFinishedByTheNextRun) {
  // Slots (schema/schema.h, not linked here): 8 the exact fingerprint, 10 the group.
  constexpr Xapian::valueno kExact = 8, kGroup = 10;
  TempDir dir;
  // Generated articles, and for each long one a copy under another id and title: a near
  // duplicate (same body, so the same SimHash; another exact fingerprint).
  const std::string corpus = GenerateJsonl(400, kSeed);
  std::string input = corpus;
  std::istringstream lines(corpus);
  int copies = 0;
  for (std::string line; std::getline(lines, line);) {
    json j = json::parse(line);
    const std::string body = j["body"];
    if (std::count(body.begin(), body.end(), ' ') < 60) continue;
    j.erase("url");
    j["id"] = "copy-" + std::to_string(copies++);
    j["title"] = "Updated: " + j.value("title", std::string("story"));
    input += j.dump() + "\n";
  }
  ASSERT_GT(copies, 20);
  const std::string in = dir.Write("in.jsonl", input), db = dir.File("db");
  CommandResult r = RunCommand(IndexCommand(db, in));
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(json::parse(r.out)["near_duplicate_groups"], copies) << r.out;
  auto dedup_total = [&] {
    CommandResult s = RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " --dedup --limit 0 --format json '*'");
    EXPECT_EQ(s.status, 0) << s.err;
    return json::parse(s.out)["total"].get<int>();
  };
  const int groups = dedup_total();
  EXPECT_EQ(groups, 400);
  // The state a kill leaves after shard 0 committed its new groups and before shard 1 did.
  int reset = 0;
  {
    Xapian::WritableDatabase w(ShardPaths(db).back());
    for (auto it = w.postlist_begin(""); it != w.postlist_end(""); ++it) {
      Xapian::Document d = w.get_document(*it);
      if (d.get_value(kGroup) == d.get_value(kExact)) continue;
      d.add_value(kGroup, d.get_value(kExact));
      w.replace_document(*it, d);
      ++reset;
    }
    w.commit();
  }
  ASSERT_GT(reset, 0);
  EXPECT_EQ(dedup_total(), groups + reset);  // consistent, only some groups not yet joined
  r = RunCommand(IndexCommand(db, in));
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["added"], 0);
  EXPECT_EQ(j["regrouped"], reset);
  EXPECT_EQ(CheckAllShards(db), "");
  EXPECT_EQ(dedup_total(), groups);
}

}  // namespace
}  // namespace dossier::testing
