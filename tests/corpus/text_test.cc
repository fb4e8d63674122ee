// Tests for corpus/text.cc: UTF-8 repair, whitespace helpers, titles, boilerplate, binary sniffing.
#include "corpus/text.h"

#include <gtest/gtest.h>

#include <string>

namespace dossier::corpus {
namespace {

TEST(ToValidUtf8, ValidInputUnchanged) {
  const std::string in = "plain ASCII, caf\xC3\xA9, \xE2\x82\xAC 5, \xF0\x9F\x93\xB0 news\n\ttab";
  size_t repaired = 99;
  EXPECT_EQ(ToValidUtf8(in, &repaired), in);
  EXPECT_EQ(repaired, 0u);
}

TEST(ToValidUtf8, Latin1ByteTranscoded) {
  size_t repaired = 0;
  EXPECT_EQ(ToValidUtf8("caf\xE9 \xA3"
                        "5",
                        &repaired),
            "caf\xC3\xA9 \xC2\xA3"
            "5");
  EXPECT_EQ(repaired, 2u);
}

TEST(ToValidUtf8, Windows1252Punctuation) {
  size_t repaired = 0;
  EXPECT_EQ(ToValidUtf8("\x93quoted\x94 \x80 \x85 \x96", &repaired),
            "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC \xE2\x80\xA6 \xE2\x80\x93");
  EXPECT_EQ(repaired, 5u);
}

TEST(ToValidUtf8, UndefinedWindows1252BytesBecomeReplacementCharacter) {
  size_t repaired = 0;
  EXPECT_EQ(ToValidUtf8("a\x81"
                        "b\x9D",
                        &repaired),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(repaired, 2u);
}

TEST(ToValidUtf8, OverlongFormsAreInvalid) {
  size_t repaired = 0;
  // C0 AF is an overlong '/': both bytes are transcoded as Windows-1252.
  EXPECT_EQ(ToValidUtf8("\xC0\xAF", &repaired), "\xC3\x80\xC2\xAF");
  EXPECT_EQ(repaired, 2u);
  ToValidUtf8("\xE0\x80\xAF", &repaired);  // overlong 3-byte '/'
  EXPECT_EQ(repaired, 3u);
  ToValidUtf8("\xF0\x80\x80\xAF", &repaired);  // overlong 4-byte '/'
  EXPECT_EQ(repaired, 4u);
}

TEST(ToValidUtf8, SurrogatesAndOutOfRangeAreInvalid) {
  size_t repaired = 0;
  ToValidUtf8("\xED\xA0\x80", &repaired);  // U+D800
  EXPECT_EQ(repaired, 3u);
  ToValidUtf8("\xF4\x90\x80\x80", &repaired);  // U+110000
  EXPECT_EQ(repaired, 4u);
  ToValidUtf8("\xF5\x80\x80\x80", &repaired);
  EXPECT_EQ(repaired, 4u);
  // The largest valid code points are kept.
  ToValidUtf8("\xED\x9F\xBF \xF4\x8F\xBF\xBF", &repaired);
  EXPECT_EQ(repaired, 0u);
}

TEST(ToValidUtf8, TruncatedSequences) {
  size_t repaired = 0;
  EXPECT_EQ(ToValidUtf8("x\xE2\x82", &repaired), "x\xC3\xA2\xE2\x80\x9A");
  EXPECT_EQ(repaired, 2u);
  ToValidUtf8("\xE2\x82y", &repaired);
  EXPECT_EQ(repaired, 2u);
  ToValidUtf8("\x80\xBF", &repaired);  // lone continuation bytes
  EXPECT_EQ(repaired, 2u);
}

TEST(ToValidUtf8, ControlCharactersBecomeSpaces) {
  const std::string in(
      "a\0b\x01"
      "c\td\x1F"
      "e\n",
      10);
  EXPECT_EQ(ToValidUtf8(in), "a b c\td e\n");
}

TEST(ToValidUtf8, LineBreaksNormalised) {
  EXPECT_EQ(ToValidUtf8("a\r\nb\rc\n\rd"), "a\nb\nc\n\nd");
}

TEST(ToValidUtf8, NullRepairedPointerIsAllowed) { EXPECT_EQ(ToValidUtf8("\xE9"), "\xC3\xA9"); }

TEST(IsValidUtf8, ValidatesWithoutCopying) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \x01\r\n"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
}

TEST(ToValidUtf8, RepairAfterCleanPrefix) {
  size_t repaired = 0;
  EXPECT_EQ(ToValidUtf8("clean start \xC3\xA9 then \xE9\r\nend", &repaired),
            "clean start \xC3\xA9 then \xC3\xA9\nend");
  EXPECT_EQ(repaired, 1u);
}

TEST(RepairUtf8, KeepsControlsAndLineBreaks) {
  size_t repaired = 0;
  EXPECT_EQ(RepairUtf8("a\r\n\x01\xE9", &repaired), "a\r\n\x01\xC3\xA9");
  EXPECT_EQ(repaired, 1u);
}

TEST(Trim, RemovesAsciiWhitespaceOnly) {
  EXPECT_EQ(Trim("  \t\r\n x y \n"), "x y");
  EXPECT_EQ(Trim(" \n "), "");
  EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");  // NBSP is not ASCII whitespace
}

TEST(CollapseWhitespace, OneSpaceBetweenWords) {
  EXPECT_EQ(CollapseWhitespace("  Breaking:\n  news \t here "), "Breaking: news here");
  EXPECT_EQ(CollapseWhitespace(""), "");
}

TEST(CutUtf8, NeverSplitsACharacter) {
  EXPECT_EQ(CutUtf8("a\xC3\xA9", 2), "a");
  EXPECT_EQ(CutUtf8("a\xC3\xA9", 3), "a\xC3\xA9");
  EXPECT_EQ(CutUtf8("\xF0\x9F\x93\xB0!", 3), "");
  EXPECT_EQ(CutUtf8("short", 100), "short");
}

TEST(Utf8Length, CountsCodePoints) { EXPECT_EQ(Utf8Length("caf\xC3\xA9 \xF0\x9F\x93\xB0"), 6u); }

TEST(StripBoilerplateTrailer, DropsSourceLink) {
  std::string body = "First paragraph.\nSecond paragraph.\nSource link\n";
  EXPECT_TRUE(StripBoilerplateTrailer(&body));
  EXPECT_EQ(body, "First paragraph.\nSecond paragraph.");
}

TEST(StripBoilerplateTrailer, DropsSeveralTrailersIgnoringCaseAndPunctuation) {
  std::string body = "Text of the story.\n\nShare this article\nREAD MORE \xC2\xBB\n  \n";
  EXPECT_TRUE(StripBoilerplateTrailer(&body));
  EXPECT_EQ(body, "Text of the story.");
  body = "Wire text.\n    Reuter\n";
  EXPECT_TRUE(StripBoilerplateTrailer(&body));
  EXPECT_EQ(body, "Wire text.");
}

TEST(StripBoilerplateTrailer, KeepsOrdinaryLastLines) {
  std::string body = "Officials said the source link was broken.\nRead more about it later.";
  EXPECT_FALSE(StripBoilerplateTrailer(&body));
  EXPECT_EQ(body, "Officials said the source link was broken.\nRead more about it later.");
  // Only the last non-empty line counts.
  body = "Read more\nThe story goes on.\n";
  EXPECT_FALSE(StripBoilerplateTrailer(&body));
  EXPECT_EQ(body, "Read more\nThe story goes on.");
}

TEST(SplitTitle, ShortFirstLineAndBlankLineIsTitle) {
  std::string title;
  std::string_view body;
  SplitTitle("\n  Markets   rally on rate hopes\n\n\nShares rose.\nMore.\n", &title, &body);
  EXPECT_EQ(title, "Markets rally on rate hopes");
  EXPECT_EQ(body, "Shares rose.\nMore.\n");
}

TEST(SplitTitle, FullStopMeansNoTitle) {
  std::string title = "stale";
  std::string_view body;
  SplitTitle("This is a sentence.\n\nNext paragraph.", &title, &body);
  EXPECT_EQ(title, "");
  EXPECT_EQ(body, "This is a sentence.\n\nNext paragraph.");
}

TEST(SplitTitle, EllipsisIsStillATitle) {
  std::string title;
  std::string_view body;
  SplitTitle("Rivals of the new gadget...\n\nBody.", &title, &body);
  EXPECT_EQ(title, "Rivals of the new gadget...");
  EXPECT_EQ(body, "Body.");
}

TEST(SplitTitle, NoBlankLineMeansNoTitle) {
  std::string title;
  std::string_view body;
  SplitTitle("Headline-like line\nbut the body follows at once", &title, &body);
  EXPECT_EQ(title, "");
  SplitTitle("Only one line", &title, &body);
  EXPECT_EQ(title, "");
  EXPECT_EQ(body, "Only one line");
}

TEST(SplitTitle, LongFirstLineIsNoTitle) {
  std::string title;
  std::string_view body;
  const std::string just_short(199, 'x');
  SplitTitle(just_short + "\n\nbody", &title, &body);
  EXPECT_EQ(title, just_short);
  const std::string too_long(200, 'x');
  SplitTitle(too_long + "\n\nbody", &title, &body);
  EXPECT_EQ(title, "");
  // Characters, not bytes: 150 two-byte characters are a title.
  std::string accented;
  for (int i = 0; i < 150; ++i) accented += "\xC3\xA9";
  SplitTitle(accented + "\n\nbody", &title, &body);
  EXPECT_EQ(title, accented);
}

TEST(SplitTitle, TitleOnly) {
  std::string title;
  std::string_view body;
  SplitTitle("Just a headline\n\n", &title, &body);
  EXPECT_EQ(title, "Just a headline");
  EXPECT_EQ(body, "");
}

TEST(LooksBinary, NulByteOrControlNoise) {
  EXPECT_TRUE(LooksBinary(std::string("text\0more", 9)));
  EXPECT_TRUE(
      LooksBinary("\x01\x02\x03\x04"
                  "abcdefghijklmnopqrstuvwxyz"));
  EXPECT_FALSE(LooksBinary("Ordinary text\r\n\twith\fbreaks and \x1B[1m escape"));
  EXPECT_FALSE(LooksBinary("caf\xE9 latin-1 is still text \xA3"));
  EXPECT_FALSE(LooksBinary(""));
}

}  // namespace
}  // namespace dossier::corpus
