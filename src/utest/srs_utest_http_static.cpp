#include <gtest/gtest.h>

#include <srs_protocol_http_static.hpp>
#include <srs_utest_http_mock.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace {

// A throwaway tree under /tmp:
//   <base>/outside.txt, <base>/outdir/secret.txt    (outside the root)
//   <base>/root/index.html, live/a.m3u8, live/a.ts, big.bin, empty/ (no index), sub/index.html
//   <base>/root/escape -> ../outside.txt, escdir -> ../outdir, alias.m3u8 -> live/a.m3u8
class HttpStaticTest : public testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/srs-utest-http-XXXXXX";
        ASSERT_NE(nullptr, mkdtemp(tmpl));
        base_ = tmpl;
        root_ = base_ + "/root";
        ASSERT_EQ(0, mkdir(root_.c_str(), 0755));
        ASSERT_EQ(0, mkdir((root_ + "/live").c_str(), 0755));
        ASSERT_EQ(0, mkdir((root_ + "/empty").c_str(), 0755));
        ASSERT_EQ(0, mkdir((root_ + "/sub").c_str(), 0755));
        ASSERT_EQ(0, mkdir((base_ + "/outdir").c_str(), 0755));
        put(root_ + "/index.html", "<html>home</html>");
        put(root_ + "/sub/index.html", "sub index");
        put(root_ + "/live/a.m3u8", "#EXTM3U\n");
        put(root_ + "/live/a.ts", "0123456789");
        put(root_ + "/Upper.JSON", "{}");
        big_.resize(300 * 1024);
        for (size_t i = 0; i < big_.size(); i++) {
            big_[i] = (char)('a' + i % 26);
        }
        put(root_ + "/big.bin", big_);
        put(base_ + "/outside.txt", "secret");
        put(base_ + "/outdir/secret.txt", "secret2");
        ASSERT_EQ(0, symlink("../outside.txt", (root_ + "/escape").c_str()));
        ASSERT_EQ(0, symlink("../outdir", (root_ + "/escdir").c_str()));
        ASSERT_EQ(0, symlink("live/a.m3u8", (root_ + "/alias.m3u8").c_str()));
    }
    void TearDown() override {
        if (!base_.empty() && base_.find("/tmp/srs-utest-http-") == 0) {
            std::string cmd = "rm -rf '" + base_ + "'";
            EXPECT_EQ(0, system(cmd.c_str()));
        }
    }
    static void put(const std::string& path, const std::string& data) {
        std::ofstream f(path, std::ios::binary);
        f << data;
    }
    MockHttpResponse serve(const std::string& raw, int* nb_writes = nullptr, const std::string& prefix = "") {
        SrsHttpFileServer fs(root_, prefix);
        MockHttpRequest m;
        srs_error_t err = m.parse(raw);
        if (err) {
            return MockHttpResponse("parse error " + srs_error_desc(err));
        }
        MockHttpIo out;
        SrsHttpResponseWriter w(&out, m.msg.get());
        err = fs.serve_http(&w, m.msg.get());
        if (!err) {
            err = w.final_request();
        }
        if (err) {
            return MockHttpResponse("serve error " + srs_error_desc(err));
        }
        if (nb_writes) {
            *nb_writes = out.nb_writes;
        }
        return MockHttpResponse(out.out);
    }
    MockHttpResponse get(const std::string& path, const std::string& extra = "") {
        return serve("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n");
    }

    std::string base_;
    std::string root_;
    std::string big_;
};

}  // namespace

TEST(HttpStaticMimeTest, Types) {
    EXPECT_EQ("application/vnd.apple.mpegurl", srs_http_mime_type(".m3u8"));
    EXPECT_EQ("video/MP2T", srs_http_mime_type(".ts"));
    EXPECT_EQ("video/x-flv", srs_http_mime_type(".flv"));
    EXPECT_EQ("video/mp4", srs_http_mime_type(".mp4"));
    EXPECT_EQ("text/html; charset=utf-8", srs_http_mime_type(".html"));
    EXPECT_EQ("application/javascript", srs_http_mime_type(".js"));
    EXPECT_EQ("text/css", srs_http_mime_type(".css"));
    EXPECT_EQ("application/json", srs_http_mime_type(".json"));
    EXPECT_EQ("application/json", srs_http_mime_type(".JSON"));
    EXPECT_EQ("text/plain; charset=utf-8", srs_http_mime_type(".txt"));
    EXPECT_EQ("image/png", srs_http_mime_type(".png"));
    EXPECT_EQ("image/jpeg", srs_http_mime_type(".jpg"));
    EXPECT_EQ("image/x-icon", srs_http_mime_type(".ico"));
    EXPECT_EQ("audio/aac", srs_http_mime_type(".aac"));
    EXPECT_EQ("audio/mpeg", srs_http_mime_type(".mp3"));
    EXPECT_EQ("text/xml", srs_http_mime_type(".xml"));
    EXPECT_EQ("application/octet-stream", srs_http_mime_type(".unknown"));
    EXPECT_EQ("application/octet-stream", srs_http_mime_type(""));
}

TEST(HttpStaticMimeTest, RangeParse) {
    int64_t s = -1, e = -1;
    EXPECT_EQ(SrsHttpRangeOk, srs_http_parse_range("bytes=0-4", 10, &s, &e));
    EXPECT_EQ(0, s);
    EXPECT_EQ(4, e);
    EXPECT_EQ(SrsHttpRangeOk, srs_http_parse_range("bytes=5-", 10, &s, &e));
    EXPECT_EQ(5, s);
    EXPECT_EQ(9, e);
    EXPECT_EQ(SrsHttpRangeOk, srs_http_parse_range("bytes=-3", 10, &s, &e));
    EXPECT_EQ(7, s);
    EXPECT_EQ(9, e);
    EXPECT_EQ(SrsHttpRangeOk, srs_http_parse_range("bytes=-30", 10, &s, &e));
    EXPECT_EQ(0, s);
    EXPECT_EQ(9, e);
    EXPECT_EQ(SrsHttpRangeOk, srs_http_parse_range("bytes=8-100", 10, &s, &e));
    EXPECT_EQ(8, s);
    EXPECT_EQ(9, e);
    EXPECT_EQ(SrsHttpRangeOk, srs_http_parse_range("Bytes= 2-2 ", 10, &s, &e));
    EXPECT_EQ(2, s);
    EXPECT_EQ(2, e);
    EXPECT_EQ(SrsHttpRangeUnsatisfiable, srs_http_parse_range("bytes=10-", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeUnsatisfiable, srs_http_parse_range("bytes=10-20", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeUnsatisfiable, srs_http_parse_range("bytes=-0", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeUnsatisfiable, srs_http_parse_range("bytes=0-", 0, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("bytes=5-2", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("bytes=0-1,3-4", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("items=0-1", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("bytes=a-b", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("bytes=", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("bytes=-", 10, &s, &e));
    EXPECT_EQ(SrsHttpRangeNone, srs_http_parse_range("bytes=+1-2", 10, &s, &e));
}

TEST_F(HttpStaticTest, ServesFilesWithMime) {
    MockHttpResponse r = get("/live/a.m3u8");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Type: application/vnd.apple.mpegurl"));
    EXPECT_TRUE(r.has("Content-Length: 8"));
    EXPECT_TRUE(r.has("Accept-Ranges: bytes"));
    EXPECT_NE(std::string::npos, r.head.find("Last-Modified: "));
    EXPECT_EQ("#EXTM3U\n", r.body);

    r = get("/live/a.ts");
    EXPECT_TRUE(r.has("Content-Type: video/MP2T"));
    EXPECT_EQ("0123456789", r.body);
    r = get("/Upper.JSON");
    EXPECT_TRUE(r.has("Content-Type: application/json"));
    // Percent-encoded names decode.
    r = get("/live/%61.ts");
    EXPECT_EQ("0123456789", r.body);
    // Symlinks inside the root are fine.
    r = get("/alias.m3u8");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("#EXTM3U\n", r.body);
}

TEST_F(HttpStaticTest, Ranges) {
    MockHttpResponse r = get("/live/a.ts", "Range: bytes=2-5\r\n");
    EXPECT_EQ(206, r.status);
    EXPECT_TRUE(r.has("Content-Range: bytes 2-5/10"));
    EXPECT_TRUE(r.has("Content-Length: 4"));
    EXPECT_EQ("2345", r.body);
    r = get("/live/a.ts", "Range: bytes=7-\r\n");
    EXPECT_EQ(206, r.status);
    EXPECT_EQ("789", r.body);
    EXPECT_TRUE(r.has("Content-Range: bytes 7-9/10"));
    r = get("/live/a.ts", "Range: bytes=-2\r\n");
    EXPECT_EQ(206, r.status);
    EXPECT_EQ("89", r.body);
    r = get("/live/a.ts", "Range: bytes=10-\r\n");
    EXPECT_EQ(416, r.status);
    EXPECT_TRUE(r.has("Content-Range: bytes */10"));
    r = get("/live/a.ts", "Range: bytes=0-1,4-5\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("0123456789", r.body);
    // A range of a big file, served in bounded pieces.
    r = get("/big.bin", "Range: bytes=100000-299999\r\n");
    EXPECT_EQ(206, r.status);
    EXPECT_EQ(big_.substr(100000, 200000), r.body);
}

TEST_F(HttpStaticTest, BigFileIsStreamedInChunks) {
    int nb_writes = 0;
    MockHttpResponse r = serve("GET /big.bin HTTP/1.1\r\n\r\n", &nb_writes);
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Length: " + std::to_string(big_.size())));
    EXPECT_TRUE(r.has("Content-Type: application/octet-stream"));
    EXPECT_EQ(big_, r.body);
    EXPECT_GE(nb_writes, 5);
}

TEST_F(HttpStaticTest, HeadAndMethods) {
    MockHttpResponse r = serve("HEAD /live/a.ts HTTP/1.1\r\n\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Length: 10"));
    EXPECT_EQ("", r.body);

    r = serve("POST /live/a.ts HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(405, r.status);
    EXPECT_TRUE(r.has("Allow: GET, HEAD"));
    r = serve("DELETE /live/a.ts HTTP/1.1\r\n\r\n");
    EXPECT_EQ(405, r.status);
}

TEST_F(HttpStaticTest, IndexAndDirectories) {
    MockHttpResponse r = get("/");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Type: text/html; charset=utf-8"));
    EXPECT_EQ("<html>home</html>", r.body);
    r = get("/sub/");
    EXPECT_EQ("sub index", r.body);
    r = get("/sub?x=1");
    EXPECT_EQ(301, r.status);
    EXPECT_TRUE(r.has("Location: /sub/?x=1"));
    r = get("/empty/");
    EXPECT_EQ(403, r.status);
    r = get("/missing.m3u8");
    EXPECT_EQ(404, r.status);
    r = get("/live/a.ts/x");
    EXPECT_EQ(404, r.status);
}

TEST_F(HttpStaticTest, NoTraversal) {
    EXPECT_EQ(403, get("/../outside.txt").status);
    EXPECT_EQ(403, get("/live/../../outside.txt").status);
    EXPECT_EQ(403, get("/%2e%2e/outside.txt").status);
    EXPECT_EQ(403, get("/%2E%2E/outside.txt").status);
    EXPECT_EQ(403, get("/live/.%2e/.%2e/outside.txt").status);
    EXPECT_EQ(400, get("/..%2foutside.txt").status);
    EXPECT_EQ(400, get("/live%2F..%2F..%2Foutside.txt").status);
    EXPECT_EQ(400, get("/..%5coutside.txt").status);
    EXPECT_EQ(400, get("/live/a.ts%00.html").status);
    // Symlinks that resolve outside the root.
    EXPECT_EQ(403, get("/escape").status);
    EXPECT_EQ(403, get("/escdir/secret.txt").status);
    EXPECT_EQ(403, get("/escdir/").status);
    // Invalid escapes never reach the file server: the request is malformed.
    MockHttpRequest m;
    HTTP_EXPECT_CODE(ERROR_HTTP_PARSE_URI, m.parse("GET /%zz HTTP/1.1\r\n\r\n"));
    // Nothing of the secret leaked in any answer.
    EXPECT_EQ(std::string::npos, get("/escape").body.find("secret"));
}

TEST_F(HttpStaticTest, PrefixIsStripped) {
    MockHttpResponse r = serve("GET /hls/live/a.ts HTTP/1.1\r\n\r\n", nullptr, "/hls");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("0123456789", r.body);
}

TEST_F(HttpStaticTest, NotModified) {
    MockHttpResponse r = get("/live/a.ts");
    std::string lm;
    size_t p = r.head.find("Last-Modified: ");
    ASSERT_NE(std::string::npos, p);
    lm = r.head.substr(p + 15, r.head.find("\r\n", p) - p - 15);
    r = get("/live/a.ts", "If-Modified-Since: " + lm + "\r\n");
    EXPECT_EQ(304, r.status);
    EXPECT_EQ("", r.body);
}
