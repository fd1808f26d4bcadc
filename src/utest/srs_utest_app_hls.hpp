// Shared by the HLS muxer tests (TS and fMP4): synthetic H.264 + AAC tags, a feeder of a
// stream with a given GOP, and a test config.
#pragma once

#include <gtest/gtest.h>
#include <srs_app_hls_muxer.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_message.hpp>
#include <srs_utest_kernel_media.hpp>

#include <string>
#include <vector>

namespace srs_utest_hls {

using namespace srs_utest;

inline SrsMediaMessage make_msg(uint8_t type, int64_t ts, const std::string& body) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}

inline SrsMediaMessage video_sh(const std::string& sps = avc_sps()) {
    return make_msg(SrsMsgVideo, 0, flv_video(1, 7, 0, 0, make_avcc(sps, avc_pps())));
}

inline SrsMediaMessage audio_sh() {
    // AAC LC, 44.1 kHz, stereo.
    return make_msg(SrsMsgAudio, 0, flv_aac(0, std::string("\x12\x10", 2)));
}

inline SrsMediaMessage video_frame(int64_t ts, bool key) {
    std::string idr("\x65\x88\x84\x00\x33\xff", 6), p("\x41\x9a\x02\x03", 4);
    return make_msg(SrsMsgVideo, ts, flv_video(key ? 1 : 2, 7, 1, 0, avcc_nalus({key ? idr : p})));
}

inline SrsMediaMessage audio_frame(int64_t ts) {
    return make_msg(SrsMsgAudio, ts, flv_aac(1, std::string("\x21\x10\x04\x60\x8c\x1c", 6)));
}

// Feeds [from, to) ms of 25 fps video with a keyframe every gop ms (0: none after the first at
// from) and, when audio, AAC every 23 ms, interleaved by timestamp.
inline srs_error_t feed(SrsHlsMuxer* m, int64_t from, int64_t to, int64_t gop, bool video = true, bool audio = true) {
    srs_error_t err = srs_success;
    int64_t v = from, a = from;
    while ((video && v < to) || (audio && a < to)) {
        if (video && v < to && (!audio || a >= to || v <= a)) {
            bool key = v == from || (gop > 0 && (v - from) % gop == 0);
            if ((err = m->on_video(video_frame(v, key))) != srs_success) {
                return err;
            }
            v += 40;
        } else {
            if ((err = m->on_audio(audio_frame(a))) != srs_success) {
                return err;
            }
            a += 23;
        }
    }
    return srs_success;
}

inline srs_error_t start(SrsHlsMuxer* m, const SrsHlsConfig& c, bool video = true, bool audio = true) {
    srs_error_t err = srs_success;
    if ((err = m->on_publish(c)) != srs_success) {
        return err;
    }
    if (video && (err = m->on_video(video_sh())) != srs_success) {
        return err;
    }
    if (audio && (err = m->on_audio(audio_sh())) != srs_success) {
        return err;
    }
    return srs_success;
}

// A whole publish: start, [0, to) ms with a keyframe every gop ms, unpublish.
inline srs_error_t publish(SrsHlsMuxer* m, const SrsHlsConfig& c, int64_t to, int64_t gop) {
    srs_error_t err = srs_success;
    if ((err = start(m, c)) != srs_success || (err = feed(m, 0, to, gop)) != srs_success) {
        return err;
    }
    return m->on_unpublish();
}

inline SrsHlsConfig test_config(const std::string& dir) {
    SrsHlsConfig c;
    c.enabled = true;
    c.path = dir;
    c.fragment = 2 * SRS_UTIME_SECONDS;
    c.window = 6 * SRS_UTIME_SECONDS;
    return c;
}

// Records the segments the hooks are told of (on_hls / on_hls_notify).
class RecordingHooks : public ISrsHlsHooks {
public:
    void on_hls_segment(const SrsHlsSegmentEvent& ev) override { events.push_back(ev); }
    std::vector<SrsHlsSegmentEvent> events;
};

}  // namespace srs_utest_hls

#define ASSERT_OK(x)                                          \
    do {                                                      \
        srs_error_t _e = (x);                                 \
        ASSERT_TRUE(_e == srs_success) << srs_error_desc(_e); \
    } while (0)
