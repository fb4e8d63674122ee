// Small hand-written lexicons used as tagger features and as cues by the extractor: given names,
// titles and honorifics, words of organisation and place names, function words, nationalities.
// They generalise beyond the training data; the tagger learns how much to trust them.
#include <string_view>
#include <unordered_map>

#include "indexer/ner.h"

namespace dossier::indexer {
namespace {

constexpr std::string_view kFirstNames[] = {
    // English-speaking world
    "aaron", "adam", "adrian", "alan", "albert", "alex", "alexander", "alexandra", "alice",
    "alison", "amanda", "amy", "andrea", "andrew", "andy", "angela", "ann", "anna", "anne",
    "anthony", "antony", "arthur", "barbara", "barry", "ben", "benjamin", "bernard", "beth",
    "betty", "bill", "bob", "brad", "brendan", "brian", "bruce", "carl", "carol", "caroline",
    "catherine", "charles", "charlie", "charlotte", "chris", "christina", "christine",
    "christopher", "chuck", "claire", "colin", "craig", "dan", "daniel", "darren", "dave",
    "david", "dean", "deborah", "dennis", "derek", "diana", "diane", "dick", "donald", "donna",
    "doug", "douglas", "ed", "edward", "elizabeth", "ellen", "emily", "emma", "eric", "frank",
    "fred", "gary", "geoff", "geoffrey", "george", "gerald", "gordon", "graham", "greg",
    "gregory", "harold", "harry", "heather", "helen", "henry", "howard", "ian", "jack", "jacob",
    "james", "jamie", "jane", "janet", "jason", "jeff", "jeffrey", "jennifer", "jeremy", "jerry",
    "jessica", "jim", "jimmy", "joan", "joe", "john", "johnny", "jon", "jonathan", "joseph",
    "josh", "joshua", "joyce", "judith", "judy", "julia", "julie", "justin", "karen", "kate",
    "katherine", "kathleen", "keith", "kelly", "ken", "kenneth", "kevin", "kim", "larry",
    "laura", "lawrence", "lee", "leonard", "linda", "lisa", "liz", "louise", "lucy", "margaret",
    "maria", "mark", "martin", "mary", "matt", "matthew", "megan", "melissa", "michael",
    "michelle", "mike", "nancy", "neil", "nick", "nicholas", "nicola", "nigel", "oliver",
    "pamela", "patricia", "patrick", "paul", "paula", "peter", "phil", "philip", "rachel",
    "ralph", "raymond", "rebecca", "richard", "rick", "rob", "robert", "robin", "roger", "ron",
    "ronald", "rose", "roy", "russell", "ruth", "ryan", "sally", "sam", "samuel", "sandra",
    "sarah", "scott", "sean", "sharon", "simon", "sophie", "stephen", "steve", "steven", "stuart",
    "susan", "thomas", "tim", "timothy", "tom", "tony", "tracy", "victoria", "walter", "wayne",
    "william", "willie",
    // Continental Europe
    "alain", "alberto", "alessandro", "alois", "andre", "andreas", "angelo", "anton", "antonio",
    "bernd", "bruno", "carlo", "carlos", "christian", "claude", "claudia", "dieter", "dietrich",
    "dirk", "dominique", "emmanuel", "enrico", "ernst", "fabio", "felipe", "fernando", "francesco",
    "francisco", "francois", "franz", "friedrich", "gerhard", "giorgio", "giovanni", "giuseppe",
    "guido", "gunter", "hans", "heinz", "helmut", "henri", "horst", "ivan", "jacques", "jan",
    "javier", "jean", "jens", "joachim", "johan", "johann", "johannes", "jorge", "jose", "josef",
    "juan", "jurgen", "karl", "klaus", "lars", "laurent", "luca", "lucas", "luigi", "luis",
    "manuel", "marc", "marcel", "marco", "mario", "markus", "massimo", "matthias", "michel",
    "miguel", "nicolas", "olaf", "pablo", "paolo", "pascal", "pedro", "philippe", "pierre",
    "rafael", "ricardo", "roberto", "rolf", "rudolf", "sergio", "stefan", "sven", "thierry",
    "ulrich", "uwe", "vincent", "walther", "werner", "wolfgang", "yves",
    // Eastern Europe and Russia
    "aleksandr", "alexei", "anatoly", "andrei", "andrzej", "boris", "dmitry", "dmitri",
    "dmytro", "gennady", "igor", "janos", "jaroslav", "jiri", "lech", "leonid", "mikhail",
    "milan", "miroslav", "natalia", "nikolai", "oleg", "olga", "pavel", "petr", "piotr",
    "sergei", "sergey", "slobodan", "svetlana", "tatiana", "vaclav", "viktor", "vladimir",
    "volodymyr", "yevgeny", "yuri", "zoran",
    // Arabic, Persian, Turkish, Hebrew
    "abdel", "abdul", "abdullah", "ahmad", "ahmed", "ali", "amir", "ariel", "avi", "ayman",
    "benny", "ehud", "fatima", "hamad", "hassan", "hussein", "ibrahim", "ismail", "itamar",
    "khaled", "khalid", "mahmoud", "mehmet", "mohamed", "mohammad", "mohammed", "mustafa",
    "naftali", "omar", "osama", "rashid", "saeed", "said", "saleh", "salman", "shimon",
    "tariq", "yasser", "yitzhak", "yossi", "yusuf", "zaid",
    // South and East Asia, Africa, Latin America
    "akira", "amit", "anil", "arjun", "chen", "deepak", "hiroshi", "jun", "kenji", "kofi",
    "li", "lin", "manmohan", "mei", "min", "narendra", "nelson", "raj", "rahul", "ravi",
    "sanjay", "shinzo", "sunil", "takeshi", "thabo", "vijay", "wang", "wei", "yoshi", "zhang",
    "jacob", "kwame", "nana", "oluwaseun", "alejandro", "diego", "eduardo", "gabriel",
    "gustavo", "hugo", "jaime", "luiz", "raul", "ricardo",
};

constexpr std::string_view kTitles[] = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "premier", "prime", "minister", "secretary", "chancellor", "senator",
    "sen", "gov", "governor", "rep", "representative", "congressman", "congresswoman", "mayor",
    "king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "ayatollah", "pope",
    "cardinal", "archbishop", "bishop", "rabbi", "imam", "reverend", "rev", "general", "gen",
    "colonel", "col", "lieutenant", "lt", "sergeant", "sgt", "captain", "capt", "major", "maj",
    "admiral", "adm", "commander", "judge", "justice", "ambassador", "envoy", "spokesman",
    "spokeswoman", "spokesperson", "chairman", "chairwoman", "ceo", "director", "chief",
    "deputy", "foreign", "defence", "defense", "interior", "finance", "state", "former",
    "acting", "coach", "manager", "striker", "leader", "mp", "commissioner", "attorney",
    "speaker", "secretary-general", "undersecretary", "under-secretary", "diplomat",
    "spokesmen", "officials", "official", "analyst", "economist", "editor", "correspondent",
};

constexpr std::string_view kOrgWords[] = {
    "ministry", "department", "party", "bank", "corp", "corporation", "inc", "ltd", "plc", "co",
    "company", "group", "holdings", "union", "council", "commission", "committee", "agency",
    "association", "federation", "club", "university", "college", "institute", "court", "army",
    "forces", "force", "front", "movement", "league", "fund", "foundation", "news", "times",
    "post", "journal", "herald", "tribune", "press", "radio", "television", "tv", "airlines",
    "airways", "motors", "industries", "international", "securities", "capital", "partners",
    "trust", "exchange", "board", "office", "bureau", "authority", "service", "services",
    "society", "organisation", "organization", "parliament", "assembly", "congress", "senate",
    "government", "cabinet", "police", "navy", "brigade", "brigades", "guard", "united", "fc",
    "rovers", "athletic", "wanderers", "reserve", "church", "hospital", "network", "systems",
    "technologies", "energy", "oil", "petroleum", "telecom", "communications", "media",
    "pharmaceuticals", "foods", "ag", "sa", "nv", "gmbh", "bhd", "spa", "ab", "llc", "lp",
    "centre", "center", "alliance", "coalition", "brotherhood", "jihad", "mission", "courts",
    "tribunal", "school", "academy", "businesses", "chamber", "consortium", "electric",
    "steel", "mining", "resources", "investments", "insurance", "financial", "reuters",
};

constexpr std::string_view kLocWords[] = {
    "river", "lake", "mountain", "mountains", "mount", "island", "islands", "province",
    "region", "county", "city", "valley", "sea", "ocean", "gulf", "bay", "coast", "republic",
    "kingdom", "street", "avenue", "square", "strip", "peninsula", "desert", "airport",
    "port", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "upper", "lower", "new", "san", "santa", "saint", "st", "fort", "lake",
};

constexpr std::string_view kFunctionWords[] = {
    "the", "a", "an", "but", "and", "or", "if", "in", "on", "at", "for", "to", "of", "from",
    "with", "by", "as", "it", "he", "she", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "here", "his", "her", "their", "its", "our", "my", "your", "when",
    "while", "after", "before", "since", "although", "though", "however", "meanwhile", "also",
    "so", "then", "yet", "not", "no", "all", "some", "many", "most", "other", "such", "what",
    "which", "who", "where", "why", "how", "one", "two", "three", "source", "according", "said",
    "says", "read", "more", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "today", "yesterday", "tomorrow", "photo",
    "image", "video", "copyright", "update", "updated", "breaking", "exclusive", "analysis",
    "opinion", "editorial", "comment", "despite", "during", "under", "over", "about", "into",
    "instead", "additionally", "several", "both", "each", "every", "neither", "either",
    // capitalised words that are not names on their own
    "christmas", "easter", "ramadan", "eid", "hanukkah", "thanksgiving", "oscar", "oscars",
    "grammy", "grammys", "emmy", "bafta", "internet", "web", "tv", "pc", "dvd", "cd", "id",
    "mp3", "sms", "gdp", "ceo", "cfo", "ai", "covid", "brexit", "budget", "chapter", "section",
    "page", "figure", "table", "note", "notes", "reporting", "additional", "editing",
};

constexpr std::string_view kNationalities[] = {
    "american", "british", "german", "french", "israeli", "israelis", "palestinian",
    "palestinians", "russian", "russians", "ukrainian", "chinese", "japanese", "iranian",
    "iraqi", "syrian", "lebanese", "egyptian", "jordanian", "saudi", "turkish", "indian",
    "pakistani", "afghan", "european", "african", "arab", "arabs", "asian", "spanish",
    "italian", "dutch", "belgian", "swiss", "swedish", "norwegian", "danish", "finnish",
    "polish", "czech", "hungarian", "romanian", "bulgarian", "greek", "serbian", "serb",
    "serbs", "croatian", "croat", "bosnian", "albanian", "australian", "canadian", "mexican",
    "brazilian", "argentine", "chilean", "cuban", "korean", "vietnamese", "thai",
    "indonesian", "malaysian", "filipino", "nigerian", "kenyan", "jewish", "muslim",
    "muslims", "christian", "catholic", "islamic", "western", "soviet", "english", "scottish",
    "welsh", "irish", "portuguese", "austrian", "kurdish", "kurds", "yemeni", "sudanese",
    "libyan", "algerian", "moroccan", "tunisian", "taiwanese", "hong", "americans",
};

std::unordered_map<uint64_t, uint8_t> BuildLexicon() {
  std::unordered_map<uint64_t, uint8_t> m;
  auto add = [&](const auto& list, uint8_t bit) {
    for (std::string_view w : list) m[FoldHash(w)] |= bit;
  };
  add(kFirstNames, kLexFirstName);
  add(kTitles, kLexTitle);
  add(kOrgWords, kLexOrgWord);
  add(kLocWords, kLexLocWord);
  add(kFunctionWords, kLexFunction);
  add(kNationalities, kLexNationality);
  return m;
}

}  // namespace

uint8_t LexiconBits(uint64_t fold_hash) {
  static const std::unordered_map<uint64_t, uint8_t> lexicon = BuildLexicon();
  auto it = lexicon.find(fold_hash);
  return it == lexicon.end() ? 0 : it->second;
}

}  // namespace dossier::indexer
