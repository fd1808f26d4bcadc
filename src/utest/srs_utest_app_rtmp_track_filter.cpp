// The RTMP player's track filter (fourCcList): a legacy player and "*" get everything unchanged;
// single-track and same-FourCC messages pass shared or are dropped whole; a ManyTracksManyCodecs
// message is rewritten with the allowed tracks only; legacy H.264/AAC always pass; bytes that do
// not parse pass.
#include <gtest/gtest.h>
#include <srs_utest_kernel_records.hpp>

#include <srs_app_rtmp_track_filter.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_message.hpp>

#include <string>
#include <vector>

using namespace srs_utest;

namespace {

using Verdict = SrsRtmpTrackFilter::Verdict;

std::string fourcc(const char* s) {
    return std::string(s, 4);
}

SrsMediaMessage msg(uint8_t type, const std::string& body, int64_t ts = 40) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}

std::string body(const SrsMediaMessage& m) {
    return std::string(m.data(), m.size());
}

const std::string kFrame = bytes({0x00, 0x00, 0x00, 0x04, 0x26, 0x01, 0xaf, 0x09});

// A keyframe ManyTracksManyCodecs tag: hvc1 track 0 (with its cts), av01 track 1, hvc1 track 2.
std::string many_codecs() {
    std::string hevc = bytes({0x00, 0x00, 0x00}) + kFrame;
    return bytes({0x96, 0x21}) + fourcc("hvc1") + bytes({0x00, 0x00, 0x00, (uint8_t)hevc.size()}) + hevc +
           fourcc("av01") + bytes({0x01, 0x00, 0x00, 0x02}) + "ob" + fourcc("hvc1") +
           bytes({0x02, 0x00, 0x00, (uint8_t)hevc.size()}) + hevc;
}

}  // namespace

TEST(AppRtmpTrackFilterTest, LegacyPlayerAndWildcardGetEverything) {
    std::vector<SrsMediaMessage> all = {
        msg(SrsMsgVideo, SrsExTagWriter::video(1, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1, 0) + "x"),
        msg(SrsMsgVideo, many_codecs()),
        msg(SrsMsgAudio, SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus) + "o"),
    };
    for (const std::vector<std::string>& list :
         {std::vector<std::string>{}, std::vector<std::string>{"*"}, std::vector<std::string>{"hvc1", "*"}}) {
        SrsRtmpTrackFilter f(list);
        EXPECT_TRUE(f.pass_all());
        std::vector<SrsMediaMessage> msgs = all;
        f.filter(msgs);
        ASSERT_EQ(all.size(), msgs.size());
        for (size_t i = 0; i < msgs.size(); i++) {
            // The same shared payload, not a copy.
            EXPECT_EQ(all[i].payload.get(), msgs[i].payload.get());
        }
    }
}

TEST(AppRtmpTrackFilterTest, SingleTrackByFourCC) {
    SrsRtmpTrackFilter f({"hvc1", "Opus"});
    EXPECT_FALSE(f.pass_all());
    SrsMediaMessage out;

    SrsMediaMessage hevc =
        msg(SrsMsgVideo, SrsExTagWriter::video(1, SrsExVideoPacketCodedFrames, SrsExVideoFourCCHEVC, 0) + kFrame);
    EXPECT_EQ(Verdict::Keep, f.check(hevc, &out));
    SrsMediaMessage av1 =
        msg(SrsMsgVideo, SrsExTagWriter::video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0) + "c");
    EXPECT_EQ(Verdict::Drop, f.check(av1, &out));
    SrsMediaMessage opus =
        msg(SrsMsgAudio, SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus) + "o");
    EXPECT_EQ(Verdict::Keep, f.check(opus, &out));
    SrsMediaMessage flac =
        msg(SrsMsgAudio, SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCFLAC) + "f");
    EXPECT_EQ(Verdict::Drop, f.check(flac, &out));
    // An unknown FourCC is not listed.
    SrsMediaMessage unknown = msg(SrsMsgVideo, bytes({0x91}) + fourcc("zzzz") + "x");
    EXPECT_EQ(Verdict::Drop, f.check(unknown, &out));

    // Legacy H.264 and AAC pass to a player whatever it lists; the non-standard HEVC codec id 12
    // counts as hvc1.
    SrsRtmpTrackFilter av1_only({"av01"});
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgVideo, bytes({0x17, 0x01, 0, 0, 0}) + kFrame), &out));
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgAudio, bytes({0xaf, 0x01, 0x21})), &out));
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgAudio, bytes({0x2f, 0xff, 0xfb})), &out));
    SrsMediaMessage legacy_hevc = msg(SrsMsgVideo, bytes({0x1c, 0x01, 0, 0, 0}) + kFrame);
    EXPECT_EQ(Verdict::Drop, av1_only.check(legacy_hevc, &out));
    EXPECT_EQ(Verdict::Keep, f.check(legacy_hevc, &out));

    // No track to select: a video command, data, an empty message, bytes that do not parse.
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgVideo, SrsExTagWriter::video_command(0)), &out));
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgAMF0Data, "\x02\x00\x01x"), &out));
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgVideo, ""), &out));
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgVideo, bytes({0x91, 'h', 'v'})), &out));
    EXPECT_EQ(Verdict::Keep, av1_only.check(msg(SrsMsgAudio, bytes({0x91})), &out));
}

TEST(AppRtmpTrackFilterTest, MultitrackSameFourCCWhole) {
    // ManyTracks (one FourCC for all tracks), as srs_bench --tracks 2 sends it.
    std::string t = bytes({0x00, 0x00, 0x00}) + kFrame;
    std::string s = bytes({0x96, 0x11}) + fourcc("hvc1") + bytes({0x00, 0x00, 0x00, (uint8_t)t.size()}) + t +
                    bytes({0x01, 0x00, 0x00, (uint8_t)t.size()}) + t;
    SrsMediaMessage m = msg(SrsMsgVideo, s);
    SrsMediaMessage out;
    EXPECT_EQ(Verdict::Keep, SrsRtmpTrackFilter({"hvc1"}).check(m, &out));
    EXPECT_EQ(Verdict::Drop, SrsRtmpTrackFilter({"av01", "vp09"}).check(m, &out));
    // A multitrack audio tag, one Opus track.
    std::string a = bytes({0x95, 0x00}) + fourcc("Opus") + bytes({0x03}) + "op";
    EXPECT_EQ(Verdict::Keep, SrsRtmpTrackFilter({"Opus"}).check(msg(SrsMsgAudio, a), &out));
    EXPECT_EQ(Verdict::Drop, SrsRtmpTrackFilter({"mp4a"}).check(msg(SrsMsgAudio, a), &out));
}

TEST(AppRtmpTrackFilterTest, MultitrackManyCodecsRewritten) {
    SrsMediaMessage m = msg(SrsMsgVideo, many_codecs(), 1234);
    m.cid = 9;
    SrsMediaMessage out;

    SrsRtmpTrackFilter both({"hvc1", "av01"});
    EXPECT_EQ(Verdict::Keep, both.check(m, &out));
    EXPECT_EQ(Verdict::Drop, SrsRtmpTrackFilter({"vp09"}).check(m, &out));

    SrsRtmpTrackFilter av1({"av01"});
    ASSERT_EQ(Verdict::Rewrite, av1.check(m, &out));
    EXPECT_EQ(bytes({0x96, 0x21}) + fourcc("av01") + bytes({0x01, 0x00, 0x00, 0x02}) + "ob", body(out));
    EXPECT_EQ(1234, out.timestamp);
    EXPECT_EQ(SrsMsgVideo, out.type);
    EXPECT_EQ(9, out.cid);
    EXPECT_TRUE(out.is_keyframe());

    SrsRtmpTrackFilter hevc({"hvc1"});
    ASSERT_EQ(Verdict::Rewrite, hevc.check(m, &out));
    // The rewritten tag parses back to the two hvc1 tracks, their ids and cts kept.
    SrsExVideoTag tag;
    ASSERT_TRUE(srs_flv_parse_video_tag(out.data(), out.size(), &tag) == srs_success);
    ASSERT_EQ(2u, tag.tracks.size());
    EXPECT_EQ(0, tag.tracks[0].track_id);
    EXPECT_EQ(2, tag.tracks[1].track_id);
    EXPECT_EQ(kFrame, std::string(tag.tracks[1].payload.data, tag.tracks[1].payload.size));
    // The original is untouched, for the other players.
    EXPECT_EQ(many_codecs(), body(m));

    // A batch: order kept, dropped ones gone, the rewritten one in place, the others shared.
    SrsMediaMessage aac = msg(SrsMsgAudio, bytes({0xaf, 0x01, 0x21}));
    SrsMediaMessage vp9 =
        msg(SrsMsgVideo, SrsExTagWriter::video(1, SrsExVideoPacketCodedFrames, SrsExVideoFourCCVP9, 0) + "v");
    std::vector<SrsMediaMessage> msgs = {aac, vp9, m, aac};
    av1.filter(msgs);
    ASSERT_EQ(3u, msgs.size());
    EXPECT_EQ(aac.payload.get(), msgs[0].payload.get());
    EXPECT_EQ(bytes({0x96, 0x21}) + fourcc("av01") + bytes({0x01, 0x00, 0x00, 0x02}) + "ob", body(msgs[1]));
    EXPECT_EQ(aac.payload.get(), msgs[2].payload.get());
    EXPECT_EQ(1, av1.nb_dropped());
    EXPECT_EQ(1, av1.nb_rewritten());
}
