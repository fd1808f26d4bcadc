// The transcoder's input by codec: legacy FLV codecs over RTMP, HEVC (and enhanced tags MPEG-TS
// carries) from the HTTP-TS mount, AV1/VP9/Opus... not at all (held, with the reason in the
// API); the engines start at the first frame and restart when the codecs change.
#include <gtest/gtest.h>
#include <srs_utest_app_ffmpeg.hpp>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_config.hpp>
#include <srs_app_ffmpeg_api.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_http_stream.hpp>
#include <srs_app_source.hpp>
#include <srs_app_transcode.hpp>
#include <srs_app_transcode_input.hpp>
#include <srs_core_utility.hpp>

#include <sys/stat.h>

#include <fstream>

using namespace srs_utest_ffmpeg;

namespace {

// The non-standard FLV codec id 12 for HEVC.
SrsMediaMessage hevc12_sh() {
    return tag(SrsMsgVideo, std::string("\x1c\x00\x00\x00\x00\x01", 6));
}
SrsMediaMessage mp3_frame() {
    return tag(SrsMsgAudio, std::string("\x2f\xff\xfb\x90\x00", 5));
}
// Enhanced RTMP: [IsExHeader|FrameType 1|PacketType][FourCC] and a payload byte.
SrsMediaMessage ex_video(const char* fourcc, uint8_t packet_type) {
    return tag(SrsMsgVideo,
               std::string(1, (char)(0x80 | 0x10 | packet_type)) + fourcc + std::string("\x00\x00\x00\x01", 4));
}
// [SoundFormat 9|PacketType][FourCC] and a payload byte.
SrsMediaMessage ex_audio(const char* fourcc, uint8_t packet_type) {
    return tag(SrsMsgAudio, std::string(1, (char)(0x90 | packet_type)) + fourcc + std::string("\x01", 1));
}

SrsTranscodeCodecs codecs_of(const std::vector<SrsMediaMessage>& tags) {
    SrsTranscodeCodecs c;
    for (const SrsMediaMessage& m : tags) {
        srs_transcode_codecs_update(&c, m);
    }
    return c;
}

SrsTranscodeInputKind kind_of(const std::vector<SrsMediaMessage>& tags, std::string* reason = nullptr) {
    std::string r;
    SrsTranscodeInputKind k = srs_transcode_input_kind(codecs_of(tags), &r);
    if (reason) {
        *reason = r;
    }
    return k;
}

}  // namespace

TEST(TranscodeInputTest, CodecsFromTags) {
    SrsTranscodeCodecs c = codecs_of({ex_video("hvc1", 0), aac_sh()});
    EXPECT_TRUE(c.has_video && c.has_audio);
    EXPECT_EQ(SrsVideoCodecIdHEVC, c.video);
    EXPECT_TRUE(c.video_enhanced);
    EXPECT_EQ(SrsAudioCodecIdAAC, c.audio);
    EXPECT_FALSE(c.audio_enhanced);
    EXPECT_EQ("video HEVC (enhanced RTMP hvc1), audio AAC (FLV sound format 10)", c.describe());
    EXPECT_EQ("video AV1 (enhanced RTMP av01), audio Opus (enhanced RTMP Opus)",
              codecs_of({ex_video("av01", 0), ex_audio("Opus", 0)}).describe());
    // A FourCC without a codec id is named by it.
    EXPECT_EQ("video vp08 (enhanced RTMP vp08)", codecs_of({ex_video("vp08", 0)}).describe());
    EXPECT_EQ("no audio or video", SrsTranscodeCodecs().describe());

    // Only a change is reported; bad and empty tags change nothing.
    SrsTranscodeCodecs d;
    EXPECT_TRUE(srs_transcode_codecs_update(&d, avc_sh()));
    EXPECT_FALSE(srs_transcode_codecs_update(&d, avc_key()));
    EXPECT_FALSE(srs_transcode_codecs_update(&d, tag(SrsMsgVideo, "")));
    EXPECT_FALSE(srs_transcode_codecs_update(&d, tag(SrsMsgVideo, std::string("\x90hv", 3))));
    EXPECT_FALSE(srs_transcode_codecs_update(&d, tag(SrsMsgAMF0Data, "x")));
    EXPECT_EQ(SrsVideoCodecIdAVC, d.video);
    EXPECT_TRUE(srs_transcode_codecs_update(&d, ex_video("hvc1", 0)));
    EXPECT_EQ(SrsVideoCodecIdHEVC, d.video);
}

TEST(TranscodeInputTest, Decision) {
    std::string reason;
    // What FFmpeg 5.1 reads over RTMP: legacy tags of legacy codecs.
    EXPECT_EQ(SrsTranscodeInputKind::Rtmp, kind_of({avc_sh(), aac_sh()}, &reason));
    EXPECT_EQ("", reason);
    EXPECT_EQ(SrsTranscodeInputKind::Rtmp, kind_of({avc_sh(), mp3_frame()}));
    EXPECT_EQ(SrsTranscodeInputKind::Rtmp, kind_of({aac_sh()}));
    EXPECT_EQ(SrsTranscodeInputKind::Rtmp, kind_of({avc_sh()}));
    // HEVC (either tag), and H.264/AAC in enhanced tags: from MPEG-TS.
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, kind_of({ex_video("hvc1", 0), aac_sh()}, &reason));
    EXPECT_EQ("FFmpeg 5.1 cannot read video HEVC (enhanced RTMP hvc1) over RTMP", reason);
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, kind_of({hevc12_sh(), aac_sh()}));
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, kind_of({ex_video("hvc1", 0), mp3_frame()}));
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, kind_of({ex_video("avc1", 0), ex_audio("mp4a", 0)}, &reason));
    EXPECT_NE(std::string::npos, reason.find("video H264 (enhanced RTMP avc1) and audio AAC (enhanced RTMP mp4a)"))
        << reason;
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, kind_of({ex_video("hvc1", 0)}));
    // A codec neither carries: none, naming it and what to do.
    EXPECT_EQ(SrsTranscodeInputKind::None, kind_of({ex_video("av01", 0), ex_audio("Opus", 0)}, &reason));
    EXPECT_EQ(0u, reason.find("video AV1 (enhanced RTMP av01) and audio Opus (enhanced RTMP Opus): FFmpeg 5.1 reads "
                              "it neither over RTMP nor from the server's MPEG-TS; publish H.264 or HEVC"))
        << reason;
    EXPECT_EQ(SrsTranscodeInputKind::None, kind_of({ex_video("vp09", 0), aac_sh()}, &reason));
    EXPECT_EQ(0u, reason.find("video VP9")) << reason;
    EXPECT_EQ(SrsTranscodeInputKind::None, kind_of({avc_sh(), ex_audio("Opus", 0)}, &reason));
    EXPECT_EQ(0u, reason.find("audio Opus")) << reason;
    EXPECT_EQ(SrsTranscodeInputKind::None, kind_of({ex_video("hvc1", 0), ex_audio("ac-3", 0)}));
    EXPECT_EQ(SrsTranscodeInputKind::None, kind_of({ex_audio("fLaC", 0)}));
    EXPECT_EQ(SrsTranscodeInputKind::None, kind_of({ex_video("vp08", 0)}));
}

TEST(TranscodeInputTest, HttpTsUrl) {
    std::shared_ptr<SrsConfig> conf = load(R"(
listen 19350;
http_server { enabled on; listen 18080; }
vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } }
vhost v.com { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } }
vhost path.com { http_remux { enabled on; mount /ts/[app]/[stream].TS; } }
vhost flv.com { http_remux { enabled on; mount [vhost]/[app]/[stream].flv; } }
vhost off.com { http_remux { enabled off; mount [vhost]/[app]/[stream].ts; } }
)");
    ASSERT_TRUE(conf);
    std::string url, host;
    ASSERT_TRUE(srs_transcode_http_ts_url(*conf, "__defaultVhost__", "live", "s", &url, &host));
    EXPECT_EQ("http://127.0.0.1:18080/live/s.ts", url);
    EXPECT_EQ("", host);
    ASSERT_TRUE(srs_transcode_http_ts_url(*conf, "v.com", "live", "s", &url, &host));
    EXPECT_EQ("http://127.0.0.1:18080/live/s.ts", url);
    EXPECT_EQ("v.com", host);
    ASSERT_TRUE(srs_transcode_http_ts_url(*conf, "path.com", "live", "s", &url, &host));
    EXPECT_EQ("http://127.0.0.1:18080/ts/live/s.TS", url);
    EXPECT_EQ("", host);
    EXPECT_FALSE(srs_transcode_http_ts_url(*conf, "flv.com", "live", "s", &url, &host));
    EXPECT_FALSE(srs_transcode_http_ts_url(*conf, "off.com", "live", "s", &url, &host));

    // The same place the HTTP server mounts the stream at (srs_app_http_stream.hpp).
    for (const char* v : {"__defaultVhost__", "v.com", "path.com"}) {
        ASSERT_TRUE(srs_transcode_http_ts_url(*conf, v, "live", "s", &url, &host));
        std::string pattern =
            srs_http_remux_mount_pattern(conf->vhost(v, srs_key::vhost_http_remux_mount), v, "live", "s");
        EXPECT_EQ(pattern, host + url.substr(strlen("http://127.0.0.1:18080"))) << v;
    }

    // No HTTP server: no mount to read.
    std::shared_ptr<SrsConfig> off = load(R"(
http_server { enabled off; listen 18080; }
vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } }
)");
    ASSERT_TRUE(off);
    EXPECT_FALSE(srs_transcode_http_ts_url(*off, "__defaultVhost__", "live", "s", &url, &host));

    // HEVC without the mount: none, and the reason says what to configure.
    SrsTranscodeInput in =
        srs_transcode_choose_input(*conf, "flv.com", "live", "s", codecs_of({ex_video("hvc1", 0), aac_sh()}));
    EXPECT_EQ(SrsTranscodeInputKind::None, in.kind);
    EXPECT_NE(std::string::npos, in.reason.find("http_remux { enabled on; mount [vhost]/[app]/[stream].ts; }"))
        << in.reason;
    in = srs_transcode_choose_input(*conf, "v.com", "live", "s", codecs_of({ex_video("hvc1", 0), aac_sh()}));
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, in.kind);
    EXPECT_EQ("http://127.0.0.1:18080/live/s.ts", in.url);
    EXPECT_EQ((std::vector<std::string>{"-headers", "Host: v.com\r\n"}), in.options);
}

TEST(TranscodeInputTest, HandlerStartsByCodec) {
    srs_utest::SrsUtestTempDir dir("transcode_input");
    std::string fake = dir.path() + "/ffmpeg";
    {
        std::ofstream f(fake);
        f << "#!/bin/sh\nexec sleep 30\n";
    }
    ASSERT_EQ(0, ::chmod(fake.c_str(), 0755));
    std::string text = srs_fmt(R"(
listen 127.0.0.1:19353;
ff_log_dir /dev/null;
http_server { enabled on; listen 127.0.0.1:18081; }
vhost __defaultVhost__ {
    http_remux { enabled on; mount [vhost]/[app]/[stream].ts; }
    transcode live {
        enabled on;
        ffmpeg %s;
        engine sd { enabled on; vcodec libx264; output rtmp://127.0.0.1:[port]/[app]/[stream]_[engine]; }
    }
}
)",
                               fake.c_str());
    SrsProcessSupervisor sup;
    SrsTranscodeServer ts(&sup);
    ts.set_config(load(text));
    SrsLiveSource src("__defaultVhost__", "live", "s");
    std::unique_ptr<ISrsLiveSourceHandler> h = ts.create_handler(&src);
    auto* th = static_cast<SrsTranscodeHandler*>(h.get());
    auto command = [&]() { return sup.children().empty() ? std::string() : sup.children().back()->command(); };
    auto running = [&]() {
        int n = 0;
        for (const auto& c : sup.children()) {
            n += c->state() == SrsChildState::Running;
        }
        return n;
    };

    // HEVC + AAC: waits for the codecs, then reads the HTTP-TS mount.
    ASSERT_TRUE(h->on_publish() == srs_success);
    EXPECT_EQ(0, th->nb_running());
    ASSERT_EQ(1u, ts.held().size());
    EXPECT_EQ("waiting", ts.held()[0].state);
    EXPECT_EQ("transcode/__defaultVhost__/live/s/sd", ts.held()[0].name);
    ASSERT_TRUE(h->on_video(ex_video("hvc1", 0)) == srs_success);
    ASSERT_TRUE(h->on_audio(aac_sh()) == srs_success);
    EXPECT_EQ(0, th->nb_running());
    ASSERT_TRUE(h->on_video(ex_video("hvc1", 1)) == srs_success);
    EXPECT_EQ(1, th->nb_running());
    EXPECT_TRUE(ts.held().empty());
    EXPECT_EQ(SrsTranscodeInputKind::HttpTs, th->input().kind);
    EXPECT_NE(std::string::npos, command().find("-f mpegts -i http://127.0.0.1:18081/live/s.ts")) << command();
    // Frames and the same sequence header again change nothing.
    ASSERT_TRUE(h->on_video(ex_video("hvc1", 0)) == srs_success);
    ASSERT_TRUE(h->on_audio(aac_frame()) == srs_success);
    EXPECT_EQ(1u, sup.children().size());

    // The publisher switches to H.264 in the same publish: the engine restarts on RTMP.
    ASSERT_TRUE(h->on_video(avc_sh()) == srs_success);
    EXPECT_EQ(SrsTranscodeInputKind::Rtmp, th->input().kind);
    EXPECT_EQ(1, running());
    EXPECT_NE(std::string::npos, command().find("-f flv -i rtmp://127.0.0.1:19353/live/s")) << command();
    h->on_unpublish();
    EXPECT_EQ(0, th->nb_running());

    // Republish AV1 + Opus: nothing runs, the API shows the engine unsupported with the reason.
    ASSERT_TRUE(h->on_publish() == srs_success);
    ASSERT_TRUE(h->on_video(ex_video("av01", 0)) == srs_success);
    ASSERT_TRUE(h->on_audio(ex_audio("Opus", 0)) == srs_success);
    ASSERT_TRUE(h->on_video(ex_video("av01", 1)) == srs_success);
    for (int i = 0; i < 10; i++) {
        ASSERT_TRUE(h->on_audio(ex_audio("Opus", 1)) == srs_success);
    }
    EXPECT_EQ(0, th->nb_running());
    EXPECT_EQ(SrsTranscodeInputKind::None, th->input().kind);
    nlohmann::ordered_json j = srs_processes_json(sup, &ts);
    nlohmann::ordered_json held;
    for (const auto& p : j["processes"]) {
        if (p["state"] != "stopping" && p["state"] != "exited") {
            held = p;
        }
    }
    ASSERT_FALSE(held.is_null()) << j.dump();
    EXPECT_EQ("unsupported", held["state"]);
    EXPECT_EQ("transcode", held["kind"]);
    EXPECT_EQ(0, held["pid"]);
    EXPECT_EQ("transcode/__defaultVhost__/live/s/sd", held["name"]);
    EXPECT_EQ(0u, held["reason"].get<std::string>().find("video AV1 (enhanced RTMP av01) and audio Opus"))
        << held.dump();
    h->on_unpublish();
    EXPECT_TRUE(ts.held().empty());

    // Republish H.264 + MP3 (no audio sequence header): starts at the first frame, on RTMP.
    ASSERT_TRUE(h->on_publish() == srs_success);
    ASSERT_TRUE(h->on_video(avc_sh()) == srs_success);
    ASSERT_TRUE(h->on_audio(mp3_frame()) == srs_success);
    EXPECT_EQ(1, th->nb_running());
    EXPECT_EQ(SrsTranscodeInputKind::Rtmp, th->input().kind);
    h->on_unpublish();
    sup.stop_all_and_wait();
}
