#include <srs_app_server.hpp>

#include <srs_app_config.hpp>
#include <srs_app_edge.hpp>
#include <srs_app_exporter.hpp>
#include <srs_app_hls_session.hpp>
#include <srs_app_http_conn.hpp>
#include <srs_app_http_server.hpp>
#include <srs_app_rtmp_conn.hpp>
#include <srs_app_source.hpp>
#include <srs_app_vhost.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

SrsServer::SrsServer(std::shared_ptr<SrsConfig> config)
    : config_(std::move(config)),
      lifecycle_([this] { return std::shared_ptr<const SrsConfig>(config_); }, [this] { return stat(); }),
      signals_(this) {}

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

    // The features, in the order they start and reload; a new feature is one more module here.
    api_ = modules_.add(std::make_unique<SrsApiModule>(this));
    hls_ = modules_.add(std::make_unique<SrsHlsModule>(this));
    dvr_ = modules_.add(std::make_unique<SrsDvrModule>(this, hls_));
    modules_.add(std::make_unique<SrsDashModule>(this, hls_));
    forward_ = modules_.add(std::make_unique<SrsForwardModule>(this));
    ffmpeg_ = modules_.add(std::make_unique<SrsFfmpegModule>(this));
    edge_ = modules_.add(std::make_unique<SrsEdgeModule>(this, forward_));
    for (const auto& m : modules_.all()) {
        if ((err = m->initialize()) != srs_success) {
            return srs_error_wrap(err, "%s", m->name());
        }
        subscribe_reload(m.get());
    }

    if ((err = listen()) != srs_success) {
        return srs_error_wrap(err, "listen");
    }
    for (const auto& m : modules_.all()) {
        m->on_listening();
    }
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

srs_error_t SrsServer::check_cluster_connect(const SrsConfig& config, const SrsRequest& req) {
    return srs_edge_check_connect(config, req);
}

srs_error_t SrsServer::create_connection(SrsTcpListener* listener, SrsNetFd fd, std::unique_ptr<ISrsConnection>* out) {
    if (listener->kind() == SrsListenerRtmp) {
        *out = std::make_unique<SrsRtmpConn>(this, std::move(fd));
        return srs_success;
    }
    // The HTTP API and the exporter serve their mux on an HTTP connection.
    if (listener->kind() == SrsListenerHttpApi) {
        *out = std::make_unique<SrsHttpConn>(&conns_, std::move(fd), api_->api()->handler(), "HTTP-API");
        return srs_success;
    }
    if (listener->kind() == SrsListenerExporter) {
        *out = std::make_unique<SrsHttpConn>(&conns_, std::move(fd), api_->exporter()->handler(), "EXPORTER");
        return srs_success;
    }
    // The HTTP server (static files, HLS, HTTP live streams).
    if (listener->kind() == SrsListenerHttpServer) {
        *out = std::make_unique<SrsHttpConn>(&conns_, std::move(fd), hls_->http_server()->handler(), "HTTP");
        return srs_success;
    }

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
    // What never ends by itself (ingests) ends now, so that the connections drain.
    const auto& modules = modules_.all();
    for (auto it = modules.rbegin(); it != modules.rend(); ++it) {
        (*it)->on_drain();
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
    const auto& modules = modules_.all();
    for (auto it = modules.rbegin(); it != modules.rend(); ++it) {
        (*it)->stop();
    }
    pid_.release();
    srs_trace("server quit");
    return srs_success;
}

ISrsConnection* SrsServer::find_connection(const std::string& cid) {
    ISrsConnection* c = conns_.find(cid);
    // HLS players are sessions, not connections: a kick ends the session at its next check.
    if (!c && hls_ && hls_->hls_sessions()) {
        c = hls_->hls_sessions()->find_connection(cid);
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
