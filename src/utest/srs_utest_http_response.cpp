#include <gtest/gtest.h>

#include <srs_protocol_http_response.hpp>
#include <srs_utest_http_mock.hpp>

namespace {

// Parses what a writer produced back with the client-side parser, the strongest check
// that the framing is right.
std::string reparse_body(const std::string& out, bool head = false) {
    MockHttpIo io;
    io.push(out);
    SrsHttpParser p(SrsHttpParser::Response);
    p.set_skip_body(head);
    std::unique_ptr<SrsHttpMessage> r;
    srs_error_t err = p.parse_message(&io, &r);
    if (err) {
        return "<error " + srs_error_desc(err) + ">";
    }
    std::string body;
    err = r->body_read_all(&body);
    if (err) {
        return "<error " + srs_error_desc(err) + ">";
    }
    return body;
}

}  // namespace

TEST(HttpResponseTest, ContentLength) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET /api/v1/versions HTTP/1.1\r\nHost: x\r\n\r\n"));
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    w.header()->set_content_type("application/json");
    w.header()->set_content_length(12);
    HTTP_ASSERT_OK(w.write("{\"code\":", 8));
    HTTP_ASSERT_OK(w.write("0}\r\n", 4));
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(0u, r.head.find("HTTP/1.1 200 OK\r\n"));
    EXPECT_TRUE(r.has("Content-Length: 12"));
    EXPECT_TRUE(r.has("Content-Type: application/json"));
    EXPECT_TRUE(r.has("Server: " SRS_SERVER_SIGNATURE));
    EXPECT_TRUE(r.has("Connection: keep-alive"));
    EXPECT_NE(std::string::npos, r.head.find("Date: "));
    EXPECT_EQ("{\"code\":0}\r\n", r.body);
    EXPECT_TRUE(w.keep_alive());
    EXPECT_EQ(SrsHttpBodyContentLength, w.framing());
    EXPECT_EQ(12, w.nb_written());
    // Idempotent final.
    HTTP_EXPECT_OK(w.final_request());
    HTTP_EXPECT_FAIL(w.write("x", 1));
}

TEST(HttpResponseTest, ContentLengthOverflowAndShortfall) {
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, nullptr);
    w.header()->set_content_length(3);
    HTTP_EXPECT_CODE(ERROR_HTTP_WRITE_OVERFLOW, w.write("abcd", 4));
    EXPECT_FALSE(w.keep_alive());

    MockHttpIo out2;
    SrsHttpResponseWriter w2(&out2, nullptr);
    w2.header()->set_content_length(10);
    HTTP_ASSERT_OK(w2.write("abc", 3));
    HTTP_EXPECT_CODE(ERROR_HTTP_RESPONSE_INCOMPLETE, w2.final_request());
    EXPECT_FALSE(w2.keep_alive());
}

TEST(HttpResponseTest, ChunkedWhenLengthUnknown) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET /live/a.flv HTTP/1.1\r\n\r\n"));
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    w.header()->set_content_type("video/x-flv");
    HTTP_ASSERT_OK(w.write("FLV\x01", 4));
    HTTP_ASSERT_OK(w.write("", 0));  // must not end the body
    std::string big(300, 'z');
    HTTP_ASSERT_OK(w.write(big.data(), (int)big.size()));
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_TRUE(r.has("Transfer-Encoding: chunked"));
    EXPECT_EQ(std::string::npos, r.head.find("Content-Length"));
    EXPECT_EQ("4\r\nFLV\x01\r\n12c\r\n" + big + "\r\n0\r\n\r\n", r.body);
    EXPECT_EQ("FLV\x01" + big, reparse_body(out.out));
    EXPECT_TRUE(w.keep_alive());
}

TEST(HttpResponseTest, WritevChunkedManyBuffers) {
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, nullptr);
    // More buffers than IOV_MAX: split into several writev calls, still one chunk.
    std::vector<std::string> parts;
    std::vector<iovec> iovs;
    std::string expect;
    for (int i = 0; i < 2500; i++) {
        parts.push_back(std::to_string(i) + ",");
    }
    for (auto& p : parts) {
        iovs.push_back({(void*)p.data(), p.size()});
        expect += p;
    }
    ssize_t n = 0;
    HTTP_ASSERT_OK(w.writev(iovs.data(), (int)iovs.size(), &n));
    EXPECT_EQ((ssize_t)expect.size(), n);
    HTTP_ASSERT_OK(w.final_request());
    EXPECT_GE(out.nb_writes, 3);
    EXPECT_EQ(expect, reparse_body(out.out));
}

TEST(HttpResponseTest, PartialWritesAreCompleted) {
    MockHttpIo out;
    out.max_write = 7;
    SrsHttpResponseWriter w(&out, nullptr);
    std::string a = "hello ", b = "world";
    iovec iov[2] = {{(void*)a.data(), a.size()}, {(void*)b.data(), b.size()}};
    HTTP_ASSERT_OK(w.writev(iov, 2, nullptr));
    HTTP_ASSERT_OK(w.final_request());
    EXPECT_EQ("hello world", reparse_body(out.out));
}

TEST(HttpResponseTest, HeadWritesNoBody) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("HEAD /index.html HTTP/1.1\r\n\r\n"));
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    w.header()->set_content_length(5);
    w.header()->set_content_type("text/html");
    HTTP_ASSERT_OK(w.write("hello", 5));
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_TRUE(r.has("Content-Length: 5"));
    EXPECT_EQ("", r.body);
    EXPECT_TRUE(w.keep_alive());

    // Unknown length: no chunked framing announced, nothing sent, still keep-alive.
    MockHttpIo out2;
    SrsHttpResponseWriter w2(&out2, m.msg.get());
    HTTP_ASSERT_OK(w2.write("stream", 6));
    HTTP_ASSERT_OK(w2.final_request());
    MockHttpResponse r2(out2.out);
    EXPECT_EQ(std::string::npos, r2.head.find("Transfer-Encoding"));
    EXPECT_EQ("", r2.body);
    EXPECT_TRUE(w2.keep_alive());
}

TEST(HttpResponseTest, Http10ClientGetsCloseDelimitedBody) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET /live/a.flv HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    HTTP_ASSERT_OK(w.write("FLV", 3));
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_TRUE(r.has("Connection: close"));
    EXPECT_EQ(std::string::npos, r.head.find("Transfer-Encoding"));
    EXPECT_EQ("FLV", r.body);
    EXPECT_FALSE(w.keep_alive());
    EXPECT_EQ(SrsHttpBodyClose, w.framing());
}

TEST(HttpResponseTest, EmptyResponseGetsZeroLength) {
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, nullptr);
    w.write_header(201);
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_EQ(201, r.status);
    EXPECT_TRUE(r.has("Content-Length: 0"));
    EXPECT_EQ("", r.body);
}

TEST(HttpResponseTest, NoBodyStatuses) {
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, nullptr);
    w.header()->set_content_length(10);
    w.write_header(204);
    HTTP_ASSERT_OK(w.write("ignored", 7));
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_EQ(204, r.status);
    EXPECT_EQ(std::string::npos, r.head.find("Content-Length"));
    EXPECT_EQ("", r.body);
    EXPECT_TRUE(w.keep_alive());
}

TEST(HttpResponseTest, ConnectionCloseAndStatusAfterHead) {
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    w.write_header(404);
    HTTP_ASSERT_OK(w.write("x", 1));
    w.write_header(500);  // too late, ignored
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_EQ(404, r.status);
    EXPECT_TRUE(r.has("Connection: close"));
    EXPECT_FALSE(w.keep_alive());
}

TEST(HttpResponseTest, WriteErrorClosesConnection) {
    MockHttpIo out;
    out.fail_write_after = 0;
    SrsHttpResponseWriter w(&out, nullptr);
    HTTP_EXPECT_CODE(ERROR_SOCKET_WRITE, w.write("abc", 3));
    EXPECT_FALSE(w.keep_alive());
}

TEST(HttpResponseTest, HelpersAndDate) {
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, nullptr);
    HTTP_ASSERT_OK(srs_http_write_error(&w, 403));
    HTTP_ASSERT_OK(w.final_request());
    MockHttpResponse r(out.out);
    EXPECT_EQ(403, r.status);
    EXPECT_EQ("403 Forbidden\n", r.body);
    EXPECT_EQ("Thu, 01 Jan 1970 00:00:00 GMT", srs_http_date(0));
    EXPECT_EQ("Sun, 06 Nov 1994 08:49:37 GMT", srs_http_date(784111777));
    EXPECT_STREQ("Range Not Satisfiable", srs_http_status_text(416));
    EXPECT_STREQ("Unknown", srs_http_status_text(599));
}

TEST(HttpResponseTest, ChunkSizeLine) {
    char buf[19];
    auto line = [&buf](size_t size) { return std::string(buf, srs_http_chunk_size_line(buf, size)); };
    EXPECT_EQ("0\r\n", line(0));
    EXPECT_EQ("f\r\n", line(15));
    EXPECT_EQ("10\r\n", line(16));
    EXPECT_EQ("1a2b3c\r\n", line(0x1a2b3c));
    EXPECT_EQ("ffffffffffffffff\r\n", line(SIZE_MAX));
}
