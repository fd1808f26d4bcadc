#include <srs_protocol_http_url.hpp>

#include <srs_core_utility.hpp>

#include <http_parser.h>

#include <cstring>

namespace {

int srs_hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// RFC 3986 2.3 unreserved characters.
bool srs_is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

}  // namespace

srs_error_t srs_http_url_decode(const std::string& in, std::string* out, bool plus_as_space) {
    std::string r;
    r.reserve(in.size());
    for (size_t i = 0; i < in.size(); i++) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) {
                return srs_error_new(ERROR_HTTP_PARSE_URI, "truncated escape at %d of %s", (int)i, in.c_str());
            }
            int hi = srs_hex_value(in[i + 1]);
            int lo = srs_hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return srs_error_new(ERROR_HTTP_PARSE_URI, "invalid escape at %d of %s", (int)i, in.c_str());
            }
            r.push_back((char)(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_as_space) {
            r.push_back(' ');
        } else {
            r.push_back(c);
        }
    }
    *out = std::move(r);
    return srs_success;
}

std::string srs_http_url_encode(const std::string& in, bool keep_slash) {
    static const char* hex = "0123456789ABCDEF";
    std::string r;
    r.reserve(in.size());
    for (unsigned char c : in) {
        if (srs_is_unreserved(c) || (keep_slash && c == '/')) {
            r.push_back((char)c);
        } else {
            r.push_back('%');
            r.push_back(hex[c >> 4]);
            r.push_back(hex[c & 0x0f]);
        }
    }
    return r;
}

srs_error_t SrsHttpQuery::parse(const std::string& query) {
    srs_error_t err = srs_success;
    params_.clear();
    size_t pos = (!query.empty() && query[0] == '?') ? 1 : 0;
    while (pos < query.size()) {
        size_t amp = query.find('&', pos);
        if (amp == std::string::npos) {
            amp = query.size();
        }
        std::string part = query.substr(pos, amp - pos);
        pos = amp + 1;
        if (part.empty()) {
            continue;
        }
        size_t eq = part.find('=');
        std::string key, value;
        if ((err = srs_http_url_decode(part.substr(0, eq), &key, true)) != srs_success) {
            return srs_error_wrap(err, "query key");
        }
        if (eq != std::string::npos) {
            if ((err = srs_http_url_decode(part.substr(eq + 1), &value, true)) != srs_success) {
                return srs_error_wrap(err, "query value of %s", key.c_str());
            }
        }
        params_.emplace_back(std::move(key), std::move(value));
    }
    return err;
}

std::string SrsHttpQuery::get(const std::string& key) const {
    for (const auto& p : params_) {
        if (p.first == key) {
            return p.second;
        }
    }
    return "";
}

bool SrsHttpQuery::has(const std::string& key) const {
    for (const auto& p : params_) {
        if (p.first == key) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> SrsHttpQuery::get_all(const std::string& key) const {
    std::vector<std::string> r;
    for (const auto& p : params_) {
        if (p.first == key) {
            r.push_back(p.second);
        }
    }
    return r;
}

std::string SrsHttpQuery::encode() const {
    std::string r;
    for (const auto& p : params_) {
        if (!r.empty()) {
            r += "&";
        }
        r += srs_http_url_encode(p.first) + "=" + srs_http_url_encode(p.second);
    }
    return r;
}

std::string srs_http_path_clean(const std::string& path) {
    if (path.empty()) {
        return "/";
    }
    std::vector<std::string> stack;
    for (const std::string& seg : srs_string_split(path, "/")) {
        if (seg.empty() || seg == ".") {
            continue;
        }
        if (seg == "..") {
            if (!stack.empty()) {
                stack.pop_back();
            }
            continue;
        }
        stack.push_back(seg);
    }
    std::string r = "/" + srs_string_join(stack, "/");
    // Keep the trailing slash: "/live/" is a subtree pattern and must stay one. A path
    // whose last segment is "." or ".." names a directory too.
    bool dir = path.back() == '/' || srs_string_ends_with(path, "/.") || srs_string_ends_with(path, "/..");
    if (dir && r != "/") {
        r += "/";
    }
    return r;
}

srs_error_t SrsHttpUri::initialize(const std::string& url) {
    srs_error_t err = srs_success;
    *this = SrsHttpUri();
    url_ = url;

    http_parser_url hp;
    http_parser_url_init(&hp);
    if (http_parser_parse_url(url.data(), url.size(), 0, &hp) != 0) {
        return srs_error_new(ERROR_HTTP_PARSE_URI, "invalid url %s", url.c_str());
    }
    auto field = [&](int f) -> std::string {
        if (!(hp.field_set & (1 << f))) {
            return "";
        }
        return url.substr(hp.field_data[f].off, hp.field_data[f].len);
    };
    schema_ = srs_string_lower(field(UF_SCHEMA));
    host_ = field(UF_HOST);
    if (schema_.empty() || host_.empty()) {
        return srs_error_new(ERROR_HTTP_PARSE_URI, "url %s is not absolute", url.c_str());
    }
    userinfo_ = field(UF_USERINFO);
    path_ = field(UF_PATH);
    if (path_.empty()) {
        path_ = "/";
    }
    query_ = field(UF_QUERY);
    fragment_ = field(UF_FRAGMENT);

    if (hp.field_set & (1 << UF_PORT)) {
        port_ = hp.port;
        if (port_ <= 0) {
            return srs_error_new(ERROR_HTTP_PARSE_URI, "invalid port in %s", url.c_str());
        }
    } else if (schema_ == "http" || schema_ == "ws") {
        port_ = 80;
    } else if (schema_ == "https" || schema_ == "wss") {
        port_ = 443;
    } else if (schema_ == "rtmp") {
        port_ = 1935;
    }

    if ((err = srs_http_url_decode(path_, &decoded_path_)) != srs_success) {
        return srs_error_wrap(err, "path of %s", url.c_str());
    }
    if ((err = params_.parse(query_)) != srs_success) {
        return srs_error_wrap(err, "query of %s", url.c_str());
    }
    return err;
}

std::string SrsHttpUri::request_target() const {
    return query_.empty() ? path_ : path_ + "?" + query_;
}
