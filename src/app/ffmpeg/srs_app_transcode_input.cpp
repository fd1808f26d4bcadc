#include <srs_app_transcode_input.hpp>

#include <srs_app_config.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_flv_ex.hpp>

bool SrsTranscodeCodecs::operator==(const SrsTranscodeCodecs& o) const {
    return has_video == o.has_video && video == o.video && video_enhanced == o.video_enhanced &&
           video_fourcc == o.video_fourcc && has_audio == o.has_audio && audio == o.audio &&
           audio_enhanced == o.audio_enhanced && audio_fourcc == o.audio_fourcc;
}

namespace {

std::string video_name(const SrsTranscodeCodecs& c) {
    std::string name = c.video == SrsVideoCodecIdReserved && c.video_fourcc ? srs_fourcc2str(c.video_fourcc)
                                                                            : srs_video_codec_id2str(c.video);
    if (c.video_enhanced) {
        return "video " + name + " (enhanced RTMP " + srs_fourcc2str(c.video_fourcc) + ")";
    }
    return srs_fmt("video %s (FLV codec id %d)", name.c_str(), (int)c.video);
}

std::string audio_name(const SrsTranscodeCodecs& c) {
    std::string name = c.audio == SrsAudioCodecIdReserved && c.audio_fourcc ? srs_fourcc2str(c.audio_fourcc)
                                                                            : srs_audio_codec_id2str(c.audio);
    if (c.audio_enhanced) {
        return "audio " + name + " (enhanced RTMP " + srs_fourcc2str(c.audio_fourcc) + ")";
    }
    return srs_fmt("audio %s (FLV sound format %d)", name.c_str(), (int)c.audio);
}

// FFmpeg's FLV demuxer (libavformat/flvdec.c of 5.1) reads these legacy codec ids, and no
// enhanced tag: Sorenson H.263, Screen Video, VP6, VP6 alpha, Screen Video 2, H.264.
bool rtmp_reads_video(const SrsTranscodeCodecs& c) {
    if (!c.has_video) {
        return true;
    }
    if (c.video_enhanced) {
        return false;
    }
    return c.video >= SrsVideoCodecIdSorensonH263 && c.video <= SrsVideoCodecIdAVC;
}

// PCM, ADPCM, MP3, Nellymoser, G.711, AAC, Speex, MP3 8 kHz: every legacy SoundFormat but the
// reserved ones and "device specific".
bool rtmp_reads_audio(const SrsTranscodeCodecs& c) {
    if (!c.has_audio) {
        return true;
    }
    if (c.audio_enhanced) {
        return false;
    }
    return c.audio <= SrsAudioCodecIdG711MuLaw || c.audio == SrsAudioCodecIdAAC || c.audio == SrsAudioCodecIdSpeex ||
           c.audio == SrsAudioCodecIdMP38kHz;
}

// What SrsTsTransmuxer muxes (srs_kernel_ts.hpp), whatever tags they came in.
bool ts_carries_video(const SrsTranscodeCodecs& c) {
    return !c.has_video || c.video == SrsVideoCodecIdAVC || c.video == SrsVideoCodecIdHEVC;
}

bool ts_carries_audio(const SrsTranscodeCodecs& c) {
    return !c.has_audio || c.audio == SrsAudioCodecIdAAC || c.audio == SrsAudioCodecIdMP3 ||
           c.audio == SrsAudioCodecIdMP38kHz;
}

}  // namespace

std::string SrsTranscodeCodecs::describe() const {
    std::vector<std::string> parts;
    if (has_video) {
        parts.push_back(video_name(*this));
    }
    if (has_audio) {
        parts.push_back(audio_name(*this));
    }
    return parts.empty() ? std::string("no audio or video") : srs_string_join(parts, ", ");
}

bool srs_transcode_codecs_update(SrsTranscodeCodecs* codecs, const SrsMediaMessage& msg) {
    const char* data = msg.data();
    int size = msg.size();
    if (size < 1) {
        return false;
    }
    SrsTranscodeCodecs c = *codecs;
    uint8_t b0 = (uint8_t)data[0];
    if (msg.is_video()) {
        if (b0 & 0x80) {
            SrsExVideoTag tag;
            srs_error_t err = srs_flv_parse_video_tag(data, size, &tag);
            if (err != srs_success) {
                srs_error_reset(err);
                return false;
            }
            if (tag.is_command || tag.tracks.empty()) {
                return false;
            }
            c.video_enhanced = true;
            c.video_fourcc = tag.tracks[0].fourcc;
            c.video = srs_video_fourcc2codec(c.video_fourcc);
        } else {
            if ((b0 >> 4) == SrsVideoFrameTypeVideoInfoFrame) {
                return false;
            }
            c.video_enhanced = false;
            c.video_fourcc = 0;
            c.video = (SrsVideoCodecId)(b0 & 0x0f);
        }
        c.has_video = true;
    } else if (msg.is_audio()) {
        if ((b0 >> 4) == SrsAudioCodecIdExHeader) {
            SrsExAudioTag tag;
            srs_error_t err = srs_flv_parse_audio_tag(data, size, &tag);
            if (err != srs_success) {
                srs_error_reset(err);
                return false;
            }
            if (tag.tracks.empty()) {
                return false;
            }
            c.audio_enhanced = true;
            c.audio_fourcc = tag.tracks[0].fourcc;
            c.audio = srs_audio_fourcc2codec(c.audio_fourcc);
        } else {
            c.audio_enhanced = false;
            c.audio_fourcc = 0;
            c.audio = (SrsAudioCodecId)(b0 >> 4);
        }
        c.has_audio = true;
    } else {
        return false;
    }
    if (c == *codecs) {
        return false;
    }
    *codecs = c;
    return true;
}

const char* srs_transcode_input_kind_name(SrsTranscodeInputKind kind) {
    switch (kind) {
        case SrsTranscodeInputKind::Rtmp:
            return "rtmp";
        case SrsTranscodeInputKind::HttpTs:
            return "http-ts";
        case SrsTranscodeInputKind::None:
            return "none";
    }
    return "none";
}

SrsTranscodeInputKind srs_transcode_input_kind(const SrsTranscodeCodecs& codecs, std::string* reason) {
    reason->clear();
    bool video_ok = rtmp_reads_video(codecs);
    bool audio_ok = rtmp_reads_audio(codecs);
    if (video_ok && audio_ok) {
        return SrsTranscodeInputKind::Rtmp;
    }
    std::vector<std::string> unread;
    if (!video_ok) {
        unread.push_back(video_name(codecs));
    }
    if (!audio_ok) {
        unread.push_back(audio_name(codecs));
    }
    if (ts_carries_video(codecs) && ts_carries_audio(codecs)) {
        *reason = "FFmpeg 5.1 cannot read " + srs_string_join(unread, " and ") + " over RTMP";
        return SrsTranscodeInputKind::HttpTs;
    }
    std::vector<std::string> neither;
    if (!ts_carries_video(codecs)) {
        neither.push_back(video_name(codecs));
    }
    if (!ts_carries_audio(codecs)) {
        neither.push_back(audio_name(codecs));
    }
    *reason = srs_string_join(neither, " and ") +
              ": FFmpeg 5.1 reads it neither over RTMP nor from the server's MPEG-TS; publish H.264 or HEVC with AAC "
              "or MP3 (or no audio) to transcode this stream";
    return SrsTranscodeInputKind::None;
}

bool srs_transcode_http_ts_url(const SrsConfig& conf, const std::string& vhost, const std::string& app,
                               const std::string& stream, std::string* url, std::string* host) {
    if (!conf.get(srs_key::http_server_enabled) || !conf.vhost(vhost, srs_key::vhost_http_remux_enabled)) {
        return false;
    }
    std::string mount = conf.vhost(vhost, srs_key::vhost_http_remux_mount);
    if (!srs_string_ends_with(srs_string_lower(mount), ".ts")) {
        return false;
    }
    std::string ip;
    int port = 0;
    for (const std::string& ep : conf.get(srs_key::http_server_listen)) {
        if (srs_conf_parse_endpoint(ep, &ip, &port) && port > 0) {
            break;
        }
        port = 0;
    }
    if (port <= 0) {
        return false;
    }
    if (ip.empty() || ip == "0.0.0.0" || ip == "::") {
        ip = "127.0.0.1";
    } else if (ip.find(':') != std::string::npos) {
        ip = "[" + ip + "]";
    }
    // As srs_http_remux_mount_pattern (src/app/http, which this folder may not include; a unit
    // test checks they agree): [vhost] of the default vhost is dropped, a named vhost's leading
    // [vhost] is the Host the mount answers.
    bool default_vhost = vhost == SRS_CONSTS_RTMP_DEFAULT_VHOST;
    bool host_form = srs_string_starts_with(mount, "[vhost]") && !default_vhost;
    std::string path = srs_string_replace(mount, "[vhost]", default_vhost ? "" : vhost);
    path = srs_string_replace(path, "[app]", app);
    path = srs_string_replace(path, "[stream]", stream);
    host->clear();
    if (host_form) {
        *host = vhost;
        path = path.substr(vhost.size());
    }
    path = "/" + path;
    while (srs_string_contains(path, "//")) {
        path = srs_string_replace(path, "//", "/");
    }
    *url = srs_fmt("http://%s:%d%s", ip.c_str(), port, path.c_str());
    return true;
}

SrsTranscodeInput srs_transcode_choose_input(const SrsConfig& conf, const std::string& vhost, const std::string& app,
                                             const std::string& stream, const SrsTranscodeCodecs& codecs) {
    SrsTranscodeInput in;
    in.kind = srs_transcode_input_kind(codecs, &in.reason);
    if (in.kind != SrsTranscodeInputKind::HttpTs) {
        return in;
    }
    std::string host;
    if (!srs_transcode_http_ts_url(conf, vhost, app, stream, &in.url, &host)) {
        in.kind = SrsTranscodeInputKind::None;
        in.reason +=
            " and the vhost has no HTTP-TS mount to read it from: enable http_server and add "
            "http_remux { enabled on; mount [vhost]/[app]/[stream].ts; } to the vhost";
        return in;
    }
    if (!host.empty()) {
        in.options = {"-headers", "Host: " + host + "\r\n"};
    }
    in.reason += ", reading " + in.url;
    return in;
}
