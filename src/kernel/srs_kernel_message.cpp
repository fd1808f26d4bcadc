#include <srs_kernel_message.hpp>

#include <cstring>

SrsSharedPayload::SrsSharedPayload(int size) : data_(new char[size > 0 ? size : 1]), size_(size) {}

SrsSharedPayload::SrsSharedPayload(const char* data, int size) : SrsSharedPayload(size) {
    if (size > 0) {
        memcpy(data_.get(), data, size);
    }
}

uint8_t SrsSharedPayload::classify(const char* data, int size) {
    uint8_t flags = kFlagsKnown;
    if (SrsFlvTag::is_video_sequence_header(data, size)) {
        flags |= kVideoSequenceHeader;
    } else if (SrsFlvTag::is_video_keyframe(data, size)) {
        flags |= kVideoKeyframe;
    }
    if (SrsFlvTag::is_audio_sequence_header(data, size)) {
        flags |= kAudioSequenceHeader;
    }
    return flags;
}

SrsMediaMessage SrsMediaMessage::create(uint8_t type, int64_t timestamp, int32_t stream_id, const char* data,
                                        int size) {
    return SrsMediaMessage(type, timestamp, stream_id, std::make_shared<SrsSharedPayload>(data, size));
}

namespace {

// Enhanced RTMP: IsExHeader bit, FrameType in bits 4-6, PacketType in bits 0-3.
bool srs_is_ex_header(const char* data) {
    return ((uint8_t)data[0] & 0x80) != 0;
}

}  // namespace

bool SrsFlvTag::is_video_keyframe(const char* data, int size) {
    if (size < 1) {
        return false;
    }
    int frame_type = srs_is_ex_header(data) ? (((uint8_t)data[0] >> 4) & 0x07) : ((uint8_t)data[0] >> 4);
    return frame_type == 1;
}

bool SrsFlvTag::is_video_sequence_header(const char* data, int size) {
    if (size < 1) {
        return false;
    }
    if (srs_is_ex_header(data)) {
        // PacketTypeSequenceStart = 0.
        return ((uint8_t)data[0] & 0x0f) == 0;
    }
    int codec = (uint8_t)data[0] & 0x0f;
    if (codec != 7 && codec != 12) {
        return false;
    }
    return size >= 2 && is_video_keyframe(data, size) && data[1] == 0;
}

bool SrsFlvTag::is_audio_sequence_header(const char* data, int size) {
    if (size < 2) {
        return false;
    }
    return ((uint8_t)data[0] >> 4) == 10 && data[1] == 0;
}

bool SrsFlvTag::is_video_coded_keyframe(const char* data, int size) {
    if (size < 1) {
        return false;
    }
    uint8_t h = (uint8_t)data[0];
    if (srs_is_ex_header(data)) {
        // PacketTypeCodedFrames = 1, PacketTypeCodedFramesX = 3.
        int packet_type = h & 0x0f;
        return ((h >> 4) & 0x07) == 1 && (packet_type == 1 || packet_type == 3);
    }
    if ((h >> 4) != 1) {
        return false;
    }
    int codec = h & 0x0f;
    if (codec == 7 || codec == 12) {
        return size >= 2 && data[1] == 1;
    }
    return true;
}

int SrsFlvTag::video_codec_id(const char* data, int size) {
    if (size < 1 || srs_is_ex_header(data)) {
        return 0;
    }
    return (uint8_t)data[0] & 0x0f;
}

int SrsFlvTag::audio_codec_id(const char* data, int size) {
    if (size < 1) {
        return 0;
    }
    return (uint8_t)data[0] >> 4;
}
