// The media message shared by the whole fan-out: a small header plus an immutable,
// reference-counted payload. Copying a message copies the header and bumps a refcount;
// the payload bytes are never copied per consumer.
#pragma once

#include <srs_core.hpp>

#include <memory>

// RTMP message type ids (RTMP spec 5.4, 7.1); FLV tag types share 8, 9 and 18.
enum SrsMessageType : uint8_t {
    SrsMsgSetChunkSize = 1,
    SrsMsgAbort = 2,
    SrsMsgAcknowledgement = 3,
    SrsMsgUserControl = 4,
    SrsMsgWindowAckSize = 5,
    SrsMsgSetPeerBandwidth = 6,
    SrsMsgEdgeAndOriginServerCommand = 7,
    SrsMsgAudio = 8,
    SrsMsgVideo = 9,
    SrsMsgAMF3Data = 15,
    SrsMsgAMF3SharedObject = 16,
    SrsMsgAMF3Command = 17,
    SrsMsgAMF0Data = 18,
    SrsMsgAMF0SharedObject = 19,
    SrsMsgAMF0Command = 20,
    SrsMsgAggregate = 22,
};

// Immutable bytes once filled; shared by every message copy that refers to them.
class SrsSharedPayload {
public:
    // What the bytes are as an FLV audio or video tag body (see SrsFlvTag), worked out once per
    // payload: the hub fans one payload out to thousands of players, and the consumers, the GOP
    // cache, HLS and DVR all ask, so none of them parses the tag header again.
    enum MediaFlags : uint8_t {
        kFlagsKnown = 0x01,
        // As a video tag: a keyframe that is not a sequence header (a decoder can start there).
        kVideoKeyframe = 0x02,
        kVideoSequenceHeader = 0x04,
        // As an audio tag: an AAC sequence header.
        kAudioSequenceHeader = 0x08,
    };

public:
    // Uninitialized bytes for the producer to fill before sharing.
    explicit SrsSharedPayload(int size);
    // A copy of the given bytes.
    SrsSharedPayload(const char* data, int size);
    SRS_DISALLOW_COPY(SrsSharedPayload);

    char* data() { return data_.get(); }
    const char* data() const { return data_.get(); }
    int size() const { return size_; }
    // The MediaFlags of the bytes; the first call inspects them, so the producer must have
    // filled them before anybody asks (they are immutable from then on anyway).
    uint8_t media_flags() const {
        if (!(flags_ & kFlagsKnown)) {
            flags_ = classify(data_.get(), size_);
        }
        return flags_;
    }

private:
    static uint8_t classify(const char* data, int size);

private:
    std::unique_ptr<char[]> data_;
    int size_;
    // A cache of what the immutable bytes are, so mutable; it sits in the padding after size_.
    mutable uint8_t flags_ = 0;
};

// An RTMP message / FLV tag: header fields plus a shared payload.
class SrsMediaMessage {
public:
    SrsMediaMessage() = default;
    SrsMediaMessage(uint8_t type, int64_t timestamp, int32_t stream_id, std::shared_ptr<SrsSharedPayload> payload)
        : timestamp(timestamp), stream_id(stream_id), type(type), payload(std::move(payload)) {}
    // Copies the bytes into a new payload.
    static SrsMediaMessage create(uint8_t type, int64_t timestamp, int32_t stream_id, const char* data, int size);

    const char* data() const { return payload ? payload->data() : nullptr; }
    int size() const { return payload ? payload->size() : 0; }
    bool is_audio() const { return type == SrsMsgAudio; }
    bool is_video() const { return type == SrsMsgVideo; }
    bool is_av() const { return type == SrsMsgAudio || type == SrsMsgVideo; }
    bool is_script() const { return type == SrsMsgAMF0Data || type == SrsMsgAMF3Data; }
    // A video keyframe that is not a sequence header: where a player or a segment can start.
    bool is_keyframe() const { return is_video() && has_flag(SrsSharedPayload::kVideoKeyframe); }
    // An AVC/HEVC (or enhanced RTMP) video, or AAC audio, sequence header.
    bool is_sequence_header() const { return is_video_sequence_header() || is_audio_sequence_header(); }
    bool is_video_sequence_header() const { return is_video() && has_flag(SrsSharedPayload::kVideoSequenceHeader); }
    bool is_audio_sequence_header() const { return is_audio() && has_flag(SrsSharedPayload::kAudioSequenceHeader); }

public:
    // Milliseconds; 64-bit so extended timestamps never wrap inside the server.
    int64_t timestamp = 0;
    int32_t stream_id = 0;
    uint8_t type = 0;
    // The chunk stream id to send on; 0 picks the default for the type.
    int32_t cid = 0;
    std::shared_ptr<SrsSharedPayload> payload;

private:
    bool has_flag(uint8_t flag) const { return payload && (payload->media_flags() & flag); }
};

// FLV video/audio tag body inspection (FLV spec E.4.2, E.4.3, and enhanced RTMP's
// ExVideoTagHeader where bit 7 of the first byte is set).
struct SrsFlvTag {
    // A keyframe (or an enhanced-RTMP keyframe), including sequence headers.
    static bool is_video_keyframe(const char* data, int size);
    // AVC/HEVC sequence header (decoder configuration record).
    static bool is_video_sequence_header(const char* data, int size);
    // AAC sequence header (AudioSpecificConfig).
    static bool is_audio_sequence_header(const char* data, int size);
    // A coded keyframe, as a seek index lists it: FLV spec E.4.3.1 AVCPacketType 1 (NALUs) or
    // enhanced RTMP PacketTypeCodedFrames(X); not a sequence header, nor the end of sequence
    // that ffmpeg sends as a keyframe tag when it stops. Other codecs: any keyframe.
    static bool is_video_coded_keyframe(const char* data, int size);
    // FLV codec id of a video tag: 7 AVC, 12 HEVC (legacy), or 0 for enhanced tags.
    static int video_codec_id(const char* data, int size);
    // FLV sound format of an audio tag: 10 AAC, 2 MP3, ...
    static int audio_codec_id(const char* data, int size);
};
