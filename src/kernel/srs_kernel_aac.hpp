// AAC framing: the 7-byte ADTS header (ISO 13818-7 6.2 / ISO 14496-3 1.A.2) that turns the
// raw AAC frames of FLV into a self-describing stream for MPEG-TS and the HTTP .aac mount.
#pragma once

#include <srs_core_error.hpp>

struct SrsAudioCodecConfig;

// Bytes of an ADTS header without CRC (protection_absent = 1).
const int SRS_ADTS_HEADER_SIZE = 7;
// The largest frame an ADTS header can describe (aac_frame_length is 13 bits).
const int SRS_ADTS_MAX_FRAME_SIZE = 8191;

// The fields of an ADTS fixed and variable header that matter to us.
struct SrsAdtsHeader {
    // MPEG-4 audio object type (profile + 1): 1 Main, 2 LC, 3 SSR, 4 LTP.
    int object = 0;
    int sample_rate_index = 0;
    int channel_config = 0;
    // The whole frame, header included.
    int frame_length = 0;
    // 7 without CRC, 9 with.
    int header_size = 0;
};

// Writes an ADTS header for a raw frame of raw_size bytes, using the core object type and
// sampling frequency index of cfg (HE-AAC is carried as its AAC-LC core, with implicit SBR).
srs_error_t srs_adts_write_header(const SrsAudioCodecConfig& cfg, int raw_size, char out[SRS_ADTS_HEADER_SIZE]);
// The same from explicit fields: object type 1..4, index 0..12, channel configuration 0..7.
srs_error_t srs_adts_write_header(int object, int sample_rate_index, int channel_config, int raw_size,
                                  char out[SRS_ADTS_HEADER_SIZE]);
// Parses the ADTS header at data; checks the sync word and that the frame fits in size.
srs_error_t srs_adts_parse_header(const char* data, int size, SrsAdtsHeader* h);
