// A vhost's settings for its live streams, read from a config snapshot in one place for RTMP
// and HTTP players; and the reload handler that applies a reload's vhost changes to what runs:
// the clients of a removed or disabled vhost are disconnected, running sources and players get
// new play settings without a restart.
#pragma once

#include <srs_app_consumer.hpp>
#include <srs_app_reload.hpp>
#include <srs_app_source.hpp>

#include <string>
#include <vector>

class SrsConfig;

// The source's settings of a vhost: play.gop_cache, gop_cache_max_frames, mix_correct.
SrsLiveSourceConfig srs_live_source_config_load(const SrsConfig& conf, const std::string& vhost);
// A player's settings of a vhost: play.queue_length, time_jitter, atc, mw_latency, mw_msgs,
// and min_latency, tcp_nodelay.
SrsLiveConsumerConfig srs_live_consumer_config_load(const SrsConfig& conf, const std::string& vhost);

// How long an idle player waits at most before it checks for kicks and the play duration.
#define SRS_PLAY_PULSE (500 * SRS_UTIME_MILLISECONDS)

// The wait of a player's send loop: realtime (min_latency) wakes at every message; else at
// least mw_msgs messages and mw_latency of media go in one write, waking at least every
// mw_latency (SRS_PLAY_PULSE when 0).
void srs_live_play_wait(const SrsLiveConsumerConfig& c, srs_utime_t* wait, int* nb_msgs);

// What a reload does to the live streams of each vhost, from its diff.
struct SrsVhostReloadPlan {
    // Vhosts whose publishers and players are disconnected: removed, or `enabled off` now.
    std::vector<std::string> kick;
    // Vhosts whose running sources and players get new settings: play, min_latency or
    // tcp_nodelay changed.
    std::vector<std::string> play;
};
SrsVhostReloadPlan srs_vhost_reload_plan(const SrsReloadContext& ctx);

// Applies the vhost part of a reload to the live sources (registered with
// SrsServer::subscribe_reload before the features, so a kicked stream's HLS and HTTP mount
// are already stopped when theirs run). A vhost that was added needs nothing here: each new
// connection reads the running snapshot.
class SrsVhostReloader : public ISrsReloadHandler {
public:
    // Not owned; outlives this object.
    explicit SrsVhostReloader(SrsLiveSourceManager* sources) : sources_(sources) {}
    SRS_DISALLOW_COPY(SrsVhostReloader);

    srs_error_t on_reload(SrsReloadContext* ctx) override;

    // Disconnects every publisher and player of a vhost; returns the streams touched.
    int kick_vhost(const std::string& vhost, const std::string& reason, int* nb_publishers, int* nb_players);
    // Pushes the vhost's settings of conf to its running sources and players; returns the
    // streams touched.
    int update_vhost(const SrsConfig& conf, const std::string& vhost, int* nb_players);

private:
    SrsLiveSourceManager* sources_;
};
