// Status: errors as values at the library edge (after LevelDB's include/leveldb/status.h).
#pragma once

#include <string>
#include <utility>

namespace dossier {

// A Status is either ok() or carries a code and a one-line message meant for the user.
// Library functions return Status instead of throwing; main() turns a non-ok Status into
// "PROGRAM: message" on stderr and exit status 2.
class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // the caller's input (option, query, path) is wrong
    kNotFound,         // a file or database does not exist
    kCorruption,       // data on disk is damaged or not what we expect
    kLocked,           // another process holds the database's write lock
    kIOError,          // reading or writing failed (disk full, permissions)
    kVersionMismatch,  // the database was written by an incompatible schema version
    kInternal,         // a bug or an unexpected library error
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status Locked(std::string msg) { return {Code::kLocked, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status VersionMismatch(std::string msg) {
    return {Code::kVersionMismatch, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ok" or the message; for logs and test failure output.
  std::string ToString() const { return ok() ? std::string("ok") : message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Classifies the Xapian exception currently being handled into a Status. Call only inside a
// catch block; `context` (e.g. "opening ./dossier-db") prefixes the message.
// Never throws.
Status StatusFromCurrentXapianError(const std::string& context);

}  // namespace dossier
