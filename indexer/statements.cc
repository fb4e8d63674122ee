// Statement extraction: cue verbs + speakers (names, pronouns, roles) + quotations, on the
// tokens and entity mentions of one article. Hand-written scanning, no regex.
#include "indexer/statements.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "indexer/tokenize.h"

extern "C" const char dossier_cue_model_begin[];
extern "C" const char dossier_cue_model_end[];

namespace dossier::indexer {

using schema::EntityType;

namespace {

// ---- Lexicons -------------------------------------------------------------------------------

enum CueFlag : uint32_t {
  kCueInvert = 1u << 0,        // may precede its subject after a quotation/comma: `," said Blinken`
  kCueNeedsFor = 1u << 1,      // only with a particle: "call for", "appeal for"
  kCueNeedsOn = 1u << 2,       // "call on"
  kCueNeedsTo = 1u << 3,       // "according to"
  kCueNeedsOut = 1u << 4,      // "point out"
  kCueIng = 1u << 5,           // the -ing form (a participle clause: ", saying that...")
  kCueEvidence = 1u << 6,      // only with a document subject: "a Quinnipiac poll found"
  kCueNeedsQuote = 1u << 7,    // only with a quotation within 20 tokens after: `called the plan
                               // "naive"`, `called Clinton, his rival, an ISIS "co-founder"`
  kCueNeedsAgainst = 1u << 9,  // "rail against"
  kCueNeedsIn = 1u << 10,      // "weigh in"
  kCueNeedsClause = 1u << 11,  // only before "that", a quotation or a colon, or inverted:
                               // "maintained that", not "maintained a lead"
  kCueBelief = 1u << 8,        // a belief, intention or stance: only with a named subject right
                         // before it ("Clinton wants to", not "he wants", "the plan they want")
};

struct CueInfo {
  std::string_view lemma;
  uint32_t flags = 0;
};

struct CueSpec {
  std::string_view lemma;
  uint32_t flags;
  std::vector<std::string_view> forms;  // the -ing form last (a vector: an initializer_list member
                                        // would dangle once kSpecs is built)
};

// The verbs of speech, writing and stated position (British lemma spelling).
const std::vector<CueSpec>& CueSpecs() {
  static const std::vector<CueSpec> kSpecs = {
      {"say", kCueInvert, {"say", "says", "said", "saying"}},
      {"tell", 0, {"tell", "tells", "told", "telling"}},
      {"state", kCueInvert, {"states", "stated", "stating"}},
      {"add", kCueInvert, {"adds", "added", "adding"}},
      {"urge", 0, {"urge", "urges", "urged", "urging"}},
      {"warn", kCueInvert, {"warn", "warns", "warned", "warning"}},
      {"deny", 0, {"deny", "denies", "denied", "denying"}},
      {"insist", kCueInvert, {"insist", "insists", "insisted", "insisting"}},
      {"argue", kCueInvert, {"argue", "argues", "argued", "arguing"}},
      {"criticise",
       0,
       {"criticise", "criticises", "criticised", "criticize", "criticizes", "criticized",
        "criticising", "criticizing"}},
      {"announce", 0, {"announce", "announces", "announced", "announcing"}},
      {"reject", 0, {"reject", "rejects", "rejected", "rejecting"}},
      {"accuse", 0, {"accuse", "accuses", "accused", "accusing"}},
      {"claim", kCueInvert, {"claim", "claims", "claimed", "claiming"}},
      {"acknowledge", kCueInvert, {"acknowledge", "acknowledges", "acknowledged", "acknowledging"}},
      {"confirm", kCueInvert, {"confirm", "confirms", "confirmed", "confirming"}},
      {"write", kCueInvert, {"write", "writes", "wrote", "writing"}},
      {"tweet", kCueInvert, {"tweet", "tweets", "tweeted", "tweeting"}},
      {"explain", kCueInvert, {"explain", "explains", "explained", "explaining"}},
      {"note", kCueInvert, {"notes", "noted", "noting"}},
      {"suggest", kCueInvert, {"suggest", "suggests", "suggested", "suggesting"}},
      {"declare", kCueInvert, {"declare", "declares", "declared", "declaring"}},
      {"vow", kCueInvert, {"vow", "vows", "vowed", "vowing"}},
      {"pledge", 0, {"pledge", "pledges", "pledged", "pledging"}},
      {"promise", kCueInvert, {"promise", "promises", "promised", "promising"}},
      {"admit", kCueInvert, {"admit", "admits", "admitted", "admitting"}},
      {"contend", kCueInvert, {"contend", "contends", "contended", "contending"}},
      {"maintain", kCueNeedsClause, {"maintains", "maintained"}},
      {"assert", kCueInvert, {"assert", "asserts", "asserted", "asserting"}},
      {"allege", 0, {"allege", "alleges", "alleged"}},
      {"complain", kCueInvert, {"complain", "complains", "complained", "complaining"}},
      {"concede", kCueInvert, {"concede", "concedes", "conceded", "conceding"}},
      {"caution", kCueInvert, {"cautions", "cautioned", "cautioning"}},
      {"condemn", 0, {"condemn", "condemns", "condemned", "condemning"}},
      {"blame", 0, {"blames", "blamed", "blaming"}},
      {"praise", 0, {"praises", "praised", "praising"}},
      {"welcome", 0, {"welcomes", "welcomed", "welcoming"}},
      {"dismiss", 0, {"dismiss", "dismisses", "dismissed", "dismissing"}},
      {"dispute", 0, {"disputes", "disputed", "disputing"}},
      {"describe", 0, {"describes", "described", "describing"}},
      {"estimate", 0, {"estimates", "estimated", "estimating"}},
      {"defend", 0, {"defend", "defends", "defended", "defending"}},
      {"hail", 0, {"hails", "hailed", "hailing"}},
      {"joke", kCueInvert, {"jokes", "joked", "joking"}},
      {"thank", 0, {"thank", "thanks", "thanked", "thanking"}},
      {"predict", kCueInvert, {"predict", "predicts", "predicted", "predicting"}},
      {"propose", 0, {"propose", "proposes", "proposed", "proposing"}},
      {"recall", kCueInvert, {"recalls", "recalled", "recalling"}},
      {"respond", kCueInvert, {"responds", "responded", "responding"}},
      {"reply", kCueInvert, {"replies", "replied", "replying"}},
      {"repeat", 0, {"repeats", "repeated", "repeating"}},
      {"reiterate", 0, {"reiterate", "reiterates", "reiterated", "reiterating"}},
      {"emphasise",
       kCueInvert,
       {"emphasise", "emphasises", "emphasised", "emphasize", "emphasizes", "emphasized",
        "emphasising", "emphasizing"}},
      {"stress", kCueInvert, {"stresses", "stressed", "stressing"}},
      {"demand", kCueInvert, {"demands", "demanded", "demanding"}},
      {"ask", kCueInvert, {"asks", "asked"}},
      {"question", 0, {"questioned", "questioning"}},
      {"testify", 0, {"testify", "testifies", "testified", "testifying"}},
      {"boast", kCueInvert, {"boast", "boasts", "boasted", "boasting"}},
      {"quip", kCueInvert, {"quips", "quipped"}},
      {"lament", kCueInvert, {"laments", "lamented", "lamenting"}},
      {"counter", kCueInvert, {"countered"}},
      {"insinuate", 0, {"insinuated"}},
      // Reports, citations and stated hopes. PolNeAR also annotates beliefs, intentions and
      // evidence (think, believe, want, plan, agree, support, find, show): on train each of
      // those was right for only 40-70% of its statements, so they are left out.
      {"report", kCueInvert, {"report", "reports", "reported", "reporting"}},
      {"continue", kCueInvert, {"continued"}},
      {"cite", 0, {"cite", "cites", "cited", "citing"}},
      {"mention", 0, {"mention", "mentions", "mentioned", "mentioning"}},
      {"hope", 0, {"hopes", "hoped"}},
      {"endorse", 0, {"endorse", "endorses", "endorsed", "endorsing"}},
      {"express", 0, {"expressed", "expresses"}},
      {"reveal", 0, {"reveal", "reveals", "revealed", "revealing"}},
      {"indicate", 0, {"indicated", "indicates", "indicating"}},
      {"conclude", kCueInvert, {"concluded", "concludes"}},
      {"assure", 0, {"assured", "assures"}},
      {"blast", 0, {"blasted", "blasts"}},
      {"slam", 0, {"slammed", "slams"}},
      {"retort", kCueInvert, {"retorted"}},
      {"refer to", kCueNeedsTo, {"referring", "referred", "refers"}},
      {"point to", kCueNeedsTo, {"point", "points", "pointed", "pointing"}},
      {"find", kCueEvidence, {"found", "finds"}},
      {"show", kCueEvidence, {"show", "shows", "showed"}},
      {"call", kCueNeedsQuote, {"call", "calls", "called", "calling"}},
      {"call for", kCueNeedsFor, {"call", "calls", "called", "calling"}},
      {"call on", kCueNeedsOn, {"call", "calls", "called", "calling"}},
      {"appeal for", kCueNeedsFor, {"appeal", "appeals", "appealed", "appealing"}},
      {"point out", kCueNeedsOut, {"point", "points", "pointed", "pointing"}},
      {"according to", kCueNeedsTo, {"according"}},
      // More verbs of speech and stated position (the cues PolNeAR train annotates most
      // often outside the list above). Kept where their statements were right for 80%+ on
      // train (--by-cue); left out at 20-78%: speak, post, echo, invite, charge, advise,
      // advocate, highlight, hint, remind, publish, challenge, congratulate, dub, wonder.
      {"denounce", 0, {"denounce", "denounces", "denounced", "denouncing"}},
      {"decry", 0, {"decries", "decried", "decrying"}},
      {"assail", 0, {"assails", "assailed", "assailing"}},
      {"mock", 0, {"mocks", "mocked", "mocking"}},
      {"encourage", 0, {"encourages", "encouraged", "encouraging"}},
      {"email", 0, {"emailed"}},
      {"recommend", 0, {"recommend", "recommends", "recommended", "recommending"}},
      {"request", 0, {"requested"}},
      {"inform", 0, {"informed", "informs"}},
      {"signal", 0, {"signaled", "signalled", "signals"}},
      {"muse", kCueInvert, {"mused"}},
      {"recount", kCueInvert, {"recounted", "recounts"}},
      {"characterise", 0, {"characterized", "characterised", "characterizes", "characterises"}},
      {"label", 0, {"labeled", "labelled"}},
      {"rebut", 0, {"rebutted"}},
      {"refute", 0, {"refuted"}},
      {"scoff", kCueInvert, {"scoffed"}},
      {"ridicule", 0, {"ridiculed"}},
      {"chide", 0, {"chided"}},
      {"scold", 0, {"scolded"}},
      {"fault", 0, {"faulted"}},
      {"rebuke", 0, {"rebuked"}},
      {"applaud", 0, {"applauded", "applauds"}},
      {"commend", 0, {"commended"}},
      {"clarify", 0, {"clarified"}},
      {"threaten", 0, {"threatened", "threatens"}},
      {"plead", kCueInvert, {"pleaded"}},
      {"implore", 0, {"implored"}},
      {"remark", kCueInvert, {"remarked"}},
      {"observe", kCueInvert, {"observed"}},
      {"comment", kCueInvert, {"commented"}},
      {"proclaim", kCueInvert, {"proclaimed", "proclaims"}},
      {"protest", 0, {"protested"}},
      {"object", 0, {"objected"}},
      {"downplay", 0, {"downplayed", "downplays"}},
      {"tout", 0, {"touted", "touts", "touting"}},
      {"brag", 0, {"bragged", "brags"}},
      {"speculate", 0, {"speculated"}},
      {"forecast", 0, {"forecasts"}},
      {"swear", 0, {"swore"}},
      {"guarantee", 0, {"guaranteed"}},
      {"confess", 0, {"confessed"}},
      {"disclose", 0, {"disclosed"}},
      {"retweet", 0, {"retweeted"}},
      {"interject", kCueInvert, {"interjected"}},
      {"shout", kCueInvert, {"shouted"}},
      {"exclaim", kCueInvert, {"exclaimed"}},
      {"apologise", 0, {"apologized", "apologised"}},
      {"lash out", kCueNeedsOut, {"lashed", "lashes", "lashing"}},
      {"rail against", kCueNeedsAgainst, {"railed", "rails"}},
      {"weigh in", kCueNeedsIn, {"weighed", "weighs"}},
      // Beliefs, intentions and stances (kCueBelief), kept where their statements with a named
      // subject were right for at least 85% on PolNeAR train (scripts/eval-statements
      // --by-cue). Left out at 57-80%: think, believe, want, plan, expect, agree, see, decide,
      // refuse, offer, attack, feel, discuss, back.
      {"decline", kCueBelief, {"declines", "declined"}},  // "declined to comment"
      {"seek", kCueBelief, {"seeks", "sought"}},
      {"support", kCueBelief, {"supports", "supported"}},
      {"oppose", kCueBelief, {"opposes", "opposed"}},
      {"know", kCueBelief, {"knows", "knew"}},
      {"consider", kCueBelief, {"considers", "considered"}},
  };
  return kSpecs;
}

using CueMap = std::unordered_multimap<uint64_t, CueInfo>;

const CueMap& Cues() {
  static const CueMap kMap = [] {
    CueMap m;
    for (const CueSpec& s : CueSpecs()) {
      for (std::string_view f : s.forms) {
        uint32_t flags = s.flags;
        if (f.size() > 4 && f.substr(f.size() - 3) == "ing") flags |= kCueIng;
        m.emplace(FoldHash(f), CueInfo{s.lemma, flags});
      }
    }
    return m;
  }();
  return kMap;
}

using HashSet = std::unordered_set<uint64_t>;

HashSet MakeSet(std::initializer_list<std::string_view> words) {
  HashSet s;
  for (std::string_view w : words) s.insert(FoldHash(w));
  return s;
}

// Words allowed between a subject and its cue: "Blinken has (also) repeatedly said".
const HashSet& Auxiliaries() {
  static const HashSet k =
      MakeSet({"monday", "tuesday",   "wednesday", "thursday",  "friday",  "saturday", "sunday",
               "today",  "yesterday", "tonight",   "recently",  "has",     "have",     "had",
               "also",   "would",     "will",      "did",       "does",    "do",       "could",
               "might",  "may",       "should",    "must",      "is",      "was",      "again",
               "then",   "later",     "earlier",   "once",      "already", "even",     "still",
               "first",  "herself",   "himself",   "itself",    "just",    "long",     "often",
               "too",    "both",      "all",       "yet",       "now",     "are",      "were",
               "been",   "being",     "publicly",  "privately", "however", "further"});
  return k;
}
const HashSet& Negations() {
  static const HashSet k = MakeSet({"not", "n't", "never", "nt"});
  return k;
}
// A mention right after one of these is an object ("diplomats at the State Department have").
const HashSet& Prepositions() {
  static const HashSet k =
      MakeSet({"at",   "of",     "in",      "from",    "for",     "with",   "by",
               "to",   "on",     "about",   "against", "within",  "inside", "under",
               "than", "like",   "whom",    "'s",      "between", "among",  "into",
               "over", "toward", "towards", "as",      "which",   "whom",   "whose"});
  return k;
}
const HashSet& Determiners() {
  static const HashSet k = MakeSet({"the", "a", "an"});
  return k;
}
// Heads of role nouns that refer back to a person introduced with that title.
const HashSet& RoleHeads() {
  static const HashSet k =
      MakeSet({"spokesman",   "spokeswoman",   "spokesperson",  "minister",     "secretary",
               "president",   "chancellor",    "governor",      "envoy",        "commissioner",
               "senator",     "congressman",   "congresswoman", "candidate",    "nominee",
               "chairman",    "chairwoman",    "chair",         "director",     "ambassador",
               "mayor",       "premier",       "general",       "prosecutor",   "sheriff",
               "chief",       "treasurer",     "presenter",     "host",         "billionaire",
               "businessman", "businesswoman", "pope",          "king",         "queen",
               "prince",      "judge",         "lawmaker",      "leader",       "representative",
               "adviser",     "advisor",       "frontrunner",   "front-runner", "speaker",
               "manager",     "attorney",      "economist",     "founder",      "executive",
               "officer"});
  return k;
}
// Nouns through which a name speaks: "the Clinton campaign said", "a spokesman for X said",
// "a Quinnipiac poll found".
const HashSet& SpeakerHeads() {
  static const HashSet k = MakeSet({"campaign",       "spokesman",
                                    "spokeswoman",    "spokesperson",
                                    "spokespeople",   "aide",
                                    "aides",          "lawyer",
                                    "lawyers",        "attorney",
                                    "attorneys",      "office",
                                    "poll",           "survey",
                                    "report",         "study",
                                    "statement",      "website",
                                    "team",           "spokesmen",
                                    "representative", "representatives",
                                    "analysis",       "memo",
                                    "editorial",      "release",
                                    "account",        "filing",
                                    "data",           "review",
                                    "adviser",        "advisers",
                                    "advisor",        "advisors",
                                    "strategist",     "strategists",
                                    "confidant",      "confidants",
                                    "associates",     "officials",
                                    "official",       "staff",
                                    "staffers",       "allies",
                                    "surrogates",     "aide",
                                    "manager",        "managers"});
  return k;
}
// Words of a role phrase that need not appear in the person's title ("the former minister").
const HashSet& RoleFiller() {
  static const HashSet k = MakeSet({"of", "former", "then", "new", "current", "outgoing", "'s",
                                    "the", "top", "incoming", "us", "american"});
  return k;
}
const HashSet& RoleStops() {
  static const HashSet k = MakeSet({"and", "or", "said", "says", "told", "who", "which", "that",
                                    "with", "as", "by", "for", "to"});
  return k;
}

// Common given names that are clearly female; anything else counts as unknown gender unless
// the article says "Ms"/"Mrs"/"Mr" (a pronoun then skips people of the other gender).
const HashSet& FemaleNames() {
  static const HashSet k =
      MakeSet({"hillary",   "elena",      "amira",       "irena",     "claire",    "margaret",
               "angela",    "theresa",    "nancy",       "elizabeth", "sarah",     "carly",
               "kelly",     "megyn",      "michelle",    "melania",   "ivanka",    "chelsea",
               "huma",      "donna",      "debbie",      "kellyanne", "hope",      "katrina",
               "nikki",     "susan",      "condoleezza", "madeleine", "samantha",  "marine",
               "ursula",    "kamala",     "jill",        "laura",     "barbara",   "mary",
               "patricia",  "jennifer",   "linda",       "karen",     "lisa",      "betty",
               "sandra",    "ashley",     "emily",       "donna",     "carol",     "ruth",
               "sharon",    "cynthia",    "kathleen",    "amy",       "anna",      "ann",
               "anne",      "rebecca",    "virginia",    "maria",     "heather",   "diane",
               "julie",     "joyce",      "victoria",    "christine", "catherine", "katherine",
               "kate",      "emma",       "olivia",      "sophia",    "jane",      "janet",
               "judith",    "rachel",     "hannah",      "alice",     "grace",     "helen",
               "martha",    "marsha",     "elaine",      "loretta",   "jeanne",    "jeanine",
               "sheila",    "tulsi",      "kirsten",     "tammy",     "dianne",    "lindsey_not",
               "amanda",    "stephanie",  "jessica",     "nicole",    "natalie",   "rosa",
               "sonia",     "yvonne",     "mia",         "joanne",    "joan",      "marie",
               "monica",    "paula",      "tina",        "wendy",     "valerie",   "gina",
               "rita",      "ilhan",      "alexandria",  "liz",       "beth",      "dana",
               "erin",      "brooke",     "andrea",      "penny",     "roberta",   "frederica",
               "heidi",     "jan",        "mazie",       "shelley",   "lisa",      "tara",
               "katy",      "kathy",      "sally",       "cheryl",    "lois",      "alma",
               "golda",     "benazir",    "indira",      "aung",      "federica",  "kristalina",
               "christine", "ivana",      "marla",       "omarosa",   "sybrina",   "lucia",
               "ana",       "ines",       "sofia",       "lucy",      "abigail",   "adriana",
               "agnes",     "aisha",      "alexandra",   "alison",    "allison",   "amber",
               "angelina",  "anita",      "antonia",     "april",     "audrey",    "bernadette",
               "beverly",   "bonnie",     "brenda",      "bridget",   "caitlin",   "camila",
               "candace",   "carla",      "carmen",      "caroline",  "cassandra", "cecilia",
               "charlotte", "christina",  "claudia",     "colleen",   "courtney",  "crystal",
               "daisy",     "danielle",   "deborah",     "denise",    "diana",     "dolores",
               "doris",     "dorothy",    "edith",       "eleanor",   "elise",     "ella",
               "ellen",     "eva",        "evelyn",      "fatima",    "felicia",   "fiona",
               "florence",  "frances",    "gabriela",    "gabrielle", "gail",      "gloria",
               "gwen",      "harriet",    "hazel",       "holly",     "irene",     "isabel",
               "isabella",  "jacqueline", "jade",        "jasmine",   "jenna",     "jenny",
               "jessie",    "jo",         "jodi",        "josephine", "judy",      "julia",
               "juliana",   "june",       "katharine",   "kathryn",   "katie",     "kay",
               "kristen",   "kristin",    "lauren",      "leah",      "leslie",    "lillian",
               "lily",      "lorraine",   "louise",      "lydia",     "lynn",      "madison",
               "mallory",   "marcia",     "margo",       "marian",    "marilyn",   "marjorie",
               "maxine",    "megan",      "melanie",     "melissa",   "meredith",  "michele",
               "mildred",   "miranda",    "molly",       "nadia",     "naomi",     "nina",
               "nora",      "norma",      "olga",        "pamela",    "peggy",     "phyllis",
               "priscilla", "regina",     "renee",       "rhonda",    "rosalind",  "rose",
               "roxanne",   "sabrina",    "samira",      "sara",      "selena",    "serena",
               "shannon",   "shirley",    "silvia",      "simone",    "sonya",     "stacey",
               "stacy",     "sue",        "suzanne",     "sylvia",    "tamara",    "tanya",
               "teresa",    "tiffany",    "toni",        "tracy",     "vanessa",   "vera",
               "veronica",  "vivian",     "whitney",     "yasmin",    "yolanda",   "zoe",
               "zeynep",    "ayaan",      "betsy",       "bette",     "oprah",     "sheryl",
               "susana",    "juanita",    "maureen",     "mattie",    "yasmeen",   "maryam",
               "kimberly",  "kimberley",  "jillian",     "ina",       "ilyse",     "dottie",
               "brianne",   "ava",        "angie",       "brigid",    "gilda",     "roseann",
               "lesley",    "neera",      "rihanna",     "suu",       "kristi",    "kristina",
               "lena",      "madeline",   "mariah",      "marisa",    "marissa",   "michaela",
               "rosemary",  "rosie",      "ruby",        "stella",    "tracey",    "trisha",
               "wanda",     "zainab",     "nadine",      "greta",     "bernice",   "brittany",
               "chloe",     "darlene",    "deirdre",     "dina",      "elisa",     "elisabeth",
               "erica",     "erika",      "esther",      "gretchen",  "ingrid",    "janice",
               "jeannie",   "joanna",     "karin",       "krista",    "leila",     "lori",
               "lucille",   "lynne",      "marcy",       "margarita", "maya",      "mona",
               "muriel",    "paulette",   "pauline",     "rachael",   "sherry",    "yvette",
               "gillian",   "geraldine",  "irma",        "jeanette",  "kara",      "kristine",
               "liza",      "marlene",    "pam",         "patty",     "patti",     "rosalyn",
               "thelma",    "vicki",      "vicky"});
  return k;
}
const HashSet& MaleNames() {
  static const HashSet k = MakeSet(
      {"donald",   "barack",   "bernie", "ted",     "marco",    "jeb",     "ben",      "john",
       "chris",    "mike",     "rand",   "scott",   "bill",     "joe",     "tim",      "paul",
       "mitch",    "harry",    "jim",    "james",   "robert",   "michael", "william",  "david",
       "richard",  "charles",  "joseph", "thomas",  "george",   "antony",  "anthony",  "daniel",
       "samuel",   "henrik",   "viktor", "andrei",  "carlos",   "rafael",  "vladimir", "benjamin",
       "boris",    "emmanuel", "gordon", "tony",    "kevin",    "lindsey", "rick",     "rudy",
       "newt",     "reince",   "corey",  "paul",    "jason",    "eric",    "steve",    "stephen",
       "mark",     "peter",    "jeff",   "jeffrey", "gary",     "larry",   "frank",    "martin",
       "jack",     "ryan",     "sean",   "matt",    "matthew",  "andrew",  "adam",     "tom",
       "bob",      "dick",     "al",     "jerry",   "brian",    "anthony", "xi",       "recep",
       "bashar",   "hassan",   "abdel",  "mahmoud", "ali",      "omar",    "mohammed", "muhammad",
       "ahmed",    "kim",      "shinzo", "justin",  "francois", "matteo",  "pedro",    "alexis",
       "jean",     "nicolas",  "luis",   "jose",    "juan",     "mitt",    "lincoln",  "jon",
       "jonathan", "howard",   "tim",    "ron",     "roger",    "mario",   "ed",       "edward",
       "ken",      "keith",    "lloyd",  "dan",     "bobby",    "jay",     "patrick",  "greg",
       "phil",     "sam",      "hugh",   "kurt",    "wayne",    "gavin",   "terry",    "alan",
       "colin",    "dennis",   "leon",   "ashton",  "antonio",  "jens",    "olaf",     "volodymyr",
       "sergei",   "sergey",   "yair",   "ehud",    "ismail",   "yahya",   "naftali",  "khaled",
       "robert",   "barry",    "bruce",  "carl",    "craig"});
  return k;
}

// ---- Per-text analysis -----------------------------------------------------------------------

enum class Gender { kUnknown, kMale, kFemale };

struct Quote {
  size_t mark = 0;   // byte offset of the opening mark
  size_t begin = 0;  // content [begin, end)
  size_t end = 0;
  size_t close_end = 0;     // after the closing mark (== end when open-ended)
  bool open_ended = false;  // no closing mark before the paragraph ends
  bool used = false;
};

struct LocalMention {
  const EntityMention* m;
  uint32_t first, last;  // tokens (inclusive)
};

constexpr uint32_t kColonMinWords = 4;

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Finds the quotations of a text: typographic “ ” pairs, straight " (opening when not glued to
// the previous word), and the `` / '' pairs some archives use. A quotation left open at the end
// of a paragraph runs to it (the next paragraph then usually opens a continuation).
std::vector<Quote> FindQuotes(std::string_view t) {
  std::vector<Quote> out;
  bool open = false;
  Quote cur;
  auto close_at = [&](size_t end, size_t close_end, bool open_ended) {
    cur.end = end;
    cur.close_end = close_end;
    cur.open_ended = open_ended;
    if (cur.end > cur.begin) out.push_back(cur);
    open = false;
  };
  auto open_at = [&](size_t mark, size_t begin) {
    if (open) close_at(mark, mark, true);
    cur = Quote();
    cur.mark = mark;
    cur.begin = begin;
    open = true;
  };
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\n') {
      if (open) {
        size_t e = i;
        while (e > cur.begin && IsSpaceByte(t[e - 1])) --e;
        close_at(e, e, true);
      }
      continue;
    }
    bool prev_space =
        i == 0 || IsSpaceByte(t[i - 1]) || t[i - 1] == '(' || t[i - 1] == '[' || t[i - 1] == '-';
    if (c == '\xE2' && i + 2 < t.size() && t[i + 1] == '\x80') {
      if (t[i + 2] == '\x9C') {  // “
        open_at(i, i + 3);
        i += 2;
        continue;
      }
      if (t[i + 2] == '\x9D') {  // ”
        if (open) {
          close_at(i, i + 3, false);
        } else if (prev_space && i + 3 < t.size() && !IsSpaceByte(t[i + 3])) {
          open_at(i, i + 3);  // a right mark used as an opening one
        }
        i += 2;
        continue;
      }
      // Em dashes before an opening quote count as space.
      continue;
    }
    if (c == '"') {
      bool glued_next = i + 1 < t.size() && !IsSpaceByte(t[i + 1]);
      if (open && !prev_space) {
        close_at(i, i + 1, false);
      } else if (!open && (prev_space || !glued_next) && glued_next) {
        open_at(i, i + 1);
      } else if (open) {
        close_at(i, i + 1, false);
      } else if (glued_next) {
        open_at(i, i + 1);
      }
      continue;
    }
    if (c == '`' && i + 1 < t.size() && t[i + 1] == '`') {
      open_at(i, i + 2);
      ++i;
      continue;
    }
    if (c == '\'' && i + 1 < t.size() && t[i + 1] == '\'') {
      // A closing mark may follow a space (`coalitions, '' said`): not glued to a next word.
      bool glued_next = i + 2 < t.size() && !IsSpaceByte(t[i + 2]);
      if (open && (!prev_space || !glued_next)) {
        close_at(i, i + 2, false);
      } else if (prev_space) {
        open_at(i, i + 2);
      } else if (open) {
        close_at(i, i + 2, false);
      }
      ++i;
      continue;
    }
  }
  if (open) {
    size_t e = t.size();
    while (e > cur.begin && IsSpaceByte(t[e - 1])) --e;
    close_at(e, e, true);
  }
  return out;
}

struct Speaker {
  const EntityMention* mention = nullptr;  // the entity (canonical name, type)
  SpeakerRef ref = SpeakerRef::kName;
  bool document = false;         // through a document noun ("the Gallup poll")
  uint32_t first = 0, last = 0;  // tokens of the speaker phrase (inclusive)
};

class TextAnalysis {
 public:
  TextAnalysis(std::string_view text, bool in_title, const ArticleEntities& entities,
               const StatementOptions& options)
      : text_(text),
        in_title_(in_title),
        cue_model_(options.cue_model),
        candidates_(options.candidates),
        cue_tokens_(options.cue_tokens) {
    Tokenize(text, &toks_, &sents_);
    quotes_ = FindQuotes(text);
    quote_of_.assign(toks_.size(), -1);
    for (size_t q = 0, k = 0; q < quotes_.size(); ++q) {
      while (k < toks_.size() && toks_[k].begin < quotes_[q].begin) ++k;
      for (size_t j = k; j < toks_.size() && toks_[j].end <= quotes_[q].end; ++j)
        quote_of_[j] = static_cast<int>(q);
    }
    mention_end_.assign(toks_.size(), -1);
    mention_start_.assign(toks_.size(), -1);
    std::vector<bool>& covered = covered_;
    covered.assign(toks_.size(), false);
    for (const EntityMention& m : entities.mentions) {
      if (m.in_title != in_title) continue;
      if (m.type == EntityType::kTopic) {
        topics_.push_back(&m);
        continue;
      }
      auto it = std::lower_bound(toks_.begin(), toks_.end(), m.begin,
                                 [](const Token& t, size_t b) { return t.begin < b; });
      for (auto c = it; c != toks_.end() && c->begin < m.end; ++c)
        covered[c - toks_.begin()] = true;
      if (it == toks_.end() || it->begin != m.begin) continue;
      uint32_t first = static_cast<uint32_t>(it - toks_.begin());
      uint32_t last = first;
      while (last + 1 < toks_.size() && toks_[last + 1].end <= m.end) ++last;
      if (toks_[last].end != m.end) continue;
      if (m.type != EntityType::kPerson && GivenNameAndSurname(first, last)) {
        // "Melania Trump" tagged a place, "Ivanka Trump" an institution: a person.
        EntityMention em = m;
        em.type = EntityType::kPerson;
        extra_.push_back(std::move(em));
        mentions_.push_back({&extra_.back(), first, last});
        continue;
      }
      if (m.type == EntityType::kPlace) places_.push_back({&m, first, last});
      if (m.type != EntityType::kPerson && m.type != EntityType::kInstitution) continue;
      if (m.type == EntityType::kPerson && last >= first + 2 &&
          (toks_[last].flags & kTokUpperInitial) && !(toks_[last].flags & kTokAllUpper) &&
          Cues().count(toks_[last].fold) && !Is(last + 1, FoldHash("of")) &&
          !Is(last + 1, FoldHash("by"))) {  // not a passive ("Clinton Accused Of")
        // A headline in title case whose cue the extractor took for a surname ("..., Lindsey
        // Graham Says", "Howard Dean Tells Democratic Convention"): the name is the rest.
        EntityMention em = m;
        em.end = toks_[last - 1].end;
        em.canonical = std::string(text_.substr(toks_[first].begin, em.end - toks_[first].begin));
        for (const std::string& person : entities.people)
          if (person.size() > em.canonical.size() &&
              person.compare(person.size() - em.canonical.size(), em.canonical.size(),
                             em.canonical) == 0 &&
              person[person.size() - em.canonical.size() - 1] == ' ')
            em.canonical = person;  // "Graham Says" -> "Lindsey Graham"
        extra_.push_back(std::move(em));
        mentions_.push_back({&extra_.back(), first, last - 1});
        continue;
      }
      if (const EntityMention* fixed = WithoutOpener(m, entities)) {
        mentions_.push_back({fixed, first, last});
        continue;
      }
      mentions_.push_back({&m, first, last});
    }
    AddCapitalisedSpeakers(entities, covered);
    for (size_t i = 0; i < mentions_.size(); ++i) {
      mention_start_[mentions_[i].first] = static_cast<int>(i);
      mention_end_[mentions_[i].last] = static_cast<int>(i);
    }
    CollectTitles();
    CollectPronounGender();
  }

  void Extract(std::vector<Statement>* out);

 private:
  std::string_view Word(size_t k) const {
    return text_.substr(toks_[k].begin, toks_[k].end - toks_[k].begin);
  }
  bool Is(size_t k, uint64_t fold) const { return k < toks_.size() && toks_[k].fold == fold; }
  bool Lower(size_t k) const {
    return (toks_[k].flags & kTokHasLetter) && !(toks_[k].flags & kTokUpperInitial);
  }
  bool Punct(size_t k) const { return toks_[k].flags & kTokPunct; }
  bool IsComma(size_t k) const { return k < toks_.size() && Word(k) == ","; }
  bool IsAdverb(size_t k) const {
    std::string_view w = Word(k);
    return Lower(k) && w.size() > 4 && w.substr(w.size() - 2) == "ly";
  }
  bool IsPossessive(size_t k) const {
    std::string_view w = Word(k);
    if (w == "'s" || w == "\xE2\x80\x99s") return true;
    // "Sanders' team": an apostrophe glued to a capitalised word ending in s.
    if ((w != "'" && w != "\xE2\x80\x99") || k == 0 || toks_[k - 1].end != toks_[k].begin)
      return false;
    std::string_view p = Word(k - 1);
    return (toks_[k - 1].flags & kTokUpperInitial) && p.size() > 2 && p.back() == 's';
  }
  bool SpeakerHeadNoun(size_t k) const { return SpeakerHeads().count(toks_[k].fold) > 0; }
  bool IsQuoteMarkTok(size_t k) const {
    std::string_view w = Word(k);
    // "'''": a quotation inside one, closing with it (`'We'll bomb them,''' said`).
    return w == "\"" || w == "\xE2\x80\x9C" || w == "\xE2\x80\x9D" || w == "''" || w == "``" ||
           w == "'''";
  }

  void CollectTitles();
  void CollectPronounGender();
  bool GivenNameAndSurname(uint32_t first, uint32_t last) const;
  const EntityMention* WithoutOpener(const EntityMention& m, const ArticleEntities& entities);
  void AddCapitalisedSpeakers(const ArticleEntities& entities, const std::vector<bool>& covered);
  Gender GenderOf(const std::string& canonical) const;
  bool AsClause(uint32_t k, uint32_t sent_first) const;
  bool SubjectMention(uint32_t k, uint32_t sent_first, Speaker* sp) const;
  bool ResolvePronoun(uint32_t k, Speaker* sp) const;
  bool ResolveRole(uint32_t first, uint32_t head, Speaker* sp) const;
  uint32_t TimePhraseEnding(uint32_t k, uint32_t sent_first) const;
  bool SpeakerBefore(uint32_t cue, uint32_t sent_first, bool* negated, Speaker* sp) const;
  bool HeadNounSpeaker(uint32_t k, uint32_t sent_first, Speaker* sp) const;
  bool SpeakerAfter(uint32_t k, uint32_t sent_end, Speaker* sp) const;
  bool SourceInPhrase(uint32_t k, uint32_t sent_end, Speaker* sp);
  bool ColonSpeaker(const Sentence& s, Speaker* sp, uint32_t* colon);
  bool PollSource(const Sentence& s, Speaker* sp, uint32_t* comma) const;
  bool DocumentSubject(const Sentence& s, uint32_t cue, Speaker* sp) const;
  bool ClausalVerb(uint32_t k, const Sentence& s) const;
  bool TitleCase(const Sentence& s) const;
  bool BeliefSubject(const Sentence& s, uint32_t cue, bool inverted, const Speaker& sp) const;
  bool CountedMembers(const Sentence& s, const Speaker& sp) const;
  void BuildColon(const Sentence& s, uint32_t colon, const Speaker& sp, Statement* st) const;
  bool SentenceSubject(uint32_t sent_first, uint32_t limit, Speaker* sp) const;
  void Build(const Sentence& s, uint32_t cue, uint32_t cue_last, bool inverted,
             std::string_view lemma, const Speaker& sp, Statement* st);
  void SetText(Statement* st) const;
  int CueFeatures(const Sentence& s, uint32_t k, const Speaker& sp, size_t statements_in_sentence,
                  uint32_t sentence_cues, bool any_quote, const StatementCueModel* tagger,
                  uint32_t* out) const;
  void TagKeys(const Sentence& s, uint32_t k, uint32_t* keys) const;
  bool DemonstrativeThat(uint32_t j, const Sentence& s) const;
  bool MaySpeakBefore(uint32_t k, uint32_t sent_first) const;
  void LearnedCues(const Sentence& s, uint32_t outer_that, uint32_t relative_end,
                   std::vector<std::string>* speakers, std::vector<size_t>* cue_at,
                   std::vector<const EntityMention*>* who, std::vector<Statement>* out);
  void QuoteBylines(size_t first_out, std::vector<Statement>* out);
  uint32_t TokenAt(size_t byte) const;
  void DropNested(size_t first, const std::vector<size_t>& cue_at,
                  const std::vector<const EntityMention*>& who, const EntityMention* speaker_before,
                  uint32_t speaker_sent_before, uint32_t sent, std::vector<Statement>* out);

  std::string_view text_;
  bool in_title_;
  const StatementCueModel* cue_model_;
  std::vector<CueCandidate>* candidates_;
  std::vector<CueToken>* cue_tokens_;
  std::vector<Token> toks_;
  std::vector<Sentence> sents_;
  std::vector<Quote> quotes_;
  std::vector<int> quote_of_;
  std::vector<LocalMention> mentions_;  // people and institutions, in text order
  std::deque<EntityMention> extra_;     // speakers the entity extractor missed (stable)
  std::unordered_map<std::string, const EntityMention*> repaired_;  // WithoutOpener
  mutable std::deque<EntityMention> extra_places_;  // places speaking as institutions
  std::vector<bool> covered_;           // per token: inside any person/institution/place
  std::vector<int> mention_end_, mention_start_;
  std::vector<const EntityMention*> topics_;
  std::vector<LocalMention> places_;  // place mentions, in text order
  // Per person mention: folded words of the title before it or the appositive after it.
  std::vector<std::vector<uint64_t>> titles_;
  std::unordered_map<std::string, Gender> honorific_gender_;
  std::unordered_map<std::string, Gender> pronoun_gender_;  // CollectPronounGender
  // The speaker of the latest statement and its sentence: a pronoun soon after refers to it.
  const EntityMention* last_speaker_ = nullptr;
  uint32_t last_speaker_sent_ = 0;
};

// Speakers the entity extractor missed: a run of capitalised words right before a cue
// ("Schlafly also noted", "Mr. English said") or right after an inverted one (`," said
// Earnest`). A run whose last word is the surname of a person the extractor found becomes
// that person (same canonical name); otherwise the run itself, without title words, is the
// name. Sentence-initial single words that also occur in lower case ("Police said") or end in
// -s ("Allies say") are common nouns, not names.
void TextAnalysis::AddCapitalisedSpeakers(const ArticleEntities& entities,
                                          const std::vector<bool>& covered) {
  static const HashSet kTitles = MakeSet({"mr",
                                          "mrs",
                                          "ms",
                                          "dr",
                                          "sen",
                                          "rep",
                                          "gov",
                                          "gen",
                                          "lt",
                                          "col",
                                          "sgt",
                                          "rev",
                                          "president",
                                          "senator",
                                          "governor",
                                          "mayor",
                                          "judge",
                                          "justice",
                                          "secretary",
                                          "former",
                                          "then",
                                          "lawmaker",
                                          "representative",
                                          "the",
                                          "congressman",
                                          "congresswoman",
                                          "professor",
                                          "prof"});
  static const HashSet kNotNames = MakeSet({"someone",
                                            "somebody",
                                            "everyone",
                                            "everybody",
                                            "anyone",
                                            "nobody",
                                            "i",
                                            "he",
                                            "she",
                                            "it",
                                            "we",
                                            "they",
                                            "you",
                                            "this",
                                            "that",
                                            "these",
                                            "those",
                                            "some",
                                            "many",
                                            "most",
                                            "other",
                                            "others",
                                            "several",
                                            "both",
                                            "all",
                                            "each",
                                            "but",
                                            "and",
                                            "so",
                                            "yet",
                                            "also",
                                            "one",
                                            "two",
                                            "three",
                                            "few",
                                            "critics",
                                            "officials",
                                            "experts",
                                            "aides",
                                            "monday",
                                            "tuesday",
                                            "wednesday",
                                            "thursday",
                                            "friday",
                                            "saturday",
                                            "sunday",
                                            "there",
                                            "here",
                                            "now",
                                            "then",
                                            "when",
                                            "while",
                                            "if",
                                            "as",
                                            "after",
                                            "before",
                                            "since",
                                            "who",
                                            "what",
                                            "his",
                                            "her",
                                            "their",
                                            "our",
                                            "my",
                                            "your",
                                            "a",
                                            "an",
                                            "no",
                                            "not",
                                            "only",
                                            "still",
                                            "even",
                                            "just",
                                            "meanwhile",
                                            "however",
                                            "instead",
                                            "later",
                                            "earlier",
                                            "today",
                                            "yesterday",
                                            "tonight",
                                            "police",
                                            "republicans",
                                            "democrats",
                                            "conservatives",
                                            "liberals",
                                            "voters",
                                            "supporters",
                                            "opponents",
                                            "people",
                                            "americans",
                                            "analysts",
                                            "observers",
                                            "polls",
                                            "surveys",
                                            "sources",
                                            "researchers",
                                            "scientists",
                                            "democrat",
                                            "republican",
                                            "god",
                                            "western",
                                            "eastern",
                                            "northern",
                                            "southern",
                                            "additional",
                                            "democratic",
                                            "whenever",
                                            "wherever",
                                            "january",
                                            "february",
                                            "march",
                                            "april",
                                            "may",
                                            "june",
                                            "july",
                                            "august",
                                            "september",
                                            "october",
                                            "november",
                                            "december",
                                            "federal",
                                            "national",
                                            "state",
                                            "new",
                                            "latest",
                                            "recent",
                                            "editing",
                                            "reporting",
                                            "writing",
                                            "having",
                                            "according",
                                            "asked",
                                            "speaking",
                                            "despite",
                                            "although",
                                            "though"});
  static const HashSet kInstitutionWords =
      MakeSet({"committee", "department", "party",          "association", "council", "agency",
               "inc",       "corp",       "news",           "times",       "post",    "journal",
               "group",     "foundation", "institute",      "university",  "college", "campaign",
               "office",    "commission", "board",          "union",       "court",   "network",
               "company",   "bureau",     "administration", "house",       "senate",  "congress",
               "center"});
  if (toks_.empty()) return;
  const CueMap& cues = Cues();
  auto is_cue = [&](uint32_t k) {
    return k < toks_.size() && Lower(k) && quote_of_[k] < 0 && cues.count(toks_[k].fold) > 0;
  };
  HashSet lower_words;  // lazily filled: only for sentence-initial single words
  bool lower_ready = false;
  std::unordered_map<uint64_t, const EntityMention*> surnames;
  for (const EntityMention& m : entities.mentions) {
    if (m.type != EntityType::kPerson) continue;
    std::string_view c = m.canonical;
    size_t sp = c.rfind(' ');
    surnames.emplace(FoldHash(sp == std::string_view::npos ? c : c.substr(sp + 1)), &m);
  }
  size_t real = mentions_.size();
  for (uint32_t k = 0; k < toks_.size(); ++k) {
    if (!(toks_[k].flags & kTokUpperInitial) || covered[k] || quote_of_[k] >= 0 ||
        sents_[toks_[k].sentence].all_upper)
      continue;
    uint32_t e = k;
    while (e + 1 < toks_.size() && (toks_[e + 1].flags & kTokUpperInitial) && !covered[e + 1] &&
           quote_of_[e + 1] < 0 && toks_[e + 1].sentence == toks_[k].sentence && e < k + 4)
      ++e;
    uint32_t next = e + 1;
    // The run must be the subject of a cue or follow an inverted one.
    uint32_t c = next;
    uint32_t sent_first = sents_[toks_[k].sentence].first_token;
    while (c < toks_.size() && c < next + 6) {
      if (Auxiliaries().count(toks_[c].fold) || IsAdverb(c)) {
        ++c;
        continue;
      }
      // "Reince Priebus on Monday announced", "... this past week said".
      uint32_t skip = 0;
      for (uint32_t len = 2; len <= 3 && !skip; ++len)
        if (c + len - 1 < toks_.size() && toks_[c + len - 1].sentence == toks_[k].sentence &&
            TimePhraseEnding(c + len - 1, sent_first) == len)
          skip = len;
      if (!skip) break;
      c += skip;
    }
    bool before_cue =
        is_cue(c) && toks_[c].sentence == toks_[k].sentence && (c == next || !Punct(next));
    bool after_cue = k >= 2 && is_cue(k - 1) && (IsComma(k - 2) || IsQuoteMarkTok(k - 2)) &&
                     (cues.find(toks_[k - 1].fold)->second.flags & kCueInvert) &&
                     (next >= toks_.size() || Punct(next));
    // "according to (the) Gallup", "according to RealClearPolitics".
    static const uint64_t kAccording = FoldHash("according"), kToW = FoldHash("to");
    uint32_t a = k;
    while (a > 0 && a + 2 > k && Determiners().count(toks_[a - 1].fold)) --a;
    bool after_according = a >= 2 && toks_[a - 1].fold == kToW && toks_[a - 2].fold == kAccording;
    uint32_t run_end = e;
    k = e;  // continue after the run
    if (!before_cue && !after_cue && !after_according) continue;
    uint32_t f = run_end;
    while (f > 0 && f + 4 > run_end && (toks_[f - 1].flags & kTokUpperInitial) && !covered[f - 1] &&
           quote_of_[f - 1] < 0 && toks_[f - 1].sentence == toks_[f].sentence)
      --f;
    // A capitalised opener is no part of the name: "Although Reynolds says", "But Priebus".
    static const HashSet kOpeners = MakeSet(
        {"but", "and", "so", "yet", "also", "when", "while", "if", "as", "after", "before",
         "since", "although", "though", "despite", "meanwhile", "however", "instead", "later",
         "earlier", "today", "yesterday", "now", "then", "even", "still", "just", "only"});
    bool opens_sentence = toks_[f].flags & kTokSentenceStart;
    uint32_t f0 = f;  // the run's first word, for the preposition check below
    while (f < run_end && kOpeners.count(toks_[f].fold)) ++f;
    // Strip title words; what is left is the name.
    uint32_t g = f;
    bool the = false;
    while (g <= run_end && kTitles.count(toks_[g].fold)) {
      the = the || toks_[g].fold == FoldHash("the");
      ++g;
    }
    if (g > run_end) continue;
    bool bad = false;
    for (uint32_t t = g; t <= run_end; ++t)
      if (kNotNames.count(toks_[t].fold) || (toks_[t].flags & kTokHasDigit)) bad = true;
    if (bad) continue;
    // The surname of a person the extractor found is a name wherever it stands ("Priebus
    // rejected"), even ending in -s.
    auto sn = surnames.find(toks_[run_end].fold);
    if (sn == surnames.end() && g == run_end && opens_sentence && g <= f) {
      std::string_view w = Word(g);
      if (w.back() == 's' || w.size() < 3) continue;
      if (!lower_ready) {
        for (uint32_t t = 0; t < toks_.size(); ++t)
          if (Lower(t)) lower_words.insert(toks_[t].fold);
        lower_ready = true;
      }
      if (lower_words.count(toks_[g].fold)) continue;
    }
    // Not the object of a preposition ("at Caltrans"), the end of a coordinated name ("Centers
    // for Disease Control and Prevention") or a handle ("@BernieSanders").
    static const uint64_t kAndW = FoldHash("and");
    if (f0 > 0 && toks_[f0 - 1].sentence == toks_[f0].sentence && !after_according &&
        (Prepositions().count(toks_[f0 - 1].fold) || toks_[f0 - 1].fold == kAndW ||
         Word(f0 - 1) == "@" || Word(f0 - 1) == "#"))
      continue;
    const EntityMention* m = nullptr;
    if (sn != surnames.end()) {
      m = sn->second;
    } else {
      bool inst = the;
      for (uint32_t t = g; t <= run_end; ++t)
        inst = inst || kInstitutionWords.count(toks_[t].fold) ||
               ((toks_[t].flags & kTokAllUpper) && Word(t).size() >= 2);
      EntityMention em;
      em.type = inst ? EntityType::kInstitution : EntityType::kPerson;
      em.in_title = in_title_;
      em.begin = toks_[g].begin;
      em.end = toks_[run_end].end;
      em.canonical = std::string(text_.substr(em.begin, em.end - em.begin));
      if (em.canonical.size() > 2 && (em.canonical.substr(em.canonical.size() - 2) == "'s"))
        continue;
      extra_.push_back(std::move(em));
      m = &extra_.back();
    }
    mentions_.push_back({m, g, run_end});
  }
  if (mentions_.size() > real)
    std::inplace_merge(
        mentions_.begin(), mentions_.begin() + static_cast<std::ptrdiff_t>(real), mentions_.end(),
        [](const LocalMention& a, const LocalMention& b) { return a.first < b.first; });
}

// A person whose canonical name begins with a sentence opener the entity extraction took for
// a given name ("Does Rubio", "Like Corker", "Although Weiner", "Senators Rubio"): the person
// of the article with that surname, else the name without the opener. nullptr when the name
// is fine.
const EntityMention* TextAnalysis::WithoutOpener(const EntityMention& m,
                                                 const ArticleEntities& entities) {
  static const HashSet kOpeners = MakeSet(
      {"does", "did", "is", "can", "should", "like", "unlike", "even", "although", "though",
       "when", "if", "as", "but", "and", "so", "why", "how", "what", "where", "who", "had",
       "has", "have", "was", "were", "while", "after", "before", "since", "because", "then",
       "meanwhile", "despite", "with", "without", "only", "just", "also", "still", "perhaps",
       "maybe", "are", "do", "would", "could", "might", "must", "not", "senators", "sens"});
  if (m.type != EntityType::kPerson) return nullptr;
  std::string_view c = m.canonical;
  size_t sp = c.find(' ');
  if (sp == std::string_view::npos || !kOpeners.count(FoldHash(c.substr(0, sp)))) return nullptr;
  auto cached = repaired_.find(m.canonical);
  if (cached != repaired_.end()) return cached->second;
  std::string_view rest = c.substr(sp + 1);
  size_t last_sp = c.rfind(' ');
  std::string_view surname = c.substr(last_sp + 1);
  // The most often mentioned such person ("Bernie Sanders", not a garbled "Will Sanders").
  const EntityMention* pick = nullptr;
  std::unordered_map<std::string_view, int> count;
  int best = 0;
  for (const EntityMention& o : entities.mentions) {
    if (o.type != EntityType::kPerson || o.canonical == m.canonical) continue;
    std::string_view oc = o.canonical;
    size_t osp = oc.find(' ');
    if (osp == std::string_view::npos || kOpeners.count(FoldHash(oc.substr(0, osp)))) continue;
    if (oc.substr(oc.rfind(' ') + 1) != surname) continue;
    int n = ++count[oc];
    if (n > best) {
      best = n;
      pick = &o;
    }
  }
  if (!pick) {
    EntityMention em = m;
    em.canonical = std::string(rest);
    extra_.push_back(std::move(em));
    pick = &extra_.back();
  }
  repaired_.emplace(m.canonical, pick);
  return pick;
}

// Whether tokens [first, last] read as a person's name: two or three capitalised words, the
// first a common given name that is not also a usual place name ("Virginia Beach"), the last
// no place or organisation word.
bool TextAnalysis::GivenNameAndSurname(uint32_t first, uint32_t last) const {
  static const HashSet kPlaceNames =
      MakeSet({"virginia", "victoria", "charlotte", "madison", "georgia", "florence", "lincoln",
               "jordan", "chelsea", "hope", "april", "june", "grace", "santa", "st", "san",
               "aung"});  // "Aung San" (a place here; Burmese names have no surname)
  static const HashSet kPlaceWords = MakeSet(
      {"beach", "city", "county", "park", "square", "garden", "gardens", "street", "avenue",
       "island", "islands", "valley", "river", "lake", "mountain", "mountains", "bay", "springs",
       "falls", "hill", "hills", "heights", "center", "centre", "hall", "bridge", "airport",
       "station", "memorial", "tower", "foundation", "institute", "university", "college",
       "school", "hospital", "group", "company", "fund", "committee", "center", "church"});
  if (last < first + 1 || last > first + 2) return false;
  for (uint32_t k = first; k <= last; ++k)
    if (!(toks_[k].flags & kTokUpperInitial) || (toks_[k].flags & kTokAllUpper) ||
        (toks_[k].flags & kTokHasDigit))
      return false;
  uint64_t given = toks_[first].fold;
  if (kPlaceNames.count(given) || kPlaceWords.count(toks_[last].fold)) return false;
  return FemaleNames().count(given) > 0 || MaleNames().count(given) > 0;
}

void TextAnalysis::CollectTitles() {
  static const uint64_t kMr = FoldHash("mr"), kMs = FoldHash("ms"), kMrs = FoldHash("mrs");
  titles_.resize(mentions_.size());
  for (size_t i = 0; i < mentions_.size(); ++i) {
    const LocalMention& lm = mentions_[i];
    if (lm.m->type != EntityType::kPerson) continue;
    uint32_t sent = toks_[lm.first].sentence;
    // "Secretary of State Antony Blinken", "Trump campaign manager Corey Lewandowski".
    for (uint32_t k = lm.first, n = 0; k > 0 && n < 6; ++n) {
      --k;
      if (toks_[k].sentence != sent || Punct(k) || Determiners().count(toks_[k].fold) ||
          RoleStops().count(toks_[k].fold) || mention_end_[k] >= 0)
        break;
      uint64_t f = toks_[k].fold;
      titles_[i].push_back(f);
      if (f == kMr) honorific_gender_[lm.m->canonical] = Gender::kMale;
      if (f == kMs || f == kMrs) honorific_gender_[lm.m->canonical] = Gender::kFemale;
    }
    // "Antony Blinken, the secretary of state," / "Blinken, US secretary of state,".
    // Not a clause that goes on to its verb ("In Chelsea, the mayor also said").
    static const HashSet kAppositionEnds = MakeSet({"who", "which", "and", "with", "as"});
    uint32_t k = lm.last + 1;
    if (IsComma(k)) {
      ++k;
      std::vector<uint64_t> words;
      bool closed = true;
      for (uint32_t n = 0; k < toks_.size() && n < 8 && toks_[k].sentence == sent; ++k, ++n) {
        if (Punct(k)) break;
        if (RoleStops().count(toks_[k].fold) || Auxiliaries().count(toks_[k].fold)) {
          closed = kAppositionEnds.count(toks_[k].fold) > 0;
          break;
        }
        words.push_back(toks_[k].fold);
      }
      if (closed) titles_[i].insert(titles_[i].end(), words.begin(), words.end());
    }
  }
}

Gender TextAnalysis::GenderOf(const std::string& canonical) const {
  auto it = honorific_gender_.find(canonical);
  if (it != honorific_gender_.end()) return it->second;
  size_t sp = canonical.find(' ');
  if (sp != std::string::npos) {
    uint64_t first = FoldHash(std::string_view(canonical).substr(0, sp));
    if (FemaleNames().count(first)) return Gender::kFemale;
    if (MaleNames().count(first)) return Gender::kMale;
  } else {
    // A person known by a given name alone ("Melanie said yes"), which the entity extractor
    // keeps as the canonical name.
    uint64_t only = FoldHash(canonical);
    if (FemaleNames().count(only)) return Gender::kFemale;
    if (MaleNames().count(only)) return Gender::kMale;
  }
  auto pg = pronoun_gender_.find(canonical);
  return pg != pronoun_gender_.end() ? pg->second : Gender::kUnknown;
}

// Gender from the article's own pronouns: he/his/him (she/her) outside quotations in a
// sentence whose only person is X, after X, or in the next sentence when it names no one.
// Decided when one side has at least two votes and three times the other's.
void TextAnalysis::CollectPronounGender() {
  static const HashSet kMale = MakeSet({"he", "him", "his", "himself"});
  static const HashSet kFemale = MakeSet({"she", "her", "hers", "herself"});
  std::vector<int> person_of(sents_.size(), -1);  // the only person of a sentence; -2: several
  std::vector<uint32_t> after(sents_.size(), 0);  // first token after that person's mention
  for (const LocalMention& lm : mentions_) {
    if (lm.m->type != EntityType::kPerson || quote_of_[lm.first] >= 0) continue;
    uint32_t s = toks_[lm.first].sentence;
    int idx = static_cast<int>(&lm - mentions_.data());
    if (person_of[s] == -1) {
      person_of[s] = idx;
      after[s] = lm.last + 1;
    } else if (person_of[s] >= 0 && mentions_[person_of[s]].m != lm.m) {
      person_of[s] = -2;
    }
  }
  auto count = [&](uint32_t from, uint32_t to, std::pair<int, int>* v) {
    for (uint32_t k = from; k < to; ++k) {
      if (quote_of_[k] >= 0 || !Lower(k)) continue;
      if (kMale.count(toks_[k].fold)) ++v->first;
      if (kFemale.count(toks_[k].fold)) ++v->second;
    }
  };
  std::unordered_map<std::string, std::pair<int, int>> by_name;
  for (size_t s = 0; s < sents_.size(); ++s) {
    if (person_of[s] < 0) continue;
    std::pair<int, int>& v = by_name[mentions_[person_of[s]].m->canonical];
    count(after[s], sents_[s].end_token, &v);
    if (s + 1 < sents_.size() && person_of[s + 1] == -1)
      count(sents_[s + 1].first_token, sents_[s + 1].end_token, &v);
  }
  for (const auto& [name, v] : by_name) {
    if (v.first >= 2 && v.first >= 3 * v.second) pronoun_gender_[name] = Gender::kMale;
    if (v.second >= 2 && v.second >= 3 * v.first) pronoun_gender_[name] = Gender::kFemale;
  }
}

// Whether token k is an "as" that opens a clause ("As Trump said, ...", "But, as Mr. Sykes
// said, ..."): the name after it is a subject, not the object of a preposition.
bool TextAnalysis::AsClause(uint32_t k, uint32_t sent_first) const {
  static const uint64_t kAs = FoldHash("as");
  static const HashSet kConj = MakeSet({"but", "and", "yet", "so", "even", "just"});
  if (!Is(k, kAs)) return false;
  return k == sent_first || (IsComma(k - 1) && quote_of_[k - 1] < 0) ||
         kConj.count(toks_[k - 1].fold) > 0;
}

// Whether token k ends a name that can be a subject: not the object of a preposition and not
// a possessive's owner.
bool TextAnalysis::SubjectMention(uint32_t k, uint32_t sent_first, Speaker* sp) const {
  if (k >= mention_end_.size()) return false;  // k - 1 from the first token wraps around
  int mi = mention_end_[k];
  if (mi < 0) return false;
  const LocalMention& lm = mentions_[mi];
  if (quote_of_[lm.first] >= 0) return false;
  uint32_t b = lm.first;
  while (b > sent_first && Determiners().count(toks_[b - 1].fold)) --b;
  // Title words before the name ("Secretary of State Antony Blinken") are part of the subject;
  // "of" only between two capitalised title words ("Supervisor of Elections Susan Bucher"; not
  // "supporters of Sanders", "a friend of Secretary Blinken").
  static const uint64_t kOfT = FoldHash("of");
  auto in_title = [&](uint32_t j) {
    return titles_.size() > static_cast<size_t>(mi) &&
           std::find(titles_[mi].begin(), titles_[mi].end(), toks_[j].fold) != titles_[mi].end();
  };
  while (b > sent_first && !Punct(b - 1) && in_title(b - 1) &&
         (!Prepositions().count(toks_[b - 1].fold) ||
          (Is(b - 1, kOfT) && b < lm.first && b - 1 > sent_first && in_title(b - 2) &&
           (toks_[b - 2].flags & kTokUpperInitial) && (toks_[b].flags & kTokUpperInitial) &&
           !Prepositions().count(toks_[b - 2].fold))))
    --b;
  while (b > sent_first && Determiners().count(toks_[b - 1].fold)) --b;
  // "Fox's Chris Wallace": a possessor before the name is no preposition.
  if (b > sent_first + 1 && IsPossessive(b - 1) && (toks_[b - 2].flags & kTokUpperInitial))
    b = b - 1;
  else if (b > sent_first && Prepositions().count(toks_[b - 1].fold) &&
           !AsClause(b - 1, sent_first))
    return false;
  sp->mention = lm.m;
  sp->ref = SpeakerRef::kName;
  sp->first = b;
  sp->last = k;
  return true;
}

// he/she at token k: the first person (the likely subject) of the same sentence before k that
// fits the pronoun's gender (unless k follows a quotation), else the speaker of the latest
// statement in this or the previous sentence (before the quotation k follows), else the first person of the previous two
// sentences (two back only when no other person is named in between). Wider windows (three sentences, the latest speaker two sentences back) were right
// only about half the time on PolNeAR train.
bool TextAnalysis::ResolvePronoun(uint32_t k, Speaker* sp) const {
  static const uint64_t kHe = FoldHash("he"), kShe = FoldHash("she");
  Gender want = toks_[k].fold == kHe    ? Gender::kMale
                : toks_[k].fold == kShe ? Gender::kFemale
                                        : Gender::kUnknown;
  if (want == Gender::kUnknown) return false;
  uint32_t sent = toks_[k].sentence;
  // A person of unknown gender may be "he" but not "she": most people of unknown gender in
  // news text are men, and on PolNeAR train "she" resolved to one was right for only 28-44%.
  bool unknown_ok = want == Gender::kMale;
  // A person named earlier in the same sentence ("Suu Kyi's fate is unclear, but she said")
  // beats the latest speaker, except right after a quotation (`"...," he said`), where the
  // quoted words may name anyone.
  bool after_quote =
      k > 0 && (IsQuoteMarkTok(k - 1) || (IsComma(k - 1) && k > 1 && IsQuoteMarkTok(k - 2)));
  // Right after a quotation of several sentences (`"A. B. C," he said`), the latest speaker's
  // window is counted from the sentence the quotation opens in: the quotation's own sentences
  // do not push the speaker before it out of reach. (Also for the first person of the previous
  // sentences: 55% right of 22 more statements on train, none of 4 on dev; left out.)
  uint32_t quote_sent = sent;
  if (after_quote) {
    uint32_t q = IsQuoteMarkTok(k - 1) ? k - 1 : k - 2;
    if (q > 0 && quote_of_[q - 1] >= 0 && toks_[q].sentence == toks_[k].sentence)
      quote_sent = std::min(sent, toks_[TokenAt(quotes_[quote_of_[q - 1]].begin)].sentence);
  }
  if (!after_quote) {
    const EntityMention* pick = nullptr;
    auto end = std::lower_bound(mentions_.begin(), mentions_.end(), k,
                                [](const LocalMention& m, uint32_t t) { return m.first < t; });
    for (auto it = end; it != mentions_.begin();) {
      const LocalMention& lm = *--it;
      if (toks_[lm.first].sentence != sent) break;
      if (lm.m->type != EntityType::kPerson || quote_of_[lm.first] >= 0) continue;
      Gender g = GenderOf(lm.m->canonical);
      if (g != want && (g != Gender::kUnknown || !unknown_ok)) continue;
      pick = lm.m;  // keep going back: the first in the sentence wins
    }
    if (pick) {
      sp->mention = pick;
      sp->ref = SpeakerRef::kPronoun;
      sp->first = sp->last = k;
      return true;
    }
  }
  if (last_speaker_ && last_speaker_->type == EntityType::kPerson &&
      quote_sent <= last_speaker_sent_ + 1 && sent >= last_speaker_sent_) {
    Gender g = GenderOf(last_speaker_->canonical);
    if (g == want || (g == Gender::kUnknown && unknown_ok)) {
      sp->mention = last_speaker_;
      sp->ref = SpeakerRef::kPronoun;
      sp->first = sp->last = k;
      return true;
    }
  }
  auto it = std::lower_bound(mentions_.begin(), mentions_.end(), k,
                             [](const LocalMention& m, uint32_t t) { return m.first < t; });
  size_t end_idx = static_cast<size_t>(it - mentions_.begin());
  for (uint32_t target = sent + 1; target-- > 0 && target + 2 >= sent;) {
    const EntityMention* pick = nullptr;
    for (size_t i = end_idx; i-- > 0;) {
      const LocalMention& lm = mentions_[i];
      uint32_t s = toks_[lm.first].sentence;
      if (s < target) break;
      if (s != target || lm.m->type != EntityType::kPerson) continue;
      if (quote_of_[lm.first] >= 0) continue;
      Gender g = GenderOf(lm.m->canonical);
      if (g != want && (g != Gender::kUnknown || !unknown_ok)) continue;
      pick = lm.m;  // keep going back: the first in the sentence wins
    }
    // Two sentences back only when no one else is named in between (in quotations too): "Zoe
    // Amsel replied." between "Robert Amsel spoke." and "He said ..." makes "he" too uncertain
    // (PolNeAR: the statements this left out were right for 50% on train, 33% on dev).
    if (pick && target + 2 == sent) {
      for (size_t i = end_idx; i-- > 0 && pick;) {
        const LocalMention& lm = mentions_[i];
        if (toks_[lm.first].sentence <= target) break;
        if (lm.m->type == EntityType::kPerson && lm.m->canonical != pick->canonical)
          pick = nullptr;
      }
    }
    if (pick) {
      sp->mention = pick;
      sp->ref = SpeakerRef::kPronoun;
      sp->first = sp->last = k;
      return true;
    }
  }
  return false;
}

// A role phrase [first, head]: "the secretary of state", "the minister". Resolved to the latest
// person before it whose title holds every role word.
bool TextAnalysis::ResolveRole(uint32_t first, uint32_t last, Speaker* sp) const {
  std::vector<uint64_t> words;
  bool has_head = false;
  for (uint32_t k = first; k <= last; ++k) {
    if (!Lower(k) && !(toks_[k].flags & kTokUpperInitial)) return false;
    if (RoleFiller().count(toks_[k].fold)) continue;
    has_head = has_head || RoleHeads().count(toks_[k].fold);
    words.push_back(toks_[k].fold);
  }
  if (!has_head || words.size() > 4) return false;
  auto it = std::lower_bound(mentions_.begin(), mentions_.end(), first,
                             [](const LocalMention& m, uint32_t t) { return m.first < t; });
  for (size_t i = static_cast<size_t>(it - mentions_.begin()); i-- > 0;) {
    const LocalMention& lm = mentions_[i];
    if (lm.m->type != EntityType::kPerson) continue;
    bool all = true;
    for (uint64_t w : words)
      all = all && std::find(titles_[i].begin(), titles_[i].end(), w) != titles_[i].end();
    // "the president" is not the vice president, "the minister" not the deputy minister.
    static const HashSet kQualifiers =
        MakeSet({"vice", "deputy", "assistant", "acting", "under", "associate", "lieutenant"});
    for (uint64_t t : titles_[i])
      all =
          all && (!kQualifiers.count(t) || std::find(words.begin(), words.end(), t) != words.end());
    if (!all) continue;
    sp->mention = lm.m;
    sp->ref = SpeakerRef::kRole;
    sp->first = first;
    sp->last = last;
    return true;
  }
  return false;
}

// The length of a time phrase ending at token k ("on Tuesday", "last week", "at the time"),
// 0 when there is none: it may stand between a subject and its cue.
uint32_t TextAnalysis::TimePhraseEnding(uint32_t k, uint32_t sent_first) const {
  static const HashSet kDays =
      MakeSet({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
  static const HashSet kPeriods =
      MakeSet({"week", "month", "year", "night", "weekend", "morning", "afternoon", "evening",
               "spring", "summer", "fall", "autumn", "winter"});
  static const HashSet kWhich = MakeSet({"last", "this", "next", "that", "earlier", "later"});
  static const uint64_t kOn = FoldHash("on"), kAt = FoldHash("at"), kThe = FoldHash("the"),
                        kTime = FoldHash("time");
  if (k <= sent_first || !Lower(k - 1)) return 0;
  if (kDays.count(toks_[k].fold) && Is(k - 1, kOn)) return 2;
  static const uint64_t kPast = FoldHash("past");
  // "this past week", "the past month".
  if (kPeriods.count(toks_[k].fold) && Is(k - 1, kPast) && k >= sent_first + 2 &&
      (Is(k - 2, kThe) || Is(k - 2, FoldHash("this"))))
    return 3;
  if (kPeriods.count(toks_[k].fold) && kWhich.count(toks_[k - 1].fold)) return 2;
  if (Is(k, kTime) && k >= sent_first + 2 && Is(k - 1, kThe) && Is(k - 2, kAt)) return 3;
  // "less than two weeks ago", "a few days ago".
  static const HashSet kAgoWords = MakeSet(
      {"a",     "few",    "several", "couple", "of",   "less",  "more",  "than",  "about", "nearly",
       "two",   "three",  "four",    "five",   "six",  "seven", "eight", "nine",  "ten",   "days",
       "weeks", "months", "years",   "day",    "week", "month", "year",  "hours", "hour"});
  static const uint64_t kAgo = FoldHash("ago");
  if (Is(k, kAgo)) {
    uint32_t j = k;
    while (j > sent_first + 1 && j + 6 > k &&
           ((Lower(j - 1) && kAgoWords.count(toks_[j - 1].fold)) ||
            (toks_[j - 1].flags & kTokHasDigit)))
      --j;
    return j < k ? k - j + 1 : 0;
  }
  return 0;
}

// "the Clinton campaign", "Trump's lawyer", "a Quinnipiac poll" ending at token k: the name
// before a head noun of spokespeople and publications speaks through them.
bool TextAnalysis::HeadNounSpeaker(uint32_t k, uint32_t sent_first, Speaker* sp) const {
  if (k <= sent_first || !SpeakerHeadNoun(k)) return false;
  uint32_t j = k - 1;
  // "the Clinton campaign officials", "Trump's top advisers": up to two lower-case
  // modifiers between the name and the head noun.
  static const HashSet kModifiers =
      MakeSet({"campaign", "top", "senior", "longtime", "former", "chief", "political", "press",
               "legal", "transition", "administration", "policy", "communications", "foreign",
               "economic", "national", "security", "military", "defense"});
  for (int n = 0; n < 2 && j > sent_first && kModifiers.count(toks_[j].fold) && Lower(j); ++n)
    --j;
  if (j > sent_first && IsPossessive(j)) --j;
  if (j < sent_first || !SubjectMention(j, sent_first, sp)) return false;
  static const HashSet kDocuments =
      MakeSet({"poll", "survey", "report", "study", "analysis", "data", "review", "memo"});
  sp->last = k;
  sp->document = kDocuments.count(toks_[k].fold) > 0;
  return true;
}

// The subject before a cue: NAME (has) CUE, PRONOUN CUE, the ROLE CUE, NAME, APPOSITION, CUE.
bool TextAnalysis::SpeakerBefore(uint32_t cue, uint32_t sent_first, bool* negated,
                                 Speaker* sp) const {
  static const uint64_t kThe = FoldHash("the");
  *negated = false;
  if (cue <= sent_first) return false;
  static const HashSet kBe = MakeSet({"is", "was", "were", "are", "been", "being", "be"});
  uint32_t k = cue - 1;
  bool be = false;
  for (int n = 0; n < 5; ++n) {
    if (Negations().count(toks_[k].fold)) {
      *negated = true;
    } else if (uint32_t t = TimePhraseEnding(k, sent_first); t > 0) {
      k -= t - 1;  // "Clinton on Tuesday said", "Trump at the time said"
    } else if (!Auxiliaries().count(toks_[k].fold) && !IsAdverb(k)) {
      break;
    }
    be = be || kBe.count(toks_[k].fold);
    if (k == sent_first) return false;
    --k;
  }
  // A passive cue ("Roof is accused", "Cain was asked") makes its subject no speaker; a
  // progressive one ("she is saying") does not.
  if (be && !(Word(cue).size() > 4 && Word(cue).substr(Word(cue).size() - 3) == "ing"))
    return false;
  if (quote_of_[k] >= 0) return false;
  // "Sen. Bernie Sanders (I-Vt.) said": skip a short parenthesis after the name.
  // ..., "Gov. John Kasich (R-OH), said", "Kasich (who has 25 delegates to date) said".
  if (IsComma(k) && k > sent_first + 2 && Word(k - 1) == ")") --k;
  if (Word(k) == ")" && k > sent_first + 1) {
    uint32_t j = k - 1;
    while (j > sent_first && j + 12 > k && Word(j) != "(") --j;
    if (Word(j) == "(" && j > sent_first && mention_end_[j - 1] >= 0) k = j - 1;
  }
  // "Murphy — after a knock-on-wood gesture — told me": skip a dash parenthesis.
  auto is_dash = [&](uint32_t j) {
    std::string_view w = Word(j);
    return w == "\xE2\x80\x94" || w == "\xE2\x80\x93" || w == "--" || w == "-";
  };
  if (is_dash(k) && k > sent_first + 1) {
    uint32_t j = k - 1;
    while (j > sent_first && j + 25 > k && !is_dash(j) && quote_of_[j] < 0) --j;
    if (is_dash(j) && j > sent_first && mention_end_[j - 1] >= 0) k = j - 1;
  }
  if (SubjectMention(k, sent_first, sp)) return true;
  // "North Korea said", "China warned": a country opening the sentence speaks for its
  // government (an institution of that name), with a verb of speech proper and no modal
  // ("Beijing could declare", "the United States responded by easing sanctions" are none).
  static const HashSet kPlaceCues = MakeSet(
      {"say", "tell", "warn", "accuse", "insist", "announce", "deny", "call for", "call on",
       "urge", "pledge", "vow", "claim", "condemn", "reject", "declare", "demand", "criticise",
       "denounce", "threaten", "confirm", "report", "state", "argue", "promise"});
  static const HashSet kModals =
      MakeSet({"must", "could", "would", "should", "may", "might", "can", "will"});
  bool place_cue = false;
  {
    auto range = Cues().equal_range(toks_[cue].fold);
    for (auto it = range.first; it != range.second && !place_cue; ++it)
      place_cue = kPlaceCues.count(FoldHash(it->second.lemma)) > 0;
    for (uint32_t j = k + 1; j < cue && place_cue; ++j)
      if (kModals.count(toks_[j].fold)) place_cue = false;
  }
  for (const LocalMention& pl : places_) {
    if (!place_cue) break;
    if (pl.last != k) continue;
    uint32_t b = pl.first;
    while (b > sent_first && Determiners().count(toks_[b - 1].fold)) --b;
    // At the sentence start or right after a quotation (`"...," Israel said`), or between
    // commas ("The test, North Korea said, was its biggest yet").
    bool between_commas = b > sent_first && IsComma(b - 1) && IsComma(cue + 1);
    // Or opening a clause after a comma or a conjunction ("More than 20 years ago, the United
    // States pledged that", "; Iran insists"), unless a name stands before it (a list:
    // "Alabama, Georgia and Virginia said"; a place: "Columbia, South Carolina says") or a dash
    // follows the cue (an aside: "but Moscow denies —").
    bool opens_clause = false;
    if (b > sent_first + 1) {
      static const HashSet kClauseOpen = MakeSet({"and", "but", "while", "whereas"});
      uint32_t before = b - 2;
      if (IsComma(before) && before > sent_first) --before;
      bool name_before = mention_end_[before] >= 0 ||
                         std::any_of(places_.begin(), places_.end(),
                                     [&](const LocalMention& o) { return o.last == before; });
      opens_clause = (IsComma(b - 1) || Word(b - 1) == ";" ||
                      kClauseOpen.count(toks_[b - 1].fold) > 0) &&
                     !name_before && !(cue + 1 < toks_.size() && is_dash(cue + 1));
    }
    if ((b != sent_first && !IsQuoteMarkTok(b - 1) && !between_commas && !opens_clause) ||
        quote_of_[pl.first] >= 0)
      break;
    EntityMention em = *pl.m;
    em.type = EntityType::kInstitution;
    extra_places_.push_back(std::move(em));
    sp->mention = &extra_places_.back();
    sp->ref = SpeakerRef::kName;
    sp->first = b;
    sp->last = k;
    return true;
  }
  // "Sen. Bernie Sanders of Vermont called on": a person of a place.
  if ((toks_[k].flags & kTokUpperInitial) && mention_end_[k] < 0) {
    static const uint64_t kOfW = FoldHash("of");
    uint32_t j = k;
    while (j > sent_first && j + 3 > k && (toks_[j - 1].flags & kTokUpperInitial) &&
           mention_end_[j - 1] < 0)
      --j;
    if (j >= sent_first + 2 && Is(j - 1, kOfW) && mention_end_[j - 2] >= 0 &&
        mentions_[mention_end_[j - 2]].m->type == EntityType::kPerson &&
        SubjectMention(j - 2, sent_first, sp)) {
      sp->last = k;
      return true;
    }
  }
  // "Meenakshi Ganguly of Human Rights Watch said": the person, not the organisation.
  if (mention_end_[k] >= 0) {
    static const HashSet kOf = MakeSet({"of", "at", "from", "with"});
    uint32_t b = mentions_[mention_end_[k]].first;
    while (b > sent_first && Determiners().count(toks_[b - 1].fold)) --b;
    if (b >= sent_first + 2 && kOf.count(toks_[b - 1].fold) && mention_end_[b - 2] >= 0 &&
        mentions_[mention_end_[b - 2]].m->type == EntityType::kPerson &&
        SubjectMention(b - 2, sent_first, sp)) {
      sp->last = k;
      return true;
    }
  }
  if (HeadNounSpeaker(k, sent_first, sp)) return true;
  // "a spokesman for the State Department said".
  if (mention_end_[k] >= 0) {
    const LocalMention& lm = mentions_[mention_end_[k]];
    uint32_t b = lm.first;
    while (b > sent_first && Determiners().count(toks_[b - 1].fold)) --b;
    static const uint64_t kFor = FoldHash("for"), kOf = FoldHash("of"), kToW = FoldHash("to");
    if (b >= sent_first + 2 && (Is(b - 1, kFor) || Is(b - 1, kOf) || Is(b - 1, kToW)) &&
        SpeakerHeadNoun(b - 2) && quote_of_[lm.first] < 0) {
      uint32_t h = b - 2;
      while (h > sent_first && (Determiners().count(toks_[h - 1].fold) || Lower(h - 1)) &&
             !Prepositions().count(toks_[h - 1].fold) && h + 4 > b)
        --h;
      if (h == sent_first || !Prepositions().count(toks_[h - 1].fold)) {
        sp->mention = lm.m;
        sp->ref = SpeakerRef::kName;
        sp->first = h;
        sp->last = k;
        return true;
      }
    }
  }
  if (ResolvePronoun(k, sp)) {
    // "he" must start the clause: not "the plan he rejected" (an object clause is fine too).
    return true;
  }
  // the ROLE: scan back to "the" over up to five words.
  for (uint32_t j = k, n = 0; j > sent_first && n < 6; --j, ++n) {
    if (Punct(j) || mention_end_[j] >= 0) break;
    if (toks_[j - 1].fold == kThe) {
      if (j - 1 > sent_first && Prepositions().count(toks_[j - 2].fold)) break;
      if (ResolveRole(j, k, sp)) {
        sp->first = j - 1;
        return true;
      }
      break;
    }
  }
  // NAME, the secretary of state, said / NAME, who ..., said
  // A participle after a comma has the sentence's subject, when there is one, not a name in
  // apposition before it ("Sanders visited NBC to discuss his rival, Hillary Clinton, saying").
  std::string_view cue_word = Word(cue);
  bool participle = cue_word.size() > 4 && cue_word.substr(cue_word.size() - 3) == "ing";
  if (IsComma(k) && k > sent_first && participle && SentenceSubject(sent_first, k, sp)) {
    sp->last = k;
    return true;
  }
  if (IsComma(k) && k > sent_first) {
    uint32_t commas = 0;
    for (uint32_t j = k - 1, n = 0; j > sent_first && n < 28; --j, ++n) {
      // A short quotation may be part of it: `Joe Scarborough, host of MSNBC's "Morning Joe,"
      // suggested`.
      if (quote_of_[j] >= 0) {
        const Quote& Q = quotes_[quote_of_[j]];
        if (Q.end - Q.begin > 40 || Q.open_ended) break;
        continue;
      }
      if (!IsComma(j)) continue;
      if (j == 0) break;
      // Any apposition: "Doug Usher, director of research at Widmeyer, said", "Ki Hong, 33,",
      // "Powell's office, when contacted by Reuters, said".
      {
        if (SubjectMention(j - 1, sent_first, sp)) {
          sp->last = k;
          return true;
        }
        // "Rep. Jim Jordan (R-Ohio), an oversight panel member, said": over a parenthesis.
        if (Word(j - 1) == ")") {
          uint32_t o = j - 1;
          while (o > sent_first && o + 12 > j && Word(o) != "(") --o;
          if (Word(o) == "(" && o > sent_first && SubjectMention(o - 1, sent_first, sp)) {
            sp->last = k;
            return true;
          }
        }
      }
      ++commas;
      // "the spokesman, Viktor Sorel, said"; but that name may be an apposition's own
      // apposition ("Vian, the editor of the Vatican's newspaper, L'Osservatore Romano,
      // said"): a person before an earlier comma is the subject then.
      if (mention_end_[k - 1] >= 0 && mention_start_[j + 1] == mention_end_[k - 1]) {
        const LocalMention& lm = mentions_[mention_end_[k - 1]];
        if (j > sent_first + 1 && Lower(j - 1)) {
          Speaker earlier;
          bool found_earlier = false;
          for (uint32_t i = j - 1, m = 0; i > sent_first && m < 20 && !found_earlier; --i, ++m)
            if (IsComma(i) && quote_of_[i] < 0 && SubjectMention(i - 1, sent_first, &earlier) &&
                earlier.mention->type == EntityType::kPerson)
              found_earlier = true;
          if (found_earlier) {
            *sp = earlier;
            sp->last = k;
            return true;
          }
        }
        sp->mention = lm.m;
        sp->ref = SpeakerRef::kName;
        sp->first = j + 1;
        sp->last = k;
        return true;
      }
      if (HeadNounSpeaker(j - 1, sent_first, sp)) {
        sp->last = k;
        return true;
      }
      // Two appositions ("Scott Pruitt, the attorney general of Oklahoma, one of the states
      // suing, said"): a person before the comma before.
      if (commas > 1) break;
      Speaker earlier;
      for (uint32_t i = j - 1, m = 0; i > sent_first + 1 && m < 16; --i, ++m) {
        if (quote_of_[i] >= 0 || !IsComma(i)) continue;
        if (SubjectMention(i - 1, sent_first, &earlier) &&
            earlier.mention->type == EntityType::kPerson) {
          *sp = earlier;
          sp->last = k;
          return true;
        }
        break;
      }
      break;
    }
    // "Clinton, 35, the daughter of ..., said": the subject that opens the sentence.
    if (SentenceSubject(sent_first, k, sp)) {
      sp->last = k;
      return true;
    }
  }
  // "Graham called both "crazy" and said ...": the subject of the sentence.
  static const uint64_t kAnd = FoldHash("and");
  // Only a finite verb ("and said", "and warns"), not an infinitive ("needs to sell and tell").
  std::string_view cw = Word(cue);
  bool finite = cw.size() > 3 && (cw.substr(cw.size() - 2) == "ed" || cw.back() == 's' ||
                                  cw == "said" || cw == "told" || cw == "wrote");
  static const uint64_t kBut = FoldHash("but");
  if (finite && (Is(k, kAnd) || Is(k, kBut)) && k > sent_first &&
      SentenceSubject(sent_first, k, sp))
    return true;
  return false;
}

// The name (or he/she) that opens the sentence, after an optional introductory phrase ending
// in a comma ("In Kentucky, Trump ...") and a conjunction ("But Ramos ..."), followed by a
// comma or a lower-case word that is not a preposition; before token `limit`.
bool TextAnalysis::SentenceSubject(uint32_t sent_first, uint32_t limit, Speaker* sp) const {
  static const HashSet kConj = MakeSet({"but", "and", "so", "yet", "still", "then", "now"});
  std::vector<uint32_t> starts = {sent_first};
  // After up to three introductory commas ("At a campaign event in Ames, Iowa, on Sunday,
  // Mrs. Clinton ...").
  for (uint32_t j = sent_first; j < limit && j < sent_first + 16 && starts.size() < 4; ++j)
    if (IsComma(j) && quote_of_[j] < 0) starts.push_back(j + 1);
  // After a dateline: "WASHINGTON (AFP) – Hillary Clinton has ...".
  for (uint32_t j = sent_first; j < limit && j < sent_first + 8; ++j) {
    std::string_view w = Word(j);
    if (w == "\xE2\x80\x93" || w == "\xE2\x80\x94" || w == "-" || w == "--") {
      starts.push_back(j + 1);
      break;
    }
  }
  for (uint32_t f : starts) {
    while (f < limit && (kConj.count(toks_[f].fold) || IsQuoteMarkTok(f))) ++f;
    uint32_t g = f;
    while (g < limit && Determiners().count(toks_[g].fold)) ++g;
    // "He echoed the promise on Monday, saying ...": a pronoun subject.
    if (g == f && f + 1 <= limit && f + 1 < toks_.size() && Lower(f + 1) && ResolvePronoun(f, sp))
      return true;
    // Title words before the name ("Rep. Tom Cole", "Texas delegate Bill Eastland").
    uint32_t h = g;
    // Not across a preposition: "the justice sounded off on Trump, saying" is no title.
    static const HashSet kTitleStops =
        MakeSet({"on", "at", "about", "against", "into", "over", "from", "in"});
    // Nor across a pronoun subject: in "Meanwhile, it attacked Trump, saying" Trump is none.
    static const HashSet kSubjectPronouns =
        MakeSet({"it", "they", "we", "i", "you", "he", "she", "this", "who", "which"});
    while (h < limit && h < g + 4 && mention_start_[h] < 0 && !Punct(h) && quote_of_[h] < 0 &&
           !RoleStops().count(toks_[h].fold) && (h == g || !kTitleStops.count(toks_[h].fold)) &&
           !kSubjectPronouns.count(toks_[h].fold))
      ++h;
    if (h >= limit || quote_of_[h] >= 0) continue;
    if (mention_start_[h] >= 0) {
      const LocalMention* lmp = &mentions_[mention_start_[h]];
      // "Rubio press secretary Brooke Sammon ...": a name in the title of a person who follows.
      for (uint32_t t = lmp->last + 1; t < limit && t < lmp->last + 5; ++t) {
        if (Punct(t) || quote_of_[t] >= 0 || Prepositions().count(toks_[t].fold) ||
            RoleStops().count(toks_[t].fold))
          break;
        if (mention_start_[t] >= 0) {
          const LocalMention& next = mentions_[mention_start_[t]];
          if (next.m->type == EntityType::kPerson && t > lmp->last + 1 &&
              RoleHeads().count(toks_[t - 1].fold))
            lmp = &next;
          break;
        }
      }
      const LocalMention& lm = *lmp;
      uint32_t n = lm.last + 1;
      // "Donald Trump on Thursday ratcheted up his attacks on Rubio, saying ...": a time
      // phrase may stand between the subject and its verb.
      for (uint32_t len = 2; len <= 3; ++len)
        if (lm.last + len < limit && TimePhraseEnding(lm.last + len, lm.last + 1) == len) {
          n = lm.last + len + 1;
          break;
        }
      if (n >= limit + 1) continue;
      bool ok =
          n <= limit &&
          (IsComma(n) ||
           (Lower(n) && toks_[n].fold != FoldHash("'s") && !Prepositions().count(toks_[n].fold)) ||
           Is(n, FoldHash("of")) || Word(n) == "(");
      // "The GOP nominee complained ..., suggesting": the name modifies a role, the role's
      // holder is the subject (unresolved here).
      if (!ok || (Lower(n) && RoleHeads().count(toks_[n].fold))) continue;
      sp->mention = lm.m;
      sp->ref = SpeakerRef::kName;
      sp->first = f;
      sp->last = lm.last;
      return true;
    }
    if (h == f && ResolvePronoun(f, sp) && f + 1 <= limit) return true;
  }
  return false;
}

// The first name inside the noun phrase after "according to": "a report in the Des Moines
// Register", "the latest Quinnipiac University poll", "Clinton's spokesman". Stops at
// punctuation and at words that make the name a topic rather than the source ("people
// familiar with Clinton's thinking").
bool TextAnalysis::SourceInPhrase(uint32_t k, uint32_t sent_end, Speaker* sp) {
  static const HashSet kStops =
      MakeSet({"familiar", "close", "with", "about", "to", "against", "on", "that", "who", "which",
               "whom", "near", "and", "or", "than", "like", "over", "toward", "towards"});
  // Capitalised words that name no source: dates and sentence openers.
  static const HashSet kNotSources = MakeSet(
      {"january",    "february",   "march",   "april",    "may",      "june",      "july",
       "august",     "september",  "october", "november", "december", "jan",       "feb",
       "mar",        "apr",        "jun",     "jul",      "aug",      "sep",       "sept",
       "oct",        "nov",        "dec",     "monday",   "tuesday",  "wednesday", "thursday",
       "friday",     "saturday",   "sunday",  "the",      "a",        "an",        "this",
       "that",       "these",      "those",   "his",      "her",      "their",     "its",
       "our",        "i",          "he",      "she",      "they",     "we",        "it",
       "democratic", "republican", "federal", "state",    "national", "american",  "u.s",
       "u.s.",       "us",         "new"});
  uint32_t cap = UINT32_MAX;  // first capitalised word the entity extractor left alone
  uint32_t j = k;
  for (uint32_t n = 0; j < sent_end && n < 14; ++j, ++n) {
    if (quote_of_[j] >= 0 || (Punct(j) && !IsPossessive(j)) || kStops.count(toks_[j].fold)) break;
    if (mention_start_[j] >= 0) {
      const LocalMention& lm = mentions_[mention_start_[j]];
      sp->mention = lm.m;
      sp->ref = SpeakerRef::kName;
      sp->first = k;
      sp->last = lm.last;
      return true;
    }
    if (cap == UINT32_MAX && (toks_[j].flags & kTokUpperInitial) && !covered_[j] &&
        !kNotSources.count(toks_[j].fold) && !(toks_[j].flags & kTokHasDigit))
      cap = j;
  }
  // "according to Variety", "a yearly Gallup poll": a source the extractor missed, as
  // written (an institution: people are nearly always found by the extractor).
  if (cap == UINT32_MAX) return false;
  uint32_t e = cap;
  while (e + 1 < j && e < cap + 3 && (toks_[e + 1].flags & kTokUpperInitial) && !covered_[e + 1] &&
         !kNotSources.count(toks_[e + 1].fold))
    ++e;
  EntityMention em;
  em.type = EntityType::kInstitution;
  em.in_title = in_title_;
  em.begin = toks_[cap].begin;
  em.end = toks_[e].end;
  em.canonical = std::string(text_.substr(em.begin, em.end - em.begin));
  extra_.push_back(std::move(em));
  sp->mention = &extra_.back();
  sp->ref = SpeakerRef::kName;
  sp->first = k;
  sp->last = e;
  return true;
}

// The subject after an inverted cue: `," said Blinken`, `," said the spokesman`, "according to X".
bool TextAnalysis::SpeakerAfter(uint32_t k, uint32_t sent_end, Speaker* sp) const {
  // The first token from `p` (before `limit`) that is not a lower-case title word ("top
  // foreign policy aide", "strategist"): no name, preposition, cue or role stop.
  auto skip_title_words = [&](uint32_t p, uint32_t limit) {
    while (p < sent_end && p < limit && Lower(p) && mention_start_[p] < 0 &&
           !Prepositions().count(toks_[p].fold) && !Cues().count(toks_[p].fold) &&
           !RoleStops().count(toks_[p].fold))
      ++p;
    return p;
  };
  static const uint64_t kThe = FoldHash("the");
  if (k >= sent_end) return false;
  // Skip title words before the name: "said Secretary of State Antony Blinken".
  for (uint32_t j = k, n = 0; j < sent_end && n < 5; ++j, ++n) {
    if (mention_start_[j] >= 0) {
      const LocalMention& lm = mentions_[mention_start_[j]];
      if (quote_of_[lm.first] >= 0) return false;
      // The name must not be the owner of the subject ("said Clinton's spokesman"), unless a
      // person's name follows ("noted NBC's Dante Chinni").
      if (lm.last + 1 < sent_end && Word(lm.last + 1) != "," && Word(lm.last + 1) != "." &&
          toks_[lm.last + 1].fold == FoldHash("'s")) {
        // Lower-case title words may stand between ("said Clinton's top foreign policy aide
        // Jake Sullivan").
        const uint32_t p = skip_title_words(lm.last + 2, lm.last + 7);
        if (p < sent_end && mention_start_[p] >= 0 &&
            mentions_[mention_start_[p]].m->type == EntityType::kPerson &&
            (p == lm.last + 2 || mentions_[mention_start_[p]].last + 1 >= sent_end ||
             Punct(mentions_[mention_start_[p]].last + 1))) {
          const LocalMention& pm = mentions_[mention_start_[p]];
          sp->mention = pm.m;
          sp->ref = SpeakerRef::kName;
          sp->first = k;
          sp->last = pm.last;
          return true;
        }
        return false;
      }
      // An institution that is part of a person's title ("said House Speaker Paul Ryan",
      // "said Fox News host Sean Hannity"): the person further on speaks.
      uint32_t after = lm.last + 1;
      if (lm.m->type == EntityType::kInstitution && after < sent_end && !Punct(after) &&
          ((toks_[after].flags & kTokUpperInitial) || RoleHeads().count(toks_[after].fold))) {
        j = lm.last;
        continue;
      }
      // ... or lower-case title words and then the person ("said Republican party boss Reince
      // Priebus", "said GOP strategist Keith Nahigian").
      if (lm.m->type == EntityType::kInstitution) {
        const uint32_t p = skip_title_words(after, after + 3);
        if (p > after && p < sent_end && mention_start_[p] >= 0 &&
            mentions_[mention_start_[p]].m->type == EntityType::kPerson) {
          j = p - 1;
          continue;
        }
      }
      sp->mention = lm.m;
      sp->ref = SpeakerRef::kName;
      sp->first = k;
      sp->last = lm.last;
      return true;
    }
    // Not "argue that Francis is": a clause opener after the cue ends the search.
    static const HashSet kClauseOpeners =
        MakeSet({"that", "whether", "if", "how", "what", "why", "when", "it", "this", "he", "she",
                 "they", "we", "i", "you", "there"});
    if (Punct(j) || (j == k && kClauseOpeners.count(toks_[j].fold)) ||
        (j > k && Lower(j) && !RoleHeads().count(toks_[j].fold) &&
         !RoleFiller().count(toks_[j].fold)))
      break;
  }
  // "said Democratic strategist Hank Sheinkopf.", "said lobbyist and GOP strategist Charlie
  // Black,": other words of a title, when the name ends the subject.
  // The name may be followed by a place or time ("said undecided voter Stephanie Hooton of
  // Derry", "says political scientist Dossym Satpayev in Almaty", "said ... during the debate"),
  // and "of" may join title words ("said former secretary of state Hillary Clinton").
  static const HashSet kAfterName =
      MakeSet({"in", "of", "at", "during", "from", "on", "after", "before", "while"});
  static const uint64_t kOfW = FoldHash("of");
  for (uint32_t j = k, n = 0; j < sent_end && n < 7; ++j, ++n) {
    bool title_of = Is(j, kOfW) && j > k && RoleHeads().count(toks_[j - 1].fold);
    if (Punct(j) || quote_of_[j] >= 0 || (Prepositions().count(toks_[j].fold) && !title_of) ||
        RoleStops().count(toks_[j].fold) || Negations().count(toks_[j].fold) ||
        Cues().count(toks_[j].fold) || IsPossessive(j))
      break;
    if (mention_start_[j] < 0) continue;
    const LocalMention& lm = mentions_[mention_start_[j]];
    if (lm.m->type != EntityType::kPerson) break;
    uint32_t n2 = lm.last + 1;
    if (n2 < sent_end && !Punct(n2) && !kAfterName.count(toks_[n2].fold)) break;
    if (n2 < sent_end && IsPossessive(n2)) break;
    sp->mention = lm.m;
    sp->ref = SpeakerRef::kName;
    sp->first = k;
    sp->last = lm.last;
    return true;
  }
  if (ResolvePronoun(k, sp)) return true;
  if (toks_[k].fold == kThe) {
    uint32_t last = k + 1;
    while (last + 1 < sent_end && last < k + 5 && !Punct(last + 1) &&
           !RoleStops().count(toks_[last + 1].fold) && !Negations().count(toks_[last + 1].fold))
      ++last;
    // Shrink to the longest phrase that resolves.
    for (uint32_t e = last; e > k; --e) {
      if (!RoleHeads().count(toks_[e].fold) && e != last) continue;
      if (ResolveRole(k + 1, e, sp)) {
        sp->first = k;
        return true;
      }
    }
  }
  return false;
}

void TextAnalysis::SetText(Statement* st) const {
  st->text = std::string(text_.substr(st->begin, st->end - st->begin));
  st->topics.clear();
  for (const EntityMention* t : topics_) {
    if (t->begin < st->begin || t->end > st->end) continue;
    if (std::find(st->topics.begin(), st->topics.end(), t->canonical) == st->topics.end())
      st->topics.push_back(t->canonical);
  }
}

// Fills text spans: direct when a quotation is attached to the cue (`"...," X said`,
// `X said: "..."`, `"A," X said, "B."`), else the sentence with the reported clause as content.
void TextAnalysis::Build(const Sentence& s, uint32_t cue, uint32_t cue_last, bool inverted,
                         std::string_view lemma, const Speaker& sp, Statement* st) {
  static const uint64_t kThat = FoldHash("that");
  st->speaker = sp.mention->canonical;
  st->speaker_type = sp.mention->type;
  st->speaker_ref = sp.ref;
  st->cue = std::string(lemma);
  st->in_title = in_title_;
  st->begin = s.begin;
  st->end = s.end;
  uint32_t group_first = std::min(sp.first, cue);
  uint32_t group_last = std::max(sp.last, cue_last);

  // A quotation closing right before the group (only punctuation between).
  int before = -1, after = -1;
  for (size_t q = 0; q < quotes_.size(); ++q) {
    const Quote& Q = quotes_[q];
    if (Q.used) continue;
    if (Q.end <= toks_[group_first].begin && !Q.open_ended) {
      bool gap_ok = true;
      // Not across a paragraph break: that quotation belongs to the paragraph before.
      for (size_t i = Q.close_end; i < toks_[group_first].begin && gap_ok; ++i)
        if ((!IsSpaceByte(text_[i]) && text_[i] != ',' && text_[i] != '-' && text_[i] != '\'' &&
             text_[i] != '\xE2' &&
             text_[i] != '\x80' && text_[i] != '\x94' && text_[i] != '\x93') ||
            text_[i] == '\n')
          gap_ok = false;
      // The quotation must open a sentence, not sit inside one ("called it 'naive,' she said").
      bool opens = Q.mark == 0;
      if (!opens) {
        size_t i = Q.mark;
        while (i > 0 && IsSpaceByte(text_[i - 1])) --i;
        opens = i == 0 || text_[i - 1] == '\n' || text_[i - 1] == '.' || text_[i - 1] == '?' ||
                text_[i - 1] == '!' || text_[i - 1] == ':' || text_[i - 1] == '(' || (Q.mark > i) ||
                Q.mark <= s.begin;
        if (i > 0 && (text_[i - 1] == '"' || text_[i - 1] == '\x9D')) opens = true;
      }
      if (gap_ok && opens && Q.close_end <= toks_[group_first].begin) before = static_cast<int>(q);
    }
    if (Q.mark >= toks_[group_last].end && after < 0) {
      // `X said: "..."`, `"A," X said, "B."`; up to three words between ("told reporters:").
      size_t gap_words = 0;
      bool gap_ok = true;
      for (uint32_t j = group_last + 1; j < toks_.size() && toks_[j].begin < Q.mark; ++j) {
        if (Word(j) == ":" || Word(j) == ",") continue;
        if (++gap_words > 3 || Punct(j)) gap_ok = false;
      }
      size_t i = Q.mark;
      while (i > 0 && IsSpaceByte(text_[i - 1])) --i;
      bool colon_or_comma = i > 0 && (text_[i - 1] == ':' || text_[i - 1] == ',');
      if (gap_ok && colon_or_comma && toks_[group_last].end <= Q.mark &&
          (before >= 0 || text_[i - 1] == ':' || gap_words == 0))
        after = static_cast<int>(q);
      if (Q.mark >= toks_[group_last].end) break;
    }
  }
  if (before >= 0 || after >= 0) {
    st->direct = true;
    const Quote& first = quotes_[before >= 0 ? before : after];
    const Quote& last = quotes_[after >= 0 ? after : before];
    st->content_begin = first.begin;
    st->content_end = last.end;
    st->begin = std::min(st->begin, first.mark);
    st->end = std::max(st->end, last.close_end);
    if (before >= 0) quotes_[before].used = true;
    if (after >= 0) quotes_[after].used = true;
    SetText(st);
    return;
  }
  // "In a speech last July, he said:" closing its paragraph: what was said is the next
  // paragraph (a block quotation without marks).
  if (!inverted && group_last + 2 == s.end_token && Word(group_last + 1) == ":") {
    size_t nl = text_.find('\n', toks_[group_last + 1].end);
    bool alone = nl != std::string_view::npos;
    for (size_t i = toks_[group_last + 1].end; alone && i < nl; ++i) alone = IsSpaceByte(text_[i]);
    size_t b = nl;
    while (alone && b < text_.size() && IsSpaceByte(text_[b])) ++b;
    if (alone && b < text_.size()) {
      size_t e = text_.find('\n', b);
      if (e == std::string_view::npos) e = text_.size();
      while (e > b && IsSpaceByte(text_[e - 1])) --e;
      st->content_begin = b;
      st->content_end = e;
      st->end = e;
      SetText(st);
      return;
    }
  }
  // Reported speech: the clause after the cue (after "that"), else the words before the
  // attribution ("Trade will grow, Varga said.").
  uint32_t c = group_last + 1;
  for (uint32_t j = c; j < s.end_token && j < c + 4; ++j)
    if (toks_[j].fold == kThat) {
      c = j + 1;
      break;
    }
  while (c < s.end_token && Punct(c) && !IsQuoteMarkTok(c)) ++c;
  uint32_t e = s.end_token;
  while (e > c && Punct(e - 1) && !IsQuoteMarkTok(e - 1)) --e;
  if (c < e && !inverted) {
    st->content_begin = toks_[c].begin;
    st->content_end = toks_[e - 1].end;
  } else if (group_first > s.first_token) {
    uint32_t b = s.first_token;
    uint32_t f = group_first;
    while (f > b && Punct(f - 1)) --f;
    if (f > b) {
      st->content_begin = toks_[b].begin;
      st->content_end = toks_[f - 1].end;
    }
  }
  if (st->content_end <= st->content_begin) {
    st->content_begin = s.begin;
    st->content_end = s.end;
  }
  // A sentence inside a quotation that spans sentences: widen to the quotation.
  for (const Quote& Q : quotes_) {
    if (Q.begin <= st->content_begin && Q.end >= st->content_end && Q.end > Q.begin &&
        (Q.begin < s.begin || Q.end > s.end)) {
      st->begin = std::min(st->begin, Q.mark);
      st->end = std::max(st->end, Q.close_end);
    }
  }
  SetText(st);
}

// ---- Learned cues ----------------------------------------------------------------------------

constexpr uint32_t kCueFeatureVersion = 2;
constexpr char kCueMagic[8] = {'D', 'S', 'C', 'U', 'E', 0, 0, 1};

constexpr uint64_t kCueWordFeature = 2;  // the word's fold: StatementCueModel::MayAccept

uint32_t CueBucket(uint64_t kind, uint64_t a, uint64_t b = 0) {
  uint64_t h = FoldSeqHash(FoldSeqHash(kind * 0x9e3779b97f4a7c15ULL + 1, a), b);
  return static_cast<uint32_t>(h >> (64 - kCueModelBits));
}

// The tagger's context keys of word k (indices into StatementCueModel's tag table): the word;
// the word and the next; the previous and the word; the classes of its neighbours (capitalised,
// lower case, the punctuation itself, none) around the word; its last three letters and the
// next word. scripts/train-statement-cues counts them on PolNeAR's cue spans.
void TextAnalysis::TagKeys(const Sentence& s, uint32_t k, uint32_t* keys) const {
  static const uint64_t kNone = FoldHash("<none>"), kCapC = FoldHash("<cap>"),
                        kLowC = FoldHash("<low>");
  auto fold = [&](uint32_t j) {
    return j < s.first_token || j >= s.end_token ? kNone : toks_[j].fold;
  };
  auto cls = [&](uint32_t j) -> uint64_t {
    if (j < s.first_token || j >= s.end_token) return kNone;
    if (toks_[j].flags & kTokUpperInitial) return kCapC;
    if (toks_[j].flags & kTokHasLetter) return kLowC;
    return toks_[j].fold;
  };
  auto key = [](uint64_t kind, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t h = FoldSeqHash(FoldSeqHash(FoldSeqHash(kind * 0x9e3779b97f4a7c15ULL + 1, a), b), c);
    return static_cast<uint32_t>(h >> (64 - kCueTagBits));
  };
  std::string w;
  AppendFolded(Word(k), &w);
  uint64_t suffix =
      FoldHash(w.size() > 3 ? std::string_view(w).substr(w.size() - 3) : std::string_view(w));
  uint64_t fw = toks_[k].fold, next = fold(k + 1), prev = fold(k - 1);
  keys[0] = key(40, fw, 0, 0);
  keys[1] = key(41, fw, next, 0);
  keys[2] = key(42, prev, fw, 0);
  keys[3] = key(43, cls(k - 1), fw, cls(k + 1));
  keys[4] = key(44, suffix, next, 0);
}

// The features of word k as the cue of speaker sp: the word, its crude stem and ending, its
// neighbours, how the speaker is referred to and how far it stands, and (with `tagger`) the
// tagger's bins for its contexts. Returns their count.
int TextAnalysis::CueFeatures(const Sentence& s, uint32_t k, const Speaker& sp,
                              size_t statements_in_sentence, uint32_t sentence_cues,
                              bool any_quote, const StatementCueModel* tagger,
                              uint32_t* out) const {
  static const uint64_t kEnd = FoldHash("<end>"), kQ = FoldHash("<quote>"),
                        kName = FoldHash("<name>"), kCap = FoldHash("<cap>"),
                        kNum = FoldHash("<num>"), kThat = FoldHash("that"), kTo = FoldHash("to");
  int n = 0;
  auto add = [&](uint64_t kind, uint64_t a, uint64_t b = 0) {
    if (n < kMaxCueFeatures) out[n++] = CueBucket(kind, a, b);
  };
  auto cls = [&](uint32_t j) -> uint64_t {
    if (j >= s.end_token || j < s.first_token) return kEnd;
    if (IsQuoteMarkTok(j) || quote_of_[j] >= 0) return kQ;
    if (mention_start_[j] >= 0 || mention_end_[j] >= 0) return kName;
    if (toks_[j].flags & kTokUpperInitial) return kCap;
    if ((toks_[j].flags & kTokHasDigit) && !(toks_[j].flags & kTokHasLetter)) return kNum;
    return toks_[j].fold;
  };
  std::string w;
  AppendFolded(Word(k), &w);
  std::string stem = w;
  auto cut = [&](std::string_view suf, std::string_view with, size_t min) {
    if (stem.size() >= min + suf.size() && stem.compare(stem.size() - suf.size(), suf.size(),
                                                         suf.data(), suf.size()) == 0) {
      stem.resize(stem.size() - suf.size());
      stem.append(with);
      return true;
    }
    return false;
  };
  cut("ies", "y", 2) || cut("ied", "y", 2) || cut("ing", "", 3) || cut("ed", "", 3) ||
      cut("es", "", 4) || (stem.size() > 3 && stem.back() != 's' && cut("s", "", 3));
  uint64_t fw = toks_[k].fold, fs = FoldHash(stem);
  uint64_t ref = static_cast<uint64_t>(sp.ref) * 4 + static_cast<uint64_t>(sp.mention->type) +
                 (sp.document ? 64 : 0);
  uint64_t n1 = cls(k + 1), n2 = cls(k + 2), p1 = cls(k - 1);
  bool lexicon = Cues().count(fw) > 0;
  uint32_t gap = k - sp.last;
  add(1, 0);
  add(kCueWordFeature, fw);
  add(3, fs);
  add(4, FoldHash(w.size() > 3 ? std::string_view(w).substr(w.size() - 3) : std::string_view(w)));
  add(5, n1);
  add(6, n2);
  add(7, fw, n1);
  add(8, fs, n1);
  add(9, p1);
  add(10, ref);
  add(11, fs, ref);
  add(12, std::min<uint32_t>(gap, 6));
  add(13, fs, std::min<uint32_t>(gap, 3));
  add(14, lexicon);
  add(15, sp.first == s.first_token);
  bool that = false, to = false, quote = false;
  for (uint32_t j = k + 1; j < s.end_token && j <= k + 3; ++j) {
    that = that || (Is(j, kThat) && !DemonstrativeThat(j, s));
    to = to || Is(j, kTo);
  }
  for (uint32_t j = k + 1; j < s.end_token && !quote; ++j) quote = quote_of_[j] >= 0;
  add(16, that * 4 + to * 2 + quote);
  add(17, fs, that * 4 + to * 2 + quote);
  add(18, fw, n2);
  add(19, std::min<uint32_t>(k - s.first_token, 12));
  add(20, std::min<uint32_t>((s.end_token - k) / 4, 8));
  add(21, p1, fs);
  // The sentence around it: statements already found, a cue of the lexicon elsewhere, a
  // quotation anywhere, the word before the subject.
  bool lex_cue = sentence_cues > (lexicon ? 1u : 0u);
  add(22, std::min<size_t>(statements_in_sentence, 2) * 4 + lex_cue * 2 + any_quote);
  add(23, fs, lex_cue * 2 + any_quote);
  add(24, sp.first > s.first_token ? cls(sp.first - 1) : kEnd);
  add(25, fw, ref);
  add(26, IsPossessive(k - 1) || Determiners().count(toks_[k - 1].fold));
  // The tagger (feature version 2). The trainer adds these itself (its counts are cross-fitted).
  if (tagger) {
    uint32_t keys[kCueTagKeys];
    TagKeys(s, k, keys);
    for (int i = 0; i < kCueTagKeys; ++i) add(30 + i, tagger->TagBin(keys[i]));
  }
  return n;
}

// "that" at j is a determiner, not a clause opener: a lower-case word follows it and then a
// preposition, a determiner, punctuation or the sentence end ("signed that bill on Monday",
// "that day."; not "that voters are", "that the talks").
bool TextAnalysis::DemonstrativeThat(uint32_t j, const Sentence& s) const {
  static const HashSet kClause =
      MakeSet({"the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "there", "his",
               "her", "their", "its", "this", "these", "those", "if", "when", "while", "because",
               "our", "my", "your", "in", "as", "even", "such", "more", "most", "some", "many",
               "no", "all", "not", "only", "both"});
  if (j + 1 >= s.end_token || !Lower(j + 1) || kClause.count(toks_[j + 1].fold)) return false;
  if (j + 2 >= s.end_token) return true;
  return Punct(j + 2) || Prepositions().count(toks_[j + 2].fold) ||
         Determiners().count(toks_[j + 2].fold);
}

// A cheap test run before SpeakerBefore on every word: the word before k (over auxiliaries,
// adverbs and negations) is one SpeakerBefore can start from (a name, a capitalised word,
// punctuation, he/she, and/but, a head or role noun).
bool TextAnalysis::MaySpeakBefore(uint32_t k, uint32_t sent_first) const {
  static const HashSet kOpen = MakeSet({"he", "she", "and", "but"});
  uint32_t j = k - 1;
  for (int n = 0; n < 5 && j > sent_first; ++n, --j) {
    uint64_t f = toks_[j].fold;
    if (uint32_t t = TimePhraseEnding(j, sent_first); t > 1) {
      j -= t - 1;
    } else if (!Negations().count(f) && !Auxiliaries().count(f) && !IsAdverb(j) && t == 0) {
      break;
    }
  }
  return mention_end_[j] >= 0 || !Lower(j) || kOpen.count(toks_[j].fold) || SpeakerHeadNoun(j) ||
         RoleHeads().count(toks_[j].fold);
}

// Words outside the lexicon whose subject the speaker finder accepts, kept when the learned
// model scores them as attributions (or recorded for the trainer). Such a statement's cue is
// the word as written, lower-cased ("refused", "thinks").
void TextAnalysis::LearnedCues(const Sentence& s, uint32_t outer_that, uint32_t relative_end,
                               std::vector<std::string>* speakers, std::vector<size_t>* cue_at,
                               std::vector<const EntityMention*>* who,
                               std::vector<Statement>* out) {
  static const HashSet kSkip =
      MakeSet({"and", "but", "or", "nor", "who", "which", "that", "this", "these", "those",
               "what", "when", "where", "while", "whether", "if", "because", "so", "than",
               "there", "here", "his", "her", "its", "their", "our", "my", "your", "he", "she",
               "they", "it", "we", "you", "him", "them", "us", "me", "i", "not"});
  // Only in sentences where the rules found no statement: next to one, a name before a noun
  // is most often part of the speaker's title or apposition ("Clinton campaign spokesman
  // Brian Fallon said", "Erin Murphy, a former Clinton aide, said"), which the rules give to
  // the person.
  if (!speakers->empty()) return;
  uint32_t feats[kMaxCueFeatures];
  std::vector<bool> used;
  uint32_t sentence_cues = 0;  // lexicon words outside quotations (counted at the first
  bool any_quote = false;      // candidate)
  bool counted = false;
  for (uint32_t k = s.first_token + 1; k < s.end_token; ++k) {
    if (!Lower(k) || quote_of_[k] >= 0 || toks_[k].end - toks_[k].begin < 3) continue;
    if (!candidates_ && !cue_model_->MayAccept(CueBucket(kCueWordFeature, toks_[k].fold)))
      continue;
    if (k > outer_that) break;
    if (relative_end != UINT32_MAX && k < relative_end) continue;
    uint64_t f = toks_[k].fold;
    if (kSkip.count(f) || Auxiliaries().count(f) || Negations().count(f) ||
        Prepositions().count(f) || Determiners().count(f) || IsAdverb(k))
      continue;
    // Lexicon words the rules rejected in context stay rejected ("called" without a
    // quotation, "When Blinken opposed the sanctions", "railed the fence"): trained on
    // PolNeAR's cue spans the model would take them back (they are cues there most of the
    // time), against the rules' measured choices.
    if (Cues().count(f)) continue;
    // Followers are not the person they follow ("Weingarten, a longtime Clinton supporter,
    // said", "Clinton allies are hoping"), as counted members are not their party.
    // (Allies and surrogates speak for their principal, as in the rules' SpeakerHeads.)
    static const HashSet kFollowers = MakeSet(
        {"supporter", "supporters", "backer", "backers", "fan", "fans", "donor", "donors",
         "voter", "voters", "delegate", "delegates", "loyalist", "loyalists", "critic",
         "critics", "opponent", "opponents", "friend", "friends", "volunteer", "volunteers"});
    if (kFollowers.count(f)) continue;
    // A head noun before the name of someone who speaks in this sentence is part of that
    // name's title ("Blinken spokesman Matthew Miller ... said").
    if ((SpeakerHeadNoun(k) || RoleHeads().count(f)) && k + 1 < s.end_token &&
        mention_start_[k + 1] >= 0 &&
        std::find(speakers->begin(), speakers->end(),
                  mentions_[mention_start_[k + 1]].m->canonical) != speakers->end())
      continue;
    if (!MaySpeakBefore(k, s.first_token)) continue;
    Speaker sp;
    bool negated = false;
    if (!SpeakerBefore(k, s.first_token, &negated, &sp) || negated) continue;
    if (std::find(speakers->begin(), speakers->end(), sp.mention->canonical) != speakers->end())
      continue;
    if (CountedMembers(s, sp)) continue;
    if (!counted) {
      for (uint32_t j = s.first_token; j < s.end_token; ++j) {
        any_quote = any_quote || quote_of_[j] >= 0;
        if (quote_of_[j] < 0 && Lower(j) && Cues().count(toks_[j].fold)) ++sentence_cues;
      }
      counted = true;
    }
    int nf = CueFeatures(s, k, sp, speakers->size(), sentence_cues, any_quote,
                         candidates_ ? nullptr : cue_model_, feats);
    if (!candidates_ && cue_model_->Score(feats, nf) < cue_model_->threshold()) continue;
    std::string folded;
    AppendFolded(Word(k), &folded);
    const std::string lemma = CueVerbLemma(folded);
    if (candidates_) {
      used.clear();
      for (const Quote& q : quotes_) used.push_back(q.used);
      CueCandidate c;
      Build(s, k, k, false, lemma, sp, &c.statement);
      for (size_t q = 0; q < quotes_.size(); ++q) quotes_[q].used = used[q];
      c.features.assign(feats, feats + nf);
      c.cue_begin = toks_[k].begin;
      c.cue_end = toks_[k].end;
      TagKeys(s, k, c.tag_keys);
      candidates_->push_back(std::move(c));
      continue;
    }
    Statement st;
    Build(s, k, k, false, lemma, sp, &st);
    speakers->push_back(st.speaker);
    last_speaker_ = sp.mention;
    last_speaker_sent_ = toks_[k].sentence;
    cue_at->push_back(toks_[k].begin);
    who->push_back(sp.mention);
    out->push_back(std::move(st));
  }
}

// A statement whose cue sits inside another speaker's reported clause in the same sentence
// is part of what that speaker said ("Devine said areas where Sanders wants to see changes",
// "He notes that the Commission announced"): only the outer statement is kept.
void TextAnalysis::DropNested(size_t first, const std::vector<size_t>& cue_at,
                              const std::vector<const EntityMention*>& who,
                              const EntityMention* speaker_before, uint32_t speaker_sent_before,
                              uint32_t sent, std::vector<Statement>* out) {
  size_t n = out->size() - first;
  if (n < 2) return;
  auto inside = [&](size_t pos, const Statement& st) {
    return pos >= st.content_begin && pos < st.content_end;
  };
  // "Carson noted ..., as reported by BuzzFeed News": a passive report keeps what it reports.
  auto passive_report = [&](size_t pos) {
    std::string_view rest = text_.substr(pos);
    return rest.substr(0, 12) == "reported by " || rest.substr(0, 11) == "written by ";
  };
  // A subordinate clause opening the sentence ("While Comey has said that ..., Lewandowski
  // said ...", "After Scalia said ..., Trump said: ..."): what is said there ends at its comma,
  // and the main clause's statement after that comma is no part of it. (Keeping every cue
  // after a subordinator, "... after the Post revealed", was right for 21 of 44 added
  // statements on PolNeAR train: PolNeAR rarely annotates such circumstances.)
  static const HashSet kSubordinators =
      MakeSet({"while", "although", "though", "after", "before", "when", "whenever", "because",
               "since", "until", "whereas", "once"});
  auto fronted_clause_end = [&](size_t pos) -> size_t {  // 0: none
    uint32_t k = TokenAt(pos);
    if (k >= toks_.size()) return 0;
    uint32_t f = sents_[toks_[k].sentence].first_token;
    static const HashSet kConj = MakeSet({"but", "and", "yet", "so"});
    while (f < k && (kConj.count(toks_[f].fold) || IsQuoteMarkTok(f))) ++f;
    if (!kSubordinators.count(toks_[f].fold)) return 0;
    for (uint32_t j = f + 1; j < k; ++j)
      if (Punct(j) && quote_of_[j] < 0) return 0;
    for (uint32_t j = k + 1; j < sents_[toks_[k].sentence].end_token; ++j)
      if (IsComma(j) && quote_of_[j] < 0) return toks_[j].end;
    return 0;
  };
  std::vector<bool> drop(n, false);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n && !drop[a]; ++b) {
      if (a == b || drop[b] || who[a] == who[b]) continue;
      const Statement& A = (*out)[first + a];
      const Statement& B = (*out)[first + b];
      if (B.direct || !inside(cue_at[a], B) || passive_report(cue_at[b])) continue;
      if (size_t e = fronted_clause_end(cue_at[b]); e > 0 && cue_at[a] >= e) continue;
      // Each inside the other: the trailing attribution ("..., the Times reported") is outer.
      if (inside(cue_at[b], A) && B.content_end > cue_at[b]) continue;
      drop[a] = true;
    }
  }
  size_t w = first;
  last_speaker_ = speaker_before;
  last_speaker_sent_ = speaker_sent_before;
  for (size_t a = 0; a < n; ++a) {
    if (drop[a]) continue;
    if (w != first + a) (*out)[w] = std::move((*out)[first + a]);
    last_speaker_ = who[a];
    last_speaker_sent_ = sent;
    ++w;
  }
  out->resize(w);
}

// "In a Des Moines Register poll last month, Mr. Cruz had a 10-point lead": a sentence that
// opens with "In" + a phrase naming a poll or survey and its owner reports what it found.
bool TextAnalysis::PollSource(const Sentence& s, Speaker* sp, uint32_t* comma) const {
  static const uint64_t kIn = FoldHash("in");
  static const HashSet kPolls = MakeSet({"poll", "polls", "survey", "surveys", "study"});
  uint32_t f = s.first_token;
  if (!Is(f, kIn)) return false;
  const LocalMention* owner = nullptr;
  bool poll = false;
  for (uint32_t j = f + 1; j < s.end_token && j < f + 14; ++j) {
    if (quote_of_[j] >= 0) return false;
    if (IsComma(j)) {
      if (!owner || !poll || j + 3 >= s.end_token) return false;
      sp->mention = owner->m;
      sp->ref = SpeakerRef::kName;
      sp->first = f;
      sp->last = j;
      *comma = j;
      return true;
    }
    if (Punct(j) && !IsPossessive(j) && Word(j) != "/" && Word(j) != "-") return false;
    if (!owner && mention_start_[j] >= 0) owner = &mentions_[mention_start_[j]];
    poll = poll || kPolls.count(toks_[j].fold) > 0;
  }
  return false;
}

// Whether a belief, intention or stance cue (kCueBelief: "wants", "plans", "believes") at
// `cue` is stated by `sp`: a name the entity extractor found (not a capitalised guess such as
// "Terrorist attacks"), opening its clause ("Republicans might want", "something Republicans
// wanted" and "when Trump attacked" are no statements), no modal verb between ("may want to"
// is advice) and a verb use (not "attacks on", "support from").
bool TextAnalysis::BeliefSubject(const Sentence& s, uint32_t cue, bool inverted,
                                 const Speaker& sp) const {
  static const HashSet kModals =
      MakeSet({"may", "might", "could", "would", "should", "must", "can", "will"});
  static const HashSet kOpeners =
      MakeSet({"and", "but", "that", "because", "while", "though", "although", "yet", "so"});
  static const uint64_t kTo = FoldHash("to");
  if (inverted || sp.ref != SpeakerRef::kName || sp.document) return false;
  for (const EntityMention& e : extra_)
    if (&e == sp.mention) return false;
  for (uint32_t j = sp.last + 1; j < cue; ++j)
    if (kModals.count(toks_[j].fold)) return false;
  static const HashSet kTimeClause =
      MakeSet({"when", "if", "after", "before", "since", "until", "unless", "once", "whether"});
  for (uint32_t j = sp.first; j <= sp.last; ++j)  // title words may hide a "When"
    if (kTimeClause.count(toks_[j].fold)) return false;
  if (sp.first > s.first_token) {
    uint32_t b = sp.first - 1;
    if (quote_of_[b] >= 0 || IsQuoteMarkTok(b)) return false;
    if (!kOpeners.count(toks_[b].fold) && !(Punct(b) && !IsPossessive(b))) return false;
  }
  uint32_t n = cue + 1;
  if (n >= s.end_token || (Punct(n) && !IsQuoteMarkTok(n))) return false;
  return Is(n, kTo) || !Prepositions().count(toks_[n].fold);
}

// Whether an institution speaker is a counted part of its members ("some Democrats said",
// "say many Republicans", "according to numerous fellow Democrats", "half of Vermont
// Democrats", "89% of young Republicans"): a quantifier or a count among the words right
// before a name that the entity extraction mapped to another canonical name ("Democrats" ->
// Democratic Party). Those members are not the institution (PolNeAR names them "Some
// Democrats"); a group named as written ("most Senate Republicans") stays its own speaker.
bool TextAnalysis::CountedMembers(const Sentence& s, const Speaker& sp) const {
  if (sp.ref != SpeakerRef::kName || sp.mention->type != EntityType::kInstitution) return false;
  static const HashSet kQuantifiers = MakeSet(
      {"some",      "many",   "several", "other",    "others", "most",       "few",
       "numerous",  "various", "certain", "all",     "both",   "half",       "more",
       "fewer",     "dozens", "hundreds", "thousands", "two",  "three",      "four",
       "five",      "six",    "percent", "majority", "plenty", "lots",      "one",
       "handful",   "two-thirds", "one-third"});
  static const HashSet kStops =
      MakeSet({"and", "or", "but", "while", "that", "as", "because", "when", "if", "though",
               "although", "which", "who", "after", "before", "since", "until", "during", "ago",
               "days", "weeks", "months", "years", "people"});
  // The latest mention of the speaker up to the subject phrase's end (a participle clause's
  // subject opens the sentence: "Several Democrats cautioned ..., saying").
  int mi = -1;
  for (uint32_t k = std::min<uint32_t>(sp.last, s.end_token - 1) + 1; k-- > s.first_token;)
    if (mention_end_[k] >= 0 && mentions_[mention_end_[k]].m == sp.mention) {
      mi = mention_end_[k];
      break;
    }
  if (mi < 0) return false;
  const LocalMention& lm = mentions_[mi];
  // The name itself must be the subject: not "some GOP strategists" (a head noun after it).
  if (lm.last + 1 < s.end_token && SpeakerHeadNoun(lm.last + 1)) return false;
  std::string_view surface = text_.substr(toks_[lm.first].begin,
                                          toks_[lm.last].end - toks_[lm.first].begin);
  if (surface == sp.mention->canonical) return false;
  static const uint64_t kOf = FoldHash("of"), kNumber = FoldHash("number");
  for (uint32_t k = lm.first, n = 0; k > s.first_token && n < 5; ++n) {
    --k;
    std::string_view w = Word(k);
    // A count ("89%", "1,200"), not a year ("a 2014 study") or a compound ("100-seat").
    bool count = w == "%" || (toks_[k].flags & kTokHasDigit);
    for (char ch : w) count = count && (std::isdigit(static_cast<unsigned char>(ch)) ||
                                        ch == ',' || ch == '.' || ch == '%');
    if (count && w.size() == 4 && (w.substr(0, 2) == "19" || w.substr(0, 2) == "20"))
      count = false;
    if (count || kQuantifiers.count(toks_[k].fold)) return true;
    // "a number of", "an increasing number of".
    if (Is(k, kNumber) && Is(k + 1, kOf)) return true;
    if (Is(k, kOf) || Determiners().count(toks_[k].fold)) continue;
    if (!Lower(k) || kStops.count(toks_[k].fold) || Prepositions().count(toks_[k].fold)) break;
  }
  return false;
}

// The owner of a poll, survey or report that opens the sentence and is the subject of an
// evidence cue at `cue`: "A New York Times/CBS News poll conducted last week found", "A review
// by The Times shows", "However, the USC Dornsife/Los Angeles Times tracking poll shows". The
// owner is the first name of the phrase that is not the object of a topic preposition ("a
// poll of Iowa voters", "a survey about Clinton").
bool TextAnalysis::DocumentSubject(const Sentence& s, uint32_t cue, Speaker* sp) const {
  static const HashSet kDocuments =
      MakeSet({"poll", "polls", "survey", "surveys", "report", "study", "review", "analysis",
               "investigation", "audit", "data", "records", "files", "polling"});
  static const HashSet kOwnerPreps = MakeSet({"by", "from", "in", "for"});
  uint32_t f = s.first_token;
  // "However, ...", "But ...".
  if (f + 1 < cue && IsComma(f + 1) && Lower(f)) f += 2;
  while (f < cue && (Is(f, FoldHash("but")) || Is(f, FoldHash("and")))) ++f;
  if (cue <= f || cue - f > 20) return false;
  bool doc = false;
  uint32_t doc_at = 0;
  const LocalMention* owner = nullptr;
  uint32_t owner_first = 0;
  for (uint32_t j = f; j < cue; ++j) {
    if (quote_of_[j] >= 0 || Word(j) == ";" || Word(j) == ":") return false;
    if (!doc && Lower(j) && kDocuments.count(toks_[j].fold)) {
      doc = true;
      doc_at = j;
    }
    if (owner || mention_start_[j] < 0) continue;
    uint32_t b = j;
    while (b > f && Determiners().count(toks_[b - 1].fold)) --b;
    if (b > f && Prepositions().count(toks_[b - 1].fold) && !kOwnerPreps.count(toks_[b - 1].fold))
      continue;
    owner = &mentions_[mention_start_[j]];
    owner_first = j;
  }
  // The owner names the document ("A CBS poll", "a review by The Times"), not something
  // else in the sentence ("He sold it to Mr. Trump in 2010, records show").
  if (!doc || !owner || doc_at > f + 10) return false;
  uint32_t lo = std::min(doc_at, owner_first), hi = std::max(doc_at, owner_first);
  if (hi - lo > 6) return false;
  for (uint32_t j = lo; j < hi; ++j)
    if (IsComma(j)) return false;
  sp->mention = owner->m;
  sp->ref = SpeakerRef::kName;
  sp->document = true;
  sp->first = std::min(f, owner_first);
  sp->last = cue - 1;
  return true;
}

// A headline in title case: a sentence on a line of its own (a paragraph) whose words of four
// letters or more are nearly all capitalised.
bool TextAnalysis::TitleCase(const Sentence& s) const {
  if (s.first_token > 0 && !(toks_[s.first_token].flags & kTokNewlineBefore)) return false;
  uint32_t words = 0, caps = 0;
  for (uint32_t k = s.first_token; k < s.end_token; ++k) {
    if (!(toks_[k].flags & kTokHasLetter) || Word(k).size() < 4 || quote_of_[k] >= 0) continue;
    ++words;
    caps += (toks_[k].flags & kTokUpperInitial) != 0;
  }
  if (words < 3 || caps * 10 < words * 9) return false;
  size_t nl = text_.find('\n', s.end);
  for (size_t i = s.end; i < (nl == std::string_view::npos ? text_.size() : nl); ++i)
    if (!IsSpaceByte(text_[i])) return false;  // the paragraph goes on: no headline
  return true;
}

// A finite verb outside the cue lexicon that takes a "that" clause ("Cruz realized that the
// race...", "Clinton believes that he..."): verbs of saying, knowing and believing.
bool TextAnalysis::ClausalVerb(uint32_t k, const Sentence& s) const {
  static const uint64_t kThat = FoldHash("that");
  static const HashSet kNot =
      MakeSet({"is",       "was",       "has",      "does",    "means",   "meant",    "seems",
               "seemed",   "appears",   "appeared", "ensures", "ensured", "so",       "such",
               "given",    "needs",     "needed",   "was",     "proves",  "proved",   "happens",
               "happened", "turns",     "turned",   "makes",   "made",    "requires", "required",
               "reflects", "reflected", "helps",    "helped",  "follows", "followed", "becomes",
               "became",   "includes",  "included", "adds",    "added",   "goes",     "gets"});
  static const HashSet kNext =
      MakeSet({"the",  "a",     "an",   "he",  "she",   "it",  "they", "we",    "i",
               "you",  "there", "his",  "her", "their", "its", "this", "these", "those",
               "some", "many",  "most", "no",  "all",   "if",  "when", "while", "because",
               "our",  "my",    "your", "one", "both",  "in",  "as",   "even"});
  if (!Lower(k) || !Is(k + 1, kThat) || k + 2 >= s.end_token || k == s.first_token) return false;
  std::string_view w = Word(k);
  if (w.size() < 4 || Cues().count(toks_[k].fold) || kNot.count(toks_[k].fold)) return false;
  auto ends = [&](std::string_view e) {
    return w.size() > e.size() && w.substr(w.size() - e.size()) == e;
  };
  // -s forms that are plural nouns ("told FBI agents that", "his followers that").
  bool plural_noun = ends("ers") || ends("ents") || ends("ants") || ends("ists") || ends("ians") ||
                     ends("ors") || ends("ees") || ends("ars") || ends("ays") || ends("ths") ||
                     ends("ions") || ends("ies") || ends("ses");
  bool finite = ends("ed") || (w.back() == 's' && !ends("ss") && !plural_noun) || w == "knew" ||
                w == "thought" || w == "felt" || w == "understood";
  if (!finite || IsComma(k - 1)) return false;
  return kNext.count(toks_[k + 2].fold) > 0 || (toks_[k + 2].flags & kTokUpperInitial);
}

// `NAME: ...` opening a paragraph: a headline ("Graham: Trump's rhetoric destroying GOP") or a
// transcript line ("PENCE: We will..."; capitals matched to a person's surname in the text).
// Title words may precede the name ("Sen. Graham:").
bool TextAnalysis::ColonSpeaker(const Sentence& s, Speaker* sp, uint32_t* colon) {
  // "Clinton camp: ...", "Trump campaign: ...".
  static const HashSet kHeads =
      MakeSet({"camp", "campaign", "aides", "allies", "team", "spokesman", "spokeswoman"});
  // Capitals that open a line with a colon without being a speaker.
  static const HashSet kNotSpeakers = MakeSet(
      {"update",  "updated",  "note",    "editor",   "breaking",  "watch",        "correction",
       "related", "read",     "more",    "photos",   "photo",     "video",        "source",
       "sources", "q",        "a",       "question", "answer",    "abstract",     "full",
       "text",    "top",      "stories", "live",     "exclusive", "warning",      "latest",
       "the",     "analysis", "opinion", "poll",     "report",    "transcript",   "new",
       "news",    "us",       "u.s.",    "and",      "or",        "of",           "in",
       "on",      "for",      "to",      "with",     "at",        "by",           "from",
       "what",    "why",      "how",     "who",      "when",      "where",        "this",
       "that",    "here",     "it",      "is",       "day",       "part",         "step",
       "lead",    "headline", "caption", "credit",   "graphic",   "map",          "chart",
       "table",   "tweet",    "bottom",  "line",     "reporting", "contributing", "additional",
       "via",     "see",      "also"});
  uint32_t f = s.first_token;
  if (s.end_token < f + 3) return false;
  if (f > 0 && !(toks_[f].flags & kTokNewlineBefore)) return false;
  // A transcript line inside a quotation that opens the paragraph (`"PENCE: Well, ...`).
  // Not a quotation attributed after it closes (`"Trump: You ...?" tweeted Alwaleed`): one
  // that runs to the paragraph's end.
  bool quoted = IsQuoteMarkTok(f) && quote_of_[f + 1] >= 0;
  if (quoted) {
    const Quote& Q = quotes_[quote_of_[f + 1]];
    size_t e = Q.close_end;
    while (e < text_.size() && text_[e] != '\n' && (IsSpaceByte(text_[e]) || text_[e] == '.')) ++e;
    if (e < text_.size() && text_[e] != '\n') return false;
    ++f;
  }
  auto person_named = [&](uint32_t j, bool first_names) -> const EntityMention* {
    for (const LocalMention& lm : mentions_) {  // once per paragraph: no hot loop
      if (lm.m->type != EntityType::kPerson) continue;
      std::string_view c = lm.m->canonical;
      size_t sp_at = c.rfind(' ');
      if (FoldHash(sp_at == std::string_view::npos ? c : c.substr(sp_at + 1)) == toks_[j].fold)
        return lm.m;
      size_t sp_first = c.find(' ');
      if (first_names && sp_first != std::string_view::npos &&
          FoldHash(c.substr(0, sp_first)) == toks_[j].fold)
        return lm.m;
    }
    return nullptr;
  };
  for (uint32_t j = f; j < f + 6 && j + 2 < s.end_token; ++j) {
    if (Word(j + 1) != ":") {
      if (!(toks_[j].flags & kTokUpperInitial) && !(j > f && kHeads.count(toks_[j].fold)))
        return false;
      continue;
    }
    if (quote_of_[j] >= 0 && !quoted) return false;
    uint32_t name_last = j;
    if (j > f && Lower(j) && kHeads.count(toks_[j].fold)) name_last = j - 1;
    const EntityMention* m = nullptr;
    uint32_t name_first = name_last;
    if (mention_end_[name_last] >= 0) {
      m = mentions_[mention_end_[name_last]].m;
      name_first = mentions_[mention_end_[name_last]].first;
    } else if (toks_[name_last].flags & kTokUpperInitial) {
      // A surname ("PENCE:", "Sanders:") or a first name ("Hillary:") of a person in the text.
      m = person_named(name_last, !(toks_[name_last].flags & kTokAllUpper));
    }
    if (!m && name_last == j && j > f && j < f + 3) {
      // A transcript's "KATE SMITH:": two or three capitalised words, a person's name.
      bool caps = true;
      for (uint32_t t = f; t <= j && caps; ++t)
        caps = (toks_[t].flags & kTokAllUpper) && (toks_[t].flags & kTokHasLetter) &&
               !(toks_[t].flags & kTokHasDigit) && Word(t).size() >= 2 &&
               !kNotSpeakers.count(toks_[t].fold);
      if (caps) {
        EntityMention em;
        em.type = EntityType::kPerson;
        em.in_title = in_title_;
        em.begin = toks_[f].begin;
        em.end = toks_[j].end;
        for (uint32_t t = f; t <= j; ++t) {
          if (t > f) em.canonical += ' ';
          std::string_view w = Word(t);
          em.canonical += w.substr(0, 1);
          for (char ch : w.substr(1))
            em.canonical += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        extra_.push_back(std::move(em));
        m = &extra_.back();
        name_first = f;
      }
    }
    if (!m) return false;
    // Only title words before the name ("Sen. Graham:", not "Big Win For Bernie:").
    for (uint32_t t = f; t < name_first; ++t)
      if (!(toks_[t].flags & (kTokPeriod | kTokAllUpper)) && !RoleHeads().count(toks_[t].fold) &&
          !RoleFiller().count(toks_[t].fold))
        return false;
    // A clause after the colon, not a score, a handle or a two-word tag ("Carson: A miracle.").
    uint32_t words = 0;
    for (uint32_t t = j + 2; t < s.end_token; ++t) words += (toks_[t].flags & kTokHasLetter) != 0;
    std::string_view next = Word(j + 2);
    if (words < kColonMinWords || (toks_[j + 2].flags & kTokHasDigit) || next == "@") return false;
    if (quoted) quotes_[quote_of_[f]].used = true;  // no continuation of anyone else's
    sp->mention = m;
    sp->ref = SpeakerRef::kName;
    sp->first = f;
    sp->last = j;
    *colon = j + 1;
    return true;
  }
  return false;
}

// The statement of a `NAME:` line: what follows the colon up to the end of the paragraph.
void TextAnalysis::BuildColon(const Sentence& s, uint32_t colon, const Speaker& sp,
                              Statement* st) const {
  st->speaker = sp.mention->canonical;
  st->speaker_type = sp.mention->type;
  st->speaker_ref = sp.ref;
  st->cue.assign(1, ':');  // not = ":" (GCC 12 -Wrestrict false positive)
  st->in_title = in_title_;
  st->begin = s.begin;
  size_t end = text_.find('\n', toks_[colon].end);
  if (end == std::string_view::npos) end = text_.size();
  while (end > s.end && IsSpaceByte(text_[end - 1])) --end;
  st->end = std::max(s.end, end);
  st->content_begin = toks_[colon + 1].begin;
  st->content_end = st->end;
  st->direct = IsQuoteMarkTok(colon + 1) || (toks_[sp.last].flags & kTokAllUpper);
  SetText(st);
}

// The first token beginning at or after byte offset `byte` (toks_.size() when none).
uint32_t TextAnalysis::TokenAt(size_t byte) const {
  auto it = std::lower_bound(toks_.begin(), toks_.end(), byte,
                             [](const Token& t, size_t b) { return t.begin < b; });
  return static_cast<uint32_t>(it - toks_.begin());
}

// Quotations attributed by punctuation alone, with no cue word: a dash and a name after the
// quotation closing its line (`"..." ― Sonya Herridge`, a list of quotations or a pull quote;
// the byline may stand in the next paragraph: `"..."` / `- Bernie Sanders`), and a name with a
// colon right before it (`..., says Republican pollster Daron Shaw: "..."`, `More from Jones:
// "..."`). Statements of the rules come first: a quotation one of them used, or one whose
// speaker already has a statement over it, gets none.
void TextAnalysis::QuoteBylines(size_t first_out, std::vector<Statement>* out) {
  size_t added = 0;
  for (Quote& Q : quotes_) {
    if (Q.used) continue;
    const LocalMention* lm = nullptr;
    size_t st_begin = Q.mark, st_end = Q.close_end;
    std::string_view cue;
    // A dash byline after the closing mark: spaces (and one paragraph break) between.
    if (!Q.open_ended) {
      size_t i = Q.close_end, breaks = 0;
      while (i < text_.size()) {
        if (text_[i] == '\n') {
          if (text_[i - 1] != '\n') ++breaks;
          ++i;
        } else if (IsSpaceByte(text_[i])) {
          ++i;
        } else if (text_.substr(i, 2) == "\xC2\xA0") {  // no-break space
          i += 2;
        } else {
          break;
        }
      }
      size_t dash = 0;
      if (text_.substr(i, 3) == "\xE2\x80\x95" || text_.substr(i, 3) == "\xE2\x80\x94" ||
          text_.substr(i, 3) == "\xE2\x80\x93")
        dash = 3;
      else if (text_.substr(i, 2) == "--")
        dash = 2;
      else if (i < text_.size() && text_[i] == '-')
        dash = 1;
      if (dash && breaks <= 1) {
        uint32_t k = TokenAt(i + dash);
        // Title words before the name: "- Sen. Bernie Sanders".
        uint32_t n = k;
        while (n < toks_.size() && n < k + 4 && mention_start_[n] < 0 &&
               (toks_[n].flags & kTokUpperInitial) && !(toks_[n].flags & kTokNewlineBefore))
          ++n;
        if (n < toks_.size() && mention_start_[n] >= 0 && quote_of_[n] < 0 &&
            !(toks_[n].flags & kTokNewlineBefore) &&
            text_.find('\n', i) >= toks_[n].begin) {
          const LocalMention& m = mentions_[mention_start_[n]];
          // The name closes its line, or a bracket, comma or period follows ("Ben Jacobs
          // (@Bencjacobs)", "― Pamela Padilla, 24"); no clause of its own ("— Trump said").
          uint32_t after = m.last + 1;
          bool closes = after >= toks_.size() || (toks_[after].flags & kTokNewlineBefore) ||
                        Word(after) == "(" || Word(after) == "," || Word(after) == ".";
          if (closes && after < toks_.size() && !(toks_[after].flags & kTokNewlineBefore)) {
            for (uint32_t j = after; j < toks_.size() && !(toks_[j].flags & kTokNewlineBefore);
                 ++j)
              if (Cues().count(toks_[j].fold) && Lower(j)) closes = false;
          }
          if (closes) {
            lm = &m;
            st_end = toks_[m.last].end;
            cue = "\xE2\x80\x94";  // —
          }
        }
      }
    }
    // A name and a colon right before the opening mark.
    if (!lm) {
      size_t i = Q.mark;
      while (i > 0 && IsSpaceByte(text_[i - 1]) && text_[i - 1] != '\n') --i;
      if (i > 0 && text_[i - 1] == ':') {
        uint32_t c = TokenAt(i - 1);
        if (c > 0 && c < toks_.size() && Word(c) == ":" && mention_end_[c - 1] >= 0 &&
            quote_of_[c - 1] < 0) {
          const LocalMention& m = mentions_[mention_end_[c - 1]];
          // Not the object of a preposition ("a letter to Clinton:"), but "More from Jones:".
          static const uint64_t kFromW = FoldHash("from");
          bool object = m.first > 0 && Prepositions().count(toks_[m.first - 1].fold) &&
                        !Is(m.first - 1, kFromW);
          if (!object) {
            lm = &m;
            st_begin = toks_[m.first].begin;
            cue = ":";
          }
        }
      }
    }
    if (!lm) continue;
    bool dup = false;
    for (size_t o = first_out; o < out->size() && !dup; ++o)
      dup = (*out)[o].speaker == lm->m->canonical && (*out)[o].begin < Q.close_end &&
            Q.mark < (*out)[o].end;
    if (dup) continue;
    Statement st;
    st.speaker = lm->m->canonical;
    st.speaker_type = lm->m->type;
    st.speaker_ref = SpeakerRef::kName;
    st.cue = std::string(cue);
    st.direct = true;
    st.in_title = in_title_;
    st.begin = st_begin;
    st.end = st_end;
    st.content_begin = Q.begin;
    st.content_end = Q.end;
    SetText(&st);
    Q.used = true;
    out->push_back(std::move(st));
    ++added;
  }
  if (added)
    std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first_out), out->end(),
                     [](const Statement& a, const Statement& b) { return a.begin < b.begin; });
}

void TextAnalysis::Extract(std::vector<Statement>* out) {
  static const uint64_t kFor = FoldHash("for"), kOn = FoldHash("on"), kTo = FoldHash("to"),
                        kOut = FoldHash("out"), kFrom = FoldHash("from"), kThat = FoldHash("that");
  static const uint64_t kPut = FoldHash("put"), kPuts = FoldHash("puts"), kIt = FoldHash("it"),
                        kBest = FoldHash("best"), kThisW = FoldHash("this"),
                        kWay = FoldHash("way"), kBack = FoldHash("back");
  const CueMap& cues = Cues();
  size_t first_out = out->size();
  std::vector<bool> has_cue(sents_.size(), false);  // a cue outside quotations, resolved or not
  if (cue_tokens_ && !in_title_) {
    for (const Sentence& s : sents_) {
      for (uint32_t k = s.first_token; k < s.end_token; ++k) {
        if (!Lower(k) || quote_of_[k] >= 0 || toks_[k].end - toks_[k].begin < 3) continue;
        CueToken t;
        t.begin = toks_[k].begin;
        t.end = toks_[k].end;
        TagKeys(s, k, t.tag_keys);
        cue_tokens_->push_back(t);
      }
    }
  }
  for (const Sentence& s : sents_) {
    std::vector<std::string> speakers;  // one statement per speaker per sentence
    size_t sent_out = out->size();
    std::vector<size_t> cue_at;             // byte offset of each statement's cue
    std::vector<const EntityMention*> who;  // and its speaker
    const EntityMention* speaker_before = last_speaker_;
    uint32_t speaker_sent_before = last_speaker_sent_;
    uint32_t outer_that = UINT32_MAX;
    uint32_t relative_end = UINT32_MAX;  // a relative clause's reported clause ends here
    // Keeps a statement whose cue is token `at`, its speaker the latest one.
    auto keep = [&](Statement&& st, const Speaker& sp, uint32_t at) {
      speakers.push_back(st.speaker);
      last_speaker_ = sp.mention;
      last_speaker_sent_ = toks_[at].sentence;
      cue_at.push_back(toks_[at].begin);
      who.push_back(sp.mention);
      out->push_back(std::move(st));
    };
    // A word outside the lexicon: its lemma by spelling (CueVerbLemma), lower-cased.
    auto lowered = [&](uint32_t at) {
      std::string w(Word(at));
      for (char& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return CueVerbLemma(w);
    };
    {
      Speaker sp;
      uint32_t colon = 0;
      if (ColonSpeaker(s, &sp, &colon)) {
        Statement st;
        BuildColon(s, colon, sp, &st);
        keep(std::move(st), sp, colon);
      }
    }
    {
      Speaker sp;
      uint32_t comma = 0;
      if (PollSource(s, &sp, &comma)) {
        Statement st;
        Build(s, comma, comma, true, "according to", sp, &st);
        speakers.push_back(st.speaker);
        cue_at.push_back(toks_[comma].begin);
        who.push_back(sp.mention);
        out->push_back(std::move(st));
      }
    }
    for (uint32_t k = s.first_token; k < s.end_token; ++k) {
      if (!(toks_[k].flags & kTokHasLetter) || quote_of_[k] >= 0) continue;
      // "put it" as a way of saying, closing its clause: "As Ryan put it, ...", "Ryan put it
      // bluntly:", `"...," as Ryan put it.`; not "put it on the table". Outside the lexicon,
      // so that "put" stays a candidate of the learned pass ("Obama put his hand on").
      if (k < outer_that && (Is(k, kPut) || Is(k, kPuts)) && Is(k + 1, kIt) && Lower(k)) {
        uint32_t n = k + 2;
        bool closes = n >= s.end_token || (Punct(n) && !IsPossessive(n)) || IsQuoteMarkTok(n) ||
                      IsAdverb(n) || Is(n, kBest) || (Is(n, kThisW) && Is(n + 1, kWay));
        Speaker sp;
        bool negated = false;
        if (closes && SpeakerBefore(k, s.first_token, &negated, &sp) && !negated &&
            std::find(speakers.begin(), speakers.end(), sp.mention->canonical) == speakers.end()) {
          has_cue[toks_[k].sentence] = true;
          Statement st;
          Build(s, k, k + 1, false, "put it", sp, &st);
          keep(std::move(st), sp, k);
          continue;
        }
      }
      // `"...," Kelly charged.`, `"...?" Bozell answers.`, `"...," he shot back.`: a verb
      // outside the lexicon right after the subject that follows a quotation's closing mark
      // (after a comma, "?" or "!" inside it), ending its clause.
      // (Pronoun subjects left out: none of 5 right by the script on PolNeAR train, most read
      // right. A verb in -s only at the clause's end: `"Hail, Caesar!," Mr. Brolin gets into`.)
      // (Cheap tests first: they run on every word.)
      if (k > s.first_token && mention_end_[k - 1] >= 0 && k < outer_that && Lower(k) &&
          Word(k).size() >= 4 &&
          (Word(k).substr(Word(k).size() - 2) == "ed" || Word(k).back() == 's' ||
           Is(k + 1, kBack)) &&
          !cues.count(toks_[k].fold) && !Auxiliaries().count(toks_[k].fold) && !IsAdverb(k)) {
        std::string_view w = Word(k);
        uint32_t n = k + 1;
        if (Is(n, kBack)) ++n;
        bool closes = n >= s.end_token || (Punct(n) && !IsPossessive(n) && !IsQuoteMarkTok(n)) ||
                      (w.back() != 's' && Prepositions().count(toks_[n].fold));
        Speaker sp;
        bool negated = false;
        // Or before a colon and a quotation: `Kasich resisted: "..."`.
        bool colon_quote = n + 1 < toks_.size() && Word(n) == ":" && IsQuoteMarkTok(n + 1) &&
                           quote_of_[n + 2 < toks_.size() ? n + 2 : n + 1] >= 0;
        if (closes && mention_end_[k - 1] >= 0 &&
            SpeakerBefore(k, s.first_token, &negated, &sp) && !negated &&
            sp.ref == SpeakerRef::kName && sp.last + 1 == k &&
            (colon_quote ||
             (sp.first > s.first_token + 1 && IsQuoteMarkTok(sp.first - 1) &&
              quote_of_[sp.first - 2] >= 0 &&
              (IsComma(sp.first - 2) || Word(sp.first - 2) == "?" ||
               Word(sp.first - 2) == "!"))) &&
            std::find(speakers.begin(), speakers.end(), sp.mention->canonical) == speakers.end()) {
          std::string lemma = lowered(k);
          if (n > k + 1) lemma += " back";
          has_cue[toks_[k].sentence] = true;
          Statement st;
          Build(s, k, n - 1, false, lemma, sp, &st);
          keep(std::move(st), sp, k);
          continue;
        }
      }
      // Inverted: `"...," charged Marta Kowalski.` (a person's name right after the verb,
      // closing the clause).
      if (k > s.first_token + 1 && k + 1 < s.end_token && mention_start_[k + 1] >= 0 &&
          quote_of_[k - 2] >= 0 && k < outer_that && Lower(k) && IsQuoteMarkTok(k - 1) &&
          (IsComma(k - 2) || Word(k - 2) == "?" || Word(k - 2) == "!") &&
          !cues.count(toks_[k].fold) && !Auxiliaries().count(toks_[k].fold) && !IsAdverb(k) &&
          Word(k).size() >= 4 &&
          (Word(k).substr(Word(k).size() - 2) == "ed" || Word(k).back() == 's')) {
        const LocalMention& lm = mentions_[mention_start_[k + 1]];
        uint32_t n = lm.last + 1;
        if (lm.m->type == EntityType::kPerson && quote_of_[lm.first] < 0 &&
            (n >= s.end_token || (Punct(n) && !IsPossessive(n) && !IsQuoteMarkTok(n))) &&
            std::find(speakers.begin(), speakers.end(), lm.m->canonical) == speakers.end()) {
          Speaker sp;
          sp.mention = lm.m;
          sp.ref = SpeakerRef::kName;
          sp.first = lm.first;
          sp.last = lm.last;
          std::string lemma = lowered(k);
          has_cue[toks_[k].sentence] = true;
          Statement st;
          Build(s, k, k, true, lemma, sp, &st);
          keep(std::move(st), sp, k);
          continue;
        }
      }
      if (k < outer_that && ClausalVerb(k, s)) {
        Speaker sp;
        bool negated = false;
        if (SpeakerBefore(k, s.first_token, &negated, &sp) && !negated &&
            std::find(speakers.begin(), speakers.end(), sp.mention->canonical) == speakers.end()) {
          std::string lemma = lowered(k);
          Statement st;
          Build(s, k, k, false, lemma, sp, &st);
          keep(std::move(st), sp, k);
        }
        continue;
      }
      auto range = cues.equal_range(toks_[k].fold);
      for (auto it = range.first; it != range.second; ++it) {
        const CueInfo& cue = it->second;
        has_cue[toks_[k].sentence] = true;
        uint32_t cue_last = k;
        if (cue.flags & (kCueNeedsFor | kCueNeedsOn | kCueNeedsTo | kCueNeedsOut |
                         kCueNeedsAgainst | kCueNeedsIn)) {
          static const uint64_t kAgainst = FoldHash("against"), kIn = FoldHash("in");
          uint64_t want = (cue.flags & kCueNeedsFor)       ? kFor
                          : (cue.flags & kCueNeedsOn)      ? kOn
                          : (cue.flags & kCueNeedsTo)      ? kTo
                          : (cue.flags & kCueNeedsAgainst) ? kAgainst
                          : (cue.flags & kCueNeedsIn)      ? kIn
                                                           : kOut;
          if (!Is(k + 1, want)) continue;
          cue_last = k + 1;
        }
        // Uppercase cue words mid-sentence are names or titles ("Said", "Warner"), except in
        // a headline in title case ("Glenn Beck Says Trump Poses A Threat").
        if ((toks_[k].flags & kTokUpperInitial) && k != s.first_token &&
            !(toks_[k].flags & kTokQuoteStart) && !(toks_[k].flags & kTokAllUpper) && !TitleCase(s))
          continue;
        Speaker sp;
        bool negated = false, inverted = false, found = false;
        static const uint64_t kByW = FoldHash("by");
        if (cue.lemma == "according to" ||
            ((Word(k) == "reported" || Word(k) == "written") && Is(k + 1, kByW) &&
             k > s.first_token)) {
          // "As reported by Western Journalism, ...", "was first reported by BuzzFeed": the
          // agent of a passive report is its source, as after "according to".
          found = SpeakerAfter(k + 2, s.end_token, &sp) || SourceInPhrase(k + 2, s.end_token, &sp);
          inverted = true;
        } else {
          // "Clinton has a strong ground game, said Mindy Romero, director of ...": after a
          // comma, an invertible cue followed by a name that closes its clause has that name
          // as its subject, not the name that opens the sentence.
          if ((cue.flags & kCueInvert) && !(cue.flags & kCueIng) && k > s.first_token &&
              IsComma(k - 1) && k + 1 < s.end_token && (toks_[k + 1].flags & kTokUpperInitial) &&
              SpeakerAfter(k + 1, s.end_token, &sp) &&
              sp.ref == SpeakerRef::kName &&
              (sp.last + 1 >= s.end_token ||
               (Punct(sp.last + 1) && !IsQuoteMarkTok(sp.last + 1)))) {
            found = true;
            inverted = true;
          }
          if (!found) found = SpeakerBefore(k, s.first_token, &negated, &sp);
          if (!found && (cue.flags & kCueInvert) && !(cue.flags & kCueIng)) {
            // `"...," said Blinken` / `..., said Blinken.` / `Said Blinken, "..."`.
            bool after_quote_or_comma =
                (k == s.first_token && cue.lemma == "say") ||
                (k > s.first_token && (IsComma(k - 1) || IsQuoteMarkTok(k - 1)));
            if (after_quote_or_comma && SpeakerAfter(k + 1, s.end_token, &sp)) {
              found = true;
              inverted = true;
            }
          }
          if (!found && (cue.flags & kCueIng) && k > s.first_token && IsComma(k - 1)) {
            // ", saying that...": the subject at the start of the sentence. (Also after `,"`
            // or a dash: 6 of 9 right on PolNeAR train, left out.)
            found = SentenceSubject(s.first_token, k - 1, &sp);
            if (found) sp.first = sp.last = k;  // the participle stands for the subject
          }
          if (!found && (cue.flags & kCueIng) && k == s.first_token && cue.lemma != "recall") {
            // "Noting that the policy failed, Trump reminded ...": a participle clause opening
            // the sentence has the subject of the clause after its comma ("Recalling the
            // pitfalls, the RNC began" is memory, not speech).
            uint32_t c = k + 1;
            while (c < s.end_token && c < k + 40 && !(IsComma(c) && quote_of_[c] < 0)) ++c;
            if (c + 2 < s.end_token && IsComma(c)) {
              found = SentenceSubject(c + 1, std::min(s.end_token - 1, c + 12), &sp);
              // "Lashing out, Trump said ...": the main clause's own cue speaks for him.
              uint32_t v = sp.last + 1;
              while (found && v < s.end_token && v < sp.last + 4 &&
                     (Auxiliaries().count(toks_[v].fold) || IsAdverb(v) || IsComma(v)))
                ++v;
              if (found && v < s.end_token && Lower(v) && cues.count(toks_[v].fold)) found = false;
              if (found) sp.first = sp.last = k;
            }
          }
          // "..., with Donald Trump tweeting that ...": the name of an absolute "with" phrase
          // is the subject of its participle.
          static const uint64_t kWithW = FoldHash("with");
          if (!found && (cue.flags & kCueIng) && k > s.first_token + 1 &&
              mention_end_[k - 1] >= 0) {
            const LocalMention& lm = mentions_[mention_end_[k - 1]];
            uint32_t b = lm.first;
            while (b > s.first_token && !Punct(b - 1) && !Is(b - 1, kWithW) &&
                   (toks_[b - 1].flags & kTokUpperInitial) && b + 4 > lm.first)
              --b;  // title words: "with Republican Senator John McCain telling"
            if (b > s.first_token && Is(b - 1, kWithW) && quote_of_[lm.first] < 0) {
              sp.mention = lm.m;
              sp.ref = SpeakerRef::kName;
              sp.first = b;
              sp.last = lm.last;
              found = true;
            }
          }
          // "Sanders didn't come out and say ...", "Limbaugh began by crediting Trump ... and
          // urging him to ...": a cue coordinated with the verb of the sentence's subject.
          static const uint64_t kAndW = FoldHash("and");
          if (!found && !negated && k > s.first_token + 2) {
            uint32_t j = k - 1;
            while (j > s.first_token + 1 && Lower(j) &&
                   (Auxiliaries().count(toks_[j].fold) || IsAdverb(j)))
              --j;
            // Not a passive ("has been mentioned") nor after an infinitive ("needs to sell
            // herself and tell", "asking supporters to raise their hands and pledge"), and the
            // subject a name the entity extraction found ("Essentially, ...").
            static const uint64_t kBeenW = FoldHash("been"), kBeingW = FoldHash("being");
            if (Is(j, kAndW) && quote_of_[j] < 0 && Lower(j - 1) && !Is(j - 1, kThat) &&
                !Is(k - 1, kBeenW) && !Is(k - 1, kBeingW) &&
                SentenceSubject(s.first_token, j - 1, &sp) && sp.ref == SpeakerRef::kName &&
                !Prepositions().count(toks_[sp.first].fold) &&  // not "On Twitter, people can"
                std::none_of(extra_.begin(), extra_.end(),
                             [&](const EntityMention& e) { return &e == sp.mention; })) {
              found = true;
              for (uint32_t t = sp.last + 1; t < j && found; ++t)
                found = quote_of_[t] < 0 && !Is(t, kTo) && (!Punct(t) || IsComma(t));
              if (found) sp.first = sp.last = k;
            }
          }
          static const HashSet kByIng = MakeSet({"by", "after", "while", "before"});
          if (!found && (cue.flags & kCueIng) && k > s.first_token + 1 &&
              kByIng.count(toks_[k - 1].fold) && !(cue.flags & kCueBelief)) {
            // "Trump landed in hot water by saying that ...": the sentence's subject.
            found = SentenceSubject(s.first_token, k - 1, &sp);
            if (found) sp.first = sp.last = k;
          }
        }
        // "adding to his wins", "reported from Washington", "thanks to Trump": no speech.
        if ((cue.lemma == "add" && Is(cue_last + 1, kTo) && cue_last + 2 < s.end_token &&
             Lower(cue_last + 2)) ||
            (cue.lemma == "thank" && Is(cue_last + 1, kTo)) ||
            (cue.lemma == "report" && (Is(cue_last + 1, kFrom) || Is(cue_last + 1, kFor))))
          continue;
        // "Analysts noted that ...": an unnamed speaker's reported clause (not a relative
        // clause's: "Leenders, who estimated that ..., said").
        static const HashSet kRelatives = MakeSet({"who", "which"});
        // ("Promising that ..., Bolton said that ...": a participle clause opening the
        // sentence is its subject's, whose own cue follows; not an unnamed speaker's.)
        bool opening_participle = k == s.first_token && (cue.flags & kCueIng);
        if (!found && !negated && Is(cue_last + 1, kThat) && outer_that == UINT32_MAX &&
            !opening_participle) {
          if (k > s.first_token && kRelatives.count(toks_[k - 1].fold)) {
            // The relative clause ends at its comma; cues inside it are its own.
            uint32_t c = k + 1;
            while (c < s.end_token && !(IsComma(c) && quote_of_[c] < 0)) ++c;
            relative_end = c;
          } else {
            outer_that = k;
          }
        }
        if ((!found && !(cue.flags & kCueEvidence)) || negated) continue;
        if ((cue.flags & kCueEvidence) && !sp.document &&
            !(found && !inverted && sp.ref == SpeakerRef::kName &&
              sp.mention->type == EntityType::kInstitution && Is(cue_last + 1, kThat)) &&
            !DocumentSubject(s, k, &sp))
          continue;
        if ((cue.flags & kCueBelief) && !Is(cue_last + 1, kThat) &&
            !BeliefSubject(s, k, inverted, sp))
          continue;
        // "states" is most often the noun ("key Senate states", "As Soviet states and"): the
        // verb only before what was stated.
        static const uint64_t kStates = FoldHash("states");
        // ("Vermont, states that vote in March": after a comma "states that" is a noun too.)
        if (toks_[k].fold == kStates && k > s.first_token && IsComma(k - 1)) continue;
        if (((cue.flags & kCueNeedsClause) || toks_[k].fold == kStates) && !inverted &&
            !Is(cue_last + 1, kThat)) {
          uint32_t j = cue_last + 1;
          // "..., Blackwell maintains.": the cue closes the sentence after what was said.
          bool closes = j >= s.end_token || (Punct(j) && !IsQuoteMarkTok(j) && j + 1 >= s.end_token);
          bool after_clause = closes && sp.first > s.first_token && IsComma(sp.first - 1);
          while (j < s.end_token && (Word(j) == ":" || Word(j) == ",")) ++j;
          if (!after_clause && (j >= s.end_token || (quote_of_[j] < 0 && !IsQuoteMarkTok(j))))
            continue;
        }
        if (cue.flags & kCueNeedsQuote) {
          bool quote = false;
          for (uint32_t j = cue_last + 1; j < s.end_token && j < cue_last + 20 && !quote; ++j)
            // (Also a quotation in single marks, as headlines write them: `calls Obamacare
            // ‘crazy system’`.)
            quote = quote_of_[j] >= 0 || Word(j) == "\xE2\x80\x98";
          // "called him a liar", "called Clinton an enabler": an object and then "a"/"an".
          static const HashSet kObjPronouns = MakeSet({"him", "her", "them", "it", "himself",
                                                       "herself", "themselves", "itself"});
          static const uint64_t kA = FoldHash("a"), kAn = FoldHash("an");
          uint32_t o = cue_last + 1;
          if (!quote && o < s.end_token) {
            if (kObjPronouns.count(toks_[o].fold)) {
              ++o;
            } else if (mention_start_[o] >= 0) {
              o = mentions_[mention_start_[o]].last + 1;
            } else if (Is(o, FoldHash("the")) || Is(o, FoldHash("his")) ||
                       Is(o, FoldHash("her")) || Is(o, FoldHash("their"))) {
              // "called the plan a disaster": up to three words of a noun phrase.
              uint32_t e = o + 1;
              while (e < s.end_token && e < o + 4 && Lower(e) && !Is(e, kA) && !Is(e, kAn) &&
                     !Prepositions().count(toks_[e].fold))
                ++e;
              o = e;
            } else if (Lower(o) && !Is(o, kA) && !Is(o, kAn) &&
                       !Prepositions().count(toks_[o].fold)) {
              // "called climate change a hoax": a bare noun phrase of up to three words.
              uint32_t e = o + 1;
              while (e < s.end_token && e < o + 3 && Lower(e) && !Is(e, kA) && !Is(e, kAn) &&
                     !Prepositions().count(toks_[e].fold))
                ++e;
              o = e;
            } else {
              o = s.end_token;
            }
            quote = o + 1 < s.end_token && (Is(o, kA) || Is(o, kAn)) && Lower(o + 1);
          }
          if (!quote) continue;
        }
        if (CountedMembers(s, sp)) continue;
        // Inside an unnamed speaker's reported clause: part of what they said.
        if (k > outer_that || (relative_end != UINT32_MAX && k < relative_end)) break;
        // "to reflect that Sanders conceded.": a reported fact, nothing said.
        {
          uint32_t after = cue_last + 1;
          while (after < s.end_token && Punct(after)) ++after;
          if (after == s.end_token && sp.first > s.first_token && Is(sp.first - 1, kThat)) continue;
        }
        if (std::find(speakers.begin(), speakers.end(), sp.mention->canonical) != speakers.end())
          break;
        Statement st;
        Build(s, k, cue_last, inverted, cue.lemma, sp, &st);
        keep(std::move(st), sp, k);
        break;
      }
    }
    if ((cue_model_ || candidates_) && !in_title_)
      LearnedCues(s, outer_that, relative_end, &speakers, &cue_at, &who, out);
    if (s.end_token > s.first_token)
      DropNested(sent_out, cue_at, who, speaker_before, speaker_sent_before,
                 toks_[s.first_token].sentence, out);
  }
  QuoteBylines(first_out, out);
  // Quotations with no cue that continue the previous statement's speaker: after a direct
  // quotation in the next sentence or paragraph, after reported speech in the same paragraph;
  // nothing said by anyone else in between.
  std::vector<Statement> cont;
  cont.reserve(quotes_.size());  // `last` may point into it
  size_t next_stmt = first_out;
  const Statement* last = nullptr;
  for (Quote& Q : quotes_) {
    while (next_stmt < out->size() && (*out)[next_stmt].begin <= Q.mark) {
      // Of two statements of one sentence, the quotation continues the direct one
      // ("\"...,\" Carson noted, as reported by BuzzFeed News. \"...\"").
      const Statement& cand = (*out)[next_stmt];
      if (!(last && last->begin == cand.begin && last->direct && !cand.direct)) last = &cand;
      ++next_stmt;
    }
    if (Q.used || !last) continue;
    if (Q.mark < last->end) continue;
    // It must open its sentence and hold a full clause.
    size_t i = Q.mark;
    while (i > 0 && IsSpaceByte(text_[i - 1])) --i;
    bool opens = i == 0 || text_[i - 1] == '\n' || text_[i - 1] == '.' || text_[i - 1] == '?' ||
                 text_[i - 1] == '!' || text_[i - 1] == '"' || text_[i - 1] == '\x9D';
    if (!opens) continue;
    // No paragraph in between without a quotation: at most one line break run.
    size_t breaks = 0;
    for (size_t j = last->end; j < Q.mark; ++j)
      if (text_[j] == '\n' && (j == last->end || text_[j - 1] != '\n')) ++breaks;
    bool only_space = true;
    for (size_t j = last->end; j < Q.mark; ++j)
      if (!IsSpaceByte(text_[j])) only_space = false;
    if (!only_space || breaks > 1) continue;
    // After reported speech, a quotation that follows in the same paragraph ("Kerry said that
    // 100,000 would come. "That adds up to ..."") or that is the whole next paragraph, of
    // four words or more and not in capitals (not `"..." Trump shot back`, a label such as
    // `"Related:"` or a quoted headline; PolNeAR train: 14 of 17 right).
    if (!last->direct && breaks > 0) {
      if (Q.open_ended) continue;
      size_t j = Q.close_end;
      while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t' || text_[j] == '\r')) ++j;
      if (j < text_.size() && text_[j] != '\n') continue;
      uint32_t words = 0;
      bool lower = false;
      for (uint32_t t = TokenAt(Q.begin); t < toks_.size() && toks_[t].begin < Q.end; ++t) {
        if (Punct(t) || IsQuoteMarkTok(t)) continue;
        ++words;
        if (Lower(t)) lower = true;
      }
      if (words < 4 || !lower) continue;
    }
    // The quotation's sentences must have no cue of their own (`"...," she said` with an
    // unresolved "she" is someone else's).
    bool own_cue = false;
    for (size_t si = 0; si < sents_.size(); ++si)
      if (sents_[si].end > Q.mark && sents_[si].begin <= Q.close_end && has_cue[si]) own_cue = true;
    if (own_cue) continue;
    // A transcript's next speaker (`"WALLACE: Do you ...`) or a stage direction
    // (`"(CROSSTALK.)`) continues no one.
    {
      uint32_t t = TokenAt(Q.begin);
      bool caps_colon = false;
      for (uint32_t j = t; j < t + 3 && j + 1 < toks_.size() && !caps_colon; ++j) {
        if (!(toks_[j].flags & kTokAllUpper)) break;
        caps_colon = Word(j + 1) == ":";
      }
      if (caps_colon || (t < toks_.size() && Word(t) == "(")) continue;
    }
    // A quotation followed in its sentence by a verb or a new subject is no one's words
    // continued: a quoted title or term as the subject (`"Top secret" is the highest level`,
    // `"Sons of Trump" happily roots`) or an inverted cue outside the lexicon (`"Out!" the
    // crowd yelled`, `"..." blared the front page`, `"...," agrees Jane Doe`).
    if (!Q.open_ended) {
      static const HashSet kVerbAfter = MakeSet({"is", "was", "are", "were", "has", "have", "had",
                                                 "will", "would", "can", "could", "may", "might",
                                                 "should", "must", "does", "did", "do", "remains",
                                                 "means", "became", "becomes"});
      uint32_t close = TokenAt(Q.close_end);
      uint32_t t = close;
      if (t < toks_.size() && IsComma(t)) ++t;
      if (close > 0 && t < toks_.size() && toks_[t].sentence == toks_[close - 1].sentence) {
        bool subject = kVerbAfter.count(toks_[t].fold) || Determiners().count(toks_[t].fold) ||
                       (toks_[t].flags & kTokUpperInitial);
        static const HashSet kOpeners = MakeSet({"which", "who", "that", "and", "or", "but",
                                                 "because", "while", "as", "when", "if", "than",
                                                 "so", "then", "said", "says"});
        bool inverted_verb = Lower(t) && !Prepositions().count(toks_[t].fold) &&
                             !kOpeners.count(toks_[t].fold) && t + 1 < toks_.size() &&
                             toks_[t + 1].sentence == toks_[t].sentence &&
                             (Determiners().count(toks_[t + 1].fold) ||
                              (toks_[t + 1].flags & kTokUpperInitial));
        if (subject || inverted_verb) continue;
      }
    }
    Statement st = *last;
    st.speaker_ref = SpeakerRef::kContinuation;
    st.direct = true;
    st.begin = Q.mark;
    st.end = Q.close_end;
    // Include the rest of the sentence after the closing mark.
    auto sit = std::find_if(sents_.begin(), sents_.end(),
                            [&](const Sentence& se) { return se.end >= Q.close_end; });
    if (sit != sents_.end() && sit->begin <= Q.close_end) st.end = std::max(st.end, sit->end);
    st.content_begin = Q.begin;
    st.content_end = Q.end;
    SetText(&st);
    Q.used = true;
    cont.push_back(std::move(st));
    last = &cont.back();
  }
  if (!cont.empty()) {
    out->insert(out->end(), std::make_move_iterator(cont.begin()),
                std::make_move_iterator(cont.end()));
    std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first_out), out->end(),
                     [](const Statement& a, const Statement& b) { return a.begin < b.begin; });
  }
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Whether the stem left by taking "ed" or "ing" off a verb lost a final "e": "voic" (voice),
// "argu" (argue), "conclud" (conclude), "declar" (declare), "settl" (settle).
bool StemLostE(std::string_view stem) {
  const size_t n = stem.size();
  if (n < 2) return false;
  const char last = stem[n - 1], prev = stem[n - 2];
  const char before = n >= 3 ? stem[n - 3] : 'a';
  // A consonant, one vowel, then this consonant: "blam", "welcom", "lik", "describ", "vot".
  const bool single_vowel = IsVowel(prev) && !IsVowel(before) && !(before == 'q' && prev == 'u');
  if (last == prev) return false;  // "call", "pass", "buzz"
  switch (last) {
    case 'g':
      // "urg", "chang", "challeng", "plung"; not "bring", "long", "bang"
      return !(prev == 'n' && (n < 5 || before == 'i'));
    case 'c': case 'v': case 'z': case 'u':
      return true;  // "voic", "believ", "criticiz", "argu"
    case 's':
      // "rais", "releas", "caus", "revers", "collaps"; not "focus", "bonus"
      return !(prev == 'u' && !IsVowel(before)) && prev != 's';
    case 'l':
      return std::string_view("bcdfgkptz").find(prev) != std::string_view::npos;  // "settl"
    case 't':
      return (prev == 'a' && !IsVowel(before)) || (single_vowel && (prev == 'o' || prev == 'u'));
    case 'd':
    case 'r':
    case 'm':
    case 'k':
      return single_vowel && prev != 'e';  // "conclud", "declar", "blam", "invok"
    case 'n':
    case 'b':
      return single_vowel && prev == 'i';  // "opin", "determin", "describ"
    case 'p':
      return single_vowel && n <= 4;  // "hop", "shap"; not "develop"
    default:
      return false;
  }
}

// `stem` (a verb without "ed" or "ing") as the verb: a doubled final consonant undoubled
// ("admitt" -> "admit"), a lost "e" given back.
std::string VerbFromStem(std::string_view stem) {
  const size_t n = stem.size();
  // Not "add", "call", "pass", "stuff", "buzz"; but "controll", "compell" (a final "l" doubled
  // after one vowel in a longer verb).
  if (n >= 4 && stem[n - 1] == stem[n - 2] && !IsVowel(stem[n - 1]) &&
      (std::string_view("lsfz").find(stem[n - 1]) == std::string_view::npos ||
       (stem[n - 1] == 'l' && n >= 6 && IsVowel(stem[n - 3]) && !IsVowel(stem[n - 4])))) {
    return std::string(stem.substr(0, n - 1));
  }
  return StemLostE(stem) ? std::string(stem) + "e" : std::string(stem);
}

}  // namespace

std::string CueVerbLemma(std::string_view w) {
  static const std::unordered_map<std::string_view, std::string_view> kIrregular = {
      {"shot", "shoot"},     {"fought", "fight"},   {"thought", "think"},  {"felt", "feel"},
      {"sought", "seek"},    {"held", "hold"},      {"stood", "stand"},    {"spoke", "speak"},
      {"wrote", "write"},    {"gave", "give"},      {"took", "take"},      {"made", "make"},
      {"knew", "know"},      {"saw", "see"},        {"went", "go"},        {"came", "come"},
      {"led", "lead"},       {"left", "leave"},     {"meant", "mean"},     {"kept", "keep"},
      {"brought", "bring"},  {"began", "begin"},    {"struck", "strike"},  {"won", "win"},
      {"ran", "run"},        {"drew", "draw"},      {"swore", "swear"},    {"lost", "lose"},
      {"sent", "send"},      {"spent", "spend"},    {"built", "build"},    {"caught", "catch"},
      {"taught", "teach"},   {"sold", "sell"},      {"told", "tell"},      {"said", "say"},
      {"found", "find"},     {"got", "get"},        {"broke", "break"},    {"chose", "choose"},
      {"rose", "rise"},      {"fell", "fall"},      {"threw", "throw"},    {"blew", "blow"},
      {"grew", "grow"},      {"flew", "fly"},       {"forgot", "forget"},  {"withdrew", "withdraw"},
      {"shook", "shake"},    {"wore", "wear"},      {"bore", "bear"},      {"hid", "hide"},
      {"does", "do"},        {"did", "do"},         {"has", "have"},       {"had", "have"},
      {"goes", "go"},        {"is", "be"},          {"was", "be"},         {"were", "be"},
      {"agreed", "agree"},   {"created", "create"}, {"quoted", "quote"},   {"heard", "hear"},
      {"paid", "pay"},       {"laid", "lay"},       {"fled", "flee"},      {"dealt", "deal"},
      {"cited", "cite"},     {"invited", "invite"},
  };
  // A cue of several words ("shot back"): its first word.
  const size_t space = w.find(' ');
  if (space != std::string_view::npos) {
    return CueVerbLemma(w.substr(0, space)) + std::string(w.substr(space));
  }
  if (auto it = kIrregular.find(w); it != kIrregular.end()) return std::string(it->second);
  const size_t n = w.size();
  auto ends = [&](std::string_view e) { return n > e.size() + 1 && w.substr(n - e.size()) == e; };
  if (ends("ied") || ends("ies")) return std::string(w.substr(0, n - 3)) + "y";
  if (ends("eed")) return std::string(w);  // "proceed", "need"
  if (ends("ed")) return VerbFromStem(w.substr(0, n - 2));
  if (ends("ing") && n > 5) return VerbFromStem(w.substr(0, n - 3));
  if (ends("sses") || ends("shes") || ends("ches") || ends("xes") || ends("zzes")) {
    return std::string(w.substr(0, n - 2));  // "pushes", "touches"
  }
  if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) {
    return std::string(w.substr(0, n - 1));
  }
  return std::string(w);
}

Status StatementCueModel::Load(std::string_view bytes) {
  const size_t header = sizeof kCueMagic + 16;
  if (bytes.size() < header || std::memcmp(bytes.data(), kCueMagic, sizeof kCueMagic) != 0)
    return Status::Corruption("not a Dossier statement cue model");
  uint32_t version, bits;
  const char* p = bytes.data() + sizeof kCueMagic;
  std::memcpy(&version, p, 4);
  std::memcpy(&bits, p + 4, 4);
  if (version != kCueFeatureVersion || bits != kCueModelBits)
    return Status::Corruption("statement cue model has feature version " +
                              std::to_string(version) + ", this build needs " +
                              std::to_string(kCueFeatureVersion));
  size_t count = size_t{1} << bits;
  const size_t tag_count = size_t{1} << kCueTagBits;
  if (bytes.size() != header + count * 4 + count / 8 + tag_count)
    return Status::Corruption("statement cue model: truncated");
  std::memcpy(&threshold_, p + 8, 4);
  std::memcpy(&bias_, p + 12, 4);
  weights_.resize(count);
  std::memcpy(weights_.data(), bytes.data() + header, count * 4);
  words_.resize(count / 8);
  std::memcpy(words_.data(), bytes.data() + header + count * 4, count / 8);
  tag_.resize(tag_count);
  std::memcpy(tag_.data(), bytes.data() + header + count * 4 + count / 8, tag_count);
  for (uint8_t b : tag_)
    if (b > 10) return Status::Corruption("statement cue model: tagger bin out of range");
  return Status::OK();
}

const StatementCueModel* StatementCueModel::Embedded() {
  static const StatementCueModel* model = []() -> const StatementCueModel* {
    std::string_view bytes(dossier_cue_model_begin,
                           static_cast<size_t>(dossier_cue_model_end - dossier_cue_model_begin));
    if (bytes.empty()) return nullptr;
    auto* m = new StatementCueModel();
    if (!m->Load(bytes).ok()) {
      delete m;
      return nullptr;
    }
    return m;
  }();
  return model;
}

float StatementCueModel::Score(const uint32_t* f, int n) const {
  float sum = bias_;
  for (int i = 0; i < n; ++i) sum += weights_[f[i]];
  return sum;
}

std::vector<Statement> ExtractStatements(std::string_view title, std::string_view body,
                                         const ArticleEntities& entities,
                                         const schema::Codebook& codebook,
                                         const StatementOptions& options) {
  static_cast<void>(codebook);  // topics come from the entity extraction's topic mentions
  std::vector<Statement> out;
  if (!title.empty()) TextAnalysis(title, true, entities, options).Extract(&out);
  TextAnalysis(body, false, entities, options).Extract(&out);
  return out;
}

size_t CodePointOffset(std::string_view text, size_t byte_offset) {
  byte_offset = std::min(byte_offset, text.size());
  size_t n = 0;
  for (size_t i = 0; i < byte_offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace dossier::indexer
