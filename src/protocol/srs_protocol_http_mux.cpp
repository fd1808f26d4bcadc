#include <srs_protocol_http_mux.hpp>

#include <srs_core_utility.hpp>

#include <algorithm>

srs_error_t SrsHttpNotFoundHandler::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) {
    return srs_http_write_error(w, 404, "404 page not found");
}

srs_error_t SrsHttpRedirectHandler::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    std::string location = url_;
    if (!r->query().empty() && location.find('?') == std::string::npos) {
        location += "?" + r->query();
    }
    w->header()->set("Location", location);
    return srs_http_write_error(w, code_, std::to_string(code_) + " " + srs_http_status_text(code_));
}

SrsHttpServeMux::SrsHttpServeMux() : not_found_(std::make_shared<SrsHttpNotFoundHandler>()) {}

namespace {

// Lower-cases the host part of "host/path"; paths stay as they are (case-sensitive).
std::string srs_http_normalize_pattern(const std::string& pattern) {
    if (pattern.empty() || pattern[0] == '/') {
        return pattern;
    }
    size_t slash = pattern.find('/');
    return srs_string_lower(pattern.substr(0, slash)) + pattern.substr(slash);
}

}  // namespace

srs_error_t SrsHttpServeMux::handle(const std::string& raw, std::shared_ptr<ISrsHttpHandler> handler) {
    if (raw.empty()) {
        return srs_error_new(ERROR_HTTP_PATTERN_EMPTY, "empty pattern");
    }
    if (!handler) {
        return srs_error_new(ERROR_HTTP_PATTERN_EMPTY, "no handler for %s", raw.c_str());
    }
    if (raw.find('/') == std::string::npos) {
        return srs_error_new(ERROR_HTTP_PATTERN_EMPTY, "pattern %s has no path", raw.c_str());
    }
    std::string pattern = srs_http_normalize_pattern(raw);
    if (entries_.count(pattern)) {
        return srs_error_new(ERROR_HTTP_PATTERN_DUPLICATED, "pattern %s already registered", raw.c_str());
    }
    entries_[pattern] = std::move(handler);
    if (pattern[0] != '/') {
        nb_host_patterns_++;
    }
    return srs_success;
}

void SrsHttpServeMux::unhandle(const std::string& raw) {
    std::string pattern = srs_http_normalize_pattern(raw);
    auto it = entries_.find(pattern);
    if (it == entries_.end()) {
        return;
    }
    entries_.erase(it);
    if (pattern[0] != '/') {
        nb_host_patterns_--;
    }
}

bool SrsHttpServeMux::has(const std::string& pattern) const {
    return entries_.count(srs_http_normalize_pattern(pattern)) > 0;
}

void SrsHttpServeMux::hijack(ISrsHttpMatchHijacker* h) {
    if (std::find(hijackers_.begin(), hijackers_.end(), h) == hijackers_.end()) {
        hijackers_.push_back(h);
    }
}

void SrsHttpServeMux::unhijack(ISrsHttpMatchHijacker* h) {
    hijackers_.erase(std::remove(hijackers_.begin(), hijackers_.end(), h), hijackers_.end());
}

std::shared_ptr<ISrsHttpHandler> SrsHttpServeMux::match(const std::string& key, std::string* pattern) const {
    // The exact path is the longest possible match.
    auto it = entries_.find(key);
    if (it != entries_.end()) {
        *pattern = it->first;
        return it->second;
    }
    // Then the subtrees containing it, longest first: O(depth) lookups, not a scan of
    // every pattern, which matters with one pattern per live stream.
    size_t first = key.find('/');
    if (first == std::string::npos) {
        return nullptr;
    }
    for (size_t i = key.size(); i-- > first;) {
        if (key[i] != '/') {
            continue;
        }
        it = entries_.find(key.substr(0, i + 1));
        if (it != entries_.end()) {
            *pattern = it->first;
            return it->second;
        }
    }
    return nullptr;
}

srs_error_t SrsHttpServeMux::find_handler(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph,
                                          std::string* ppattern) {
    srs_error_t err = srs_success;
    std::string pattern;
    std::shared_ptr<ISrsHttpHandler> h;
    const std::string path = r->path().empty() ? "/" : r->path();

    std::string clean = srs_http_path_clean(path);
    if (clean != path) {
        h = std::make_shared<SrsHttpRedirectHandler>(srs_http_url_encode(clean, true));
    }

    std::string host = nb_host_patterns_ > 0 ? r->hostname() : "";
    if (!h && !host.empty()) {
        h = match(host + path, &pattern);
    }
    if (!h) {
        h = match(path, &pattern);
    }
    // "/live" when only "/live/" is registered: redirect into the subtree, as Go does,
    // unless "/live" matched exactly.
    bool exact = pattern == path || (!host.empty() && pattern == host + path);
    if (h && !exact && !pattern.empty() && path.back() != '/') {
        if (entries_.count(path + "/") || (!host.empty() && entries_.count(host + path + "/"))) {
            h = std::make_shared<SrsHttpRedirectHandler>(srs_http_url_encode(path + "/", true));
            pattern.clear();
        }
    } else if (!h && path.back() != '/' && entries_.count(path + "/")) {
        h = std::make_shared<SrsHttpRedirectHandler>(srs_http_url_encode(path + "/", true));
    }

    for (ISrsHttpMatchHijacker* hj : hijackers_) {
        std::shared_ptr<ISrsHttpHandler> before = h;
        if ((err = hj->hijack(r, &h)) != srs_success) {
            return srs_error_wrap(err, "hijack %s", path.c_str());
        }
        if (h != before) {
            pattern.clear();
        }
    }

    if (!h) {
        h = not_found_;
        pattern.clear();
    }
    *ph = std::move(h);
    if (ppattern) {
        *ppattern = pattern;
    }
    return err;
}

srs_error_t SrsHttpServeMux::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    srs_error_t err = srs_success;
    // Holding the handler here keeps it alive even if it is unhandled while it serves.
    std::shared_ptr<ISrsHttpHandler> h;
    if ((err = find_handler(r, &h)) != srs_success) {
        return srs_error_wrap(err, "find handler");
    }
    if ((err = h->serve_http(w, r)) != srs_success) {
        return srs_error_wrap(err, "serve %s", r->path().c_str());
    }
    return err;
}

srs_error_t SrsHttpCorsMux::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!enabled_) {
        return next_->serve_http(w, r);
    }
    SrsHttpHeader* h = w->header();
    h->set("Access-Control-Allow-Origin", "*");
    h->set("Access-Control-Allow-Methods", "GET, POST, HEAD, PUT, DELETE, OPTIONS");
    // A preflight lists the headers it wants; echo them (a bare "*" does not cover
    // Authorization), else allow the usual ones.
    std::string want = r->header()->get("Access-Control-Request-Headers");
    h->set("Access-Control-Allow-Headers",
           want.empty() ? "Origin, X-Requested-With, Content-Type, Accept, Authorization, Range" : want);
    h->set("Access-Control-Expose-Headers", "Server, Content-Length, Content-Range, Content-Type");
    // Chrome's Private Network Access preflight (a public page calling a LAN server).
    if (r->header()->has("Access-Control-Request-Private-Network")) {
        h->set("Access-Control-Allow-Private-Network", "true");
    }
    if (r->is_options()) {
        w->header()->set_content_length(0);
        w->write_header(200);
        return w->final_request();
    }
    return next_->serve_http(w, r);
}
