// The server object: owns the config snapshot, listeners, connections and every
// subsystem; runs the main loop and turns signals into reload, log reopen and quit.
#pragma once

#include <srs_app_conn.hpp>
#include <srs_app_http_api.hpp>
#include <srs_app_listener.hpp>
#include <srs_app_process.hpp>
#include <srs_app_signal.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsExporter;
class SrsSampler;

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
    // Pid file, resource limits, connection manager, signals and listeners.
    srs_error_t initialize();
    // The main loop; returns when the server quits.
    srs_error_t run();
    // The listeners, for tests and the API (bound ports).
    const std::vector<std::unique_ptr<SrsTcpListener>>& listeners() const { return listeners_; }

public:
    srs_error_t on_tcp_client(SrsTcpListener* listener, SrsNetFd fd) override;
    void on_signal(int signo) override;

    // --- Statistics, HTTP API and exporter (helper `api`). ---
public:
    // The statistics that connections and sources report to (on_client, on_stream_publish...).
    SrsStatistic* stat() { return stat_.get(); }
    SrsSystemInfo* sysinfo() { return sysinfo_.get(); }
    // ISrsHttpApiServer: kicks find connections here; /api/v1/raw?rpc=reload reloads like
    // SIGHUP: the config file is checked now (an error is returned to the API) and the
    // reload itself runs in the main loop, as for the signal.
    ISrsConnection* find_connection(const std::string& cid) override;
    srs_error_t reload() override;
    SrsSummaryContext summary_context() override;

private:
    srs_error_t initialize_api();
    // Applies the http_api, exporter and stats sections of a (new) snapshot.
    void apply_api(std::shared_ptr<SrsConfig> conf);
    // --- end of `api` ---

private:
    srs_error_t listen();
    srs_error_t listen_endpoints(const std::vector<std::string>& endpoints, const std::string& label, int kind);
    void do_reload();
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
    SrsConnectionManager conns_;
    SrsSignalManager signals_;
    std::vector<std::unique_ptr<SrsTcpListener>> listeners_;
    SrsCond wakeup_;
    bool reload_ = false;
    bool reopen_log_ = false;
    bool fast_quit_ = false;
    bool graceful_quit_ = false;
};
