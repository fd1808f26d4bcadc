// The skeleton shared by the outputs that cut a live stream into files (HLS, DASH): one
// server per output keeps one Output (a muxer or segmenter) per stream from its first publish
// until its files are disposed of, and each source gets a thin handler that forwards to it.
// Written once here so a fix to the lifetimes (dispose, reload, a server that goes before its
// sources) reaches every output; each feature keeps its own policy through a few virtuals.
//
// Output must have: publishing(), config() returning a Config, on_publish(const Config&),
// dispose(), dispose_memory(). Config must have: enabled, dispose, in_ram(), on_disk().
#pragma once

#include <srs_app_source.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_message.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;

template <class Output, class Config>
class SrsSegmentedOutputHandler;

// The output of all streams, registered with SrsLiveSourceManager as a handler factory, so a
// stream's files and sequence numbers outlive its source until the output's dispose setting.
template <class Output, class Config>
class SrsSegmentedOutputServer : public ISrsLiveSourceHandlerFactory, public ISrsCoroutineHandler {
public:
    using Handler = SrsSegmentedOutputHandler<Output, Config>;

    // name ("hls", "dash") names the coroutine and starts the log lines. With a dispose setting
    // of 0 the disk files stay forever, but RAM files of a stopped stream go after ram_dispose.
    SrsSegmentedOutputServer(const char* name, srs_utime_t sweep_interval, srs_utime_t ram_dispose)
        : name_(name), sweep_interval_(sweep_interval), ram_dispose_(ram_dispose) {}
    ~SrsSegmentedOutputServer() override {
        stop();
        // Sources that outlive the server keep their handlers: those must not call back.
        for (Handler* h : handlers_) {
            h->detach();
        }
    }
    SRS_DISALLOW_COPY(SrsSegmentedOutputServer);

public:
    // The config snapshot read at each publish (set at start and on reload).
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    // Overrides the config file, for tests: every vhost gets this section.
    void set_fixed_config(const Config& c) {
        fixed_ = c;
        has_fixed_ = true;
    }
    // The output's section in force for a vhost now.
    Config config_of(const std::string& vhost) const {
        if (has_fixed_) {
            return fixed_;
        }
        if (!config_) {
            return Config();
        }
        return load_config(*config_, vhost);
    }

    // Starts the coroutine that disposes of stopped streams.
    srs_error_t start() {
        trd_ = std::make_unique<SrsCoroutine>(name_, this);
        return trd_->start();
    }
    void stop() {
        if (trd_) {
            trd_->stop();
            trd_.reset();
        }
    }
    srs_error_t cycle() override {
        srs_error_t err = srs_success;
        while (true) {
            if ((err = trd_->pull()) != srs_success) {
                return srs_success;
            }
            srs_usleep(sweep_interval_);
            if ((err = trd_->pull()) != srs_success) {
                return srs_success;
            }
            sweep(srs_update_system_time());
        }
    }
    // Disposes of streams unpublished for their dispose setting (RAM after ram_dispose when it
    // is 0), and forgets them. Returns how many were disposed of.
    int sweep(srs_utime_t now) {
        int n = 0;
        for (auto it = streams_.begin(); it != streams_.end();) {
            Stream& s = it->second;
            if (s.unpublished_at == 0 || s.output->publishing()) {
                ++it;
                continue;
            }
            const Config& c = s.output->config();
            srs_utime_t idle = now - s.unpublished_at;
            if (c.dispose > 0 && idle >= c.dispose) {
                s.output->dispose();
                it = streams_.erase(it);
                n++;
                continue;
            }
            if (c.dispose <= 0 && c.in_ram() && idle >= ram_dispose_) {
                // The disk files stay (dispose 0), the memory does not.
                s.output->dispose_memory();
                if (!c.on_disk()) {
                    it = streams_.erase(it);
                    n++;
                    continue;
                }
            }
            ++it;
        }
        return n;
    }

    // Applies a reload of a vhost's section (set_config first) to its publishing streams: the
    // output stops when turned off, and restarts with the new settings at the stream's next
    // keyframe otherwise. Returns how many streams were stopped or restarted.
    int reload_vhost(const std::string& vhost) {
        // A restart does not create or destroy handlers; copy anyway, it is not per message.
        std::vector<Handler*> handlers = handlers_;
        int n = 0;
        for (Handler* h : handlers) {
            if (h->vhost() == vhost && h->publishing()) {
                h->restart();
                n++;
            }
        }
        return n;
    }

    // The output of a stream url ("vhost/app/stream"), null when unknown.
    Output* find(const std::string& url) const {
        auto it = streams_.find(url);
        return it == streams_.end() ? nullptr : it->second.output.get();
    }
    int size() const { return (int)streams_.size(); }
    const char* name() const { return name_; }

public:
    // For the handlers.
    srs_error_t on_publish(const std::string& url, const std::string& vhost, const std::string& app,
                           const std::string& stream, const Config& config, Output** out) {
        srs_error_t err = srs_success;
        Stream& s = streams_[url];
        if (!s.output) {
            s.output = create_output(vhost, app, stream);
        }
        if ((err = s.output->on_publish(config)) != srs_success) {
            s.unpublished_at = srs_update_system_time();
            return err;
        }
        s.unpublished_at = 0;
        *out = s.output.get();
        return srs_success;
    }
    void on_unpublish(const std::string& url) {
        auto it = streams_.find(url);
        if (it == streams_.end()) {
            return;
        }
        srs_utime_t now = srs_update_system_time();
        srs_error_t err = unpublish_output(*it->second.output, now);
        if (err != srs_success) {
            srs_warn("%s: unpublish %s: %s", name_, url.c_str(), srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
        it->second.unpublished_at = now;
    }

protected:
    // The output's section of a vhost from a config snapshot.
    virtual Config load_config(const SrsConfig& conf, const std::string& vhost) const = 0;
    // A stream's first publish: its output, which lives until it is disposed of.
    virtual std::unique_ptr<Output> create_output(const std::string& vhost, const std::string& app,
                                                  const std::string& stream) = 0;
    // The publish ended at now (the outputs differ in what they need to close their files).
    virtual srs_error_t unpublish_output(Output& output, srs_utime_t now) = 0;

protected:
    struct Stream {
        std::unique_ptr<Output> output;
        // When the last publish ended (system time); 0 while publishing.
        srs_utime_t unpublished_at = 0;
    };
    std::map<std::string, Stream> streams_;

private:
    const char* name_;
    srs_utime_t sweep_interval_;
    srs_utime_t ram_dispose_;
    std::shared_ptr<const SrsConfig> config_;
    Config fixed_;
    bool has_fixed_ = false;
    std::unique_ptr<SrsCoroutine> trd_;
    // Every source's handler (each removes itself when destroyed), for reload_vhost().
    friend Handler;
    std::vector<Handler*> handlers_;
};

// Follows one source for an output: starts the stream's output on publish when the output is
// enabled for the vhost then, and feeds it; the feature decides what a failure does.
template <class Output, class Config>
class SrsSegmentedOutputHandler : public ISrsLiveSourceHandler {
public:
    using Server = SrsSegmentedOutputServer<Output, Config>;

    // source may be null (tests); it owns this handler, so it outlives it.
    SrsSegmentedOutputHandler(Server* server, const std::string& vhost, const std::string& app,
                              const std::string& stream, SrsLiveSource* source)
        : server_(server), name_(server->name()), vhost_(vhost), app_(app), stream_(stream), source_(source) {
        url_ = srs_live_stream_url(vhost, app, stream);
        server_->handlers_.push_back(this);
    }
    ~SrsSegmentedOutputHandler() override {
        if (!server_) {
            return;
        }
        stop();
        std::vector<SrsSegmentedOutputHandler*>& v = server_->handlers_;
        v.erase(std::remove(v.begin(), v.end(), this), v.end());
    }
    SRS_DISALLOW_COPY(SrsSegmentedOutputHandler);

public:
    srs_error_t on_publish() override {
        publishing_ = true;
        wait_keyframe_ = false;
        return start();
    }
    void on_unpublish() override {
        publishing_ = false;
        wait_keyframe_ = false;
        stop();
    }
    srs_error_t on_audio(const SrsMediaMessage& msg) override {
        if (!output_) {
            return srs_success;
        }
        // After a restart, audio waits for the first video keyframe (headers pass).
        if (wait_keyframe_ && !msg.is_audio_sequence_header()) {
            return srs_success;
        }
        srs_error_t err = write_audio(*output_, msg);
        if (err != srs_success) {
            return fail(std::move(err), "audio");
        }
        return srs_success;
    }
    srs_error_t on_video(const SrsMediaMessage& msg) override {
        if (!output_) {
            return srs_success;
        }
        if (wait_keyframe_ && !msg.is_video_sequence_header()) {
            if (!msg.is_keyframe()) {
                return srs_success;
            }
            wait_keyframe_ = false;
        }
        srs_error_t err = write_video(*output_, msg);
        if (err != srs_success) {
            return fail(std::move(err), "video");
        }
        return srs_success;
    }
    // Whether the output runs for the current publish.
    bool active() const { return output_ != nullptr; }
    int64_t nb_errors() const { return nb_errors_; }
    const std::string& vhost() const { return vhost_; }
    // Whether the source publishes (whether the output runs or not).
    bool publishing() const { return publishing_; }
    // Whether a restart waits for a video keyframe before the output gets frames.
    bool waiting_keyframe() const { return wait_keyframe_; }
    // A reload changed the vhost's section: stop, and start again with the new settings (when
    // enabled) from the source's sequence headers and its next keyframe. A no-op when the
    // source does not publish.
    void restart() {
        if (!publishing_) {
            return;
        }
        bool was_active = active();
        srs_error_t err = start();
        if (err != srs_success) {
            // A policy that drops the publisher cannot do so from a reload: the output stays off.
            srs_warn("%s: restart %s after reload: %s", name_, url_.c_str(), srs_error_desc(err).c_str());
            srs_error_reset(err);
            stop();
        }
        if (!output_) {
            srs_trace("%s: %s %s by reload", name_, url_.c_str(), was_active ? "stopped" : "stays off");
            return;
        }
        // The publisher sent its sequence headers long ago: give the new output the current
        // ones, and start at the next keyframe so the first segment is decodable on its own.
        wait_keyframe_ = false;
        if (source_) {
            const SrsMediaMessage& vsh = source_->video_sequence_header();
            const SrsMediaMessage& ash = source_->audio_sequence_header();
            wait_keyframe_ = vsh.payload != nullptr;
            if (vsh.payload && (err = write_video(*output_, vsh)) != srs_success) {
                on_header_error(std::move(err), "video");
            }
            if (ash.payload && (err = write_audio(*output_, ash)) != srs_success) {
                on_header_error(std::move(err), "audio");
            }
        }
        srs_trace("%s: %s %s by reload, segments start at the next keyframe", name_, url_.c_str(),
                  was_active ? "restarted" : "started");
    }
    // The server is going away before the source: the output stops, nothing calls back.
    void detach() {
        server_ = nullptr;
        output_ = nullptr;
    }

protected:
    virtual srs_error_t write_audio(Output& output, const SrsMediaMessage& msg) = 0;
    virtual srs_error_t write_video(Output& output, const SrsMediaMessage& msg) = 0;
    // A failed write (nb_errors() counts it already); an error returned drops the publisher.
    virtual srs_error_t on_error(srs_error_t err, const char* what) = 0;
    // The output's section in force for this publish (enabled), before the output starts.
    virtual void on_config(const Config& /*config*/) {}
    // The output did not start for this publish; an error returned refuses the publish.
    virtual srs_error_t on_start_error(srs_error_t err) = 0;
    // A sequence header given again after a reload failed.
    virtual void on_header_error(srs_error_t err, const char* what) = 0;

protected:
    srs_error_t fail(srs_error_t err, const char* what) {
        nb_errors_++;
        return on_error(std::move(err), what);
    }
    // Logs a failure and goes on: a failing disk fails every frame, so only the first ones
    // and then one in sample are logged.
    void warn_and_continue(srs_error_t err, const char* what, int64_t sample) {
        if (nb_errors_ <= 3 || nb_errors_ % sample == 0) {
            srs_warn("%s: %s of %s failed (%lld errors), continue: %s", name_, what, url_.c_str(),
                     (long long)nb_errors_, srs_error_desc(err).c_str());
        }
        srs_error_reset(err);
    }
    void stop() {
        if (!output_ || !server_) {
            return;
        }
        output_ = nullptr;
        server_->on_unpublish(url_);
    }
    const std::string& url() const { return url_; }
    const char* name() const { return name_; }

private:
    srs_error_t start() {
        srs_error_t err = srs_success;
        stop();
        nb_errors_ = 0;
        if (!server_) {
            return err;
        }
        Config config = server_->config_of(vhost_);
        if (!config.enabled) {
            return srs_success;
        }
        on_config(config);
        Output* output = nullptr;
        if ((err = server_->on_publish(url_, vhost_, app_, stream_, config, &output)) != srs_success) {
            return on_start_error(std::move(err));
        }
        output_ = output;
        return srs_success;
    }

private:
    Server* server_;
    const char* name_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
    SrsLiveSource* source_;
    bool publishing_ = false;
    bool wait_keyframe_ = false;
    // The stream's output (owned by the server) while it runs for this publish.
    Output* output_ = nullptr;
    int64_t nb_errors_ = 0;
};
