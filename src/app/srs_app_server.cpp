#include <srs_app_server.hpp>

#include <srs_app_config.hpp>
#include <srs_app_exporter.hpp>
#include <srs_app_http_conn.hpp>
#include <srs_app_kbps.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <unistd.h>

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

    std::string pid = config_->get_string("pid");
    if (!pid.empty() && (err = pid_.acquire(pid)) != srs_success) {
        return srs_error_wrap(err, "pid file");
    }

    // Each connection needs a socket, plus files for HLS/DVR and a margin for listeners.
    int max_connections = (int)config_->get_int("max_connections");
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
    if ((err = signals_.start()) != srs_success) {
        return srs_error_wrap(err, "signals");
    }
    if ((err = initialize_api()) != srs_success) {
        return srs_error_wrap(err, "api");
    }
    if ((err = listen()) != srs_success) {
        return srs_error_wrap(err, "listen");
    }
    return err;
}

srs_error_t SrsServer::listen() {
    srs_error_t err = srs_success;
    if ((err = listen_endpoints(config_->get_strings("listen"), "rtmp", SrsListenerRtmp)) != srs_success) {
        return err;
    }
    if (config_->get_bool("http_api.enabled")) {
        if ((err = listen_endpoints(config_->get_strings("http_api.listen"), "http-api", SrsListenerHttpApi)) !=
            srs_success) {
            return err;
        }
    }
    if (config_->get_bool("http_server.enabled")) {
        if ((err = listen_endpoints(config_->get_strings("http_server.listen"), "http-server",
                                    SrsListenerHttpServer)) != srs_success) {
            return err;
        }
    }
    if (config_->get_bool("exporter.enabled")) {
        if ((err = listen_endpoints(config_->get_strings("exporter.listen"), "exporter", SrsListenerExporter)) !=
            srs_success) {
            return err;
        }
    }
    return err;
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
    int max_connections = (int)config_->get_int("max_connections");
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

void SrsServer::do_reload() {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_file(config_->path(), &conf);
    if (err) {
        srs_error("reload failed, keep the running config: %s", srs_error_desc(err).c_str());
        return;
    }
    std::vector<std::string> changes = SrsConfig::diff(*config_, *conf);
    srs_trace("reload: config %s parsed, %d sections changed: %s", conf->path().c_str(), (int)changes.size(),
              srs_string_join(changes, ",").c_str());
    apply_api(conf);
}

// --- `api`: statistics, HTTP API and exporter. ---

srs_error_t SrsServer::initialize_api() {
    srs_error_t err = srs_success;
    stat_ = std::make_unique<SrsStatistic>();
    sysinfo_ = std::make_unique<SrsSystemInfo>();
    stat_->set_config(&stat_config_);
    // A connection that ends leaves the statistics before it is destroyed.
    conns_.subscribe(stat_.get());

    api_ = std::make_unique<SrsHttpApi>(stat_.get(), sysinfo_.get(), this);
    if ((err = api_->initialize()) != srs_success) {
        return srs_error_wrap(err, "http api");
    }
    exporter_ = std::make_unique<SrsExporter>(stat_.get(), sysinfo_.get());
    if ((err = exporter_->initialize()) != srs_success) {
        return srs_error_wrap(err, "exporter");
    }
    apply_api(config_);

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
    stat_->set_server_id(conf->get_string("server_id"));
    std::vector<std::string> disks = conf->get_strings("stats.disk");
    sysinfo_->set_disk_devices(std::set<std::string>(disks.begin(), disks.end()));
    stat_config_.set_config(conf);
    api_->set_options(srs_http_api_options(*conf));
    exporter_->set_options(srs_exporter_options(*conf));
}

ISrsConnection* SrsServer::find_connection(const std::string& cid) {
    return conns_.find(cid);
}

srs_error_t SrsServer::reload() {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_file(config_->path(), &conf);
    if (err) {
        return srs_error_wrap(err, "reload %s", config_->path().c_str());
    }
    on_signal(SIGHUP);
    return srs_success;
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

void SrsServer::do_graceful_quit() {
    srs_utime_t wait = config_->get_duration("grace_final_wait");
    srs_trace("graceful quit: stop accepting, wait up to %dms for %d connections", srsu2msi(wait), (int)conns_.size());
    for (auto& l : listeners_) {
        l->close();
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
            do_reload();
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
    pid_.release();
    srs_trace("server quit");
    return srs_success;
}
