// Byte streams over files and stdin; compressed input goes through libarchive's raw format.
#include "corpus/byte_source.h"

#include <archive.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dossier::corpus {
namespace {

constexpr size_t kMagicBytes = 6;
constexpr size_t kRawChunk = 64 * 1024;

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

struct Suffix {
  std::string_view ext;
  Compression compression;
};
constexpr Suffix kSuffixes[] = {{".gz", Compression::kGzip},
                                {".bz2", Compression::kBzip2},
                                {".xz", Compression::kXz},
                                {".zst", Compression::kZstd}};

int FilterCode(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return ARCHIVE_FILTER_GZIP;
    case Compression::kBzip2:
      return ARCHIVE_FILTER_BZIP2;
    case Compression::kXz:
      return ARCHIVE_FILTER_XZ;
    case Compression::kZstd:
      return ARCHIVE_FILTER_ZSTD;
    case Compression::kNone:
      break;
  }
  return ARCHIVE_FILTER_NONE;
}

}  // namespace

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kBzip2:
      return "bzip2";
    case Compression::kXz:
      return "xz";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "";
}

Compression CompressionFromExtension(std::string_view name) {
  for (const Suffix& s : kSuffixes) {
    if (EndsWithIgnoreCase(name, s.ext)) return s.compression;
  }
  return Compression::kNone;
}

std::string_view WithoutCompressionExtension(std::string_view name) {
  for (const Suffix& s : kSuffixes) {
    if (EndsWithIgnoreCase(name, s.ext)) return name.substr(0, name.size() - s.ext.size());
  }
  return name;
}

Compression CompressionFromMagic(std::string_view head) {
  const auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return Compression::kGzip;
  if (starts("BZh")) return Compression::kBzip2;
  if (starts(std::string_view("\xfd"
                              "7zXZ\0",
                              6)))
    return Compression::kXz;
  if (starts("\x28\xb5\x2f\xfd")) return Compression::kZstd;
  return Compression::kNone;
}

std::unique_ptr<ByteSource> ByteSource::Open(const std::string& path, std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = fmt::format("cannot open: {}", std::strerror(errno));
    return nullptr;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    *error = "cannot read: is a folder";
    return nullptr;
  }
  std::unique_ptr<ByteSource> src(new ByteSource(fd, /*owns_fd=*/true));
  if (!src->Init(CompressionFromExtension(path), error)) return nullptr;
  return src;
}

std::unique_ptr<ByteSource> ByteSource::FromFd(int fd, std::string* error) {
  std::unique_ptr<ByteSource> src(new ByteSource(fd, /*owns_fd=*/false));
  if (!src->Init(Compression::kNone, error)) return nullptr;
  return src;
}

ByteSource::~ByteSource() {
  if (archive_ != nullptr) archive_read_free(archive_);
  if (owns_fd_) ::close(fd_);
}

std::string ByteSource::CorruptMessage(const char* detail) const {
  return fmt::format("truncated or corrupt {} data: {}", CompressionName(compression_),
                     detail != nullptr && *detail != '\0' ? detail : "unknown error");
}

bool ByteSource::Init(Compression expected, std::string* error) {
  // Sniff the magic bytes; they are replayed by RawRead.
  prefix_.resize(kMagicBytes);
  size_t got = 0;
  while (got < kMagicBytes) {
    const ssize_t n = ::read(fd_, prefix_.data() + got, kMagicBytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = fmt::format("read error: {}", std::strerror(errno));
      return false;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  prefix_.resize(got);

  compression_ = CompressionFromMagic(prefix_);
  if (compression_ == Compression::kNone) {
    if (expected != Compression::kNone) {
      compression_ = expected;
      *error = CorruptMessage(got == 0 ? "empty file" : "wrong magic bytes");
      return false;
    }
    return true;
  }

  // Only the four filters we promise: filter_all would also run external programs (lrzip, ...).
  archive_ = archive_read_new();
  archive_read_support_filter_gzip(archive_);
  archive_read_support_filter_bzip2(archive_);
  archive_read_support_filter_xz(archive_);
  archive_read_support_filter_zstd(archive_);
  archive_read_support_format_raw(archive_);
  archive_read_support_format_empty(archive_);  // raw does not bid on zero bytes
  raw_buf_.resize(kRawChunk);
  if (archive_read_open(archive_, this, nullptr, &ByteSource::ArchiveReadCallback, nullptr) !=
      ARCHIVE_OK) {
    *error = CorruptMessage(archive_error_string(archive_));
    return false;
  }
  // A filter that rejects its input falls back to "none", which would hand us the compressed
  // bytes as if they were text.
  if (archive_filter_code(archive_, 0) != FilterCode(compression_)) {
    *error = CorruptMessage("not recognised by the decompressor");
    return false;
  }
  struct archive_entry* entry = nullptr;
  const int r = archive_read_next_header(archive_, &entry);
  if (r == ARCHIVE_EOF) {
    ended_ = true;
  } else if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
    *error = CorruptMessage(archive_error_string(archive_));
    return false;
  }
  return true;
}

ptrdiff_t ByteSource::RawRead(char* buf, size_t n) {
  if (prefix_pos_ < prefix_.size()) {
    const size_t k = std::min(n, prefix_.size() - prefix_pos_);
    std::memcpy(buf, prefix_.data() + prefix_pos_, k);
    prefix_pos_ += k;
    return static_cast<ptrdiff_t>(k);
  }
  for (;;) {
    const ssize_t r = ::read(fd_, buf, n);
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

ptrdiff_t ByteSource::ArchiveReadCallback(struct archive* a, void* client, const void** buf) {
  auto* self = static_cast<ByteSource*>(client);
  const ptrdiff_t n = self->RawRead(self->raw_buf_.data(), self->raw_buf_.size());
  if (n < 0) {
    archive_set_error(a, errno, "read error: %s", std::strerror(errno));
    return -1;
  }
  *buf = self->raw_buf_.data();
  return n;
}

ptrdiff_t ByteSource::Read(char* buf, size_t n) {
  if (failed_) return -1;
  if (ended_ || n == 0) return 0;
  if (archive_ == nullptr) {
    const ptrdiff_t r = RawRead(buf, n);
    if (r < 0) {
      error_ = fmt::format("read error: {}", std::strerror(errno));
      failed_ = true;
      return -1;
    }
    if (r == 0) ended_ = true;
    return r;
  }
  const la_ssize_t r = archive_read_data(archive_, buf, n);
  if (r < 0) {
    error_ = CorruptMessage(archive_error_string(archive_));
    failed_ = true;
    return -1;
  }
  if (r == 0) ended_ = true;
  return r;
}

}  // namespace dossier::corpus
