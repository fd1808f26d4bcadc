#include <gtest/gtest.h>

#include <srs_protocol_http_conn.hpp>
#include <srs_utest_http_mock.hpp>

namespace {

// Echoes what it saw: method, path, and the body it read.
class EchoHandler : public ISrsHttpHandler {
public:
    bool read_body = true;
    int nb = 0;
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        srs_error_t err = srs_success;
        nb++;
        std::string body;
        if (read_body && (err = r->body_read_all(&body)) != srs_success) {
            return srs_error_wrap(err, "read body");
        }
        std::string out = std::string(r->method_str()) + " " + r->path() + " [" + body + "]";
        return srs_http_write_response(w, 200, "text/plain", out);
    }
};

// Parses every response in a stream of bytes, in order.
std::vector<std::string> responses(const std::string& out, std::vector<int>* codes = nullptr) {
    MockHttpIo io;
    io.push(out);
    SrsHttpParser p(SrsHttpParser::Response);
    std::vector<std::string> bodies;
    while (true) {
        std::unique_ptr<SrsHttpMessage> r;
        srs_error_t err = p.parse_message(&io, &r);
        if (err) {
            break;
        }
        std::string body;
        err = r->body_read_all(&body);
        if (err) {
            bodies.push_back("<error>");
            break;
        }
        if (codes) {
            codes->push_back(r->status());
        }
        bodies.push_back(body);
    }
    return bodies;
}

}  // namespace

TEST(HttpConnTest, PipelinedKeepAlive) {
    MockHttpIo io;
    io.push(
        "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
        "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_OK(conn.serve());
    EXPECT_EQ(3, conn.nb_requests());
    std::vector<std::string> r = responses(io.out);
    ASSERT_EQ(3u, r.size());
    EXPECT_EQ("GET /a []", r[0]);
    EXPECT_EQ("POST /b [body]", r[1]);
    EXPECT_EQ("PUT /c [hi]", r[2]);
}

TEST(HttpConnTest, RequestsSplitAcrossReads) {
    MockHttpIo io;
    io.push_split("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\n\r\n", 5);
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_OK(conn.serve());
    std::vector<std::string> r = responses(io.out);
    ASSERT_EQ(3u, r.size());
    EXPECT_EQ("POST /b [xyz]", r[1]);
}

TEST(HttpConnTest, UnreadBodyDoesNotBreakNextRequest) {
    MockHttpIo io;
    io.push("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\n12345GET /b HTTP/1.1\r\n\r\n");
    EchoHandler h;
    h.read_body = false;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_OK(conn.serve());
    std::vector<std::string> r = responses(io.out);
    ASSERT_EQ(2u, r.size());
    EXPECT_EQ("GET /b []", r[1]);
}

TEST(HttpConnTest, ConnectionCloseStopsTheLoop) {
    MockHttpIo io;
    io.push("GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_OK(conn.serve());
    EXPECT_EQ(1, h.nb);
    EXPECT_NE(std::string::npos, io.out.find("Connection: close\r\n"));

    MockHttpIo io10;
    io10.push("GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
    EchoHandler h10;
    SrsHttpServerConn conn10(&io10, &h10);
    HTTP_EXPECT_OK(conn10.serve());
    EXPECT_EQ(1, h10.nb);

    MockHttpIo io10k;
    io10k.push("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
    EchoHandler h10k;
    SrsHttpServerConn conn10k(&io10k, &h10k);
    HTTP_EXPECT_OK(conn10k.serve());
    EXPECT_EQ(2, h10k.nb);
}

TEST(HttpConnTest, MalformedGets400AndCloses) {
    MockHttpIo io;
    io.push("GET /a HTTP/1.1\r\n\r\nBROKEN LINE\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_HEADER, conn.serve());
    EXPECT_EQ(1, h.nb);
    std::vector<int> codes;
    responses(io.out, &codes);
    ASSERT_EQ(2u, codes.size());
    EXPECT_EQ(200, codes[0]);
    EXPECT_EQ(400, codes[1]);
    EXPECT_NE(std::string::npos, io.out.find("Connection: close\r\n"));
}

TEST(HttpConnTest, OtherVersionsGet505) {
    for (const char* line : {"GET /a HTTP/9.9\r\n\r\n", "GET /a HTTP/2.0\r\n\r\n", "GET /a HTTP/0.9\r\n\r\n"}) {
        MockHttpIo io;
        io.push(line);
        EchoHandler h;
        SrsHttpServerConn conn(&io, &h);
        HTTP_EXPECT_CODE(ERROR_HTTP_VERSION_UNSUPPORTED, conn.serve());
        EXPECT_EQ(0, h.nb) << line;
        EXPECT_EQ(0u, io.out.find("HTTP/1.1 505 HTTP Version Not Supported\r\n")) << line << io.out;
    }
}

TEST(HttpConnTest, HugeHeaderGets431) {
    MockHttpIo io;
    io.push_split("GET / HTTP/1.1\r\nCookie: " + std::string(1024 * 1024, 'c') + "\r\n\r\n", 16 * 1024);
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_CODE(ERROR_HTTP_HEADER_TOO_LARGE, conn.serve());
    EXPECT_EQ(0, h.nb);
    EXPECT_EQ(0u, io.out.find("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
}

TEST(HttpConnTest, BodyLimits) {
    SrsHttpConnLimits limits;
    limits.body_max = 8;
    {
        MockHttpIo io;
        io.push("POST /a HTTP/1.1\r\nContent-Length: 9\r\n\r\n123456789");
        EchoHandler h;
        SrsHttpServerConn conn(&io, &h, limits);
        HTTP_EXPECT_CODE(ERROR_HTTP_BODY_TOO_LARGE, conn.serve());
        EXPECT_EQ(0, h.nb);
        EXPECT_EQ(0u, io.out.find("HTTP/1.1 413 Payload Too Large\r\n"));
    }
    {
        // Chunked: discovered while reading; the handler fails, the client gets 413.
        MockHttpIo io;
        io.push("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n");
        EchoHandler h;
        SrsHttpServerConn conn(&io, &h, limits);
        HTTP_EXPECT_CODE(ERROR_HTTP_BODY_TOO_LARGE, conn.serve());
        EXPECT_EQ(0u, io.out.find("HTTP/1.1 413 "));
    }
    {
        // Chunked and unread by the handler: draining hits the limit and closes.
        MockHttpIo io;
        io.push(
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n"
            "GET /b HTTP/1.1\r\n\r\n");
        EchoHandler h;
        h.read_body = false;
        SrsHttpServerConn conn(&io, &h, limits);
        HTTP_EXPECT_CODE(ERROR_HTTP_BODY_TOO_LARGE, conn.serve());
        EXPECT_EQ(1, h.nb);
    }
}

TEST(HttpConnTest, PartialRequestTimesOut) {
    MockHttpIo io;
    io.timeout_when_empty = true;
    io.push("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nHost:");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_CODE(ERROR_SOCKET_TIMEOUT, conn.serve());
    EXPECT_EQ(1, h.nb);
    EXPECT_NE(std::string::npos, io.out.find("HTTP/1.1 408 Request Timeout\r\n"));

    // Idle between requests: a normal end.
    MockHttpIo idle;
    idle.timeout_when_empty = true;
    idle.push("GET /a HTTP/1.1\r\n\r\n");
    SrsHttpServerConn conn2(&idle, &h);
    HTTP_EXPECT_OK(conn2.serve());
}

TEST(HttpConnTest, ExpectContinue) {
    MockHttpIo io;
    io.push("POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    io.push("ok");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_OK(conn.serve());
    EXPECT_EQ(0u, io.out.find("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"));
    EXPECT_NE(std::string::npos, io.out.find("POST /a [ok]"));
}

namespace {

class FailingHandler : public ISrsHttpHandler {
public:
    int code = ERROR_SYSTEM_FILE_READ;
    bool write_first = false;
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) override {
        if (write_first) {
            srs_error_t err = w->write("partial", 7);
            if (err) {
                return err;
            }
        }
        return srs_error_new(code, "handler failed");
    }
};

}  // namespace

TEST(HttpConnTest, HandlerErrors) {
    {
        MockHttpIo io;
        io.push("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        FailingHandler h;
        SrsHttpServerConn conn(&io, &h);
        HTTP_EXPECT_CODE(ERROR_SYSTEM_FILE_READ, conn.serve());
        EXPECT_EQ(0u, io.out.find("HTTP/1.1 500 Internal Server Error\r\n"));
        EXPECT_NE(std::string::npos, io.out.find("Connection: close\r\n"));
    }
    {
        MockHttpIo io;
        io.push("GET /a HTTP/1.1\r\n\r\n");
        FailingHandler h;
        h.code = ERROR_HTTP_NOT_FOUND;
        SrsHttpServerConn conn(&io, &h);
        HTTP_EXPECT_CODE(ERROR_HTTP_NOT_FOUND, conn.serve());
        EXPECT_EQ(0u, io.out.find("HTTP/1.1 404 Not Found\r\n"));
    }
    {
        // Head already out: no second status line, the connection just closes.
        MockHttpIo io;
        io.push("GET /a HTTP/1.1\r\n\r\n");
        FailingHandler h;
        h.write_first = true;
        SrsHttpServerConn conn(&io, &h);
        HTTP_EXPECT_FAIL(conn.serve());
        EXPECT_EQ(std::string::npos, io.out.find("500"));
    }
}

TEST(HttpConnTest, PullStopsTheLoop) {
    MockHttpIo io;
    io.push("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    int calls = 0;
    conn.set_pull([&calls]() -> srs_error_t {
        if (++calls > 1) {
            return srs_error_new(ERROR_THREAD_INTERRUPED, "stop");
        }
        return srs_success;
    });
    HTTP_EXPECT_CODE(ERROR_THREAD_INTERRUPED, conn.serve());
    EXPECT_EQ(1, h.nb);
}

TEST(HttpConnTest, HeadRequestThroughLoop) {
    MockHttpIo io;
    io.push("HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    EchoHandler h;
    SrsHttpServerConn conn(&io, &h);
    HTTP_EXPECT_OK(conn.serve());
    EXPECT_EQ(2, h.nb);
    // HEAD's head announces the length of GET's body, but no body follows it.
    size_t second = io.out.find("HTTP/1.1 200", 1);
    ASSERT_NE(std::string::npos, second);
    EXPECT_EQ("\r\n\r\n", io.out.substr(second - 4, 4));
}
