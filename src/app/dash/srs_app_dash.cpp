#include <srs_app_dash.hpp>

#include <srs_app_config.hpp>
#include <srs_app_source.hpp>
#include <srs_core_log.hpp>
#include <srs_kernel_message.hpp>

#include <algorithm>

SrsDashConfig srs_dash_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsDashConfig c;
    c.enabled = conf.vhost(vhost, srs_key::vhost_dash_enabled);
    c.fragment = conf.vhost(vhost, srs_key::vhost_dash_dash_fragment);
    c.update_period = conf.vhost(vhost, srs_key::vhost_dash_dash_update_period);
    c.timeshift = conf.vhost(vhost, srs_key::vhost_dash_dash_timeshift);
    c.path = conf.vhost(vhost, srs_key::vhost_dash_dash_path);
    c.mpd_file = conf.vhost(vhost, srs_key::vhost_dash_dash_mpd_file);
    c.window_size = (int)conf.vhost(vhost, srs_key::vhost_dash_dash_window_size);
    c.cleanup = conf.vhost(vhost, srs_key::vhost_dash_dash_cleanup);
    c.dispose = conf.vhost(vhost, srs_key::vhost_dash_dash_dispose);
    c.storage = srs_dash_storage_from(conf.vhost(vhost, srs_key::vhost_dash_dash_storage));
    return c;
}

SrsDashServer::SrsDashServer() = default;

SrsDashServer::~SrsDashServer() {
    stop();
    // Sources that outlive the server keep their handlers: those must not call back.
    for (SrsDashSourceHandler* h : handlers_) {
        h->detach();
    }
}

SrsDashConfig SrsDashServer::config_of(const std::string& vhost) const {
    if (has_fixed_) {
        return fixed_;
    }
    if (!config_) {
        return SrsDashConfig();
    }
    return srs_dash_config_load(*config_, vhost);
}

srs_error_t SrsDashServer::start() {
    trd_ = std::make_unique<SrsCoroutine>("dash", this);
    return trd_->start();
}

void SrsDashServer::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
}

srs_error_t SrsDashServer::cycle() {
    srs_error_t err = srs_success;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_success;
        }
        srs_usleep(SRS_DASH_SWEEP_INTERVAL);
        if ((err = trd_->pull()) != srs_success) {
            return srs_success;
        }
        sweep(srs_update_system_time());
    }
}

int SrsDashServer::sweep(srs_utime_t now) {
    int n = 0;
    for (auto it = streams_.begin(); it != streams_.end();) {
        Stream& s = it->second;
        if (s.unpublished_at == 0 || s.segmenter->publishing()) {
            ++it;
            continue;
        }
        const SrsDashConfig& c = s.segmenter->config();
        srs_utime_t idle = now - s.unpublished_at;
        if (c.dispose > 0 && idle >= c.dispose) {
            s.segmenter->dispose();
            it = streams_.erase(it);
            n++;
            continue;
        }
        if (c.dispose <= 0 && c.in_ram() && idle >= SRS_DASH_RAM_DEFAULT_DISPOSE) {
            // The disk files stay (dash_dispose 0), the memory does not.
            s.segmenter->dispose_memory();
            if (!c.on_disk()) {
                it = streams_.erase(it);
                n++;
                continue;
            }
        }
        ++it;
    }
    return n;
}

std::unique_ptr<ISrsLiveSourceHandler> SrsDashServer::create_handler(SrsLiveSource* source) {
    // Every source gets a handler: whether DASH runs is decided at each publish, so enabling
    // dash by reload applies to any stream.
    return std::make_unique<SrsDashSourceHandler>(this, source->vhost(), source->app(), source->stream(), source);
}

int SrsDashServer::reload_vhost(const std::string& vhost) {
    std::vector<SrsDashSourceHandler*> handlers = handlers_;
    int n = 0;
    for (SrsDashSourceHandler* h : handlers) {
        if (h->vhost() == vhost && h->publishing()) {
            h->restart();
            n++;
        }
    }
    return n;
}

SrsDashSegmenter* SrsDashServer::find(const std::string& url) const {
    auto it = streams_.find(url);
    return it == streams_.end() ? nullptr : it->second.segmenter.get();
}

srs_error_t SrsDashServer::on_publish(const std::string& url, const std::string& vhost, const std::string& app,
                                      const std::string& stream, const SrsDashConfig& config, SrsDashSegmenter** out) {
    srs_error_t err = srs_success;
    Stream& s = streams_[url];
    if (!s.segmenter) {
        s.segmenter = std::make_unique<SrsDashSegmenter>(vhost, app, stream, &store_);
    }
    if ((err = s.segmenter->on_publish(config)) != srs_success) {
        s.unpublished_at = srs_update_system_time();
        return err;
    }
    s.unpublished_at = 0;
    *out = s.segmenter.get();
    return srs_success;
}

void SrsDashServer::on_unpublish(const std::string& url) {
    auto it = streams_.find(url);
    if (it == streams_.end()) {
        return;
    }
    srs_utime_t now = srs_update_system_time();
    srs_error_t err = it->second.segmenter->on_unpublish(now);
    if (err != srs_success) {
        srs_warn("dash: unpublish %s: %s", url.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
    it->second.unpublished_at = now;
}

SrsDashSourceHandler::SrsDashSourceHandler(SrsDashServer* server, const std::string& vhost, const std::string& app,
                                           const std::string& stream, SrsLiveSource* source)
    : server_(server), vhost_(vhost), app_(app), stream_(stream), source_(source) {
    url_ = srs_live_stream_url(vhost, app, stream);
    server_->handlers_.push_back(this);
}

SrsDashSourceHandler::~SrsDashSourceHandler() {
    if (!server_) {
        return;
    }
    stop();
    std::vector<SrsDashSourceHandler*>& v = server_->handlers_;
    v.erase(std::remove(v.begin(), v.end(), this), v.end());
}

void SrsDashSourceHandler::detach() {
    server_ = nullptr;
    segmenter_ = nullptr;
}

srs_error_t SrsDashSourceHandler::on_publish() {
    publishing_ = true;
    wait_keyframe_ = false;
    start();
    return srs_success;
}

void SrsDashSourceHandler::start() {
    stop();
    nb_errors_ = 0;
    if (!server_) {
        return;
    }
    SrsDashConfig config = server_->config_of(vhost_);
    if (!config.enabled) {
        return;
    }
    SrsDashSegmenter* segmenter = nullptr;
    srs_error_t err = server_->on_publish(url_, vhost_, app_, stream_, config, &segmenter);
    if (err != srs_success) {
        // DASH is an output: its failure does not refuse the publish.
        srs_warn("dash: %s does not start: %s", url_.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
        return;
    }
    segmenter_ = segmenter;
}

void SrsDashSourceHandler::on_unpublish() {
    publishing_ = false;
    wait_keyframe_ = false;
    stop();
}

void SrsDashSourceHandler::stop() {
    if (!segmenter_ || !server_) {
        return;
    }
    segmenter_ = nullptr;
    server_->on_unpublish(url_);
}

void SrsDashSourceHandler::restart() {
    if (!publishing_) {
        return;
    }
    bool was_active = active();
    start();
    if (!segmenter_) {
        srs_trace("dash: %s %s by reload", url_.c_str(), was_active ? "stopped" : "stays off");
        return;
    }
    // The publisher sent its sequence headers long ago: give them again, and start at the next
    // keyframe so the new Period's first segment starts with one.
    wait_keyframe_ = false;
    if (source_) {
        const SrsMediaMessage& vsh = source_->video_sequence_header();
        const SrsMediaMessage& ash = source_->audio_sequence_header();
        wait_keyframe_ = vsh.payload != nullptr;
        // Both log their own failures and return success.
        if (vsh.payload) {
            srs_error_t err = on_video(vsh);
            srs_error_reset(err);
        }
        if (ash.payload) {
            srs_error_t err = on_audio(ash);
            srs_error_reset(err);
        }
    }
    srs_trace("dash: %s %s by reload, segments start at the next keyframe", url_.c_str(),
              was_active ? "restarted" : "started");
}

srs_error_t SrsDashSourceHandler::on_audio(const SrsMediaMessage& msg) {
    if (!segmenter_) {
        return srs_success;
    }
    if (wait_keyframe_ && !msg.is_audio_sequence_header()) {
        return srs_success;
    }
    srs_error_t err = segmenter_->on_audio(msg.timestamp, msg.data(), msg.size(), srs_update_system_time());
    if (err != srs_success) {
        on_error(std::move(err), "audio");
    }
    return srs_success;
}

srs_error_t SrsDashSourceHandler::on_video(const SrsMediaMessage& msg) {
    if (!segmenter_) {
        return srs_success;
    }
    if (wait_keyframe_ && !msg.is_video_sequence_header()) {
        if (!msg.is_keyframe()) {
            return srs_success;
        }
        wait_keyframe_ = false;
    }
    srs_error_t err = segmenter_->on_video(msg.timestamp, msg.data(), msg.size(), srs_update_system_time());
    if (err != srs_success) {
        on_error(std::move(err), "video");
    }
    return srs_success;
}

void SrsDashSourceHandler::on_error(srs_error_t err, const char* what) {
    nb_errors_++;
    // A failing disk fails every segment: log the first ones and then a sample.
    if (nb_errors_ <= 3 || nb_errors_ % 100 == 0) {
        srs_warn("dash: %s of %s failed (%lld errors), continue: %s", what, url_.c_str(), (long long)nb_errors_,
                 srs_error_desc(err).c_str());
    }
    srs_error_reset(err);
}
