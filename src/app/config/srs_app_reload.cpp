#include <srs_app_reload.hpp>

#include <srs_app_config.hpp>
#include <srs_app_config_table.hpp>
#include <srs_core_utility.hpp>

#include <algorithm>
#include <cstring>

SrsReloadContext::SrsReloadContext(std::shared_ptr<SrsConfig> from, std::shared_ptr<SrsConfig> to)
    : from_(std::move(from)), to_(std::move(to)) {
    changes_ = SrsConfig::diff(*from_, *to_);
}

bool SrsReloadContext::changed(const std::string& section) const {
    return std::find(changes_.begin(), changes_.end(), section) != changes_.end();
}

std::vector<std::string> SrsReloadContext::vhosts_added() const {
    std::vector<std::string> r;
    for (const std::string& v : to_->vhosts()) {
        if (!from_->has_vhost(v)) {
            r.push_back(v);
        }
    }
    return r;
}

std::vector<std::string> SrsReloadContext::vhosts_removed() const {
    std::vector<std::string> r;
    for (const std::string& v : from_->vhosts()) {
        if (!to_->has_vhost(v)) {
            r.push_back(v);
        }
    }
    return r;
}

std::vector<std::string> SrsReloadContext::vhosts_changed() const {
    std::vector<std::string> r;
    for (const std::string& v : to_->vhosts()) {
        if (from_->has_vhost(v) && changed("vhost:" + v)) {
            r.push_back(v);
        }
    }
    return r;
}

void SrsReloadContext::applied(const std::string& what) {
    applied_.push_back(what);
}

const char* srs_reload_mode_name(SrsReloadMode mode) {
    switch (mode) {
        case SrsReloadMode::AtOnce:
            return "at once";
        case SrsReloadMode::NextKeyframe:
            return "next keyframe";
        case SrsReloadMode::NewClients:
            return "new clients";
        case SrsReloadMode::NextPublish:
            return "next publish";
        case SrsReloadMode::NotUsed:
            return "not used yet";
    }
    return "unknown";
}

const std::vector<SrsReloadRule>& srs_reload_rules() {
    using M = SrsReloadMode;
    // A feature that starts reading a directive moves its rule out of NotUsed, with a handler
    // registered by SrsServer::subscribe_reload when it applies to what runs.
    static const std::vector<SrsReloadRule> rules = {
        {"listen", M::AtOnce,
         "New ports open and removed ports close; connections on a port that stays are untouched."},
        {"chunk_size", M::NewClients, "RTMP connections made after the reload (a vhost's chunk_size inherits it)."},
        {"srs_log_tank", M::AtOnce, "The logger switches output."},
        {"srs_log_level", M::AtOnce, "The logger switches level."},
        {"srs_log_file", M::AtOnce, "The logger reopens on the new file."},
        {"srs_log_level_v2", M::NotUsed, ""},
        {"max_connections", M::AtOnce, "Checked at each accept; lowering it drops no connection."},
        {"pithy_print_ms", M::NotUsed, ""},
        {"empty_ip_ok", M::NotUsed, ""},
        {"grace_start_wait", M::NotUsed, ""},
        {"grace_final_wait", M::AtOnce, "Read when a graceful quit (SIGQUIT) starts."},
        {"force_grace_quit", M::NotUsed, ""},
        {"tcmalloc_release_rate", M::NotUsed, ""},
        {"heartbeat", M::NotUsed, ""},
        {"stats", M::NotUsed, ""},
        {"stats.disk", M::AtOnce, "The disks the API samples."},
        {"http_api", M::AtOnce,
         "The listener opens or closes; auth, crossdomain and raw_api apply to the next request."},
        {"http_api.https", M::NotUsed, ""},
        {"http_server", M::AtOnce, "The listener opens or closes; dir and crossdomain apply to the next request."},
        {"http_server.https", M::NotUsed, ""},
        {"exporter", M::AtOnce, "The listener opens or closes; labels apply to the next scrape."},
        {"vhost.enabled", M::AtOnce,
         "off: every publisher and player of the vhost (RTMP, HTTP-FLV/TS/AAC/MP3) is disconnected and its HLS stops; "
         "on: new clients are accepted."},
        {"vhost.min_latency", M::AtOnce,
         "Running players switch between realtime and merged write at their next wake-up."},
        {"vhost.tcp_nodelay", M::AtOnce, "Set on running RTMP players' sockets; publishers at their next publish."},
        {"vhost.chunk_size", M::NewClients, "Sent at connect."},
        {"vhost.in_ack_size", M::NotUsed, ""},
        {"vhost.out_ack_size", M::NewClients, "Sent at connect."},
        {"vhost.publish", M::NotUsed, ""},
        {"vhost.publish.firstpkt_timeout", M::NextPublish, "Read when a publish starts."},
        {"vhost.publish.normal_timeout", M::NextPublish, "Read when a publish starts."},
        {"vhost.publish.stale_timeout", M::AtOnce, "Checked when a new publisher asks for a busy stream."},
        {"vhost.publish.max_partial_bytes", M::NextPublish, "Read when a publish starts."},
        {"vhost.play", M::NotUsed, ""},
        {"vhost.play.gop_cache", M::AtOnce, "Running streams start or stop caching (off drops the cache)."},
        {"vhost.play.gop_cache_max_frames", M::AtOnce, "Running streams' caches take the new bound."},
        {"vhost.play.mix_correct", M::AtOnce, "Running streams start or stop reordering."},
        {"vhost.play.queue_length", M::AtOnce,
         "Running players (RTMP and HTTP) take it for their next message, without reconnecting."},
        {"vhost.play.time_jitter", M::AtOnce, "Running players correct their next message's timestamp with it."},
        {"vhost.play.atc", M::AtOnce, "Running players pass their next message's timestamp through, or correct it."},
        {"vhost.play.mw_latency", M::AtOnce, "Running players' send loops re-read it at their next wake-up."},
        {"vhost.play.mw_msgs", M::AtOnce, "Running players' send loops re-read it at their next wake-up."},
        {"vhost.cluster", M::NotUsed, ""},
        {"vhost.forward", M::NextPublish,
         "Read when a stream publishes: forwarders of a running publish keep their destinations until it "
         "unpublishes; the new destinations, backend and enabled on/off apply from the next publish."},
        {"vhost.refer", M::NewClients,
         "Checked when a client connects, publishes or plays; running clients are not checked again."},
        {"vhost.security", M::NewClients,
         "Checked when a client publishes or plays; running clients are not checked again."},
        {"vhost.http_hooks", M::NewClients,
         "Read at each event of a client; clients connected before call the hooks of the new config from their next "
         "event."},
        {"vhost.http_hooks.on_dvr", M::AtOnce, "Read each time a DVR file is complete."},
        {"vhost.hls", M::NextKeyframe,
         "A publishing stream's HLS stops (enabled off) or restarts with the new settings from its next keyframe (a "
         "new segment, discontinuous); the window and sequence numbers carry on."},
        {"vhost.hls.hls_keys", M::NotUsed, ""},
        {"vhost.hls.hls_fragments_per_key", M::NotUsed, ""},
        {"vhost.hls.hls_key_file", M::NotUsed, ""},
        {"vhost.hls.hls_key_file_path", M::NotUsed, ""},
        {"vhost.hls.hls_key_url", M::NotUsed, ""},
        {"vhost.hls.hls_dts_directly", M::NotUsed, ""},
        {"vhost.hls.hls_ctx", M::AtOnce,
         "Read at each playlist request: off stops redirecting and opening sessions (open ones end at their "
         "timeout), on opens sessions from the next playlist request."},
        {"vhost.hls.hls_ts_ctx", M::AtOnce, "Read each time a session's playlist is served."},
        {"vhost.hls.hls_use_fmp4", M::NotUsed, ""},
        {"vhost.hls.hls_fmp4_file", M::NotUsed, ""},
        {"vhost.hls.hls_init_file", M::NotUsed, ""},
        {"vhost.hls.hls_master_m3u8_path_relative", M::NotUsed, ""},
        {"vhost.http_remux", M::NotUsed, ""},
        {"vhost.http_remux.enabled", M::AtOnce,
         "Publishing streams are mounted or unmounted at once; players of a removed mount are disconnected."},
        {"vhost.http_remux.mount", M::AtOnce,
         "Publishing streams move to the new mount at once; players of the old mount are disconnected."},
        {"vhost.http_remux.has_audio", M::NewClients, "Read when an HTTP player starts."},
        {"vhost.http_remux.has_video", M::NewClients, "Read when an HTTP player starts."},
        {"vhost.http_remux.guess_has_av", M::NewClients, "Read when an HTTP player starts."},
        {"vhost.http_static", M::NotUsed, ""},
        {"vhost.dvr", M::NextPublish,
         "Read when a stream publishes: recording streams keep their settings (and their file) until they "
         "unpublish; dvr_apply, enabled on/off and the other settings apply from the next publish."},
        {"vhost.exec", M::NextPublish,
         "Read when a stream publishes: running commands keep running until the stream unpublishes."},
        {"vhost.transcode", M::AtOnce,
         "Publishing streams' engines are compared by command line: a changed engine's ffmpeg restarts, a removed or "
         "disabled one stops, a new one starts; the others keep running."},
        {"vhost.ingest", M::AtOnce,
         "Ingests are compared by command line: added ones start, removed or disabled ones stop, changed ones "
         "restart; the others keep running."},
    };
    return rules;
}

const SrsReloadRule* srs_reload_rule(const std::string& table_path) {
    const SrsReloadRule* best = nullptr;
    size_t best_len = 0;
    for (const SrsReloadRule& r : srs_reload_rules()) {
        size_t n = strlen(r.prefix);
        bool match = table_path.compare(0, n, r.prefix) == 0 && (table_path.size() == n || table_path[n] == '.');
        if (match && n >= best_len) {
            best = &r;
            best_len = n;
        }
    }
    return best;
}

std::string srs_reload_generate_doc() {
    std::string s;
    s += "| Directive | Applied | How |\n";
    s += "|-----------|---------|-----|\n";
    std::vector<std::string> restart;
    for (const SrsConfSpec& spec : srs_config_table()) {
        if (spec.type == SrsConfType::Ignored || spec.legacy) {
            continue;
        }
        // A row below a block that does not reload needs a restart with it: list the block.
        bool covered = false;
        for (size_t dot = spec.path.find('.'); dot != std::string::npos; dot = spec.path.find('.', dot + 1)) {
            const SrsConfSpec* up = srs_config_spec(spec.path.substr(0, dot));
            if (up && !up->reloadable) {
                covered = true;
                break;
            }
        }
        if (covered) {
            continue;
        }
        if (!spec.reloadable) {
            restart.push_back(spec.path);
            continue;
        }
        if (spec.is_block()) {
            continue;
        }
        const SrsReloadRule* r = srs_reload_rule(spec.path);
        std::string how = r && *r->how ? r->how : "Accepted; no feature of this server reads it yet.";
        s += srs_fmt("| `%s` | %s | %s |\n", spec.path.c_str(), r ? srs_reload_mode_name(r->mode) : "?", how.c_str());
    }
    s += "\nNeed a restart (a reload logs them as not applied):\n\n";
    for (const std::string& p : restart) {
        s += "- `" + p + "`\n";
    }
    return s;
}
