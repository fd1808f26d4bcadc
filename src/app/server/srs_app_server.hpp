// The server object: owns the config snapshot, listeners, connections and every
// subsystem; runs the main loop and turns signals into reload, log reopen and quit.
#pragma once

#include <srs_app_conn.hpp>
#include <srs_app_http_api.hpp>
#include <srs_app_listener.hpp>
#include <srs_app_process.hpp>
#include <srs_app_reload.hpp>
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
class SrsServer : public ISrsTcpHandler, public ISrsSignalHandler, public ISrsHttpApiServer {
public:
    explicit SrsServer(std::shared_ptr<SrsConfig> config);
    ~SrsServer() override;
    SRS_DISALLOW_COPY(SrsServer);

public:
    // The running config snapshot; replaced as a whole on reload.
    std::shared_ptr<SrsConfig> config() const { return config_; }
    SrsConnectionManager& conns() { return conns_; }
    // The live streams by vhost/app/stream.
    SrsLiveSourceManager& sources() { return sources_; }
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

    // --- Statistics, HTTP API and exporter ---
public:
    // The statistics that connections and sources report to (on_client, on_stream_publish...).
    SrsStatistic* stat() { return stat_.get(); }
    SrsSystemInfo* sysinfo() { return sysinfo_.get(); }
    // ISrsHttpApiServer: kicks find connections here; /api/v1/raw?rpc=reload calls reload()
    // above, the same as SIGHUP, and answers its error code.
    ISrsConnection* find_connection(const std::string& cid) override;
    SrsSummaryContext summary_context() override;

private:
    // Applies the api sections of a reload.
    srs_error_t reload_api(SrsReloadContext* ctx);
    srs_error_t initialize_api();
    // Applies the http_api, exporter and stats sections of a snapshot.
    void apply_api(std::shared_ptr<SrsConfig> conf);
    // --- end of `api` ---

    // --- Live sources, HLS, HTTP server and HTTP live streams ---
public:
    SrsHlsServer* hls() { return hls_.get(); }
    SrsHttpServer* http_server() { return http_server_.get(); }

private:
    // Applies the http_server and vhost hls/http_remux sections of a reload.
    srs_error_t reload_hls(SrsReloadContext* ctx);
    srs_error_t initialize_hls();
    // --- end of `hls` ---

    // --- DVR ---
public:
    SrsDvrServer* dvr() { return dvr_.get(); }

private:
    // Gives the DVR the new snapshot: each publish reads the dvr section it starts with.
    srs_error_t reload_dvr(SrsReloadContext* ctx);
    srs_error_t initialize_dvr();
    // --- end of `dvr` ---

    // --- Edge and origin cluster ---
public:
    SrsEdgeServer* edge() { return edge_.get(); }

private:
    // The pulls read the cluster section at each connect: a reload applies at the next one.
    srs_error_t reload_edge(SrsReloadContext* ctx);
    srs_error_t initialize_edge();
    // --- end of `edge` ---

    // --- Forward ---
public:
    SrsForwardServer* forward() { return forward_.get(); }

private:
    // Gives the forwarders the new snapshot: each publish reads the forward section it starts with.
    srs_error_t reload_forward(SrsReloadContext* ctx);
    srs_error_t initialize_forward();
    // --- end of `forward` ---
    // --- ffmpeg: transcode, ingest, exec ---
public:
    SrsProcessSupervisor* supervisor() { return supervisor_.get(); }
    SrsTranscodeServer* transcode() { return transcode_.get(); }
    SrsIngestServer* ingest() { return ingest_.get(); }

private:
    // Transcode engines of publishing streams and ingests follow at once; exec at the next publish.
    srs_error_t reload_ffmpeg(SrsReloadContext* ctx);
    srs_error_t initialize_ffmpeg();
    // --- end of `ffmpeg` ---

private:
    // Runs one of the server's section reloads above; registered with subscribe_reload.
    class SrsSectionReloader : public ISrsReloadHandler {
    public:
        SrsSectionReloader(SrsServer* s, srs_error_t (SrsServer::*apply)(SrsReloadContext*))
            : server_(s), apply_(apply) {}
        srs_error_t on_reload(SrsReloadContext* ctx) override { return (server_->*apply_)(ctx); }

    private:
        SrsServer* server_;
        srs_error_t (SrsServer::*apply_)(SrsReloadContext*);
    };

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
    // Declared before conns_ so they outlive every connection, which points at them (`api`).
    std::unique_ptr<SrsStatistic> stat_;
    std::unique_ptr<SrsSystemInfo> sysinfo_;
    SrsStatisticConfigView stat_config_;
    std::unique_ptr<SrsHttpApi> api_;
    std::unique_ptr<SrsExporter> exporter_;
    std::unique_ptr<SrsSampler> stat_sampler_;
    std::unique_ptr<SrsSampler> sys_sampler_;
    // The statistics' module on every live source (before sources_, which calls it).
    std::unique_ptr<SrsStatisticSourceFactory> stat_factory_;
    SrsSectionReloader api_reloader_{this, &SrsServer::reload_api};
    // `hls`: the features outlive the source manager that calls them and the connections.
    // `hooks`: on_hls/on_hls_notify of the HLS muxers (before hls_, which points at it).
    std::unique_ptr<SrsHlsHookWorker> hls_hooks_;
    std::unique_ptr<SrsHlsServer> hls_;
    std::unique_ptr<SrsHttpServer> http_server_;
    SrsSectionReloader hls_reloader_{this, &SrsServer::reload_hls};
    // `dvr`: outlives the sources, whose handlers finish their files when freed; uses hls_hooks_.
    std::unique_ptr<SrsDvrServer> dvr_;
    SrsSectionReloader dvr_reloader_{this, &SrsServer::reload_dvr};
    // `edge`: the sources' edge handlers point at it.
    std::unique_ptr<SrsEdgeServer> edge_;
    SrsSectionReloader edge_reloader_{this, &SrsServer::reload_edge};
    // `forward`: outlives the sources, whose handlers stop their forwarders when freed.
    std::unique_ptr<SrsForwardServer> forward_;
    SrsSectionReloader forward_reloader_{this, &SrsServer::reload_forward};
    // `ffmpeg`: the supervisor outlives the features, whose handlers (owned by the sources) stop
    // their children when freed.
    std::unique_ptr<SrsProcessSupervisor> supervisor_;
    std::unique_ptr<SrsTranscodeServer> transcode_;
    std::unique_ptr<SrsIngestServer> ingest_;
    std::unique_ptr<SrsExecServer> exec_;
    SrsSectionReloader ffmpeg_reloader_{this, &SrsServer::reload_ffmpeg};
    SrsConnectionManager conns_;
    SrsLiveSourceManager sources_;
    SrsSignalManager signals_;
    std::vector<std::unique_ptr<SrsTcpListener>> listeners_;
    // Disconnects the clients of removed/disabled vhosts and applies play settings to running
    // streams; subscribed first, before the features' handlers.
    std::unique_ptr<SrsVhostReloader> vhost_reloader_;
    std::vector<ISrsReloadHandler*> reload_handlers_;
    SrsCond wakeup_;
    bool reload_ = false;
    bool reopen_log_ = false;
    bool fast_quit_ = false;
    bool graceful_quit_ = false;
};
