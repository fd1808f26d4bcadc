// The DVR feature: records published streams to FLV files (vhost `dvr` section), following each
// live source through a source handler (the hub knows nothing of DVR). Files are written under
// a temporary name, finished (onMetaData duration and filesize patched in place) and renamed
// when complete, then announced by the on_dvr hook from a worker coroutine. See doc/dvr.md.
#pragma once

#include <srs_app_jitter.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsHlsHookWorker;
class SrsLiveSource;
class SrsStatistic;

enum class SrsDvrPlan {
    // One file per publish.
    Session,
    // A new file every dvr_duration (at a keyframe when dvr_wait_keyframe).
    Segment,
};

// The dvr section of a vhost.
struct SrsDvrConfig {
    bool enabled = false;
    // "all", or "app/stream" names.
    std::vector<std::string> apply{"all"};
    SrsDvrPlan plan = SrsDvrPlan::Session;
    srs_utime_t duration = 30 * SRS_UTIME_SECONDS;
    bool wait_keyframe = true;
    std::string path = "./objs/nginx/html/[app]/[stream].[timestamp].flv";
    SrsJitterAlgorithm jitter = SrsJitterAlgorithm::Full;
};

// The dvr section of a vhost from a config snapshot.
SrsDvrConfig srs_dvr_config_load(const SrsConfig& conf, const std::string& vhost);
// Whether dvr_apply records app/stream: "all" or an exact "app/stream" entry.
bool srs_dvr_apply_matches(const std::vector<std::string>& apply, const std::string& app, const std::string& stream);
// The file of a recording: dvr_path with [vhost] [app] [stream] [timestamp] (ms) and the date
// variables [2006] [01] [02] [15] [04] [05] [999] of wall (local time) expanded.
std::string srs_dvr_path_expand(const std::string& tmpl, const std::string& vhost, const std::string& app,
                                const std::string& stream, srs_utime_t wall);
// Whether the segment plan starts a new file before msg: the file holds elapsed_ms of media
// and reached duration, and, when wait_keyframe and the stream has video, msg is a video
// keyframe (not a sequence header), so each file starts decodable.
bool srs_dvr_segment_should_cut(int64_t elapsed_ms, srs_utime_t duration, bool wait_keyframe, bool has_video,
                                const SrsMediaMessage& msg);

// The onMetaData tag body a DVR file starts with: "onMetaData" and an ECMA array whose first
// properties are duration and filesize (AMF0 numbers, 8 bytes each, AMF0 spec 2.2), followed by
// the publisher's other fields when meta is a publisher onMetaData. *duration_pos and
// *filesize_pos are the offsets of the two numbers' 8 bytes in the body, patched at close.
std::string srs_dvr_flv_metadata(const SrsMediaMessage* meta, int* duration_pos, int* filesize_pos);

// One FLV file being recorded: written to path + ".tmp" and, at close, its onMetaData duration
// and filesize are patched and it is renamed to path. The destructor finishes an open file.
class SrsDvrFlvFile {
public:
    SrsDvrFlvFile();
    ~SrsDvrFlvFile();
    SRS_DISALLOW_COPY(SrsDvrFlvFile);

public:
    // Creates the folders and the temporary file, and writes the FLV header and the onMetaData
    // (from the publisher's meta when not null).
    srs_error_t open(const std::string& path, const SrsMediaMessage* meta);
    // Writes a tag with the message's own timestamp.
    srs_error_t write(const SrsMediaMessage& msg);
    // Patches the metadata and renames the file. On failure the temporary file is removed.
    srs_error_t close();
    bool is_open() const { return writer_.is_open(); }
    // The final name.
    const std::string& path() const { return path_; }
    const std::string& tmp_path() const { return tmp_; }
    // The timestamp of the first audio/video written (sequence headers aside), -1 before any.
    int64_t first_timestamp() const { return first_ts_; }
    // From the first to the last audio/video timestamp (sequence headers aside).
    int64_t duration_ms() const { return first_ts_ < 0 ? 0 : last_ts_ - first_ts_; }

private:
    SrsFileWriter writer_;
    SrsFlvTransmuxer enc_;
    std::string path_;
    std::string tmp_;
    // File offsets of the duration and filesize numbers.
    int64_t duration_offset_ = 0;
    int64_t filesize_offset_ = 0;
    int64_t first_ts_ = -1;
    int64_t last_ts_ = 0;
};

// A file that is complete, for on_dvr.
struct SrsDvrFileEvent {
    std::string vhost;
    std::string app;
    std::string stream;
    std::string file;
    // The publisher of the recording, from the statistics at its publish (the file finished at
    // its unpublish outlives it there).
    std::string client_id;
    std::string ip;
    std::string tcUrl;
};

class SrsDvrSourceHandler;

// The DVR of all streams. Registered with SrsLiveSourceManager as a handler factory: every
// source gets a handler, which reads the dvr section at each publish (so a reload applies at
// the next publish).
class SrsDvrServer : public ISrsLiveSourceHandlerFactory {
public:
    SrsDvrServer();
    ~SrsDvrServer() override;
    SRS_DISALLOW_COPY(SrsDvrServer);

public:
    // The config snapshot read at each publish (set at start and on reload).
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    // Overrides the config file, for tests: every vhost gets this dvr section.
    void set_fixed_config(const SrsDvrConfig& c) {
        fixed_ = c;
        has_fixed_ = true;
    }
    // The worker that makes the on_dvr calls and the statistics for their bodies; not owned,
    // either may be null.
    void set_hooks(SrsHlsHookWorker* worker, SrsStatistic* stat) {
        worker_ = worker;
        stat_ = stat;
    }
    // Called with each complete file (after on_dvr was queued), for tests.
    void set_on_file(std::function<void(const SrsDvrFileEvent&)> f) { on_file_ = std::move(f); }
    SrsDvrConfig config_of(const std::string& vhost) const;
    // The wall clock that names the files ([timestamp], dates); tests set their own.
    void set_clock(std::function<srs_utime_t()> clock) { clock_ = std::move(clock); }
    srs_utime_t now() const;

    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

public:
    // For the handlers: a file is complete; queues on_dvr.
    void on_file_done(const SrsDvrFileEvent& ev);
    // For the handlers at publish: the publisher's client_id, ip and tcUrl in ev (left empty
    // without statistics).
    void fill_publisher(SrsDvrFileEvent* ev) const;
    int64_t nb_files() const { return nb_files_; }

private:
    std::shared_ptr<const SrsConfig> config_;
    SrsDvrConfig fixed_;
    bool has_fixed_ = false;
    SrsHlsHookWorker* worker_ = nullptr;
    SrsStatistic* stat_ = nullptr;
    std::function<void(const SrsDvrFileEvent&)> on_file_;
    std::function<srs_utime_t()> clock_;
    std::string cwd_;
    int64_t nb_files_ = 0;
};

// Records one source: at each publish, when dvr is enabled and applies to the stream, writes
// its metadata, sequence headers and media to files of the plan. A failure (unwritable path,
// disk full) is logged and stops recording of this stream until its next publish; the stream
// itself goes on.
class SrsDvrSourceHandler : public ISrsLiveSourceHandler {
public:
    SrsDvrSourceHandler(SrsDvrServer* server, const std::string& vhost, const std::string& app,
                        const std::string& stream);
    // Finishes the open file (server quit, source freed).
    ~SrsDvrSourceHandler() override;
    SRS_DISALLOW_COPY(SrsDvrSourceHandler);

public:
    srs_error_t on_publish() override;
    void on_unpublish() override;
    srs_error_t on_audio(const SrsMediaMessage& msg) override;
    srs_error_t on_video(const SrsMediaMessage& msg) override;
    srs_error_t on_meta_data(const SrsMediaMessage& msg) override;
    // Whether this publish records.
    bool active() const { return active_; }
    // The file being written, null when none.
    const SrsDvrFlvFile* file() const { return file_.get(); }

private:
    void on_media(const SrsMediaMessage& msg);
    // Opens the next file; its sequence headers are written at start.
    srs_error_t open_file(int64_t start);
    // Finishes the file (if any) and announces it.
    srs_error_t close_file();
    // Logs err and stops recording for this publish.
    void fail(srs_error_t err);

private:
    SrsDvrServer* server_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    SrsDvrConfig config_;
    // The stream and its publisher, for each file's event.
    SrsDvrFileEvent publisher_;
    bool active_ = false;
    std::unique_ptr<SrsDvrFlvFile> file_;
    SrsRtmpJitter jitter_;
    // The latest metadata and sequence headers, written at the start of each file.
    SrsMediaMessage meta_;
    SrsMediaMessage video_sh_;
    SrsMediaMessage audio_sh_;
    bool has_video_ = false;
};
