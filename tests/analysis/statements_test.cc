// Tests for indexer/statements.cc: cues, speakers (name, role, pronoun), quotations and
// continuations, topics inside statements, code-point offsets, and the seed article.
#include "indexer/statements.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/entities.h"
#include "schema/codebook.h"

namespace dossier::indexer {
namespace {

using schema::Codebook;
using schema::EntityType;

class StatementsTest : public ::testing::Test {
 protected:
  StatementsTest() : extractor_(Codebook::Default()) {}

  std::vector<Statement> Run(const std::string& body, const std::string& title = "") {
    title_ = title;
    body_ = body;
    ArticleEntities e = extractor_.Extract(title_, body_);
    return ExtractStatements(title_, body_, e, Codebook::Default());
  }

  // The rules without the learned cue pass.
  std::vector<Statement> RulesAlone(const std::string& body) {
    title_.clear();
    body_ = body;
    ArticleEntities e = extractor_.Extract("", body_);
    StatementOptions rules;
    rules.cue_model = nullptr;
    return ExtractStatements("", body_, e, Codebook::Default(), rules);
  }

  static std::string Dump(const std::vector<Statement>& v) {
    std::string s;
    for (const Statement& st : v)
      s += "[" + st.speaker + " / " + st.cue + (st.direct ? " / direct" : "") + "] " + st.text +
           "\n";
    return s;
  }

  EntityExtractor extractor_;
  std::string title_, body_;
};

TEST_F(StatementsTest, NameBeforeCueWithAuxiliary) {
  auto v = Run("Antony Blinken has urged Israel to protect civilians in Gaza.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].speaker_type, EntityType::kPerson);
  EXPECT_EQ(v[0].cue, "urge");
  EXPECT_FALSE(v[0].direct);
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kName);
  EXPECT_EQ(v[0].text, body_);
  EXPECT_EQ(body_.substr(v[0].begin, v[0].end - v[0].begin), v[0].text);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "Israel to protect civilians in Gaza");
}

TEST_F(StatementsTest, MultiWordCues) {
  auto v = Run("Antony Blinken called for a ceasefire in Gaza on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "call for");

  v = Run("The talks will resume next week, according to Antony Blinken.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "according to");
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
}

TEST_F(StatementsTest, NoStatementWithoutSpeechOrWithNegation) {
  // No cue verb; a negated cue; a name that is the object of a preposition; "called" alone.
  EXPECT_TRUE(Run("Antony Blinken visited Cairo on Monday.").empty());
  EXPECT_TRUE(Run("Antony Blinken did not say whether the talks would resume.").empty());
  EXPECT_TRUE(Run("Diplomats at the State Department have urged a change of course.").empty());
  EXPECT_TRUE(Run("Antony Blinken called the president on Tuesday.").empty());
  // The memo, not Blinken, calls on someone: an object after a cue is no inverted subject.
  EXPECT_TRUE(Run("The memo calls on Antony Blinken to demand a ceasefire.").empty());
}

TEST_F(StatementsTest, InvertedCueAfterQuotation) {
  auto v = Run("\xE2\x80\x9CIt is a tragedy for everyone,\xE2\x80\x9D said Antony Blinken.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "say");
  EXPECT_TRUE(v[0].direct);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "It is a tragedy for everyone,");
}

TEST_F(StatementsTest, RoleResolvesToTitledPerson) {
  auto v =
      Run("Secretary of State Antony Blinken arrived in Cairo on Monday. Hillary Clinton was also "
          "there. The secretary of state said the talks would continue.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kRole);
  EXPECT_EQ(v[0].text, "The secretary of state said the talks would continue.");
}

TEST_F(StatementsTest, UnresolvedRoleIsNoStatement) {
  // No one was introduced as minister: an anonymous source is left out.
  EXPECT_TRUE(
      Run("Antony Blinken arrived in Cairo. The minister said talks would resume.").empty());
}

TEST_F(StatementsTest, PronounResolvesToEarlierPersonOfMatchingGender) {
  auto v =
      Run("Antony Blinken met Hillary Clinton in Washington on Monday. She said the two had "
          "discussed Gaza. He warned that time was running out.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].speaker, "Hillary Clinton");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kPronoun);
  EXPECT_EQ(v[1].speaker, "Antony Blinken");
  EXPECT_EQ(v[1].cue, "warn");
}

TEST_F(StatementsTest, PronounWithoutAntecedentIsNoStatement) {
  EXPECT_TRUE(Run("He said the talks would continue.").empty());
}

TEST_F(StatementsTest, QuoteContinuationKeepsSpeaker) {
  auto v =
      Run("\xE2\x80\x9CWe do not support a pause,\xE2\x80\x9D Antony Blinken said. "
          "\xE2\x80\x9COur position has not changed.\xE2\x80\x9D\n\n"
          "\xE2\x80\x9CWe will keep talking to Israel.\xE2\x80\x9D\n\n"
          "The weather was fine.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 3u);
  for (const Statement& s : v) {
    EXPECT_EQ(s.speaker, "Antony Blinken");
    EXPECT_TRUE(s.direct);
  }
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kName);
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kContinuation);
  EXPECT_EQ(v[1].text, "\xE2\x80\x9COur position has not changed.\xE2\x80\x9D");
  EXPECT_EQ(v[2].speaker_ref, SpeakerRef::kContinuation);
}

TEST_F(StatementsTest, InterruptedQuotationIsOneStatement) {
  auto v = Run("\"We will not accept it,\" Antony Blinken said, \"and we have told them so.\"");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].direct);
  EXPECT_EQ(v[0].begin, 0u);
  EXPECT_EQ(v[0].end, body_.size());
  EXPECT_EQ(body_.substr(v[0].content_end - 8, 8), "them so.");
}

TEST_F(StatementsTest, ScareQuotesAreNotDirect) {
  auto v = Run("Antony Blinken criticised the plan as \"naive\" on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "criticise");
  EXPECT_FALSE(v[0].direct);
}

TEST_F(StatementsTest, TopicsOnlyInsideTheStatement) {
  auto v =
      Run("Sanctions were imposed on Monday. Antony Blinken said a ceasefire was not on the table. "
          "Inflation rose.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].topics, std::vector<std::string>{"ceasefire"});
}

TEST_F(StatementsTest, TitleStatement) {
  auto v = Run("The talks resumed.", "Blinken rejects calls for a ceasefire");
  SCOPED_TRACE(Dump(v));
  ASSERT_GE(v.size(), 1u);
  EXPECT_TRUE(v[0].in_title);
  EXPECT_EQ(v[0].cue, "reject");
  EXPECT_EQ(v[0].topics, std::vector<std::string>{"ceasefire"});
}

TEST_F(StatementsTest, HeadlineAndTranscriptColon) {
  auto v = Run("Blinken: Israel must protect civilians in Gaza now.\nThe talks resumed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, ":");
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "Israel must protect civilians in Gaza now.");
  // A tag or a score after the colon is no statement.
  EXPECT_TRUE(Run("Antony Blinken arrived.\nBlinken: A miracle.").empty());
  EXPECT_TRUE(
      Run("Antony Blinken arrived.\nBlinken: 1,769 delegates so far in the count.").empty());
}

TEST_F(StatementsTest, ColonAfterFirstNameCampOrTranscriptCapitals) {
  // A first name or surname of a person named in the text, a name + "camp", four words.
  auto v = Run("Antony: We back the truce.\nAntony Blinken flew to Cairo on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("Blinken camp: The talks will resume soon.\nAntony Blinken flew to Cairo.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  // A transcript speaker named only in capitals.
  v = Run("The interview went on.\nMARA OKONJO: We never agreed to those terms at all.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Mara Okonjo");
  EXPECT_TRUE(v[0].direct);
  // Capitals that label a line are no speaker.
  EXPECT_TRUE(
      Run("The interview went on.\nBREAKING NEWS: The talks in Cairo have collapsed.").empty());
}

TEST_F(StatementsTest, NestedReportKeepsOuterSpeaker) {
  auto v = Run("Antony Blinken said that Hillary Clinton announced new sanctions on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
}

TEST_F(StatementsTest, PassiveCueAndUnnamedOuterSpeakerAreNoStatement) {
  EXPECT_TRUE(Run("Antony Blinken was asked about the talks on Monday.").empty());
  EXPECT_TRUE(Run("Hillary Clinton is accused of ignoring the memo.").empty());
  // Part of what unnamed analysts said, not a statement by Blinken.
  EXPECT_TRUE(Run("Analysts noted that Antony Blinken has called for a pause.").empty());
  // A progressive cue keeps its speaker.
  EXPECT_EQ(Run("Antony Blinken is saying the talks will resume.").size(), 1u);
}

TEST_F(StatementsTest, CallWithQuotationAndDocumentSubjects) {
  auto v = Run("Antony Blinken called the plan \"a dangerous gamble\" on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "call");
  // "found"/"show" only through a document: a poll, a study, a report.
  EXPECT_TRUE(Run("Antony Blinken found the talks difficult.").empty());
  v = Run("A Reuters poll found that most voters support a ceasefire.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "find");
}

TEST_F(StatementsTest, PersonOfOrganisationDashesAndPolls) {
  auto v = Run("Antony Blinken of the State Department said the talks would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v =
      Run("Antony Blinken \xE2\x80\x94 after a long pause \xE2\x80\x94 told reporters the "
          "talks would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("In a Reuters poll last month, most voters backed a ceasefire.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Reuters");
}

TEST_F(StatementsTest, VerbWithThatClauseOutsideTheLexicon) {
  auto v = Run("Antony Blinken realized that the talks had failed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "realize");
  // A plural noun before "that" is no verb; the cue before it decides.
  v = Run("Antony Blinken told FBI agents that the talks had failed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "tell");
  // "that bill" is no clause. (The rules alone: the learned pass, trained on PolNeAR's cue
  // spans, takes "signed" for a cue, as PolNeAR often does: "signed a letter".)
  EXPECT_TRUE(RulesAlone("Antony Blinken signed that bill on Monday.").empty());
}

TEST_F(StatementsTest, QuotationInThePreviousParagraphIsNotAttached) {
  auto v =
      Run("Hillary Clinton spoke on Monday.\n\n\"We are in a war of words.\"\n\nAntony "
          "Blinken says the talks will resume.");
  SCOPED_TRACE(Dump(v));
  for (const Statement& st : v) {
    if (st.speaker == "Antony Blinken") {
      EXPECT_EQ(st.text.find("war of words"), std::string::npos);
    }
  }
}

TEST_F(StatementsTest, CapitalisedSubjectTheExtractorMissed) {
  // A surname the extractor found elsewhere keeps its canonical name.
  auto v =
      Run("Phyllis Schlafly arrived on Monday.\n\nSchlafly also noted that the party had "
          "changed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Phyllis Schlafly");
  EXPECT_EQ(v[0].cue, "note");
  v = Run("Support for a ceasefire rose to 60 percent, according to RealClearPolitics.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "RealClearPolitics");
  // A capitalised common noun opening a sentence is no name.
  EXPECT_TRUE(Run("Police said the road was closed. The police left.").empty());
}

TEST_F(StatementsTest, SpeakerThroughSpokesmanOrApposition) {
  auto v = Run("A spokesman for the State Department said the talks would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "US Department of State");

  v = Run("Antony Blinken, who has led the department since 2021, said the talks would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");

  v = Run("The talks will resume, according to a report in the State Department bulletin.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "US Department of State");
  // The name a source talks about is not the source.
  EXPECT_TRUE(
      Run("The talks will resume, according to people familiar with Antony Blinken's plans.")
          .empty());
}

TEST_F(StatementsTest, StancesOnlyWithANamedSubjectOpeningTheClause) {
  auto v = Run("Antony Blinken declined to comment on the talks in Geneva.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "decline");
  v = Run("Antony Blinken opposes a new round of sanctions on the port.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "oppose");
  // A modal makes it advice, a time clause an event, a pronoun too uncertain.
  EXPECT_TRUE(Run("Antony Blinken may oppose a new round of sanctions.").empty());
  EXPECT_TRUE(Run("When Antony Blinken opposed the sanctions, the markets fell.").empty());
  EXPECT_TRUE(Run("Antony Blinken arrived. He opposes the sanctions.").empty());
  // Beliefs and intentions that were imprecise on PolNeAR stay out of the rules without
  // "that" (the learned pass takes "wants" with a named subject: 13 statements on PolNeAR
  // train, cross-fitted, 11 right).
  EXPECT_TRUE(RulesAlone("Antony Blinken wants a pause in the fighting.").empty());
}

TEST_F(StatementsTest, TimePhraseBetweenSubjectAndCue) {
  auto v = Run("Antony Blinken on Tuesday said the talks in Geneva would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "say");
  v = Run("Antony Blinken at the time said the plan was sound.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("Antony Blinken less than two weeks ago said the plan was sound.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  v = Run("Antony Blinken 10 days ago said the plan was sound.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
}

TEST_F(StatementsTest, LongDashAppositionAndAidesToAName) {
  auto v =
      Run("Antony Blinken - who flew in from Cairo late on Sunday after two days of talks with the "
          "envoys - told reporters the truce would hold.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("Aides to Antony Blinken say the talks will resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v =
      Run("At a rally in Lyon, France, on Sunday, Antony Blinken flew home, saying the "
          "truce would hold.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
}

TEST_F(StatementsTest, SaidOpeningTheSentenceParenthesesAndPossessiveApostrophe) {
  auto v = Run("Said Antony Blinken, \"We are close to a deal.\"");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  // "Asked about X, Y said": the sentence-initial "Asked" inverts nothing.
  v = Run("Asked about Antony Blinken, the envoy said nothing.");
  for (const Statement& st : v) EXPECT_NE(st.speaker, "Antony Blinken") << Dump(v);
  v = Run("Antony Blinken (who flew in from Cairo on Sunday) said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  v = Run("Antony Blinken however said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  v = Run("Ridley Jenkins met the envoys. Jenkins' team said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Ridley Jenkins");
}

TEST_F(StatementsTest, AsClauseAndTitleWordsAfterAnInvertedCue) {
  auto v = Run("Antony Blinken met the envoys. But, as Blinken said, the talks will take time.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("\"The talks will take time,\" said veteran diplomat Antony Blinken.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_TRUE(v[0].direct);
  // The name after a preposition is not the speaker: an adviser to him is.
  v = Run("\"The talks will take time,\" said a longtime adviser to Antony Blinken.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

TEST_F(StatementsTest, NameAfterAnInvertedCueBeatsTheSentencesOpeningName) {
  // The opening name is what the sentence is about; the name after "said" speaks.
  auto v = Run(
      "Antony Blinken holds a weak hand in these talks, said Jane Porter, a fellow at the "
      "Brookings Institution.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Jane Porter");
  // Not a name that is the object of "of", nor a pronoun or a name that opens the clause.
  v = Run("Jane Porter, a fellow at the Brookings Institution, said of Antony Blinken: \"He is "
          "tired.\"");
  ASSERT_FALSE(v.empty()) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jane Porter") << Dump(v);
  v = Run("Jane Porter, a fellow at the Brookings Institution, said Antony Blinken \"looked "
          "tired.\"");
  ASSERT_FALSE(v.empty()) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jane Porter") << Dump(v);
}

TEST_F(StatementsTest, CountedMembersAreNotTheirInstitution) {
  // "Democrats" is the Democratic Party's alias: the party speaks.
  auto v = Run("Democrats said the budget would hurt rural hospitals.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Democratic Party");
  // Some, many, 60 percent of them: members, not the party (nor through a participle).
  EXPECT_TRUE(Run("Some Democrats said the budget would hurt rural hospitals.").empty());
  EXPECT_TRUE(Run("The budget will hurt rural hospitals, say many Republicans.").empty());
  EXPECT_TRUE(Run("About 60 percent of Republicans said the budget was too large.").empty());
  EXPECT_TRUE(
      Run("Several Democrats criticised the budget, saying it would hurt rural hospitals.").empty());
  // A year is no count.
  v = Run("A 2014 Quinnipiac University survey found that most voters backed the budget.");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
}

TEST_F(StatementsTest, ParticipleTakesTheSentenceSubjectNotAnApposition) {
  // The apposition names the object of "discuss"; the sentence's subject says.
  auto v = Run(
      "Antony Blinken met reporters to discuss his counterpart, Sergey Lavrov, saying that the "
      "talks had stalled.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  // A name after a preposition is no subject: the unnamed envoy speaks, not Lavrov.
  EXPECT_TRUE(
      Run("In two interviews, the envoy sounded off on Sergey Lavrov, saying the talks had "
          "stalled.")
          .empty());
}

TEST_F(StatementsTest, SurnamesOpenersFurtherEvenAsAndTheNounStates) {
  // A known surname ending in -s opens a sentence, after an opener too.
  auto v = Run("Reince Priebus met the donors. Priebus rejected the plan on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Reince Priebus");
  v = Run("Reince Priebus met the donors. Although Priebus says that the plan failed, he stays.");
  ASSERT_FALSE(v.empty()) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Reince Priebus");
  // "further" between subject and cue; "even as" opens a clause whose subject speaks.
  v = Run("Antony Blinken further alleged that the convoy had been shelled.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  v = Run("But even as Antony Blinken claimed that the talks were alive, the envoys left.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  // A clause-taking cue closing the sentence after what was said.
  v = Run("Antony Blinken spoke. The truce will hold until spring, Blinken maintains.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "maintain");
  // "states" as a noun is no cue; as a verb before "that" it is.
  EXPECT_TRUE(Run("The party is making forays into key Senate states.").empty());
  EXPECT_TRUE(
      Run("Antony Blinken is campaigning in Maine and Vermont, states that vote in March.").empty());
  // "Someone" is no name.
  EXPECT_TRUE(Run("Someone called it a \"quiet revolution,\" and I agree.").empty());
  v = Run("Antony Blinken states that the truce will hold.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
}

TEST_F(StatementsTest, GivenNameAndSurnameTaggedAsAPlaceIsAPerson) {
  // The entity extraction may tag a less known name a place or an institution.
  auto v = Run("Melania Trump told the crowd that he loves them. She says the plan will hold.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].speaker, "Melania Trump");
  EXPECT_EQ(v[0].speaker_type, EntityType::kPerson);
  EXPECT_EQ(v[1].speaker, "Melania Trump");  // a person: the pronoun's antecedent
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kPronoun);
  // A place whose first word is also a given name stays a place (it may speak for its
  // government, not as a person).
  v = Run("Virginia Beach reported that the storm had passed.");
  for (const Statement& st : v) EXPECT_NE(st.speaker_type, EntityType::kPerson) << Dump(v);
}

TEST_F(StatementsTest, CallWithAQuotationAfterALongObject) {
  auto v = Run(
      "Antony Blinken called the proposal that the envoys had drafted overnight in Cairo "
      "\"naive.\"");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "call");
  // Without a quotation "called" is no cue, unless "a"/"an" follows its object ("called him
  // a liar": naming, not a phone call).
  EXPECT_TRUE(Run("Antony Blinken called the envoys that had drafted the proposal.").empty());
  EXPECT_TRUE(Run("Antony Blinken called him on Monday.").empty());
  v = Run("Antony Blinken called the proposal a dangerous gamble.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  v = Run("Antony Blinken called him a tireless negotiator.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
}

TEST_F(StatementsTest, TitleWithOfOpeningTheSentence) {
  // "of" inside a title before the name; not "a friend of" before it.
  auto v = Run("Secretary of State Antony Blinken said the truce would hold.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("County Supervisor of Elections Jane Porter said that the count was over.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jane Porter");
  EXPECT_TRUE(Run("A friend of Secretary Antony Blinken said the truce would hold.").empty());
}

TEST_F(StatementsTest, OpeningParticipleTimePhraseAndOfficeInApposition) {
  // A participle clause opening the sentence: the subject after its comma.
  auto v = Run("Noting that the convoy had been shelled, Antony Blinken left Cairo on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "note");
  // The main clause's own cue wins: one statement, cue "say".
  v = Run("Responding to the envoys, Antony Blinken said that the truce would hold.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "say");
  // "this past week" between a missed name and its cue.
  v = Run("Ahmed Kovacs this past week announced the creation of a new fund.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Ahmed Kovacs");
  // A spokesman's office before an apposition speaks for him.
  v = Run("Antony Blinken's office, when contacted by reporters, said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
}

TEST_F(StatementsTest, PassiveReportByASource) {
  auto v = Run("As reported by the Harbour Times, the convoy reached the border on Monday.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "report");
  EXPECT_NE(v[0].speaker.find("Harbour Times"), std::string::npos);
  v = Run("The envoy's resignation was first reported by Reuters.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Reuters");
  // A passive report keeps the statement it reports, and the next quotation continues the
  // direct one; "additional reporting by" is a credit line.
  v = Run(
      "\"The truce will hold,\" Antony Blinken said in an interview, as reported by Reuters. "
      "\"We will see it through.\"");
  ASSERT_EQ(v.size(), 3u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[2].speaker, "Antony Blinken");
  EXPECT_EQ(v[2].speaker_ref, SpeakerRef::kContinuation);
  EXPECT_TRUE(Run("Additional reporting by Jane Porter.").empty());
}

TEST_F(StatementsTest, ThatClauseOfARelativeClauseEndsAtItsComma) {
  // "who estimated that ..." belongs to the relative clause; the main verb still speaks.
  auto v = Run(
      "Antony Blinken, who estimated that a third of the convoy was lost, said the talks would "
      "resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  // A cue inside the relative clause's own "that" clause is no statement.
  v = Run(
      "The envoy, who noted that Sergey Lavrov had urged a pause, left Cairo on Monday.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

TEST_F(StatementsTest, AbsoluteWithPhraseAndShortQuotationInAnApposition) {
  // The name of an absolute "with" phrase is the subject of its participle.
  auto v = Run(
      "The talks stalled again, with Secretary Antony Blinken telling reporters that the truce "
      "was over.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "tell");
  // Not a name after "with" that a finite verb follows.
  EXPECT_TRUE(Run("The talks stalled again, with Antony Blinken in Cairo.").empty());
  // A short quotation inside an apposition.
  v = Run(
      "\"The truce will hold,\" Jane Porter, host of the \"Evening Desk\" show, said on "
      "Monday.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jane Porter");
}

TEST_F(StatementsTest, MoreInvertibleCuesAndQuotationAfterAParenthesis) {
  auto v = Run("\"The truce is over,\" warned Antony Blinken.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "warn");
  EXPECT_TRUE(v[0].direct);
  v = Run("\"We will see it through,\" declared Jane Porter, 29, of Cairo.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jane Porter");
  // "argue that NAME": the name opens the reported clause, it is no inverted subject.
  EXPECT_TRUE(Run("His critics, many of them diplomats, argue that Antony Blinken is tired.").empty());
  // A quotation opening after a parenthesis is direct ("(\"...,\" declared X)").
  v = Run("The envoys left (\"Truce Is Over,\" declared Jane Porter), but the talks went on.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_TRUE(v[0].direct);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "Truce Is Over,");
}

TEST_F(StatementsTest, InvertedCueTitleWithOfAndNameBeforeAPlace) {
  auto v = Run("\"The truce will hold,\" said undecided voter Jane Porter of Derry.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Jane Porter");
  v = Run("\"The truce will hold,\" said former secretary of state Antony Blinken, smiling.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  // A name that an object follows is no inverted subject.
  EXPECT_TRUE(Run("The truce will hold, said aides to Antony Blinken yesterday.").empty());
}

TEST_F(StatementsTest, InvertedReportAndAPossessorBeforeTheSpeaker) {
  auto v = Run("\"The convoy was shelled,\" reported Reuters.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Reuters");
  EXPECT_EQ(v[0].cue, "report");
  // "CNN's Jane Porter": the person after the possessor speaks.
  v = Run("The talks are unlikely to move, noted CNN's Jane Porter.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jane Porter");
}

TEST_F(StatementsTest, ACountryOpeningTheSentenceSpeaksForItsGovernment) {
  auto v = Run("Egypt warned that the border crossing would stay closed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker_type, EntityType::kInstitution);
  EXPECT_EQ(v[0].cue, "warn");
  // Not with a modal, nor with a verb that is no speech proper, nor a place elsewhere.
  EXPECT_TRUE(Run("Egypt could declare the border crossing closed.").empty());
  EXPECT_TRUE(Run("Egypt responded by closing the border crossing.").empty());
  v = Run("\"The crossing stays closed,\" Egypt said.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_TRUE(v[0].direct);
  v = Run("In Egypt, Antony Blinken said the border crossing would stay closed.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
}

TEST_F(StatementsTest, SentenceOpenerTakenForAGivenNameIsDropped) {
  // The entity extraction may read "Like Corker" as a name; the statements use "Corker".
  auto v = Run("Like Corker, many senators hesitate. Corker said the plan would work.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker.find("Like"), std::string::npos);
  EXPECT_NE(v[0].speaker.find("Corker"), std::string::npos);
}

TEST_F(StatementsTest, GerundAfterByPersonOfPlaceAndInstitutionInATitle) {
  auto v = Run("Antony Blinken angered the envoys by saying that the truce had failed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "say");
  v = Run("Senator Chuck Schumer of New York called on the agency to release the files.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Chuck Schumer");
  // The department is part of the spokesman's title; he speaks.
  v = Run("\"The talks will resume,\" said State Department spokesman Matthew Miller.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Matthew Miller");
}

TEST_F(StatementsTest, MoreSpeechVerbsAndParticles) {
  auto v = Run("Antony Blinken denounced the strikes on the port.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "denounce");
  v = Run("Antony Blinken railed against the blockade of the port.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "rail against");
  // "railed" needs its particle; "spoke" was too often no statement on PolNeAR.
  EXPECT_TRUE(Run("Antony Blinken railed the fence.").empty());
  EXPECT_TRUE(Run("Antony Blinken spoke at the summit in Cairo.").empty());
}

TEST_F(StatementsTest, CapitalisedCueInATitleCaseHeadline) {
  auto v = Run("Antony Blinken Urges Restraint Along The Border\nThe talks in Cairo resumed.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "urge");
  // In running text a capitalised cue word is a name.
  EXPECT_TRUE(Run("Antony Blinken met Ambassador Warner Says in Cairo on Monday.").empty());
  // "thanks to" is no thanking.
  EXPECT_TRUE(Run("The talks resumed, thanks to Antony Blinken.").empty());
}

TEST_F(StatementsTest, AccordingToASourceTheExtractorMissed) {
  auto v = Run("Turnout in the port city rose by a third, according to a yearly Zentara survey.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Zentara");
  EXPECT_EQ(v[0].cue, "according to");
  // A date is no source.
  EXPECT_TRUE(Run("Turnout rose by a third, according to a November tally.").empty());
}

TEST_F(StatementsTest, SheNeedsAPersonKnownToBeFemale) {
  const std::string first = "Ridley Amsel met the envoys in Cairo on Monday. ";
  auto v = Run(first + "He said the talks would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Ridley Amsel");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kPronoun);
  // Gender unknown: "she" is left unresolved.
  EXPECT_TRUE(Run(first + "She said the talks would resume.").empty()) << Dump(Run(first));
  v = Run("Zoe Amsel met the envoys in Cairo on Monday. She said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Zoe Amsel");
  // Given names added in the 2026-11-28 morning round.
  v = Run("Juanita Amsel met the envoys in Cairo on Monday. She said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Juanita Amsel");
}

TEST_F(StatementsTest, PronounTwoSentencesBackOnlyWithNoOtherPersonInBetween) {
  auto v = Run("Robert Amsel met the envoys in Cairo on Monday. The talks lasted four hours. "
               "He said the border crossing would stay closed.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Robert Amsel");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kPronoun);
  // Another person named in between (here a woman, whom "he" skips): no statement.
  v = Run("Robert Amsel met the envoys in Cairo on Monday. Zoe Lindqvist chaired the talks. "
          "He said the border crossing would stay closed.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

TEST_F(StatementsTest, PersonKnownByAGivenNameAloneHasItsGender) {
  // A person the entity extractor knows by a given name alone: "she" goes to her, "he" skips
  // her.
  const std::string first =
      "Robert Amsel and his neighbour Melanie stood in the rain for an hour. Melanie waved. ";
  auto v = Run(first + "She said the speech had moved her.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Melanie");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kPronoun);
}

TEST_F(StatementsTest, MaintainNeedsAClauseAndTitleNamesYieldToThePerson) {
  EXPECT_TRUE(Run("Antony Blinken maintained a steady pace in Cairo.").empty());
  auto v = Run("Antony Blinken maintained that the talks were on track.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cue, "maintain");
  // A name that modifies a role opening the sentence is not the subject.
  for (const Statement& st :
       Run("The State Department spokesman met the envoys, saying the talks would resume."))
    EXPECT_NE(st.speaker, "US Department of State");
  // "Blinken" is part of the spokesman's title; the spokesman speaks.
  v = Run("Blinken spokesman Matthew Miller met the envoys and said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Matthew Miller");
}

TEST_F(StatementsTest, RoleNeedsTheTitlesQualifierAndAClosedApposition) {
  auto v =
      Run("Vice President Joe Biden flew to Cairo. The president said the talks would resume.");
  SCOPED_TRACE(Dump(v));
  for (const Statement& st : v) EXPECT_NE(st.speaker, "Joe Biden");
  v =
      Run("Antony Blinken, the secretary of state, flew to Cairo. The secretary of state said the "
          "talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kRole);
}

TEST_F(StatementsTest, QuotationAfterReportedSpeechInTheSameParagraph) {
  auto v =
      Run("Antony Blinken said that the talks would resume. \"We are close to a deal.\"\n\n"
          "\"Nothing is settled,\" a diplomat added.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_FALSE(v[0].direct);
  EXPECT_EQ(v[1].speaker, "Antony Blinken");
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kContinuation);
  EXPECT_TRUE(v[1].direct);
  EXPECT_EQ(v[1].text, "\"We are close to a deal.\"");
  // In the next paragraph, a quotation after reported speech is continued only when it is the
  // whole paragraph (four words or more, not in capitals).
  v = Run("Antony Blinken said that the talks would resume.\n\n\"We are close to a deal.\"");
  ASSERT_EQ(v.size(), 2u) << Dump(v);
  EXPECT_EQ(v[1].speaker, "Antony Blinken");
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kContinuation);
  EXPECT_EQ(v[1].text, "\"We are close to a deal.\"");
  v = Run("Antony Blinken said that the talks would resume.\n\n"
          "\"We are close to a deal,\" read one placard.");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
  v = Run("Antony Blinken said that the talks would resume.\n\n\"Related:\"");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
  v = Run("Antony Blinken said that the talks would resume.\n\n\"TALKS TO RESUME IN CAIRO\"");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
}

TEST_F(StatementsTest, QuotationFollowedByAVerbOrANewSubjectContinuesNoOne) {
  const std::string first = "\"We do not support a pause,\" Antony Blinken said. ";
  auto v = Run(first + "\"Our position has not changed.\"");
  ASSERT_EQ(v.size(), 2u) << Dump(v);
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kContinuation);
  // A quoted term as the subject of its sentence.
  v = Run(first + "\"Ceasefire\" is a word the department avoids.");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
  // Someone else's words, with a cue outside the lexicon.
  v = Run(first + "\"Shame!\" the crowd chanted.");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
  v = Run(first + "\"Not again,\" groaned the front page of the Daily Courier.");
  EXPECT_EQ(v.size(), 1u) << Dump(v);
  // Words after the quotation that go on with what was said keep the continuation.
  v = Run(first + "\"We will keep talking\" to the government in Jerusalem.");
  ASSERT_EQ(v.size(), 2u) << Dump(v);
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kContinuation);
}

TEST_F(StatementsTest, PronounSubjectOfAParticipleClause) {
  auto v =
      Run("Antony Blinken met the envoys on Monday. He flew to Cairo on Tuesday, saying the talks "
          "would resume.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].speaker_ref, SpeakerRef::kPronoun);
  EXPECT_EQ(v[0].cue, "say");
}

TEST_F(StatementsTest, CueAndColonEndingAParagraphIntroduceTheNext) {
  auto v =
      Run("In a speech on Monday, Antony Blinken said:\n\nThe talks will resume when the guns fall "
          "silent.\n\nThe envoys left Cairo.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "The talks will resume when the guns fall silent.");
  EXPECT_EQ(v[0].text.substr(v[0].text.size() - 7), "silent.");
}

TEST_F(StatementsTest, PollOwnerAsSubjectOfFindAndShow) {
  auto v =
      Run("An Associated Press survey of diplomats, released on Monday, found that most of them "
          "expect a ceasefire.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Associated Press");
  EXPECT_EQ(v[0].cue, "find");
  // The name must own the document, not stand elsewhere in the sentence.
  EXPECT_TRUE(Run("The villa was sold to Antony Blinken in 2010, records show.").empty());
  EXPECT_TRUE(Run("Antony Blinken found the keys in the car.").empty());
}

TEST_F(StatementsTest, CodePointOffset) {
  std::string s = "Isra\xC3\xABl \xE2\x80\x9Cx\xE2\x80\x9D \xF0\x9F\x98\x80!";
  EXPECT_EQ(CodePointOffset(s, 0), 0u);
  EXPECT_EQ(CodePointOffset(s, 4), 4u);
  EXPECT_EQ(CodePointOffset(s, 6), 5u);   // after ë (2 bytes)
  EXPECT_EQ(CodePointOffset(s, 11), 8u);  // after “ (3 bytes)
  EXPECT_EQ(CodePointOffset(s, 10), 8u);  // inside “: counted as before the offset
  EXPECT_EQ(CodePointOffset(s, s.size()), 13u);
  EXPECT_EQ(CodePointOffset(s, s.size() + 10), 13u);
}

TEST_F(StatementsTest, AnyBytesAreSafe) {
  std::string junk;
  for (int i = 0; i < 2000; ++i) junk.push_back(static_cast<char>((i * 7919) & 0xFF));
  junk += " \"said Blinken\" \xE2\x80\x9C he said";
  auto v = Run(junk, "\xE2\x80\x9D\"''``");
  for (const Statement& s : v) {
    ASSERT_LE(s.begin, s.end);
    ASSERT_LE(s.end, (s.in_title ? title_ : body_).size());
    ASSERT_LE(s.content_end, (s.in_title ? title_ : body_).size());
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(StatementsTest, SeedArticleBlinkenOnCeasefire) {
  std::string path =
      std::string(DOSSIER_SHARED_CORPORA) + "/seed/state-department-dissent-memo.txt";
  std::string body = ReadFile(path);
  if (body.empty()) GTEST_SKIP() << "shared corpora not found at " << path;
  auto v = Run(body);
  SCOPED_TRACE(Dump(v));
  std::vector<const Statement*> hits;
  for (const Statement& s : v)
    if (s.speaker == "Antony Blinken" &&
        std::find(s.topics.begin(), s.topics.end(), "ceasefire") != s.topics.end())
      hits.push_back(&s);
  auto has = [&](const char* needle) {
    for (const Statement* s : hits)
      if (s->text.find(needle) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("Blinken has rejected calls for a halt to the Israeli operation"));
  EXPECT_TRUE(has("He has stated that the US has engaged with Israel"));
  EXPECT_FALSE(has("publicly demand that Israel agree to a ceasefire"));
  EXPECT_FALSE(has("urged diplomats and communications staffers"));
  for (const Statement& s : v) {
    EXPECT_EQ(body.substr(s.begin, s.end - s.begin), s.text);
    EXPECT_EQ(s.text.find("The memo"), std::string::npos) << "the memo speaks there";
  }
}

// Verbs outside the cue lexicon get their lemma from their spelling, so that `cue:voice` finds
// "voiced" and "voices" alike.
TEST(CueVerbLemmaTest, InflectionsGiveTheVerb) {
  const std::pair<const char*, const char*> cases[] = {
      {"voiced", "voice"},      {"wants", "want"},        {"replied", "reply"},
      {"shot back", "shoot back"}, {"charged", "charge"},  {"argued", "argue"},
      {"concluded", "conclude"}, {"declared", "declare"}, {"blamed", "blame"},
      {"opined", "opine"},      {"settled", "settle"},    {"controlled", "control"},
      {"admitted", "admit"},    {"called", "call"},       {"passed", "pass"},
      {"added", "add"},         {"edited", "edit"},       {"voted", "vote"},
      {"indicated", "indicate"}, {"treated", "treat"},    {"insisted", "insist"},
      {"answered", "answer"},   {"preferred", "prefer"},  {"liked", "like"},
      {"looked", "look"},       {"changed", "change"},    {"longed", "long"},
      {"bringing", "bring"},    {"voicing", "voice"},     {"stopping", "stop"},
      {"saying", "say"},        {"pushes", "push"},       {"agrees", "agree"},
      {"tries", "try"},         {"focused", "focus"},     {"raised", "raise"},
      {"caused", "cause"},      {"developed", "develop"}, {"hoped", "hope"},
      {"proceed", "proceed"},   {"fought", "fight"},      {"warn", "warn"},
  };
  for (const auto& [word, lemma] : cases) EXPECT_EQ(CueVerbLemma(word), lemma) << word;
}

// The learned cue pass (indexer/models/statement-cues-polnear.bin): a stance outside the
// lexicon with a named subject becomes a statement when the model scores it high enough; the
// rules alone find nothing there; the trainer's view records candidates without adding them.
TEST_F(StatementsTest, LearnedCueModelAddsStancesOutsideTheLexicon) {
  ASSERT_NE(StatementCueModel::Embedded(), nullptr)
      << "the statement cue model is not embedded (indexer/models/statement-cues-polnear.bin)";
  // (Scores of the model in the repository: "voiced" 1.87 here, threshold 0.33, "won" -5.5;
  // a retrained model may need another example.)
  auto v = Run("Antony Blinken voiced concern about the talks in Cairo.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "voice");  // its lemma by spelling (CueVerbLemma)
  EXPECT_FALSE(v[0].direct);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "concern about the talks in Cairo");

  ArticleEntities e = extractor_.Extract("", body_);
  StatementOptions rules;
  rules.cue_model = nullptr;
  EXPECT_TRUE(ExtractStatements("", body_, e, Codebook::Default(), rules).empty());

  std::vector<CueCandidate> candidates;
  StatementOptions trainer;
  trainer.candidates = &candidates;
  EXPECT_TRUE(ExtractStatements("", body_, e, Codebook::Default(), trainer).empty());
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].statement.cue, "voice");
  EXPECT_EQ(candidates[0].statement.speaker, "Antony Blinken");
  EXPECT_GT(candidates[0].features.size(), 10u);
  for (uint32_t f : candidates[0].features) EXPECT_LT(f, 1u << kCueModelBits);

  // Events score low; lexicon words the rules reject stay rejected ("called" without a
  // quotation); a head noun in a speaking person's title adds no second statement.
  EXPECT_TRUE(Run("Antony Blinken won the vote in Cairo.").empty());
  EXPECT_TRUE(Run("Antony Blinken called the envoys that had drafted the proposal.").empty());
  v = Run("Blinken spokesman Matthew Miller met the envoys and said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  // Next to a statement of the rules, a name before a noun is most often part of the
  // speaker's title or apposition: no candidate there.
  for (const char* body :
       {"Blinken campaign spokesman Matthew Miller said the talks would resume.",
        "Jane Roe, a former Blinken aide who worked at the State Department, said the talks "
        "would resume."}) {
    body_ = body;
    ArticleEntities e2 = extractor_.Extract("", body_);
    candidates.clear();
    ASSERT_EQ(ExtractStatements("", body_, e2, Codebook::Default(), trainer).size(), 1u) << body;
    EXPECT_TRUE(candidates.empty()) << body << ": " << candidates[0].statement.cue;
  }

  StatementCueModel m;
  EXPECT_FALSE(m.Load("not a model").ok());
  // A model of feature version 1 (no tagger table) is refused, not misread.
  std::string v1("DSCUE\0\0\1", 8);
  v1 += std::string("\x01\0\0\0\x10\0\0\0", 8) + std::string(8, '\0');
  v1 += std::string((size_t{1} << kCueModelBits) * 4 + (size_t{1} << kCueModelBits) / 8, '\0');
  EXPECT_FALSE(m.Load(v1).ok());
}

// The token-level cue tagger: the trainer sees every lower-case word outside quotations with
// its context keys (counted on PolNeAR's cue spans by scripts/train-statement-cues), and each
// candidate's word with its keys; the embedded model holds the tagger's bins.
TEST_F(StatementsTest, CueTaggerSeesWordsOutsideQuotationsWithTheirContextKeys) {
  body_ = "Antony Blinken voiced concern about the talks. \"We hope for calm,\" he said.";
  ArticleEntities e = extractor_.Extract("", body_);
  std::vector<CueCandidate> candidates;
  std::vector<CueToken> tokens;
  StatementOptions trainer;
  trainer.candidates = &candidates;
  trainer.cue_tokens = &tokens;
  std::vector<Statement> with_tokens = ExtractStatements("", body_, e, Codebook::Default(),
                                                         trainer);
  trainer.cue_tokens = nullptr;
  std::vector<CueCandidate> again;
  trainer.candidates = &again;
  EXPECT_EQ(ExtractStatements("", body_, e, Codebook::Default(), trainer).size(),
            with_tokens.size());  // the tokens change no statement
  std::vector<std::string> words;
  for (const CueToken& t : tokens) {
    words.push_back(body_.substr(t.begin, t.end - t.begin));
    for (uint32_t k : t.tag_keys) EXPECT_LT(k, 1u << kCueTagBits);
  }
  EXPECT_EQ(words, (std::vector<std::string>{"voiced", "concern", "about", "the", "talks",
                                             "said"}));  // not "hope", "for", "calm"
  ASSERT_EQ(candidates.size(), 1u);
  const CueCandidate& c = candidates[0];
  EXPECT_EQ(body_.substr(c.cue_begin, c.cue_end - c.cue_begin), "voiced");
  for (int i = 0; i < kCueTagKeys; ++i) EXPECT_EQ(c.tag_keys[i], tokens[0].tag_keys[i]);
  // The five keys differ (each has its own kind), and the same word in another context shares
  // only the word's key.
  for (int i = 1; i < kCueTagKeys; ++i) EXPECT_NE(c.tag_keys[i], c.tag_keys[0]);
  const StatementCueModel* model = StatementCueModel::Embedded();
  ASSERT_NE(model, nullptr);
  EXPECT_GT(model->TagBin(c.tag_keys[0]), 0) << "\"voiced\" was seen in PolNeAR train";
  body_ = "Jane Roe voiced her doubts.";
  e = extractor_.Extract("", body_);
  tokens.clear();
  trainer.candidates = nullptr;
  trainer.cue_tokens = &tokens;
  ExtractStatements("", body_, e, Codebook::Default(), trainer);
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(tokens[0].tag_keys[0], c.tag_keys[0]);
  EXPECT_NE(tokens[0].tag_keys[1], c.tag_keys[1]);
}

// Lexicon words the rules reject in context are no candidates of the learned pass: trained on
// PolNeAR's cue spans it would take them back.
TEST_F(StatementsTest, LexiconWordsTheRulesRejectAreNoLearnedCandidates) {
  const std::pair<const char*, const char*> cases[] = {
      {"When Antony Blinken opposed the sanctions, the markets fell.", "opposed"},
      {"Antony Blinken railed the fence.", "railed"},
      {"Antony Blinken called the envoys that had drafted the proposal.", "called"}};
  for (const auto& [body, word] : cases) {
    body_ = body;
    ArticleEntities e = extractor_.Extract("", body_);
    std::vector<CueCandidate> candidates;
    StatementOptions trainer;
    trainer.candidates = &candidates;
    EXPECT_TRUE(ExtractStatements("", body_, e, Codebook::Default(), trainer).empty()) << body;
    for (const CueCandidate& c : candidates) EXPECT_NE(c.statement.cue, word) << body;
    EXPECT_TRUE(Run(body).empty()) << body;
  }
}

// Followers are not the person they follow: a supporter's words are no candidate statement
// of the person supported, even for the learned pass.
TEST_F(StatementsTest, SupportersAreNoLearnedCueOfThePersonTheySupport) {
  for (const char* body : {"Mary Smith, a longtime Antony Blinken supporter, said the talks "
                           "would resume.",
                           "Antony Blinken supporters are hoping the talks will resume."}) {
    body_ = body;
    ArticleEntities e = extractor_.Extract("", body_);
    std::vector<CueCandidate> candidates;
    StatementOptions trainer;
    trainer.candidates = &candidates;
    std::vector<Statement> v = ExtractStatements("", body_, e, Codebook::Default(), trainer);
    for (const CueCandidate& c : candidates)
      EXPECT_NE(c.statement.speaker, "Antony Blinken") << body << ": " << c.statement.cue;
    for (const Statement& st : Run(body)) EXPECT_NE(st.speaker, "Antony Blinken") << body;
  }
}

// "Trump's campaign manager says": a campaign manager speaks for the candidate, as a lawyer or
// a spokesman does.
TEST_F(StatementsTest, CampaignManagerSpeaksForTheCandidate) {
  auto v = Run("Antony Blinken's campaign manager said the talks would resume.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "say");
}

// `"..." ― Name` closing its line, or `- Name` in the next paragraph: the quotation is the
// name's (a list of quotations, a pull quote), with no cue word at all.
TEST_F(StatementsTest, DashBylineAfterAQuotation) {
  auto v = Run(
      "Readers sent us their views.\n\n"
      "\xE2\x80\x9CThe debate left me worried about the harbour project.\xE2\x80\x9D \xE2\x80\x95 "
      "Marta Kowalski\n"
      "\xE2\x80\x9CNobody answered the question about the bridge tolls.\xE2\x80\x9D\xE2\x80\x95 "
      "Tobias Lindqvist\n\n"
      "\"We will open the new clinic before the winter.\"\n\n- Antony Blinken");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
  EXPECT_TRUE(v[0].direct);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "The debate left me worried about the harbour project.");
  EXPECT_EQ(v[1].speaker, "Tobias Lindqvist");
  EXPECT_EQ(v[2].speaker, "Antony Blinken");
  // A name with a clause of its own after the dash is the rules' business.
  auto w = Run("\"We will win,\" \xE2\x80\x94 Antony Blinken smiled at the crowd.");
  for (const Statement& st : w) EXPECT_NE(st.cue, "\xE2\x80\x94") << Dump(w);
}

// `..., says pollster Dana Whitfield: "..."`, `More from Whitfield: "..."`: a name and a colon
// right before a quotation; not the object of a preposition ("a letter to Blinken:").
TEST_F(StatementsTest, NameAndColonBeforeAQuotation) {
  auto v = Run(
      "The turnout surprised Republican pollster Dana Whitfield: \"Nobody expected the "
      "suburbs to move this far in a single year.\"");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Dana Whitfield");
  EXPECT_EQ(v[0].cue, ":");
  EXPECT_TRUE(v[0].direct);
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "Nobody expected the suburbs to move this far in a single year.");
  auto w = Run(
      "The protesters handed a letter to Antony Blinken: \"Stop the sale of arms to the "
      "region now.\"");
  EXPECT_TRUE(w.empty()) << Dump(w);
}

// A transcript line inside a quotation that opens the paragraph (`"PENCE: Well, ...`) is the
// speaker's, and the next speaker's line (`"MODERATOR: ...`) or a stage direction continues
// no one; a quotation attributed after it closes (`"Blinken: ...?" wrote Jones`) is no line.
TEST_F(StatementsTest, QuotedTranscriptLines) {
  auto v = Run(
      "Mike Pence spoke to Chris Wallace on Sunday.\n\n"
      "\"PENCE: Well, look, the governor will not be attending the debate tomorrow night.\n\n"
      "\"MODERATOR: Do you really see those two as equivalent?\n\n"
      "\"(CROSSTALK.)");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Mike Pence");
  EXPECT_EQ(v[0].cue, ":");
  auto w = Run(
      "Antony Blinken visited Cairo.\n\n"
      "\"Blinken: why do you never answer the questions about the ports?\" wrote Omar Haddad.");
  for (const Statement& st : w) EXPECT_NE(st.speaker, "Antony Blinken") << Dump(w);
}

// `. ''We need ...,'' said X`: a quotation in doubled apostrophes opens its own sentence, so an
// unnamed speaker's "saying that" in the sentence before does not swallow it.
TEST_F(StatementsTest, DoubledApostropheQuotationOpensItsSentence) {
  auto v = Run(
      "Other advisers urged the governor to default, saying that only a crisis would move "
      "the council. ''We need new powers,'' said Antony Blinken, referring to the treaty.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_TRUE(v[0].direct);
  EXPECT_EQ(v[0].text, "''We need new powers,'' said Antony Blinken, referring to the treaty.");
}

// Inverted and opening forms the rules missed: a possessor with lower-case title words before
// the person (`said Blinken's top policy aide Jake Sullivan`), a participle clause with "that"
// opening the sentence before its subject's own cue, a quotation inside one closing with it
// (`'...,''' said`), and a closing '' after a space (`coalitions, '' said`).
TEST_F(StatementsTest, PossessorTitleOpeningParticipleAndClosingMarks) {
  auto v = Run(
      "\"This is the first time a candidate has invited a foreign power to spy,\" said "
      "Blinken's top foreign policy aide Jake Sullivan.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Jake Sullivan");
  EXPECT_TRUE(v[0].direct);
  v = Run(
      "Promising that his next book would look closely at the war, John Bolton said that "
      "voters should not decide on that basis.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "John Bolton");
  EXPECT_EQ(v[0].cue, "say");
  v = Run(
      "''Voters will not be satisfied with 'We will bomb them,''' said Senator John McCain of "
      "Arizona.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "John McCain");
  EXPECT_TRUE(v[0].direct);
  v = Run(
      "''He built very strong coalitions, '' said Antony Blinken, who now works on the "
      "campaign.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_TRUE(v[0].direct);
}

// An institution in a person's title yields to the person also over lower-case title words
// (`said State Department spokesman Matthew Miller` already did; `said GOP strategist Keith
// Nahigian`), and a name that is an apposition's own apposition is not the subject ("Vian,
// the editor of the Vatican's newspaper, L'Osservatore Romano, said").
TEST_F(StatementsTest, TitleWordsAfterAnInstitutionAndAnAppositionsApposition) {
  auto v = Run("\"This is a critical week,\" said GOP strategist Keith Nahigian, a veteran of "
               "many campaigns.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Keith Nahigian");
  v = Run("Antony Blinken, the editor of the city's oldest weekly, Harbour Gazette, said every "
          "mayor was both builder and politician.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
}

// A participle's subject is the sentence's subject, not a name after a pronoun subject and its
// verb ("Meanwhile, it attacked Blinken, saying ..." is no statement by Blinken).
TEST_F(StatementsTest, ParticipleSubjectNotAcrossAPronounSubject) {
  auto v = Run("Antony Blinken spoke in Cairo. Meanwhile, the paper's editorial was blunt. "
               "Meanwhile, it attacked Blinken, saying he had ignored the ports.");
  for (const Statement& st : v)
    EXPECT_FALSE(st.speaker == "Antony Blinken" && st.cue == "say") << Dump(v);
}

// `call` with what it is called: a quotation in single marks as headlines write them
// ("calls the plan ‘a disaster’"), or "a"/"an" after a bare noun phrase ("called climate
// change a hoax").
TEST_F(StatementsTest, CallWithSingleMarksOrABareNounPhrase) {
  auto v = Run("Antony Blinken calls the truce \xE2\x80\x98"
               "a fragile start\xE2\x80\x99 in Cairo");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "call");
  v = Run("Antony Blinken has called climate change a threat to every port in the region.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "call");
  v = Run("Antony Blinken called climate change experts in the region.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

// A title-case headline whose cue the entity extractor took for a surname ("..., Lindsey
// Graham Says"): the name without it speaks; a passive ("Blinken Accused Of") does not.
TEST_F(StatementsTest, TitleCaseCueTakenIntoAName) {
  auto v = Run(
      "A story.\n\nPorts Could Reopen By Spring, Lindsey Graham Says\n\nThe talks went on.");
  bool found = false;
  for (const Statement& st : v)
    found = found || (st.speaker == "Lindsey Graham" && st.cue == "say");
  EXPECT_TRUE(found) << Dump(v);
}

// Appositions before a cue: over a parenthesis ("Rep. Jim Jordan (R-Ohio), a panel member,
// said") and two in a row ("Scott Pruitt, the attorney general of Oklahoma, one of the states
// suing, said"): the person before them speaks.
TEST_F(StatementsTest, AppositionAfterAParenthesisAndTwoAppositions) {
  auto v = Run("\"The ports must reopen,\" Rep. Antony Blinken (D-N.Y.), a member of the panel, "
               "said in a phone interview.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  v = Run("\"It is an invasion of the state's domain,\" Marta Kowalski, the attorney general of "
          "Vermont, one of the states suing the agency, said at an event.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
}

// A country between commas speaks for its government too ("The test, North Korea said, was
// its largest"), as one opening the sentence does.
TEST_F(StatementsTest, CountryBetweenCommasSpeaksForItsGovernment) {
  auto v = Run("The new harbour, Norway said, would open to all ships next spring.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Norway");
  EXPECT_EQ(v[0].speaker_type, EntityType::kInstitution);
}

TEST_F(StatementsTest, CountryOpeningAClauseAfterACommaOrAConjunction) {
  auto v = Run("Twenty years ago, Norway pledged that the harbour would open to all ships.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Norway");
  EXPECT_EQ(v[0].speaker_type, EntityType::kInstitution);
  v = Run("The harbour stayed closed for a decade, and Norway insisted that it would reopen.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Norway");
  // Not the last of a list of places, nor a place after a town, nor an aside between dashes.
  EXPECT_TRUE(Run("Most fishermen in Sweden, Finland and Norway said the harbour was too small.")
                  .empty());
  EXPECT_TRUE(Run("Farmers from Bergen, Norway say the harbour was too small.").empty());
  EXPECT_TRUE(
      Run("If the harbour is too small \xE2\x80\x94 as engineers believe, but Norway denies "
          "\xE2\x80\x94 the ships will wait.")
          .empty());
}

// A subordinate clause opening the sentence ends what is said in it at its comma: the main
// clause's speaker is no part of it ("While Blinken has said that ..., Kowalski said ...").
TEST_F(StatementsTest, FrontedSubordinateClauseDoesNotSwallowTheMainClause) {
  auto v = Run("While Antony Blinken has said that the ports will reopen, Marta Kowalski said "
               "the harbour would stay closed until May.");
  SCOPED_TRACE(Dump(v));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[1].speaker, "Marta Kowalski");
  // Not in a reported clause that runs on: "Kowalski said that when Blinken ..." stays one.
  v = Run("Marta Kowalski said the harbour would stay closed, and that Antony Blinken "
          "announced the delay.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
}

TEST_F(StatementsTest, CueCoordinatedWithTheSubjectsVerb) {
  auto v = RulesAlone("At the time, Marta Kowalski did not come out and say the port should "
                      "close.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
  EXPECT_EQ(v[0].cue, "say");
  v = RulesAlone("Antony Blinken began by crediting the envoys for their patience and urging them "
                 "to keep talking.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Antony Blinken");
  EXPECT_EQ(v[0].cue, "urge");
  // Not a passive ("has been mentioned"), nor after an infinitive (the supporters pledge).
  v = RulesAlone("Marta Kowalski is a donor and has been mentioned as a possible envoy.");
  EXPECT_TRUE(v.empty()) << Dump(v);
  v = RulesAlone("Antony Blinken got the delegates to stand and pledge their support.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

TEST_F(StatementsTest, TimePhraseBetweenAParticiplesSubjectAndItsVerb) {
  auto v = RulesAlone("Marta Kowalski on Tuesday stepped up her criticism of the port "
                      "authority, saying the delays had cost the city millions.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
  EXPECT_EQ(v[0].cue, "say");
}

TEST_F(StatementsTest, PronounAfterAQuotationOfSeveralSentences) {
  // The sentences of the pronoun's own quotation do not push its speaker out of reach.
  auto v = RulesAlone("Robert Amsel said the border crossing would stay closed. \"We will not "
                      "open it this week. The trucks can wait. Nobody is in danger,\" he said.");
  ASSERT_EQ(v.size(), 2u) << Dump(v);
  EXPECT_EQ(v[1].speaker, "Robert Amsel");
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kPronoun);
  EXPECT_TRUE(v[1].direct);
  // A pronoun opening the sentence after a quotation counts its sentences as before: "He
  // added" is three sentences from Amsel's (the quotation continues his statement).
  v = RulesAlone("Robert Amsel said the crossing would stay closed. \"We will not open it. The "
                 "trucks can wait. Nobody is in danger.\" He added that talks would go on.");
  ASSERT_EQ(v.size(), 2u) << Dump(v);
  EXPECT_EQ(v[1].speaker_ref, SpeakerRef::kContinuation);
}

TEST_F(StatementsTest, PutItAsAWayOfSaying) {
  auto v = RulesAlone("As Marta Kowalski, a professor at Yale, put it, the senators should "
                      "remember the rules.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
  EXPECT_EQ(v[0].cue, "put it");
  EXPECT_EQ(body_.substr(v[0].content_begin, v[0].content_end - v[0].content_begin),
            "the senators should remember the rules");
  v = RulesAlone("Marta Kowalski put it bluntly: the port will close.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "put it");
  v = RulesAlone("Marta Kowalski put it on the table.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

TEST_F(StatementsTest, VerbOutsideTheLexiconAfterAQuotationsNamedSpeaker) {
  auto v = RulesAlone("\"You have let the harbour rot,\" Marta Kowalski charged in her question.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
  EXPECT_EQ(v[0].cue, "charge");
  EXPECT_TRUE(v[0].direct);
  v = RulesAlone("\"Nobody can name one,\" Marta Kowalski answers.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "answer");
  v = RulesAlone("\"Wait your turn,\" Robert Amsel shot back.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "shoot back");
  // Inverted, the name closing the clause.
  v = RulesAlone("\"You have let the harbour rot,\" charged Marta Kowalski.");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].speaker, "Marta Kowalski");
  EXPECT_EQ(v[0].cue, "charge");
  // Before a colon and a quotation; without the quotation no statement.
  v = RulesAlone("Marta Kowalski gloated: \"I told you the harbour would not be ready.\"");
  ASSERT_EQ(v.size(), 1u) << Dump(v);
  EXPECT_EQ(v[0].cue, "gloat");
  EXPECT_TRUE(v[0].direct);
  v = RulesAlone("Marta Kowalski gloated: the harbour is closed.");
  EXPECT_TRUE(v.empty()) << Dump(v);
  // A quoted title before a name and a present tense that goes on is no such statement.
  v = RulesAlone("In \"Harbour Lights,\" Robert Amsel gets into the spirit.");
  EXPECT_TRUE(v.empty()) << Dump(v);
}

}  // namespace
}  // namespace dossier::indexer
