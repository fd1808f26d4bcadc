// The HTTP-MP4 body encoder: the init segment goes out with the first fragment, fragments end
// before keyframes or after http_remux.mp4_fragment (half a second by default), a batch is one
// write, a missing track is waited for a while, and a new codec configuration ends the body.
#include <gtest/gtest.h>

#include <srs_app_http_mp4.hpp>
#include <srs_kernel_io.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

// H.264 baseline 64x48 avcC (x264) and AAC-LC 44.1 kHz stereo, as FLV tag bodies.
std::string avc_sh() {
    const std::string sps("\x67\x42\xc0\x0a\xdc\x47\xb0\x11\x00\x00\x03\x00\x01\x00\x00\x03\x00\x32\x0f\x12\x27\x80",
                          22);
    const std::string pps("\x68\xce\x0f\x2c\x80", 5);
    return std::string("\x17\x00\x00\x00\x00\x01\x42\xc0\x0a\xff\xe1\x00\x16", 13) + sps +
           std::string("\x01\x00\x05", 3) + pps;
}
std::string avc_frame(bool key) {
    std::string nalu = key ? std::string("\x65\x88\x84\x00", 4) : std::string("\x41\x9a\x00", 3);
    std::string s = std::string(key ? "\x17" : "\x27", 1) + std::string("\x01\x00\x00\x00", 4);
    uint32_t n = nalu.size();
    return s + std::string{(char)(n >> 24), (char)(n >> 16), (char)(n >> 8), (char)n} + nalu;
}
SrsMediaMessage msg(uint8_t type, int64_t ts, const std::string& body) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}
SrsMediaMessage video(int64_t ts, bool key) {
    return msg(SrsMsgVideo, ts, avc_frame(key));
}
SrsMediaMessage audio(int64_t ts) {
    return msg(SrsMsgAudio, ts, std::string("\xaf\x01\x21\x10\x04", 5));
}
SrsMediaMessage video_sh() {
    return msg(SrsMsgVideo, 0, avc_sh());
}
SrsMediaMessage audio_sh() {
    return msg(SrsMsgAudio, 0, std::string("\xaf\x00\x12\x10", 4));
}

std::vector<std::string> top_boxes(const std::string& s) {
    std::vector<std::string> out;
    size_t at = 0;
    while (at + 8 <= s.size()) {
        uint32_t size = ((uint32_t)(uint8_t)s[at] << 24) | ((uint32_t)(uint8_t)s[at + 1] << 16) |
                        ((uint32_t)(uint8_t)s[at + 2] << 8) | (uint32_t)(uint8_t)s[at + 3];
        if (size < 8 || at + size > s.size()) {
            out.push_back("?");
            break;
        }
        out.push_back(s.substr(at + 4, 4));
        at += size;
    }
    return out;
}

srs_error_t write(SrsHttpMp4Encoder* enc, const std::vector<SrsMediaMessage>& msgs) {
    return enc->write_messages(msgs.data(), (int)msgs.size());
}

}  // namespace

TEST(AppHttpMp4Test, InitThenAFragmentPerGop) {
    SrsMemoryWriter out;
    SrsHttpMp4Encoder enc(&out, true, true);
    // The GOP cache's dump: sequence headers, a keyframe and its GOP; nothing is complete yet.
    ASSERT_TRUE(write(&enc, {video_sh(), audio_sh(), video(0, true), audio(0), video(40, false), audio(23)}) ==
                srs_success);
    EXPECT_EQ("", out.bytes());
    EXPECT_EQ(0, out.calls());
    // The next keyframe closes the first GOP: init segment and a fragment, in one write.
    ASSERT_TRUE(write(&enc, {video(80, false), audio(46), video(120, true)}) == srs_success);
    EXPECT_TRUE(enc.init_sent());
    EXPECT_EQ(1, out.calls());
    EXPECT_EQ((std::vector<std::string>{"ftyp", "moov", "moof", "mdat"}), top_boxes(out.bytes()));
    // A long GOP still gets a fragment per SRS_HTTP_MP4_FRAGMENT_MS (600 ms of frames here).
    out.bytes().clear();
    std::vector<SrsMediaMessage> gop;
    for (int i = 1; i <= 15; i++) {
        gop.push_back(video(120 + i * 40, false));
    }
    ASSERT_TRUE(write(&enc, gop) == srs_success);
    EXPECT_EQ((std::vector<std::string>{"moof", "mdat"}), top_boxes(out.bytes()));
    EXPECT_EQ(2, enc.fragments());
    // Another configuration cannot be announced in this body.
    std::string other = avc_sh();
    other[other.size() - 1] ^= 1;
    srs_error_t err = write(&enc, {msg(SrsMsgVideo, 2000, other)});
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
}

TEST(AppHttpMp4Test, WaitsForAnExpectedTrackThenStartsWithout) {
    SrsMemoryWriter out;
    SrsHttpMp4Encoder enc(&out, true, true);
    // Audio only, though video was expected: its samples are dropped for 3 s, then it starts.
    std::vector<SrsMediaMessage> msgs = {audio_sh()};
    for (int i = 0; i < 250; i++) {
        msgs.push_back(audio(i * 23));
    }
    ASSERT_TRUE(write(&enc, msgs) == srs_success);
    EXPECT_TRUE(enc.init_sent());
    std::vector<std::string> boxes = top_boxes(out.bytes());
    ASSERT_GE(boxes.size(), 4u);
    EXPECT_EQ("ftyp", boxes[0]);
    EXPECT_EQ("moov", boxes[1]);
    EXPECT_EQ("moof", boxes[2]);
    // 5.75 s of audio, the first 3 s dropped while waiting: the rest in 0.5 s fragments.
    EXPECT_EQ(boxes.size(), 2u + 2 * enc.fragments());
    EXPECT_GE(enc.fragments(), 4);
    EXPECT_LE(enc.fragments(), 6);
}

namespace {

// The fragments of a 4 s GOP at 25 fps with AAC beside it, with this fragment duration: the
// number of fragments written after the init segment's, and the longest fragment's media (ms).
void long_gop_fragments(int64_t fragment_ms, int* fragments, int64_t* longest_ms) {
    SrsMemoryWriter out;
    SrsHttpMp4Encoder enc(&out, true, true, fragment_ms);
    std::vector<SrsMediaMessage> msgs = {video_sh(), audio_sh(), video(0, true)};
    for (int i = 1; i < 100; i++) {
        msgs.push_back(video(i * 40, false));
        msgs.push_back(audio(i * 40));
    }
    msgs.push_back(video(4000, true));
    // One message per batch, as a live stream comes: each cut is a write.
    int64_t last_cut = 0;
    *longest_ms = 0;
    for (const SrsMediaMessage& m : msgs) {
        int before = enc.fragments();
        ASSERT_TRUE(write(&enc, {m}) == srs_success);
        if (enc.fragments() != before) {
            *longest_ms = std::max(*longest_ms, m.timestamp - last_cut);
            last_cut = m.timestamp;
        }
    }
    *fragments = enc.fragments();
}

}  // namespace

TEST(AppHttpMp4Test, FragmentDurationIsConfigurable) {
    int n = 0;
    int64_t longest = 0;
    // The default: half a second of media per fragment in a long GOP.
    long_gop_fragments(SRS_HTTP_MP4_FRAGMENT_MS, &n, &longest);
    EXPECT_EQ(8, n);
    EXPECT_LE(longest, 520);
    // mp4_fragment 1: a fragment a second (the held-back last sample counts), and the short rest
    // before the next keyframe.
    long_gop_fragments(1000, &n, &longest);
    EXPECT_EQ(5, n);
    EXPECT_LE(longest, 1040);
    EXPECT_GE(longest, 1000);
    // mp4_fragment 0: one fragment per GOP, whatever its length.
    long_gop_fragments(0, &n, &longest);
    EXPECT_EQ(1, n);
    EXPECT_EQ(4000, longest);
}
