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
    c.keys = conf.vhost(vhost, srs_key::vhost_hls_hls_keys);
    c.fragments_per_key = (int)conf.vhost(vhost, srs_key::vhost_hls_hls_fragments_per_key);
    c.key_file = conf.vhost(vhost, srs_key::vhost_hls_hls_key_file);
    c.key_file_path = conf.vhost(vhost, srs_key::vhost_hls_hls_key_file_path);
    c.key_url = conf.vhost(vhost, srs_key::vhost_hls_hls_key_url);
    if (c.td_ratio < 1) {
        c.td_ratio = 1;
    }
    if (c.aof_ratio < 1) {
        c.aof_ratio = 1;
    }
    return c;
}

SrsHlsServer::SrsHlsServer() : SrsSegmentedOutputServer("hls", SRS_HLS_SWEEP_INTERVAL, SRS_HLS_RAM_DEFAULT_DISPOSE) {}

SrsHlsServer::~SrsHlsServer() {
    // The coroutine sweeps through the muxers, and they point to store_, a member of this
    // class that goes before the base's: stop it and free them while store_ is alive.
    stop();
    streams_.clear();
}

SrsHlsConfig SrsHlsServer::load_config(const SrsConfig& conf, const std::string& vhost) const {
    return srs_hls_config_load(conf, vhost);
}

std::unique_ptr<SrsHlsMuxer> SrsHlsServer::create_output(const std::string& vhost, const std::string& app,
                                                         const std::string& stream) {
    return std::make_unique<SrsHlsMuxer>(vhost, app, stream, &store_, hooks_);
}

srs_error_t SrsHlsServer::unpublish_output(SrsHlsMuxer& muxer, srs_utime_t /*now*/) {
    return muxer.on_unpublish();
}

void SrsHlsServer::dispose_all() {
    for (auto it = streams_.begin(); it != streams_.end();) {
        if (it->second.output->publishing()) {
            ++it;
            continue;
        }
        it->second.output->dispose();
        it = streams_.erase(it);
    }
}

std::unique_ptr<ISrsLiveSourceHandler> SrsHlsServer::create_handler(SrsLiveSource* source) {
    // Every source gets a handler: whether HLS runs is decided at each publish, so enabling
    // hls by reload applies to the next publish of any stream.
    return std::make_unique<SrsHlsSourceHandler>(this, source->vhost(), source->app(), source->stream(), source);
}

SrsHlsSourceHandler::SrsHlsSourceHandler(SrsHlsServer* server, const std::string& vhost, const std::string& app,
                                         const std::string& stream, SrsLiveSource* source)
    : SrsSegmentedOutputHandler(server, vhost, app, stream, source) {}

SrsHlsSourceHandler::~SrsHlsSourceHandler() = default;

srs_error_t SrsHlsSourceHandler::write_audio(SrsHlsMuxer& muxer, const SrsMediaMessage& msg) {
    return muxer.on_audio(msg);
}

srs_error_t SrsHlsSourceHandler::write_video(SrsHlsMuxer& muxer, const SrsMediaMessage& msg) {
    return muxer.on_video(msg);
}

srs_error_t SrsHlsSourceHandler::on_start_error(srs_error_t err) {
    // hls_on_error applies to a publish that cannot start HLS as to a failed frame.
    return fail(std::move(err), "publish");
}

void SrsHlsSourceHandler::on_header_error(srs_error_t err, const char* /*what*/) {
    // Quietly, as HLS always did: a muxer that cannot take them fails the frames that follow,
    // and those go through hls_on_error.
    srs_error_reset(err);
}

srs_error_t SrsHlsSourceHandler::on_error(srs_error_t err, const char* what) {
    switch (on_error_) {
        case SrsHlsOnError::Disconnect:
            stop();
            return srs_error_wrap(err, "hls %s of %s (hls_on_error disconnect)", what, url().c_str());
        case SrsHlsOnError::Ignore:
            srs_warn("hls: %s of %s failed, HLS stops for this publish (hls_on_error ignore): %s", what, url().c_str(),
                     srs_error_desc(err).c_str());
            stop();
            break;
        case SrsHlsOnError::Continue:
            warn_and_continue(std::move(err), what, 1000);
            return srs_success;
    }
    srs_error_reset(err);
    return srs_success;
}
