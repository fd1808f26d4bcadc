#include <srs_protocol_http_conn.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <cstring>

SrsHttpServerConn::SrsHttpServerConn(ISrsProtocolReadWriter* io, ISrsHttpHandler* handler,
                                     const SrsHttpConnLimits& limits)
    : io_(io), handler_(handler), limits_(limits), parser_(SrsHttpParser::Request) {
    parser_.set_header_limit(limits_.header_max);
    parser_.set_body_limit(limits_.body_max);
}

void SrsHttpServerConn::set_peer(const std::string& ip, int port) {
    peer_ip_ = ip;
    peer_port_ = port;
}

void SrsHttpServerConn::reply_and_close(int code, const std::string& message) {
    SrsHttpResponseWriter w(io_, nullptr);
    w.set_keep_alive(false);
    srs_error_t err = srs_http_write_error(&w, code, message);
    if (err == srs_success) {
        err = w.final_request();
    }
    // Best effort: the connection closes either way.
    srs_error_reset(err);
}

srs_error_t SrsHttpServerConn::serve() {
    srs_error_t err = srs_success;
    while (true) {
        if (pull_ && (err = pull_()) != srs_success) {
            return srs_error_wrap(err, "http conn pull");
        }

        std::unique_ptr<SrsHttpMessage> msg;
        if ((err = parser_.parse_message(io_, &msg)) != srs_success) {
            int code = srs_error_code(err);
            if (code == ERROR_HTTP_HEADER_TOO_LARGE) {
                reply_and_close(431, "");
                return srs_error_wrap(err, "request head");
            }
            if (code == ERROR_HTTP_VERSION_UNSUPPORTED) {
                reply_and_close(505, "");
                return srs_error_wrap(err, "request head");
            }
            if (code == ERROR_HTTP_PARSE_HEADER || code == ERROR_HTTP_PARSE_URI) {
                reply_and_close(400, "");
                return srs_error_wrap(err, "request head");
            }
            if (!parser_.has_partial_message()) {
                // Closed or idle between requests: the normal end of a connection.
                srs_info("http: connection ends after %lld requests: %s", (long long)nb_requests_,
                         srs_error_summary(err).c_str());
                srs_error_reset(err);
                return srs_success;
            }
            if (code == ERROR_SOCKET_TIMEOUT) {
                reply_and_close(408, "");
            }
            return srs_error_wrap(err, "read request");
        }
        nb_requests_++;
        msg->set_io(io_);
        msg->set_peer(peer_ip_, peer_port_);

        bool keep_alive = false;
        if ((err = serve_one(msg.get(), &keep_alive)) != srs_success) {
            return srs_error_wrap(err, "serve %s %s", msg->method_str(), msg->url().substr(0, 256).c_str());
        }
        if (!keep_alive) {
            return srs_success;
        }
    }
}

srs_error_t SrsHttpServerConn::serve_one(SrsHttpMessage* r, bool* keep_alive) {
    srs_error_t err = srs_success;
    *keep_alive = false;

    bool has_body = r->is_chunked() || r->content_length() > 0;
    if (r->content_length() > limits_.body_max) {
        reply_and_close(413, "");
        return srs_error_new(ERROR_HTTP_BODY_TOO_LARGE, "content-length %lld exceeds %lld",
                             (long long)r->content_length(), (long long)limits_.body_max);
    }
    // RFC 7231 5.1.1: a client that waits for 100 Continue gets it before we read the
    // body (curl waits a second for it on larger POSTs).
    if (has_body && !r->is_http10() && srs_string_lower(r->header()->get("Expect")) == "100-continue") {
        const char* cont = "HTTP/1.1 100 Continue\r\n\r\n";
        if ((err = io_->write(cont, strlen(cont), nullptr)) != srs_success) {
            return srs_error_wrap(err, "write 100 continue");
        }
    }

    // A handler may stream for hours (HTTP-FLV): the read buffer is not needed meanwhile.
    if (!has_body) {
        parser_.release_buffer();
    }

    SrsHttpResponseWriter w(io_, r);
    if ((err = handler_->serve_http(&w, r)) != srs_success) {
        if (!w.header_sent()) {
            int code = srs_error_code(err);
            int status = code == ERROR_HTTP_NOT_FOUND            ? 404
                         : code == ERROR_HTTP_FORBIDDEN          ? 403
                         : code == ERROR_HTTP_METHOD_NOT_ALLOWED ? 405
                         : code == ERROR_HTTP_BODY_TOO_LARGE     ? 413
                         : code == ERROR_HTTP_AUTH               ? 401
                                                                 : 500;
            reply_and_close(status, "");
        }
        return srs_error_wrap(err, "handler");
    }
    if ((err = w.final_request()) != srs_success) {
        return srs_error_wrap(err, "final response");
    }
    *keep_alive = w.keep_alive() && r->is_keep_alive();
    return err;
}

SrsHttpDisconnectWatcher::SrsHttpDisconnectWatcher(ISrsReader* io) : io_(io), trd_("http-watch", this) {}

SrsHttpDisconnectWatcher::~SrsHttpDisconnectWatcher() {
    trd_.stop();
}

srs_error_t SrsHttpDisconnectWatcher::start() {
    srs_error_t err = srs_success;
    if (!io_) {
        return srs_error_new(ERROR_SOCKET_CLOSED, "no connection to watch");
    }
    if ((err = trd_.start()) != srs_success) {
        return srs_error_wrap(err, "start http watcher");
    }
    return err;
}

srs_error_t SrsHttpDisconnectWatcher::pull() {
    if (disconnected_) {
        return srs_error_new(ERROR_SOCKET_CLOSED, "client gone: %s", reason_.c_str());
    }
    return srs_success;
}

bool SrsHttpDisconnectWatcher::wait(srs_utime_t timeout) {
    if (!disconnected_) {
        cond_.wait(timeout);
    }
    return disconnected_;
}

srs_error_t SrsHttpDisconnectWatcher::cycle() {
    srs_error_t err = srs_success;
    char buf[1024];
    while ((err = trd_.pull()) == srs_success) {
        ssize_t n = 0;
        if ((err = io_->read(buf, sizeof(buf), &n)) == srs_success) {
            // A streaming client has nothing to say; drop whatever it sends.
            continue;
        }
        int code = srs_error_code(err);
        if (code == ERROR_SOCKET_TIMEOUT) {
            // The connection's recv timeout is for requests, not for watching a stream.
            srs_error_reset(err);
            continue;
        }
        if (code == ERROR_THREAD_INTERRUPED) {
            return err;
        }
        reason_ = srs_error_summary(err);
        disconnected_ = true;
        cond_.broadcast();
        return err;
    }
    return err;
}
