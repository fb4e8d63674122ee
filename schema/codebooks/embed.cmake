# Compiles the built-in codebook (world-news.tsv) into dossier_schema as a string constant, so
# the binaries need no data files. Included from schema/CMakeLists.txt.
set(_dossier_codebook_tsv ${CMAKE_CURRENT_LIST_DIR}/world-news.tsv)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_dossier_codebook_tsv})
file(READ ${_dossier_codebook_tsv} DOSSIER_CODEBOOK_TEXT)
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/world_news_codebook.cc
  CONTENT [==[// Generated from schema/codebooks/world-news.tsv by schema/codebooks/embed.cmake: do not edit.
#include <cstddef>
namespace dossier::schema {
extern const char kWorldNewsCodebookText[];
extern const size_t kWorldNewsCodebookSize;
const char kWorldNewsCodebookText[] = R"dossier_codebook(@DOSSIER_CODEBOOK_TEXT@)dossier_codebook";
const size_t kWorldNewsCodebookSize = sizeof(kWorldNewsCodebookText) - 1;
}  // namespace dossier::schema
]==] @ONLY)
target_sources(dossier_schema PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/world_news_codebook.cc)
