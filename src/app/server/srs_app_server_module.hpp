// The server's features as modules: SrsServer initializes, reloads and stops a list of them
// instead of a hand-written initialize_X/reload_X pair per feature. See doc/architecture.md,
// "Modules".
#pragma once

#include <srs_app_http_api.hpp>
#include <srs_app_reload.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsServer;
class SrsStatistic;
class SrsSystemInfo;
class SrsExporter;
class SrsSampler;
class SrsStatisticSourceFactory;
class SrsHlsHookWorker;
class SrsHlsServer;
class SrsDashServer;
class SrsHlsSessions;
class SrsHttpServer;
class SrsDvrServer;
class SrsForwardServer;
class SrsEdgeServer;
class SrsProcessSupervisor;
class SrsTranscodeServer;
class SrsIngestServer;
class SrsExecServer;

// One feature of the server. The server calls every module in the order it registered them:
// initialize() at startup (before the listeners open), on_listening() once they are open,
// on_reload() with each reload (after the vhost reloader), on_drain() when a graceful quit
// starts and stop() when the server quits (these two in reverse order). Modules are destroyed
// in reverse order too, after the connections and the live sources that point at them.
class ISrsServerModule : public ISrsReloadHandler {
public:
    ~ISrsServerModule() override = default;
    // The name its initialize error is wrapped with ("api", "hls", ...).
    virtual const char* name() const = 0;
    // Creates the feature from the running config and plugs it into the hub, the API and the
    // statistics.
    virtual srs_error_t initialize() = 0;
    // The listeners are open: a feature that publishes to this server starts here.
    virtual void on_listening() {}
    // A graceful quit closed the listeners: end what never ends by itself, so that the
    // connections drain.
    virtual void on_drain() {}
    // The connections are gone: stop children and timers.
    virtual void stop() {}
};

// The modules of the server, owned in registration order and destroyed in reverse.
class SrsServerModules {
public:
    SrsServerModules() = default;
    ~SrsServerModules();
    SRS_DISALLOW_COPY(SrsServerModules);

    // Takes the module; returns it, typed, for the server's accessors.
    template <typename T>
    T* add(std::unique_ptr<T> m) {
        T* p = m.get();
        modules_.push_back(std::move(m));
        return p;
    }
    const std::vector<std::unique_ptr<ISrsServerModule>>& all() const { return modules_; }

private:
    std::vector<std::unique_ptr<ISrsServerModule>> modules_;
};

// `api`: statistics, system info, the HTTP API and the Prometheus exporter.
class SrsApiModule : public ISrsServerModule {
public:
    explicit SrsApiModule(SrsServer* server);
    ~SrsApiModule() override;
    SRS_DISALLOW_COPY(SrsApiModule);

    const char* name() const override { return "api"; }
    srs_error_t initialize() override;
    srs_error_t on_reload(SrsReloadContext* ctx) override;

    SrsStatistic* stat() { return stat_.get(); }
    SrsSystemInfo* sysinfo() { return sysinfo_.get(); }
    SrsHttpApi* api() { return api_.get(); }
    SrsExporter* exporter() { return exporter_.get(); }

private:
    // Applies the http_api, exporter and stats sections of a snapshot.
    void apply(std::shared_ptr<SrsConfig> conf);

    SrsServer* server_;
    std::unique_ptr<SrsStatistic> stat_;
    std::unique_ptr<SrsSystemInfo> sysinfo_;
    SrsStatisticConfigView stat_config_;
    std::unique_ptr<SrsHttpApi> api_;
    std::unique_ptr<SrsExporter> exporter_;
    std::unique_ptr<SrsSampler> stat_sampler_;
    std::unique_ptr<SrsSampler> sys_sampler_;
    // The statistics' module on every live source.
    std::unique_ptr<SrsStatisticSourceFactory> stat_factory_;
};

// `hls`: HLS, the HTTP server (static files, HLS, HTTP live streams) and the HLS hooks.
class SrsHlsModule : public ISrsServerModule {
public:
    explicit SrsHlsModule(SrsServer* server);
    ~SrsHlsModule() override;
    SRS_DISALLOW_COPY(SrsHlsModule);

    const char* name() const override { return "hls"; }
    srs_error_t initialize() override;
    // Applies the http_server and vhost hls/http_remux sections.
    srs_error_t on_reload(SrsReloadContext* ctx) override;

    SrsHlsServer* hls() { return hls_.get(); }
    SrsHttpServer* http_server() { return http_server_.get(); }
    // The HLS player sessions (hls_ctx), /api/v1/clients' "hls-play" connections.
    SrsHlsSessions* hls_sessions() { return hls_sessions_.get(); }
    // on_hls/on_hls_notify of the HLS muxers, and on_dvr of the DVR.
    SrsHlsHookWorker* hooks() { return hls_hooks_.get(); }

private:
    SrsServer* server_;
    // Before hls_, which points at it.
    std::unique_ptr<SrsHlsHookWorker> hls_hooks_;
    std::unique_ptr<SrsHlsServer> hls_;
    std::unique_ptr<SrsHttpServer> http_server_;
    // After http_server_, whose lifecycle admits them (and whose "/" handler points here).
    std::unique_ptr<SrsHlsSessions> hls_sessions_;
};

// `dvr`: recording to FLV/MP4 files, /api/v1/dvrs.
class SrsDvrModule : public ISrsServerModule {
public:
    // hls gives the hooks worker that makes on_dvr.
    SrsDvrModule(SrsServer* server, SrsHlsModule* hls);
    ~SrsDvrModule() override;
    SRS_DISALLOW_COPY(SrsDvrModule);

    const char* name() const override { return "dvr"; }
    srs_error_t initialize() override;
    // Gives the DVR the new snapshot: each publish reads the dvr section it starts with.
    srs_error_t on_reload(SrsReloadContext* ctx) override;

    SrsDvrServer* dvr() { return dvr_.get(); }

private:
    SrsServer* server_;
    SrsHlsModule* hls_;
    std::unique_ptr<SrsDvrServer> dvr_;
};

// `dash`: MPEG-DASH live (vhost dash), and its time source on the HTTP server
// (SRS_DASH_UTC_TIMING_PATH), which the HLS module owns.
class SrsDashModule : public ISrsServerModule {
public:
    // hls gives the HTTP server the DASH files and the time source are served by.
    SrsDashModule(SrsServer* server, SrsHlsModule* hls);
    ~SrsDashModule() override;
    SRS_DISALLOW_COPY(SrsDashModule);

    const char* name() const override { return "dash"; }
    srs_error_t initialize() override;
    // Each publish reads the dash section it starts with; publishing streams of a vhost whose
    // dash changed restart at their next keyframe.
    srs_error_t on_reload(SrsReloadContext* ctx) override;

    SrsDashServer* dash() { return dash_.get(); }

private:
    SrsServer* server_;
    SrsHlsModule* hls_;
    std::unique_ptr<SrsDashServer> dash_;
};

// `forward`: pushes published streams to other servers, /api/v1/forwards.
class SrsForwardModule : public ISrsServerModule {
public:
    explicit SrsForwardModule(SrsServer* server);
    ~SrsForwardModule() override;
    SRS_DISALLOW_COPY(SrsForwardModule);

    const char* name() const override { return "forward"; }
    srs_error_t initialize() override;
    // Gives the forwarders the new snapshot: each publish reads the forward section it starts with.
    srs_error_t on_reload(SrsReloadContext* ctx) override;

    SrsForwardServer* forward() { return forward_.get(); }

private:
    SrsServer* server_;
    std::unique_ptr<SrsForwardServer> forward_;
};

// `ffmpeg`: the process supervisor, transcode, ingest and exec, /api/v1/processes.
class SrsFfmpegModule : public ISrsServerModule {
public:
    explicit SrsFfmpegModule(SrsServer* server);
    ~SrsFfmpegModule() override;
    SRS_DISALLOW_COPY(SrsFfmpegModule);

    const char* name() const override { return "ffmpeg"; }
    srs_error_t initialize() override;
    // The ingests publish to this server: they start once it listens.
    void on_listening() override;
    // Transcode engines of publishing streams and ingests follow at once; exec at the next publish.
    srs_error_t on_reload(SrsReloadContext* ctx) override;
    // Ingests publish over connections that never end by themselves; their streams'
    // transcoders and commands stop with them.
    void on_drain() override;
    // SIGTERM every child, SIGKILL after the grace, all reaped.
    void stop() override;

    SrsProcessSupervisor* supervisor() { return supervisor_.get(); }
    SrsTranscodeServer* transcode() { return transcode_.get(); }
    SrsIngestServer* ingest() { return ingest_.get(); }

private:
    SrsServer* server_;
    // The supervisor outlives the features, whose handlers (owned by the sources) stop their
    // children when freed.
    std::unique_ptr<SrsProcessSupervisor> supervisor_;
    std::unique_ptr<SrsTranscodeServer> transcode_;
    std::unique_ptr<SrsIngestServer> ingest_;
    std::unique_ptr<SrsExecServer> exec_;
};

// `edge`: edge pulls, the origin cluster's coworkers and /api/v1/clusters.
class SrsEdgeModule : public ISrsServerModule {
public:
    // forward: an edge forwards what its publishers push to the origin.
    SrsEdgeModule(SrsServer* server, SrsForwardModule* forward);
    ~SrsEdgeModule() override;
    SRS_DISALLOW_COPY(SrsEdgeModule);

    const char* name() const override { return "edge"; }
    srs_error_t initialize() override;
    // The pulls read the cluster section at each connect: a reload applies at the next one.
    srs_error_t on_reload(SrsReloadContext* ctx) override;

    SrsEdgeServer* edge() { return edge_.get(); }

private:
    SrsServer* server_;
    SrsForwardModule* forward_;
    std::unique_ptr<SrsEdgeServer> edge_;
};
