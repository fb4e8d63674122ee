// Date parsing: a small cursor parser per family of forms, validated with std::chrono.
#include "corpus/dates.h"

#include <chrono>
#include <cstddef>

namespace dossier::corpus {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsLower(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(word[i]) != lower[i]) return false;
  }
  return true;
}

struct Cursor {
  std::string_view s;
  size_t i = 0;

  bool AtEnd() const { return i >= s.size(); }
  char Peek(size_t k = 0) const { return i + k < s.size() ? s[i + k] : '\0'; }
  bool SkipSpaces() {
    const size_t start = i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i > start;
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++i;
    return true;
  }
  // Reads a run of digits of length min..max into *out; does not move on failure.
  bool Digits(size_t min, size_t max, int* out) {
    size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    const size_t n = j - i;
    if (n < min || n > max) return false;
    int v = 0;
    for (size_t k = i; k < j; ++k) v = v * 10 + (s[k] - '0');
    *out = v;
    i = j;
    return true;
  }
  std::string_view Word() {
    const size_t start = i;
    while (i < s.size() && IsAlpha(s[i])) ++i;
    return s.substr(start, i - start);
  }
};

struct Parts {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  int offset = 0;  // seconds east of UTC
};

int MonthFromName(std::string_view w) {
  static constexpr std::string_view kFull[] = {"january",   "february", "march",    "april",
                                               "may",       "june",     "july",     "august",
                                               "september", "october",  "november", "december"};
  for (int m = 0; m < 12; ++m) {
    if (EqualsLower(w, kFull[m]) || EqualsLower(w, kFull[m].substr(0, 3))) return m + 1;
  }
  if (EqualsLower(w, "sept")) return 9;
  return 0;
}

bool IsWeekday(std::string_view w) {
  static constexpr std::string_view kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  for (std::string_view d : kDays) {
    if (EqualsLower(w, d) || EqualsLower(w, d.substr(0, 3))) return true;
  }
  return EqualsLower(w, "tues") || EqualsLower(w, "thur") || EqualsLower(w, "thurs");
}

// "10:00", "10:00:00", "10:00:00.123", optionally followed by "am"/"pm"/"a.m."/"p.m.".
bool ParseTime(Cursor* c, Parts* out) {
  Cursor t = *c;
  Parts q = *out;
  Parts* p = &q;
  p->second = 0;
  if (!t.Digits(1, 2, &p->hour) || !t.Consume(':') || !t.Digits(2, 2, &p->minute)) return false;
  if (t.Consume(':')) {
    if (!t.Digits(2, 2, &p->second)) return false;
    if (t.Peek() == '.' || t.Peek() == ',') {
      if (!IsDigit(t.Peek(1))) return false;
      ++t.i;
      while (IsDigit(t.Peek())) ++t.i;  // fractions of a second are dropped
    }
  }
  // 12-hour clock.
  Cursor m = t;
  m.SkipSpaces();
  const char a = Lower(m.Peek());
  if (a == 'a' || a == 'p') {
    bool ok = false;
    if (Lower(m.Peek(1)) == 'm' && !IsAlpha(m.Peek(2))) {
      m.i += 2;
      ok = true;
    } else if (m.Peek(1) == '.' && Lower(m.Peek(2)) == 'm' && m.Peek(3) == '.') {
      m.i += 4;
      ok = true;
    }
    if (ok) {
      if (p->hour < 1 || p->hour > 12) return false;
      p->hour = p->hour % 12 + (a == 'p' ? 12 : 0);
      t = m;
    }
  }
  if (p->hour > 23 || p->minute > 59 || p->second > 60) return false;
  *c = t;
  *out = q;
  return true;
}

// "+02:00", "+0200", "+02", "-05:30".
bool ParseNumericOffset(Cursor* c, int* offset) {
  Cursor t = *c;
  const char sign = t.Peek();
  if (sign != '+' && sign != '-') return false;
  ++t.i;
  int h = 0, m = 0;
  if (t.Digits(4, 4, &h)) {
    m = h % 100;
    h /= 100;
  } else if (t.Digits(1, 2, &h)) {
    if (t.Consume(':') && !t.Digits(2, 2, &m)) return false;
  } else {
    return false;
  }
  if (h > 14 || m > 59) return false;
  *offset = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
  *c = t;
  return true;
}

// Optional zone, then the end of the text: "Z", "+0200", "GMT", "UTC+2", "EST".
bool ParseZoneAndEnd(Cursor c, Parts* p) {
  c.SkipSpaces();
  if (c.AtEnd()) return true;
  if (ParseNumericOffset(&c, &p->offset)) {
    c.SkipSpaces();
    return c.AtEnd();
  }
  const bool paren = c.Consume('(');
  const std::string_view w = c.Word();
  struct Named {
    std::string_view name;
    int hours;
  };
  static constexpr Named kZones[] = {
      {"z", 0},    {"gmt", 0},  {"utc", 0},  {"ut", 0},   {"est", -5}, {"edt", -4},
      {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7},
      {"bst", 1},  {"cet", 1},  {"cest", 2}, {"eet", 2},  {"eest", 3},
  };
  bool found = false;
  for (const Named& z : kZones) {
    if (EqualsLower(w, z.name)) {
      p->offset = z.hours * 3600;
      found = true;
      break;
    }
  }
  if (!found) return false;
  if (p->offset == 0) {
    int extra = 0;
    if (ParseNumericOffset(&c, &extra)) p->offset = extra;  // "GMT+2", "UTC-05:00"
  }
  if (paren && !c.Consume(')')) return false;
  c.SkipSpaces();
  return c.AtEnd();
}

// Optional time (after "T", spaces, "," or "at"), then zone and end.
bool ParseTimeZoneAndEnd(Cursor c, Parts* p, bool allow_t) {
  Cursor t = c;
  bool sep = false;
  if (allow_t && (t.Peek() == 'T' || t.Peek() == 't') && IsDigit(t.Peek(1))) {
    ++t.i;
    sep = true;
  } else {
    sep = t.SkipSpaces();
    if (t.Consume(',')) {
      t.SkipSpaces();
      sep = true;
    }
    if (Lower(t.Peek()) == 'a' && Lower(t.Peek(1)) == 't' && t.Peek(2) == ' ') {
      t.i += 2;
      sep = t.SkipSpaces();
    }
  }
  if (sep && ParseTime(&t, p)) return ParseZoneAndEnd(t, p);
  return ParseZoneAndEnd(c, p);
}

// "2023-11-14", "2023/11/14", with an optional time and zone.
bool ParseYearFirst(std::string_view text, Parts* p) {
  Cursor c{text};
  if (!c.Digits(4, 4, &p->year)) return false;
  const char sep = c.Peek();
  if (sep != '-' && sep != '/') return false;
  ++c.i;
  if (!c.Digits(1, 2, &p->month) || !c.Consume(sep) || !c.Digits(1, 2, &p->day)) return false;
  return ParseTimeZoneAndEnd(c, p, /*allow_t=*/true);
}

void SkipWeekday(Cursor* c) {
  Cursor t = *c;
  if (!IsWeekday(t.Word())) return;
  t.Consume('.');
  t.SkipSpaces();
  if (t.Consume(',')) t.SkipSpaces();
  *c = t;
}

void SkipOrdinal(Cursor* c) {
  const char a = Lower(c->Peek());
  const char b = Lower(c->Peek(1));
  if (IsAlpha(c->Peek(2))) return;
  if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
      (a == 't' && b == 'h')) {
    c->i += 2;
  }
}

// Text after the time of a Reuters date is SGML residue ("15:01:01.79 RM", "...79E F"):
// upper-case letters and spaces only.
bool OnlyReutersResidue(Cursor c) {
  for (; !c.AtEnd(); ++c.i) {
    const char ch = c.Peek();
    if (!(ch >= 'A' && ch <= 'Z') && ch != ' ') return false;
  }
  return true;
}

// "14 Nov 2023", "14 November 2023 10:00", "Tue, 14 Nov 2023 10:00:00 GMT",
// "26-FEB-1987 15:01:01.79" (Reuters).
bool ParseDayFirst(std::string_view text, Parts* p) {
  Cursor c{text};
  SkipWeekday(&c);
  if (!c.Digits(1, 2, &p->day)) return false;
  SkipOrdinal(&c);
  const bool hyphen = c.Consume('-');
  if (!hyphen) c.SkipSpaces();
  p->month = MonthFromName(c.Word());
  if (p->month == 0) return false;
  if (!hyphen) c.Consume('.');
  if (hyphen ? !c.Consume('-') : !c.SkipSpaces()) return false;
  if (!c.Digits(4, 4, &p->year)) return false;
  const Parts date_only = *p;
  if (ParseTimeZoneAndEnd(c, p, /*allow_t=*/false)) return true;
  if (!hyphen) return false;
  // Reuters: time then residue.
  Parts q = date_only;
  Cursor t = c;
  if (!t.SkipSpaces() || !ParseTime(&t, &q) || !OnlyReutersResidue(t)) return false;
  *p = q;
  return true;
}

// "November 14, 2023", "Nov. 14, 2023 at 10:00 a.m. EST", "Tue Nov 14 10:00:00 2023" (asctime).
bool ParseMonthFirst(std::string_view text, Parts* p) {
  Cursor c{text};
  SkipWeekday(&c);
  p->month = MonthFromName(c.Word());
  if (p->month == 0) return false;
  c.Consume('.');
  if (!c.SkipSpaces() || !c.Digits(1, 2, &p->day)) return false;
  SkipOrdinal(&c);
  Cursor asc = c;
  c.Consume(',');
  if (!c.SkipSpaces()) return false;
  if (c.Digits(4, 4, &p->year)) return ParseTimeZoneAndEnd(c, p, /*allow_t=*/false);
  // asctime: "Nov 14 10:00:00 2023"
  asc.SkipSpaces();
  if (!ParseTime(&asc, p) || !asc.SkipSpaces() || !asc.Digits(4, 4, &p->year)) return false;
  return ParseZoneAndEnd(asc, p);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::optional<int64_t> ParseDate(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return std::nullopt;

  bool all_digits = true;
  for (char c : text) all_digits = all_digits && IsDigit(c);
  if (all_digits) {
    if (text.size() < 9 || text.size() > 10) return std::nullopt;
    int64_t v = 0;
    for (char c : text) v = v * 10 + (c - '0');
    return v;
  }

  Parts p;
  bool ok = false;
  if (IsDigit(text[0])) {
    ok = ParseYearFirst(text, &p);
    if (!ok) {
      p = Parts{};
      ok = ParseDayFirst(text, &p);
    }
  } else {
    ok = ParseMonthFirst(text, &p);
    if (!ok) {
      p = Parts{};
      ok = ParseDayFirst(text, &p);  // "Tue, 14 Nov 2023 ..."
    }
  }
  if (!ok || p.year < 1 || p.year > 9999) return std::nullopt;

  using namespace std::chrono;
  const year_month_day ymd{year{p.year}, month{static_cast<unsigned>(p.month)},
                           day{static_cast<unsigned>(p.day)}};
  if (!ymd.ok()) return std::nullopt;
  const int64_t days = sys_days{ymd}.time_since_epoch().count();
  return days * 86400 + p.hour * 3600 + p.minute * 60 + p.second - p.offset;
}

}  // namespace dossier::corpus
