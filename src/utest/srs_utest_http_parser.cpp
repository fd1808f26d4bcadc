#include <gtest/gtest.h>

#include <srs_protocol_http_parser.hpp>
#include <srs_utest_http_mock.hpp>

TEST(HttpParserTest, SimpleGet) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(
        m.parse("GET /live/livestream.flv?token=abc&x=1 HTTP/1.1\r\nHost: Example.COM:8080\r\n"
                "User-Agent: curl/8.0\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n"));
    SrsHttpMessage* r = m.msg.get();
    EXPECT_TRUE(r->is_get());
    EXPECT_STREQ("GET", r->method_str());
    EXPECT_EQ("/live/livestream.flv?token=abc&x=1", r->url());
    EXPECT_EQ("/live/livestream.flv", r->path());
    EXPECT_EQ(".flv", r->ext());
    EXPECT_EQ("token=abc&x=1", r->query());
    EXPECT_EQ("abc", r->query_get("token"));
    EXPECT_EQ("Example.COM:8080", r->host());
    EXPECT_EQ("example.com", r->hostname());
    EXPECT_EQ("curl/8.0", r->header()->get("user-agent"));
    EXPECT_EQ(2u, r->header()->get_all("X-DUP").size());
    EXPECT_TRUE(r->is_keep_alive());
    EXPECT_EQ(-1, r->content_length());
    EXPECT_FALSE(r->is_chunked());
    EXPECT_TRUE(r->body_reader()->eof());
    EXPECT_TRUE(m.parser.message_complete());
    std::string body;
    HTTP_EXPECT_OK(r->body_read_all(&body));
    EXPECT_EQ("", body);
}

TEST(HttpParserTest, KeepAliveRules) {
    {
        MockHttpRequest m;
        HTTP_ASSERT_OK(m.parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
        EXPECT_FALSE(m.msg->is_keep_alive());
    }
    {
        MockHttpRequest m;
        HTTP_ASSERT_OK(m.parse("GET / HTTP/1.0\r\n\r\n"));
        EXPECT_FALSE(m.msg->is_keep_alive());
        EXPECT_TRUE(m.msg->is_http10());
    }
    {
        MockHttpRequest m;
        HTTP_ASSERT_OK(m.parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
        EXPECT_TRUE(m.msg->is_keep_alive());
    }
    {
        MockHttpRequest m;
        HTTP_ASSERT_OK(m.parse("HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n"));
        EXPECT_TRUE(m.msg->is_head());
        EXPECT_TRUE(m.msg->is_keep_alive());
    }
}

TEST(HttpParserTest, PipelinedRequestsInOneBuffer) {
    MockHttpIo io;
    // Three requests in one read: a GET, a POST with a body, a GET closing the connection.
    io.push(
        "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world"
        "GET /c?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    SrsHttpParser p(SrsHttpParser::Request);
    std::unique_ptr<SrsHttpMessage> r;

    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/a", r->path());
    EXPECT_TRUE(p.buffered() > 0);

    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_TRUE(r->is_post());
    EXPECT_EQ(11, r->content_length());
    std::string body;
    HTTP_ASSERT_OK(r->body_read_all(&body));
    EXPECT_EQ("hello world", body);

    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/c", r->path());
    EXPECT_EQ("1", r->query_get("q"));
    EXPECT_FALSE(r->is_keep_alive());
    EXPECT_EQ(1, io.nb_reads);

    // Nothing more: the peer closed between messages, which is not a partial message.
    HTTP_EXPECT_CODE(ERROR_SOCKET_READ, p.parse_message(&io, &r));
    EXPECT_FALSE(p.has_partial_message());
}

TEST(HttpParserTest, UnreadBodyIsDrainedBeforeNextRequest) {
    MockHttpIo io;
    io.push("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcdeGET /y HTTP/1.1\r\n\r\n");
    SrsHttpParser p(SrsHttpParser::Request);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    std::unique_ptr<SrsHttpMessage> first = std::move(r);
    EXPECT_FALSE(first->body_reader()->eof());
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/y", r->path());
    // The old message's body is detached, not dangling.
    char buf[8];
    ssize_t n = 0;
    HTTP_EXPECT_CODE(ERROR_HTTP_BODY_DETACHED, first->body_reader()->read(buf, sizeof(buf), &n));
}

TEST(HttpParserTest, HeadSplitAcrossManyReads) {
    MockHttpIo io;
    io.push_split("GET /live/a.m3u8 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n", 1);
    SrsHttpParser p(SrsHttpParser::Request);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/live/a.m3u8", r->path());
    EXPECT_EQ("localhost", r->header()->get("Host"));
    EXPECT_EQ("*/*", r->header()->get("Accept"));
}

TEST(HttpParserTest, ChunkedBodySplitAcrossReads) {
    MockHttpIo io;
    std::string req =
        "POST /api HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n"
        "1;ext=1\r\n \r\n"
        "a\r\n0123456789\r\n"
        "0\r\nTrailer: yes\r\n\r\n"
        "GET /next HTTP/1.1\r\n\r\n";
    // Every split point, including inside chunk sizes and CRLFs.
    for (size_t split : {1, 2, 3, 7, 64}) {
        io.in.clear();
        io.push_split(req, split);
        SrsHttpParser p(SrsHttpParser::Request);
        std::unique_ptr<SrsHttpMessage> r;
        HTTP_ASSERT_OK(p.parse_message(&io, &r));
        EXPECT_TRUE(r->is_chunked());
        EXPECT_EQ(-1, r->content_length());
        std::string body;
        HTTP_ASSERT_OK(r->body_read_all(&body));
        EXPECT_EQ("hello 0123456789", body) << "split " << split;
        EXPECT_EQ(16, r->body_reader()->nb_read());
        HTTP_ASSERT_OK(p.parse_message(&io, &r));
        EXPECT_EQ("/next", r->path());
    }
}

TEST(HttpParserTest, IncrementalBodyReadWithSmallBuffer) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("PUT /f HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789"));
    std::string got;
    char buf[3];
    while (!m.msg->body_reader()->eof()) {
        ssize_t n = 0;
        HTTP_ASSERT_OK(m.msg->body_reader()->read(buf, sizeof(buf), &n));
        ASSERT_LE(n, 3);
        got.append(buf, n);
    }
    EXPECT_EQ("0123456789", got);
    ssize_t n = 99;
    HTTP_EXPECT_OK(m.msg->body_reader()->read(buf, sizeof(buf), &n));
    EXPECT_EQ(0, n);
}

TEST(HttpParserTest, HeaderTooLarge) {
    MockHttpIo io;
    // A 1 MiB header field, fed in 16 KiB pieces: fails long before it is all read.
    std::string big = "GET / HTTP/1.1\r\nX-Big: " + std::string(1024 * 1024, 'a') + "\r\n\r\n";
    io.push_split(big, 16 * 1024);
    SrsHttpParser p(SrsHttpParser::Request);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_EXPECT_CODE(ERROR_HTTP_HEADER_TOO_LARGE, p.parse_message(&io, &r));
    EXPECT_LT(io.nb_reads, 10);
    EXPECT_TRUE(p.has_partial_message());

    // A lower limit is honoured too.
    MockHttpIo io2;
    io2.push("GET / HTTP/1.1\r\nX-A: " + std::string(2000, 'b') + "\r\n\r\n");
    SrsHttpParser p2(SrsHttpParser::Request);
    p2.set_header_limit(1024);
    HTTP_EXPECT_CODE(ERROR_HTTP_HEADER_TOO_LARGE, p2.parse_message(&io2, &r));
}

TEST(HttpParserTest, MalformedRequests) {
    const char* bad[] = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/9.x\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header Name: x\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    };
    for (const char* b : bad) {
        MockHttpRequest m;
        srs_error_t err = m.parse(b);
        EXPECT_EQ(ERROR_HTTP_PARSE_HEADER, srs_error_code(err)) << b << ": " << srs_error_desc(err);
    }
    // A bad escape in the request-target.
    MockHttpRequest m;
    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, m.parse("GET /a%zz HTTP/1.1\r\n\r\n"));
}

TEST(HttpParserTest, InvalidChunkedBody) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
    std::string body;
    HTTP_EXPECT_CODE(ERROR_HTTP_DATA_INVALID, m.msg->body_read_all(&body));
}

TEST(HttpParserTest, BodyLimit) {
    MockHttpIo io;
    std::string chunk = "400\r\n" + std::string(1024, 'x') + "\r\n";
    std::string req = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 8; i++) {
        req += chunk;
    }
    req += "0\r\n\r\n";
    io.push(req);
    SrsHttpParser p(SrsHttpParser::Request);
    p.set_body_limit(4096);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    std::string body;
    HTTP_EXPECT_CODE(ERROR_HTTP_BODY_TOO_LARGE, r->body_read_all(&body));

    // A declared length above the limit fails before any body byte is read.
    MockHttpRequest m;
    m.parser.set_body_limit(10);
    HTTP_ASSERT_OK(m.parse("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n"));
    HTTP_EXPECT_CODE(ERROR_HTTP_BODY_TOO_LARGE, m.msg->body_read_all(&body));
}

TEST(HttpParserTest, TruncatedBodyIsAnError) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345"));
    std::string body;
    HTTP_EXPECT_CODE(ERROR_SOCKET_READ, m.msg->body_read_all(&body));
}

TEST(HttpParserTest, TimeoutInTheMiddleOfHead) {
    MockHttpIo io;
    io.timeout_when_empty = true;
    io.push("GET / HTTP/1.1\r\nHost: x\r\n");
    SrsHttpParser p(SrsHttpParser::Request);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_EXPECT_CODE(ERROR_SOCKET_TIMEOUT, p.parse_message(&io, &r));
    EXPECT_TRUE(p.has_partial_message());
}

TEST(HttpParserTest, AbsoluteFormTarget) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET http://origin:8080/live/a.flv?k=v HTTP/1.1\r\n\r\n"));
    EXPECT_EQ("/live/a.flv", m.msg->path());
    EXPECT_EQ("v", m.msg->query_get("k"));
    EXPECT_EQ("origin:8080", m.msg->host());
    EXPECT_EQ("origin", m.msg->hostname());
}

TEST(HttpParserTest, ResponseContentLengthAndChunked) {
    MockHttpIo io;
    io.push(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"code\":0}\n"
        "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        "HTTP/1.1 204 No Content\r\n\r\n");
    SrsHttpParser p(SrsHttpParser::Response);
    std::unique_ptr<SrsHttpMessage> r;
    std::string body;
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ(200, r->status());
    HTTP_ASSERT_OK(r->body_read_all(&body));
    EXPECT_EQ("{\"code\":0}\n", body);
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ(404, r->status());
    HTTP_ASSERT_OK(r->body_read_all(&body));
    EXPECT_EQ("abc", body);
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ(204, r->status());
    EXPECT_TRUE(r->body_reader()->eof());
}

TEST(HttpParserTest, ResponseUntilClose) {
    MockHttpIo io;
    io.push("HTTP/1.0 200 OK\r\nContent-Type: video/x-flv\r\n\r\nFLV");
    io.push("\x01\x05");
    SrsHttpParser p(SrsHttpParser::Response);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_FALSE(r->is_keep_alive());
    std::string body;
    HTTP_ASSERT_OK(r->body_read_all(&body));
    EXPECT_EQ("FLV\x01\x05", body);
}

TEST(HttpParserTest, ResponseToHeadHasNoBody) {
    MockHttpIo io;
    io.push("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    SrsHttpParser p(SrsHttpParser::Response);
    std::unique_ptr<SrsHttpMessage> r;
    p.set_skip_body(true);
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ(1000, r->content_length());
    EXPECT_TRUE(r->body_reader()->eof());
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    std::string body;
    HTTP_ASSERT_OK(r->body_read_all(&body));
    EXPECT_EQ("ok", body);
}

TEST(HttpParserTest, MessageOutlivesParser) {
    std::unique_ptr<SrsHttpMessage> r;
    {
        MockHttpIo io;
        io.push("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        SrsHttpParser p(SrsHttpParser::Request);
        HTTP_ASSERT_OK(p.parse_message(&io, &r));
    }
    std::string body;
    HTTP_EXPECT_CODE(ERROR_HTTP_BODY_DETACHED, r->body_read_all(&body));
}

TEST(HttpHeaderTest, CaseInsensitiveOrdered) {
    SrsHttpHeader h;
    h.add("Content-Type", "a");
    h.add("X-A", "1");
    h.add("content-type", "b");
    EXPECT_EQ("a", h.get("CONTENT-TYPE"));
    h.set("Content-TYPE", "c");
    ASSERT_EQ(2u, h.count());
    EXPECT_EQ("Content-TYPE", h.fields()[0].first);
    EXPECT_EQ("c", h.fields()[0].second);
    EXPECT_EQ("X-A", h.fields()[1].first);
    h.del("x-a");
    EXPECT_FALSE(h.has("X-A"));
    EXPECT_EQ(-1, h.content_length());
    h.set("Content-Length", " 42 ");
    EXPECT_EQ(42, h.content_length());
    h.set("Content-Length", "-1");
    EXPECT_EQ(-1, h.content_length());
    // No header injection through values.
    SrsHttpHeader inj;
    inj.set("Location", "/a\r\nSet-Cookie: x=1");
    std::string out;
    inj.write(&out);
    EXPECT_EQ("Location: /a  Set-Cookie: x=1\r\n", out);
}

TEST(HttpParserTest, ReleasedBufferKeepsPipelinedBytes) {
    // A live stream's connection frees its read buffer while it streams; a pipelined request
    // already read is kept, and a read after a release works as before.
    MockHttpIo io;
    io.push("GET /a.flv HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    SrsHttpParser p(SrsHttpParser::Request);
    std::unique_ptr<SrsHttpMessage> r;
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/a.flv", r->path());
    int pending = p.buffered();
    ASSERT_GT(pending, 0);
    p.release_buffer();
    EXPECT_EQ(pending, p.buffered());
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/b", r->path());
    EXPECT_EQ(0, p.buffered());
    p.release_buffer();

    io.push("GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    HTTP_ASSERT_OK(p.parse_message(&io, &r));
    EXPECT_EQ("/c", r->path());
}
