#include <srs_kernel_codec.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_kernel_flv_ex.hpp>

namespace {

const int kAacSampleRates[16] = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050,
                                 16000, 12000, 11025, 8000,  7350,  0,     0,     0};

// The biggest NALU count we accept in one frame, so a hostile stream cannot grow the
// sample vector without bound (a frame of 1-byte NALUs).
const int kMaxSamplesPerFrame = 512;

bool srs_is_avc_idr(const char* nalu, int size) {
    return size > 0 && srs_avc_nalu_type(nalu) == SrsAvcNaluTypeIDR;
}

// IRAP pictures: BLA, IDR and CRA (H.265 7.4.2.2, types 16..23).
bool srs_is_hevc_irap(const char* nalu, int size) {
    if (size < 1) {
        return false;
    }
    int t = srs_hevc_nalu_type(nalu);
    return t >= SrsHevcNaluTypeBLA_W_LP && t <= 23;
}

// H.264 7.3.2.1.1.1 scaling_list(): only parsed to skip it.
bool srs_avc_skip_scaling_list(SrsBitReader& br, int size) {
    int32_t last = 8, next = 8;
    for (int j = 0; j < size; j++) {
        if (next != 0) {
            int32_t delta = 0;
            // delta_scale is -128..127; anything else is not an SPS (and would overflow here).
            if (!br.se(&delta) || delta < -128 || delta > 127) {
                return false;
            }
            next = (last + delta + 256) % 256;
        }
        last = (next == 0) ? last : next;
    }
    return true;
}

}  // namespace

const char* srs_video_codec_id2str(SrsVideoCodecId codec) {
    switch (codec) {
        case SrsVideoCodecIdAVC:
            return "H264";
        case SrsVideoCodecIdHEVC:
            return "HEVC";
        case SrsVideoCodecIdAV1:
            return "AV1";
        case SrsVideoCodecIdVP9:
            return "VP9";
        case SrsVideoCodecIdOn2VP6:
        case SrsVideoCodecIdOn2VP6WithAlpha:
            return "VP6";
        case SrsVideoCodecIdSorensonH263:
            return "H263";
        case SrsVideoCodecIdScreenVideo:
        case SrsVideoCodecIdScreenVideoVersion2:
            return "ScreenVideo";
        default:
            return "Other";
    }
}

const char* srs_audio_codec_id2str(SrsAudioCodecId codec) {
    switch (codec) {
        case SrsAudioCodecIdAAC:
            return "AAC";
        case SrsAudioCodecIdMP3:
        case SrsAudioCodecIdMP38kHz:
            return "MP3";
        case SrsAudioCodecIdOpus:
            return "Opus";
        case SrsAudioCodecIdAC3:
            return "AC3";
        case SrsAudioCodecIdEAC3:
            return "EAC3";
        case SrsAudioCodecIdFLAC:
            return "FLAC";
        case SrsAudioCodecIdSpeex:
            return "Speex";
        case SrsAudioCodecIdNellymoser:
        case SrsAudioCodecIdNellymoser8kHzMono:
        case SrsAudioCodecIdNellymoser16kHzMono:
            return "Nellymoser";
        case SrsAudioCodecIdG711ALaw:
            return "G711A";
        case SrsAudioCodecIdG711MuLaw:
            return "G711U";
        case SrsAudioCodecIdADPCM:
            return "ADPCM";
        case SrsAudioCodecIdLinearPCMPlatformEndian:
        case SrsAudioCodecIdLinearPCMLittleEndian:
            return "PCM";
        default:
            return "Other";
    }
}

const char* srs_aac_object2str(SrsAacObjectType object) {
    switch (object) {
        case SrsAacObjectTypeAacMain:
            return "Main";
        case SrsAacObjectTypeAacLC:
            return "LC";
        case SrsAacObjectTypeAacSSR:
            return "SSR";
        case SrsAacObjectTypeAacLTP:
            return "LTP";
        case SrsAacObjectTypeAacHE:
            return "HE";
        case SrsAacObjectTypeAacHEV2:
            return "HEv2";
        default:
            return "Other";
    }
}

const char* srs_avc_profile2str(int profile_idc) {
    switch (profile_idc) {
        case 66:
            return "Baseline";
        case 77:
            return "Main";
        case 88:
            return "Extended";
        case 100:
            return "High";
        case 110:
            return "High(10)";
        case 122:
            return "High(422)";
        case 144:
        case 244:
            return "High(444)";
        default:
            return "Other";
    }
}

std::string srs_avc_level2str(int level_idc) {
    // level_idc is ten times the level, except 9 which is level 1b (A.3.1).
    if (level_idc == 9) {
        return "1b";
    }
    switch (level_idc) {
        case 10:
        case 11:
        case 12:
        case 13:
        case 20:
        case 21:
        case 22:
        case 30:
        case 31:
        case 32:
        case 40:
        case 41:
        case 42:
        case 50:
        case 51:
        case 52:
        case 60:
        case 61:
        case 62:
            break;
        default:
            return "Other";
    }
    if (level_idc % 10 == 0) {
        return std::to_string(level_idc / 10);
    }
    return std::to_string(level_idc / 10) + "." + std::to_string(level_idc % 10);
}

const char* srs_hevc_profile2str(int profile_idc) {
    switch (profile_idc) {
        case 1:
            return "Main";
        case 2:
            return "Main10";
        case 3:
            return "Main Still Picture";
        case 4:
            return "Rext";
        default:
            return "Other";
    }
}

std::string srs_hevc_level2str(int level_idc) {
    // general_level_idc is 30 times the level number (A.4.1): 93 is level 3.1.
    if (level_idc <= 0 || level_idc % 3 != 0 || level_idc > 255) {
        return "Other";
    }
    int tenths = level_idc / 3;
    if (tenths % 10 == 0) {
        return std::to_string(tenths / 10);
    }
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

int srs_aac_sample_rate_from_index(int index) {
    if (index < 0 || index > 15) {
        return 0;
    }
    return kAacSampleRates[index];
}

int srs_aac_sample_rate_to_index(int rate) {
    for (int i = 0; i < 13; i++) {
        if (kAacSampleRates[i] == rate) {
            return i;
        }
    }
    return -1;
}

void srs_nalu_to_rbsp(const char* nalu, int size, std::vector<char>* rbsp) {
    rbsp->clear();
    rbsp->reserve(size);
    int zeros = 0;
    for (int i = 0; i < size; i++) {
        uint8_t b = (uint8_t)nalu[i];
        // H.264 7.4.1: 0x000003 -> drop the 03 (emulation_prevention_three_byte).
        if (zeros >= 2 && b == 0x03) {
            zeros = 0;
            continue;
        }
        rbsp->push_back((char)b);
        zeros = (b == 0) ? zeros + 1 : 0;
    }
}

srs_error_t srs_avc_parse_sps(const char* nalu, int size, SrsAvcSpsInfo* info) {
    if (size < 4 || srs_avc_nalu_type(nalu) != SrsAvcNaluTypeSPS) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: not an SPS, size=%d", size);
    }
    std::vector<char> rbsp;
    srs_nalu_to_rbsp(nalu + 1, size - 1, &rbsp);
    SrsBitReader br(rbsp.data(), (int)rbsp.size());

    uint32_t profile_idc = 0, constraints = 0, level_idc = 0, sps_id = 0;
    if (!br.bits(8, &profile_idc) || !br.bits(8, &constraints) || !br.bits(8, &level_idc) || !br.ue(&sps_id)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: truncated header");
    }
    if (sps_id > 31) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: seq_parameter_set_id=%u", sps_id);
    }

    uint32_t chroma_format_idc = 1, separate_colour_plane = 0;
    switch (profile_idc) {
        case 100:
        case 110:
        case 122:
        case 244:
        case 44:
        case 83:
        case 86:
        case 118:
        case 128:
        case 138:
        case 139:
        case 134:
        case 135: {
            uint32_t v = 0;
            if (!br.ue(&chroma_format_idc) || chroma_format_idc > 3) {
                return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: chroma_format_idc");
            }
            if (chroma_format_idc == 3 && !br.bits(1, &separate_colour_plane)) {
                return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: separate_colour_plane_flag");
            }
            // bit_depth_luma_minus8, bit_depth_chroma_minus8, qpprime_y_zero_transform_bypass_flag.
            if (!br.ue(&v) || !br.ue(&v) || !br.bits(1, &v)) {
                return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: bit depth");
            }
            uint32_t scaling_matrix = 0;
            if (!br.bits(1, &scaling_matrix)) {
                return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: scaling matrix flag");
            }
            if (scaling_matrix) {
                int lists = (chroma_format_idc != 3) ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    uint32_t present = 0;
                    if (!br.bits(1, &present)) {
                        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: scaling list flag");
                    }
                    if (present && !srs_avc_skip_scaling_list(br, i < 6 ? 16 : 64)) {
                        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: scaling list");
                    }
                }
            }
            break;
        }
        default:
            break;
    }

    uint32_t v = 0, poc_type = 0;
    // log2_max_frame_num_minus4, pic_order_cnt_type.
    if (!br.ue(&v) || !br.ue(&poc_type)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: frame num / poc type");
    }
    if (poc_type == 0) {
        if (!br.ue(&v)) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: log2_max_pic_order_cnt_lsb");
        }
    } else if (poc_type == 1) {
        int32_t s = 0;
        uint32_t cycle = 0;
        if (!br.bits(1, &v) || !br.se(&s) || !br.se(&s) || !br.ue(&cycle) || cycle > 255) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: poc type 1");
        }
        for (uint32_t i = 0; i < cycle; i++) {
            if (!br.se(&s)) {
                return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: offset_for_ref_frame");
            }
        }
    } else if (poc_type != 2) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: pic_order_cnt_type=%u", poc_type);
    }

    uint32_t width_mbs = 0, height_map_units = 0, frame_mbs_only = 0;
    // max_num_ref_frames, gaps_in_frame_num_value_allowed_flag.
    if (!br.ue(&v) || !br.bits(1, &v) || !br.ue(&width_mbs) || !br.ue(&height_map_units) ||
        !br.bits(1, &frame_mbs_only)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: picture size");
    }
    // mb_adaptive_frame_field_flag, then direct_8x8_inference_flag.
    if ((!frame_mbs_only && !br.bits(1, &v)) || !br.bits(1, &v)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: field flags");
    }
    uint32_t cropping = 0, crop_left = 0, crop_right = 0, crop_top = 0, crop_bottom = 0;
    if (!br.bits(1, &cropping)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: frame_cropping_flag");
    }
    if (cropping && (!br.ue(&crop_left) || !br.ue(&crop_right) || !br.ue(&crop_top) || !br.ue(&crop_bottom))) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: crop offsets");
    }

    // H.264 7.4.2.1.1: crop units depend on ChromaArrayType and frame_mbs_only_flag.
    int64_t crop_unit_x = 1, crop_unit_y = 2 - (int64_t)frame_mbs_only;
    int chroma_array_type = separate_colour_plane ? 0 : (int)chroma_format_idc;
    if (chroma_array_type != 0) {
        int sub_width_c = (chroma_format_idc == 3) ? 1 : 2;
        int sub_height_c = (chroma_format_idc == 1) ? 2 : 1;
        crop_unit_x = sub_width_c;
        crop_unit_y = sub_height_c * (2 - (int64_t)frame_mbs_only);
    }
    int64_t width = ((int64_t)width_mbs + 1) * 16 - ((int64_t)crop_left + crop_right) * crop_unit_x;
    int64_t height = (2 - (int64_t)frame_mbs_only) * ((int64_t)height_map_units + 1) * 16 -
                     ((int64_t)crop_top + crop_bottom) * crop_unit_y;
    if (width <= 0 || height <= 0 || width > 65536 || height > 65536) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "sps: invalid size %lldx%lld", (long long)width,
                             (long long)height);
    }

    info->profile_idc = (int)profile_idc;
    info->level_idc = (int)level_idc;
    info->chroma_format_idc = (int)chroma_format_idc;
    info->width = (int)width;
    info->height = (int)height;
    return srs_success;
}

srs_error_t srs_hevc_parse_sps(const char* nalu, int size, SrsHevcSpsInfo* info) {
    if (size < 4 || srs_hevc_nalu_type(nalu) != SrsHevcNaluTypeSPS) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: not an SPS, size=%d", size);
    }
    std::vector<char> rbsp;
    srs_nalu_to_rbsp(nalu + 2, size - 2, &rbsp);
    SrsBitReader br(rbsp.data(), (int)rbsp.size());

    uint32_t vps_id = 0, max_sub_layers_minus1 = 0, nesting = 0;
    if (!br.bits(4, &vps_id) || !br.bits(3, &max_sub_layers_minus1) || !br.bits(1, &nesting)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: truncated header");
    }
    if (max_sub_layers_minus1 > 6) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: sps_max_sub_layers_minus1=%u", max_sub_layers_minus1);
    }

    // profile_tier_level(1, sps_max_sub_layers_minus1), H.265 7.3.3.
    uint32_t profile_space = 0, tier = 0, profile_idc = 0, level_idc = 0;
    if (!br.bits(2, &profile_space) || !br.bits(1, &tier) || !br.bits(5, &profile_idc)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: general profile");
    }
    // general_profile_compatibility_flag[32] and the 48 constraint bits.
    if (!br.skip(32 + 48) || !br.bits(8, &level_idc)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: general level");
    }
    uint32_t profile_present[8] = {0}, level_present[8] = {0};
    for (uint32_t i = 0; i < max_sub_layers_minus1; i++) {
        if (!br.bits(1, &profile_present[i]) || !br.bits(1, &level_present[i])) {
            return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: sub layer flags");
        }
    }
    if (max_sub_layers_minus1 > 0 && !br.skip(2 * (8 - (int)max_sub_layers_minus1))) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: reserved_zero_2bits");
    }
    for (uint32_t i = 0; i < max_sub_layers_minus1; i++) {
        // sub_layer profile: 2+1+5+32+4+43+1 bits; sub_layer_level_idc: 8 bits.
        if ((profile_present[i] && !br.skip(88)) || (level_present[i] && !br.skip(8))) {
            return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: sub layer %u", i);
        }
    }

    uint32_t sps_id = 0, chroma_format_idc = 0, separate_colour_plane = 0, width = 0, height = 0, conformance = 0;
    if (!br.ue(&sps_id) || sps_id > 15 || !br.ue(&chroma_format_idc) || chroma_format_idc > 3) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: id/chroma format");
    }
    if (chroma_format_idc == 3 && !br.bits(1, &separate_colour_plane)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: separate_colour_plane_flag");
    }
    if (!br.ue(&width) || !br.ue(&height) || !br.bits(1, &conformance)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: picture size");
    }
    uint32_t left = 0, right = 0, top = 0, bottom = 0;
    if (conformance && (!br.ue(&left) || !br.ue(&right) || !br.ue(&top) || !br.ue(&bottom))) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: conformance window");
    }
    // H.265 Table 6-1: SubWidthC/SubHeightC; 1 for monochrome and 4:4:4.
    int64_t sub_width_c = (chroma_format_idc == 1 || chroma_format_idc == 2) && !separate_colour_plane ? 2 : 1;
    int64_t sub_height_c = (chroma_format_idc == 1) && !separate_colour_plane ? 2 : 1;
    int64_t w = (int64_t)width - sub_width_c * ((int64_t)left + right);
    int64_t h = (int64_t)height - sub_height_c * ((int64_t)top + bottom);
    if (w <= 0 || h <= 0 || w > 65536 || h > 65536) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "sps: invalid size %lldx%lld", (long long)w, (long long)h);
    }

    info->profile_idc = (int)profile_idc;
    info->level_idc = (int)level_idc;
    info->tier_flag = (int)tier;
    info->chroma_format_idc = (int)chroma_format_idc;
    info->width = (int)w;
    info->height = (int)h;
    return srs_success;
}

srs_error_t srs_avc_parse_avcc(const char* data, int size, SrsVideoCodecConfig* cfg) {
    SrsBuffer b(const_cast<char*>(data), size);
    if (!b.require(6)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: %d bytes, need 6", size);
    }
    int version = (uint8_t)b.read_1bytes();
    int profile = (uint8_t)b.read_1bytes();
    b.skip(1);  // profile_compatibility
    int level = (uint8_t)b.read_1bytes();
    int length_size = ((uint8_t)b.read_1bytes() & 0x03) + 1;
    if (version != 1) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: configurationVersion=%d", version);
    }
    if (length_size == 3) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: lengthSizeMinusOne=2 is reserved");
    }

    cfg->vps.clear();
    cfg->sps.clear();
    cfg->pps.clear();
    int num_sps = (uint8_t)b.read_1bytes() & 0x1f;
    for (int i = 0; i < num_sps; i++) {
        if (!b.require(2)) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: sps %d length", i);
        }
        int len = (uint16_t)b.read_2bytes();
        if (len == 0 || !b.require(len)) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: sps %d of %d bytes, left %d", i, len, b.left());
        }
        cfg->sps.push_back(b.read_string(len));
    }
    if (!b.require(1)) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: numOfPictureParameterSets");
    }
    int num_pps = (uint8_t)b.read_1bytes();
    for (int i = 0; i < num_pps; i++) {
        if (!b.require(2)) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: pps %d length", i);
        }
        int len = (uint16_t)b.read_2bytes();
        if (len == 0 || !b.require(len)) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: pps %d of %d bytes, left %d", i, len, b.left());
        }
        cfg->pps.push_back(b.read_string(len));
    }
    if (cfg->sps.empty() || cfg->pps.empty()) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "avcC: %d sps and %d pps", (int)cfg->sps.size(),
                             (int)cfg->pps.size());
    }

    cfg->id = SrsVideoCodecIdAVC;
    cfg->profile = profile;
    cfg->level = level;
    cfg->nalu_length_size = length_size;
    cfg->extra.assign(data, size);

    // The SPS gives the picture size; a broken SPS leaves the size unknown, which the
    // muxers do not need, so it is logged rather than fatal.
    SrsAvcSpsInfo info;
    srs_error_t err = srs_avc_parse_sps(cfg->sps[0].data(), (int)cfg->sps[0].size(), &info);
    if (err != srs_success) {
        srs_warn("avcC: ignore sps, %s", srs_error_summary(err).c_str());
        srs_error_reset(err);
        cfg->width = cfg->height = 0;
    } else {
        cfg->width = info.width;
        cfg->height = info.height;
    }
    return srs_success;
}

srs_error_t srs_hevc_parse_hvcc(const char* data, int size, SrsVideoCodecConfig* cfg) {
    SrsBuffer b(const_cast<char*>(data), size);
    // The fixed part of the record is 23 bytes (ISO 14496-15 8.3.3.1.2).
    if (!b.require(23)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: %d bytes, need 23", size);
    }
    int version = (uint8_t)b.read_1bytes();
    if (version != 1) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: configurationVersion=%d", version);
    }
    int profile = (uint8_t)b.read_1bytes() & 0x1f;
    b.skip(4 + 6);  // general_profile_compatibility_flags, general_constraint_indicator_flags
    int level = (uint8_t)b.read_1bytes();
    b.skip(2 + 1 + 1 + 1 + 1 + 2);  // min_spatial_segmentation .. avgFrameRate
    int length_size = ((uint8_t)b.read_1bytes() & 0x03) + 1;
    if (length_size == 3) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: lengthSizeMinusOne=2 is reserved");
    }
    int num_arrays = (uint8_t)b.read_1bytes();

    cfg->vps.clear();
    cfg->sps.clear();
    cfg->pps.clear();
    for (int i = 0; i < num_arrays; i++) {
        if (!b.require(3)) {
            return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: array %d header", i);
        }
        int type = (uint8_t)b.read_1bytes() & 0x3f;
        int num_nalus = (uint16_t)b.read_2bytes();
        for (int j = 0; j < num_nalus; j++) {
            if (!b.require(2)) {
                return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: array %d nalu %d length", i, j);
            }
            int len = (uint16_t)b.read_2bytes();
            if (len == 0 || !b.require(len)) {
                return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: nalu of %d bytes, left %d", len, b.left());
            }
            std::string nalu = b.read_string(len);
            if (type == SrsHevcNaluTypeVPS) {
                cfg->vps.push_back(std::move(nalu));
            } else if (type == SrsHevcNaluTypeSPS) {
                cfg->sps.push_back(std::move(nalu));
            } else if (type == SrsHevcNaluTypePPS) {
                cfg->pps.push_back(std::move(nalu));
            }
            // SEI arrays (39/40) are not needed by the muxers.
        }
    }
    if (cfg->vps.empty() || cfg->sps.empty() || cfg->pps.empty()) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: %d vps, %d sps and %d pps", (int)cfg->vps.size(),
                             (int)cfg->sps.size(), (int)cfg->pps.size());
    }

    cfg->id = SrsVideoCodecIdHEVC;
    cfg->profile = profile;
    cfg->level = level;
    cfg->nalu_length_size = length_size;
    cfg->extra.assign(data, size);

    SrsHevcSpsInfo info;
    srs_error_t err = srs_hevc_parse_sps(cfg->sps[0].data(), (int)cfg->sps[0].size(), &info);
    if (err != srs_success) {
        srs_warn("hvcC: ignore sps, %s", srs_error_summary(err).c_str());
        srs_error_reset(err);
        cfg->width = cfg->height = 0;
    } else {
        cfg->width = info.width;
        cfg->height = info.height;
    }
    return srs_success;
}

srs_error_t srs_aac_parse_asc(const char* data, int size, SrsAudioCodecConfig* cfg) {
    SrsBitReader br(data, size);
    auto read_object = [&](uint32_t* object) -> bool {
        // ISO 14496-3 1.6.2.1 GetAudioObjectType(): 31 escapes to 32 + 6 bits.
        if (!br.bits(5, object)) {
            return false;
        }
        if (*object == 31) {
            uint32_t ext = 0;
            if (!br.bits(6, &ext)) {
                return false;
            }
            *object = 32 + ext;
        }
        return true;
    };
    auto read_rate = [&](uint32_t* index, uint32_t* rate) -> bool {
        if (!br.bits(4, index)) {
            return false;
        }
        if (*index == 0x0f) {
            return br.bits(24, rate);
        }
        *rate = (uint32_t)srs_aac_sample_rate_from_index((int)*index);
        return true;
    };

    uint32_t object = 0, index = 0, rate = 0, channels = 0;
    if (!read_object(&object) || !read_rate(&index, &rate) || !br.bits(4, &channels)) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "asc: truncated, %d bytes", size);
    }
    if (object == 0) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "asc: audioObjectType=0");
    }
    if (rate == 0) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "asc: samplingFrequencyIndex=%u", index);
    }

    uint32_t core_object = object;
    if (object == SrsAacObjectTypeAacHE || object == SrsAacObjectTypeAacHEV2) {
        // Explicit hierarchical SBR/PS signalling: the extension rate, then the core object.
        uint32_t ext_index = 0, ext_rate = 0;
        if (!read_rate(&ext_index, &ext_rate) || !read_object(&core_object)) {
            return srs_error_new(ERROR_KERNEL_AAC_DECODE, "asc: truncated SBR extension");
        }
    }

    cfg->aac_object = (SrsAacObjectType)object;
    cfg->aac_core_object = (SrsAacObjectType)core_object;
    cfg->aac_sample_rate_index = (int)index;
    cfg->aac_channel_config = (int)channels;
    cfg->sample_rate = (int)rate;
    // Channel configuration 7 is 7.1 (8 channels); 0 means a program config element.
    cfg->channels = (channels == 7) ? 8 : (int)channels;
    cfg->extra.assign(data, size);
    return srs_success;
}

srs_error_t srs_mp3_parse_header(const char* data, int size, SrsAudioCodecConfig* cfg) {
    if (size < 4) {
        return srs_error_new(ERROR_KERNEL_MP3_DECODE, "mp3: %d bytes, need 4", size);
    }
    const uint8_t* p = (const uint8_t*)data;
    if (p[0] != 0xff || (p[1] & 0xe0) != 0xe0) {
        return srs_error_new(ERROR_KERNEL_MP3_DECODE, "mp3: no frame sync, %s", srs_hex_dump(data, 4).c_str());
    }
    int version = (p[1] >> 3) & 0x03;  // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    int layer = (p[1] >> 1) & 0x03;    // 0 is reserved
    int rate_index = (p[2] >> 2) & 0x03;
    int mode = (p[3] >> 6) & 0x03;
    if (version == 1 || layer == 0 || rate_index == 3) {
        return srs_error_new(ERROR_KERNEL_MP3_DECODE, "mp3: reserved version/layer/rate, %s",
                             srs_hex_dump(data, 4).c_str());
    }
    static const int rates[3] = {44100, 48000, 32000};
    int rate = rates[rate_index];
    if (version == 2) {
        rate /= 2;
    } else if (version == 0) {
        rate /= 4;
    }
    cfg->sample_rate = rate;
    cfg->channels = (mode == 3) ? 1 : 2;
    cfg->mp3_version = (version == 3) ? 1 : 2;
    return srs_success;
}

void SrsVideoFrame::reset() {
    dts = 0;
    cts = 0;
    codec = SrsVideoCodecIdReserved;
    frame_type = 0;
    packet_type = SrsVideoPacketCodedFrames;
    keyframe = false;
    has_idr = false;
    has_sps_pps = false;
    has_aud = false;
    samples.clear();
}

void SrsAudioFrame::reset() {
    dts = 0;
    codec = SrsAudioCodecIdReserved;
    sequence_header = false;
    samples.clear();
}

SrsFormat::SrsFormat() : ex_video_(std::make_unique<SrsExVideoTag>()), ex_audio_(std::make_unique<SrsExAudioTag>()) {
    video_.samples.reserve(16);
    audio_.samples.reserve(4);
}

SrsFormat::~SrsFormat() = default;

srs_error_t SrsFormat::on_audio(int64_t timestamp, const char* data, int size) {
    audio_.reset();
    audio_.dts = timestamp;
    if (size < 1) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "audio: empty tag");
    }
    uint8_t h = (uint8_t)data[0];
    SrsAudioCodecId id = (SrsAudioCodecId)(h >> 4);
    if (id == SrsAudioCodecIdExHeader) {
        return parse_audio_enhanced(data, size);
    }
    audio_.codec = id;

    // E.4.2.1: SoundFormat(4) SoundRate(2) SoundSize(1) SoundType(1).
    auto remember_header = [&]() {
        acodec_.id = id;
        acodec_.sound_rate = (h >> 2) & 0x03;
        acodec_.sound_size = (h >> 1) & 0x01;
        acodec_.sound_type = h & 0x01;
    };

    if (id == SrsAudioCodecIdAAC) {
        if (size < 2) {
            return srs_error_new(ERROR_KERNEL_AAC_DECODE, "aac: tag of %d bytes", size);
        }
        int packet_type = (uint8_t)data[1];
        if (packet_type == 0) {
            audio_.sequence_header = true;
            SrsAudioCodecConfig cfg;
            srs_error_t err = srs_aac_parse_asc(data + 2, size - 2, &cfg);
            if (err != srs_success) {
                return srs_error_wrap(err, "aac sequence header");
            }
            acodec_ = cfg;
            remember_header();
            acodec_ready_ = true;
            return srs_success;
        }
        if (packet_type != 1) {
            return srs_error_new(ERROR_KERNEL_AAC_DECODE, "aac: AACPacketType=%d", packet_type);
        }
        // A raw frame before the config cannot be framed as ADTS; the muxers drop it.
        if (size > 2) {
            audio_.samples.push_back(SrsSample{data + 2, size - 2});
        }
        return srs_success;
    }

    if (id == SrsAudioCodecIdMP3 || id == SrsAudioCodecIdMP38kHz) {
        if (size > 1) {
            if (!acodec_ready_ || acodec_.id != id) {
                SrsAudioCodecConfig cfg;
                srs_error_t err = srs_mp3_parse_header(data + 1, size - 1, &cfg);
                if (err != srs_success) {
                    return srs_error_wrap(err, "mp3 frame");
                }
                acodec_ = cfg;
                remember_header();
                acodec_ready_ = true;
            }
            audio_.samples.push_back(SrsSample{data + 1, size - 1});
        }
        return srs_success;
    }

    // Other codecs pass through as one sample, so stats still see the codec.
    if (!acodec_ready_ || acodec_.id != id) {
        acodec_ = SrsAudioCodecConfig();
        remember_header();
        static const int rates[4] = {5512, 11025, 22050, 44100};
        acodec_.sample_rate = rates[acodec_.sound_rate];
        acodec_.channels = acodec_.sound_type + 1;
        acodec_ready_ = true;
    }
    if (size > 1) {
        audio_.samples.push_back(SrsSample{data + 1, size - 1});
    }
    return srs_success;
}

srs_error_t SrsFormat::on_video(int64_t timestamp, const char* data, int size) {
    video_.reset();
    video_.dts = timestamp;
    if (size < 1) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "video: empty tag");
    }
    if ((uint8_t)data[0] & 0x80) {
        return parse_video_enhanced(data, size);
    }
    return parse_video_legacy(data, size);
}

srs_error_t SrsFormat::parse_video_legacy(const char* data, int size) {
    srs_error_t err = srs_success;
    uint8_t h = (uint8_t)data[0];
    video_.frame_type = h >> 4;
    video_.keyframe = video_.frame_type == SrsVideoFrameTypeKeyFrame;
    SrsVideoCodecId id = (SrsVideoCodecId)(h & 0x0f);
    video_.codec = id;

    // A video info/command frame (E.4.3.1) carries no picture.
    if (video_.frame_type == SrsVideoFrameTypeVideoInfoFrame) {
        video_.packet_type = SrsVideoPacketMetadata;
        return srs_success;
    }
    if (id != SrsVideoCodecIdAVC && id != SrsVideoCodecIdHEVC) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "video: codec id %d", (int)id);
    }
    if (size < 5) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "video: tag of %d bytes, need 5", size);
    }
    int packet_type = (uint8_t)data[1];
    // CompositionTime SI24.
    int32_t cts = ((uint8_t)data[2] << 16) | ((uint8_t)data[3] << 8) | (uint8_t)data[4];
    if (cts & 0x800000) {
        cts |= (int32_t)0xff000000;
    }

    if (packet_type == SrsVideoPacketSequenceHeader) {
        video_.packet_type = SrsVideoPacketSequenceHeader;
        if ((err = on_video_sequence_header(id, data + 5, size - 5)) != srs_success) {
            return srs_error_wrap(err, "video sequence header");
        }
        return srs_success;
    }
    if (packet_type == SrsVideoPacketSequenceEnd) {
        video_.packet_type = SrsVideoPacketSequenceEnd;
        return srs_success;
    }
    if (packet_type != SrsVideoPacketCodedFrames) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "video: AVCPacketType=%d", packet_type);
    }
    video_.packet_type = SrsVideoPacketCodedFrames;
    video_.cts = cts;
    return parse_video_nalus(data + 5, size - 5);
}

srs_error_t SrsFormat::parse_video_nalus(const char* data, int size) {
    // Without the sequence header the NALU length size is unknown: nothing to split.
    if (!vcodec_ready_ || vcodec_.id != video_.codec) {
        return srs_success;
    }
    srs_error_t err = parse_video_ibmf(data, size);
    if (err == srs_success) {
        return srs_success;
    }
    // Some encoders put Annex B (start codes) in FLV; accept it when the length-prefixed
    // reading fails and the data starts with a start code.
    bool start_code = (size >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 1) ||
                      (size >= 3 && data[0] == 0 && data[1] == 0 && data[2] == 1);
    if (!start_code) {
        return err;
    }
    srs_error_reset(err);
    video_.samples.clear();
    video_.has_idr = video_.has_aud = video_.has_sps_pps = false;
    return parse_video_annexb(data, size);
}

srs_error_t SrsFormat::add_video_nalu(const char* nalu, int len) {
    if (len <= 0) {
        return srs_success;
    }
    if ((int)video_.samples.size() >= kMaxSamplesPerFrame) {
        return srs_error_new(ERROR_KERNEL_AVC_DECODE, "video: more than %d NALUs", kMaxSamplesPerFrame);
    }
    video_.samples.push_back(SrsSample{nalu, len});
    if (video_.codec == SrsVideoCodecIdAVC) {
        int t = srs_avc_nalu_type(nalu);
        video_.has_idr |= srs_is_avc_idr(nalu, len);
        video_.has_aud |= t == SrsAvcNaluTypeAccessUnitDelimiter;
        video_.has_sps_pps |= t == SrsAvcNaluTypeSPS;
    } else {
        int t = srs_hevc_nalu_type(nalu);
        video_.has_idr |= srs_is_hevc_irap(nalu, len);
        video_.has_aud |= t == SrsHevcNaluTypeAccessUnitDelimiter;
        video_.has_sps_pps |= t == SrsHevcNaluTypeSPS;
    }
    return srs_success;
}

srs_error_t SrsFormat::parse_video_ibmf(const char* data, int size) {
    srs_error_t err = srs_success;
    int length_size = vcodec_.nalu_length_size;
    const char* p = data;
    const char* end = data + size;
    while (p < end) {
        if (end - p < length_size) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "video: %d bytes left for a %d-byte NALU length",
                                 (int)(end - p), length_size);
        }
        uint32_t len = 0;
        for (int i = 0; i < length_size; i++) {
            len = (len << 8) | (uint8_t)p[i];
        }
        p += length_size;
        if (len > (uint32_t)(end - p)) {
            return srs_error_new(ERROR_KERNEL_AVC_DECODE, "video: NALU of %u bytes, only %d left", len, (int)(end - p));
        }
        if ((err = add_video_nalu(p, (int)len)) != srs_success) {
            return err;
        }
        p += len;
    }
    return srs_success;
}

srs_error_t SrsFormat::parse_video_annexb(const char* data, int size) {
    srs_error_t err = srs_success;
    const char* end = data + size;
    const char* nalu = nullptr;
    const char* p = data;
    while (p + 3 <= end) {
        if (p[0] == 0 && p[1] == 0 && p[2] == 1) {
            if (nalu) {
                // Trailing zeros belong to the next start code (zero_byte).
                const char* e = p;
                while (e > nalu && e[-1] == 0) {
                    e--;
                }
                if ((err = add_video_nalu(nalu, (int)(e - nalu))) != srs_success) {
                    return err;
                }
            }
            p += 3;
            nalu = p;
            continue;
        }
        p++;
    }
    if (nalu && nalu < end) {
        return add_video_nalu(nalu, (int)(end - nalu));
    }
    return srs_success;
}
