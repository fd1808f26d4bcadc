#include <gtest/gtest.h>

#include <srs_kernel_codec.hpp>
#include <srs_utest_kernel_media.hpp>

using namespace srs_utest;

TEST(KernelCodecTest, AvcSpsOfLibx264) {
    std::string sps = avc_sps();
    SrsAvcSpsInfo info;
    srs_error_t err = srs_avc_parse_sps(sps.data(), (int)sps.size(), &info);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(100, info.profile_idc);
    EXPECT_EQ(30, info.level_idc);
    EXPECT_EQ(1, info.chroma_format_idc);
    // 368 coded lines cropped to 360 (frame_crop_bottom_offset 4, CropUnitY 2).
    EXPECT_EQ(640, info.width);
    EXPECT_EQ(360, info.height);
    EXPECT_STREQ("High", srs_avc_profile2str(info.profile_idc));
    EXPECT_EQ("3", srs_avc_level2str(info.level_idc));
    EXPECT_EQ("3.1", srs_avc_level2str(31));
}

TEST(KernelCodecTest, AvcSpsErrors) {
    std::string sps = avc_sps();
    SrsAvcSpsInfo info;
    // Every truncation before the cropping fields fails cleanly (ASan/UBSan builds check
    // the bounds); the VUI after them is not needed, so 11 bytes are enough.
    for (size_t n = 0; n < 11; n++) {
        srs_error_t err = srs_avc_parse_sps(sps.data(), (int)n, &info);
        EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err)) << n;
    }
    srs_error_t ok = srs_avc_parse_sps(sps.data(), 11, &info);
    EXPECT_TRUE(ok == srs_success);
    EXPECT_EQ(360, info.height);
    // Not an SPS.
    std::string pps = avc_pps();
    srs_error_t err = srs_avc_parse_sps(pps.data(), (int)pps.size(), &info);
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err));
    // All ones: Exp-Golomb codes never end.
    std::string junk(32, (char)0x00);
    junk[0] = 0x67;
    err = srs_avc_parse_sps(junk.data(), (int)junk.size(), &info);
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err));
}

TEST(KernelCodecTest, RbspRemovesEmulationPrevention) {
    const char in[] = {0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x00, 0x03};
    std::vector<char> out;
    srs_nalu_to_rbsp(in, sizeof(in), &out);
    const char expect[] = {0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03};
    ASSERT_EQ(sizeof(expect), out.size());
    EXPECT_EQ(0, memcmp(expect, out.data(), out.size()));
}

TEST(KernelCodecTest, AvccRecord) {
    std::string avcc = make_avcc(avc_sps(), avc_pps());
    SrsVideoCodecConfig cfg;
    srs_error_t err = srs_avc_parse_avcc(avcc.data(), (int)avcc.size(), &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdAVC, cfg.id);
    EXPECT_EQ(100, cfg.profile);
    EXPECT_EQ(30, cfg.level);
    EXPECT_EQ(4, cfg.nalu_length_size);
    EXPECT_EQ(640, cfg.width);
    EXPECT_EQ(360, cfg.height);
    ASSERT_EQ(1u, cfg.sps.size());
    ASSERT_EQ(1u, cfg.pps.size());
    EXPECT_EQ(avc_sps(), cfg.sps[0]);
    EXPECT_EQ(avc_pps(), cfg.pps[0]);
    EXPECT_EQ(avcc, cfg.extra);
}

TEST(KernelCodecTest, AvccErrors) {
    std::string avcc = make_avcc(avc_sps(), avc_pps());
    SrsVideoCodecConfig cfg;
    for (size_t n = 0; n < avcc.size(); n++) {
        srs_error_t err = srs_avc_parse_avcc(avcc.data(), (int)n, &cfg);
        EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err)) << "truncated at " << n;
    }
    std::string bad = avcc;
    bad[0] = 2;  // configurationVersion
    srs_error_t err = srs_avc_parse_avcc(bad.data(), (int)bad.size(), &cfg);
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err));
    bad = avcc;
    bad[6] = 0x7f;  // SPS length larger than the record
    err = srs_avc_parse_avcc(bad.data(), (int)bad.size(), &cfg);
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err));
}

TEST(KernelCodecTest, HevcSpsOfLibx265) {
    std::string sps = hevc_sps();
    SrsHevcSpsInfo info;
    srs_error_t err = srs_hevc_parse_sps(sps.data(), (int)sps.size(), &info);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(1, info.profile_idc);
    EXPECT_EQ(63, info.level_idc);
    EXPECT_EQ(640, info.width);
    EXPECT_EQ(360, info.height);
    EXPECT_STREQ("Main", srs_hevc_profile2str(info.profile_idc));
    EXPECT_EQ("2.1", srs_hevc_level2str(info.level_idc));
    EXPECT_EQ("4", srs_hevc_level2str(120));
}

TEST(KernelCodecTest, HvccRecord) {
    std::string hvcc = make_hvcc(hevc_vps(), hevc_sps(), hevc_pps());
    SrsVideoCodecConfig cfg;
    srs_error_t err = srs_hevc_parse_hvcc(hvcc.data(), (int)hvcc.size(), &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdHEVC, cfg.id);
    EXPECT_EQ(1, cfg.profile);
    EXPECT_EQ(63, cfg.level);
    EXPECT_EQ(4, cfg.nalu_length_size);
    EXPECT_EQ(640, cfg.width);
    EXPECT_EQ(360, cfg.height);
    ASSERT_EQ(1u, cfg.vps.size());
    EXPECT_EQ(hevc_vps(), cfg.vps[0]);
    EXPECT_EQ(hevc_sps(), cfg.sps[0]);
    EXPECT_EQ(hevc_pps(), cfg.pps[0]);

    for (size_t n = 0; n < hvcc.size(); n++) {
        srs_error_t e = srs_hevc_parse_hvcc(hvcc.data(), (int)n, &cfg);
        EXPECT_EQ(ERROR_KERNEL_HEVC_DECODE, srs_error_code(e)) << "truncated at " << n;
    }
}

TEST(KernelCodecTest, AacAudioSpecificConfig) {
    SrsAudioCodecConfig cfg;
    // AAC-LC, 44100 (index 4), stereo: 00010 0100 0010 000.
    const char lc[] = {0x12, 0x10};
    srs_error_t err = srs_aac_parse_asc(lc, 2, &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsAacObjectTypeAacLC, cfg.aac_object);
    EXPECT_EQ(SrsAacObjectTypeAacLC, cfg.aac_core_object);
    EXPECT_EQ(4, cfg.aac_sample_rate_index);
    EXPECT_EQ(44100, cfg.sample_rate);
    EXPECT_EQ(2, cfg.channels);

    // Explicit frequency: index 15 then 24 bits (48000 = 0x00BB80), mono.
    // 00010 1111 000000001011101110000000 0001 000 -> bits packed below.
    const unsigned char explicit_rate[] = {0x17, 0x80, 0x5d, 0xc0, 0x08};
    err = srs_aac_parse_asc((const char*)explicit_rate, sizeof(explicit_rate), &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(15, cfg.aac_sample_rate_index);
    EXPECT_EQ(48000, cfg.sample_rate);
    EXPECT_EQ(1, cfg.channels);

    // HE-AAC with explicit SBR: object 5, core index 6 (24000), stereo, extension index 3
    // (48000), core object 2: 00101 0110 0010 0011 00010 (+pad).
    const unsigned char he[] = {0x2b, 0x11, 0x88};
    err = srs_aac_parse_asc((const char*)he, sizeof(he), &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsAacObjectTypeAacHE, cfg.aac_object);
    EXPECT_EQ(SrsAacObjectTypeAacLC, cfg.aac_core_object);
    EXPECT_EQ(6, cfg.aac_sample_rate_index);
    EXPECT_EQ(24000, cfg.sample_rate);

    // Errors: truncated, object type 0, reserved index.
    err = srs_aac_parse_asc(lc, 1, &cfg);
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(err));
    const char zero[] = {0x00, 0x00};
    err = srs_aac_parse_asc(zero, 2, &cfg);
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(err));
    const char reserved[] = {0x16, (char)0x90};  // index 13
    err = srs_aac_parse_asc(reserved, 2, &cfg);
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(err));
    err = srs_aac_parse_asc((const char*)he, 2, &cfg);
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(err));
}

TEST(KernelCodecTest, Mp3Header) {
    SrsAudioCodecConfig cfg;
    // MPEG-1 layer III, 128 kbps, 44100, joint stereo.
    const unsigned char mpeg1[] = {0xff, 0xfb, 0x90, 0x64};
    srs_error_t err = srs_mp3_parse_header((const char*)mpeg1, 4, &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(44100, cfg.sample_rate);
    EXPECT_EQ(2, cfg.channels);
    EXPECT_EQ(1, cfg.mp3_version);
    // MPEG-2 layer III, 24000, mono.
    const unsigned char mpeg2[] = {0xff, 0xf3, 0x84, 0xc4};
    err = srs_mp3_parse_header((const char*)mpeg2, 4, &cfg);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(24000, cfg.sample_rate);
    EXPECT_EQ(1, cfg.channels);
    EXPECT_EQ(2, cfg.mp3_version);
    // No sync, too short, reserved rate.
    const unsigned char bad[] = {0xff, 0x0b, 0x90, 0x64};
    EXPECT_EQ(ERROR_KERNEL_MP3_DECODE, srs_error_code(srs_mp3_parse_header((const char*)bad, 4, &cfg)));
    EXPECT_EQ(ERROR_KERNEL_MP3_DECODE, srs_error_code(srs_mp3_parse_header((const char*)mpeg1, 3, &cfg)));
    const unsigned char rate3[] = {0xff, 0xfb, 0x9c, 0x64};
    EXPECT_EQ(ERROR_KERNEL_MP3_DECODE, srs_error_code(srs_mp3_parse_header((const char*)rate3, 4, &cfg)));
}

TEST(KernelCodecTest, FormatAvcFrames) {
    SrsFormat f;
    std::string sh = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    srs_error_t err = f.on_video(0, sh.data(), (int)sh.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_TRUE(f.video().is_sequence_header());
    ASSERT_TRUE(f.has_video_config());
    EXPECT_EQ(640, f.vcodec().width);

    std::string sei = std::string("\x06\x05\x01\x80", 4);
    std::string idr = std::string("\x65\x88\x84\x00\x10", 5);
    std::string key = flv_video(1, 7, 1, 80, avcc_nalus({sei, idr}));
    err = f.on_video(40, key.data(), (int)key.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    const SrsVideoFrame& v = f.video();
    EXPECT_EQ(40, v.dts);
    EXPECT_EQ(80, v.cts);
    EXPECT_TRUE(v.keyframe);
    EXPECT_TRUE(v.has_idr);
    EXPECT_FALSE(v.has_sps_pps);
    ASSERT_EQ(2u, v.samples.size());
    EXPECT_EQ(sei, std::string(v.samples[0].data, v.samples[0].size));
    EXPECT_EQ(idr, std::string(v.samples[1].data, v.samples[1].size));

    // Negative composition time (SI24).
    std::string p = flv_video(2, 7, 1, -40, avcc_nalus({std::string("\x41\x9a", 2)}));
    err = f.on_video(80, p.data(), (int)p.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(-40, f.video().cts);
    EXPECT_FALSE(f.video().keyframe);
}

TEST(KernelCodecTest, FormatVideoErrors) {
    SrsFormat f;
    // Frames before the sequence header carry no samples, and are not an error.
    std::string early = flv_video(1, 7, 1, 0, avcc_nalus({std::string("\x65\x88", 2)}));
    srs_error_t err = f.on_video(0, early.data(), (int)early.size());
    EXPECT_TRUE(err == srs_success);
    EXPECT_TRUE(f.video().samples.empty());

    std::string sh = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    ASSERT_TRUE(f.on_video(0, sh.data(), (int)sh.size()) == srs_success);

    // NALU length beyond the tag.
    std::string over = flv_video(1, 7, 1, 0, std::string("\x00\x01\x00\x00\x65", 5));
    err = f.on_video(0, over.data(), (int)over.size());
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err));
    // A partial length field.
    std::string partial = flv_video(1, 7, 1, 0, std::string("\x00\x00", 2));
    err = f.on_video(0, partial.data(), (int)partial.size());
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(err));
    // Empty and short tags, unknown codec and packet type.
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(f.on_video(0, "", 0)));
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(f.on_video(0, "\x17\x01", 2)));
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(f.on_video(0, "\x12\x01\x00\x00\x00", 5)));
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(f.on_video(0, "\x17\x05\x00\x00\x00", 5)));
    // A broken sequence header keeps the previous configuration.
    std::string bad_sh = flv_video(1, 7, 0, 0, std::string("\x01\x64", 2));
    EXPECT_EQ(ERROR_KERNEL_AVC_DECODE, srs_error_code(f.on_video(0, bad_sh.data(), (int)bad_sh.size())));
    EXPECT_EQ(640, f.vcodec().width);
    // Sequence end.
    EXPECT_TRUE(f.on_video(0, "\x17\x02\x00\x00\x00", 5) == srs_success);
    EXPECT_EQ(SrsVideoPacketSequenceEnd, f.video().packet_type);
}

TEST(KernelCodecTest, FormatEnhancedRtmpHevc) {
    SrsFormat f;
    // IsExHeader | FrameType 1 (key) | PacketType 0 (SequenceStart), 'hvc1'.
    std::string sh = std::string("\x90hvc1", 5) + make_hvcc(hevc_vps(), hevc_sps(), hevc_pps());
    srs_error_t err = f.on_video(0, sh.data(), (int)sh.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsVideoCodecIdHEVC, f.vcodec().id);
    EXPECT_EQ(640, f.vcodec().width);

    // CodedFrames (1) with SI24 composition time 0x000028 = 40.
    std::string idr = std::string("\x26\x01\xaf\x00", 4);  // IDR_W_RADL (19)
    std::string coded = std::string("\x91hvc1\x00\x00\x28", 8) + avcc_nalus({idr});
    err = f.on_video(100, coded.data(), (int)coded.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(40, f.video().cts);
    EXPECT_TRUE(f.video().keyframe);
    EXPECT_TRUE(f.video().has_idr);
    ASSERT_EQ(1u, f.video().samples.size());

    // CodedFramesX (3): no composition time; FrameType 2.
    std::string trail = std::string("\x02\x01\xd0", 3);
    std::string x = std::string("\xa3hvc1", 5) + avcc_nalus({trail});
    err = f.on_video(140, x.data(), (int)x.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(0, f.video().cts);
    EXPECT_FALSE(f.video().keyframe);
    EXPECT_FALSE(f.video().has_idr);
    ASSERT_EQ(1u, f.video().samples.size());
    EXPECT_EQ(trail, std::string(f.video().samples[0].data, f.video().samples[0].size));

    // Enhanced avc1 too; an unknown FourCC is skipped whole (no error, nothing described), and
    // bytes that cannot be a tag fail.
    std::string avc = std::string(
                          "\x90"
                          "avc1",
                          5) +
                      make_avcc(avc_sps(), avc_pps());
    EXPECT_TRUE(f.on_video(0, avc.data(), (int)avc.size()) == srs_success);
    EXPECT_EQ(SrsVideoCodecIdAVC, f.vcodec().id);
    EXPECT_TRUE(f.on_video(0, "\x90xxxx", 5) == srs_success);
    EXPECT_EQ(SrsVideoCodecIdReserved, f.video().codec);
    EXPECT_EQ(SrsVideoCodecIdAVC, f.vcodec().id);
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(f.on_video(0, "\x97hvc1", 5)));
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(f.on_video(0, "\x91hvc", 4)));
    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(f.on_video(0, "\x91hvc1\x00", 6)));
    // AV1 is recognised (for stats) and kept whole.
    EXPECT_TRUE(f.on_video(0,
                           "\x90"
                           "av01\x81\x00\x0c\x00",
                           9) == srs_success);
    EXPECT_EQ(SrsVideoCodecIdAV1, f.vcodec().id);
    EXPECT_STREQ("AV1", srs_video_codec_id2str(f.vcodec().id));
}

TEST(KernelCodecTest, FormatAudio) {
    SrsFormat f;
    std::string sh = flv_aac(0, std::string("\x12\x10", 2));
    srs_error_t err = f.on_audio(0, sh.data(), (int)sh.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_TRUE(f.audio().sequence_header);
    ASSERT_TRUE(f.has_audio_config());
    EXPECT_EQ(SrsAudioCodecIdAAC, f.acodec().id);
    EXPECT_EQ(44100, f.acodec().sample_rate);
    EXPECT_EQ(3, f.acodec().sound_rate);
    EXPECT_EQ(1, f.acodec().sound_type);

    std::string raw = flv_aac(1, std::string("\x21\x00\x49\x90", 4));
    err = f.on_audio(23, raw.data(), (int)raw.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_FALSE(f.audio().sequence_header);
    ASSERT_EQ(1u, f.audio().samples.size());
    EXPECT_EQ(4, f.audio().samples[0].size);
    EXPECT_EQ(23, f.audio().dts);

    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(f.on_audio(0, "", 0)));
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(f.on_audio(0, "\xaf", 1)));
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(f.on_audio(0, "\xaf\x02", 2)));
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(f.on_audio(0, "\xaf\x00\x12", 3)));

    // MP3: the first frame gives the configuration.
    SrsFormat m;
    const char mp3[] = {0x2f, (char)0xff, (char)0xfb, (char)0x90, 0x64, 0x00};
    err = m.on_audio(0, mp3, sizeof(mp3));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(SrsAudioCodecIdMP3, m.acodec().id);
    EXPECT_EQ(44100, m.acodec().sample_rate);
    ASSERT_EQ(1u, m.audio().samples.size());
    EXPECT_EQ(5, m.audio().samples[0].size);
    EXPECT_STREQ("MP3", srs_audio_codec_id2str(m.acodec().id));
}

TEST(KernelCodecTest, FormatAcceptsAnnexbInFlv) {
    SrsFormat f;
    std::string sh = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    ASSERT_TRUE(f.on_video(0, sh.data(), (int)sh.size()) == srs_success);
    std::string sei("\x06\x05\x01\x80", 4), idr("\x65\x88\x84\x01", 4);
    std::string body = std::string("\x00\x00\x00\x01", 4) + sei + std::string("\x00\x00\x01", 3) + idr;
    std::string key = flv_video(1, 7, 1, 0, body);
    srs_error_t err = f.on_video(0, key.data(), (int)key.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(2u, f.video().samples.size());
    EXPECT_EQ(sei, std::string(f.video().samples[0].data, f.video().samples[0].size));
    EXPECT_EQ(idr, std::string(f.video().samples[1].data, f.video().samples[1].size));
    EXPECT_TRUE(f.video().has_idr);
}
