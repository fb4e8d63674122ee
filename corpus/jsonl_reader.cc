// JSON Lines: one JSON object per line, fields found through FieldKeys.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "corpus/format_readers.h"
#include "corpus/record.h"
#include "corpus/text.h"

namespace dossier::corpus {
namespace {

using json = nlohmann::json;

// Checks the nesting depth of `line` without parsing it (nlohmann's parser and destructor
// must not meet a line of 100,000 '['), and escapes raw control characters inside strings,
// a common fault of hand-made JSONL that nlohmann rejects. Returns false when too deep; when
// something was escaped, *fixed holds the corrected line (else it is left empty).
bool ScanJsonLine(std::string_view line, std::string* fixed) {
  fixed->clear();
  bool fixing = false;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        if (!fixing) {
          fixed->assign(line.substr(0, i));
          fixing = true;
        }
        switch (c) {
          case '\t':
            fixed->append("\\t");
            break;
          case '\n':
            fixed->append("\\n");
            break;
          case '\r':
            fixed->append("\\r");
            break;
          default:
            fixed->append(fmt::format("\\u{:04x}", static_cast<unsigned>(c)));
        }
        continue;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
    if (fixing) fixed->push_back(c);
  }
  return true;
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error
// while parsing value - invalid literal; last read: 'tru,'" -> "column 7: syntax error while
// parsing value - invalid literal; last read: 'tru,'", at most ~160 characters.
std::string ShortJsonError(std::string_view what) {
  if (what.substr(0, 1) == "[") {
    const size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  for (std::string_view prefix : {"parse error at line 1, ", "parse error: ", "parse error "}) {
    if (what.substr(0, prefix.size()) == prefix) {
      what.remove_prefix(prefix.size());
      break;
    }
  }
  std::string out(CutUtf8(RepairUtf8(what), 160));
  if (out.size() < what.size()) out += "...";
  return out;
}

std::string AnType(const json& v) {
  const std::string_view t = v.type_name();
  const bool vowel = !t.empty() && std::string_view("aeiou").find(t[0]) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", t);
}

// The value of `f` in `obj`: the first of its keys present with a non-null value, exact
// spelling first, then ignoring case.
const json* FindField(const json& obj, const std::vector<std::string>& keys, std::string* key) {
  for (const std::string& k : keys) {
    const auto it = obj.find(k);
    if (it != obj.end() && !it->is_null()) {
      *key = k;
      return &*it;
    }
  }
  for (const std::string& k : keys) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (!it->is_null() && EqualsIgnoreCase(it.key(), k)) {
        *key = it.key();
        return &*it;
      }
    }
  }
  return nullptr;
}

// Converts `v` (the value of field `f`) to a string. Returns false with *error set for a
// type the field cannot have.
bool FieldValue(Field f, const json& v, std::string* out, std::string* error) {
  const auto wrong = [&](std::string_view expected) {
    *error = fmt::format("is {}, expected {}", AnType(v), expected);
    return false;
  };
  if (v.is_string()) {
    *out = v.get<std::string>();
    return true;
  }
  switch (f) {
    case kId:
    case kDate:
      if (v.is_number()) {
        *out = v.dump();
        return true;
      }
      return wrong("a string or a number");
    case kSource:
      if (v.is_object()) {
        const auto it = v.find("name");
        if (it != v.end() && it->is_string()) {
          *out = it->get<std::string>();
          return true;
        }
        *error = "is an object without a string \"name\"";
        return false;
      }
      return wrong("a string or an object with a \"name\"");
    case kAuthor:
      if (v.is_array()) {
        out->clear();
        for (const json& e : v) {
          std::string name;
          if (e.is_string()) {
            name = e.get<std::string>();
          } else if (e.is_object() && e.contains("name") && e["name"].is_string()) {
            name = e["name"].get<std::string>();
          } else if (!e.is_null()) {
            *error = fmt::format("has an element that is {}, expected strings", AnType(e));
            return false;
          }
          if (Trim(name).empty()) continue;
          if (!out->empty()) out->append(", ");
          out->append(Trim(name));
        }
        return true;
      }
      return wrong("a string or an array of strings");
    case kBody:
      if (v.is_array()) {  // paragraphs
        out->clear();
        for (const json& e : v) {
          if (!e.is_string()) {
            *error = fmt::format("has an element that is {}, expected strings", AnType(e));
            return false;
          }
          if (!out->empty()) out->append("\n\n");
          out->append(e.get<std::string>());
        }
        return true;
      }
      return wrong("a string or an array of strings");
    default:
      return wrong("a string");
  }
}

}  // namespace

bool ReadJsonlFormat(LineReader* in, const std::string& path, const ReadOptions& options,
                     ArticleSink* sink) {
  const FieldKeys field_keys(options);
  std::string line;
  std::string fixed;
  bool seen_content = false;
  for (;;) {
    const LineReader::Result r = in->Next(&line);
    if (r == LineReader::Result::kEnd) break;
    if (r == LineReader::Result::kError) {
      ReportError(sink, path, in->error());
      return true;
    }
    const std::string location = fmt::format("{}:{}", path, in->line_number());
    if (r == LineReader::Result::kTooLong) {
      seen_content = true;
      ReportError(sink, location,
                  fmt::format("line longer than {} bytes, skipped", options.max_record_bytes));
      continue;
    }
    if (in->line_number() == 1) StripBom(&line);
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty()) continue;
    if (!seen_content && (trimmed == "[" || trimmed == "{")) {
      ReportError(sink, location,
                  "pretty-printed JSON is not JSON Lines (one object per line); file skipped");
      return true;
    }
    seen_content = true;

    size_t repaired = 0;
    if (!IsValidUtf8(line)) line = RepairUtf8(line, &repaired);
    if (!ScanJsonLine(line, &fixed)) {
      ReportError(sink, location, fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
      continue;
    }
    json obj;
    try {
      obj = json::parse(fixed.empty() ? line : fixed);
    } catch (const json::exception& e) {
      ReportError(sink, location, "malformed JSON: " + ShortJsonError(e.what()));
      continue;
    }
    if (!obj.is_object()) {
      ReportError(sink, location, fmt::format("not a JSON object but {}", AnType(obj)));
      continue;
    }
    RawRecord record;
    std::string error;
    for (size_t f = 0; f < kFieldCount && error.empty(); ++f) {
      std::string key;
      const json* v = FindField(obj, field_keys.keys(static_cast<Field>(f)), &key);
      if (v == nullptr) continue;
      std::string value;
      if (!FieldValue(static_cast<Field>(f), *v, &value, &error)) {
        const std::string_view name = FieldName(static_cast<Field>(f));
        error = key == name ? fmt::format("field '{}' {}", key, error)
                            : fmt::format("field '{}' ({}) {}", key, name, error);
        break;
      }
      record.values[f] = std::move(value);
    }
    if (!error.empty()) {
      ReportError(sink, location, error + "; record skipped");
      continue;
    }
    if (!DeliverRecord(std::move(record), location, repaired, options, sink)) return false;
  }
  if (!seen_content) ReportError(sink, path, "empty file");
  return true;
}

}  // namespace dossier::corpus
