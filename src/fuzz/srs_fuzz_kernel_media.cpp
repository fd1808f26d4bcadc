// libFuzzer target: arbitrary FLV audio/video tag bodies through SrsFormat, the TS
// transmuxer (Annex B, ADTS, PES) and the raw AAC stream. Input: a sequence of records
// [type (1 byte: even audio, odd video)][size (2 bytes)][body].
#include "srs_fuzz_records.hpp"

#include <srs_kernel_io.hpp>
#include <srs_kernel_raw_audio.hpp>
#include <srs_kernel_ts.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    SrsMemoryWriter ts_out, aac_out;
    SrsTsTransmuxer ts(&ts_out);
    ts.set_audio_merge_ms(data && size ? data[0] % 200 : 0);
    SrsAacStreamTransmuxer aac(&aac_out);
    int64_t timestamp = 0;
    srs_fuzz_each_record(data, size, [&ts, &aac, &timestamp](uint8_t type, const char* body, int n) {
        bool video = type & 1;
        timestamp += 20;
        srs_error_t err = video ? ts.write_video(timestamp, body, n) : ts.write_audio(timestamp, body, n);
        srs_error_reset(err);
        if (!video) {
            err = aac.write_audio(timestamp, body, n);
            srs_error_reset(err);
        }
    });
    srs_error_t err = ts.flush_audio();
    srs_error_reset(err);
    // Whatever went in, the output is whole TS packets.
    if (ts_out.bytes().size() % 188 != 0) {
        __builtin_trap();
    }
    return 0;
}
