// HLS player sessions (hls_ctx): the session URL, the variant playlist and playlist rewriting,
// the session table with a fake clock (create, refresh, expire, kick), and the sessions served
// through the HTTP server's static handler over a RAM HLS store (variant playlist, rewritten
// playlist, stats, on_play refusal).
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_hls_http.hpp>
#include <srs_app_hls_muxer.hpp>
#include <srs_app_hls_session.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_utest_http_mock.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

namespace {

std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(text, &conf);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    return conf;
}

SrsHookRequest hook(const std::string& cid) {
    SrsHookRequest h;
    h.client_id = cid;
    h.ip = "10.0.0.1";
    h.vhost = "__defaultVhost__";
    h.app = "live";
    h.stream = "s";
    return h;
}

// Serves one request through h; the parsed response.
MockHttpResponse get(ISrsHttpHandler* h, const std::string& target, const std::string& extra = "") {
    MockHttpRequest req;
    srs_error_t err = req.parse("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n");
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    if (!req.msg) {
        return MockHttpResponse("");
    }
    req.msg->set_peer("127.0.0.9", 40000);
    MockHttpIo out;
    SrsHttpResponseWriter w(&out, req.msg.get());
    err = h->serve_http(&w, req.msg.get());
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return MockHttpResponse(out.out);
}

// The value of a response header line "Name: value".
std::string header(const MockHttpResponse& r, const std::string& name) {
    size_t p = r.head.find(name + ": ");
    if (p == std::string::npos) {
        return "";
    }
    p += name.size() + 2;
    return r.head.substr(p, r.head.find("\r\n", p) - p);
}

// The URL of the one variant stream of a new session's answer, checking that the answer is a
// 200 with a multivariant playlist as SRS sends (RFC 8216 4.3.4.2); "" when it is not.
std::string variant_url(const MockHttpResponse& r) {
    EXPECT_EQ(200, r.status) << r.head;
    EXPECT_EQ("application/vnd.apple.mpegurl", header(r, "Content-Type")) << r.head;
    EXPECT_EQ("no-cache", header(r, "Cache-Control")) << r.head;
    EXPECT_EQ(std::to_string(r.body.size()), header(r, "Content-Length")) << r.head;
    const std::string prefix = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AVERAGE-BANDWIDTH=1\n";
    if (r.status != 200 || r.body.compare(0, prefix.size(), prefix) != 0 || r.body.back() != '\n') {
        ADD_FAILURE() << "not a variant playlist: " << r.body;
        return "";
    }
    std::string url = r.body.substr(prefix.size(), r.body.size() - prefix.size() - 1);
    EXPECT_EQ(std::string::npos, url.find('\n')) << r.body;
    return url;
}

// The session id in a session URL.
std::string ctx_of(const std::string& url) {
    size_t p = url.find("hls_ctx=");
    return p == std::string::npos ? "" : url.substr(p + 8);
}

const char* kPlaylist =
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
    "#EXTINF:2.000,\ns-0.ts\n#EXTINF:2.000,\ns-1.ts?k=v\n";

// An HTTP server over a RAM HLS store holding kPlaylist, with statistics and the sessions on
// a clock the test moves.
struct RamHlsServer {
    explicit RamHlsServer(const std::string& conf_text)
        : http(&sources),
          sessions(http.streams()->lifecycle(), [this]() { return now; }),
          h("/nonexistent-dir", &store, http.streams()->lifecycle(), &sessions) {
        srs_error_t err = http.apply(load(conf_text));
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        srs_error_reset(err);
        http.streams()->set_stat(&stat);
        store.put("/live/s.m3u8", std::make_shared<const std::string>(kPlaylist));
    }
    SrsLiveSourceManager sources;
    SrsHlsMemoryStore store;
    SrsHttpServer http;
    SrsStatistic stat;
    srs_utime_t now = 1000 * SRS_UTIME_SECONDS;
    SrsHlsSessions sessions;
    SrsHlsHttpHandler h;
};

}  // namespace

TEST(AppHlsSessionTest, SessionUrlKeepsOtherParams) {
    EXPECT_EQ("/live/s.m3u8?hls_ctx=abc", srs_hls_ctx_url("/live/s.m3u8", "", "abc"));
    EXPECT_EQ("/live/s.m3u8?token=1&x=2&hls_ctx=abc", srs_hls_ctx_url("/live/s.m3u8", "token=1&x=2", "abc"));
    // A stale id is replaced, not repeated.
    EXPECT_EQ("/live/s.m3u8?token=1&hls_ctx=new", srs_hls_ctx_url("/live/s.m3u8", "hls_ctx=old&token=1", "new"));
    EXPECT_EQ("/live/s.m3u8?hls_ctxx=1&hls_ctx=n", srs_hls_ctx_url("/live/s.m3u8", "hls_ctxx=1&&", "n"));
}

// SRS's answer to a new HLS player: a master playlist with one variant, the session's URL.
TEST(AppHlsSessionTest, VariantPlaylistHasOneStream) {
    EXPECT_EQ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AVERAGE-BANDWIDTH=1\n/live/s.m3u8?k=v&hls_ctx=abc\n",
              srs_hls_ctx_variant_playlist("/live/s.m3u8?k=v&hls_ctx=abc"));
}

TEST(AppHlsSessionTest, RewriteAppendsToUriLinesOnly) {
    std::string out = srs_hls_ctx_rewrite_playlist(kPlaylist, "C1");
    EXPECT_EQ(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXTINF:2.000,\ns-0.ts?hls_ctx=C1\n#EXTINF:2.000,\ns-1.ts?k=v&hls_ctx=C1\n",
        out);
    // CRLF lines keep their terminators; blank lines and a last line without one.
    EXPECT_EQ("#EXTM3U\r\n\r\na.ts?hls_ctx=x\r\nb.ts?hls_ctx=x",
              srs_hls_ctx_rewrite_playlist("#EXTM3U\r\n\r\na.ts\r\nb.ts", "x"));
    EXPECT_EQ("", srs_hls_ctx_rewrite_playlist("", "x"));
}

TEST(AppHlsSessionTest, TimeoutFromFragment) {
    EXPECT_EQ(10 * SRS_UTIME_SECONDS, srs_hls_ctx_timeout(1 * SRS_UTIME_SECONDS));
    EXPECT_EQ(30 * SRS_UTIME_SECONDS, srs_hls_ctx_timeout(10 * SRS_UTIME_SECONDS));
}

TEST(AppHlsSessionTest, TableCreateRefreshExpire) {
    srs_utime_t now = 1000 * SRS_UTIME_SECONDS;
    SrsHlsSessionTable t([&now]() { return now; });
    SrsHlsSession* s = t.add(SrsClientLease(hook("c1")), 10 * SRS_UTIME_SECONDS);
    ASSERT_TRUE(s);
    EXPECT_EQ("c1", s->cid());
    EXPECT_EQ("10.0.0.1", s->remote_ip());
    EXPECT_STREQ("HLS", s->desc());
    t.add(SrsClientLease(hook("c2")), 10 * SRS_UTIME_SECONDS);
    EXPECT_EQ(2u, t.size());
    EXPECT_EQ(nullptr, t.touch("none"));

    // c1 is refreshed at +8 s, c2 is not: at +12 s only c2 has expired.
    now += 8 * SRS_UTIME_SECONDS;
    EXPECT_EQ(s, t.touch("c1"));
    EXPECT_TRUE(t.take_expired().empty());
    now += 4 * SRS_UTIME_SECONDS;
    // An expired session is no longer refreshed by a late request.
    EXPECT_EQ(nullptr, t.touch("c2"));
    std::vector<std::unique_ptr<SrsHlsSession>> gone = t.take_expired();
    ASSERT_EQ(1u, gone.size());
    EXPECT_EQ("c2", gone[0]->cid());
    EXPECT_EQ(1u, t.size());
    EXPECT_EQ(nullptr, t.find("c2"));

    // A kick ends it at the next check, however recent its last request.
    t.find("c1")->expire();
    EXPECT_EQ(nullptr, t.touch("c1"));
    gone = t.take_expired();
    ASSERT_EQ(1u, gone.size());
    EXPECT_TRUE(gone[0]->kicked());
    EXPECT_EQ(0u, t.size());

    t.add(SrsClientLease(hook("c3")), SRS_UTIME_SECONDS);
    EXPECT_EQ(1u, t.take_all().size());
    EXPECT_EQ(0u, t.size());
}

TEST(AppHlsSessionTest, PlaylistAnswersVariantThenServesSessionAndStats) {
    RamHlsServer f(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { hls { enabled on; hls_fragment 2; } }\n");
    f.store.put("/live/s-0.ts", std::make_shared<const std::string>(std::string(188, 'G')));

    // No session id: a new session, and a variant playlist (no redirect, no empty body) whose
    // one stream is the same URL with the query kept and the session id added.
    MockHttpResponse r = get(&f.h, "/live/s.m3u8?token=abc", "Referer: http://page.com/x\r\n");
    EXPECT_EQ("", header(r, "Location"));
    std::string loc = variant_url(r);
    ASSERT_EQ(0u, loc.find("/live/s.m3u8?token=abc&hls_ctx=")) << loc;
    std::string ctx = ctx_of(loc);
    ASSERT_FALSE(ctx.empty());
    EXPECT_EQ(1u, f.sessions.size());
    SrsStatisticClient* c = f.stat.find_client(ctx);
    ASSERT_TRUE(c);
    EXPECT_EQ(SrsClientHlsPlay, c->type_);
    // The variant playlist is the session's first bytes.
    int64_t variant_bytes = (int64_t)r.body.size();
    EXPECT_EQ(variant_bytes, c->kbps_.get_send_bytes());
    EXPECT_EQ("127.0.0.9", c->req_.ip);
    EXPECT_EQ("http://page.com/x", c->req_.pageUrl);
    ASSERT_TRUE(f.sessions.find_connection(ctx));
    EXPECT_STREQ("HLS", f.sessions.find_connection(ctx)->desc());

    // With it: the playlist, its segments carrying the id.
    r = get(&f.h, loc);
    ASSERT_EQ(200, r.status) << r.head;
    EXPECT_NE(std::string::npos, r.body.find("s-0.ts?hls_ctx=" + ctx + "\n")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("s-1.ts?k=v&hls_ctx=" + ctx + "\n")) << r.body;
    EXPECT_EQ(1u, f.sessions.size());
    EXPECT_EQ(variant_bytes + (int64_t)r.body.size(), c->kbps_.get_send_bytes());

    // Segment requests keep it alive past the timeout of 10 s.
    for (int i = 0; i < 3; i++) {
        f.now += 6 * SRS_UTIME_SECONDS;
        r = get(&f.h, "/live/s-0.ts?hls_ctx=" + ctx);
        EXPECT_EQ(200, r.status);
        EXPECT_EQ(188u, r.body.size());
        f.sessions.check();
        EXPECT_EQ(1u, f.sessions.size());
    }
    // Then silence: it ends and leaves the stats.
    f.now += 10 * SRS_UTIME_SECONDS;
    f.sessions.check();
    EXPECT_EQ(0u, f.sessions.size());
    EXPECT_EQ(nullptr, f.stat.find_client(ctx));

    // Its id no longer opens the playlist: a new session instead.
    r = get(&f.h, "/live/s.m3u8?hls_ctx=" + ctx);
    std::string renewed = ctx_of(variant_url(r));
    EXPECT_FALSE(renewed.empty());
    EXPECT_NE(ctx, renewed);
    EXPECT_EQ(1u, f.sessions.size());

    // A missing playlist is a 404, with no session.
    r = get(&f.h, "/live/none.m3u8");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ(1u, f.sessions.size());

    // stop() ends what is left.
    f.sessions.stop();
    EXPECT_EQ(0u, f.sessions.size());
    EXPECT_EQ(0u, f.stat.nb_clients());
}

TEST(AppHlsSessionTest, CtxOffServesPlainAndTsCtxOffKeepsUris) {
    RamHlsServer f(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { hls { enabled on; hls_ctx off; } }\n");
    MockHttpResponse r = get(&f.h, "/live/s.m3u8");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(kPlaylist, r.body);
    EXPECT_EQ(0u, f.sessions.size());

    std::shared_ptr<SrsConfig> conf = load(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { hls { enabled on; hls_ts_ctx off; } }\n");
    HTTP_ASSERT_OK(f.http.apply(conf));
    r = get(&f.h, "/live/s.m3u8");
    r = get(&f.h, variant_url(r));
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(kPlaylist, r.body);
    EXPECT_EQ(1u, f.sessions.size());
}

TEST(AppHlsSessionTest, OnPlayRefusedIs403WithoutSession) {
    // Port 1 refuses at once: the hook fails, the player is refused.
    RamHlsServer f(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { hls { enabled on; } "
        "http_hooks { enabled on; on_play http://127.0.0.1:1/api/v1/play; } }\n");
    MockHttpResponse r = get(&f.h, "/live/s.m3u8");
    EXPECT_EQ(403, r.status);
    EXPECT_EQ(0u, f.sessions.size());
    EXPECT_EQ(0u, f.stat.nb_clients());
}

TEST(AppHlsSessionTest, TickerEndsIdleSessions) {
    RamHlsServer f(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { hls { enabled on; hls_fragment 1; } }\n");
    HTTP_ASSERT_OK(f.sessions.start());
    ASSERT_EQ(200, get(&f.h, "/live/s.m3u8").status);
    EXPECT_EQ(1u, f.sessions.size());
    // No request at all: the ticking coroutine ends it within about a second.
    f.now += 11 * SRS_UTIME_SECONDS;
    for (int i = 0; i < 30 && f.sessions.size(); i++) {
        srs_usleep(50 * SRS_UTIME_MILLISECONDS);
    }
    EXPECT_EQ(0u, f.sessions.size());
    f.sessions.stop();
}

TEST(AppHlsSessionTest, DiskPlaylistAnswersVariantAndIsRewritten) {
    char tmpl[] = "/tmp/srs_utest_hls_ctx_XXXXXX";
    std::string dir = mkdtemp(tmpl);
    ::mkdir((dir + "/live").c_str(), 0755);
    { std::ofstream(dir + "/live/s.m3u8") << kPlaylist; }
    { std::ofstream(dir + "/live/s-0.ts") << std::string(376, 'G'); }
    std::shared_ptr<SrsConfig> conf =
        load("http_server { enabled on; dir " + dir + "; }\nvhost __defaultVhost__ { hls { enabled on; } }\n");
    SrsLiveSourceManager sources;
    SrsHttpServer http(&sources);
    HTTP_ASSERT_OK(http.apply(conf));
    SrsStatistic stat;
    http.streams()->set_stat(&stat);
    SrsHlsSessions sessions(http.streams()->lifecycle());
    SrsHlsHttpHandler h(dir, nullptr, http.streams()->lifecycle(), &sessions);

    MockHttpResponse r = get(&h, "/live/s.m3u8");
    std::string loc = variant_url(r);
    EXPECT_EQ(0u, loc.find("/live/s.m3u8?hls_ctx=")) << loc;
    std::string ctx = ctx_of(loc);
    r = get(&h, loc);
    ASSERT_EQ(200, r.status);
    EXPECT_EQ(srs_hls_ctx_rewrite_playlist(kPlaylist, ctx), r.body);
    r = get(&h, "/live/s-0.ts?hls_ctx=" + ctx);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(376u, r.body.size());
    // Traversal is still refused before any session is made.
    EXPECT_EQ(403, get(&h, "/live/../live/s.m3u8").status);
    EXPECT_EQ(404, get(&h, "/live/none.m3u8").status);
    EXPECT_EQ(1u, sessions.size());
    ASSERT_TRUE(stat.find_client(ctx));
    sessions.stop();
    std::string cmd = "rm -rf '" + dir + "'";
    EXPECT_EQ(0, system(cmd.c_str()));
}

// The multivariant playlist beside the media one (issue 18): a new session's variant playlist
// carries its attributes, and a request of the multivariant playlist itself opens a session
// whose playlist names the media playlist with the id.
TEST(AppHlsSessionTest, MultivariantPlaylistAttributesAndEntry) {
    RamHlsServer f(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { hls { enabled on; hls_fragment 2; } }\n");
    const std::string attrs =
        "BANDWIDTH=500000,AVERAGE-BANDWIDTH=400000,CODECS=\"av01.0.00M.08,opus\",RESOLUTION=320x240";
    f.store.put("/live/s-master.m3u8",
                std::make_shared<const std::string>("#EXTM3U\n#EXT-X-STREAM-INF:" + attrs + "\ns.m3u8\n"));
    MockHttpResponse r = get(&f.h, "/live/s.m3u8");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ(0u, r.body.find("#EXTM3U\n#EXT-X-STREAM-INF:" + attrs + "\n/live/s.m3u8?hls_ctx=")) << r.body;

    r = get(&f.h, "/live/s-master.m3u8?token=t");
    ASSERT_EQ(200, r.status);
    size_t at = r.body.find("hls_ctx=");
    ASSERT_NE(std::string::npos, at) << r.body;
    std::string ctx = r.body.substr(at + 8, r.body.find('\n', at) - at - 8);
    ASSERT_FALSE(ctx.empty()) << r.body;
    EXPECT_EQ("#EXTM3U\n#EXT-X-STREAM-INF:" + attrs + "\ns.m3u8?hls_ctx=" + ctx + "\n", r.body);
    // The session is a player of the stream, not of "s-master".
    SrsStatisticClient* c = f.stat.find_client(ctx);
    ASSERT_TRUE(c);
    EXPECT_EQ("s", c->req_.stream);
    EXPECT_EQ(2u, f.sessions.size());
    // The media playlist with that id keeps the same session.
    r = get(&f.h, "/live/s.m3u8?hls_ctx=" + ctx);
    EXPECT_EQ(200, r.status);
    EXPECT_NE(std::string::npos, r.body.find("#EXTINF:2.000,\ns-0.ts?hls_ctx=" + ctx)) << r.body;
    EXPECT_EQ(2u, f.sessions.size());
    f.sessions.stop();
}
