// HTTP live remux and the HTTP server: mount patterns, mounting on publish, a player that
// receives FLV/TS/AAC through a response writer, waiting for a publisher, RAM HLS serving,
// and seeing a kick through srs_coroutine_pull_current().
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_http_stream.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_utest_http_mock.hpp>
#include <srs_utest_kernel_media.hpp>

#include <cstdlib>

namespace {

class NullPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

SrsMediaMessage msg(uint8_t type, int64_t ts, const std::string& body) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}

srs_error_t publish_media(SrsLiveSource* s, int64_t from, int64_t to, bool headers = true) {
    srs_error_t err = srs_success;
    using namespace srs_utest;
    if (headers) {
        if ((err = s->on_video(msg(SrsMsgVideo, from, flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()))))) !=
            srs_success) {
            return err;
        }
        if ((err = s->on_audio(msg(SrsMsgAudio, from, flv_aac(0, std::string("\x12\x10", 2))))) != srs_success) {
            return err;
        }
    }
    int64_t v = from, a = from;
    while (v < to || a < to) {
        if (v < to && v <= a) {
            bool key = (v - from) % 1000 == 0;
            std::string nalu = key ? std::string("\x65\x88\x84\x00", 4) : std::string("\x41\x9a\x02", 3);
            if ((err = s->on_video(msg(SrsMsgVideo, v, flv_video(key ? 1 : 2, 7, 1, 0, avcc_nalus({nalu}))))) !=
                srs_success) {
                return err;
            }
            v += 40;
        } else {
            if ((err = s->on_audio(msg(SrsMsgAudio, a, flv_aac(1, std::string("\x21\x10\x04", 3))))) != srs_success) {
                return err;
            }
            a += 23;
        }
    }
    return srs_success;
}

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

// Serves one request in its own coroutine, like a connection would.
class PlayerCoroutine : public ISrsCoroutineHandler {
public:
    PlayerCoroutine(ISrsHttpHandler* h, const std::string& raw) : h_(h), trd_("player", this) {
        srs_error_t err = req_.parse(raw);
        srs_error_reset(err);
    }
    srs_error_t start() { return trd_.start(); }
    void interrupt() { trd_.interrupt(); }
    void stop() { trd_.stop(); }
    bool done() const { return done_; }
    srs_error_t cycle() override {
        SrsHttpResponseWriter w(&out_, req_.msg.get());
        err_ = h_->serve_http(&w, req_.msg.get());
        done_ = true;
        return srs_success;
    }
    MockHttpIo out_;
    MockHttpRequest req_;
    srs_error_t err_;

private:
    ISrsHttpHandler* h_;
    bool done_ = false;
    SrsCoroutine trd_;
};

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
    EXPECT_FALSE(srs_live_stream_kind_from_ext(".mp4", &k));
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
    SrsHttpServer http(&sources, nullptr);
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
