// Article keys, URL normalisation and FNV-1a content hashes.
#include "corpus/identity.h"

#include <fmt/format.h>

#include <cstdint>
#include <initializer_list>

#include "corpus/text.h"

namespace dossier::corpus {
namespace {

// Joins hashed fields; a C0 control character, which ToValidUtf8 never leaves in text, so
// ("ab", "c") and ("a", "bc") hash differently.
constexpr char kFieldSeparator = '\x1f';

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t Fnv1a(std::string_view data, uint64_t h = kFnvOffset) {
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

std::string Hex(uint64_t h) { return fmt::format("{:016x}", h); }

uint64_t HashFields(std::initializer_list<std::string_view> fields) {
  uint64_t h = kFnvOffset;
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) h = Fnv1a(std::string_view(&kFieldSeparator, 1), h);
    first = false;
    h = Fnv1a(f, h);
  }
  return h;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsTrackingParameter(std::string_view key) {
  const std::string k = Lower(key);
  if (k.rfind("utm_", 0) == 0) return true;
  for (std::string_view t : {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid",
                             "yclid", "_ga", "_gl"}) {
    if (k == t) return true;
  }
  return false;
}

std::string CleanQuery(std::string_view query) {
  std::string out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty() || IsTrackingParameter(param.substr(0, param.find('=')))) continue;
    if (!out.empty()) out.push_back('&');
    out.append(param);
  }
  return out;
}

}  // namespace

std::string NormalizeUrl(std::string_view url) {
  url = Trim(url);
  url = url.substr(0, url.find('#'));

  std::string scheme;
  const size_t colon_slashes = url.find("://");
  if (colon_slashes != std::string_view::npos &&
      url.substr(0, colon_slashes).find_first_of("/?") == std::string_view::npos) {
    scheme = Lower(url.substr(0, colon_slashes));
    url.remove_prefix(colon_slashes + 3);
  } else if (url.substr(0, 2) == "//") {
    url.remove_prefix(2);
  }

  const size_t authority_end = url.find_first_of("/?");
  std::string_view authority = url.substr(0, authority_end);
  std::string_view rest =
      authority_end == std::string_view::npos ? std::string_view() : url.substr(authority_end);

  std::string userinfo;
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    userinfo = std::string(authority.substr(0, at + 1));
    authority.remove_prefix(at + 1);
  }
  std::string host = Lower(authority);
  // Port: after the last ':' that is not inside an IPv6 literal "[...]".
  const size_t port_colon = host.rfind(':');
  if (port_colon != std::string::npos && host.find(']', port_colon) == std::string::npos) {
    const std::string port = host.substr(port_colon + 1);
    if (port.empty() || (scheme == "http" && port == "80") ||
        (scheme == "https" && port == "443")) {
      host.resize(port_colon);
    }
  }
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);

  const size_t q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  const std::string query =
      q == std::string_view::npos ? std::string() : CleanQuery(rest.substr(q + 1));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);

  std::string out;
  if (!scheme.empty()) out = scheme + "://";
  out += userinfo;
  out += host;
  out.append(path);
  if (!query.empty()) out += "?" + query;
  return out;
}

std::string ArticleKey(const Article& a) {
  const std::string_view id = Trim(a.id);
  if (!id.empty()) return std::string(id);
  if (!Trim(a.url).empty()) {
    std::string norm = NormalizeUrl(a.url);
    if (!norm.empty()) return "url:" + norm;
  }
  return "h:" + Hex(HashFields({a.source, a.title, a.body}));
}

std::string ContentHash(const Article& a) {
  return Hex(HashFields({a.title, a.date_raw, a.source, a.author, a.url, a.body}));
}

std::string HashHex(std::string_view data) { return Hex(Fnv1a(data)); }

}  // namespace dossier::corpus
