// Fuzz target: the JSON Lines reader (corpus/jsonl_reader.cc) on arbitrary bytes.
#include "corpus/format_readers.h"
#include "fuzz_util.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::MemorySource src(data, size);
  if (!src.get()) return 0;
  corpus::ReadOptions options = fuzz::FuzzReadOptions();
  corpus::LineReader in(src.get(), options.max_record_bytes);
  fuzz::CheckingSink sink("fuzz.jsonl", options.max_body_bytes);
  fuzz::Check(corpus::ReadJsonlFormat(&in, "fuzz.jsonl", options, &sink), "reader stopped by itself");
  return 0;
}
