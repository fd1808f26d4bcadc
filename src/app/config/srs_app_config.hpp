// The server's configuration: an immutable, validated snapshot of a config file, read through
// typed getters whose defaults come from the directive table (srs_app_config_table.hpp).
// Reload builds a new snapshot and diff()s it against the running one; each subsystem applies
// its own section and keeps no pointer into the old snapshot. See doc/config.md.
#pragma once

#include <srs_app_config_keys.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_time.hpp>
#include <srs_protocol_conf.hpp>

#include <memory>
#include <string>
#include <vector>

// The name of the vhost that serves every host that is not declared, as in SRS.
#define SRS_CONSTS_RTMP_DEFAULT_VHOST "__defaultVhost__"

// An immutable, validated config snapshot. Share it as std::shared_ptr<const SrsConfig>.
class SrsConfig {
private:
    // Only the load functions construct a snapshot (through std::make_shared).
    struct Key {
        explicit Key() = default;
    };

public:
    explicit SrsConfig(Key);
    ~SrsConfig();
    SRS_DISALLOW_COPY(SrsConfig);

public:
    // Parses and validates; unknown directives are reported as warnings (srs_warn, with file:line),
    // invalid values (bad port, negative duration, not on/off, out of range) are errors with file:line.
    // Legacy placements of SRS 1/2/7 (vhost { gop_cache on; }, mr { enabled; }, http_stream, ...)
    // are moved to their place in the table first, so root() and diff() see one form.
    static srs_error_t load_file(const std::string& path, std::shared_ptr<SrsConfig>* out);
    // The same from text, for tests; named "<string>" in messages, includes relative to the cwd.
    static srs_error_t load_string(const std::string& content, std::shared_ptr<SrsConfig>* out);
    // Validates a tree that was built or transformed in code (also moves legacy placements).
    static srs_error_t load_tree(std::unique_ptr<SrsConfDirective> root, const std::string& path,
                                 std::shared_ptr<SrsConfig>* out);

    const std::string& path() const { return path_; }
    const SrsConfDirective* root() const { return root_.get(); }
    // Every warning of the load, each "file:line: text": unknown or unsupported directives,
    // legacy placements, duplicates, extra arguments, unset environment variables.
    std::vector<std::string> warnings() const { return warnings_; }

    // The typed getters: a key of srs_app_config_keys.hpp gives the C++ type of its row; a
    // missing directive gives the table's default (or the value it inherits). Blocks and
    // free-form directives give the directive itself, or null when absent.
    // A directive outside any vhost: get(srs_key::max_connections).
    template <SrsConfType T>
    typename SrsConfValue<T>::type get(SrsConfKey<T, SrsConfScope::Global> key) const {
        return read<T>(global_scope(), key.path);
    }
    // A directive of the vhost that serves a host (resolved like resolve_vhost(), so a client that
    // connects by IP gets __defaultVhost__'s settings, as with SRS): vhost(v, srs_key::vhost_hls_enabled).
    template <SrsConfType T>
    typename SrsConfValue<T>::type vhost(const std::string& name, SrsConfKey<T, SrsConfScope::Vhost> key) const {
        return read<T>(vhost_scope(name), key.path);
    }
    // A directive below one instance of a block (an `ingest NAME`, a transcode `engine`, a
    // `stream_caster`, or a vhost), with the table's defaults; block is a directive of this
    // snapshot or null: block(engine, srs_engine_keys::ingest.vbitrate).
    template <SrsConfType T, SrsConfScope S>
    typename SrsConfValue<T>::type block(const SrsConfDirective* dir, SrsConfKey<T, S> key) const {
        return read<T>(block_scope(dir, key.path), key.path);
    }

    // Declared vhost names, in order (including __defaultVhost__).
    std::vector<std::string> vhosts() const;
    // Whether this exact name is declared.
    bool has_vhost(const std::string& name) const;
    // The declared vhost that serves a host: the host itself when declared, else
    // __defaultVhost__ when declared, else "" (the host is refused).
    std::string resolve_vhost(const std::string& host) const;
    // Whether the vhost serving this host (see resolve_vhost) exists and is not `enabled off`.
    bool vhost_enabled(const std::string& name) const;

    // Reload support: the sections that differ between two snapshots, e.g. "listen", "pid",
    // "srs_log_level", "http_api", "http_server", "exporter", "vhost:NAME" (added/removed/changed),
    // and for a changed vhost the changed sub-sections ("vhost:NAME:hls", "vhost:NAME:play", ...).
    // Global sections come in the order of `to` (then those only in `from`); vhosts likewise.
    static std::vector<std::string> diff(const SrsConfig& from, const SrsConfig& to);
    // The diff of one section, by its key: whether the directives at the key's path (every
    // instance) differ between two snapshots. vhost_changed() compares the vhost of that exact
    // name, false unless both snapshots declare it (an added or removed vhost is whole).
    template <SrsConfType T>
    static bool changed(const SrsConfig& from, const SrsConfig& to, SrsConfKey<T, SrsConfScope::Global> key) {
        return section_changed(from.root(), to.root(), key.path, 0);
    }
    template <SrsConfType T>
    static bool vhost_changed(const SrsConfig& from, const SrsConfig& to, const std::string& name,
                              SrsConfKey<T, SrsConfScope::Vhost> key) {
        const SrsConfDirective* a = from.root()->get("vhost", name);
        const SrsConfDirective* b = to.root()->get("vhost", name);
        return a && b && section_changed(a, b, key.path, 1);
    }
    // Whether a change of this diff() section can be applied by reload: the table's reloadable
    // flag of the section and of every directive below it ("pid", "daemon": no). Unknown: false.
    static bool is_reloadable(const std::string& section);
    // The changed directives that a reload cannot apply (restart needed), by table path:
    // "pid", "daemon", "vhost:NAME:cluster.mode", "stream_caster". Empty when all reloadable.
    static std::vector<std::string> non_reloadable_changes(const SrsConfig& from, const SrsConfig& to);

private:
    // The table's generic code under the typed getters, by run-time table path (for global
    // values, the path from the root; for a vhost's, the path below the vhost). A path that is
    // not declared, or not of the getter's type, is logged as a BUG and reads as zero. Only the
    // unit test of that behaviour calls them.
    friend struct SrsConfigUntyped;
    std::string get_string(const std::string& path) const;
    std::vector<std::string> get_strings(const std::string& path) const;
    bool get_bool(const std::string& path) const;
    int64_t get_int(const std::string& path) const;
    double get_double(const std::string& path) const;
    srs_utime_t get_duration(const std::string& path) const;
    bool vhost_bool(const std::string& vhost, const std::string& path) const;
    srs_utime_t vhost_duration(const std::string& vhost, const std::string& path) const;

    // Where a lookup starts: a directive of this snapshot that stands for the first `depth`
    // segments of table paths (the root: 0, a vhost: 1, an ingest: 2), or null for "absent".
    struct Scope {
        const SrsConfDirective* dir;
        size_t depth;
    };
    Scope global_scope() const { return Scope{root_.get(), 0}; }
    Scope vhost_scope(const std::string& vhost) const;
    Scope block_scope(const SrsConfDirective* block, const std::string& table_path) const;
    // The directive at a dotted path below dir, or null.
    static const SrsConfDirective* find(const SrsConfDirective* dir, const std::string& path);
    // The value of a table path in a scope (default or inherited when absent); false when the
    // path is not declared or not of an accepted type (logged as a programming error).
    bool value_of(Scope scope, const std::string& table_path, int accepted_types, std::vector<std::string>* args) const;
    // Whether the directives at a table path below a and b (standing for its first depth
    // segments) differ.
    static bool section_changed(const SrsConfDirective* a, const SrsConfDirective* b, const std::string& table_path,
                                size_t depth);
    // The directive at a table path in a scope, or null.
    static const SrsConfDirective* directive_of(Scope scope, const std::string& table_path);
    template <SrsConfType T>
    typename SrsConfValue<T>::type read(Scope scope, const char* table_path) const {
        if constexpr (T == SrsConfType::String) {
            return string_of(scope, table_path);
        } else if constexpr (T == SrsConfType::Strings || T == SrsConfType::Endpoints) {
            return strings_of(scope, table_path);
        } else if constexpr (T == SrsConfType::Bool) {
            return bool_of(scope, table_path);
        } else if constexpr (T == SrsConfType::Int) {
            return int_of(scope, table_path);
        } else if constexpr (T == SrsConfType::Double) {
            return double_of(scope, table_path);
        } else if constexpr (T == SrsConfType::DurationS || T == SrsConfType::DurationMs) {
            return duration_of(scope, table_path);
        } else {
            static_assert(T == SrsConfType::Block || T == SrsConfType::Any, "Ignored directives are never read");
            return directive_of(scope, table_path);
        }
    }
    std::string string_of(Scope scope, const std::string& table_path) const;
    std::vector<std::string> strings_of(Scope scope, const std::string& table_path) const;
    bool bool_of(Scope scope, const std::string& table_path) const;
    int64_t int_of(Scope scope, const std::string& table_path) const;
    double double_of(Scope scope, const std::string& table_path) const;
    srs_utime_t duration_of(Scope scope, const std::string& table_path) const;

    std::string path_;
    std::unique_ptr<SrsConfDirective> root_;
    std::vector<std::string> warnings_;
};

// Parses a listen endpoint: "1935", "0.0.0.0:1935", "[::]:1935". An empty ip means any.
bool srs_conf_parse_endpoint(const std::string& text, std::string* ip, int* port);
