// HLS media playlist text (RFC 8216 4.3): the live window of segments HLS publishes.
#pragma once

#include <srs_core.hpp>

#include <string>
#include <vector>

// One segment of the window.
struct SrsM3u8Segment {
    // Media sequence number of the segment.
    int64_t sequence = 0;
    // Duration in seconds.
    double duration = 0;
    std::string uri;
    // Preceded by EXT-X-DISCONTINUITY (RFC 8216 4.3.2.3): encoder or timestamp change.
    bool discontinuity = false;
    // The URI of the segment's Media Initialization Section (fMP4, RFC 8216 4.3.2.5); empty for
    // MPEG-TS. EXT-X-MAP is written before the first segment and wherever it changes.
    std::string map_uri;
    // The URI of the AES-128 key the segment is encrypted with (RFC 8216 4.3.2.4); empty when
    // it is not. No IV is written: a segment's IV is its media sequence number (5.2).
    std::string key_uri;
};

// A media playlist.
struct SrsM3u8Playlist {
    int version = 3;
    // EXT-X-TARGETDURATION is the ceiling of the longest segment (RFC 8216 4.3.3.1), but at
    // least this many seconds (SRS raises it to the configured fragment length).
    int min_target_duration = 0;
    // EXT-X-DISCONTINUITY-SEQUENCE (RFC 8216 4.3.3.3), written when non-zero.
    int64_t discontinuity_sequence = 0;
    // Written when there is no segment; otherwise the first segment's sequence is used.
    int64_t media_sequence = 0;
    std::vector<SrsM3u8Segment> segments;
    // EXT-X-ENDLIST: the stream is over (RFC 8216 4.3.3.4).
    bool endlist = false;
};

// The ceiling, in whole seconds, of the longest segment as EXTINF prints it (ms precision).
int srs_m3u8_target_duration(const SrsM3u8Playlist& playlist);
// The playlist text, lines ending in "\n".
std::string srs_m3u8_encode(const SrsM3u8Playlist& playlist);
