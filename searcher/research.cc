// Timelines (HistogramSpy) and duplicate-group counting (GroupSpy) over whole match sets.
#include "searcher/research.h"

#include <fmt/format.h>

#include <algorithm>

#include "schema/schema.h"

namespace dossier::searcher {
namespace {

constexpr int64_t kDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::optional<int64_t> DateOf(const Xapian::Document& doc) {
  std::string v = doc.get_value(schema::kSlotDate);
  if (v.empty()) return std::nullopt;
  return static_cast<int64_t>(Xapian::sortable_unserialise(v));
}

std::vector<std::string> SplitLines(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < v.size()) {
    size_t nl = v.find('\n', start);
    if (nl == std::string::npos) nl = v.size();
    if (nl > start) out.push_back(v.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

bool ParsePeriod(const std::string& name, Period* out) {
  if (name == "day") *out = Period::kDay;
  else if (name == "week") *out = Period::kWeek;
  else if (name == "month") *out = Period::kMonth;
  else if (name == "year") *out = Period::kYear;
  else return false;
  return true;
}

std::string PeriodName(Period p) {
  switch (p) {
    case Period::kDay: return "day";
    case Period::kWeek: return "week";
    case Period::kMonth: return "month";
    case Period::kYear: return "year";
  }
  return "?";
}

int64_t PeriodStart(Period p, int64_t seconds) {
  int64_t days = FloorDiv(seconds, kDay);
  int y, m, d;
  schema::CivilFromSeconds(seconds, &y, &m, &d);
  switch (p) {
    case Period::kDay: return days * kDay;
    case Period::kWeek: {
      // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
      int64_t weekday = ((days + 3) % 7 + 7) % 7;
      return (days - weekday) * kDay;
    }
    case Period::kMonth: return schema::SecondsFromCivil(y, m, 1);
    case Period::kYear: return schema::SecondsFromCivil(y, 1, 1);
  }
  return seconds;
}

int64_t NextPeriodStart(Period p, int64_t start) {
  int y, m, d;
  schema::CivilFromSeconds(start, &y, &m, &d);
  switch (p) {
    case Period::kDay: return start + kDay;
    case Period::kWeek: return start + 7 * kDay;
    case Period::kMonth: return m == 12 ? schema::SecondsFromCivil(y + 1, 1, 1)
                                        : schema::SecondsFromCivil(y, m + 1, 1);
    case Period::kYear: return schema::SecondsFromCivil(y + 1, 1, 1);
  }
  return start + kDay;
}

std::string PeriodLabel(Period p, int64_t start) {
  int y, m, d;
  schema::CivilFromSeconds(start, &y, &m, &d);
  switch (p) {
    case Period::kDay: return fmt::format("{:04}-{:02}-{:02}", y, m, d);
    case Period::kWeek: {
      // The ISO week belongs to the year of its Thursday; its number counts Thursdays.
      int ty, tm, td;
      int64_t thursday = PeriodStart(Period::kWeek, start) + 3 * kDay;
      schema::CivilFromSeconds(thursday, &ty, &tm, &td);
      int64_t day_of_year = (thursday - schema::SecondsFromCivil(ty, 1, 1)) / kDay;
      return fmt::format("{:04}-W{:02}", ty, day_of_year / 7 + 1);
    }
    case Period::kMonth: return fmt::format("{:04}-{:02}", y, m);
    case Period::kYear: return fmt::format("{:04}", y);
  }
  return "";
}

std::string GroupKey(const Xapian::Document& doc) {
  std::string v = doc.get_value(schema::kSlotGroup);
  return v.empty() ? "#" + std::to_string(doc.get_docid()) : v;
}

std::vector<std::string> FacetValuesOf(FacetKind kind, const Xapian::Document& doc) {
  switch (kind) {
    case FacetKind::kPerson: return SplitLines(doc.get_value(schema::kSlotPeople));
    case FacetKind::kInstitution: return SplitLines(doc.get_value(schema::kSlotInstitutions));
    case FacetKind::kTopic: return SplitLines(doc.get_value(schema::kSlotTopics));
    case FacetKind::kPlace: return SplitLines(doc.get_value(schema::kSlotPlaces));
    case FacetKind::kSource:
    case FacetKind::kSpeaker: {
      std::string v = doc.get_value(kind == FacetKind::kSource ? schema::kSlotSource : schema::kSlotSpeaker);
      if (v.empty()) return {};
      return {v};
    }
    case FacetKind::kYear:
    case FacetKind::kMonth: {
      auto date = DateOf(doc);
      if (!date) return {};
      return {PeriodLabel(kind == FacetKind::kYear ? Period::kYear : Period::kMonth,
                          PeriodStart(kind == FacetKind::kYear ? Period::kYear : Period::kMonth, *date))};
    }
  }
  return {};
}

HistogramSpy::HistogramSpy(Period period, std::optional<FacetKind> by, bool count_groups)
    : period_(period), by_(by), count_groups_(count_groups) {}

void HistogramSpy::Add(std::optional<int64_t> date, const std::vector<std::string>& series) {
  auto add = [&](Cell& c) {
    ++c.total;
    if (date) {
      ++c.by_period[PeriodStart(period_, *date)];
    } else {
      ++c.undated;
    }
  };
  add(all_);
  for (const std::string& s : series) add(series_[s]);
}

void HistogramSpy::operator()(const Xapian::Document& doc, double) {
  std::optional<int64_t> date = DateOf(doc);
  std::vector<std::string> series;
  if (by_) series = FacetValuesOf(*by_, doc);
  if (!count_groups_) {
    Add(date, series);
    return;
  }
  GroupInfo& g = groups_[GroupKey(doc)];
  if (date && (!g.first || *date < *g.first)) g.first = date;
  g.series.insert(series.begin(), series.end());
}

void HistogramSpy::AddDateCounts(const Xapian::ValueCountMatchSpy& dates,
                                 const std::string* series) {
  Cell& cell = series ? series_[*series] : all_;
  uint64_t dated = 0;
  for (auto it = dates.values_begin(); it != dates.values_end(); ++it) {
    const uint64_t n = it.get_termfreq();
    const int64_t date = static_cast<int64_t>(Xapian::sortable_unserialise(*it));
    cell.by_period[PeriodStart(period_, date)] += n;
    cell.total += n;
    dated += n;
  }
  const uint64_t undated = dates.get_total() - dated;
  cell.undated += undated;
  cell.total += undated;
}

bool HistogramSpy::Result(size_t series_size, std::optional<int64_t> from,
                          std::optional<int64_t> to, Histogram* out, std::string* error,
                          size_t max_periods) const {
  // Groups are counted once, at the earliest date of their matching copies, under every series
  // any copy has; folded here so that the spy itself stays cheap.
  const HistogramSpy* self = this;
  HistogramSpy folded(period_, by_, false);
  if (count_groups_) {
    for (const auto& [key, g] : groups_) {
      folded.Add(g.first, std::vector<std::string>(g.series.begin(), g.series.end()));
    }
    self = &folded;
  }
  *out = Histogram();
  out->period = period_;
  out->by = by_;
  out->groups = count_groups_;
  out->total = self->all_.total;

  std::optional<int64_t> first, last;
  if (!self->all_.by_period.empty()) {
    first = self->all_.by_period.begin()->first;
    last = self->all_.by_period.rbegin()->first;
  }
  // Widen to --from/--to, but only when the bounds are plausible dates (not year 0 or 9999).
  if (from) first = first ? std::min(*first, PeriodStart(period_, *from)) : PeriodStart(period_, *from);
  if (to) last = last ? std::max(*last, PeriodStart(period_, *to)) : PeriodStart(period_, *to);
  std::vector<int64_t> periods;
  if (first && last) {
    for (int64_t p = *first; p <= *last; p = NextPeriodStart(period_, p)) {
      periods.push_back(p);
      if (periods.size() > max_periods) {
        *error = fmt::format(
            "the histogram would have more than {} {}s; use a longer period or narrow the dates",
            max_periods, PeriodName(period_));
        return false;
      }
    }
  }
  auto emit = [&](const std::string& series, const Cell& c) {
    for (int64_t p : periods) {
      auto it = c.by_period.find(p);
      out->rows.push_back({series, PeriodLabel(period_, p), it == c.by_period.end() ? 0 : it->second});
    }
    if (c.undated > 0) out->rows.push_back({series, kUndatedLabel, c.undated});
  };
  if (!by_) {
    emit("", self->all_);
    return true;
  }
  std::vector<std::pair<std::string, uint64_t>> top;
  for (const auto& [name, c] : self->series_) top.emplace_back(name, c.total);
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (top.size() > series_size) top.resize(series_size);
  for (const auto& [name, count] : top) {
    out->series.push_back(name);
    emit(name, self->series_.at(name));
  }
  return true;
}

const Xapian::Stopper* EnglishStopper() {
  static const Xapian::SimpleStopper* stopper = [] {
    static const char* const kWords[] = {
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
        "should", "could", "ought", "i'm", "you're", "he's", "she's", "it's", "we're",
        "they're", "i've", "you've", "we've", "they've", "i'd", "you'd", "he'd", "she'd",
        "we'd", "they'd", "i'll", "you'll", "he'll", "she'll", "we'll", "they'll", "isn't",
        "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't",
        "didn't", "won't", "wouldn't", "shan't", "shouldn't", "can't", "cannot", "couldn't",
        "mustn't", "let's", "that's", "who's", "what's", "here's", "there's", "when's",
        "where's", "why's", "how's", "a", "an", "the", "and", "but", "if", "or", "because", "as",
        "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into",
        "through", "during", "before", "after", "above", "below", "to", "from", "up", "down",
        "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here",
        "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more",
        "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than",
        "too", "very"};
    auto* s = new Xapian::SimpleStopper();
    for (const char* w : kWords) s->add(w);
    return s;
  }();
  return stopper;
}

GroupSpy::GroupSpy() : Xapian::ValueCountMatchSpy(schema::kSlotGroup) {}

void GroupSpy::Tally() const {
  if (tallied_) return;
  tallied_ = true;
  uint64_t grouped = 0;
  for (auto it = values_begin(); it != values_end(); ++it) {
    copies_[*it] = it.get_termfreq();
    grouped += it.get_termfreq();
  }
  ungrouped_ = get_total() - grouped;
}

uint64_t GroupSpy::groups() const {
  Tally();
  return copies_.size() + ungrouped_;
}

uint64_t GroupSpy::Copies(const Xapian::Document& doc) const {
  Tally();
  auto it = copies_.find(doc.get_value(schema::kSlotGroup));
  return it == copies_.end() ? 1 : it->second;
}

}  // namespace dossier::searcher
