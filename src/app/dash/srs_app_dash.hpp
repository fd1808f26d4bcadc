// The DASH feature: follows each live source through a source handler (the hub knows nothing of
// DASH), keeps one SrsDashSegmenter per stream from its first publish until its files are
// disposed of (dash_dispose), and restarts a publishing stream's DASH when a reload changes its
// vhost's dash section.
#pragma once

#include <srs_app_dash_segmenter.hpp>
#include <srs_app_dash_store.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_core_st.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;
class SrsDashSourceHandler;

// The dash section of a vhost from a config snapshot.
SrsDashConfig srs_dash_config_load(const SrsConfig& conf, const std::string& vhost);

#define SRS_DASH_SWEEP_INTERVAL (1 * SRS_UTIME_SECONDS)
// With dash_dispose 0 the disk files stay forever, but the RAM files of a stream that stopped
// are freed after this long.
#define SRS_DASH_RAM_DEFAULT_DISPOSE (120 * SRS_UTIME_SECONDS)

// The DASH of all streams, registered with SrsLiveSourceManager as a handler factory; each
// source gets a thin handler that forwards to the stream's segmenter here, so a stream's files
// outlive its source until dash_dispose.
class SrsDashServer : public ISrsLiveSourceHandlerFactory, public ISrsCoroutineHandler {
public:
    SrsDashServer();
    ~SrsDashServer() override;
    SRS_DISALLOW_COPY(SrsDashServer);

public:
    // The config snapshot read at each publish (set at start and on reload).
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    // Overrides the config file, for tests: every vhost gets this dash section.
    void set_fixed_config(const SrsDashConfig& c) {
        fixed_ = c;
        has_fixed_ = true;
    }
    SrsDashConfig config_of(const std::string& vhost) const;

    // Starts the coroutine that disposes of stopped streams.
    srs_error_t start();
    void stop();
    srs_error_t cycle() override;
    // Disposes of streams unpublished for dash_dispose (RAM after SRS_DASH_RAM_DEFAULT_DISPOSE
    // when dash_dispose is 0), and forgets them. Returns how many.
    int sweep(srs_utime_t now);

    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;
    // A reload changed a vhost's dash section (set_config first): its publishing streams stop
    // DASH or restart it with the new settings at their next keyframe. Returns how many.
    int reload_vhost(const std::string& vhost);

    // The RAM files (dash_storage ram|both); the HTTP server's mux takes it as a hijacker.
    SrsDashMemoryStore* store() { return &store_; }
    // The segmenter of a stream url ("vhost/app/stream"), null when unknown.
    SrsDashSegmenter* find(const std::string& url) const;
    int size() const { return (int)streams_.size(); }

public:
    // For the handlers.
    srs_error_t on_publish(const std::string& url, const std::string& vhost, const std::string& app,
                           const std::string& stream, const SrsDashConfig& config, SrsDashSegmenter** out);
    void on_unpublish(const std::string& url);

private:
    struct Stream {
        std::unique_ptr<SrsDashSegmenter> segmenter;
        // When the last publish ended (system time); 0 while publishing.
        srs_utime_t unpublished_at = 0;
    };
    std::map<std::string, Stream> streams_;
    SrsDashMemoryStore store_;
    std::shared_ptr<const SrsConfig> config_;
    SrsDashConfig fixed_;
    bool has_fixed_ = false;
    std::unique_ptr<SrsCoroutine> trd_;
    friend class SrsDashSourceHandler;
    std::vector<SrsDashSourceHandler*> handlers_;
};

// Follows one source for DASH: starts the stream's segmenter on publish when dash is enabled for
// the vhost then, and feeds it. A failure (a full disk) is logged and the stream goes on.
class SrsDashSourceHandler : public ISrsLiveSourceHandler {
public:
    // source may be null (tests); it owns this handler, so it outlives it.
    SrsDashSourceHandler(SrsDashServer* server, const std::string& vhost, const std::string& app,
                         const std::string& stream, SrsLiveSource* source = nullptr);
    ~SrsDashSourceHandler() override;
    SRS_DISALLOW_COPY(SrsDashSourceHandler);

public:
    srs_error_t on_publish() override;
    void on_unpublish() override;
    srs_error_t on_audio(const SrsMediaMessage& msg) override;
    srs_error_t on_video(const SrsMediaMessage& msg) override;
    bool active() const { return segmenter_ != nullptr; }
    const std::string& vhost() const { return vhost_; }
    bool publishing() const { return publishing_; }
    int64_t nb_errors() const { return nb_errors_; }
    // A reload changed the vhost's dash: stop, and start again with the new settings (when
    // enabled) from the source's sequence headers and its next keyframe.
    void restart();
    // The server is going away before the source: nothing calls back.
    void detach();

private:
    void on_error(srs_error_t err, const char* what);
    void start();
    void stop();

private:
    SrsDashServer* server_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
    SrsLiveSource* source_;
    bool publishing_ = false;
    bool wait_keyframe_ = false;
    SrsDashSegmenter* segmenter_ = nullptr;
    int64_t nb_errors_ = 0;
};
