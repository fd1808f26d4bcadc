// libFuzzer target: arbitrary bytes as an MP4 file through the demuxer (box tree, sample tables,
// sample entries, esds, edit list) and, for Opus tracks, the dOps to OpusHead rewrite. Checks that
// every sample it returns lies inside the input, reading its first and last bytes so that the
// sanitizer sees a bad offset, and that the decode order holds.
#include <srs_kernel_mp4_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 1024 * 1024) {
        return 0;
    }
    // A copy of exactly size bytes, so that a read past the end is an ASan finding.
    std::string file((const char*)data, size);
    SrsMp4Demuxer demux;
    srs_error_t err = demux.parse(file.data(), file.size());
    if (err != srs_success) {
        srs_error_reset(err);
        return 0;
    }
    volatile char sink = 0;
    int64_t last = INT64_MIN;
    for (const SrsMp4ReaderSample& s : demux.samples()) {
        if (s.track < 0 || s.track >= (int)demux.tracks().size() || s.offset > size || s.size > size - s.offset ||
            s.dts_ms < last) {
            __builtin_trap();
        }
        last = s.dts_ms;
        if (s.size > 0) {
            const char* p = demux.sample_data(s);
            sink = sink + p[0] + p[s.size - 1];
        }
    }
    for (const SrsMp4ReaderTrack& t : demux.tracks()) {
        if (t.codec == SrsMp4Codec::Opus) {
            std::string head;
            err = srs_opus_dops_to_head(t.config, &head);
            if (err == srs_success && head.compare(0, 8, "OpusHead") != 0) {
                __builtin_trap();
            }
            srs_error_reset(err);
        }
    }
    return 0;
}
