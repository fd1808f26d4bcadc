#include <srs_app_hls.hpp>

#include <srs_app_config.hpp>
#include <srs_app_source.hpp>
#include <srs_core_log.hpp>
#include <srs_kernel_message.hpp>

#include <algorithm>

SrsHlsConfig srs_hls_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsHlsConfig c;
    c.enabled = conf.vhost(vhost, srs_key::vhost_hls_enabled);
    c.fragment = conf.vhost(vhost, srs_key::vhost_hls_hls_fragment);
    c.td_ratio = conf.vhost(vhost, srs_key::vhost_hls_hls_td_ratio);
    c.aof_ratio = conf.vhost(vhost, srs_key::vhost_hls_hls_aof_ratio);
    c.window = conf.vhost(vhost, srs_key::vhost_hls_hls_window);
    c.on_error = srs_hls_on_error_from(conf.vhost(vhost, srs_key::vhost_hls_hls_on_error));
    c.path = conf.vhost(vhost, srs_key::vhost_hls_hls_path);
    c.m3u8_file = conf.vhost(vhost, srs_key::vhost_hls_hls_m3u8_file);
    c.ts_file = conf.vhost(vhost, srs_key::vhost_hls_hls_ts_file);
    c.ts_floor = conf.vhost(vhost, srs_key::vhost_hls_hls_ts_floor);
    c.use_fmp4 = conf.vhost(vhost, srs_key::vhost_hls_hls_use_fmp4);
    c.fmp4_file = conf.vhost(vhost, srs_key::vhost_hls_hls_fmp4_file);
    c.init_file = conf.vhost(vhost, srs_key::vhost_hls_hls_init_file);
    c.entry_prefix = conf.vhost(vhost, srs_key::vhost_hls_hls_entry_prefix);
    c.acodec = conf.vhost(vhost, srs_key::vhost_hls_hls_acodec);
    c.vcodec = conf.vhost(vhost, srs_key::vhost_hls_hls_vcodec);
    c.cleanup = conf.vhost(vhost, srs_key::vhost_hls_hls_cleanup);
    c.dispose = conf.vhost(vhost, srs_key::vhost_hls_hls_dispose);
    c.wait_keyframe = conf.vhost(vhost, srs_key::vhost_hls_hls_wait_keyframe);
    c.nb_notify = (int)conf.vhost(vhost, srs_key::vhost_hls_hls_nb_notify);
    c.recover = conf.vhost(vhost, srs_key::vhost_hls_hls_recover);
    c.storage = srs_hls_storage_from(conf.vhost(vhost, srs_key::vhost_hls_hls_storage));
    if (c.td_ratio < 1) {
        c.td_ratio = 1;
    }
    if (c.aof_ratio < 1) {
        c.aof_ratio = 1;
    }
    return c;
}

SrsHlsServer::SrsHlsServer() = default;

SrsHlsServer::~SrsHlsServer() {
    stop();
    // Sources that outlive the server keep their handlers: those must not call back.
    for (SrsHlsSourceHandler* h : handlers_) {
        h->detach();
    }
}

SrsHlsConfig SrsHlsServer::config_of(const std::string& vhost) const {
    if (has_fixed_) {
        return fixed_;
    }
    if (!config_) {
        return SrsHlsConfig();
    }
    return srs_hls_config_load(*config_, vhost);
}

srs_error_t SrsHlsServer::start() {
    trd_ = std::make_unique<SrsCoroutine>("hls", this);
    return trd_->start();
}

void SrsHlsServer::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
}

srs_error_t SrsHlsServer::cycle() {
    srs_error_t err = srs_success;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_success;
        }
        srs_usleep(SRS_HLS_SWEEP_INTERVAL);
        if ((err = trd_->pull()) != srs_success) {
            return srs_success;
        }
        sweep(srs_update_system_time());
    }
}

int SrsHlsServer::sweep(srs_utime_t now) {
    int n = 0;
    for (auto it = streams_.begin(); it != streams_.end();) {
        Stream& s = it->second;
        if (s.unpublished_at == 0 || s.muxer->publishing()) {
            ++it;
            continue;
        }
        const SrsHlsConfig& c = s.muxer->config();
        srs_utime_t idle = now - s.unpublished_at;
        if (c.dispose > 0 && idle >= c.dispose) {
            s.muxer->dispose();
            it = streams_.erase(it);
            n++;
            continue;
        }
        if (c.dispose <= 0 && c.in_ram() && idle >= SRS_HLS_RAM_DEFAULT_DISPOSE) {
            // The disk files stay (hls_dispose 0), the memory does not.
            s.muxer->dispose_memory();
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

void SrsHlsServer::dispose_all() {
    for (auto it = streams_.begin(); it != streams_.end();) {
        if (it->second.muxer->publishing()) {
            ++it;
            continue;
        }
        it->second.muxer->dispose();
        it = streams_.erase(it);
    }
}

std::unique_ptr<ISrsLiveSourceHandler> SrsHlsServer::create_handler(SrsLiveSource* source) {
    // Every source gets a handler: whether HLS runs is decided at each publish, so enabling
    // hls by reload applies to the next publish of any stream.
    return std::make_unique<SrsHlsSourceHandler>(this, source->vhost(), source->app(), source->stream(), source);
}

int SrsHlsServer::reload_vhost(const std::string& vhost) {
    // A restart does not create or destroy handlers; copy anyway, it is not per message.
    std::vector<SrsHlsSourceHandler*> handlers = handlers_;
    int n = 0;
    for (SrsHlsSourceHandler* h : handlers) {
        if (h->vhost() == vhost && h->publishing()) {
            h->restart();
            n++;
        }
    }
    return n;
}

SrsHlsMuxer* SrsHlsServer::find(const std::string& url) const {
    auto it = streams_.find(url);
    return it == streams_.end() ? nullptr : it->second.muxer.get();
}

srs_error_t SrsHlsServer::on_publish(const std::string& url, const std::string& vhost, const std::string& app,
                                     const std::string& stream, const SrsHlsConfig& config, SrsHlsMuxer** out) {
    srs_error_t err = srs_success;
    Stream& s = streams_[url];
    if (!s.muxer) {
        s.muxer = std::make_unique<SrsHlsMuxer>(vhost, app, stream, &store_, hooks_);
    }
    if ((err = s.muxer->on_publish(config)) != srs_success) {
        s.unpublished_at = srs_update_system_time();
        return err;
    }
    s.unpublished_at = 0;
    *out = s.muxer.get();
    return srs_success;
}

void SrsHlsServer::on_unpublish(const std::string& url) {
    auto it = streams_.find(url);
    if (it == streams_.end()) {
        return;
    }
    srs_error_t err = it->second.muxer->on_unpublish();
    if (err != srs_success) {
        srs_warn("hls: unpublish %s: %s", url.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
    it->second.unpublished_at = srs_update_system_time();
}

SrsHlsSourceHandler::SrsHlsSourceHandler(SrsHlsServer* server, const std::string& vhost, const std::string& app,
                                         const std::string& stream, SrsLiveSource* source)
    : server_(server), vhost_(vhost), app_(app), stream_(stream), source_(source) {
    url_ = srs_live_stream_url(vhost, app, stream);
    server_->handlers_.push_back(this);
}

SrsHlsSourceHandler::~SrsHlsSourceHandler() {
    if (!server_) {
        return;
    }
    stop();
    std::vector<SrsHlsSourceHandler*>& v = server_->handlers_;
    v.erase(std::remove(v.begin(), v.end(), this), v.end());
}

void SrsHlsSourceHandler::detach() {
    server_ = nullptr;
    muxer_ = nullptr;
}

srs_error_t SrsHlsSourceHandler::on_publish() {
    publishing_ = true;
    wait_keyframe_ = false;
    return start();
}

srs_error_t SrsHlsSourceHandler::start() {
    srs_error_t err = srs_success;
    stop();
    nb_errors_ = 0;
    if (!server_) {
        return err;
    }
    SrsHlsConfig config = server_->config_of(vhost_);
    if (!config.enabled) {
        return srs_success;
    }
    on_error_ = config.on_error;
    SrsHlsMuxer* muxer = nullptr;
    if ((err = server_->on_publish(url_, vhost_, app_, stream_, config, &muxer)) != srs_success) {
        return on_error(std::move(err), "publish");
    }
    muxer_ = muxer;
    return srs_success;
}

void SrsHlsSourceHandler::on_unpublish() {
    publishing_ = false;
    wait_keyframe_ = false;
    stop();
}

void SrsHlsSourceHandler::stop() {
    if (!muxer_ || !server_) {
        return;
    }
    muxer_ = nullptr;
    server_->on_unpublish(url_);
}

void SrsHlsSourceHandler::restart() {
    if (!publishing_) {
        return;
    }
    bool was_active = active();
    srs_error_t err = start();
    if (err != srs_success) {
        // hls_on_error disconnect cannot drop the publisher from a reload: HLS stays off.
        srs_warn("hls: restart %s after reload: %s", url_.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
        stop();
    }
    if (!muxer_) {
        srs_trace("hls: %s %s by reload", url_.c_str(), was_active ? "stopped" : "stays off");
        return;
    }
    // The publisher sent its sequence headers long ago: give the new muxer the current ones,
    // and start at the next keyframe so the first segment is decodable on its own.
    wait_keyframe_ = false;
    if (source_) {
        const SrsMediaMessage& vsh = source_->video_sequence_header();
        const SrsMediaMessage& ash = source_->audio_sequence_header();
        wait_keyframe_ = vsh.payload != nullptr;
        if (vsh.payload && (err = muxer_->on_video(vsh)) != srs_success) {
            srs_error_reset(err);
        }
        if (ash.payload && (err = muxer_->on_audio(ash)) != srs_success) {
            srs_error_reset(err);
        }
    }
    srs_trace("hls: %s %s by reload, segments start at the next keyframe", url_.c_str(),
              was_active ? "restarted" : "started");
}

srs_error_t SrsHlsSourceHandler::on_audio(const SrsMediaMessage& msg) {
    if (!muxer_) {
        return srs_success;
    }
    // After a restart, audio waits for the first video keyframe (headers pass).
    if (wait_keyframe_ && !msg.is_audio_sequence_header()) {
        return srs_success;
    }
    srs_error_t err = muxer_->on_audio(msg);
    if (err != srs_success) {
        return on_error(std::move(err), "audio");
    }
    return srs_success;
}

srs_error_t SrsHlsSourceHandler::on_video(const SrsMediaMessage& msg) {
    if (!muxer_) {
        return srs_success;
    }
    if (wait_keyframe_ && !msg.is_video_sequence_header()) {
        if (!msg.is_keyframe()) {
            return srs_success;
        }
        wait_keyframe_ = false;
    }
    srs_error_t err = muxer_->on_video(msg);
    if (err != srs_success) {
        return on_error(std::move(err), "video");
    }
    return srs_success;
}

srs_error_t SrsHlsSourceHandler::on_error(srs_error_t err, const char* what) {
    nb_errors_++;
    switch (on_error_) {
        case SrsHlsOnError::Disconnect:
            stop();
            return srs_error_wrap(err, "hls %s of %s (hls_on_error disconnect)", what, url_.c_str());
        case SrsHlsOnError::Ignore:
            srs_warn("hls: %s of %s failed, HLS stops for this publish (hls_on_error ignore): %s", what, url_.c_str(),
                     srs_error_desc(err).c_str());
            stop();
            break;
        case SrsHlsOnError::Continue:
            // A failing disk fails every frame: log the first ones and then a sample.
            if (nb_errors_ <= 3 || nb_errors_ % 1000 == 0) {
                srs_warn("hls: %s of %s failed (%lld errors), continue: %s", what, url_.c_str(), (long long)nb_errors_,
                         srs_error_desc(err).c_str());
            }
            break;
    }
    srs_error_reset(err);
    return srs_success;
}
