#include <srs_app_vhost.hpp>

#include <srs_app_config.hpp>
#include <srs_app_jitter.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <algorithm>

SrsLiveSourceConfig srs_live_source_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsLiveSourceConfig c;
    c.gop_cache = conf.vhost(vhost, srs_key::vhost_play_gop_cache);
    c.gop_cache_max_frames = (int)conf.vhost(vhost, srs_key::vhost_play_gop_cache_max_frames);
    c.mix_correct = conf.vhost(vhost, srs_key::vhost_play_mix_correct);
    return c;
}

SrsLiveConsumerConfig srs_live_consumer_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsLiveConsumerConfig c;
    c.queue_length = conf.vhost(vhost, srs_key::vhost_play_queue_length);
    c.jitter = srs_jitter_algorithm_parse(conf.vhost(vhost, srs_key::vhost_play_time_jitter));
    c.atc = conf.vhost(vhost, srs_key::vhost_play_atc);
    c.realtime = conf.vhost(vhost, srs_key::vhost_min_latency);
    c.mw_latency = conf.vhost(vhost, srs_key::vhost_play_mw_latency);
    c.mw_msgs = (int)conf.vhost(vhost, srs_key::vhost_play_mw_msgs);
    c.tcp_nodelay = conf.vhost(vhost, srs_key::vhost_tcp_nodelay);
    return c;
}

void srs_live_play_wait(const SrsLiveConsumerConfig& c, srs_utime_t* wait, int* nb_msgs) {
    if (c.realtime) {
        *wait = SRS_PLAY_PULSE;
        *nb_msgs = 1;
        return;
    }
    *wait = c.mw_latency > 0 ? c.mw_latency : SRS_PLAY_PULSE;
    *nb_msgs = std::max(1, c.mw_msgs);
}

SrsVhostReloadPlan srs_vhost_reload_plan(const SrsReloadContext& ctx) {
    SrsVhostReloadPlan plan;
    plan.kick = ctx.vhosts_removed();
    for (const std::string& v : ctx.vhosts_changed()) {
        if (!ctx.to().vhost_enabled(v)) {
            // Also when it was off before: a client that came meanwhile (none should) goes.
            plan.kick.push_back(v);
            continue;
        }
        if (ctx.vhost_changed(v, srs_key::vhost_play) || ctx.vhost_changed(v, srs_key::vhost_min_latency) ||
            ctx.vhost_changed(v, srs_key::vhost_tcp_nodelay)) {
            plan.play.push_back(v);
        }
    }
    return plan;
}

srs_error_t SrsVhostReloader::on_reload(SrsReloadContext* ctx) {
    SrsVhostReloadPlan plan = srs_vhost_reload_plan(*ctx);
    for (const std::string& v : plan.kick) {
        bool removed = !ctx->to().has_vhost(v);
        std::string reason = srs_fmt("vhost %s %s by reload", v.c_str(), removed ? "removed" : "disabled");
        int nb_publishers = 0, nb_players = 0;
        int n = kick_vhost(v, reason, &nb_publishers, &nb_players);
        srs_trace("reload: %s, disconnect %d publishers and %d players of %d streams", reason.c_str(), nb_publishers,
                  nb_players, n);
        ctx->applied("vhost:" + v + (removed ? ":removed" : ":disabled"));
    }
    for (const std::string& v : plan.play) {
        int nb_players = 0;
        int n = update_vhost(ctx->to(), v, &nb_players);
        srs_trace("reload: vhost %s play settings applied to %d streams and %d players", v.c_str(), n, nb_players);
        ctx->applied("vhost:" + v + ":play");
    }
    for (const std::string& v : ctx->vhosts_added()) {
        ctx->applied("vhost:" + v + ":added");
    }
    return srs_success;
}

int SrsVhostReloader::kick_vhost(const std::string& vhost, const std::string& reason, int* nb_publishers,
                                 int* nb_players) {
    // Kicking calls the features' on_unpublish, which must not change the map we walk: hold
    // the sources first.
    std::vector<std::shared_ptr<SrsLiveSource>> todo;
    for (const auto& it : sources_->sources()) {
        if (it.second->vhost() == vhost) {
            todo.push_back(it.second);
        }
    }
    for (const std::shared_ptr<SrsLiveSource>& s : todo) {
        *nb_players += s->expire_consumers(reason);
        if (s->publishing()) {
            (*nb_publishers)++;
            s->kick_publisher(reason);
        }
    }
    return (int)todo.size();
}

int SrsVhostReloader::update_vhost(const SrsConfig& conf, const std::string& vhost, int* nb_players) {
    SrsLiveSourceConfig sc = srs_live_source_config_load(conf, vhost);
    SrsLiveConsumerConfig cc = srs_live_consumer_config_load(conf, vhost);
    int n = 0;
    for (const auto& it : sources_->sources()) {
        SrsLiveSource* s = it.second.get();
        if (s->vhost() != vhost) {
            continue;
        }
        s->update_config(sc);
        s->update_consumers(cc);
        *nb_players += s->nb_consumers();
        n++;
    }
    return n;
}
