// Writing HTTP/1.1 responses (RFC 7230 3.3): status line and header, then a body framed
// by Content-Length, chunked transfer coding, or the end of the connection.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_protocol_http_message.hpp>

#include <string>
#include <vector>

// What a handler writes its response to, like Go's http.ResponseWriter.
class ISrsHttpResponseWriter {
public:
    virtual ~ISrsHttpResponseWriter() = default;
    // The header to send. Changes after the head went out have no effect.
    virtual SrsHttpHeader* header() = 0;
    // Sets the status code (200 when never called). The head goes out with the first
    // write, writev or final_request, so the header can still be changed until then.
    virtual void write_header(int code) = 0;
    // Writes body bytes. Without a Content-Length in the header, the body is chunked for
    // HTTP/1.1 clients and ends with the connection for HTTP/1.0 clients.
    virtual srs_error_t write(const char* data, int size) = 0;
    // Writes many buffers at once (one syscall), for live streams that send many FLV
    // tags whose payloads are shared, never copied. pnwrite gets the body bytes written.
    virtual srs_error_t writev(const iovec* iov, int iovcnt, ssize_t* pnwrite) = 0;
    // Ends the response: sends the head if not yet sent (Content-Length: 0 when nothing
    // was written) and the last chunk when chunked. Idempotent.
    virtual srs_error_t final_request() = 0;
};

// How the body of a response is delimited.
enum SrsHttpBodyFraming {
    // No body on the wire: HEAD, 1xx, 204, 304.
    SrsHttpBodyNone,
    SrsHttpBodyContentLength,
    SrsHttpBodyChunked,
    // Ends when the connection closes (HTTP/1.0 client, unknown length).
    SrsHttpBodyClose,
};

// The response writer over a connection's ISrsWriter. The request (may be null for a
// plain response) decides HEAD, the HTTP version and keep-alive.
class SrsHttpResponseWriter : public ISrsHttpResponseWriter {
public:
    SrsHttpResponseWriter(ISrsWriter* io, SrsHttpMessage* request);
    ~SrsHttpResponseWriter() override = default;
    SRS_DISALLOW_COPY(SrsHttpResponseWriter);

public:
    SrsHttpHeader* header() override { return &header_; }
    void write_header(int code) override;
    srs_error_t write(const char* data, int size) override;
    srs_error_t writev(const iovec* iov, int iovcnt, ssize_t* pnwrite) override;
    srs_error_t final_request() override;

public:
    // Whether the connection may carry the next request after this response: the
    // request allows it, the body was framed, and nothing failed.
    bool keep_alive() const { return keep_alive_; }
    // The server decides to close after this response (sends "Connection: close" if the
    // head has not gone out yet).
    void set_keep_alive(bool v) { keep_alive_ = keep_alive_ && v; }
    // Adds a Date header (RFC 7231 7.1.1.2); on by default.
    void set_date(bool v) { date_ = v; }
    bool header_sent() const { return header_sent_; }
    int status() const { return status_; }
    // Body bytes written (not counting chunk framing).
    int64_t nb_written() const { return written_; }
    SrsHttpBodyFraming framing() const { return framing_; }

private:
    // Builds the head into head_ and decides the framing.
    void build_head(bool final_empty);
    srs_error_t send_body(const iovec* iov, int iovcnt, size_t size);
    srs_error_t send_all(iovec* iov, int iovcnt);

private:
    ISrsWriter* io_;
    SrsHttpMessage* req_;
    SrsHttpHeader header_;
    int status_ = 200;
    bool header_sent_ = false;
    bool final_ = false;
    bool keep_alive_ = true;
    bool date_ = true;
    bool head_only_ = false;
    bool http10_ = false;
    SrsHttpBodyFraming framing_ = SrsHttpBodyNone;
    int64_t content_length_ = -1;
    int64_t written_ = 0;
    std::string head_;
};

// A complete small response: status, Content-Type, Content-Length and the body.
srs_error_t srs_http_write_response(ISrsHttpResponseWriter* w, int code, const std::string& content_type,
                                    const std::string& body);
// A plain-text error response, like Go's http.Error: "<code> <reason>" or the message.
srs_error_t srs_http_write_error(ISrsHttpResponseWriter* w, int code, const std::string& message = "");
// The HTTP date of a wall-clock time (RFC 7231 7.1.1.1 IMF-fixdate), for Date and
// Last-Modified.
std::string srs_http_date(int64_t unix_seconds);
// A chunked body's chunk-size line (RFC 7230 4.1: the size in lowercase hex, CRLF) into buf,
// which holds at least 19 bytes; returns its length.
size_t srs_http_chunk_size_line(char* buf, size_t size);
