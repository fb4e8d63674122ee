// Shared by the fuzz targets: input bytes as a ByteSource, and a sink that checks the reader
// contract (corpus/reader.h) on everything delivered.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "corpus/byte_source.h"
#include "corpus/reader.h"

namespace dossier::fuzz {

// Aborts (a crash libFuzzer records) with a message when `ok` is false.
inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

inline bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n;
  }
  return true;
}

// `data` in an anonymous in-memory file, read through ByteSource (which sniffs compression).
class MemorySource {
 public:
  MemorySource(const uint8_t* data, size_t size) {
    fd_ = memfd_create("fuzz", 0);
    Check(fd_ >= 0, "memfd_create");
    for (size_t done = 0; done < size;) {
      ssize_t n = write(fd_, data + done, size - done);
      Check(n > 0, "write to memfd");
      done += static_cast<size_t>(n);
    }
    lseek(fd_, 0, SEEK_SET);
    src_ = corpus::ByteSource::FromFd(fd_, &error_);
  }
  ~MemorySource() {
    src_.reset();
    close(fd_);
  }
  corpus::ByteSource* get() { return src_.get(); }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  std::string error_;
  std::unique_ptr<corpus::ByteSource> src_;
};

// Checks every article and diagnostic against the reader contract.
class CheckingSink : public corpus::ArticleSink {
 public:
  explicit CheckingSink(std::string path, size_t max_body) : path_(std::move(path)), max_body_(max_body) {}
  bool OnArticle(corpus::Article&& a) override {
    Check(IsValidUtf8(a.body), "article body is not valid UTF-8");
    Check(IsValidUtf8(a.title), "article title is not valid UTF-8");
    Check(IsValidUtf8(a.author), "article author is not valid UTF-8");
    Check(IsValidUtf8(a.source), "article source is not valid UTF-8");
    Check(a.body.size() <= max_body_, "article body longer than max_body_bytes");
    Check(a.origin.rfind(path_, 0) == 0, "article origin does not start with the path");
    ++articles;
    return true;
  }
  void OnDiagnostic(const corpus::Diagnostic& d) override {
    Check(d.location.rfind(path_, 0) == 0, "diagnostic location does not start with the path");
    Check(!d.message.empty(), "empty diagnostic message");
    Check(d.message.find('\n') == std::string::npos, "diagnostic message spans lines");
    ++diagnostics;
  }
  size_t articles = 0, diagnostics = 0;

 private:
  std::string path_;
  size_t max_body_;
};

// Small limits so that the fuzzer reaches the "too long" paths quickly.
inline corpus::ReadOptions FuzzReadOptions() {
  corpus::ReadOptions o;
  o.max_body_bytes = 4096;
  o.max_record_bytes = 16384;
  return o;
}

}  // namespace dossier::fuzz
