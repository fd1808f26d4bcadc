#include <srs_protocol_http_response.hpp>

#include <srs_core_log.hpp>
#include <srs_core_time.hpp>
#include <srs_core_utility.hpp>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace {

// Buffers per writev: below IOV_MAX (1024) with room for the head and chunk framing.
const int kSrsHttpMaxIovs = 1000;

}  // namespace

SrsHttpResponseWriter::SrsHttpResponseWriter(ISrsWriter* io, SrsHttpMessage* request) : io_(io), req_(request) {
    if (req_) {
        head_only_ = req_->is_head();
        http10_ = req_->is_http10() || req_->major() < 1;
        keep_alive_ = req_->is_keep_alive();
    }
}

void SrsHttpResponseWriter::write_header(int code) {
    if (header_sent_) {
        srs_warn("http: status %d after the head was sent is ignored", code);
        return;
    }
    status_ = code;
}

void SrsHttpResponseWriter::build_head(bool final_empty) {
    if (status_ < 100 || status_ > 999) {
        status_ = 500;
    }
    if (!header_.has("Server")) {
        header_.set("Server", SRS_SERVER_SIGNATURE);
    }
    if (date_ && !header_.has("Date")) {
        header_.set("Date", srs_http_date(srs_get_wall_time() / SRS_UTIME_SECONDS));
    }
    std::string conn = srs_string_lower(header_.get("Connection"));
    if (conn == "close") {
        keep_alive_ = false;
    }

    content_length_ = header_.content_length();
    if (srs_http_status_has_no_body(status_)) {
        // RFC 7230 3.3.2: no Content-Length in 1xx and 204; 304 may repeat it.
        if (status_ != 304) {
            header_.del("Content-Length");
        }
        header_.del("Transfer-Encoding");
        framing_ = SrsHttpBodyNone;
    } else if (content_length_ >= 0) {
        framing_ = SrsHttpBodyContentLength;
    } else if (final_empty) {
        header_.set_content_length(0);
        content_length_ = 0;
        framing_ = SrsHttpBodyContentLength;
    } else if (!http10_) {
        header_.del("Content-Length");
        framing_ = SrsHttpBodyChunked;
    } else {
        framing_ = SrsHttpBodyClose;
    }

    if (framing_ != SrsHttpBodyNone && !header_.has("Content-Type")) {
        header_.set_content_type("text/plain; charset=utf-8");
    }

    if (head_only_) {
        // RFC 7231 4.3.2: the same head as GET, but no body; an unknown length is
        // simply not announced, and the connection can stay open.
        if (framing_ != SrsHttpBodyContentLength) {
            header_.del("Transfer-Encoding");
        }
        framing_ = SrsHttpBodyNone;
    } else if (framing_ == SrsHttpBodyChunked) {
        header_.set("Transfer-Encoding", "chunked");
    } else if (framing_ == SrsHttpBodyClose) {
        keep_alive_ = false;
    }

    header_.set("Connection", keep_alive_ ? "keep-alive" : "close");

    head_.clear();
    head_.reserve(256);
    head_.append("HTTP/1.1 ");
    head_.append(std::to_string(status_));
    head_.append(" ");
    head_.append(srs_http_status_text(status_));
    head_.append("\r\n");
    header_.write(&head_);
    head_.append("\r\n");
}

srs_error_t SrsHttpResponseWriter::send_all(iovec* iov, int iovcnt) {
    srs_error_t err = srs_success;
    // A writer may write part of what it is given; carry on from where it stopped.
    while (iovcnt > 0) {
        ssize_t n = 0;
        if ((err = io_->writev(iov, iovcnt, &n)) != srs_success) {
            keep_alive_ = false;
            return srs_error_wrap(err, "http write");
        }
        while (iovcnt > 0 && n >= (ssize_t)iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0 && n > 0) {
            iov->iov_base = static_cast<char*>(iov->iov_base) + n;
            iov->iov_len -= (size_t)n;
        }
        // Skip empty buffers, so an all-empty tail does not loop.
        while (iovcnt > 0 && iov->iov_len == 0) {
            iov++;
            iovcnt--;
        }
    }
    return err;
}

// The chunk-size line (hex digits, CRLF) into buf (at least 19 bytes); by hand, as snprintf
// takes about 1 KiB of stack, and a live body writes a chunk per batch deep in each player's
// coroutine: with snprintf, a stack page more per player.
size_t srs_http_chunk_size_line(char* buf, size_t size) {
    char digits[16];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[size & 0xf];
        size >>= 4;
    } while (size);
    size_t k = 0;
    while (n) {
        buf[k++] = digits[--n];
    }
    buf[k++] = '\r';
    buf[k++] = '\n';
    return k;
}

srs_error_t SrsHttpResponseWriter::send_body(const iovec* iov, int iovcnt, size_t size) {
    srs_error_t err = srs_success;
    if (final_) {
        return srs_error_new(ERROR_HTTP_DATA_INVALID, "write after final_request");
    }
    bool send_head = !header_sent_;
    if (send_head) {
        build_head(false);
        header_sent_ = true;
    }

    if (framing_ == SrsHttpBodyContentLength && written_ + (int64_t)size > content_length_) {
        keep_alive_ = false;
        return srs_error_new(ERROR_HTTP_WRITE_OVERFLOW, "write %d bytes past content-length %lld", (int)size,
                             (long long)content_length_);
    }
    bool drop = framing_ == SrsHttpBodyNone;
    if (drop || size == 0) {
        // HEAD and bodiless statuses drop the body. An empty write must not become a
        // zero-size chunk, which would end a chunked body.
        if (send_head) {
            iovec h = {(void*)head_.data(), head_.size()};
            return send_all(&h, 1);
        }
        return err;
    }

    char prefix[32];
    // For this write only (a live body keeps no iovecs between its writes).
    std::vector<iovec> iovs;
    iovs.reserve((size_t)iovcnt + 3);
    if (send_head) {
        iovs.push_back({(void*)head_.data(), head_.size()});
    }
    if (framing_ == SrsHttpBodyChunked) {
        // RFC 7230 4.1: chunk-size in hex, CRLF, data, CRLF.
        iovs.push_back({prefix, srs_http_chunk_size_line(prefix, size)});
    }
    for (int i = 0; i < iovcnt; i++) {
        if (iov[i].iov_len > 0) {
            iovs.push_back(iov[i]);
        }
    }
    if (framing_ == SrsHttpBodyChunked) {
        iovs.push_back({(void*)"\r\n", 2});
    }
    // Send in batches under IOV_MAX; one chunk may span several writev calls.
    size_t done = 0;
    while (done < iovs.size()) {
        int n = (int)std::min(iovs.size() - done, (size_t)kSrsHttpMaxIovs);
        if ((err = send_all(&iovs[done], n)) != srs_success) {
            return err;
        }
        done += (size_t)n;
    }
    written_ += (int64_t)size;
    return err;
}

srs_error_t SrsHttpResponseWriter::write(const char* data, int size) {
    if (size < 0) {
        return srs_error_new(ERROR_HTTP_DATA_INVALID, "negative write size %d", size);
    }
    iovec iov = {(void*)data, (size_t)size};
    return send_body(&iov, 1, (size_t)size);
}

srs_error_t SrsHttpResponseWriter::writev(const iovec* iov, int iovcnt, ssize_t* pnwrite) {
    srs_error_t err = srs_success;
    size_t size = 0;
    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if ((err = send_body(iov, iovcnt, size)) != srs_success) {
        return err;
    }
    if (pnwrite) {
        *pnwrite = (ssize_t)size;
    }
    return err;
}

srs_error_t SrsHttpResponseWriter::final_request() {
    srs_error_t err = srs_success;
    if (final_) {
        return err;
    }
    if (!header_sent_) {
        build_head(true);
        header_sent_ = true;
        iovec h = {(void*)head_.data(), head_.size()};
        if ((err = send_all(&h, 1)) != srs_success) {
            final_ = true;
            return err;
        }
    }
    final_ = true;
    if (framing_ == SrsHttpBodyChunked) {
        iovec last = {(void*)"0\r\n\r\n", 5};
        if ((err = send_all(&last, 1)) != srs_success) {
            return err;
        }
    } else if (framing_ == SrsHttpBodyContentLength && written_ < content_length_) {
        // The client waits for bytes that will never come; only closing tells it.
        keep_alive_ = false;
        return srs_error_new(ERROR_HTTP_RESPONSE_INCOMPLETE, "wrote %lld of content-length %lld", (long long)written_,
                             (long long)content_length_);
    }
    return err;
}

srs_error_t srs_http_write_response(ISrsHttpResponseWriter* w, int code, const std::string& content_type,
                                    const std::string& body) {
    if (!content_type.empty()) {
        w->header()->set_content_type(content_type);
    }
    w->header()->set_content_length((int64_t)body.size());
    w->write_header(code);
    return w->write(body.data(), (int)body.size());
}

srs_error_t srs_http_write_error(ISrsHttpResponseWriter* w, int code, const std::string& message) {
    std::string body = message.empty() ? std::to_string(code) + " " + srs_http_status_text(code) : message;
    body += "\n";
    w->header()->set("X-Content-Type-Options", "nosniff");
    return srs_http_write_response(w, code, "text/plain; charset=utf-8", body);
}

std::string srs_http_date(int64_t unix_seconds) {
    time_t t = (time_t)unix_seconds;
    tm g;
    gmtime_r(&t, &g);
    // Names are fixed English (RFC 7231 7.1.1.1), so no locale-dependent strftime.
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[g.tm_wday], g.tm_mday, months[g.tm_mon],
             g.tm_year + 1900, g.tm_hour, g.tm_min, g.tm_sec);
    return buf;
}
