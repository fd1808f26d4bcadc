// The DASH segmenter of one stream: fragmented MP4 from SrsFmp4Muxer (one muxer for both tracks,
// so they share one time base and one republish rule), split per track into a video and an audio
// Representation (what the live profile and dash.js expect: one AdaptationSet per media type),
// each with its own init segment and media segments, and the stream's MPD. Files are written
// whole under a temporary name and renamed, old segments are deleted beyond the window and the
// time shift buffer (dash_cleanup), and a republish or a codec change starts a new Period with
// new init segments while decode times go on (SrsFmp4Muxer::new_epoch).
#pragma once

#include <srs_app_dash_mpd.hpp>
#include <srs_core_error.hpp>
#include <srs_core_time.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsDashMemoryStore;
class SrsFmp4Muxer;
struct SrsMp4Track;
struct SrsFmp4Run;

// The path of the UTCTiming time source on the HTTP server (DASH-IF IOP 4.7.2): the MPD names it
// relative to the server's root, so players resolve it against the MPD's host and port.
#define SRS_DASH_UTC_TIMING_PATH "/dash/time"

// dash_storage: where the MPD and the segments live.
enum class SrsDashStorage {
    Disk,
    Ram,
    Both,
};
// "ram", "disk", "both" (anything else: disk).
SrsDashStorage srs_dash_storage_from(const std::string& v);

// The dash section of a vhost, as plain values (filled from the config by srs_app_dash.cpp).
struct SrsDashConfig {
    bool enabled = false;
    srs_utime_t fragment = 30 * SRS_UTIME_SECONDS;
    srs_utime_t update_period = 150 * SRS_UTIME_SECONDS;
    srs_utime_t timeshift = 300 * SRS_UTIME_SECONDS;
    std::string path = "./objs/nginx/html";
    std::string mpd_file = "[app]/[stream].mpd";
    int window_size = 5;
    bool cleanup = true;
    // 0: never.
    srs_utime_t dispose = 120 * SRS_UTIME_SECONDS;
    SrsDashStorage storage = SrsDashStorage::Disk;

    bool on_disk() const { return storage != SrsDashStorage::Ram; }
    bool in_ram() const { return storage != SrsDashStorage::Disk; }
};

// A media segment written to disk.
struct SrsDashSegment {
    bool video = true;
    int period = 0;
    // S@t, S@d in the track's timescale.
    int64_t t = 0;
    int64_t d = 0;
    uint32_t timescale = 90000;
    int64_t bytes = 0;
    int nb_samples = 0;
    // The most common sample duration, and how many samples have it.
    int64_t common_duration = 0;
    int common_count = 0;
    // Below dash_path.
    std::string rel;
    // When it was written (system time), for the time shift buffer.
    srs_utime_t written_at = 0;
};

class SrsDashSegmenter {
public:
    // store: the RAM files of dash_storage ram|both (not owned; null: disk only).
    SrsDashSegmenter(const std::string& vhost, const std::string& app, const std::string& stream,
                     SrsDashMemoryStore* store = nullptr);
    ~SrsDashSegmenter();
    SRS_DISALLOW_COPY(SrsDashSegmenter);

public:
    // A publish starts with this config: a republish opens a new Period whose decode times go
    // on after the previous one's. A different MPD path disposes of the old files first.
    srs_error_t on_publish(const SrsDashConfig& config);
    // The publish ended: what is queued becomes the last segments, and the MPD lists them.
    srs_error_t on_unpublish(srs_utime_t now);
    // FLV tag bodies (legacy or enhanced RTMP), in order; now is the system time.
    srs_error_t on_video(int64_t timestamp, const char* data, int size, srs_utime_t now);
    srs_error_t on_audio(int64_t timestamp, const char* data, int size, srs_utime_t now);
    // Deletes every file of the stream (dash_dispose) and forgets its state.
    void dispose();
    // Frees the stream's RAM files only (dash_dispose 0 keeps the disk files forever, not the
    // memory).
    void dispose_memory();

    // The wall clock at a system time: the MPD's times are wall clock times. Tests set a fixed one.
    void set_wall_offset(srs_utime_t wall_minus_system) {
        wall_offset_ = wall_minus_system;
        has_wall_offset_ = true;
    }

public:
    bool publishing() const { return publishing_; }
    const SrsDashConfig& config() const { return config_; }
    // Every segment still on disk, oldest first.
    const std::deque<SrsDashSegment>& segments() const { return segments_; }
    // The last MPD written, and where (below dash_path).
    const std::string& mpd() const { return mpd_; }
    const std::string& mpd_rel() const { return mpd_rel_; }
    int period() const { return period_; }

private:
    srs_error_t after_input(srs_utime_t now);
    srs_error_t on_config_change(srs_utime_t now);
    srs_error_t cut(bool all, srs_utime_t now);
    srs_error_t start_period(const std::vector<SrsFmp4Run>& runs);
    srs_error_t write_mpd(srs_utime_t now);
    void cleanup(srs_utime_t now);
    std::string full(const std::string& rel) const;
    // Writes a file below dash_path (to the disk, to RAM or both), and deletes one.
    srs_error_t write_out(const std::string& rel, const std::string& content);
    void drop(const std::string& rel);
    srs_utime_t wall(srs_utime_t system_time) const;

private:
    struct Track {
        bool on = false;
        SrsDashRepresentation rep;
        uint32_t sequence = 0;
    };

private:
    std::string vhost_;
    std::string app_;
    std::string stream_;
    SrsDashMemoryStore* store_;
    SrsDashConfig config_;
    bool configured_ = false;
    bool publishing_ = false;
    std::unique_ptr<SrsFmp4Muxer> muxer_;
    // The MPD below dash_path, and the directory of the segments, relative to the MPD.
    std::string mpd_rel_;
    std::string seg_dir_;
    // The wall clock minus the system clock (set at the first sample).
    srs_utime_t wall_offset_ = 0;
    bool has_wall_offset_ = false;
    // MPD@availabilityStartTime (system time of decode time 0), once the first sample came.
    srs_utime_t ast_ = 0;
    bool has_ast_ = false;
    // The current Period: its number, whether its init segments are written (its first segment
    // cut), the muxer's config version they describe, when its first sample arrived (system
    // time) and the decode time it starts at (in 1/90000 s).
    int period_ = 0;
    bool period_started_ = false;
    uint32_t period_version_ = 0;
    srs_utime_t period_arrival_ = 0;
    Track video_;
    Track audio_;
    // The presentation time (ms, as the publisher sent it) of the keyframe the current segment
    // starts with.
    int64_t segment_pts_ = 0;
    bool has_segment_pts_ = false;
    // A republish or a codec change: the next sample opens a new Period.
    bool new_period_ = false;
    std::deque<SrsDashSegment> segments_;
    // The init segments of each Period still referenced, below dash_path.
    std::map<int, std::vector<std::string>> inits_;
    std::string mpd_;
};
