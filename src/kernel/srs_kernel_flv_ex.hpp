// Enhanced RTMP tag headers (Veovera enhanced-rtmp v1 and v2): ExVideoTagHeader and
// ExAudioTagHeader with their FourCCs, PacketTypes, ModEx and Multitrack, plus the legacy
// AVC/HEVC (codec id 7/12) and AAC/MP3 headers in the same shape, and a writer of the same
// headers. The parser splits one FLV audio/video tag body into tracks whose payloads point into
// the body (no copy); it interprets no payload (the configuration records are in
// srs_kernel_codec_config.hpp).
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_codec.hpp>

#include <string>
#include <vector>

// Builds a FourCC from its four characters, the big-endian value read from the wire.
constexpr uint32_t srs_fourcc(char a, char b, char c, char d) {
    return ((uint32_t)(uint8_t)a << 24) | ((uint32_t)(uint8_t)b << 16) | ((uint32_t)(uint8_t)c << 8) | (uint8_t)d;
}

// Video FourCCs (enhanced-rtmp v2, "Enhanced Video"): the ones the server carries and the ones it
// recognises to name in logs.
enum SrsExVideoFourCC : uint32_t {
    SrsExVideoFourCCAVC = srs_fourcc('a', 'v', 'c', '1'),
    SrsExVideoFourCCHEVC = srs_fourcc('h', 'v', 'c', '1'),
    SrsExVideoFourCCAV1 = srs_fourcc('a', 'v', '0', '1'),
    SrsExVideoFourCCVP9 = srs_fourcc('v', 'p', '0', '9'),
    SrsExVideoFourCCVP8 = srs_fourcc('v', 'p', '0', '8'),
    SrsExVideoFourCCVVC = srs_fourcc('v', 'v', 'c', '1'),
};

// Audio FourCCs (enhanced-rtmp v2, "Enhanced Audio").
enum SrsExAudioFourCC : uint32_t {
    SrsExAudioFourCCOpus = srs_fourcc('O', 'p', 'u', 's'),
    SrsExAudioFourCCAAC = srs_fourcc('m', 'p', '4', 'a'),
    SrsExAudioFourCCMP3 = srs_fourcc('.', 'm', 'p', '3'),
    SrsExAudioFourCCAC3 = srs_fourcc('a', 'c', '-', '3'),
    SrsExAudioFourCCEAC3 = srs_fourcc('e', 'c', '-', '3'),
    SrsExAudioFourCCFLAC = srs_fourcc('f', 'L', 'a', 'C'),
};

// VideoPacketType (enhanced-rtmp v2): the low nibble of the first byte when IsExHeader is set.
enum SrsExVideoPacketType : uint8_t {
    SrsExVideoPacketSequenceStart = 0,
    SrsExVideoPacketCodedFrames = 1,
    SrsExVideoPacketSequenceEnd = 2,
    // Coded frames whose composition time offset is implicitly 0 (no SI24 on the wire).
    SrsExVideoPacketCodedFramesX = 3,
    // An AMF0 "colorInfo" object, not a picture.
    SrsExVideoPacketMetadata = 4,
    SrsExVideoPacketMPEG2TSSequenceStart = 5,
    SrsExVideoPacketMultitrack = 6,
    SrsExVideoPacketModEx = 7,
};

// AudioPacketType (enhanced-rtmp v2); 3 and 6 are reserved.
enum SrsExAudioPacketType : uint8_t {
    SrsExAudioPacketSequenceStart = 0,
    SrsExAudioPacketCodedFrames = 1,
    SrsExAudioPacketSequenceEnd = 2,
    SrsExAudioPacketMultichannelConfig = 4,
    SrsExAudioPacketMultitrack = 5,
    SrsExAudioPacketModEx = 7,
};

// AvMultitrackType (enhanced-rtmp v2): the high nibble of the byte after a Multitrack packet type.
enum SrsAvMultitrackType : uint8_t {
    SrsAvMultitrackOneTrack = 0,
    SrsAvMultitrackManyTracks = 1,
    SrsAvMultitrackManyTracksManyCodecs = 2,
};

// VideoFrameType Command (5) carries a VideoCommand byte instead of a picture.
enum SrsExVideoCommand : uint8_t {
    SrsExVideoCommandStartSeek = 0,
    SrsExVideoCommandEndSeek = 1,
};

// The enhanced audio SoundFormat (FLV SoundFormat 9, reserved in FLV 10.1).
const int SrsAudioCodecIdExHeader = 9;
// The ModEx type that carries a nanosecond offset to add to the tag's millisecond timestamp.
const int SrsExModExTimestampOffsetNano = 0;

// "hvc1", or the hex of a FourCC that is not printable; for logs.
std::string srs_fourcc2str(uint32_t fourcc);
// The server's codec id of a video/audio FourCC; Reserved for one it does not carry (vp08, vvc1,
// unknown ones). Every audio FourCC of the spec has an id.
SrsVideoCodecId srs_video_fourcc2codec(uint32_t fourcc);
SrsAudioCodecId srs_audio_fourcc2codec(uint32_t fourcc);
// Whether the FourCC is one the spec defines (the others are reported as unknown tracks).
bool srs_video_fourcc_known(uint32_t fourcc);
bool srs_audio_fourcc_known(uint32_t fourcc);

// One video track of a tag. The payload points into the tag body, which must outlive it.
struct SrsExVideoTrack {
    // 0 for a tag that is not multitrack.
    uint8_t track_id = 0;
    // The codec FourCC; for a legacy tag, avc1 (codec id 7) or hvc1 (codec id 12).
    uint32_t fourcc = 0;
    SrsExVideoPacketType packet_type = SrsExVideoPacketCodedFrames;
    // The tag's FrameType, which applies to every track of the tag.
    uint8_t frame_type = 0;
    // Composition time offset in ms (pts = dts + cts): the SI24 of CodedFrames for avc1, hvc1 and
    // vvc1; 0 otherwise.
    int32_t cts = 0;
    // What follows the header: the configuration record (SequenceStart), the coded frames
    // (CodedFrames/X), the AMF metadata (Metadata), or nothing (SequenceEnd).
    SrsSample payload;
    // In a ManyTracks or ManyTracksManyCodecs tag: the track's bytes with its track header (FourCC,
    // id, size), to copy the track whole into another tag (a player that excludes some tracks).
    // Empty otherwise.
    SrsSample raw;
    // The FourCC or the packet type is not one the spec defines: the track's bytes are consumed
    // whole and its payload is left uninterpreted; the caller logs it (once per stream) and drops it.
    bool unknown = false;
};

// A parsed FLV video tag header: legacy (FLV 10.1 E.4.3.1) or enhanced (IsExHeader).
struct SrsExVideoTag {
    bool enhanced = false;
    // FLV VideoFrameType (1 key, 2 inter, 3 disposable, 4 generated key, 5 info/command).
    uint8_t frame_type = 0;
    // FrameType 5: the VideoCommand byte (enhanced) or the info byte (legacy); no track then.
    bool is_command = false;
    uint8_t command = 0;
    bool multitrack = false;
    SrsAvMultitrackType multitrack_type = SrsAvMultitrackOneTrack;
    // The ModEx TimestampOffsetNano (0..999999 ns), to add to the tag timestamp.
    uint32_t timestamp_nano_offset = 0;
    std::vector<SrsExVideoTrack> tracks;

    bool keyframe() const { return frame_type == SrsVideoFrameTypeKeyFrame; }
    void reset();
};

// One audio track of a tag.
struct SrsExAudioTrack {
    uint8_t track_id = 0;
    // The codec FourCC; for a legacy tag, mp4a (SoundFormat 10), .mp3 (2, 14) or 0 for the others.
    uint32_t fourcc = 0;
    SrsExAudioPacketType packet_type = SrsExAudioPacketCodedFrames;
    // The legacy SoundFormat; 9 (ExHeader) for an enhanced tag.
    uint8_t sound_format = 0;
    SrsSample payload;
    // As SrsExVideoTrack::raw.
    SrsSample raw;
    bool unknown = false;
};

// The MultichannelConfig body (enhanced-rtmp v2, "Enhanced Audio").
struct SrsExAudioChannelConfig {
    // AudioChannelOrder: 0 unspecified, 1 native (flags), 2 custom (mapping).
    uint8_t order = 0;
    uint8_t channels = 0;
    // order 1: the AudioChannelMask bit set.
    uint32_t flags = 0;
    // order 2: one AudioChannel per channel.
    std::vector<uint8_t> mapping;
};

// A parsed FLV audio tag header: legacy (FLV 10.1 E.4.2.1) or ExAudioTagHeader (SoundFormat 9).
struct SrsExAudioTag {
    bool enhanced = false;
    // Legacy only: SoundRate, SoundSize and SoundType, as sent.
    uint8_t sound_rate = 0;
    uint8_t sound_size = 0;
    uint8_t sound_type = 0;
    bool multitrack = false;
    SrsAvMultitrackType multitrack_type = SrsAvMultitrackOneTrack;
    uint32_t timestamp_nano_offset = 0;
    std::vector<SrsExAudioTrack> tracks;

    void reset();
};

// Parses an FLV video tag body into tracks. Fails only when the bytes cannot be a tag: shorter
// than the header they announce, a track size past the end, a Multitrack inside a Multitrack.
// Unknown FourCCs and packet types are tracks with unknown set, consumed whole: in a multitrack
// tag their size says where the next track starts; in a single-track tag they take the rest of
// the body. Reuses tag's vectors.
srs_error_t srs_flv_parse_video_tag(const char* data, int size, SrsExVideoTag* tag);
// Parses an FLV audio tag body into tracks, the same way.
srs_error_t srs_flv_parse_audio_tag(const char* data, int size, SrsExAudioTag* tag);
// Parses a MultichannelConfig track payload.
srs_error_t srs_flv_parse_audio_channel_config(const char* data, int size, SrsExAudioChannelConfig* cfg);

// What the writer puts before one track's payload.
struct SrsExTrackHeader {
    uint8_t track_id = 0;
    uint32_t fourcc = 0;
    uint8_t packet_type = 0;
    // Written for CodedFrames of avc1/hvc1/vvc1 only.
    int32_t cts = 0;
    // The payload size; written in ManyTracks and ManyTracksManyCodecs tags only.
    int payload_size = 0;
};

// Writes enhanced tag headers, for a publisher that sends MP4 samples as enhanced RTMP. The output
// is the header only: the caller sends it followed by the payload (of a multitrack tag: each
// track header of track_header() followed by that track's payload).
class SrsExTagWriter {
public:
    // The header of a single-track enhanced video tag: [IsExHeader|FrameType|PacketType]
    // [ModEx if nano_offset][FourCC][SI24 cts if CodedFrames of avc1/hvc1/vvc1].
    static std::string video(uint8_t frame_type, uint8_t packet_type, uint32_t fourcc, int32_t cts,
                             uint32_t nano_offset = 0);
    // The header of a single-track enhanced audio tag: [9|PacketType][ModEx if nano_offset][FourCC].
    static std::string audio(uint8_t packet_type, uint32_t fourcc, uint32_t nano_offset = 0);
    // The head of a multitrack video tag: [IsExHeader|FrameType|Multitrack][type|PacketType]
    // [FourCC unless ManyTracksManyCodecs]; every track then follows with track_header().
    static std::string video_multitrack(uint8_t frame_type, SrsAvMultitrackType type, uint8_t packet_type,
                                        uint32_t fourcc);
    static std::string audio_multitrack(SrsAvMultitrackType type, uint8_t packet_type, uint32_t fourcc);
    // One track's header inside a multitrack tag: [FourCC if ManyTracksManyCodecs][TrackId]
    // [UI24 size unless OneTrack][SI24 cts if video CodedFrames of avc1/hvc1/vvc1]. The size counts
    // the cts and the payload.
    static std::string track_header(bool video, SrsAvMultitrackType type, const SrsExTrackHeader& track);
    // A VideoCommand tag (FrameType 5), which has no FourCC and no payload.
    static std::string video_command(uint8_t command);
};
