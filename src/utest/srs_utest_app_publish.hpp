// A publisher's media for the live source tests: sequence headers, then 25 fps H.264 and AAC
// every 23 ms, as a source sees them.
#pragma once

#include <srs_app_source.hpp>
#include <srs_kernel_message.hpp>
#include <srs_utest_kernel_media.hpp>

#include <string>

namespace srs_utest {

inline SrsMediaMessage flv_msg(uint8_t type, int64_t ts, const std::string& body) {
    return SrsMediaMessage::create(type, ts, 1, body.data(), (int)body.size());
}

// Which frames are keyframes: every second counted from the first frame of the call, or at the
// whole seconds of the timestamps (so calls that continue a stream keep one GOP pattern).
enum class SrsUtestKeyframes { FromStart, WholeSeconds };

// [from, to) ms of media into s: a frame every 40 ms (a keyframe per second) and AAC every 23 ms;
// the AVC and AAC sequence headers first when asked.
inline srs_error_t publish_media(SrsLiveSource* s, int64_t from, int64_t to, bool headers = true,
                                 SrsUtestKeyframes keys = SrsUtestKeyframes::FromStart) {
    srs_error_t err = srs_success;
    if (headers) {
        if ((err = s->on_video(flv_msg(SrsMsgVideo, from, flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()))))) !=
            srs_success) {
            return err;
        }
        if ((err = s->on_audio(flv_msg(SrsMsgAudio, from, flv_aac(0, std::string("\x12\x10", 2))))) != srs_success) {
            return err;
        }
    }
    int64_t v = from, a = from;
    while (v < to || a < to) {
        if (v < to && v <= a) {
            bool key = (keys == SrsUtestKeyframes::FromStart ? v - from : v) % 1000 == 0;
            std::string nalu = key ? std::string("\x65\x88\x84\x00", 4) : std::string("\x41\x9a\x02", 3);
            if ((err = s->on_video(flv_msg(SrsMsgVideo, v, flv_video(key ? 1 : 2, 7, 1, 0, avcc_nalus({nalu}))))) !=
                srs_success) {
                return err;
            }
            v += 40;
        } else {
            if ((err = s->on_audio(flv_msg(SrsMsgAudio, a, flv_aac(1, std::string("\x21\x10\x04", 3))))) !=
                srs_success) {
                return err;
            }
            a += 23;
        }
    }
    return srs_success;
}

}  // namespace srs_utest
