// Fuzz target: the CSV/TSV reader (corpus/csv_reader.cc). The first byte picks the delimiter.
#include "corpus/format_readers.h"
#include "fuzz_util.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char delimiter = (data[0] & 1) ? '\t' : ',';
  fuzz::MemorySource src(data + 1, size - 1);
  if (!src.get()) return 0;
  corpus::ReadOptions options = fuzz::FuzzReadOptions();
  corpus::LineReader in(src.get(), options.max_record_bytes);
  fuzz::CheckingSink sink("fuzz.csv", options.max_body_bytes);
  fuzz::Check(corpus::ReadCsvFormat(&in, "fuzz.csv", delimiter, options, &sink),
              "reader stopped by itself");
  return 0;
}
