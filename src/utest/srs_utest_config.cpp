// The config snapshot: table defaults, legacy aliases, validation, vhosts, diff and the conf files.
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_config_table.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <type_traits>
#include <utility>

// The run-time path getters of the table's generic code (private to SrsConfig).
struct SrsConfigUntyped {
    static std::string get_string(const SrsConfig& c, const std::string& p) { return c.get_string(p); }
    static std::vector<std::string> get_strings(const SrsConfig& c, const std::string& p) { return c.get_strings(p); }
    static bool get_bool(const SrsConfig& c, const std::string& p) { return c.get_bool(p); }
    static int64_t get_int(const SrsConfig& c, const std::string& p) { return c.get_int(p); }
    static double get_double(const SrsConfig& c, const std::string& p) { return c.get_double(p); }
    static srs_utime_t get_duration(const SrsConfig& c, const std::string& p) { return c.get_duration(p); }
    static bool vhost_bool(const SrsConfig& c, const std::string& v, const std::string& p) {
        return c.vhost_bool(v, p);
    }
    static srs_utime_t vhost_duration(const SrsConfig& c, const std::string& v, const std::string& p) {
        return c.vhost_duration(v, p);
    }
};

namespace {

std::shared_ptr<SrsConfig> load_ok(const std::string& text) {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(text, &conf);
    EXPECT_FALSE(err) << srs_error_desc(err);
    return conf;
}

// The error summary of loading the text, "" on success.
std::string load_error(const std::string& text, int* code = nullptr) {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(text, &conf);
    if (code) {
        *code = srs_error_code(err);
    }
    return srs_error_summary(err);
}

// The first argument of a list (as the string getters read it), "" when empty.
std::string first(const std::vector<std::string>& v) {
    return v.empty() ? "" : v[0];
}

bool has_warning(const SrsConfig& conf, const std::string& part) {
    for (const auto& w : conf.warnings()) {
        if (w.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// The repository's conf/ directory, found from this source file's path.
std::string conf_dir() {
    const char* env = getenv("SRS_SOURCE_DIR");
    if (env && *env) {
        return std::string(env) + "/conf";
    }
    std::string f = __FILE__;
    size_t p = f.rfind("/src/utest/");
    return p == std::string::npos ? "conf" : f.substr(0, p) + "/conf";
}

std::string join(const std::vector<std::string>& v) {
    return srs_string_join(v, ",");
}

const char* kMinimal = "listen 1935;\nvhost __defaultVhost__ {}\n";

}  // namespace

TEST(ConfigTest, GlobalDefaults) {
    auto c = load_ok("");
    ASSERT_TRUE(c);
    EXPECT_EQ("<string>", c->path());
    EXPECT_EQ(std::vector<std::string>{"1935"}, c->get(srs_key::listen));
    EXPECT_EQ("1935", first(c->get(srs_key::listen)));
    EXPECT_EQ("./objs/srs.pid", c->get(srs_key::pid));
    EXPECT_EQ(60000, c->get(srs_key::chunk_size));
    EXPECT_EQ("./objs", c->get(srs_key::ff_log_dir));
    EXPECT_EQ("info", c->get(srs_key::ff_log_level));
    EXPECT_EQ("file", c->get(srs_key::srs_log_tank));
    EXPECT_EQ("trace", c->get(srs_key::srs_log_level));
    EXPECT_EQ("./objs/srs.log", c->get(srs_key::srs_log_file));
    EXPECT_EQ(1000, c->get(srs_key::max_connections));
    EXPECT_TRUE(c->get(srs_key::daemon));
    EXPECT_FALSE(c->get(srs_key::utc_time));
    EXPECT_EQ("./", c->get(srs_key::work_dir));
    EXPECT_FALSE(c->get(srs_key::asprocess));
    EXPECT_TRUE(c->get(srs_key::empty_ip_ok));
    EXPECT_EQ(2300 * SRS_UTIME_MILLISECONDS, c->get(srs_key::grace_start_wait));
    EXPECT_EQ(3200 * SRS_UTIME_MILLISECONDS, c->get(srs_key::grace_final_wait));
    EXPECT_FALSE(c->get(srs_key::force_grace_quit));
    EXPECT_TRUE(c->get(srs_key::disable_daemon_for_docker));
    EXPECT_FALSE(c->get(srs_key::inotify_auto_reload));
    EXPECT_TRUE(c->get(srs_key::auto_reload_for_docker));
    EXPECT_FALSE(c->get(srs_key::query_latest_version));
    EXPECT_EQ(300 * SRS_UTIME_SECONDS, c->get(srs_key::first_wait_for_qlv));
    EXPECT_FALSE(c->get(srs_key::in_docker));
    EXPECT_FALSE(c->get(srs_key::is_full));
    EXPECT_DOUBLE_EQ(0.8, c->get(srs_key::tcmalloc_release_rate));

    EXPECT_FALSE(c->get(srs_key::http_api_enabled));
    EXPECT_EQ(std::vector<std::string>{"1985"}, c->get(srs_key::http_api_listen));
    EXPECT_TRUE(c->get(srs_key::http_api_crossdomain));
    EXPECT_FALSE(c->get(srs_key::http_api_raw_api_enabled));
    EXPECT_FALSE(c->get(srs_key::http_api_raw_api_allow_reload));
    EXPECT_FALSE(c->get(srs_key::http_api_auth_enabled));
    EXPECT_EQ("", c->get(srs_key::http_api_auth_username));
    EXPECT_EQ("1990", first(c->get(srs_key::http_api_https_listen)));
    EXPECT_FALSE(c->get(srs_key::http_server_enabled));
    EXPECT_EQ("8080", first(c->get(srs_key::http_server_listen)));
    EXPECT_EQ("./objs/nginx/html", c->get(srs_key::http_server_dir));
    EXPECT_TRUE(c->get(srs_key::http_server_crossdomain));
    EXPECT_EQ("8088", first(c->get(srs_key::http_server_https_listen)));
    EXPECT_TRUE(c->get(srs_key::stats_enabled));
    EXPECT_EQ(0, c->get(srs_key::stats_network));
    EXPECT_TRUE(c->get(srs_key::stats_disk).empty());
    EXPECT_FALSE(c->get(srs_key::exporter_enabled));
    EXPECT_EQ("9972", first(c->get(srs_key::exporter_listen)));
    EXPECT_FALSE(c->get(srs_key::heartbeat_enabled));
    EXPECT_EQ(9900 * SRS_UTIME_MILLISECONDS, c->get(srs_key::heartbeat_interval));
    EXPECT_EQ("http://127.0.0.1:8085/api/v1/servers", c->get(srs_key::heartbeat_url));

    EXPECT_TRUE(c->vhosts().empty());
    EXPECT_TRUE(c->warnings().empty());
}

TEST(ConfigTest, VhostDefaults) {
    auto c = load_ok(kMinimal);
    ASSERT_TRUE(c);
    const std::string v = "__defaultVhost__";
    EXPECT_TRUE(c->vhost_enabled(v));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_min_latency));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_tcp_nodelay));
    EXPECT_EQ(60000, c->vhost(v, srs_key::vhost_chunk_size));
    EXPECT_EQ(0, c->vhost(v, srs_key::vhost_in_ack_size));
    EXPECT_EQ(2500000, c->vhost(v, srs_key::vhost_out_ack_size));

    EXPECT_FALSE(c->vhost(v, srs_key::vhost_publish_mr));
    EXPECT_EQ(350 * SRS_UTIME_MILLISECONDS, c->vhost(v, srs_key::vhost_publish_mr_latency));
    EXPECT_EQ(20 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_publish_firstpkt_timeout));
    EXPECT_EQ(5 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_publish_normal_timeout));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_publish_parse_sps));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_publish_try_annexb_first));
    EXPECT_EQ(0, c->vhost(v, srs_key::vhost_publish_kickoff_for_idle));
    EXPECT_EQ(1000 * SRS_UTIME_MILLISECONDS, c->vhost(v, srs_key::vhost_publish_stale_timeout));

    EXPECT_TRUE(c->vhost(v, srs_key::vhost_play_gop_cache));
    EXPECT_EQ(2500, c->vhost(v, srs_key::vhost_play_gop_cache_max_frames));
    EXPECT_EQ(30 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_play_queue_length));
    EXPECT_EQ("full", c->vhost(v, srs_key::vhost_play_time_jitter));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_play_mix_correct));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_play_atc));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_play_atc_auto));
    EXPECT_EQ(350 * SRS_UTIME_MILLISECONDS, c->vhost(v, srs_key::vhost_play_mw_latency));
    EXPECT_EQ(8, c->vhost(v, srs_key::vhost_play_mw_msgs));
    EXPECT_EQ(0, c->vhost(v, srs_key::vhost_play_send_min_interval));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_play_reduce_sequence_header));

    EXPECT_FALSE(c->vhost(v, srs_key::vhost_hls_enabled));
    EXPECT_EQ(10 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_hls_hls_fragment));
    EXPECT_DOUBLE_EQ(1.5, c->vhost(v, srs_key::vhost_hls_hls_td_ratio));
    EXPECT_DOUBLE_EQ(2.0, c->vhost(v, srs_key::vhost_hls_hls_aof_ratio));
    EXPECT_EQ(60 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_hls_hls_window));
    EXPECT_EQ("continue", c->vhost(v, srs_key::vhost_hls_hls_on_error));
    EXPECT_EQ("./objs/nginx/html", c->vhost(v, srs_key::vhost_hls_hls_path));
    EXPECT_EQ("[app]/[stream].m3u8", c->vhost(v, srs_key::vhost_hls_hls_m3u8_file));
    EXPECT_EQ("[app]/[stream]-[seq].ts", c->vhost(v, srs_key::vhost_hls_hls_ts_file));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_hls_hls_ts_floor));
    EXPECT_EQ("", c->vhost(v, srs_key::vhost_hls_hls_entry_prefix));
    EXPECT_EQ("aac", c->vhost(v, srs_key::vhost_hls_hls_acodec));
    EXPECT_EQ("h264", c->vhost(v, srs_key::vhost_hls_hls_vcodec));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_hls_hls_cleanup));
    EXPECT_EQ(120 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_hls_hls_dispose));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_hls_hls_wait_keyframe));
    EXPECT_EQ(64, c->vhost(v, srs_key::vhost_hls_hls_nb_notify));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_hls_hls_keys));
    EXPECT_EQ(5, c->vhost(v, srs_key::vhost_hls_hls_fragments_per_key));
    EXPECT_EQ("[app]/[stream]-[seq].key", c->vhost(v, srs_key::vhost_hls_hls_key_file));
    EXPECT_EQ("./objs/nginx/html", c->vhost(v, srs_key::vhost_hls_hls_key_file_path));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_hls_hls_dts_directly));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_hls_hls_ctx));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_hls_hls_ts_ctx));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_hls_hls_use_fmp4));
    EXPECT_EQ("disk", c->vhost(v, srs_key::vhost_hls_hls_storage));

    EXPECT_FALSE(c->vhost(v, srs_key::vhost_http_remux_enabled));
    EXPECT_EQ("[vhost]/[app]/[stream].flv", c->vhost(v, srs_key::vhost_http_remux_mount));
    EXPECT_EQ(0, c->vhost(v, srs_key::vhost_http_remux_fast_cache));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_http_remux_drop_if_not_match));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_http_remux_has_audio));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_http_remux_has_video));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_http_remux_guess_has_av));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_http_static_enabled));
    EXPECT_EQ("[vhost]/", c->vhost(v, srs_key::vhost_http_static_mount));
    EXPECT_EQ("./objs/nginx/html", c->vhost(v, srs_key::vhost_http_static_dir));

    EXPECT_FALSE(c->vhost(v, srs_key::vhost_dvr_enabled));
    EXPECT_EQ(std::vector<std::string>{"all"}, c->vhost(v, srs_key::vhost_dvr_dvr_apply));
    EXPECT_EQ("session", c->vhost(v, srs_key::vhost_dvr_dvr_plan));
    EXPECT_EQ("./objs/nginx/html/[app]/[stream].[timestamp].flv", c->vhost(v, srs_key::vhost_dvr_dvr_path));
    EXPECT_EQ(30 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_dvr_dvr_duration));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_dvr_dvr_wait_keyframe));
    EXPECT_EQ("full", c->vhost(v, srs_key::vhost_dvr_time_jitter));

    EXPECT_FALSE(c->vhost(v, srs_key::vhost_forward_enabled));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_forward_destination).empty());
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_refer_enabled));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_security_enabled));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_http_hooks_enabled));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_http_hooks_on_publish).empty());
    EXPECT_EQ("local", c->vhost(v, srs_key::vhost_cluster_mode));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_cluster_token_traverse));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_cluster_debug_srs_upnode));
    EXPECT_EQ("rtmp", c->vhost(v, srs_key::vhost_cluster_protocol));
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_exec_enabled));
    // Repeated blocks that are absent read as the table's defaults.
    EXPECT_FALSE(c->block(nullptr, srs_key::vhost_transcode_enabled));
    EXPECT_EQ("./objs/ffmpeg/bin/ffmpeg", c->block(nullptr, srs_key::vhost_transcode_ffmpeg));
    EXPECT_EQ("flv", c->block(nullptr, srs_key::vhost_transcode_engine_iformat));
    EXPECT_EQ(1, c->block(nullptr, srs_key::vhost_transcode_engine_vthreads));
    EXPECT_EQ("file", c->block(nullptr, srs_key::vhost_ingest_input_type));
}

TEST(ConfigTest, ValuesAreRead) {
    auto c = load_ok(
        "listen 1935 127.0.0.1:1936 [::]:1937;\n"
        "chunk_size 4096;\n"
        "grace_final_wait 1500;\n"
        "srs_log_level warn;\n"
        "http_api { enabled on; listen 0.0.0.0:1985; auth { enabled on; username admin; password \"p w\"; } }\n"
        "vhost v {\n"
        "    play { gop_cache off; queue_length 2.5; mw_latency 100; send_min_interval 10.5; mw_msgs 0; }\n"
        "    hls { enabled on; hls_fragment 0.5; hls_td_ratio 1.25; hls_storage ram; }\n"
        "    http_hooks { enabled on; on_publish http://a/x http://b/y; }\n"
        "    security { enabled on; allow play all; deny publish 10.0.0.0/8; allow publish 127.0.0.1; }\n"
        "}\n");
    ASSERT_TRUE(c);
    EXPECT_EQ("1935,127.0.0.1:1936,[::]:1937", join(c->get(srs_key::listen)));
    EXPECT_EQ(4096, c->get(srs_key::chunk_size));
    EXPECT_EQ(1500 * SRS_UTIME_MILLISECONDS, c->get(srs_key::grace_final_wait));
    EXPECT_EQ("warn", c->get(srs_key::srs_log_level));
    EXPECT_TRUE(c->get(srs_key::http_api_enabled));
    EXPECT_EQ("0.0.0.0:1985", first(c->get(srs_key::http_api_listen)));
    EXPECT_TRUE(c->get(srs_key::http_api_auth_enabled));
    EXPECT_EQ("p w", c->get(srs_key::http_api_auth_password));

    EXPECT_FALSE(c->vhost("v", srs_key::vhost_play_gop_cache));
    EXPECT_EQ(2500 * SRS_UTIME_MILLISECONDS, c->vhost("v", srs_key::vhost_play_queue_length));
    EXPECT_EQ(100 * SRS_UTIME_MILLISECONDS, c->vhost("v", srs_key::vhost_play_mw_latency));
    EXPECT_EQ(10500, c->vhost("v", srs_key::vhost_play_send_min_interval));
    EXPECT_EQ(0, c->vhost("v", srs_key::vhost_play_mw_msgs));
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_hls_enabled));
    EXPECT_EQ(500 * SRS_UTIME_MILLISECONDS, c->vhost("v", srs_key::vhost_hls_hls_fragment));
    EXPECT_DOUBLE_EQ(1.25, c->vhost("v", srs_key::vhost_hls_hls_td_ratio));
    EXPECT_EQ("ram", c->vhost("v", srs_key::vhost_hls_hls_storage));
    // A vhost chunk_size inherits the global one.
    EXPECT_EQ(4096, c->vhost("v", srs_key::vhost_chunk_size));
    EXPECT_EQ("http://a/x,http://b/y", join(c->vhost("v", srs_key::vhost_http_hooks_on_publish)));

    const SrsConfDirective* sec = c->vhost("v", srs_key::vhost_security);
    ASSERT_TRUE(sec);
    ASSERT_EQ(2u, sec->get_all("allow").size());
    EXPECT_EQ("publish", sec->get_all("allow")[1]->arg0());
    EXPECT_EQ("127.0.0.1", sec->get_all("allow")[1]->arg1());
    EXPECT_EQ("10.0.0.0/8", sec->get("deny")->arg1());
    EXPECT_EQ(nullptr, c->vhost("v", srs_key::vhost_dvr));
    EXPECT_TRUE(c->warnings().empty()) << join(c->warnings());
}

TEST(ConfigTest, InheritWithinVhost) {
    auto c = load_ok("chunk_size 128;\nvhost v { chunk_size 256; hls { hls_path /data/hls; } }\nvhost w {}\n");
    EXPECT_EQ(256, c->vhost("v", srs_key::vhost_chunk_size));
    EXPECT_EQ(128, c->vhost("w", srs_key::vhost_chunk_size));
    EXPECT_EQ("/data/hls", c->vhost("v", srs_key::vhost_hls_hls_key_file_path));
    EXPECT_EQ("./objs/nginx/html", c->vhost("w", srs_key::vhost_hls_hls_key_file_path));
}

// The table's generic code, under the typed getters, reads by run-time path: a path that is not
// declared, or a getter of the wrong type, gives zero (and logs a BUG). Through the typed keys
// neither compiles; this covers the generic code a key resolves to.
TEST(ConfigTest, UndeclaredPathGivesZero) {
    auto c = load_ok(kMinimal);
    // The getters log each misuse as a BUG; keep the test output quiet.
    SrsLogLevel saved = srs_logger().level();
    srs_logger().configure(SrsLogLevelDisabled, srs_logger().file());
    using U = SrsConfigUntyped;
    EXPECT_EQ("", U::get_string(*c, "no_such_directive"));
    EXPECT_TRUE(U::get_strings(*c, "http_api.no_such").empty());
    EXPECT_FALSE(U::get_bool(*c, "nope"));
    EXPECT_EQ(0, U::get_int(*c, "nope"));
    EXPECT_EQ(0, U::get_double(*c, "nope"));
    EXPECT_EQ(0, U::get_duration(*c, "nope"));
    EXPECT_FALSE(U::vhost_bool(*c, "__defaultVhost__", "play.no_such"));
    // The wrong getter for the type is a programming error too.
    EXPECT_EQ(0, U::get_int(*c, "daemon"));
    EXPECT_FALSE(U::get_bool(*c, "max_connections"));
    EXPECT_EQ(0, U::vhost_duration(*c, "__defaultVhost__", "play.gop_cache"));
    // Any value reads as a string.
    EXPECT_EQ("on", U::get_string(*c, "daemon"));
    EXPECT_EQ("1000", U::get_string(*c, "max_connections"));
    srs_logger().configure(saved, srs_logger().file());
}

// What does not compile: a key read in the wrong scope, or into the wrong type.
template <typename K, typename = void>
struct SrsCanGet : std::false_type {};
template <typename K>
struct SrsCanGet<K, std::void_t<decltype(std::declval<const SrsConfig&>().get(std::declval<K>()))>> : std::true_type {};
template <typename K, typename = void>
struct SrsCanVhost : std::false_type {};
template <typename K>
struct SrsCanVhost<K, std::void_t<decltype(std::declval<const SrsConfig&>().vhost("", std::declval<K>()))>>
    : std::true_type {};
static_assert(SrsCanGet<decltype(srs_key::max_connections)>::value, "a global key reads globally");
static_assert(!SrsCanGet<decltype(srs_key::vhost_play_queue_length)>::value, "a vhost key needs a vhost");
static_assert(SrsCanVhost<decltype(srs_key::vhost_play_queue_length)>::value, "a vhost key reads in a vhost");
static_assert(!SrsCanVhost<decltype(srs_key::chunk_size)>::value, "a global key is not a vhost's");
static_assert(!SrsCanVhost<decltype(srs_key::vhost_ingest_enabled)>::value, "an ingest's key needs its block");
static_assert(std::is_same<decltype(std::declval<const SrsConfig&>().vhost("", srs_key::vhost_play_queue_length)),
                           srs_utime_t>::value,
              "a duration reads as srs_utime_t");
static_assert(
    std::is_same<decltype(std::declval<const SrsConfig&>().get(srs_key::listen)), std::vector<std::string>>::value,
    "endpoints read as a list");
static_assert(std::is_same<decltype(std::declval<const SrsConfig&>().vhost("", srs_key::vhost_security)),
                           const SrsConfDirective*>::value,
              "a block reads as its directive");

// The subsystems read the config only through the typed keys (a path that is not a key does
// not compile): every key has its row, of the key's type, and every row that is read has a key.
TEST(ConfigTest, KeysMatchTable) {
    std::set<std::string> keyed;
    for (const SrsConfKeyInfo& k : srs_config_keys()) {
        const SrsConfSpec* s = srs_config_spec(k.path);
        ASSERT_TRUE(s != nullptr) << k.path << " has a key but no row";
        EXPECT_EQ(k.type, s->type) << k.path;
        EXPECT_NE(SrsConfType::Ignored, s->type) << k.path;
        EXPECT_TRUE(keyed.insert(k.path).second) << "duplicate key " << k.path;
        std::string name = k.path;
        std::replace(name.begin(), name.end(), '.', '_');
        EXPECT_EQ(name, k.name) << "a key is named after its path";
        // Block scope exactly below a repeated block other than vhost.
        bool below_many = false;
        for (size_t dot = s->path.find('.'); dot != std::string::npos; dot = s->path.find('.', dot + 1)) {
            const SrsConfSpec* up = srs_config_spec(s->path.substr(0, dot));
            if (up && up->multi && up->path != "vhost") {
                below_many = true;
            }
        }
        SrsConfScope want = below_many                                 ? SrsConfScope::Block
                            : srs_string_starts_with(k.path, "vhost.") ? SrsConfScope::Vhost
                                                                       : SrsConfScope::Global;
        EXPECT_EQ((int)want, (int)k.scope) << k.path;
    }
    for (const SrsConfSpec& s : srs_config_table()) {
        if (s.type != SrsConfType::Ignored) {
            EXPECT_TRUE(keyed.count(s.path)) << s.path << " has no key";
        }
    }
    // The engine keys are the rows of both engines.
    EXPECT_STREQ("vhost.transcode.engine.vbitrate", srs_engine_keys::transcode.vbitrate.path);
    EXPECT_STREQ("vhost.ingest.engine.output", srs_engine_keys::ingest.output.path);
    EXPECT_STREQ("vhost.ingest.engine", srs_engine_keys::ingest.engine.path);
}

// Every row: a parent block, a default that validates, a doc line, aliases that are not rows.
TEST(ConfigTest, TableIsConsistent) {
    std::set<std::string> seen;
    for (const SrsConfSpec& s : srs_config_table()) {
        EXPECT_TRUE(seen.insert(s.path).second) << "duplicate " << s.path;
        EXPECT_FALSE(s.help.empty()) << s.path;
        size_t dot = s.path.rfind('.');
        if (dot != std::string::npos) {
            const SrsConfSpec* parent = srs_config_spec(s.path.substr(0, dot));
            ASSERT_TRUE(parent != nullptr) << s.path;
            EXPECT_EQ(SrsConfType::Block, parent->type) << s.path;
        }
        for (const auto& a : s.aliases) {
            EXPECT_EQ(nullptr, srs_config_spec(a)) << a;
            EXPECT_EQ(&s, srs_config_spec_of_alias(a)) << a;
        }
        if (!s.choices.empty() && !s.default_value.empty()) {
            EXPECT_NE(s.choices.end(), std::find(s.choices.begin(), s.choices.end(), s.default_value)) << s.path;
        }
        if (!s.inherit.empty()) {
            ASSERT_TRUE(srs_config_spec(s.inherit) != nullptr) << s.path;
            EXPECT_EQ(s.type, srs_config_spec(s.inherit)->type) << s.path;
        }
    }
    EXPECT_GT(seen.size(), 200u);
}

TEST(ConfigTest, LegacyAliases) {
    auto c = load_ok(
        "http_stream { enabled on; listen 8081; }\n"
        "vhost old {\n"
        "    gop_cache off;\n"
        "    queue_length 5;\n"
        "    time_jitter zero;\n"
        "    mix_correct on;\n"
        "    atc on;\n"
        "    mw_latency 200;\n"
        "    mr { enabled on; latency 500; }\n"
        "    publish_1stpkt_timeout 3000;\n"
        "    publish_normal_timeout 4000;\n"
        "    mode remote;\n"
        "    origin 127.0.0.1:19350;\n"
        "    token_traverse on;\n"
        "    vhost origin.com;\n"
        "    http { enabled on; mount [vhost]/hls; dir ./html; }\n"
        "    forward 127.0.0.1:1936 127.0.0.1:1937;\n"
        "    refer a.com;\n"
        "    refer_play b.com;\n"
        "    refer_publish c.com;\n"
        "}\n");
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->get(srs_key::http_server_enabled));
    EXPECT_EQ("8081", first(c->get(srs_key::http_server_listen)));
    const std::string v = "old";
    EXPECT_FALSE(c->vhost(v, srs_key::vhost_play_gop_cache));
    EXPECT_EQ(5 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_play_queue_length));
    EXPECT_EQ("zero", c->vhost(v, srs_key::vhost_play_time_jitter));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_play_mix_correct));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_play_atc));
    EXPECT_EQ(200 * SRS_UTIME_MILLISECONDS, c->vhost(v, srs_key::vhost_play_mw_latency));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_publish_mr));
    EXPECT_EQ(500 * SRS_UTIME_MILLISECONDS, c->vhost(v, srs_key::vhost_publish_mr_latency));
    EXPECT_EQ(3 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_publish_firstpkt_timeout));
    EXPECT_EQ(4 * SRS_UTIME_SECONDS, c->vhost(v, srs_key::vhost_publish_normal_timeout));
    EXPECT_EQ("remote", c->vhost(v, srs_key::vhost_cluster_mode));
    EXPECT_EQ("127.0.0.1:19350", first(c->vhost(v, srs_key::vhost_cluster_origin)));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_cluster_token_traverse));
    EXPECT_EQ("origin.com", c->vhost(v, srs_key::vhost_cluster_vhost));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_http_static_enabled));
    EXPECT_EQ("[vhost]/hls", c->vhost(v, srs_key::vhost_http_static_mount));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_forward_enabled));
    EXPECT_EQ("127.0.0.1:1936,127.0.0.1:1937", join(c->vhost(v, srs_key::vhost_forward_destination)));
    EXPECT_TRUE(c->vhost(v, srs_key::vhost_refer_enabled));
    EXPECT_EQ("a.com", first(c->vhost(v, srs_key::vhost_refer_all)));
    EXPECT_EQ("b.com", first(c->vhost(v, srs_key::vhost_refer_play)));
    EXPECT_EQ("c.com", first(c->vhost(v, srs_key::vhost_refer_publish)));

    // The tree has one form: the legacy directives are gone from the vhost.
    const SrsConfDirective* vd = c->root()->get("vhost", v);
    EXPECT_EQ(nullptr, vd->get("gop_cache"));
    EXPECT_EQ(nullptr, vd->get("mr"));
    EXPECT_EQ(nullptr, vd->get("http"));
    EXPECT_EQ(nullptr, c->root()->get("http_stream"));
    ASSERT_TRUE(vd->get("play"));
    // Moved directives keep their file:line.
    EXPECT_EQ(3, vd->get("play")->get("gop_cache")->line());
    EXPECT_TRUE(has_warning(*c, "<string>:3: legacy \"vhost.gop_cache\", moved to \"vhost.play.gop_cache\""))
        << join(c->warnings());
    EXPECT_TRUE(has_warning(*c, "<string>:1: legacy \"http_stream\", read as \"http_server\"")) << join(c->warnings());
}

// Configs as SRS users have them load, with warnings only for what this server does not do.
TEST(ConfigTest, SrsUserConfigsLoad) {
    auto srs6 = load_ok(
        "listen              1935;\n"
        "max_connections     1000;\n"
        "srs_log_tank        console;\n"
        "daemon              off;\n"
        "http_api { enabled on; listen 1985; }\n"
        "http_server { enabled on; listen 8080; dir ./objs/nginx/html; }\n"
        "rtc_server { enabled on; listen 8000; candidate $CANDIDATE; }\n"
        "vhost __defaultVhost__ {\n"
        "    hls { enabled on; }\n"
        "    http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }\n"
        "    rtc { enabled on; rtmp_to_rtc off; rtc_to_rtmp off; }\n"
        "    play { gop_cache_max_frames 2500; }\n"
        "}\n");
    ASSERT_TRUE(srs6);
    EXPECT_EQ(2u, srs6->warnings().size()) << join(srs6->warnings());
    EXPECT_TRUE(srs6->vhost("__defaultVhost__", srs_key::vhost_hls_enabled));

    auto srs2 = load_ok(
        "listen 1935;\n"
        "http_stream { enabled on; listen 8080; dir ./objs/nginx/html; }\n"
        "vhost __defaultVhost__ {\n"
        "    gop_cache off;\n"
        "    mw_latency 100;\n"
        "    mr { enabled off; latency 350; foo 1; }\n"
        "    http_remux { enabled on; hstrs on; mount [vhost]/[app]/[stream].flv; }\n"
        "    bandcheck { enabled off; }\n"
        "}\n");
    ASSERT_TRUE(srs2);
    EXPECT_FALSE(srs2->vhost("__defaultVhost__", srs_key::vhost_play_gop_cache));
    EXPECT_TRUE(srs2->get(srs_key::http_server_enabled));
    // What is left of a legacy block stays, and its unknown parts are named.
    EXPECT_TRUE(has_warning(*srs2, "<string>:6: unknown directive \"vhost.mr.foo\"")) << join(srs2->warnings());
    EXPECT_TRUE(has_warning(*srs2, "\"vhost.http_remux.hstrs\" is not supported"));
    EXPECT_TRUE(has_warning(*srs2, "\"vhost.bandcheck\" is not supported"));
}

TEST(ConfigTest, LegacyAndCanonicalTogether) {
    auto c = load_ok("vhost v {\n    play { gop_cache on; }\n    gop_cache off;\n    mw_latency 100;\n}\n");
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_play_gop_cache));
    EXPECT_EQ(100 * SRS_UTIME_MILLISECONDS, c->vhost("v", srs_key::vhost_play_mw_latency));
    EXPECT_TRUE(has_warning(*c,
                            "<string>:3: legacy \"vhost.gop_cache\" ignored, \"vhost.play.gop_cache\" is set at "
                            "<string>:2"))
        << join(c->warnings());
}

TEST(ConfigTest, Srs7RtmpSection) {
    auto c = load_ok("rtmp {\n    listen 19350;\n    chunk_size 4096;\n}\nvhost __defaultVhost__ {}\n");
    EXPECT_EQ("19350", first(c->get(srs_key::listen)));
    EXPECT_EQ(4096, c->get(srs_key::chunk_size));
    EXPECT_EQ(nullptr, c->root()->get("rtmp"));
}

TEST(ConfigTest, ValidationErrorsNameFileAndLine) {
    struct Case {
        const char* text;
        const char* expect;
    };
    const Case cases[] = {
        {"listen 0;", "<string>:1: listen: invalid endpoint \"0\""},
        {"\nlisten 1935 65536;", "<string>:2: listen: invalid endpoint \"65536\""},
        {"listen abc;", "invalid endpoint \"abc\""},
        {"listen 1.2.3.4:;", "invalid endpoint \"1.2.3.4:\""},
        {"listen [::1]1935;", "invalid endpoint \"[::1]1935\""},
        {"listen ::1:1935;", "invalid endpoint \"::1:1935\""},
        {"listen 300.0.0.1:1935;", "invalid endpoint"},
        {"listen -1;", "invalid endpoint"},
        {"listen;", "<string>:1: listen needs at least one endpoint"},
        {"http_api {\n  listen 99999;\n}", "<string>:2: http_api.listen: invalid endpoint \"99999\""},
        {"vhost v {\n play {\n  queue_length -1;\n }\n}", "<string>:3: vhost.play.queue_length: negative duration -1"},
        {"grace_final_wait -5;", "grace_final_wait: negative duration -5"},
        {"vhost v { hls { hls_fragment ten; } }", "vhost.hls.hls_fragment: \"ten\" is not a number"},
        {"daemon yes;", "<string>:1: daemon: \"yes\" is not on or off"},
        {"vhost v {\n\n  hls { enabled true; }\n}", "<string>:3: vhost.hls.enabled: \"true\" is not on or off"},
        {"daemon;", "<string>:1: daemon needs a value"},
        {"chunk_size 100;", "chunk_size: 100 is out of range [128, 65536]"},
        {"chunk_size 70000;", "chunk_size: 70000 is out of range [128, 65536]"},
        {"max_connections 0;", "max_connections: 0 is out of range"},
        {"max_connections 1.5;", "max_connections: \"1.5\" is not an integer"},
        {"vhost v { hls { hls_td_ratio 0.5; } }", "vhost.hls.hls_td_ratio: 0.5 is out of range"},
        {"srs_log_level loud;", "srs_log_level: invalid value \"loud\", expect one of verbose, info, trace"},
        {"vhost v { hls { hls_storage cloud; } }", "invalid value \"cloud\", expect one of ram, disk, both"},
        {"vhost {}", "<string>:1: vhost takes 1 argument(s), got 0"},
        {"vhost a b {}", "vhost takes 1 argument(s), got 2"},
        {"vhost \"\" {}", "vhost needs a non-empty name"},
        {"vhost v;", "<string>:1: vhost must be a block"},
        {"vhost v { hls on; }", "vhost.hls must be a block"},
        {"daemon { on; }", "<string>:1: daemon is not a block"},
        {"vhost v {}\n\nvhost v {}", "<string>:3: duplicate vhost \"v\", first at <string>:1"},
        {"vhost v { ingest a {} ingest a {} }", "duplicate vhost.ingest \"a\""},
        {"vhost v { ingest {} }", "vhost.ingest takes 1 argument(s), got 0"},
        {"daemon on;\nasprocess on;", "<string>:2: asprocess on conflicts with daemon on"},
        {"vhost v {\n security {\n  allow play;\n } }",
         "<string>:3: vhost.security.allow: invalid \"play\", expect publish|play all|IP|CIDR"},
        {"vhost v { security { deny watch all; } }", "vhost.security.deny: invalid \"watch all\""},
        {"vhost v { security { deny publish 10.0.0.0/33; } }", "invalid \"publish 10.0.0.0/33\""},
        {"vhost v { security { deny publish 10.0.0.256; } }", "invalid \"publish 10.0.0.256\""},
        {"vhost v { cluster { origin a.com:0; } }", "vhost.cluster.origin: invalid \"a.com:0\", expect host[:port]"},
        {"vhost v { cluster { origin ok.com [::1]:99999; } }", "vhost.cluster.origin: invalid"},
        {"vhost v { forward { destination 127.0.0.1:; } }", "vhost.forward.destination: invalid"},
    };
    for (const Case& c : cases) {
        int code = 0;
        std::string e = load_error(c.text, &code);
        EXPECT_NE(std::string::npos, e.find(c.expect)) << c.text << "\n => " << e;
        EXPECT_EQ(ERROR_SYSTEM_CONFIG_INVALID, code) << c.text;
    }
}

TEST(ConfigTest, ValidValuesAtTheEdges) {
    EXPECT_EQ("", load_error("listen 1 65535 0.0.0.0:1 [::]:65535 [::1]:1935 127.0.0.1:1935;"));
    EXPECT_EQ("", load_error("chunk_size 128;"));
    EXPECT_EQ("", load_error("chunk_size 65536;"));
    EXPECT_EQ("", load_error("grace_final_wait 0;"));
    EXPECT_EQ("", load_error("vhost v { play { queue_length 0.001; send_min_interval 0.5; } }"));
    EXPECT_EQ("", load_error("daemon off;\nasprocess on;"));
    EXPECT_EQ("", load_error("vhost v { transcode {} transcode {} transcode live { engine {} engine hd {} } }"));
    EXPECT_EQ("", load_error("vhost v { security { enabled on; allow play all; allow publish 127.0.0.1; "
                             "deny publish 10.0.0.0/8; allow play ::1; deny play fe80::/10; } }"));
    EXPECT_EQ("", load_error("vhost v { cluster { origin a.com b.com:19350 127.0.0.1:1935 [::1]:1935 [::1]; } }"));
}

TEST(ConfigTest, SyntaxErrorsComeThrough) {
    int code = 0;
    std::string e = load_error("listen 1935;\nvhost v {\n", &code);
    EXPECT_EQ(ERROR_SYSTEM_CONFIG_EOF, code);
    EXPECT_NE(std::string::npos, e.find("<string>:2: unexpected end of file")) << e;
}

TEST(ConfigTest, UnknownDirectivesWarn) {
    auto c = load_ok(
        "listen 1935;\n"
        "no_such_global 1;\n"
        "http_api { enabled on; bogus 2; }\n"
        "rtc_server { enabled on; listen 8000; }\n"
        "vhost v {\n"
        "    hls { enabled on; hls_unknown x; }\n"
        "    rtc { enabled on; }\n"
        "    whatever { a b; }\n"
        "}\n");
    ASSERT_TRUE(c);
    EXPECT_TRUE(has_warning(*c, "<string>:2: unknown directive \"no_such_global\", ignored")) << join(c->warnings());
    EXPECT_TRUE(has_warning(*c, "<string>:3: unknown directive \"http_api.bogus\""));
    EXPECT_TRUE(has_warning(*c, "<string>:4: \"rtc_server\" is not supported by this server, ignored"));
    EXPECT_TRUE(has_warning(*c, "<string>:6: unknown directive \"vhost.hls.hls_unknown\""));
    EXPECT_TRUE(has_warning(*c, "<string>:7: \"vhost.rtc\" is not supported"));
    EXPECT_TRUE(has_warning(*c, "<string>:8: unknown directive \"vhost.whatever\""));
    EXPECT_EQ(6u, c->warnings().size()) << join(c->warnings());
    // Values of the unknown are not validated; the known still are.
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_hls_enabled));
}

// SRS's own realtime.conf has `tcp_nodelay on` without ';': SRS reads the first value and so do we.
TEST(ConfigTest, ExtraArgumentsWarn) {
    auto c = load_ok("vhost v {\n    tcp_nodelay     on\n    min_latency     on;\n}\n");
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_tcp_nodelay));
    EXPECT_TRUE(has_warning(*c,
                            "<string>:2: vhost.tcp_nodelay takes one value, extra arguments \"min_latency on\" "
                            "ignored (missing ';'?)"))
        << join(c->warnings());
}

TEST(ConfigTest, DuplicatesWarnAndFirstWins) {
    auto c = load_ok("daemon off;\nlisten 1935;\ndaemon on;\nvhost v { hls { enabled on; } hls { enabled off; } }\n");
    EXPECT_FALSE(c->get(srs_key::daemon));
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_hls_enabled));
    EXPECT_TRUE(has_warning(*c, "<string>:3: duplicate \"daemon\", the first at <string>:1 is used"))
        << join(c->warnings());
    EXPECT_TRUE(has_warning(*c, "duplicate \"vhost.hls\""));
}

TEST(ConfigTest, EnvironmentInValues) {
    setenv("SRS_UTEST_RTMP_PORT", "19351", 1);
    unsetenv("SRS_UTEST_NOT_SET_X");
    auto c = load_ok("listen ${SRS_UTEST_RTMP_PORT};\nhttp_api { listen ${SRS_UTEST_NOT_SET_X:-1986}; }\n");
    EXPECT_EQ("19351", first(c->get(srs_key::listen)));
    EXPECT_EQ("1986", first(c->get(srs_key::http_api_listen)));
    // Unset without a default: empty, so a port is invalid.
    std::string e = load_error("listen ${SRS_UTEST_NOT_SET_X};");
    EXPECT_NE(std::string::npos, e.find("listen: invalid endpoint \"\"")) << e;
}

TEST(ConfigTest, Vhosts) {
    auto c = load_ok(
        "vhost a.com { }\n"
        "vhost __defaultVhost__ { play { gop_cache off; } }\n"
        "vhost off.com { enabled off; play { gop_cache on; } }\n");
    EXPECT_EQ("a.com,__defaultVhost__,off.com", join(c->vhosts()));
    EXPECT_TRUE(c->has_vhost("a.com"));
    EXPECT_FALSE(c->has_vhost("127.0.0.1"));
    EXPECT_EQ("a.com", c->resolve_vhost("a.com"));
    EXPECT_EQ("__defaultVhost__", c->resolve_vhost("127.0.0.1"));
    EXPECT_EQ("__defaultVhost__", c->resolve_vhost(""));
    EXPECT_TRUE(c->vhost_enabled("a.com"));
    EXPECT_TRUE(c->vhost_enabled("127.0.0.1"));
    EXPECT_FALSE(c->vhost_enabled("off.com"));
    EXPECT_TRUE(c->vhost("a.com", srs_key::vhost_play_gop_cache));
    // An undeclared host reads __defaultVhost__.
    EXPECT_FALSE(c->vhost("127.0.0.1", srs_key::vhost_play_gop_cache));
    EXPECT_TRUE(c->vhost("127.0.0.1", srs_key::vhost_play) != nullptr);

    auto n = load_ok("vhost a.com { play { gop_cache off; } }\n");
    EXPECT_EQ("", n->resolve_vhost("b.com"));
    EXPECT_FALSE(n->vhost_enabled("b.com"));
    // Without a vhost the getters give the defaults.
    EXPECT_TRUE(n->vhost("b.com", srs_key::vhost_play_gop_cache));
    EXPECT_EQ(nullptr, n->vhost("b.com", srs_key::vhost_play));
}

TEST(ConfigTest, NamedBlocks) {
    auto c = load_ok(
        "vhost v {\n"
        "    ingest cam1 { enabled on; input { type stream; url rtmp://a/b; } ffmpeg /usr/bin/ffmpeg;\n"
        "        engine { enabled off; output rtmp://127.0.0.1:[port]/live/cam1; } }\n"
        "    ingest cam2 { enabled off; }\n"
        "    transcode live { enabled on; engine hd { enabled on; vcodec libx264; vbitrate 800;\n"
        "        vparams { preset veryfast; } perfile { re; } } }\n"
        "}\n");
    ASSERT_TRUE(c);
    const SrsConfDirective* v = c->root()->get("vhost", "v");
    ASSERT_EQ(2u, v->get_all("ingest").size());
    const SrsConfDirective* cam1 = v->get("ingest", "cam1");
    ASSERT_TRUE(cam1);
    EXPECT_EQ("stream", cam1->get("input")->get("type")->arg0());
    const SrsConfDirective* hd = v->get("transcode", "live")->get("engine", "hd");
    ASSERT_TRUE(hd);
    EXPECT_EQ("800", hd->get("vbitrate")->arg0());
    EXPECT_EQ("veryfast", hd->get("vparams")->get("preset")->arg0());
    EXPECT_TRUE(c->warnings().empty()) << join(c->warnings());
    // Values inside named blocks are validated too.
    EXPECT_NE(std::string::npos, load_error("vhost v { ingest a { input { type tcp; } } }")
                                     .find("vhost.ingest.input.type: invalid value \"tcp\""));
    EXPECT_NE(std::string::npos,
              load_error("vhost v { transcode { engine { vbitrate fast; } } }").find("\"fast\" is not an integer"));
}

TEST(ConfigTest, BlockGetters) {
    auto c = load_ok(
        "stream_caster { enabled on; caster flv; output rtmp://127.0.0.1/[app]/[stream]; listen 8936; }\n"
        "stream_caster { caster mpegts_over_udp; listen 8935; }\n"
        "vhost v {\n"
        "    ingest cam1 { enabled on; input { type stream; url rtmp://a/b; }\n"
        "        engine { enabled on; vbitrate 800; vfps 29.97; } engine sd { } }\n"
        "    ingest cam2 { }\n"
        "}\n");
    ASSERT_TRUE(c);
    std::vector<const SrsConfDirective*> casters = c->root()->get_all("stream_caster");
    ASSERT_EQ(2u, casters.size());
    EXPECT_TRUE(c->block(casters[0], srs_key::stream_caster_enabled));
    EXPECT_EQ("flv", c->block(casters[0], srs_key::stream_caster_caster));
    EXPECT_EQ("8936", first(c->block(casters[0], srs_key::stream_caster_listen)));
    EXPECT_FALSE(c->block(casters[1], srs_key::stream_caster_enabled));
    EXPECT_EQ(57200, c->block(casters[1], srs_key::stream_caster_rtp_port_min));

    const SrsConfDirective* vhost = c->root()->get("vhost", "v");
    const SrsConfDirective* cam1 = vhost->get("ingest", "cam1");
    const SrsConfDirective* cam2 = vhost->get("ingest", "cam2");
    EXPECT_TRUE(c->block(cam1, srs_key::vhost_ingest_enabled));
    EXPECT_EQ("stream", c->block(cam1, srs_key::vhost_ingest_input_type));
    EXPECT_EQ("rtmp://a/b", c->block(cam1, srs_key::vhost_ingest_input_url));
    EXPECT_EQ("./objs/ffmpeg/bin/ffmpeg", c->block(cam1, srs_key::vhost_ingest_ffmpeg));
    EXPECT_FALSE(c->block(cam2, srs_key::vhost_ingest_enabled));
    EXPECT_EQ("file", c->block(cam2, srs_key::vhost_ingest_input_type));

    std::vector<const SrsConfDirective*> engines = cam1->get_all("engine");
    ASSERT_EQ(2u, engines.size());
    EXPECT_TRUE(c->block(engines[0], srs_key::vhost_ingest_engine_enabled));
    EXPECT_EQ(800, c->block(engines[0], srs_key::vhost_ingest_engine_vbitrate));
    EXPECT_DOUBLE_EQ(29.97, c->block(engines[0], srs_key::vhost_ingest_engine_vfps));
    EXPECT_FALSE(c->block(engines[1], srs_key::vhost_ingest_engine_enabled));
    EXPECT_EQ("flv", c->block(engines[1], srs_key::vhost_ingest_engine_oformat));
    EXPECT_EQ(1, c->block(engines[1], srs_key::vhost_ingest_engine_vthreads));
    // The vhost itself is a block too; an absent block gives defaults.
    EXPECT_EQ(60000, c->block(vhost, srs_key::vhost_chunk_size));
    EXPECT_EQ(30 * SRS_UTIME_SECONDS, c->block(vhost, srs_key::vhost_play_queue_length));
    EXPECT_EQ("file", c->block(nullptr, srs_key::vhost_ingest_input_type));
    EXPECT_TRUE(c->block(nullptr, srs_key::stream_caster_listen).empty());
}

TEST(ConfigTest, DiffNothingChanged) {
    auto a = load_ok("listen 1935;\nvhost v { hls { enabled on; } }\n");
    auto b = load_ok("# same, other layout\nlisten   1935;  vhost v {hls{enabled on;}}");
    EXPECT_TRUE(SrsConfig::diff(*a, *b).empty());
    EXPECT_TRUE(SrsConfig::diff(*a, *a).empty());
    // Legacy and canonical placement are the same config.
    auto c = load_ok("vhost v { gop_cache off; }");
    auto d = load_ok("vhost v { play { gop_cache off; } }");
    EXPECT_TRUE(SrsConfig::diff(*c, *d).empty()) << join(SrsConfig::diff(*c, *d));
}

TEST(ConfigTest, DiffGlobalSections) {
    auto a = load_ok("listen 1935;\npid a.pid;\nhttp_api { enabled on; }\nvhost v {}\n");
    auto b = load_ok("listen 1936;\npid a.pid;\nhttp_api { enabled off; }\nexporter { enabled on; }\nvhost v {}\n");
    EXPECT_EQ("listen,http_api,exporter", join(SrsConfig::diff(*a, *b)));
    EXPECT_EQ("listen,http_api,exporter", join(SrsConfig::diff(*b, *a)));
    auto c = load_ok("listen 1935 1936;\npid a.pid;\nhttp_api { enabled on; }\nvhost v {}\n");
    EXPECT_EQ("listen", join(SrsConfig::diff(*a, *c)));
    auto d = load_ok("pid a.pid;\nhttp_api { enabled on; }\nvhost v {}\n");
    EXPECT_EQ("listen", join(SrsConfig::diff(*a, *d)));
}

TEST(ConfigTest, DiffVhosts) {
    auto a = load_ok(
        "vhost a { hls { enabled on; } play { gop_cache on; } }\n"
        "vhost b { }\n");
    auto added = load_ok(
        "vhost a { hls { enabled on; } play { gop_cache on; } }\n"
        "vhost b { }\n"
        "vhost c { }\n");
    EXPECT_EQ("vhost:c", join(SrsConfig::diff(*a, *added)));
    EXPECT_EQ("vhost:c", join(SrsConfig::diff(*added, *a)));

    auto removed = load_ok("vhost a { hls { enabled on; } play { gop_cache on; } }\n");
    EXPECT_EQ("vhost:b", join(SrsConfig::diff(*a, *removed)));

    auto hls = load_ok(
        "vhost a { hls { enabled on; hls_fragment 2; } play { gop_cache on; } }\n"
        "vhost b { }\n");
    EXPECT_EQ("vhost:a,vhost:a:hls", join(SrsConfig::diff(*a, *hls)));

    auto two = load_ok(
        "vhost a { play { gop_cache off; } dvr { enabled on; } }\n"
        "vhost b { enabled off; }\n");
    EXPECT_EQ("vhost:a,vhost:a:play,vhost:a:dvr,vhost:a:hls,vhost:b,vhost:b:enabled", join(SrsConfig::diff(*a, *two)));
}

TEST(ConfigTest, Reloadable) {
    EXPECT_TRUE(SrsConfig::is_reloadable("listen"));
    EXPECT_TRUE(SrsConfig::is_reloadable("http_api"));
    EXPECT_TRUE(SrsConfig::is_reloadable("srs_log_level"));
    EXPECT_FALSE(SrsConfig::is_reloadable("pid"));
    EXPECT_FALSE(SrsConfig::is_reloadable("daemon"));
    EXPECT_FALSE(SrsConfig::is_reloadable("stream_caster"));
    EXPECT_FALSE(SrsConfig::is_reloadable("no_such"));
    EXPECT_TRUE(SrsConfig::is_reloadable("vhost:a.com"));
    EXPECT_TRUE(SrsConfig::is_reloadable("vhost:a.com:hls"));
    EXPECT_FALSE(SrsConfig::is_reloadable("vhost:a.com:no_such"));

    auto a = load_ok("pid a.pid;\ndaemon off;\nvhost v { cluster { mode local; } hls { enabled on; } }\n");
    auto b = load_ok("pid b.pid;\ndaemon off;\nvhost v { cluster { mode remote; } hls { enabled off; } }\n");
    EXPECT_EQ("pid,vhost:v:cluster.mode", join(SrsConfig::non_reloadable_changes(*a, *b)));
    auto c = load_ok("pid a.pid;\ndaemon off;\nvhost v { cluster { mode local; } hls { enabled off; } }\n");
    EXPECT_TRUE(SrsConfig::non_reloadable_changes(*a, *c).empty());
    // A default written out is no change.
    auto d = load_ok("pid a.pid;\nvhost v { cluster { mode local; } hls { enabled on; } }\n");
    EXPECT_EQ("daemon", join(SrsConfig::non_reloadable_changes(*a, *d)));
}

TEST(ConfigTest, LoadTree) {
    auto root = std::make_unique<SrsConfDirective>();
    root->add("listen", {"1935"});
    SrsConfDirective* v = root->add("vhost", {"v"});
    v->set_block(true);
    v->add("gop_cache", {"off"});
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_tree(std::move(root), "built", &c);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_FALSE(c->vhost("v", srs_key::vhost_play_gop_cache));
    EXPECT_EQ("built", c->path());
}

TEST(ConfigTest, LoadFileErrors) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_file("/nonexistent/srs.conf", &c);
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SYSTEM_FILE_NOT_EXISTS, srs_error_code(err));
    EXPECT_NE(std::string::npos, srs_error_summary(err).find("/nonexistent/srs.conf")) << srs_error_summary(err);
    EXPECT_FALSE(c);
}

TEST(ConfigTest, EndpointParse) {
    std::string ip;
    int port = 0;
    ASSERT_TRUE(srs_conf_parse_endpoint("1935", &ip, &port));
    EXPECT_EQ("", ip);
    EXPECT_EQ(1935, port);
    ASSERT_TRUE(srs_conf_parse_endpoint("127.0.0.1:80", &ip, &port));
    EXPECT_EQ("127.0.0.1", ip);
    EXPECT_EQ(80, port);
    ASSERT_TRUE(srs_conf_parse_endpoint("[::]:8080", &ip, &port));
    EXPECT_EQ("::", ip);
    EXPECT_EQ(8080, port);
    EXPECT_FALSE(srs_conf_parse_endpoint("", &ip, &port));
    EXPECT_FALSE(srs_conf_parse_endpoint(":80", &ip, &port));
    EXPECT_FALSE(srs_conf_parse_endpoint("[::]", &ip, &port));
    EXPECT_FALSE(srs_conf_parse_endpoint("[zz]:80", &ip, &port));
    EXPECT_FALSE(srs_conf_parse_endpoint("+80", &ip, &port));
    EXPECT_FALSE(srs_conf_parse_endpoint("80x", &ip, &port));
}

// conf/full.conf is generated from the table and must stay in sync with it.
TEST(ConfigFullConfTest, MatchesTableAndValidates) {
    std::string path = conf_dir() + "/full.conf";
    std::string generated = srs_config_generate_full_conf();
    const char* write = getenv("SRS_UTEST_WRITE_FULL_CONF");
    if (write && *write == '1') {
        std::ofstream f(path);
        f << generated;
    }
    std::string content;
    srs_error_t err = srs_conf_read_file(path, &content);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ(generated, content) << "conf/full.conf is stale, regenerate: SRS_UTEST_WRITE_FULL_CONF=1 ./srs_utest "
                                     "--gtest_filter='ConfigFullConf*'";

    std::shared_ptr<SrsConfig> c;
    err = SrsConfig::load_file(path, &c);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_TRUE(c->warnings().empty()) << join(c->warnings());
    EXPECT_TRUE(c->get(srs_key::is_full));

    // Every row appears: as a directive in the parsed tree, or (ignored sections) as a comment.
    std::set<std::string> present;
    std::function<void(const SrsConfDirective*, const std::string&)> walk = [&](const SrsConfDirective* d,
                                                                                const std::string& p) {
        for (const SrsConfDirective* ch : d->children()) {
            std::string cp = p.empty() ? ch->name() : p + "." + ch->name();
            present.insert(cp);
            walk(ch, cp);
        }
    };
    walk(c->root(), "");
    for (const SrsConfSpec& s : srs_config_table()) {
        if (s.legacy) {
            continue;
        }
        if (s.type == SrsConfType::Ignored) {
            size_t dot = s.path.rfind('.');
            std::string leaf = dot == std::string::npos ? s.path : s.path.substr(dot + 1);
            EXPECT_NE(std::string::npos, content.find("#" + leaf + " { ... }")) << s.path;
            continue;
        }
        EXPECT_TRUE(present.count(s.path)) << s.path << " is not in conf/full.conf";
    }
}

TEST(ConfigFullConfTest, EveryConfLoads) {
    std::string dir = conf_dir();
    DIR* d = opendir(dir.c_str());
    ASSERT_TRUE(d != nullptr) << dir;
    std::vector<std::string> files;
    while (struct dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (srs_string_ends_with(n, ".conf")) {
            files.push_back(n);
        }
    }
    closedir(d);
    std::sort(files.begin(), files.end());
    for (const char* must : {"full.conf", "srs.conf", "rtmp.conf", "hls.conf", "http.flv.live.conf", "realtime.conf"}) {
        EXPECT_NE(files.end(), std::find(files.begin(), files.end(), must)) << must;
    }
    for (const auto& f : files) {
        std::shared_ptr<SrsConfig> c;
        srs_error_t err = SrsConfig::load_file(dir + "/" + f, &c);
        EXPECT_FALSE(err) << f << ": " << srs_error_desc(err);
        if (c) {
            EXPECT_TRUE(c->warnings().empty()) << f << ": " << join(c->warnings());
        }
    }
}

TEST(ConfigFullConfTest, DefaultConfIsWhatSrsUsersExpect) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_file(conf_dir() + "/srs.conf", &c);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_EQ("1935", first(c->get(srs_key::listen)));
    EXPECT_EQ(1000, c->get(srs_key::max_connections));
    EXPECT_EQ("console", c->get(srs_key::srs_log_tank));
    EXPECT_FALSE(c->get(srs_key::daemon));
    EXPECT_TRUE(c->get(srs_key::http_api_enabled));
    EXPECT_EQ("1985", first(c->get(srs_key::http_api_listen)));
    EXPECT_TRUE(c->get(srs_key::http_server_enabled));
    EXPECT_EQ("8080", first(c->get(srs_key::http_server_listen)));
    EXPECT_EQ("./objs/nginx/html", c->get(srs_key::http_server_dir));
    EXPECT_TRUE(c->vhost("__defaultVhost__", srs_key::vhost_hls_enabled));
    EXPECT_TRUE(c->vhost("__defaultVhost__", srs_key::vhost_http_remux_enabled));
    EXPECT_EQ("[vhost]/[app]/[stream].flv", c->vhost("__defaultVhost__", srs_key::vhost_http_remux_mount));
}

TEST(ConfigFuzzRegressionTest, DottedNameInAVhostIsNotAnAliasPlace) {
    // Found by fuzzing: a name with dots split into more path segments than the tree is deep.
    // Such a name is an unknown directive: warned about and ignored, never moved anywhere.
    auto warned = [](const std::shared_ptr<SrsConfig>& c, const std::string& name) {
        for (const std::string& w : c->warnings()) {
            if (w.find("unknown directive") != std::string::npos && w.find(name) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_string("vhost v { a.b.c.d.e off; play { x.y off; } }", &c);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_TRUE(warned(c, "a.b.c.d.e"));
    EXPECT_TRUE(warned(c, "x.y"));
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_play_gop_cache));

    err = SrsConfig::load_string("a.b.c.d.e.f.g on; vhost.gop_cache off; vhost v { }", &c);
    ASSERT_FALSE(err) << srs_error_desc(err);
    EXPECT_TRUE(warned(c, "a.b.c.d.e.f.g"));
    EXPECT_TRUE(warned(c, "vhost.gop_cache"));
    EXPECT_TRUE(c->vhost("v", srs_key::vhost_play_gop_cache));
}

// The bound of a publisher's partial RTMP messages (issue 19): 16 MiB by default, so that one
// message of the largest length a chunk header carries fits; per vhost; at least 64 KiB;
// read when a publish starts.
TEST(ConfigTest, PublishMaxPartialBytes) {
    const SrsConfSpec* spec = srs_config_spec("vhost.publish.max_partial_bytes");
    ASSERT_TRUE(spec != nullptr);
    EXPECT_TRUE(spec->reloadable);
    auto c = load_ok("vhost __defaultVhost__ {}\nvhost small { publish { max_partial_bytes 262144; } }\n");
    ASSERT_TRUE(c);
    EXPECT_EQ(16 * 1024 * 1024, c->vhost("__defaultVhost__", srs_key::vhost_publish_max_partial_bytes));
    EXPECT_GE(c->vhost("__defaultVhost__", srs_key::vhost_publish_max_partial_bytes), 0xffffff);
    EXPECT_EQ(262144, c->vhost("small", srs_key::vhost_publish_max_partial_bytes));
    EXPECT_EQ("", load_error("vhost v { publish { max_partial_bytes 65536; } }"));
    EXPECT_NE(std::string::npos, load_error("vhost v { publish { max_partial_bytes 1000; } }")
                                     .find("vhost.publish.max_partial_bytes: 1000 is out of range"));
    EXPECT_NE(std::string::npos, load_error("vhost v { publish { max_partial_bytes 1m; } }").find("is not an integer"));
}
