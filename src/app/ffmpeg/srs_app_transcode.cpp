#include <srs_app_transcode.hpp>

#include <srs_app_config.hpp>
#include <srs_app_ffmpeg_args.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_source.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_rtmp_request.hpp>

#include <algorithm>

namespace {

// The key of a publish with this tcUrl and stream name, as the RTMP connection resolves it.
std::string srs_publish_key(const SrsConfig& conf, const std::string& tc_url, const std::string& stream) {
    SrsRequest req;
    req.tcUrl = tc_url;
    srs_error_t err = req.parse_tc_url();
    if (err != srs_success) {
        srs_error_reset(err);
        return "";
    }
    req.set_stream(stream);
    req.strip();
    if (req.stream.empty() || req.app.empty()) {
        return "";
    }
    std::string vhost = conf.resolve_vhost(req.vhost.empty() ? req.host : req.vhost);
    if (vhost.empty()) {
        return "";
    }
    return srs_live_stream_url(vhost, req.app, req.stream);
}

}  // namespace

std::vector<std::string> srs_rtmp_url_stream_keys(const SrsConfig& conf, const std::string& url) {
    std::vector<std::string> keys;
    if (!srs_string_starts_with(srs_string_lower(url), "rtmp://")) {
        return keys;
    }
    auto add = [&keys](const std::string& k) {
        if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) {
            keys.push_back(k);
        }
    };
    // As ffmpeg splits it (libavformat rtmpproto): the app is the first path segment, query
    // included ("live?vhost=v" of SRS's form .../live?vhost=v/stream), the stream the rest.
    size_t path = url.find('/', 7);
    if (path != std::string::npos) {
        size_t slash = url.find('/', path + 1);
        if (slash != std::string::npos) {
            add(srs_publish_key(conf, url.substr(0, slash), url.substr(slash + 1)));
        }
    }
    // As OBS and this server's tools split it: the stream is the last segment before the query.
    std::string tc_url, stream;
    srs_error_t err = srs_rtmp_split_url(url, &tc_url, &stream);
    if (err != srs_success) {
        srs_error_reset(err);
    } else {
        add(srs_publish_key(conf, tc_url, stream));
    }
    return keys;
}

bool srs_transcode_scope_matches(const std::string& scope, const std::string& app, const std::string& stream) {
    return scope.empty() || scope == app || scope == app + "/" + stream;
}

std::vector<SrsTranscodeJob> srs_transcode_jobs(const SrsConfig& conf, const std::string& vhost, const std::string& app,
                                                const std::string& stream, const SrsTranscodeInput* input) {
    std::vector<SrsTranscodeJob> jobs;
    const SrsConfDirective* v = conf.root() ? conf.root()->get("vhost", vhost) : nullptr;
    if (!v) {
        return jobs;
    }
    std::string url = srs_live_stream_url(vhost, app, stream);
    int port = srs_ffmpeg_rtmp_port(conf);
    std::string host = srs_ffmpeg_rtmp_host(conf);
    std::string url_in = srs_fmt("rtmp://%s:%d/%s/%s", host.c_str(), port, app.c_str(), stream.c_str());
    if (vhost != SRS_CONSTS_RTMP_DEFAULT_VHOST) {
        url_in += "?vhost=" + vhost;
    }
    bool http_ts = input && input->kind == SrsTranscodeInputKind::HttpTs;
    if (http_ts) {
        url_in = input->url;
    }
    std::string log_dir = conf.get(srs_key::ff_log_dir);
    std::string log_level = conf.get(srs_key::ff_log_level);

    for (const SrsConfDirective* t : v->get_all("transcode")) {
        if (!srs_transcode_scope_matches(t->arg0(), app, stream) || !conf.block(t, srs_key::vhost_transcode_enabled)) {
            continue;
        }
        std::vector<const SrsConfDirective*> engines = t->get_all("engine");
        for (size_t i = 0; i < engines.size(); i++) {
            SrsFfmpegEngine e = srs_ffmpeg_engine_load(conf, engines[i], srs_engine_keys::transcode);
            if (!e.enabled) {
                continue;
            }
            std::string engine = e.name.empty() ? srs_fmt("engine%d", (int)i) : e.name;
            if (e.output.empty()) {
                srs_warn("transcode %s engine %s: no output, skipped", url.c_str(), engine.c_str());
                continue;
            }
            std::string configured = conf.block(t, srs_key::vhost_transcode_ffmpeg);
            bool fallback = false;
            std::string ffmpeg = srs_resolve_program(configured, &fallback);
            if (ffmpeg.empty()) {
                srs_error("transcode %s engine %s: ffmpeg %s not found (nor ffmpeg in PATH), skipped", url.c_str(),
                          engine.c_str(), configured.c_str());
                continue;
            }
            if (fallback) {
                srs_trace("transcode %s engine %s: %s does not exist, using %s", url.c_str(), engine.c_str(),
                          configured.c_str(), ffmpeg.c_str());
            }
            SrsFfmpegVars vars = {{"[vhost]", vhost},   {"[port]", std::to_string(port)},
                                  {"[app]", app},       {"[stream]", stream},
                                  {"[engine]", e.name}, {"[param]", ""}};
            std::string output = srs_ffmpeg_substitute(e.output, vars);

            SrsTranscodeJob job;
            job.engine = engine;
            job.name = "transcode/" + url + "/" + engine;
            if (http_ts) {
                // The engine's iformat describes the RTMP input (flv).
                e.iformat = "mpegts";
            }
            job.argv = srs_ffmpeg_engine_argv(ffmpeg, log_level, e, true, url_in, output);
            if (http_ts) {
                srs_ffmpeg_insert_before_input(&job.argv, input->options);
            }
            job.log_file = srs_ffmpeg_log_file(log_dir, "transcode", {vhost, app, stream, engine});
            job.output_keys = srs_rtmp_url_stream_keys(conf, output);
            jobs.push_back(std::move(job));
        }
    }
    return jobs;
}

SrsTranscodeServer::SrsTranscodeServer(SrsProcessSupervisor* supervisor) : supervisor_(supervisor) {}

SrsTranscodeServer::~SrsTranscodeServer() = default;

std::unique_ptr<ISrsLiveSourceHandler> SrsTranscodeServer::create_handler(SrsLiveSource* source) {
    return std::make_unique<SrsTranscodeHandler>(this, source->vhost(), source->app(), source->stream());
}

int SrsTranscodeServer::reload_vhost(const std::string& vhost) {
    int n = 0;
    // apply() may stop processes but never yields; still, iterate a copy.
    std::set<SrsTranscodeHandler*> all = handlers_;
    for (SrsTranscodeHandler* h : all) {
        if (h->vhost() == vhost && h->publishing()) {
            n += h->refresh();
        }
    }
    return n;
}

bool SrsTranscodeServer::is_engine_output(const std::string& key) const {
    if (key.empty()) {
        return false;
    }
    for (SrsTranscodeHandler* h : handlers_) {
        if (h->has_output(key)) {
            return true;
        }
    }
    return false;
}

std::vector<SrsTranscodeHeld> SrsTranscodeServer::held() const {
    std::vector<SrsTranscodeHeld> out;
    for (SrsTranscodeHandler* h : handlers_) {
        out.insert(out.end(), h->held().begin(), h->held().end());
    }
    std::sort(out.begin(), out.end(),
              [](const SrsTranscodeHeld& a, const SrsTranscodeHeld& b) { return a.name < b.name; });
    return out;
}

SrsTranscodeHandler::SrsTranscodeHandler(SrsTranscodeServer* server, const std::string& vhost, const std::string& app,
                                         const std::string& stream)
    : server_(server), vhost_(vhost), app_(app), stream_(stream), children_(server->supervisor()) {
    server_->on_handler_create(this);
}

SrsTranscodeHandler::~SrsTranscodeHandler() {
    stop_all();
    server_->on_handler_destroy(this);
}

srs_error_t SrsTranscodeHandler::on_publish() {
    publishing_ = true;
    cid_ = srs_context_get();
    // A republish may bring other codecs.
    codecs_ = SrsTranscodeCodecs();
    codecs_known_ = false;
    input_ = SrsTranscodeInput();
    logged_.clear();
    refresh();
    // A transcoder that cannot start never refuses the publish.
    return srs_success;
}

srs_error_t SrsTranscodeHandler::on_audio(const SrsMediaMessage& msg) {
    on_media(msg);
    return srs_success;
}

srs_error_t SrsTranscodeHandler::on_video(const SrsMediaMessage& msg) {
    on_media(msg);
    return srs_success;
}

void SrsTranscodeHandler::on_media(const SrsMediaMessage& msg) {
    // Once the codecs are known only a new sequence header changes them (a legacy MP3 or
    // Speex stream has none: its codec is what its first frame says).
    if (!publishing_ || (codecs_known_ && !msg.is_sequence_header())) {
        return;
    }
    bool changed = srs_transcode_codecs_update(&codecs_, msg);
    if (!codecs_known_) {
        // The publisher sends every sequence header before its first frame: at the first frame
        // the codecs are known (a track whose sequence header comes later restarts the engines).
        if (msg.is_sequence_header()) {
            return;
        }
        codecs_known_ = true;
        refresh();
    } else if (changed) {
        srs_trace("transcode %s: the codecs changed to %s", srs_live_stream_url(vhost_, app_, stream_).c_str(),
                  codecs_.describe().c_str());
        refresh();
    }
}

int SrsTranscodeHandler::refresh() {
    std::shared_ptr<const SrsConfig> conf = server_->config();
    if (!conf) {
        return 0;
    }
    std::string key = srs_live_stream_url(vhost_, app_, stream_);
    if (server_->is_engine_output(key)) {
        // The output of a transcoder of this server: transcoding it again would loop forever.
        srs_trace("transcode %s: the output of a running engine, not transcoded again", key.c_str());
        held_.clear();
        return stop_all();
    }
    if (!codecs_known_) {
        hold(srs_transcode_jobs(*conf, vhost_, app_, stream_), "waiting",
             "waiting for the stream's first audio/video frame to choose the input by its codecs");
        return 0;
    }
    input_ = srs_transcode_choose_input(*conf, vhost_, app_, stream_, codecs_);
    std::vector<SrsTranscodeJob> jobs = srs_transcode_jobs(*conf, vhost_, app_, stream_, &input_);
    if (input_.kind == SrsTranscodeInputKind::None) {
        int n = stop_all();
        hold(jobs, "unsupported", input_.reason);
        if (!jobs.empty() && logged_ != input_.reason) {
            logged_ = input_.reason;
            srs_warn("transcode %s: not transcoded, %s", key.c_str(), input_.reason.c_str());
        }
        return n;
    }
    held_.clear();
    if (input_.kind == SrsTranscodeInputKind::HttpTs) {
        if (!jobs.empty() && logged_ != input_.reason) {
            logged_ = input_.reason;
            srs_trace("transcode %s: %s", key.c_str(), input_.reason.c_str());
        }
    }
    return apply(jobs);
}

void SrsTranscodeHandler::hold(const std::vector<SrsTranscodeJob>& jobs, const std::string& state,
                               const std::string& reason) {
    held_.clear();
    for (const SrsTranscodeJob& job : jobs) {
        SrsTranscodeHeld h;
        h.name = job.name;
        h.stream = srs_live_stream_url(vhost_, app_, stream_);
        h.cid = cid_;
        h.log_file = job.log_file;
        h.state = state;
        h.reason = reason;
        held_.push_back(std::move(h));
    }
}

void SrsTranscodeHandler::on_unpublish() {
    publishing_ = false;
    held_.clear();
    stop_all();
}

int SrsTranscodeHandler::apply(const std::vector<SrsTranscodeJob>& jobs) {
    std::vector<SrsChildSpec> specs;
    for (const SrsTranscodeJob& job : jobs) {
        SrsChildSpec spec;
        spec.kind = "transcode";
        spec.name = job.name;
        spec.stream = srs_live_stream_url(vhost_, app_, stream_);
        spec.argv = job.argv;
        spec.log_file = job.log_file;
        spec.cid = cid_;
        spec.restart_on_success = true;
        specs.push_back(std::move(spec));
    }
    jobs_ = jobs;
    return children_.apply(std::move(specs));
}

int SrsTranscodeHandler::stop_all() {
    jobs_.clear();
    return children_.stop_all();
}

bool SrsTranscodeHandler::has_output(const std::string& key) const {
    for (const SrsTranscodeJob& job : jobs_) {
        const std::vector<std::string>& keys = job.output_keys;
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
            return true;
        }
    }
    return false;
}
