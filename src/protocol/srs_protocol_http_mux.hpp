// Handlers and the request router, after Go's net/http ServeMux: longest pattern wins,
// patterns ending in '/' match subtrees, host patterns win over generic ones.
#pragma once

#include <srs_core_error.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_response.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

// Serves a request. A handler that returns an error makes the server close the
// connection (with 500 if nothing was sent yet).
class ISrsHttpHandler {
public:
    virtual ~ISrsHttpHandler() = default;
    virtual srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) = 0;
    // Whether it has a file (on disk or in memory) at this URL path: a hijacker whose pattern
    // also matches the path (an .mp4 stream mount over HLS's init.mp4) must leave it alone.
    virtual bool has_file(const std::string& path) const {
        (void)path;
        return false;
    }
};

// Lets later code pick or create the handler of a request after the static match, for
// URLs that exist only while a stream does ([vhost]/[app]/[stream].flv).
class ISrsHttpMatchHijacker {
public:
    virtual ~ISrsHttpMatchHijacker() = default;
    // *ph holds the matched handler (or null); set it to serve the request instead.
    virtual srs_error_t hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) = 0;
};

// 404 with a short text body.
class SrsHttpNotFoundHandler : public ISrsHttpHandler {
public:
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;
};

// Redirects to a fixed URL (301 by default), keeping the request's query when the target
// has none.
class SrsHttpRedirectHandler : public ISrsHttpHandler {
public:
    SrsHttpRedirectHandler(const std::string& url, int code = 301) : url_(url), code_(code) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    std::string url_;
    int code_;
};

// Routes requests to handlers by host and path.
//
// Patterns: "/api/v1/versions" matches that path only; "/live/" matches the subtree;
// "vhost.example.com/live/" matches that Host only and wins over "/live/". Among
// matching patterns the longest wins. A request for "/live" when only "/live/" is
// registered gets 301 to "/live/"; a request path that is not clean ("/a/../b", "//x")
// gets 301 to its clean form, as Go does. Handlers are shared: a handler unhandled while
// it serves a request lives until that request ends.
class SrsHttpServeMux : public ISrsHttpHandler {
public:
    SrsHttpServeMux();
    ~SrsHttpServeMux() override = default;
    SRS_DISALLOW_COPY(SrsHttpServeMux);

public:
    // Fails on an empty pattern, a pattern that is neither "/..." nor "host/...", or one
    // already registered.
    srs_error_t handle(const std::string& pattern, std::shared_ptr<ISrsHttpHandler> handler);
    // Removes a pattern; nothing happens when it is absent.
    void unhandle(const std::string& pattern);
    bool has(const std::string& pattern) const;
    size_t size() const { return entries_.size(); }
    // Hijackers are called in order after matching; not owned.
    void hijack(ISrsHttpMatchHijacker* h);
    void unhijack(ISrsHttpMatchHijacker* h);
    // The handler when nothing matches (404 by default).
    void set_not_found(std::shared_ptr<ISrsHttpHandler> h) { not_found_ = std::move(h); }

    // The handler for a request (never null on success) and the pattern that matched
    // (empty for redirects, hijacks and 404).
    srs_error_t find_handler(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph, std::string* pattern = nullptr);
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    // The longest registered pattern matching a "[host]/path" key.
    std::shared_ptr<ISrsHttpHandler> match(const std::string& key, std::string* pattern) const;

private:
    std::map<std::string, std::shared_ptr<ISrsHttpHandler>> entries_;
    // Whether any pattern names a host, so requests try host+path first.
    int nb_host_patterns_ = 0;
    std::vector<ISrsHttpMatchHijacker*> hijackers_;
    std::shared_ptr<ISrsHttpHandler> not_found_;
};

// Adds CORS headers (Fetch standard, "CORS protocol") to every response and answers
// preflight OPTIONS with 200, as SRS's "crossdomain on" does; passes everything
// through unchanged when disabled.
class SrsHttpCorsMux : public ISrsHttpHandler {
public:
    explicit SrsHttpCorsMux(std::shared_ptr<ISrsHttpHandler> next, bool enabled = true)
        : next_(std::move(next)), enabled_(enabled) {}
    void set_enabled(bool v) { enabled_ = v; }
    bool enabled() const { return enabled_; }
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    std::shared_ptr<ISrsHttpHandler> next_;
    bool enabled_;
};
