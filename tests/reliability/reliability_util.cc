// Helpers for the reliability tests.
#include "reliability_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace dossier::testing {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const kWords[] = {
    "government", "minister", "talks", "ceasefire", "economy", "inflation", "rates", "bank",
    "election", "vote", "parliament", "border", "trade", "tariffs", "steel", "harbour", "port",
    "storm", "flood", "drought", "harvest", "wheat", "prices", "fuel", "energy", "grid",
    "pipeline", "sanctions", "embassy", "envoy", "summit", "climate", "emissions", "court",
    "ruling", "appeal", "judge", "police", "protest", "strike", "union", "workers", "wages",
    "budget", "deficit", "taxes", "reform", "hospital", "vaccine", "outbreak", "schools",
    "teachers", "railway", "airport", "flights", "shipping", "convoy", "aid", "refugees",
    "camp", "checkpoint", "officials", "spokesman", "statement", "agreement", "treaty",
    "negotiators", "delegation", "coalition", "opposition", "party", "leader", "campaign",
    "poll", "survey", "market", "shares", "investors", "currency", "exports", "imports",
    "factory", "mine", "copper", "gold", "oil", "gas", "reserves", "drilling", "offshore",
    "coast", "river", "bridge", "dam", "village", "district", "province", "capital", "city",
    "northern", "southern", "eastern", "western", "quietly", "sharply", "slowly", "again",
    "week", "month", "year", "today", "yesterday", "tomorrow", "morning", "evening", "night",
    "said", "announced", "warned", "rejected", "approved", "delayed", "signed", "visited",
    "reopened", "closed", "raised", "cut", "held", "met", "agreed", "denied", "confirmed"};
const char* const kNames[] = {"Amara Okafor", "Jonas Varga", "Lena Kessel", "Rafael Moreno",
                              "Priya Nair",   "Tomas Brandt", "Hana Sato",  "Omar Haddad",
                              "Ines Duarte",  "Viktor Malik", "Grace Obi",  "Ruth Lindqvist"};
const char* const kPlaces[] = {"Geneva", "Brussels", "Nairobi", "Lisbon", "Warsaw", "Jakarta",
                               "Lima", "Oslo", "Cairo", "Manila", "Kyiv", "Hanoi"};
const char* const kSources[] = {"Harbour Times", "Continental Wire", "Daily Ledger",
                                "Northern Post", "Evening Courier", "Reuters"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

template <size_t N>
const char* Pick(const char* const (&list)[N], std::mt19937& rng) {
  return list[rng() % N];
}

std::string Sentence(std::mt19937& rng) {
  std::string s;
  int words = 6 + static_cast<int>(rng() % 14);
  for (int i = 0; i < words; ++i) {
    std::string w;
    switch (rng() % 12) {
      case 0: w = Pick(kNames, rng); break;
      case 1: w = Pick(kPlaces, rng); break;
      default: w = Pick(kWords, rng);
    }
    if (i == 0) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    s += (i ? " " : "") + w;
    if (i + 1 < words && rng() % 9 == 0) s += ",";
  }
  return s + ".";
}

}  // namespace

std::string GenerateJsonl(int count, uint32_t seed, const std::string& id_prefix) {
  std::mt19937 rng(seed);
  std::string out;
  for (int i = 0; i < count; ++i) {
    json j;
    char id[32];
    snprintf(id, sizeof id, "%05d", i);
    if (i % 10 == 7) {
      j["url"] = "https://news.example.org/" + id_prefix + "/" + id + "?utm_source=feed";
    } else {
      j["id"] = id_prefix + "-" + id;
      if (rng() % 3 == 0) j["url"] = "https://example.com/" + id_prefix + "/" + id;
    }
    if (rng() % 8 != 0) {
      std::string t = Sentence(rng);
      t.pop_back();
      j["title"] = t;
    }
    int y = 2019 + static_cast<int>(rng() % 6), m = 1 + static_cast<int>(rng() % 12),
        d = 1 + static_cast<int>(rng() % 28);
    char date[64];
    switch (rng() % 5) {
      case 0: snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, int(rng() % 24), int(rng() % 60)); break;
      case 1: snprintf(date, sizeof date, "%d %s %d", d, kMonths[m - 1], y); break;
      case 2: snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d); break;
      case 3: snprintf(date, sizeof date, "%s %d, %d", kMonths[m - 1], d, y); break;
      default: date[0] = '\0';
    }
    if (date[0]) j["date"] = date;
    j["source"] = Pick(kSources, rng);
    if (rng() % 2) j["author"] = Pick(kNames, rng);
    std::string body;
    int paragraphs = 1 + static_cast<int>(rng() % 4);
    for (int p = 0; p < paragraphs; ++p) {
      if (p) body += "\n\n";
      int sentences = 1 + static_cast<int>(rng() % 5);
      for (int s = 0; s < sentences; ++s) body += (s ? " " : "") + Sentence(rng);
    }
    j["body"] = body;
    out += j.dump() + "\n";
  }
  return out;
}

std::pair<std::string, std::string> SplitLines(const std::string& jsonl, int n) {
  size_t pos = 0;
  for (int i = 0; i < n && pos != std::string::npos; ++i) {
    pos = jsonl.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  if (pos == std::string::npos) return {jsonl, ""};
  return {jsonl.substr(0, pos), jsonl.substr(pos)};
}

Child::Child(const std::string& command, const std::string& out_path, const std::string& err_path) {
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    // exec: the shell replaces itself with the binary, so a signal to the group hits it.
    std::string full = "exec " + command;
    execl("/bin/sh", "sh", "-c", full.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid_ > 0) setpgid(pid_, pid_);  // both sides, so the group exists before any Kill()
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) {
    kill(-pid_, SIGKILL);
    Wait();
  }
}

void Child::Kill(int signal) {
  if (pid_ > 0 && !reaped_) kill(-pid_, signal);
}

static int DecodeStatus(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

int Child::Wait() {
  if (reaped_ || pid_ <= 0) return status_;
  int raw = 0;
  while (waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  status_ = DecodeStatus(raw);
  return status_;
}

bool Child::Poll(int* status) {
  if (!reaped_ && pid_ > 0) {
    int raw = 0;
    pid_t r = waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_ = DecodeStatus(raw);
    }
  }
  if (reaped_ && status) *status = status_;
  return reaped_;
}

std::vector<std::string> ShardPaths(const std::string& db) {
  std::vector<std::string> shards;
  std::ifstream in(db + "/XAPIANDB");
  std::string type, where;
  while (in >> type >> where) shards.push_back(db + "/" + where);
  return shards;
}

std::string XapianCheck(const std::string& path) {
  CommandResult r = RunCommand("xapian-check " + Quote(path));
  if (r.status == 0 && r.out.find("No errors found") != std::string::npos) return "";
  return "xapian-check " + path + " (status " + std::to_string(r.status) + "):\n" + r.out + r.err;
}

int64_t DocCount(const std::string& db) {
  CommandResult r =
      RunCommand(Quote(SearchBin()) + " --db " + Quote(db) + " --format json --limit 0 '*'");
  json j = json::parse(r.out, nullptr, false);
  if (j.is_discarded() || !j.contains("total")) return -1;
  return j["total"].get<int64_t>();
}

Snapshot TakeSnapshot(const std::string& db) {
  Snapshot s;
  CommandResult all = RunCommand(Quote(SearchBin()) + " --db " + Quote(db) +
                                 " --limit all --format jsonl --no-snippets '*'");
  std::istringstream lines(all.out);
  std::string line;
  while (std::getline(lines, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    if (j["type"] == "hit") s.ids.push_back(j["id"]);
    if (j["type"] == "summary") s.total = j["total"];
  }
  std::sort(s.ids.begin(), s.ids.end());
  for (const char* q : {"ceasefire talks", "\"Amara Okafor\"", "title:minister", "Geneva OR Oslo",
                        "source:harbour year:2021", "sanctions NEAR/5 oil", "negotiat*",
                        "person:okafor", "date:2020-03..2020-09 budget"}) {
    json j = SearchJson(db, "--limit 20 --no-snippets " + Quote(q));
    std::vector<std::string> ids;
    for (const json& h : j["hits"]) ids.push_back(h["id"]);
    s.queries[q] = {j.value("total", int64_t{-1}), ids};
  }
  return s;
}

std::string DescribeDifference(const Snapshot& want, const Snapshot& got) {
  std::ostringstream out;
  if (want.total != got.total) out << "total " << got.total << ", want " << want.total << "\n";
  if (want.ids != got.ids) {
    std::vector<std::string> missing, extra;
    std::set_difference(want.ids.begin(), want.ids.end(), got.ids.begin(), got.ids.end(),
                        std::back_inserter(missing));
    std::set_difference(got.ids.begin(), got.ids.end(), want.ids.begin(), want.ids.end(),
                        std::back_inserter(extra));
    out << missing.size() << " ids missing (first: " << (missing.empty() ? "" : missing[0])
        << "), " << extra.size() << " extra (first: " << (extra.empty() ? "" : extra[0]) << ")\n";
  }
  for (const auto& [q, r] : want.queries) {
    auto it = got.queries.find(q);
    if (it == got.queries.end() || it->second != r) {
      out << "query '" << q << "': total " << (it == got.queries.end() ? -1 : it->second.first)
          << ", want " << r.first << " (or different hits)\n";
    }
  }
  return out.str();
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool WaitForFile(const std::string& path, double timeout_seconds) {
  auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  while (!fs::exists(path, ec)) {
    if (SecondsSince(start) > timeout_seconds) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

int CountLines(const std::string& s) {
  int n = static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  if (!s.empty() && s.back() != '\n') ++n;
  return n;
}

}  // namespace dossier::testing
