#include <gtest/gtest.h>

#include <srs_protocol_http_url.hpp>
#include <srs_utest_http_mock.hpp>

TEST(HttpUrlTest, DecodeStrict) {
    std::string out;
    HTTP_ASSERT_OK(srs_http_url_decode("/live/a%20b%2Fc", &out));
    EXPECT_EQ("/live/a b/c", out);
    HTTP_ASSERT_OK(srs_http_url_decode("a+b", &out));
    EXPECT_EQ("a+b", out);
    HTTP_ASSERT_OK(srs_http_url_decode("a+b", &out, true));
    EXPECT_EQ("a b", out);
    HTTP_ASSERT_OK(srs_http_url_decode("%e4%b8%ad", &out));
    EXPECT_EQ("\xe4\xb8\xad", out);

    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, srs_http_url_decode("%zz", &out));
    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, srs_http_url_decode("abc%4", &out));
    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, srs_http_url_decode("abc%", &out));
    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, srs_http_url_decode("%g1", &out));
    // NUL decodes (the file server rejects it); the decoder only checks syntax.
    HTTP_ASSERT_OK(srs_http_url_decode("a%00b", &out));
    EXPECT_EQ(std::string("a\0b", 3), out);
}

TEST(HttpUrlTest, EncodeRoundTrip) {
    EXPECT_EQ("a%20b%2Fc", srs_http_url_encode("a b/c"));
    EXPECT_EQ("/live/a%20b", srs_http_url_encode("/live/a b", true));
    EXPECT_EQ("AZaz09-._~", srs_http_url_encode("AZaz09-._~"));
    std::string out;
    HTTP_ASSERT_OK(srs_http_url_decode(srs_http_url_encode("x=1&y=\xff"), &out));
    EXPECT_EQ("x=1&y=\xff", out);
}

TEST(HttpUrlTest, QueryParse) {
    SrsHttpQuery q;
    HTTP_ASSERT_OK(q.parse("?a=1&b=x%20y&a=2&flag&c=&d=e+f"));
    EXPECT_EQ("1", q.get("a"));
    EXPECT_EQ(2u, q.get_all("a").size());
    EXPECT_EQ("2", q.get_all("a")[1]);
    EXPECT_EQ("x y", q.get("b"));
    EXPECT_TRUE(q.has("flag"));
    EXPECT_EQ("", q.get("flag"));
    EXPECT_TRUE(q.has("c"));
    EXPECT_FALSE(q.has("zz"));
    EXPECT_EQ("e f", q.get("d"));
    EXPECT_EQ(6u, q.params().size());

    HTTP_ASSERT_OK(q.parse(""));
    EXPECT_TRUE(q.empty());
    HTTP_ASSERT_OK(q.parse("&&a=1&&"));
    EXPECT_EQ(1u, q.params().size());

    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, q.parse("a=%zz"));

    SrsHttpQuery e;
    e.add("k y", "v&1");
    EXPECT_EQ("k%20y=v%261", e.encode());
}

TEST(HttpUrlTest, PathClean) {
    EXPECT_EQ("/", srs_http_path_clean(""));
    EXPECT_EQ("/", srs_http_path_clean("/"));
    EXPECT_EQ("/a/b", srs_http_path_clean("/a/b"));
    EXPECT_EQ("/a/b/", srs_http_path_clean("/a/b/"));
    EXPECT_EQ("/a/b", srs_http_path_clean("//a///b"));
    EXPECT_EQ("/b", srs_http_path_clean("/a/../b"));
    EXPECT_EQ("/etc/passwd", srs_http_path_clean("/../../etc/passwd"));
    EXPECT_EQ("/a/", srs_http_path_clean("/a/b/.."));
    EXPECT_EQ("/a/", srs_http_path_clean("/a/./"));
    EXPECT_EQ("/a", srs_http_path_clean("a"));
    EXPECT_EQ("/", srs_http_path_clean("/.."));
}

TEST(HttpUrlTest, UriParse) {
    SrsHttpUri u;
    HTTP_ASSERT_OK(u.initialize("http://127.0.0.1:8085/api/v1/streams?app=live&stream=a%20b#frag"));
    EXPECT_EQ("http", u.schema());
    EXPECT_EQ("127.0.0.1", u.host());
    EXPECT_EQ(8085, u.port());
    EXPECT_EQ("/api/v1/streams", u.path());
    EXPECT_EQ("app=live&stream=a%20b", u.query());
    EXPECT_EQ("a b", u.query_get("stream"));
    EXPECT_EQ("frag", u.fragment());
    EXPECT_EQ("/api/v1/streams?app=live&stream=a%20b", u.request_target());

    HTTP_ASSERT_OK(u.initialize("http://ossrs.net"));
    EXPECT_EQ(80, u.port());
    EXPECT_EQ("/", u.raw_path());
    HTTP_ASSERT_OK(u.initialize("HTTPS://user:pw@example.com/x"));
    EXPECT_EQ("https", u.schema());
    EXPECT_EQ(443, u.port());
    EXPECT_EQ("user:pw", u.userinfo());
    HTTP_ASSERT_OK(u.initialize("http://[::1]:1985/api"));
    EXPECT_EQ("::1", u.host());
    EXPECT_EQ(1985, u.port());
    HTTP_ASSERT_OK(u.initialize("rtmp://localhost/live/livestream"));
    EXPECT_EQ(1935, u.port());

    HTTP_EXPECT_FAIL(u.initialize("/relative/path"));
    HTTP_EXPECT_FAIL(u.initialize("http://host:99999/"));
    HTTP_EXPECT_FAIL(u.initialize("http://host/a%zz"));
    HTTP_EXPECT_FAIL(u.initialize("not a url"));
}
