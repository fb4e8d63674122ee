// Classifying Xapian exceptions into Status values (notmuch's _notmuch_xapian_error).
#include "schema/status.h"

#include <xapian.h>

#include <exception>
#include <new>

namespace dossier {

Status StatusFromCurrentXapianError(const std::string& context) {
  const std::string prefix = context.empty() ? std::string() : context + ": ";
  try {
    throw;
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::Locked(prefix + "the database is locked by another writer (" + e.get_msg() +
                          ")");
  } catch (const Xapian::DatabaseVersionError& e) {
    return Status::VersionMismatch(prefix + "unsupported database format: " + e.get_msg());
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Status::NotFound(prefix + "cannot open database: " + e.get_msg());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corruption(prefix + "database is corrupt: " + e.get_msg());
  } catch (const Xapian::DatabaseError& e) {
    // get_error_string() carries the OS's reason ("No space left on device", "File too large").
    const char* os = e.get_error_string();
    return Status::IOError(prefix + e.get_type() + ": " + e.get_msg() +
                           (os && *os ? std::string(" (") + os + ")" : std::string()));
  } catch (const Xapian::QueryParserError& e) {
    return Status::InvalidArgument(prefix + e.get_msg());
  } catch (const Xapian::InvalidArgumentError& e) {
    return Status::InvalidArgument(prefix + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::Internal(prefix + e.get_type() + ": " + e.get_msg());
  } catch (const std::bad_alloc&) {
    return Status::Internal(prefix + "out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(prefix + e.what());
  } catch (...) {
    return Status::Internal(prefix + "unknown error");
  }
}

}  // namespace dossier
