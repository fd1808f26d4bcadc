// Reads HTTP/1.1 messages from an ISrsReader with Debian's libhttp-parser: the head at
// once, the body on demand, with limits on both, keeping bytes that belong to the next
// message for the next call (pipelining, RFC 7230 6.3.2).
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_protocol_http_message.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

struct http_parser;
struct http_parser_settings;
class SrsHttpParserBody;

// Parses requests (server side) or responses (client side) from one connection.
class SrsHttpParser {
public:
    enum Type { Request, Response };
    explicit SrsHttpParser(Type type);
    // Detaches the body reader of the last message, so a message that outlives the parser
    // fails to read its body instead of touching freed memory.
    ~SrsHttpParser();
    SRS_DISALLOW_COPY(SrsHttpParser);

public:
    // The most header bytes (request line or status line plus fields) before the head
    // fails with ERROR_HTTP_HEADER_TOO_LARGE. Default 64 KiB.
    void set_header_limit(int bytes) { header_limit_ = bytes; }
    int header_limit() const { return header_limit_; }
    // The most body bytes of one message; more fails with ERROR_HTTP_BODY_TOO_LARGE.
    // Default 1 MiB; INT64_MAX for live streams.
    void set_body_limit(int64_t bytes) { body_limit_ = bytes; }
    int64_t body_limit() const { return body_limit_; }
    // For the response to a HEAD request: there is no body whatever the head says
    // (RFC 7230 3.3.3 item 1). Applies to the next parse_message only.
    void set_skip_body(bool v) { skip_body_ = v; }

    // Reads the head of the next message. First drains what is left of the previous
    // message's body (bounded by the body limit). The body is then read through the
    // message's body_reader(), which stays valid until the next parse_message.
    // Errors: the reader's own (timeout, peer closed), ERROR_HTTP_PARSE_HEADER (malformed),
    // ERROR_HTTP_PARSE_URI (bad request-target), ERROR_HTTP_HEADER_TOO_LARGE.
    srs_error_t parse_message(ISrsReader* reader, std::unique_ptr<SrsHttpMessage>* out);
    // Whether any byte of the message being read (or the next one) has arrived. When a
    // read fails with this false, the peer closed or timed out between messages, which is
    // a normal end of a keep-alive connection.
    bool has_partial_message() const { return started_ || pos_ < end_; }
    // Reads and drops the rest of the current body; fails past the body limit.
    srs_error_t drain_body();
    // Whether the current message (head and body) has been read completely.
    bool message_complete() const { return message_done_; }
    // Bytes received but not yet parsed (the start of a pipelined message).
    int buffered() const { return end_ - pos_; }
    // Frees the read buffer when it holds nothing unparsed; the next read allocates it again.
    // For a connection that will not read for long (a live stream), so that the 16 KiB of
    // each waiting connection are not kept.
    void release_buffer();

private:
    friend class SrsHttpParserBody;
    srs_error_t read_more();
    // Feeds up to size buffered bytes; body bytes go to body_buf_.
    srs_error_t feed(size_t size, size_t* parsed);
    srs_error_t body_read(void* buf, size_t size, ssize_t* nread);
    void reset_message();
    // Stores the field being parsed; false when its name is not a token.
    bool flush_field();
    static const http_parser_settings* settings();
    static int on_message_begin(http_parser* p);
    static int on_url(http_parser* p, const char* at, size_t length);
    static int on_header_field(http_parser* p, const char* at, size_t length);
    static int on_header_value(http_parser* p, const char* at, size_t length);
    static int on_headers_complete(http_parser* p);
    static int on_body(http_parser* p, const char* at, size_t length);
    static int on_message_complete(http_parser* p);

private:
    Type type_;
    std::unique_ptr<http_parser> parser_;
    ISrsReader* reader_ = nullptr;
    int header_limit_ = 64 * 1024;
    int64_t body_limit_ = 1024 * 1024;
    bool skip_body_ = false;

    // Received bytes not yet parsed are buf_[pos_, end_).
    std::unique_ptr<char[]> buf_;
    int pos_ = 0;
    int end_ = 0;

    // The message being parsed.
    bool started_ = false;
    bool headers_done_ = false;
    bool message_done_ = false;
    bool eof_body_ = false;
    int header_bytes_ = 0;
    std::string url_;
    std::string field_;
    std::string value_;
    bool in_value_ = false;
    std::vector<std::pair<std::string, std::string>> fields_;
    int method_ = 0;
    int status_ = 0;
    int major_ = 1;
    int minor_ = 1;
    bool keep_alive_ = false;
    bool chunked_ = false;
    int64_t content_length_ = -1;
    bool skip_this_body_ = false;

    // Where on_body copies to during body_read.
    char* body_buf_ = nullptr;
    size_t body_cap_ = 0;
    size_t body_len_ = 0;
    int64_t body_total_ = 0;
    std::shared_ptr<SrsHttpParserBody> body_;
};
