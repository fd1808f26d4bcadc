#include <srs_app_server.hpp>

#include <srs_app_hls_hooks.hpp>

#include <srs_app_config.hpp>
#include <srs_app_coworkers.hpp>
#include <srs_app_dvr.hpp>
#include <srs_app_dvr_api.hpp>
#include <srs_app_edge.hpp>
#include <srs_app_exec.hpp>
#include <srs_app_exporter.hpp>
#include <srs_app_ffmpeg_api.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_forward.hpp>
#include <srs_app_hls.hpp>
#include <srs_app_http_conn.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_ingest.hpp>
#include <srs_app_kbps.hpp>
#include <srs_app_rtmp_conn.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic_source.hpp>
#include <srs_app_transcode.hpp>
#include <srs_app_vhost.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

SrsServer::SrsServer(std::shared_ptr<SrsConfig> config) : config_(std::move(config)), signals_(this) {}

SrsServer::~SrsServer() {
    for (auto& l : listeners_) {
        l->close();
    }
    conns_.expire_all();
    conns_.dispose();
    pid_.release();
}

srs_error_t SrsServer::initialize() {
    srs_error_t err = srs_success;

    std::string pid = config_->get(srs_key::pid);
    if (!pid.empty() && (err = pid_.acquire(pid)) != srs_success) {
        return srs_error_wrap(err, "pid file");
    }

    // Each connection needs a socket, plus files for HLS/DVR and a margin for listeners.
    int max_connections = (int)config_->get(srs_key::max_connections);
    int obtained = 0;
    if ((err = srs_raise_nofile(max_connections + 128, &obtained)) != srs_success) {
        return srs_error_wrap(err, "raise nofile");
    }
    srs_trace("max_connections=%d, RLIMIT_NOFILE=%d", max_connections, obtained);
    if (obtained < max_connections) {
        srs_warn("RLIMIT_NOFILE %d is below max_connections %d", obtained, max_connections);
    }

    if ((err = conns_.start()) != srs_success) {
        return srs_error_wrap(err, "connection manager");
    }
    if ((err = sources_.start()) != srs_success) {
        return srs_error_wrap(err, "source manager");
    }
    if ((err = signals_.start()) != srs_success) {
        return srs_error_wrap(err, "signals");
    }
    vhost_reloader_ = std::make_unique<SrsVhostReloader>(&sources_);
    subscribe_reload(vhost_reloader_.get());
    if ((err = initialize_api()) != srs_success) {
        return srs_error_wrap(err, "api");
    }
    if ((err = initialize_hls()) != srs_success) {
        return srs_error_wrap(err, "hls");
    }
    if ((err = initialize_dvr()) != srs_success) {
        return srs_error_wrap(err, "dvr");
    }
    if ((err = initialize_forward()) != srs_success) {
        return srs_error_wrap(err, "forward");
    }
    if ((err = initialize_ffmpeg()) != srs_success) {
        return srs_error_wrap(err, "ffmpeg");
    }
    if ((err = initialize_edge()) != srs_success) {
        return srs_error_wrap(err, "edge");
    }
    if ((err = listen()) != srs_success) {
        return srs_error_wrap(err, "listen");
    }
    ingest_->apply(*config_);
    return err;
}

namespace {

const char* srs_listener_label(int kind) {
    switch (kind) {
        case SrsListenerRtmp:
            return "rtmp";
        case SrsListenerHttpApi:
            return "http-api";
        case SrsListenerExporter:
            return "exporter";
        default:
            return "http-server";
    }
}

const int srs_listener_kinds[] = {SrsListenerRtmp, SrsListenerHttpApi, SrsListenerHttpServer, SrsListenerExporter};

}  // namespace

std::vector<std::string> SrsServer::wanted_endpoints(const SrsConfig& conf, int kind) const {
    switch (kind) {
        case SrsListenerRtmp:
            return conf.get(srs_key::listen);
        case SrsListenerHttpApi:
            return conf.get(srs_key::http_api_enabled) ? conf.get(srs_key::http_api_listen)
                                                       : std::vector<std::string>();
        case SrsListenerExporter:
            return conf.get(srs_key::exporter_enabled) ? conf.get(srs_key::exporter_listen)
                                                       : std::vector<std::string>();
        default:
            return conf.get(srs_key::http_server_enabled) ? conf.get(srs_key::http_server_listen)
                                                          : std::vector<std::string>();
    }
}

srs_error_t SrsServer::listen() {
    for (int kind : srs_listener_kinds) {
        srs_error_t err = listen_endpoints(wanted_endpoints(*config_, kind), srs_listener_label(kind), kind);
        if (err) {
            return err;
        }
    }
    return srs_success;
}

srs_error_t SrsServer::listen_endpoints(const std::vector<std::string>& endpoints, const std::string& label, int kind) {
    for (const std::string& ep : endpoints) {
        auto l = std::make_unique<SrsTcpListener>(this, ep, label, kind);
        srs_error_t err = l->listen();
        if (err) {
            return err;
        }
        listeners_.push_back(std::move(l));
    }
    return srs_success;
}

srs_error_t SrsServer::on_tcp_client(SrsTcpListener* listener, SrsNetFd fd) {
    int max_connections = (int)config_->get(srs_key::max_connections);
    if ((int)conns_.size() >= max_connections) {
        srs_warn("drop %s client %s:%d: %d connections reach max_connections=%d", listener->label().c_str(),
                 srs_socket_peer_ip(fd).c_str(), srs_socket_peer_port(fd), (int)conns_.size(), max_connections);
        return srs_success;
    }
    std::unique_ptr<ISrsConnection> conn;
    srs_error_t err = create_connection(listener, std::move(fd), &conn);
    if (err) {
        return srs_error_wrap(err, "create connection");
    }
    return conns_.add(std::move(conn));
}

srs_error_t SrsServer::create_connection(SrsTcpListener* listener, SrsNetFd fd, std::unique_ptr<ISrsConnection>* out) {
    if (listener->kind() == SrsListenerRtmp) {
        *out = std::make_unique<SrsRtmpConn>(this, std::move(fd));
        return srs_success;
    }
    // --- `api`: the HTTP API and the exporter serve their mux on an HTTP connection. ---
    if (listener->kind() == SrsListenerHttpApi) {
        *out = std::make_unique<SrsHttpConn>(&conns_, std::move(fd), api_->handler(), "HTTP-API");
        return srs_success;
    }
    if (listener->kind() == SrsListenerExporter) {
        *out = std::make_unique<SrsHttpConn>(&conns_, std::move(fd), exporter_->handler(), "EXPORTER");
        return srs_success;
    }
    // --- end of `api` ---
    // --- `hls`: the HTTP server (static files, HLS, HTTP live streams). ---
    if (listener->kind() == SrsListenerHttpServer) {
        *out = std::make_unique<SrsHttpConn>(&conns_, std::move(fd), http_server_->handler(), "HTTP");
        return srs_success;
    }
    // --- end of `hls` ---

    return srs_error_new(ERROR_SYSTEM_CONNECTION_LIMIT, "no %s service for client %s", listener->label().c_str(),
                         srs_socket_peer_ip(fd).c_str());
}

void SrsServer::on_signal(int signo) {
    switch (signo) {
        case SIGHUP:
            srs_trace("signal SIGHUP: reload the config");
            reload_ = true;
            break;
        case SIGUSR1:
            srs_trace("signal SIGUSR1: reopen the log file");
            reopen_log_ = true;
            break;
        case SIGTERM:
        case SIGINT:
            srs_trace("signal %s: fast quit", signo == SIGTERM ? "SIGTERM" : "SIGINT");
            fast_quit_ = true;
            break;
        case SIGQUIT:
            srs_trace("signal SIGQUIT: graceful quit");
            graceful_quit_ = true;
            break;
        default:
            srs_trace("signal %d ignored", signo);
            return;
    }
    wakeup_.signal();
}

void SrsServer::subscribe_reload(ISrsReloadHandler* h) {
    if (std::find(reload_handlers_.begin(), reload_handlers_.end(), h) == reload_handlers_.end()) {
        reload_handlers_.push_back(h);
    }
}

void SrsServer::unsubscribe_reload(ISrsReloadHandler* h) {
    reload_handlers_.erase(std::remove(reload_handlers_.begin(), reload_handlers_.end(), h), reload_handlers_.end());
}

srs_error_t SrsServer::reload() {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_file(config_->path(), &conf);
    if (err) {
        return srs_error_wrap(err, "reload %s, keep the running config", config_->path().c_str());
    }
    for (const std::string& w : conf->warnings()) {
        srs_warn("reload: %s", w.c_str());
    }

    SrsReloadContext ctx(config_, conf);
    if (ctx.changes().empty()) {
        srs_trace("reload: %s has no change", conf->path().c_str());
        return srs_success;
    }
    std::vector<std::string> restart = SrsConfig::non_reloadable_changes(*config_, *conf);
    for (const std::string& s : restart) {
        srs_warn("reload: %s changed but is not applied until restart", s.c_str());
    }

    config_ = conf;
    if ((err = reload_listeners(&ctx)) != srs_success) {
        srs_error("reload: listeners: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
    reload_log(&ctx);
    if (ctx.changed(srs_key::max_connections)) {
        ctx.applied("max_connections");
    }
    // Handlers may yield; take a copy in case one subscribes or unsubscribes meanwhile.
    std::vector<ISrsReloadHandler*> handlers = reload_handlers_;
    for (ISrsReloadHandler* h : handlers) {
        if ((err = h->on_reload(&ctx)) != srs_success) {
            srs_error("reload: a subsystem failed to apply: %s", srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
    }
    srs_trace("reload: changed [%s], applied [%s], need restart [%s]", srs_string_join(ctx.changes(), ",").c_str(),
              srs_string_join(ctx.applied_list(), ",").c_str(), srs_string_join(restart, ",").c_str());
    return srs_success;
}

srs_error_t SrsServer::reload_listeners(SrsReloadContext* ctx) {
    srs_error_t err = srs_success;
    for (int kind : srs_listener_kinds) {
        std::vector<std::string> wanted = wanted_endpoints(ctx->to(), kind);
        std::vector<std::string> running;
        for (auto it = listeners_.begin(); it != listeners_.end();) {
            SrsTcpListener* l = it->get();
            if (l->kind() != kind) {
                ++it;
                continue;
            }
            if (std::find(wanted.begin(), wanted.end(), l->endpoint()) == wanted.end()) {
                srs_trace("reload: close %s listener %s", l->label().c_str(), l->endpoint().c_str());
                ctx->applied(std::string(srs_listener_label(kind)) + "-close:" + l->endpoint());
                it = listeners_.erase(it);
                continue;
            }
            running.push_back(l->endpoint());
            ++it;
        }
        std::vector<std::string> added;
        for (const std::string& ep : wanted) {
            if (std::find(running.begin(), running.end(), ep) == running.end()) {
                added.push_back(ep);
            }
        }
        if (added.empty()) {
            continue;
        }
        if ((err = listen_endpoints(added, srs_listener_label(kind), kind)) != srs_success) {
            return srs_error_wrap(err, "reload %s listeners", srs_listener_label(kind));
        }
        for (const std::string& ep : added) {
            ctx->applied(std::string(srs_listener_label(kind)) + "-open:" + ep);
        }
    }
    return err;
}

void SrsServer::reload_log(SrsReloadContext* ctx) {
    if (!ctx->changed(srs_key::srs_log_level) && !ctx->changed(srs_key::srs_log_tank) &&
        !ctx->changed(srs_key::srs_log_file)) {
        return;
    }
    std::string tank = config_->get(srs_key::srs_log_tank);
    srs_logger().configure(srs_log_level_parse(config_->get(srs_key::srs_log_level)),
                           tank == "file" ? config_->get(srs_key::srs_log_file) : "");
    ctx->applied("log");
}

void SrsServer::do_graceful_quit() {
    srs_utime_t wait = config_->get(srs_key::grace_final_wait);
    srs_trace("graceful quit: stop accepting, wait up to %dms for %d connections", srsu2msi(wait), (int)conns_.size());
    for (auto& l : listeners_) {
        l->close();
    }
    // `ffmpeg`: ingests publish over connections that never end by themselves; their streams'
    // transcoders and commands stop with them.
    if (ingest_) {
        ingest_->stop_all();
    }
    srs_utime_t deadline = srs_update_system_time() + wait;
    while (conns_.size() > 0 && srs_update_system_time() < deadline) {
        srs_usleep(100 * SRS_UTIME_MILLISECONDS);
    }
    if (conns_.size() > 0) {
        srs_trace("graceful quit: %d connections left after %dms, closing them", (int)conns_.size(), srsu2msi(wait));
    }
}

srs_error_t SrsServer::run() {
    while (true) {
        wakeup_.wait(SRS_UTIME_SECONDS);
        srs_update_system_time();
        if (fast_quit_) {
            srs_trace("fast quit with %d connections", (int)conns_.size());
            break;
        }
        if (graceful_quit_) {
            do_graceful_quit();
            break;
        }
        if (reload_) {
            reload_ = false;
            srs_error_t err = reload();
            if (err) {
                srs_error("%s", srs_error_desc(err).c_str());
            }
        }
        if (reopen_log_) {
            reopen_log_ = false;
            srs_logger().reopen();
            srs_trace("log file reopened");
        }
    }
    for (auto& l : listeners_) {
        l->close();
    }
    conns_.expire_and_wait(SRS_UTIME_SECONDS);
    // --- `ffmpeg`: SIGTERM every child, SIGKILL after the grace, all reaped. ---
    if (supervisor_) {
        ingest_->stop_all();
        supervisor_->stop_all_and_wait();
    }
    // --- end of `ffmpeg` ---
    pid_.release();
    srs_trace("server quit");
    return srs_success;
}

// --- `api`: statistics, HTTP API and exporter. ---

srs_error_t SrsServer::initialize_api() {
    srs_error_t err = srs_success;
    stat_ = std::make_unique<SrsStatistic>();
    sysinfo_ = std::make_unique<SrsSystemInfo>();
    stat_->set_config(&stat_config_);
    // A connection that ends leaves the statistics before it is destroyed.
    conns_.subscribe(stat_.get());
    // Streams' publish, codecs and frames come from the source hub.
    stat_factory_ = std::make_unique<SrsStatisticSourceFactory>(stat_.get());
    sources_.add_handler_factory(stat_factory_.get());

    api_ = std::make_unique<SrsHttpApi>(stat_.get(), sysinfo_.get(), this);
    if ((err = api_->initialize()) != srs_success) {
        return srs_error_wrap(err, "http api");
    }
    exporter_ = std::make_unique<SrsExporter>(stat_.get(), sysinfo_.get());
    if ((err = exporter_->initialize()) != srs_success) {
        return srs_error_wrap(err, "exporter");
    }
    apply_api(config_);
    subscribe_reload(&api_reloader_);

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

void SrsServer::apply_api(std::shared_ptr<SrsConfig> conf) {
    stat_->set_server_id(conf->get(srs_key::server_id));
    std::vector<std::string> disks = conf->get(srs_key::stats_disk);
    sysinfo_->set_disk_devices(std::set<std::string>(disks.begin(), disks.end()));
    stat_config_.set_config(conf);
    api_->set_options(srs_http_api_options(*conf));
    exporter_->set_options(srs_exporter_options(*conf));
}

srs_error_t SrsServer::reload_api(SrsReloadContext* ctx) {
    // The server switched to the new snapshot before calling handlers.
    apply_api(config());
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

ISrsConnection* SrsServer::find_connection(const std::string& cid) {
    ISrsConnection* c = conns_.find(cid);
    // HLS players are sessions, not connections: a kick ends the session at its next check.
    if (!c && http_server_) {
        c = http_server_->hls_sessions()->find_connection(cid);
    }
    return c;
}

SrsSummaryContext SrsServer::summary_context() {
    SrsSummaryContext c;
    // The command line from /proc/self/cmdline (NUL-separated arguments).
    int fd = ::open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[4096];
        ssize_t n = ::read(fd, buf, sizeof(buf) - 1);
        ::close(fd);
        for (ssize_t i = 0; i < n; i++) {
            c.argv.push_back(buf[i] ? buf[i] : ' ');
        }
        c.argv = srs_string_trim(c.argv);
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd))) {
        c.cwd = cwd;
    }
    c.nb_conn_srs = (int64_t)conns_.size();
    return c;
}

// --- end of `api` ---

// --- `hls`: live sources, HLS, HTTP server and HTTP live streams. ---
srs_error_t SrsServer::initialize_hls() {
    srs_error_t err = srs_success;
    hls_ = std::make_unique<SrsHlsServer>();
    hls_->set_config(config_);
    hls_hooks_ =
        std::make_unique<SrsHlsHookWorker>([this]() { return std::shared_ptr<const SrsConfig>(config_); }, stat_.get());
    if ((err = hls_hooks_->start()) != srs_success) {
        return srs_error_wrap(err, "hls hooks");
    }
    hls_->set_hooks(hls_hooks_.get());
    if ((err = hls_->start()) != srs_success) {
        return srs_error_wrap(err, "hls dispose timer");
    }
    http_server_ = std::make_unique<SrsHttpServer>(&sources_, hls_->store());
    if ((err = http_server_->apply(config_)) != srs_success) {
        return srs_error_wrap(err, "http server");
    }
    http_server_->streams()->set_stat(stat_.get());
    // HLS player sessions end from their own ticking coroutine when no request comes.
    if ((err = http_server_->hls_sessions()->start()) != srs_success) {
        return srs_error_wrap(err, "hls sessions");
    }
    sources_.add_handler_factory(hls_.get());
    sources_.add_handler_factory(http_server_->streams());
    subscribe_reload(&hls_reloader_);
    return err;
}

srs_error_t SrsServer::reload_hls(SrsReloadContext* ctx) {
    srs_error_t err = srs_success;
    // Each publish reads the hls section it starts with; mounts follow the next publish.
    hls_->set_config(config());
    if ((err = http_server_->apply(config())) != srs_success) {
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
// --- end of `hls` ---

// --- `dvr`: recording to FLV/MP4 files, on_dvr made by the hooks worker of HLS, /api/v1/dvrs. ---
srs_error_t SrsServer::initialize_dvr() {
    srs_error_t err = srs_success;
    dvr_ = std::make_unique<SrsDvrServer>();
    dvr_->set_config(config_);
    dvr_->set_hooks(hls_hooks_.get(), stat_.get());
    sources_.add_handler_factory(dvr_.get());
    subscribe_reload(&dvr_reloader_);
    // /api/v1/dvrs: list, start and stop recordings (behind the API's CORS and auth).
    if ((err = api_->mux()->handle("/api/v1/dvrs", std::make_shared<SrsDvrApi>(api_->context(), dvr_.get()))) !=
        srs_success) {
        return srs_error_wrap(err, "dvr api");
    }
    return err;
}

srs_error_t SrsServer::reload_dvr(SrsReloadContext* ctx) {
    // Recording streams keep their settings; the next publish reads the new dvr section.
    dvr_->set_config(config());
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_dvr)) {
            ctx->applied(srs_fmt("vhost:%s:dvr(next publish)", v.c_str()));
        }
    }
    return srs_success;
}
// --- end of `dvr` ---

// --- `edge`: edge pulls, the origin cluster's coworkers and /api/v1/clusters. ---
srs_error_t SrsServer::initialize_edge() {
    edge_ = std::make_unique<SrsEdgeServer>([this]() { return config(); });
    edge_->set_coworker_lookup(srs_coworkers_lookup);
    edge_->set_forward_server(forward_.get());
    sources_.add_handler_factory(edge_.get());
    auto api = std::make_shared<SrsClusterApi>([this]() { return config(); }, &sources_, edge_.get(), stat_.get());
    srs_error_t err = api_->mux()->handle("/api/v1/clusters", api);
    if (err != srs_success) {
        return srs_error_wrap(err, "api handle /api/v1/clusters");
    }
    subscribe_reload(&edge_reloader_);
    return srs_success;
}

srs_error_t SrsServer::reload_edge(SrsReloadContext* ctx) {
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_cluster)) {
            ctx->applied(srs_fmt("vhost:%s:cluster(next pull)", v.c_str()));
        }
    }
    return srs_success;
}
// --- end of `edge` ---

// --- `forward`: pushes published streams to other servers. ---
srs_error_t SrsServer::initialize_forward() {
    forward_ = std::make_unique<SrsForwardServer>();
    forward_->set_config(config_);
    forward_->set_stat(stat_.get());
    sources_.add_handler_factory(forward_.get());
    subscribe_reload(&forward_reloader_);
    SrsForwardServer* fs = forward_.get();
    srs_error_t err = api_->add_get_route("/api/v1/forwards", [fs](nlohmann::ordered_json* obj) { fs->dumps(obj); });
    if (err != srs_success) {
        return srs_error_wrap(err, "api /api/v1/forwards");
    }
    return srs_success;
}

srs_error_t SrsServer::reload_forward(SrsReloadContext* ctx) {
    // Running forwarders keep their destinations; the next publish reads the new forward section.
    forward_->set_config(config());
    for (const std::string& v : ctx->vhosts_changed()) {
        if (ctx->vhost_changed(v, srs_key::vhost_forward)) {
            ctx->applied(srs_fmt("vhost:%s:forward(next publish)", v.c_str()));
        }
    }
    return srs_success;
}
// --- end of `forward` ---
// --- `ffmpeg`: the process supervisor, transcode, ingest and exec. ---
srs_error_t SrsServer::initialize_ffmpeg() {
    srs_error_t err = srs_success;
    supervisor_ = std::make_unique<SrsProcessSupervisor>();
    if ((err = supervisor_->start()) != srs_success) {
        return srs_error_wrap(err, "process supervisor");
    }
    transcode_ = std::make_unique<SrsTranscodeServer>(supervisor_.get());
    transcode_->set_config(config_);
    sources_.add_handler_factory(transcode_.get());
    exec_ = std::make_unique<SrsExecServer>(supervisor_.get());
    exec_->set_config(config_);
    exec_->set_stat(stat_.get());
    sources_.add_handler_factory(exec_.get());
    // Started by initialize() once the listeners are up: they publish to this server.
    ingest_ = std::make_unique<SrsIngestServer>(supervisor_.get());
    if ((err = api_->mux()->handle("/api/v1/processes", std::make_shared<SrsProcessesApi>(
                                                            api_->context(), supervisor_.get()))) != srs_success) {
        return srs_error_wrap(err, "api processes");
    }
    subscribe_reload(&ffmpeg_reloader_);
    return err;
}

srs_error_t SrsServer::reload_ffmpeg(SrsReloadContext* ctx) {
    transcode_->set_config(config());
    exec_->set_config(config());
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
    int n = ingest_->apply(*config());
    if (n > 0) {
        ctx->applied(srs_fmt("ingest(%d ffmpeg)", n));
    }
    return srs_success;
}
// --- end of `ffmpeg` ---
