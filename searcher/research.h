// Research counts over a whole match set: timelines (matches per period, optionally one series
// per top facet value) and duplicate groups (collapsing exact and near duplicates, exact totals).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "searcher/facets.h"

namespace dossier::searcher {

enum class Period { kDay, kWeek, kMonth, kYear };

// "day", "week", "month", "year" -> Period; false if unknown.
bool ParsePeriod(const std::string& name, Period* out);
std::string PeriodName(Period p);
// The first second (UTC) of the period containing `seconds`. Weeks are ISO weeks (Monday).
int64_t PeriodStart(Period p, int64_t seconds);
// The first second of the period after the one starting at `start` (a PeriodStart value).
int64_t NextPeriodStart(Period p, int64_t start);
// The label of the period starting at `start`: "1987-03-26", "1987-W13" (ISO week-numbering
// year), "1987-03", "1987".
std::string PeriodLabel(Period p, int64_t start);

// The label used for matches without a date; they are counted in a row of their own so that
// the rows of a histogram add up to the total.
inline constexpr char kUndatedLabel[] = "undated";

struct HistogramRow {
  std::string series;  // "" unless split by a facet
  std::string period;  // PeriodLabel, or kUndatedLabel
  uint64_t count = 0;
};

struct Histogram {
  Period period = Period::kMonth;
  std::optional<FacetKind> by;      // split by this facet: one series per top value
  std::vector<std::string> series;  // the series shown, largest first (empty when not split)
  // Unsplit: one row per period from the first to the last (empty periods are 0), then an
  // "undated" row if any match has no date. Split: the same for each series in turn.
  std::vector<HistogramRow> rows;
  uint64_t total = 0;     // matches counted (articles, statements or groups); unsplit rows add up to it
  bool groups = false;    // counts are duplicate groups (each at its earliest date), not copies
};

// The key that identifies a document's duplicate group (exact and near duplicates of an
// article; the same statement by the same speaker): its kSlotGroup value, or a key of its own
// ("#" + docid) when it has none.
std::string GroupKey(const Xapian::Document& doc);

// Counts matches per period (and per series value), exactly, from the value slots of every
// document the match visits (attach with check_at_least = doccount). Not serialisable: over
// remote shards attach a Xapian::ValueCountMatchSpy on kSlotDate instead and give its counts
// to AddDateCounts (unsplit histograms of documents only).
class HistogramSpy : public Xapian::MatchSpy {
 public:
  // `by`: split by this facet; `count_groups`: count duplicate groups, not documents.
  HistogramSpy(Period period, std::optional<FacetKind> by, bool count_groups);
  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "dossier::HistogramSpy"; }
  // Adds the counts of a ValueCountMatchSpy on kSlotDate (which the remote protocol carries):
  // each distinct date with its count, and the matches without a date; to the series named
  // `series` when given (the matches having that facet value), else to the whole. Only for a
  // spy made without `count_groups`, and not itself attached.
  void AddDateCounts(const Xapian::ValueCountMatchSpy& dates, const std::string* series = nullptr);
  // The histogram with the `series_size` largest series. Empty periods between the first and
  // last dated match are filled with 0; `from`/`to` (seconds), when given, widen that span.
  // Fails (returns false, `error` set) when the span would exceed `max_periods`.
  bool Result(size_t series_size, std::optional<int64_t> from, std::optional<int64_t> to,
              Histogram* out, std::string* error, size_t max_periods = 200000) const;

 private:
  struct Cell {
    std::map<int64_t, uint64_t> by_period;  // period start -> count
    uint64_t undated = 0;
    uint64_t total = 0;
  };
  struct GroupInfo {
    std::optional<int64_t> first;  // earliest date of the group's matches
    std::set<std::string> series;
  };
  void Add(std::optional<int64_t> date, const std::vector<std::string>& series);
  Period period_;
  std::optional<FacetKind> by_;
  bool count_groups_;
  Cell all_;
  std::unordered_map<std::string, Cell> series_;
  std::unordered_map<std::string, GroupInfo> groups_;
};

// Counts the matching documents of each duplicate group (see GroupKey). Used by --dedup for
// the exact number of groups and each hit's number of copies, whatever Xapian's collapsing
// estimates. It is Xapian's own ValueCountMatchSpy on kSlotGroup (it sees every match,
// collapsed or not), so it works over remote shards too; read it after the match.
class GroupSpy : public Xapian::ValueCountMatchSpy {
 public:
  GroupSpy();
  // Groups among the matches: distinct kSlotGroup values, plus one per match without one.
  uint64_t groups() const;
  // Matching documents in the group of `doc` (at least 1).
  uint64_t Copies(const Xapian::Document& doc) const;

 private:
  void Tally() const;
  mutable bool tallied_ = false;
  mutable std::unordered_map<std::string, uint64_t> copies_;
  mutable uint64_t ungrouped_ = 0;
};

// The Snowball project's English stop-word list (the, of, what, ...), for --match any: long
// natural-language queries rank better without them (scripts/eval-ranking). Static; never null.
const Xapian::Stopper* EnglishStopper();

// The values of facet `kind` a document has (split entity lists, the year/month of its date).
std::vector<std::string> FacetValuesOf(FacetKind kind, const Xapian::Document& doc);

}  // namespace dossier::searcher
