#include <srs_kernel_codec_config.hpp>

#include <srs_kernel_buffer.hpp>

#include <cstring>

namespace {

// leb128() (AV1 spec 4.10.5): at most 8 bytes, the value within 32 bits.
bool srs_av1_leb128(SrsBuffer& b, uint32_t* v) {
    uint64_t value = 0;
    for (int i = 0; i < 8; i++) {
        if (!b.require(1)) {
            return false;
        }
        uint8_t byte = (uint8_t)b.read_1bytes();
        value |= (uint64_t)(byte & 0x7f) << (i * 7);
        if (!(byte & 0x80)) {
            if (value > 0xffffffffu) {
                return false;
            }
            *v = (uint32_t)value;
            return true;
        }
    }
    return false;
}

const int kAv1ObuSequenceHeader = 1;

}  // namespace

SrsSample SrsHevcConfigRecord::first(int nal_type) const {
    for (const Array& a : arrays) {
        if (a.nal_type == nal_type && !a.nalus.empty()) {
            return a.nalus[0];
        }
    }
    return SrsSample();
}

srs_error_t srs_hevc_parse_config_record(const char* data, int size, SrsHevcConfigRecord* rec) {
    *rec = SrsHevcConfigRecord();
    SrsBuffer b(const_cast<char*>(data), data ? size : 0);
    // The fixed part is 23 bytes (ISO/IEC 14496-15 8.3.3.1.2).
    if (!b.require(23)) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: %d bytes, need 23", size);
    }
    int version = (uint8_t)b.read_1bytes();
    if (version != 1) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: configurationVersion=%d", version);
    }
    uint8_t v = (uint8_t)b.read_1bytes();
    rec->profile_space = v >> 6;
    rec->tier_flag = (v >> 5) & 0x01;
    rec->profile_idc = v & 0x1f;
    rec->profile_compatibility_flags = (uint32_t)b.read_4bytes();
    b.skip(6);  // general_constraint_indicator_flags
    rec->level_idc = (uint8_t)b.read_1bytes();
    b.skip(2 + 1);  // min_spatial_segmentation_idc, parallelismType
    rec->chroma_format_idc = (uint8_t)b.read_1bytes() & 0x03;
    rec->bit_depth_luma = ((uint8_t)b.read_1bytes() & 0x07) + 8;
    rec->bit_depth_chroma = ((uint8_t)b.read_1bytes() & 0x07) + 8;
    b.skip(2);  // avgFrameRate
    rec->nalu_length_size = ((uint8_t)b.read_1bytes() & 0x03) + 1;
    if (rec->nalu_length_size == 3) {
        return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: lengthSizeMinusOne=2 is reserved");
    }
    int num_arrays = (uint8_t)b.read_1bytes();
    rec->arrays.reserve(num_arrays);
    for (int i = 0; i < num_arrays; i++) {
        if (!b.require(3)) {
            return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: array %d of %d, no header", i, num_arrays);
        }
        rec->arrays.emplace_back();
        SrsHevcConfigRecord::Array& a = rec->arrays.back();
        v = (uint8_t)b.read_1bytes();
        a.complete = (v & 0x80) != 0;
        a.nal_type = v & 0x3f;
        int num_nalus = (uint16_t)b.read_2bytes();
        for (int j = 0; j < num_nalus; j++) {
            if (!b.require(2)) {
                return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: array %d nalu %d, no length", i, j);
            }
            int len = (uint16_t)b.read_2bytes();
            if (len == 0 || !b.require(len)) {
                return srs_error_new(ERROR_KERNEL_HEVC_DECODE, "hvcC: array %d nalu %d of %d bytes, left %d", i, j, len,
                                     b.left());
            }
            SrsSample nalu;
            nalu.data = b.head();
            nalu.size = len;
            a.nalus.push_back(nalu);
            b.skip(len);
        }
    }

    // The size is for the stats; a record whose SPS this parser cannot read still configures a
    // decoder, so it keeps a zero size rather than failing.
    SrsSample sps = rec->first(SrsHevcNaluTypeSPS);
    if (sps.size > 0) {
        SrsHevcSpsInfo info;
        srs_error_t err = srs_hevc_parse_sps(sps.data, sps.size, &info);
        if (err == srs_success) {
            rec->width = info.width;
            rec->height = info.height;
        }
        srs_error_reset(err);
    }
    return srs_success;
}

srs_error_t srs_av1_parse_sequence_header(const char* data, int size, SrsAv1ConfigRecord* rec) {
    SrsBitReader br(data, size);
    uint32_t profile = 0, still = 0, reduced = 0;
    if (!br.bits(3, &profile) || !br.bits(1, &still) || !br.bits(1, &reduced)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: %d bytes", size);
    }
    uint32_t level = 0, tier = 0;
    if (reduced) {
        if (!br.bits(5, &level)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: seq_level_idx");
        }
    } else {
        uint32_t timing = 0, decoder_model = 0, buffer_delay_length = 0;
        if (!br.bits(1, &timing)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: timing_info_present_flag");
        }
        if (timing) {
            // timing_info(): two f(32), equal_picture_interval and its uvlc.
            uint32_t equal = 0;
            if (!br.skip(64) || !br.bits(1, &equal) || (equal && !br.skip_uvlc()) || !br.bits(1, &decoder_model)) {
                return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: timing_info");
            }
            // decoder_model_info(): buffer_delay_length_minus_1 f(5), f(32), f(5), f(5).
            if (decoder_model && (!br.bits(5, &buffer_delay_length) || !br.skip(32 + 5 + 5))) {
                return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: decoder_model_info");
            }
            buffer_delay_length++;
        }
        uint32_t initial_display_delay = 0, op_count = 0;
        if (!br.bits(1, &initial_display_delay) || !br.bits(5, &op_count)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: operating points");
        }
        for (uint32_t i = 0; i <= op_count; i++) {
            uint32_t op_level = 0, op_tier = 0, flag = 0;
            if (!br.skip(12) || !br.bits(5, &op_level) || (op_level > 7 && !br.bits(1, &op_tier))) {
                return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: operating point %u", i);
            }
            // operating_parameters_info(): two f(n) and low_delay_mode_flag.
            if (decoder_model && (!br.bits(1, &flag) || (flag && !br.skip(2 * (int)buffer_delay_length + 1)))) {
                return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: operating parameters %u", i);
            }
            if (initial_display_delay && (!br.bits(1, &flag) || (flag && !br.skip(4)))) {
                return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: display delay %u", i);
            }
            // The first operating point is the whole stream, the one av1C's seq_level_idx_0 names.
            if (i == 0) {
                level = op_level;
                tier = op_tier;
            }
        }
    }
    uint32_t width_bits = 0, height_bits = 0, width = 0, height = 0;
    if (!br.bits(4, &width_bits) || !br.bits(4, &height_bits) || !br.bits((int)width_bits + 1, &width) ||
        !br.bits((int)height_bits + 1, &height)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1 sequence header: frame size");
    }
    rec->seq_profile = (int)profile;
    rec->seq_level_idx = (int)level;
    rec->seq_tier = (int)tier;
    rec->width = (int)width + 1;
    rec->height = (int)height + 1;
    rec->has_sequence_header = true;
    return srs_success;
}

srs_error_t srs_av1_parse_config_record(const char* data, int size, SrsAv1ConfigRecord* rec) {
    srs_error_t err = srs_success;
    *rec = SrsAv1ConfigRecord();
    SrsBuffer b(const_cast<char*>(data), data ? size : 0);
    // AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3): 4 fixed bytes, then configOBUs.
    if (!b.require(4)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1C: %d bytes, need 4", size);
    }
    uint8_t v = (uint8_t)b.read_1bytes();
    if (v != 0x81) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1C: marker/version byte 0x%02x, need 0x81", v);
    }
    v = (uint8_t)b.read_1bytes();
    rec->seq_profile = v >> 5;
    rec->seq_level_idx = v & 0x1f;
    v = (uint8_t)b.read_1bytes();
    rec->seq_tier = v >> 7;
    bool high_bitdepth = (v >> 6) & 0x01;
    bool twelve_bit = (v >> 5) & 0x01;
    rec->bit_depth = twelve_bit ? 12 : (high_bitdepth ? 10 : 8);
    rec->monochrome = (v >> 4) & 0x01;
    rec->chroma_subsampling_x = (v >> 3) & 0x01;
    rec->chroma_subsampling_y = (v >> 2) & 0x01;
    rec->chroma_sample_position = v & 0x03;
    v = (uint8_t)b.read_1bytes();
    if (v & 0x10) {
        rec->initial_presentation_delay = (v & 0x0f) + 1;
    }
    rec->config_obus.data = b.head();
    rec->config_obus.size = b.left();

    // configOBUs: OBUs with obu_has_size_field (AV1 spec 5.3); only a sequence header matters here.
    while (!b.empty()) {
        uint8_t h = (uint8_t)b.read_1bytes();
        if (h & 0x80) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1C: obu_forbidden_bit set");
        }
        int type = (h >> 3) & 0x0f;
        if ((h & 0x04) && !b.require(1)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1C: obu extension missing");
        }
        if (h & 0x04) {
            b.skip(1);
        }
        uint32_t obu_size = (uint32_t)b.left();
        if ((h & 0x02) && !srs_av1_leb128(b, &obu_size)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1C: obu_size");
        }
        if (!b.require((int)obu_size) || obu_size > (uint32_t)b.left()) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1C: obu of %u bytes, left %d", obu_size, b.left());
        }
        if (type == kAv1ObuSequenceHeader && !rec->has_sequence_header) {
            if ((err = srs_av1_parse_sequence_header(b.head(), (int)obu_size, rec)) != srs_success) {
                return srs_error_wrap(err, "av1C");
            }
        }
        b.skip((int)obu_size);
    }
    return srs_success;
}

srs_error_t srs_vpx_parse_config_record(const char* data, int size, SrsVpxConfigRecord* rec) {
    *rec = SrsVpxConfigRecord();
    SrsBuffer b(const_cast<char*>(data), data ? size : 0);
    // FullBox version and flags, then the record (VP-ISOBMFF 2.2): 8 fixed bytes for version 1,
    // 6 for the draft version 0.
    if (!b.require(4)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vpcC: %d bytes, need 4", size);
    }
    rec->version = (uint8_t)b.read_1bytes();
    b.skip(3);
    if (rec->version > 1) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vpcC: version %d", rec->version);
    }
    if (!b.require(rec->version == 1 ? 8 : 6)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vpcC: version %d record of %d bytes", rec->version,
                             b.left());
    }
    rec->profile = (uint8_t)b.read_1bytes();
    rec->level = (uint8_t)b.read_1bytes();
    uint8_t v = (uint8_t)b.read_1bytes();
    rec->bit_depth = v >> 4;
    if (rec->version == 1) {
        rec->chroma_subsampling = (v >> 1) & 0x07;
        rec->full_range = v & 0x01;
        rec->colour_primaries = (uint8_t)b.read_1bytes();
        rec->transfer_characteristics = (uint8_t)b.read_1bytes();
        rec->matrix_coefficients = (uint8_t)b.read_1bytes();
    } else {
        // bitDepth(4) | colorSpace(4), then chromaSubsampling(4) | transferFunction(3) |
        // videoFullRangeFlag(1).
        v = (uint8_t)b.read_1bytes();
        rec->chroma_subsampling = v >> 4;
        rec->full_range = v & 0x01;
    }
    int init_size = (uint16_t)b.read_2bytes();
    if (!b.require(init_size)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vpcC: %d bytes of init data, left %d", init_size,
                             b.left());
    }
    rec->codec_init_data.data = b.head();
    rec->codec_init_data.size = init_size;
    if (rec->bit_depth != 8 && rec->bit_depth != 10 && rec->bit_depth != 12) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vpcC: bitDepth %d", rec->bit_depth);
    }
    return srs_success;
}

namespace {

// The channel mapping table that follows a family other than 0 (RFC 7845 5.1.1), the same in dOps.
srs_error_t srs_opus_check(SrsOpusConfigRecord* rec) {
    if (rec->channels < 1) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "opus: %d channels", rec->channels);
    }
    if (rec->mapping_family == 0 && rec->channels > 2) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "opus: family 0 with %d channels", rec->channels);
    }
    if (rec->mapping_family == 0) {
        rec->stream_count = 1;
        rec->coupled_count = rec->channels - 1;
        return srs_success;
    }
    if (rec->stream_count < 1 || rec->coupled_count > rec->stream_count ||
        rec->stream_count + rec->coupled_count > 255) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "opus: %d streams, %d coupled", rec->stream_count,
                             rec->coupled_count);
    }
    for (uint8_t m : rec->channel_mapping) {
        if (m != 255 && m >= rec->stream_count + rec->coupled_count) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "opus: channel mapped to stream %d of %d", m,
                                 rec->stream_count + rec->coupled_count);
        }
    }
    return srs_success;
}

// After the fixed fields (the same in dOps and OpusHead): the mapping table of a family other
// than 0, then the checks.
srs_error_t srs_opus_read_mapping(SrsBuffer& b, SrsOpusConfigRecord* rec) {
    if (rec->mapping_family != 0) {
        if (!b.require(2 + rec->channels)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "mapping table for %d channels, left %d",
                                 rec->channels, b.left());
        }
        rec->stream_count = (uint8_t)b.read_1bytes();
        rec->coupled_count = (uint8_t)b.read_1bytes();
        rec->channel_mapping.assign((const uint8_t*)b.head(), (const uint8_t*)b.head() + rec->channels);
    }
    return srs_opus_check(rec);
}

}  // namespace

srs_error_t srs_opus_parse_dops(const char* data, int size, SrsOpusConfigRecord* rec) {
    *rec = SrsOpusConfigRecord();
    SrsBuffer b(const_cast<char*>(data), data ? size : 0);
    // OpusSpecificBox (Opus-ISOBMFF 4.3.2): Version, OutputChannelCount, PreSkip, InputSampleRate,
    // OutputGain, ChannelMappingFamily, all big-endian.
    if (!b.require(11)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "dOps: %d bytes, need 11", size);
    }
    int version = (uint8_t)b.read_1bytes();
    if (version != 0) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "dOps: version %d", version);
    }
    rec->channels = (uint8_t)b.read_1bytes();
    rec->pre_skip = (uint16_t)b.read_2bytes();
    rec->input_sample_rate = (uint32_t)b.read_4bytes();
    rec->output_gain = b.read_2bytes();
    rec->mapping_family = (uint8_t)b.read_1bytes();
    srs_error_t err = srs_opus_read_mapping(b, rec);
    if (err != srs_success) {
        return srs_error_wrap(err, "dOps");
    }
    return srs_success;
}

srs_error_t srs_opus_parse_head(const char* data, int size, SrsOpusConfigRecord* rec) {
    *rec = SrsOpusConfigRecord();
    // RFC 7845 5.1: "OpusHead", version, channels, pre-skip, input rate, gain, family: 19 bytes,
    // little-endian.
    if (!data || size < 19 || memcmp(data, "OpusHead", 8) != 0) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "OpusHead: %d bytes, not an identification header", size);
    }
    SrsBuffer b(const_cast<char*>(data), size);
    b.skip(8);
    int version = (uint8_t)b.read_1bytes();
    // The major version is the high nibble; only major version 0 is defined.
    if (version > 15) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "OpusHead: version %d", version);
    }
    rec->channels = (uint8_t)b.read_1bytes();
    rec->pre_skip = (uint16_t)b.read_le2bytes();
    rec->input_sample_rate = (uint32_t)b.read_le4bytes();
    rec->output_gain = b.read_le2bytes();
    rec->mapping_family = (uint8_t)b.read_1bytes();
    srs_error_t err = srs_opus_read_mapping(b, rec);
    if (err != srs_success) {
        return srs_error_wrap(err, "OpusHead");
    }
    return srs_success;
}

srs_error_t srs_opus_parse_config(const char* data, int size, SrsOpusConfigRecord* rec) {
    if (data && size >= 8 && memcmp(data, "OpusHead", 8) == 0) {
        return srs_opus_parse_head(data, size, rec);
    }
    return srs_opus_parse_dops(data, size, rec);
}

namespace {

// color_config() (VP9 spec 6.2.2); only the bit depth is kept.
bool srs_vp9_color_config(SrsBitReader& r, SrsVp9FrameHeader* h) {
    uint32_t v = 0;
    h->bit_depth = 8;
    if (h->profile >= 2) {
        if (!r.bits(1, &v)) {
            return false;
        }
        h->bit_depth = v ? 12 : 10;
    }
    uint32_t color_space = 0;
    if (!r.bits(3, &color_space)) {
        return false;
    }
    // CS_RGB (7) has no color_range; profiles 1 and 3 signal the subsampling (and a reserved bit).
    int n = color_space != 7 ? 1 : 0;
    if (h->profile == 1 || h->profile == 3) {
        n += color_space != 7 ? 3 : 1;
    }
    return r.skip(n);
}

}  // namespace

srs_error_t srs_vp9_parse_frame_header(const char* data, int size, SrsVp9FrameHeader* h) {
    *h = SrsVp9FrameHeader();
    SrsBitReader r(data, data ? size : 0);
    uint32_t marker = 0, lo = 0, hi = 0, v = 0;
    if (!r.bits(2, &marker) || !r.bits(1, &lo) || !r.bits(1, &hi)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
    }
    if (marker != 2) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame_marker %u", marker);
    }
    h->profile = (int)((hi << 1) | lo);
    if (h->profile == 3 && !r.skip(1)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
    }
    if (!r.bits(1, &v)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
    }
    h->show_existing_frame = v;
    if (h->show_existing_frame) {
        return srs_success;
    }
    uint32_t frame_type = 0, show_frame = 0, error_resilient = 0;
    if (!r.bits(1, &frame_type) || !r.bits(1, &show_frame) || !r.bits(1, &error_resilient)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
    }
    // KEY_FRAME is 0.
    h->keyframe = frame_type == 0;
    if (!h->keyframe) {
        v = 0;
        if (!show_frame && !r.bits(1, &v)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
        }
        h->intra_only = !show_frame && v;
        if (!h->intra_only) {
            return srs_success;
        }
        // reset_frame_context.
        if (!error_resilient && !r.skip(2)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
        }
    }
    uint32_t sync = 0;
    if (!r.bits(24, &sync)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
    }
    if (sync != 0x498342) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame_sync_code 0x%06x", sync);
    }
    if (h->keyframe || h->profile > 0) {
        if (!srs_vp9_color_config(r, h)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
        }
    }
    // An intra-only frame says which references it refreshes before its size.
    if (h->intra_only && !r.skip(8)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes", size);
    }
    uint32_t w = 0, hh = 0;
    if (!r.bits(16, &w) || !r.bits(16, &hh)) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "vp9: frame of %d bytes, no frame size", size);
    }
    h->width = (int)w + 1;
    h->height = (int)hh + 1;
    return srs_success;
}
