// Enhanced RTMP tag headers (enhanced-rtmp v1/v2): the parser on hand-laid bytes that follow the
// spec's pseudocode field by field, the legacy headers, the writer and writer -> parser round trips.
#include <gtest/gtest.h>
#include <srs_utest_kernel_records.hpp>

#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_flv_ex.hpp>

#include <string>
#include <vector>

using namespace srs_utest;

namespace {
// Records of srs_utest_kernel_records.hpp, as a SequenceStart carries them.
const std::string& kHvcc = kHvccMain;
const std::string& kAv1c = kAv1cSvt;
const std::string& kDops = kDopsStereo;

std::string fourcc(const char* s) {
    return std::string(s, 4);
}

std::string span(const SrsSample& s) {
    return std::string(s.data, s.size);
}

// A length-prefixed HEVC slice, as coded frames.
const std::string kFrame = bytes({0x00, 0x00, 0x00, 0x04, 0x26, 0x01, 0xaf, 0x09});

// Every prefix of a tag either fails or yields tracks whose payloads lie inside the prefix.
template <typename Tag, typename Parse>
void expect_prefixes_in_bounds(const std::string& tag_bytes, Parse parse) {
    for (size_t n = 0; n <= tag_bytes.size(); n++) {
        std::vector<char> copy(tag_bytes.begin(), tag_bytes.begin() + n);
        Tag tag;
        srs_error_t err = parse(copy.data(), (int)n, &tag);
        if (err != srs_success) {
            EXPECT_TRUE(tag.tracks.empty()) << n;
            srs_error_reset(err);
            continue;
        }
        for (const auto& t : tag.tracks) {
            EXPECT_GE(t.payload.size, 0) << n;
            if (t.payload.size > 0) {
                EXPECT_GE(t.payload.data, copy.data()) << n;
                EXPECT_LE(t.payload.data + t.payload.size, copy.data() + n) << n;
            }
        }
    }
}

}  // namespace

TEST(KernelFlvExTest, FourCCNames) {
    EXPECT_EQ("hvc1", srs_fourcc2str(SrsExVideoFourCCHEVC));
    EXPECT_EQ(".mp3", srs_fourcc2str(SrsExAudioFourCCMP3));
    EXPECT_EQ("0x00017f41", srs_fourcc2str(0x00017f41));
    EXPECT_EQ(SrsVideoCodecIdHEVC, srs_video_fourcc2codec(SrsExVideoFourCCHEVC));
    EXPECT_EQ(SrsVideoCodecIdAV1, srs_video_fourcc2codec(SrsExVideoFourCCAV1));
    EXPECT_EQ(SrsVideoCodecIdVP9, srs_video_fourcc2codec(SrsExVideoFourCCVP9));
    EXPECT_EQ(SrsVideoCodecIdAVC, srs_video_fourcc2codec(SrsExVideoFourCCAVC));
    EXPECT_EQ(SrsVideoCodecIdReserved, srs_video_fourcc2codec(SrsExVideoFourCCVP8));
    EXPECT_TRUE(srs_video_fourcc_known(SrsExVideoFourCCVP8));
    EXPECT_TRUE(srs_video_fourcc_known(SrsExVideoFourCCVVC));
    EXPECT_FALSE(srs_video_fourcc_known(srs_fourcc('x', 'y', 'z', '1')));
    EXPECT_EQ(SrsAudioCodecIdOpus, srs_audio_fourcc2codec(SrsExAudioFourCCOpus));
    EXPECT_EQ(SrsAudioCodecIdAAC, srs_audio_fourcc2codec(SrsExAudioFourCCAAC));
    EXPECT_EQ(SrsAudioCodecIdFLAC, srs_audio_fourcc2codec(SrsExAudioFourCCFLAC));
    EXPECT_EQ(SrsAudioCodecIdReserved, srs_audio_fourcc2codec(srs_fourcc('x', 'y', 'z', '1')));
    EXPECT_TRUE(srs_audio_fourcc_known(SrsExAudioFourCCAC3));
    EXPECT_TRUE(srs_audio_fourcc_known(SrsExAudioFourCCEAC3));
    EXPECT_FALSE(srs_audio_fourcc_known(SrsExVideoFourCCHEVC));
}

TEST(KernelFlvExTest, LegacyAvcAndHevc) {
    SrsExVideoTag tag;
    // Keyframe AVC sequence header: 0x17 00 000000 avcC...
    std::string seq = bytes({0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64});
    ASSERT_TRUE(srs_flv_parse_video_tag(seq.data(), (int)seq.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.enhanced);
    EXPECT_TRUE(tag.keyframe());
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ((uint32_t)SrsExVideoFourCCAVC, tag.tracks[0].fourcc);
    EXPECT_EQ(SrsExVideoPacketSequenceStart, tag.tracks[0].packet_type);
    EXPECT_EQ(bytes({0x01, 0x64}), span(tag.tracks[0].payload));
    EXPECT_FALSE(tag.tracks[0].unknown);

    // Inter frame, legacy HEVC (codec id 12), CompositionTime -40 ms.
    std::string frame = bytes({0x2c, 0x01, 0xff, 0xff, 0xd8}) + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(frame.data(), (int)frame.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.keyframe());
    EXPECT_EQ(2, tag.frame_type);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ((uint32_t)SrsExVideoFourCCHEVC, tag.tracks[0].fourcc);
    EXPECT_EQ(SrsExVideoPacketCodedFrames, tag.tracks[0].packet_type);
    EXPECT_EQ(-40, tag.tracks[0].cts);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));
    // The payload points into the tag (no copy).
    EXPECT_EQ(frame.data() + 5, tag.tracks[0].payload.data);

    // Sequence end.
    std::string end = bytes({0x1c, 0x02, 0x00, 0x00, 0x00});
    ASSERT_TRUE(srs_flv_parse_video_tag(end.data(), (int)end.size(), &tag) == srs_success);
    EXPECT_EQ(SrsExVideoPacketSequenceEnd, tag.tracks[0].packet_type);
    EXPECT_EQ(0, tag.tracks[0].payload.size);

    // An AVCPacketType past 2 is reported, not fatal.
    std::string odd = bytes({0x17, 0x09, 0x00, 0x00, 0x00, 0xaa});
    ASSERT_TRUE(srs_flv_parse_video_tag(odd.data(), (int)odd.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.tracks[0].unknown);

    // Too short for the AVC header.
    std::string short_avc = bytes({0x17, 0x01, 0x00});
    srs_error_t err = srs_flv_parse_video_tag(short_avc.data(), (int)short_avc.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    EXPECT_TRUE(tag.tracks.empty());
    err = srs_flv_parse_video_tag(nullptr, 0, &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
}

TEST(KernelFlvExTest, LegacyOtherCodecsAndCommand) {
    SrsExVideoTag tag;
    // Sorenson H.263 (2): an FLV codec, not parsed, not unknown.
    std::string h263 = bytes({0x22, 0x00, 0x00, 0x84});
    ASSERT_TRUE(srs_flv_parse_video_tag(h263.data(), (int)h263.size(), &tag) == srs_success);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ(0u, tag.tracks[0].fourcc);
    EXPECT_FALSE(tag.tracks[0].unknown);
    EXPECT_EQ(3, tag.tracks[0].payload.size);
    // Codec id 13 (a private AV1 mapping) and 15 are not FLV codecs.
    std::string av1 = bytes({0x1d, 0x00, 0x01});
    ASSERT_TRUE(srs_flv_parse_video_tag(av1.data(), (int)av1.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.tracks[0].unknown);
    // Video info/command frame: no track.
    std::string cmd = bytes({0x57, 0x01});
    ASSERT_TRUE(srs_flv_parse_video_tag(cmd.data(), (int)cmd.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.is_command);
    EXPECT_EQ(1, tag.command);
    EXPECT_TRUE(tag.tracks.empty());
}

TEST(KernelFlvExTest, EnhancedSequenceStartAndFrames) {
    SrsExVideoTag tag;
    // IsExHeader | KeyFrame | SequenceStart, 'hvc1', hvcC.
    std::string seq = bytes({0x90}) + fourcc("hvc1") + kHvcc;
    ASSERT_TRUE(srs_flv_parse_video_tag(seq.data(), (int)seq.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.enhanced);
    EXPECT_TRUE(tag.keyframe());
    EXPECT_FALSE(tag.multitrack);
    ASSERT_EQ(1u, tag.tracks.size());
    const SrsExVideoTrack& t = tag.tracks[0];
    EXPECT_EQ((uint32_t)SrsExVideoFourCCHEVC, t.fourcc);
    EXPECT_EQ(SrsExVideoPacketSequenceStart, t.packet_type);
    EXPECT_FALSE(t.unknown);
    EXPECT_EQ(kHvcc, span(t.payload));
    SrsHevcConfigRecord rec;
    ASSERT_TRUE(srs_hevc_parse_config_record(t.payload.data, t.payload.size, &rec) == srs_success);
    EXPECT_EQ(426, rec.width);

    // CodedFrames of hvc1 carry SI24 cts: -1 (0xffffff) and +8388607 (0x7fffff).
    std::string frames = bytes({0x91}) + fourcc("hvc1") + bytes({0xff, 0xff, 0xff}) + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_EQ(-1, tag.tracks[0].cts);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));
    frames = bytes({0xa1}) + fourcc("avc1") + bytes({0x7f, 0xff, 0xff}) + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_EQ(8388607, tag.tracks[0].cts);
    EXPECT_EQ(2, tag.frame_type);

    // CodedFramesX: no cts on the wire.
    frames = bytes({0xa3}) + fourcc("hvc1") + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_EQ(SrsExVideoPacketCodedFramesX, tag.tracks[0].packet_type);
    EXPECT_EQ(0, tag.tracks[0].cts);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));

    // av01 and vp09 CodedFrames have no cts either.
    std::string obu = bytes({0x12, 0x00, 0x32, 0x01, 0x10});
    frames = bytes({0x91}) + fourcc("av01") + obu;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_EQ((uint32_t)SrsExVideoFourCCAV1, tag.tracks[0].fourcc);
    EXPECT_EQ(obu, span(tag.tracks[0].payload));
    frames = bytes({0xa1}) + fourcc("vp09") + obu;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_EQ(obu, span(tag.tracks[0].payload));

    // av01 SequenceStart with an av1C; SequenceEnd; Metadata; MPEG2TSSequenceStart.
    seq = bytes({0x90}) + fourcc("av01") + kAv1c;
    ASSERT_TRUE(srs_flv_parse_video_tag(seq.data(), (int)seq.size(), &tag) == srs_success);
    SrsAv1ConfigRecord av1;
    ASSERT_TRUE(srs_av1_parse_config_record(tag.tracks[0].payload.data, tag.tracks[0].payload.size, &av1) ==
                srs_success);
    EXPECT_EQ(180, av1.height);
    for (uint8_t type : {SrsExVideoPacketSequenceEnd, SrsExVideoPacketMetadata, SrsExVideoPacketMPEG2TSSequenceStart}) {
        std::string s = bytes({(uint8_t)(0x90 | type)}) + fourcc("vp09") + "xy";
        ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success) << (int)type;
        EXPECT_EQ(type, tag.tracks[0].packet_type);
        EXPECT_FALSE(tag.tracks[0].unknown);
        EXPECT_EQ("xy", span(tag.tracks[0].payload));
    }

    // vp08 and vvc1 are recognised (vvc1 CodedFrames carry cts), not unknown.
    frames = bytes({0x91}) + fourcc("vvc1") + bytes({0x00, 0x00, 0x28}) + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.tracks[0].unknown);
    EXPECT_EQ(40, tag.tracks[0].cts);
    frames = bytes({0x91}) + fourcc("vp08") + obu;
    ASSERT_TRUE(srs_flv_parse_video_tag(frames.data(), (int)frames.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.tracks[0].unknown);
    EXPECT_EQ(obu, span(tag.tracks[0].payload));
}

TEST(KernelFlvExTest, EnhancedUnknownConsumedWhole) {
    SrsExVideoTag tag;
    // An unknown FourCC: the whole rest is the track's payload, uninterpreted (no cts taken).
    std::string s = bytes({0x91}) + fourcc("xyz1") + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_TRUE(tag.tracks[0].unknown);
    EXPECT_EQ(srs_fourcc('x', 'y', 'z', '1'), tag.tracks[0].fourcc);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));
    // Unknown packet types 8..15.
    for (uint8_t type = 8; type < 16; type++) {
        s = bytes({(uint8_t)(0x90 | type)}) + fourcc("hvc1") + kFrame;
        ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success) << (int)type;
        EXPECT_TRUE(tag.tracks[0].unknown);
        EXPECT_EQ(type, tag.tracks[0].packet_type);
        EXPECT_EQ(kFrame, span(tag.tracks[0].payload));
    }
    // An unknown AvMultitrackType: its layout is unknown, so the rest is one unknown track.
    s = bytes({0x96, 0x31}) + fourcc("hvc1") + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_TRUE(tag.tracks[0].unknown);
    EXPECT_EQ(4 + kFrame.size(), (size_t)tag.tracks[0].payload.size);
}

TEST(KernelFlvExTest, EnhancedCommandAndErrors) {
    SrsExVideoTag tag;
    // FrameType Command: a VideoCommand byte, no FourCC, no track.
    std::string cmd = bytes({0xd0, SrsExVideoCommandEndSeek});
    ASSERT_TRUE(srs_flv_parse_video_tag(cmd.data(), (int)cmd.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.is_command);
    EXPECT_EQ(SrsExVideoCommandEndSeek, tag.command);
    EXPECT_TRUE(tag.tracks.empty());
    srs_error_t err = srs_flv_parse_video_tag(cmd.data(), 1, &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    // Command with Metadata is metadata, not a command.
    std::string meta = bytes({0xd4}) + fourcc("hvc1") + "amf";
    ASSERT_TRUE(srs_flv_parse_video_tag(meta.data(), (int)meta.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.is_command);
    EXPECT_EQ(SrsExVideoPacketMetadata, tag.tracks[0].packet_type);

    // No FourCC / a CodedFrames too short for its cts.
    std::string s = bytes({0x91, 'h', 'v', 'c'});
    err = srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    s = bytes({0x91}) + fourcc("hvc1") + bytes({0x00, 0x00});
    err = srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    EXPECT_TRUE(tag.tracks.empty());
}

TEST(KernelFlvExTest, ModEx) {
    SrsExVideoTag tag;
    // ModEx: size-1 = 2, UI24 nano offset 123456, then TimestampOffsetNano | CodedFrames.
    std::string s = bytes({0x97, 0x02, 0x01, 0xe2, 0x40, 0x01}) + fourcc("hvc1") + bytes({0, 0, 0}) + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_EQ(123456u, tag.timestamp_nano_offset);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ(SrsExVideoPacketCodedFrames, tag.tracks[0].packet_type);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));

    // Two ModEx in a row, the first of an unknown type with a UI16 size (300 bytes), skipped.
    std::string big(300, 'm');
    s = bytes({0x97, 0xff, 0x01, 0x2b}) + big + bytes({0x57, 0x02, 0x00, 0x00, 0x09, 0x03}) + fourcc("av01") + "ob";
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_EQ(9u, tag.timestamp_nano_offset);
    EXPECT_EQ(SrsExVideoPacketCodedFramesX, tag.tracks[0].packet_type);
    EXPECT_EQ("ob", span(tag.tracks[0].payload));

    // A ModEx longer than the tag fails.
    s = bytes({0x97, 0x10, 0x00});
    srs_error_t err = srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    expect_prefixes_in_bounds<SrsExVideoTag>(
        bytes({0x97, 0xff, 0x01, 0x2b}) + big + bytes({0x57, 0x02, 0x00, 0x00, 0x09, 0x03}) + fourcc("av01") + "ob",
        srs_flv_parse_video_tag);
}

TEST(KernelFlvExTest, MultitrackVideo) {
    SrsExVideoTag tag;
    // OneTrack: [0x96][OneTrack | CodedFrames]['hvc1'][TrackId 1][cts][frames], no size.
    std::string s = bytes({0x96, 0x01}) + fourcc("hvc1") + bytes({0x01, 0x00, 0x00, 0x14}) + kFrame;
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.multitrack);
    EXPECT_EQ(SrsAvMultitrackOneTrack, tag.multitrack_type);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ(1, tag.tracks[0].track_id);
    EXPECT_EQ(20, tag.tracks[0].cts);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));

    // ManyTracks, same FourCC: [TrackId][UI24 size][body] per track.
    std::string t0 = bytes({0x00, 0x00, 0x28}) + kFrame;
    std::string t1 = bytes({0xff, 0xff, 0xd8}) + "abc";
    s = bytes({0x96, 0x11}) + fourcc("avc1") + bytes({0x00, 0x00, 0x00, (uint8_t)t0.size()}) + t0 +
        bytes({0x07, 0x00, 0x00, (uint8_t)t1.size()}) + t1;
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_EQ(SrsAvMultitrackManyTracks, tag.multitrack_type);
    ASSERT_EQ(2u, tag.tracks.size());
    EXPECT_EQ(SrsVideoFrameTypeKeyFrame, tag.tracks[0].frame_type);
    EXPECT_EQ(SrsVideoFrameTypeKeyFrame, tag.tracks[1].frame_type);
    EXPECT_EQ(0, tag.tracks[0].track_id);
    EXPECT_EQ(40, tag.tracks[0].cts);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));
    EXPECT_EQ(7, tag.tracks[1].track_id);
    EXPECT_EQ(-40, tag.tracks[1].cts);
    EXPECT_EQ("abc", span(tag.tracks[1].payload));
    EXPECT_EQ((uint32_t)SrsExVideoFourCCAVC, tag.tracks[1].fourcc);

    // ManyTracksManyCodecs: a FourCC per track; an unknown one in the middle is consumed by its
    // size and the next track goes on.
    std::string hevc = bytes({0x00, 0x00, 0x00}) + kFrame;
    s = bytes({0x96, 0x21}) + fourcc("hvc1") + bytes({0x00, 0x00, 0x00, (uint8_t)hevc.size()}) + hevc + fourcc("zzzz") +
        bytes({0x01, 0x00, 0x00, 0x05}) + "12345" + fourcc("av01") + bytes({0x02, 0x00, 0x00, 0x02}) + "ob";
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_EQ(SrsAvMultitrackManyTracksManyCodecs, tag.multitrack_type);
    ASSERT_EQ(3u, tag.tracks.size());
    EXPECT_EQ((uint32_t)SrsExVideoFourCCHEVC, tag.tracks[0].fourcc);
    EXPECT_EQ(kFrame, span(tag.tracks[0].payload));
    EXPECT_TRUE(tag.tracks[1].unknown);
    EXPECT_EQ("12345", span(tag.tracks[1].payload));
    EXPECT_FALSE(tag.tracks[2].unknown);
    EXPECT_EQ((uint32_t)SrsExVideoFourCCAV1, tag.tracks[2].fourcc);
    EXPECT_EQ(2, tag.tracks[2].track_id);
    EXPECT_EQ("ob", span(tag.tracks[2].payload));
    // Each track's raw bytes, its header included, lie back to back after the 2-byte head.
    EXPECT_EQ(s.data() + 2, tag.tracks[0].raw.data);
    EXPECT_EQ(fourcc("hvc1") + bytes({0x00, 0x00, 0x00, (uint8_t)hevc.size()}) + hevc, span(tag.tracks[0].raw));
    EXPECT_EQ(fourcc("zzzz") + bytes({0x01, 0x00, 0x00, 0x05}) + "12345", span(tag.tracks[1].raw));
    EXPECT_EQ(fourcc("av01") + bytes({0x02, 0x00, 0x00, 0x02}) + "ob", span(tag.tracks[2].raw));
    expect_prefixes_in_bounds<SrsExVideoTag>(s, srs_flv_parse_video_tag);

    // A track size past the end, a track too short for its cts, no track at all.
    std::string bad = bytes({0x96, 0x11}) + fourcc("avc1") + bytes({0x00, 0x00, 0x00, 0x40}) + kFrame;
    srs_error_t err = srs_flv_parse_video_tag(bad.data(), (int)bad.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    EXPECT_TRUE(tag.tracks.empty());
    bad = bytes({0x96, 0x11}) + fourcc("avc1") + bytes({0x00, 0x00, 0x00, 0x02, 0x00, 0x00});
    err = srs_flv_parse_video_tag(bad.data(), (int)bad.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    bad = bytes({0x96, 0x11}) + fourcc("avc1");
    err = srs_flv_parse_video_tag(bad.data(), (int)bad.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    // A Multitrack inside a Multitrack is a packet type this parser does not know: consumed whole.
    s = bytes({0x96, 0x06}) + fourcc("hvc1") + bytes({0x01}) + "xyz";
    ASSERT_TRUE(srs_flv_parse_video_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.tracks[0].unknown);
    EXPECT_EQ("xyz", span(tag.tracks[0].payload));
}

TEST(KernelFlvExTest, LegacyAudio) {
    SrsExAudioTag tag;
    // AAC, 44 kHz, 16-bit, stereo: sequence header then raw.
    std::string seq = bytes({0xaf, 0x00, 0x12, 0x10});
    ASSERT_TRUE(srs_flv_parse_audio_tag(seq.data(), (int)seq.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.enhanced);
    EXPECT_EQ(3, tag.sound_rate);
    EXPECT_EQ(1, tag.sound_size);
    EXPECT_EQ(1, tag.sound_type);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ((uint32_t)SrsExAudioFourCCAAC, tag.tracks[0].fourcc);
    EXPECT_EQ(SrsExAudioPacketSequenceStart, tag.tracks[0].packet_type);
    EXPECT_EQ(bytes({0x12, 0x10}), span(tag.tracks[0].payload));
    std::string raw = bytes({0xaf, 0x01, 0x21, 0x10});
    ASSERT_TRUE(srs_flv_parse_audio_tag(raw.data(), (int)raw.size(), &tag) == srs_success);
    EXPECT_EQ(SrsExAudioPacketCodedFrames, tag.tracks[0].packet_type);
    srs_error_t err = srs_flv_parse_audio_tag(raw.data(), 1, &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
    // MP3: no packet type byte.
    std::string mp3 = bytes({0x2f, 0xff, 0xfb});
    ASSERT_TRUE(srs_flv_parse_audio_tag(mp3.data(), (int)mp3.size(), &tag) == srs_success);
    EXPECT_EQ((uint32_t)SrsExAudioFourCCMP3, tag.tracks[0].fourcc);
    EXPECT_EQ(bytes({0xff, 0xfb}), span(tag.tracks[0].payload));
    // G.711 A-law: an FLV format, passed as is; 13 is no FLV format.
    std::string alaw = bytes({0x72, 0xd5});
    ASSERT_TRUE(srs_flv_parse_audio_tag(alaw.data(), (int)alaw.size(), &tag) == srs_success);
    EXPECT_FALSE(tag.tracks[0].unknown);
    EXPECT_EQ(7, tag.tracks[0].sound_format);
    std::string odd = bytes({0xd2, 0x00});
    ASSERT_TRUE(srs_flv_parse_audio_tag(odd.data(), (int)odd.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.tracks[0].unknown);
}

TEST(KernelFlvExTest, EnhancedAudio) {
    SrsExAudioTag tag;
    // SoundFormat 9 | SequenceStart, 'Opus', dOps.
    std::string seq = bytes({0x90}) + fourcc("Opus") + kDops;
    ASSERT_TRUE(srs_flv_parse_audio_tag(seq.data(), (int)seq.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.enhanced);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ((uint32_t)SrsExAudioFourCCOpus, tag.tracks[0].fourcc);
    EXPECT_EQ(SrsExAudioPacketSequenceStart, tag.tracks[0].packet_type);
    SrsOpusConfigRecord opus;
    ASSERT_TRUE(srs_opus_parse_config(tag.tracks[0].payload.data, tag.tracks[0].payload.size, &opus) == srs_success);
    EXPECT_EQ(2, opus.channels);

    for (const char* cc : {"Opus", "mp4a", ".mp3", "ac-3", "ec-3", "fLaC"}) {
        for (uint8_t type : {SrsExAudioPacketCodedFrames, SrsExAudioPacketSequenceEnd}) {
            std::string s = bytes({(uint8_t)(0x90 | type)}) + fourcc(cc) + "frame";
            ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success) << cc;
            EXPECT_FALSE(tag.tracks[0].unknown) << cc;
            EXPECT_EQ(type, tag.tracks[0].packet_type);
            EXPECT_EQ("frame", span(tag.tracks[0].payload));
        }
    }
    // Reserved packet types 3 and 6, unknown FourCC: consumed whole.
    for (uint8_t type : {3, 6, 8, 15}) {
        std::string s = bytes({(uint8_t)(0x90 | type)}) + fourcc("Opus") + "frame";
        ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success);
        EXPECT_TRUE(tag.tracks[0].unknown) << (int)type;
        EXPECT_EQ("frame", span(tag.tracks[0].payload));
    }
    std::string s = bytes({0x91}) + fourcc("abcd") + "frame";
    ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.tracks[0].unknown);
    // No FourCC.
    s = bytes({0x91, 'O', 'p'});
    srs_error_t err = srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));

    // ModEx nano offset then CodedFrames.
    s = bytes({0x97, 0x02, 0x00, 0x03, 0xe8, 0x01}) + fourcc("fLaC") + "fr";
    ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_EQ(1000u, tag.timestamp_nano_offset);
    EXPECT_EQ("fr", span(tag.tracks[0].payload));
    expect_prefixes_in_bounds<SrsExAudioTag>(s, srs_flv_parse_audio_tag);
}

TEST(KernelFlvExTest, MultichannelConfig) {
    SrsExAudioTag tag;
    // Native order: 6 channels, mask FL|FR|FC|LFE|BL|BR = 0x3f.
    std::string s = bytes({0x94}) + fourcc("Opus") + bytes({0x01, 0x06, 0x00, 0x00, 0x00, 0x3f});
    ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_EQ(SrsExAudioPacketMultichannelConfig, tag.tracks[0].packet_type);
    EXPECT_FALSE(tag.tracks[0].unknown);
    SrsExAudioChannelConfig cfg;
    ASSERT_TRUE(srs_flv_parse_audio_channel_config(tag.tracks[0].payload.data, tag.tracks[0].payload.size, &cfg) ==
                srs_success);
    EXPECT_EQ(1, cfg.order);
    EXPECT_EQ(6, cfg.channels);
    EXPECT_EQ(0x3fu, cfg.flags);
    // Custom order: one AudioChannel per channel.
    std::string custom = bytes({0x02, 0x03, 0x00, 0x01, 0x03});
    ASSERT_TRUE(srs_flv_parse_audio_channel_config(custom.data(), (int)custom.size(), &cfg) == srs_success);
    EXPECT_EQ((std::vector<uint8_t>{0, 1, 3}), cfg.mapping);
    // Unspecified order: only the count.
    std::string unspecified = bytes({0x00, 0x02});
    ASSERT_TRUE(srs_flv_parse_audio_channel_config(unspecified.data(), 2, &cfg) == srs_success);
    EXPECT_EQ(2, cfg.channels);
    EXPECT_TRUE(cfg.mapping.empty());
    for (int n = 0; n < (int)custom.size(); n++) {
        srs_error_t err = srs_flv_parse_audio_channel_config(custom.data(), n, &cfg);
        EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err)) << n;
    }
    std::string native = bytes({0x01, 0x06, 0x00, 0x00, 0x00, 0x3f});
    for (int n = 0; n < (int)native.size(); n++) {
        srs_error_t err = srs_flv_parse_audio_channel_config(native.data(), n, &cfg);
        EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err)) << n;
    }
}

TEST(KernelFlvExTest, MultitrackAudio) {
    SrsExAudioTag tag;
    // ManyTracksManyCodecs: an Opus track and an AAC track.
    std::string s = bytes({0x95, 0x21}) + fourcc("Opus") + bytes({0x00, 0x00, 0x00, 0x03}) + "opu" + fourcc("mp4a") +
                    bytes({0x01, 0x00, 0x00, 0x02}) + "aa";
    ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.multitrack);
    ASSERT_EQ(2u, tag.tracks.size());
    EXPECT_EQ((uint32_t)SrsExAudioFourCCOpus, tag.tracks[0].fourcc);
    EXPECT_EQ("opu", span(tag.tracks[0].payload));
    EXPECT_EQ(1, tag.tracks[1].track_id);
    EXPECT_EQ((uint32_t)SrsExAudioFourCCAAC, tag.tracks[1].fourcc);
    EXPECT_EQ("aa", span(tag.tracks[1].payload));
    expect_prefixes_in_bounds<SrsExAudioTag>(s, srs_flv_parse_audio_tag);
    // OneTrack.
    s = bytes({0x95, 0x00}) + fourcc("Opus") + bytes({0x04}) + kDops;
    ASSERT_TRUE(srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag) == srs_success);
    ASSERT_EQ(1u, tag.tracks.size());
    EXPECT_EQ(4, tag.tracks[0].track_id);
    EXPECT_EQ(SrsExAudioPacketSequenceStart, tag.tracks[0].packet_type);
    EXPECT_EQ(kDops, span(tag.tracks[0].payload));
    // Size past the end.
    s = bytes({0x95, 0x11}) + fourcc("Opus") + bytes({0x00, 0x00, 0x01, 0x00}) + "opu";
    srs_error_t err = srs_flv_parse_audio_tag(s.data(), (int)s.size(), &tag);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(err));
}

TEST(KernelFlvExTest, WriterVideoRoundTrip) {
    const uint32_t fourccs[] = {SrsExVideoFourCCAVC, SrsExVideoFourCCHEVC, SrsExVideoFourCCAV1,
                                SrsExVideoFourCCVP9, SrsExVideoFourCCVP8,  SrsExVideoFourCCVVC};
    const uint8_t types[] = {SrsExVideoPacketSequenceStart, SrsExVideoPacketCodedFrames,
                             SrsExVideoPacketSequenceEnd,   SrsExVideoPacketCodedFramesX,
                             SrsExVideoPacketMetadata,      SrsExVideoPacketMPEG2TSSequenceStart};
    const int32_t ctss[] = {0, 40, -40, 8388607, -8388608};
    int checked = 0;
    for (uint32_t cc : fourccs) {
        for (uint8_t type : types) {
            for (uint8_t frame_type : {SrsVideoFrameTypeKeyFrame, SrsVideoFrameTypeInterFrame}) {
                for (int32_t cts : ctss) {
                    for (uint32_t nano : {0u, 1u, 999999u}) {
                        std::string tag_bytes = SrsExTagWriter::video(frame_type, type, cc, cts, nano) + kFrame;
                        SrsExVideoTag tag;
                        srs_error_t err = srs_flv_parse_video_tag(tag_bytes.data(), (int)tag_bytes.size(), &tag);
                        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
                        EXPECT_TRUE(tag.enhanced);
                        EXPECT_EQ(frame_type, tag.frame_type);
                        EXPECT_EQ(nano, tag.timestamp_nano_offset);
                        ASSERT_EQ(1u, tag.tracks.size());
                        const SrsExVideoTrack& t = tag.tracks[0];
                        EXPECT_EQ(cc, t.fourcc);
                        EXPECT_EQ(type, t.packet_type);
                        EXPECT_EQ(frame_type, t.frame_type);
                        EXPECT_FALSE(t.unknown);
                        bool has_cts =
                            type == SrsExVideoPacketCodedFrames &&
                            (cc == SrsExVideoFourCCAVC || cc == SrsExVideoFourCCHEVC || cc == SrsExVideoFourCCVVC);
                        EXPECT_EQ(has_cts ? cts : 0, t.cts);
                        EXPECT_EQ(kFrame, span(t.payload));
                        checked++;
                    }
                }
            }
        }
    }
    EXPECT_EQ(6 * 6 * 2 * 5 * 3, checked);

    // The header of a plain hvc1 CodedFrames is the 8 bytes of the spec's layout.
    EXPECT_EQ(bytes({0x91, 'h', 'v', 'c', '1', 0xff, 0xff, 0xd8}),
              SrsExTagWriter::video(SrsVideoFrameTypeKeyFrame, SrsExVideoPacketCodedFrames, SrsExVideoFourCCHEVC, -40));
    EXPECT_EQ(bytes({0xa3, 'a', 'v', '0', '1'}),
              SrsExTagWriter::video(SrsVideoFrameTypeInterFrame, SrsExVideoPacketCodedFramesX, SrsExVideoFourCCAV1, 0));

    std::string cmd = SrsExTagWriter::video_command(SrsExVideoCommandStartSeek);
    SrsExVideoTag tag;
    ASSERT_TRUE(srs_flv_parse_video_tag(cmd.data(), (int)cmd.size(), &tag) == srs_success);
    EXPECT_TRUE(tag.is_command);
    EXPECT_EQ(SrsExVideoCommandStartSeek, tag.command);
}

TEST(KernelFlvExTest, WriterAudioRoundTrip) {
    const uint32_t fourccs[] = {SrsExAudioFourCCOpus, SrsExAudioFourCCAAC,  SrsExAudioFourCCMP3,
                                SrsExAudioFourCCAC3,  SrsExAudioFourCCEAC3, SrsExAudioFourCCFLAC};
    const uint8_t types[] = {SrsExAudioPacketSequenceStart, SrsExAudioPacketCodedFrames, SrsExAudioPacketSequenceEnd,
                             SrsExAudioPacketMultichannelConfig};
    for (uint32_t cc : fourccs) {
        for (uint8_t type : types) {
            for (uint32_t nano : {0u, 500000u}) {
                std::string tag_bytes = SrsExTagWriter::audio(type, cc, nano) + kDops;
                SrsExAudioTag tag;
                srs_error_t err = srs_flv_parse_audio_tag(tag_bytes.data(), (int)tag_bytes.size(), &tag);
                ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
                EXPECT_TRUE(tag.enhanced);
                EXPECT_EQ(nano, tag.timestamp_nano_offset);
                ASSERT_EQ(1u, tag.tracks.size());
                EXPECT_EQ(cc, tag.tracks[0].fourcc);
                EXPECT_EQ(type, tag.tracks[0].packet_type);
                EXPECT_FALSE(tag.tracks[0].unknown);
                EXPECT_EQ(kDops, span(tag.tracks[0].payload));
            }
        }
    }
    EXPECT_EQ(bytes({0x90, 'O', 'p', 'u', 's'}),
              SrsExTagWriter::audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus));
}

TEST(KernelFlvExTest, WriterMultitrackRoundTrip) {
    struct In {
        uint8_t id;
        uint32_t fourcc;
        int32_t cts;
        std::string payload;
    };
    const std::vector<In> ins = {{0, SrsExVideoFourCCHEVC, -20, kFrame},
                                 {1, SrsExVideoFourCCAV1, 0, "obu"},
                                 {2, SrsExVideoFourCCAVC, 80, std::string(300, 'x')}};
    for (SrsAvMultitrackType type :
         {SrsAvMultitrackOneTrack, SrsAvMultitrackManyTracks, SrsAvMultitrackManyTracksManyCodecs}) {
        // OneTrack has one track; ManyTracks shares the first FourCC.
        size_t count = type == SrsAvMultitrackOneTrack ? 1 : ins.size();
        std::string tag_bytes = SrsExTagWriter::video_multitrack(SrsVideoFrameTypeKeyFrame, type,
                                                                 SrsExVideoPacketCodedFrames, ins[0].fourcc);
        for (size_t i = 0; i < count; i++) {
            SrsExTrackHeader h;
            h.track_id = ins[i].id;
            h.fourcc = type == SrsAvMultitrackManyTracks ? ins[0].fourcc : ins[i].fourcc;
            h.packet_type = SrsExVideoPacketCodedFrames;
            h.cts = ins[i].cts;
            h.payload_size = (int)ins[i].payload.size();
            tag_bytes += SrsExTagWriter::track_header(true, type, h) + ins[i].payload;
        }
        SrsExVideoTag tag;
        srs_error_t err = srs_flv_parse_video_tag(tag_bytes.data(), (int)tag_bytes.size(), &tag);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_TRUE(tag.multitrack);
        EXPECT_EQ(type, tag.multitrack_type);
        ASSERT_EQ(count, tag.tracks.size());
        for (size_t i = 0; i < count; i++) {
            const SrsExVideoTrack& t = tag.tracks[i];
            uint32_t cc = type == SrsAvMultitrackManyTracks ? ins[0].fourcc : ins[i].fourcc;
            EXPECT_EQ(ins[i].id, t.track_id);
            EXPECT_EQ(cc, t.fourcc);
            EXPECT_EQ(cc == SrsExVideoFourCCAV1 ? 0 : ins[i].cts, t.cts) << i;
            EXPECT_EQ(ins[i].payload, span(t.payload)) << i;
        }
    }

    // Audio, ManyTracks of Opus.
    std::string tag_bytes =
        SrsExTagWriter::audio_multitrack(SrsAvMultitrackManyTracks, SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus);
    for (uint8_t id = 0; id < 3; id++) {
        SrsExTrackHeader h;
        h.track_id = id;
        h.fourcc = SrsExAudioFourCCOpus;
        h.packet_type = SrsExAudioPacketCodedFrames;
        h.payload_size = id + 1;
        tag_bytes += SrsExTagWriter::track_header(false, SrsAvMultitrackManyTracks, h) + std::string(id + 1, 'a' + id);
    }
    SrsExAudioTag tag;
    srs_error_t err = srs_flv_parse_audio_tag(tag_bytes.data(), (int)tag_bytes.size(), &tag);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(3u, tag.tracks.size());
    EXPECT_EQ("ccc", span(tag.tracks[2].payload));
    EXPECT_EQ(2, tag.tracks[2].track_id);
}

TEST(KernelFlvExTest, GarbageNeverOverReads) {
    // A fixed-seed walk over random tags: every parse either fails or gives in-bounds payloads
    // (the sanitizer build checks the reads themselves).
    uint32_t seed = 12345;
    auto next = [&seed]() {
        seed = seed * 1103515245u + 12345u;
        return (uint8_t)(seed >> 16);
    };
    for (int i = 0; i < 2000; i++) {
        std::string s;
        int n = next() % 48;
        for (int j = 0; j < n; j++) {
            s.push_back((char)next());
        }
        // Bias half of them to enhanced headers.
        if (!s.empty() && (i & 1)) {
            s[0] = (char)(s[0] | 0x80);
        }
        expect_prefixes_in_bounds<SrsExVideoTag>(s, srs_flv_parse_video_tag);
        if (!s.empty() && (i & 1)) {
            s[0] = (char)(0x90 | (s[0] & 0x0f));
        }
        expect_prefixes_in_bounds<SrsExAudioTag>(s, srs_flv_parse_audio_tag);
    }
}
