#include <srs_protocol_http_client.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_http_url.hpp>

#include <cctype>

SrsHttpClient::SrsHttpClient() = default;

SrsHttpClient::~SrsHttpClient() {
    close();
}

srs_error_t SrsHttpClient::initialize(const std::string& schema, const std::string& host, int port,
                                      srs_utime_t timeout) {
    std::string s = srs_string_lower(schema);
    if (s != "http") {
        return srs_error_new(ERROR_HTTP_SCHEMA_UNSUPPORTED, "schema %s is not supported", schema.c_str());
    }
    if (host.empty() || port <= 0 || port > 65535) {
        return srs_error_new(ERROR_HTTP_PARSE_URI, "invalid server %s:%d", host.c_str(), port);
    }
    if (host != host_ || port != port_) {
        close();
    }
    schema_ = s;
    host_ = host;
    port_ = port;
    timeout_ = timeout;
    recv_timeout_ = timeout;
    send_timeout_ = timeout;
    return srs_success;
}

void SrsHttpClient::close() {
    // The parser first: it detaches the body of the last response.
    parser_.reset();
    socket_.reset();
    fd_.close();
    keep_alive_ = false;
}

srs_error_t SrsHttpClient::connect() {
    srs_error_t err = srs_success;
    if (socket_) {
        return err;
    }
    if (host_.empty()) {
        return srs_error_new(ERROR_HTTP_PARSE_URI, "client not initialized");
    }
    SrsNetFd fd;
    if ((err = srs_tcp_connect(host_, port_, timeout_, &fd)) != srs_success) {
        return srs_error_wrap(err, "http connect %s:%d", host_.c_str(), port_);
    }
    fd_ = std::move(fd);
    socket_.reset(new SrsStSocket(fd_));
    socket_->set_recv_timeout(recv_timeout_);
    socket_->set_send_timeout(send_timeout_);
    parser_.reset(new SrsHttpParser(SrsHttpParser::Response));
    keep_alive_ = false;
    return err;
}

srs_error_t SrsHttpClient::get(const std::string& path, const std::string& body,
                               std::unique_ptr<SrsHttpMessage>* resp) {
    return request("GET", path, body, resp);
}

srs_error_t SrsHttpClient::post(const std::string& path, const std::string& body,
                                std::unique_ptr<SrsHttpMessage>* resp) {
    return request("POST", path, body, resp);
}

srs_error_t SrsHttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                                   std::unique_ptr<SrsHttpMessage>* resp) {
    srs_error_t err = srs_success;
    std::string m = method;
    std::string target = path;
    std::string content = body;
    for (int redirects = 0;; redirects++) {
        if ((err = do_request(m, target, content, resp)) != srs_success) {
            return err;
        }
        int status = (*resp)->status();
        bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        std::string location = (*resp)->header()->get("Location");
        if (!redirect || max_redirects_ <= 0 || location.empty()) {
            return err;
        }
        if (redirects >= max_redirects_) {
            return srs_error_new(ERROR_HTTP_REDIRECT_LIMIT, "more than %d redirects, last to %s", max_redirects_,
                                 location.c_str());
        }
        // RFC 7231 6.4: 303 always becomes GET; 301/302 after POST do too in practice.
        if (status == 303 || ((status == 301 || status == 302) && m == "POST")) {
            m = "GET";
            content.clear();
        }
        if (location[0] == '/') {
            target = location;
        } else {
            SrsHttpUri uri;
            if ((err = uri.initialize(location)) != srs_success) {
                return srs_error_wrap(err, "redirect to %s", location.c_str());
            }
            if ((err = initialize(uri.schema(), uri.host(), uri.port(), timeout_)) != srs_success) {
                return srs_error_wrap(err, "redirect to %s", location.c_str());
            }
            target = uri.request_target();
        }
        srs_info("http: redirect %d to %s", status, location.c_str());
        // The redirect's body is not wanted; a fresh connection avoids reading it.
        if (!parser_ || !parser_->message_complete()) {
            close();
        }
    }
}

srs_error_t SrsHttpClient::do_request(const std::string& method, const std::string& path, const std::string& body,
                                      std::unique_ptr<SrsHttpMessage>* resp) {
    srs_error_t err = srs_success;
    // Reuse the connection only when the last response was read to its end and kept.
    bool reused = socket_ && keep_alive_ && parser_ && parser_->message_complete();
    if (socket_ && !reused) {
        close();
    }
    if ((err = connect()) != srs_success) {
        return err;
    }
    err = send_and_read(method, path, body, resp);
    if (err != srs_success && reused && !parser_->has_partial_message()) {
        // The server closed the idle connection before we wrote (RFC 7230 6.3.1): try
        // once more on a new one, since no byte of a response was seen.
        srs_info("http: retry on a new connection: %s", srs_error_summary(err).c_str());
        srs_error_reset(err);
        close();
        if ((err = connect()) != srs_success) {
            return err;
        }
        err = send_and_read(method, path, body, resp);
    }
    if (err != srs_success) {
        close();
    }
    return err;
}

srs_error_t SrsHttpClient::send_and_read(const std::string& method, const std::string& path, const std::string& body,
                                         std::unique_ptr<SrsHttpMessage>* resp) {
    srs_error_t err = srs_success;
    std::string target = path.empty() ? "/" : path;
    if (target[0] != '/') {
        target = "/" + target;
    }
    std::string m = method;
    for (char& c : m) {
        c = (char)toupper(c);
    }

    SrsHttpHeader h = headers_;
    if (!h.has("Host")) {
        std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
        h.set("Host", port_ == 80 ? host : host + ":" + std::to_string(port_));
    }
    if (!h.has("User-Agent")) {
        h.set("User-Agent", SRS_SERVER_SIGNATURE);
    }
    if (!h.has("Accept")) {
        h.set("Accept", "*/*");
    }
    if (!body.empty() || m == "POST" || m == "PUT") {
        h.set_content_length((int64_t)body.size());
        if (!body.empty() && !h.has("Content-Type")) {
            h.set_content_type("application/json");
        }
    }

    std::string head = m + " " + target + " HTTP/1.1\r\n";
    h.write(&head);
    head += "\r\n";
    iovec iov[2] = {{(void*)head.data(), head.size()}, {(void*)body.data(), body.size()}};
    int n = body.empty() ? 1 : 2;
    ssize_t nwrite = 0;
    if ((err = socket_->writev(iov, n, &nwrite)) != srs_success) {
        return srs_error_wrap(err, "write %s %s", m.c_str(), target.c_str());
    }
    if (nwrite != (ssize_t)(head.size() + body.size())) {
        return srs_error_new(ERROR_SOCKET_WRITE, "wrote %d of %d bytes", (int)nwrite, (int)(head.size() + body.size()));
    }

    parser_->set_header_limit(header_limit_);
    parser_->set_body_limit(body_limit_);
    parser_->set_skip_body(m == "HEAD");
    std::unique_ptr<SrsHttpMessage> msg;
    if ((err = parser_->parse_message(socket_.get(), &msg)) != srs_success) {
        return srs_error_wrap(err, "read response of %s %s", m.c_str(), target.c_str());
    }
    msg->set_io(socket_.get());
    keep_alive_ = msg->is_keep_alive();
    *resp = std::move(msg);
    return err;
}
