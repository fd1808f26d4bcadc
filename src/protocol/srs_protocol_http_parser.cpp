#include <srs_protocol_http_parser.hpp>

#include <srs_core_utility.hpp>

#include <http_parser.h>

#include <climits>
#include <cstring>

namespace {

// Bytes read from the connection at a time; the head may span several reads.
const int kSrsHttpReadBuffer = 16 * 1024;

}  // namespace

// The body reader of one message, handed out with the message. Detached (parser_ null)
// once the parser moves to the next message or is destroyed.
class SrsHttpParserBody : public ISrsHttpBodyReader {
public:
    explicit SrsHttpParserBody(SrsHttpParser* p) : parser_(p) {}
    srs_error_t read(void* buf, size_t size, ssize_t* nread) override {
        if (!parser_) {
            return srs_error_new(ERROR_HTTP_BODY_DETACHED, "body read after the next message or parser end");
        }
        return parser_->body_read(buf, size, nread);
    }
    // A body that was not read to its end before the detach never reaches eof.
    bool eof() override { return parser_ ? parser_->message_done_ : done_; }
    int64_t nb_read() override { return parser_ ? parser_->body_total_ : total_; }
    void detach() {
        if (parser_) {
            done_ = parser_->message_done_;
            total_ = parser_->body_total_;
        }
        parser_ = nullptr;
    }

private:
    SrsHttpParser* parser_;
    bool done_ = false;
    int64_t total_ = 0;
};

SrsHttpParser::SrsHttpParser(Type type) : type_(type), parser_(new http_parser()) {
    http_parser_init(parser_.get(), type == Request ? HTTP_REQUEST : HTTP_RESPONSE);
    parser_->data = this;
}

SrsHttpParser::~SrsHttpParser() {
    if (body_) {
        body_->detach();
    }
}

void SrsHttpParser::reset_message() {
    if (body_) {
        body_->detach();
        body_.reset();
    }
    // A fresh parser state per message: the previous one stopped (paused) exactly at its
    // end, so the buffered bytes are the start of this one.
    http_parser_init(parser_.get(), type_ == Request ? HTTP_REQUEST : HTTP_RESPONSE);
    parser_->data = this;
    started_ = false;
    headers_done_ = false;
    message_done_ = false;
    eof_body_ = false;
    header_bytes_ = 0;
    url_.clear();
    field_.clear();
    value_.clear();
    in_value_ = false;
    fields_.clear();
    method_ = 0;
    status_ = 0;
    major_ = 1;
    minor_ = 1;
    keep_alive_ = false;
    chunked_ = false;
    content_length_ = -1;
    skip_this_body_ = skip_body_;
    skip_body_ = false;
    body_buf_ = nullptr;
    body_cap_ = 0;
    body_len_ = 0;
    body_total_ = 0;
}

void SrsHttpParser::release_buffer() {
    if (pos_ == end_) {
        buf_.reset();
        pos_ = end_ = 0;
    }
}

srs_error_t SrsHttpParser::read_more() {
    srs_error_t err = srs_success;
    if (!buf_) {
        buf_.reset(new char[kSrsHttpReadBuffer]);
    }
    if (pos_ > 0) {
        memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
    }
    ssize_t n = 0;
    if ((err = reader_->read(buf_.get() + end_, kSrsHttpReadBuffer - end_, &n)) != srs_success) {
        return srs_error_wrap(err, "read http");
    }
    end_ += (int)n;
    return err;
}

srs_error_t SrsHttpParser::feed(size_t size, size_t* parsed) {
    size_t n = http_parser_execute(parser_.get(), settings(), buf_.get() + pos_, size);
    pos_ += (int)n;
    *parsed = n;
    http_errno e = HTTP_PARSER_ERRNO(parser_.get());
    if (e == HPE_PAUSED) {
        // We pause at the end of the head and of the message, to hand control back.
        http_parser_pause(parser_.get(), 0);
        return srs_success;
    }
    if (e == HPE_HEADER_OVERFLOW) {
        return srs_error_new(ERROR_HTTP_HEADER_TOO_LARGE, "header overflow: %s", http_errno_description(e));
    }
    if (e != HPE_OK) {
        return srs_error_new(headers_done_ ? ERROR_HTTP_DATA_INVALID : ERROR_HTTP_PARSE_HEADER, "%s: %s",
                             http_errno_name(e), http_errno_description(e));
    }
    return srs_success;
}

srs_error_t SrsHttpParser::parse_message(ISrsReader* reader, std::unique_ptr<SrsHttpMessage>* out) {
    srs_error_t err = srs_success;
    reader_ = reader;

    // The rest of the previous body is in the way of the next head.
    if (headers_done_ && !message_done_) {
        if ((err = drain_body()) != srs_success) {
            return srs_error_wrap(err, "drain previous body");
        }
    }
    reset_message();

    while (!headers_done_) {
        if (pos_ < end_) {
            started_ = true;
            size_t parsed = 0;
            if ((err = feed(end_ - pos_, &parsed)) != srs_success) {
                return srs_error_wrap(err, "parse head");
            }
            header_bytes_ += (int)parsed;
        }
        if (header_bytes_ > header_limit_) {
            return srs_error_new(ERROR_HTTP_HEADER_TOO_LARGE, "head exceeds %d bytes", header_limit_);
        }
        if (headers_done_) {
            break;
        }
        if ((err = read_more()) != srs_success) {
            return srs_error_wrap(err, "read head after %d bytes", header_bytes_);
        }
    }

    // We stopped on the LF that ends the head. Feeding just it moves the parser into the
    // body, or completes a message without a body, so eof() is right before any read.
    size_t parsed = 0;
    body_buf_ = nullptr;
    body_cap_ = 0;
    if ((err = feed(1, &parsed)) != srs_success) {
        return srs_error_wrap(err, "end of head");
    }

    // Only HTTP/1.x is spoken here (HTTP/0.9 has no head, HTTP/2 another framing); the
    // caller answers 505 (RFC 9110 15.6.6).
    if (major_ != 1) {
        return srs_error_new(ERROR_HTTP_VERSION_UNSUPPORTED, "HTTP/%d.%d", major_, minor_);
    }
    std::unique_ptr<SrsHttpMessage> msg(new SrsHttpMessage());
    if (type_ == Request) {
        msg->set_method(method_);
        if ((err = msg->set_url(url_)) != srs_success) {
            return srs_error_wrap(err, "request-target %s", url_.substr(0, 256).c_str());
        }
    } else {
        msg->set_status(status_);
    }
    msg->set_version(major_, minor_);
    for (auto& f : fields_) {
        msg->header()->add(f.first, f.second);
    }
    msg->set_keep_alive(keep_alive_);
    msg->set_content_length(content_length_);
    msg->set_chunked(chunked_);
    msg->set_body_limit(body_limit_);
    body_ = std::make_shared<SrsHttpParserBody>(this);
    msg->set_body_reader(body_);
    *out = std::move(msg);
    return err;
}

srs_error_t SrsHttpParser::body_read(void* buf, size_t size, ssize_t* nread) {
    srs_error_t err = srs_success;
    if (nread) {
        *nread = 0;
    }
    if (message_done_ || size == 0) {
        return err;
    }
    body_buf_ = static_cast<char*>(buf);
    body_cap_ = size;
    body_len_ = 0;
    while (!message_done_ && body_len_ == 0) {
        if (pos_ >= end_) {
            if ((err = read_more()) != srs_success) {
                if (!eof_body_) {
                    return srs_error_wrap(err, "read body after %lld bytes", (long long)body_total_);
                }
                // A response without length ends when the server closes (RFC 7230 3.3.3
                // item 7); tell the parser the stream ended.
                srs_error_reset(err);
                http_parser_execute(parser_.get(), settings(), nullptr, 0);
                http_errno e = HTTP_PARSER_ERRNO(parser_.get());
                if (e != HPE_OK && e != HPE_PAUSED) {
                    return srs_error_new(ERROR_HTTP_DATA_INVALID, "body eof: %s", http_errno_description(e));
                }
                http_parser_pause(parser_.get(), 0);
                message_done_ = true;
                break;
            }
        }
        // Never feed more than fits: on_body then always has room for what it is given.
        size_t parsed = 0;
        size_t n = std::min((size_t)(end_ - pos_), body_cap_);
        if ((err = feed(n, &parsed)) != srs_success) {
            return srs_error_wrap(err, "parse body");
        }
    }
    body_total_ += (int64_t)body_len_;
    body_buf_ = nullptr;
    body_cap_ = 0;
    if (body_total_ > body_limit_) {
        return srs_error_new(ERROR_HTTP_BODY_TOO_LARGE, "body exceeds %lld bytes", (long long)body_limit_);
    }
    if (nread) {
        *nread = (ssize_t)body_len_;
    }
    return err;
}

srs_error_t SrsHttpParser::drain_body() {
    srs_error_t err = srs_success;
    if (!headers_done_) {
        return err;
    }
    char buf[4096];
    while (!message_done_) {
        ssize_t n = 0;
        if ((err = body_read(buf, sizeof(buf), &n)) != srs_success) {
            return srs_error_wrap(err, "drain body");
        }
    }
    return err;
}

namespace {

// RFC 7230 3.2.6 tchar: a field name is a token, with no spaces (3.2.4 requires a 400 for
// whitespace before the colon, a request smuggling vector).
bool srs_is_token(const std::string& s) {
    if (s.empty()) {
        return false;
    }
    for (unsigned char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr("!#$%&'*+-.^_`|~", c) != nullptr;
        if (!ok || c == 0) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool SrsHttpParser::flush_field() {
    bool ok = field_.empty() || srs_is_token(field_);
    if (!field_.empty()) {
        fields_.emplace_back(field_, srs_string_trim(value_, " \t"));
    }
    field_.clear();
    value_.clear();
    in_value_ = false;
    return ok;
}

int SrsHttpParser::on_message_begin(http_parser* p) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    self->started_ = true;
    return 0;
}

int SrsHttpParser::on_url(http_parser* p, const char* at, size_t length) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    self->url_.append(at, length);
    return 0;
}

int SrsHttpParser::on_header_field(http_parser* p, const char* at, size_t length) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    if (self->in_value_ && !self->flush_field()) {
        return -1;
    }
    self->field_.append(at, length);
    return 0;
}

int SrsHttpParser::on_header_value(http_parser* p, const char* at, size_t length) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    self->in_value_ = true;
    self->value_.append(at, length);
    return 0;
}

int SrsHttpParser::on_headers_complete(http_parser* p) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    if (!self->flush_field()) {
        return -1;
    }
    self->headers_done_ = true;
    self->method_ = p->method;
    self->status_ = p->status_code;
    self->major_ = p->http_major;
    self->minor_ = p->http_minor;
    self->keep_alive_ = http_should_keep_alive(p) != 0;
    self->chunked_ = (p->flags & F_CHUNKED) != 0;
    self->content_length_ = (p->content_length == ULLONG_MAX) ? -1 : (int64_t)p->content_length;
    bool skip = self->skip_this_body_ || (self->type_ == Response && srs_http_status_has_no_body(p->status_code));
    // A response with neither length nor chunking runs to the end of the connection.
    self->eof_body_ = self->type_ == Response && !skip && !self->chunked_ && self->content_length_ < 0;
    if (self->eof_body_) {
        self->keep_alive_ = false;
    }
    // Hand control back with the head; the body is read when the caller asks for it.
    http_parser_pause(p, 1);
    return skip ? 1 : 0;
}

int SrsHttpParser::on_body(http_parser* p, const char* at, size_t length) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    // feed() never gives the parser more bytes than the room left, so this always fits.
    if (self->body_len_ + length > self->body_cap_) {
        return -1;
    }
    memcpy(self->body_buf_ + self->body_len_, at, length);
    self->body_len_ += length;
    return 0;
}

int SrsHttpParser::on_message_complete(http_parser* p) {
    SrsHttpParser* self = static_cast<SrsHttpParser*>(p->data);
    self->message_done_ = true;
    // Stop here so that the next pipelined message stays in the buffer.
    http_parser_pause(p, 1);
    return 0;
}

const http_parser_settings* SrsHttpParser::settings() {
    // Built once and never changed: every parser shares it.
    static const http_parser_settings s = [] {
        http_parser_settings v;
        http_parser_settings_init(&v);
        v.on_message_begin = SrsHttpParser::on_message_begin;
        v.on_url = SrsHttpParser::on_url;
        v.on_header_field = SrsHttpParser::on_header_field;
        v.on_header_value = SrsHttpParser::on_header_value;
        v.on_headers_complete = SrsHttpParser::on_headers_complete;
        v.on_body = SrsHttpParser::on_body;
        v.on_message_complete = SrsHttpParser::on_message_complete;
        return v;
    }();
    return &s;
}
