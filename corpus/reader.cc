// ReadPath: walking folders, choosing a format per file, dispatching to the format readers.
#include "corpus/reader.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/byte_source.h"
#include "corpus/format_readers.h"
#include "corpus/line_reader.h"
#include "corpus/record.h"
#include "corpus/text.h"

namespace dossier::corpus {
namespace {

constexpr size_t kSniffBytes = 8 * 1024;

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The format named by the extension of `name` (compression extension removed); kAuto when
// the extension is not one of ours.
Format FormatFromName(std::string_view name) {
  const std::string base = LowerAscii(WithoutCompressionExtension(name));
  const size_t dot = base.rfind('.');
  if (dot == std::string::npos) return Format::kAuto;
  const std::string_view ext = std::string_view(base).substr(dot + 1);
  if (ext == "txt" || ext == "text") return Format::kText;
  if (ext == "jsonl" || ext == "ndjson" || ext == "json") return Format::kJsonl;
  if (ext == "csv") return Format::kCsv;
  if (ext == "tsv") return Format::kTsv;
  return Format::kAuto;
}

// Whether a file met while recursing a folder is read.
bool IsArticleFileName(std::string_view name) {
  if (FormatFromName(name) == Format::kAuto) return false;
  const std::string stem = LowerAscii(name.substr(0, name.find('.')));
  for (std::string_view doc : {"readme", "license", "licence", "copying", "changelog"}) {
    if (stem == doc) return false;
  }
  return true;
}

Format SniffFormat(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  head = Trim(head);
  return !head.empty() && head[0] == '{' ? Format::kJsonl : Format::kText;
}

using DirId = std::pair<dev_t, ino_t>;

class Walker {
 public:
  Walker(const ReadOptions& options, ArticleSink* sink) : options_(options), sink_(sink) {}

  bool ReadTop(const std::string& path) {
    if (path == "-") {
      std::string error;
      auto src = ByteSource::FromFd(STDIN_FILENO, &error);
      if (!src) {
        ReportError(sink_, "<stdin>", error);
        return true;
      }
      const Format f = options_.format == Format::kAuto ? Format::kJsonl : options_.format;
      return ReadSource(src.get(), "<stdin>", f);
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      ReportError(sink_, path, fmt::format("cannot open: {}", std::strerror(errno)));
      return true;
    }
    if (S_ISDIR(st.st_mode)) return ReadDir(path, st);
    return ReadFile(path);
  }

 private:
  bool ReadDir(const std::string& dir, const struct stat& st) {
    if (!visited_.insert({st.st_dev, st.st_ino}).second) {
      ReportWarning(sink_, dir, "folder already read (symlink loop?), skipped");
      return true;
    }
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      ReportError(sink_, dir, fmt::format("cannot read folder: {}", std::strerror(errno)));
      return true;
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    }
    const int read_errno = errno;
    ::closedir(d);
    if (read_errno != 0) {
      ReportError(sink_, dir, fmt::format("cannot read folder: {}", std::strerror(read_errno)));
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      const std::string path = dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
      struct stat est;
      if (::stat(path.c_str(), &est) != 0) {  // a broken symlink, or vanished meanwhile
        ReportError(sink_, path, fmt::format("cannot open: {}", std::strerror(errno)));
        continue;
      }
      if (S_ISDIR(est.st_mode)) {
        if (!ReadDir(path, est)) return false;
      } else if (S_ISREG(est.st_mode) && IsArticleFileName(name)) {
        if (!ReadFile(path)) return false;
      }
    }
    return true;
  }

  bool ReadFile(const std::string& path) {
    std::string error;
    auto src = ByteSource::Open(path, &error);
    if (!src) {
      ReportError(sink_, path, error);
      return true;
    }
    return ReadSource(src.get(), path,
                      options_.format == Format::kAuto ? FormatFromName(path) : options_.format);
  }

  bool ReadSource(ByteSource* src, const std::string& path, Format format) {
    LineReader in(src, options_.max_record_bytes);
    const std::string_view head = in.Peek(kSniffBytes);
    if (head.empty() && !src->error().empty()) {
      ReportError(sink_, path, src->error());
      return true;
    }
    if (format == Format::kAuto) format = SniffFormat(head);
    if (LooksBinary(head, /*nul_is_binary=*/format == Format::kText)) {
      ReportError(sink_, path, "binary file, skipped");
      return true;
    }
    switch (format) {
      case Format::kJsonl:
        return ReadJsonlFormat(&in, path, options_, sink_);
      case Format::kCsv:
        return ReadCsvFormat(&in, path, ',', options_, sink_);
      case Format::kTsv:
        return ReadCsvFormat(&in, path, '\t', options_, sink_);
      case Format::kText:
      case Format::kAuto:
        break;
    }
    return ReadTextFormat(&in, path, options_, sink_);
  }

  const ReadOptions& options_;
  ArticleSink* sink_;
  std::set<DirId> visited_;
};

}  // namespace

bool ParseFormat(const std::string& name, Format* out) {
  static constexpr std::pair<std::string_view, Format> kNames[] = {
      {"auto", Format::kAuto}, {"text", Format::kText}, {"jsonl", Format::kJsonl},
      {"csv", Format::kCsv},   {"tsv", Format::kTsv},
  };
  for (const auto& [n, f] : kNames) {
    if (name == n) {
      *out = f;
      return true;
    }
  }
  return false;
}

bool ReadPath(const std::string& path, const ReadOptions& options, ArticleSink* sink) {
  Walker walker(options, sink);
  return walker.ReadTop(path);
}

}  // namespace dossier::corpus
