// The MP4 demuxer against files FFmpeg makes at test time (every sample checked against ffprobe's
// packet list) and against hand-built broken files.
#include <gtest/gtest.h>
#include <srs_utest_shell.hpp>

#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_mp4_reader.hpp>
#include <srs_utest_temp_dir.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace srs_utest;

namespace {

std::string run(const std::string& cmd, int* status) {
    return srs_utest::run_command(cmd, status);
}

using srs_utest::read_file;
// One packet as ffprobe lists it.
struct Probed {
    int stream = 0;
    uint32_t size = 0;
    bool key = false;
    int64_t dts = 0;
    int64_t pts = 0;
};

// ffprobe's packets of a file, in its (file) order, with times in each stream's time base.
std::vector<Probed> probe(const std::string& path) {
    int status = 0;
    std::string out = run(
        "ffprobe -v error -show_entries packet=stream_index,size,flags,dts,pts -of csv=p=0 '" + path + "'", &status);
    std::vector<Probed> v;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        Probed p;
        char flags[16] = {0};
        long long pts = 0, dts = 0;
        // stream_index,pts,dts,size,flags
        if (sscanf(line.c_str(), "%d,%lld,%lld,%u,%15s", &p.stream, &pts, &dts, &p.size, flags) == 5) {
            p.pts = pts;
            p.dts = dts;
            p.key = flags[0] == 'K';
            v.push_back(p);
        }
    }
    return v;
}

std::string be32(uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; i++) {
        s[i] = (char)(v >> (24 - 8 * i));
    }
    return s;
}

std::string mkbox(const char* type, const std::string& body) {
    return be32((uint32_t)body.size() + 8) + type + body;
}

srs_error_t parse(SrsMp4Demuxer* d, const std::string& s) {
    return d->parse(s.data(), s.size());
}

}  // namespace

struct Mp4ReaderCase {
    const char* name;
    const char* encoder;
    const char* args;
    SrsMp4Codec video;
    SrsMp4Codec audio;
};

class KernelMp4ReaderFfmpegTest : public ::testing::TestWithParam<Mp4ReaderCase> {};

// FFmpeg (Debian 12's, as scripts/setup.sh installs it) has every encoder used here; a missing one
// fails the test rather than skipping it.
TEST_P(KernelMp4ReaderFfmpegTest, SamplesEqualFfprobePackets) {
    const Mp4ReaderCase& c = GetParam();
    SrsUtestTempDir dir("mp4reader");
    std::string mp4 = dir.path() + "/in.mp4";
    int status = 0;
    std::string out = run(std::string("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i "
                                      "sine=sample_rate=48000 -t 1 ") +
                              c.args + " '" + mp4 + "' 2>&1",
                          &status);
    ASSERT_EQ(0, status) << c.encoder << ": " << out;

    std::string data = read_file(mp4);
    SrsMp4Demuxer d;
    srs_error_t err = parse(&d, data);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(2u, d.tracks().size());
    const SrsMp4ReaderTrack& v = d.tracks()[0];
    const SrsMp4ReaderTrack& a = d.tracks()[1];
    EXPECT_TRUE(v.video);
    EXPECT_EQ(c.video, v.codec);
    EXPECT_EQ(320, v.width);
    EXPECT_EQ(240, v.height);
    EXPECT_FALSE(a.video);
    EXPECT_EQ(c.audio, a.codec);
    EXPECT_EQ(48000, a.sample_rate);

    // The configuration records parse with the kernel's parsers.
    if (c.video == SrsMp4Codec::HEVC) {
        SrsHevcConfigRecord rec;
        err = srs_hevc_parse_config_record(v.config.data(), (int)v.config.size(), &rec);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_EQ(320, rec.width);
    } else if (c.video == SrsMp4Codec::AV1) {
        SrsAv1ConfigRecord rec;
        err = srs_av1_parse_config_record(v.config.data(), (int)v.config.size(), &rec);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_EQ(320, rec.width);
    } else if (c.video == SrsMp4Codec::VP9) {
        SrsVpxConfigRecord rec;
        err = srs_vpx_parse_config_record(v.config.data(), (int)v.config.size(), &rec);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    } else {
        ASSERT_GE(v.config.size(), 7u);
        EXPECT_EQ(1, v.config[0]);
    }
    if (c.audio == SrsMp4Codec::Opus) {
        std::string head;
        err = srs_opus_dops_to_head(a.config, &head);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        SrsOpusConfigRecord rec;
        err = srs_opus_parse_head(head.data(), (int)head.size(), &rec);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_EQ(1, rec.channels);
        EXPECT_EQ(312, rec.pre_skip);
    } else {
        // AAC LC at 48 kHz, mono: object type 2, frequency index 3, one channel (FFmpeg may append
        // a sync extension).
        ASSERT_GE(a.config.size(), 2u);
        EXPECT_EQ(0x11, (uint8_t)a.config[0]);
        EXPECT_EQ(0x88, (uint8_t)a.config[1]);
    }

    // Every sample equals ffprobe's packet of the same stream and rank: size, key flag, dts and pts
    // (ffprobe applies the edit list's shift to them, as dts_ms does).
    std::vector<Probed> probed = probe(mp4);
    ASSERT_EQ(probed.size(), d.samples().size());
    std::vector<std::vector<Probed>> per(2);
    for (const Probed& p : probed) {
        ASSERT_LT(p.stream, 2);
        per[p.stream].push_back(p);
    }
    EXPECT_EQ(per[0].size(), v.nb_samples);
    EXPECT_EQ(per[1].size(), a.nb_samples);
    size_t next[2] = {0, 0};
    int64_t last_ms = INT64_MIN;
    for (const SrsMp4ReaderSample& s : d.samples()) {
        const Probed& p = per[s.track][next[s.track]++];
        const SrsMp4ReaderTrack& t = d.tracks()[s.track];
        EXPECT_EQ(p.size, s.size);
        EXPECT_EQ(p.key, s.keyframe) << s.track << " " << next[s.track];
        EXPECT_EQ(p.dts, s.dts + t.shift);
        EXPECT_EQ(p.pts, s.dts + s.cts + t.shift);
        EXPECT_GE(s.dts_ms, last_ms);
        last_ms = s.dts_ms;
        ASSERT_LE(s.offset + s.size, data.size());
    }
    EXPECT_TRUE(d.samples()[0].keyframe || d.samples()[0].track == 1);
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, KernelMp4ReaderFfmpegTest,
    ::testing::Values(Mp4ReaderCase{"H264Aac", "libx264", "-c:v libx264 -bf 2 -g 25 -c:a aac", SrsMp4Codec::AVC,
                                    SrsMp4Codec::AAC},
                      Mp4ReaderCase{"HevcAac", "libx265", "-c:v libx265 -x265-params log-level=none -g 25 -c:a aac",
                                    SrsMp4Codec::HEVC, SrsMp4Codec::AAC},
                      Mp4ReaderCase{"Av1Opus", "libaom-av1", "-c:v libaom-av1 -cpu-used 8 -g 25 -c:a libopus",
                                    SrsMp4Codec::AV1, SrsMp4Codec::Opus},
                      Mp4ReaderCase{"Vp9Opus", "libvpx-vp9", "-c:v libvpx-vp9 -deadline realtime -g 25 -c:a libopus",
                                    SrsMp4Codec::VP9, SrsMp4Codec::Opus}),
    [](const ::testing::TestParamInfo<Mp4ReaderCase>& info) { return std::string(info.param.name); });

// Every prefix of a real file is an error or a smaller valid file, never a crash or a read past the
// end (the sanitizer build checks the latter).
TEST(KernelMp4ReaderTest, TruncatedFileFails) {
    SrsUtestTempDir dir("mp4reader");
    std::string mp4 = dir.path() + "/in.mp4";
    int status = 0;
    run("ffmpeg -v error -y -f lavfi -i testsrc2=size=64x64:rate=10 -f lavfi -i sine -t 0.5 -c:v libx264 -c:a aac '" +
            mp4 + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);
    std::string data = read_file(mp4);
    SrsMp4Demuxer whole;
    srs_error_t err = parse(&whole, data);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    int failed = 0;
    for (size_t n = 0; n < data.size(); n += 1 + n / 64) {
        std::string part = data.substr(0, n);
        SrsMp4Demuxer d;
        err = parse(&d, part);
        if (err != srs_success) {
            failed++;
            srs_error_reset(err);
        }
    }
    EXPECT_GT(failed, 0);
    // The moov is at the end (FFmpeg's default): the file cut anywhere is an error.
    SrsMp4Demuxer d;
    err = parse(&d, data.substr(0, data.size() - 1));
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);
}

TEST(KernelMp4ReaderTest, HandBuiltErrors) {
    SrsMp4Demuxer d;
    srs_error_t err = parse(&d, "");
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err)) << "empty: no moov";
    srs_error_reset(err);

    err = parse(&d, "garbage!garbage!");
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);

    // A box larger than the file.
    err = parse(&d, be32(1000) + "ftyp" + "isom");
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);

    // A box size smaller than its header.
    err = parse(&d, be32(4) + "ftyp");
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);

    // A 64-bit largesize past the end.
    err = parse(&d, be32(1) + "mdat" + be32(1) + be32(0));
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);

    // Fragmented files are refused by name.
    err = parse(&d, mkbox("moov", "") + mkbox("moof", ""));
    ASSERT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    EXPECT_NE(std::string::npos, srs_error_desc(err).find("fragmented"));
    srs_error_reset(err);

    // A moov without a track.
    err = parse(&d, mkbox("moov", mkbox("mvhd", std::string(100, '\0'))));
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);
}

// A minimal audio track whose tables are built per test, to break one at a time.
namespace {

std::string full(uint32_t version_flags, const std::string& body) {
    return be32(version_flags) + body;
}

std::string audio_trak(const std::string& stsz, const std::string& stts, const std::string& stsc,
                       const std::string& stco, const char* stco_type = "stco") {
    std::string tkhd = full(0, be32(0) + be32(0) + be32(1) + std::string(72, '\0'));
    std::string mdhd = full(0, be32(0) + be32(0) + be32(48000) + be32(0) + be32(0));
    std::string hdlr = full(0, be32(0) + "soun" + std::string(13, '\0'));
    // AudioSampleEntry: reserved, data_reference_index, version 0, 2 channels, 16 bits, 48 kHz.
    std::string entry = std::string(6, '\0') + std::string("\x00\x01", 2) + std::string(8, '\0') +
                        std::string("\x00\x02\x00\x10", 4) + be32(0) + be32(48000u << 16);
    std::string dops = std::string("\x00\x02\x01\x38\x00\x00\xbb\x80\x00\x00\x00", 11);
    std::string stsd = full(0, be32(1) + mkbox("Opus", entry + mkbox("dOps", dops)));
    std::string stbl =
        mkbox("stsd", stsd) + mkbox("stts", stts) + mkbox("stsc", stsc) + mkbox("stsz", stsz) + mkbox(stco_type, stco);
    std::string minf = mkbox("stbl", stbl);
    std::string mdia = mkbox("mdhd", mdhd) + mkbox("hdlr", hdlr) + mkbox("minf", minf);
    return mkbox("trak", mkbox("tkhd", tkhd) + mkbox("mdia", mdia));
}

// Two samples of 10 bytes in one chunk at offset 8 (after a 28-byte mdat header... placed first).
std::string audio_file(const std::string& stsz, const std::string& stts, const std::string& stsc,
                       const std::string& stco, const char* stco_type = "stco") {
    std::string mdat = mkbox("mdat", std::string(20, 'x'));
    return mdat + mkbox("moov", audio_trak(stsz, stts, stsc, stco, stco_type));
}

const std::string kStsz = full(0, be32(0) + be32(2) + be32(10) + be32(10));
const std::string kStts = full(0, be32(1) + be32(2) + be32(960));
const std::string kStsc = full(0, be32(1) + be32(1) + be32(2) + be32(1));
const std::string kStco = full(0, be32(1) + be32(8));

}  // namespace

TEST(KernelMp4ReaderTest, HandBuiltTrack) {
    SrsMp4Demuxer d;
    std::string f = audio_file(kStsz, kStts, kStsc, kStco);
    srs_error_t err = parse(&d, f);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(1u, d.tracks().size());
    EXPECT_EQ(SrsMp4Codec::Opus, d.tracks()[0].codec);
    EXPECT_EQ(2, d.tracks()[0].channels);
    ASSERT_EQ(2u, d.samples().size());
    EXPECT_EQ(8u, d.samples()[0].offset);
    EXPECT_EQ(18u, d.samples()[1].offset);
    EXPECT_EQ(20, d.samples()[1].dts_ms);
    EXPECT_TRUE(d.samples()[1].keyframe);

    std::string head;
    err = srs_opus_dops_to_head(d.tracks()[0].config, &head);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(std::string("OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00", 19), head);
}

TEST(KernelMp4ReaderTest, HandBuiltBrokenTables) {
    struct Case {
        const char* what;
        std::string stsz, stts, stsc, stco;
    };
    std::vector<Case> cases = {
        {"sizes past the stsz", full(0, be32(0) + be32(3) + be32(10) + be32(10)), kStts, kStsc, kStco},
        {"a forged huge count", full(0, be32(0) + be32(0xffffffff)), kStts, kStsc, kStco},
        {"constant size times count past the file", full(0, be32(1000) + be32(2)), kStts, kStsc, kStco},
        {"times for fewer samples", kStsz, full(0, be32(1) + be32(1) + be32(960)), kStsc, kStco},
        {"stts entries past its end", kStsz, full(0, be32(5) + be32(1) + be32(960)), kStsc, kStco},
        {"chunks hold fewer samples", kStsz, kStts, full(0, be32(1) + be32(1) + be32(1) + be32(1)), kStco},
        {"stsc first chunk 0", kStsz, kStts, full(0, be32(1) + be32(0) + be32(2) + be32(1)), kStco},
        {"stsc entries past its end", kStsz, kStts, full(0, be32(9) + be32(1) + be32(2) + be32(1)), kStco},
        {"no stsc entry", kStsz, kStts, full(0, be32(0)), kStco},
        {"sample past the file", kStsz, kStts, kStsc, full(0, be32(1) + be32(1000))},
        {"offset near 2^32", kStsz, kStts, kStsc, full(0, be32(1) + be32(0xfffffff0))},
        {"stco entries past its end", kStsz, kStts, kStsc, full(0, be32(1000))},
    };
    for (const Case& c : cases) {
        SrsMp4Demuxer d;
        srs_error_t err = parse(&d, audio_file(c.stsz, c.stts, c.stsc, c.stco));
        EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err)) << c.what;
        srs_error_reset(err);
    }
}

TEST(KernelMp4ReaderTest, DopsToOpusHeadErrors) {
    std::string head;
    srs_error_t err = srs_opus_dops_to_head("", &head);
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);
    // Family 1 without the stream counts and mapping.
    err = srs_opus_dops_to_head(std::string("\x00\x02\x01\x38\x00\x00\xbb\x80\x00\x00\x01", 11), &head);
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);
    err = srs_opus_dops_to_head(std::string("\x00\x02\x01\x38\x00\x00\xbb\x80\x00\x00\x01\x01\x01\x00\x01", 15), &head);
    EXPECT_TRUE(err == srs_success);
    EXPECT_EQ(23u, head.size());
}

// 64-bit chunk offsets (co64), as a file over 4 GiB has them.
TEST(KernelMp4ReaderTest, HandBuiltCo64) {
    SrsMp4Demuxer d;
    srs_error_t err = parse(&d, audio_file(kStsz, kStts, kStsc, full(0, be32(1) + be32(0) + be32(8)), "co64"));
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(2u, d.samples().size());
    EXPECT_EQ(18u, d.samples()[1].offset);
    // An offset with its high word set is past this small file.
    err = parse(&d, audio_file(kStsz, kStts, kStsc, full(0, be32(1) + be32(1) + be32(8)), "co64"));
    EXPECT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);
}

// -movflags +faststart puts the moov before the mdat: the same samples, and a file cut short now
// fails on the samples past its end rather than on a missing moov.
TEST(KernelMp4ReaderTest, FaststartFile) {
    SrsUtestTempDir dir("mp4reader");
    std::string a = dir.path() + "/a.mp4", b = dir.path() + "/b.mp4";
    int status = 0;
    std::string gen =
        "ffmpeg -v error -y -f lavfi -i testsrc2=size=64x64:rate=10 -f lavfi -i sine -t 1 -c:v libx264 "
        "-c:a aac ";
    run(gen + "'" + a + "' 2>&1", &status);
    ASSERT_EQ(0, status);
    run(gen + "-movflags +faststart '" + b + "' 2>&1", &status);
    ASSERT_EQ(0, status);
    std::string da = read_file(a), db = read_file(b);
    ASSERT_LT(db.find("moov"), db.find("mdat"));
    SrsMp4Demuxer x, y;
    srs_error_t err = parse(&x, da);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    err = parse(&y, db);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(x.samples().size(), y.samples().size());
    for (size_t i = 0; i < x.samples().size(); i++) {
        EXPECT_EQ(x.samples()[i].size, y.samples()[i].size);
        EXPECT_EQ(x.samples()[i].dts_ms, y.samples()[i].dts_ms);
        EXPECT_EQ(std::string(x.sample_data(x.samples()[i]), x.samples()[i].size),
                  std::string(y.sample_data(y.samples()[i]), y.samples()[i].size));
    }
    err = parse(&y, db.substr(0, db.size() - 1));
    ASSERT_EQ(ERROR_KERNEL_MP4_DEMUX, srs_error_code(err));
    srs_error_reset(err);
}
