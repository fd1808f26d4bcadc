// The load tool's MP4 input: every message it builds from an FFmpeg-made MP4 is parsed back with
// the kernel's enhanced RTMP parser, and its payload must be the MP4 sample, byte for byte.
#include <gtest/gtest.h>

#include <srs_bench_client.hpp>
#include <srs_bench_mp4.hpp>
#include <srs_bench_options.hpp>
#include <srs_bench_rtmp.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_mp4_reader.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>
#include <srs_utest_temp_dir.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace srs_utest;

namespace {

std::string make_mp4(const std::string& dir, const std::string& args) {
    std::string path = dir + "/in.mp4";
    std::string cmd =
        "ffmpeg -v error -y -f lavfi -i testsrc2=size=160x120:rate=25 -f lavfi -i sine=sample_rate=48000 "
        "-t 1 " +
        args + " '" + path + "' 2>&1";
    if (system(cmd.c_str()) != 0) {
        return "";
    }
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

struct BenchMp4Case {
    const char* name;
    const char* args;
    uint32_t video_fourcc;
    // H.264 and AAC go out as legacy tags in single-track mode.
    bool legacy_video;
    bool legacy_audio;
};

}  // namespace

class BenchMp4Test : public ::testing::TestWithParam<std::tuple<BenchMp4Case, int>> {};

TEST_P(BenchMp4Test, TagsCarryTheSamples) {
    const BenchMp4Case& c = std::get<0>(GetParam());
    int tracks = std::get<1>(GetParam());
    SrsUtestTempDir dir("benchmp4");
    std::string data = make_mp4(dir.path(), c.args);
    ASSERT_FALSE(data.empty()) << "ffmpeg " << c.args;
    ASSERT_TRUE(srs_bench_is_mp4(data));

    SrsMp4Demuxer demux;
    srs_error_t err = demux.parse(data.data(), data.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    std::vector<SrsMediaMessage> msgs;
    err = srs_bench_mp4_messages(data, tracks, &msgs);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    // The two sequence headers, then one message per sample.
    ASSERT_EQ(demux.samples().size() + 2, msgs.size());
    ASSERT_TRUE(msgs[0].is_video());
    ASSERT_TRUE(msgs[1].is_audio());

    const SrsMp4ReaderTrack& vt = demux.tracks()[0];
    const SrsMp4ReaderTrack& at = demux.tracks()[1];
    bool legacy_video = c.legacy_video && tracks == 0;
    SrsExVideoTag vtag;
    SrsExAudioTag atag;

    // The sequence starts carry the configuration records.
    err = srs_flv_parse_video_tag(msgs[0].data(), msgs[0].size(), &vtag);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(!legacy_video, vtag.enhanced);
    EXPECT_EQ(tracks > 0, vtag.multitrack);
    ASSERT_EQ((size_t)std::max(1, tracks), vtag.tracks.size());
    for (int k = 0; k < (int)vtag.tracks.size(); k++) {
        const SrsExVideoTrack& t = vtag.tracks[k];
        EXPECT_EQ(k, t.track_id);
        EXPECT_EQ(c.video_fourcc, t.fourcc);
        EXPECT_EQ(SrsExVideoPacketSequenceStart, t.packet_type);
        EXPECT_EQ(vt.config, std::string(t.payload.data, t.payload.size));
    }
    err = srs_flv_parse_audio_tag(msgs[1].data(), msgs[1].size(), &atag);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(1u, atag.tracks.size());
    EXPECT_EQ(SrsExAudioPacketSequenceStart, atag.tracks[0].packet_type);
    if (c.legacy_audio) {
        EXPECT_FALSE(atag.enhanced);
        EXPECT_EQ(at.config, std::string(atag.tracks[0].payload.data, atag.tracks[0].payload.size));
    } else {
        EXPECT_TRUE(atag.enhanced);
        EXPECT_EQ(SrsExAudioFourCCOpus, atag.tracks[0].fourcc);
        SrsOpusConfigRecord rec;
        err = srs_opus_parse_head(atag.tracks[0].payload.data, atag.tracks[0].payload.size, &rec);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_EQ(1, rec.channels);
    }

    int nb_cts = 0;
    for (size_t i = 0; i < demux.samples().size(); i++) {
        const SrsMp4ReaderSample& s = demux.samples()[i];
        const SrsMediaMessage& m = msgs[i + 2];
        std::string sample(demux.sample_data(s), s.size);
        EXPECT_EQ(s.dts_ms, m.timestamp);
        if (s.track == 0) {
            ASSERT_TRUE(m.is_video());
            err = srs_flv_parse_video_tag(m.data(), m.size(), &vtag);
            ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
            EXPECT_EQ(s.keyframe, vtag.keyframe()) << i;
            ASSERT_EQ((size_t)std::max(1, tracks), vtag.tracks.size());
            for (int k = 0; k < (int)vtag.tracks.size(); k++) {
                const SrsExVideoTrack& t = vtag.tracks[k];
                EXPECT_EQ(k, t.track_id);
                EXPECT_EQ(c.video_fourcc, t.fourcc);
                EXPECT_EQ(s.cts_ms, t.cts) << i;
                nb_cts += t.cts != 0;
                EXPECT_EQ(sample, std::string(t.payload.data, t.payload.size)) << i;
                // CodedFramesX whenever an SI24 would be 0 (enhanced avc1/hvc1), CodedFrames otherwise.
                bool x = !legacy_video && t.cts == 0 &&
                         (t.fourcc == SrsExVideoFourCCAVC || t.fourcc == SrsExVideoFourCCHEVC);
                EXPECT_EQ(x ? SrsExVideoPacketCodedFramesX : SrsExVideoPacketCodedFrames, t.packet_type) << i;
            }
        } else {
            ASSERT_TRUE(m.is_audio());
            err = srs_flv_parse_audio_tag(m.data(), m.size(), &atag);
            ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
            ASSERT_EQ(1u, atag.tracks.size());
            EXPECT_EQ(SrsExAudioPacketCodedFrames, atag.tracks[0].packet_type);
            EXPECT_EQ(sample, std::string(atag.tracks[0].payload.data, atag.tracks[0].payload.size));
        }
    }
    // H.264 and HEVC are made with B-frames: some composition times are not 0.
    if (c.video_fourcc == SrsExVideoFourCCAVC || c.video_fourcc == SrsExVideoFourCCHEVC) {
        EXPECT_GT(nb_cts, 0);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, BenchMp4Test,
    ::testing::Combine(::testing::Values(BenchMp4Case{"H264Aac", "-c:v libx264 -bf 2 -c:a aac", SrsExVideoFourCCAVC,
                                                      true, true},
                                         BenchMp4Case{"HevcAac", "-c:v libx265 -x265-params log-level=none -c:a aac",
                                                      SrsExVideoFourCCHEVC, false, true},
                                         BenchMp4Case{"Av1Opus", "-c:v libaom-av1 -cpu-used 8 -c:a libopus",
                                                      SrsExVideoFourCCAV1, false, false},
                                         BenchMp4Case{"Vp9Opus", "-c:v libvpx-vp9 -deadline realtime -c:a libopus",
                                                      SrsExVideoFourCCVP9, false, false}),
                       ::testing::Values(0, 1, 2)),
    [](const ::testing::TestParamInfo<std::tuple<BenchMp4Case, int>>& info) {
        return std::string(std::get<0>(info.param).name) + "Tracks" + std::to_string(std::get<1>(info.param));
    });

// The input loader tells an MP4 by its content, whatever its name, and makes the timestamps start
// at 0 even when the edit list puts the first dts below 0 (B-frames).
TEST(BenchMp4InputTest, LoadByContent) {
    SrsUtestTempDir dir("benchmp4");
    std::string data = make_mp4(dir.path(), "-c:v libx264 -bf 2 -c:a aac");
    ASSERT_FALSE(data.empty());
    std::string path = dir.path() + "/named.flv";
    {
        std::ofstream f(path, std::ios::binary);
        f << data;
    }
    SrsBenchFlvInput input;
    srs_error_t err = input.load(path, 0);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_TRUE(input.enhanced());
    ASSERT_FALSE(input.messages().empty());
    EXPECT_EQ(0, input.messages()[0].timestamp);
    // One second at 25 fps: the loop is the span of the decode times, from the first video dts
    // (2 frames below 0 with B-frames) to the last AAC frame (past 1 s), plus one frame.
    EXPECT_GE(input.loop_duration(), 1000);
    EXPECT_LE(input.loop_duration(), 1150);

    // A truncated MP4 is an error, not a crash.
    {
        std::ofstream f(path, std::ios::binary);
        f << data.substr(0, data.size() / 2);
    }
    SrsBenchFlvInput broken;
    err = broken.load(path, 0);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
}

TEST(BenchMp4InputTest, TracksOption) {
    SrsBenchOptions o;
    srs_error_t err = o.parse(std::vector<std::string>{"-t", "rtmp-publish", "-u", "rtmp://127.0.0.1/live/a", "-i",
                                                       "a.mp4", "--tracks", "2"});
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(2, o.tracks);
    err = o.parse(std::vector<std::string>{"-t", "rtmp-publish", "-u", "rtmp://127.0.0.1/live/a", "-i", "a.mp4",
                                           "--tracks", "3"});
    EXPECT_EQ(ERROR_BENCH_OPTIONS, srs_error_code(err));
    srs_error_reset(err);
    EXPECT_NE(std::string::npos, SrsBenchOptions::usage().find("--tracks"));
}

namespace {

// An RTMP server session on loopback that records the connect's fourCcList, accepts the FMLE
// publish and keeps the first media messages.
class BenchExRtmpServer : public ISrsCoroutineHandler {
public:
    BenchExRtmpServer() : trd_("utest-bench-exrtmp", this) {}
    ~BenchExRtmpServer() override { trd_.stop(); }
    srs_error_t start() {
        srs_error_t err = srs_tcp_listen("127.0.0.1", 0, &lfd_);
        if (err != srs_success) {
            return err;
        }
        port = srs_socket_local_port(lfd_);
        return trd_.start();
    }
    srs_error_t cycle() override {
        srs_error_t err = srs_success;
        SrsNetFd fd;
        if ((err = srs_tcp_accept(lfd_, 3 * SRS_UTIME_SECONDS, &fd)) != srs_success) {
            return err;
        }
        SrsStSocket skt(fd);
        SrsRtmpServer server(&skt);
        server.set_recv_timeout(3 * SRS_UTIME_SECONDS);
        server.set_send_timeout(3 * SRS_UTIME_SECONDS);
        if ((err = server.handshake()) != srs_success) {
            return err;
        }
        // The connect, read here rather than by connect_app(), which keeps no unknown property.
        SrsRequest req;
        while (true) {
            SrsMediaMessage msg;
            if ((err = server.recv_message(&msg)) != srs_success) {
                return err;
            }
            if (msg.type != SrsMsgAMF0Command) {
                continue;
            }
            std::unique_ptr<SrsPacket> pkt;
            if ((err = server.decode_message(msg, &pkt)) != srs_success) {
                return err;
            }
            SrsConnectAppPacket* connect = dynamic_cast<SrsConnectAppPacket*>(pkt.get());
            if (!connect) {
                continue;
            }
            SrsAmf0Any* list = connect->command_object->get_property("fourCcList");
            if (list && list->to_strict_array()) {
                for (int i = 0; i < list->to_strict_array()->count(); i++) {
                    fourccs.push_back(list->to_strict_array()->at(i)->to_str());
                }
            }
            break;
        }
        if ((err = server.response_connect_app(&req, "127.0.0.1", "bench")) != srs_success) {
            return err;
        }
        SrsRtmpConnType type = SrsRtmpConnUnknown;
        srs_utime_t duration = 0;
        std::string stream;
        if ((err = server.identify_client(1, &type, &stream, &duration)) != srs_success) {
            return err;
        }
        if ((err = server.start_fmle_publish(1)) != srs_success) {
            return err;
        }
        while (true) {
            SrsMediaMessage msg;
            if ((err = server.recv_message(&msg)) != srs_success) {
                return err;
            }
            if (msg.is_av() && msgs.size() < 8) {
                msgs.push_back(msg);
            }
        }
    }

    int port = 0;
    std::vector<std::string> fourccs;
    std::vector<SrsMediaMessage> msgs;

private:
    SrsNetFd lfd_;
    SrsCoroutine trd_;
};

}  // namespace

// An MP4 publisher announces fourCcList at connect, like an enhanced encoder, and sends the HEVC
// sequence start first.
TEST(BenchMp4InputTest, PublisherAnnouncesFourCcList) {
    SrsUtestTempDir dir("benchmp4");
    std::string data = make_mp4(dir.path(), "-c:v libx265 -x265-params log-level=none -c:a aac");
    ASSERT_FALSE(data.empty());
    auto input = std::make_shared<SrsBenchFlvInput>();
    {
        std::ofstream f(dir.path() + "/in.mp4", std::ios::binary);
        f << data;
    }
    srs_error_t err = input->load(dir.path() + "/in.mp4", 0);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);

    BenchExRtmpServer server;
    err = server.start();
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    std::string url = "rtmp://127.0.0.1:" + std::to_string(server.port) + "/live/hevc";
    SrsBenchOptions o;
    o.type = SrsBenchRtmpPublish;
    o.url = url;
    o.timeout = 2 * SRS_UTIME_SECONDS;
    SrsBenchContext ctx(o);
    ctx.set_input(input);
    SrsBenchRtmpPublisher pub(&ctx, 0, url, ctx.input());
    err = pub.start();
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    for (int i = 0; i < 300 && server.msgs.size() < 2; i++) {
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    }
    ctx.set_stopping();
    pub.stop();

    EXPECT_EQ((std::vector<std::string>{"av01", "vp09", "hvc1", "avc1", "Opus", "mp4a"}), server.fourccs);
    ASSERT_GE(server.msgs.size(), 2u);
    SrsExVideoTag tag;
    err = srs_flv_parse_video_tag(server.msgs[0].data(), server.msgs[0].size(), &tag);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_TRUE(tag.enhanced);
    EXPECT_EQ(SrsExVideoFourCCHEVC, tag.tracks[0].fourcc);
    EXPECT_EQ(SrsExVideoPacketSequenceStart, tag.tracks[0].packet_type);
    EXPECT_TRUE(server.msgs[1].is_audio());
}
