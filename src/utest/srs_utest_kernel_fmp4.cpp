// Fragmented MP4: the boxes' bytes (ftyp/styp, moov with mvex/trex, moof/mfhd/traf/tfhd/tfdt/
// trun with data offsets, mdat), the muxer's timing rules (held-back samples, durations,
// continuity across fragments and republish, steps back, negative composition offsets, audio
// snapping, the keyframe start), and round trips through ffmpeg's encoders and ffprobe (H.264
// + AAC from FLV, HEVC over enhanced RTMP tags, AV1 + Opus from an FFmpeg MP4); the sample
// entries of AV1, VP9, Opus, MP3 and AC-3 tracks are the DVR muxer's, byte for byte.
#include <gtest/gtest.h>
#include <srs_utest_shell.hpp>

#include <srs_kernel_flv.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_fmp4.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_mp4_reader.hpp>
#include <srs_utest_kernel_media.hpp>
#include <srs_utest_kernel_records.hpp>
#include <srs_utest_mp4_boxes.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using srs_utest::find_box;
using srs_utest::rb32;
using srs_utest::rb64;
using srs_utest::split_annexb;

// The top-level box types of a byte stream, in order.
std::vector<std::string> top_boxes(const std::string& data) {
    std::vector<std::string> out;
    size_t at = 0;
    while (at + 8 <= data.size()) {
        uint32_t size = rb32(data, at);
        if (size < 8) {
            break;
        }
        out.push_back(data.substr(at + 4, 4));
        at += size;
    }
    return out;
}

// One parsed trun (14496-12 8.8.8) with the flags the muxer sets.
struct Trun {
    int version = 0;
    uint32_t flags = 0;
    int32_t data_offset = 0;
    std::vector<SrsFmp4Sample> samples;
};
Trun parse_trun(const std::string& b) {
    Trun t;
    t.version = (uint8_t)b[8];
    t.flags = rb32(b, 8) & 0xffffff;
    uint32_t n = rb32(b, 12);
    t.data_offset = (int32_t)rb32(b, 16);
    size_t at = 20;
    for (uint32_t i = 0; i < n; i++) {
        SrsFmp4Sample s;
        s.duration = rb32(b, at);
        s.size = rb32(b, at + 4);
        s.sync = rb32(b, at + 8) == SRS_FMP4_FLAGS_SYNC;
        at += 12;
        if (t.flags & 0x800) {
            s.cts = (int32_t)rb32(b, at);
            at += 4;
        }
        t.samples.push_back(s);
    }
    return t;
}

const std::string kSps = srs_utest::small_avc_sps();
const std::string kPps = srs_utest::small_avc_pps();
using srs_utest::flv_avc_frame;
using srs_utest::flv_avc_sh;
using srs_utest::small_avcc;
std::string flv_aac_sh() {
    return std::string("\xaf\x00\x12\x10", 4);  // AAC-LC 44.1 kHz stereo
}
std::string flv_aac_raw(const std::string& frame) {
    return std::string("\xaf\x01", 2) + frame;
}
std::string idr(char tag) {
    return std::string("\x65\x88", 2) + std::string(10, tag);
}
std::string slice(char tag) {
    return std::string("\x41\x9a", 2) + std::string(6, tag);
}

void video(SrsFmp4Muxer* m, int64_t ts, bool key, int32_t cts = 0, char tag = 'v') {
    std::string b = flv_avc_frame(key, cts, key ? idr(tag) : slice(tag));
    srs_error_t err = m->write_video(ts, b.data(), (int)b.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
}
void audio(SrsFmp4Muxer* m, int64_t ts) {
    std::string b = flv_aac_raw(std::string(20, 'a'));
    srs_error_t err = m->write_audio(ts, b.data(), (int)b.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
}
void headers(SrsFmp4Muxer* m) {
    std::string v = flv_avc_sh(), a = flv_aac_sh();
    ASSERT_TRUE(m->write_video(0, v.data(), (int)v.size()) == srs_success);
    ASSERT_TRUE(m->write_audio(0, a.data(), (int)a.size()) == srs_success);
}

// The tfdt of a fragment's traf (index 0 video, 1 audio when both).
uint64_t tfdt(const std::string& frag, int traf) {
    std::string b = find_box(frag, {"moof", "traf", "tfdt"}, 0);
    if (traf > 0) {
        std::string t = find_box(frag, {"moof", "traf"}, traf);
        b = find_box(t.substr(8), {"tfdt"});
    }
    return b.size() >= 20 ? rb64(b, 12) : (uint64_t)-1;
}

}  // namespace

TEST(KernelFmp4Test, FtypStypAndMdatHeader) {
    std::string f = srs_fmp4_ftyp();
    ASSERT_EQ(32u, f.size());
    EXPECT_EQ(std::string("\x00\x00\x00\x20"
                          "ftypiso6\x00\x00\x00\x00"
                          "iso6cmfciso5dash",
                          32),
              f);
    std::string s = srs_fmp4_styp();
    EXPECT_EQ("styp", s.substr(4, 4));
    EXPECT_EQ("msdh", s.substr(8, 4));
    EXPECT_EQ(s.size(), rb32(s, 0));
    EXPECT_EQ(std::string("\x00\x00\x00\x0cmdat", 8), srs_fmp4_mdat_header(4));
    std::string big = srs_fmp4_mdat_header(0x100000000ULL);
    ASSERT_EQ(16u, big.size());
    EXPECT_EQ(1u, rb32(big, 0));
    EXPECT_EQ(0x100000010ULL, rb64(big, 8));
}

TEST(KernelFmp4Test, MoofLayoutBytes) {
    SrsFmp4Run v;
    v.track_id = 1;
    v.samples = {{1000, 0, 3600, 100, true}, {4600, 0, 3600, 50, false}};
    SrsFmp4Run a;
    a.track_id = 2;
    a.samples = {{2048, 0, 1024, 7, true}};
    std::string moof = srs_fmp4_moof(9, {v, a});
    ASSERT_EQ(moof.size(), rb32(moof, 0));
    EXPECT_EQ("moof", moof.substr(4, 4));
    // mfhd: size 16, version 0, sequence 9.
    EXPECT_EQ(std::string("\x00\x00\x00\x10mfhd\x00\x00\x00\x00\x00\x00\x00\x09", 16), moof.substr(8, 16));
    // tfhd: default-base-is-moof, the track id, nothing else.
    std::string tfhd = find_box(moof, {"moof", "traf", "tfhd"});
    EXPECT_EQ(std::string("\x00\x00\x00\x10tfhd\x00\x02\x00\x00\x00\x00\x00\x01", 16), tfhd);
    // tfdt version 1, 64-bit base decode time.
    std::string t = find_box(moof, {"moof", "traf", "tfdt"});
    EXPECT_EQ(std::string("\x00\x00\x00\x14tfdt\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\xe8", 20), t);
    // trun: data offset, duration, size, flags; no composition offsets (all zero).
    std::string trun = find_box(moof, {"moof", "traf", "trun"});
    EXPECT_EQ(20u + 2 * 12, trun.size());
    Trun r = parse_trun(trun);
    EXPECT_EQ(0, r.version);
    EXPECT_EQ(0x701u, r.flags);
    // The video bytes start right after the moof and the mdat header.
    EXPECT_EQ((int32_t)moof.size() + 8, r.data_offset);
    ASSERT_EQ(2u, r.samples.size());
    EXPECT_EQ(3600u, r.samples[0].duration);
    EXPECT_EQ(100u, r.samples[0].size);
    EXPECT_EQ(SRS_FMP4_FLAGS_SYNC, rb32(trun, 28));
    EXPECT_EQ(SRS_FMP4_FLAGS_NON_SYNC, rb32(trun, 40));
    // The audio run's bytes follow the video run's 150.
    std::string traf2 = find_box(moof, {"moof", "traf"}, 1);
    std::string trun2 = find_box(traf2.substr(8), {"trun"});
    EXPECT_EQ((int32_t)moof.size() + 8 + 150, parse_trun(trun2).data_offset);
    EXPECT_EQ(2u, rb32(find_box(traf2.substr(8), {"tfhd"}), 12));
    EXPECT_EQ(2048u, rb64(find_box(traf2.substr(8), {"tfdt"}), 12));
}

TEST(KernelFmp4Test, TrunCompositionOffsetsSignedInVersion1) {
    SrsFmp4Run v;
    v.samples = {{0, 7200, 3600, 10, true}, {3600, 0, 3600, 10, false}};
    Trun r = parse_trun(find_box(srs_fmp4_moof(1, {v}), {"moof", "traf", "trun"}));
    EXPECT_EQ(0, r.version);
    EXPECT_EQ(0xf01u, r.flags);
    EXPECT_EQ(7200, r.samples[0].cts);

    v.samples[1].cts = -3600;
    r = parse_trun(find_box(srs_fmp4_moof(1, {v}), {"moof", "traf", "trun"}));
    EXPECT_EQ(1, r.version);
    EXPECT_EQ(-3600, r.samples[1].cts);
}

TEST(KernelFmp4Test, InitSegment) {
    SrsFmp4Muxer m;
    EXPECT_FALSE(m.ready(true, true));
    headers(&m);
    EXPECT_TRUE(m.ready(true, true));
    EXPECT_EQ(2u, m.config_version());
    std::string init = m.init_segment();
    EXPECT_EQ((std::vector<std::string>{"ftyp", "moov"}), top_boxes(init));
    std::string moov = find_box(init, {"moov"});
    EXPECT_EQ(0u, rb32(find_box(moov, {"moov", "mvhd"}), 24));  // duration 0
    // Video: 90 kHz, avc1/avcC with the sequence header's record, 64x48, no sample index.
    std::string trak = find_box(moov, {"moov", "trak"}, 0);
    std::string mdhd = find_box(trak, {"trak", "mdia", "mdhd"});
    EXPECT_EQ(90000u, rb32(mdhd, 20));
    std::string stbl = find_box(trak, {"trak", "mdia", "minf", "stbl"});
    ASSERT_FALSE(stbl.empty());
    EXPECT_EQ((std::vector<std::string>{"stsd", "stts", "stsc", "stsz", "stco"}), top_boxes(stbl.substr(8)));
    std::string stsd = find_box(stbl, {"stbl", "stsd"});
    EXPECT_NE(std::string::npos, stsd.find("avc1"));
    EXPECT_NE(std::string::npos, stsd.find(small_avcc()));
    EXPECT_EQ(0u, rb32(find_box(stbl, {"stbl", "stts"}), 12));  // no samples
    // Audio: the sample rate as timescale.
    std::string atrak = find_box(moov, {"moov", "trak"}, 1);
    EXPECT_EQ(44100u, rb32(find_box(atrak, {"trak", "mdia", "mdhd"}), 20));
    EXPECT_EQ(2u, rb32(find_box(atrak, {"trak", "tkhd"}), 20));
    // mvex: one trex per track, sample description 1.
    std::string trex0 = find_box(moov, {"moov", "mvex", "trex"}, 0);
    std::string trex1 = find_box(moov, {"moov", "mvex", "trex"}, 1);
    EXPECT_EQ(std::string("\x00\x00\x00\x20trex\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01", 20),
              trex0.substr(0, 20));
    EXPECT_EQ(32u, trex0.size());
    EXPECT_EQ(2u, rb32(trex1, 12));

    // The same sequence header again is no new configuration; another one is.
    std::string v = flv_avc_sh();
    ASSERT_TRUE(m.write_video(100, v.data(), (int)v.size()) == srs_success);
    EXPECT_EQ(2u, m.config_version());
    v[v.size() - 1] ^= 1;
    ASSERT_TRUE(m.write_video(100, v.data(), (int)v.size()) == srs_success);
    EXPECT_EQ(3u, m.config_version());
    // Audio only wanted: ready without video.
    SrsFmp4Muxer a;
    std::string ash = flv_aac_sh();
    ASSERT_TRUE(a.write_audio(0, ash.data(), (int)ash.size()) == srs_success);
    EXPECT_TRUE(a.ready(false, true));
    EXPECT_FALSE(a.ready(true, true));
}

TEST(KernelFmp4Test, HoldsBackTheLastSampleAndDurationsFromNextDts) {
    SrsFmp4Muxer m;
    headers(&m);
    video(&m, 0, true);
    EXPECT_TRUE(m.last_input().sample && m.last_input().video && m.last_input().keyframe);
    EXPECT_FALSE(m.has_fragment());  // the only sample waits for its duration
    video(&m, 40, false);
    video(&m, 80, false);
    EXPECT_TRUE(m.has_fragment());
    std::string f;
    ASSERT_TRUE(m.fragment(false, &f) == srs_success);
    EXPECT_EQ((std::vector<std::string>{"moof", "mdat"}), top_boxes(f));
    ASSERT_EQ(1u, m.last_runs().size());
    const std::vector<SrsFmp4Sample>& s = m.last_runs()[0].samples;
    ASSERT_EQ(2u, s.size());
    EXPECT_EQ(0, s[0].dts);
    EXPECT_EQ(3600u, s[0].duration);
    EXPECT_EQ(3600, s[1].dts);
    EXPECT_EQ(3600u, s[1].duration);
    EXPECT_TRUE(s[0].sync);
    EXPECT_FALSE(s[1].sync);
    // The samples are length-prefixed (avcC length size 4) in the mdat, at the trun's offset.
    Trun r = parse_trun(find_box(f, {"moof", "traf", "trun"}));
    std::string first = f.substr(r.data_offset, s[0].size);
    EXPECT_EQ(std::string("\x00\x00\x00\x0c", 4) + idr('v'), first);
    EXPECT_EQ(f.size(), (size_t)r.data_offset + s[0].size + s[1].size);

    // The held-back sample opens the next fragment, whose tfdt is where the last one ended.
    video(&m, 120, true);
    std::string g;
    ASSERT_TRUE(m.fragment(false, &g) == srs_success);
    EXPECT_EQ(7200u, tfdt(g, 0));
    EXPECT_EQ(2u, rb32(find_box(g, {"moof", "mfhd"}), 12));
    ASSERT_TRUE(m.fragment(false, &g) == srs_success);  // nothing: appends nothing
    EXPECT_EQ(2u, m.sequence_number());
    // flush() cuts the held-back sample with the previous duration.
    std::string h;
    ASSERT_TRUE(m.flush(true, &h) == srs_success);
    EXPECT_EQ((std::vector<std::string>{"styp", "moof", "mdat"}), top_boxes(h));
    EXPECT_EQ(10800u, tfdt(h, 0));
    EXPECT_EQ(3600u, m.last_runs()[0].samples[0].duration);
}

TEST(KernelFmp4Test, StartsAtKeyframeAndDropsEarlierSamples) {
    SrsFmp4Muxer m;
    headers(&m);
    audio(&m, 0);
    EXPECT_FALSE(m.last_input().sample);
    video(&m, 0, false);
    EXPECT_FALSE(m.last_input().sample);
    video(&m, 40, true);
    audio(&m, 30);  // before the keyframe: before time 0
    EXPECT_FALSE(m.last_input().sample);
    audio(&m, 46);
    audio(&m, 69);
    video(&m, 80, false);
    std::string f;
    ASSERT_TRUE(m.fragment(false, &f) == srs_success);
    ASSERT_EQ(2u, m.last_runs().size());
    // The first kept sample is time 0 on both tracks' clocks: 40 ms in was the keyframe, the
    // audio at 46 ms is 6 ms later.
    EXPECT_EQ(0, m.last_runs()[0].samples[0].dts);
    EXPECT_EQ(6 * 441 / 10, m.last_runs()[1].samples[0].dts);
    // discard() waits for the next keyframe again.
    m.discard();
    EXPECT_FALSE(m.has_fragment());
    video(&m, 120, false);
    EXPECT_FALSE(m.last_input().sample);
    video(&m, 160, true);
    EXPECT_TRUE(m.last_input().sample);
}

TEST(KernelFmp4Test, AudioSnapsToWholeFrames) {
    SrsFmp4Muxer m;
    std::string a = flv_aac_sh();
    ASSERT_TRUE(m.write_audio(0, a.data(), (int)a.size()) == srs_success);
    // 1024 samples at 44.1 kHz are 23.2 ms: FLV says 0, 23, 46, 70, 93, then a gap of 1 s.
    for (int64_t ts : {0, 23, 46, 70, 93, 1093, 1116}) {
        audio(&m, ts);
    }
    std::string f;
    ASSERT_TRUE(m.fragment(false, &f) == srs_success);
    const std::vector<SrsFmp4Sample>& s = m.last_runs()[0].samples;
    ASSERT_EQ(6u, s.size());
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(i * 1024, s[i].dts);
        EXPECT_EQ(1024u, s[i].duration) << i;
    }
    // The gap is kept (more than half a frame off), and the next frame snaps again.
    EXPECT_EQ(4 * 1024, s[4].dts);
    EXPECT_EQ(1093 * 441 / 10, s[5].dts);
    EXPECT_EQ((uint32_t)(s[5].dts - s[4].dts), s[4].duration);
    EXPECT_EQ(1024u, s[5].duration);
}

TEST(KernelFmp4Test, NegativeCompositionOffsetsAndStepsBack) {
    SrsFmp4Muxer m;
    headers(&m);
    video(&m, 0, true, 0);
    video(&m, 40, false, -40);  // FLV's CompositionTime is a signed 24-bit value
    // A step back of 10 ms keeps the previous dts (zero duration) and the sample's pts.
    video(&m, 30, false, 40);
    video(&m, 80, false, 0);
    std::string f;
    ASSERT_TRUE(m.fragment(false, &f) == srs_success);
    Trun r = parse_trun(find_box(f, {"moof", "traf", "trun"}));
    EXPECT_EQ(1, r.version);
    ASSERT_EQ(3u, r.samples.size());
    EXPECT_EQ(-3600, r.samples[1].cts);
    EXPECT_EQ(0u, r.samples[1].duration);
    // pts = 30 + 40 = 70 ms = 6300; dts stays at 3600.
    EXPECT_EQ(6300 - 3600, r.samples[2].cts);
    EXPECT_EQ(3600u, r.samples[2].duration);
}

TEST(KernelFmp4Test, DecodeTimesContinueAcrossRepublishAndClockResets) {
    SrsFmp4Muxer m;
    headers(&m);
    for (int i = 0; i < 5; i++) {
        video(&m, 1000 + i * 40, i == 0);
        audio(&m, 1000 + i * 40);
    }
    std::string f;
    ASSERT_TRUE(m.fragment(false, &f) == srs_success);
    // Republish: the new publisher starts at 0 ms; the held-back samples end first.
    m.new_epoch();
    EXPECT_TRUE(m.has_fragment());
    headers(&m);
    video(&m, 0, true);
    audio(&m, 0);
    video(&m, 40, false);
    audio(&m, 40);
    std::string g;
    ASSERT_TRUE(m.fragment(false, &g) == srs_success);
    const std::vector<SrsFmp4Sample>& v = m.last_runs()[0].samples;
    ASSERT_EQ(2u, v.size());
    EXPECT_EQ(4 * 3600, v[0].dts);  // the held-back frame of the old epoch
    EXPECT_EQ(3600u, v[0].duration);
    EXPECT_EQ(5 * 3600, v[1].dts);  // the new keyframe continues right after it
    EXPECT_EQ(4 * 3600u, tfdt(g, 0));
    // Audio never goes back either: its new epoch starts at or after its own end.
    const std::vector<SrsFmp4Sample>& a = m.last_runs()[1].samples;
    ASSERT_EQ(2u, a.size());
    EXPECT_GE(a[1].dts, a[0].dts + (int64_t)a[0].duration);

    // Without an unpublish, a clock that goes back by minutes is a new epoch too.
    video(&m, 80, false);
    video(&m, 10, true);  // not a reset: a step back of 70 ms
    int64_t before = m.last_runs()[0].samples.back().dts;
    video(&m, 50000, false);
    video(&m, 100, true);
    video(&m, 140, false);
    std::string h;
    ASSERT_TRUE(m.fragment(false, &h) == srs_success);
    const std::vector<SrsFmp4Sample>& s = m.last_runs()[0].samples;
    for (size_t i = 1; i < s.size(); i++) {
        EXPECT_EQ(s[i].dts, s[i - 1].dts + (int64_t)s[i - 1].duration) << i;
        EXPECT_GE(s[i].dts, before);
    }
    EXPECT_LT(s.back().dts - s.front().dts, 60 * 90000);
}

TEST(KernelFmp4Test, DroppedAndUnsupportedInput) {
    SrsFmp4Muxer m;
    // Garbage, an unsupported codec (VP6), samples before any config: no error, nothing queued.
    std::string junk("\x17\x01", 2);
    EXPECT_TRUE(m.write_video(0, junk.data(), (int)junk.size()) == srs_success);
    std::string vp6("\x14\x00\x00\x00\x00", 5);
    EXPECT_TRUE(m.write_video(0, vp6.data(), (int)vp6.size()) == srs_success);
    video(&m, 0, true);
    audio(&m, 0);
    // Speex (FLV SoundFormat 11): not carried in MP4 here.
    std::string speex("\xb6\x01\x02\x03", 4);
    EXPECT_TRUE(m.write_audio(0, speex.data(), (int)speex.size()) == srs_success);
    EXPECT_FALSE(m.has_fragment());
    EXPECT_FALSE(m.has_audio());
    EXPECT_FALSE(m.has_video());
    std::string f;
    EXPECT_TRUE(m.flush(false, &f) == srs_success);
    EXPECT_TRUE(f.empty());
}

namespace {

using srs_utest::has_tool;

// In a subshell: run_command's </dev/null must reach the first command of a pipeline only.
std::string run(const std::string& cmd, int* status) {
    return srs_utest::run_command("(" + cmd + ")", status);
}

}  // namespace

// ffmpeg encodes H.264 (with B-frames: composition offsets) + AAC into FLV; our FLV decoder
// and fMP4 muxer make init + one fragment per GOP; ffprobe/ffmpeg read it back: same codecs,
// size and frame count, no decode error, and the video packets equal the FLV's.
TEST(KernelFmp4Test, RoundTripThroughFfmpeg) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    char tmpl[] = "/tmp/srs_utest_fmp4_XXXXXX";
    ASSERT_TRUE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    std::string flv = dir + "/in.flv", mp4 = dir + "/out.mp4";
    int status = 0;
    run("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine -t 4 -c:v libx264 -bf 2 -g 25 "
        "-c:a aac -f flv '" +
            flv + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);

    SrsFileReader fr;
    ASSERT_TRUE(fr.open(flv) == srs_success);
    SrsFlvDecoder dec(&fr);
    ASSERT_TRUE(dec.read_header() == srs_success);
    SrsFmp4Muxer mux;
    std::string out;
    bool init = false;
    int fragments = 0;
    while (true) {
        SrsMediaMessage msg;
        srs_error_t err = dec.read_message(&msg);
        if (srs_error_code(err) == ERROR_SYSTEM_FILE_EOF) {
            srs_error_reset(err);
            break;
        }
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        if (msg.is_video()) {
            err = mux.write_video(msg.timestamp, msg.data(), msg.size());
        } else if (msg.is_audio()) {
            err = mux.write_audio(msg.timestamp, msg.data(), msg.size());
        }
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        // A fragment ends before each keyframe: every fragment starts with a sync sample.
        if (mux.last_input().keyframe && mux.has_fragment()) {
            if (!init) {
                ASSERT_TRUE(mux.ready(true, true));
                out += mux.init_segment();
                init = true;
            }
            ASSERT_TRUE(mux.fragment(false, &out) == srs_success);
            fragments++;
        }
    }
    ASSERT_TRUE(init);
    ASSERT_TRUE(mux.flush(false, &out) == srs_success);
    EXPECT_GE(fragments, 3);
    {
        std::ofstream f(mp4, std::ios::binary);
        f.write(out.data(), out.size());
    }

    std::string probe =
        run("ffprobe -v error -count_packets -show_entries stream=codec_name,width,height,sample_rate,nb_read_packets "
            "-of default=noprint_wrappers=1 '" +
                mp4 + "' 2>&1",
            &status);
    EXPECT_EQ(0, status) << probe;
    EXPECT_NE(std::string::npos, probe.find("codec_name=h264")) << probe;
    EXPECT_NE(std::string::npos, probe.find("width=320")) << probe;
    EXPECT_NE(std::string::npos, probe.find("height=240")) << probe;
    EXPECT_NE(std::string::npos, probe.find("codec_name=aac")) << probe;
    EXPECT_NE(std::string::npos, probe.find("sample_rate=44100")) << probe;
    EXPECT_NE(std::string::npos, probe.find("nb_read_packets=100")) << probe;

    std::string decode = run("ffmpeg -v error -i '" + mp4 + "' -f null - 2>&1", &status);
    EXPECT_EQ(0, status);
    EXPECT_EQ("", decode);

    // The video packets (bytes) are the FLV's, in order, and so are their pts (in ms).
    std::string cmd =
        "ffmpeg -v error -i '%s' -map 0:v -c copy -f framemd5 - 2>/dev/null | grep -v '^#' | "
        "awk -F, '{print $NF}'";
    std::vector<char> a(cmd.size() + mp4.size() + 1), b(cmd.size() + flv.size() + 1);
    snprintf(a.data(), a.size(), cmd.c_str(), mp4.c_str());
    snprintf(b.data(), b.size(), cmd.c_str(), flv.c_str());
    std::string hm = run(a.data(), &status), hf = run(b.data(), &status);
    EXPECT_EQ(100u, (size_t)std::count(hm.begin(), hm.end(), '\n'));
    EXPECT_EQ(hf, hm);
    std::string pts_cmd = "ffprobe -v error -select_streams v -show_entries packet=pts_time -of csv=p=0 '";
    std::string pm = run(pts_cmd + mp4 + "' | sort -n | head -20", &status);
    std::string pf = run(pts_cmd + flv + "' | sort -n | head -20", &status);
    EXPECT_FALSE(pm.empty());
    EXPECT_EQ(pf, pm);
    run("rm -rf '" + dir + "'", &status);
}

// libx265 pictures over enhanced RTMP tags (hvc1 sequence start and coded frames) into hvc1
// fragments, read back by ffprobe: hevc 320x240, every frame, no decode error.
TEST(KernelFmp4Test, HevcOverEnhancedRtmpRoundTrip) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    int status = 0;
    std::string encoders = run("ffmpeg -hide_banner -encoders 2>/dev/null", &status);
    if (encoders.find("libx265") == std::string::npos) {
        GTEST_SKIP() << "libx265 not available";
    }
    char tmpl[] = "/tmp/srs_utest_fmp4_XXXXXX";
    ASSERT_TRUE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    std::string hevc = dir + "/in.hevc", mp4 = dir + "/out.mp4";
    run("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 50 -c:v libx265 "
        "-x265-params log-level=error:bframes=0:keyint=25 -f hevc '" +
            hevc + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);
    std::ifstream in(hevc, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    std::string vps, sps, pps;
    std::vector<std::vector<std::string>> aus = srs_utest::hevc_access_units(bytes, &vps, &sps, &pps);
    ASSERT_EQ(50u, aus.size());

    SrsFmp4Muxer mux;
    std::string sh = std::string("\x90hvc1", 5) + srs_utest::make_hvcc(vps, sps, pps);
    ASSERT_TRUE(mux.write_video(0, sh.data(), (int)sh.size()) == srs_success);
    ASSERT_TRUE(mux.ready(true, false));
    std::string out = mux.init_segment();
    EXPECT_NE(std::string::npos, out.find("hvc1"));
    EXPECT_NE(std::string::npos, out.find("hvcC"));
    for (size_t i = 0; i < aus.size(); i++) {
        bool key = i % 25 == 0;
        // CodedFramesX: no composition time (no B-frames).
        std::string tag = std::string(key ? "\x93" : "\xa3", 1) + "hvc1" + srs_utest::avcc_nalus(aus[i]);
        srs_error_t err = mux.write_video((int64_t)i * 40, tag.data(), (int)tag.size());
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        if (mux.last_input().keyframe) {
            ASSERT_TRUE(mux.fragment(false, &out) == srs_success);
        }
    }
    ASSERT_TRUE(mux.flush(false, &out) == srs_success);
    EXPECT_EQ(2u, mux.sequence_number());  // a GOP each
    {
        std::ofstream f(mp4, std::ios::binary);
        f.write(out.data(), out.size());
    }
    std::string probe = run(
        "ffprobe -v error -count_frames -show_entries stream=codec_name,codec_tag_string,width,height,nb_read_frames "
        "-of default=noprint_wrappers=1 '" +
            mp4 + "' 2>&1",
        &status);
    EXPECT_EQ(0, status) << probe;
    EXPECT_NE(std::string::npos, probe.find("codec_name=hevc")) << probe;
    EXPECT_NE(std::string::npos, probe.find("codec_tag_string=hvc1")) << probe;
    EXPECT_NE(std::string::npos, probe.find("width=320")) << probe;
    EXPECT_NE(std::string::npos, probe.find("nb_read_frames=50")) << probe;
    std::string decode = run("ffmpeg -v error -i '" + mp4 + "' -f null - 2>&1", &status);
    EXPECT_EQ(0, status);
    EXPECT_EQ("", decode);
    run("rm -rf '" + dir + "'", &status);
}

namespace {

// The DVR muxer writes its file nowhere: only its tracks' sample entries are compared.
class NullSeekWriter : public ISrsSeekWriter {
public:
    srs_error_t write(const void*, size_t size, ssize_t* nwrite) override {
        if (nwrite) {
            *nwrite = size;
        }
        return srs_success;
    }
    srs_error_t writev(const iovec* iov, int n, ssize_t* nwrite) override {
        size_t size = 0;
        for (int i = 0; i < n; i++) {
            size += iov[i].iov_len;
        }
        return write(nullptr, size, nwrite);
    }
    srs_error_t seek(int64_t) override { return srs_success; }
};

struct EntryCase {
    const char* name;
    // Tags in order: (video?, body).
    std::vector<std::pair<bool, std::string>> tags;
    const char* entry;
};

std::string dolby_ac3_frame() {
    // FFmpeg's ac3 encoder, 48 kHz mono 96 kb/s: syncinfo and bsi, then the frame's body.
    return std::string("\x0b\x77\x48\x0d\x0c\x40\x2f\x84", 8) + std::string(184, '\x55');
}

std::vector<EntryCase> entry_cases() {
    std::string av1_key = std::string("\x12\x00", 2) + std::string("\x32\x03\x10\x20\x30", 5);
    return {
        {"av01",
         {{true, SrsExTagWriter::video(1, 0, SrsExVideoFourCCAV1, 0) + srs_utest::kAv1cSvt},
          {true, SrsExTagWriter::video(1, 1, SrsExVideoFourCCAV1, 0) + av1_key}},
         "av01"},
        // The vpcC has no size: the init segment waits for the key frame's 320x240.
        {"vp09",
         {{true, SrsExTagWriter::video(1, 0, SrsExVideoFourCCVP9, 0) + srs_utest::kVpccProfile0},
          {true, SrsExTagWriter::video(1, 1, SrsExVideoFourCCVP9, 0) + srs_utest::kVp9Key320x240}},
         "vp09"},
        {"Opus",
         {{false, SrsExTagWriter::audio(0, SrsExAudioFourCCOpus) + srs_utest::kOpusHeadStereo},
          {false, SrsExTagWriter::audio(1, SrsExAudioFourCCOpus) + std::string(10, 'o')}},
         "Opus"},
        {"mp3", {{false, std::string("\x2f\xff\xfb\x90\x00", 5) + std::string(100, '\x11')}}, "mp4a"},
        {"ac-3", {{false, SrsExTagWriter::audio(1, SrsExAudioFourCCAC3) + dolby_ac3_frame()}}, "ac-3"},
    };
}

}  // namespace

// One description per codec: the fMP4 init segment's stsd is the one the DVR's MP4 file gets for
// the same tags (srs_mp4_track_set_video / srs_mp4_track_set_audio, shared).
TEST(KernelFmp4Test, SampleEntriesAreTheDvrOnes) {
    for (const EntryCase& c : entry_cases()) {
        SCOPED_TRACE(c.name);
        NullSeekWriter w;
        SrsMp4Muxer dvr(&w);
        ASSERT_TRUE(dvr.open() == srs_success);
        SrsFmp4Muxer m;
        bool video = c.tags[0].first;
        for (size_t i = 0; i < c.tags.size(); i++) {
            const std::string& b = c.tags[i].second;
            if (c.tags[i].first) {
                ASSERT_TRUE(dvr.write_video(0, b.data(), (int)b.size()) == srs_success);
                ASSERT_TRUE(m.write_video(0, b.data(), (int)b.size()) == srs_success);
            } else {
                ASSERT_TRUE(dvr.write_audio(0, b.data(), (int)b.size()) == srs_success);
                ASSERT_TRUE(m.write_audio(0, b.data(), (int)b.size()) == srs_success);
            }
            // Only a VP9 track waits for its first frame to be described.
            if (i == 0 && c.tags.size() > 1) {
                EXPECT_EQ(std::string(c.name) != "vp09", m.ready(video, !video));
            }
        }
        ASSERT_TRUE(m.ready(video, !video));
        const SrsMp4Track& t = video ? dvr.video() : dvr.audio();
        ASSERT_EQ(1u, t.samples.size());
        std::string expected = srs_mp4_stsd(t);
        std::string init = m.init_segment();
        std::string stsd = find_box(init, {"moov", "trak", "mdia", "minf", "stbl", "stsd"});
        ASSERT_FALSE(stsd.empty());
        EXPECT_EQ(expected, stsd);
        EXPECT_EQ(c.entry, stsd.substr(20, 4));
        // The fragment carries the same sample bytes as the DVR's mdat.
        std::string frag;
        ASSERT_TRUE(m.flush(false, &frag) == srs_success);
        ASSERT_EQ(1u, m.last_runs().size());
        ASSERT_EQ(1u, m.last_runs()[0].samples.size());
        EXPECT_EQ(t.samples[0].size, m.last_runs()[0].samples[0].size);
        std::string mdhd = find_box(init, {"moov", "trak", "mdia", "mdhd"});
        uint32_t timescale = rb32(mdhd, 20);
        if (std::string(c.name) == "vp09") {
            EXPECT_EQ(320, t.width);
            std::string tkhd = find_box(init, {"moov", "trak", "tkhd"});
            EXPECT_EQ(320u << 16, rb32(tkhd, 84));
            EXPECT_EQ(240u << 16, rb32(tkhd, 88));
        }
        // Opus counts in 48 kHz, its decoding rate; the others in their sampling rate or 90 kHz.
        if (std::string(c.name) == "Opus" || std::string(c.name) == "ac-3") {
            EXPECT_EQ(48000u, timescale);
        } else if (std::string(c.name) == "mp3") {
            EXPECT_EQ(44100u, timescale);
        } else {
            EXPECT_EQ(90000u, timescale);
        }
    }
}

// FFmpeg encodes AV1 (libaom) + Opus into an MP4; its samples go through enhanced RTMP tags (av01
// and Opus sequence starts and coded frames) into fragments, which ffprobe and ffmpeg read back:
// av1 320x240 and opus, every packet, the packets' bytes equal to the source file's.
TEST(KernelFmp4Test, Av1OpusRoundTrip) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    char tmpl[] = "/tmp/srs_utest_fmp4_XXXXXX";
    ASSERT_TRUE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    std::string src = dir + "/in.mp4", out_path = dir + "/out.mp4";
    int status = 0;
    std::string log =
        run("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i "
            "sine=sample_rate=48000 -t 3 -c:v libaom-av1 -cpu-used 8 -g 25 -c:a libopus '" +
                src + "' 2>&1",
            &status);
    ASSERT_EQ(0, status) << log;
    std::string data;
    {
        std::ifstream f(src, std::ios::binary);
        data.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    SrsMp4Demuxer demux;
    srs_error_t err = demux.parse(data.data(), data.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    ASSERT_EQ(2u, demux.tracks().size());
    ASSERT_EQ(SrsMp4Codec::AV1, demux.tracks()[0].codec);
    ASSERT_EQ(SrsMp4Codec::Opus, demux.tracks()[1].codec);
    std::string head;
    ASSERT_TRUE(srs_opus_dops_to_head(demux.tracks()[1].config, &head) == srs_success);

    SrsFmp4Muxer mux;
    std::string vsh = SrsExTagWriter::video(1, 0, SrsExVideoFourCCAV1, 0) + demux.tracks()[0].config;
    std::string ash = SrsExTagWriter::audio(0, SrsExAudioFourCCOpus) + head;
    ASSERT_TRUE(mux.write_video(0, vsh.data(), (int)vsh.size()) == srs_success);
    ASSERT_TRUE(mux.write_audio(0, ash.data(), (int)ash.size()) == srs_success);
    ASSERT_TRUE(mux.ready(true, true));
    std::string out = mux.init_segment();
    int fragments = 0;
    for (const SrsMp4ReaderSample& s : demux.samples()) {
        std::string payload(demux.sample_data(s), s.size);
        if (s.track == 0) {
            std::string tag = SrsExTagWriter::video(s.keyframe ? 1 : 2, 1, SrsExVideoFourCCAV1, s.cts_ms) + payload;
            ASSERT_TRUE(mux.write_video(s.dts_ms, tag.data(), (int)tag.size()) == srs_success);
        } else {
            std::string tag = SrsExTagWriter::audio(1, SrsExAudioFourCCOpus) + payload;
            ASSERT_TRUE(mux.write_audio(s.dts_ms, tag.data(), (int)tag.size()) == srs_success);
        }
        if (mux.last_input().keyframe && mux.has_fragment()) {
            ASSERT_TRUE(mux.fragment(false, &out) == srs_success);
            fragments++;
        }
    }
    ASSERT_TRUE(mux.flush(false, &out) == srs_success);
    EXPECT_GE(fragments, 2);
    {
        std::ofstream f(out_path, std::ios::binary);
        f.write(out.data(), out.size());
    }
    std::string probe =
        run("ffprobe -v error -count_packets -show_entries stream=codec_name,width,height,sample_rate,nb_read_packets "
            "-of default=noprint_wrappers=1 '" +
                out_path + "' 2>&1",
            &status);
    EXPECT_EQ(0, status) << probe;
    EXPECT_NE(std::string::npos, probe.find("codec_name=av1")) << probe;
    EXPECT_NE(std::string::npos, probe.find("width=320")) << probe;
    EXPECT_NE(std::string::npos, probe.find("height=240")) << probe;
    EXPECT_NE(std::string::npos, probe.find("codec_name=opus")) << probe;
    EXPECT_NE(std::string::npos, probe.find("sample_rate=48000")) << probe;
    EXPECT_NE(std::string::npos, probe.find("nb_read_packets=75")) << probe;
    std::string decode = run("ffmpeg -v error -i '" + out_path + "' -f null - 2>&1", &status);
    EXPECT_EQ(0, status);
    EXPECT_EQ("", decode);
    // Every packet of both streams, byte for byte (the hashes; AV1 has no temporal delimiters in
    // either file), but the audio that the edit list puts before the first picture (Opus's
    // pre-skip): the fragments start every track at the first keyframe.
    size_t early_audio = 0;
    for (const SrsMp4ReaderSample& s : demux.samples()) {
        early_audio += s.track == 1 && s.dts_ms < 0;
    }
    EXPECT_LE(early_audio, 1u);
    for (const char* map : {"0:v", "0:a"}) {
        std::string cmd = std::string("ffmpeg -v error -i '%s' -map ") + map +
                          " -c copy -f framemd5 - 2>/dev/null | grep -v '^#' | awk -F, '{print $NF}'";
        std::vector<char> a(cmd.size() + out_path.size() + 1), b(cmd.size() + src.size() + 1);
        snprintf(a.data(), a.size(), cmd.c_str(), out_path.c_str());
        snprintf(b.data(), b.size(), cmd.c_str(), src.c_str());
        std::string hm = run(a.data(), &status), hs = run(b.data(), &status);
        EXPECT_GT(std::count(hs.begin(), hs.end(), '\n'), 70) << map;
        for (size_t k = 0; map[2] == 'a' && k < early_audio; k++) {
            hs.erase(0, hs.find('\n') + 1);
        }
        EXPECT_TRUE(hs == hm) << map << ": the packets differ";
    }
    run("rm -rf '" + dir + "'", &status);
}
