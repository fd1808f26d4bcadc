#include <srs_protocol_http_static.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

std::string srs_http_mime_type(const std::string& ext) {
    static const struct {
        const char* ext;
        const char* type;
    } types[] = {
        {".m3u8", "application/vnd.apple.mpegurl"},
        {".ts", "video/MP2T"},
        {".flv", "video/x-flv"},
        {".mp4", "video/mp4"},
        {".m4s", "video/iso.segment"},
        {".m4a", "audio/mp4"},
        {".mpd", "application/dash+xml"},
        {".aac", "audio/aac"},
        {".mp3", "audio/mpeg"},
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".js", "application/javascript"},
        {".mjs", "application/javascript"},
        {".css", "text/css"},
        {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
        {".xml", "text/xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".wasm", "application/wasm"},
        {".map", "application/json"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".swf", "application/x-shockwave-flash"},
    };
    std::string e = srs_string_lower(ext);
    for (const auto& t : types) {
        if (e == t.ext) {
            return t.type;
        }
    }
    return "application/octet-stream";
}

namespace {

// Parses a whole string of digits; false on anything else (no sign, no spaces).
bool srs_parse_digits(const std::string& s, int64_t* v) {
    if (s.empty() || s.size() > 18) {
        return false;
    }
    int64_t r = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
        r = r * 10 + (c - '0');
    }
    *v = r;
    return true;
}

}  // namespace

SrsHttpRangeResult srs_http_parse_range(const std::string& header, int64_t size, int64_t* start, int64_t* end) {
    std::string h = srs_string_trim(header);
    if (h.size() < 6 || srs_string_lower(h.substr(0, 6)) != "bytes=") {
        return SrsHttpRangeNone;
    }
    std::string spec = srs_string_trim(h.substr(6));
    if (spec.find(',') != std::string::npos) {
        return SrsHttpRangeNone;
    }
    size_t dash = spec.find('-');
    if (dash == std::string::npos) {
        return SrsHttpRangeNone;
    }
    std::string first = srs_string_trim(spec.substr(0, dash));
    std::string last = srs_string_trim(spec.substr(dash + 1));
    int64_t a = 0, b = 0;
    if (first.empty()) {
        // suffix-byte-range-spec "-n": the last n bytes.
        if (!srs_parse_digits(last, &b)) {
            return SrsHttpRangeNone;
        }
        if (b == 0 || size == 0) {
            return SrsHttpRangeUnsatisfiable;
        }
        *start = b >= size ? 0 : size - b;
        *end = size - 1;
        return SrsHttpRangeOk;
    }
    if (!srs_parse_digits(first, &a)) {
        return SrsHttpRangeNone;
    }
    if (last.empty()) {
        b = size - 1;
    } else if (!srs_parse_digits(last, &b) || b < a) {
        // RFC 7233 2.1: last < first makes the spec invalid, which means ignore it.
        return SrsHttpRangeNone;
    }
    if (a >= size) {
        return SrsHttpRangeUnsatisfiable;
    }
    *start = a;
    *end = std::min(b, size - 1);
    return SrsHttpRangeOk;
}

SrsHttpFileServer::SrsHttpFileServer(const std::string& root_dir, const std::string& prefix)
    : root_(root_dir), prefix_(prefix) {
    while (root_.size() > 1 && root_.back() == '/') {
        root_.pop_back();
    }
}

namespace {

// The canonical absolute path with symlinks resolved; empty when it does not resolve.
std::string srs_realpath(const std::string& path) {
    std::unique_ptr<char, void (*)(void*)> p(realpath(path.c_str(), nullptr), free);
    return p ? std::string(p.get()) : std::string();
}

bool srs_path_inside(const std::string& real, const std::string& root_real) {
    if (root_real == "/") {
        return true;
    }
    return real == root_real || srs_string_starts_with(real, root_real + "/");
}

}  // namespace

namespace {

bool srs_path_has_dotdot(const std::string& path) {
    for (const std::string& seg : srs_string_split(path, "/")) {
        if (seg == "..") {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string SrsHttpFileServer::below_prefix(const std::string& path) const {
    if (prefix_.empty() || !srs_string_starts_with(path, prefix_)) {
        return path;
    }
    std::string rest = path.substr(prefix_.size());
    return rest.empty() || rest[0] != '/' ? "/" + rest : rest;
}

bool SrsHttpFileServer::has_file(const std::string& url_path) const {
    std::string path = url_path;
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) {
        return false;
    }
    if (srs_path_has_dotdot(path)) {
        return false;
    }
    path = below_prefix(path);
    struct stat st;
    return stat((root_ + path).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

srs_error_t SrsHttpFileServer::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!r->is_get() && !r->is_head()) {
        w->header()->set("Allow", "GET, HEAD");
        return srs_http_write_error(w, 405);
    }

    // The request-target was decoded strictly already; what it decoded to must still
    // name a plain path under the root.
    std::string raw = srs_string_lower(r->raw_path());
    if (srs_string_contains(raw, "%2f") || srs_string_contains(raw, "%5c") || srs_string_contains(raw, "%00")) {
        return srs_http_write_error(w, 400, "400 Bad Request: encoded slash or NUL in path");
    }
    std::string path = r->path();
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) {
        return srs_http_write_error(w, 400);
    }
    if (srs_path_has_dotdot(path)) {
        return srs_http_write_error(w, 403, "403 Forbidden: .. in path");
    }
    path = below_prefix(path);

    std::string root_real = srs_realpath(root_);
    if (root_real.empty()) {
        srs_warn("http: static root %s does not resolve: %s", root_.c_str(), strerror(errno));
        return srs_http_write_error(w, 404);
    }
    std::string fullpath = root_ + path;

    struct stat st;
    if (stat(fullpath.c_str(), &st) != 0) {
        return srs_http_write_error(w, errno == EACCES ? 403 : 404);
    }
    std::string real = srs_realpath(fullpath);
    if (real.empty() || !srs_path_inside(real, root_real)) {
        srs_warn("http: %s resolves to %s outside %s", fullpath.c_str(), real.c_str(), root_real.c_str());
        return srs_http_write_error(w, 403);
    }

    if (S_ISDIR(st.st_mode)) {
        if (r->path().back() != '/') {
            // Relative links in the index must resolve inside the directory.
            w->header()->set("Location",
                             srs_http_url_encode(r->path() + "/", true) + (r->query().empty() ? "" : "?" + r->query()));
            return srs_http_write_error(w, 301);
        }
        real += "/index.html";
        if (stat(real.c_str(), &st) != 0) {
            // No directory listings.
            return srs_http_write_error(w, 403);
        }
        std::string index_real = srs_realpath(real);
        if (index_real.empty() || !srs_path_inside(index_real, root_real)) {
            return srs_http_write_error(w, 403);
        }
        real = index_real;
    }
    if (!S_ISREG(st.st_mode)) {
        return srs_http_write_error(w, 403);
    }
    return serve_file(w, r, real);
}

srs_error_t SrsHttpFileServer::serve_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& fullpath) {
    srs_error_t err = srs_success;

    int fd = ::open(fullpath.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return srs_http_write_error(w, errno == EACCES ? 403 : 404);
    }
    std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* p) { ::close(*p); });
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return srs_http_write_error(w, 403);
    }
    int64_t size = (int64_t)st.st_size;

    std::string ext;
    size_t dot = fullpath.rfind('.');
    if (dot != std::string::npos && fullpath.find('/', dot) == std::string::npos) {
        ext = fullpath.substr(dot);
    }
    SrsHttpHeader* h = w->header();
    std::string last_modified = srs_http_date((int64_t)st.st_mtime);
    h->set("Last-Modified", last_modified);
    h->set("Accept-Ranges", "bytes");
    if (!h->has("Content-Type")) {
        h->set_content_type(srs_http_mime_type(ext));
    }

    // A cache revalidation of an unchanged file (RFC 7232 3.3); exact match is enough for
    // browsers, which echo our Last-Modified.
    if (r->header()->get("If-Modified-Since") == last_modified && !r->header()->has("Range")) {
        w->write_header(304);
        return w->final_request();
    }

    int64_t start = 0, end = size - 1;
    int code = 200;
    std::string range = r->header()->get("Range");
    if (!range.empty()) {
        SrsHttpRangeResult rr = srs_http_parse_range(range, size, &start, &end);
        if (rr == SrsHttpRangeUnsatisfiable) {
            h->set("Content-Range", "bytes */" + std::to_string(size));
            return srs_http_write_error(w, 416);
        }
        if (rr == SrsHttpRangeOk) {
            code = 206;
            h->set("Content-Range",
                   "bytes " + std::to_string(start) + "-" + std::to_string(end) + "/" + std::to_string(size));
        } else {
            start = 0;
            end = size - 1;
        }
    }
    int64_t left = end - start + 1;
    h->set_content_length(left);
    w->write_header(code);
    if (r->is_head() || left <= 0) {
        return w->final_request();
    }

    // Bounded chunks, never the whole file in memory.
    const size_t chunk = 64 * 1024;
    std::unique_ptr<char[]> buf(new char[chunk]);
    int64_t offset = start;
    while (left > 0) {
        size_t want = (size_t)std::min<int64_t>(left, (int64_t)chunk);
        ssize_t n = ::pread(fd, buf.get(), want, (off_t)offset);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return srs_error_new(ERROR_SYSTEM_FILE_READ, "read %s at %lld: %s", fullpath.c_str(), (long long)offset,
                                 n == 0 ? "file shrank" : strerror(errno));
        }
        if ((err = w->write(buf.get(), (int)n)) != srs_success) {
            return srs_error_wrap(err, "send %s", fullpath.c_str());
        }
        offset += n;
        left -= n;
    }
    return err;
}
