// The configuration records of the enhanced RTMP codecs. The bytes are box payloads of MP4
// files FFmpeg 5.1 wrote when the tests were written:
//   ffmpeg -f lavfi -i testsrc2=size=426x240 -c:v libx265 -x265-params info=0 hevc.mp4
//   ffmpeg -f lavfi -i testsrc2=size=320x240 -c:v libx265 -pix_fmt yuv420p10le ... hevc10.mp4
//   ffmpeg -f lavfi -i testsrc2=size=320x180 -c:v libsvtav1 av1.mp4
//   ffmpeg -f lavfi -i testsrc2=size=640x360 -c:v libaom-av1 -pix_fmt yuv420p10le aom10.mp4
//   ffmpeg -f lavfi -i testsrc2=size=320x180 -c:v libvpx-vp9 [-pix_fmt yuv444p] vp9.mp4
//   ffmpeg -f lavfi -i sine -ac 2|1 / pan=5.1 -c:a libopus opus.mp4 (and .ogg for OpusHead)
// and the expected values are what ffprobe said about those files.
#include <gtest/gtest.h>
#include <srs_utest_kernel_records.hpp>

#include <srs_kernel_codec_config.hpp>

#include <string>
#include <vector>

using namespace srs_utest;

TEST(KernelCodecConfigTest, HvccMainOfLibx265) {
    SrsHevcConfigRecord rec;
    srs_error_t err = srs_hevc_parse_config_record(kHvccMain.data(), (int)kHvccMain.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, rec.profile_space);
    EXPECT_EQ(0, rec.tier_flag);
    EXPECT_EQ(1, rec.profile_idc);
    EXPECT_STREQ("Main", srs_hevc_profile2str(rec.profile_idc));
    // ffprobe: level=60, that is 2.0.
    EXPECT_EQ(60, rec.level_idc);
    EXPECT_EQ("2", srs_hevc_level2str(rec.level_idc));
    EXPECT_EQ(0x60000000u, rec.profile_compatibility_flags);
    EXPECT_EQ(1, rec.chroma_format_idc);
    EXPECT_EQ(8, rec.bit_depth_luma);
    EXPECT_EQ(8, rec.bit_depth_chroma);
    EXPECT_EQ(4, rec.nalu_length_size);
    ASSERT_EQ(3u, rec.arrays.size());
    EXPECT_EQ(SrsHevcNaluTypeVPS, rec.arrays[0].nal_type);
    EXPECT_EQ(SrsHevcNaluTypeSPS, rec.arrays[1].nal_type);
    EXPECT_EQ(SrsHevcNaluTypePPS, rec.arrays[2].nal_type);
    // FFmpeg writes array_completeness 0 in hvc1 records.
    EXPECT_FALSE(rec.arrays[0].complete);
    EXPECT_EQ(24, rec.first(SrsHevcNaluTypeVPS).size);
    EXPECT_EQ(43, rec.first(SrsHevcNaluTypeSPS).size);
    EXPECT_EQ(7, rec.first(SrsHevcNaluTypePPS).size);
    // The NALUs point into the record.
    EXPECT_EQ(kHvccMain.data() + 23 + 3 + 2, rec.first(SrsHevcNaluTypeVPS).data);
    EXPECT_EQ(0, rec.first(39).size);
    // 432 coded columns cropped to 426.
    EXPECT_EQ(426, rec.width);
    EXPECT_EQ(240, rec.height);
}

TEST(KernelCodecConfigTest, HvccMain10OfLibx265) {
    SrsHevcConfigRecord rec;
    srs_error_t err = srs_hevc_parse_config_record(kHvccMain10.data(), (int)kHvccMain10.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(2, rec.profile_idc);
    EXPECT_STREQ("Main10", srs_hevc_profile2str(rec.profile_idc));
    EXPECT_EQ(60, rec.level_idc);
    EXPECT_EQ(10, rec.bit_depth_luma);
    EXPECT_EQ(10, rec.bit_depth_chroma);
    EXPECT_EQ(320, rec.width);
    EXPECT_EQ(240, rec.height);
}

TEST(KernelCodecConfigTest, HvccErrors) {
    SrsHevcConfigRecord rec;
    // Every truncation fails cleanly: the arrays announce more than is left.
    for (size_t n = 0; n < kHvccMain.size(); n++) {
        srs_error_t err = srs_hevc_parse_config_record(kHvccMain.data(), (int)n, &rec);
        EXPECT_EQ(ERROR_KERNEL_HEVC_DECODE, srs_error_code(err)) << n;
    }
    srs_error_t err = srs_hevc_parse_config_record(nullptr, 0, &rec);
    EXPECT_EQ(ERROR_KERNEL_HEVC_DECODE, srs_error_code(err));

    std::string bad = kHvccMain;
    bad[0] = 0;  // configurationVersion
    err = srs_hevc_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_HEVC_DECODE, srs_error_code(err));
    bad = kHvccMain;
    bad[21] = (char)0xfe;  // lengthSizeMinusOne 2 is reserved
    err = srs_hevc_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_HEVC_DECODE, srs_error_code(err));

    // A record whose SPS is garbage still parses, without a size.
    bad = kHvccMain;
    for (int i = 0; i < 20; i++) {
        bad[23 + 3 + 2 + 24 + 3 + 2 + 2 + i] = (char)0xff;
    }
    err = srs_hevc_parse_config_record(bad.data(), (int)bad.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, rec.width);
    EXPECT_EQ(3u, rec.arrays.size());
}

TEST(KernelCodecConfigTest, Av1cOfSvtAv1) {
    SrsAv1ConfigRecord rec;
    srs_error_t err = srs_av1_parse_config_record(kAv1cSvt.data(), (int)kAv1cSvt.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, rec.seq_profile);
    EXPECT_EQ(0, rec.seq_level_idx);
    EXPECT_EQ(0, rec.seq_tier);
    EXPECT_EQ(8, rec.bit_depth);
    EXPECT_FALSE(rec.monochrome);
    EXPECT_EQ(1, rec.chroma_subsampling_x);
    EXPECT_EQ(1, rec.chroma_subsampling_y);
    EXPECT_EQ(0, rec.initial_presentation_delay);
    EXPECT_EQ(13, rec.config_obus.size);
    EXPECT_EQ(kAv1cSvt.data() + 4, rec.config_obus.data);
    ASSERT_TRUE(rec.has_sequence_header);
    EXPECT_EQ(320, rec.width);
    EXPECT_EQ(180, rec.height);
}

TEST(KernelCodecConfigTest, Av1cOfLibaom10Bit) {
    SrsAv1ConfigRecord rec;
    srs_error_t err = srs_av1_parse_config_record(kAv1cAom10.data(), (int)kAv1cAom10.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, rec.seq_profile);
    // ffprobe: level=1 (2.1); the sequence header says the same as the record.
    EXPECT_EQ(1, rec.seq_level_idx);
    EXPECT_EQ(10, rec.bit_depth);
    ASSERT_TRUE(rec.has_sequence_header);
    EXPECT_EQ(640, rec.width);
    EXPECT_EQ(360, rec.height);
}

TEST(KernelCodecConfigTest, Av1cWithoutObusAndErrors) {
    SrsAv1ConfigRecord rec;
    // configOBUs may be empty: the record alone is valid, the size unknown.
    srs_error_t err = srs_av1_parse_config_record(kAv1cSvt.data(), 4, &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(rec.has_sequence_header);
    EXPECT_EQ(0, rec.width);

    // A truncated OBU (its leb128 size says more than is left) fails.
    for (size_t n = 0; n < kAv1cSvt.size(); n++) {
        if (n == 4) {
            continue;
        }
        err = srs_av1_parse_config_record(kAv1cSvt.data(), (int)n, &rec);
        EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err)) << n;
    }
    std::string bad = kAv1cSvt;
    bad[0] = 0x01;  // marker bit clear
    err = srs_av1_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kAv1cSvt;
    bad[4] = (char)0x8a;  // obu_forbidden_bit
    err = srs_av1_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    // A leb128 that never ends.
    bad = kAv1cSvt.substr(0, 5) + std::string(9, (char)0xff);
    err = srs_av1_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    // A metadata OBU (type 5) before the sequence header is skipped.
    std::string obus = bytes({0x2a, 0x02, 0x01, 0x02}) + kAv1cSvt.substr(4);
    std::string with_meta = kAv1cSvt.substr(0, 4) + obus;
    err = srs_av1_parse_config_record(with_meta.data(), (int)with_meta.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(320, rec.width);
}

TEST(KernelCodecConfigTest, Av1SequenceHeaderReducedAndTimingInfo) {
    SrsAv1ConfigRecord rec;
    // reduced_still_picture_header: profile 1, still, reduced, level 9 (3.1), then 4+4 bits of
    // frame size bits (15, 15) and 16+16 bits of size: 1920x1080.
    // 001 1 1 01001 1111 1111 [0000011101111111] [0000010000110111]
    std::string sh = bytes({0x3a, 0x7f, 0xc1, 0xdf, 0xc1, 0x0d, 0xc0});
    srs_error_t err = srs_av1_parse_sequence_header(sh.data(), (int)sh.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(1, rec.seq_profile);
    EXPECT_EQ(9, rec.seq_level_idx);
    EXPECT_EQ(1920, rec.width);
    EXPECT_EQ(1080, rec.height);
    for (size_t n = 0; n < sh.size(); n++) {
        err = srs_av1_parse_sequence_header(sh.data(), (int)n, &rec);
        EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err)) << n;
    }
    // timing_info with equal_picture_interval, then a uvlc of zeros to the end: it runs out
    // instead of reading on.
    std::string timing = bytes({0x04}) + std::string(7, 0) + bytes({0x02}) + std::string(16, 0);
    err = srs_av1_parse_sequence_header(timing.data(), (int)timing.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
}

TEST(KernelCodecConfigTest, VpccOfLibvpx) {
    SrsVpxConfigRecord rec;
    srs_error_t err = srs_vpx_parse_config_record(kVpccProfile0.data(), (int)kVpccProfile0.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(1, rec.version);
    EXPECT_EQ(0, rec.profile);
    EXPECT_EQ(11, rec.level);
    EXPECT_EQ(8, rec.bit_depth);
    EXPECT_EQ(1, rec.chroma_subsampling);
    EXPECT_FALSE(rec.full_range);
    EXPECT_EQ(2, rec.colour_primaries);
    EXPECT_EQ(2, rec.transfer_characteristics);
    EXPECT_EQ(2, rec.matrix_coefficients);
    EXPECT_EQ(0, rec.codec_init_data.size);

    err = srs_vpx_parse_config_record(kVpccProfile1.data(), (int)kVpccProfile1.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(1, rec.profile);
    EXPECT_EQ(3, rec.chroma_subsampling);

    // Version 0 (the draft layout): bitDepth|colorSpace, chroma|transfer|range, init size.
    std::string v0 = bytes({0x00, 0x00, 0x00, 0x00, 0x02, 0x14, 0xa0, 0x21, 0x00, 0x00});
    err = srs_vpx_parse_config_record(v0.data(), (int)v0.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, rec.version);
    EXPECT_EQ(2, rec.profile);
    EXPECT_EQ(10, rec.bit_depth);
    EXPECT_EQ(2, rec.chroma_subsampling);
    EXPECT_TRUE(rec.full_range);
}

TEST(KernelCodecConfigTest, VpccErrors) {
    SrsVpxConfigRecord rec;
    for (size_t n = 0; n < kVpccProfile0.size(); n++) {
        srs_error_t err = srs_vpx_parse_config_record(kVpccProfile0.data(), (int)n, &rec);
        EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err)) << n;
    }
    std::string bad = kVpccProfile0;
    bad[0] = 2;
    srs_error_t err = srs_vpx_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kVpccProfile0;
    bad[11] = 5;  // init data of 5 bytes that are not there
    err = srs_vpx_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kVpccProfile0;
    bad[6] = (char)0x32;  // bitDepth 3
    err = srs_vpx_parse_config_record(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
}

TEST(KernelCodecConfigTest, DopsOfLibopus) {
    SrsOpusConfigRecord rec;
    srs_error_t err = srs_opus_parse_dops(kDopsStereo.data(), (int)kDopsStereo.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(2, rec.channels);
    EXPECT_EQ(312, rec.pre_skip);
    EXPECT_EQ(48000u, rec.input_sample_rate);
    EXPECT_EQ(0, rec.output_gain);
    EXPECT_EQ(0, rec.mapping_family);
    EXPECT_EQ(1, rec.stream_count);
    EXPECT_EQ(1, rec.coupled_count);

    err = srs_opus_parse_dops(kDopsMono.data(), (int)kDopsMono.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(1, rec.channels);
    EXPECT_EQ(0, rec.coupled_count);

    err = srs_opus_parse_dops(kDops51.data(), (int)kDops51.size(), &rec);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(6, rec.channels);
    EXPECT_EQ(1, rec.mapping_family);
    EXPECT_EQ(4, rec.stream_count);
    EXPECT_EQ(2, rec.coupled_count);
    EXPECT_EQ((std::vector<uint8_t>{0, 4, 1, 2, 3, 5}), rec.channel_mapping);
}

TEST(KernelCodecConfigTest, OpusHeadAndDopsAgree) {
    SrsOpusConfigRecord head, dops;
    srs_error_t err = srs_opus_parse_config(kOpusHeadStereo.data(), (int)kOpusHeadStereo.size(), &head);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    err = srs_opus_parse_config(kDopsStereo.data(), (int)kDopsStereo.size(), &dops);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(dops.channels, head.channels);
    EXPECT_EQ(dops.pre_skip, head.pre_skip);
    EXPECT_EQ(dops.input_sample_rate, head.input_sample_rate);

    err = srs_opus_parse_config(kOpusHead51.data(), (int)kOpusHead51.size(), &head);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    err = srs_opus_parse_config(kDops51.data(), (int)kDops51.size(), &dops);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(6, head.channels);
    EXPECT_EQ(dops.stream_count, head.stream_count);
    EXPECT_EQ(dops.coupled_count, head.coupled_count);
    EXPECT_EQ(dops.channel_mapping, head.channel_mapping);
}

TEST(KernelCodecConfigTest, OpusErrors) {
    SrsOpusConfigRecord rec;
    for (size_t n = 0; n < kDops51.size(); n++) {
        srs_error_t err = srs_opus_parse_dops(kDops51.data(), (int)n, &rec);
        EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err)) << n;
    }
    for (size_t n = 0; n < kOpusHead51.size(); n++) {
        srs_error_t err = srs_opus_parse_config(kOpusHead51.data(), (int)n, &rec);
        EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err)) << n;
    }
    std::string bad = kDopsStereo;
    bad[0] = 1;  // version
    srs_error_t err = srs_opus_parse_dops(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kDopsStereo;
    bad[1] = 0;  // no channel
    err = srs_opus_parse_dops(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kDopsStereo;
    bad[1] = 6;  // family 0 is mono or stereo only
    err = srs_opus_parse_dops(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kDops51;
    bad[12] = 5;  // more coupled streams than streams
    err = srs_opus_parse_dops(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kDops51;
    bad[18] = 6;  // a channel mapped past the 6 decoded channels
    err = srs_opus_parse_dops(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    bad = kOpusHeadStereo;
    bad[8] = 0x10;  // major version 1
    err = srs_opus_parse_head(bad.data(), (int)bad.size(), &rec);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
}

TEST(KernelCodecConfigTest, Vp9FrameHeaderOfLibvpx) {
    struct Case {
        const std::string* frame;
        int profile, bit_depth, width, height;
    };
    for (const Case& c : {Case{&kVp9Key320x240, 0, 8, 320, 240}, Case{&kVp9Key318x178Profile1, 1, 8, 318, 178},
                          Case{&kVp9Key176x144Profile2, 2, 10, 176, 144}}) {
        SrsVp9FrameHeader h;
        srs_error_t err = srs_vp9_parse_frame_header(c.frame->data(), (int)c.frame->size(), &h);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_TRUE(h.keyframe);
        EXPECT_FALSE(h.show_existing_frame);
        EXPECT_EQ(c.profile, h.profile);
        EXPECT_EQ(c.bit_depth, h.bit_depth);
        EXPECT_EQ(c.width, h.width);
        EXPECT_EQ(c.height, h.height);
    }

    // An inter frame takes its size from a reference: none here.
    SrsVp9FrameHeader h;
    srs_error_t err = srs_vp9_parse_frame_header(kVp9Inter320x240.data(), (int)kVp9Inter320x240.size(), &h);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(h.keyframe);
    EXPECT_FALSE(h.intra_only);
    EXPECT_EQ(0, h.width);

    // show_existing_frame (profile 0): [10][0][0][1][idx 3 bits], nothing else.
    std::string show = bytes({0x88});
    ASSERT_TRUE(srs_vp9_parse_frame_header(show.data(), 1, &h) == srs_success);
    EXPECT_TRUE(h.show_existing_frame);
    EXPECT_EQ(0, h.width);
}

TEST(KernelCodecConfigTest, Vp9IntraOnlyAndErrors) {
    // An intra-only frame of profile 0 (VP9 6.2): marker 10, profile 00, show_existing 0,
    // frame_type 1, show_frame 0, error_resilient 0, intra_only 1, reset_frame_context 00, the
    // sync code, (no color_config in profile 0), refresh_frame_flags, then 639 and 359 (640x360),
    // written bit by bit.
    std::string bits =
        "10"
        "0"
        "0"
        "0"
        "1"
        "0"
        "0"
        "1"
        "00";
    auto put = [&bits](uint32_t v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            bits += ((v >> i) & 1) ? '1' : '0';
        }
    };
    put(0x498342, 24);
    put(0xff, 8);
    put(639, 16);
    put(359, 16);
    while (bits.size() % 8) {
        bits += '0';
    }
    std::string frame;
    for (size_t i = 0; i < bits.size(); i += 8) {
        frame.push_back((char)std::stoi(bits.substr(i, 8), nullptr, 2));
    }
    SrsVp9FrameHeader h;
    srs_error_t err = srs_vp9_parse_frame_header(frame.data(), (int)frame.size(), &h);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(h.keyframe);
    EXPECT_TRUE(h.intra_only);
    EXPECT_EQ(640, h.width);
    EXPECT_EQ(360, h.height);

    // The keyframe header ends in the 9th byte (8 + 24 + 4 + 32 bits): every shorter prefix fails
    // and none is read past its end (ASan).
    for (int n = 0; n < 9; n++) {
        std::vector<char> copy(kVp9Key320x240.begin(), kVp9Key320x240.begin() + n);
        err = srs_vp9_parse_frame_header(copy.data(), n, &h);
        EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err)) << n;
        srs_error_reset(err);
    }
    // A wrong frame_marker, a wrong sync code.
    std::string bad = kVp9Key320x240;
    bad[0] = (char)0x42;
    err = srs_vp9_parse_frame_header(bad.data(), (int)bad.size(), &h);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    srs_error_reset(err);
    bad = kVp9Key320x240;
    bad[2] = 0x00;
    err = srs_vp9_parse_frame_header(bad.data(), (int)bad.size(), &h);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    srs_error_reset(err);
    err = srs_vp9_parse_frame_header(nullptr, 0, &h);
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(err));
    srs_error_reset(err);
}
