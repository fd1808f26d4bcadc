#include <srs_kernel_flv_ex.hpp>

#include <cstdio>

namespace {

// A bounds-checked read cursor over a tag body; every read is preceded by need().
struct SrsExCursor {
    const uint8_t* data;
    int size;
    int pos = 0;

    SrsExCursor(const char* d, int s) : data((const uint8_t*)d), size(s) {}
    bool need(int n) const { return n >= 0 && n <= size - pos; }
    int left() const { return size - pos; }
    uint8_t u8() { return data[pos++]; }
    uint32_t u16() {
        uint32_t v = ((uint32_t)data[pos] << 8) | data[pos + 1];
        pos += 2;
        return v;
    }
    uint32_t u24() {
        uint32_t v = ((uint32_t)data[pos] << 16) | ((uint32_t)data[pos + 1] << 8) | data[pos + 2];
        pos += 3;
        return v;
    }
    uint32_t u32() {
        uint32_t v = ((uint32_t)data[pos] << 24) | ((uint32_t)data[pos + 1] << 16) | ((uint32_t)data[pos + 2] << 8) |
                     data[pos + 3];
        pos += 4;
        return v;
    }
    const char* here() const { return (const char*)data + pos; }
};

int32_t srs_si24(uint32_t v) {
    return (v & 0x800000) ? (int32_t)(v | 0xff000000u) : (int32_t)v;
}

// The codecs whose CodedFrames carry an SI24 composition time offset (enhanced-rtmp v2,
// ExVideoTagBody): the ones with B-frames in a NALU stream.
bool srs_video_fourcc_has_cts(uint32_t fourcc) {
    return fourcc == SrsExVideoFourCCAVC || fourcc == SrsExVideoFourCCHEVC || fourcc == SrsExVideoFourCCVVC;
}

bool srs_video_packet_known(uint8_t t) {
    return t <= SrsExVideoPacketMPEG2TSSequenceStart;
}

bool srs_audio_packet_known(uint8_t t) {
    return t == SrsExAudioPacketSequenceStart || t == SrsExAudioPacketCodedFrames || t == SrsExAudioPacketSequenceEnd ||
           t == SrsExAudioPacketMultichannelConfig;
}

// Consumes the ModEx packets (enhanced-rtmp v2): [UI8 size-1 (UI16 size-1 when 255)][data]
// [ModExType UB4 | PacketType UB4], repeated while the packet type is ModEx. Each round consumes
// at least 3 bytes, so the loop ends with the body.
srs_error_t srs_ex_parse_modex(SrsExCursor& c, uint8_t* packet_type, uint32_t* nano_offset) {
    while (*packet_type == SrsExVideoPacketModEx) {
        if (!c.need(1)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "modex: no size at %d", c.pos);
        }
        int n = c.u8() + 1;
        if (n == 256) {
            if (!c.need(2)) {
                return srs_error_new(ERROR_KERNEL_FLV_TAG, "modex: no UI16 size at %d", c.pos);
            }
            n = (int)c.u16() + 1;
        }
        if (!c.need(n + 1)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "modex: %d bytes of data, left %d", n, c.left() - 1);
        }
        const uint8_t* mod = c.data + c.pos;
        c.pos += n;
        uint8_t b = c.u8();
        int type = b >> 4;
        *packet_type = b & 0x0f;
        // TimestampOffsetNano is a UI24; other ModEx types are skipped (their data is consumed).
        if (type == SrsExModExTimestampOffsetNano && n >= 3) {
            *nano_offset = ((uint32_t)mod[0] << 16) | ((uint32_t)mod[1] << 8) | mod[2];
        }
    }
    return srs_success;
}

// One track's body of an enhanced video tag: [SI24 cts if CodedFrames of avc1/hvc1/vvc1][payload].
srs_error_t srs_ex_video_track(uint8_t packet_type, uint32_t fourcc, uint8_t track_id, const char* body, int size,
                               SrsExVideoTrack* t) {
    t->track_id = track_id;
    t->fourcc = fourcc;
    t->packet_type = (SrsExVideoPacketType)packet_type;
    t->cts = 0;
    t->unknown = !srs_video_fourcc_known(fourcc) || !srs_video_packet_known(packet_type);
    t->payload.data = body;
    t->payload.size = size;
    if (!t->unknown && packet_type == SrsExVideoPacketCodedFrames && srs_video_fourcc_has_cts(fourcc)) {
        if (size < 3) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "video track %d: %d bytes, need 3 for cts", track_id, size);
        }
        SrsExCursor c(body, size);
        t->cts = srs_si24(c.u24());
        t->payload.data = body + 3;
        t->payload.size = size - 3;
    }
    return srs_success;
}

srs_error_t srs_ex_audio_track(uint8_t packet_type, uint32_t fourcc, uint8_t track_id, const char* body, int size,
                               SrsExAudioTrack* t) {
    t->track_id = track_id;
    t->fourcc = fourcc;
    t->packet_type = (SrsExAudioPacketType)packet_type;
    t->sound_format = SrsAudioCodecIdExHeader;
    t->unknown = !srs_audio_fourcc_known(fourcc) || !srs_audio_packet_known(packet_type);
    t->payload.data = body;
    t->payload.size = size;
    return srs_success;
}

// The tracks after the Multitrack header (enhanced-rtmp v2, ExVideoTagBody/ExAudioTagBody):
// [FourCC if ManyTracksManyCodecs][UI8 TrackId][UI24 size unless OneTrack][body], repeated for
// ManyTracks*; OneTrack has one track that takes the rest.
template <typename Track, typename Fn>
srs_error_t srs_ex_parse_tracks(SrsExCursor& c, SrsAvMultitrackType type, uint8_t packet_type, uint32_t fourcc,
                                std::vector<Track>* tracks, Fn parse_track) {
    while (c.left() > 0) {
        int start = c.pos;
        if (type == SrsAvMultitrackManyTracksManyCodecs) {
            if (!c.need(4)) {
                return srs_error_new(ERROR_KERNEL_FLV_TAG, "track %d: no fourcc", (int)tracks->size());
            }
            fourcc = c.u32();
        }
        if (!c.need(1)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "track %d: no track id", (int)tracks->size());
        }
        uint8_t id = c.u8();
        int n = c.left();
        if (type != SrsAvMultitrackOneTrack) {
            if (!c.need(3)) {
                return srs_error_new(ERROR_KERNEL_FLV_TAG, "track %d: no size", id);
            }
            n = (int)c.u24();
            if (!c.need(n)) {
                return srs_error_new(ERROR_KERNEL_FLV_TAG, "track %d: size %d, left %d", id, n, c.left());
            }
        }
        tracks->emplace_back();
        srs_error_t err = parse_track(packet_type, fourcc, id, c.here(), n, &tracks->back());
        if (err != srs_success) {
            return srs_error_wrap(err, "multitrack");
        }
        c.pos += n;
        if (type == SrsAvMultitrackOneTrack) {
            break;
        }
        tracks->back().raw.data = (const char*)c.data + start;
        tracks->back().raw.size = c.pos - start;
    }
    if (tracks->empty()) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "multitrack: no track");
    }
    return srs_success;
}

// The Multitrack header (enhanced-rtmp v2): [AvMultitrackType UB4 | PacketType UB4][FourCC unless
// ManyTracksManyCodecs], then the tracks. An unknown multitrack type has an unknown track layout:
// the rest is consumed as one unknown track.
template <typename Tag, typename Fn>
srs_error_t srs_ex_parse_multitrack(SrsExCursor& c, Tag* tag, Fn parse_track) {
    if (!c.need(1)) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "no multitrack type");
    }
    uint8_t b = c.u8();
    tag->multitrack = true;
    tag->multitrack_type = (SrsAvMultitrackType)(b >> 4);
    uint8_t packet_type = b & 0x0f;
    if (tag->multitrack_type > SrsAvMultitrackManyTracksManyCodecs) {
        tag->tracks.emplace_back();
        // FourCC 0 is unknown: the track takes the rest as its payload, nothing can fail.
        srs_error_t err = parse_track(packet_type, 0, 0, c.here(), c.left(), &tag->tracks.back());
        tag->tracks.back().unknown = true;
        return err;
    }
    uint32_t fourcc = 0;
    if (tag->multitrack_type != SrsAvMultitrackManyTracksManyCodecs) {
        if (!c.need(4)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "multitrack without fourcc");
        }
        fourcc = c.u32();
    }
    return srs_ex_parse_tracks(c, tag->multitrack_type, packet_type, fourcc, &tag->tracks, parse_track);
}

srs_error_t srs_ex_parse_video(const char* data, int size, SrsExVideoTag* tag) {
    srs_error_t err = srs_success;
    SrsExCursor c(data, size);
    uint8_t b = c.u8();
    tag->frame_type = (b >> 4) & 0x07;
    uint8_t packet_type = b & 0x0f;
    if ((err = srs_ex_parse_modex(c, &packet_type, &tag->timestamp_nano_offset)) != srs_success) {
        return srs_error_wrap(err, "video");
    }

    // A command frame has a VideoCommand byte and no FourCC nor body.
    if (packet_type != SrsExVideoPacketMetadata && tag->frame_type == SrsVideoFrameTypeVideoInfoFrame) {
        if (!c.need(1)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "video: no command");
        }
        tag->is_command = true;
        tag->command = c.u8();
        return srs_success;
    }

    if (packet_type == SrsExVideoPacketMultitrack) {
        if ((err = srs_ex_parse_multitrack(c, tag, srs_ex_video_track)) != srs_success) {
            return srs_error_wrap(err, "video");
        }
        return srs_success;
    }

    if (!c.need(4)) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "video: %d bytes, no fourcc", size);
    }
    uint32_t fourcc = c.u32();
    tag->tracks.emplace_back();
    if ((err = srs_ex_video_track(packet_type, fourcc, 0, c.here(), c.left(), &tag->tracks.back())) != srs_success) {
        return srs_error_wrap(err, "video");
    }
    return srs_success;
}

// Legacy FLV video (E.4.3.1): [FrameType UB4 | CodecID UB4], then for AVC (7) and the de facto
// HEVC (12): [AVCPacketType UI8][SI24 CompositionTime][payload].
srs_error_t srs_legacy_parse_video(const char* data, int size, SrsExVideoTag* tag) {
    SrsExCursor c(data, size);
    uint8_t b = c.u8();
    tag->frame_type = b >> 4;
    int codec = b & 0x0f;
    if (tag->frame_type == SrsVideoFrameTypeVideoInfoFrame) {
        tag->is_command = true;
        tag->command = c.need(1) ? c.u8() : 0;
        return srs_success;
    }

    tag->tracks.emplace_back();
    SrsExVideoTrack& t = tag->tracks.back();
    if (codec != SrsVideoCodecIdAVC && codec != SrsVideoCodecIdHEVC) {
        // Sorenson, screen video and VP6 are FLV codecs the server does not parse; others are unknown.
        t.unknown = codec < SrsVideoCodecIdSorensonH263 || codec > SrsVideoCodecIdScreenVideoVersion2;
        t.payload.data = c.here();
        t.payload.size = c.left();
        return srs_success;
    }
    t.fourcc = codec == SrsVideoCodecIdAVC ? SrsExVideoFourCCAVC : SrsExVideoFourCCHEVC;
    if (!c.need(4)) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "video: codec %d tag of %d bytes, need 5", codec, size);
    }
    uint8_t packet_type = c.u8();
    int32_t cts = srs_si24(c.u24());
    // AVCPacketType 0/1/2 are the same values as SequenceStart/CodedFrames/SequenceEnd.
    t.packet_type = (SrsExVideoPacketType)packet_type;
    t.unknown = packet_type > SrsExVideoPacketSequenceEnd;
    t.cts = packet_type == SrsExVideoPacketCodedFrames ? cts : 0;
    t.payload.data = c.here();
    t.payload.size = c.left();
    return srs_success;
}

srs_error_t srs_ex_parse_audio(const char* data, int size, SrsExAudioTag* tag) {
    srs_error_t err = srs_success;
    SrsExCursor c(data, size);
    uint8_t packet_type = c.u8() & 0x0f;
    if ((err = srs_ex_parse_modex(c, &packet_type, &tag->timestamp_nano_offset)) != srs_success) {
        return srs_error_wrap(err, "audio");
    }

    if (packet_type == SrsExAudioPacketMultitrack) {
        if ((err = srs_ex_parse_multitrack(c, tag, srs_ex_audio_track)) != srs_success) {
            return srs_error_wrap(err, "audio");
        }
        return srs_success;
    }

    if (!c.need(4)) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "audio: %d bytes, no fourcc", size);
    }
    uint32_t fourcc = c.u32();
    tag->tracks.emplace_back();
    return srs_ex_audio_track(packet_type, fourcc, 0, c.here(), c.left(), &tag->tracks.back());
}

// Legacy FLV audio (E.4.2.1): [SoundFormat UB4 | SoundRate UB2 | SoundSize UB1 | SoundType UB1],
// then for AAC [AACPacketType UI8][payload].
srs_error_t srs_legacy_parse_audio(const char* data, int size, SrsExAudioTag* tag) {
    SrsExCursor c(data, size);
    uint8_t b = c.u8();
    int format = b >> 4;
    tag->sound_rate = (b >> 2) & 0x03;
    tag->sound_size = (b >> 1) & 0x01;
    tag->sound_type = b & 0x01;

    tag->tracks.emplace_back();
    SrsExAudioTrack& t = tag->tracks.back();
    t.sound_format = (uint8_t)format;
    if (format == SrsAudioCodecIdAAC) {
        if (!c.need(1)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "audio: AAC tag of %d bytes, need 2", size);
        }
        uint8_t packet_type = c.u8();
        t.fourcc = SrsExAudioFourCCAAC;
        // AACPacketType 0/1 are the same values as SequenceStart/CodedFrames.
        t.packet_type = (SrsExAudioPacketType)packet_type;
        t.unknown = packet_type > SrsExAudioPacketCodedFrames;
    } else if (format == SrsAudioCodecIdMP3 || format == SrsAudioCodecIdMP38kHz) {
        t.fourcc = SrsExAudioFourCCMP3;
    } else {
        // 12 and 13 are not FLV sound formats (13 is SRS's private Opus).
        t.unknown = format == 12 || format == 13;
    }
    t.payload.data = c.here();
    t.payload.size = c.left();
    return srs_success;
}

void srs_put_u24(std::string& s, uint32_t v) {
    s.push_back((char)(v >> 16));
    s.push_back((char)(v >> 8));
    s.push_back((char)v);
}

void srs_put_u32(std::string& s, uint32_t v) {
    s.push_back((char)(v >> 24));
    srs_put_u24(s, v & 0xffffff);
}

// [ModEx size-1 = 2][UI24 nano offset][TimestampOffsetNano | packet type].
void srs_put_modex_nano(std::string& s, uint32_t nano_offset, uint8_t packet_type) {
    s.push_back((char)2);
    srs_put_u24(s, nano_offset);
    s.push_back((char)((SrsExModExTimestampOffsetNano << 4) | (packet_type & 0x0f)));
}

}  // namespace

std::string srs_fourcc2str(uint32_t fourcc) {
    char s[4] = {(char)(fourcc >> 24), (char)(fourcc >> 16), (char)(fourcc >> 8), (char)fourcc};
    for (char ch : s) {
        if (ch < 0x20 || ch > 0x7e) {
            char hex[16];
            snprintf(hex, sizeof(hex), "0x%08x", fourcc);
            return hex;
        }
    }
    return std::string(s, 4);
}

SrsVideoCodecId srs_video_fourcc2codec(uint32_t fourcc) {
    switch (fourcc) {
        case SrsExVideoFourCCAVC:
            return SrsVideoCodecIdAVC;
        case SrsExVideoFourCCHEVC:
            return SrsVideoCodecIdHEVC;
        case SrsExVideoFourCCAV1:
            return SrsVideoCodecIdAV1;
        case SrsExVideoFourCCVP9:
            return SrsVideoCodecIdVP9;
        default:
            return SrsVideoCodecIdReserved;
    }
}

SrsAudioCodecId srs_audio_fourcc2codec(uint32_t fourcc) {
    switch (fourcc) {
        case SrsExAudioFourCCAAC:
            return SrsAudioCodecIdAAC;
        case SrsExAudioFourCCMP3:
            return SrsAudioCodecIdMP3;
        case SrsExAudioFourCCOpus:
            return SrsAudioCodecIdOpus;
        case SrsExAudioFourCCAC3:
            return SrsAudioCodecIdAC3;
        case SrsExAudioFourCCEAC3:
            return SrsAudioCodecIdEAC3;
        case SrsExAudioFourCCFLAC:
            return SrsAudioCodecIdFLAC;
        default:
            return SrsAudioCodecIdReserved;
    }
}

bool srs_video_fourcc_known(uint32_t fourcc) {
    return fourcc == SrsExVideoFourCCAVC || fourcc == SrsExVideoFourCCHEVC || fourcc == SrsExVideoFourCCAV1 ||
           fourcc == SrsExVideoFourCCVP9 || fourcc == SrsExVideoFourCCVP8 || fourcc == SrsExVideoFourCCVVC;
}

bool srs_audio_fourcc_known(uint32_t fourcc) {
    return fourcc == SrsExAudioFourCCOpus || fourcc == SrsExAudioFourCCAAC || fourcc == SrsExAudioFourCCMP3 ||
           fourcc == SrsExAudioFourCCAC3 || fourcc == SrsExAudioFourCCEAC3 || fourcc == SrsExAudioFourCCFLAC;
}

void SrsExVideoTag::reset() {
    enhanced = false;
    frame_type = 0;
    is_command = false;
    command = 0;
    multitrack = false;
    multitrack_type = SrsAvMultitrackOneTrack;
    timestamp_nano_offset = 0;
    tracks.clear();
}

void SrsExAudioTag::reset() {
    enhanced = false;
    sound_rate = sound_size = sound_type = 0;
    multitrack = false;
    multitrack_type = SrsAvMultitrackOneTrack;
    timestamp_nano_offset = 0;
    tracks.clear();
}

srs_error_t srs_flv_parse_video_tag(const char* data, int size, SrsExVideoTag* tag) {
    tag->reset();
    if (!data || size < 1) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "video: empty tag");
    }
    // IsExHeader is the top bit of the first byte (enhanced-rtmp v1, ExVideoTagHeader).
    tag->enhanced = ((uint8_t)data[0] & 0x80) != 0;
    srs_error_t err = tag->enhanced ? srs_ex_parse_video(data, size, tag) : srs_legacy_parse_video(data, size, tag);
    if (err != srs_success) {
        tag->tracks.clear();
        return err;
    }
    for (SrsExVideoTrack& t : tag->tracks) {
        t.frame_type = tag->frame_type;
    }
    return srs_success;
}

srs_error_t srs_flv_parse_audio_tag(const char* data, int size, SrsExAudioTag* tag) {
    tag->reset();
    if (!data || size < 1) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "audio: empty tag");
    }
    tag->enhanced = ((uint8_t)data[0] >> 4) == SrsAudioCodecIdExHeader;
    srs_error_t err = tag->enhanced ? srs_ex_parse_audio(data, size, tag) : srs_legacy_parse_audio(data, size, tag);
    if (err != srs_success) {
        tag->tracks.clear();
    }
    return err;
}

srs_error_t srs_flv_parse_audio_channel_config(const char* data, int size, SrsExAudioChannelConfig* cfg) {
    SrsExCursor c(data, size);
    if (!data || !c.need(2)) {
        return srs_error_new(ERROR_KERNEL_FLV_TAG, "multichannel config: %d bytes, need 2", size);
    }
    cfg->order = c.u8();
    cfg->channels = c.u8();
    cfg->flags = 0;
    cfg->mapping.clear();
    // AudioChannelOrder Native (1): a UI32 AudioChannelMask; Custom (2): one UI8 per channel.
    if (cfg->order == 1) {
        if (!c.need(4)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "multichannel config: no channel flags");
        }
        cfg->flags = c.u32();
    } else if (cfg->order == 2) {
        if (!c.need(cfg->channels)) {
            return srs_error_new(ERROR_KERNEL_FLV_TAG, "multichannel config: %d channels, left %d", cfg->channels,
                                 c.left());
        }
        cfg->mapping.assign(c.data + c.pos, c.data + c.pos + cfg->channels);
    }
    return srs_success;
}

std::string SrsExTagWriter::video(uint8_t frame_type, uint8_t packet_type, uint32_t fourcc, int32_t cts,
                                  uint32_t nano_offset) {
    std::string s;
    uint8_t first = 0x80 | ((frame_type & 0x07) << 4);
    if (nano_offset) {
        s.push_back((char)(first | SrsExVideoPacketModEx));
        srs_put_modex_nano(s, nano_offset, packet_type);
    } else {
        s.push_back((char)(first | (packet_type & 0x0f)));
    }
    srs_put_u32(s, fourcc);
    if (packet_type == SrsExVideoPacketCodedFrames && srs_video_fourcc_has_cts(fourcc)) {
        srs_put_u24(s, (uint32_t)cts & 0xffffff);
    }
    return s;
}

std::string SrsExTagWriter::audio(uint8_t packet_type, uint32_t fourcc, uint32_t nano_offset) {
    std::string s;
    uint8_t first = SrsAudioCodecIdExHeader << 4;
    if (nano_offset) {
        s.push_back((char)(first | SrsExAudioPacketModEx));
        srs_put_modex_nano(s, nano_offset, packet_type);
    } else {
        s.push_back((char)(first | (packet_type & 0x0f)));
    }
    srs_put_u32(s, fourcc);
    return s;
}

std::string SrsExTagWriter::video_multitrack(uint8_t frame_type, SrsAvMultitrackType type, uint8_t packet_type,
                                             uint32_t fourcc) {
    std::string s;
    s.push_back((char)(0x80 | ((frame_type & 0x07) << 4) | SrsExVideoPacketMultitrack));
    s.push_back((char)((type << 4) | (packet_type & 0x0f)));
    if (type != SrsAvMultitrackManyTracksManyCodecs) {
        srs_put_u32(s, fourcc);
    }
    return s;
}

std::string SrsExTagWriter::audio_multitrack(SrsAvMultitrackType type, uint8_t packet_type, uint32_t fourcc) {
    std::string s;
    s.push_back((char)((SrsAudioCodecIdExHeader << 4) | SrsExAudioPacketMultitrack));
    s.push_back((char)((type << 4) | (packet_type & 0x0f)));
    if (type != SrsAvMultitrackManyTracksManyCodecs) {
        srs_put_u32(s, fourcc);
    }
    return s;
}

std::string SrsExTagWriter::track_header(bool video, SrsAvMultitrackType type, const SrsExTrackHeader& track) {
    std::string s;
    if (type == SrsAvMultitrackManyTracksManyCodecs) {
        srs_put_u32(s, track.fourcc);
    }
    s.push_back((char)track.track_id);
    bool has_cts = video && track.packet_type == SrsExVideoPacketCodedFrames && srs_video_fourcc_has_cts(track.fourcc);
    if (type != SrsAvMultitrackOneTrack) {
        srs_put_u24(s, (uint32_t)(track.payload_size + (has_cts ? 3 : 0)) & 0xffffff);
    }
    if (has_cts) {
        srs_put_u24(s, (uint32_t)track.cts & 0xffffff);
    }
    return s;
}

std::string SrsExTagWriter::video_command(uint8_t command) {
    std::string s;
    s.push_back((char)(0x80 | (SrsVideoFrameTypeVideoInfoFrame << 4) | SrsExVideoPacketSequenceStart));
    s.push_back((char)command);
    return s;
}
