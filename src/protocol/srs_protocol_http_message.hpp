// HTTP/1.1 messages (RFC 7230): the header list and the request or response that the
// parser fills, with its body readable on demand.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_protocol_http_url.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

// Methods, numbered as http_parser numbers them (http_parser.h enum http_method).
enum SrsHttpMethod {
    SrsHttpMethodDelete = 0,
    SrsHttpMethodGet = 1,
    SrsHttpMethodHead = 2,
    SrsHttpMethodPost = 3,
    SrsHttpMethodPut = 4,
    SrsHttpMethodOptions = 6,
};

// The method's name, for example "GET"; "<unknown>" for a number http_parser does not know.
const char* srs_http_method_str(int method);
// The reason phrase of a status code (RFC 7231 6.1), for example "Not Found".
const char* srs_http_status_text(int code);
// Whether a response with this status never has a body (RFC 7230 3.3.3: 1xx, 204, 304).
bool srs_http_status_has_no_body(int code);

// Header fields in arrival order with case-insensitive names (RFC 7230 3.2). Repeated
// names are kept as separate fields.
class SrsHttpHeader {
public:
    // Replaces every field of this name by one field, at the position of the first.
    void set(const std::string& key, const std::string& value);
    // Appends a field, keeping others of the same name.
    void add(const std::string& key, const std::string& value);
    // The first value of the name, or empty.
    std::string get(const std::string& key) const;
    bool has(const std::string& key) const;
    std::vector<std::string> get_all(const std::string& key) const;
    void del(const std::string& key);
    void clear() { fields_.clear(); }

    // Content-Length, or -1 when absent or not a valid number.
    int64_t content_length() const;
    void set_content_length(int64_t size);
    std::string content_type() const { return get("Content-Type"); }
    void set_content_type(const std::string& ct) { set("Content-Type", ct); }

    size_t count() const { return fields_.size(); }
    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
    // Appends "Name: value\r\n" per field. CR and LF inside names or values are replaced by
    // spaces so that no handler can inject a header or split the response.
    void write(std::string* out) const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

// Reads a message body as it arrives, decoded from chunked transfer coding when needed.
// read() gives at least one byte, or zero bytes only once the body has ended (eof()).
class ISrsHttpBodyReader : public ISrsReader {
public:
    ~ISrsHttpBodyReader() override = default;
    // Whether the whole body has been read (at once for a message without a body).
    virtual bool eof() = 0;
    // Body bytes read so far.
    virtual int64_t nb_read() = 0;
};

// An HTTP request (server side) or response (client side). The parser fills the head;
// the body is read on demand through body_reader() or body_read_all(), bounded by the
// body limit.
class SrsHttpMessage {
public:
    SrsHttpMessage() = default;
    SRS_DISALLOW_COPY(SrsHttpMessage);

public:
    // Filled by the parser, or by tests and callers building a message by hand.
    void set_method(int method) { method_ = method; }
    void set_version(int major, int minor) {
        major_ = major;
        minor_ = minor;
    }
    void set_status(int code) { status_ = code; }
    // Sets the request-target (RFC 7230 5.3): origin-form "/path?query" or absolute-form
    // "http://host/path?query"; fails on an invalid escape or an unknown form.
    srs_error_t set_url(const std::string& url);
    void set_keep_alive(bool v) { keep_alive_ = v; }
    void set_content_length(int64_t v) { content_length_ = v; }
    void set_chunked(bool v) { chunked_ = v; }
    void set_body_reader(std::shared_ptr<ISrsHttpBodyReader> r) { body_ = std::move(r); }
    // A body held in memory, for messages built by hand.
    void set_body(const std::string& body);
    void set_body_limit(int64_t v) { body_limit_ = v; }
    // The connection the request came on, for handlers that stream for a long time and
    // must watch for the client going away (see SrsHttpDisconnectWatcher); null if none.
    void set_io(ISrsProtocolReadWriter* io) { io_ = io; }
    void set_peer(const std::string& ip, int port) {
        peer_ip_ = ip;
        peer_port_ = port;
    }

public:
    int method() const { return method_; }
    const char* method_str() const { return srs_http_method_str(method_); }
    bool is_get() const { return method_ == SrsHttpMethodGet; }
    bool is_head() const { return method_ == SrsHttpMethodHead; }
    bool is_post() const { return method_ == SrsHttpMethodPost; }
    bool is_put() const { return method_ == SrsHttpMethodPut; }
    bool is_delete() const { return method_ == SrsHttpMethodDelete; }
    bool is_options() const { return method_ == SrsHttpMethodOptions; }
    int major() const { return major_; }
    int minor() const { return minor_; }
    bool is_http10() const { return major_ == 1 && minor_ == 0; }
    // The response status, for a response.
    int status() const { return status_; }

    // The request-target as received.
    const std::string& url() const { return url_; }
    // The path, percent-decoded.
    const std::string& path() const { return path_; }
    // The path as received, still percent-encoded (for checks that must see "%2f").
    const std::string& raw_path() const { return raw_path_; }
    // The raw query without '?'.
    const std::string& query() const { return query_; }
    const SrsHttpQuery& query_params() const { return params_; }
    // The first value of a query parameter, or empty.
    std::string query_get(const std::string& key) const { return params_.get(key); }
    // The file extension of the path with its dot, for example ".flv"; empty if none.
    std::string ext() const;

    SrsHttpHeader* header() { return &header_; }
    // The Host header as sent (may include a port), or the host of an absolute-form URL.
    std::string host() const;
    // The host name only: no port, lower case, IPv6 brackets removed.
    std::string hostname() const;

    // Whether the connection may carry another message after this one (HTTP/1.1 unless
    // "Connection: close"; HTTP/1.0 only with "Connection: keep-alive").
    bool is_keep_alive() const { return keep_alive_; }
    // Content-Length, or -1 when the body length is not declared.
    int64_t content_length() const { return content_length_; }
    bool is_chunked() const { return chunked_; }
    int64_t body_limit() const { return body_limit_; }

    // The body as it arrives; never null (an empty body when none was set).
    ISrsHttpBodyReader* body_reader();
    // Reads the rest of the body into a string; fails with ERROR_HTTP_BODY_TOO_LARGE when
    // it passes the body limit.
    srs_error_t body_read_all(std::string* body);

    ISrsProtocolReadWriter* io() const { return io_; }
    const std::string& peer_ip() const { return peer_ip_; }
    int peer_port() const { return peer_port_; }

private:
    int method_ = SrsHttpMethodGet;
    int major_ = 1;
    int minor_ = 1;
    int status_ = 0;
    std::string url_;
    std::string path_;
    std::string raw_path_;
    std::string query_;
    std::string url_host_;
    SrsHttpQuery params_;
    SrsHttpHeader header_;
    bool keep_alive_ = true;
    int64_t content_length_ = -1;
    bool chunked_ = false;
    int64_t body_limit_ = 1024 * 1024;
    std::shared_ptr<ISrsHttpBodyReader> body_;
    ISrsProtocolReadWriter* io_ = nullptr;
    std::string peer_ip_;
    int peer_port_ = 0;
};
