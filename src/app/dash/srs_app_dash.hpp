// The DASH feature: follows each live source through a source handler (the hub knows nothing of
// DASH), keeps one SrsDashSegmenter per stream from its first publish until its files are
// disposed of (dash_dispose), and restarts a publishing stream's DASH when a reload changes its
// vhost's dash section.
#pragma once

#include <srs_app_dash_segmenter.hpp>
#include <srs_app_dash_store.hpp>
#include <srs_app_segmented_output.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;

// The dash section of a vhost from a config snapshot.
SrsDashConfig srs_dash_config_load(const SrsConfig& conf, const std::string& vhost);

#define SRS_DASH_SWEEP_INTERVAL (1 * SRS_UTIME_SECONDS)
// With dash_dispose 0 the disk files stay forever, but the RAM files of a stream that stopped
// are freed after this long.
#define SRS_DASH_RAM_DEFAULT_DISPOSE (120 * SRS_UTIME_SECONDS)

// The DASH of all streams (the shared skeleton in srs_app_segmented_output.hpp); each source
// gets a thin handler that forwards to the stream's segmenter here, so a stream's files outlive
// its source until dash_dispose.
class SrsDashServer : public SrsSegmentedOutputServer<SrsDashSegmenter, SrsDashConfig> {
public:
    SrsDashServer();
    ~SrsDashServer() override;
    SRS_DISALLOW_COPY(SrsDashServer);

public:
    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

    // The RAM files (dash_storage ram|both); the HTTP server's mux takes it as a hijacker.
    SrsDashMemoryStore* store() { return &store_; }

protected:
    SrsDashConfig load_config(const SrsConfig& conf, const std::string& vhost) const override;
    std::unique_ptr<SrsDashSegmenter> create_output(const std::string& vhost, const std::string& app,
                                                    const std::string& stream) override;
    srs_error_t unpublish_output(SrsDashSegmenter& segmenter, srs_utime_t now) override;

private:
    // The segmenters point to it: the destructor frees them first.
    SrsDashMemoryStore store_;
};

// Follows one source for DASH: starts the stream's segmenter on publish when dash is enabled for
// the vhost then, and feeds it. A failure (a full disk) is logged and the stream goes on.
class SrsDashSourceHandler : public SrsSegmentedOutputHandler<SrsDashSegmenter, SrsDashConfig> {
public:
    // source may be null (tests); it owns this handler, so it outlives it.
    SrsDashSourceHandler(SrsDashServer* server, const std::string& vhost, const std::string& app,
                         const std::string& stream, SrsLiveSource* source = nullptr);
    ~SrsDashSourceHandler() override;
    SRS_DISALLOW_COPY(SrsDashSourceHandler);

protected:
    srs_error_t write_audio(SrsDashSegmenter& segmenter, const SrsMediaMessage& msg) override;
    srs_error_t write_video(SrsDashSegmenter& segmenter, const SrsMediaMessage& msg) override;
    srs_error_t on_error(srs_error_t err, const char* what) override;
    srs_error_t on_start_error(srs_error_t err) override;
    void on_header_error(srs_error_t err, const char* what) override;
};
