// libFuzzer target: arbitrary FLV audio/video tag bodies through the enhanced RTMP tag header
// parser (ExVideoTagHeader/ExAudioTagHeader, ModEx, Multitrack, the legacy headers) and the
// MultichannelConfig parser. Input: [selector (bit 0: video)][tag body]. Checks that every track's
// payload lies inside the body, and that a single-track enhanced tag written back by
// SrsExTagWriter parses to the same track.
#include <srs_kernel_flv_ex.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

void check_span(const SrsSample& s, const char* begin, int size) {
    if (s.size < 0 || (s.size > 0 && (s.data < begin || s.data + s.size > begin + size))) {
        __builtin_trap();
    }
}

void fuzz_video(const char* body, int size) {
    SrsExVideoTag tag;
    srs_error_t err = srs_flv_parse_video_tag(body, size, &tag);
    if (err != srs_success) {
        srs_error_reset(err);
        if (!tag.tracks.empty()) {
            __builtin_trap();
        }
        return;
    }
    for (const SrsExVideoTrack& t : tag.tracks) {
        check_span(t.payload, body, size);
    }
    if (!tag.enhanced || tag.multitrack || tag.is_command || tag.tracks.size() != 1 || tag.tracks[0].unknown) {
        return;
    }
    const SrsExVideoTrack& t = tag.tracks[0];
    std::string again =
        SrsExTagWriter::video(tag.frame_type, t.packet_type, t.fourcc, t.cts, tag.timestamp_nano_offset);
    again.append(t.payload.data, t.payload.size);
    SrsExVideoTag tag2;
    err = srs_flv_parse_video_tag(again.data(), (int)again.size(), &tag2);
    if (err != srs_success) {
        __builtin_trap();
    }
    const SrsExVideoTrack& t2 = tag2.tracks.at(0);
    if (tag2.frame_type != tag.frame_type || t2.fourcc != t.fourcc || t2.packet_type != t.packet_type ||
        t2.cts != t.cts || t2.payload.size != t.payload.size ||
        tag2.timestamp_nano_offset != (tag.timestamp_nano_offset & 0xffffff)) {
        __builtin_trap();
    }
}

void fuzz_audio(const char* body, int size) {
    SrsExAudioTag tag;
    srs_error_t err = srs_flv_parse_audio_tag(body, size, &tag);
    if (err != srs_success) {
        srs_error_reset(err);
        if (!tag.tracks.empty()) {
            __builtin_trap();
        }
        return;
    }
    for (const SrsExAudioTrack& t : tag.tracks) {
        check_span(t.payload, body, size);
        if (t.packet_type == SrsExAudioPacketMultichannelConfig && !t.unknown) {
            SrsExAudioChannelConfig cfg;
            err = srs_flv_parse_audio_channel_config(t.payload.data, t.payload.size, &cfg);
            srs_error_reset(err);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 1024 * 1024) {
        return 0;
    }
    // The body is exactly the input after the selector, so a read past it is a heap overflow.
    const char* body = (const char*)data + 1;
    int n = (int)size - 1;
    if (data[0] & 1) {
        fuzz_video(body, n);
    } else {
        fuzz_audio(body, n);
    }
    return 0;
}
