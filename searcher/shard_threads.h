// Work spread over a database's shards on up to one thread per core.
#ifndef DOSSIER_SEARCHER_SHARD_THREADS_H_
#define DOSSIER_SEARCHER_SHARD_THREADS_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace dossier::searcher {

// How many threads ForEachShard uses for `shards` shards: one per core, at most one per shard.
inline size_t ShardThreads(size_t shards) {
  return std::min<size_t>(shards, std::max(1u, std::thread::hardware_concurrency()));
}

// Calls fn(thread, shard) for every shard in 0..shards-1 on `threads` threads (this one
// included), each taking whole shards in turn (a Xapian shard is read by one thread at a
// time), `thread` in 0..threads-1. The first exception stops the others after their shard
// and is rethrown here; with no thread to be had, the threads started do the rest.
template <class Fn>
void ForEachShard(size_t shards, size_t threads, Fn&& fn) {
  threads = std::max<size_t>(1, threads);
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(threads);
  auto work = [&](size_t t) {
    try {
      for (size_t shard = next++; shard < shards; shard = next++) fn(t, shard);
    } catch (...) {
      errors[t] = std::current_exception();
      next = shards;
    }
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < threads; ++t) {
    try {
      workers.emplace_back(work, t);
    } catch (const std::system_error&) {
      break;
    }
  }
  work(0);
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace dossier::searcher

#endif  // DOSSIER_SEARCHER_SHARD_THREADS_H_
