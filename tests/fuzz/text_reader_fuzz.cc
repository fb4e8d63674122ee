// Fuzz target: the plain-text reader (corpus/text_reader.cc, title rule, UTF-8 repair).
#include "corpus/format_readers.h"
#include "fuzz_util.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::MemorySource src(data, size);
  if (!src.get()) return 0;
  corpus::ReadOptions options = fuzz::FuzzReadOptions();
  corpus::LineReader in(src.get(), options.max_record_bytes);
  fuzz::CheckingSink sink("fuzz.txt", options.max_body_bytes);
  fuzz::Check(corpus::ReadTextFormat(&in, "fuzz.txt", options, &sink), "reader stopped by itself");
  fuzz::Check(sink.articles <= 1, "a text file gave more than one article");
  return 0;
}
