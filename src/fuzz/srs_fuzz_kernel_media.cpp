// libFuzzer target: arbitrary FLV audio/video tag bodies through SrsFormat, the TS
// transmuxer (Annex B, ADTS, PES) and the raw AAC stream. Input: a sequence of records
// [type (1 byte: even audio, odd video)][size (2 bytes)][body].
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
    size_t pos = 0;
    int64_t timestamp = 0;
    while (pos + 3 <= size) {
        bool video = data[pos] & 1;
        size_t n = ((size_t)data[pos + 1] << 8) | data[pos + 2];
        pos += 3;
        if (n > size - pos) {
            n = size - pos;
        }
        const char* body = (const char*)data + pos;
        timestamp += 20;
        srs_error_t err = video ? ts.write_video(timestamp, body, (int)n) : ts.write_audio(timestamp, body, (int)n);
        srs_error_reset(err);
        if (!video) {
            err = aac.write_audio(timestamp, body, (int)n);
            srs_error_reset(err);
        }
        pos += n;
    }
    srs_error_t err = ts.flush_audio();
    srs_error_reset(err);
    // Whatever went in, the output is whole TS packets.
    if (ts_out.bytes().size() % 188 != 0) {
        __builtin_trap();
    }
    return 0;
}
