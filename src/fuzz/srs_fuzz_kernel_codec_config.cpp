// libFuzzer target: arbitrary bytes through the decoder configuration record parsers of the
// enhanced RTMP codecs: hvcC (with its SPS), av1C (with its sequence header OBU), vpcC (and the
// VP9 frame header), dOps and OpusHead. Input: [selector (mod 6)][record]. Checks that the spans the parsers return lie
// inside the record.
#include <srs_kernel_codec_config.hpp>

#include <cstddef>
#include <cstdint>

namespace {

void check_span(const SrsSample& s, const char* begin, int size) {
    if (s.size < 0 || (s.size > 0 && (s.data < begin || s.data + s.size > begin + size))) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 1024 * 1024) {
        return 0;
    }
    const char* p = (const char*)data + 1;
    int n = (int)size - 1;
    srs_error_t err = srs_success;
    switch (data[0] % 6) {
        case 0: {
            SrsHevcConfigRecord rec;
            err = srs_hevc_parse_config_record(p, n, &rec);
            for (const SrsHevcConfigRecord::Array& a : rec.arrays) {
                for (const SrsSample& s : a.nalus) {
                    check_span(s, p, n);
                }
            }
            if (err == srs_success && (rec.width < 0 || rec.height < 0)) {
                __builtin_trap();
            }
            break;
        }
        case 1: {
            SrsAv1ConfigRecord rec;
            err = srs_av1_parse_config_record(p, n, &rec);
            check_span(rec.config_obus, p, n);
            break;
        }
        case 2: {
            SrsAv1ConfigRecord rec;
            err = srs_av1_parse_sequence_header(p, n, &rec);
            break;
        }
        case 3: {
            SrsVpxConfigRecord rec;
            err = srs_vpx_parse_config_record(p, n, &rec);
            check_span(rec.codec_init_data, p, n);
            // The same bytes as a VP9 frame (the vp09 CodedFrames the size comes from): the
            // selectors of the corpus stay as they are.
            srs_error_reset(err);
            SrsVp9FrameHeader h;
            err = srs_vp9_parse_frame_header(p, n, &h);
            if (err == srs_success && (h.width < 0 || h.height < 0 || h.width > 65536 || h.height > 65536)) {
                __builtin_trap();
            }
            break;
        }
        default: {
            SrsOpusConfigRecord rec;
            err = data[0] % 6 == 4 ? srs_opus_parse_config(p, n, &rec) : srs_opus_parse_dops(p, n, &rec);
            if (err == srs_success && (int)rec.channel_mapping.size() > 255) {
                __builtin_trap();
            }
            break;
        }
    }
    srs_error_reset(err);
    return 0;
}
