// The server object: owns the config snapshot, listeners, connections and every
// subsystem; runs the main loop and turns signals into reload, log reopen and quit.
#pragma once

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_conn.hpp>
#include <srs_app_front_end.hpp>
#include <srs_app_http_api.hpp>
#include <srs_app_listener.hpp>
#include <srs_app_process.hpp>
#include <srs_app_reload.hpp>
#include <srs_app_server_module.hpp>
#include <srs_app_signal.hpp>
#include <srs_app_source.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsExporter;
class SrsSampler;
class SrsStatisticSourceFactory;
class SrsHlsServer;
class SrsDvrServer;
class SrsForwardServer;
class SrsHlsHookWorker;
class SrsHttpServer;
class SrsLiveSourceManager;
class SrsVhostReloader;
class SrsProcessSupervisor;
class SrsTranscodeServer;
class SrsIngestServer;
class SrsExecServer;
class SrsEdgeServer;

// What a listener serves.
enum SrsListenerKind {
    SrsListenerRtmp = 0,
    SrsListenerHttpApi = 1,
    SrsListenerHttpServer = 2,
    // The Prometheus exporter (exporter.listen).
    SrsListenerExporter = 3,
};

// The one server of the process.
class SrsServer : public ISrsTcpHandler,
                  public ISrsSignalHandler,
                  public ISrsHttpApiServer,
                  public ISrsFrontEndContext {
public:
    explicit SrsServer(std::shared_ptr<SrsConfig> config);
    ~SrsServer() override;
    SRS_DISALLOW_COPY(SrsServer);

public:
    // The running config snapshot; replaced as a whole on reload.
    std::shared_ptr<SrsConfig> config() const override { return config_; }
    SrsConnectionManager& conns() override { return conns_; }
    // The live streams by vhost/app/stream.
    SrsLiveSourceManager& sources() override { return sources_; }
    // Pid file, resource limits, connection manager, signals and listeners.
    srs_error_t initialize();
    // The main loop; returns when the server quits.
    srs_error_t run();
    // The listeners, for tests and the API (bound ports).
    const std::vector<std::unique_ptr<SrsTcpListener>>& listeners() const { return listeners_; }
    // Re-reads the config file and applies what changed (SIGHUP, the raw API). An invalid file
    // leaves the running config untouched and returns the error (with file:line).
    srs_error_t reload() override;
    // The one place subsystems register to apply their sections of a reload.
    void subscribe_reload(ISrsReloadHandler* h);
    void unsubscribe_reload(ISrsReloadHandler* h);

public:
    srs_error_t on_tcp_client(SrsTcpListener* listener, SrsNetFd fd) override;
    void on_signal(int signo) override;

    // --- The features, as modules (srs_app_server_module.hpp) ---
public:
    // The statistics that connections and sources report to (on_client, on_stream_publish...).
    SrsStatistic* stat() override { return api_ ? api_->stat() : nullptr; }
    // Admits the RTMP clients (hooks, security, refer, statistics).
    SrsClientLifecycle& lifecycle() override { return lifecycle_; }
    srs_error_t check_cluster_connect(const SrsConfig& config, const SrsRequest& req) override;
    SrsSystemInfo* sysinfo() { return api_ ? api_->sysinfo() : nullptr; }
    // The HTTP API, where modules add their routes.
    SrsHttpApi* http_api() { return api_ ? api_->api() : nullptr; }
    SrsHlsServer* hls() { return hls_ ? hls_->hls() : nullptr; }
    SrsHttpServer* http_server() { return hls_ ? hls_->http_server() : nullptr; }
    SrsDvrServer* dvr() { return dvr_ ? dvr_->dvr() : nullptr; }
    SrsEdgeServer* edge() { return edge_ ? edge_->edge() : nullptr; }
    SrsForwardServer* forward() { return forward_ ? forward_->forward() : nullptr; }
    SrsProcessSupervisor* supervisor() { return ffmpeg_ ? ffmpeg_->supervisor() : nullptr; }
    SrsTranscodeServer* transcode() { return ffmpeg_ ? ffmpeg_->transcode() : nullptr; }
    SrsIngestServer* ingest() { return ffmpeg_ ? ffmpeg_->ingest() : nullptr; }
    // ISrsHttpApiServer: kicks find connections here; /api/v1/raw?rpc=reload calls reload()
    // above, the same as SIGHUP, and answers its error code.
    ISrsConnection* find_connection(const std::string& cid) override;
    SrsSummaryContext summary_context() override;

private:
    srs_error_t listen();
    srs_error_t listen_endpoints(const std::vector<std::string>& endpoints, const std::string& label, int kind);
    // The endpoints the config asks a kind of listener to serve (none when disabled).
    std::vector<std::string> wanted_endpoints(const SrsConfig& conf, int kind) const;
    // Closes listeners that went away and opens new ones; others (and their connections) stay.
    srs_error_t reload_listeners(SrsReloadContext* ctx);
    void reload_log(SrsReloadContext* ctx);
    void do_graceful_quit();
    srs_error_t create_connection(SrsTcpListener* listener, SrsNetFd fd, std::unique_ptr<ISrsConnection>* out);

private:
    std::shared_ptr<SrsConfig> config_;
    SrsPidFile pid_;
    // The features, in the order they start and reload. Declared before conns_ and sources_
    // so that they outlive every connection and source, which point at them; destroyed in
    // reverse order.
    SrsServerModules modules_;
    SrsApiModule* api_ = nullptr;
    SrsHlsModule* hls_ = nullptr;
    SrsDvrModule* dvr_ = nullptr;
    SrsForwardModule* forward_ = nullptr;
    SrsFfmpegModule* ffmpeg_ = nullptr;
    SrsEdgeModule* edge_ = nullptr;
    // Before conns_: the connections' leases point at it.
    SrsClientLifecycle lifecycle_;
    SrsConnectionManager conns_;
    SrsLiveSourceManager sources_;
    SrsSignalManager signals_;
    std::vector<std::unique_ptr<SrsTcpListener>> listeners_;
    // Disconnects the clients of removed/disabled vhosts and applies play settings to running
    // streams; subscribed first, before the modules.
    std::unique_ptr<SrsVhostReloader> vhost_reloader_;
    std::vector<ISrsReloadHandler*> reload_handlers_;
    SrsCond wakeup_;
    bool reload_ = false;
    bool reopen_log_ = false;
    bool fast_quit_ = false;
    bool graceful_quit_ = false;
};
