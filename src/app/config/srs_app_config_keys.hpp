// The typed keys of the directive table. Each directive the server reads is named here once,
// with its table path and type; its row in srs_app_config_table.cpp is built from the key (so
// the row and the key cannot disagree on the type), and SrsConfig's getters take the key and
// return the C++ type of the row:
//     conf.get(srs_key::max_connections)                      -> int64_t
//     conf.vhost(vhost, srs_key::vhost_play_queue_length)     -> srs_utime_t
//     conf.block(engine, srs_engine_keys::transcode.vbitrate) -> int64_t
// A misspelled key, or a value read into the wrong type, does not compile. A key's name is its
// table path with '.' replaced by '_' (a test checks it, and that every key has its row).
#pragma once

#include <srs_app_config_table.hpp>
#include <srs_core_time.hpp>

#include <cstdint>
#include <string>
#include <vector>

class SrsConfDirective;

// Where a directive is read from, which picks the getter that accepts its key.
enum class SrsConfScope {
    // A directive outside any vhost: SrsConfig::get(key).
    Global,
    // A directive of a vhost: SrsConfig::vhost(name, key), with the vhost resolved as for a client.
    Vhost,
    // A directive below a repeated block (an `ingest NAME`, a transcode `engine`, a
    // `stream_caster`): SrsConfig::block(that block, key).
    Block,
};

constexpr bool srs_conf_starts_with(const char* s, const char* prefix) {
    for (; *prefix; ++s, ++prefix) {
        if (*s != *prefix) {
            return false;
        }
    }
    return true;
}

// The scope of a table path. The repeated blocks are named here; a test checks that they are
// exactly the table's rows marked many() (besides vhost itself).
constexpr SrsConfScope srs_conf_scope_of(const char* path) {
    if (srs_conf_starts_with(path, "vhost.ingest.") || srs_conf_starts_with(path, "vhost.transcode.") ||
        srs_conf_starts_with(path, "stream_caster.")) {
        return SrsConfScope::Block;
    }
    return srs_conf_starts_with(path, "vhost.") ? SrsConfScope::Vhost : SrsConfScope::Global;
}

// The C++ type a directive of a table type reads as. Ignored directives have none: they are
// never read.
template <SrsConfType T>
struct SrsConfValue;
template <>
struct SrsConfValue<SrsConfType::String> {
    using type = std::string;
};
template <>
struct SrsConfValue<SrsConfType::Strings> {
    using type = std::vector<std::string>;
};
template <>
struct SrsConfValue<SrsConfType::Endpoints> {
    using type = std::vector<std::string>;
};
template <>
struct SrsConfValue<SrsConfType::Bool> {
    using type = bool;
};
template <>
struct SrsConfValue<SrsConfType::Int> {
    using type = int64_t;
};
template <>
struct SrsConfValue<SrsConfType::Double> {
    using type = double;
};
template <>
struct SrsConfValue<SrsConfType::DurationS> {
    using type = srs_utime_t;
};
template <>
struct SrsConfValue<SrsConfType::DurationMs> {
    using type = srs_utime_t;
};
// A block or free-form directive reads as the directive itself (null when absent).
template <>
struct SrsConfValue<SrsConfType::Block> {
    using type = const SrsConfDirective*;
};
template <>
struct SrsConfValue<SrsConfType::Any> {
    using type = const SrsConfDirective*;
};

// One directive's key: its table path, typed by the row's type and scope.
template <SrsConfType T, SrsConfScope S>
struct SrsConfKey {
    using value_type = typename SrsConfValue<T>::type;
    static constexpr SrsConfType type = T;
    static constexpr SrsConfScope scope = S;
    const char* path;
};

// Every key: X(name, type, "table path"), in the order of the table. Adding a directive: add
// its key here and its row (built from the key) in srs_app_config_table.cpp; see doc/config.md.
// clang-format off
#define SRS_CONF_KEYS(X)                                                                        \
    X(server_id, String, "server_id")                                                           \
    X(listen, Endpoints, "listen")                                                              \
    X(pid, String, "pid")                                                                       \
    X(chunk_size, Int, "chunk_size")                                                            \
    X(ff_log_dir, String, "ff_log_dir")                                                         \
    X(ff_log_level, String, "ff_log_level")                                                     \
    X(srs_log_tank, String, "srs_log_tank")                                                     \
    X(srs_log_level, String, "srs_log_level")                                                   \
    X(srs_log_level_v2, String, "srs_log_level_v2")                                             \
    X(srs_log_file, String, "srs_log_file")                                                     \
    X(max_connections, Int, "max_connections")                                                  \
    X(daemon, Bool, "daemon")                                                                   \
    X(utc_time, Bool, "utc_time")                                                               \
    X(pithy_print_ms, DurationMs, "pithy_print_ms")                                             \
    X(work_dir, String, "work_dir")                                                             \
    X(asprocess, Bool, "asprocess")                                                             \
    X(empty_ip_ok, Bool, "empty_ip_ok")                                                         \
    X(in_docker, Bool, "in_docker")                                                             \
    X(grace_start_wait, DurationMs, "grace_start_wait")                                         \
    X(grace_final_wait, DurationMs, "grace_final_wait")                                         \
    X(force_grace_quit, Bool, "force_grace_quit")                                               \
    X(disable_daemon_for_docker, Bool, "disable_daemon_for_docker")                             \
    X(inotify_auto_reload, Bool, "inotify_auto_reload")                                         \
    X(auto_reload_for_docker, Bool, "auto_reload_for_docker")                                   \
    X(tcmalloc_release_rate, Double, "tcmalloc_release_rate")                                   \
    X(query_latest_version, Bool, "query_latest_version")                                       \
    X(first_wait_for_qlv, DurationS, "first_wait_for_qlv")                                      \
    X(is_full, Bool, "is_full")                                                                 \
    X(rtmp, Block, "rtmp")                                                                      \
    X(heartbeat, Block, "heartbeat")                                                            \
    X(heartbeat_enabled, Bool, "heartbeat.enabled")                                             \
    X(heartbeat_interval, DurationS, "heartbeat.interval")                                      \
    X(heartbeat_url, String, "heartbeat.url")                                                   \
    X(heartbeat_device_id, String, "heartbeat.device_id")                                       \
    X(heartbeat_summaries, Bool, "heartbeat.summaries")                                         \
    X(heartbeat_ports, Bool, "heartbeat.ports")                                                 \
    X(stats, Block, "stats")                                                                    \
    X(stats_enabled, Bool, "stats.enabled")                                                     \
    X(stats_network, Int, "stats.network")                                                      \
    X(stats_disk, Strings, "stats.disk")                                                        \
    X(http_api, Block, "http_api")                                                              \
    X(http_api_enabled, Bool, "http_api.enabled")                                               \
    X(http_api_listen, Endpoints, "http_api.listen")                                            \
    X(http_api_crossdomain, Bool, "http_api.crossdomain")                                       \
    X(http_api_raw_api, Block, "http_api.raw_api")                                              \
    X(http_api_raw_api_enabled, Bool, "http_api.raw_api.enabled")                               \
    X(http_api_raw_api_allow_reload, Bool, "http_api.raw_api.allow_reload")                     \
    X(http_api_raw_api_allow_query, Bool, "http_api.raw_api.allow_query")                       \
    X(http_api_raw_api_allow_update, Bool, "http_api.raw_api.allow_update")                     \
    X(http_api_auth, Block, "http_api.auth")                                                    \
    X(http_api_auth_enabled, Bool, "http_api.auth.enabled")                                     \
    X(http_api_auth_username, String, "http_api.auth.username")                                 \
    X(http_api_auth_password, String, "http_api.auth.password")                                 \
    X(http_api_https, Block, "http_api.https")                                                  \
    X(http_api_https_enabled, Bool, "http_api.https.enabled")                                   \
    X(http_api_https_listen, Endpoints, "http_api.https.listen")                                \
    X(http_api_https_key, String, "http_api.https.key")                                         \
    X(http_api_https_cert, String, "http_api.https.cert")                                       \
    X(http_server, Block, "http_server")                                                        \
    X(http_server_enabled, Bool, "http_server.enabled")                                         \
    X(http_server_listen, Endpoints, "http_server.listen")                                      \
    X(http_server_dir, String, "http_server.dir")                                               \
    X(http_server_crossdomain, Bool, "http_server.crossdomain")                                 \
    X(http_server_https, Block, "http_server.https")                                            \
    X(http_server_https_enabled, Bool, "http_server.https.enabled")                             \
    X(http_server_https_listen, Endpoints, "http_server.https.listen")                          \
    X(http_server_https_key, String, "http_server.https.key")                                   \
    X(http_server_https_cert, String, "http_server.https.cert")                                 \
    X(exporter, Block, "exporter")                                                              \
    X(exporter_enabled, Bool, "exporter.enabled")                                               \
    X(exporter_listen, Endpoints, "exporter.listen")                                            \
    X(exporter_label, String, "exporter.label")                                                 \
    X(exporter_tag, String, "exporter.tag")                                                     \
    X(stream_caster, Block, "stream_caster")                                                    \
    X(stream_caster_enabled, Bool, "stream_caster.enabled")                                     \
    X(stream_caster_caster, String, "stream_caster.caster")                                     \
    X(stream_caster_output, String, "stream_caster.output")                                     \
    X(stream_caster_listen, Endpoints, "stream_caster.listen")                                  \
    X(stream_caster_rtp_port_min, Int, "stream_caster.rtp_port_min")                            \
    X(stream_caster_rtp_port_max, Int, "stream_caster.rtp_port_max")                            \
    X(vhost, Block, "vhost")                                                                    \
    X(vhost_enabled, Bool, "vhost.enabled")                                                     \
    X(vhost_min_latency, Bool, "vhost.min_latency")                                             \
    X(vhost_tcp_nodelay, Bool, "vhost.tcp_nodelay")                                             \
    X(vhost_chunk_size, Int, "vhost.chunk_size")                                                \
    X(vhost_in_ack_size, Int, "vhost.in_ack_size")                                              \
    X(vhost_out_ack_size, Int, "vhost.out_ack_size")                                            \
    X(vhost_publish, Block, "vhost.publish")                                                    \
    X(vhost_publish_mr, Bool, "vhost.publish.mr")                                               \
    X(vhost_publish_mr_latency, DurationMs, "vhost.publish.mr_latency")                         \
    X(vhost_publish_firstpkt_timeout, DurationMs, "vhost.publish.firstpkt_timeout")             \
    X(vhost_publish_normal_timeout, DurationMs, "vhost.publish.normal_timeout")                 \
    X(vhost_publish_parse_sps, Bool, "vhost.publish.parse_sps")                                 \
    X(vhost_publish_try_annexb_first, Bool, "vhost.publish.try_annexb_first")                   \
    X(vhost_publish_kickoff_for_idle, DurationS, "vhost.publish.kickoff_for_idle")              \
    X(vhost_publish_stale_timeout, DurationMs, "vhost.publish.stale_timeout")                   \
    X(vhost_publish_max_partial_bytes, Int, "vhost.publish.max_partial_bytes")                 \
    X(vhost_mr, Block, "vhost.mr")                                                              \
    X(vhost_play, Block, "vhost.play")                                                          \
    X(vhost_play_gop_cache, Bool, "vhost.play.gop_cache")                                       \
    X(vhost_play_gop_cache_max_frames, Int, "vhost.play.gop_cache_max_frames")                  \
    X(vhost_play_queue_length, DurationS, "vhost.play.queue_length")                            \
    X(vhost_play_time_jitter, String, "vhost.play.time_jitter")                                 \
    X(vhost_play_mix_correct, Bool, "vhost.play.mix_correct")                                   \
    X(vhost_play_atc, Bool, "vhost.play.atc")                                                   \
    X(vhost_play_atc_auto, Bool, "vhost.play.atc_auto")                                         \
    X(vhost_play_mw_latency, DurationMs, "vhost.play.mw_latency")                               \
    X(vhost_play_mw_msgs, Int, "vhost.play.mw_msgs")                                            \
    X(vhost_play_send_min_interval, DurationMs, "vhost.play.send_min_interval")                 \
    X(vhost_play_reduce_sequence_header, Bool, "vhost.play.reduce_sequence_header")             \
    X(vhost_cluster, Block, "vhost.cluster")                                                    \
    X(vhost_cluster_mode, String, "vhost.cluster.mode")                                         \
    X(vhost_cluster_origin, Strings, "vhost.cluster.origin")                                    \
    X(vhost_cluster_token_traverse, Bool, "vhost.cluster.token_traverse")                       \
    X(vhost_cluster_vhost, String, "vhost.cluster.vhost")                                       \
    X(vhost_cluster_debug_srs_upnode, Bool, "vhost.cluster.debug_srs_upnode")                   \
    X(vhost_cluster_origin_cluster, Bool, "vhost.cluster.origin_cluster")                       \
    X(vhost_cluster_coworkers, Strings, "vhost.cluster.coworkers")                              \
    X(vhost_cluster_redis, String, "vhost.cluster.redis")                                       \
    X(vhost_cluster_protocol, String, "vhost.cluster.protocol")                                 \
    X(vhost_cluster_follow_client, Bool, "vhost.cluster.follow_client")                         \
    X(vhost_forward, Block, "vhost.forward")                                                    \
    X(vhost_forward_enabled, Bool, "vhost.forward.enabled")                                     \
    X(vhost_forward_destination, Strings, "vhost.forward.destination")                          \
    X(vhost_forward_backend, String, "vhost.forward.backend")                                   \
    X(vhost_refer, Block, "vhost.refer")                                                        \
    X(vhost_refer_enabled, Bool, "vhost.refer.enabled")                                         \
    X(vhost_refer_all, Strings, "vhost.refer.all")                                              \
    X(vhost_refer_publish, Strings, "vhost.refer.publish")                                      \
    X(vhost_refer_play, Strings, "vhost.refer.play")                                            \
    X(vhost_security, Block, "vhost.security")                                                  \
    X(vhost_security_enabled, Bool, "vhost.security.enabled")                                   \
    X(vhost_security_allow, Strings, "vhost.security.allow")                                    \
    X(vhost_security_deny, Strings, "vhost.security.deny")                                      \
    X(vhost_http_hooks, Block, "vhost.http_hooks")                                              \
    X(vhost_http_hooks_enabled, Bool, "vhost.http_hooks.enabled")                               \
    X(vhost_http_hooks_timeout, DurationS, "vhost.http_hooks.timeout")                          \
    X(vhost_http_hooks_on_connect, Strings, "vhost.http_hooks.on_connect")                      \
    X(vhost_http_hooks_on_close, Strings, "vhost.http_hooks.on_close")                          \
    X(vhost_http_hooks_on_publish, Strings, "vhost.http_hooks.on_publish")                      \
    X(vhost_http_hooks_on_unpublish, Strings, "vhost.http_hooks.on_unpublish")                  \
    X(vhost_http_hooks_on_play, Strings, "vhost.http_hooks.on_play")                            \
    X(vhost_http_hooks_on_stop, Strings, "vhost.http_hooks.on_stop")                            \
    X(vhost_http_hooks_on_dvr, Strings, "vhost.http_hooks.on_dvr")                              \
    X(vhost_http_hooks_on_hls, Strings, "vhost.http_hooks.on_hls")                              \
    X(vhost_http_hooks_on_hls_notify, String, "vhost.http_hooks.on_hls_notify")                 \
    X(vhost_hls, Block, "vhost.hls")                                                            \
    X(vhost_hls_enabled, Bool, "vhost.hls.enabled")                                             \
    X(vhost_hls_hls_fragment, DurationS, "vhost.hls.hls_fragment")                              \
    X(vhost_hls_hls_td_ratio, Double, "vhost.hls.hls_td_ratio")                                 \
    X(vhost_hls_hls_aof_ratio, Double, "vhost.hls.hls_aof_ratio")                               \
    X(vhost_hls_hls_window, DurationS, "vhost.hls.hls_window")                                  \
    X(vhost_hls_hls_on_error, String, "vhost.hls.hls_on_error")                                 \
    X(vhost_hls_hls_path, String, "vhost.hls.hls_path")                                         \
    X(vhost_hls_hls_m3u8_file, String, "vhost.hls.hls_m3u8_file")                               \
    X(vhost_hls_hls_ts_file, String, "vhost.hls.hls_ts_file")                                   \
    X(vhost_hls_hls_ts_floor, Bool, "vhost.hls.hls_ts_floor")                                   \
    X(vhost_hls_hls_entry_prefix, String, "vhost.hls.hls_entry_prefix")                         \
    X(vhost_hls_hls_acodec, String, "vhost.hls.hls_acodec")                                     \
    X(vhost_hls_hls_vcodec, String, "vhost.hls.hls_vcodec")                                     \
    X(vhost_hls_hls_cleanup, Bool, "vhost.hls.hls_cleanup")                                     \
    X(vhost_hls_hls_dispose, DurationS, "vhost.hls.hls_dispose")                                \
    X(vhost_hls_hls_wait_keyframe, Bool, "vhost.hls.hls_wait_keyframe")                         \
    X(vhost_hls_hls_nb_notify, Int, "vhost.hls.hls_nb_notify")                                  \
    X(vhost_hls_hls_keys, Bool, "vhost.hls.hls_keys")                                           \
    X(vhost_hls_hls_fragments_per_key, Int, "vhost.hls.hls_fragments_per_key")                  \
    X(vhost_hls_hls_key_file, String, "vhost.hls.hls_key_file")                                 \
    X(vhost_hls_hls_key_file_path, String, "vhost.hls.hls_key_file_path")                       \
    X(vhost_hls_hls_key_url, String, "vhost.hls.hls_key_url")                                   \
    X(vhost_hls_hls_dts_directly, Bool, "vhost.hls.hls_dts_directly")                           \
    X(vhost_hls_hls_ctx, Bool, "vhost.hls.hls_ctx")                                             \
    X(vhost_hls_hls_ts_ctx, Bool, "vhost.hls.hls_ts_ctx")                                       \
    X(vhost_hls_hls_use_fmp4, Bool, "vhost.hls.hls_use_fmp4")                                   \
    X(vhost_hls_hls_fmp4_file, String, "vhost.hls.hls_fmp4_file")                               \
    X(vhost_hls_hls_init_file, String, "vhost.hls.hls_init_file")                               \
    X(vhost_hls_hls_recover, Bool, "vhost.hls.hls_recover")                                     \
    X(vhost_hls_hls_master_m3u8_path_relative, Bool, "vhost.hls.hls_master_m3u8_path_relative") \
    X(vhost_hls_hls_storage, String, "vhost.hls.hls_storage")                                   \
    X(vhost_dash, Block, "vhost.dash") \
    X(vhost_dash_enabled, Bool, "vhost.dash.enabled") \
    X(vhost_dash_dash_fragment, DurationS, "vhost.dash.dash_fragment") \
    X(vhost_dash_dash_update_period, DurationS, "vhost.dash.dash_update_period") \
    X(vhost_dash_dash_timeshift, DurationS, "vhost.dash.dash_timeshift") \
    X(vhost_dash_dash_path, String, "vhost.dash.dash_path") \
    X(vhost_dash_dash_mpd_file, String, "vhost.dash.dash_mpd_file") \
    X(vhost_dash_dash_window_size, Int, "vhost.dash.dash_window_size") \
    X(vhost_dash_dash_cleanup, Bool, "vhost.dash.dash_cleanup") \
    X(vhost_dash_dash_dispose, DurationS, "vhost.dash.dash_dispose") \
    X(vhost_dash_dash_storage, String, "vhost.dash.dash_storage") \
    X(vhost_http_remux, Block, "vhost.http_remux")                                              \
    X(vhost_http_remux_enabled, Bool, "vhost.http_remux.enabled")                               \
    X(vhost_http_remux_fast_cache, DurationS, "vhost.http_remux.fast_cache")                    \
    X(vhost_http_remux_drop_if_not_match, Bool, "vhost.http_remux.drop_if_not_match")           \
    X(vhost_http_remux_has_audio, Bool, "vhost.http_remux.has_audio")                           \
    X(vhost_http_remux_has_video, Bool, "vhost.http_remux.has_video")                           \
    X(vhost_http_remux_guess_has_av, Bool, "vhost.http_remux.guess_has_av")                     \
    X(vhost_http_remux_mount, String, "vhost.http_remux.mount")                                 \
    X(vhost_http_remux_mp4_fragment, DurationS, "vhost.http_remux.mp4_fragment")                \
    X(vhost_http_static, Block, "vhost.http_static")                                            \
    X(vhost_http_static_enabled, Bool, "vhost.http_static.enabled")                             \
    X(vhost_http_static_mount, String, "vhost.http_static.mount")                               \
    X(vhost_http_static_dir, String, "vhost.http_static.dir")                                   \
    X(vhost_dvr, Block, "vhost.dvr")                                                            \
    X(vhost_dvr_enabled, Bool, "vhost.dvr.enabled")                                             \
    X(vhost_dvr_dvr_apply, Strings, "vhost.dvr.dvr_apply")                                      \
    X(vhost_dvr_dvr_plan, String, "vhost.dvr.dvr_plan")                                         \
    X(vhost_dvr_dvr_path, String, "vhost.dvr.dvr_path")                                         \
    X(vhost_dvr_dvr_duration, DurationS, "vhost.dvr.dvr_duration")                              \
    X(vhost_dvr_dvr_wait_keyframe, Bool, "vhost.dvr.dvr_wait_keyframe")                         \
    X(vhost_dvr_time_jitter, String, "vhost.dvr.time_jitter")                                   \
    X(vhost_exec, Block, "vhost.exec")                                                          \
    X(vhost_exec_enabled, Bool, "vhost.exec.enabled")                                           \
    X(vhost_exec_publish, Strings, "vhost.exec.publish")                                        \
    X(vhost_transcode, Block, "vhost.transcode")                                                \
    X(vhost_transcode_enabled, Bool, "vhost.transcode.enabled")                                 \
    X(vhost_transcode_ffmpeg, String, "vhost.transcode.ffmpeg")                                 \
    X(vhost_transcode_engine, Block, "vhost.transcode.engine")                                  \
    X(vhost_transcode_engine_enabled, Bool, "vhost.transcode.engine.enabled")                   \
    X(vhost_transcode_engine_perfile, Any, "vhost.transcode.engine.perfile")                    \
    X(vhost_transcode_engine_iformat, String, "vhost.transcode.engine.iformat")                 \
    X(vhost_transcode_engine_vfilter, Any, "vhost.transcode.engine.vfilter")                    \
    X(vhost_transcode_engine_vcodec, String, "vhost.transcode.engine.vcodec")                   \
    X(vhost_transcode_engine_vbitrate, Int, "vhost.transcode.engine.vbitrate")                  \
    X(vhost_transcode_engine_vfps, Double, "vhost.transcode.engine.vfps")                       \
    X(vhost_transcode_engine_vwidth, Int, "vhost.transcode.engine.vwidth")                      \
    X(vhost_transcode_engine_vheight, Int, "vhost.transcode.engine.vheight")                    \
    X(vhost_transcode_engine_vthreads, Int, "vhost.transcode.engine.vthreads")                  \
    X(vhost_transcode_engine_vprofile, String, "vhost.transcode.engine.vprofile")               \
    X(vhost_transcode_engine_vpreset, String, "vhost.transcode.engine.vpreset")                 \
    X(vhost_transcode_engine_vparams, Any, "vhost.transcode.engine.vparams")                    \
    X(vhost_transcode_engine_acodec, String, "vhost.transcode.engine.acodec")                   \
    X(vhost_transcode_engine_abitrate, Int, "vhost.transcode.engine.abitrate")                  \
    X(vhost_transcode_engine_asample_rate, Int, "vhost.transcode.engine.asample_rate")          \
    X(vhost_transcode_engine_achannels, Int, "vhost.transcode.engine.achannels")                \
    X(vhost_transcode_engine_aparams, Any, "vhost.transcode.engine.aparams")                    \
    X(vhost_transcode_engine_oformat, String, "vhost.transcode.engine.oformat")                 \
    X(vhost_transcode_engine_output, String, "vhost.transcode.engine.output")                   \
    X(vhost_ingest, Block, "vhost.ingest")                                                      \
    X(vhost_ingest_enabled, Bool, "vhost.ingest.enabled")                                       \
    X(vhost_ingest_input, Block, "vhost.ingest.input")                                          \
    X(vhost_ingest_input_type, String, "vhost.ingest.input.type")                               \
    X(vhost_ingest_input_url, String, "vhost.ingest.input.url")                                 \
    X(vhost_ingest_ffmpeg, String, "vhost.ingest.ffmpeg")                                       \
    X(vhost_ingest_engine, Block, "vhost.ingest.engine")                                        \
    X(vhost_ingest_engine_enabled, Bool, "vhost.ingest.engine.enabled")                         \
    X(vhost_ingest_engine_perfile, Any, "vhost.ingest.engine.perfile")                          \
    X(vhost_ingest_engine_iformat, String, "vhost.ingest.engine.iformat")                       \
    X(vhost_ingest_engine_vfilter, Any, "vhost.ingest.engine.vfilter")                          \
    X(vhost_ingest_engine_vcodec, String, "vhost.ingest.engine.vcodec")                         \
    X(vhost_ingest_engine_vbitrate, Int, "vhost.ingest.engine.vbitrate")                        \
    X(vhost_ingest_engine_vfps, Double, "vhost.ingest.engine.vfps")                             \
    X(vhost_ingest_engine_vwidth, Int, "vhost.ingest.engine.vwidth")                            \
    X(vhost_ingest_engine_vheight, Int, "vhost.ingest.engine.vheight")                          \
    X(vhost_ingest_engine_vthreads, Int, "vhost.ingest.engine.vthreads")                        \
    X(vhost_ingest_engine_vprofile, String, "vhost.ingest.engine.vprofile")                     \
    X(vhost_ingest_engine_vpreset, String, "vhost.ingest.engine.vpreset")                       \
    X(vhost_ingest_engine_vparams, Any, "vhost.ingest.engine.vparams")                          \
    X(vhost_ingest_engine_acodec, String, "vhost.ingest.engine.acodec")                         \
    X(vhost_ingest_engine_abitrate, Int, "vhost.ingest.engine.abitrate")                        \
    X(vhost_ingest_engine_asample_rate, Int, "vhost.ingest.engine.asample_rate")                \
    X(vhost_ingest_engine_achannels, Int, "vhost.ingest.engine.achannels")                      \
    X(vhost_ingest_engine_aparams, Any, "vhost.ingest.engine.aparams")                          \
    X(vhost_ingest_engine_oformat, String, "vhost.ingest.engine.oformat")                       \
    X(vhost_ingest_engine_output, String, "vhost.ingest.engine.output")
// clang-format on

namespace srs_key {
#define SRS_CONF_DECLARE_KEY(name, type, path) \
    inline constexpr SrsConfKey<SrsConfType::type, srs_conf_scope_of(path)> name{path};
SRS_CONF_KEYS(SRS_CONF_DECLARE_KEY)
#undef SRS_CONF_DECLARE_KEY
}  // namespace srs_key

// The keys of a transcode engine, whose rows vhost.transcode.engine and vhost.ingest.engine
// share: one loader reads either.
struct SrsConfEngineKeys {
    SrsConfKey<SrsConfType::Block, SrsConfScope::Block> engine;
    SrsConfKey<SrsConfType::Bool, SrsConfScope::Block> enabled;
    SrsConfKey<SrsConfType::Any, SrsConfScope::Block> perfile;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> iformat;
    SrsConfKey<SrsConfType::Any, SrsConfScope::Block> vfilter;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> vcodec;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> vbitrate;
    SrsConfKey<SrsConfType::Double, SrsConfScope::Block> vfps;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> vwidth;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> vheight;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> vthreads;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> vprofile;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> vpreset;
    SrsConfKey<SrsConfType::Any, SrsConfScope::Block> vparams;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> acodec;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> abitrate;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> asample_rate;
    SrsConfKey<SrsConfType::Int, SrsConfScope::Block> achannels;
    SrsConfKey<SrsConfType::Any, SrsConfScope::Block> aparams;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> oformat;
    SrsConfKey<SrsConfType::String, SrsConfScope::Block> output;
};

namespace srs_engine_keys {
#define SRS_CONF_ENGINE_KEYS(p)                                                                                \
    {                                                                                                          \
        p, p##_enabled, p##_perfile, p##_iformat, p##_vfilter, p##_vcodec, p##_vbitrate, p##_vfps, p##_vwidth, \
            p##_vheight, p##_vthreads, p##_vprofile, p##_vpreset, p##_vparams, p##_acodec, p##_abitrate,       \
            p##_asample_rate, p##_achannels, p##_aparams, p##_oformat, p##_output                              \
    }
inline constexpr SrsConfEngineKeys transcode = SRS_CONF_ENGINE_KEYS(srs_key::vhost_transcode_engine);
inline constexpr SrsConfEngineKeys ingest = SRS_CONF_ENGINE_KEYS(srs_key::vhost_ingest_engine);
#undef SRS_CONF_ENGINE_KEYS
}  // namespace srs_engine_keys

// A key as data, for the checks of the table (every key has its row, of its type).
struct SrsConfKeyInfo {
    const char* name;
    const char* path;
    SrsConfType type;
    SrsConfScope scope;
};
// Every key of SRS_CONF_KEYS, in order.
const std::vector<SrsConfKeyInfo>& srs_config_keys();
