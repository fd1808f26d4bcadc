// FLV-shaped test messages for the live source tests.
#pragma once

#include <srs_kernel_message.hpp>

#include <string>

namespace srs_utest {

// AVC sequence header: keyframe|AVC, packet type 0, cts 0, then an
// AVCDecoderConfigurationRecord starting with version 1, profile 100 (High), compat 0,
// level 31.
inline SrsMediaMessage video_sh(int64_t ts = 0) {
    const char b[] = {0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64, 0x00, 0x1f, (char)0xff, (char)0xe1, 0x00, 0x00};
    return SrsMediaMessage::create(SrsMsgVideo, ts, 1, b, sizeof(b));
}

inline SrsMediaMessage keyframe(int64_t ts, int size = 64) {
    std::string b(size, 'k');
    b[0] = 0x17;
    b[1] = 0x01;
    return SrsMediaMessage::create(SrsMsgVideo, ts, 1, b.data(), (int)b.size());
}

inline SrsMediaMessage inter_frame(int64_t ts, int size = 32) {
    std::string b(size, 'p');
    b[0] = 0x27;
    b[1] = 0x01;
    return SrsMediaMessage::create(SrsMsgVideo, ts, 1, b.data(), (int)b.size());
}

// AAC sequence header: AAC 44.1 kHz stereo, then AudioSpecificConfig AAC-LC (2), 44100
// (index 4), 2 channels.
inline SrsMediaMessage audio_sh(int64_t ts = 0) {
    const char b[] = {(char)0xaf, 0x00, 0x12, 0x10};
    return SrsMediaMessage::create(SrsMsgAudio, ts, 1, b, sizeof(b));
}

inline SrsMediaMessage audio(int64_t ts, int size = 16) {
    std::string b(size, 'a');
    b[0] = (char)0xaf;
    b[1] = 0x01;
    return SrsMediaMessage::create(SrsMsgAudio, ts, 1, b.data(), (int)b.size());
}

inline SrsMediaMessage meta(int64_t ts = 0) {
    const char b[] = {0x02, 0x00, 0x0a, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x05};
    return SrsMediaMessage::create(SrsMsgAMF0Data, ts, 1, b, sizeof(b));
}

inline bool is_keyframe(const SrsMediaMessage& m) {
    return m.is_video() && SrsFlvTag::is_video_keyframe(m.data(), m.size()) &&
           !SrsFlvTag::is_video_sequence_header(m.data(), m.size());
}

inline bool is_video_sh(const SrsMediaMessage& m) {
    return m.is_video() && SrsFlvTag::is_video_sequence_header(m.data(), m.size());
}

inline bool is_audio_sh(const SrsMediaMessage& m) {
    return m.is_audio() && SrsFlvTag::is_audio_sequence_header(m.data(), m.size());
}

}  // namespace srs_utest
