// End to end with real encoders and a real demuxer: ffmpeg makes the input, our FLV decoder
// and TS muxer transmux it, ffprobe/ffmpeg check the output. Skipped without ffmpeg.
#include <gtest/gtest.h>
#include <srs_utest_shell.hpp>

#include <srs_kernel_codec.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_raw_audio.hpp>
#include <srs_kernel_ts.hpp>
#include <srs_utest_kernel_media.hpp>
#include <srs_utest_mp4_boxes.hpp>
#include <srs_utest_temp_dir.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace srs_utest;

namespace {

using srs_utest::find_box;
using srs_utest::rb32;
using srs_utest::rb64;
using srs_utest::split_annexb;

using srs_utest::has_tool;

std::string run(const std::string& cmd, int* status) {
    return srs_utest::run_command(cmd, status);
}

// A temporary directory removed at the end of the test.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/srs_utest_e2e_XXXXXX";
        char* p = mkdtemp(tmpl);
        path_ = p ? p : "";
    }
    ~TempDir() {
        if (!path_.empty()) {
            int status = 0;
            run("rm -rf '" + path_ + "'", &status);
        }
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

using srs_utest::read_file;
}  // namespace

TEST(KernelE2eTest, FlvFromFfmpegToTsCheckedByFfprobe) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    TempDir dir;
    ASSERT_FALSE(dir.path().empty());
    std::string flv = dir.path() + "/in.flv", ts = dir.path() + "/out.ts";
    int status = 0;
    run("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine -t 2 -c:v libx264 -g 50 "
        "-c:a aac -f flv '" +
            flv + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);

    SrsFileReader fr;
    ASSERT_TRUE(fr.open(flv) == srs_success);
    SrsFlvDecoder dec(&fr);
    ASSERT_TRUE(dec.read_header() == srs_success);
    SrsFileWriter fw;
    ASSERT_TRUE(fw.open(ts) == srs_success);
    SrsTsTransmuxer mux(&fw);
    int videos = 0, audios = 0;
    while (true) {
        SrsMediaMessage m;
        srs_error_t err = dec.read_message(&m);
        if (srs_error_code(err) == ERROR_SYSTEM_FILE_EOF) {
            break;
        }
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        videos += m.is_video();
        audios += m.is_audio();
        err = mux.write_message(m);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    }
    ASSERT_TRUE(mux.flush_audio() == srs_success);
    fw.close();
    EXPECT_EQ(52, videos);  // sequence header, 50 frames, end of sequence
    EXPECT_GT(audios, 80);
    EXPECT_EQ(320, mux.format().vcodec().width);
    EXPECT_EQ(240, mux.format().vcodec().height);
    EXPECT_EQ(0, dec.bad_previous_tag_sizes());

    std::string out =
        run("ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,sample_rate,nb_read_frames "
            "-of default=noprint_wrappers=1 '" +
                ts + "' 2>&1",
            &status);
    ASSERT_EQ(0, status) << out;
    EXPECT_NE(std::string::npos, out.find("codec_name=h264")) << out;
    EXPECT_NE(std::string::npos, out.find("width=320")) << out;
    EXPECT_NE(std::string::npos, out.find("height=240")) << out;
    EXPECT_NE(std::string::npos, out.find("codec_name=aac")) << out;
    EXPECT_NE(std::string::npos, out.find("sample_rate=44100")) << out;
    EXPECT_NE(std::string::npos, out.find("nb_read_frames=50")) << out;
    EXPECT_EQ(std::string::npos, out.find("rror")) << out;

    // A full decode reports no error (continuity, PES, ADTS, bitstream).
    out = run("ffmpeg -v error -i '" + ts + "' -f null - 2>&1", &status);
    EXPECT_EQ(0, status);
    EXPECT_EQ("", out);
}

TEST(KernelE2eTest, HevcOverEnhancedRtmpToTs) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    int status = 0;
    std::string encoders = run("ffmpeg -hide_banner -encoders 2>/dev/null", &status);
    if (encoders.find("libx265") == std::string::npos) {
        GTEST_SKIP() << "libx265 not available";
    }
    TempDir dir;
    std::string hevc = dir.path() + "/in.hevc", ts = dir.path() + "/out.ts";
    run("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 25 -c:v libx265 "
        "-x265-params log-level=error:bframes=0:keyint=25 -f hevc '" +
            hevc + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);

    std::string vps, sps, pps;
    std::vector<std::vector<std::string>> aus = srs_utest::hevc_access_units(read_file(hevc), &vps, &sps, &pps);
    ASSERT_EQ(25u, aus.size());
    ASSERT_FALSE(vps.empty() || sps.empty() || pps.empty());

    SrsFileWriter fw;
    ASSERT_TRUE(fw.open(ts) == srs_success);
    SrsTsTransmuxer mux(&fw);
    std::string sh = std::string("\x90hvc1", 5) + make_hvcc(vps, sps, pps);
    srs_error_t err = mux.write_video(0, sh.data(), (int)sh.size());
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(320, mux.format().vcodec().width);
    EXPECT_EQ(240, mux.format().vcodec().height);
    for (size_t i = 0; i < aus.size(); i++) {
        // CodedFramesX: no composition time (no B-frames). Keyframe on the first picture.
        std::string tag = std::string(i == 0 ? "\x93" : "\xa3", 1) + "hvc1" + avcc_nalus(aus[i]);
        err = mux.write_video((int64_t)i * 40, tag.data(), (int)tag.size());
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    }
    fw.close();

    std::string out =
        run("ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,nb_read_frames "
            "-of default=noprint_wrappers=1 '" +
                ts + "' 2>&1",
            &status);
    ASSERT_EQ(0, status) << out;
    EXPECT_NE(std::string::npos, out.find("codec_name=hevc")) << out;
    EXPECT_NE(std::string::npos, out.find("width=320")) << out;
    EXPECT_NE(std::string::npos, out.find("height=240")) << out;
    EXPECT_NE(std::string::npos, out.find("nb_read_frames=25")) << out;
    out = run("ffmpeg -v error -i '" + ts + "' -f null - 2>&1", &status);
    EXPECT_EQ("", out);
}

namespace {

// Decodes an FLV file and hands each message to fn.
template <typename F>
void for_each_flv_message(const std::string& path, F fn) {
    SrsFileReader fr;
    ASSERT_TRUE(fr.open(path) == srs_success);
    SrsFlvDecoder dec(&fr);
    ASSERT_TRUE(dec.read_header() == srs_success);
    while (true) {
        SrsMediaMessage m;
        srs_error_t err = dec.read_message(&m);
        if (srs_error_code(err) == ERROR_SYSTEM_FILE_EOF) {
            break;
        }
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        fn(m);
    }
}

}  // namespace

TEST(KernelE2eTest, AudioOnlyStreamsCheckedByFfprobe) {
    if (!has_tool("ffmpeg") || !has_tool("ffprobe")) {
        GTEST_SKIP() << "ffmpeg/ffprobe not installed";
    }
    int status = 0;
    std::string encoders = run("ffmpeg -hide_banner -encoders 2>/dev/null", &status);
    if (encoders.find("libmp3lame") == std::string::npos) {
        GTEST_SKIP() << "libmp3lame not available";
    }
    TempDir dir;
    std::string aac_flv = dir.path() + "/aac.flv", mp3_flv = dir.path() + "/mp3.flv";
    run("ffmpeg -v error -y -f lavfi -i sine=sample_rate=48000 -t 1 -ac 2 -c:a aac -f flv '" + aac_flv + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);
    run("ffmpeg -v error -y -f lavfi -i sine=sample_rate=44100 -t 1 -c:a libmp3lame -f flv '" + mp3_flv + "' 2>&1",
        &status);
    ASSERT_EQ(0, status);

    // AAC -> .aac (ADTS) and audio-only TS with merged PES.
    std::string adts = dir.path() + "/out.aac", ats = dir.path() + "/aac.ts";
    {
        SrsFileWriter fa, ft;
        ASSERT_TRUE(fa.open(adts) == srs_success);
        ASSERT_TRUE(ft.open(ats) == srs_success);
        SrsAacStreamTransmuxer aac(&fa);
        SrsTsTransmuxer ts(&ft);
        ts.set_audio_merge_ms(100);
        for_each_flv_message(aac_flv, [&](const SrsMediaMessage& m) {
            ASSERT_TRUE(aac.write_messages(&m, 1) == srs_success);
            ASSERT_TRUE(ts.write_message(m) == srs_success);
        });
        ASSERT_TRUE(ts.flush_audio() == srs_success);
    }
    // MP3 -> .mp3 and TS.
    std::string mp3 = dir.path() + "/out.mp3", mts = dir.path() + "/mp3.ts";
    {
        SrsFileWriter fm, ft;
        ASSERT_TRUE(fm.open(mp3) == srs_success);
        ASSERT_TRUE(ft.open(mts) == srs_success);
        SrsMp3StreamTransmuxer raw(&fm);
        SrsTsTransmuxer ts(&ft);
        for_each_flv_message(mp3_flv, [&](const SrsMediaMessage& m) {
            ASSERT_TRUE(raw.write_messages(&m, 1) == srs_success);
            ASSERT_TRUE(ts.write_message(m) == srs_success);
        });
    }

    struct Case {
        std::string path, format, codec, rate;
    } cases[] = {
        {adts, "aac", "codec_name=aac", "sample_rate=48000"},
        {ats, "mpegts", "codec_name=aac", "sample_rate=48000"},
        {mp3, "mp3", "codec_name=mp3", "sample_rate=44100"},
        {mts, "mpegts", "codec_name=mp3", "sample_rate=44100"},
    };
    for (const Case& c : cases) {
        std::string out =
            run("ffprobe -v error -f " + c.format +
                    " -show_entries stream=codec_name,sample_rate,channels -of default=noprint_wrappers=1 '" + c.path +
                    "' 2>&1",
                &status);
        ASSERT_EQ(0, status) << c.path << ": " << out;
        EXPECT_NE(std::string::npos, out.find(c.codec)) << c.path << ": " << out;
        EXPECT_NE(std::string::npos, out.find(c.rate)) << c.path << ": " << out;
        out = run("ffmpeg -v error -f " + c.format + " -i '" + c.path + "' -f null - 2>&1", &status);
        EXPECT_EQ("", out) << c.path;
    }
}
