// HLS of one stream (RFC 8216): cuts the published FLV tags into MPEG-TS or fMP4 segments
// (srs_app_hls_fmp4.hpp), keeps the live window in a media playlist and a multivariant playlist
// beside it (srs_app_hls_master.hpp), and stores them on disk, in RAM, or both. Knows nothing
// of the source hub or the config file: srs_app_hls.hpp connects it to those.
#pragma once

#include <srs_app_hls_master.hpp>
#include <srs_app_memory_files.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_core_time.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_m3u8.hpp>
#include <srs_kernel_path.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsMediaMessage;
class SrsTsTransmuxer;
class SrsHlsFmp4Segmenter;

// hls_on_error: what a failure of HLS does to the stream.
enum class SrsHlsOnError {
    // Stop HLS for this publish; the stream goes on.
    Ignore,
    // Stop the publish.
    Disconnect,
    // Log, drop what failed and keep muxing (SRS's default).
    Continue,
};

// hls_storage: where segments and the playlist live.
enum class SrsHlsStorage {
    Disk,
    Ram,
    Both,
};

// The hls section of a vhost, as plain values (filled from the config by srs_app_hls.cpp).
struct SrsHlsConfig {
    bool enabled = false;
    srs_utime_t fragment = 10 * SRS_UTIME_SECONDS;
    // EXT-X-TARGETDURATION is at least ceil(fragment * td_ratio); a segment without a keyframe
    // in time is cut there anyway, so no segment exceeds the target duration (RFC 8216 4.3.3.1).
    double td_ratio = 1.5;
    // Audio cuts a segment at fragment * aof_ratio (how pure audio streams are segmented).
    double aof_ratio = 2.0;
    srs_utime_t window = 60 * SRS_UTIME_SECONDS;
    SrsHlsOnError on_error = SrsHlsOnError::Continue;
    std::string path = "./objs/nginx/html";
    std::string m3u8_file = "[app]/[stream].m3u8";
    std::string ts_file = "[app]/[stream]-[seq].ts";
    // hls_use_fmp4: fMP4 segments named by fmp4_file, with init segments named by init_file
    // (a "-[seq]" is added before its extension when it has no [seq], so a new init segment
    // never replaces one a player may still be fetching).
    bool use_fmp4 = false;
    std::string fmp4_file = "[app]/[stream]-[seq].m4s";
    std::string init_file = "[app]/[stream]/init.mp4";
    bool ts_floor = false;
    std::string entry_prefix;
    // "an" drops audio, "vn" drops video; other values are the codecs the stream is expected
    // to carry (the muxer follows the sequence headers).
    std::string acodec = "aac";
    std::string vcodec = "h264";
    bool cleanup = true;
    // 0: never.
    srs_utime_t dispose = 120 * SRS_UTIME_SECONDS;
    bool wait_keyframe = true;
    // For the on_hls_notify hook: the most bytes read from its reply.
    int nb_notify = 64;
    // Continue the media sequence of a playlist left on disk (by a previous run).
    bool recover = true;
    SrsHlsStorage storage = SrsHlsStorage::Disk;
    // hls_keys: segments AES-128 encrypted, a new random key every fragments_per_key segments
    // (and at each publish), in key_file below key_file_path (empty: path), stored as the
    // segments are; the playlist refers to it below key_url, or relative to the playlist.
    bool keys = false;
    int fragments_per_key = 5;
    std::string key_file = "[app]/[stream]-[seq].key";
    std::string key_file_path;
    std::string key_url;

    bool on_disk() const { return storage != SrsHlsStorage::Ram; }
    const std::string& segment_file() const { return use_fmp4 ? fmp4_file : ts_file; }
    bool in_ram() const { return storage != SrsHlsStorage::Disk; }
};

// "ignore", "disconnect", "continue" (anything else: continue).
SrsHlsOnError srs_hls_on_error_from(const std::string& v);
// "ram", "disk", "both" (anything else: disk).
SrsHlsStorage srs_hls_storage_from(const std::string& v);

// hls_ts_floor (SRS's algorithm): the [timestamp] of the next segment, one more than the
// previous one (0: none yet), which starts at and is pulled back to now_piece - 1
// (now_piece = wall clock / hls_fragment) when it drifts more than 10 fragments from it. The
// segment's duration then bends by 30% of a fragment per fragment of drift, to follow the clock.
int64_t srs_hls_floor_next_piece(int64_t previous, int64_t now_piece);

// The files of RAM HLS, read by the HTTP server's root handler (a class, so it can be declared
// ahead where only a pointer is kept).
class SrsHlsMemoryStore : public SrsMemoryFiles {};

// A segment that was completed, for the on_hls / on_hls_notify hooks.
struct SrsHlsSegmentEvent {
    std::string vhost;
    std::string app;
    std::string stream;
    // The file under hls_path (empty for RAM only) and its URL path on the HTTP server.
    std::string file;
    std::string url_path;
    // As written in the playlist (entry prefix included).
    std::string uri;
    std::string m3u8_file;
    std::string m3u8_url_path;
    int64_t sequence = 0;
    double duration = 0;
    bool discontinuity = false;
    int nb_notify = 0;
};

// Told of each completed segment: the place for http_hooks on_hls and on_hls_notify.
class ISrsHlsHooks {
public:
    virtual ~ISrsHlsHooks() = default;
    virtual void on_hls_segment(const SrsHlsSegmentEvent& event) = 0;
};

// One segment of the window, or the one being written.
struct SrsHlsSegment {
    int64_t sequence = 0;
    // Timestamps (ms) of the first message and, once closed, the length.
    int64_t start_dts = 0;
    int64_t duration_ms = 0;
    bool discontinuity = false;
    // Relative to hls_path; the disk file is hls_path/rel (rel.tmp while written).
    std::string rel;
    // The URI in the playlist.
    std::string uri;
    // RAM bytes (RAM storage), shared with the store.
    std::shared_ptr<const std::string> body;
    // The size, for the bit rates of the multivariant playlist.
    int64_t bytes = 0;
    // fMP4: the init segment (relative to hls_path, and its URI in the playlist's EXT-X-MAP).
    std::string init_rel;
    std::string init_uri;
    // hls_keys: the key file (relative to the key path; empty when not ours) and its URI in the
    // playlist's EXT-X-KEY; the URI is empty for a clear segment.
    std::string key_rel;
    std::string key_uri;
};

// The key of the segments being made (hls_keys).
struct SrsHlsKey {
    int64_t first_sequence = 0;
    std::string rel;
    std::string uri;
    std::string bytes;
};

// What counts during a publish, for tests and logs.
struct SrsHlsStat {
    int64_t nb_segments = 0;
    int64_t nb_deleted = 0;
    int64_t nb_dropped_frames = 0;
    int64_t nb_discontinuities = 0;
};

// The HLS of one stream: segmenting, the window, the playlist and the files. One publish at a
// time; the sequence numbers and the window carry over a republish (marked discontinuous).
class SrsHlsMuxer {
public:
    // store: where RAM files go (may be null when no RAM storage is used). hooks may be null.
    SrsHlsMuxer(const std::string& vhost, const std::string& app, const std::string& stream, SrsHlsMemoryStore* store,
                ISrsHlsHooks* hooks);
    ~SrsHlsMuxer();
    SRS_DISALLOW_COPY(SrsHlsMuxer);

public:
    // Starts a publish with this config. A previous publish's window stays, the next segment is
    // marked discontinuous (RFC 8216 4.3.2.3). Changing the playlist's location or storage
    // between publishes disposes the old files first.
    srs_error_t on_publish(const SrsHlsConfig& config);
    // Closes the segment being written and updates the playlist; the files stay until dispose().
    srs_error_t on_unpublish();
    // Sequence headers and frames, as FLV tag bodies.
    srs_error_t on_audio(const SrsMediaMessage& msg);
    srs_error_t on_video(const SrsMediaMessage& msg);
    // Deletes every file (segments, playlist) and forgets the window; the sequence goes on.
    void dispose();
    // Drops the RAM files only (the disk ones stay).
    void dispose_memory();

public:
    bool publishing() const { return publishing_; }
    const SrsHlsConfig& config() const { return config_; }
    const std::deque<SrsHlsSegment>& segments() const { return segments_; }
    // The segment being written, null when none.
    const SrsHlsSegment* current() const { return current_.get(); }
    // The sequence number of the next segment.
    int64_t next_sequence() const { return next_seq_; }
    // The playlist as last written; empty before the first segment.
    const std::string& playlist() const { return playlist_text_; }
    // The multivariant playlist as last written, and its path under hls_path.
    const std::string& master_playlist() const { return master_text_; }
    std::string master_rel() const { return srs_hls_master_rel(m3u8_rel_); }
    // fMP4: the init segment of the segments being made (path under hls_path); empty for TS.
    const std::string& init_rel() const { return init_rel_; }
    // fMP4: the segmenter, kept across publishes so decode times continue; null for TS.
    const SrsHlsFmp4Segmenter* fmp4() const { return fmp4_.get(); }
    // hls_keys: the key of the segments being made; null when none yet.
    const SrsHlsKey* key() const { return key_.get(); }
    // The playlist's path under hls_path and its URL path ("/live/s.m3u8").
    const std::string& m3u8_rel() const { return m3u8_rel_; }
    std::string m3u8_url_path() const { return "/" + m3u8_rel_; }
    const SrsHlsStat& stat() const { return stat_; }
    // Whether any file (disk or RAM) of this stream may exist.
    bool has_files() const { return !segments_.empty() || !expired_.empty() || current_ || !playlist_text_.empty(); }

private:
    srs_error_t write_frame(const SrsMediaMessage& msg, bool video);
    // fMP4: jumped when the timestamp jumped (a cut and a discontinuity).
    srs_error_t write_frame_fmp4(const SrsMediaMessage& msg, bool video, bool keyframe, bool jumped);
    // Whether the message ends the segment being written (before it is written).
    bool should_cut(const SrsMediaMessage& msg, bool video, bool keyframe) const;
    srs_error_t open_segment(int64_t dts);
    // Closes the segment being written, ending at end_dts, puts it into the window and rewrites
    // the playlist. flush (fMP4): the segment takes every queued sample, the held-back ones too.
    srs_error_t close_segment(int64_t end_dts, bool flush = true);
    // fMP4: the segment's bytes (and a new init segment first when one is due).
    // Puts a closed segment into the window, tells the hooks, rewrites the playlists.
    srs_error_t add_segment(std::unique_ptr<SrsHlsSegment> seg);
    srs_error_t finish_fmp4(SrsHlsSegment* seg, bool flush, std::string* body);
    srs_error_t write_init(SrsHlsSegment* seg);
    // Writes a whole file to disk (atomically) and/or RAM as the storage says.
    srs_error_t store_file(const std::string& rel, std::shared_ptr<const std::string> body);
    // The URI of a file in the playlist.
    std::string uri_of(const std::string& rel) const;
    // Deletes the init segments (or the keys) no segment of the window refers to any more.
    void delete_unused(const std::vector<std::string>& rels, bool keys);
    // hls_keys (srs_app_hls_keys.cpp): gives the segment the key in force, a new one when due.
    srs_error_t use_key(SrsHlsSegment* seg);
    // The key's URI in the playlist, and the file of a key of the playlist (empty: not ours).
    std::string key_uri_of(const std::string& rel) const;
    std::string key_rel_of(const std::string& uri) const;
    // fMP4: the whole segment encrypted with its key.
    srs_error_t encrypt_fmp4(const SrsHlsSegment& seg, std::string* body) const;
    srs_error_t write_master();
    // Drops the segment being written (it has nothing worth keeping).
    void abandon_segment();
    void shrink_window();
    srs_error_t write_playlist();
    void delete_segment_files(const SrsHlsSegment& seg);
    // A file below hls_path, or below hls_key_file_path for a key.
    void remove_file(const std::string& rel, bool key = false);
    std::string disk_path(const std::string& rel, bool key = false) const;
    // The variables of the file name templates for a file of segment seq, at this time.
    SrsPathTemplateValues template_values(int64_t seq) const;
    void recover_sequence();

private:
    std::string vhost_;
    std::string app_;
    std::string stream_;
    SrsHlsMemoryStore* store_;
    ISrsHlsHooks* hooks_;
    SrsHlsConfig config_;
    bool publishing_ = false;
    bool configured_ = false;

    // Per publish: the TS transmuxer (codec state, continuity counters); null for fMP4.
    std::unique_ptr<SrsTsTransmuxer> ts_;
    // fMP4 (null for TS): kept across publishes, so decode times continue.
    std::unique_ptr<SrsHlsFmp4Segmenter> fmp4_;
    std::string init_rel_;
    std::string init_uri_;
    // hls_keys: the key in force; null before the first segment of a publish.
    std::unique_ptr<SrsHlsKey> key_;
    // The codecs and size for the multivariant playlist.
    SrsHlsStreamInfo info_;
    std::string master_text_;
    // The segment being written and its output.
    std::unique_ptr<SrsHlsSegment> current_;
    class SegmentWriter;
    std::unique_ptr<SegmentWriter> writer_;
    bool current_has_frames_ = false;

    std::deque<SrsHlsSegment> segments_;
    // Segments that left the window: deleted one cut later, so a player that read the previous
    // playlist can still fetch them (RFC 8216 6.2.2).
    std::vector<SrsHlsSegment> expired_;
    int64_t next_seq_ = 0;
    // hls_ts_floor: the current segment's piece and how many fragments it is ahead of the clock.
    int64_t floor_piece_ = 0;
    int64_t floor_deviation_ = 0;
    int64_t discontinuity_seq_ = 0;
    bool next_discontinuity_ = false;

    std::string m3u8_rel_;
    std::string playlist_text_;

    // Per publish timing and codec tracking.
    bool has_video_ = false;
    bool has_audio_ = false;
    bool got_keyframe_ = false;
    bool has_last_dts_ = false;
    int64_t last_dts_ = 0;
    int64_t last_video_dts_ = -1;
    int64_t last_audio_dts_ = -1;
    std::string video_sh_;
    std::string audio_sh_;
    SrsHlsStat stat_;
};
