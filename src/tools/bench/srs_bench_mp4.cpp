#include <srs_bench_mp4.hpp>

#include <srs_core_log.hpp>
#include <srs_kernel_flv_ex.hpp>
#include <srs_kernel_mp4_reader.hpp>

#include <algorithm>
#include <cstring>
#include <memory>

namespace {

std::shared_ptr<SrsSharedPayload> payload(const std::string& header, const char* data, size_t size) {
    auto p = std::make_shared<SrsSharedPayload>((int)(header.size() + size));
    memcpy(p->data(), header.data(), header.size());
    if (size) {
        memcpy(p->data() + header.size(), data, size);
    }
    return p;
}

uint32_t video_fourcc(SrsMp4Codec c) {
    switch (c) {
        case SrsMp4Codec::AVC:
            return SrsExVideoFourCCAVC;
        case SrsMp4Codec::HEVC:
            return SrsExVideoFourCCHEVC;
        case SrsMp4Codec::AV1:
            return SrsExVideoFourCCAV1;
        default:
            return SrsExVideoFourCCVP9;
    }
}

// The legacy AVC tag header (FLV 10.1 E.4.3.1): FrameType|CodecID 7, AVCPacketType, SI24 cts.
std::string avc_header(bool key, uint8_t packet_type, int32_t cts) {
    std::string s;
    s.push_back((char)(((key ? 1 : 2) << 4) | 7));
    s.push_back((char)packet_type);
    s.push_back((char)((cts >> 16) & 0xff));
    s.push_back((char)((cts >> 8) & 0xff));
    s.push_back((char)(cts & 0xff));
    return s;
}

// The header of one video tag: sequence start (config) or coded frames of the given sample.
std::string video_header(SrsMp4Codec codec, int tracks, bool key, bool config, int32_t cts, size_t size) {
    uint8_t frame_type = key ? SrsVideoFrameTypeKeyFrame : SrsVideoFrameTypeInterFrame;
    uint32_t fourcc = video_fourcc(codec);
    uint8_t packet_type = SrsExVideoPacketSequenceStart;
    if (!config) {
        // CodedFramesX spares the SI24 of a zero composition time; only avc1/hvc1 carry one at all.
        bool has_cts = codec == SrsMp4Codec::AVC || codec == SrsMp4Codec::HEVC;
        packet_type = (has_cts && cts == 0) ? SrsExVideoPacketCodedFramesX : SrsExVideoPacketCodedFrames;
    }
    if (tracks == 0) {
        if (codec == SrsMp4Codec::AVC) {
            return avc_header(key, config ? 0 : 1, config ? 0 : cts);
        }
        return SrsExTagWriter::video(frame_type, packet_type, fourcc, cts);
    }
    SrsAvMultitrackType type = tracks == 1 ? SrsAvMultitrackOneTrack : SrsAvMultitrackManyTracks;
    std::string s = SrsExTagWriter::video_multitrack(frame_type, type, packet_type, fourcc);
    SrsExTrackHeader th;
    th.fourcc = fourcc;
    th.packet_type = packet_type;
    th.cts = cts;
    th.payload_size = (int)size;
    // The first track's header; the caller repeats header and payload for the second.
    s += SrsExTagWriter::track_header(true, type, th);
    return s;
}

}  // namespace

bool srs_bench_is_mp4(const std::string& head) {
    return head.size() >= 8 && head.compare(4, 4, "ftyp") == 0;
}

srs_error_t srs_bench_mp4_messages(const std::string& data, int tracks, std::vector<SrsMediaMessage>* msgs) {
    srs_error_t err = srs_success;
    SrsMp4Demuxer demux;
    if ((err = demux.parse(data.data(), data.size())) != srs_success) {
        return srs_error_wrap(err, "mp4");
    }
    // One video and one audio track, the first of each, as an encoder publishes.
    int video = -1, audio = -1;
    for (int i = 0; i < (int)demux.tracks().size(); i++) {
        const SrsMp4ReaderTrack& t = demux.tracks()[i];
        if (t.video && video < 0) {
            video = i;
        } else if (!t.video && audio < 0) {
            audio = i;
        }
    }
    int64_t start = demux.samples().empty() ? 0 : demux.samples()[0].dts_ms;

    msgs->clear();
    if (video >= 0) {
        const SrsMp4ReaderTrack& t = demux.tracks()[video];
        std::string h = video_header(t.codec, tracks, true, true, 0, t.config.size());
        std::string body = h + t.config;
        if (tracks == 2) {
            SrsExTrackHeader th;
            th.track_id = 1;
            th.fourcc = video_fourcc(t.codec);
            th.packet_type = SrsExVideoPacketSequenceStart;
            th.payload_size = (int)t.config.size();
            body += SrsExTagWriter::track_header(true, SrsAvMultitrackManyTracks, th) + t.config;
        }
        msgs->emplace_back(SrsMsgVideo, start, 0, payload(body, nullptr, 0));
    }
    if (audio >= 0) {
        const SrsMp4ReaderTrack& t = demux.tracks()[audio];
        std::string body;
        if (t.codec == SrsMp4Codec::AAC) {
            // SoundFormat 10, 44 kHz, 16 bits, stereo (the fixed flags FLV requires for AAC), then the
            // AudioSpecificConfig.
            body = std::string("\xaf\x00", 2) + t.config;
        } else {
            std::string head;
            if ((err = srs_opus_dops_to_head(t.config, &head)) != srs_success) {
                return srs_error_wrap(err, "mp4 track %u", t.id);
            }
            body = SrsExTagWriter::audio(SrsExAudioPacketSequenceStart, SrsExAudioFourCCOpus) + head;
        }
        msgs->emplace_back(SrsMsgAudio, start, 0, payload(body, nullptr, 0));
    }
    const std::string aac_raw("\xaf\x01", 2);
    const std::string opus_frames = SrsExTagWriter::audio(SrsExAudioPacketCodedFrames, SrsExAudioFourCCOpus);
    for (const SrsMp4ReaderSample& s : demux.samples()) {
        const SrsMp4ReaderTrack& t = demux.tracks()[s.track];
        const char* p = demux.sample_data(s);
        if (s.track == video) {
            std::string h = video_header(t.codec, tracks, s.keyframe, false, s.cts_ms, s.size);
            if (tracks == 2) {
                std::string one(h);
                one.append(p, s.size);
                SrsExTrackHeader th;
                th.track_id = 1;
                th.fourcc = video_fourcc(t.codec);
                th.packet_type = (uint8_t)(h[0] & 0x0f) == SrsExVideoPacketMultitrack ? (uint8_t)(h[1] & 0x0f) : 0;
                th.cts = s.cts_ms;
                th.payload_size = (int)s.size;
                one += SrsExTagWriter::track_header(true, SrsAvMultitrackManyTracks, th);
                msgs->emplace_back(SrsMsgVideo, s.dts_ms, 0, payload(one, p, s.size));
            } else {
                msgs->emplace_back(SrsMsgVideo, s.dts_ms, 0, payload(h, p, s.size));
            }
        } else if (s.track == audio) {
            const std::string& h = t.codec == SrsMp4Codec::AAC ? aac_raw : opus_frames;
            msgs->emplace_back(SrsMsgAudio, s.dts_ms, 0, payload(h, p, s.size));
        }
    }
    return err;
}
