#include <srs_kernel_annexb.hpp>

#include <srs_kernel_codec.hpp>

#include <string>

namespace {

const char kStartCode[4] = {0x00, 0x00, 0x00, 0x01};
// H.264 7.3.2.4: nal_unit_type 9, primary_pic_type 7 (any slice type), rbsp stop bit.
const char kAvcAud[2] = {0x09, (char)0xf0};
// H.265 7.3.2.5: nal_unit_type 35, nuh_layer_id 0, nuh_temporal_id_plus1 1, pic_type 2
// (I, P and B slices), rbsp stop bit.
const char kHevcAud[3] = {0x46, 0x01, 0x50};

void append(std::vector<char>* out, const char* data, size_t size) {
    out->insert(out->end(), data, data + size);
}

void append_nalu(std::vector<char>* out, const char* data, size_t size) {
    append(out, kStartCode, sizeof(kStartCode));
    append(out, data, size);
}

void append_sets(std::vector<char>* out, const std::vector<std::string>& sets) {
    for (const std::string& s : sets) {
        append_nalu(out, s.data(), s.size());
    }
}

}  // namespace

srs_error_t srs_video_frame_to_annexb(const SrsVideoCodecConfig& cfg, const SrsVideoFrame& frame,
                                      std::vector<char>* out) {
    bool hevc = false;
    if (cfg.id == SrsVideoCodecIdHEVC) {
        hevc = true;
    } else if (cfg.id != SrsVideoCodecIdAVC) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "annexb: codec %s", srs_video_codec_id2str(cfg.id));
    }

    if (hevc) {
        append_nalu(out, kHevcAud, sizeof(kHevcAud));
    } else {
        append_nalu(out, kAvcAud, sizeof(kAvcAud));
    }

    if ((frame.keyframe || frame.has_idr) && !frame.has_sps_pps) {
        if (hevc) {
            append_sets(out, cfg.vps);
        }
        append_sets(out, cfg.sps);
        append_sets(out, cfg.pps);
    }

    for (const SrsSample& s : frame.samples) {
        if (s.size <= 0) {
            continue;
        }
        bool is_aud = hevc ? srs_hevc_nalu_type(s.data) == SrsHevcNaluTypeAccessUnitDelimiter
                           : srs_avc_nalu_type(s.data) == SrsAvcNaluTypeAccessUnitDelimiter;
        if (is_aud) {
            continue;
        }
        append_nalu(out, s.data, s.size);
    }
    return srs_success;
}
