// libFuzzer target: fuzzed FLV sequence headers, frames and timestamps through the fMP4 muxer,
// with the caller's operations (cut, flush, republish, discard) in between. Input: records
// [op (1 byte)][timestamp delta in ms (2 bytes, signed)][size (2 bytes)][body]; op bit 0 is
// video, bits 1-3 pick what the caller does after the tag. Checks the muxer's promises: every
// output is whole boxes, and a track's decode times never go back within or across fragments.
#include <srs_kernel_fmp4.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

uint32_t rb32(const std::string& s, size_t at) {
    return ((uint32_t)(uint8_t)s[at] << 24) | ((uint32_t)(uint8_t)s[at + 1] << 16) |
           ((uint32_t)(uint8_t)s[at + 2] << 8) | (uint32_t)(uint8_t)s[at + 3];
}

// The boxes cover the bytes exactly.
void check_boxes(const std::string& s) {
    size_t at = 0;
    while (at < s.size()) {
        if (s.size() - at < 8 || rb32(s, at) < 8 || rb32(s, at) > s.size() - at) {
            __builtin_trap();
        }
        at += rb32(s, at);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    SrsFmp4Muxer mux;
    int64_t timestamp = 0;
    // The end of the last fragment's samples per track id, for the across-fragment check.
    int64_t ends[3] = {-1, -1, -1};
    uint32_t config = 0;
    size_t pos = 0;
    while (pos + 5 <= size) {
        uint8_t op = data[pos];
        int16_t delta = (int16_t)(((uint16_t)data[pos + 1] << 8) | data[pos + 2]);
        size_t n = ((size_t)data[pos + 3] << 8) | data[pos + 4];
        pos += 5;
        if (n > size - pos) {
            n = size - pos;
        }
        const char* body = (const char*)data + pos;
        pos += n;
        timestamp += delta;
        srs_error_t err =
            (op & 1) ? mux.write_video(timestamp, body, (int)n) : mux.write_audio(timestamp, body, (int)n);
        srs_error_reset(err);
        if (mux.config_version() != config) {
            // A new timescale restarts the count of that track.
            config = mux.config_version();
            ends[0] = ends[1] = ends[2] = -1;
            std::string init = mux.init_segment();
            check_boxes(init);
        }
        std::string out;
        switch ((op >> 1) & 7) {
            case 1:
                err = mux.fragment(op & 0x10, &out);
                break;
            case 2:
                err = mux.flush(false, &out);
                break;
            case 3:
                mux.new_epoch();
                break;
            case 4:
                mux.discard();
                break;
            default:
                if (mux.last_input().keyframe) {
                    err = mux.fragment(false, &out);
                }
                break;
        }
        srs_error_reset(err);
        if (out.empty()) {
            continue;
        }
        check_boxes(out);
        for (const SrsFmp4Run& r : mux.last_runs()) {
            if (r.track_id > 2 || r.samples.empty()) {
                __builtin_trap();
            }
            int64_t end = ends[r.track_id];
            for (const SrsFmp4Sample& s : r.samples) {
                if (s.dts < 0 || (end >= 0 && s.dts < end)) {
                    __builtin_trap();
                }
                end = s.dts + s.duration;
            }
            ends[r.track_id] = end;
        }
    }
    return 0;
}
