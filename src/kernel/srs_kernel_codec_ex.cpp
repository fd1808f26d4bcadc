// SrsFormat's enhanced RTMP half: ExVideoTagHeader / ExAudioTagHeader bodies, parsed by the
// kernel's tag parser (srs_kernel_flv_ex) and configuration record parsers
// (srs_kernel_codec_config), and the codec-specific sequence headers. The legacy FLV half stays
// in srs_kernel_codec.cpp.
#include <srs_kernel_codec.hpp>

#include <srs_core_log.hpp>
#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_flv_ex.hpp>

#include <cstdio>

namespace {

// What the format can describe; the other known FourCCs (vp08, vvc1) are skipped like unknown ones.
bool srs_ex_video_usable(const SrsExVideoTrack& t) {
    return !t.unknown && srs_video_fourcc2codec(t.fourcc) != SrsVideoCodecIdReserved;
}

bool srs_ex_audio_usable(const SrsExAudioTrack& t) {
    return !t.unknown && srs_audio_fourcc2codec(t.fourcc) != SrsAudioCodecIdReserved;
}

// The track the format follows: the one with the followed id, or (none followed yet) the first
// usable one, which is then followed (also after a SequenceStart of another track when the
// followed one is gone). Whether any track was passed by is reported for the warning.
template <typename Track, typename Usable>
const Track* srs_ex_select_track(const std::vector<Track>& tracks, int* followed, bool* skipped, Usable usable) {
    const Track* chosen = nullptr;
    for (const Track& t : tracks) {
        bool ok = usable(t);
        if (!chosen && ok && (*followed < 0 || *followed == t.track_id)) {
            chosen = &t;
            continue;
        }
        // Other usable tracks of a multitrack stream are expected, not worth a warning.
        if (!ok) {
            *skipped = true;
        }
    }
    // The followed track went away (a new publisher, other track ids): follow the first usable
    // track that starts a sequence, so a later stream is not ignored for good.
    if (!chosen && *followed >= 0) {
        for (const Track& t : tracks) {
            if (usable(t) && t.packet_type == 0) {
                chosen = &t;
                break;
            }
        }
    }
    if (chosen) {
        *followed = chosen->track_id;
    }
    return chosen;
}

}  // namespace

srs_error_t SrsFormat::parse_video_enhanced(const char* data, int size) {
    srs_error_t err = srs_success;
    SrsExVideoTag& tag = *ex_video_;
    if ((err = srs_flv_parse_video_tag(data, size, &tag)) != srs_success) {
        return srs_error_wrap(err, "video: enhanced tag of %d bytes", size);
    }
    video_.frame_type = tag.frame_type;
    video_.keyframe = tag.keyframe();
    // A VideoCommand (seek start/end) carries no picture.
    video_.packet_type = SrsVideoPacketMetadata;
    if (tag.is_command) {
        return srs_success;
    }

    bool skipped = false;
    const SrsExVideoTrack* t = srs_ex_select_track(tag.tracks, &video_track_, &skipped, srs_ex_video_usable);
    if (skipped && !warned_video_skip_) {
        warned_video_skip_ = true;
        for (const SrsExVideoTrack& s : tag.tracks) {
            if (!srs_ex_video_usable(s)) {
                srs_warn(
                    "video: skip enhanced track %d, fourcc %s, packet type %d: not carried (warned once per "
                    "stream)",
                    s.track_id, srs_fourcc2str(s.fourcc).c_str(), (int)s.packet_type);
                break;
            }
        }
    }
    if (!t) {
        return srs_success;
    }

    SrsVideoCodecId id = srs_video_fourcc2codec(t->fourcc);
    video_.codec = id;
    const char* p = t->payload.data;
    int left = t->payload.size;
    switch (t->packet_type) {
        case SrsExVideoPacketSequenceStart:
            video_.packet_type = SrsVideoPacketSequenceHeader;
            if ((err = on_video_sequence_header(id, p, left)) != srs_success) {
                return srs_error_wrap(err, "enhanced %s sequence start", srs_fourcc2str(t->fourcc).c_str());
            }
            return srs_success;
        case SrsExVideoPacketSequenceEnd:
            video_.packet_type = SrsVideoPacketSequenceEnd;
            return srs_success;
        case SrsExVideoPacketCodedFrames:
            video_.packet_type = SrsVideoPacketCodedFrames;
            video_.cts = t->cts;
            break;
        case SrsExVideoPacketCodedFramesX:
            video_.packet_type = SrsVideoPacketCodedFramesX;
            break;
        default:
            // Metadata (colorInfo) and MPEG2TSSequenceStart: nothing the format describes.
            return srs_success;
    }

    if (id == SrsVideoCodecIdVP9 && vcodec_ready_ && vcodec_.id == id && vcodec_.width == 0 && left > 0) {
        // vpcC has no picture size: take it from the first keyframe (or intra-only frame). A
        // header that does not parse only leaves the size unknown, the frame still passes.
        SrsVp9FrameHeader h;
        srs_error_t r = srs_vp9_parse_frame_header(p, left, &h);
        if (r == srs_success && h.width > 0) {
            vcodec_.width = h.width;
            vcodec_.height = h.height;
        }
        srs_error_reset(r);
    }
    if (id == SrsVideoCodecIdAV1 || id == SrsVideoCodecIdVP9) {
        // One sample: the muxers that carry these take the temporal unit / frame whole.
        if (left > 0) {
            video_.samples.push_back(SrsSample{p, left});
        }
        return srs_success;
    }
    return parse_video_nalus(p, left);
}

srs_error_t SrsFormat::on_video_sequence_header(SrsVideoCodecId id, const char* data, int size) {
    srs_error_t err = srs_success;
    SrsVideoCodecConfig cfg;
    if (id == SrsVideoCodecIdAVC) {
        err = srs_avc_parse_avcc(data, size, &cfg);
    } else if (id == SrsVideoCodecIdHEVC) {
        err = srs_hevc_parse_hvcc(data, size, &cfg);
    } else if (id == SrsVideoCodecIdAV1) {
        SrsAv1ConfigRecord rec;
        err = srs_av1_parse_config_record(data, size, &rec);
        cfg.profile = rec.seq_profile;
        cfg.level = rec.seq_level_idx;
        cfg.width = rec.width;
        cfg.height = rec.height;
    } else if (id == SrsVideoCodecIdVP9) {
        // vpcC has no picture size: the first keyframe gives it (parse_video_enhanced).
        SrsVpxConfigRecord rec;
        err = srs_vpx_parse_config_record(data, size, &rec);
        cfg.profile = rec.profile;
        cfg.level = rec.level;
    }
    if (err != srs_success) {
        return err;
    }
    cfg.id = id;
    if (id == SrsVideoCodecIdAV1 || id == SrsVideoCodecIdVP9) {
        cfg.extra.assign(data, size);
    }
    // A repeated vpcC (a publisher that resends it at each loop or keyframe) keeps the size the
    // keyframes gave.
    if (id == SrsVideoCodecIdVP9 && vcodec_ready_ && vcodec_.id == id && vcodec_.extra == cfg.extra) {
        cfg.width = vcodec_.width;
        cfg.height = vcodec_.height;
    }
    vcodec_ = std::move(cfg);
    vcodec_ready_ = true;
    return srs_success;
}

srs_error_t SrsFormat::parse_audio_enhanced(const char* data, int size) {
    srs_error_t err = srs_success;
    SrsExAudioTag& tag = *ex_audio_;
    if ((err = srs_flv_parse_audio_tag(data, size, &tag)) != srs_success) {
        return srs_error_wrap(err, "audio: enhanced tag of %d bytes", size);
    }
    audio_.codec = SrsAudioCodecIdReserved;

    bool skipped = false;
    const SrsExAudioTrack* t = srs_ex_select_track(tag.tracks, &audio_track_, &skipped, srs_ex_audio_usable);
    if (skipped && !warned_audio_skip_) {
        warned_audio_skip_ = true;
        for (const SrsExAudioTrack& s : tag.tracks) {
            if (!srs_ex_audio_usable(s)) {
                srs_warn(
                    "audio: skip enhanced track %d, fourcc %s, packet type %d: not carried (warned once per "
                    "stream)",
                    s.track_id, srs_fourcc2str(s.fourcc).c_str(), (int)s.packet_type);
                break;
            }
        }
    }
    if (!t) {
        return srs_success;
    }

    SrsAudioCodecId id = srs_audio_fourcc2codec(t->fourcc);
    audio_.codec = id;
    const char* p = t->payload.data;
    int left = t->payload.size;
    switch (t->packet_type) {
        case SrsExAudioPacketSequenceStart:
            audio_.sequence_header = true;
            if ((err = on_audio_sequence_header(id, p, left)) != srs_success) {
                return srs_error_wrap(err, "enhanced %s sequence start", srs_fourcc2str(t->fourcc).c_str());
            }
            return srs_success;
        case SrsExAudioPacketMultichannelConfig: {
            SrsExAudioChannelConfig ch;
            if ((err = srs_flv_parse_audio_channel_config(p, left, &ch)) != srs_success) {
                return srs_error_wrap(err, "enhanced %s channel config", srs_fourcc2str(t->fourcc).c_str());
            }
            if (acodec_ready_ && acodec_.id == id && ch.channels > 0) {
                acodec_.channels = ch.channels;
            }
            return srs_success;
        }
        case SrsExAudioPacketCodedFrames:
            break;
        default:
            return srs_success;
    }

    if (left <= 0) {
        return srs_success;
    }
    // MP3 has no sequence start: its frame header is the configuration, as for the legacy tag.
    if (id == SrsAudioCodecIdMP3 && (!acodec_ready_ || acodec_.id != id)) {
        SrsAudioCodecConfig cfg;
        if ((err = srs_mp3_parse_header(p, left, &cfg)) != srs_success) {
            return srs_error_wrap(err, "enhanced mp3 frame");
        }
        cfg.id = id;
        acodec_ = cfg;
        acodec_ready_ = true;
    }
    audio_.samples.push_back(SrsSample{p, left});
    return srs_success;
}

srs_error_t SrsFormat::on_audio_sequence_header(SrsAudioCodecId id, const char* data, int size) {
    srs_error_t err = srs_success;
    SrsAudioCodecConfig cfg;
    if (id == SrsAudioCodecIdAAC) {
        err = srs_aac_parse_asc(data, size, &cfg);
    } else if (id == SrsAudioCodecIdOpus) {
        SrsOpusConfigRecord rec;
        err = srs_opus_parse_config(data, size, &rec);
        // Opus always decodes at 48 kHz (RFC 7845 5.1); the input rate is informative only.
        cfg.sample_rate = 48000;
        cfg.channels = rec.channels;
        cfg.extra.assign(data, size);
    } else {
        // ac-3, ec-3, fLaC: kept raw; their rate and channels are not parsed here.
        cfg.extra.assign(data, size);
    }
    if (err != srs_success) {
        return err;
    }
    cfg.id = id;
    acodec_ = std::move(cfg);
    acodec_ready_ = true;
    return srs_success;
}

const char* srs_av1_profile2str(int seq_profile) {
    switch (seq_profile) {
        case 0:
            return "Main";
        case 1:
            return "High";
        case 2:
            return "Professional";
        default:
            return "Other";
    }
}

std::string srs_av1_level2str(int seq_level_idx) {
    // AV1 Annex A.3: seq_level_idx = 4 * (major - 2) + minor; 31 is "no level".
    if (seq_level_idx < 0 || seq_level_idx >= 31) {
        return "Other";
    }
    char buf[16];
    snprintf(buf, sizeof(buf), "%d.%d", 2 + (seq_level_idx >> 2), seq_level_idx & 3);
    return buf;
}

std::string srs_vp9_level2str(int level) {
    if (level <= 0) {
        return "Other";
    }
    char buf[16];
    snprintf(buf, sizeof(buf), "%d.%d", level / 10, level % 10);
    return buf;
}

std::string srs_video_profile2str(SrsVideoCodecId codec, int profile) {
    switch (codec) {
        case SrsVideoCodecIdAVC:
            return srs_avc_profile2str(profile);
        case SrsVideoCodecIdHEVC:
            return srs_hevc_profile2str(profile);
        case SrsVideoCodecIdAV1:
            return srs_av1_profile2str(profile);
        case SrsVideoCodecIdVP9: {
            char buf[16];
            snprintf(buf, sizeof(buf), "Profile%d", profile);
            return buf;
        }
        default:
            return "Other";
    }
}

std::string srs_video_level2str(SrsVideoCodecId codec, int level) {
    switch (codec) {
        case SrsVideoCodecIdAVC:
            return srs_avc_level2str(level);
        case SrsVideoCodecIdHEVC:
            return srs_hevc_level2str(level);
        case SrsVideoCodecIdAV1:
            return srs_av1_level2str(level);
        case SrsVideoCodecIdVP9:
            return srs_vp9_level2str(level);
        default:
            return "Other";
    }
}
