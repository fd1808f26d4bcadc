// The multivariant ("master") playlist of an HLS stream (RFC 8216 4.3.4.2): one
// EXT-X-STREAM-INF with BANDWIDTH, AVERAGE-BANDWIDTH, CODECS and RESOLUTION, so a player (and
// Safari, picking HEVC or AV1) knows what it is about to load before it loads a segment.
//
// Where it is served, for TS and fMP4 alike:
// - [stream]-master.m3u8 beside the media playlist (hls_m3u8_file with "-master" before its
//   ".m3u8"), written to disk and/or RAM with the media playlist. A fixed file, not a query or
//   a URL of the HTTP server only, because SRS users serve hls_path with nginx or a CDN that
//   pulls files: a file works there as it does from our own HTTP server.
// - with hls_ctx on, the media playlist URL itself answers a new player with the multivariant
//   playlist of its session (as SRS does), now with the same attributes.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsFormat;
class SrsMediaMessage;

// What a multivariant playlist says of its one variant stream.
struct SrsHlsVariant {
    // Bits per second: the peak segment bit rate, and the average over the window.
    int64_t bandwidth = 0;
    int64_t average_bandwidth = 0;
    // RFC 6381 codecs, comma separated ("avc1.64001f,mp4a.40.2"); omitted when empty.
    std::string codecs;
    int width = 0;
    int height = 0;
    // The media playlist, relative to the multivariant one.
    std::string uri;
};

// The EXT-X-STREAM-INF attribute list of v ("BANDWIDTH=...,CODECS=\"...\",RESOLUTION=WxH").
std::string srs_hls_stream_inf_attributes(const SrsHlsVariant& v);
// The whole playlist: #EXTM3U, EXT-X-STREAM-INF with the attributes, the URI.
std::string srs_hls_multivariant_playlist(const SrsHlsVariant& v);
// The attributes of the first EXT-X-STREAM-INF of a multivariant playlist ("" when none).
std::string srs_hls_stream_inf_of(const std::string& playlist);
// Whether a playlist is a multivariant one (has an EXT-X-STREAM-INF).
bool srs_hls_is_multivariant(const std::string& playlist);
// The multivariant playlist beside a media playlist: "live/s.m3u8" -> "live/s-master.m3u8".
std::string srs_hls_master_rel(const std::string& m3u8_rel);

// One segment's size and length, for the bit rates.
struct SrsHlsSegmentSize {
    int64_t bytes = 0;
    int64_t duration_ms = 0;
};
// BANDWIDTH: "the peak segment bit rate" (RFC 8216 4.3.4.2), taken as draft-pantos-hls-rfc8216bis
// 4.4.6.2 defines it so that a short segment (a cut on a codec change) cannot inflate it: the
// largest bit rate of any run of consecutive segments lasting 0.5 to 1.5 target durations
// (the largest single segment's when no run fits). 0 when there is no segment.
int64_t srs_hls_peak_bandwidth(const std::vector<SrsHlsSegmentSize>& segments, int target_duration);
// AVERAGE-BANDWIDTH: the bytes of all the segments over their total duration.
int64_t srs_hls_average_bandwidth(const std::vector<SrsHlsSegmentSize>& segments);

// The codecs and the picture size of a stream, from its sequence headers (and from its first
// frames for what only a frame says: the size of VP9, the configuration of MP3 and AC-3).
class SrsHlsStreamInfo {
public:
    SrsHlsStreamInfo();
    ~SrsHlsStreamInfo();
    SRS_DISALLOW_COPY(SrsHlsStreamInfo);

public:
    void on_video(const SrsMediaMessage& msg);
    void on_audio(const SrsMediaMessage& msg);
    // A new publish: forget the codecs.
    void reset();
    // The codecs of the tracks carried (video first); a track whose codec has no RFC 6381
    // string is left out. ts: the stream goes in MPEG-TS, which carries H.264, HEVC, AAC and MP3
    // only (srs_kernel_ts).
    std::string codecs(bool ts) const;
    int width() const;
    int height() const;

private:
    std::unique_ptr<SrsFormat> format_;
};
