// Article identity and content hashing: what makes two records "the same article".
#pragma once

#include <string>
#include <string_view>

#include "corpus/article.h"

namespace dossier::corpus {

// Normalises a URL for use as an identity: lower-cases scheme and host, drops the fragment,
// a default port, "www.", a trailing slash and common tracking parameters (utm_*, fbclid).
// Also dropped: gclid, dclid, msclkid, mc_cid, mc_eid, igshid, yclid, _ga, _gl. The path,
// the order of the remaining query parameters and the scheme itself are kept ("http" and
// "https" stay different). Returns "" for an empty or all-whitespace `url`.
std::string NormalizeUrl(std::string_view url);

// The key that identifies `a` across runs: the given id; else "url:" + NormalizeUrl(url);
// else "h:" + 16 hex digits of a hash of source, title and body. Never empty.
// (Fields are joined with '\x1f' before hashing, a byte ToValidUtf8 never leaves in text.)
std::string ArticleKey(const Article& a);

// 16 lower-case hex digits: a stable 64-bit hash (FNV-1a) of the fields that make up the
// article's content (title, date_raw, source, author, url, body). Equal hashes mean
// "unchanged" on re-index.
std::string ContentHash(const Article& a);

// Stable 64-bit FNV-1a over `data`, as 16 lower-case hex digits.
std::string HashHex(std::string_view data);

}  // namespace dossier::corpus
