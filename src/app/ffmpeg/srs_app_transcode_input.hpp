// Where a transcoder's ffmpeg reads the stream from, chosen from the stream's codecs. FFmpeg 5.1
// (Debian 12) reads over RTMP only the legacy FLV codecs (FLV 10.1 E.4.2.1, E.4.3.1: H.264, AAC,
// MP3, ...), neither enhanced RTMP tags (hvc1, av01, vp09, Opus, even avc1/mp4a) nor the
// non-standard FLV codec id 12 for HEVC. The server's HTTP-TS remux (an http_remux mount ending
// in .ts) carries H.264/HEVC + AAC/MP3 whatever tags they came in, and FFmpeg reads MPEG-TS: it
// is the way in for HEVC. A stream with a codec neither carries (AV1, VP9, Opus, AC-3, FLAC...)
// is not transcoded: ffmpeg would fail and be restarted forever. See doc/ffmpeg.md.
#pragma once

#include <srs_core.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_kernel_message.hpp>

#include <string>
#include <vector>

class SrsConfig;

// The codecs of a stream, as its tags tell them.
struct SrsTranscodeCodecs {
    bool has_video = false;
    SrsVideoCodecId video = SrsVideoCodecIdReserved;
    // An enhanced RTMP tag (ExVideoTagHeader), and its FourCC ("vp08" has no codec id).
    bool video_enhanced = false;
    uint32_t video_fourcc = 0;
    bool has_audio = false;
    SrsAudioCodecId audio = SrsAudioCodecIdReserved;
    bool audio_enhanced = false;
    uint32_t audio_fourcc = 0;

    bool operator==(const SrsTranscodeCodecs& o) const;
    bool operator!=(const SrsTranscodeCodecs& o) const { return !(*this == o); }
    // "video HEVC (enhanced RTMP hvc1), audio AAC", for logs and the API.
    std::string describe() const;
};

// Updates codecs from an audio or video tag body (sequence header or frame); an empty tag, a
// video command or a tag that does not parse changes nothing. Returns whether codecs changed.
bool srs_transcode_codecs_update(SrsTranscodeCodecs* codecs, const SrsMediaMessage& msg);

// The way in.
enum class SrsTranscodeInputKind {
    // rtmp://: the codecs are legacy FLV ones.
    Rtmp,
    // http://...ts: the stream's HTTP-TS mount.
    HttpTs,
    // None: the engines are not started, for the reason given.
    None,
};
const char* srs_transcode_input_kind_name(SrsTranscodeInputKind kind);

// The choice from the codecs alone: Rtmp, else HttpTs when MPEG-TS carries them (the caller then
// needs a .ts mount), else None. reason says why not RTMP (empty for Rtmp).
SrsTranscodeInputKind srs_transcode_input_kind(const SrsTranscodeCodecs& codecs, std::string* reason);

// The HTTP-TS URL of a stream on this server: the vhost's http_remux mount when it is enabled
// and ends in .ts, on the first http_server listen port (the listen ip when specific, else
// 127.0.0.1). *host is the Host header the mount needs (a named vhost's [vhost]/... mount is a
// host pattern), empty when none. False when there is no such mount or no HTTP server.
bool srs_transcode_http_ts_url(const SrsConfig& conf, const std::string& vhost, const std::string& app,
                               const std::string& stream, std::string* url, std::string* host);

// What the engines of a stream read.
struct SrsTranscodeInput {
    SrsTranscodeInputKind kind = SrsTranscodeInputKind::Rtmp;
    // The HTTP-TS URL (HttpTs) and the options before -i it needs (-headers for the Host).
    std::string url;
    std::vector<std::string> options;
    // Why not RTMP, and for None what to do: one line, logged once and shown by the API.
    std::string reason;
};
// The input of a stream with these codecs under this config.
SrsTranscodeInput srs_transcode_choose_input(const SrsConfig& conf, const std::string& vhost, const std::string& app,
                                             const std::string& stream, const SrsTranscodeCodecs& codecs);
