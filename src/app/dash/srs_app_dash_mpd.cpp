#include <srs_app_dash_mpd.hpp>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace {

// XML attribute values come from the config (paths) and codec strings: escape what XML reserves.
std::string xml_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

std::string srs_dash_iso8601(srs_utime_t wall) {
    time_t secs = (time_t)(wall / SRS_UTIME_SECONDS);
    int ms = (int)((wall % SRS_UTIME_SECONDS) / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char buf[64];
    snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

std::string srs_dash_duration(srs_utime_t d) {
    int64_t ms = (int64_t)(d / 1000);
    char buf[64];
    if (ms % 1000 == 0) {
        snprintf(buf, sizeof(buf), "PT%" PRId64 "S", ms / 1000);
    } else {
        snprintf(buf, sizeof(buf), "PT%" PRId64 ".%03" PRId64 "S", ms / 1000, ms % 1000);
        // "PT1.500S" -> "PT1.5S".
        std::string s = buf;
        size_t end = s.size() - 1;
        while (s[end - 1] == '0') {
            end--;
        }
        return s.substr(0, end) + "S";
    }
    return buf;
}

std::string srs_dash_frame_rate(int64_t frames, int64_t duration, uint32_t timescale) {
    if (frames <= 0 || duration <= 0 || timescale == 0) {
        return "";
    }
    // frames * timescale / duration, as a fraction; a rate within 0.02% of a whole number (FLV's
    // millisecond timestamps jitter, which a window of frames averages out) is that number, and
    // one as close to N*1000/1001 is that NTSC rate.
    double fps = (double)frames * timescale / (double)duration;
    double whole = std::round(fps);
    char buf[64];
    if (whole > 0 && std::fabs(fps - whole) / whole < 0.0002) {
        snprintf(buf, sizeof(buf), "%d", (int)whole);
        return buf;
    }
    double ntsc = std::round(fps * 1001 / 1000);
    if (ntsc > 0 && std::fabs(fps - ntsc * 1000 / 1001) / fps < 0.0002) {
        snprintf(buf, sizeof(buf), "%d/1001", (int)ntsc * 1000);
        return buf;
    }
    // Anything else is not a rate a player could rely on (a gap, a variable rate): none.
    return "";
}

std::string srs_dash_mpd_text(const SrsDashMpd& mpd) {
    std::stringstream ss;
    ss << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       << "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\""
       << " type=\"dynamic\""
       << " availabilityStartTime=\"" << srs_dash_iso8601(mpd.availability_start) << "\""
       << " publishTime=\"" << srs_dash_iso8601(mpd.publish_time) << "\""
       << " minimumUpdatePeriod=\"" << srs_dash_duration(mpd.minimum_update_period) << "\""
       << " timeShiftBufferDepth=\"" << srs_dash_duration(mpd.time_shift_buffer_depth) << "\""
       << " minBufferTime=\"" << srs_dash_duration(mpd.min_buffer_time) << "\""
       << " suggestedPresentationDelay=\"" << srs_dash_duration(mpd.suggested_presentation_delay) << "\">\n";
    ss << "  <Period id=\"" << xml_escape(mpd.period_id) << "\" start=\"" << srs_dash_duration(mpd.period_start)
       << "\">\n";
    for (const SrsDashRepresentation& r : mpd.representations) {
        const char* type = r.video ? "video" : "audio";
        // DASH-IF IOP 3.2.12: segments start at SAPs and align across the set (one Representation).
        ss << "    <AdaptationSet contentType=\"" << type << "\" mimeType=\"" << type << "/mp4\""
           << " segmentAlignment=\"true\" startWithSAP=\"1\">\n";
        ss << "      <Representation id=\"" << xml_escape(r.id) << "\" codecs=\"" << xml_escape(r.codecs) << "\""
           << " bandwidth=\"" << r.bandwidth << "\"";
        if (r.video) {
            ss << " width=\"" << r.width << "\" height=\"" << r.height << "\"";
            if (!r.frame_rate.empty()) {
                ss << " frameRate=\"" << r.frame_rate << "\"";
            }
        } else {
            ss << " audioSamplingRate=\"" << r.sample_rate << "\"";
        }
        ss << ">\n";
        if (!r.video) {
            // ISO/IEC 23009-1 5.8.5.4: the channel count (23003-3 channel configuration scheme).
            ss << "        <AudioChannelConfiguration"
               << " schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"" << r.channels
               << "\"/>\n";
        }
        ss << "        <SegmentTemplate timescale=\"" << r.timescale << "\"";
        if (r.presentation_time_offset) {
            ss << " presentationTimeOffset=\"" << r.presentation_time_offset << "\"";
        }
        ss << " initialization=\"" << xml_escape(r.initialization) << "\" media=\"" << xml_escape(r.media) << "\">\n";
        ss << "          <SegmentTimeline>\n";
        for (const SrsDashTimelineEntry& e : r.timeline) {
            ss << "            <S t=\"" << e.t << "\" d=\"" << e.d << "\"/>\n";
        }
        ss << "          </SegmentTimeline>\n";
        ss << "        </SegmentTemplate>\n";
        ss << "      </Representation>\n";
        ss << "    </AdaptationSet>\n";
    }
    ss << "  </Period>\n";
    if (!mpd.utc_timing.empty()) {
        ss << "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"" << xml_escape(mpd.utc_timing)
           << "\"/>\n";
    }
    ss << "</MPD>\n";
    return ss.str();
}
