// The MPD of a live DASH stream (ISO/IEC 23009-1, the isoff-live profile, DASH-IF IOP 4.3 "live
// services"): a dynamic MPD with one Period, one AdaptationSet per media type (video, audio), each
// with one Representation whose segments a SegmentTemplate with a SegmentTimeline names by their
// decode time ($Time$), and a UTCTiming element (DASH-IF IOP 4.7) naming the server's clock.
//
// $Time$ rather than $Number$: segments are cut at keyframes, so their durations vary and only a
// timeline describes them; with $Time$ each name is its segment's tfdt, so a name never means
// two segments, even across a republish or a new Period, and a player that missed an MPD update
// still asks for the right segment.
#pragma once

#include <srs_core_time.hpp>

#include <cstdint>
#include <string>
#include <vector>

// One segment of a Representation's SegmentTimeline: S@t and S@d in the track's timescale.
struct SrsDashTimelineEntry {
    int64_t t = 0;
    int64_t d = 0;
};

// One Representation (and its AdaptationSet: one per media type).
struct SrsDashRepresentation {
    // "video" or "audio": the Representation id, and the AdaptationSet's contentType.
    std::string id;
    bool video = true;
    // The RFC 6381 codecs value (srs_kernel_codec_string).
    std::string codecs;
    // Bits per second, the peak of the listed segments.
    int64_t bandwidth = 0;
    // Video.
    int width = 0;
    int height = 0;
    // "25", "30000/1001"; empty when unknown.
    std::string frame_rate;
    // Audio.
    int sample_rate = 0;
    int channels = 0;
    uint32_t timescale = 90000;
    // The decode time of the Period's start in the timescale (SegmentTemplate@presentationTimeOffset).
    int64_t presentation_time_offset = 0;
    // Relative to the MPD: the init segment, and the media template with $Time$.
    std::string initialization;
    std::string media;
    std::vector<SrsDashTimelineEntry> timeline;
};

// Everything the MPD says, so the text is a pure function of it (and the unit tests byte-check it).
struct SrsDashMpd {
    // MPD@availabilityStartTime: the wall clock when decode time 0 of the stream was live.
    srs_utime_t availability_start = 0;
    // MPD@publishTime: when this MPD was made.
    srs_utime_t publish_time = 0;
    srs_utime_t minimum_update_period = 0;
    srs_utime_t time_shift_buffer_depth = 0;
    srs_utime_t min_buffer_time = 0;
    srs_utime_t suggested_presentation_delay = 0;
    // Period@id and Period@start (from availability_start).
    std::string period_id;
    srs_utime_t period_start = 0;
    // The UTCTiming value (urn:mpeg:dash:utc:http-iso:2014); none when empty.
    std::string utc_timing;
    std::vector<SrsDashRepresentation> representations;
};

// "2026-12-07T08:20:00.123Z": an xs:dateTime in UTC with milliseconds, what MPD times and the
// http-iso time source (ISO 8601) both are.
std::string srs_dash_iso8601(srs_utime_t wall);
// "PT1.5S", "PT30S": an xs:duration in seconds, milliseconds kept when not whole.
std::string srs_dash_duration(srs_utime_t d);
// "25", "30000/1001" from a number of frames over a duration in a timescale; "" when either is 0
// or the rate is neither a whole number nor an NTSC one (N*1000/1001).
std::string srs_dash_frame_rate(int64_t frames, int64_t duration, uint32_t timescale);
// The MPD's text.
std::string srs_dash_mpd_text(const SrsDashMpd& mpd);
