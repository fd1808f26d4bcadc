// Serving files from a directory: MIME types, single byte ranges (RFC 7233), and no way
// out of the root (no "..", no encoded slashes or NUL, no symlink pointing outside).
#pragma once

#include <srs_core_error.hpp>
#include <srs_protocol_http_mux.hpp>

#include <string>

// The Content-Type of a file extension such as ".m3u8" (any case, with the dot);
// application/octet-stream when unknown.
std::string srs_http_mime_type(const std::string& ext);

// What a Range header asks of a resource of a given size (RFC 7233 2.1, 4.4).
enum SrsHttpRangeResult {
    // No range, a unit other than bytes, several ranges or bad syntax: send everything
    // (RFC 7233 3.1 lets a server ignore Range).
    SrsHttpRangeNone,
    // One satisfiable range, [*start, *end] inclusive.
    SrsHttpRangeOk,
    // 416 with "Content-Range: bytes */size".
    SrsHttpRangeUnsatisfiable,
};
SrsHttpRangeResult srs_http_parse_range(const std::string& header, int64_t size, int64_t* start, int64_t* end);

// Serves GET and HEAD for files under a root directory, like Go's http.FileServer
// without directory listings. A directory serves its index.html.
class SrsHttpFileServer : public ISrsHttpHandler {
public:
    // prefix: a leading part of the URL path to drop before mapping to the root, for a
    // server mounted at "/hls/" over a directory; empty maps the whole path.
    explicit SrsHttpFileServer(const std::string& root_dir, const std::string& prefix = "");
    ~SrsHttpFileServer() override = default;
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;
    // A regular file below the root (no "..", the prefix dropped as serve_http does).
    bool has_file(const std::string& path) const override;
    const std::string& root() const { return root_; }

protected:
    // Sends one regular file, already checked to be inside the root. Subclasses may
    // override for per-type behaviour (for example FLV or MP4 seeking).
    virtual srs_error_t serve_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& fullpath);

private:
    // The path below the root: the prefix dropped.
    std::string below_prefix(const std::string& path) const;

private:
    std::string root_;
    std::string prefix_;
};
