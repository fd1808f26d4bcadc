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

SrsDashServer::SrsDashServer()
    : SrsSegmentedOutputServer("dash", SRS_DASH_SWEEP_INTERVAL, SRS_DASH_RAM_DEFAULT_DISPOSE) {}

SrsDashServer::~SrsDashServer() {
    // The coroutine sweeps through the segmenters, and they point to store_, a member of this
    // class that goes before the base's: stop it and free them while store_ is alive.
    stop();
    streams_.clear();
}

SrsDashConfig SrsDashServer::load_config(const SrsConfig& conf, const std::string& vhost) const {
    return srs_dash_config_load(conf, vhost);
}

std::unique_ptr<SrsDashSegmenter> SrsDashServer::create_output(const std::string& vhost, const std::string& app,
                                                               const std::string& stream) {
    return std::make_unique<SrsDashSegmenter>(vhost, app, stream, &store_);
}

srs_error_t SrsDashServer::unpublish_output(SrsDashSegmenter& segmenter, srs_utime_t now) {
    return segmenter.on_unpublish(now);
}

std::unique_ptr<ISrsLiveSourceHandler> SrsDashServer::create_handler(SrsLiveSource* source) {
    // Every source gets a handler: whether DASH runs is decided at each publish, so enabling
    // dash by reload applies to any stream.
    return std::make_unique<SrsDashSourceHandler>(this, source->vhost(), source->app(), source->stream(), source);
}

SrsDashSourceHandler::SrsDashSourceHandler(SrsDashServer* server, const std::string& vhost, const std::string& app,
                                           const std::string& stream, SrsLiveSource* source)
    : SrsSegmentedOutputHandler(server, vhost, app, stream, source) {}

SrsDashSourceHandler::~SrsDashSourceHandler() = default;

srs_error_t SrsDashSourceHandler::write_audio(SrsDashSegmenter& segmenter, const SrsMediaMessage& msg) {
    return segmenter.on_audio(msg.timestamp, msg.data(), msg.size(), srs_update_system_time());
}

srs_error_t SrsDashSourceHandler::write_video(SrsDashSegmenter& segmenter, const SrsMediaMessage& msg) {
    return segmenter.on_video(msg.timestamp, msg.data(), msg.size(), srs_update_system_time());
}

srs_error_t SrsDashSourceHandler::on_start_error(srs_error_t err) {
    // DASH is an output: its failure does not refuse the publish.
    srs_warn("dash: %s does not start: %s", url().c_str(), srs_error_desc(err).c_str());
    srs_error_reset(err);
    return srs_success;
}

void SrsDashSourceHandler::on_header_error(srs_error_t err, const char* what) {
    // Counted and logged as a failed frame.
    srs_error_t r = fail(std::move(err), what);
    srs_error_reset(r);
}

srs_error_t SrsDashSourceHandler::on_error(srs_error_t err, const char* what) {
    // A failing disk fails every segment; the stream goes on.
    warn_and_continue(std::move(err), what, 100);
    return srs_success;
}
