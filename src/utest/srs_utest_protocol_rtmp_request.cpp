#include <gtest/gtest.h>

#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_utest_protocol_helper.hpp>

namespace {

struct Parsed {
    std::string schema, host, app, query;
    int port = 0;
};

Parsed parse(const std::string& url) {
    Parsed p;
    srs_error_t err = srs_rtmp_parse_tc_url(url, &p.schema, &p.host, &p.port, &p.app, &p.query);
    EXPECT_TRUE(err == srs_success) << url << ": " << srs_error_desc(err);
    return p;
}

std::unique_ptr<SrsRequest> request(const std::string& tc_url, const std::string& stream) {
    auto req = std::make_unique<SrsRequest>();
    req->tcUrl = tc_url;
    srs_error_t err = req->parse_tc_url();
    EXPECT_TRUE(err == srs_success) << tc_url << ": " << srs_error_desc(err);
    req->set_stream(stream);
    req->strip();
    return req;
}

}  // namespace

TEST(ProtocolRtmpRequestTest, ParseTcUrlForms) {
    Parsed p = parse("rtmp://localhost/live");
    EXPECT_EQ("rtmp", p.schema);
    EXPECT_EQ("localhost", p.host);
    EXPECT_EQ(1935, p.port);
    EXPECT_EQ("live", p.app);
    EXPECT_EQ("", p.query);

    p = parse("rtmp://127.0.0.1:19350/live/");
    EXPECT_EQ("127.0.0.1", p.host);
    EXPECT_EQ(19350, p.port);
    EXPECT_EQ("live", p.app);

    p = parse("RTMP://ossrs.net/live/sub/app?vhost=v.ossrs.net&token=1");
    EXPECT_EQ("rtmp", p.schema);
    EXPECT_EQ("live/sub/app", p.app);
    EXPECT_EQ("vhost=v.ossrs.net&token=1", p.query);

    p = parse("rtmp://[::1]:1936/live");
    EXPECT_EQ("::1", p.host);
    EXPECT_EQ(1936, p.port);
    EXPECT_EQ("live", p.app);

    p = parse("rtmp://[2001:db8::2]/live");
    EXPECT_EQ("2001:db8::2", p.host);
    EXPECT_EQ(1935, p.port);

    p = parse("rtmp://host/live/_definst_");
    EXPECT_EQ("live", p.app);

    p = parse("rtmp://user:pass@host:1937/app");
    EXPECT_EQ("host", p.host);
    EXPECT_EQ(1937, p.port);

    p = parse("rtmps://host/app");
    EXPECT_EQ(443, p.port);

    p = parse("rtmp://host");
    EXPECT_EQ("", p.app);

    p = parse("rtmp://host?vhost=v");
    EXPECT_EQ("", p.app);
    EXPECT_EQ("vhost=v", p.query);
}

TEST(ProtocolRtmpRequestTest, ParseTcUrlErrors) {
    std::string schema, host, app, query;
    int port = 0;
    for (const char* bad : {"", "localhost/live", "://host/live", "rtmp:///live", "rtmp://host:abc/live",
                            "rtmp://host:0/live", "rtmp://host:70000/live", "rtmp://[::1/live", "rtmp://[::1]x/live"}) {
        EXPECT_EQ(ERROR_RTMP_URL_INVALID,
                  srs_error_code(srs_rtmp_parse_tc_url(bad, &schema, &host, &port, &app, &query)))
            << bad;
    }
}

TEST(ProtocolRtmpRequestTest, VhostResolution) {
    auto r = request("rtmp://127.0.0.1/live", "livestream");
    EXPECT_EQ("127.0.0.1", r->vhost);
    EXPECT_EQ("127.0.0.1/live/livestream", r->get_stream_url());

    r = request("rtmp://127.0.0.1/live?vhost=demo.com", "livestream");
    EXPECT_EQ("demo.com", r->vhost);
    EXPECT_EQ("?vhost=demo.com", r->param);
    EXPECT_EQ("live", r->app);

    // The old SRS form in the app.
    r = request("rtmp://127.0.0.1/live...vhost...demo.com", "livestream");
    EXPECT_EQ("demo.com", r->vhost);
    EXPECT_EQ("live", r->app);

    // In the stream, which wins over the tcUrl.
    r = request("rtmp://127.0.0.1/live?vhost=a.com", "livestream?vhost=b.com&token=abc");
    EXPECT_EQ("b.com", r->vhost);
    EXPECT_EQ("livestream", r->stream);
    EXPECT_EQ("?vhost=b.com&token=abc", r->param);

    r = request("rtmp://127.0.0.1/live", "livestream...vhost...c.com");
    EXPECT_EQ("c.com", r->vhost);
    EXPECT_EQ("livestream", r->stream);

    r = request("rtmp://127.0.0.1/live?domain=d.com", "s");
    EXPECT_EQ("d.com", r->vhost);
}

TEST(ProtocolRtmpRequestTest, StreamQueryKeptAsParam) {
    auto r = request("rtmp://host/live", "livestream?token=abc");
    EXPECT_EQ("livestream", r->stream);
    EXPECT_EQ("?token=abc", r->param);
    EXPECT_EQ("host", r->vhost);

    // The tcUrl's query stays when the stream has none.
    r = request("rtmp://host/live?token=t1", "livestream");
    EXPECT_EQ("?token=t1", r->param);
}

TEST(ProtocolRtmpRequestTest, QueryValue) {
    EXPECT_EQ("v", srs_rtmp_query_value("?a=1&vhost=v", "vhost"));
    EXPECT_EQ("v", srs_rtmp_query_value("vhost=v", "vhost"));
    EXPECT_EQ("", srs_rtmp_query_value("a=1", "vhost"));
    EXPECT_EQ("v", srs_rtmp_query_value("vhost...v", "vhost"));
    EXPECT_EQ("v", srs_rtmp_query_value("vhost?v", "vhost"));
    EXPECT_EQ("", srs_rtmp_query_value("", "vhost"));
    EXPECT_EQ("2", srs_rtmp_query_value("a=1&b=2", "b"));
}

TEST(ProtocolRtmpRequestTest, StreamUrl) {
    EXPECT_EQ("/live/s", srs_generate_stream_url(SRS_DEFAULT_VHOST, "live", "s"));
    EXPECT_EQ("/live/s", srs_generate_stream_url("", "live", "s"));
    EXPECT_EQ("v.com/live/s", srs_generate_stream_url("v.com", "live", "s"));
    SrsRequest req;
    req.vhost = SRS_DEFAULT_VHOST;
    req.app = "a/b";
    req.stream = "c";
    EXPECT_EQ("/a/b/c", req.get_stream_url());
}

TEST(ProtocolRtmpRequestTest, TcUrlGenerationAndSplit) {
    EXPECT_EQ("rtmp://host/live", srs_generate_tc_url("rtmp", "host", 1935, "live"));
    EXPECT_EQ("rtmp://host:1936/live", srs_generate_tc_url("rtmp", "host", 1936, "live"));
    EXPECT_EQ("rtmp://[::1]:1936/live", srs_generate_tc_url("rtmp", "::1", 1936, "live"));

    std::string tc, stream;
    SRS_EXPECT_OK(srs_rtmp_split_url("rtmp://host/live/livestream?token=1", &tc, &stream));
    EXPECT_EQ("rtmp://host/live", tc);
    EXPECT_EQ("livestream?token=1", stream);
    SRS_EXPECT_OK(srs_rtmp_split_url("rtmp://host:1935/a/b/c", &tc, &stream));
    EXPECT_EQ("rtmp://host:1935/a/b", tc);
    EXPECT_EQ("c", stream);
    SRS_EXPECT_OK(srs_rtmp_split_url("rtmp://host/live/s?u=http://x/y", &tc, &stream));
    EXPECT_EQ("rtmp://host/live", tc);
    EXPECT_EQ("s?u=http://x/y", stream);
    SRS_EXPECT_FAIL(srs_rtmp_split_url("rtmp://host/live", &tc, &stream));
    SRS_EXPECT_FAIL(srs_rtmp_split_url("rtmp://host", &tc, &stream));
    SRS_EXPECT_FAIL(srs_rtmp_split_url("host/live/s", &tc, &stream));
    SRS_EXPECT_FAIL(srs_rtmp_split_url("rtmp://host/live/", &tc, &stream));
}

TEST(ProtocolRtmpRequestTest, Strip) {
    SrsRequest req;
    req.host = "ho st\n";
    req.vhost = "v/h\tost";
    req.app = "/live/../x/";
    req.stream = " live\rstream/../../etc ";
    req.strip();
    EXPECT_EQ("host", req.host);
    EXPECT_EQ("vhost", req.vhost);
    EXPECT_EQ("live/x", req.app);
    EXPECT_EQ("livestream/etc", req.stream);
}

TEST(ProtocolRtmpRequestTest, CopyAndUpdateAuth) {
    auto r = request("rtmp://host:1936/live?vhost=v", "s?token=1");
    r->ip = "1.2.3.4";
    r->pageUrl = "http://page";
    r->objectEncoding = 3;
    r->args = SrsAmf0Any::object();
    r->args->set("k", SrsAmf0Any::str("v"));
    auto c = r->copy();
    EXPECT_EQ("1.2.3.4", c->ip);
    EXPECT_EQ(1936, c->port);
    EXPECT_EQ("v", c->vhost);
    EXPECT_EQ("?token=1", c->param);
    EXPECT_EQ(3, c->objectEncoding);
    ASSERT_TRUE(c->args);
    r->args->set("k", SrsAmf0Any::str("changed"));
    EXPECT_EQ("v", c->args->get_string("k"));

    SrsRequest other;
    other.tcUrl = "rtmp://other/live";
    other.param = "?token=2";
    c->update_auth(other);
    EXPECT_EQ("?token=2", c->param);
    EXPECT_EQ("rtmp://other/live", c->tcUrl);
    EXPECT_EQ(nullptr, c->args);
    EXPECT_EQ("v", c->vhost);
}
