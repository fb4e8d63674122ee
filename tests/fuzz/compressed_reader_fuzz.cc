// Fuzz target: a whole file through corpus::ReadPath (format sniffing, binary detection, and
// gzip/bzip2/xz/zstd decompression by magic bytes via libarchive).
#include <unistd.h>

#include <string>

#include "fuzz_util.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // ReadPath wants a path: the in-memory file through /proc/self/fd.
  int fd = memfd_create("fuzz", 0);
  fuzz::Check(fd >= 0, "memfd_create");
  for (size_t done = 0; done < size;) {
    ssize_t n = write(fd, data + done, size - done);
    fuzz::Check(n > 0, "write to memfd");
    done += static_cast<size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  corpus::ReadOptions options = fuzz::FuzzReadOptions();
  fuzz::CheckingSink sink(path, options.max_body_bytes);
  fuzz::Check(corpus::ReadPath(path, options, &sink), "reader stopped by itself");
  close(fd);
  return 0;
}
