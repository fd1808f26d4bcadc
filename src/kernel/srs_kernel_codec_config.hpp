// Decoder configuration records of the enhanced RTMP codecs, as carried by a SequenceStart and
// stored in MP4 sample entries: hvcC (ISO/IEC 14496-15 8.3.3.1), av1C (AV1 Codec ISO Media File
// Format Binding 2.3, with the AV1 sequence header OBU, AV1 spec 5.5), vpcC (VP Codec ISO Media
// File Format Binding 2.2) and dOps / OpusHead (Encapsulation of Opus in ISOBMFF 4.3.2, RFC 7845
// 5.1). The parsers read what the stats API and the muxers need; every read is bounds-checked.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_codec.hpp>

#include <vector>

// An hvcC record. The parameter sets point into the parsed bytes (no copy).
struct SrsHevcConfigRecord {
    int profile_space = 0;
    int tier_flag = 0;
    // general_profile_idc (1 Main, 2 Main 10, 3 Main Still Picture, 4 Rext) and
    // general_level_idc (30 * level).
    int profile_idc = 0;
    int level_idc = 0;
    uint32_t profile_compatibility_flags = 0;
    // 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4.
    int chroma_format_idc = 0;
    int bit_depth_luma = 8;
    int bit_depth_chroma = 8;
    // The size of the NALU length field in the coded frames: 1, 2 or 4.
    int nalu_length_size = 4;
    // One NAL unit array of the record (NAL_unit_type, completeness, NALUs).
    struct Array {
        int nal_type = 0;
        bool complete = false;
        std::vector<SrsSample> nalus;
    };
    std::vector<Array> arrays;
    // The picture size from the first SPS, after the conformance window; 0 when the record has no
    // SPS or its SPS does not parse.
    int width = 0;
    int height = 0;

    // The first NALU of that type, or an empty sample.
    SrsSample first(int nal_type) const;
};

// Parses an HEVCDecoderConfigurationRecord and the picture size of its first SPS.
srs_error_t srs_hevc_parse_config_record(const char* data, int size, SrsHevcConfigRecord* rec);

// An av1C record and what its sequence header OBU says.
struct SrsAv1ConfigRecord {
    int seq_profile = 0;
    // seq_level_idx_0: the level is 2 + (idx >> 2) . (idx & 3), 31 meaning no level.
    int seq_level_idx = 0;
    int seq_tier = 0;
    int bit_depth = 8;
    bool monochrome = false;
    int chroma_subsampling_x = 0;
    int chroma_subsampling_y = 0;
    int chroma_sample_position = 0;
    // initial_presentation_delay_minus_one + 1, 0 when absent.
    int initial_presentation_delay = 0;
    // configOBUs: the OBUs after the 4 fixed bytes (a sequence header, maybe metadata).
    SrsSample config_obus;
    // From the sequence header OBU in configOBUs; false when there is none.
    bool has_sequence_header = false;
    // max_frame_width_minus_1 + 1 and max_frame_height_minus_1 + 1.
    int width = 0;
    int height = 0;
};

// Parses an AV1CodecConfigurationRecord, and the sequence header OBU in its configOBUs if any.
srs_error_t srs_av1_parse_config_record(const char* data, int size, SrsAv1ConfigRecord* rec);
// Parses the start of an AV1 sequence header OBU payload (AV1 spec 5.5.1) up to the maximum frame
// size: profile, first operating point's level and tier, width and height.
srs_error_t srs_av1_parse_sequence_header(const char* data, int size, SrsAv1ConfigRecord* rec);

// A vpcC record (version 1; version 0 is read too).
struct SrsVpxConfigRecord {
    int version = 1;
    int profile = 0;
    // level * 10 (VP9 levels: 10, 11, 20, ... 62); 0 when not signalled.
    int level = 0;
    int bit_depth = 8;
    // 0 4:2:0 vertical, 1 4:2:0 colocated, 2 4:2:2, 3 4:4:4.
    int chroma_subsampling = 1;
    bool full_range = false;
    int colour_primaries = 2;
    int transfer_characteristics = 2;
    int matrix_coefficients = 2;
    SrsSample codec_init_data;
};

// Parses a VPCodecConfigurationRecord with its FullBox version and flags (the payload of the vpcC
// box, which is what FFmpeg sends as the vp09 SequenceStart).
srs_error_t srs_vpx_parse_config_record(const char* data, int size, SrsVpxConfigRecord* rec);

// What the uncompressed header of a VP9 frame tells (VP9 bitstream spec 6.2).
struct SrsVp9FrameHeader {
    int profile = 0;
    // show_existing_frame: a frame that only shows an earlier one, no other field follows.
    bool show_existing_frame = false;
    bool keyframe = false;
    bool intra_only = false;
    // 8, 10 or 12.
    int bit_depth = 8;
    // The frame size, for a keyframe or an intra-only frame; 0 for the others, which take theirs
    // from a reference frame.
    int width = 0;
    int height = 0;
};

// Parses the start of the uncompressed header of a VP9 frame (a vp09 CodedFrames payload or an MP4
// sample; of a superframe, the first frame, which starts the data): frame_marker, profile,
// show_existing_frame, frame_type, and for a keyframe or an intra-only frame the sync code
// 0x49 0x83 0x42, color_config() and frame_size(). vpcC has no picture size: the statistics take it
// from here.
srs_error_t srs_vp9_parse_frame_header(const char* data, int size, SrsVp9FrameHeader* h);

// The Opus decoder setup, from dOps or OpusHead.
struct SrsOpusConfigRecord {
    int channels = 0;
    int pre_skip = 0;
    // The sample rate of the encoder's input (informative: Opus always decodes at 48 kHz).
    uint32_t input_sample_rate = 0;
    // Q7.8 dB.
    int16_t output_gain = 0;
    // 0: mono/stereo, no table; 1: Vorbis order up to 8 channels; 255: undefined order.
    int mapping_family = 0;
    int stream_count = 1;
    int coupled_count = 0;
    std::vector<uint8_t> channel_mapping;
};

// Parses an OpusSpecificBox payload (dOps, big-endian, Version 0).
srs_error_t srs_opus_parse_dops(const char* data, int size, SrsOpusConfigRecord* rec);
// Parses an Opus identification header (RFC 7845 5.1: "OpusHead", little-endian, version 1).
srs_error_t srs_opus_parse_head(const char* data, int size, SrsOpusConfigRecord* rec);
// Either of the two, told apart by the "OpusHead" magic: enhanced RTMP publishers send one or
// the other as the Opus SequenceStart.
srs_error_t srs_opus_parse_config(const char* data, int size, SrsOpusConfigRecord* rec);
