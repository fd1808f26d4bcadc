#include <srs_protocol_rtmp_request.hpp>

#include <srs_core_utility.hpp>
#include <srs_protocol_amf0.hpp>

namespace {

int default_port(const std::string& schema) {
    if (schema == "rtmps" || schema == "https") {
        return 443;
    }
    if (schema == "http" || schema == "rtmpt") {
        return 80;
    }
    return SRS_DEFAULT_RTMP_PORT;
}

// Removes control characters, spaces and the given extra characters.
std::string remove_chars(const std::string& s, const std::string& extra) {
    std::string r;
    r.reserve(s.size());
    for (char c : s) {
        unsigned char u = (unsigned char)c;
        if (u <= 0x20 || u == 0x7f || extra.find(c) != std::string::npos) {
            continue;
        }
        r.push_back(c);
    }
    return r;
}

// Drops empty, "." and ".." segments, so a name can never climb out of a directory.
std::string clean_path(const std::string& s) {
    std::vector<std::string> kept;
    for (const std::string& seg : srs_string_split(s, "/")) {
        if (seg.empty() || seg == "." || seg == "..") {
            continue;
        }
        kept.push_back(seg);
    }
    return srs_string_join(kept, "/");
}

// Splits "name?query" and the old SRS form "name...vhost...v" into name and query.
void split_query(const std::string& s, std::string* name, std::string* query, bool* standard) {
    size_t q = s.find('?');
    size_t dots = s.find("...");
    *standard = false;
    if (q != std::string::npos && (dots == std::string::npos || q < dots)) {
        *name = s.substr(0, q);
        *query = s.substr(q + 1);
        *standard = true;
    } else if (dots != std::string::npos) {
        *name = s.substr(0, dots);
        *query = s.substr(dots + 3);
    } else {
        *name = s;
        query->clear();
    }
}

std::string strip_definst(const std::string& app) {
    // FMS/Wowza clients may name the default instance explicitly.
    const std::string definst = "/_definst_";
    if (srs_string_ends_with(app, definst)) {
        return app.substr(0, app.size() - definst.size());
    }
    return app;
}

std::string resolve_vhost(const std::string& query) {
    std::string v = srs_rtmp_query_value(query, "vhost");
    if (v.empty()) {
        v = srs_rtmp_query_value(query, "domain");
    }
    return v;
}

}  // namespace

SrsRequest::SrsRequest() = default;

SrsRequest::~SrsRequest() = default;

std::unique_ptr<SrsRequest> SrsRequest::copy() const {
    auto r = std::make_unique<SrsRequest>();
    r->ip = ip;
    r->tcUrl = tcUrl;
    r->pageUrl = pageUrl;
    r->swfUrl = swfUrl;
    r->objectEncoding = objectEncoding;
    r->fourcc_list = fourcc_list;
    r->caps_ex = caps_ex;
    r->schema = schema;
    r->host = host;
    r->vhost = vhost;
    r->port = port;
    r->app = app;
    r->stream = stream;
    r->param = param;
    r->duration = duration;
    if (args) {
        r->args = args->copy_object();
    }
    return r;
}

void SrsRequest::update_auth(const SrsRequest& req) {
    tcUrl = req.tcUrl;
    pageUrl = req.pageUrl;
    swfUrl = req.swfUrl;
    param = req.param;
    args = req.args ? req.args->copy_object() : nullptr;
}

srs_error_t SrsRequest::parse_tc_url() {
    srs_error_t err = srs_success;
    std::string query;
    if ((err = srs_rtmp_parse_tc_url(tcUrl, &schema, &host, &port, &app, &query)) != srs_success) {
        return srs_error_wrap(err, "tcUrl %s", tcUrl.c_str());
    }
    param = query.empty() ? "" : "?" + query;
    vhost = resolve_vhost(query);
    if (vhost.empty()) {
        vhost = host;
    }
    return srs_success;
}

void SrsRequest::set_stream(const std::string& name) {
    std::string query;
    bool standard = false;
    split_query(name, &stream, &query, &standard);
    if (!query.empty()) {
        // The stream's query wins over the tcUrl's: tokens usually ride on the stream name.
        if (standard) {
            param = "?" + query;
        }
        std::string v = resolve_vhost(query);
        if (!v.empty()) {
            vhost = v;
        }
    }
}

std::string SrsRequest::get_stream_url() const {
    return srs_generate_stream_url(vhost, app, stream);
}

void SrsRequest::strip() {
    host = remove_chars(host, "/\\?#");
    vhost = remove_chars(vhost, "/\\?#");
    app = clean_path(remove_chars(app, "\\"));
    stream = clean_path(remove_chars(stream, "\\"));
}

srs_error_t srs_rtmp_parse_tc_url(const std::string& tc_url, std::string* schema, std::string* host, int* port,
                                  std::string* app, std::string* query) {
    size_t pos = tc_url.find("://");
    if (pos == std::string::npos || pos == 0) {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "no schema in %s", tc_url.c_str());
    }
    *schema = srs_string_lower(tc_url.substr(0, pos));
    std::string rest = tc_url.substr(pos + 3);

    size_t end = rest.find_first_of("/?");
    std::string authority = rest.substr(0, end);
    std::string path = end == std::string::npos ? "" : rest.substr(end);
    // Credentials in the authority (user:pass@host) are not part of the host.
    size_t at = authority.rfind('@');
    if (at != std::string::npos) {
        authority = authority.substr(at + 1);
    }

    std::string port_str;
    if (!authority.empty() && authority[0] == '[') {
        // IPv6 literal (RFC 3986 3.2.2).
        size_t close = authority.find(']');
        if (close == std::string::npos) {
            return srs_error_new(ERROR_RTMP_URL_INVALID, "unterminated IPv6 host in %s", tc_url.c_str());
        }
        *host = authority.substr(1, close - 1);
        std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') {
                return srs_error_new(ERROR_RTMP_URL_INVALID, "bad IPv6 authority in %s", tc_url.c_str());
            }
            port_str = after.substr(1);
        }
    } else {
        size_t colon = authority.find(':');
        *host = authority.substr(0, colon);
        if (colon != std::string::npos) {
            port_str = authority.substr(colon + 1);
        }
    }
    if (host->empty()) {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "no host in %s", tc_url.c_str());
    }
    *port = default_port(*schema);
    if (!port_str.empty()) {
        int64_t v = 0;
        if (!srs_parse_int64(port_str, &v) || v <= 0 || v > 65535) {
            return srs_error_new(ERROR_RTMP_URL_INVALID, "bad port %s in %s", port_str.c_str(), tc_url.c_str());
        }
        *port = (int)v;
    }

    bool standard = false;
    std::string name;
    split_query(path, &name, query, &standard);
    *app = strip_definst(srs_string_trim(name, "/"));
    *app = srs_string_trim(*app, "/");
    return srs_success;
}

std::string srs_rtmp_query_value(const std::string& query, const std::string& key) {
    std::string q = query;
    if (!q.empty() && q[0] == '?') {
        q = q.substr(1);
    }
    // The standard form: key=value pairs joined by '&'.
    for (const std::string& part : srs_string_split(q, "&")) {
        size_t eq = part.find('=');
        if (eq != std::string::npos && part.substr(0, eq) == key) {
            return part.substr(eq + 1);
        }
    }
    // The old SRS forms: "vhost...v", "vhost?v", "vhost,v".
    std::string n = q;
    n = srs_string_replace(n, "...", "?");
    n = srs_string_replace(n, ",", "?");
    std::vector<std::string> tokens = srs_string_split(n, "?");
    for (size_t i = 0; i + 1 < tokens.size(); i++) {
        if (tokens[i] == key) {
            return tokens[i + 1];
        }
    }
    return "";
}

std::string srs_generate_stream_url(const std::string& vhost, const std::string& app, const std::string& stream) {
    std::string url;
    if (!vhost.empty() && vhost != SRS_DEFAULT_VHOST) {
        url = vhost;
    }
    url += "/" + app + "/" + stream;
    return url;
}

std::string srs_generate_tc_url(const std::string& schema, const std::string& host, int port, const std::string& app) {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::string url = schema + "://" + h;
    if (port != default_port(schema)) {
        url += srs_fmt(":%d", port);
    }
    return url + "/" + app;
}

srs_error_t srs_rtmp_split_url(const std::string& url, std::string* tc_url, std::string* stream) {
    size_t pos = url.find("://");
    if (pos == std::string::npos) {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "no schema in %s", url.c_str());
    }
    size_t path = url.find('/', pos + 3);
    size_t q = url.find('?', pos + 3);
    if (path == std::string::npos || (q != std::string::npos && q < path)) {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "no app in %s", url.c_str());
    }
    // The stream is the last segment before the query.
    size_t last = url.rfind('/', q == std::string::npos ? std::string::npos : q);
    if (last == path) {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "no stream in %s", url.c_str());
    }
    *tc_url = url.substr(0, last);
    *stream = url.substr(last + 1);
    if (stream->empty() || (*stream)[0] == '?') {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "empty stream in %s", url.c_str());
    }
    return srs_success;
}
