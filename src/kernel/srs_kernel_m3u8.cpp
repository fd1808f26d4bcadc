#include <srs_kernel_m3u8.hpp>

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace {

// Durations are written with 3 decimals; compute from the same rounding so the target
// duration is never below a rounded EXTINF.
int64_t duration_ms(double seconds) {
    if (!(seconds > 0)) {
        return 0;
    }
    return (int64_t)llround(seconds * 1000);
}

}  // namespace

int srs_m3u8_target_duration(const SrsM3u8Playlist& playlist) {
    int64_t max_ms = 0;
    for (const SrsM3u8Segment& s : playlist.segments) {
        int64_t ms = duration_ms(s.duration);
        max_ms = ms > max_ms ? ms : max_ms;
    }
    int target = (int)((max_ms + 999) / 1000);
    if (target < playlist.min_target_duration) {
        target = playlist.min_target_duration;
    }
    return target < 1 ? 1 : target;
}

std::string srs_m3u8_encode(const SrsM3u8Playlist& playlist) {
    std::string out;
    out.reserve(128 + playlist.segments.size() * 64);
    char line[128];

    out += "#EXTM3U\n";
    snprintf(line, sizeof(line), "#EXT-X-VERSION:%d\n", playlist.version);
    out += line;
    snprintf(line, sizeof(line), "#EXT-X-TARGETDURATION:%d\n", srs_m3u8_target_duration(playlist));
    out += line;
    int64_t sequence = playlist.segments.empty() ? playlist.media_sequence : playlist.segments.front().sequence;
    snprintf(line, sizeof(line), "#EXT-X-MEDIA-SEQUENCE:%" PRId64 "\n", sequence);
    out += line;
    if (playlist.discontinuity_sequence > 0) {
        snprintf(line, sizeof(line), "#EXT-X-DISCONTINUITY-SEQUENCE:%" PRId64 "\n", playlist.discontinuity_sequence);
        out += line;
    }

    const std::string* map = nullptr;
    // The key in force: a KEY applies to the segments after it, and to the MAPs after it too.
    std::string key;
    for (const SrsM3u8Segment& s : playlist.segments) {
        if (s.discontinuity) {
            out += "#EXT-X-DISCONTINUITY\n";
        }
        // A MAP applies to every segment after it up to the next one (RFC 8216 4.3.2.5), so
        // it is repeated only where the init segment changes (a new codec configuration).
        if (!s.map_uri.empty() && (!map || *map != s.map_uri)) {
            // Init segments are never encrypted, and one is shared by segments of several
            // keys: no key may be in force where a MAP is written.
            if (!key.empty()) {
                out += "#EXT-X-KEY:METHOD=NONE\n";
                key.clear();
            }
            out += "#EXT-X-MAP:URI=\"" + s.map_uri + "\"\n";
            map = &s.map_uri;
        }
        if (s.key_uri != key) {
            out += s.key_uri.empty() ? "#EXT-X-KEY:METHOD=NONE\n"
                                     : "#EXT-X-KEY:METHOD=AES-128,URI=\"" + s.key_uri + "\"\n";
            key = s.key_uri;
        }
        int64_t ms = duration_ms(s.duration);
        snprintf(line, sizeof(line), "#EXTINF:%" PRId64 ".%03d,\n", ms / 1000, (int)(ms % 1000));
        out += line;
        out += s.uri;
        out += "\n";
    }
    if (playlist.endlist) {
        out += "#EXT-X-ENDLIST\n";
    }
    return out;
}
