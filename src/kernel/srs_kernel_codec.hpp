// Codec identification and parsing of FLV audio/video tag bodies: decoder configuration
// records (avcC, hvcC), SPS, AudioSpecificConfig and MP3 headers, and the per-frame split
// into NALUs or raw audio frames that the muxers (TS, raw AAC/MP3) consume.
#pragma once

#include <srs_core_error.hpp>

#include <memory>
#include <string>
#include <vector>

struct SrsExVideoTag;
struct SrsExAudioTag;

// FLV video CodecID (FLV spec v10.1 E.4.3.1), plus HEVC (12) and AV1 (13) as used by the
// legacy extensions. Enhanced RTMP signals its codec with a FourCC instead; the parser maps
// the FourCC onto the same ids.
// The wire enums below have a fixed underlying type, so a value read from the wire that is not
// one of the named ones is still a valid value (no undefined behaviour when it is stored).
enum SrsVideoCodecId : uint8_t {
    SrsVideoCodecIdReserved = 0,
    SrsVideoCodecIdSorensonH263 = 2,
    SrsVideoCodecIdScreenVideo = 3,
    SrsVideoCodecIdOn2VP6 = 4,
    SrsVideoCodecIdOn2VP6WithAlpha = 5,
    SrsVideoCodecIdScreenVideoVersion2 = 6,
    SrsVideoCodecIdAVC = 7,
    SrsVideoCodecIdHEVC = 12,
    SrsVideoCodecIdAV1 = 13,
    // Only reachable through enhanced RTMP ('vp09').
    SrsVideoCodecIdVP9 = 14,
};

// FLV video FrameType (E.4.3.1).
enum SrsVideoFrameType : uint8_t {
    SrsVideoFrameTypeKeyFrame = 1,
    SrsVideoFrameTypeInterFrame = 2,
    SrsVideoFrameTypeDisposableInterFrame = 3,
    SrsVideoFrameTypeGeneratedKeyFrame = 4,
    SrsVideoFrameTypeVideoInfoFrame = 5,
};

// AVCPacketType (E.4.3.1) and enhanced RTMP PacketType, normalized.
enum SrsVideoPacketType : uint8_t {
    SrsVideoPacketSequenceHeader = 0,
    SrsVideoPacketCodedFrames = 1,
    SrsVideoPacketSequenceEnd = 2,
    // Enhanced RTMP only: coded frames whose composition time is implicitly 0.
    SrsVideoPacketCodedFramesX = 3,
    SrsVideoPacketMetadata = 4,
};

// FLV SoundFormat (E.4.2.1).
enum SrsAudioCodecId : uint8_t {
    SrsAudioCodecIdLinearPCMPlatformEndian = 0,
    SrsAudioCodecIdADPCM = 1,
    SrsAudioCodecIdMP3 = 2,
    SrsAudioCodecIdLinearPCMLittleEndian = 3,
    SrsAudioCodecIdNellymoser16kHzMono = 4,
    SrsAudioCodecIdNellymoser8kHzMono = 5,
    SrsAudioCodecIdNellymoser = 6,
    SrsAudioCodecIdG711ALaw = 7,
    SrsAudioCodecIdG711MuLaw = 8,
    SrsAudioCodecIdReserved = 9,
    SrsAudioCodecIdAAC = 10,
    SrsAudioCodecIdSpeex = 11,
    SrsAudioCodecIdOpus = 13,
    SrsAudioCodecIdMP38kHz = 14,
    SrsAudioCodecIdDeviceSpecific = 15,
    // Past the 4-bit SoundFormat: only reachable through enhanced RTMP ('ac-3', 'ec-3', 'fLaC').
    SrsAudioCodecIdAC3 = 16,
    SrsAudioCodecIdEAC3 = 17,
    SrsAudioCodecIdFLAC = 18,
};

// FLV SoundRate (E.4.2.1): 5.5, 11, 22 or 44 kHz.
enum SrsAudioSoundRate : uint8_t {
    SrsAudioSoundRate5512 = 0,
    SrsAudioSoundRate11025 = 1,
    SrsAudioSoundRate22050 = 2,
    SrsAudioSoundRate44100 = 3,
};

// MPEG-4 audio object types (ISO 14496-3 1.5.1.1).
enum SrsAacObjectType : uint8_t {
    SrsAacObjectTypeReserved = 0,
    SrsAacObjectTypeAacMain = 1,
    SrsAacObjectTypeAacLC = 2,
    SrsAacObjectTypeAacSSR = 3,
    SrsAacObjectTypeAacLTP = 4,
    SrsAacObjectTypeAacHE = 5,     // SBR
    SrsAacObjectTypeAacHEV2 = 29,  // PS
};

// Names for logs and the stats API, in SRS's spelling ("H264", "HEVC", "AAC", "MP3").
const char* srs_video_codec_id2str(SrsVideoCodecId codec);
const char* srs_audio_codec_id2str(SrsAudioCodecId codec);
// "Main", "LC", "HE", "HEv2"...
const char* srs_aac_object2str(SrsAacObjectType object);
// SRS's names: "Baseline", "Main", "High", "High(10)"... from profile_idc (H.264 A.2); "Other".
const char* srs_avc_profile2str(int profile_idc);
// "1b", "1.3", "3.1"... from level_idc (H.264 A.3: level_idc = 10 * level, 9 is 1b); "Other".
std::string srs_avc_level2str(int level_idc);
// "Main", "Main10", "Main Still Picture", "Rext" from general_profile_idc (H.265 A.3).
const char* srs_hevc_profile2str(int profile_idc);
// "3.1", "4", ... from general_level_idc (H.265 Annex A: level_idc = 30 * level).
std::string srs_hevc_level2str(int level_idc);
// AV1 seq_profile names ("Main", "High", "Professional") and seq_level_idx as "5.1" (AV1 A.3).
const char* srs_av1_profile2str(int seq_profile);
std::string srs_av1_level2str(int seq_level_idx);
// VP9 level from vpcC (level * 10) as "4.1".
std::string srs_vp9_level2str(int level);
// The stats API's profile and level of any video codec (the coded values of SrsVideoCodecConfig);
// "Other" for codecs without names.
std::string srs_video_profile2str(SrsVideoCodecId codec, int profile);
std::string srs_video_level2str(SrsVideoCodecId codec, int level);
// The AAC sampling frequency table (ISO 14496-3 1.6.3.4); 0 for reserved/escape indexes.
int srs_aac_sample_rate_from_index(int index);
// The index of an exact table rate, or -1.
int srs_aac_sample_rate_to_index(int rate);

// H.264 NAL unit types (H.264 Table 7-1) that the muxers care about.
enum SrsAvcNaluType : uint8_t {
    SrsAvcNaluTypeNonIDR = 1,
    SrsAvcNaluTypeIDR = 5,
    SrsAvcNaluTypeSEI = 6,
    SrsAvcNaluTypeSPS = 7,
    SrsAvcNaluTypePPS = 8,
    SrsAvcNaluTypeAccessUnitDelimiter = 9,
};

// H.265 NAL unit types (H.265 Table 7-1) that the muxers care about.
enum SrsHevcNaluType : uint8_t {
    SrsHevcNaluTypeBLA_W_LP = 16,
    SrsHevcNaluTypeCRA = 21,
    SrsHevcNaluTypeVPS = 32,
    SrsHevcNaluTypeSPS = 33,
    SrsHevcNaluTypePPS = 34,
    SrsHevcNaluTypeAccessUnitDelimiter = 35,
};

inline int srs_avc_nalu_type(const char* nalu) {
    return (uint8_t)nalu[0] & 0x1f;
}
inline int srs_hevc_nalu_type(const char* nalu) {
    return ((uint8_t)nalu[0] >> 1) & 0x3f;
}

// A span of bytes inside a payload owned by someone else (no copy).
struct SrsSample {
    const char* data = nullptr;
    int size = 0;
};

// What an H.264 SPS tells (H.264 7.3.2.1.1).
struct SrsAvcSpsInfo {
    int profile_idc = 0;
    int level_idc = 0;
    int chroma_format_idc = 1;
    int width = 0;
    int height = 0;
};

// What an H.265 SPS tells (H.265 7.3.2.2).
struct SrsHevcSpsInfo {
    int profile_idc = 0;
    int level_idc = 0;
    int tier_flag = 0;
    int chroma_format_idc = 1;
    int width = 0;
    int height = 0;
};

// Parses an H.264 SPS NAL unit (with its one-byte NAL header, emulation prevention
// bytes still in place).
srs_error_t srs_avc_parse_sps(const char* nalu, int size, SrsAvcSpsInfo* info);
// Parses an H.265 SPS NAL unit (with its two-byte NAL header).
srs_error_t srs_hevc_parse_sps(const char* nalu, int size, SrsHevcSpsInfo* info);
// Removes emulation prevention bytes (00 00 03 -> 00 00), H.264 7.4.1.
void srs_nalu_to_rbsp(const char* nalu, int size, std::vector<char>* rbsp);

// The video decoder configuration of a stream, from its sequence header.
struct SrsVideoCodecConfig {
    SrsVideoCodecId id = SrsVideoCodecIdReserved;
    // AVCProfileIndication / general_profile_idc and level (as coded: H.264 level*10, H.265 level*30).
    int profile = 0;
    int level = 0;
    int width = 0;
    int height = 0;
    // Bytes of the NALU length field in coded frames: 1, 2 or 4.
    int nalu_length_size = 4;
    // Parameter sets, in decoding order (HEVC: VPS, SPS, PPS).
    std::vector<std::string> vps;
    std::vector<std::string> sps;
    std::vector<std::string> pps;
    // The raw decoder configuration record (avcC/hvcC/av1C/vpcC).
    std::string extra;
};

// The audio configuration of a stream.
struct SrsAudioCodecConfig {
    SrsAudioCodecId id = SrsAudioCodecIdReserved;
    // FLV header fields (E.4.2.1) as sent.
    int sound_rate = 0;
    int sound_size = 0;
    int sound_type = 0;
    // Decoded from the AudioSpecificConfig (AAC) or the frame header (MP3).
    int sample_rate = 0;
    int channels = 0;
    // AAC: the object type signalled in the config (5/29 for HE), and the core (AAC) object
    // type and sampling frequency index an ADTS header must carry.
    SrsAacObjectType aac_object = SrsAacObjectTypeReserved;
    SrsAacObjectType aac_core_object = SrsAacObjectTypeReserved;
    int aac_sample_rate_index = 0;
    int aac_channel_config = 0;
    // MP3: MPEG version, 1 for MPEG-1, 2 for MPEG-2 and 2.5 (TS stream type 0x03 vs 0x04).
    int mp3_version = 0;
    // The raw AudioSpecificConfig.
    std::string extra;
};

// Parses an AudioSpecificConfig (ISO 14496-3 1.6.2.1) into cfg's AAC fields.
srs_error_t srs_aac_parse_asc(const char* data, int size, SrsAudioCodecConfig* cfg);
// Parses a 4-byte MPEG audio frame header (ISO 11172-3 2.4.1.3) into cfg's sample rate,
// channels and version.
srs_error_t srs_mp3_parse_header(const char* data, int size, SrsAudioCodecConfig* cfg);
// Parses an AVCDecoderConfigurationRecord (ISO 14496-15 5.3.3.1) and its first SPS.
srs_error_t srs_avc_parse_avcc(const char* data, int size, SrsVideoCodecConfig* cfg);
// Parses an HEVCDecoderConfigurationRecord (ISO 14496-15 8.3.3.1) and its first SPS.
srs_error_t srs_hevc_parse_hvcc(const char* data, int size, SrsVideoCodecConfig* cfg);

// One parsed video tag. Samples point into the tag payload, which must outlive the frame.
struct SrsVideoFrame {
    int64_t dts = 0;
    // Composition time offset in ms: pts = dts + cts.
    int32_t cts = 0;
    SrsVideoCodecId codec = SrsVideoCodecIdReserved;
    int frame_type = 0;
    SrsVideoPacketType packet_type = SrsVideoPacketCodedFrames;
    // The FLV frame type says keyframe.
    bool keyframe = false;
    // The NALUs include an IDR (H.264 type 5) or IRAP (H.265 types 16-23).
    bool has_idr = false;
    // The NALUs already carry the parameter sets / an AUD.
    bool has_sps_pps = false;
    bool has_aud = false;
    // NALUs without length prefix or start code (AVC/HEVC); the whole OBU/frame for AV1/VP9.
    std::vector<SrsSample> samples;

    bool is_sequence_header() const { return packet_type == SrsVideoPacketSequenceHeader; }
    void reset();
};

// One parsed audio tag.
struct SrsAudioFrame {
    int64_t dts = 0;
    SrsAudioCodecId codec = SrsAudioCodecIdReserved;
    bool sequence_header = false;
    // Raw AAC frames (one per tag) or MP3 frames.
    std::vector<SrsSample> samples;

    void reset();
};

// Feed it the FLV audio/video tag bodies of one stream, in order: it keeps the codec
// configurations from the sequence headers and parses each frame into samples. Reuses
// its sample vectors, so the steady state does not allocate.
class SrsFormat {
public:
    SrsFormat();
    ~SrsFormat();
    SRS_DISALLOW_COPY(SrsFormat);

public:
    // Parses an FLV audio tag body (E.4.2) or an enhanced RTMP ExAudioTagHeader body (SoundFormat
    // 9). Unknown sound formats are kept as one sample.
    srs_error_t on_audio(int64_t timestamp, const char* data, int size);
    // Parses an FLV video tag body (E.4.3) or an enhanced RTMP ExVideoTagHeader body.
    //
    // Enhanced tags (srs_kernel_codec_ex.cpp): the format describes one track per kind. A
    // multitrack message selects the first track, in message order, whose codec the server
    // knows (avc1/hvc1/av01/vp09; mp4a/.mp3/Opus/ac-3/ec-3/fLaC), and the format stays on that
    // track id for the rest of the stream; the other tracks are passed by. Tracks with unknown
    // FourCCs or packet types, and recognised codecs the server does not parse (vp08, vvc1), are
    // skipped whole with one warning per stream: only bytes that cannot be a tag are an error.
    srs_error_t on_video(int64_t timestamp, const char* data, int size);

    // Whether a sequence header of each kind has been seen.
    bool has_video_config() const { return vcodec_ready_; }
    bool has_audio_config() const { return acodec_ready_; }
    const SrsVideoCodecConfig& vcodec() const { return vcodec_; }
    const SrsAudioCodecConfig& acodec() const { return acodec_; }
    // The frame parsed by the last on_video / on_audio call.
    const SrsVideoFrame& video() const { return video_; }
    const SrsAudioFrame& audio() const { return audio_; }

private:
    srs_error_t parse_video_nalus(const char* data, int size);
    // Length-prefixed NALUs (ISO 14496-15), the normal FLV payload.
    srs_error_t parse_video_ibmf(const char* data, int size);
    // Start-code delimited NALUs (H.264 Annex B), sent by some encoders.
    srs_error_t parse_video_annexb(const char* data, int size);
    srs_error_t add_video_nalu(const char* nalu, int len);
    srs_error_t parse_video_legacy(const char* data, int size);
    srs_error_t parse_video_enhanced(const char* data, int size);
    srs_error_t parse_audio_enhanced(const char* data, int size);
    srs_error_t on_video_sequence_header(SrsVideoCodecId id, const char* data, int size);
    srs_error_t on_audio_sequence_header(SrsAudioCodecId id, const char* data, int size);

private:
    bool vcodec_ready_ = false;
    bool acodec_ready_ = false;
    SrsVideoCodecConfig vcodec_;
    SrsAudioCodecConfig acodec_;
    SrsVideoFrame video_;
    SrsAudioFrame audio_;
    // Enhanced tags, parsed into reused vectors.
    std::unique_ptr<SrsExVideoTag> ex_video_;
    std::unique_ptr<SrsExAudioTag> ex_audio_;
    // The track id the format follows, -1 until the first usable track.
    int video_track_ = -1;
    int audio_track_ = -1;
    // Skipped tracks are warned about once per stream, not per message.
    bool warned_video_skip_ = false;
    bool warned_audio_skip_ = false;
};
