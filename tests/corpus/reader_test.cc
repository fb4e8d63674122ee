// Tests for the readers (corpus/reader.cc and the format readers) on fixtures written here.
#include "corpus/reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "corpus/text.h"
#include "test_util.h"

namespace dossier::corpus {
namespace {

using testing::Codec;
using testing::Compress;
using testing::Read;
using testing::RecordingSink;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Origins(const RecordingSink& sink) {
  std::vector<std::string> out;
  for (const Article& a : sink.articles) out.push_back(a.origin);
  return out;
}

// ---------------------------------------------------------------- plain text

TEST(TextReader, TitleLineBlankLineBody) {
  TempDir dir;
  const std::string path = dir / "story.txt";
  WriteFile(path,
            "Harbour reopens after storm\n\nThe harbour reopened on Monday.\n\nBoats "
            "returned.\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  const Article& a = sink.articles[0];
  EXPECT_EQ(a.title, "Harbour reopens after storm");
  EXPECT_EQ(a.body, "The harbour reopened on Monday.\n\nBoats returned.");
  EXPECT_EQ(a.origin, path);
  EXPECT_EQ(a.id, path);  // a text file's identity is its absolute path
  EXPECT_FALSE(a.date.has_value());
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
}

TEST(TextReader, LongFirstParagraphMeansNoTitleAndTrailerDropped) {
  TempDir dir;
  const std::string path = dir / "memo.txt";
  const std::string para =
      "In a statement released on Thursday, the regional water board said that reservoirs were "
      "at their lowest level in a decade and asked households to limit garden watering until "
      "further notice, citing the long dry spell.";
  WriteFile(path, para + "\nThe board will meet again next week.\nSource link");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "");
  EXPECT_EQ(sink.articles[0].body, para + "\nThe board will meet again next week.");
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
}

TEST(TextReader, CrLfAndBomHandled) {
  TempDir dir;
  const std::string path = dir / "dos.txt";
  WriteFile(path, "\xEF\xBB\xBFWindows headline\r\n\r\nLine one.\r\nLine two.\r\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Windows headline");
  EXPECT_EQ(sink.articles[0].body, "Line one.\nLine two.");
}

TEST(TextReader, Latin1RepairedWithWarning) {
  TempDir dir;
  const std::string path = dir / "latin1.txt";
  WriteFile(path,
            "Caf\xE9 prices rise\n\nA coffee now costs \xA3"
            "3.\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Caf\xC3\xA9 prices rise");
  EXPECT_EQ(sink.articles[0].body,
            "A coffee now costs \xC2\xA3"
            "3.");
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_EQ(sink.diagnostics[0].location, path);
  EXPECT_EQ(sink.diagnostics[0].message, "invalid UTF-8 repaired (2 bytes)");
}

TEST(TextReader, NulByteIsBinary) {
  TempDir dir;
  const std::string path = dir / "blob.txt";
  WriteFile(path, std::string("GIF89a\0\0\x01\x02", 10) + std::string(100, 'x'));
  RecordingSink sink = Read(path);
  EXPECT_TRUE(sink.articles.empty());
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].message, "binary file, skipped");
  EXPECT_EQ(sink.diagnostics[0].location, path);
}

TEST(TextReader, NulAfterFirst8KiBBecomesSpace) {
  TempDir dir;
  const std::string path = dir / "late-nul.txt";
  WriteFile(path, std::string(9000, 'a') + std::string("\0b", 2));
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].body.substr(9000), " b");
}

TEST(TextReader, ControlCharacterNoiseIsBinary) {
  TempDir dir;
  const std::string path = dir / "noise.txt";
  std::string noise;
  for (int i = 0; i < 400; ++i) noise += static_cast<char>(1 + i % 8);
  WriteFile(path, noise + "some words");
  RecordingSink sink = Read(path);
  EXPECT_TRUE(sink.articles.empty());
  EXPECT_NE(sink.FindError("binary file"), nullptr) << sink.Dump();
}

TEST(TextReader, EmptyAndWhitespaceOnlyFiles) {
  TempDir dir;
  WriteFile(dir / "empty.txt", "");
  WriteFile(dir / "blank.txt", " \n\t\r\n  \n");
  for (const char* name : {"empty.txt", "blank.txt"}) {
    RecordingSink sink = Read(dir / name);
    EXPECT_TRUE(sink.articles.empty()) << name;
    ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
    EXPECT_EQ(sink.diagnostics[0].message, "empty file");
    EXPECT_EQ(sink.diagnostics[0].severity, Diagnostic::Severity::kError);
  }
}

TEST(TextReader, OnlyBoilerplateIsNoBodyOrTitle) {
  TempDir dir;
  WriteFile(dir / "trailer.txt", "Source link\n");
  RecordingSink sink = Read(dir / "trailer.txt");
  EXPECT_TRUE(sink.articles.empty());
  EXPECT_NE(sink.FindError("no body or title"), nullptr) << sink.Dump();
}

TEST(TextReader, LongBodyCutAtCharacterBoundary) {
  TempDir dir;
  const std::string path = dir / "long.txt";
  std::string body;
  while (body.size() < 5000) body += "\xC3\xA9t\xC3\xA9 ";  // multi-byte characters
  WriteFile(path, "Long one\n\n" + body);
  ReadOptions options;
  options.max_body_bytes = 1001;
  RecordingSink sink = Read(path, options);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_LE(sink.articles[0].body.size(), 1001u);
  EXPECT_GE(sink.articles[0].body.size(), 998u);
  EXPECT_TRUE(IsValidUtf8(sink.articles[0].body));
  EXPECT_NE(sink.FindWarning("body cut to"), nullptr) << sink.Dump();
  EXPECT_EQ(sink.FindWarning("invalid UTF-8"), nullptr) << sink.Dump();
}

TEST(TextReader, HugeFileIsReadOnlyUpToTheLimit) {
  TempDir dir;
  const std::string path = dir / "huge.txt";
  // One 3 MB line of multi-byte text, no line breaks at all.
  std::string line;
  line.reserve(3 * 1024 * 1024);
  while (line.size() < 3 * 1024 * 1024) line += "\xE2\x82\xAC";
  WriteFile(path, line);
  ReadOptions options;
  options.max_body_bytes = 100 * 1000;
  RecordingSink sink = Read(path, options);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_LE(sink.articles[0].body.size(), options.max_body_bytes);
  EXPECT_GT(sink.articles[0].body.size(), options.max_body_bytes - 4);
  EXPECT_TRUE(IsValidUtf8(sink.articles[0].body));
  EXPECT_NE(sink.FindWarning("body cut"), nullptr) << sink.Dump();
  // The cut must not have split a character into "repaired" bytes.
  EXPECT_EQ(sink.FindWarning("invalid UTF-8"), nullptr) << sink.Dump();
}

// ---------------------------------------------------------------- JSON Lines

TEST(JsonlReader, AllFieldsAndPhysicalLineNumbers) {
  TempDir dir;
  const std::string path = dir / "a.jsonl";
  WriteFile(
      path,
      "{\"id\": \"x1\", \"title\": \"First\", \"date\": \"2023-11-14\", \"source\": \"Gazette\", "
      "\"author\": \"A. Writer\", \"url\": \"https://example.org/1\", \"body\": \"Body "
      "one.\", \"extra\": {\"ignored\": [1, 2]}}\n"
      "\n"
      "   \n"
      "{\"id\": 42, \"title\": \"Second\", \"body\": \"Body two.\", \"url\": null}\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  const Article& a = sink.articles[0];
  EXPECT_EQ(a.id, "x1");
  EXPECT_EQ(a.title, "First");
  EXPECT_EQ(a.date_raw, "2023-11-14");
  EXPECT_EQ(a.date, 1699920000);
  EXPECT_EQ(a.source, "Gazette");
  EXPECT_EQ(a.author, "A. Writer");
  EXPECT_EQ(a.url, "https://example.org/1");
  EXPECT_EQ(a.body, "Body one.");
  EXPECT_EQ(a.origin, path + ":1");
  EXPECT_EQ(sink.articles[1].id, "42");
  EXPECT_EQ(sink.articles[1].url, "");
  EXPECT_EQ(sink.articles[1].origin, path + ":4");
}

TEST(JsonlReader, Aliases) {
  TempDir dir;
  const std::string path = dir / "aliases.ndjson";
  WriteFile(
      path,
      R"({"guid": "g-1", "headline": "Alias title", "publishedAt": "Tue, 14 Nov 2023 10:00:00 GMT", "publisher": {"name": "BBC", "id": 3}, "authors": ["Ann One", "Bob Two", ""], "link": "https://e.org/x", "content": "Alias body."})"
      "\n"
      R"({"doc_id": "d-2", "pubDate": "November 14, 2023", "outlet": "Wire", "byline": "C. Three", "href": "https://e.org/y", "story": "Story body."})"
      "\n"
      R"({"uuid": "u-3", "datetime": "2023-11-14T10:00:00Z", "source_name": "S", "text": "Text body."})"
      "\n"
      R"({"docid": "d-4", "published_at": "2023-11-14", "site": "Site", "article": "Article body."})"
      "\n"
      R"({"id": "d-5", "timestamp": 1699956000, "article": "x"})"
      "\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 5u) << sink.Dump();
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  EXPECT_EQ(sink.articles[0].id, "g-1");
  EXPECT_EQ(sink.articles[0].title, "Alias title");
  EXPECT_EQ(sink.articles[0].date, 1699956000);
  EXPECT_EQ(sink.articles[0].source, "BBC");
  EXPECT_EQ(sink.articles[0].author, "Ann One, Bob Two");
  EXPECT_EQ(sink.articles[0].url, "https://e.org/x");
  EXPECT_EQ(sink.articles[0].body, "Alias body.");
  EXPECT_EQ(sink.articles[1].id, "d-2");
  EXPECT_EQ(sink.articles[1].title, "");
  EXPECT_EQ(sink.articles[1].date, 1699920000);
  EXPECT_EQ(sink.articles[1].source, "Wire");
  EXPECT_EQ(sink.articles[1].author, "C. Three");
  EXPECT_EQ(sink.articles[1].url, "https://e.org/y");
  EXPECT_EQ(sink.articles[1].body, "Story body.");
  EXPECT_EQ(sink.articles[2].source, "S");
  EXPECT_EQ(sink.articles[2].body, "Text body.");
  EXPECT_EQ(sink.articles[2].date, 1699956000);
  EXPECT_EQ(sink.articles[3].source, "Site");
  EXPECT_EQ(sink.articles[3].body, "Article body.");
  EXPECT_EQ(sink.articles[4].date_raw, "1699956000");  // a number, stringified
  EXPECT_EQ(sink.articles[4].date, 1699956000);
}

TEST(JsonlReader, FieldMapComesFirstAndKeysIgnoreCase) {
  TempDir dir;
  const std::string path = dir / "mapped.jsonl";
  WriteFile(
      path,
      R"({"fulltext": "Mapped body.", "body": "Not this one.", "Title": "Cased", "DATE": "2023-11-14"})"
      "\n");
  ReadOptions options;
  options.field_map["body"] = "fulltext";
  RecordingSink sink = Read(path, options);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].body, "Mapped body.");
  EXPECT_EQ(sink.articles[0].title, "Cased");
  EXPECT_EQ(sink.articles[0].date, 1699920000);
  // Without the mapping the built-in alias is used.
  RecordingSink plain = Read(path);
  ASSERT_EQ(plain.articles.size(), 1u);
  EXPECT_EQ(plain.articles[0].body, "Not this one.");
}

TEST(JsonlReader, BodyParagraphArrayJoined) {
  TempDir dir;
  WriteFile(dir / "p.jsonl", R"({"title": "T", "body": ["One.", "Two."]})"
                             "\n");
  RecordingSink sink = Read(dir / "p.jsonl");
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].body, "One.\n\nTwo.");
}

TEST(JsonlReader, WrongTypesSkipTheRecord) {
  TempDir dir;
  const std::string path = dir / "types.jsonl";
  WriteFile(path, R"({"title": {"text": "nested"}, "body": "b"})"
                  "\n"
                  R"({"title": "t", "body": 12})"
                  "\n"
                  R"({"id": true, "body": "b"})"
                  "\n"
                  R"({"source": {"label": "no name"}, "body": "b"})"
                  "\n"
                  R"({"author": ["ok", 5], "body": "b"})"
                  "\n"
                  R"({"fulltext": 3.5, "title": "t"})"
                  "\n"
                  R"({"title": "Fine", "body": "Still read."})"
                  "\n");
  ReadOptions options;
  options.field_map["body"] = "fulltext";
  RecordingSink sink = Read(path, options);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Fine");
  EXPECT_EQ(sink.articles[0].origin, path + ":7");
  ASSERT_EQ(sink.errors(), 6u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":1");
  EXPECT_EQ(sink.diagnostics[0].message,
            "field 'title' is an object, expected a string; record skipped");
  EXPECT_EQ(sink.diagnostics[1].message,
            "field 'body' is a number, expected a string or an array of strings; record skipped");
  EXPECT_NE(sink.diagnostics[2].message.find("field 'id' is a boolean"), std::string::npos);
  EXPECT_NE(sink.diagnostics[3].message.find("field 'source' is an object without"),
            std::string::npos);
  EXPECT_NE(sink.diagnostics[4].message.find("field 'author' has an element that is a number"),
            std::string::npos);
  EXPECT_NE(sink.diagnostics[5].message.find("field 'fulltext' (body) is a number"),
            std::string::npos);
}

TEST(JsonlReader, NoBodyOrTitleIsAnError) {
  TempDir dir;
  const std::string path = dir / "nobody.jsonl";
  WriteFile(path, R"({"id": "1", "date": "2023-11-14"})"
                  "\n"
                  R"({"id": "2", "title": "  ", "body": " \n "})"
                  "\n"
                  R"({"id": "3", "title": "Headline only"})"
                  "\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].id, "3");
  ASSERT_EQ(sink.errors(), 2u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].message, "no body or title");
  EXPECT_EQ(sink.diagnostics[0].location, path + ":1");
  EXPECT_EQ(sink.diagnostics[1].location, path + ":2");
}

TEST(JsonlReader, MalformedJsonReportsLineAndShortMessage) {
  TempDir dir;
  const std::string path = dir / "bad.jsonl";
  WriteFile(path, R"({"title": "ok", "body": "one"})"
                  "\n"
                  R"({"title": "broken", "body": )"
                  "\n"
                  "{'single': 'quotes'}\n"
                  "[1, 2, 3]\n"
                  "\"just a string\"\n"
                  R"({"title": "ok", "body": "two"})");  // no final newline
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.articles[1].origin, path + ":6");
  ASSERT_EQ(sink.errors(), 4u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":2");
  EXPECT_EQ(sink.diagnostics[0].message.rfind("malformed JSON: ", 0), 0u);
  EXPECT_EQ(sink.diagnostics[0].message.find("json.exception"), std::string::npos);
  EXPECT_LT(sink.diagnostics[0].message.size(), 200u);
  EXPECT_EQ(sink.diagnostics[1].location, path + ":3");
  EXPECT_EQ(sink.diagnostics[2].message, "not a JSON object but an array");
  EXPECT_EQ(sink.diagnostics[3].message, "not a JSON object but a string");
}

TEST(JsonlReader, DeepNestingRejectedWithoutCrash) {
  TempDir dir;
  const std::string path = dir / "deep.jsonl";
  const std::string deep =
      "{\"body\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
  std::string ok_nested = "{\"body\": \"fine\", \"x\": ";
  for (int i = 0; i < 60; ++i) ok_nested += "[";
  for (int i = 0; i < 60; ++i) ok_nested += "]";
  ok_nested += "}";
  // Brackets inside strings do not count.
  const std::string in_string = "{\"body\": \"" + std::string(500, '[') + "\"}";
  WriteFile(path, deep + "\n" + ok_nested + "\n" + in_string + "\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].body, "fine");
  ASSERT_EQ(sink.errors(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":1");
  EXPECT_NE(sink.diagnostics[0].message.find("nested deeper than 64"), std::string::npos);
}

TEST(JsonlReader, BomInvalidUtf8RawControlsAndCrLf) {
  TempDir dir;
  const std::string path = dir / "dirty.jsonl";
  WriteFile(path,
            "\xEF\xBB\xBF{\"title\": \"Caf\xE9\", \"body\": \"tab\there\\u0000x\"}\r\n"
            "{\"title\": \"Clean\", \"body\": \"line\\r\\nbreak\"}\r\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Caf\xC3\xA9");
  EXPECT_EQ(sink.articles[0].body, "tab\there x");
  EXPECT_EQ(sink.articles[1].body, "line\nbreak");
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":1");
  EXPECT_EQ(sink.diagnostics[0].message, "invalid UTF-8 repaired (1 byte)");
}

TEST(JsonlReader, UnparseableDateIsAWarning) {
  TempDir dir;
  const std::string path = dir / "dates.jsonl";
  WriteFile(path, R"({"body": "b", "date": "sometime last spring"})"
                  "\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].date_raw, "sometime last spring");
  EXPECT_FALSE(sink.articles[0].date.has_value());
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_EQ(sink.diagnostics[0].message, "unparseable date 'sometime last spring'");
}

TEST(JsonlReader, DateRawKeptAsWrittenOtherFieldsCollapsed) {
  TempDir dir;
  const std::string path = dir / "spaces.jsonl";
  WriteFile(path, R"({"title": "  Two\n lines ", "date": " 14 Nov  2023 ", "body": "b"})"
                  "\n"
                  R"({"title": "t", "date": "   ", "body": "b"})"
                  "\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Two lines");
  EXPECT_EQ(sink.articles[0].date_raw, " 14 Nov  2023 ");
  EXPECT_EQ(sink.articles[0].date, 1699920000);
  EXPECT_EQ(sink.articles[1].date_raw, "");
  EXPECT_FALSE(sink.articles[1].date.has_value());
}

TEST(JsonlReader, PrettyPrintedJsonIsOneError) {
  TempDir dir;
  WriteFile(dir / "pretty.json", "[\n  {\"title\": \"a\",\n   \"body\": \"b\"}\n]\n");
  RecordingSink sink = Read(dir / "pretty.json");
  EXPECT_TRUE(sink.articles.empty());
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_NE(sink.diagnostics[0].message.find("pretty-printed JSON"), std::string::npos);
}

TEST(JsonlReader, BlankOnlyFileIsEmpty) {
  TempDir dir;
  WriteFile(dir / "blank.jsonl", "\n\n   \n");
  RecordingSink sink = Read(dir / "blank.jsonl");
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].message, "empty file");
  EXPECT_EQ(sink.diagnostics[0].location, dir / "blank.jsonl");
}

TEST(JsonlReader, HugeLinesCutOrSkipped) {
  TempDir dir;
  const std::string path = dir / "huge.jsonl";
  const std::string big(300 * 1000, 'w');
  const std::string bigger(700 * 1000, 'v');
  WriteFile(path, "{\"title\": \"big\", \"body\": \"" + big + "\"}\n" +
                      "{\"title\": \"too big\", \"body\": \"" + bigger + "\"}\n" +
                      "{\"title\": \"after\", \"body\": \"small\"}\n");
  ReadOptions options;
  options.max_body_bytes = 100 * 1000;
  options.max_record_bytes = 500 * 1000;
  RecordingSink sink = Read(path, options);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].body.size(), 100u * 1000);
  EXPECT_EQ(sink.articles[1].title, "after");
  EXPECT_EQ(sink.articles[1].origin, path + ":3");
  ASSERT_EQ(sink.diagnostics.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].message, "body cut to 100000 bytes (longer than max_body_bytes)");
  EXPECT_EQ(sink.diagnostics[1].location, path + ":2");
  EXPECT_EQ(sink.diagnostics[1].message, "line longer than 500000 bytes, skipped");
}

TEST(JsonlReader, SinkCanStopReading) {
  TempDir dir;
  WriteFile(dir / "a.jsonl", "{\"body\": \"1\"}\n{\"body\": \"2\"}\n{\"body\": \"3\"}\n");
  WriteFile(dir / "b.jsonl", "{\"body\": \"4\"}\n");
  RecordingSink sink;
  sink.stop_after = 2;
  EXPECT_FALSE(ReadPath(dir.path(), ReadOptions{}, &sink));
  EXPECT_EQ(sink.articles.size(), 2u);
}

TEST(JsonlReader, StdinDash) {
  TempDir dir;
  const std::string path = dir / "stdin.data";
  WriteFile(path, "{\"title\": \"From stdin\", \"body\": \"piped\"}\n\n{\"body\": \"second\"}\n");
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const int saved = ::dup(STDIN_FILENO);
  ASSERT_GE(::dup2(fd, STDIN_FILENO), 0);
  RecordingSink sink;
  const bool ok = ReadPath("-", ReadOptions{}, &sink);
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  ::close(fd);
  EXPECT_TRUE(ok);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "From stdin");
  EXPECT_EQ(sink.articles[0].origin, "<stdin>:1");
  EXPECT_EQ(sink.articles[1].origin, "<stdin>:3");
}

// ---------------------------------------------------------------- CSV / TSV

TEST(CsvReader, QuotingNewlinesAndStartLines) {
  TempDir dir;
  const std::string path = dir / "a.csv";
  WriteFile(path,
            "\xEF\xBB\xBFid,headline,Date,text,unused\n"
            "1,\"Comma, inside\",2023-11-14,\"He said \"\"yes\"\".\",x\n"
            "2,Multi,2023-11-14,\"Line one\n"
            "\n"
            "Line three\",x\n"
            "\n"
            "3,Last,,plain body,x\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 3u) << sink.Dump();
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  EXPECT_EQ(sink.articles[0].id, "1");
  EXPECT_EQ(sink.articles[0].title, "Comma, inside");
  EXPECT_EQ(sink.articles[0].body, "He said \"yes\".");
  EXPECT_EQ(sink.articles[0].date, 1699920000);
  EXPECT_EQ(sink.articles[0].origin, path + ":2");
  EXPECT_EQ(sink.articles[1].body, "Line one\n\nLine three");
  EXPECT_EQ(sink.articles[1].origin, path + ":3");
  EXPECT_EQ(sink.articles[2].origin, path + ":7");
  EXPECT_EQ(sink.articles[2].date_raw, "");
  EXPECT_FALSE(sink.articles[2].date.has_value());
}

TEST(CsvReader, CrLfAndFieldMap) {
  TempDir dir;
  const std::string path = dir / "crlf.csv";
  WriteFile(path, "key,story_text\r\nk1,\"multi\r\nline\"\r\nk2,second\r\n");
  ReadOptions options;
  options.field_map["id"] = "key";
  options.field_map["body"] = "story_text";
  RecordingSink sink = Read(path, options);
  ASSERT_EQ(sink.articles.size(), 2u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].id, "k1");
  EXPECT_EQ(sink.articles[0].body, "multi\nline");
  EXPECT_EQ(sink.articles[1].origin, path + ":4");
}

TEST(CsvReader, Tsv) {
  TempDir dir;
  const std::string path = dir / "a.tsv";
  WriteFile(path, "title\tbody\tsource\nTab title\tBody, with comma\tWire\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Tab title");
  EXPECT_EQ(sink.articles[0].body, "Body, with comma");
  EXPECT_EQ(sink.articles[0].source, "Wire");
}

TEST(CsvReader, WrongColumnCountSkipsRow) {
  TempDir dir;
  const std::string path = dir / "cols.csv";
  WriteFile(path, "title,body\nonly one column\nA,B\nx,y,z\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "A");
  ASSERT_EQ(sink.errors(), 2u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":2");
  EXPECT_EQ(sink.diagnostics[0].message, "1 columns, header has 2; record skipped");
  EXPECT_EQ(sink.diagnostics[1].location, path + ":4");
}

TEST(CsvReader, UnbalancedQuoteReportsStartLineAndResyncs) {
  TempDir dir;
  const std::string path = dir / "quotes.csv";
  WriteFile(path,
            "title,body\n"
            "Good,first\n"
            "Bad,\"never closed\n"
            "After,second\n"
            "Later,third\n");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.errors(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":3");
  EXPECT_NE(sink.diagnostics[0].message.find("unbalanced quote"), std::string::npos);
  ASSERT_EQ(sink.articles.size(), 3u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Good");
  EXPECT_EQ(sink.articles[1].title, "After");
  EXPECT_EQ(sink.articles[1].origin, path + ":4");
  EXPECT_EQ(sink.articles[2].origin, path + ":5");
}

TEST(CsvReader, UnbalancedQuoteOnLastLineEndsFile) {
  TempDir dir;
  const std::string path = dir / "last.csv";
  WriteFile(path, "title,body\nGood,first\nBad,\"never closed");
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  ASSERT_EQ(sink.errors(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":3");
  EXPECT_NE(sink.diagnostics[0].message.find("rest of file skipped"), std::string::npos);
}

TEST(CsvReader, HeaderWithoutBodyOrTitle) {
  TempDir dir;
  const std::string path = dir / "nobody.csv";
  WriteFile(path, "alpha,beta\n1,2\n");
  RecordingSink sink = Read(path);
  EXPECT_TRUE(sink.articles.empty());
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":1");
  EXPECT_NE(sink.diagnostics[0].message.find("no body or title column (columns: alpha, beta)"),
            std::string::npos);
}

TEST(CsvReader, EmptyHeaderOnlyAndLatin1) {
  TempDir dir;
  WriteFile(dir / "empty.csv", "");
  WriteFile(dir / "header.csv", "title,body\n");
  WriteFile(dir / "latin1.csv", "title,body\nNa\xEFve,ok\n");
  RecordingSink empty = Read(dir / "empty.csv");
  ASSERT_EQ(empty.diagnostics.size(), 1u) << empty.Dump();
  EXPECT_EQ(empty.diagnostics[0].message, "empty file");
  RecordingSink header = Read(dir / "header.csv");
  EXPECT_TRUE(header.articles.empty());
  EXPECT_TRUE(header.diagnostics.empty()) << header.Dump();
  RecordingSink latin1 = Read(dir / "latin1.csv");
  ASSERT_EQ(latin1.articles.size(), 1u) << latin1.Dump();
  EXPECT_EQ(latin1.articles[0].title, "Na\xC3\xAFve");
  ASSERT_EQ(latin1.diagnostics.size(), 1u) << latin1.Dump();
  EXPECT_EQ(latin1.diagnostics[0].location, dir / "latin1.csv:2");
  EXPECT_EQ(latin1.diagnostics[0].message, "invalid UTF-8 repaired (1 byte)");
}

TEST(CsvReader, OverlongQuotedRecordStopsTheFile) {
  TempDir dir;
  const std::string path = dir / "long.csv";
  std::string content = "title,body\nA,\"open quote\n";
  for (int i = 0; i < 2000; ++i) content += "filler line of the never ending field\n";
  WriteFile(path, content);
  ReadOptions options;
  options.max_record_bytes = 10 * 1000;
  RecordingSink sink = Read(path, options);
  EXPECT_TRUE(sink.articles.empty());
  ASSERT_EQ(sink.errors(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, path + ":2");
  EXPECT_NE(sink.diagnostics[0].message.find("record longer than 10000 bytes"), std::string::npos);
}

// ---------------------------------------------------------------- compression

std::string SampleJsonl(int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    out += fmt::format(
        R"({{"id": "n{}", "title": "Title {}", "body": "Body number {} with some words {}."}})", i,
        i, i, i * 7919 % 10007);
    out += "\n";
  }
  return out;
}

class CompressedTest : public ::testing::TestWithParam<Codec> {};

TEST_P(CompressedTest, JsonlTextAndCsvDecompressed) {
  TempDir dir;
  const std::string ext = testing::CodecExtension(GetParam());
  WriteFile(dir / ("a.jsonl" + ext), Compress(SampleJsonl(50), GetParam()));
  WriteFile(dir / ("b.txt" + ext), Compress("Packed headline\n\nPacked body.\n", GetParam()));
  WriteFile(dir / ("c.csv" + ext), Compress("title,body\nRow,Row body\n", GetParam()));
  RecordingSink sink = Read(dir.path());
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  ASSERT_EQ(sink.articles.size(), 52u);
  EXPECT_EQ(sink.articles[0].id, "n1");
  EXPECT_EQ(sink.articles[49].origin, dir / ("a.jsonl" + ext + ":50"));
  EXPECT_EQ(sink.articles[50].title, "Packed headline");
  EXPECT_EQ(sink.articles[50].body, "Packed body.");
  EXPECT_EQ(sink.articles[51].origin, dir / ("c.csv" + ext + ":2"));
}

TEST_P(CompressedTest, DetectedByMagicBytesWithoutExtension) {
  TempDir dir;
  WriteFile(dir / "plain-name.jsonl", Compress(SampleJsonl(3), GetParam()));
  RecordingSink sink = Read(dir / "plain-name.jsonl");
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  EXPECT_EQ(sink.articles.size(), 3u);
}

TEST_P(CompressedTest, EmptyContentIsEmptyFile) {
  TempDir dir;
  const std::string path = dir / ("e.jsonl" + std::string(testing::CodecExtension(GetParam())));
  WriteFile(path, Compress("", GetParam()));
  RecordingSink sink = Read(path);
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].message, "empty file");
}

TEST_P(CompressedTest, TruncatedDeliversWhatWasReadThenErrors) {
  TempDir dir;
  const std::string ext = testing::CodecExtension(GetParam());
  const std::string path = dir / ("t.jsonl" + ext);
  const std::string full = Compress(SampleJsonl(20000), GetParam());
  WriteFile(path, full.substr(0, full.size() / 2));
  RecordingSink sink = Read(path);
  EXPECT_GT(sink.articles.size(), 100u);
  EXPECT_LT(sink.articles.size(), 20000u);
  for (size_t i = 0; i < sink.articles.size(); ++i) {
    ASSERT_EQ(sink.articles[i].id, fmt::format("n{}", i + 1));
  }
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  const Diagnostic& d = sink.diagnostics[0];
  EXPECT_EQ(d.severity, Diagnostic::Severity::kError);
  EXPECT_EQ(d.location, path);
  const char* kind = GetParam() == Codec::kGzip    ? "gzip"
                     : GetParam() == Codec::kBzip2 ? "bzip2"
                     : GetParam() == Codec::kXz    ? "xz"
                                                   : "zstd";
  EXPECT_EQ(d.message.rfind(fmt::format("truncated or corrupt {} data: ", kind), 0), 0u)
      << d.message;
}

INSTANTIATE_TEST_SUITE_P(Codecs, CompressedTest,
                         ::testing::Values(Codec::kGzip, Codec::kBzip2, Codec::kXz, Codec::kZstd),
                         [](const ::testing::TestParamInfo<Codec>& info) {
                           return std::string(testing::CodecExtension(info.param) + 1);
                         });

TEST(Compressed, TruncatedTextArticleIsNotDelivered) {
  TempDir dir;
  const std::string path = dir / "cut.txt.gz";
  std::string text = "Headline\n\n";
  for (int i = 0; i < 20000; ++i) text += fmt::format("Sentence {} of a long article.\n", i);
  const std::string gz = Compress(text, Codec::kGzip);
  WriteFile(path, gz.substr(0, gz.size() - 100));
  RecordingSink sink = Read(path);
  EXPECT_TRUE(sink.articles.empty());
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].message.rfind("truncated or corrupt gzip data: ", 0), 0u);
}

TEST(Compressed, ExtensionWithoutCompressedContentIsAnError) {
  TempDir dir;
  WriteFile(dir / "fake.jsonl.gz", "{\"body\": \"not compressed\"}\n");
  WriteFile(dir / "zero.txt.gz", "");
  WriteFile(dir / "garbage.txt.gz", "\x1f\x8b\x08");  // a gzip magic, then nothing
  for (const char* name : {"fake.jsonl.gz", "zero.txt.gz", "garbage.txt.gz"}) {
    RecordingSink sink = Read(dir / name);
    EXPECT_TRUE(sink.articles.empty()) << name;
    ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.Dump();
    EXPECT_EQ(sink.diagnostics[0].message.rfind("truncated or corrupt gzip data: ", 0), 0u)
        << sink.diagnostics[0].message;
  }
}

// ---------------------------------------------------------------- folders and paths

TEST(Folders, SortedRecursionWithFiltering) {
  TempDir dir;
  WriteFile(dir / "b/2.txt", "Two\n\nbody two");
  WriteFile(dir / "a/1.txt", "One\n\nbody one");
  WriteFile(dir / "a/10.text", "Ten\n\nbody ten");
  WriteFile(dir / "c.jsonl", "{\"body\": \"jsonl body\"}\n");
  WriteFile(dir / "d.csv.gz", Compress("title,body\nCsv,row\n", Codec::kGzip));
  WriteFile(dir / "E.TXT", "Upper case extension\n\nbody");
  WriteFile(dir / "README.TXT", "About this corpus\n\nnot an article");
  WriteFile(dir / "sub/LICENSE.txt", "Licence\n\nnot an article");
  WriteFile(dir / ".hidden.txt", "Hidden\n\nskipped");
  WriteFile(dir / ".git/x.txt", "Hidden folder\n\nskipped");
  WriteFile(dir / "notes.md", "# not ours");
  WriteFile(dir / "image.png", std::string("\x89PNG\0\0", 6));
  RecordingSink sink = Read(dir.path());
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  const std::vector<std::string> expected = {dir / "E.TXT",     dir / "a/1.txt",
                                             dir / "a/10.text", dir / "b/2.txt",
                                             dir / "c.jsonl:1", dir / "d.csv.gz:2"};
  EXPECT_EQ(Origins(sink), expected);
}

TEST(Folders, TrailingSlashGivesCleanOrigins) {
  TempDir dir;
  WriteFile(dir / "x.txt", "T\n\nb");
  RecordingSink sink = Read(dir.path() + "/");
  ASSERT_EQ(sink.articles.size(), 1u);
  EXPECT_EQ(sink.articles[0].origin, dir / "x.txt");
}

TEST(Folders, SymlinkLoopDetected) {
  TempDir dir;
  WriteFile(dir / "top/a.txt", "A\n\nbody a");
  WriteFile(dir / "top/sub/b.txt", "B\n\nbody b");
  std::filesystem::create_directory_symlink("..", dir / "top/sub/loop");
  std::filesystem::create_directory_symlink(dir / "top/sub", dir / "top/z-alias");
  RecordingSink sink = Read(dir / "top");
  EXPECT_EQ(Origins(sink), (std::vector<std::string>{dir / "top/a.txt", dir / "top/sub/b.txt"}));
  EXPECT_EQ(sink.errors(), 0u) << sink.Dump();
  EXPECT_EQ(sink.warnings(), 2u) << sink.Dump();
  EXPECT_NE(sink.FindWarning("folder already read"), nullptr);
}

TEST(Folders, SymlinkToOutsideFolderIsFollowed) {
  TempDir dir;
  WriteFile(dir / "elsewhere/x.jsonl", "{\"body\": \"linked in\"}\n");
  WriteFile(dir / "root/a.txt", "A\n\nbody a");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "root/linked");
  RecordingSink sink = Read(dir / "root");
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.Dump();
  EXPECT_EQ(Origins(sink),
            (std::vector<std::string>{dir / "root/a.txt", dir / "root/linked/x.jsonl:1"}));
}

TEST(Folders, BrokenSymlinkAndMissingPathAreErrors) {
  TempDir dir;
  WriteFile(dir / "good.txt", "Good\n\nbody");
  std::filesystem::create_symlink(dir / "nowhere.txt", dir / "broken.txt");
  RecordingSink sink = Read(dir.path());
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  ASSERT_EQ(sink.errors(), 1u) << sink.Dump();
  EXPECT_EQ(sink.diagnostics[0].location, dir / "broken.txt");
  EXPECT_EQ(sink.diagnostics[0].message, "cannot open: No such file or directory");

  RecordingSink missing = Read(dir / "does-not-exist");
  ASSERT_EQ(missing.errors(), 1u);
  EXPECT_EQ(missing.diagnostics[0].location, dir / "does-not-exist");
}

TEST(Folders, UnreadableFileIsAnErrorAndReadingGoesOn) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read files whatever their mode";
  TempDir dir;
  WriteFile(dir / "a.txt", "A\n\nbody");
  WriteFile(dir / "b.txt", "B\n\nbody");
  ASSERT_EQ(::chmod((dir / "a.txt").c_str(), 0), 0);
  RecordingSink sink = Read(dir.path());
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_NE(sink.FindError("cannot open: Permission denied"), nullptr) << sink.Dump();
}

TEST(Folders, ExplicitFileWithAnyNameIsRead) {
  TempDir dir;
  WriteFile(dir / "article.dat", "Odd name\n\nStill read as text.");
  WriteFile(dir / "records.log", "{\"title\": \"sniffed\", \"body\": \"as JSON Lines\"}\n");
  WriteFile(dir / "README", "Readme named explicitly\n\nread.");
  RecordingSink a = Read(dir / "article.dat");
  ASSERT_EQ(a.articles.size(), 1u) << a.Dump();
  EXPECT_EQ(a.articles[0].title, "Odd name");
  RecordingSink b = Read(dir / "records.log");
  ASSERT_EQ(b.articles.size(), 1u) << b.Dump();
  EXPECT_EQ(b.articles[0].origin, dir / "records.log:1");
  RecordingSink c = Read(dir / "README");
  EXPECT_EQ(c.articles.size(), 1u) << c.Dump();
}

TEST(Folders, ForcedFormatOverridesExtension) {
  TempDir dir;
  WriteFile(dir / "data.txt", "title,body\nForced,csv\n");
  ReadOptions options;
  options.format = Format::kCsv;
  RecordingSink sink = Read(dir / "data.txt", options);
  ASSERT_EQ(sink.articles.size(), 1u) << sink.Dump();
  EXPECT_EQ(sink.articles[0].title, "Forced");
}

TEST(ParseFormat, Names) {
  Format f = Format::kAuto;
  EXPECT_TRUE(ParseFormat("jsonl", &f));
  EXPECT_EQ(f, Format::kJsonl);
  EXPECT_TRUE(ParseFormat("tsv", &f));
  EXPECT_EQ(f, Format::kTsv);
  EXPECT_TRUE(ParseFormat("text", &f));
  EXPECT_EQ(f, Format::kText);
  EXPECT_TRUE(ParseFormat("csv", &f));
  EXPECT_EQ(f, Format::kCsv);
  EXPECT_TRUE(ParseFormat("auto", &f));
  EXPECT_EQ(f, Format::kAuto);
  EXPECT_FALSE(ParseFormat("xml", &f));
  EXPECT_FALSE(ParseFormat("JSONL", &f));
}

}  // namespace
}  // namespace dossier::corpus
