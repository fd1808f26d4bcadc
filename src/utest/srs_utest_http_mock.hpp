// An in-memory connection for HTTP tests: reads come from queued chunks (one chunk per
// read at most, so tests control how a message is split), writes accumulate in out.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_mux.hpp>
#include <srs_protocol_http_parser.hpp>
#include <srs_protocol_http_response.hpp>

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <string>

// Checks on srs_error_t that print the whole chain when they fail.
#define HTTP_EXPECT_OK(x)                                     \
    do {                                                      \
        srs_error_t e_ = (x);                                 \
        EXPECT_TRUE(e_ == srs_success) << srs_error_desc(e_); \
    } while (0)
#define HTTP_ASSERT_OK(x)                                     \
    do {                                                      \
        srs_error_t e_ = (x);                                 \
        ASSERT_TRUE(e_ == srs_success) << srs_error_desc(e_); \
    } while (0)
#define HTTP_EXPECT_FAIL(x)             \
    do {                                \
        srs_error_t e_ = (x);           \
        EXPECT_TRUE(e_ != srs_success); \
    } while (0)
#define HTTP_EXPECT_CODE(code, x)                                         \
    do {                                                                  \
        srs_error_t e_ = (x);                                             \
        EXPECT_EQ((int)(code), srs_error_code(e_)) << srs_error_desc(e_); \
    } while (0)

class MockHttpIo : public ISrsProtocolReadWriter {
public:
    // Queued input; each read returns bytes of the first chunk only.
    std::deque<std::string> in;
    // What happens once the input runs out: peer closed (default) or a recv timeout.
    bool timeout_when_empty = false;
    std::string out;
    // Writes accept at most this many bytes per call (0: all), to exercise partial writes.
    size_t max_write = 0;
    // Writes fail after this many bytes in total (-1: never).
    int64_t fail_write_after = -1;
    int nb_reads = 0;
    int nb_writes = 0;

    void push(const std::string& s) { in.push_back(s); }
    // Queues s split into pieces of n bytes.
    void push_split(const std::string& s, size_t n) {
        for (size_t i = 0; i < s.size(); i += n) {
            in.push_back(s.substr(i, n));
        }
    }

    srs_error_t read(void* buf, size_t size, ssize_t* nread) override {
        nb_reads++;
        while (!in.empty() && in.front().empty()) {
            in.pop_front();
        }
        if (in.empty()) {
            if (timeout_when_empty) {
                return srs_error_new(ERROR_SOCKET_TIMEOUT, "mock read timeout");
            }
            return srs_error_new(ERROR_SOCKET_READ, "mock peer closed");
        }
        std::string& f = in.front();
        size_t n = std::min(size, f.size());
        memcpy(buf, f.data(), n);
        f.erase(0, n);
        if (f.empty()) {
            in.pop_front();
        }
        if (nread) {
            *nread = (ssize_t)n;
        }
        rbytes_ += (int64_t)n;
        return srs_success;
    }
    srs_error_t read_fully(void* buf, size_t size, ssize_t* nread) override {
        size_t got = 0;
        while (got < size) {
            ssize_t n = 0;
            srs_error_t err = read((char*)buf + got, size - got, &n);
            if (err) {
                return err;
            }
            got += (size_t)n;
        }
        if (nread) {
            *nread = (ssize_t)got;
        }
        return srs_success;
    }
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        iovec iov = {(void*)buf, size};
        return writev(&iov, 1, nwrite);
    }
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override {
        nb_writes++;
        size_t total = 0;
        for (int i = 0; i < iov_size; i++) {
            size_t len = iov[i].iov_len;
            if (max_write > 0) {
                len = std::min(len, max_write - total);
            }
            if (fail_write_after >= 0 && (int64_t)(out.size() + len) > fail_write_after) {
                return srs_error_new(ERROR_SOCKET_WRITE, "mock write failed");
            }
            out.append((const char*)iov[i].iov_base, len);
            total += len;
            if (max_write > 0 && total >= max_write) {
                break;
            }
        }
        sbytes_ += (int64_t)total;
        if (nwrite) {
            *nwrite = (ssize_t)total;
        }
        return srs_success;
    }
    void set_recv_timeout(srs_utime_t tm) override { rtm_ = tm; }
    srs_utime_t get_recv_timeout() override { return rtm_; }
    void set_send_timeout(srs_utime_t tm) override { stm_ = tm; }
    srs_utime_t get_send_timeout() override { return stm_; }
    int64_t get_recv_bytes() override { return rbytes_; }
    int64_t get_send_bytes() override { return sbytes_; }

private:
    srs_utime_t rtm_ = SRS_UTIME_NO_TIMEOUT;
    srs_utime_t stm_ = SRS_UTIME_NO_TIMEOUT;
    int64_t rbytes_ = 0;
    int64_t sbytes_ = 0;
};

// A request parsed from raw bytes, with the parser kept alive for its body.
struct MockHttpRequest {
    MockHttpIo io;
    SrsHttpParser parser{SrsHttpParser::Request};
    std::unique_ptr<SrsHttpMessage> msg;

    // Parses raw; returns the parse error (success normally).
    srs_error_t parse(const std::string& raw) {
        io.push(raw);
        return parser.parse_message(&io, &msg);
    }
};

// The parts of a raw response, for assertions.
struct MockHttpResponse {
    int status = 0;
    std::string head;
    std::string body;
    // Splits out at the first blank line.
    explicit MockHttpResponse(const std::string& out) {
        size_t end = out.find("\r\n\r\n");
        head = out.substr(0, end == std::string::npos ? out.size() : end + 4);
        body = end == std::string::npos ? "" : out.substr(end + 4);
        if (head.size() > 12) {
            status = atoi(head.c_str() + 9);
        }
    }
    bool has(const std::string& line) const { return head.find(line + "\r\n") != std::string::npos; }
};

// Serves one HTTP request in its own coroutine, like a connection would; the response is
// captured in out_.
class HttpPlayerCoroutine : public ISrsCoroutineHandler {
public:
    HttpPlayerCoroutine(ISrsHttpHandler* h, const std::string& raw) : h_(h), trd_("player", this) {
        srs_error_t err = req_.parse(raw);
        srs_error_reset(err);
    }
    srs_error_t start() { return trd_.start(); }
    void interrupt() { trd_.interrupt(); }
    void stop() { trd_.stop(); }
    bool done() const { return done_; }
    // Waits up to a second for the request to end.
    void wait_done() {
        for (int i = 0; i < 200 && !done_; i++) {
            srs_usleep(5 * SRS_UTIME_MILLISECONDS);
        }
    }
    srs_error_t cycle() override {
        SrsHttpResponseWriter w(&out_, req_.msg.get());
        err_ = h_->serve_http(&w, req_.msg.get());
        done_ = true;
        return srs_success;
    }
    MockHttpIo out_;
    MockHttpRequest req_;
    srs_error_t err_;

private:
    ISrsHttpHandler* h_;
    bool done_ = false;
    SrsCoroutine trd_;
};
