#include <srs_kernel_aac.hpp>

#include <srs_kernel_codec.hpp>

srs_error_t srs_adts_write_header(const SrsAudioCodecConfig& cfg, int raw_size, char out[SRS_ADTS_HEADER_SIZE]) {
    int index = cfg.aac_sample_rate_index;
    // ADTS has no escape for an explicit frequency: use the table index of the same rate.
    if (index == 0x0f) {
        index = srs_aac_sample_rate_to_index(cfg.sample_rate);
        if (index < 0) {
            return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: no index for %d Hz", cfg.sample_rate);
        }
    }
    return srs_adts_write_header((int)cfg.aac_core_object, index, cfg.aac_channel_config, raw_size, out);
}

srs_error_t srs_adts_write_header(int object, int sample_rate_index, int channel_config, int raw_size,
                                  char out[SRS_ADTS_HEADER_SIZE]) {
    // The 2-bit profile field holds object type - 1, so only types 1..4 fit.
    if (object < 1 || object > 4) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: object type %d does not fit", object);
    }
    if (sample_rate_index < 0 || sample_rate_index > 12) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: sampling frequency index %d", sample_rate_index);
    }
    if (channel_config < 0 || channel_config > 7) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: channel configuration %d", channel_config);
    }
    int frame_length = raw_size + SRS_ADTS_HEADER_SIZE;
    if (raw_size < 0 || frame_length > SRS_ADTS_MAX_FRAME_SIZE) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: frame of %d bytes does not fit", raw_size);
    }
    int profile = object - 1;
    // syncword 0xFFF, ID 0 (MPEG-4), layer 00, protection_absent 1.
    out[0] = (char)0xff;
    out[1] = (char)0xf1;
    // profile(2) sampling_frequency_index(4) private_bit(1) channel_configuration(3, high bit).
    out[2] = (char)((profile << 6) | (sample_rate_index << 2) | ((channel_config >> 2) & 0x01));
    // channel_configuration(low 2) original_copy home copyright_id_bit copyright_id_start
    // aac_frame_length(13, high 2).
    out[3] = (char)(((channel_config & 0x03) << 6) | ((frame_length >> 11) & 0x03));
    out[4] = (char)((frame_length >> 3) & 0xff);
    // aac_frame_length(low 3) adts_buffer_fullness(11) = 0x7FF (VBR), number_of_raw_data_blocks 0.
    out[5] = (char)(((frame_length & 0x07) << 5) | 0x1f);
    out[6] = (char)0xfc;
    return srs_success;
}

srs_error_t srs_adts_parse_header(const char* data, int size, SrsAdtsHeader* h) {
    if (size < SRS_ADTS_HEADER_SIZE) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: %d bytes, need 7", size);
    }
    const uint8_t* p = (const uint8_t*)data;
    if (p[0] != 0xff || (p[1] & 0xf6) != 0xf0) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: no syncword, %02x %02x", p[0], p[1]);
    }
    bool protection_absent = p[1] & 0x01;
    h->object = ((p[2] >> 6) & 0x03) + 1;
    h->sample_rate_index = (p[2] >> 2) & 0x0f;
    h->channel_config = ((p[2] & 0x01) << 2) | ((p[3] >> 6) & 0x03);
    h->frame_length = ((p[3] & 0x03) << 11) | (p[4] << 3) | ((p[5] >> 5) & 0x07);
    h->header_size = protection_absent ? 7 : 9;
    if (h->sample_rate_index > 12) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: sampling frequency index %d", h->sample_rate_index);
    }
    if (h->frame_length < h->header_size || h->frame_length > size) {
        return srs_error_new(ERROR_KERNEL_AAC_DECODE, "adts: frame length %d, header %d, have %d", h->frame_length,
                             h->header_size, size);
    }
    return srs_success;
}
