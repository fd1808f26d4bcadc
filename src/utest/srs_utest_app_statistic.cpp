#include <gtest/gtest.h>

#include <srs_app_statistic.hpp>
#include <srs_kernel_codec.hpp>

using json = nlohmann::ordered_json;

namespace {

const srs_utime_t S = SRS_UTIME_SECONDS;

// Byte counters a test moves by hand, standing in for a connection's socket.
class FakeIo : public ISrsIoStat {
public:
    int64_t recv = 0;
    int64_t send = 0;
    void set_recv_timeout(srs_utime_t) override {}
    srs_utime_t get_recv_timeout() override { return SRS_UTIME_NO_TIMEOUT; }
    void set_send_timeout(srs_utime_t) override {}
    srs_utime_t get_send_timeout() override { return SRS_UTIME_NO_TIMEOUT; }
    int64_t get_recv_bytes() override { return recv; }
    int64_t get_send_bytes() override { return send; }
};

SrsStatisticRequest make_req(const std::string& stream, const std::string& vhost = "__defaultVhost__") {
    SrsStatisticRequest r;
    r.vhost = vhost;
    r.app = "live";
    r.stream = stream;
    r.tcUrl = "rtmp://127.0.0.1/live";
    r.ip = "127.0.0.1";
    r.pageUrl = "http://page";
    r.swfUrl = "http://swf";
    return r;
}

class FakeConfig : public ISrsStatisticConfig {
public:
    bool vhost_enabled(const std::string&) override { return true; }
    bool hls_enabled(const std::string& v) override { return v == "hls.com"; }
    double hls_fragment(const std::string&) override { return 2.5; }
};

class FakeConn : public ISrsConnection {
public:
    explicit FakeConn(const std::string& cid) : cid_(cid) {}
    srs_error_t start() override { return srs_success; }
    const std::string& cid() const override { return cid_; }
    std::string remote_ip() const override { return "127.0.0.1"; }
    const char* desc() const override { return "FAKE"; }
    void expire() override {}

private:
    std::string cid_;
};

}  // namespace

TEST(AppStatisticTest, ClientTypeNamesAsSrs) {
    EXPECT_STREQ("rtmp-play", srs_client_type_string(SrsClientRtmpPlay));
    EXPECT_STREQ("flv-play", srs_client_type_string(SrsClientFlvPlay));
    EXPECT_STREQ("hls-play", srs_client_type_string(SrsClientHlsPlay));
    EXPECT_STREQ("fmle-publish", srs_client_type_string(SrsClientFmlePublish));
    EXPECT_STREQ("flash-publish", srs_client_type_string(SrsClientFlashPublish));
    EXPECT_STREQ("haivision-publish", srs_client_type_string(SrsClientHaivisionPublish));
    EXPECT_STREQ("ts-play", srs_client_type_string(SrsClientTsPlay));
    EXPECT_STREQ("Unknown", srs_client_type_string(SrsClientUnknown));
    EXPECT_TRUE(srs_client_type_is_publish(SrsClientFmlePublish));
    EXPECT_TRUE(srs_client_type_is_publish(SrsClientHaivisionPublish));
    EXPECT_FALSE(srs_client_type_is_publish(SrsClientRtmpPlay));
    EXPECT_FALSE(srs_client_type_is_publish(SrsClientHlsPlay));
    EXPECT_FALSE(srs_client_type_is_publish(SrsClientUnknown));
    EXPECT_EQ(SrsClientRtmpPlay, srs_stat_client_type(SrsRtmpConnPlay));
    EXPECT_EQ(SrsClientFmlePublish, srs_stat_client_type(SrsRtmpConnFMLEPublish));
    EXPECT_EQ(SrsClientFlashPublish, srs_stat_client_type(SrsRtmpConnFlashPublish));
    EXPECT_EQ(SrsClientHaivisionPublish, srs_stat_client_type(SrsRtmpConnHaivisionPublish));
    EXPECT_EQ(SrsClientUnknown, srs_stat_client_type(SrsRtmpConnUnknown));
}

TEST(AppStatisticTest, CodecNames) {
    EXPECT_STREQ("Baseline", srs_avc_profile2str(66));
    EXPECT_STREQ("Main", srs_avc_profile2str(77));
    EXPECT_STREQ("High", srs_avc_profile2str(100));
    EXPECT_STREQ("Other", srs_avc_profile2str(1));
    EXPECT_EQ("3.1", srs_avc_level2str(31));
    EXPECT_EQ("3", srs_avc_level2str(30));
    EXPECT_EQ("1b", srs_avc_level2str(9));
    EXPECT_EQ("Other", srs_avc_level2str(33));
    EXPECT_STREQ("Main10", srs_hevc_profile2str(2));
    EXPECT_EQ("3.1", srs_hevc_level2str(93));
    EXPECT_EQ("4", srs_hevc_level2str(120));
    EXPECT_EQ("Other", srs_hevc_level2str(94));
    EXPECT_STREQ("LC", srs_aac_object2str(SrsAacObjectTypeAacLC));
    EXPECT_STREQ("HEv2", srs_aac_object2str(SrsAacObjectTypeAacHEV2));
    EXPECT_STREQ("Other", srs_aac_object2str((SrsAacObjectType)0));
}

TEST(AppStatisticTest, RequestFromRtmp) {
    SrsRequest req;
    req.vhost = "v.com";
    req.app = "live";
    req.stream = "s";
    req.tcUrl = "rtmp://v.com/live";
    req.pageUrl = "http://p";
    req.swfUrl = "http://f";
    req.ip = "10.0.0.1";
    SrsStatisticRequest r = srs_stat_request(req);
    EXPECT_EQ("v.com", r.vhost);
    EXPECT_EQ("live", r.app);
    EXPECT_EQ("s", r.stream);
    EXPECT_EQ("rtmp://v.com/live", r.tcUrl);
    EXPECT_EQ("http://p", r.pageUrl);
    EXPECT_EQ("http://f", r.swfUrl);
    EXPECT_EQ("10.0.0.1", r.ip);
}

TEST(AppStatisticTest, StreamUrlLeavesOutDefaultVhost) {
    EXPECT_EQ("/live/livestream", srs_stat_stream_url("__defaultVhost__", "live", "livestream"));
    EXPECT_EQ("ossrs.net/live/livestream", srs_stat_stream_url("ossrs.net", "live", "livestream"));
}

TEST(AppStatisticTest, IdsAreSrsShaped) {
    SrsStatistic stat;
    EXPECT_EQ(0u, stat.server_id().find("vid-"));
    EXPECT_EQ(11u, stat.server_id().size());
    EXPECT_EQ(8u, stat.service_id().size());
    EXPECT_EQ(std::to_string(getpid()), stat.service_pid());
    stat.set_server_id("my-server");
    EXPECT_EQ("my-server", stat.server_id());
    stat.set_server_id("");
    EXPECT_EQ("my-server", stat.server_id());
}

TEST(AppStatisticTest, PublisherAndPlayerRegistries) {
    SrsStatistic stat;
    SrsStatisticRequest req = make_req("livestream");
    stat.on_client("pub00001", req, SrsClientFmlePublish, nullptr);
    stat.on_stream_publish(req, "pub00001");
    stat.on_client("ply00001", req, SrsClientRtmpPlay, nullptr);

    EXPECT_EQ(1u, stat.nb_streams());
    EXPECT_EQ(2u, stat.nb_clients());
    SrsStatisticStream* s = stat.find_stream_by_url("/live/livestream");
    ASSERT_TRUE(s != nullptr);
    EXPECT_EQ(s, stat.find_stream(s->id_));
    EXPECT_EQ(2, s->nb_clients_);
    EXPECT_TRUE(s->active_);
    EXPECT_EQ("pub00001", s->publisher_cid_);

    SrsStatisticVhost* v = stat.find_vhost_by_name("__defaultVhost__");
    ASSERT_TRUE(v != nullptr);
    EXPECT_EQ(v, stat.find_vhost_by_id(v->id_));
    EXPECT_EQ(2, v->nb_clients_);
    EXPECT_EQ(1, v->nb_streams_);

    // The player leaves; the stream stays for its publisher.
    stat.on_disconnect("ply00001");
    EXPECT_EQ(1u, stat.nb_clients());
    EXPECT_EQ(1, s->nb_clients_);
    EXPECT_TRUE(stat.find_client("ply00001") == nullptr);

    // Unpublish and disconnect: the stream is gone, the vhost stays.
    stat.on_stream_close(req);
    EXPECT_EQ(0, v->nb_streams_);
    EXPECT_EQ(1u, stat.nb_streams());
    stat.on_disconnect("pub00001");
    EXPECT_EQ(0u, stat.nb_streams());
    EXPECT_EQ(0u, stat.nb_clients());
    EXPECT_EQ(0, v->nb_clients_);
    EXPECT_TRUE(stat.find_vhost_by_name("__defaultVhost__") != nullptr);

    SrsStatisticMetrics m = stat.metrics();
    EXPECT_EQ(2, m.total_clients);
    EXPECT_EQ(0, m.nb_clients);
}

TEST(AppStatisticTest, PlayerWaitingKeepsStreamAndRepeatedEventsCountOnce) {
    SrsStatistic stat;
    SrsStatisticRequest req = make_req("waiting");
    stat.on_client("ply1", req, SrsClientRtmpPlay, nullptr);
    stat.on_client("ply1", req, SrsClientRtmpPlay, nullptr);
    SrsStatisticStream* s = stat.find_stream_by_url("/live/waiting");
    ASSERT_TRUE(s != nullptr);
    EXPECT_EQ(1, s->nb_clients_);
    EXPECT_FALSE(s->active_);

    stat.on_stream_publish(req, "pub1");
    stat.on_stream_publish(req, "pub1");
    EXPECT_EQ(1, s->vhost_->nb_streams_);
    stat.on_stream_close(req);
    stat.on_stream_close(req);
    EXPECT_EQ(0, s->vhost_->nb_streams_);
    // Still there for the waiting player.
    EXPECT_EQ(s, stat.find_stream_by_url("/live/waiting"));
    EXPECT_EQ(1, stat.metrics().total_clients);

    // Unknown ids are ignored.
    stat.on_disconnect("nobody");
    stat.add_bytes("nobody", 1, 1);
    EXPECT_EQ(1u, stat.nb_clients());
}

TEST(AppStatisticTest, ClientMovesToAnotherStream) {
    SrsStatistic stat;
    stat.on_client("c1", make_req("a"), SrsClientFlvPlay, nullptr);
    stat.on_client("c1", make_req("b"), SrsClientFlvPlay, nullptr);
    EXPECT_TRUE(stat.find_stream_by_url("/live/a") == nullptr);
    SrsStatisticStream* b = stat.find_stream_by_url("/live/b");
    ASSERT_TRUE(b != nullptr);
    EXPECT_EQ(1, b->nb_clients_);
    EXPECT_EQ(1, b->vhost_->nb_clients_);
    EXPECT_EQ(b, stat.find_client("c1")->stream_);
}

TEST(AppStatisticTest, EventsForUnknownStreamCreateNothing) {
    SrsStatistic stat;
    SrsStatisticVideo v;
    v.codec = "H264";
    stat.on_video_info(make_req("x"), v);
    stat.on_audio_info(make_req("x"), SrsStatisticAudio());
    stat.on_video_frames(make_req("x"), 10);
    stat.on_audio_frames(make_req("x"), 10);
    stat.on_stream_close(make_req("x"));
    EXPECT_EQ(0u, stat.nb_streams());
}

TEST(AppStatisticTest, KbpsPulledFromConnectionCounters) {
    SrsStatistic stat;
    FakeIo pub_io, play_io;
    SrsStatisticRequest req = make_req("livestream");
    // Bytes before on_client (handshake, connect) count too.
    pub_io.recv = 3073;
    stat.on_client("pub", req, SrsClientFmlePublish, &pub_io);
    stat.on_stream_publish(req, "pub");
    stat.on_client("ply", req, SrsClientRtmpPlay, &play_io);

    srs_utime_t t = srs_get_system_time();
    for (int i = 1; i <= 6; i++) {
        pub_io.recv += 5 * 125000;   // 1000 kbps in
        play_io.send += 5 * 125000;  // 1000 kbps out
        stat.sample(t + i * 5 * S);
    }

    SrsStatisticClient* pub = stat.find_client("pub");
    EXPECT_EQ(3073 + 30 * 125000, pub->kbps_.get_recv_bytes());
    EXPECT_NEAR(1000, pub->kbps_.get_recv_kbps_30s(), 2);
    SrsStatisticStream* s = stat.find_stream_by_url("/live/livestream");
    EXPECT_NEAR(1000, s->kbps_.get_recv_kbps_30s(), 2);
    EXPECT_NEAR(1000, s->kbps_.get_send_kbps_30s(), 2);
    EXPECT_NEAR(1000, s->vhost_->kbps_.get_send_kbps_30s(), 2);
    EXPECT_NEAR(1000, stat.kbps().get_recv_kbps_30s(), 2);

    // The bytes since the last sample are collected when the client leaves.
    play_io.send += 1000;
    stat.on_disconnect("ply", true);
    EXPECT_EQ(30 * 125000 + 1000, s->kbps_.get_send_bytes());
    SrsStatisticMetrics m = stat.metrics();
    EXPECT_EQ(30 * 125000 + 1000, m.send_bytes);
    EXPECT_EQ(3073 + 30 * 125000, m.recv_bytes);
    EXPECT_EQ(1, m.nb_errors);
    EXPECT_EQ(1, m.nb_streams);
    EXPECT_EQ(1, m.nb_clients);
    EXPECT_EQ(2, m.total_clients);
}

TEST(AppStatisticTest, PushedBytesWithoutIo) {
    SrsStatistic stat;
    stat.on_client("h1", make_req("s"), SrsClientHlsPlay, nullptr);
    stat.add_bytes("h1", 100, 2000);
    EXPECT_EQ(2000, stat.find_client("h1")->kbps_.get_send_bytes());
    EXPECT_EQ(2000, stat.find_stream_by_url("/live/s")->kbps_.get_send_bytes());
    EXPECT_EQ(100, stat.metrics().recv_bytes);
}

TEST(AppStatisticTest, DisposedConnectionIsRemoved) {
    SrsStatistic stat;
    stat.on_client("conn1", make_req("s"), SrsClientRtmpPlay, nullptr);
    FakeConn conn("conn1");
    stat.on_disposing(&conn);
    EXPECT_EQ(0u, stat.nb_clients());
    EXPECT_EQ(0u, stat.nb_streams());
}

TEST(AppStatisticTest, StreamJsonShape) {
    SrsStatistic stat;
    SrsStatisticRequest req = make_req("livestream");
    stat.on_client("pub", req, SrsClientFmlePublish, nullptr);

    json arr = stat.dumps_streams(0, 10);
    ASSERT_EQ(1u, arr.size());
    json s = arr[0];
    // No publisher yet: no cid; no codecs: null video and audio, as SRS.
    EXPECT_FALSE(s["publish"]["active"].get<bool>());
    EXPECT_FALSE(s["publish"].contains("cid"));
    EXPECT_TRUE(s["video"].is_null());
    EXPECT_TRUE(s["audio"].is_null());

    stat.on_stream_publish(req, "pub");
    SrsStatisticVideo v{"H264", "High", "3.1", 1280, 720};
    stat.on_video_info(req, v);
    SrsStatisticAudio a{"AAC", 44100, 2, "LC"};
    stat.on_audio_info(req, a);
    stat.on_video_frames(req, 25);
    stat.on_audio_frames(req, 43);
    s = stat.dumps_streams(0, 10)[0];

    for (const char* k : {"id", "name", "vhost", "app", "tcUrl", "url", "live_ms", "clients", "frames", "send_bytes",
                          "recv_bytes", "kbps", "publish", "video", "audio"}) {
        EXPECT_TRUE(s.contains(k)) << k;
    }
    EXPECT_TRUE(s["id"].is_string());
    EXPECT_EQ(0u, s["id"].get<std::string>().find("vid-"));
    EXPECT_EQ("livestream", s["name"]);
    EXPECT_EQ("live", s["app"]);
    EXPECT_EQ("/live/livestream", s["url"]);
    EXPECT_EQ("rtmp://127.0.0.1/live", s["tcUrl"]);
    EXPECT_EQ(stat.find_vhost_by_name("__defaultVhost__")->id_, s["vhost"]);
    EXPECT_EQ(1, s["clients"]);
    EXPECT_EQ(68, s["frames"]);
    EXPECT_TRUE(s["kbps"]["recv_30s"].is_number_integer());
    EXPECT_TRUE(s["kbps"]["send_30s"].is_number_integer());
    EXPECT_TRUE(s["publish"]["active"].get<bool>());
    EXPECT_EQ("pub", s["publish"]["cid"]);
    EXPECT_EQ("H264", s["video"]["codec"]);
    EXPECT_EQ("High", s["video"]["profile"]);
    EXPECT_EQ("3.1", s["video"]["level"]);
    EXPECT_EQ(1280, s["video"]["width"]);
    EXPECT_EQ(720, s["video"]["height"]);
    EXPECT_EQ("AAC", s["audio"]["codec"]);
    EXPECT_EQ(44100, s["audio"]["sample_rate"]);
    EXPECT_EQ(2, s["audio"]["channel"]);
    EXPECT_EQ("LC", s["audio"]["profile"]);

    // Unpublish drops the codecs.
    stat.on_stream_close(req);
    s = stat.dumps_streams(0, 10)[0];
    EXPECT_TRUE(s["video"].is_null());
    EXPECT_FALSE(s["publish"]["active"].get<bool>());
}

TEST(AppStatisticTest, ClientJsonShape) {
    SrsStatistic stat;
    SrsStatisticRequest req = make_req("livestream");
    stat.on_client("ply00001", req, SrsClientRtmpPlay, nullptr);
    json c = stat.dumps_clients(0, 10)[0];
    for (const char* k : {"id", "vhost", "stream", "ip", "pageUrl", "swfUrl", "tcUrl", "url", "name", "type", "publish",
                          "alive", "send_bytes", "recv_bytes", "kbps"}) {
        EXPECT_TRUE(c.contains(k)) << k;
    }
    EXPECT_EQ("ply00001", c["id"]);
    EXPECT_EQ(stat.find_stream_by_url("/live/livestream")->id_, c["stream"]);
    EXPECT_EQ("127.0.0.1", c["ip"]);
    EXPECT_EQ("http://page", c["pageUrl"]);
    EXPECT_EQ("http://swf", c["swfUrl"]);
    EXPECT_EQ("/live/livestream", c["url"]);
    EXPECT_EQ("livestream", c["name"]);
    EXPECT_EQ("rtmp-play", c["type"]);
    EXPECT_FALSE(c["publish"].get<bool>());
    EXPECT_TRUE(c["alive"].is_number());
    EXPECT_TRUE(c["kbps"]["recv_30s"].is_number_integer());
}

TEST(AppStatisticTest, VhostJsonShape) {
    SrsStatistic stat;
    FakeConfig config;
    stat.set_config(&config);
    stat.on_client("c1", make_req("s"), SrsClientRtmpPlay, nullptr);
    stat.on_client("c2", make_req("s", "hls.com"), SrsClientRtmpPlay, nullptr);
    json arr = stat.dumps_vhosts();
    ASSERT_EQ(2u, arr.size());
    json v = arr[0];
    for (const char* k : {"id", "name", "enabled", "clients", "streams", "send_bytes", "recv_bytes", "kbps", "hls"}) {
        EXPECT_TRUE(v.contains(k)) << k;
    }
    EXPECT_EQ("__defaultVhost__", v["name"]);
    EXPECT_EQ(1, v["clients"]);
    EXPECT_FALSE(v["hls"]["enabled"].get<bool>());
    EXPECT_FALSE(v["hls"].contains("fragment"));
    EXPECT_EQ("hls.com", arr[1]["name"]);
    EXPECT_TRUE(arr[1]["hls"]["enabled"].get<bool>());
    EXPECT_DOUBLE_EQ(2.5, arr[1]["hls"]["fragment"].get<double>());
    EXPECT_EQ(arr[1], stat.dumps_vhost(stat.find_vhost_by_name("hls.com")));
}

TEST(AppStatisticTest, PagingInCreationOrder) {
    SrsStatistic stat;
    for (int i = 0; i < 5; i++) {
        stat.on_client("c" + std::to_string(i), make_req("s" + std::to_string(i)), SrsClientRtmpPlay, nullptr);
    }
    json all = stat.dumps_streams(0, 100);
    ASSERT_EQ(5u, all.size());
    for (int i = 0; i < 5; i++) {
        EXPECT_EQ("s" + std::to_string(i), all[i]["name"]);
    }
    json page = stat.dumps_streams(1, 2);
    ASSERT_EQ(2u, page.size());
    EXPECT_EQ("s1", page[0]["name"]);
    EXPECT_EQ("s2", page[1]["name"]);
    EXPECT_EQ(0u, stat.dumps_streams(5, 10).size());
    EXPECT_EQ(0u, stat.dumps_streams(0, 0).size());
    json clients = stat.dumps_clients(3, 10);
    ASSERT_EQ(2u, clients.size());
    EXPECT_EQ("c3", clients[0]["id"]);
}
