// RFC 6381 codec strings against known values. Unless said otherwise, the expected strings are what
// FFmpeg 5.1 (Debian 12) wrote in the @codecs of its DASH MPD (`ffmpeg -i X.mp4 -c copy -f dash`)
// for the MP4 files it made with these encoders, and the records are copied from the same files'
// sample entries (made while writing these tests, 320x240 testsrc2 / sine):
//   libx264 -profile:v high | baseline -level 3.0 | main at 1280x720; libsvtav1 -preset 12 (8 and
//   10 bit); libvpx-vp9 profile 0, 2 (yuv420p10le) and 1 (yuv444p); aac (LC 48 kHz mono, HE
//   44.1 kHz); libmp3lame; libopus; ac3; eac3.
// FFmpeg 5.1 writes neither a full HEVC string (its HLS muxer writes a fixed "hvc1.1.4.L<level>.B01",
// its DASH muxer only "hev1"), nor the optional VP9 fields: those cases are checked against the
// annex E examples of ISO/IEC 14496-15 and Shaka Packager's tests, noted where used.
#include <gtest/gtest.h>

#include <srs_kernel_codec_string.hpp>
#include <srs_kernel_mp4.hpp>
#include <srs_utest_kernel_records.hpp>

#include <string>

namespace {

using srs_utest::bytes;

std::string hex(const std::string& h) {
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) {
        out += (char)std::stoi(h.substr(i, 2), nullptr, 16);
    }
    return out;
}

// The first bytes of the avcC of the three libx264 files (the string needs only four).
const std::string kAvccHigh = hex("0164000dffe100196764000dacd94141fb0110");
const std::string kAvccBaseline30 = hex("0142c01effe100186742c01ed90141fb0110");
const std::string kAvccMain720 = hex("014d401fffe1001d674d401feca02802ddff80");
// av1C of libsvtav1 8-bit (test_exrtmp_dvr's sample) and 10-bit.
const std::string kAv1c8 = hex("81000c000a0b000000043cffbc02f80040");
const std::string kAv1c10 = hex("81004c000a0b000000043cffbc02f84040");
// vpcC bodies of libvpx-vp9 profile 0, profile 2 10-bit and profile 1 4:4:4, at 320x240.
const std::string kVpcc0 = hex("010000000014820202020000");
const std::string kVpcc2 = hex("010000000214a20202020000");
const std::string kVpcc1 = hex("010000000114860202020000");
// AudioSpecificConfigs of FFmpeg's aac: LC 48 kHz mono (with the SBR sync extension), HE-AAC.
const std::string kAscLc = hex("118856e500");
const std::string kAscHe = hex("2a0856e500");

std::string str_or_error(srs_error_t err, const std::string& s) {
    if (err != srs_success) {
        std::string d = srs_error_desc(err);
        srs_error_reset(err);
        return "error: " + d;
    }
    return s;
}

std::string avc(const std::string& r) {
    std::string s;
    return str_or_error(srs_codec_string_avc(r, &s), s);
}
std::string hevc(const std::string& r) {
    std::string s;
    return str_or_error(srs_codec_string_hevc(r, &s), s);
}
std::string av1(const std::string& r) {
    std::string s;
    return str_or_error(srs_codec_string_av1(r, &s), s);
}
std::string vp9(const std::string& r) {
    std::string s;
    return str_or_error(srs_codec_string_vp9(r, &s), s);
}
std::string aac(const std::string& r) {
    std::string s;
    return str_or_error(srs_codec_string_aac(r, &s), s);
}

}  // namespace

TEST(KernelCodecStringTest, Avc) {
    EXPECT_EQ("avc1.64000d", avc(kAvccHigh));
    EXPECT_EQ("avc1.42c01e", avc(kAvccBaseline30));
    EXPECT_EQ("avc1.4d401f", avc(kAvccMain720));
    EXPECT_EQ(0u, avc("\x01\x64\x00").find("error"));
    EXPECT_EQ(0u, avc("").find("error"));
}

TEST(KernelCodecStringTest, Hevc) {
    // x265 Main (compatibility flags 0x60000000: bits 1 and 2, reversed 0x6), level 2 (60),
    // constraint bytes 90 00 00 00 00 00; Main 10 (0x20000000, reversed 0x4).
    EXPECT_EQ("hvc1.1.6.L60.90", hevc(srs_utest::kHvccMain));
    EXPECT_EQ("hvc1.2.4.L60.90", hevc(srs_utest::kHvccMain10));
    std::string s;
    ASSERT_TRUE(srs_codec_string_hevc(srs_utest::kHvccMain, &s, "hev1") == srs_success);
    EXPECT_EQ("hev1.1.6.L60.90", s);

    // Shaka Packager's HEVCDecoderConfigurationRecord test: profile 2, compatibility 0x20000000,
    // constraint 0x90, level 63 gives "hvc1.2.4.L63.90" (only the bytes the string uses changed).
    std::string r = srs_utest::kHvccMain10;
    r[12] = 63;
    EXPECT_EQ("hvc1.2.4.L63.90", hevc(r));
    // 14496-15 E.5's example "hev1.1.6.L93.B0": Main, level 3.1, progressive and frame only.
    r = srs_utest::kHvccMain;
    r[6] = (char)0xb0;
    r[12] = 93;
    EXPECT_EQ("hvc1.1.6.L93.B0", hevc(r));
    // High tier, profile space 1 (A), a constraint byte after zeros keeps the zeros before it.
    r[1] = (char)(0x40 | 0x20 | 0x01);
    r[8] = 0x23;
    r[12] = (char)120;
    EXPECT_EQ("hvc1.A1.6.H120.B0.00.23", hevc(r));
    EXPECT_EQ(0u, hevc(srs_utest::kHvccMain.substr(0, 10)).find("error"));
}

TEST(KernelCodecStringTest, Av1) {
    EXPECT_EQ("av01.0.00M.08", av1(kAv1c8));
    EXPECT_EQ("av01.0.00M.10", av1(kAv1c10));
    // The parser tests' records: libsvtav1 320x180 (level index 0) and libaom 10-bit (level 1).
    EXPECT_EQ("av01.0.00M.08", av1(srs_utest::kAv1cSvt));
    EXPECT_EQ("av01.0.01M.10", av1(srs_utest::kAv1cAom10));
    // Not 4:2:0 (profile 1, 4:4:4: subsampling 0 0) or monochrome: the optional fields, with the
    // default colour description (AV1-ISOBMFF 5 example "av01.0.04M.10.0.112.09.16.09.0" has the
    // same layout). The records without their sequence header OBU, which would say otherwise.
    std::string r = kAv1c8.substr(0, 4);
    r[1] = (char)((1 << 5) | 8);  // seq_profile 1, level index 8 (4.0)
    r[2] = (char)0x80;            // tier 1, 8 bit, 4:4:4
    EXPECT_EQ("av01.1.08H.08.0.000.01.01.01.0", av1(r));
    r = kAv1c8.substr(0, 4);
    r[2] = (char)(0x10 | 0x08 | 0x04);  // monochrome, 4:2:0
    EXPECT_EQ("av01.0.00M.08.1.110.01.01.01.0", av1(r));
    EXPECT_EQ(0u, av1("\x81\x00").find("error"));
}

TEST(KernelCodecStringTest, Vp9) {
    EXPECT_EQ("vp09.00.20.08", vp9(kVpcc0));
    EXPECT_EQ("vp09.02.20.10", vp9(kVpcc2));
    // Profile 1 4:4:4: FFmpeg 5.1 writes "vp09.01.20.08", which the binding reads as 4:2:0; the
    // optional fields say 4:4:4 (03) with the record's unspecified (02) colour description.
    EXPECT_EQ("vp09.01.20.08.03.02.02.02.00", vp9(kVpcc1));
    // The parser tests' record (level 11) and a BT.2020 PQ full-range one (the binding's example
    // "vp09.02.10.10.01.09.16.09.01").
    EXPECT_EQ("vp09.00.11.08", vp9(srs_utest::kVpccProfile0));
    std::string r = hex("01000000020aa3091009") + std::string(2, '\0');
    EXPECT_EQ("vp09.02.10.10.01.09.16.09.01", vp9(r));
    EXPECT_EQ(0u, vp9("\x01\x00").find("error"));
}

TEST(KernelCodecStringTest, Audio) {
    EXPECT_EQ("mp4a.40.2", aac(kAscLc));
    EXPECT_EQ("mp4a.40.5", aac(kAscHe));
    EXPECT_EQ("mp4a.40.2", aac(std::string("\x12\x10", 2)));
    EXPECT_EQ(0u, aac("").find("error"));
    // FFmpeg's DASH writes "mp4a.69" for libmp3lame at 44.1 kHz because its MP4 muxer always
    // writes OTI 0x69; the server's MP4 says 0x6B for MPEG-1 and the string follows its esds.
    EXPECT_EQ("mp4a.6B", srs_codec_string_mp3(1));
    EXPECT_EQ("mp4a.69", srs_codec_string_mp3(2));
    EXPECT_EQ("opus", srs_codec_string_opus());
    EXPECT_EQ("ac-3", srs_codec_string_ac3());
    EXPECT_EQ("ec-3", srs_codec_string_eac3());
}

TEST(KernelCodecStringTest, FromConfigsAndTracks) {
    std::string s;
    SrsVideoCodecConfig v;
    v.id = SrsVideoCodecIdAV1;
    v.extra = kAv1c8;
    ASSERT_TRUE(srs_codec_string(v, &s) == srs_success);
    EXPECT_EQ("av01.0.00M.08", s);
    v.id = SrsVideoCodecIdOn2VP6;
    srs_error_t err = srs_codec_string(v, &s);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);

    SrsAudioCodecConfig a;
    a.id = SrsAudioCodecIdOpus;
    ASSERT_TRUE(srs_codec_string(a, &s) == srs_success);
    EXPECT_EQ("opus", s);
    a.id = SrsAudioCodecIdMP3;
    a.mp3_version = 2;
    ASSERT_TRUE(srs_codec_string(a, &s) == srs_success);
    EXPECT_EQ("mp4a.69", s);
    a.id = SrsAudioCodecIdFLAC;
    err = srs_codec_string(a, &s);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);

    // A track's string follows its sample entry: the legacy fields (avcc, hevc, asc) too.
    SrsMp4Track t;
    t.avcc = kAvccHigh;
    ASSERT_TRUE(srs_codec_string(t, &s) == srs_success);
    EXPECT_EQ("avc1.64000d", s);
    t.hevc = true;
    t.avcc = srs_utest::kHvccMain;
    ASSERT_TRUE(srs_codec_string(t, &s) == srs_success);
    EXPECT_EQ("hvc1.1.6.L60.90", s);
    t.vcodec = SrsVideoCodecIdVP9;
    t.config = kVpcc2;
    ASSERT_TRUE(srs_codec_string(t, &s) == srs_success);
    EXPECT_EQ("vp09.02.20.10", s);
    SrsMp4Track at;
    at.kind = SrsMp4TrackKind::Audio;
    at.asc = kAscHe;
    ASSERT_TRUE(srs_codec_string(at, &s) == srs_success);
    EXPECT_EQ("mp4a.40.5", s);
    at.acodec = SrsAudioCodecIdOpus;
    ASSERT_TRUE(srs_codec_string(at, &s) == srs_success);
    EXPECT_EQ("opus", s);
    at.acodec = SrsAudioCodecIdMP3;
    ASSERT_TRUE(srs_codec_string(at, &s) == srs_success);
    EXPECT_EQ("mp4a.6B", s);
    at.acodec = SrsAudioCodecIdAC3;
    ASSERT_TRUE(srs_codec_string(at, &s) == srs_success);
    EXPECT_EQ("ac-3", s);
    at.acodec = SrsAudioCodecIdEAC3;
    ASSERT_TRUE(srs_codec_string(at, &s) == srs_success);
    EXPECT_EQ("ec-3", s);
}
