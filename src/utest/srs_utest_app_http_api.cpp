#include <gtest/gtest.h>

#include <srs_app_http_api.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_utest_http_mock.hpp>

using json = nlohmann::ordered_json;

namespace {

class FakeApiConn : public ISrsConnection {
public:
    explicit FakeApiConn(const std::string& cid) : cid_(cid) {}
    srs_error_t start() override { return srs_success; }
    const std::string& cid() const override { return cid_; }
    std::string remote_ip() const override { return "127.0.0.1"; }
    const char* desc() const override { return "RTMP"; }
    void expire() override { expired++; }
    int expired = 0;

private:
    std::string cid_;
};

class FakeApiServer : public ISrsHttpApiServer {
public:
    std::map<std::string, FakeApiConn*> conns;
    int reloads = 0;
    bool reload_fails = false;
    ISrsConnection* find_connection(const std::string& cid) override {
        auto it = conns.find(cid);
        return it == conns.end() ? nullptr : it->second;
    }
    srs_error_t reload() override {
        reloads++;
        if (reload_fails) {
            return srs_error_new(ERROR_RELOAD_FAILED, "bad config");
        }
        return srs_success;
    }
    SrsSummaryContext summary_context() override {
        SrsSummaryContext c;
        c.argv = "./srs -c test.conf";
        c.cwd = "/srs";
        c.nb_conn_srs = 2;
        return c;
    }
};

struct ApiResult {
    int status = 0;
    std::string head;
    std::string body;
    json j;
    bool has(const std::string& line) const { return head.find(line + "\r\n") != std::string::npos; }
};

class AppHttpApiTest : public testing::Test {
protected:
    void SetUp() override {
        api = std::make_unique<SrsHttpApi>(&stat, &sys, &server);
        ASSERT_TRUE(api->initialize() == srs_success);
        sys.sample(srs_update_system_time());
    }

    ApiResult call(const std::string& method, const std::string& url, const std::string& extra = "") {
        MockHttpRequest m;
        std::string raw = method + " " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
        srs_error_t err = m.parse(raw);
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        MockHttpIo out;
        SrsHttpResponseWriter w(&out, m.msg.get());
        err = api->handler()->serve_http(&w, m.msg.get());
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        err = w.final_request();
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        MockHttpResponse res(out.out);
        ApiResult r;
        r.status = res.status;
        r.head = res.head;
        r.body = res.body;
        if (!res.body.empty() && (res.body[0] == '{' || res.body[0] == '[')) {
            r.j = json::parse(res.body, nullptr, false);
        }
        return r;
    }
    ApiResult get(const std::string& url, const std::string& extra = "") { return call("GET", url, extra); }

    void publish_and_play() {
        SrsStatisticRequest req;
        req.vhost = "__defaultVhost__";
        req.app = "live";
        req.stream = "livestream";
        req.tcUrl = "rtmp://127.0.0.1/live";
        req.ip = "127.0.0.1";
        stat.on_client("pub00001", req, SrsClientFmlePublish, nullptr);
        stat.on_stream_publish(req, "pub00001");
        stat.on_video_info(req, SrsStatisticVideo{"H264", "High", "3.1", 320, 240});
        stat.on_audio_info(req, SrsStatisticAudio{"AAC", 44100, 2, "LC"});
        stat.on_client("ply00001", req, SrsClientRtmpPlay, nullptr);
        server.conns["pub00001"] = &pub;
        server.conns["ply00001"] = &ply;
    }

    void expect_envelope(const json& j, int code = 0) {
        ASSERT_TRUE(j.is_object());
        EXPECT_EQ(code, j["code"]);
        EXPECT_EQ(stat.server_id(), j["server"]);
        EXPECT_EQ(stat.service_id(), j["service"]);
        EXPECT_TRUE(j["pid"].is_string());
        EXPECT_EQ(std::to_string(getpid()), j["pid"]);
    }

    SrsStatistic stat;
    SrsSystemInfo sys;
    FakeApiServer server;
    FakeApiConn pub{"pub00001"};
    FakeApiConn ply{"ply00001"};
    std::unique_ptr<SrsHttpApi> api;
};

}  // namespace

TEST(AppHttpApiHelperTest, Base64Decode) {
    std::string out;
    ASSERT_TRUE(srs_base64_decode("YWRtaW46YWRtaW4=", &out));
    EXPECT_EQ("admin:admin", out);
    ASSERT_TRUE(srs_base64_decode("YQ==", &out));
    EXPECT_EQ("a", out);
    ASSERT_TRUE(srs_base64_decode("YWI=", &out));
    EXPECT_EQ("ab", out);
    ASSERT_TRUE(srs_base64_decode("", &out));
    EXPECT_EQ("", out);
    EXPECT_FALSE(srs_base64_decode("YWI", &out));
    EXPECT_FALSE(srs_base64_decode("Y===", &out));
    EXPECT_FALSE(srs_base64_decode("YW=I", &out));
    EXPECT_FALSE(srs_base64_decode("YW*I", &out));
    EXPECT_FALSE(srs_base64_decode("YQ==YQ==", &out));
}

TEST(AppHttpApiHelperTest, JsonDumpsReplacesInvalidUtf8) {
    json j = {{"name", std::string("bad\xff\xfe")}};
    std::string s = srs_json_dumps(j);
    EXPECT_NE(std::string::npos, s.find("bad"));
    EXPECT_TRUE(json::accept(s));
}

TEST_F(AppHttpApiTest, IndexesAndVersions) {
    ApiResult r = get("/api/v1/versions");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Type: application/json"));
    expect_envelope(r.j);
    EXPECT_EQ(SRS_VERSION_MAJOR, r.j["data"]["major"]);
    EXPECT_EQ(SRS_VERSION_STRING, r.j["data"]["version"]);

    r = get("/");
    expect_envelope(r.j);
    EXPECT_TRUE(r.j["urls"].contains("api"));
    r = get("/api/");
    EXPECT_TRUE(r.j["urls"].contains("v1"));
    r = get("/api");
    EXPECT_TRUE(r.j["urls"].contains("v1"));
    r = get("/api/v1/");
    for (const char* k : {"versions", "summaries", "rusages", "self_proc_stats", "system_proc_stats", "meminfos",
                          "authors", "features", "requests", "vhosts", "streams", "clients", "raw"}) {
        EXPECT_TRUE(r.j["urls"].contains(k)) << k;
    }
    r = get("/api/v1");
    EXPECT_TRUE(r.j["urls"].contains("streams"));
}

TEST_F(AppHttpApiTest, UnknownPathsAre404Json) {
    for (const char* url : {"/api/v1/nothing", "/api/v2/x", "/nothing", "/api/v1/versions/x"}) {
        ApiResult r = get(url);
        EXPECT_EQ(404, r.status) << url;
        expect_envelope(r.j, ERROR_HTTP_NOT_FOUND);
    }
}

TEST_F(AppHttpApiTest, WrongMethodIs405) {
    ApiResult r = call("POST", "/api/v1/versions");
    EXPECT_EQ(405, r.status);
    EXPECT_TRUE(r.has("Allow: GET, HEAD"));
    expect_envelope(r.j, ERROR_HTTP_METHOD_NOT_ALLOWED);
    r = call("DELETE", "/api/v1/streams/");
    EXPECT_EQ(405, r.status);
    r = call("PUT", "/api/v1/clients/abc");
    EXPECT_EQ(405, r.status);
    EXPECT_TRUE(r.has("Allow: GET, HEAD, DELETE"));
}

TEST_F(AppHttpApiTest, SystemEndpoints) {
    ApiResult r = get("/api/v1/summaries");
    expect_envelope(r.j);
    json d = r.j["data"];
    EXPECT_TRUE(d["ok"].get<bool>());
    EXPECT_EQ("./srs -c test.conf", d["self"]["argv"]);
    EXPECT_EQ(2, d["system"]["conn_srs"]);
    EXPECT_TRUE(d["system"].contains("ilde_time"));

    r = get("/api/v1/rusages");
    EXPECT_TRUE(r.j["data"].contains("ru_maxrss"));
    r = get("/api/v1/self_proc_stats");
    EXPECT_EQ(getpid(), r.j["data"]["pid"]);
    r = get("/api/v1/system_proc_stats");
    EXPECT_TRUE(r.j["data"].contains("idle"));
    r = get("/api/v1/meminfos");
    EXPECT_GT(r.j["data"]["MemTotal"].get<int64_t>(), 0);
    r = get("/api/v1/authors");
    EXPECT_TRUE(r.j["data"].contains("license"));
    EXPECT_TRUE(r.j["data"].contains("contributors"));
    r = get("/api/v1/features");
    EXPECT_TRUE(r.j["data"]["features"]["api"].get<bool>());
}

TEST_F(AppHttpApiTest, RequestsEchoesTheRequest) {
    ApiResult r = get("/api/v1/requests?x=1", "X-Test: hello\r\n");
    expect_envelope(r.j);
    EXPECT_EQ("/api/v1/requests?x=1", r.j["data"]["uri"]);
    EXPECT_EQ("/api/v1/requests", r.j["data"]["path"]);
    EXPECT_EQ("GET", r.j["data"]["METHOD"]);
    EXPECT_EQ("hello", r.j["data"]["headers"]["X-Test"]);
    EXPECT_EQ(SRS_VERSION_STRING, r.j["data"]["server"]["version"]);
}

TEST_F(AppHttpApiTest, StreamsAndClients) {
    publish_and_play();
    ApiResult r = get("/api/v1/streams/");
    expect_envelope(r.j);
    EXPECT_EQ(1, r.j["total"]);
    ASSERT_EQ(1u, r.j["streams"].size());
    json s = r.j["streams"][0];
    EXPECT_EQ("livestream", s["name"]);
    EXPECT_EQ(2, s["clients"]);
    EXPECT_TRUE(s["publish"]["active"].get<bool>());
    EXPECT_EQ("pub00001", s["publish"]["cid"]);
    EXPECT_EQ("H264", s["video"]["codec"]);
    EXPECT_EQ("AAC", s["audio"]["codec"]);

    std::string sid = s["id"];
    r = get("/api/v1/streams/" + sid);
    expect_envelope(r.j);
    EXPECT_EQ(sid, r.j["stream"]["id"]);
    r = get("/api/v1/streams");
    EXPECT_EQ(1u, r.j["streams"].size());

    r = get("/api/v1/streams/vid-nothing");
    EXPECT_EQ(200, r.status);
    expect_envelope(r.j, ERROR_RTMP_STREAM_NOT_FOUND);
    EXPECT_EQ(2048, r.j["code"]);

    r = get("/api/v1/clients/");
    EXPECT_EQ(2, r.j["total"]);
    ASSERT_EQ(2u, r.j["clients"].size());
    EXPECT_EQ("fmle-publish", r.j["clients"][0]["type"]);
    EXPECT_TRUE(r.j["clients"][0]["publish"].get<bool>());
    EXPECT_EQ("rtmp-play", r.j["clients"][1]["type"]);
    EXPECT_EQ(sid, r.j["clients"][1]["stream"]);

    r = get("/api/v1/clients/ply00001");
    EXPECT_EQ("ply00001", r.j["client"]["id"]);
    r = get("/api/v1/clients/nobody");
    EXPECT_EQ(2049, r.j["code"]);

    r = get("/api/v1/clients/?start=1&count=1");
    ASSERT_EQ(1u, r.j["clients"].size());
    EXPECT_EQ("ply00001", r.j["clients"][0]["id"]);
    EXPECT_EQ(2, r.j["total"]);

    r = get("/api/v1/vhosts/");
    ASSERT_EQ(1u, r.j["vhosts"].size());
    std::string vid = r.j["vhosts"][0]["id"];
    EXPECT_EQ(vid, s["vhost"]);
    EXPECT_EQ(2, r.j["vhosts"][0]["clients"]);
    EXPECT_EQ(1, r.j["vhosts"][0]["streams"]);
    r = get("/api/v1/vhosts/" + vid);
    EXPECT_EQ("__defaultVhost__", r.j["vhost"]["name"]);
    r = get("/api/v1/vhosts/vid-nothing");
    EXPECT_EQ(ERROR_RTMP_VHOST_NOT_FOUND, r.j["code"]);
}

TEST_F(AppHttpApiTest, KickClient) {
    publish_and_play();
    ApiResult r = call("DELETE", "/api/v1/clients/ply00001");
    EXPECT_EQ(200, r.status);
    expect_envelope(r.j);
    EXPECT_EQ(1, ply.expired);
    EXPECT_EQ(0, pub.expired);

    r = call("DELETE", "/api/v1/clients/nobody");
    EXPECT_EQ(2049, r.j["code"]);
    // Known to the statistics but without a live connection.
    server.conns.erase("pub00001");
    r = call("DELETE", "/api/v1/clients/pub00001");
    EXPECT_EQ(2049, r.j["code"]);
    EXPECT_EQ(0, pub.expired);
    // DELETE on the collection is not a thing.
    r = call("DELETE", "/api/v1/clients/");
    EXPECT_EQ(2049, r.j["code"]);
}

TEST_F(AppHttpApiTest, Jsonp) {
    ApiResult r = get("/api/v1/versions?callback=cb_1");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Type: text/javascript"));
    ASSERT_EQ(0u, r.body.find("cb_1({"));
    EXPECT_EQ(')', r.body.back());
    json j = json::parse(r.body.substr(5, r.body.size() - 6));
    EXPECT_EQ(0, j["code"]);
    // Nothing but identifier characters of the callback reach the script.
    r = get("/api/v1/versions?callback=a%3Cscript%3E(1)");
    EXPECT_EQ(0u, r.body.find("ascript1({"));
    r = get("/api/v1/streams/vid-x?callback=f");
    EXPECT_EQ(0u, r.body.find("f({"));
    EXPECT_NE(std::string::npos, r.body.find("2048"));
}

TEST_F(AppHttpApiTest, RawApi) {
    ApiResult r = get("/api/v1/raw?rpc=reload");
    expect_envelope(r.j, ERROR_SYSTEM_CONFIG_RAW_DISABLED);
    EXPECT_EQ(0, server.reloads);

    r = get("/api/v1/raw?rpc=raw");
    expect_envelope(r.j);
    EXPECT_FALSE(r.j["http_api"]["raw_api"]["enabled"].get<bool>());

    SrsHttpApiOptions o;
    o.raw_api = true;
    api->set_options(o);
    r = get("/api/v1/raw?rpc=reload");
    expect_envelope(r.j, ERROR_SYSTEM_CONFIG_RAW_NOT_ALLOWED);
    r = get("/api/v1/raw");
    expect_envelope(r.j, ERROR_SYSTEM_CONFIG_RAW);
    r = get("/api/v1/raw?rpc=drop");
    expect_envelope(r.j, ERROR_SYSTEM_CONFIG_RAW);
    EXPECT_EQ(0, server.reloads);

    o.allow_reload = true;
    api->set_options(o);
    r = get("/api/v1/raw?rpc=reload");
    expect_envelope(r.j);
    EXPECT_EQ(1, server.reloads);
    r = get("/api/v1/raw?rpc=raw");
    EXPECT_TRUE(r.j["http_api"]["raw_api"]["allow_reload"].get<bool>());

    server.reload_fails = true;
    r = get("/api/v1/raw?rpc=reload");
    expect_envelope(r.j, ERROR_RELOAD_FAILED);
}

TEST_F(AppHttpApiTest, BasicAuth) {
    SrsHttpApiOptions o;
    o.auth_enabled = true;
    o.username = "admin";
    o.password = "secret";
    api->set_options(o);

    ApiResult r = get("/api/v1/versions");
    EXPECT_EQ(401, r.status);
    EXPECT_TRUE(r.has("WWW-Authenticate: Basic realm=\"SRS\""));
    EXPECT_EQ(std::string::npos, r.body.find("version"));

    // admin:wrong, admin, garbage, other scheme.
    for (const char* h : {"Authorization: Basic YWRtaW46d3Jvbmc=\r\n", "Authorization: Basic YWRtaW4=\r\n",
                          "Authorization: Basic !!!!\r\n", "Authorization: Bearer YWRtaW46c2VjcmV0\r\n",
                          "Authorization: Basic YWRtaW46c2VjcmV0eA==\r\n"}) {
        r = get("/api/v1/versions", h);
        EXPECT_EQ(401, r.status) << h;
    }
    // Every route, including kicks and 404s.
    r = call("DELETE", "/api/v1/clients/x");
    EXPECT_EQ(401, r.status);
    r = get("/api/v1/nothing");
    EXPECT_EQ(401, r.status);

    // admin:secret
    r = get("/api/v1/versions", "Authorization: Basic YWRtaW46c2VjcmV0\r\n");
    EXPECT_EQ(200, r.status);
    expect_envelope(r.j);
    r = get("/api/v1/versions", "Authorization: basic   YWRtaW46c2VjcmV0\r\n");
    EXPECT_EQ(200, r.status);
}

TEST_F(AppHttpApiTest, CorsWhenCrossdomain) {
    ApiResult r = get("/api/v1/versions");
    EXPECT_TRUE(r.has("Access-Control-Allow-Origin: *"));
    // A preflight never carries credentials: it is answered before auth.
    SrsHttpApiOptions o;
    o.auth_enabled = true;
    o.username = "u";
    o.password = "p";
    api->set_options(o);
    r = call("OPTIONS", "/api/v1/versions", "Access-Control-Request-Method: GET\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Access-Control-Allow-Origin: *"));

    o.crossdomain = false;
    o.auth_enabled = false;
    api->set_options(o);
    r = get("/api/v1/versions");
    EXPECT_FALSE(r.has("Access-Control-Allow-Origin: *"));
    r = call("OPTIONS", "/api/v1/versions");
    EXPECT_EQ(405, r.status);
}
