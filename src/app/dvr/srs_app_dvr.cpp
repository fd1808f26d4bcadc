#include <srs_app_dvr.hpp>

#include <srs_app_api_context.hpp>
#include <srs_app_config.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_path.hpp>

#include <unistd.h>

#include <algorithm>
#include <climits>

namespace {

std::string handler_key(const std::string& vhost, const std::string& app, const std::string& stream) {
    return vhost + "/" + app + "/" + stream;
}

}  // namespace

SrsDvrConfig srs_dvr_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsDvrConfig c;
    c.enabled = conf.vhost(vhost, srs_key::vhost_dvr_enabled);
    c.apply = conf.vhost(vhost, srs_key::vhost_dvr_dvr_apply);
    if (c.apply.empty()) {
        c.apply.push_back("all");
    }
    std::string plan = conf.vhost(vhost, srs_key::vhost_dvr_dvr_plan);
    c.plan = plan == "segment" ? SrsDvrPlan::Segment : (plan == "append" ? SrsDvrPlan::Append : SrsDvrPlan::Session);
    c.duration = conf.vhost(vhost, srs_key::vhost_dvr_dvr_duration);
    c.wait_keyframe = conf.vhost(vhost, srs_key::vhost_dvr_dvr_wait_keyframe);
    c.path = conf.vhost(vhost, srs_key::vhost_dvr_dvr_path);
    c.jitter = srs_jitter_algorithm_parse(conf.vhost(vhost, srs_key::vhost_dvr_time_jitter));
    return c;
}

const char* srs_dvr_plan_name(SrsDvrPlan plan) {
    switch (plan) {
        case SrsDvrPlan::Segment:
            return "segment";
        case SrsDvrPlan::Append:
            return "append";
        default:
            return "session";
    }
}

bool srs_dvr_apply_matches(const std::vector<std::string>& apply, const std::string& app, const std::string& stream) {
    std::string name = app + "/" + stream;
    for (const std::string& a : apply) {
        if (a == "all" || a == name) {
            return true;
        }
    }
    return false;
}

std::string srs_dvr_path_expand(const std::string& tmpl, const std::string& vhost, const std::string& app,
                                const std::string& stream, srs_utime_t wall) {
    // The same variables as hls_path/hls_ts_file; [seq] and [duration] mean nothing here.
    SrsPathTemplateValues v;
    v.vhost = vhost;
    v.app = app;
    v.stream = stream;
    v.wall = wall;
    return srs_path_template_expand(tmpl, v);
}

bool srs_dvr_segment_should_cut(int64_t elapsed_ms, srs_utime_t duration, bool wait_keyframe, bool has_video,
                                const SrsMediaMessage& msg) {
    if (elapsed_ms * SRS_UTIME_MILLISECONDS < duration) {
        return false;
    }
    if (!wait_keyframe || !has_video) {
        return true;
    }
    return msg.is_keyframe();
}

SrsDvrServer::SrsDvrServer() {
    char buf[PATH_MAX] = {0};
    if (getcwd(buf, sizeof(buf))) {
        cwd_ = buf;
    }
}

SrsDvrServer::~SrsDvrServer() = default;

srs_utime_t SrsDvrServer::now() const {
    return clock_ ? clock_() : srs_get_wall_time();
}

SrsDvrConfig SrsDvrServer::config_of(const std::string& vhost) const {
    if (has_fixed_) {
        return fixed_;
    }
    return config_ ? srs_dvr_config_load(*config_, vhost) : SrsDvrConfig();
}

std::unique_ptr<ISrsLiveSourceHandler> SrsDvrServer::create_handler(SrsLiveSource* source) {
    // Every source gets a handler: whether it records is decided at each publish.
    return std::make_unique<SrsDvrSourceHandler>(this, source->vhost(), source->app(), source->stream());
}

void SrsDvrServer::on_file_done(const SrsDvrFileEvent& ev) {
    nb_files_++;
    srs_trace("dvr: %s/%s/%s file %s complete", ev.vhost.c_str(), ev.app.c_str(), ev.stream.c_str(), ev.file.c_str());
    if (worker_ && config_ && srs_http_hooks_has(*config_, ev.vhost, SrsHookEvent::Dvr)) {
        SrsHookRequest r;
        r.vhost = ev.vhost;
        r.app = ev.app;
        r.stream = ev.stream;
        r.cwd = cwd_;
        r.file = ev.file;
        r.stream_url = srs_generate_stream_url(ev.vhost, ev.app, ev.stream);
        r.client_id = ev.client_id;
        r.ip = ev.ip;
        r.tcUrl = ev.tcUrl;
        if (stat_) {
            r.server_id = stat_->server_id();
            r.service_id = stat_->service_id();
            r.stream_id = srs_hook_stream_id(stat_, ev.vhost, ev.app, ev.stream);
        }
        std::string body = srs_hook_body(SrsHookEvent::Dvr, r);
        srs_utime_t timeout = config_->vhost(ev.vhost, srs_key::vhost_http_hooks_timeout);
        for (const std::string& url : config_->vhost(ev.vhost, srs_key::vhost_http_hooks_on_dvr)) {
            worker_->post("on_dvr", url, body, timeout);
        }
    }
    if (on_file_) {
        on_file_(ev);
    }
}

void SrsDvrServer::fill_publisher(SrsDvrFileEvent* ev) const {
    SrsStatisticRequest sr;
    sr.vhost = ev->vhost;
    sr.app = ev->app;
    sr.stream = ev->stream;
    SrsStatisticStream* st = stat_ ? stat_->find_stream(sr) : nullptr;
    SrsStatisticClient* pub = st && !st->publisher_cid_.empty() ? stat_->find_client(st->publisher_cid_) : nullptr;
    if (pub) {
        ev->client_id = pub->id_;
        ev->ip = pub->req_.ip;
        ev->tcUrl = pub->req_.tcUrl;
    }
}

void SrsDvrServer::add_handler(SrsDvrSourceHandler* h) {
    handlers_[handler_key(h->vhost(), h->app(), h->stream())] = h;
}

void SrsDvrServer::remove_handler(SrsDvrSourceHandler* h) {
    auto it = handlers_.find(handler_key(h->vhost(), h->app(), h->stream()));
    if (it != handlers_.end() && it->second == h) {
        handlers_.erase(it);
    }
}

std::vector<SrsDvrStatus> SrsDvrServer::recordings() const {
    std::vector<SrsDvrStatus> v;
    for (const auto& kv : handlers_) {
        const SrsDvrSourceHandler* h = kv.second;
        if (!h->active()) {
            continue;
        }
        SrsDvrStatus st;
        st.vhost = h->vhost();
        st.app = h->app();
        st.stream = h->stream();
        st.plan = srs_dvr_plan_name(h->config().plan);
        st.by_api = h->by_api();
        if (const SrsDvrFile* f = h->file()) {
            st.file = f->path();
            st.tmp = f->tmp_path();
            st.duration_ms = f->duration_ms();
            st.bytes = f->bytes();
        }
        v.push_back(st);
    }
    return v;
}

srs_error_t SrsDvrServer::control(const std::string& vhost, const std::string& app, const std::string& stream,
                                  bool start) {
    auto it = handlers_.find(handler_key(vhost, app, stream));
    if (it == handlers_.end()) {
        return srs_error_new(ERROR_SOURCE_NOT_FOUND, "dvr: no stream %s/%s/%s", vhost.c_str(), app.c_str(),
                             stream.c_str());
    }
    return start ? it->second->api_start() : it->second->api_stop();
}

SrsDvrSourceHandler::SrsDvrSourceHandler(SrsDvrServer* server, const std::string& vhost, const std::string& app,
                                         const std::string& stream)
    : server_(server), vhost_(vhost), app_(app), stream_(stream) {
    server_->add_handler(this);
}

SrsDvrSourceHandler::~SrsDvrSourceHandler() {
    server_->remove_handler(this);
    srs_error_t err = close_file();
    if (err != srs_success) {
        srs_error("dvr %s/%s: %s", app_.c_str(), stream_.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
}

srs_error_t SrsDvrSourceHandler::on_publish() {
    // A previous publish's file was finished at its unpublish; be safe anyway.
    srs_error_t err = close_file();
    if (err != srs_success) {
        fail(std::move(err));
    }
    config_ = server_->config_of(vhost_);
    meta_ = SrsMediaMessage();
    video_sh_ = SrsMediaMessage();
    audio_sh_ = SrsMediaMessage();
    has_video_ = false;
    publishing_ = true;
    by_api_ = false;
    wait_key_ = false;
    publisher_ = SrsDvrFileEvent();
    publisher_.vhost = vhost_;
    publisher_.app = app_;
    publisher_.stream = stream_;
    server_->fill_publisher(&publisher_);
    active_ = config_.enabled && srs_dvr_apply_matches(config_.apply, app_, stream_);
    if (active_ && config_.plan == SrsDvrPlan::Append && srs_dvr_path_is_mp4(config_.path)) {
        srs_error("dvr %s/%s: dvr_path %s: the append plan records FLV only, not recording", app_.c_str(),
                  stream_.c_str(), config_.path.c_str());
        active_ = false;
    }
    if (active_) {
        srs_trace("dvr %s/%s: recording, plan=%s, path=%s", app_.c_str(), stream_.c_str(),
                  srs_dvr_plan_name(config_.plan), config_.path.c_str());
    }
    // A recording that cannot start never refuses the publish.
    return srs_success;
}

void SrsDvrSourceHandler::on_unpublish() {
    srs_error_t err = close_file();
    if (err != srs_success) {
        fail(std::move(err));
    }
    active_ = false;
    publishing_ = false;
    by_api_ = false;
}

srs_error_t SrsDvrSourceHandler::api_start() {
    if (!publishing_) {
        return srs_error_new(ERROR_SOURCE_NOT_PUBLISHING, "dvr: %s/%s is not published", app_.c_str(), stream_.c_str());
    }
    if (active_) {
        return srs_success;
    }
    SrsDvrConfig c = server_->config_of(vhost_);
    if (!c.enabled) {
        return srs_error_new(ERROR_DVR_DISABLED, "dvr: disabled for vhost %s", vhost_.c_str());
    }
    if (c.plan == SrsDvrPlan::Append && srs_dvr_path_is_mp4(c.path)) {
        return srs_error_new(ERROR_DVR_ILLEGAL_PLAN, "dvr: the append plan records FLV only, dvr_path %s",
                             c.path.c_str());
    }
    config_ = c;
    active_ = true;
    by_api_ = true;
    // Mid-stream the next frames depend on earlier ones: start at a keyframe.
    wait_key_ = has_video_;
    srs_trace("dvr %s/%s: recording started by the API, plan=%s, path=%s", app_.c_str(), stream_.c_str(),
              srs_dvr_plan_name(config_.plan), config_.path.c_str());
    return srs_success;
}

srs_error_t SrsDvrSourceHandler::api_stop() {
    if (!publishing_) {
        return srs_error_new(ERROR_SOURCE_NOT_PUBLISHING, "dvr: %s/%s is not published", app_.c_str(), stream_.c_str());
    }
    active_ = false;
    by_api_ = false;
    srs_trace("dvr %s/%s: recording stopped by the API", app_.c_str(), stream_.c_str());
    return close_file();
}

srs_error_t SrsDvrSourceHandler::on_audio(const SrsMediaMessage& msg) {
    on_media(msg);
    return srs_success;
}

srs_error_t SrsDvrSourceHandler::on_video(const SrsMediaMessage& msg) {
    on_media(msg);
    return srs_success;
}

srs_error_t SrsDvrSourceHandler::on_meta_data(const SrsMediaMessage& msg) {
    // Written at the start of each file (with duration and filesize); a metadata update during
    // a file applies to the next one.
    meta_ = msg;
    return srs_success;
}

void SrsDvrSourceHandler::on_media(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    // The sequence headers are kept even when not recording, for a start through the API.
    bool sh = msg.is_sequence_header();
    if (msg.is_video()) {
        has_video_ = true;
        if (sh) {
            video_sh_ = msg;
        }
    } else if (sh) {
        audio_sh_ = msg;
    }
    if (!active_) {
        return;
    }
    if (wait_key_) {
        if (!msg.is_keyframe()) {
            return;
        }
        wait_key_ = false;
    }

    // The sequence headers of a file go at its start: 0, or the opening message's time when
    // timestamps are kept (time_jitter off).
    int64_t start = config_.jitter == SrsJitterAlgorithm::Off ? msg.timestamp : 0;
    if (!file_) {
        if ((err = open_file(start)) != srs_success) {
            return fail(std::move(err));
        }
        // The sequence header that opened the file is already in it.
        if (sh) {
            return;
        }
    }

    SrsMediaMessage m = msg;
    jitter_.correct(&m, config_.jitter);
    if (config_.plan == SrsDvrPlan::Segment && !sh && file_->first_timestamp() >= 0 &&
        srs_dvr_segment_should_cut(m.timestamp - file_->first_timestamp(), config_.duration, config_.wait_keyframe,
                                   has_video_, msg)) {
        if ((err = close_file()) != srs_success || (err = open_file(start)) != srs_success) {
            return fail(std::move(err));
        }
        m = msg;
        jitter_.correct(&m, config_.jitter);
    }
    if ((err = file_->write(m)) != srs_success) {
        return fail(std::move(err));
    }
}

srs_error_t SrsDvrSourceHandler::open_file(int64_t start) {
    srs_error_t err = srs_success;
    std::string path = srs_dvr_path_expand(config_.path, vhost_, app_, stream_, server_->now());
    const SrsMediaMessage* meta = meta_.size() > 0 ? &meta_ : nullptr;
    std::unique_ptr<SrsDvrFile> f;
    if (config_.plan == SrsDvrPlan::Append) {
        auto flv = std::make_unique<SrsDvrFlvFile>();
        err = flv->open_append(path, meta);
        f = std::move(flv);
    } else if (srs_dvr_path_is_mp4(path)) {
        f = std::make_unique<SrsDvrMp4File>();
        err = f->open(path, meta);
    } else {
        f = std::make_unique<SrsDvrFlvFile>();
        err = f->open(path, meta);
    }
    if (err != srs_success) {
        return srs_error_wrap(err, "dvr open");
    }
    // Each file starts at 0 (time_jitter full/zero): a new corrector per file. The sequence
    // headers go first, at the file's start, so every file decodes on its own.
    jitter_ = SrsRtmpJitter();
    for (const SrsMediaMessage* h : {&video_sh_, &audio_sh_}) {
        if (h->size() == 0) {
            continue;
        }
        SrsMediaMessage m = *h;
        m.timestamp = start;
        if ((err = f->write(m)) != srs_success) {
            return srs_error_wrap(err, "dvr sequence header");
        }
    }
    srs_trace("dvr %s/%s: recording to %s", app_.c_str(), stream_.c_str(), f->tmp_path().c_str());
    file_ = std::move(f);
    return err;
}

srs_error_t SrsDvrSourceHandler::close_file() {
    srs_error_t err = srs_success;
    if (!file_) {
        return err;
    }
    std::unique_ptr<SrsDvrFile> f = std::move(file_);
    if ((err = f->close()) != srs_success) {
        return err;
    }
    SrsDvrFileEvent ev = publisher_;
    ev.file = f->path();
    server_->on_file_done(ev);
    return err;
}

void SrsDvrSourceHandler::fail(srs_error_t err) {
    srs_error("dvr %s/%s: recording stopped for this stream (the stream goes on): %s", app_.c_str(), stream_.c_str(),
              srs_error_desc(err).c_str());
    srs_error_reset(err);
    active_ = false;
    // Keep what was recorded: finish the file when it can be.
    srs_error_t r = close_file();
    if (r != srs_success) {
        srs_error("dvr %s/%s: %s", app_.c_str(), stream_.c_str(), srs_error_desc(r).c_str());
        srs_error_reset(r);
    }
}
