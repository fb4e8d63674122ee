# Source files of dossier_analysis (kept apart so analysis work does not collide with indexer work).
set(DOSSIER_ANALYSIS_SOURCES
)
