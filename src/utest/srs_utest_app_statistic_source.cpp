#include <gtest/gtest.h>

#include <srs_kernel_codec.hpp>
#include <srs_kernel_flv_ex.hpp>

#include <srs_app_source.hpp>
#include <srs_app_statistic_source.hpp>
#include <srs_core_log.hpp>
#include <srs_utest_app_media.hpp>
#include <srs_utest_kernel_media.hpp>

using namespace srs_utest;

namespace {

class StatPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

}  // namespace

TEST(AppStatisticSourceTest, CodecNames) {
    EXPECT_STREQ("H264", srs_video_codec_id2str(SrsVideoCodecIdAVC));
    EXPECT_STREQ("HEVC", srs_video_codec_id2str(SrsVideoCodecIdHEVC));
    EXPECT_STREQ("AV1", srs_video_codec_id2str(SrsVideoCodecIdAV1));
    EXPECT_STREQ("Other", srs_video_codec_id2str((SrsVideoCodecId)99));
    EXPECT_STREQ("AAC", srs_audio_codec_id2str(SrsAudioCodecIdAAC));
    EXPECT_STREQ("MP3", srs_audio_codec_id2str(SrsAudioCodecIdMP3));
    EXPECT_STREQ("Opus", srs_audio_codec_id2str(SrsAudioCodecIdOpus));
    EXPECT_STREQ("VP9", srs_video_codec_id2str(SrsVideoCodecIdVP9));
    EXPECT_STREQ("AC3", srs_audio_codec_id2str(SrsAudioCodecIdAC3));
    EXPECT_STREQ("EAC3", srs_audio_codec_id2str(SrsAudioCodecIdEAC3));
    EXPECT_STREQ("FLAC", srs_audio_codec_id2str(SrsAudioCodecIdFLAC));
    EXPECT_EQ("Main10", srs_video_profile2str(SrsVideoCodecIdHEVC, 2));
    EXPECT_EQ("5.1", srs_video_level2str(SrsVideoCodecIdHEVC, 153));
    EXPECT_EQ("High", srs_video_profile2str(SrsVideoCodecIdAV1, 1));
    EXPECT_EQ("5.1", srs_video_level2str(SrsVideoCodecIdAV1, 13));
    EXPECT_EQ("Other", srs_video_level2str(SrsVideoCodecIdAV1, 31));
    EXPECT_EQ("Profile2", srs_video_profile2str(SrsVideoCodecIdVP9, 2));
    EXPECT_EQ("4.1", srs_video_level2str(SrsVideoCodecIdVP9, 41));
    EXPECT_STREQ("Other", srs_audio_codec_id2str((SrsAudioCodecId)99));
}

TEST(AppStatisticSourceTest, FollowsPublishCodecsFramesAndUnpublish) {
    SrsStatistic stat;
    SrsStatisticSourceFactory factory(&stat);
    auto s = std::make_shared<SrsLiveSource>("__defaultVhost__", "live", "livestream");
    s->add_handler(factory.create_handler(s.get()));

    // The publisher connection registers itself; the source's publish runs in its coroutine.
    std::string cid = srs_context_get();
    SrsStatisticRequest req;
    req.vhost = "__defaultVhost__";
    req.app = "live";
    req.stream = "livestream";
    req.tcUrl = "rtmp://127.0.0.1/live";
    stat.on_client(cid, req, SrsClientFmlePublish, nullptr);

    StatPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsStatisticStream* st = stat.find_stream_by_url("/live/livestream");
    ASSERT_TRUE(st != nullptr);
    EXPECT_TRUE(st->active_);
    EXPECT_EQ(cid, st->publisher_cid_);

    std::string avc = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    ASSERT_TRUE(s->on_video(SrsMediaMessage::create(SrsMsgVideo, 0, 1, avc.data(), (int)avc.size())) == srs_success);
    ASSERT_TRUE(s->on_audio(audio_sh()) == srs_success);
    for (int i = 0; i < 10; i++) {
        ASSERT_TRUE(s->on_video(i == 0 ? keyframe(i * 40) : inter_frame(i * 40)) == srs_success);
        ASSERT_TRUE(s->on_audio(audio(i * 40 + 3)) == srs_success);
    }
    // Reported at most once a second: wait for the clock, then one more message flushes.
    srs_usleep(SRS_UTIME_SECONDS + 10 * SRS_UTIME_MILLISECONDS);
    srs_update_system_time();
    ASSERT_TRUE(s->on_audio(audio(500)) == srs_success);

    EXPECT_TRUE(st->has_video_);
    EXPECT_EQ("H264", st->video_.codec);
    EXPECT_EQ("High", st->video_.profile);
    EXPECT_EQ("3", st->video_.level);
    EXPECT_EQ(640, st->video_.width);
    EXPECT_EQ(360, st->video_.height);
    EXPECT_TRUE(st->has_audio_);
    EXPECT_EQ("AAC", st->audio_.codec);
    EXPECT_EQ("LC", st->audio_.profile);
    EXPECT_EQ(44100, st->audio_.sample_rate);
    EXPECT_EQ(2, st->audio_.channels);
    EXPECT_EQ(11, st->video_frames_);
    EXPECT_EQ(12, st->audio_frames_);

    s->on_unpublish(&pub);
    EXPECT_FALSE(st->active_);
    EXPECT_FALSE(st->has_video_);
    stat.on_disconnect(cid);
    EXPECT_EQ(0u, stat.nb_streams());
}

TEST(AppStatisticSourceTest, EnhancedRtmpCodecs) {
    SrsStatistic stat;
    SrsStatisticSourceFactory factory(&stat);
    auto s = std::make_shared<SrsLiveSource>("__defaultVhost__", "live", "ex");
    s->add_handler(factory.create_handler(s.get()));
    std::string cid = srs_context_get();
    SrsStatisticRequest req;
    req.vhost = "__defaultVhost__";
    req.app = "live";
    req.stream = "ex";
    req.tcUrl = "rtmp://127.0.0.1/live";
    stat.on_client(cid, req, SrsClientFmlePublish, nullptr);
    StatPublisher pub;
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsStatisticStream* st = stat.find_stream_by_url("/live/ex");
    ASSERT_TRUE(st != nullptr);

    // libsvtav1 320x180 Main level 2.0 (av1C) and libopus stereo (dOps), as FFmpeg writes them.
    const uint8_t av1c[] = {0x81, 0x00, 0x0c, 0x00, 0x0a, 0x0b, 0x00, 0x00, 0x00,
                            0x04, 0x3c, 0xfe, 0xcc, 0x02, 0xf8, 0x00, 0x40};
    const uint8_t dops[] = {0x00, 0x02, 0x01, 0x38, 0x00, 0x00, 0xbb, 0x80, 0x00, 0x00, 0x00};
    std::string vsh =
        SrsExTagWriter::video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0) +
        std::string((const char*)av1c, sizeof(av1c));
    std::string ash = SrsExTagWriter::audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus) +
                      std::string((const char*)dops, sizeof(dops));
    ASSERT_TRUE(s->on_video(SrsMediaMessage::create(SrsMsgVideo, 0, 1, vsh.data(), (int)vsh.size())) == srs_success);
    ASSERT_TRUE(s->on_audio(SrsMediaMessage::create(SrsMsgAudio, 0, 1, ash.data(), (int)ash.size())) == srs_success);
    for (int i = 0; i < 5; i++) {
        std::string v = SrsExTagWriter::video(i == 0 ? 1 : 2, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1, 0) +
                        std::string(100, (char)i);
        std::string a = SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus) + std::string(50, 'o');
        ASSERT_TRUE(s->on_video(SrsMediaMessage::create(SrsMsgVideo, i * 40, 1, v.data(), (int)v.size())) ==
                    srs_success);
        ASSERT_TRUE(s->on_audio(SrsMediaMessage::create(SrsMsgAudio, i * 40, 1, a.data(), (int)a.size())) ==
                    srs_success);
    }
    srs_usleep(SRS_UTIME_SECONDS + 10 * SRS_UTIME_MILLISECONDS);
    srs_update_system_time();
    std::string a = SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus) + "o";
    ASSERT_TRUE(s->on_audio(SrsMediaMessage::create(SrsMsgAudio, 500, 1, a.data(), (int)a.size())) == srs_success);

    EXPECT_TRUE(st->has_video_);
    EXPECT_EQ("AV1", st->video_.codec);
    EXPECT_EQ("Main", st->video_.profile);
    EXPECT_EQ("2.0", st->video_.level);
    EXPECT_EQ(320, st->video_.width);
    EXPECT_EQ(180, st->video_.height);
    EXPECT_TRUE(st->has_audio_);
    EXPECT_EQ("Opus", st->audio_.codec);
    EXPECT_EQ(48000, st->audio_.sample_rate);
    EXPECT_EQ(2, st->audio_.channels);

    s->on_unpublish(&pub);
    stat.on_disconnect(cid);
}
