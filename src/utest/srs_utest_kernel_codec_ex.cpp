// SrsFormat on enhanced RTMP tags: every codec of enhanced RTMP v1/v2 described from its
// sequence start, multitrack messages reduced to one followed track, unknown tracks skipped
// without an error, and the TS transmuxer leaving out what MPEG-TS cannot carry. The tags are
// built with SrsExTagWriter; the configuration records are the FFmpeg 5.1 ones of
// srs_utest_kernel_codec_config.cpp.
#include <gtest/gtest.h>

#include <srs_kernel_codec.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_ts.hpp>
#include <srs_utest_kernel_media.hpp>
#include <srs_utest_kernel_records.hpp>

#include <string>

using namespace srs_utest;

namespace {

// libsvtav1 320x180, Main profile, level index 0 (2.0).
const std::string kAv1c =
    bytes({0x81, 0x00, 0x0c, 0x00, 0x0a, 0x0b, 0x00, 0x00, 0x00, 0x04, 0x3c, 0xfe, 0xcc, 0x02, 0xf8, 0x00, 0x40});
// libvpx-vp9 profile 0, level 1.1, 8-bit 4:2:0.
const std::string kVpcc = bytes({0x01, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x82, 0x02, 0x02, 0x02, 0x00, 0x00});
// libopus stereo (dOps) and 5.1 (OpusHead): kDopsStereo and kOpusHead51 of the records.
// AAC LC 44.1 kHz stereo.
const std::string kAsc = std::string("\x12\x10", 2);

std::string ex_video(uint8_t frame_type, uint8_t packet_type, uint32_t fourcc, int32_t cts, const std::string& body) {
    return SrsExTagWriter::video(frame_type, packet_type, fourcc, cts) + body;
}

std::string ex_audio(uint8_t packet_type, uint32_t fourcc, const std::string& body) {
    return SrsExTagWriter::audio(packet_type, fourcc) + body;
}

srs_error_t feed_video(SrsFormat* f, const std::string& tag, int64_t ts = 0) {
    return f->on_video(ts, tag.data(), (int)tag.size());
}

srs_error_t feed_audio(SrsFormat* f, const std::string& tag, int64_t ts = 0) {
    return f->on_audio(ts, tag.data(), (int)tag.size());
}

// One track of a ManyTracksManyCodecs tag: its header then its payload.
std::string mt_track(bool video, uint8_t id, uint32_t fourcc, uint8_t packet_type, const std::string& payload) {
    SrsExTrackHeader h;
    h.track_id = id;
    h.fourcc = fourcc;
    h.packet_type = packet_type;
    // The writer adds the SI24 composition time (avc1/hvc1 CodedFrames) to the size itself.
    h.payload_size = (int)payload.size();
    return SrsExTagWriter::track_header(video, SrsAvMultitrackManyTracksManyCodecs, h) + payload;
}

}  // namespace

TEST(KernelCodecExTest, HevcSequenceStartGivesProfileLevelSize) {
    SrsFormat f;
    std::string hvcc = make_hvcc(hevc_vps(), hevc_sps(), hevc_pps());
    srs_error_t err = feed_video(
        &f, ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCHEVC, 0, hvcc));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_TRUE(f.has_video_config());
    EXPECT_EQ(SrsVideoCodecIdHEVC, f.vcodec().id);
    EXPECT_EQ(640, f.vcodec().width);
    EXPECT_STREQ("HEVC", srs_video_codec_id2str(f.vcodec().id));
    EXPECT_EQ(srs_hevc_profile2str(f.vcodec().profile), srs_video_profile2str(SrsVideoCodecIdHEVC, f.vcodec().profile));
    EXPECT_EQ(srs_hevc_level2str(f.vcodec().level), srs_video_level2str(SrsVideoCodecIdHEVC, f.vcodec().level));

    // The legacy codec id 12 reaches the same configuration.
    SrsFormat legacy;
    std::string tag = flv_video(1, 12, 0, 0, hvcc);
    err = legacy.on_video(0, tag.data(), (int)tag.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdHEVC, legacy.vcodec().id);
    EXPECT_EQ(f.vcodec().width, legacy.vcodec().width);
    EXPECT_EQ(f.vcodec().height, legacy.vcodec().height);
    EXPECT_EQ(f.vcodec().profile, legacy.vcodec().profile);
}

TEST(KernelCodecExTest, Av1AndVp9) {
    SrsFormat f;
    srs_error_t err = feed_video(
        &f, ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0, kAv1c));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdAV1, f.vcodec().id);
    EXPECT_EQ(320, f.vcodec().width);
    EXPECT_EQ(180, f.vcodec().height);
    EXPECT_EQ(kAv1c, f.vcodec().extra);
    EXPECT_STREQ("AV1", srs_video_codec_id2str(f.vcodec().id));
    EXPECT_EQ("Main", srs_video_profile2str(SrsVideoCodecIdAV1, f.vcodec().profile));
    EXPECT_EQ("2.0", srs_video_level2str(SrsVideoCodecIdAV1, f.vcodec().level));

    // A temporal unit is one sample; CodedFrames of av01 has no composition time.
    std::string tu = bytes({0x12, 0x00, 0x32, 0x05, 0x10, 0x20, 0x30, 0x40, 0x50});
    // The format's samples point into the tag: it must outlive them.
    std::string frame = ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1, 0, tu);
    err = feed_video(&f, frame);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoPacketCodedFrames, f.video().packet_type);
    EXPECT_TRUE(f.video().keyframe);
    EXPECT_EQ(0, f.video().cts);
    ASSERT_EQ(1u, f.video().samples.size());
    EXPECT_EQ(tu, std::string(f.video().samples[0].data, f.video().samples[0].size));

    err = feed_video(&f,
                     ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCVP9, 0, kVpcc));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdVP9, f.vcodec().id);
    EXPECT_STREQ("VP9", srs_video_codec_id2str(f.vcodec().id));
    EXPECT_EQ("Profile0", srs_video_profile2str(SrsVideoCodecIdVP9, f.vcodec().profile));
    EXPECT_EQ("1.1", srs_video_level2str(SrsVideoCodecIdVP9, f.vcodec().level));

    // vpcC has no picture size: the first keyframe's uncompressed header gives it (a real
    // libvpx-vp9 320x240 keyframe); an inter frame before it changes nothing.
    EXPECT_EQ(0, f.vcodec().width);
    std::string inter =
        ex_video(SrsVideoFrameTypeInterFrame, SrsExVideoPacketCodedFrames, SrsExVideoFourCCVP9, 0, kVp9Inter320x240);
    ASSERT_TRUE((err = feed_video(&f, inter)) == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, f.vcodec().width);
    std::string key =
        ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketCodedFrames, SrsExVideoFourCCVP9, 0, kVp9Key320x240);
    ASSERT_TRUE((err = feed_video(&f, key)) == srs_success) << srs_error_desc(err);
    EXPECT_EQ(320, f.vcodec().width);
    EXPECT_EQ(240, f.vcodec().height);
    ASSERT_EQ(1u, f.video().samples.size());
    EXPECT_EQ(kVp9Key320x240, std::string(f.video().samples[0].data, f.video().samples[0].size));
    // The same vpcC again (sent at every loop) keeps the size; another one starts over, and its
    // keyframe (a profile 1 318x178 one) gives the new size.
    err = feed_video(&f,
                     ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCVP9, 0, kVpcc));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(320, f.vcodec().width);
    err = feed_video(
        &f, ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCVP9, 0, kVpccProfile1));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, f.vcodec().width);
    key = ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketCodedFrames, SrsExVideoFourCCVP9, 0,
                   kVp9Key318x178Profile1);
    ASSERT_TRUE((err = feed_video(&f, key)) == srs_success) << srs_error_desc(err);
    EXPECT_EQ(318, f.vcodec().width);
    EXPECT_EQ(178, f.vcodec().height);
    // A frame whose header does not parse leaves the size unknown and still passes.
    err = feed_video(
        &f, ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCVP9, 0, kVpccProfile0));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    key = ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketCodedFrames, SrsExVideoFourCCVP9, 0, "\x82\x49");
    ASSERT_TRUE((err = feed_video(&f, key)) == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, f.vcodec().width);
    EXPECT_EQ(1u, f.video().samples.size());

    // A broken av1C is an error of that sequence start, not a crash; the known config stays.
    err = feed_video(&f, ex_video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0,
                                  std::string("\x01", 1)));
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
    EXPECT_EQ(SrsVideoCodecIdVP9, f.vcodec().id);
}

TEST(KernelCodecExTest, UnknownTracksAreSkippedNotErrors) {
    SrsFormat f;
    std::string hvcc = make_hvcc(hevc_vps(), hevc_sps(), hevc_pps());
    ASSERT_TRUE(feed_video(&f, ex_video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCHEVC, 0, hvcc)) ==
                srs_success);

    // An unknown FourCC, a known one the server does not carry (vvc1), an unknown packet type:
    // consumed whole, nothing described, the HEVC configuration kept.
    const std::string tags[] = {
        ex_video(1, SrsExVideoPacketCodedFrames, srs_fourcc('x', 'y', 'z', '1'), 0, std::string(20, 'a')),
        ex_video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCVVC, 0, std::string(20, 'b')),
        ex_video(1, SrsExVideoPacketCodedFrames, SrsExVideoFourCCVP8, 0, std::string(20, 'c')),
        std::string("\x9e", 1) + "hvc1" + std::string(10, 'd'),
    };
    for (const std::string& t : tags) {
        srs_error_t err = feed_video(&f, t);
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_EQ(SrsVideoCodecIdReserved, f.video().codec);
        EXPECT_TRUE(f.video().samples.empty());
        EXPECT_EQ(SrsVideoCodecIdHEVC, f.vcodec().id);
    }

    SrsFormat a;
    srs_error_t err = feed_audio(&a, ex_audio(SrsExAudioPacketCodedFrames, srs_fourcc('x', 'y', 'z', '1'), "abc"));
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(a.has_audio_config());
    EXPECT_TRUE(a.audio().samples.empty());
    // A VideoCommand (seek) has no picture.
    std::string cmd = SrsExTagWriter::video_command(SrsExVideoCommandStartSeek);
    err = feed_video(&f, cmd);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoPacketMetadata, f.video().packet_type);
}

TEST(KernelCodecExTest, MultitrackFollowsFirstUsableTrack) {
    SrsFormat f;
    std::string hvcc = make_hvcc(hevc_vps(), hevc_sps(), hevc_pps());
    // Track 0 is an unknown codec, track 1 HEVC, track 2 AV1: the format follows track 1.
    std::string sh =
        SrsExTagWriter::video_multitrack(1, SrsAvMultitrackManyTracksManyCodecs, SrsExVideoPacketSequenceStart, 0) +
        mt_track(true, 0, srs_fourcc('x', 'y', 'z', '1'), SrsExVideoPacketSequenceStart, "zzzz") +
        mt_track(true, 1, SrsExVideoFourCCHEVC, SrsExVideoPacketSequenceStart, hvcc) +
        mt_track(true, 2, SrsExVideoFourCCAV1, SrsExVideoPacketSequenceStart, kAv1c);
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header(sh.data(), (int)sh.size()));
    srs_error_t err = feed_video(&f, sh);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdHEVC, f.vcodec().id);
    EXPECT_EQ(640, f.vcodec().width);

    // A later message with the AV1 track first: still track 1.
    std::string idr = std::string("\x26\x01\xaf\x00", 4);
    std::string frames =
        SrsExTagWriter::video_multitrack(1, SrsAvMultitrackManyTracksManyCodecs, SrsExVideoPacketCodedFrames, 0) +
        mt_track(true, 2, SrsExVideoFourCCAV1, SrsExVideoPacketCodedFrames, "av1-frame") +
        mt_track(true, 1, SrsExVideoFourCCHEVC, SrsExVideoPacketCodedFrames, avcc_nalus({idr}));
    err = feed_video(&f, frames, 40);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdHEVC, f.video().codec);
    EXPECT_TRUE(f.video().has_idr);
    ASSERT_EQ(1u, f.video().samples.size());
    EXPECT_EQ(idr, std::string(f.video().samples[0].data, f.video().samples[0].size));

    // A message of the other track only: nothing described, the HEVC config stays.
    std::string only_av1 =
        SrsExTagWriter::video_multitrack(1, SrsAvMultitrackOneTrack, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1);
    SrsExTrackHeader h;
    h.track_id = 2;
    only_av1 += SrsExTagWriter::track_header(true, SrsAvMultitrackOneTrack, h) + "av1-frame";
    err = feed_video(&f, only_av1, 80);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdReserved, f.video().codec);
    EXPECT_TRUE(f.video().samples.empty());
    EXPECT_EQ(SrsVideoCodecIdHEVC, f.vcodec().id);

    // Audio the same way: Opus track 3 after an unknown track.
    SrsFormat a;
    std::string ash =
        SrsExTagWriter::audio_multitrack(SrsAvMultitrackManyTracksManyCodecs, SrsExAudioPacketSequenceStart, 0) +
        mt_track(false, 7, srs_fourcc('x', 'y', 'z', '1'), SrsExAudioPacketSequenceStart, "zz") +
        mt_track(false, 3, SrsExAudioFourCCOpus, SrsExAudioPacketSequenceStart, kDopsStereo) +
        mt_track(false, 4, SrsExAudioFourCCAAC, SrsExAudioPacketSequenceStart, kAsc);
    EXPECT_TRUE(SrsFlvTag::is_audio_sequence_header(ash.data(), (int)ash.size()));
    err = feed_audio(&a, ash);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsAudioCodecIdOpus, a.acodec().id);
    EXPECT_EQ(2, a.acodec().channels);
}

TEST(KernelCodecExTest, ExAudioCodecs) {
    // Opus from dOps and from OpusHead: always 48 kHz.
    SrsFormat f;
    std::string sh = ex_audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus, kDopsStereo);
    EXPECT_TRUE(SrsFlvTag::is_audio_sequence_header(sh.data(), (int)sh.size()));
    srs_error_t err = feed_audio(&f, sh);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_TRUE(f.audio().sequence_header);
    EXPECT_EQ(SrsAudioCodecIdOpus, f.acodec().id);
    EXPECT_EQ(48000, f.acodec().sample_rate);
    EXPECT_EQ(2, f.acodec().channels);
    EXPECT_STREQ("Opus", srs_audio_codec_id2str(f.acodec().id));
    err = feed_audio(&f, ex_audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus, kOpusHead51));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(6, f.acodec().channels);
    std::string pkt = ex_audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus, "opus-packet");
    EXPECT_FALSE(SrsFlvTag::is_audio_sequence_header(pkt.data(), (int)pkt.size()));
    err = feed_audio(&f, pkt, 20);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(f.audio().sequence_header);
    EXPECT_EQ(SrsAudioCodecIdOpus, f.audio().codec);
    ASSERT_EQ(1u, f.audio().samples.size());
    EXPECT_EQ("opus-packet", std::string(f.audio().samples[0].data, f.audio().samples[0].size));

    // mp4a: the same AAC configuration as the legacy tag.
    SrsFormat aac;
    err = feed_audio(&aac, ex_audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCAAC, kAsc));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsAudioCodecIdAAC, aac.acodec().id);
    EXPECT_EQ(44100, aac.acodec().sample_rate);
    EXPECT_EQ(2, aac.acodec().channels);
    EXPECT_EQ(SrsAacObjectTypeAacLC, aac.acodec().aac_object);

    // .mp3: configured from the first frame header (MPEG-1 layer 3, 44.1 kHz, stereo).
    SrsFormat mp3;
    std::string frame = bytes({0xff, 0xfb, 0x90, 0x00}) + std::string(100, '\0');
    err = feed_audio(&mp3, ex_audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCMP3, frame));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsAudioCodecIdMP3, mp3.acodec().id);
    EXPECT_EQ(44100, mp3.acodec().sample_rate);
    EXPECT_EQ(2, mp3.acodec().channels);
    ASSERT_EQ(1u, mp3.audio().samples.size());

    // ac-3, ec-3, fLaC are named.
    const uint32_t fourccs[] = {SrsExAudioFourCCAC3, SrsExAudioFourCCEAC3, SrsExAudioFourCCFLAC};
    const char* names[] = {"AC3", "EAC3", "FLAC"};
    for (int i = 0; i < 3; i++) {
        SrsFormat o;
        err = feed_audio(&o, ex_audio(SrsExAudioPacketSequenceStart, fourccs[i], "cfg"));
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_STREQ(names[i], srs_audio_codec_id2str(o.acodec().id));
    }
}

TEST(KernelCodecExTest, TsLeavesOutWhatItCannotCarry) {
    // AV1 video + mp4a audio: the TS has the AAC track only, and no error.
    SrsMemoryWriter w;
    SrsTsTransmuxer t(&w);
    std::string vsh = ex_video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCAV1, 0, kAv1c);
    std::string ash = ex_audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCAAC, kAsc);
    ASSERT_TRUE(t.write_video(0, vsh.data(), (int)vsh.size()) == srs_success);
    ASSERT_TRUE(t.write_audio(0, ash.data(), (int)ash.size()) == srs_success);
    for (int i = 0; i < 5; i++) {
        std::string v = ex_video(i == 0 ? 1 : 2, SrsExVideoPacketCodedFrames, SrsExVideoFourCCAV1, 0, "tu");
        srs_error_t err = t.write_video(i * 40, v.data(), (int)v.size());
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        std::string a = ex_audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCAAC, std::string(100, (char)i));
        err = t.write_audio(i * 40 + 10, a.data(), (int)a.size());
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    }
    EXPECT_EQ(SrsTsStreamReserved, t.muxer().video_stream());
    EXPECT_EQ(SrsTsStreamAudioAAC, t.muxer().audio_stream());
    EXPECT_GT(w.bytes().size(), 5u * 188);

    // HEVC video + Opus audio: HEVC is carried (stream type 0x24), Opus left out.
    SrsMemoryWriter w2;
    SrsTsTransmuxer t2(&w2);
    std::string hsh = ex_video(1, SrsExVideoPacketSequenceStart, SrsExVideoFourCCHEVC, 0,
                               make_hvcc(hevc_vps(), hevc_sps(), hevc_pps()));
    std::string osh = ex_audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus, kDopsStereo);
    ASSERT_TRUE(t2.write_video(0, hsh.data(), (int)hsh.size()) == srs_success);
    ASSERT_TRUE(t2.write_audio(0, osh.data(), (int)osh.size()) == srs_success);
    std::string idr = std::string("\x26\x01\xaf\x00", 4);
    for (int i = 0; i < 3; i++) {
        std::string v =
            ex_video(i == 0 ? 1 : 2, SrsExVideoPacketCodedFrames, SrsExVideoFourCCHEVC, 40, avcc_nalus({idr}));
        srs_error_t err = t2.write_video(i * 40, v.data(), (int)v.size());
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        std::string a = ex_audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus, "opus");
        err = t2.write_audio(i * 40 + 10, a.data(), (int)a.size());
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    }
    EXPECT_EQ(SrsTsStreamVideoHEVC, t2.muxer().video_stream());
    EXPECT_EQ(0x24, (int)t2.muxer().video_stream());
    EXPECT_EQ(SrsTsStreamReserved, t2.muxer().audio_stream());
    EXPECT_GT(w2.bytes().size(), 3u * 188);
}
