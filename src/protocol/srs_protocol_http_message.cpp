#include <srs_protocol_http_message.hpp>

#include <srs_core_utility.hpp>

#include <http_parser.h>
#include <strings.h>

#include <cstring>

const char* srs_http_method_str(int method) {
    return http_method_str((http_method)method);
}

const char* srs_http_status_text(int code) {
    switch (code) {
#define SRS_HTTP_STATUS_CASE(num, name, string) \
    case num:                                   \
        return #string;
        HTTP_STATUS_MAP(SRS_HTTP_STATUS_CASE)
#undef SRS_HTTP_STATUS_CASE
        default:
            return "Unknown";
    }
}

bool srs_http_status_has_no_body(int code) {
    return (code >= 100 && code < 200) || code == 204 || code == 304;
}

namespace {

bool srs_header_name_equal(const std::string& a, const std::string& b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// A body held in memory.
class SrsHttpStringBodyReader : public ISrsHttpBodyReader {
public:
    explicit SrsHttpStringBodyReader(std::string body) : body_(std::move(body)) {}
    srs_error_t read(void* buf, size_t size, ssize_t* nread) override {
        size_t n = std::min(size, body_.size() - pos_);
        memcpy(buf, body_.data() + pos_, n);
        pos_ += n;
        if (nread) {
            *nread = (ssize_t)n;
        }
        return srs_success;
    }
    bool eof() override { return pos_ >= body_.size(); }
    int64_t nb_read() override { return (int64_t)pos_; }

private:
    std::string body_;
    size_t pos_ = 0;
};

}  // namespace

void SrsHttpHeader::set(const std::string& key, const std::string& value) {
    bool found = false;
    for (auto it = fields_.begin(); it != fields_.end();) {
        if (!srs_header_name_equal(it->first, key)) {
            ++it;
        } else if (!found) {
            it->first = key;
            it->second = value;
            found = true;
            ++it;
        } else {
            it = fields_.erase(it);
        }
    }
    if (!found) {
        fields_.emplace_back(key, value);
    }
}

void SrsHttpHeader::add(const std::string& key, const std::string& value) {
    fields_.emplace_back(key, value);
}

std::string SrsHttpHeader::get(const std::string& key) const {
    for (const auto& f : fields_) {
        if (srs_header_name_equal(f.first, key)) {
            return f.second;
        }
    }
    return "";
}

bool SrsHttpHeader::has(const std::string& key) const {
    for (const auto& f : fields_) {
        if (srs_header_name_equal(f.first, key)) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> SrsHttpHeader::get_all(const std::string& key) const {
    std::vector<std::string> r;
    for (const auto& f : fields_) {
        if (srs_header_name_equal(f.first, key)) {
            r.push_back(f.second);
        }
    }
    return r;
}

void SrsHttpHeader::del(const std::string& key) {
    for (auto it = fields_.begin(); it != fields_.end();) {
        if (srs_header_name_equal(it->first, key)) {
            it = fields_.erase(it);
        } else {
            ++it;
        }
    }
}

int64_t SrsHttpHeader::content_length() const {
    if (!has("Content-Length")) {
        return -1;
    }
    int64_t v = -1;
    if (!srs_parse_int64(srs_string_trim(get("Content-Length")), &v) || v < 0) {
        return -1;
    }
    return v;
}

void SrsHttpHeader::set_content_length(int64_t size) {
    set("Content-Length", std::to_string(size));
}

void SrsHttpHeader::write(std::string* out) const {
    for (const auto& f : fields_) {
        size_t start = out->size();
        out->append(f.first);
        out->append(": ");
        out->append(f.second);
        for (size_t i = start; i < out->size(); i++) {
            if ((*out)[i] == '\r' || (*out)[i] == '\n') {
                (*out)[i] = ' ';
            }
        }
        out->append("\r\n");
    }
}

srs_error_t SrsHttpMessage::set_url(const std::string& url) {
    srs_error_t err = srs_success;
    url_ = url;
    std::string target = url;
    if (!target.empty() && target[0] != '/') {
        // Absolute-form, sent to proxies and accepted by servers (RFC 7230 5.3.2).
        SrsHttpUri uri;
        if ((err = uri.initialize(target)) != srs_success) {
            return srs_error_wrap(err, "request-target");
        }
        url_host_ = uri.host();
        if (uri.port() != 0 && uri.port() != 80 && uri.port() != 443) {
            url_host_ += ":" + std::to_string(uri.port());
        }
        target = uri.request_target();
    } else if (target.empty()) {
        return srs_error_new(ERROR_HTTP_PARSE_URI, "empty request-target");
    }

    size_t hash = target.find('#');
    if (hash != std::string::npos) {
        target.resize(hash);
    }
    size_t q = target.find('?');
    raw_path_ = target.substr(0, q);
    query_ = q == std::string::npos ? "" : target.substr(q + 1);
    if ((err = srs_http_url_decode(raw_path_, &path_)) != srs_success) {
        return srs_error_wrap(err, "path");
    }
    if ((err = params_.parse(query_)) != srs_success) {
        return srs_error_wrap(err, "query");
    }
    return err;
}

std::string SrsHttpMessage::ext() const {
    size_t slash = path_.rfind('/');
    size_t dot = path_.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return "";
    }
    return path_.substr(dot);
}

std::string SrsHttpMessage::host() const {
    std::string h = header_.get("Host");
    return h.empty() ? url_host_ : h;
}

std::string SrsHttpMessage::hostname() const {
    std::string h = host();
    if (!h.empty() && h[0] == '[') {
        size_t end = h.find(']');
        h = end == std::string::npos ? h.substr(1) : h.substr(1, end - 1);
    } else {
        size_t colon = h.find(':');
        if (colon != std::string::npos) {
            h.resize(colon);
        }
    }
    return srs_string_lower(h);
}

void SrsHttpMessage::set_body(const std::string& body) {
    body_ = std::make_shared<SrsHttpStringBodyReader>(body);
    content_length_ = (int64_t)body.size();
}

ISrsHttpBodyReader* SrsHttpMessage::body_reader() {
    if (!body_) {
        body_ = std::make_shared<SrsHttpStringBodyReader>("");
    }
    return body_.get();
}

srs_error_t SrsHttpMessage::body_read_all(std::string* body) {
    srs_error_t err = srs_success;
    ISrsHttpBodyReader* r = body_reader();
    body->clear();
    if (content_length_ > body_limit_) {
        return srs_error_new(ERROR_HTTP_BODY_TOO_LARGE, "content-length %lld exceeds %lld", (long long)content_length_,
                             (long long)body_limit_);
    }
    if (content_length_ > 0) {
        body->reserve((size_t)content_length_);
    }
    // Read straight into the string: coroutine stacks are small, so no big local buffer.
    const size_t step = 16 * 1024;
    while (!r->eof()) {
        size_t old = body->size();
        body->resize(old + step);
        ssize_t n = 0;
        err = r->read(&(*body)[old], step, &n);
        body->resize(old + (err ? 0 : (size_t)n));
        if (err != srs_success) {
            return srs_error_wrap(err, "read body after %d bytes", (int)old);
        }
        if ((int64_t)body->size() > body_limit_) {
            return srs_error_new(ERROR_HTTP_BODY_TOO_LARGE, "body exceeds %lld bytes", (long long)body_limit_);
        }
    }
    return err;
}
