// Internal: a file or stdin as a stream of bytes, decompressed (gzip, bzip2, xz, zstd) on the fly.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct archive;

namespace dossier::corpus {

enum class Compression { kNone, kGzip, kBzip2, kXz, kZstd };

// "gzip", "bzip2", "xz", "zstd"; "" for kNone.
std::string_view CompressionName(Compression c);

// The compression named by the extension of `name` (".gz", ".bz2", ".xz", ".zst", any case).
Compression CompressionFromExtension(std::string_view name);

// `name` without a compression extension: "a.jsonl.gz" -> "a.jsonl".
std::string_view WithoutCompressionExtension(std::string_view name);

// The compression announced by the magic bytes at the start of `head` (kNone when none).
Compression CompressionFromMagic(std::string_view head);

class ByteSource {
 public:
  // Opens `path` for reading. Compression is detected from the magic bytes; a file whose name
  // says ".gz" (etc.) but whose bytes do not is an error. On failure returns nullptr and sets
  // *error to a one-line message ("cannot open: No such file or directory",
  // "truncated or corrupt gzip data: ...").
  static std::unique_ptr<ByteSource> Open(const std::string& path, std::string* error);
  // Same for an already open descriptor (e.g. 0 for stdin), which is not closed.
  static std::unique_ptr<ByteSource> FromFd(int fd, std::string* error);

  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource();

  // Reads up to `n` decompressed bytes into `buf`. Returns the number read, 0 at the end, or
  // -1 on an error (then error() says what; further calls return -1).
  ptrdiff_t Read(char* buf, size_t n);

  const std::string& error() const { return error_; }
  Compression compression() const { return compression_; }

 private:
  ByteSource(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {}
  bool Init(Compression expected, std::string* error);
  // Undecompressed bytes: the sniffed prefix first, then the descriptor.
  ptrdiff_t RawRead(char* buf, size_t n);
  static ptrdiff_t ArchiveReadCallback(struct archive* a, void* client, const void** buf);
  std::string CorruptMessage(const char* detail) const;

  int fd_;
  bool owns_fd_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
  Compression compression_ = Compression::kNone;
  struct archive* archive_ = nullptr;
  std::vector<char> raw_buf_;
  bool failed_ = false;
  bool ended_ = false;
  std::string error_;
};

}  // namespace dossier::corpus
