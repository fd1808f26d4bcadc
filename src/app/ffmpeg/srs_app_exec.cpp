#include <srs_app_exec.hpp>

#include <srs_app_config.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

SrsFfmpegVars srs_exec_vars(const SrsExecContext& c) {
    std::string url = srs_fmt("rtmp://%s:%d/%s/%s", c.host.c_str(), c.port, c.app.c_str(), c.stream.c_str());
    if (c.vhost != SRS_CONSTS_RTMP_DEFAULT_VHOST && !c.vhost.empty()) {
        url += "?vhost=" + c.vhost;
    }
    std::string args = c.param.empty() || c.param[0] != '?' ? c.param : c.param.substr(1);
    return {
        {"[vhost]", c.vhost},   {"[port]", std::to_string(c.port)},
        {"[app]", c.app},       {"[stream]", c.stream},
        {"[tcUrl]", c.tcUrl},   {"[param]", c.param},
        {"[url]", url},         {"[pageUrl]", c.pageUrl},
        {"[swfUrl]", c.swfUrl}, {"[ip]", c.ip},
        {"$name", c.stream},    {"$app", c.app},
        {"$tcurl", c.tcUrl},    {"$args", args},
        {"$addr", c.ip},        {"$pageurl", c.pageUrl},
        {"$swfurl", c.swfUrl},
    };
}

std::vector<std::vector<std::string>> srs_exec_commands(const SrsConfig& conf, const SrsExecContext& c) {
    std::vector<std::vector<std::string>> out;
    const SrsConfDirective* exec = conf.vhost(c.vhost, srs_key::vhost_exec);
    if (!exec || !conf.vhost(c.vhost, srs_key::vhost_exec_enabled)) {
        return out;
    }
    SrsFfmpegVars vars = srs_exec_vars(c);
    for (const SrsConfDirective* line : exec->get_all("publish")) {
        std::vector<std::string> words = line->args();
        if (words.size() == 1) {
            words = srs_ffmpeg_split_command(words[0]);
        }
        if (words.empty()) {
            continue;
        }
        std::vector<std::string> argv;
        for (const std::string& w : words) {
            argv.push_back(srs_ffmpeg_substitute(w, vars));
        }
        bool fallback = false;
        std::string program = srs_resolve_program(argv[0], &fallback);
        if (program.empty()) {
            srs_error("exec %s/%s: %s not found, skipped", c.app.c_str(), c.stream.c_str(), argv[0].c_str());
            continue;
        }
        if (fallback) {
            srs_trace("exec %s/%s: %s does not exist, using %s", c.app.c_str(), c.stream.c_str(), argv[0].c_str(),
                      program.c_str());
        }
        argv[0] = program;
        out.push_back(std::move(argv));
    }
    return out;
}

SrsExecServer::SrsExecServer(SrsProcessSupervisor* supervisor) : supervisor_(supervisor) {}

SrsExecServer::~SrsExecServer() = default;

std::unique_ptr<ISrsLiveSourceHandler> SrsExecServer::create_handler(SrsLiveSource* source) {
    return std::make_unique<SrsExecHandler>(this, source->vhost(), source->app(), source->stream());
}

SrsExecHandler::SrsExecHandler(SrsExecServer* server, const std::string& vhost, const std::string& app,
                               const std::string& stream)
    : server_(server), vhost_(vhost), app_(app), stream_(stream) {}

SrsExecHandler::~SrsExecHandler() {
    stop_all();
}

srs_error_t SrsExecHandler::on_publish() {
    stop_all();
    std::shared_ptr<const SrsConfig> conf = server_->config();
    if (!conf) {
        return srs_success;
    }
    SrsExecContext c;
    c.vhost = vhost_;
    c.app = app_;
    c.stream = stream_;
    c.port = srs_ffmpeg_rtmp_port(*conf);
    c.host = srs_ffmpeg_rtmp_host(*conf);
    SrsStatistic* stat = server_->stat();
    if (stat) {
        SrsStatisticRequest sr;
        sr.vhost = vhost_;
        sr.app = app_;
        sr.stream = stream_;
        SrsStatisticStream* st = stat->find_stream(sr);
        SrsStatisticClient* pub = st && !st->publisher_cid_.empty() ? stat->find_client(st->publisher_cid_) : nullptr;
        if (pub) {
            c.tcUrl = pub->req_.tcUrl;
            c.param = pub->req_.param;
            c.pageUrl = pub->req_.pageUrl;
            c.swfUrl = pub->req_.swfUrl;
            c.ip = pub->req_.ip;
        }
    }
    std::string url = srs_live_stream_url(vhost_, app_, stream_);
    std::vector<std::vector<std::string>> commands = srs_exec_commands(*conf, c);
    for (size_t i = 0; i < commands.size(); i++) {
        SrsChildSpec spec;
        spec.kind = "exec";
        spec.name = srs_fmt("exec/%s/%d", url.c_str(), (int)i);
        spec.stream = url;
        spec.argv = commands[i];
        spec.log_file =
            srs_ffmpeg_log_file(conf->get(srs_key::ff_log_dir), "exec", {vhost_, app_, stream_, std::to_string(i)});
        spec.cid = srs_context_get();
        spec.restart_on_success = false;
        children_.push_back(server_->supervisor()->spawn(std::move(spec)));
    }
    // A command that cannot start never refuses the publish.
    return srs_success;
}

void SrsExecHandler::on_unpublish() {
    stop_all();
}

void SrsExecHandler::stop_all() {
    for (auto& c : children_) {
        server_->supervisor()->stop(c);
    }
    children_.clear();
}
