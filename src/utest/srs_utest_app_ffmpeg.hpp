// What the tests of the ffmpeg folder share: a config from text, and the FLV tag bodies of a
// stream's first tags (legacy H.264 + AAC, FLV 10.1 E.4.2.1, E.4.3.1) that start its engines.
#pragma once

#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_kernel_message.hpp>

#include <memory>
#include <string>

namespace srs_utest_ffmpeg {

inline std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(text, &conf);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return conf;
}

inline SrsMediaMessage tag(uint8_t type, const std::string& body) {
    return SrsMediaMessage::create(type, 0, 1, body.data(), (int)body.size());
}
inline SrsMediaMessage avc_sh() {
    return tag(SrsMsgVideo, std::string("\x17\x00\x00\x00\x00\x01\x42\xc0\x0a\xff\xe1\x00\x00\x01\x00\x00", 16));
}
inline SrsMediaMessage avc_key() {
    return tag(SrsMsgVideo, std::string("\x17\x01\x00\x00\x00\x00\x00\x00\x01\x65", 10));
}
inline SrsMediaMessage aac_sh() {
    return tag(SrsMsgAudio, std::string("\xaf\x00\x12\x10", 4));
}
inline SrsMediaMessage aac_frame() {
    return tag(SrsMsgAudio, std::string("\xaf\x01\x21\x10\x04", 5));
}

}  // namespace srs_utest_ffmpeg
