// The DVR feature: records published streams to FLV or MP4 files (vhost `dvr` section),
// following each live source through a source handler (the hub knows nothing of DVR). Files are
// written under a temporary name, finished (FLV onMetaData rewritten in place, MP4 moov
// appended) and renamed when complete, then announced by the on_dvr hook from a worker
// coroutine; the append plan grows one FLV in place. The HTTP API lists recordings and starts
// or stops one (srs_app_dvr_api). See doc/dvr.md.
#pragma once

#include <srs_app_dvr_file.hpp>
#include <srs_app_jitter.hpp>
#include <srs_app_source_handler.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class ISrsHookPoster;
class SrsLiveSource;
class SrsStatistic;

enum class SrsDvrPlan {
    // One file per publish.
    Session,
    // A new file every dvr_duration (at a keyframe when dvr_wait_keyframe).
    Segment,
    // One FLV file for every publish, each appended after the previous one (SRS 2.0).
    Append,
};

const char* srs_dvr_plan_name(SrsDvrPlan plan);

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

// A recording in progress, for the HTTP API.
struct SrsDvrStatus {
    std::string vhost;
    std::string app;
    std::string stream;
    std::string plan;
    // The file as dvr_path made it, and the one written to now (FILE.tmp, or FILE for append).
    std::string file;
    std::string tmp;
    int64_t duration_ms = 0;
    int64_t bytes = 0;
    // Started through the API rather than by dvr_apply.
    bool by_api = false;
};

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
    void set_hooks(ISrsHookPoster* worker, SrsStatistic* stat) {
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
    // The handlers, by vhost/app/stream, for the API.
    void add_handler(SrsDvrSourceHandler* h);
    void remove_handler(SrsDvrSourceHandler* h);

public:
    // The streams recording now.
    std::vector<SrsDvrStatus> recordings() const;
    // Starts (start) or stops recording of a published stream, for the HTTP API. Start
    // records with the vhost's dvr section whatever dvr_apply says (ERROR_DVR_DISABLED when
    // the section is off); stop finishes the file. Either lasts until the stream's next publish.
    // ERROR_SOURCE_NOT_FOUND / ERROR_SOURCE_NOT_PUBLISHING when the stream is not published.
    srs_error_t control(const std::string& vhost, const std::string& app, const std::string& stream, bool start);

private:
    std::shared_ptr<const SrsConfig> config_;
    SrsDvrConfig fixed_;
    bool has_fixed_ = false;
    ISrsHookPoster* worker_ = nullptr;
    SrsStatistic* stat_ = nullptr;
    std::function<void(const SrsDvrFileEvent&)> on_file_;
    std::function<srs_utime_t()> clock_;
    std::string cwd_;
    int64_t nb_files_ = 0;
    std::map<std::string, SrsDvrSourceHandler*> handlers_;
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
    const SrsDvrFile* file() const { return file_.get(); }
    const std::string& vhost() const { return vhost_; }
    const std::string& app() const { return app_; }
    const std::string& stream() const { return stream_; }
    bool publishing() const { return publishing_; }
    const SrsDvrConfig& config() const { return config_; }
    bool by_api() const { return by_api_; }
    // The API's start: records from the next video keyframe (at once without video) with
    // the vhost's dvr section (config read now). Fails when the stream is not published or
    // the section is off.
    srs_error_t api_start();
    // The API's stop: finishes the file; records nothing more until the next publish.
    srs_error_t api_stop();

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
    std::unique_ptr<SrsDvrFile> file_;
    bool publishing_ = false;
    bool by_api_ = false;
    // Started mid-stream: media is skipped until a video keyframe, so the file decodes.
    bool wait_key_ = false;
    SrsRtmpJitter jitter_;
    // The latest metadata and sequence headers, written at the start of each file.
    SrsMediaMessage meta_;
    SrsMediaMessage video_sh_;
    SrsMediaMessage audio_sh_;
    bool has_video_ = false;
};
