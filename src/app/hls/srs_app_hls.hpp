// The HLS feature: follows each live source through a source handler (the hub knows nothing
// of HLS), keeps one SrsHlsMuxer per stream from its first publish until its files are
// disposed of, holds the RAM files the HTTP server serves, and applies hls_on_error.
#pragma once

#include <srs_app_hls_muxer.hpp>
#include <srs_app_segmented_output.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;

// The hls section of a vhost from a config snapshot.
SrsHlsConfig srs_hls_config_load(const SrsConfig& conf, const std::string& vhost);

// With hls_dispose 0 the disk files stay forever, but RAM segments of a stream that stopped
// are freed after this long.
#define SRS_HLS_RAM_DEFAULT_DISPOSE (120 * SRS_UTIME_SECONDS)
#define SRS_HLS_SWEEP_INTERVAL (1 * SRS_UTIME_SECONDS)

// The HLS of all streams (the shared skeleton in srs_app_segmented_output.hpp); each source
// gets a thin handler that forwards to the stream's muxer here, so a stream's files and
// sequence numbers outlive its source until hls_dispose. HLS adds the RAM files, the hooks and
// dispose_all().
class SrsHlsServer : public SrsSegmentedOutputServer<SrsHlsMuxer, SrsHlsConfig> {
public:
    SrsHlsServer();
    ~SrsHlsServer() override;
    SRS_DISALLOW_COPY(SrsHlsServer);

public:
    // The http_hooks on_hls / on_hls_notify implementation; not owned, may be null.
    void set_hooks(ISrsHlsHooks* hooks) { hooks_ = hooks; }
    // Disposes of every stream's files that is not publishing (for quit and tests).
    void dispose_all();

    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

    // The RAM files ("/live/s.m3u8", "/live/s-1.ts"), for the HTTP server.
    SrsHlsMemoryStore* store() { return &store_; }

protected:
    SrsHlsConfig load_config(const SrsConfig& conf, const std::string& vhost) const override;
    std::unique_ptr<SrsHlsMuxer> create_output(const std::string& vhost, const std::string& app,
                                               const std::string& stream) override;
    srs_error_t unpublish_output(SrsHlsMuxer& muxer, srs_utime_t now) override;

private:
    // The muxers point to it: the destructor frees them first.
    SrsHlsMemoryStore store_;
    ISrsHlsHooks* hooks_ = nullptr;
};

// Follows one source for HLS: starts the stream's muxer on publish when hls is enabled for
// the vhost then, feeds it, and applies hls_on_error to its failures.
class SrsHlsSourceHandler : public SrsSegmentedOutputHandler<SrsHlsMuxer, SrsHlsConfig> {
public:
    // source may be null (tests); it owns this handler, so it outlives it.
    SrsHlsSourceHandler(SrsHlsServer* server, const std::string& vhost, const std::string& app,
                        const std::string& stream, SrsLiveSource* source = nullptr);
    ~SrsHlsSourceHandler() override;
    SRS_DISALLOW_COPY(SrsHlsSourceHandler);

protected:
    srs_error_t write_audio(SrsHlsMuxer& muxer, const SrsMediaMessage& msg) override;
    srs_error_t write_video(SrsHlsMuxer& muxer, const SrsMediaMessage& msg) override;
    srs_error_t on_error(srs_error_t err, const char* what) override;
    void on_config(const SrsHlsConfig& config) override { on_error_ = config.on_error; }
    srs_error_t on_start_error(srs_error_t err) override;
    void on_header_error(srs_error_t err, const char* what) override;

private:
    SrsHlsOnError on_error_ = SrsHlsOnError::Continue;
};
