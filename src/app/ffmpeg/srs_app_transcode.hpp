// Transcoding (vhost `transcode [app[/stream]] { engine NAME {...} }`): on publish, one ffmpeg
// per enabled engine reads the stream from this server and publishes the engine's output back;
// on unpublish they stop. The output of a transcoder is never transcoded again: the outputs of
// the running engines are parsed into stream keys the way the server parses a publish (tcUrl
// with its ?vhost=, or SRS's app?vhost=v/stream form, resolved against the vhosts) and a
// publish to one of them is not transcoded. See doc/ffmpeg.md.
#pragma once

#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_app_transcode_input.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;
class SrsProcessSupervisor;
class SrsChildProcess;
class SrsTranscodeHandler;

// One ffmpeg a stream should run: from an enabled engine of a matching transcode block.
struct SrsTranscodeJob {
    // "transcode/vhost/app/stream/engine": identifies the engine of the stream across reloads.
    std::string name;
    std::string engine;
    std::vector<std::string> argv;
    std::string log_file;
    // The stream keys (vhost/app/stream) the output may publish to on this server (none when
    // it is not an RTMP URL this server would accept).
    std::vector<std::string> output_keys;
};

// The stream keys ("vhost/app/stream", as SrsLiveSource::url()) that an RTMP URL publishes to on
// this server, resolved as a publish would be, for both ways clients split a URL into tcUrl and
// stream: ffmpeg's (the app is the first path segment, so SRS's rtmp://h/app?vhost=v/stream
// form works) and OBS's (the stream is the last segment). The vhost comes from ?vhost= (in the
// stream or the app) or the host, then resolve_vhost(). None when the URL is not RTMP, names
// no stream, or no vhost serves it.
std::vector<std::string> srs_rtmp_url_stream_keys(const SrsConfig& conf, const std::string& url);
// Whether a transcode block's scope (its argument: empty, "app" or "app/stream") covers a stream.
bool srs_transcode_scope_matches(const std::string& scope, const std::string& app, const std::string& stream);
// The jobs of a stream from a config snapshot (none when transcode is off for it), reading
// input: null or Rtmp for this server's rtmp:// URL of the stream, HttpTs for input->url as
// MPEG-TS (the engine's iformat does not apply to it).
std::vector<SrsTranscodeJob> srs_transcode_jobs(const SrsConfig& conf, const std::string& vhost, const std::string& app,
                                                const std::string& stream, const SrsTranscodeInput* input = nullptr);

// An engine of a publishing stream that runs no ffmpeg: its codecs are not known yet, or no
// input carries them. Shown by /api/v1/processes beside the running children.
struct SrsTranscodeHeld {
    std::string name;
    std::string stream;
    std::string cid;
    std::string log_file;
    // "waiting" (for the first audio/video) or "unsupported".
    std::string state;
    std::string reason;
};

// Transcoding of all streams: the factory of the per-source handlers, which it keeps track of
// for reload and for the cascade check.
class SrsTranscodeServer : public ISrsLiveSourceHandlerFactory {
public:
    explicit SrsTranscodeServer(SrsProcessSupervisor* supervisor);
    ~SrsTranscodeServer() override;
    SRS_DISALLOW_COPY(SrsTranscodeServer);

public:
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    std::shared_ptr<const SrsConfig> config() const { return config_; }
    SrsProcessSupervisor* supervisor() const { return supervisor_; }
    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;
    // Applies the vhost's new transcode section to its publishing streams: an engine whose
    // command changed restarts, a removed one stops, a new one starts; the others run on.
    // Returns how many ffmpeg were started, restarted or stopped.
    int reload_vhost(const std::string& vhost);
    // Whether a running engine publishes to this stream key (then it is not transcoded).
    bool is_engine_output(const std::string& key) const;
    // The engines of every publishing stream that run no ffmpeg, by stream.
    std::vector<SrsTranscodeHeld> held() const;

public:
    // For the handlers.
    void on_handler_create(SrsTranscodeHandler* h) { handlers_.insert(h); }
    void on_handler_destroy(SrsTranscodeHandler* h) { handlers_.erase(h); }

private:
    SrsProcessSupervisor* supervisor_;
    std::shared_ptr<const SrsConfig> config_;
    std::set<SrsTranscodeHandler*> handlers_;
};

// The transcoders of one stream. They start once the stream's codecs are known (at its first
// audio or video frame, after the sequence headers) to choose their input
// (srs_app_transcode_input.hpp), and restart when a new sequence header changes the codecs.
class SrsTranscodeHandler : public ISrsLiveSourceHandler {
public:
    SrsTranscodeHandler(SrsTranscodeServer* server, const std::string& vhost, const std::string& app,
                        const std::string& stream);
    ~SrsTranscodeHandler() override;
    SRS_DISALLOW_COPY(SrsTranscodeHandler);

public:
    srs_error_t on_publish() override;
    void on_unpublish() override;
    srs_error_t on_audio(const SrsMediaMessage& msg) override;
    srs_error_t on_video(const SrsMediaMessage& msg) override;
    // Runs the jobs of the current config and codecs, none when this stream is an engine's
    // output, while the codecs are unknown, or when no input carries them.
    int refresh();
    // Runs exactly these jobs: starts the new, stops the gone, restarts the changed.
    int apply(const std::vector<SrsTranscodeJob>& jobs);
    // Stops every ffmpeg of the stream.
    int stop_all();
    const std::string& vhost() const { return vhost_; }
    bool publishing() const { return publishing_; }
    bool has_output(const std::string& key) const;
    // The running jobs, for tests.
    int nb_running() const { return children_.size(); }
    // The engines that run no ffmpeg now.
    const std::vector<SrsTranscodeHeld>& held() const { return held_; }
    // The input chosen from the codecs (Rtmp before they are known).
    const SrsTranscodeInput& input() const { return input_; }

private:
    // Follows the codecs from the tags: chooses the input at the first frame, again when a new
    // sequence header changes them.
    void on_media(const SrsMediaMessage& msg);
    // The jobs become held engines in this state.
    void hold(const std::vector<SrsTranscodeJob>& jobs, const std::string& state, const std::string& reason);

private:
    SrsTranscodeServer* server_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string cid_;
    bool publishing_ = false;
    SrsTranscodeCodecs codecs_;
    // Whether the codecs are known (a first audio/video frame came): the engines may start.
    bool codecs_known_ = false;
    SrsTranscodeInput input_;
    // The last input reason logged, so a stream logs it once (again only when it changes).
    std::string logged_;
    // The jobs running now, for their output keys.
    std::vector<SrsTranscodeJob> jobs_;
    std::vector<SrsTranscodeHeld> held_;
    SrsChildSet children_;
};
