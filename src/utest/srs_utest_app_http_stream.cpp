// HTTP live remux and the HTTP server: mount patterns, mounting on publish, a player that
// receives FLV/TS/AAC through a response writer, waiting for a publisher, RAM HLS serving,
// and seeing a kick through srs_coroutine_pull_current().
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_hls_http.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_http_stream.hpp>
#include <srs_app_http_ts_cache.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_utest_app_publish.hpp>
#include <srs_utest_http_mock.hpp>
#include <srs_utest_kernel_media.hpp>

#include <srs_utest_temp_dir.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace {

class NullPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

SrsMediaMessage msg(uint8_t type, int64_t ts, const std::string& body) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}

using srs_utest::publish_media;

// Decodes an HTTP/1.1 chunked body.
std::string dechunk(const std::string& body, bool* complete) {
    std::string out;
    size_t pos = 0;
    *complete = false;
    while (pos < body.size()) {
        size_t eol = body.find("\r\n", pos);
        if (eol == std::string::npos) {
            break;
        }
        size_t n = strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
        if (n == 0) {
            *complete = true;
            break;
        }
        out += body.substr(eol + 2, n);
        pos = eol + 2 + n + 2;
    }
    return out;
}

using PlayerCoroutine = HttpPlayerCoroutine;

std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(text, &conf);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    return conf;
}

}  // namespace

TEST(AppHttpStreamTest, KindsAndMounts) {
    SrsLiveStreamKind k;
    ASSERT_TRUE(srs_live_stream_kind_from_ext(".FLV", &k));
    EXPECT_EQ(SrsLiveStreamKind::Flv, k);
    ASSERT_TRUE(srs_live_stream_kind_from_ext(".ts", &k));
    EXPECT_STREQ("video/MP2T", srs_live_stream_content_type(k));
    EXPECT_STREQ("ts-play", srs_live_stream_client_type(k));
    ASSERT_TRUE(srs_live_stream_kind_from_ext(".aac", &k));
    EXPECT_STREQ("audio/aac", srs_live_stream_content_type(k));
    ASSERT_TRUE(srs_live_stream_kind_from_ext(".mp3", &k));
    EXPECT_STREQ("mp3-play", srs_live_stream_client_type(k));
    ASSERT_TRUE(srs_live_stream_kind_from_ext(".MP4", &k));
    EXPECT_EQ(SrsLiveStreamKind::Mp4, k);
    EXPECT_STREQ("video/mp4", srs_live_stream_content_type(k));
    EXPECT_STREQ("mp4-play", srs_live_stream_client_type(k));
    EXPECT_FALSE(srs_live_stream_kind_from_ext(".m4s", &k));
    EXPECT_STREQ("flv-play", srs_live_stream_client_type(SrsLiveStreamKind::Flv));

    EXPECT_EQ("/live/s.flv",
              srs_http_remux_mount_pattern("[vhost]/[app]/[stream].flv", "__defaultVhost__", "live", "s"));
    EXPECT_EQ("v.com/live/s.flv", srs_http_remux_mount_pattern("[vhost]/[app]/[stream].flv", "v.com", "live", "s"));
    EXPECT_EQ("/live/s.ts", srs_http_remux_mount_pattern("/[app]/[stream].ts", "v.com", "live", "s"));
    EXPECT_EQ("/x/live/s.aac", srs_http_remux_mount_pattern("x/[app]/[stream].aac", "v.com", "live", "s"));

    std::string app, stream;
    ASSERT_TRUE(srs_http_remux_match("[vhost]/[app]/[stream].flv", "__defaultVhost__", "127.0.0.1", "/live/s.flv", &app,
                                     &stream));
    EXPECT_EQ("live", app);
    EXPECT_EQ("s", stream);
    // An app with a slash; the stream is the last part.
    ASSERT_TRUE(
        srs_http_remux_match("[vhost]/[app]/[stream].flv", "__defaultVhost__", "h", "/a/b/s.flv", &app, &stream));
    EXPECT_EQ("a/b", app);
    EXPECT_EQ("s", stream);
    EXPECT_FALSE(srs_http_remux_match("[vhost]/[app]/[stream].flv", "__defaultVhost__", "h", "/s.flv", &app, &stream));
    EXPECT_FALSE(
        srs_http_remux_match("[vhost]/[app]/[stream].flv", "__defaultVhost__", "h", "/live/s.ts", &app, &stream));
    // A named vhost's mount answers its Host only.
    EXPECT_TRUE(srs_http_remux_match("[vhost]/[app]/[stream].flv", "v.com", "v.com", "/live/s.flv", &app, &stream));
    EXPECT_FALSE(srs_http_remux_match("[vhost]/[app]/[stream].flv", "v.com", "w.com", "/live/s.flv", &app, &stream));
}

TEST(AppHttpStreamTest, CurrentCoroutinePull) {
    // Outside any SrsCoroutine there is nothing to interrupt.
    EXPECT_TRUE(srs_coroutine_pull_current() == srs_success);

    class Waiter : public ISrsCoroutineHandler {
    public:
        srs_error_t cycle() override {
            // The first blocking call returns at once with EINTR and ST forgets the interrupt;
            // srs_coroutine_pull_current() still knows.
            srs_usleep(10 * SRS_UTIME_SECONDS);
            srs_usleep(10 * SRS_UTIME_MILLISECONDS);
            pulled = srs_error_code(srs_coroutine_pull_current());
            return srs_success;
        }
        int pulled = 0;
    } waiter;
    SrsCoroutine trd("waiter", &waiter);
    ASSERT_TRUE(trd.start() == srs_success);
    srs_usleep(1000);
    trd.interrupt();
    trd.stop();
    EXPECT_EQ(ERROR_THREAD_INTERRUPED, waiter.pulled);
}

TEST(AppHttpStreamTest, FlvPlayerGetsHeadersGopAndLive) {
    std::shared_ptr<SrsConfig> conf = load(
        "http_server { enabled on; }\n"
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].flv; } "
        "play { mw_latency 0; } }\n");
    SrsLiveSourceManager sources;
    SrsHttpServer http(&sources);
    HTTP_ASSERT_OK(http.apply(conf));
    sources.add_handler_factory(http.streams());
    SrsStatistic stat;
    http.streams()->set_stat(&stat);

    std::shared_ptr<SrsLiveSource> s;
    HTTP_ASSERT_OK(sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    HTTP_ASSERT_OK(s->on_publish(&pub));
    EXPECT_EQ("/live/s.flv", http.streams()->mounted("__defaultVhost__/live/s"));
    EXPECT_TRUE(http.mux()->has("/live/s.flv"));
    HTTP_ASSERT_OK(s->on_meta_data(msg(SrsMsgAMF0Data, 0, std::string("\x02\x00\x0aonMetaData\x05", 14))));
    HTTP_ASSERT_OK(publish_media(s.get(), 0, 1500));

    PlayerCoroutine player(http.handler(), "GET /live/s.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    HTTP_ASSERT_OK(player.start());
    srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(1, http.streams()->nb_players());
    ASSERT_EQ(1u, stat.nb_clients());
    HTTP_ASSERT_OK(publish_media(s.get(), 1500, 2500, false));
    srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    s->on_unpublish(&pub);
    EXPECT_FALSE(http.mux()->has("/live/s.flv"));
    for (int i = 0; i < 100 && !player.done(); i++) {
        srs_usleep(5 * SRS_UTIME_MILLISECONDS);
    }
    ASSERT_TRUE(player.done());
    HTTP_EXPECT_OK(player.err_.copy());
    EXPECT_EQ(0, http.streams()->nb_players());
    EXPECT_EQ(0u, stat.nb_clients());

    MockHttpResponse rsp(player.out_.out);
    EXPECT_EQ(200, rsp.status);
    EXPECT_TRUE(rsp.has("Content-Type: video/x-flv")) << rsp.head;
    EXPECT_TRUE(rsp.has("Transfer-Encoding: chunked")) << rsp.head;
    EXPECT_TRUE(rsp.has("Access-Control-Allow-Origin: *")) << rsp.head;
    bool complete = false;
    std::string flv = dechunk(rsp.body, &complete);
    EXPECT_TRUE(complete);

    SrsMemoryReader reader(flv);
    SrsFlvDecoder d(&reader);
    bool has_audio = false, has_video = false;
    HTTP_ASSERT_OK(d.read_header(&has_audio, &has_video));
    EXPECT_TRUE(has_audio);
    EXPECT_TRUE(has_video);
    std::vector<SrsMediaMessage> tags;
    while (true) {
        SrsMediaMessage m;
        srs_error_t err = d.read_message(&m);
        if (err != srs_success) {
            EXPECT_EQ(ERROR_SYSTEM_FILE_EOF, srs_error_code(err)) << srs_error_desc(err);
            break;
        }
        tags.push_back(m);
    }
    // Metadata, the sequence headers, then the GOP from the keyframe at 1000, then live.
    ASSERT_GT(tags.size(), 10u);
    EXPECT_TRUE(tags[0].is_script());
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header(tags[1].data(), tags[1].size()));
    EXPECT_TRUE(SrsFlvTag::is_audio_sequence_header(tags[2].data(), tags[2].size()));
    size_t first_video = 3;
    while (first_video < tags.size() && !tags[first_video].is_video()) {
        first_video++;
    }
    ASSERT_LT(first_video, tags.size());
    EXPECT_TRUE(SrsFlvTag::is_video_keyframe(tags[first_video].data(), tags[first_video].size()));
    int videos = 0;
    for (const SrsMediaMessage& m : tags) {
        videos += m.is_video() && !SrsFlvTag::is_video_sequence_header(m.data(), m.size());
    }
    // 1000..2500 at 25 fps.
    EXPECT_EQ(38, videos);
}

namespace {

// A server over a fresh source manager with one vhost config.
struct Fixture {
    explicit Fixture(const std::string& text)
        : conf(load(text)),
          http(&sources, [this](const std::string& d) { return std::make_shared<SrsHlsHttpHandler>(d, hls.store()); }) {
        srs_error_t err = http.apply(conf);
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        hls.set_config(conf);
        sources.add_handler_factory(&hls);
        sources.add_handler_factory(http.streams());
    }
    // A request that is answered at once (a file, a playlist), not a player.
    MockHttpResponse get(const std::string& path) {
        PlayerCoroutine p(http.handler(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        srs_error_t err = p.start();
        srs_error_reset(err);
        p.stop();
        return MockHttpResponse(p.out_.out);
    }
    std::shared_ptr<SrsConfig> conf;
    SrsLiveSourceManager sources;
    SrsHlsServer hls;
    SrsHttpServer http;
};

// Plays until the source unpublishes; returns the decoded body.
std::string play_until_unpublish(Fixture* f, const std::string& path, int64_t to_ms, MockHttpResponse* rsp) {
    std::shared_ptr<SrsLiveSource> s;
    srs_error_t err = f->sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s);
    EXPECT_TRUE(err == srs_success);
    srs_error_reset(err);
    NullPublisher pub;
    // The player comes first and waits for the publisher (hstrs).
    PlayerCoroutine player(f->http.handler(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    err = player.start();
    srs_error_reset(err);
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    EXPECT_FALSE(player.done());
    err = s->on_publish(&pub);
    EXPECT_TRUE(err == srs_success);
    srs_error_reset(err);
    for (int64_t t = 0; t < to_ms; t += 500) {
        err = publish_media(s.get(), t, t + 500, t == 0);
        EXPECT_TRUE(err == srs_success);
        srs_error_reset(err);
        srs_usleep(2 * SRS_UTIME_MILLISECONDS);
    }
    srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    s->on_unpublish(&pub);
    for (int i = 0; i < 200 && !player.done(); i++) {
        srs_usleep(5 * SRS_UTIME_MILLISECONDS);
    }
    EXPECT_TRUE(player.done());
    *rsp = MockHttpResponse(player.out_.out);
    bool complete = false;
    std::string body = dechunk(rsp->body, &complete);
    EXPECT_TRUE(complete);
    return body;
}

}  // namespace

TEST(AppHttpStreamTest, TsPlayerWaitsForPublisher) {
    Fixture f(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } "
        "play { mw_latency 0; } }\n");
    MockHttpResponse rsp("");
    std::string ts = play_until_unpublish(&f, "/live/s.ts", 2000, &rsp);
    EXPECT_EQ(200, rsp.status);
    EXPECT_TRUE(rsp.has("Content-Type: video/MP2T")) << rsp.head;
    ASSERT_GT(ts.size(), 188u * 10);
    EXPECT_EQ(0u, ts.size() % 188);
    int pat = 0, video = 0, audio = 0;
    for (size_t i = 0; i + 188 <= ts.size(); i += 188) {
        ASSERT_EQ(0x47, (uint8_t)ts[i]);
        int pid = (((uint8_t)ts[i + 1] & 0x1f) << 8) | (uint8_t)ts[i + 2];
        pat += pid == 0;
        video += pid == 0x100;
        audio += pid == 0x101;
    }
    EXPECT_GT(pat, 0);
    EXPECT_GT(video, 40);
    EXPECT_GT(audio, 80);
}

TEST(AppHttpStreamTest, TsPlayersShareOneMux) {
    Fixture f(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } "
        "play { mw_latency 0; } }\n");
    std::shared_ptr<SrsLiveSource> s;
    HTTP_ASSERT_OK(f.sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    const std::string get = "GET /live/s.ts HTTP/1.1\r\nHost: x\r\n\r\n";
    PlayerCoroutine p1(f.http.handler(), get), p2(f.http.handler(), get);
    HTTP_ASSERT_OK(p1.start());
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    HTTP_ASSERT_OK(s->on_publish(&pub));
    std::shared_ptr<SrsTsStreamCache> cache = f.http.streams()->ts_cache("__defaultVhost__/live/s");
    ASSERT_TRUE(cache != nullptr);
    for (int64_t t = 0; t < 2000; t += 500) {
        HTTP_ASSERT_OK(publish_media(s.get(), t, t + 500, t == 0));
        srs_usleep(2 * SRS_UTIME_MILLISECONDS);
        // The second player joins mid-stream, at the GOP cache's keyframe at 1000.
        if (t == 1000) {
            HTTP_ASSERT_OK(p2.start());
            srs_usleep(2 * SRS_UTIME_MILLISECONDS);
        }
    }
    srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    EXPECT_GT(cache->nb_entries(), 0);
    s->on_unpublish(&pub);
    // The stream's TS is gone with the publish.
    EXPECT_TRUE(f.http.streams()->ts_cache("__defaultVhost__/live/s") == nullptr);
    for (int i = 0; i < 200 && !(p1.done() && p2.done()); i++) {
        srs_usleep(5 * SRS_UTIME_MILLISECONDS);
    }
    ASSERT_TRUE(p1.done() && p2.done());
    bool c1 = false, c2 = false;
    std::string ts1 = dechunk(MockHttpResponse(p1.out_.out).body, &c1);
    std::string ts2 = dechunk(MockHttpResponse(p2.out_.out).body, &c2);
    EXPECT_TRUE(c1 && c2);
    ASSERT_GT(ts1.size(), 188u * 10);
    EXPECT_EQ(0u, ts1.size() % 188);
    // The late player's body is the tail of the first one's, continuity counters included:
    // muxed once for both (a muxer of its own would start its counters at 0).
    ASSERT_GT(ts2.size(), 188u * 10);
    ASSERT_LT(ts2.size(), ts1.size());
    EXPECT_EQ(0, ts1.compare(ts1.size() - ts2.size(), ts2.size(), ts2));
}

TEST(AppHttpStreamTest, TsCacheKeepsEntriesWhileThePayloadLives) {
    using namespace srs_utest;
    SrsTsStreamCache cache;
    SrsMediaMessage sh = msg(SrsMsgVideo, 0, flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps())));
    cache.on_message(sh);
    // A sequence header only sets the codec: no bytes of its own.
    EXPECT_TRUE(cache.find(sh) == nullptr);
    SrsMediaMessage key = msg(SrsMsgVideo, 0, flv_video(1, 7, 1, 0, avcc_nalus({std::string("\x65\x88\x84\x00", 4)})));
    cache.on_message(key);
    std::shared_ptr<SrsSharedPayload> ts = cache.find(key);
    ASSERT_TRUE(ts != nullptr);
    ASSERT_EQ(0, ts->size() % 188);
    // PAT and PMT before the keyframe, so a player joining here finds the program.
    EXPECT_EQ(0x47, (uint8_t)ts->data()[0]);
    EXPECT_EQ(0, (((uint8_t)ts->data()[1] & 0x1f) << 8) | (uint8_t)ts->data()[2]);
    // A copy of the message (a player's queue) finds the same bytes.
    SrsMediaMessage copy = key;
    copy.timestamp = 99;
    EXPECT_EQ(ts.get(), cache.find(copy).get());
    // Script data and messages never seen have none.
    EXPECT_TRUE(cache.find(msg(SrsMsgAMF0Data, 0, "x")) == nullptr);
    EXPECT_TRUE(cache.find(SrsMediaMessage()) == nullptr);

    // Entries go once nobody holds their payload.
    EXPECT_EQ(1, cache.nb_entries());
    key = SrsMediaMessage();
    copy = SrsMediaMessage();
    std::vector<SrsMediaMessage> held;
    for (int i = 1; i <= 300; i++) {
        SrsMediaMessage m =
            msg(SrsMsgVideo, i * 40, flv_video(2, 7, 1, 0, avcc_nalus({std::string("\x41\x9a\x02", 3)})));
        cache.on_message(m);
        if (i > 290) {
            held.push_back(m);
        }
    }
    EXPECT_LE(cache.nb_entries(), 300 - 256 + 10);
    for (const SrsMediaMessage& m : held) {
        EXPECT_TRUE(cache.find(m) != nullptr);
    }
}

TEST(AppHttpStreamTest, AacPlayerGetsAdts) {
    Fixture f(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].aac; } "
        "play { mw_latency 0; } }\n");
    MockHttpResponse rsp("");
    std::string aac = play_until_unpublish(&f, "/live/s.aac", 1000, &rsp);
    EXPECT_TRUE(rsp.has("Content-Type: audio/aac")) << rsp.head;
    // 3-byte raw frames each behind a 7-byte ADTS header, every 23 ms.
    ASSERT_GT(aac.size(), 10u * 40);
    EXPECT_EQ(0u, aac.size() % 10);
    for (size_t i = 0; i < aac.size(); i += 10) {
        ASSERT_EQ(0xff, (uint8_t)aac[i]);
        ASSERT_EQ(0xf0, (uint8_t)aac[i + 1] & 0xf0);
    }
}

TEST(AppHttpStreamTest, NotMountedAndMethods) {
    Fixture f(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].flv; } }\n"
        "vhost off.com { http_remux { enabled off; } }\n");
    // Another extension than the mount's is a file request (404 here).
    {
        PlayerCoroutine p(f.http.handler(), "GET /live/s.ts HTTP/1.1\r\nHost: x\r\n\r\n");
        HTTP_ASSERT_OK(p.start());
        p.stop();
        EXPECT_EQ(404, MockHttpResponse(p.out_.out).status);
    }
    // A vhost without http_remux.
    {
        PlayerCoroutine p(f.http.handler(), "GET /live/s.flv HTTP/1.1\r\nHost: off.com\r\n\r\n");
        HTTP_ASSERT_OK(p.start());
        p.stop();
        EXPECT_EQ(404, MockHttpResponse(p.out_.out).status);
    }
    // HEAD answers the head only; POST is not allowed.
    {
        PlayerCoroutine p(f.http.handler(), "HEAD /live/s.flv HTTP/1.1\r\nHost: x\r\n\r\n");
        HTTP_ASSERT_OK(p.start());
        p.stop();
        MockHttpResponse rsp(p.out_.out);
        EXPECT_EQ(200, rsp.status);
        EXPECT_TRUE(rsp.has("Content-Type: video/x-flv")) << rsp.head;
        EXPECT_EQ("", rsp.body);
    }
    {
        PlayerCoroutine p(f.http.handler(), "POST /live/s.flv HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        HTTP_ASSERT_OK(p.start());
        p.stop();
        EXPECT_EQ(405, MockHttpResponse(p.out_.out).status);
    }
}

TEST(AppHttpStreamTest, KickEndsPlayer) {
    Fixture f("vhost __defaultVhost__ { http_remux { enabled on; } play { mw_latency 0; } }\n");
    std::shared_ptr<SrsLiveSource> s;
    HTTP_ASSERT_OK(f.sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    HTTP_ASSERT_OK(s->on_publish(&pub));
    HTTP_ASSERT_OK(publish_media(s.get(), 0, 500));
    PlayerCoroutine player(f.http.handler(), "GET /live/s.flv HTTP/1.1\r\nHost: x\r\n\r\n");
    HTTP_ASSERT_OK(player.start());
    srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(1, f.http.streams()->nb_players());
    // The API kicks the connection: its coroutine is interrupted.
    player.interrupt();
    for (int i = 0; i < 100 && !player.done(); i++) {
        srs_usleep(5 * SRS_UTIME_MILLISECONDS);
    }
    ASSERT_TRUE(player.done());
    EXPECT_EQ(ERROR_THREAD_INTERRUPED, srs_error_code(player.err_));
    EXPECT_EQ(0, f.http.streams()->nb_players());
    EXPECT_EQ(0, s->nb_consumers());
    s->on_unpublish(&pub);
}

TEST(AppHttpStreamTest, ServesRamHlsAndStaticFiles) {
    char tmpl[] = "/tmp/srs_utest_http_srv_XXXXXX";
    std::string dir = mkdtemp(tmpl);
    { std::ofstream(dir + "/index.html") << "hello"; }
    Fixture f("http_server { enabled on; dir " + dir +
              "; crossdomain off; }\n"
              "vhost __defaultVhost__ { hls { enabled on; hls_ctx off; hls_fragment 1; hls_storage ram; hls_path " +
              dir + "/hls; } }\n");
    std::shared_ptr<SrsLiveSource> s;
    HTTP_ASSERT_OK(f.sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    HTTP_ASSERT_OK(s->on_publish(&pub));
    HTTP_ASSERT_OK(publish_media(s.get(), 0, 3100));

    auto get = [&](const std::string& path) { return f.get(path); };
    MockHttpResponse m3u8 = get("/live/s.m3u8");
    EXPECT_EQ(200, m3u8.status);
    EXPECT_TRUE(m3u8.has("Content-Type: application/vnd.apple.mpegurl")) << m3u8.head;
    EXPECT_TRUE(m3u8.has("Cache-Control: no-cache")) << m3u8.head;
    EXPECT_FALSE(m3u8.has("Access-Control-Allow-Origin: *")) << m3u8.head;
    EXPECT_EQ(f.hls.find("__defaultVhost__/live/s")->playlist(), m3u8.body);
    EXPECT_NE(std::string::npos, m3u8.body.find("s-1.ts"));
    MockHttpResponse ts = get("/live/s-1.ts");
    EXPECT_EQ(200, ts.status);
    EXPECT_TRUE(ts.has("Content-Type: video/MP2T")) << ts.head;
    EXPECT_EQ(*f.hls.store()->get("/live/s-1.ts"), ts.body);
    EXPECT_EQ(404, get("/live/s-99.ts").status);
    EXPECT_EQ("hello", get("/index.html").body);
    // Nothing on disk.
    struct stat st;
    EXPECT_NE(0, ::stat((dir + "/hls").c_str(), &st));
    s->on_unpublish(&pub);
    f.hls.dispose_all();
    EXPECT_EQ(404, get("/live/s.m3u8").status);
    std::string cmd = "rm -rf '" + dir + "'";
    EXPECT_EQ(0, system(cmd.c_str()));
}

TEST(AppHttpStreamTest, Mp4FragmentDirective) {
    std::shared_ptr<SrsConfig> conf = load(
        "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].mp4; } }\n"
        "vhost v1 { http_remux { enabled on; mount [vhost]/[app]/[stream].mp4; mp4_fragment 2; } }\n"
        "vhost v2 { http_remux { enabled on; mount [vhost]/[app]/[stream].mp4; mp4_fragment 0; } }\n");
    ASSERT_TRUE(conf);
    EXPECT_EQ(500 * SRS_UTIME_MILLISECONDS, srs_http_remux_config_load(*conf, "__defaultVhost__").mp4_fragment);
    EXPECT_EQ(2 * SRS_UTIME_SECONDS, srs_http_remux_config_load(*conf, "v1").mp4_fragment);
    EXPECT_EQ(0, srs_http_remux_config_load(*conf, "v2").mp4_fragment);
    // Out of range is refused at load.
    std::shared_ptr<SrsConfig> bad;
    srs_error_t err = SrsConfig::load_string("vhost v { http_remux { mp4_fragment -1; } }\n", &bad);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
}

// A stream mount's pattern also matches files (HLS's segments and init.mp4, DASH's, a DVR file):
// those that exist are served, not taken for a stream waiting for its publisher.
TEST(AppHttpStreamTest, FilesAreNotTakenForStreams) {
    srs_utest::SrsUtestTempDir dir("http_files_streams");
    ASSERT_EQ(0, ::mkdir((dir.path() + "/live").c_str(), 0755));
    { std::ofstream(dir.path() + "/live/old.ts") << "a file"; }
    Fixture f("http_server { enabled on; dir " + dir.path() +
              "; }\n"
              "vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; }\n"
              "hls { enabled on; hls_ctx off; hls_fragment 1; hls_storage ram; hls_path " +
              dir.path() + "; } }\n");
    std::shared_ptr<SrsLiveSource> s;
    HTTP_ASSERT_OK(f.sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s));
    NullPublisher pub;
    HTTP_ASSERT_OK(s->on_publish(&pub));
    HTTP_ASSERT_OK(publish_media(s.get(), 0, 3100));

    auto get = [&](const std::string& path) { return f.get(path); };
    // An HLS segment in RAM, and a file on disk, both named like a stream of the .ts mount.
    MockHttpResponse seg = get("/live/s-1.ts");
    EXPECT_EQ(200, seg.status);
    ASSERT_TRUE(f.hls.store()->get("/live/s-1.ts"));
    EXPECT_EQ(*f.hls.store()->get("/live/s-1.ts"), seg.body);
    MockHttpResponse file = get("/live/old.ts");
    EXPECT_EQ(200, file.status);
    EXPECT_EQ("a file", file.body);
    s->on_unpublish(&pub);
    f.hls.dispose_all();
}
