// Helpers for the corpus tests: temporary folders, fixture files, compression, a recording sink.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/reader.h"

namespace dossier::corpus::testing {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = getenv("TMPDIR");
    std::string templ =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/dossier-corpus-test-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    // Make everything removable again (a test may chmod a file to 000).
    for (auto it = std::filesystem::recursive_directory_iterator(
             path_, std::filesystem::directory_options::none, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_symlink()) {
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
      }
    }
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Writes `bytes` to `path` exactly, creating parent folders.
inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

enum class Codec { kGzip, kBzip2, kXz, kZstd };

inline const char* CodecExtension(Codec c) {
  switch (c) {
    case Codec::kGzip:
      return ".gz";
    case Codec::kBzip2:
      return ".bz2";
    case Codec::kXz:
      return ".xz";
    case Codec::kZstd:
      return ".zst";
  }
  return "";
}

// `data` compressed with libarchive's writer (raw format: a bare compressed stream).
inline std::string Compress(std::string_view data, Codec codec) {
  archive* a = archive_write_new();
  switch (codec) {
    case Codec::kGzip:
      archive_write_add_filter_gzip(a);
      break;
    case Codec::kBzip2:
      archive_write_add_filter_bzip2(a);
      break;
    case Codec::kXz:
      archive_write_add_filter_xz(a);
      break;
    case Codec::kZstd:
      archive_write_add_filter_zstd(a);
      break;
  }
  // Fast, and small bzip2 blocks so that a truncated stream still holds whole blocks.
  archive_write_set_filter_option(a, nullptr, "compression-level", "1");
  archive_write_set_format_raw(a);
  archive_write_set_bytes_in_last_block(a, 1);  // no padding after the stream
  std::string out(data.size() + 64 * 1024, '\0');
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, out.data(), out.size(), &used), ARCHIVE_OK)
      << archive_error_string(a);
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "data");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
  EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
  if (!data.empty()) {
    EXPECT_EQ(archive_write_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()))
        << archive_error_string(a);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK) << archive_error_string(a);
  archive_entry_free(e);
  archive_write_free(a);
  out.resize(used);
  return out;
}

// Records everything the readers send; can ask to stop after `stop_after` articles.
class RecordingSink : public ArticleSink {
 public:
  bool OnArticle(Article&& article) override {
    articles.push_back(std::move(article));
    return stop_after < 0 || static_cast<int>(articles.size()) < stop_after;
  }
  void OnDiagnostic(const Diagnostic& d) override { diagnostics.push_back(d); }

  size_t Count(Diagnostic::Severity s) const {
    size_t n = 0;
    for (const Diagnostic& d : diagnostics) n += d.severity == s ? 1 : 0;
    return n;
  }
  size_t errors() const { return Count(Diagnostic::Severity::kError); }
  size_t warnings() const { return Count(Diagnostic::Severity::kWarning); }

  // The first diagnostic of severity `s` whose message contains `needle`, or nullptr.
  const Diagnostic* Find(Diagnostic::Severity s, std::string_view needle) const {
    for (const Diagnostic& d : diagnostics) {
      if (d.severity == s && d.message.find(needle) != std::string::npos) return &d;
    }
    return nullptr;
  }
  const Diagnostic* FindError(std::string_view needle) const {
    return Find(Diagnostic::Severity::kError, needle);
  }
  const Diagnostic* FindWarning(std::string_view needle) const {
    return Find(Diagnostic::Severity::kWarning, needle);
  }

  // All diagnostics, one per line, for failure messages.
  std::string Dump() const {
    std::string out;
    for (const Diagnostic& d : diagnostics) {
      out += d.location + ": " +
             (d.severity == Diagnostic::Severity::kError ? "error" : "warning") + ": " + d.message +
             "\n";
    }
    return out;
  }

  std::vector<Article> articles;
  std::vector<Diagnostic> diagnostics;
  int stop_after = -1;
};

// Reads `path` with `options` into a fresh sink.
inline RecordingSink Read(const std::string& path, const ReadOptions& options = {}) {
  RecordingSink sink;
  EXPECT_TRUE(ReadPath(path, options, &sink));
  return sink;
}

}  // namespace dossier::corpus::testing
