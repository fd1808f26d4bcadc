// Reload: what changed between two config snapshots, and the interface of the subsystems
// that apply their section of it.
#pragma once

#include <srs_app_config.hpp>
#include <srs_app_config_table.hpp>
#include <srs_core_error.hpp>

#include <memory>
#include <string>
#include <vector>

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
    // Whether a section changed: "listen", "http_api", "vhost:NAME", "vhost:NAME:hls"... (the
    // names of changes(), for the reload's log line).
    bool changed(const std::string& section) const;
    // The same by key, diffed for that section only: changed(srs_key::http_api),
    // vhost_changed(v, srs_key::vhost_hls) (false for a vhost added or removed: it is whole).
    template <SrsConfType T>
    bool changed(SrsConfKey<T, SrsConfScope::Global> key) const {
        return SrsConfig::changed(*from_, *to_, key);
    }
    template <SrsConfType T>
    bool vhost_changed(const std::string& vhost, SrsConfKey<T, SrsConfScope::Vhost> key) const {
        return SrsConfig::vhost_changed(*from_, *to_, vhost, key);
    }
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

// The generated part of doc/reload.md: a table of every reloadable directive with how it is
// applied (the table's reload column), and the list of directives that need a restart.
std::string srs_reload_generate_doc();
