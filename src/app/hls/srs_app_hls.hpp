// The HLS feature: follows each live source through a source handler (the hub knows nothing
// of HLS), keeps one SrsHlsMuxer per stream from its first publish until its files are
// disposed of, holds the RAM files the HTTP server serves, and applies hls_on_error.
#pragma once

#include <srs_app_hls_muxer.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_core_st.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;
class SrsHlsSourceHandler;

// The hls section of a vhost from a config snapshot.
SrsHlsConfig srs_hls_config_load(const SrsConfig& conf, const std::string& vhost);

// With hls_dispose 0 the disk files stay forever, but RAM segments of a stream that stopped
// are freed after this long.
#define SRS_HLS_RAM_DEFAULT_DISPOSE (120 * SRS_UTIME_SECONDS)
#define SRS_HLS_SWEEP_INTERVAL (1 * SRS_UTIME_SECONDS)

// The HLS of all streams. Registered with SrsLiveSourceManager as a handler factory; each
// source gets a thin handler that forwards to the stream's muxer here, so a stream's files and
// sequence numbers outlive its source until hls_dispose.
class SrsHlsServer : public ISrsLiveSourceHandlerFactory, public ISrsCoroutineHandler {
public:
    SrsHlsServer();
    ~SrsHlsServer() override;
    SRS_DISALLOW_COPY(SrsHlsServer);

public:
    // The config snapshot read at each publish (set at start and on reload).
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    // Overrides the config file, for tests: every vhost gets this hls section.
    void set_fixed_config(const SrsHlsConfig& c) {
        fixed_ = c;
        has_fixed_ = true;
    }
    // The http_hooks on_hls / on_hls_notify implementation; not owned, may be null.
    void set_hooks(ISrsHlsHooks* hooks) { hooks_ = hooks; }
    // The hls section in force for a vhost now.
    SrsHlsConfig config_of(const std::string& vhost) const;

    // Starts the coroutine that disposes of stopped streams.
    srs_error_t start();
    void stop();
    srs_error_t cycle() override;
    // Disposes of streams unpublished for hls_dispose (RAM after SRS_HLS_RAM_DEFAULT_DISPOSE
    // when hls_dispose is 0), and forgets them. Returns how many were disposed of.
    int sweep(srs_utime_t now);
    // Disposes of every stream's files that is not publishing (for quit and tests).
    void dispose_all();

    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

    // Applies a reload of a vhost's hls section (set_config first) to its publishing streams:
    // HLS stops when turned off, and restarts with the new settings at the stream's next
    // keyframe otherwise. Returns how many streams were stopped or restarted.
    int reload_vhost(const std::string& vhost);

public:
    // The RAM files ("/live/s.m3u8", "/live/s-1.ts"), for the HTTP server.
    SrsHlsMemoryStore* store() { return &store_; }
    // The muxer of a stream url ("vhost/app/stream"), null when unknown.
    SrsHlsMuxer* find(const std::string& url) const;
    int size() const { return (int)streams_.size(); }

public:
    // For the handlers.
    srs_error_t on_publish(const std::string& url, const std::string& vhost, const std::string& app,
                           const std::string& stream, const SrsHlsConfig& config, SrsHlsMuxer** out);
    void on_unpublish(const std::string& url);

private:
    struct Stream {
        std::unique_ptr<SrsHlsMuxer> muxer;
        // When the last publish ended (system time); 0 while publishing.
        srs_utime_t unpublished_at = 0;
    };
    std::map<std::string, Stream> streams_;
    SrsHlsMemoryStore store_;
    std::shared_ptr<const SrsConfig> config_;
    SrsHlsConfig fixed_;
    bool has_fixed_ = false;
    ISrsHlsHooks* hooks_ = nullptr;
    std::unique_ptr<SrsCoroutine> trd_;
    // Every source's handler (each removes itself when destroyed), for reload_vhost().
    friend class SrsHlsSourceHandler;
    std::vector<SrsHlsSourceHandler*> handlers_;
};

// Follows one source for HLS: starts the stream's muxer on publish when hls is enabled for
// the vhost then, feeds it, and applies hls_on_error to its failures.
class SrsHlsSourceHandler : public ISrsLiveSourceHandler {
public:
    // source may be null (tests); it owns this handler, so it outlives it.
    SrsHlsSourceHandler(SrsHlsServer* server, const std::string& vhost, const std::string& app,
                        const std::string& stream, SrsLiveSource* source = nullptr);
    ~SrsHlsSourceHandler() override;
    SRS_DISALLOW_COPY(SrsHlsSourceHandler);

public:
    srs_error_t on_publish() override;
    void on_unpublish() override;
    srs_error_t on_audio(const SrsMediaMessage& msg) override;
    srs_error_t on_video(const SrsMediaMessage& msg) override;
    // Whether HLS runs for the current publish.
    bool active() const { return muxer_ != nullptr; }
    int64_t nb_errors() const { return nb_errors_; }
    const std::string& vhost() const { return vhost_; }
    // Whether the source publishes (whether HLS runs or not).
    bool publishing() const { return publishing_; }
    // A reload changed the vhost's hls: stop HLS, and start it again with the new settings
    // (when enabled) from the source's sequence headers and its next keyframe. A no-op when
    // the source does not publish.
    void restart();
    // Whether a restart waits for a video keyframe before the muxer gets frames.
    bool waiting_keyframe() const { return wait_keyframe_; }
    // The server is going away before the source: HLS stops, nothing calls back.
    void detach();

private:
    srs_error_t on_error(srs_error_t err, const char* what);
    srs_error_t start();
    void stop();

private:
    SrsHlsServer* server_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
    SrsLiveSource* source_;
    bool publishing_ = false;
    bool wait_keyframe_ = false;
    SrsHlsOnError on_error_ = SrsHlsOnError::Continue;
    // The stream's muxer (owned by the server) while HLS runs for this publish.
    SrsHlsMuxer* muxer_ = nullptr;
    int64_t nb_errors_ = 0;
};
