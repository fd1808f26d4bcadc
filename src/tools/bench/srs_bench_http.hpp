// The load tool's HTTP players: HTTP-FLV (tags parsed from the body as it arrives) and
// HLS (playlist, then new segments, refreshed like a real player), and the playlist
// reading they need.
#pragma once

#include <srs_bench_client.hpp>

#include <string>
#include <vector>

class SrsHttpClient;

// One segment line of a media playlist.
struct SrsBenchSegment {
    int64_t sequence = 0;
    double duration = 0;
    std::string uri;
};

// A playlist as a player reads it (RFC 8216 4.3): a media playlist's segments, or a
// master playlist's variant streams.
struct SrsBenchPlaylist {
    // EXT-X-TARGETDURATION in seconds (RFC 8216 4.3.3.1).
    int target_duration = 0;
    // EXT-X-MEDIA-SEQUENCE, the sequence of the first segment (RFC 8216 4.3.3.2).
    int64_t media_sequence = 0;
    std::vector<SrsBenchSegment> segments;
    // EXT-X-ENDLIST (RFC 8216 4.3.3.4).
    bool endlist = false;
    // The URIs after EXT-X-STREAM-INF, when this is a master playlist (RFC 8216 4.3.4.2).
    std::vector<std::string> variants;
};

// Parses playlist text. Fails with ERROR_BENCH_PLAYLIST when it does not start with
// #EXTM3U, when an EXTINF has no URI after it, or a number is not one.
srs_error_t srs_bench_parse_m3u8(const std::string& text, SrsBenchPlaylist* out);
// Resolves a URI reference found in a playlist or a Location header against the URL it
// came from (RFC 3986 5.2: absolute, network-path, absolute-path and relative-path
// references; a relative path replaces the last segment of the base path).
std::string srs_bench_resolve_url(const std::string& base, const std::string& ref);

// Plays an HTTP-FLV stream: one GET, then FLV tags from the body as it arrives (FLV spec
// E.2, E.3), payloads skipped into the shared discard buffer, timestamps for the lag.
class SrsBenchFlvPlayer : public SrsBenchClient {
public:
    SrsBenchFlvPlayer(SrsBenchContext* ctx, int index, const std::string& url);

protected:
    srs_error_t do_cycle() override;
};

// Plays an HLS stream like hls.js and players after RFC 8216 6.3: loads the playlist,
// starts three segments from the live end, downloads each new segment once, and reloads
// the playlist a target duration after the last load when it changed, half of one when it
// did not (6.3.4). Follows redirects itself so that a server's session parameter (SRS's
// hls_ctx) sticks. Segments are counted, not decoded.
class SrsBenchHlsPlayer : public SrsBenchClient {
public:
    SrsBenchHlsPlayer(SrsBenchContext* ctx, int index, const std::string& url);

protected:
    srs_error_t do_cycle() override;

private:
    // GETs url on client (reconnecting when the host or port differs), following up to five
    // redirects: *final_url is the URL that answered 200. When body is null the body is
    // skipped and counted.
    srs_error_t fetch(SrsHttpClient* client, const std::string& url, std::string* final_url, std::string* body);

private:
    int64_t body_bytes_ = 0;
};
