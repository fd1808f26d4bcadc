#include <gtest/gtest.h>

#include <srs_protocol_http_mux.hpp>
#include <srs_utest_http_mock.hpp>

namespace {

// Answers with its name, so tests see which handler served.
class NamedHandler : public ISrsHttpHandler {
public:
    explicit NamedHandler(const std::string& name) : name_(name) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) override {
        nb_++;
        return srs_http_write_response(w, 200, "text/plain", name_);
    }
    std::string name_;
    int nb_ = 0;
};

// Serves a request through a handler; returns the response.
MockHttpResponse serve(ISrsHttpHandler* h, const std::string& raw) {
    MockHttpRequest m;
    srs_error_t err = m.parse(raw);
    if (err) {
        return MockHttpResponse("parse error " + srs_error_desc(err));
    }
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, m.msg.get());
    err = h->serve_http(&w, m.msg.get());
    if (!err) {
        err = w.final_request();
    }
    if (err) {
        return MockHttpResponse("serve error " + srs_error_desc(err));
    }
    return MockHttpResponse(out.out);
}

std::string get(ISrsHttpHandler* h, const std::string& path, const std::string& host = "x") {
    MockHttpResponse r = serve(h, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    return r.status == 200 ? r.body : std::to_string(r.status);
}

}  // namespace

TEST(HttpMuxTest, LongestPatternWins) {
    SrsHttpServeMux mux;
    HTTP_ASSERT_OK(mux.handle("/", std::make_shared<NamedHandler>("root")));
    HTTP_ASSERT_OK(mux.handle("/api/", std::make_shared<NamedHandler>("api")));
    HTTP_ASSERT_OK(mux.handle("/api/v1/", std::make_shared<NamedHandler>("v1")));
    HTTP_ASSERT_OK(mux.handle("/api/v1/versions", std::make_shared<NamedHandler>("versions")));
    EXPECT_EQ("root", get(&mux, "/"));
    EXPECT_EQ("root", get(&mux, "/index.html"));
    EXPECT_EQ("api", get(&mux, "/api/"));
    EXPECT_EQ("api", get(&mux, "/api/v2/x"));
    EXPECT_EQ("v1", get(&mux, "/api/v1/"));
    EXPECT_EQ("v1", get(&mux, "/api/v1/streams"));
    EXPECT_EQ("versions", get(&mux, "/api/v1/versions"));
    // An exact pattern does not match below itself.
    EXPECT_EQ("v1", get(&mux, "/api/v1/versions/x"));
    EXPECT_EQ("versions", get(&mux, "/api/v1/versions?callback=x"));
}

TEST(HttpMuxTest, SubtreeVersusExactAnd404) {
    SrsHttpServeMux mux;
    HTTP_ASSERT_OK(mux.handle("/live/livestream.flv", std::make_shared<NamedHandler>("flv")));
    HTTP_ASSERT_OK(mux.handle("/hls/", std::make_shared<NamedHandler>("hls")));
    EXPECT_EQ("flv", get(&mux, "/live/livestream.flv"));
    EXPECT_EQ("404", get(&mux, "/live/other.flv"));
    EXPECT_EQ("404", get(&mux, "/live/"));
    EXPECT_EQ("404", get(&mux, "/"));
    EXPECT_EQ("hls", get(&mux, "/hls/a/b/c.ts"));
    MockHttpResponse r = serve(&mux, "GET /nothing HTTP/1.1\r\n\r\n");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("404 page not found\n", r.body);
}

TEST(HttpMuxTest, HostPatternsWin) {
    SrsHttpServeMux mux;
    HTTP_ASSERT_OK(mux.handle("/live/", std::make_shared<NamedHandler>("generic")));
    HTTP_ASSERT_OK(mux.handle("Vhost.Example.com/live/", std::make_shared<NamedHandler>("vhost")));
    HTTP_ASSERT_OK(mux.handle("other.com/live/a.flv", std::make_shared<NamedHandler>("other-exact")));
    EXPECT_EQ("vhost", get(&mux, "/live/a.flv", "vhost.example.com"));
    EXPECT_EQ("vhost", get(&mux, "/live/a.flv", "VHOST.example.com:8080"));
    EXPECT_EQ("generic", get(&mux, "/live/a.flv", "127.0.0.1:8080"));
    EXPECT_EQ("other-exact", get(&mux, "/live/a.flv", "other.com"));
    EXPECT_EQ("generic", get(&mux, "/live/b.flv", "other.com"));
    EXPECT_TRUE(mux.has("vhost.example.com/live/"));
}

TEST(HttpMuxTest, RedirectsLikeGo) {
    SrsHttpServeMux mux;
    HTTP_ASSERT_OK(mux.handle("/", std::make_shared<NamedHandler>("root")));
    HTTP_ASSERT_OK(mux.handle("/console/", std::make_shared<NamedHandler>("console")));
    MockHttpResponse r = serve(&mux, "GET /console?x=1 HTTP/1.1\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_TRUE(r.has("Location: /console/?x=1"));
    r = serve(&mux, "GET /a/../console/ HTTP/1.1\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_TRUE(r.has("Location: /console/"));
    r = serve(&mux, "GET //console//x HTTP/1.1\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_TRUE(r.has("Location: /console/x"));
}

TEST(HttpMuxTest, PatternErrors) {
    SrsHttpServeMux mux;
    auto h = std::make_shared<NamedHandler>("h");
    HTTP_EXPECT_CODE(ERROR_HTTP_PATTERN_EMPTY, mux.handle("", h));
    HTTP_EXPECT_CODE(ERROR_HTTP_PATTERN_EMPTY, mux.handle("/x", nullptr));
    HTTP_EXPECT_CODE(ERROR_HTTP_PATTERN_EMPTY, mux.handle("hostonly", h));
    HTTP_ASSERT_OK(mux.handle("/x", h));
    HTTP_EXPECT_CODE(ERROR_HTTP_PATTERN_DUPLICATED, mux.handle("/x", h));
}

TEST(HttpMuxTest, HandleAndUnhandleAtRuntime) {
    SrsHttpServeMux mux;
    auto flv = std::make_shared<NamedHandler>("stream");
    HTTP_ASSERT_OK(mux.handle("/live/s1.flv", flv));
    EXPECT_EQ("stream", get(&mux, "/live/s1.flv"));
    mux.unhandle("/live/s1.flv");
    mux.unhandle("/never");
    EXPECT_EQ("404", get(&mux, "/live/s1.flv"));
    EXPECT_EQ(0u, mux.size());
    HTTP_ASSERT_OK(mux.handle("/live/s1.flv", flv));
    EXPECT_EQ("stream", get(&mux, "/live/s1.flv"));
    EXPECT_EQ(2, flv->nb_);
}

namespace {

// Unhandles its own pattern while serving, as a stream that unpublishes would.
class SelfRemovingHandler : public ISrsHttpHandler {
public:
    SelfRemovingHandler(SrsHttpServeMux* mux, const std::string& pattern) : mux_(mux), pattern_(pattern) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) override {
        mux_->unhandle(pattern_);
        // Still alive: the mux holds a reference during serve.
        return srs_http_write_response(w, 200, "text/plain", pattern_);
    }
    SrsHttpServeMux* mux_;
    std::string pattern_;
};

// Creates a handler for any .flv URL, like an on-demand edge.
class FlvHijacker : public ISrsHttpMatchHijacker {
public:
    srs_error_t hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) override {
        if (r->ext() == ".flv" && !*ph) {
            *ph = std::make_shared<NamedHandler>("hijacked " + r->path());
        }
        if (r->path() == "/fail") {
            return srs_error_new(ERROR_HTTP_NOT_FOUND, "hijack failed");
        }
        return srs_success;
    }
};

}  // namespace

TEST(HttpMuxTest, UnhandleWhileServing) {
    SrsHttpServeMux mux;
    HTTP_ASSERT_OK(mux.handle("/live/x.flv", std::make_shared<SelfRemovingHandler>(&mux, "/live/x.flv")));
    EXPECT_EQ("/live/x.flv", get(&mux, "/live/x.flv"));
    EXPECT_EQ("404", get(&mux, "/live/x.flv"));
}

TEST(HttpMuxTest, Hijacker) {
    SrsHttpServeMux mux;
    FlvHijacker hj;
    mux.hijack(&hj);
    mux.hijack(&hj);
    HTTP_ASSERT_OK(mux.handle("/live/static.flv", std::make_shared<NamedHandler>("static")));
    EXPECT_EQ("static", get(&mux, "/live/static.flv"));
    EXPECT_EQ("hijacked /live/dyn.flv", get(&mux, "/live/dyn.flv"));
    EXPECT_EQ("404", get(&mux, "/live/dyn.m3u8"));
    MockHttpRequest m;
    HTTP_ASSERT_OK(m.parse("GET /fail HTTP/1.1\r\n\r\n"));
    std::shared_ptr<ISrsHttpHandler> h;
    HTTP_EXPECT_CODE(ERROR_HTTP_NOT_FOUND, mux.find_handler(m.msg.get(), &h));
    mux.unhijack(&hj);
    EXPECT_EQ("404", get(&mux, "/live/dyn.flv"));
}

TEST(HttpMuxTest, CorsPreflightAndHeaders) {
    auto mux = std::make_shared<SrsHttpServeMux>();
    HTTP_ASSERT_OK(mux->handle("/api/", std::make_shared<NamedHandler>("api")));
    SrsHttpCorsMux cors(mux, true);

    MockHttpResponse r = serve(&cors,
                               "OPTIONS /api/v1/streams HTTP/1.1\r\nOrigin: http://a.com\r\n"
                               "Access-Control-Request-Method: POST\r\n"
                               "Access-Control-Request-Headers: content-type, authorization\r\n\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Access-Control-Allow-Origin: *"));
    EXPECT_TRUE(r.has("Access-Control-Allow-Methods: GET, POST, HEAD, PUT, DELETE, OPTIONS"));
    EXPECT_TRUE(r.has("Access-Control-Allow-Headers: content-type, authorization"));
    EXPECT_TRUE(r.has("Content-Length: 0"));
    EXPECT_EQ("", r.body);

    r = serve(&cors, "GET /api/v1/streams HTTP/1.1\r\nOrigin: http://a.com\r\n\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("api", r.body);
    EXPECT_TRUE(r.has("Access-Control-Allow-Origin: *"));
    EXPECT_NE(std::string::npos, r.head.find("Access-Control-Expose-Headers: "));

    cors.set_enabled(false);
    r = serve(&cors, "GET /api/v1/streams HTTP/1.1\r\n\r\n");
    EXPECT_EQ(std::string::npos, r.head.find("Access-Control"));
    r = serve(&cors, "OPTIONS /api/v1/streams HTTP/1.1\r\n\r\n");
    EXPECT_EQ("api", r.body);
}
