// The rows follow SRS's trunk/conf/full.conf for names, placement and defaults, so SRS users'
// configs load unchanged. Where SRS moved a directive between versions, the other placements
// are aliases; the config moves them to the canonical path when it loads.
#include <srs_app_config_table.hpp>

#include <srs_app_config_keys.hpp>

#include <srs_core_utility.hpp>

#include <arpa/inet.h>

#include <map>
#include <memory>
#include <set>

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

const char* srs_conf_type_name(SrsConfType type) {
    switch (type) {
        case SrsConfType::Block:
            return "block";
        case SrsConfType::Any:
            return "free-form";
        case SrsConfType::Ignored:
            return "ignored";
        case SrsConfType::String:
            return "string";
        case SrsConfType::Strings:
            return "strings";
        case SrsConfType::Endpoints:
            return "endpoints";
        case SrsConfType::Bool:
            return "on|off";
        case SrsConfType::Int:
            return "integer";
        case SrsConfType::Double:
            return "number";
        case SrsConfType::DurationS:
            return "seconds";
        case SrsConfType::DurationMs:
            return "milliseconds";
    }
    return "unknown";
}

SrsConfSpec::SrsConfSpec(std::string p, SrsConfType t, std::string def)
    : path(std::move(p)), type(t), default_value(std::move(def)) {}

SrsConfSpec& SrsConfSpec::range(double lo, double hi) {
    has_min = has_max = true;
    min = lo;
    max = hi;
    return *this;
}

SrsConfSpec& SrsConfSpec::at_least(double lo) {
    has_min = true;
    min = lo;
    return *this;
}

SrsConfSpec& SrsConfSpec::reload(bool yes) {
    reloadable = yes;
    return *this;
}

SrsConfSpec& SrsConfSpec::reload(SrsReloadMode mode, std::string how) {
    reloadable = true;
    has_reload_rule = true;
    reload_mode = mode;
    reload_how = std::move(how);
    return *this;
}

SrsConfSpec& SrsConfSpec::many() {
    multi = true;
    return *this;
}

SrsConfSpec& SrsConfSpec::legacy_block() {
    legacy = true;
    return *this;
}

SrsConfSpec& SrsConfSpec::one_of(std::vector<std::string> values) {
    choices = std::move(values);
    return *this;
}

SrsConfSpec& SrsConfSpec::alias(const std::string& legacy_path) {
    aliases.push_back(legacy_path);
    return *this;
}

SrsConfSpec& SrsConfSpec::inherits(const std::string& global_path) {
    inherit = global_path;
    return *this;
}

SrsConfSpec& SrsConfSpec::eg(const std::string& text) {
    example = text;
    return *this;
}

SrsConfSpec& SrsConfSpec::doc(const std::string& text) {
    help = text;
    return *this;
}

SrsConfSpec& SrsConfSpec::check(std::string (*fn)(const std::vector<std::string>& args)) {
    checker = fn;
    return *this;
}

bool SrsConfSpec::is_scalar() const {
    return type == SrsConfType::String || type == SrsConfType::Bool || type == SrsConfType::Int ||
           type == SrsConfType::Double || type == SrsConfType::DurationS || type == SrsConfType::DurationMs;
}

namespace {

bool is_ip(const std::string& s) {
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_port(const std::string& s) {
    int64_t p = 0;
    return !s.empty() && s[0] != '+' && s[0] != '-' && srs_parse_int64(s, &p) && p >= 1 && p <= 65535;
}

}  // namespace

std::string srs_conf_check_security_rule(const std::vector<std::string>& args) {
    const char* expect = "expect publish|play all|IP|CIDR";
    if (args.size() != 2 || (args[0] != "publish" && args[0] != "play")) {
        return expect;
    }
    const std::string& who = args[1];
    if (who == "all" || is_ip(who)) {
        return "";
    }
    size_t slash = who.find('/');
    if (slash != std::string::npos) {
        std::string ip = who.substr(0, slash);
        int64_t bits = -1;
        int max = ip.find(':') != std::string::npos ? 128 : 32;
        if (is_ip(ip) && srs_parse_int64(who.substr(slash + 1), &bits) && bits >= 0 && bits <= max) {
            return "";
        }
    }
    return expect;
}

std::string srs_conf_check_hosts(const std::vector<std::string>& args) {
    const char* expect = "expect host[:port] with port 1-65535";
    for (const std::string& a : args) {
        if (a.empty()) {
            return expect;
        }
        std::string port;
        if (a[0] == '[') {
            size_t close = a.find(']');
            if (close == std::string::npos || close == 1) {
                return expect;
            }
            if (close + 1 < a.size()) {
                if (a[close + 1] != ':') {
                    return expect;
                }
                port = a.substr(close + 2);
                if (!is_port(port)) {
                    return expect;
                }
            }
            continue;
        }
        size_t colon = a.rfind(':');
        if (colon == 0) {
            return expect;
        }
        if (colon != std::string::npos && !is_port(a.substr(colon + 1))) {
            return expect;
        }
    }
    return "";
}

namespace {

using T = SrsConfType;
namespace K = srs_key;
using M = SrsReloadMode;

// The rows of a transcode engine, shared by vhost.transcode.engine and vhost.ingest.engine.
void add_engine(std::vector<SrsConfSpec>& t, const SrsConfEngineKeys& k) {
    t.push_back(SrsConfSpec(k.engine).range(0, 1).many().reload().eg("hd").doc(
        "A transcode engine, optionally named; each enabled engine runs one ffmpeg per stream."));
    t.push_back(SrsConfSpec(k.enabled, "off")
                    .reload()
                    .doc("Whether the engine runs; when off (or no codecs set) the stream is copied."));
    t.push_back(SrsConfSpec(k.perfile).reload().eg("re;").doc(
        "ffmpeg options before -i, one per line (re; rtsp_transport tcp;)."));
    t.push_back(
        SrsConfSpec(k.iformat, "flv").reload().doc("The input format, ffmpeg -f before -i; off lets ffmpeg guess."));
    t.push_back(SrsConfSpec(k.vfilter)
                    .reload()
                    .eg("i ./doc/ffmpeg-logo.png; filter_complex 'overlay=10:10';")
                    .doc("ffmpeg filter options between -i and -vcodec, one per line."));
    t.push_back(SrsConfSpec(k.vcodec).reload().eg("libx264").doc(
        "The video encoder, ffmpeg -vcodec: libx264, copy, vn (no video) or png."));
    t.push_back(SrsConfSpec(k.vbitrate, "0")
                    .at_least(0)
                    .reload()
                    .doc("The video bitrate in kbps, ffmpeg -b:v; 0 keeps the source's."));
    t.push_back(
        SrsConfSpec(k.vfps, "0").at_least(0).reload().doc("The video frame rate, ffmpeg -r; 0 keeps the source's."));
    t.push_back(SrsConfSpec(k.vwidth, "0")
                    .at_least(0)
                    .reload()
                    .doc("The video width (even), ffmpeg -s; 0 keeps the source's."));
    t.push_back(SrsConfSpec(k.vheight, "0")
                    .at_least(0)
                    .reload()
                    .doc("The video height (even), ffmpeg -s; 0 keeps the source's."));
    t.push_back(SrsConfSpec(k.vthreads, "1").at_least(0).reload().doc("The encoder threads, ffmpeg -threads."));
    t.push_back(SrsConfSpec(k.vprofile)
                    .reload()
                    .eg("main")
                    .doc("The x264 profile, ffmpeg -profile:v: baseline, main or high."));
    t.push_back(
        SrsConfSpec(k.vpreset).reload().eg("medium").doc("The x264 preset, ffmpeg -preset: ultrafast ... placebo."));
    t.push_back(SrsConfSpec(k.vparams)
                    .reload()
                    .eg("t 100; coder 1;")
                    .doc("More video options after -preset, one `name value;` per line."));
    t.push_back(SrsConfSpec(k.acodec)
                    .reload()
                    .eg("libfdk_aac")
                    .doc("The audio encoder, ffmpeg -acodec: libfdk_aac, aac, copy or an (no audio)."));
    t.push_back(SrsConfSpec(k.abitrate, "0")
                    .at_least(0)
                    .reload()
                    .doc("The audio bitrate in kbps, ffmpeg -b:a; 0 keeps the source's."));
    t.push_back(SrsConfSpec(k.asample_rate, "0")
                    .at_least(0)
                    .reload()
                    .doc("The audio sample rate, ffmpeg -ar (44100, 22050, 11025 for FLV); 0 keeps the source's."));
    t.push_back(SrsConfSpec(k.achannels, "0")
                    .range(0, 8)
                    .reload()
                    .doc("The audio channels, ffmpeg -ac (1 mono, 2 stereo); 0 keeps the source's."));
    t.push_back(SrsConfSpec(k.aparams)
                    .reload()
                    .eg("profile:a aac_low;")
                    .doc("More audio options after -ac, one `name value;` per line."));
    t.push_back(SrsConfSpec(k.oformat, "flv")
                    .reload()
                    .doc("The output format, ffmpeg -f: flv, image2 (snapshots) or off to guess."));
    t.push_back(
        SrsConfSpec(k.output)
            .reload()
            .eg("rtmp://127.0.0.1:[port]/[app]/[stream]_[engine]?vhost=[vhost]")
            .doc("The output URL; variables [vhost] [port] [app] [stream] [engine] [param] and the date ones."));
}

std::vector<SrsConfSpec> build_table() {
    std::vector<SrsConfSpec> t;
    auto add = [&t](SrsConfSpec s) { t.push_back(std::move(s)); };

    // ------------------------------------------------------------------ global
    add(SrsConfSpec(K::server_id)
            .eg("srs-ie193id")
            .doc("The id of this server in the API and callbacks; a random id when empty."));
    add(SrsConfSpec(K::listen, "1935")
            .reload(M::AtOnce,
                    "New ports open and removed ports close; connections on a port that stays are untouched.")
            .alias("rtmp.listen")
            .doc("The RTMP listen endpoints: port, ip:port or [ipv6]:port, separated by spaces."));
    add(SrsConfSpec(K::pid, "./objs/srs.pid").doc("The pid file, locked so that only one server runs per file."));
    add(SrsConfSpec(K::chunk_size, "60000")
            .range(128, 65536)
            .reload(M::NewClients, "RTMP connections made after the reload (a vhost's chunk_size inherits it).")
            .alias("rtmp.chunk_size")
            .doc("The RTMP chunk size the server sends with; larger chunks cost less CPU."));
    add(SrsConfSpec(K::ff_log_dir, "./objs")
            .doc("The directory of the ffmpeg logs of transcode and ingest; /dev/null for none."));
    add(SrsConfSpec(K::ff_log_level, "info")
            .one_of({"quiet", "panic", "fatal", "error", "warning", "info", "verbose", "debug", "trace"})
            .doc("The ffmpeg -loglevel of transcode and ingest."));
    add(SrsConfSpec(K::srs_log_tank, "file")
            .one_of({"console", "file"})
            .reload(M::AtOnce, "The logger switches output.")
            .doc("Where the server logs: console or file (srs_log_file)."));
    add(SrsConfSpec(K::srs_log_level, "trace")
            .one_of({"verbose", "info", "trace", "warn", "error"})
            .reload(M::AtOnce, "The logger switches level.")
            .doc("The lowest level logged: verbose, info, trace, warn or error."));
    add(SrsConfSpec(K::srs_log_level_v2)
            .one_of({"trace", "debug", "info", "warn", "error"})
            .reload(M::NotUsed)
            .eg("info")
            .doc("SRS 5's level names (trace debug info warn error); overrides srs_log_level when set."));
    add(SrsConfSpec(K::srs_log_file, "./objs/srs.log")
            .reload(M::AtOnce, "The logger reopens on the new file.")
            .doc("The log file when srs_log_tank is file; reopened on SIGUSR1 for logrotate."));
    add(SrsConfSpec(K::max_connections, "1000")
            .range(1, 10000000)
            .reload(M::AtOnce, "Checked at each accept; lowering it drops no connection.")
            .doc("The most client connections; new ones beyond it are closed at once."));
    add(SrsConfSpec(K::daemon, "on").doc("Whether to run in the background as a daemon."));
    add(SrsConfSpec(K::utc_time, "off").doc("Whether log times and file name dates use UTC instead of local time."));
    add(SrsConfSpec(K::pithy_print_ms, "10000")
            .at_least(100)
            .reload(M::NotUsed)
            .doc("How often the periodic status lines of each stream are logged."));
    add(SrsConfSpec(K::work_dir, "./").doc("The directory to chdir to at startup."));
    add(SrsConfSpec(K::asprocess, "off")
            .doc("Whether to quit when the parent process exits (under a supervisor); conflicts with daemon."));
    add(SrsConfSpec(K::empty_ip_ok, "on")
            .reload(M::NotUsed)
            .doc("Whether a client without a peer IP (load balancer health checks) is closed silently."));
    add(SrsConfSpec(K::in_docker, "off").doc("Whether the server runs in docker, when detection fails."));
    add(SrsConfSpec(K::grace_start_wait, "2300")
            .reload(M::NotUsed)
            .doc("On a graceful quit (SIGQUIT), how long to keep accepting before closing the listeners."));
    add(SrsConfSpec(K::grace_final_wait, "3200")
            .reload(M::AtOnce, "Read when a graceful quit (SIGQUIT) starts.")
            .doc("On a graceful quit, how long to wait for the connections to finish."));
    add(SrsConfSpec(K::force_grace_quit, "off")
            .reload(M::NotUsed)
            .doc("Whether SIGTERM quits gracefully too, as SIGQUIT does (for K8S rolling updates)."));
    add(SrsConfSpec(K::disable_daemon_for_docker, "on").doc("Whether daemon is forced off in docker."));
    add(SrsConfSpec(K::inotify_auto_reload, "off")
            .doc("Whether to reload when the config file changes, watched with inotify."));
    add(SrsConfSpec(K::auto_reload_for_docker, "on").doc("Whether inotify_auto_reload is forced on in docker."));
    add(SrsConfSpec(K::tcmalloc_release_rate, "0.8")
            .range(0, 10)
            .reload(M::NotUsed)
            .doc("With tcmalloc (SRS_GPERF builds), how fast freed memory returns to the system."));
    add(SrsConfSpec(K::query_latest_version, "off")
            .doc("Whether to ask the project's site for the latest version and log a notice."));
    add(SrsConfSpec(K::first_wait_for_qlv, "300").doc("How long after startup the latest version is first queried."));
    add(SrsConfSpec(K::is_full, "off")
            .doc("Marks conf/full.conf, a reference of every directive that the server refuses to run with."));
    add(SrsConfSpec(K::rtmp).legacy_block().doc(
        "SRS 7's placement of listen and chunk_size; moved to the top level when loading."));

    // ------------------------------------------------------------------ heartbeat, stats
    add(SrsConfSpec(K::heartbeat).reload(M::NotUsed).doc("Reports this server to an HTTP API periodically."));
    add(SrsConfSpec(K::heartbeat_enabled, "off").reload().doc("Whether the heartbeat is sent."));
    add(SrsConfSpec(K::heartbeat_interval, "9.9").at_least(0.1).reload().doc("The interval of the heartbeat."));
    add(SrsConfSpec(K::heartbeat_url, "http://127.0.0.1:8085/api/v1/servers")
            .reload()
            .doc("The URL the heartbeat JSON (device_id, ip, ...) is POSTed to."));
    add(SrsConfSpec(K::heartbeat_device_id).reload().eg("my-srs-device").doc("The device id in the heartbeat."));
    add(SrsConfSpec(K::heartbeat_summaries, "off").reload().doc("Whether the heartbeat carries /api/v1/summaries."));
    add(SrsConfSpec(K::heartbeat_ports, "off").reload().doc("Whether the heartbeat carries the listen ports."));
    add(SrsConfSpec(K::stats).reload(M::NotUsed).doc("System statistics for the API (/api/v1/summaries)."));
    add(SrsConfSpec(K::stats_enabled, "on").reload().doc("Whether system resources are sampled."));
    add(SrsConfSpec(K::stats_network, "0")
            .range(0, 1024)
            .reload()
            .doc("The index of the network interface whose IP is reported."));
    add(SrsConfSpec(K::stats_disk)
            .reload(M::AtOnce, "The disks the API samples.")
            .eg("sda sdb xvda xvdb")
            .doc("The disk devices whose IO is sampled from /proc/diskstats."));

    // ------------------------------------------------------------------ HTTP API, server, exporter
    add(SrsConfSpec(K::http_api)
            .reload(M::AtOnce, "The listener opens or closes; auth, crossdomain and raw_api apply to the next request.")
            .doc("The HTTP API (/api/v1), for management and stats."));
    add(SrsConfSpec(K::http_api_enabled, "off").reload().doc("Whether the HTTP API listens."));
    add(SrsConfSpec(K::http_api_listen, "1985")
            .reload()
            .doc("The HTTP API listen endpoints; the same as http_server's shares one server."));
    add(SrsConfSpec(K::http_api_crossdomain, "on")
            .reload()
            .doc("Whether CORS headers allow browsers on other origins."));
    add(SrsConfSpec(K::http_api_raw_api).reload().doc("The raw API that changes the server."));
    add(SrsConfSpec(K::http_api_raw_api_enabled, "off").reload().doc("Whether the raw API is served."));
    add(SrsConfSpec(K::http_api_raw_api_allow_reload, "off")
            .reload()
            .doc("Whether /api/v1/raw?rpc=reload may reload the config."));
    add(SrsConfSpec(K::http_api_raw_api_allow_query, "off")
            .reload()
            .doc("Whether the raw API may query the config (always off in SRS 4+)."));
    add(SrsConfSpec(K::http_api_raw_api_allow_update, "off")
            .reload()
            .doc("Whether the raw API may update the config (always off in SRS 4+)."));
    add(SrsConfSpec(K::http_api_auth).reload().doc("HTTP Basic authentication of the API."));
    add(SrsConfSpec(K::http_api_auth_enabled, "off").reload().doc("Whether the API requires a login."));
    add(SrsConfSpec(K::http_api_auth_username).reload().eg("admin").doc("The Basic auth user name."));
    add(SrsConfSpec(K::http_api_auth_password).reload().eg("admin").doc("The Basic auth password."));
    add(SrsConfSpec(K::http_api_https).reload(M::NotUsed).doc("The HTTPS API."));
    add(SrsConfSpec(K::http_api_https_enabled, "off").reload().doc("Whether the HTTPS API listens."));
    add(SrsConfSpec(K::http_api_https_listen, "1990").reload().doc("The HTTPS API listen endpoints."));
    add(SrsConfSpec(K::http_api_https_key, "./conf/server.key").reload().doc("The TLS private key file."));
    add(SrsConfSpec(K::http_api_https_cert, "./conf/server.crt").reload().doc("The TLS certificate file."));

    add(SrsConfSpec(K::http_server)
            .reload(M::AtOnce, "The listener opens or closes; dir and crossdomain apply to the next request.")
            .alias("http_stream")
            .doc("The HTTP server for static files, HLS and HTTP-FLV (http_stream in SRS 1)."));
    add(SrsConfSpec(K::http_server_enabled, "off").reload().doc("Whether the HTTP server listens."));
    add(SrsConfSpec(K::http_server_listen, "8080").reload().doc("The HTTP server listen endpoints."));
    add(SrsConfSpec(K::http_server_dir, "./objs/nginx/html")
            .reload()
            .doc("The document root of static files (and where HLS is written by default)."));
    add(SrsConfSpec(K::http_server_crossdomain, "on")
            .reload()
            .doc("Whether CORS headers allow players on other origins."));
    add(SrsConfSpec(K::http_server_https).reload(M::NotUsed).doc("The HTTPS server."));
    add(SrsConfSpec(K::http_server_https_enabled, "off").reload().doc("Whether the HTTPS server listens."));
    add(SrsConfSpec(K::http_server_https_listen, "8088").reload().doc("The HTTPS server listen endpoints."));
    add(SrsConfSpec(K::http_server_https_key, "./conf/server.key").reload().doc("The TLS private key file."));
    add(SrsConfSpec(K::http_server_https_cert, "./conf/server.crt").reload().doc("The TLS certificate file."));

    add(SrsConfSpec(K::exporter)
            .reload(M::AtOnce, "The listener opens or closes; labels apply to the next scrape.")
            .doc("The Prometheus exporter (/metrics)."));
    add(SrsConfSpec(K::exporter_enabled, "off").reload().doc("Whether the exporter listens."));
    add(SrsConfSpec(K::exporter_listen, "9972").reload().doc("The exporter listen endpoints."));
    add(SrsConfSpec(K::exporter_label).reload().eg("cn-beijing").doc("The label of the metrics."));
    add(SrsConfSpec(K::exporter_tag).reload().eg("cn-edge").doc("The tag of the metrics."));

    // ------------------------------------------------------------------ stream casters
    add(SrsConfSpec(K::stream_caster)
            .range(0, 0)
            .many()
            .doc("Converts another protocol (FLV over HTTP POST, MPEG-TS over UDP) to RTMP; one block per caster."));
    add(SrsConfSpec(K::stream_caster_enabled, "off").doc("Whether the caster runs."));
    add(SrsConfSpec(K::stream_caster_caster)
            .one_of({"flv", "mpegts_over_udp", "gb28181", "rtsp"})
            .eg("flv")
            .doc("The input protocol: flv (HTTP POST), mpegts_over_udp, gb28181 or rtsp."));
    add(SrsConfSpec(K::stream_caster_output)
            .eg("rtmp://127.0.0.1/[app]/[stream]")
            .doc("The RTMP URL the stream is published to; [app] and [stream] come from the input."));
    add(SrsConfSpec(K::stream_caster_listen).eg("8936").doc("The caster's listen endpoint."));
    add(SrsConfSpec(K::stream_caster_rtp_port_min, "57200").range(1, 65535).doc("The lowest RTP port (rtsp)."));
    add(SrsConfSpec(K::stream_caster_rtp_port_max, "57300").range(1, 65535).doc("The highest RTP port (rtsp)."));
    add(SrsConfSpec("stream_caster.sip", T::Ignored).doc("GB28181 SIP settings; not supported, ignored."));

    // ------------------------------------------------------------------ SRS sections not supported
    add(SrsConfSpec("rtmps", T::Ignored).doc("RTMPS (RTMP over TLS) of SRS 6; not supported, ignored."));
    add(SrsConfSpec("rtc_server", T::Ignored).doc("The WebRTC server of SRS; not supported, ignored."));
    add(SrsConfSpec("srt_server", T::Ignored).doc("The SRT server of SRS; not supported, ignored."));
    add(SrsConfSpec("rtsp_server", T::Ignored).doc("The RTSP server of SRS 7; not supported, ignored."));
    add(SrsConfSpec("circuit_breaker", T::Ignored).doc("SRS's WebRTC circuit breaker; not supported, ignored."));

    // ------------------------------------------------------------------ vhost
    add(SrsConfSpec(K::vhost)
            .range(1, 1)
            .many()
            .reload()
            .eg("__defaultVhost__")
            .doc("A virtual host, by the host of the client's URL; __defaultVhost__ serves any host not declared."));
    add(SrsConfSpec(K::vhost_enabled, "on")
            .reload(M::AtOnce,
                    "off: every publisher and player of the vhost (RTMP, HTTP-FLV/TS/AAC/MP3) is disconnected and its "
                    "HLS stops; on: new clients are accepted.")
            .doc("Whether the vhost serves; when off, every client of it is refused."));
    add(SrsConfSpec(K::vhost_min_latency, "off")
            .reload(M::AtOnce, "Running players switch between realtime and merged write at their next wake-up.")
            .doc("Low latency mode: no merged read, and players wake on every message."));
    add(SrsConfSpec(K::vhost_tcp_nodelay, "off")
            .reload(M::AtOnce, "Set on running RTMP players' sockets; publishers at their next publish.")
            .doc("Whether TCP_NODELAY is set on the clients' sockets."));
    add(SrsConfSpec(K::vhost_chunk_size)
            .range(128, 65536)
            .inherits("chunk_size")
            .reload(M::NewClients, "Sent at connect.")
            .doc("The RTMP chunk size of this vhost; the global chunk_size when absent."));
    add(SrsConfSpec(K::vhost_in_ack_size, "0")
            .at_least(0)
            .reload(M::NotUsed)
            .doc("The acknowledgement window asked of publishers, in bytes; 0 to not set."));
    add(SrsConfSpec(K::vhost_out_ack_size, "2500000")
            .at_least(0)
            .reload(M::NewClients, "Sent at connect.")
            .doc("The acknowledgement window announced to players, in bytes; 0 to not set."));

    add(SrsConfSpec(K::vhost_publish).reload(M::NotUsed).doc("How publishers (encoders) are read."));
    add(SrsConfSpec(K::vhost_publish_mr, "off")
            .reload()
            .alias("vhost.mr.enabled")
            .doc("Merged read: read larger batches at the cost of latency (mr_latency)."));
    add(SrsConfSpec(K::vhost_publish_mr_latency, "350")
            .reload()
            .alias("vhost.mr.latency")
            .doc("The merged read latency."));
    add(SrsConfSpec(K::vhost_publish_firstpkt_timeout, "20000")
            .reload(M::NextPublish, "Read when a publish starts.")
            .alias("vhost.publish_1stpkt_timeout")
            .doc("How long a publisher may take to send its first media packet."));
    add(SrsConfSpec(K::vhost_publish_normal_timeout, "5000")
            .reload(M::NextPublish, "Read when a publish starts.")
            .alias("vhost.publish_normal_timeout")
            .doc("How long a publisher may be silent once streaming."));
    add(SrsConfSpec(K::vhost_publish_parse_sps, "on")
            .reload()
            .doc("Whether the H.264 SPS is parsed for the resolution in the API."));
    add(SrsConfSpec(K::vhost_publish_try_annexb_first, "on")
            .reload()
            .doc("Whether SPS/PPS parsing tries Annex B before the AVCC format."));
    add(SrsConfSpec(K::vhost_publish_kickoff_for_idle, "0")
            .reload()
            .doc("Disconnect a publisher that has had no players for this long; 0 never."));
    add(SrsConfSpec(K::vhost_publish_stale_timeout, "1000")
            .reload(M::AtOnce, "Checked when a new publisher asks for a busy stream.")
            .doc("A new publish of a stream replaces a publisher that has sent nothing for this long (else it is "
                 "refused)."));
    add(SrsConfSpec(K::vhost_publish_max_partial_bytes, "16777216")
            .at_least(65536)
            .reload(M::NextPublish, "Read when a publish starts.")
            .doc("The most bytes an RTMP publisher's partly received messages may hold together (each is allocated "
                 "whole at its first chunk); over it, the publisher is disconnected. Before a publish is accepted a "
                 "client may hold 1 MiB."));
    add(SrsConfSpec(K::vhost_mr)
            .legacy_block()
            .doc("SRS 2's mr { enabled; latency; }, moved to publish.mr and publish.mr_latency."));

    add(SrsConfSpec(K::vhost_play).reload(M::NotUsed).doc("How players (RTMP and HTTP-FLV) are fed."));
    add(SrsConfSpec(K::vhost_play_gop_cache, "on")
            .reload(M::AtOnce, "Running streams start or stop caching (off drops the cache).")
            .alias("vhost.gop_cache")
            .doc("Whether the last GOP is cached so that new players start at once (off for the lowest latency)."));
    add(SrsConfSpec(K::vhost_play_gop_cache_max_frames, "2500")
            .at_least(0)
            .reload(M::AtOnce, "Running streams' caches take the new bound.")
            .alias("vhost.gop_cache_max_frames")
            .doc("The most messages in the GOP cache, against streams without keyframes; 0 for no limit."));
    add(SrsConfSpec(K::vhost_play_queue_length, "30")
            .reload(M::AtOnce, "Running players (RTMP and HTTP) take it for their next message, without reconnecting.")
            .alias("vhost.queue_length")
            .doc("The longest a player's queue may grow before whole GOPs are dropped."));
    add(SrsConfSpec(K::vhost_play_time_jitter, "full")
            .one_of({"full", "zero", "off"})
            .reload(M::AtOnce, "Running players correct their next message's timestamp with it.")
            .alias("vhost.time_jitter")
            .doc("Timestamp correction: full (start at 0 and keep increasing), zero (start at 0), off."));
    add(SrsConfSpec(K::vhost_play_mix_correct, "off")
            .reload(M::AtOnce, "Running streams start or stop reordering.")
            .alias("vhost.mix_correct")
            .doc("Whether audio and video are reordered to interleave monotonically."));
    add(SrsConfSpec(K::vhost_play_atc, "off")
            .reload(M::AtOnce, "Running players pass their next message's timestamp through, or correct it.")
            .alias("vhost.atc")
            .doc("Absolute time: deliver the publisher's timestamps as they are (time_jitter is then off)."));
    add(SrsConfSpec(K::vhost_play_atc_auto, "off")
            .reload()
            .alias("vhost.atc_auto")
            .doc("Whether atc turns on when onMetaData carries bravo_atc=true."));
    add(SrsConfSpec(K::vhost_play_mw_latency, "350")
            .reload(M::AtOnce, "Running players' send loops re-read it at their next wake-up.")
            .alias("vhost.mw_latency")
            .doc("Merged write: how much media is sent in one write to a player."));
    add(SrsConfSpec(K::vhost_play_mw_msgs, "8")
            .range(0, 1024)
            .reload(M::AtOnce, "Running players' send loops re-read it at their next wake-up.")
            .alias("vhost.mw_msgs")
            .doc("Merged write: the fewest messages a player waits for before a write."));
    add(SrsConfSpec(K::vhost_play_send_min_interval, "0")
            .reload()
            .alias("vhost.send_min_interval")
            .doc("The least interval between sends to a player; 0 for none."));
    add(SrsConfSpec(K::vhost_play_reduce_sequence_header, "off")
            .reload()
            .alias("vhost.reduce_sequence_header")
            .doc("Whether an unchanged sequence header is not sent again."));

    add(SrsConfSpec(K::vhost_cluster).reload(M::NotUsed).doc("Origin or edge of a cluster."));
    add(SrsConfSpec(K::vhost_cluster_mode, "local")
            .one_of({"local", "remote"})
            .alias("vhost.mode")
            .doc("local: an origin; remote: an edge that pulls from and pushes to origin."));
    add(SrsConfSpec(K::vhost_cluster_origin)
            .check(srs_conf_check_hosts)
            .reload()
            .alias("vhost.origin")
            .eg("127.0.0.1:1935 localhost:1935")
            .doc("For an edge, the origins as host[:port], tried in turn."));
    add(SrsConfSpec(K::vhost_cluster_token_traverse, "off")
            .reload()
            .alias("vhost.token_traverse")
            .doc("For an edge, whether each client's connect is checked by origin."));
    add(SrsConfSpec(K::vhost_cluster_vhost)
            .reload()
            .alias("vhost.vhost")
            .eg("same.edge.srs.com")
            .doc("For an edge, the vhost asked of origin; this vhost when empty."));
    add(SrsConfSpec(K::vhost_cluster_debug_srs_upnode, "on")
            .reload()
            .alias("vhost.debug_srs_upnode")
            .doc("Whether the connect to an upstream SRS carries debug info."));
    add(SrsConfSpec(K::vhost_cluster_origin_cluster, "off")
            .doc("For an origin, whether it asks its coworkers for streams it lacks."));
    add(SrsConfSpec(K::vhost_cluster_coworkers)
            .eg("127.0.0.1:9091 127.0.0.1:9092")
            .doc("For an origin cluster, the other origins' HTTP API endpoints."));
    add(SrsConfSpec(K::vhost_cluster_redis)
            .eg("127.0.0.1:6379")
            .doc("For an origin cluster, a Redis server (host:port) holding which origin publishes each stream."));
    add(SrsConfSpec(K::vhost_cluster_protocol, "rtmp")
            .one_of({"rtmp", "flv", "flvs"})
            .reload()
            .doc("For an edge, how it pulls from origin: rtmp, flv or flvs."));
    add(SrsConfSpec(K::vhost_cluster_follow_client, "off")
            .reload()
            .doc("For an edge, whether it pulls with the client's protocol."));

    add(SrsConfSpec(K::vhost_forward)
            .reload(M::NextPublish,
                    "Read when a stream publishes: forwarders of a running publish keep their destinations until it "
                    "unpublishes; the new destinations, backend and enabled on/off apply from the next publish.")
            .doc("Forwards published streams to other servers (forward host:port; in SRS 1/2)."));
    add(SrsConfSpec(K::vhost_forward_enabled, "off").reload().doc("Whether streams are forwarded."));
    add(SrsConfSpec(K::vhost_forward_destination)
            .check(srs_conf_check_hosts)
            .reload()
            .eg("127.0.0.1:19350")
            .doc("The servers each stream is forwarded to, as host:port."));
    add(SrsConfSpec(K::vhost_forward_backend)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/forward")
            .doc("An HTTP API that returns the forward URLs of each publish."));

    add(SrsConfSpec(K::vhost_refer)
            .reload(M::NewClients,
                    "Checked when a client connects, publishes or plays; running clients are not checked again.")
            .doc("Hotlink protection by the page URL of the client (refer a b; in SRS 1/2)."));
    add(SrsConfSpec(K::vhost_refer_enabled, "off").reload().doc("Whether the referer is checked."));
    add(SrsConfSpec(K::vhost_refer_all)
            .reload()
            .eg("github.com github.io")
            .doc("Domains allowed for publish and play."));
    add(SrsConfSpec(K::vhost_refer_publish)
            .reload()
            .alias("vhost.refer_publish")
            .eg("github.com")
            .doc("Domains allowed to publish."));
    add(SrsConfSpec(K::vhost_refer_play)
            .reload()
            .alias("vhost.refer_play")
            .eg("github.com")
            .doc("Domains allowed to play."));

    add(SrsConfSpec(K::vhost_security)
            .reload(M::NewClients, "Checked when a client publishes or plays; running clients are not checked again.")
            .doc("Allows or denies clients by IP."));
    add(SrsConfSpec(K::vhost_security_enabled, "off")
            .reload()
            .doc("Whether the rules apply; then a client is denied unless allowed, and deny wins."));
    add(SrsConfSpec(K::vhost_security_allow)
            .check(srs_conf_check_security_rule)
            .many()
            .reload()
            .eg("play all")
            .doc("allow publish|play all|IP|CIDR; one rule per line."));
    add(SrsConfSpec(K::vhost_security_deny)
            .check(srs_conf_check_security_rule)
            .many()
            .reload()
            .eg("publish 10.0.0.0/8")
            .doc("deny publish|play all|IP|CIDR; one rule per line."));

    add(SrsConfSpec(K::vhost_http_hooks)
            .reload(M::NewClients,
                    "Read at each event of a client; clients connected before call the hooks of the new config from "
                    "their next event.")
            .doc("HTTP callbacks: a JSON POST per event; a reply other than HTTP 200 with 0 (or code 0) rejects it."));
    add(SrsConfSpec(K::vhost_http_hooks_enabled, "off").reload().doc("Whether the callbacks are made."));
    add(SrsConfSpec(K::vhost_http_hooks_timeout, "5")
            .at_least(0.1)
            .reload()
            .doc("How long a callback may take (connect, send and answer); a late answer rejects the client."));
    add(SrsConfSpec(K::vhost_http_hooks_on_connect)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/clients")
            .doc("URLs called when a client connects to the vhost."));
    add(SrsConfSpec(K::vhost_http_hooks_on_close)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/clients")
            .doc("URLs called when a client disconnects."));
    add(SrsConfSpec(K::vhost_http_hooks_on_publish)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/streams")
            .doc("URLs called when a stream is published; may reject it."));
    add(SrsConfSpec(K::vhost_http_hooks_on_unpublish)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/streams")
            .doc("URLs called when a publisher stops."));
    add(SrsConfSpec(K::vhost_http_hooks_on_play)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/sessions")
            .doc("URLs called when a player starts; may reject it."));
    add(SrsConfSpec(K::vhost_http_hooks_on_stop)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/sessions")
            .doc("URLs called when a player stops."));
    add(SrsConfSpec(K::vhost_http_hooks_on_dvr)
            .reload(M::AtOnce, "Read each time a DVR file is complete.")
            .eg("http://127.0.0.1:8085/api/v1/dvrs")
            .doc("URLs called when a DVR file is finished."));
    add(SrsConfSpec(K::vhost_http_hooks_on_hls)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/hls")
            .doc("URLs called when an HLS segment is finished."));
    add(SrsConfSpec(K::vhost_http_hooks_on_hls_notify)
            .reload()
            .eg("http://127.0.0.1:8085/api/v1/hls/[app]/[stream]/[ts_url][param]")
            .doc("A URL fetched (GET) for each new HLS segment, to warm a CDN; [app] [stream] [ts_url] [param]."));

    srs_config_table_add_hls(t);
    srs_config_table_add_dash(t);
    srs_config_table_add_http_remux(t);

    add(SrsConfSpec(K::vhost_http_static)
            .reload(M::NotUsed)
            .alias("vhost.http")
            .doc("Static files served for this vhost (vhost.http in SRS 1)."));
    add(SrsConfSpec(K::vhost_http_static_enabled, "off").reload().doc("Whether files are served."));
    add(SrsConfSpec(K::vhost_http_static_mount, "[vhost]/")
            .reload()
            .doc("The URL path the directory is served at; [vhost]."));
    add(SrsConfSpec(K::vhost_http_static_dir, "./objs/nginx/html").reload().doc("The directory served."));

    add(SrsConfSpec(K::vhost_dvr)
            .reload(M::NextPublish,
                    "Read when a stream publishes: recording streams keep their settings (and their file) until they "
                    "unpublish; dvr_apply, enabled on/off and the other settings apply from the next publish.")
            .doc("Records published streams to FLV or MP4 files."));
    add(SrsConfSpec(K::vhost_dvr_enabled, "off").reload().doc("Whether streams are recorded."));
    add(SrsConfSpec(K::vhost_dvr_dvr_apply, "all").reload().doc("The streams recorded: all, or app/stream names."));
    add(SrsConfSpec(K::vhost_dvr_dvr_plan, "session")
            .one_of({"session", "segment", "append"})
            .reload()
            .doc("session: one file per publish; segment: a new file every dvr_duration; append: every publish "
                 "appended to one FLV file."));
    add(SrsConfSpec(K::vhost_dvr_dvr_path, "./objs/nginx/html/[app]/[stream].[timestamp].flv")
            .reload()
            .doc("The file (.flv or .mp4); [vhost] [app] [stream] [timestamp] [2006] [01] [02] [15] [04] [05] [999]."));
    add(SrsConfSpec(K::vhost_dvr_dvr_duration, "30").reload().doc("For the segment plan, the duration of a file."));
    add(SrsConfSpec(K::vhost_dvr_dvr_wait_keyframe, "on")
            .reload()
            .doc("For the segment plan, whether files are cut only at keyframes."));
    add(SrsConfSpec(K::vhost_dvr_time_jitter, "full")
            .one_of({"full", "zero", "off"})
            .reload()
            .doc("Timestamp correction of the recording: full, zero or off."));

    add(SrsConfSpec(K::vhost_exec)
            .reload(M::NextPublish,
                    "Read when a stream publishes: running commands keep running until the stream unpublishes.")
            .doc("Runs a command for each publish."));
    add(SrsConfSpec(K::vhost_exec_enabled, "off").reload().doc("Whether the command runs."));
    add(SrsConfSpec(K::vhost_exec_publish)
            .many()
            .reload()
            .eg("./objs/ffmpeg/bin/ffmpeg -f flv -i [url] -c copy -y ./[stream].flv")
            .doc("The command line run on publish; [vhost] [port] [app] [stream] [url] [tcUrl] ..."));

    add(SrsConfSpec(K::vhost_transcode)
            .range(0, 1)
            .many()
            .reload(M::AtOnce,
                    "Publishing streams' engines are compared by command line: a changed engine's ffmpeg restarts, a "
                    "removed or disabled one stops, a new one starts; the others keep running.")
            .eg("live")
            .doc("Transcodes published streams with ffmpeg; the optional argument limits it to one app."));
    add(SrsConfSpec(K::vhost_transcode_enabled, "off").reload().doc("Whether streams are transcoded."));
    add(SrsConfSpec(K::vhost_transcode_ffmpeg, "./objs/ffmpeg/bin/ffmpeg").reload().doc("The ffmpeg binary."));
    add_engine(t, srs_engine_keys::transcode);

    add(SrsConfSpec(K::vhost_ingest)
            .range(1, 1)
            .many()
            .reload(M::AtOnce,
                    "Ingests are compared by command line: added ones start, removed or disabled ones stop, changed "
                    "ones restart; the others keep running.")
            .eg("livestream")
            .doc("Pulls a file or stream with ffmpeg and publishes it here; named, unique per vhost."));
    add(SrsConfSpec(K::vhost_ingest_enabled, "off").reload().doc("Whether the ingest runs."));
    add(SrsConfSpec(K::vhost_ingest_input).reload().doc("What is ingested."));
    add(SrsConfSpec(K::vhost_ingest_input_type, "file")
            .one_of({"file", "stream", "device"})
            .reload()
            .doc("file (read at native speed, looped), stream or device."));
    add(SrsConfSpec(K::vhost_ingest_input_url).reload().eg("./doc/source.flv").doc("The file path or stream URL."));
    add(SrsConfSpec(K::vhost_ingest_ffmpeg, "./objs/ffmpeg/bin/ffmpeg").reload().doc("The ffmpeg binary."));
    add_engine(t, srs_engine_keys::ingest);

    add(SrsConfSpec("vhost.bandcheck", T::Ignored).doc("SRS 1/2's bandwidth test, removed in SRS 3; ignored."));
    add(SrsConfSpec("vhost.rtc", T::Ignored).doc("SRS's WebRTC of the vhost; not supported, ignored."));
    add(SrsConfSpec("vhost.srt", T::Ignored).doc("SRS's SRT of the vhost; not supported, ignored."));
    add(SrsConfSpec("vhost.rtsp", T::Ignored).doc("SRS 7's RTSP of the vhost; not supported, ignored."));
    add(SrsConfSpec("vhost.hds", T::Ignored).doc("SRS's Adobe HDS; not supported, ignored."));
    add(SrsConfSpec("vhost.nack", T::Ignored).doc("SRS 4's WebRTC NACK; not supported, ignored."));
    add(SrsConfSpec("vhost.twcc", T::Ignored).doc("SRS 4's WebRTC TWCC; not supported, ignored."));
    return t;
}

// The table and its indexes, built once; immutable afterwards.
struct SrsConfTable {
    std::vector<SrsConfSpec> rows;
    std::map<std::string, const SrsConfSpec*> by_path;
    std::map<std::string, const SrsConfSpec*> by_alias;

    SrsConfTable() : rows(build_table()) {
        for (const auto& r : rows) {
            by_path[r.path] = &r;
            for (const auto& a : r.aliases) {
                by_alias[a] = &r;
            }
        }
    }
};

const SrsConfTable& table() {
    static const SrsConfTable t;
    return t;
}

}  // namespace

const std::vector<SrsConfKeyInfo>& srs_config_keys() {
#define SRS_CONF_KEY_INFO(name, type, path) {#name, path, SrsConfType::type, srs_conf_scope_of(path)},
    static const std::vector<SrsConfKeyInfo> keys = {SRS_CONF_KEYS(SRS_CONF_KEY_INFO)};
#undef SRS_CONF_KEY_INFO
    return keys;
}

const std::vector<SrsConfSpec>& srs_config_table() {
    return table().rows;
}

const SrsConfSpec* srs_config_spec(const std::string& path) {
    const auto& m = table().by_path;
    auto it = m.find(path);
    return it == m.end() ? nullptr : it->second;
}

const SrsConfSpec* srs_reload_rule(const std::string& table_path) {
    std::string p = table_path;
    while (!p.empty()) {
        const SrsConfSpec* s = srs_config_spec(p);
        if (s && s->has_reload_rule) {
            return s;
        }
        size_t dot = p.rfind('.');
        p = dot == std::string::npos ? "" : p.substr(0, dot);
    }
    return nullptr;
}

const SrsConfSpec* srs_config_spec_of_alias(const std::string& legacy_path) {
    const auto& m = table().by_alias;
    auto it = m.find(legacy_path);
    return it == m.end() ? nullptr : it->second;
}

// ---------------------------------------------------------------------- full.conf

namespace {

std::string parent_of(const std::string& path) {
    size_t p = path.rfind('.');
    return p == std::string::npos ? "" : path.substr(0, p);
}

std::string leaf_of(const std::string& path) {
    size_t p = path.rfind('.');
    return p == std::string::npos ? path : path.substr(p + 1);
}

std::string describe(const SrsConfSpec& s) {
    std::string r = srs_fmt("Type: %s.", srs_conf_type_name(s.type));
    if (s.is_scalar() || s.type == SrsConfType::Strings || s.type == SrsConfType::Endpoints) {
        if (!s.inherit.empty()) {
            r += srs_fmt(" Default: the value of %s.", s.inherit.c_str());
        } else {
            r += srs_fmt(" Default: %s.", s.default_value.empty() ? "empty" : s.default_value.c_str());
        }
    }
    if (!s.choices.empty()) {
        r += " One of: " + srs_string_join(s.choices, ", ") + ".";
    }
    if (s.type != SrsConfType::Block && (s.has_min || s.has_max)) {
        if (s.has_min && s.has_max) {
            r += srs_fmt(" Range: %.15g to %.15g.", s.min, s.max);
        } else {
            r += srs_fmt(" At least %.15g.", s.min);
        }
    }
    if (s.type != SrsConfType::Ignored) {
        r += s.reloadable ? " Reloadable: yes." : " Reloadable: no, restart to apply.";
    }
    if (!s.aliases.empty()) {
        r += " Also accepted as (legacy): " + srs_string_join(s.aliases, ", ") + ".";
    }
    return r;
}

void emit(std::string& out, const SrsConfSpec& s, const std::vector<SrsConfSpec>& rows, int indent) {
    std::string pad(indent * 4, ' ');
    std::string name = leaf_of(s.path);
    out += pad + "# " + s.help + "\n";
    out += pad + "# " + describe(s) + "\n";
    if (s.type == SrsConfType::Ignored) {
        out += pad + "#" + name + " { ... }\n\n";
        return;
    }
    if (s.type == SrsConfType::Any) {
        out += pad + name + " {\n";
        for (const auto& line : srs_string_split(s.example, "; ")) {
            std::string l = srs_string_trim(line, " ;");
            if (!l.empty()) {
                out += pad + "    " + l + ";\n";
            }
        }
        out += pad + "}\n\n";
        return;
    }
    if (s.type == SrsConfType::Block) {
        out += pad + name;
        if (s.has_min && s.max > 0 && !s.example.empty()) {
            out += " " + s.example;
        }
        out += " {\n";
        for (const auto& c : rows) {
            if (parent_of(c.path) == s.path && !c.legacy) {
                emit(out, c, rows, indent + 1);
            }
        }
        out += pad + "}\n\n";
        return;
    }
    std::string value = s.default_value.empty() ? s.example : s.default_value;
    if (!s.inherit.empty() && s.default_value.empty()) {
        value = "";
        // Show the inherited default as a value that validates.
        const SrsConfSpec* from = srs_config_spec(s.inherit);
        if (from) {
            value = from->default_value;
        }
    }
    if (value.empty()) {
        out += pad + name + (s.type == SrsConfType::String ? " \"\";\n\n" : ";\n\n");
        return;
    }
    if (value.find(' ') != std::string::npos && s.type == SrsConfType::String) {
        value = "\"" + value + "\"";
    }
    out += pad + name + " " + value + ";\n\n";
}

}  // namespace

std::string srs_config_generate_full_conf() {
    const auto& rows = srs_config_table();
    std::string out;
    out += "# Every directive the server understands, generated from the directive table\n";
    out += "# (src/app/config/srs_app_config_table.cpp); do not edit by hand, regenerate it with:\n";
    out += "#     SRS_UTEST_WRITE_FULL_CONF=1 ./srs_utest --gtest_filter='ConfigFullConf*'\n";
    out += "# Each directive shows its default (or an example when the default is empty).\n";
    out += "# This file is a reference, not a config to run: the server refuses it (is_full on).\n";
    out += "# See doc/config.md for the syntax (include, ${ENV}) and reload.\n\n";
    for (const auto& s : rows) {
        if (parent_of(s.path).empty() && !s.legacy) {
            if (s.path == "is_full") {
                out += "# " + s.help + "\n# " + describe(s) + "\nis_full on;\n\n";
                continue;
            }
            emit(out, s, rows, 0);
        }
    }
    return out;
}
