#include <srs_app_server_module.hpp>

#include <srs_app_config.hpp>
#include <srs_app_coworkers.hpp>
#include <srs_app_dash.hpp>
#include <srs_app_dash_http.hpp>
#include <srs_app_dvr.hpp>
#include <srs_app_dvr_api.hpp>
#include <srs_app_edge.hpp>
#include <srs_app_exec.hpp>
#include <srs_app_exporter.hpp>
#include <srs_app_ffmpeg_api.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_forward.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_hls_hooks.hpp>
#include <srs_app_hls_http.hpp>
#include <srs_app_hls_session.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_ingest.hpp>
#include <srs_app_kbps.hpp>
#include <srs_app_server.hpp>
#include <srs_app_statistic_source.hpp>
#include <srs_app_sysinfo.hpp>
#include <srs_app_transcode.hpp>
#include <srs_core_utility.hpp>

#include <set>

SrsServerModules::~SrsServerModules() {
    while (!modules_.empty()) {
        modules_.pop_back();
    }
}

// --- `api` ---

SrsApiModule::SrsApiModule(SrsServer* server) : server_(server) {}

SrsApiModule::~SrsApiModule() = default;

srs_error_t SrsApiModule::initialize() {
    srs_error_t err = srs_success;
    stat_ = std::make_unique<SrsStatistic>();
    sysinfo_ = std::make_unique<SrsSystemInfo>();
    stat_->set_config(&stat_config_);
    // A connection that ends leaves the statistics before it is destroyed.
    server_->conns().subscribe(stat_.get());
    // Streams' publish, codecs and frames come from the source hub.
    stat_factory_ = std::make_unique<SrsStatisticSourceFactory>(stat_.get());
    server_->sources().add_handler_factory(stat_factory_.get());

    api_ = std::make_unique<SrsHttpApi>(stat_.get(), sysinfo_.get(), server_);
    if ((err = api_->initialize()) != srs_success) {
        return srs_error_wrap(err, "http api");
    }
    exporter_ = std::make_unique<SrsExporter>(stat_.get(), sysinfo_.get());
    if ((err = exporter_->initialize()) != srs_success) {
        return srs_error_wrap(err, "exporter");
    }
    apply(server_->config());

    // Byte rates every second (cheap: counters only); /proc every 5 s so CPU percentages
    // cover a useful interval. Both sample once now, so the first API call has numbers.
    stat_sampler_ = std::make_unique<SrsSampler>(SRS_UTIME_SECONDS);
    stat_sampler_->add(stat_.get());
    sys_sampler_ = std::make_unique<SrsSampler>(5 * SRS_UTIME_SECONDS);
    sys_sampler_->add(sysinfo_.get());
    if ((err = stat_sampler_->start()) != srs_success) {
        return srs_error_wrap(err, "stat sampler");
    }
    if ((err = sys_sampler_->start()) != srs_success) {
        return srs_error_wrap(err, "sysinfo sampler");
    }
    return err;
}

void SrsApiModule::apply(std::shared_ptr<SrsConfig> conf) {
    stat_->set_server_id(conf->get(srs_key::server_id));
    std::vector<std::string> disks = conf->get(srs_key::stats_disk);
    sysinfo_->set_disk_devices(std::set<std::string>(disks.begin(), disks.end()));
    stat_config_.set_config(conf);
    api_->set_options(srs_http_api_options(*conf));
    exporter_->set_options(srs_exporter_options(*conf));
}

srs_error_t SrsApiModule::on_reload(SrsReloadContext* ctx) {
    // The server switched to the new snapshot before calling modules.
    apply(server_->config());
    auto note = [ctx](bool changed, const char* section) {
        if (changed) {
            ctx->applied(section);
        }
    };
    note(ctx->changed(srs_key::http_api), "http_api");
    note(ctx->changed(srs_key::exporter), "exporter");
    note(ctx->changed(srs_key::stats), "stats");
    note(ctx->changed(srs_key::server_id), "server_id");
    return srs_success;
}

// --- `hls` ---

SrsHlsModule::SrsHlsModule(SrsServer* server) : server_(server) {}

SrsHlsModule::~SrsHlsModule() = default;

srs_error_t SrsHlsModule::initialize() {
    srs_error_t err = srs_success;
    hls_ = std::make_unique<SrsHlsServer>();
    hls_->set_config(server_->config());
    SrsServer* server = server_;
    hls_hooks_ = std::make_unique<SrsHlsHookWorker>(
        [server]() { return std::shared_ptr<const SrsConfig>(server->config()); }, server_->stat());
    if ((err = hls_hooks_->start()) != srs_success) {
        return srs_error_wrap(err, "hls hooks");
    }
    hls_->set_hooks(hls_hooks_.get());
    if ((err = hls_->start()) != srs_success) {
        return srs_error_wrap(err, "hls dispose timer");
    }
    // The HTTP server's files are HLS's: from RAM or disk, with the players' checks and sessions.
    http_server_ = std::make_unique<SrsHttpServer>(&server_->sources(), [this](const std::string& dir) {
        return std::make_shared<SrsHlsHttpHandler>(dir, hls_->store(), http_server_->streams()->lifecycle(),
                                                   hls_sessions_.get());
    });
    hls_sessions_ = std::make_unique<SrsHlsSessions>(http_server_->streams()->lifecycle());
    if ((err = http_server_->apply(server_->config())) != srs_success) {
        return srs_error_wrap(err, "http server");
    }
    http_server_->streams()->set_stat(server_->stat());
    // HLS player sessions end from their own ticking coroutine when no request comes.
    if ((err = hls_sessions_->start()) != srs_success) {
        return srs_error_wrap(err, "hls sessions");
    }
    server_->sources().add_handler_factory(hls_.get());
    server_->sources().add_handler_factory(http_server_->streams());
    return err;
}

srs_error_t SrsHlsModule::on_reload(SrsReloadContext* ctx) {
    srs_error_t err = srs_success;
    // Each publish reads the hls section it starts with; mounts follow the next publish.
    hls_->set_config(server_->config());
    if ((err = http_server_->apply(server_->config())) != srs_success) {
        return srs_error_wrap(err, "reload http_server");
    }
    if (ctx->changed(srs_key::http_server)) {
        ctx->applied("http_server");
    }
    // Publishing streams follow at once: HLS restarts at the next keyframe, mounts move.
    // (Streams of a removed or disabled vhost were stopped by the vhost reloader.)
    for (const std::string& v : ctx->vhosts_changed()) {
        if (!ctx->to().vhost_enabled(v)) {
            continue;
        }
        if (ctx->vhost_changed(v, srs_key::vhost_hls)) {
            int n = hls_->reload_vhost(v);
            ctx->applied(srs_fmt("vhost:%s:hls(%d streams)", v.c_str(), n));
        }
        if (ctx->vhost_changed(v, srs_key::vhost_http_remux)) {
            int n = http_server_->streams()->remount(v);
            ctx->applied(srs_fmt("vhost:%s:http_remux(%d players off)", v.c_str(), n));
        }
    }
    return err;
}

// --- `dash` ---

SrsDashModule::SrsDashModule(SrsServer* server, SrsHlsModule* hls) : server_(server), hls_(hls) {}

SrsDashModule::~SrsDashModule() {
    // The HLS module's HTTP server outlives this module (modules go in reverse order).
    if (dash_ && hls_->http_server()) {
        hls_->http_server()->mux()->unhijack(dash_->store());
    }
}

srs_error_t SrsDashModule::initialize() {
    srs_error_t err = srs_success;
    dash_ = std::make_unique<SrsDashServer>();
    dash_->set_config(server_->config());
    if ((err = dash_->start()) != srs_success) {
        return srs_error_wrap(err, "dash dispose timer");
    }
    // The MPDs and segments are files under dash_path, which the HTTP server's root serves when
    // it is http_server.dir (the default); the time source the MPDs name is a route of its own.
    if ((err = hls_->http_server()->mux()->handle(SRS_DASH_UTC_TIMING_PATH,
                                                  std::make_shared<SrsDashUtcTimingHandler>())) != srs_success) {
        return srs_error_wrap(err, "dash time source");
    }
    // RAM DASH (dash_storage ram|both) is found before the root handler looks on the disk, with
    // the same players' checks as the files on disk.
    dash_->store()->set_lifecycle(hls_->http_server()->streams()->lifecycle());
    hls_->http_server()->mux()->hijack(dash_->store());
    server_->sources().add_handler_factory(dash_.get());
    return err;
}

srs_error_t SrsDashModule::on_reload(SrsReloadContext* ctx) {
    dash_->set_config(server_->config());
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->to().vhost_enabled(v) && ctx->vhost_changed(v, srs_key::vhost_dash)) {
            int n = dash_->reload_vhost(v);
            ctx->applied(srs_fmt("vhost:%s:dash(%d streams)", v.c_str(), n));
        }
    }
    return srs_success;
}

// --- `dvr` ---

SrsDvrModule::SrsDvrModule(SrsServer* server, SrsHlsModule* hls) : server_(server), hls_(hls) {}

SrsDvrModule::~SrsDvrModule() = default;

srs_error_t SrsDvrModule::initialize() {
    srs_error_t err = srs_success;
    dvr_ = std::make_unique<SrsDvrServer>();
    dvr_->set_config(server_->config());
    dvr_->set_hooks(hls_->hooks(), server_->stat());
    server_->sources().add_handler_factory(dvr_.get());
    // /api/v1/dvrs: list, start and stop recordings (behind the API's CORS and auth).
    SrsHttpApi* api = server_->http_api();
    if ((err = api->mux()->handle("/api/v1/dvrs", std::make_shared<SrsDvrApi>(api->context(), dvr_.get()))) !=
        srs_success) {
        return srs_error_wrap(err, "dvr api");
    }
    return err;
}

srs_error_t SrsDvrModule::on_reload(SrsReloadContext* ctx) {
    // Recording streams keep their settings; the next publish reads the new dvr section.
    dvr_->set_config(server_->config());
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_dvr)) {
            ctx->applied(srs_fmt("vhost:%s:dvr(next publish)", v.c_str()));
        }
    }
    return srs_success;
}

// --- `forward` ---

SrsForwardModule::SrsForwardModule(SrsServer* server) : server_(server) {}

SrsForwardModule::~SrsForwardModule() = default;

srs_error_t SrsForwardModule::initialize() {
    forward_ = std::make_unique<SrsForwardServer>();
    forward_->set_config(server_->config());
    forward_->set_stat(server_->stat());
    server_->sources().add_handler_factory(forward_.get());
    SrsForwardServer* fs = forward_.get();
    srs_error_t err =
        server_->http_api()->add_get_route("/api/v1/forwards", [fs](nlohmann::ordered_json* obj) { fs->dumps(obj); });
    if (err != srs_success) {
        return srs_error_wrap(err, "api /api/v1/forwards");
    }
    return srs_success;
}

srs_error_t SrsForwardModule::on_reload(SrsReloadContext* ctx) {
    // Running forwarders keep their destinations; the next publish reads the new forward section.
    forward_->set_config(server_->config());
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_forward)) {
            ctx->applied(srs_fmt("vhost:%s:forward(next publish)", v.c_str()));
        }
    }
    return srs_success;
}

// --- `ffmpeg` ---

SrsFfmpegModule::SrsFfmpegModule(SrsServer* server) : server_(server) {}

SrsFfmpegModule::~SrsFfmpegModule() = default;

srs_error_t SrsFfmpegModule::initialize() {
    srs_error_t err = srs_success;
    supervisor_ = std::make_unique<SrsProcessSupervisor>();
    if ((err = supervisor_->start()) != srs_success) {
        return srs_error_wrap(err, "process supervisor");
    }
    transcode_ = std::make_unique<SrsTranscodeServer>(supervisor_.get());
    transcode_->set_config(server_->config());
    server_->sources().add_handler_factory(transcode_.get());
    exec_ = std::make_unique<SrsExecServer>(supervisor_.get());
    exec_->set_config(server_->config());
    exec_->set_stat(server_->stat());
    server_->sources().add_handler_factory(exec_.get());
    // Started by on_listening(): they publish to this server.
    ingest_ = std::make_unique<SrsIngestServer>(supervisor_.get());
    SrsHttpApi* api = server_->http_api();
    if ((err = api->mux()->handle("/api/v1/processes", std::make_shared<SrsProcessesApi>(
                                                           api->context(), supervisor_.get(), transcode_.get()))) !=
        srs_success) {
        return srs_error_wrap(err, "api processes");
    }
    return err;
}

void SrsFfmpegModule::on_listening() {
    ingest_->apply(*server_->config());
}

srs_error_t SrsFfmpegModule::on_reload(SrsReloadContext* ctx) {
    transcode_->set_config(server_->config());
    exec_->set_config(server_->config());
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_transcode)) {
            int n = transcode_->reload_vhost(v);
            ctx->applied(srs_fmt("vhost:%s:transcode(%d ffmpeg)", v.c_str(), n));
        }
        if (ctx->vhost_changed(v, srs_key::vhost_exec)) {
            ctx->applied(srs_fmt("vhost:%s:exec(next publish)", v.c_str()));
        }
    }
    // Diffed against what runs: unchanged ingests keep running.
    int n = ingest_->apply(*server_->config());
    if (n > 0) {
        ctx->applied(srs_fmt("ingest(%d ffmpeg)", n));
    }
    return srs_success;
}

void SrsFfmpegModule::on_drain() {
    if (ingest_) {
        ingest_->stop_all();
    }
}

void SrsFfmpegModule::stop() {
    if (supervisor_) {
        ingest_->stop_all();
        supervisor_->stop_all_and_wait();
    }
}

// --- `edge` ---

SrsEdgeModule::SrsEdgeModule(SrsServer* server, SrsForwardModule* forward) : server_(server), forward_(forward) {}

SrsEdgeModule::~SrsEdgeModule() = default;

srs_error_t SrsEdgeModule::initialize() {
    SrsServer* server = server_;
    edge_ = std::make_unique<SrsEdgeServer>([server]() { return server->config(); });
    edge_->set_coworker_lookup(srs_coworkers_lookup);
    edge_->set_forward_server(forward_->forward());
    server_->sources().add_handler_factory(edge_.get());
    auto api = std::make_shared<SrsClusterApi>([server]() { return server->config(); }, &server_->sources(),
                                               edge_.get(), server_->stat());
    srs_error_t err = server_->http_api()->mux()->handle("/api/v1/clusters", api);
    if (err != srs_success) {
        return srs_error_wrap(err, "api handle /api/v1/clusters");
    }
    return srs_success;
}

srs_error_t SrsEdgeModule::on_reload(SrsReloadContext* ctx) {
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_cluster)) {
            ctx->applied(srs_fmt("vhost:%s:cluster(next pull)", v.c_str()));
        }
    }
    return srs_success;
}
