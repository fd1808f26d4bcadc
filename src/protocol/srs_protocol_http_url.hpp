// URL helpers for HTTP: absolute URL parsing, strict percent-decoding, query strings
// and path cleaning (RFC 3986).
#pragma once

#include <srs_core_error.hpp>

#include <string>
#include <utility>
#include <vector>

// Decodes %XX escapes (RFC 3986 2.1). Strict: a '%' not followed by two hex digits is an
// error, so "%zz" or a truncated "%4" never silently passes. plus_as_space decodes '+'
// as ' ', which is right for query strings (application/x-www-form-urlencoded) only.
srs_error_t srs_http_url_decode(const std::string& in, std::string* out, bool plus_as_space = false);
// Encodes every byte outside RFC 3986 unreserved characters as %XX; keep_slash keeps '/'
// as is, for paths.
std::string srs_http_url_encode(const std::string& in, bool keep_slash = false);

// The parameters of a query string, in order. Repeated keys are all kept; get() returns
// the first, which is what "first wins" callers want.
class SrsHttpQuery {
public:
    // Parses "a=1&b=2&a=3" (leading '?' allowed). Keys and values are decoded; a
    // parameter without '=' has an empty value. Invalid escapes are an error.
    srs_error_t parse(const std::string& query);
    // The first value of key, or empty.
    std::string get(const std::string& key) const;
    // Whether the key appears at all (even with an empty value).
    bool has(const std::string& key) const;
    // Every value of key, in order.
    std::vector<std::string> get_all(const std::string& key) const;
    void add(const std::string& key, const std::string& value) { params_.emplace_back(key, value); }
    const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }
    bool empty() const { return params_.empty(); }
    // Encodes back to "a=1&b=2".
    std::string encode() const;

private:
    std::vector<std::pair<std::string, std::string>> params_;
};

// Lexical path cleaning like Go's path.Clean: collapses "//", removes "." segments and
// resolves ".." against the previous segment (never above the root); the result starts
// with '/' and keeps a trailing '/' of the input (except for the root itself).
std::string srs_http_path_clean(const std::string& path);

// The parts of an absolute URL "schema://[user@]host[:port]/path?query#fragment".
class SrsHttpUri {
public:
    // Parses an absolute http/https URL; the port defaults to 80 or 443 by schema.
    // Other schemas (rtmp, ws) are accepted with port 0 when absent, for callers that
    // only need the parts.
    srs_error_t initialize(const std::string& url);
    const std::string& url() const { return url_; }
    const std::string& schema() const { return schema_; }
    const std::string& host() const { return host_; }
    int port() const { return port_; }
    // The path as sent (still percent-encoded), "/" when absent.
    const std::string& raw_path() const { return path_; }
    // The path decoded.
    const std::string& path() const { return decoded_path_; }
    // The raw query without '?'.
    const std::string& query() const { return query_; }
    const SrsHttpQuery& query_params() const { return params_; }
    std::string query_get(const std::string& key) const { return params_.get(key); }
    const std::string& fragment() const { return fragment_; }
    const std::string& userinfo() const { return userinfo_; }
    // The request-target for the request line: raw path plus "?query" when present.
    std::string request_target() const;

private:
    std::string url_;
    std::string schema_;
    std::string host_;
    int port_ = 0;
    std::string path_;
    std::string decoded_path_;
    std::string query_;
    SrsHttpQuery params_;
    std::string fragment_;
    std::string userinfo_;
};
