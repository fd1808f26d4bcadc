// An HTTP/1.1 client for HTTP callbacks (hooks), the HTTP API of other servers and
// edge pulls: keep-alive reuse, timeouts, bounded bodies, optional redirects.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_parser.hpp>

#include <memory>
#include <string>

// Talks to one server (changing server only to follow a redirect). Plain http only.
//
// The response comes back with its head read; read the body with body_read_all()
// (bounded by set_body_limit) or incrementally through body_reader() for a long or
// endless body such as an HTTP-FLV stream. The body reads from this client's connection,
// so the client must outlive the reading, and the next request makes the previous
// response's body unreadable.
class SrsHttpClient {
public:
    SrsHttpClient();
    ~SrsHttpClient();
    SRS_DISALLOW_COPY(SrsHttpClient);

public:
    // Sets the server; connects on the first request. schema "http" only ("https" fails
    // with ERROR_HTTP_SCHEMA_UNSUPPORTED). The timeout bounds the connect, and also each
    // read and write unless set_recv_timeout/set_send_timeout (called after) say otherwise.
    srs_error_t initialize(const std::string& schema, const std::string& host, int port,
                           srs_utime_t timeout = 30 * SRS_UTIME_SECONDS);
    void set_recv_timeout(srs_utime_t tm) { recv_timeout_ = tm; }
    void set_send_timeout(srs_utime_t tm) { send_timeout_ = tm; }
    // A header sent with every request (replacing one of the same name).
    void set_header(const std::string& key, const std::string& value) { headers_.set(key, value); }
    // The most response body bytes; default 1 MiB. INT64_MAX for streams.
    void set_body_limit(int64_t bytes) { body_limit_ = bytes; }
    // The most response head bytes; default 64 KiB.
    void set_header_limit(int bytes) { header_limit_ = bytes; }
    // Redirects (301, 302, 303, 307, 308) are returned as they are unless this is above 0;
    // then up to n are followed (303, and 301/302 after POST, become GET).
    void set_max_redirects(int n) { max_redirects_ = n; }

    // path is the request-target, already percent-encoded, for example "/api?x=1".
    srs_error_t get(const std::string& path, const std::string& body, std::unique_ptr<SrsHttpMessage>* resp);
    srs_error_t post(const std::string& path, const std::string& body, std::unique_ptr<SrsHttpMessage>* resp);
    // Any method. A non-empty body is sent with Content-Length, typed application/json
    // unless a Content-Type header was set.
    srs_error_t request(const std::string& method, const std::string& path, const std::string& body,
                        std::unique_ptr<SrsHttpMessage>* resp);
    // Closes the connection; the next request connects again.
    void close();

    const std::string& host() const { return host_; }
    int port() const { return port_; }
    bool connected() const { return socket_ != nullptr; }
    // The connection of the last request (null when closed).
    ISrsProtocolReadWriter* io() { return socket_.get(); }

private:
    srs_error_t connect();
    srs_error_t do_request(const std::string& method, const std::string& path, const std::string& body,
                           std::unique_ptr<SrsHttpMessage>* resp);
    srs_error_t send_and_read(const std::string& method, const std::string& path, const std::string& body,
                              std::unique_ptr<SrsHttpMessage>* resp);

private:
    std::string schema_;
    std::string host_;
    int port_ = 0;
    srs_utime_t timeout_ = 30 * SRS_UTIME_SECONDS;
    srs_utime_t recv_timeout_ = 30 * SRS_UTIME_SECONDS;
    srs_utime_t send_timeout_ = 30 * SRS_UTIME_SECONDS;
    int64_t body_limit_ = 1024 * 1024;
    int header_limit_ = 64 * 1024;
    int max_redirects_ = 0;
    SrsHttpHeader headers_;
    SrsNetFd fd_;
    std::unique_ptr<SrsStSocket> socket_;
    std::unique_ptr<SrsHttpParser> parser_;
    // Whether the last response allows another request on the connection.
    bool keep_alive_ = false;
};
