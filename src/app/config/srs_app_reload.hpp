// Reload: what changed between two config snapshots, and the interface of the subsystems
// that apply their section of it.
#pragma once

#include <srs_core_error.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsConfig;

// The old and new snapshots of one reload, the sections that differ (SrsConfig::diff), and
// what the subsystems applied, for the one log line every reload writes.
class SrsReloadContext {
public:
    SrsReloadContext(std::shared_ptr<SrsConfig> from, std::shared_ptr<SrsConfig> to);
    SRS_DISALLOW_COPY(SrsReloadContext);

public:
    const SrsConfig& from() const { return *from_; }
    const SrsConfig& to() const { return *to_; }
    const std::vector<std::string>& changes() const { return changes_; }
    // Whether a section changed: "listen", "http_api", "vhost:NAME", "vhost:NAME:hls"...
    bool changed(const std::string& section) const;
    // Vhosts present in the new config only, in the old only, and in both but different.
    std::vector<std::string> vhosts_added() const;
    std::vector<std::string> vhosts_removed() const;
    std::vector<std::string> vhosts_changed() const;
    // Records what a subsystem applied ("listen", "vhost:live:play"...).
    void applied(const std::string& what);
    const std::vector<std::string>& applied_list() const { return applied_; }

private:
    std::shared_ptr<SrsConfig> from_;
    std::shared_ptr<SrsConfig> to_;
    std::vector<std::string> changes_;
    std::vector<std::string> applied_;
};

// A subsystem that applies its section of a reloaded config to what is running. The server
// calls every registered handler, in registration order, after it has switched to the new
// snapshot; handlers read the new values from ctx->to() or the server's config().
class ISrsReloadHandler {
public:
    virtual ~ISrsReloadHandler() = default;
    virtual srs_error_t on_reload(SrsReloadContext* ctx) = 0;
};

// How a reload applies a reloadable directive to what runs (doc/reload.md is generated from
// the rules below, and a test keeps every reloadable directive of the table covered).
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

// One rule: a table path and every path below it, unless a longer rule matches.
struct SrsReloadRule {
    const char* prefix;
    SrsReloadMode mode;
    const char* how;
};
const std::vector<SrsReloadRule>& srs_reload_rules();
// The rule of a table path ("vhost.play.mw_latency"), by the longest prefix at a '.'
// boundary; null when none.
const SrsReloadRule* srs_reload_rule(const std::string& table_path);
// The generated part of doc/reload.md: a table of every reloadable directive with how it is
// applied, and the list of directives that need a restart.
std::string srs_reload_generate_doc();
