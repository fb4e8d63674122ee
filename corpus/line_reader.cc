// Buffered line splitting over ByteSource.
#include "corpus/line_reader.h"

#include <cstring>

namespace dossier::corpus {
namespace {
constexpr size_t kChunk = 64 * 1024;
}  // namespace

bool LineReader::Fill() {
  if (eof_ || failed_) return false;
  const size_t old = buf_.size();
  buf_.resize(old + kChunk);
  const ptrdiff_t n = src_->Read(buf_.data() + old, kChunk);
  if (n <= 0) {
    buf_.resize(old);
    (n < 0 ? failed_ : eof_) = true;
    return false;
  }
  buf_.resize(old + static_cast<size_t>(n));
  return true;
}

void LineReader::Compact() {
  if (pos_ == 0) return;
  buf_.erase(0, pos_);
  pos_ = 0;
}

std::string_view LineReader::Peek(size_t n) {
  while (buf_.size() - pos_ < n && Fill()) {
  }
  return std::string_view(buf_).substr(pos_, n);
}

LineReader::Result LineReader::Next(std::string* line) {
  size_t scan = pos_;
  for (;;) {
    const void* nl = std::memchr(buf_.data() + scan, '\n', buf_.size() - scan);
    if (nl != nullptr) {
      const size_t end = static_cast<const char*>(nl) - buf_.data();
      const size_t begin = pos_;
      size_t len = end - begin;
      if (len > 0 && buf_[end - 1] == '\r') --len;
      pos_ = end + 1;
      ++line_;
      if (len > max_line_bytes_) return Result::kTooLong;
      line->assign(buf_, begin, len);
      return Result::kLine;
    }
    if (buf_.size() - pos_ > max_line_bytes_) {
      // Too long: drop it up to its newline without keeping it.
      ++line_;
      for (;;) {
        buf_.clear();
        pos_ = 0;
        if (!Fill()) return failed_ ? Result::kError : Result::kTooLong;
        const void* end = std::memchr(buf_.data(), '\n', buf_.size());
        if (end != nullptr) {
          pos_ = static_cast<const char*>(end) - buf_.data() + 1;
          return Result::kTooLong;
        }
      }
    }
    if (failed_) return Result::kError;
    if (eof_) {
      if (pos_ == buf_.size()) return Result::kEnd;
      size_t len = buf_.size() - pos_;
      if (buf_.back() == '\r') --len;
      line->assign(buf_, pos_, len);
      pos_ = buf_.size();
      ++line_;
      return Result::kLine;
    }
    Compact();
    scan = buf_.size();
    Fill();
  }
}

LineReader::Result LineReader::ReadAll(size_t limit, std::string* out, bool* more) {
  while (buf_.size() - pos_ <= limit && Fill()) {
  }
  const size_t avail = buf_.size() - pos_;
  out->assign(buf_, pos_, std::min(avail, limit));
  *more = avail > limit;
  pos_ += out->size();
  return failed_ ? Result::kError : Result::kLine;
}

void LineReader::PushBack(std::string_view text, size_t first_line) {
  Compact();
  std::string joined(text);
  joined.push_back('\n');
  buf_.insert(0, joined);
  line_ = first_line - 1;
}

}  // namespace dossier::corpus
