// The directive table: every directive the server understands, declared once with its type,
// default, range and reloadability, the way nginx declares ngx_command_t. Validation, the typed
// getters of SrsConfig and conf/full.conf all come from it.
#pragma once

#include <srs_core.hpp>

#include <string>
#include <vector>

// What a directive holds.
enum class SrsConfType {
    Block,       // name [args] { children }; args counted by min/max (vhost NAME: 1..1).
    Any,         // A block or directive whose contents are free-form (ffmpeg vparams {...}).
    Ignored,     // Known from SRS but not supported here: accepted with a warning, never read.
    String,      // One argument (or none: empty).
    Strings,     // Any number of arguments (on_publish URL1 URL2;).
    Endpoints,   // One or more listen endpoints: port, ip:port or [ipv6]:port.
    Bool,        // on or off.
    Int,         // A decimal integer within min..max.
    Double,      // A number within min..max.
    DurationS,   // Seconds (fractions allowed), >= 0.
    DurationMs,  // Milliseconds (fractions allowed), >= 0.
};

const char* srs_conf_type_name(SrsConfType type);

// How a reload applies a reloadable directive to what runs (doc/reload.md is generated from
// the table's reload column, and a test keeps every reloadable directive covered).
enum class SrsReloadMode {
    // Running clients and streams follow at once (at their next wake-up).
    AtOnce,
    // A running stream's muxer restarts at its next keyframe.
    NextKeyframe,
    // Read when a client connects or starts to play: running clients keep the old value.
    NewClients,
    // Read when a publish starts: running publishers keep the old value.
    NextPublish,
    // Accepted and validated, but no feature of this server reads it yet.
    NotUsed,
};
const char* srs_reload_mode_name(SrsReloadMode mode);

// One row of the table. Built with the chained setters in srs_app_config_table.cpp:
//   SrsConfSpec(srs_key::vhost_play_gop_cache, "on").reload().alias("vhost.gop_cache").doc("...")
struct SrsConfSpec {
    // Dotted path from the root; blocks with arguments appear by name only ("vhost.hls.enabled").
    std::string path;
    SrsConfType type;
    // The value as it would be written in the file; used when the directive is absent.
    std::string default_value;
    // Numbers: the allowed range. Blocks: the allowed number of arguments.
    bool has_min = false, has_max = false;
    double min = 0, max = 0;
    // Whether a reload applies a change of it without restarting the server.
    bool reloadable = false;
    // The reload column: how a reload applies it, for this row and the rows below it that have
    // no rule of their own (see srs_reload_rule). A feature that starts reading a directive
    // moves its rule out of NotUsed, with a module that applies it to what runs when needed.
    bool has_reload_rule = false;
    SrsReloadMode reload_mode = SrsReloadMode::NotUsed;
    std::string reload_how;
    // Whether the directive may appear several times in one block (vhost, allow, deny).
    bool multi = false;
    // A block that only exists in legacy configs; removed once its children moved.
    bool legacy = false;
    // For String: the allowed values (empty: any).
    std::vector<std::string> choices;
    // Legacy placements of the same directive (SRS 1/2/7): moved here when the config loads.
    std::vector<std::string> aliases;
    // For vhost directives: the global path whose value is used when the vhost omits it.
    std::string inherit;
    // What conf/full.conf shows when the default is empty (or a block's argument).
    std::string example;
    // One line for conf/full.conf.
    std::string help;
    // A check of the arguments beyond the type: "" when fine, else what is expected.
    std::string (*checker)(const std::vector<std::string>& args) = nullptr;

    // A row of a directive the server reads, from its typed key (srs_app_config_keys.hpp): the
    // path and the type come from the key, so they are declared once.
    template <typename Key, typename = decltype(Key::type)>
    explicit SrsConfSpec(const Key& key, std::string def = "") : SrsConfSpec(key.path, Key::type, std::move(def)) {}
    // A row without a key: Ignored directives, which are never read.
    SrsConfSpec(std::string p, SrsConfType t, std::string def = "");
    SrsConfSpec& range(double lo, double hi);
    SrsConfSpec& at_least(double lo);
    SrsConfSpec& reload(bool yes = true);
    // Reloadable, and how a reload applies it ("" when NotUsed).
    SrsConfSpec& reload(SrsReloadMode mode, std::string how = "");
    SrsConfSpec& many();
    SrsConfSpec& legacy_block();
    SrsConfSpec& one_of(std::vector<std::string> values);
    SrsConfSpec& alias(const std::string& legacy_path);
    SrsConfSpec& inherits(const std::string& global_path);
    SrsConfSpec& eg(const std::string& text);
    SrsConfSpec& doc(const std::string& text);
    SrsConfSpec& check(std::string (*fn)(const std::vector<std::string>& args));

    bool is_block() const { return type == SrsConfType::Block; }
    bool is_scalar() const;
};

// Checkers for SrsConfSpec::check.
// `allow|deny publish|play all|IP|CIDR` (the directive name is not in args).
std::string srs_conf_check_security_rule(const std::vector<std::string>& args);
// One or more host[:port] (or [ipv6][:port]) with port 1..65535 when given.
std::string srs_conf_check_hosts(const std::vector<std::string>& args);

// The rows of a section kept in a file of its own (srs_app_config_table_<section>.cpp), appended
// to the table where the section belongs.
void srs_config_table_add_hls(std::vector<SrsConfSpec>& t);
void srs_config_table_add_dash(std::vector<SrsConfSpec>& t);
void srs_config_table_add_http_remux(std::vector<SrsConfSpec>& t);

// The table, in the order conf/full.conf documents it.
const std::vector<SrsConfSpec>& srs_config_table();
// The row of a canonical path, or null.
const SrsConfSpec* srs_config_spec(const std::string& path);
// The canonical row a legacy path is an alias of, or null.
const SrsConfSpec* srs_config_spec_of_alias(const std::string& legacy_path);
// The row whose reload rule applies to a table path: the path's own row, else the nearest
// block above it with a rule ("vhost.play.mw_latency" has its own, "vhost.hls.hls_fragment"
// takes vhost.hls's); null when none.
const SrsConfSpec* srs_reload_rule(const std::string& table_path);
// conf/full.conf as generated from the table: every directive with a comment saying what it
// does, its default and whether it reloads.
std::string srs_config_generate_full_conf();
