#include <srs_app_config.hpp>

#include <srs_app_config_table.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace {

int type_bit(SrsConfType t) {
    return 1 << static_cast<int>(t);
}

const int kAnyValue = type_bit(SrsConfType::String) | type_bit(SrsConfType::Strings) |
                      type_bit(SrsConfType::Endpoints) | type_bit(SrsConfType::Bool) | type_bit(SrsConfType::Int) |
                      type_bit(SrsConfType::Double) | type_bit(SrsConfType::DurationS) |
                      type_bit(SrsConfType::DurationMs);

std::string join_path(const std::string& parent, const std::string& name) {
    return parent.empty() ? name : parent + "." + name;
}

bool parse_number(const std::string& s, double* v) {
    if (s.empty() || isspace((unsigned char)s[0])) {
        return false;
    }
    char* end = nullptr;
    double d = strtod(s.c_str(), &end);
    if (!end || *end != '\0' || !std::isfinite(d)) {
        return false;
    }
    // Hex floats and "inf" are not config values.
    if (s.find_first_of("xXnN") != std::string::npos) {
        return false;
    }
    *v = d;
    return true;
}

srs_utime_t to_duration(double v, SrsConfType t) {
    double unit = t == SrsConfType::DurationMs ? (double)SRS_UTIME_MILLISECONDS : (double)SRS_UTIME_SECONDS;
    return (srs_utime_t)llround(v * unit);
}

std::string fmt_range(const SrsConfSpec& s) {
    if (s.has_min && s.has_max) {
        return srs_fmt("[%.15g, %.15g]", s.min, s.max);
    }
    if (s.has_min) {
        return srs_fmt(">= %.15g", s.min);
    }
    return srs_fmt("<= %.15g", s.max);
}

bool out_of_range(const SrsConfSpec& s, double v) {
    return (s.has_min && v < s.min) || (s.has_max && v > s.max);
}

// Moves legacy placements to the table's canonical paths and checks the tree against the table.
class SrsConfLoader {
public:
    std::vector<std::string> warnings;

    void warn(const std::string& w) {
        srs_warn("config: %s", w.c_str());
        warnings.push_back(w);
    }

    // SRS 1/2 short forms that are not a plain move: `forward dest;`, `refer a b;`,
    // `refer_play a;` and `refer_publish a;` become blocks with `enabled on;`.
    void transform_vhost_short_forms(SrsConfDirective* vhost) {
        for (size_t i = 0; i < vhost->size();) {
            SrsConfDirective* c = vhost->mutable_at(i);
            const std::string n = c->name();
            if ((n == "forward" || n == "refer") && !c->is_block() && !c->args().empty()) {
                std::vector<std::string> args = c->args();
                c->set_args({});
                c->set_block(true);
                c->add("enabled", {"on"});
                c->add(n == "forward" ? "destination" : "all", args);
                warn(srs_fmt("%s: legacy \"%s %s;\", read as %s { enabled on; %s ...; }", c->where().c_str(), n.c_str(),
                             srs_string_join(args, " ").c_str(), n.c_str(), n == "forward" ? "destination" : "all"));
                i++;
                continue;
            }
            if (n == "refer_play" || n == "refer_publish") {
                std::unique_ptr<SrsConfDirective> moved = vhost->remove(i);
                SrsConfDirective* refer = vhost->get_or_create_block("refer");
                if (!refer->get("enabled")) {
                    refer->add("enabled", {"on"});
                }
                std::string leaf = n == "refer_play" ? "play" : "publish";
                warn(srs_fmt("%s: legacy \"%s\", moved to \"refer.%s\"", moved->where().c_str(), n.c_str(),
                             leaf.c_str()));
                if (!refer->get(leaf)) {
                    moved->set_name(leaf);
                    refer->add(std::move(moved));
                }
                continue;
            }
            i++;
        }
    }

    // ancestors[k] is the directive at depth k (0 the root); the last one is node.
    void normalize(SrsConfDirective* node, const std::string& path, std::vector<SrsConfDirective*>& ancestors) {
        if (path == "vhost") {
            transform_vhost_short_forms(node);
        }
        for (size_t i = 0; i < node->size();) {
            SrsConfDirective* child = node->mutable_at(i);
            std::string cpath = join_path(path, child->name());
            const SrsConfSpec* spec = srs_config_spec(cpath);
            if (spec) {
                if (spec->type == SrsConfType::Block && child->is_block()) {
                    ancestors.push_back(child);
                    normalize(child, cpath, ancestors);
                    ancestors.pop_back();
                    if (spec->legacy && child->empty()) {
                        node->remove(i);
                        continue;
                    }
                }
                i++;
                continue;
            }
            const SrsConfSpec* target = srs_config_spec_of_alias(cpath);
            if (!target) {
                i++;
                continue;
            }
            std::vector<std::string> from = srs_string_split(cpath, ".");
            std::vector<std::string> to = srs_string_split(target->path, ".");
            size_t k = 0;
            while (k + 1 < from.size() && k + 1 < to.size() && from[k] == to[k]) {
                k++;
            }
            // A name with a '.' in it (never a real directive) splits into more segments than
            // the tree is deep: it matches no alias place. Found by fuzzing.
            if (from.size() != ancestors.size() || k >= ancestors.size()) {
                i++;
                continue;
            }
            SrsConfDirective* parent = ancestors[k];
            for (size_t j = k; j + 1 < to.size(); j++) {
                parent = parent->get_or_create_block(to[j]);
            }
            const std::string& leaf = to.back();
            if (parent == node) {
                // A rename in place keeps the order; the loop visits it again as canonical.
                warn(srs_fmt("%s: legacy \"%s\", read as \"%s\"", child->where().c_str(), cpath.c_str(),
                             target->path.c_str()));
                child->set_name(leaf);
                continue;
            }
            std::unique_ptr<SrsConfDirective> moved = node->remove(i);
            const SrsConfDirective* existing = parent->get(leaf);
            if (existing && !target->multi) {
                warn(srs_fmt("%s: legacy \"%s\" ignored, \"%s\" is set at %s", moved->where().c_str(), cpath.c_str(),
                             target->path.c_str(), existing->where().c_str()));
                continue;
            }
            warn(srs_fmt("%s: legacy \"%s\", moved to \"%s\"", moved->where().c_str(), cpath.c_str(),
                         target->path.c_str()));
            moved->set_name(leaf);
            parent->add(std::move(moved));
        }
    }

    srs_error_t check_value(const SrsConfSpec& spec, const SrsConfDirective* d) {
        const std::string& p = spec.path;
        const std::string w = d->where();
        const auto& args = d->args();
        if (spec.checker) {
            std::string expect = spec.checker(args);
            if (!expect.empty()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: invalid \"%s\", %s", w.c_str(), p.c_str(),
                                     srs_string_join(args, " ").c_str(), expect.c_str());
            }
        }
        if (spec.type == SrsConfType::Strings) {
            return srs_success;
        }
        if (spec.type == SrsConfType::Endpoints) {
            if (args.empty()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s needs at least one endpoint", w.c_str(),
                                     p.c_str());
            }
            for (const auto& a : args) {
                std::string ip;
                int port = 0;
                if (!srs_conf_parse_endpoint(a, &ip, &port)) {
                    return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID,
                                         "%s: %s: invalid endpoint \"%s\", expect port, ip:port or [ipv6]:port with "
                                         "port 1-65535",
                                         w.c_str(), p.c_str(), a.c_str());
                }
            }
            return srs_success;
        }

        if (args.size() > 1) {
            warn(srs_fmt("%s: %s takes one value, extra arguments \"%s\" ignored (missing ';'?)", w.c_str(), p.c_str(),
                         srs_string_join(std::vector<std::string>(args.begin() + 1, args.end()), " ").c_str()));
        }
        if (spec.type == SrsConfType::String) {
            if (!spec.choices.empty() &&
                std::find(spec.choices.begin(), spec.choices.end(), d->arg0()) == spec.choices.end()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: invalid value \"%s\", expect one of %s",
                                     w.c_str(), p.c_str(), d->arg0().c_str(),
                                     srs_string_join(spec.choices, ", ").c_str());
            }
            return srs_success;
        }
        if (args.empty()) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s needs a value", w.c_str(), p.c_str());
        }
        const std::string& v = args[0];
        if (spec.type == SrsConfType::Bool) {
            if (v != "on" && v != "off") {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: \"%s\" is not on or off", w.c_str(),
                                     p.c_str(), v.c_str());
            }
            return srs_success;
        }
        if (spec.type == SrsConfType::Int) {
            int64_t n = 0;
            if (!srs_parse_int64(v, &n)) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: \"%s\" is not an integer", w.c_str(),
                                     p.c_str(), v.c_str());
            }
            if (out_of_range(spec, (double)n)) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: %s is out of range %s", w.c_str(), p.c_str(),
                                     v.c_str(), fmt_range(spec).c_str());
            }
            return srs_success;
        }
        double n = 0;
        if (!parse_number(v, &n)) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: \"%s\" is not a number", w.c_str(), p.c_str(),
                                 v.c_str());
        }
        bool duration = spec.type == SrsConfType::DurationS || spec.type == SrsConfType::DurationMs;
        if (duration && n < 0) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: negative duration %s", w.c_str(), p.c_str(),
                                 v.c_str());
        }
        if (out_of_range(spec, n)) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s: %s is out of range %s", w.c_str(), p.c_str(),
                                 v.c_str(), fmt_range(spec).c_str());
        }
        return srs_success;
    }

    srs_error_t validate(const SrsConfDirective* node, const std::string& path) {
        srs_error_t err = srs_success;
        std::map<std::string, const SrsConfDirective*> first;
        std::map<std::string, const SrsConfDirective*> named;
        for (size_t i = 0; i < node->size(); i++) {
            const SrsConfDirective* c = node->at(i);
            std::string cpath = join_path(path, c->name());
            const SrsConfSpec* spec = srs_config_spec(cpath);
            if (!spec) {
                warn(srs_fmt("%s: unknown directive \"%s\", ignored", c->where().c_str(), cpath.c_str()));
                continue;
            }
            if (spec->type == SrsConfType::Ignored) {
                warn(srs_fmt("%s: \"%s\" is not supported by this server, ignored", c->where().c_str(), cpath.c_str()));
                continue;
            }
            if (spec->type == SrsConfType::Any) {
                continue;
            }

            // Duplicates: named blocks must be unique by name; other single directives keep the first.
            if (spec->multi) {
                if (spec->is_block() && !c->arg0().empty()) {
                    std::string key = c->name() + " " + c->arg0();
                    auto it = named.find(key);
                    if (it != named.end()) {
                        return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: duplicate %s \"%s\", first at %s",
                                             c->where().c_str(), cpath.c_str(), c->arg0().c_str(),
                                             it->second->where().c_str());
                    }
                    named[key] = c;
                }
            } else {
                auto it = first.find(c->name());
                if (it != first.end()) {
                    warn(srs_fmt("%s: duplicate \"%s\", the first at %s is used", c->where().c_str(), cpath.c_str(),
                                 it->second->where().c_str()));
                } else {
                    first[c->name()] = c;
                }
            }

            if (spec->is_block()) {
                if (!c->is_block()) {
                    return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s must be a block: %s { ... }",
                                         c->where().c_str(), cpath.c_str(), c->name().c_str());
                }
                size_t lo = spec->has_min ? (size_t)spec->min : 0;
                size_t hi = spec->has_max ? (size_t)spec->max : 0;
                size_t n = c->args().size();
                if (n < lo || n > hi) {
                    return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s takes %s, got %d argument(s)",
                                         c->where().c_str(), cpath.c_str(),
                                         lo == hi ? srs_fmt("%d argument(s)", (int)lo).c_str()
                                                  : srs_fmt("%d to %d arguments", (int)lo, (int)hi).c_str(),
                                         (int)n);
                }
                if (n > 0 && c->arg0().empty()) {
                    return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s needs a non-empty name",
                                         c->where().c_str(), cpath.c_str());
                }
                if ((err = validate(c, cpath)) != srs_success) {
                    return err;
                }
                continue;
            }
            if (c->is_block()) {
                return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: %s is not a block, write %s value;",
                                     c->where().c_str(), cpath.c_str(), c->name().c_str());
            }
            if ((err = check_value(*spec, c)) != srs_success) {
                return err;
            }
        }
        return err;
    }

    // Rules between directives.
    srs_error_t validate_global(const SrsConfig& conf) {
        if (conf.get(srs_key::asprocess) && conf.get(srs_key::daemon)) {
            const SrsConfDirective* d = conf.root()->get("asprocess");
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: asprocess on conflicts with daemon on",
                                 d ? d->where().c_str() : conf.path().c_str());
        }
        return srs_success;
    }
};

// The directives at a path, walking the first instance of each block on the way.
std::vector<const SrsConfDirective*> all_at(const SrsConfDirective* scope, const std::vector<std::string>& segs) {
    const SrsConfDirective* cur = scope;
    for (size_t i = 0; cur && i + 1 < segs.size(); i++) {
        cur = cur->get(segs[i]);
    }
    if (!cur || segs.empty()) {
        return {};
    }
    return cur->get_all(segs.back());
}

bool same_list(const std::vector<const SrsConfDirective*>& a, const std::vector<const SrsConfDirective*>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); i++) {
        if (!a[i]->equals(*b[i])) {
            return false;
        }
    }
    return true;
}

// Child names of a and b (either may be null), each once, in the order of b then a.
std::vector<std::string> child_names(const SrsConfDirective* b, const SrsConfDirective* a, const char* skip) {
    std::vector<std::string> r;
    std::set<std::string> seen;
    for (const SrsConfDirective* d : {b, a}) {
        if (!d) {
            continue;
        }
        for (size_t i = 0; i < d->size(); i++) {
            const std::string& n = d->at(i)->name();
            if ((skip && n == skip) || !seen.insert(n).second) {
                continue;
            }
            r.push_back(n);
        }
    }
    return r;
}

}  // namespace

bool srs_conf_parse_endpoint(const std::string& text, std::string* ip, int* port) {
    std::string host, sport;
    if (!text.empty() && text[0] == '[') {
        size_t close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return false;
        }
        host = text.substr(1, close - 1);
        sport = text.substr(close + 2);
        struct in6_addr a6;
        if (inet_pton(AF_INET6, host.c_str(), &a6) != 1) {
            return false;
        }
    } else {
        size_t colon = text.rfind(':');
        if (colon != std::string::npos) {
            host = text.substr(0, colon);
            sport = text.substr(colon + 1);
            struct in_addr a4;
            if (host.find(':') != std::string::npos || inet_pton(AF_INET, host.c_str(), &a4) != 1) {
                return false;
            }
        } else {
            sport = text;
        }
    }
    int64_t p = 0;
    if (sport.empty() || sport[0] == '+' || sport[0] == '-' || !srs_parse_int64(sport, &p) || p < 1 || p > 65535) {
        return false;
    }
    *ip = host;
    *port = (int)p;
    return true;
}

SrsConfig::SrsConfig(Key) {}

SrsConfig::~SrsConfig() = default;

srs_error_t SrsConfig::load_file(const std::string& path, std::shared_ptr<SrsConfig>* out) {
    srs_error_t err = srs_success;
    SrsConfParser parser;
    std::unique_ptr<SrsConfDirective> root;
    if ((err = parser.parse_file(path, &root)) != srs_success) {
        return srs_error_wrap(err, "load config %s", path.c_str());
    }
    std::shared_ptr<SrsConfig> conf;
    if ((err = load_tree(std::move(root), path, &conf)) != srs_success) {
        return srs_error_wrap(err, "load config %s", path.c_str());
    }
    for (const auto& w : parser.warnings()) {
        srs_warn("config: %s", w.c_str());
    }
    conf->warnings_.insert(conf->warnings_.begin(), parser.warnings().begin(), parser.warnings().end());
    *out = conf;
    return err;
}

srs_error_t SrsConfig::load_string(const std::string& content, std::shared_ptr<SrsConfig>* out) {
    srs_error_t err = srs_success;
    SrsConfParser parser;
    std::unique_ptr<SrsConfDirective> root;
    if ((err = parser.parse_string(content, "<string>", &root)) != srs_success) {
        return srs_error_wrap(err, "load config");
    }
    std::shared_ptr<SrsConfig> conf;
    if ((err = load_tree(std::move(root), "<string>", &conf)) != srs_success) {
        return srs_error_wrap(err, "load config");
    }
    for (const auto& w : parser.warnings()) {
        srs_warn("config: %s", w.c_str());
    }
    conf->warnings_.insert(conf->warnings_.begin(), parser.warnings().begin(), parser.warnings().end());
    *out = conf;
    return err;
}

srs_error_t SrsConfig::load_tree(std::unique_ptr<SrsConfDirective> root, const std::string& path,
                                 std::shared_ptr<SrsConfig>* out) {
    srs_error_t err = srs_success;
    if (!root) {
        return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "%s: no config", path.c_str());
    }
    SrsConfLoader loader;
    std::vector<SrsConfDirective*> ancestors{root.get()};
    loader.normalize(root.get(), "", ancestors);
    if ((err = loader.validate(root.get(), "")) != srs_success) {
        return err;
    }

    std::shared_ptr<SrsConfig> conf = std::make_shared<SrsConfig>(Key());
    conf->path_ = path;
    conf->root_ = std::move(root);
    if ((err = loader.validate_global(*conf)) != srs_success) {
        return err;
    }
    conf->warnings_ = std::move(loader.warnings);
    *out = conf;
    return err;
}

const SrsConfDirective* SrsConfig::find(const SrsConfDirective* dir, const std::string& path) {
    const SrsConfDirective* cur = dir;
    size_t pos = 0;
    while (cur) {
        size_t dot = path.find('.', pos);
        cur = cur->get(path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos));
        if (dot == std::string::npos) {
            break;
        }
        pos = dot + 1;
    }
    return cur;
}

SrsConfig::Scope SrsConfig::vhost_scope(const std::string& vhost) const {
    std::string name = resolve_vhost(vhost);
    return Scope{name.empty() ? nullptr : root_->get("vhost", name), 1};
}

SrsConfig::Scope SrsConfig::block_scope(const SrsConfDirective* block, const std::string& table_path) const {
    if (!block) {
        // Absent: defaults, at the depth of the path's parent.
        return Scope{nullptr, srs_string_split(table_path, ".").size() - 1};
    }
    std::vector<std::string> segs = srs_string_split(table_path, ".");
    for (size_t i = 0; i + 1 < segs.size(); i++) {
        if (segs[i] == block->name()) {
            return Scope{block, i + 1};
        }
    }
    srs_error("config: BUG: %s is not below a %s block", table_path.c_str(), block->name().c_str());
    return Scope{nullptr, segs.size() - 1};
}

bool SrsConfig::value_of(Scope scope, const std::string& table_path, int accepted_types,
                         std::vector<std::string>* args) const {
    const SrsConfSpec* spec = srs_config_spec(table_path);
    if (!spec) {
        srs_error("config: BUG: %s is not in the directive table", table_path.c_str());
        return false;
    }
    if (!(accepted_types & type_bit(spec->type))) {
        srs_error("config: BUG: %s is %s, read with the wrong getter", table_path.c_str(),
                  srs_conf_type_name(spec->type));
        return false;
    }
    // Skip the segments the scope stands for.
    size_t pos = 0;
    for (size_t i = 0; i < scope.depth && pos != std::string::npos; i++) {
        pos = table_path.find('.', pos);
        pos = pos == std::string::npos ? pos : pos + 1;
    }
    const SrsConfDirective* d = nullptr;
    if (scope.dir && pos != std::string::npos) {
        d = find(scope.dir, table_path.substr(pos));
    }
    if (d) {
        *args = d->args();
        return true;
    }
    if (!spec->inherit.empty()) {
        // From the same vhost, or from the global scope.
        Scope from = global_scope();
        if (srs_string_starts_with(spec->inherit, "vhost.")) {
            from = scope.depth == 1 ? scope : Scope{nullptr, 1};
        }
        return value_of(from, spec->inherit, kAnyValue, args);
    }
    args->clear();
    if (spec->default_value.empty()) {
        return true;
    }
    if (spec->type == SrsConfType::Strings || spec->type == SrsConfType::Endpoints) {
        *args = srs_string_split(spec->default_value, " ");
    } else {
        args->push_back(spec->default_value);
    }
    return true;
}

const SrsConfDirective* SrsConfig::directive_of(Scope scope, const std::string& table_path) {
    // Skip the segments the scope stands for.
    size_t pos = 0;
    for (size_t i = 0; i < scope.depth && pos != std::string::npos; i++) {
        pos = table_path.find('.', pos);
        pos = pos == std::string::npos ? pos : pos + 1;
    }
    if (!scope.dir || pos == std::string::npos) {
        return nullptr;
    }
    return find(scope.dir, table_path.substr(pos));
}

std::string SrsConfig::string_of(Scope scope, const std::string& table_path) const {
    std::vector<std::string> args;
    if (!value_of(scope, table_path, kAnyValue, &args) || args.empty()) {
        return "";
    }
    return args[0];
}

std::vector<std::string> SrsConfig::strings_of(Scope scope, const std::string& table_path) const {
    std::vector<std::string> args;
    if (!value_of(scope, table_path, kAnyValue, &args)) {
        return {};
    }
    return args;
}

bool SrsConfig::bool_of(Scope scope, const std::string& table_path) const {
    std::vector<std::string> args;
    if (!value_of(scope, table_path, type_bit(SrsConfType::Bool), &args) || args.empty()) {
        return false;
    }
    return args[0] == "on";
}

int64_t SrsConfig::int_of(Scope scope, const std::string& table_path) const {
    std::vector<std::string> args;
    int64_t v = 0;
    if (!value_of(scope, table_path, type_bit(SrsConfType::Int), &args) || args.empty() ||
        !srs_parse_int64(args[0], &v)) {
        return 0;
    }
    return v;
}

double SrsConfig::double_of(Scope scope, const std::string& table_path) const {
    std::vector<std::string> args;
    double v = 0;
    if (!value_of(scope, table_path, type_bit(SrsConfType::Double) | type_bit(SrsConfType::Int), &args) ||
        args.empty() || !parse_number(args[0], &v)) {
        return 0;
    }
    return v;
}

srs_utime_t SrsConfig::duration_of(Scope scope, const std::string& table_path) const {
    std::vector<std::string> args;
    double v = 0;
    if (!value_of(scope, table_path, type_bit(SrsConfType::DurationS) | type_bit(SrsConfType::DurationMs), &args) ||
        args.empty() || !parse_number(args[0], &v)) {
        return 0;
    }
    return to_duration(v, srs_config_spec(table_path)->type);
}

std::string SrsConfig::get_string(const std::string& path) const {
    return string_of(global_scope(), path);
}

std::vector<std::string> SrsConfig::get_strings(const std::string& path) const {
    return strings_of(global_scope(), path);
}

bool SrsConfig::get_bool(const std::string& path) const {
    return bool_of(global_scope(), path);
}

int64_t SrsConfig::get_int(const std::string& path) const {
    return int_of(global_scope(), path);
}

double SrsConfig::get_double(const std::string& path) const {
    return double_of(global_scope(), path);
}

srs_utime_t SrsConfig::get_duration(const std::string& path) const {
    return duration_of(global_scope(), path);
}

std::vector<std::string> SrsConfig::vhosts() const {
    std::vector<std::string> r;
    for (const SrsConfDirective* v : root_->get_all("vhost")) {
        r.push_back(v->arg0());
    }
    return r;
}

bool SrsConfig::has_vhost(const std::string& name) const {
    return root_->get("vhost", name) != nullptr;
}

std::string SrsConfig::resolve_vhost(const std::string& host) const {
    if (!host.empty() && has_vhost(host)) {
        return host;
    }
    if (has_vhost(SRS_CONSTS_RTMP_DEFAULT_VHOST)) {
        return SRS_CONSTS_RTMP_DEFAULT_VHOST;
    }
    return "";
}

bool SrsConfig::vhost_enabled(const std::string& name) const {
    Scope v = vhost_scope(name);
    return v.dir && bool_of(v, "vhost.enabled");
}

bool SrsConfig::vhost_bool(const std::string& vhost, const std::string& path) const {
    return bool_of(vhost_scope(vhost), "vhost." + path);
}

srs_utime_t SrsConfig::vhost_duration(const std::string& vhost, const std::string& path) const {
    return duration_of(vhost_scope(vhost), "vhost." + path);
}

std::vector<std::string> SrsConfig::diff(const SrsConfig& from, const SrsConfig& to) {
    std::vector<std::string> r;
    const SrsConfDirective* a = from.root();
    const SrsConfDirective* b = to.root();
    for (const std::string& n : child_names(b, a, "vhost")) {
        if (!same_list(a->get_all(n), b->get_all(n))) {
            r.push_back(n);
        }
    }

    std::vector<std::string> names = to.vhosts();
    for (const std::string& v : from.vhosts()) {
        if (std::find(names.begin(), names.end(), v) == names.end()) {
            names.push_back(v);
        }
    }
    for (const std::string& v : names) {
        const SrsConfDirective* va = a->get("vhost", v);
        const SrsConfDirective* vb = b->get("vhost", v);
        if (va && vb && va->equals(*vb)) {
            continue;
        }
        r.push_back("vhost:" + v);
        if (!va || !vb) {
            continue;
        }
        for (const std::string& n : child_names(vb, va, nullptr)) {
            if (!same_list(va->get_all(n), vb->get_all(n))) {
                r.push_back("vhost:" + v + ":" + n);
            }
        }
    }
    return r;
}

bool SrsConfig::section_changed(const SrsConfDirective* a, const SrsConfDirective* b, const std::string& table_path,
                                size_t depth) {
    std::vector<std::string> segs = srs_string_split(table_path, ".");
    std::vector<std::string> rel(segs.begin() + std::min(depth, segs.size()), segs.end());
    return !same_list(all_at(a, rel), all_at(b, rel));
}

bool SrsConfig::is_reloadable(const std::string& section) {
    std::string path = section;
    if (srs_string_starts_with(section, "vhost:")) {
        size_t second = section.find(':', 6);
        if (second == std::string::npos) {
            // Adding, removing or changing a vhost as a whole; its parts are judged one by one.
            return true;
        }
        path = "vhost." + section.substr(second + 1);
    }
    const SrsConfSpec* spec = srs_config_spec(path);
    return spec && spec->reloadable;
}

std::vector<std::string> SrsConfig::non_reloadable_changes(const SrsConfig& from, const SrsConfig& to) {
    std::vector<std::string> r;
    std::vector<std::string> vhosts;
    for (const std::string& v : to.vhosts()) {
        if (from.has_vhost(v)) {
            vhosts.push_back(v);
        }
    }
    for (const SrsConfSpec& s : srs_config_table()) {
        if (s.reloadable || s.type == SrsConfType::Ignored || s.legacy) {
            continue;
        }
        // A row below a non-reloadable block is covered by the block.
        bool covered = false;
        for (size_t dot = s.path.find('.'); dot != std::string::npos; dot = s.path.find('.', dot + 1)) {
            const SrsConfSpec* up = srs_config_spec(s.path.substr(0, dot));
            if (up && !up->reloadable) {
                covered = true;
                break;
            }
        }
        if (covered) {
            continue;
        }
        std::vector<std::string> segs = srs_string_split(s.path, ".");
        if (segs[0] != "vhost") {
            if (!same_list(all_at(from.root(), segs), all_at(to.root(), segs))) {
                r.push_back(s.path);
            }
            continue;
        }
        std::vector<std::string> rel(segs.begin() + 1, segs.end());
        for (const std::string& v : vhosts) {
            if (!same_list(all_at(from.root()->get("vhost", v), rel), all_at(to.root()->get("vhost", v), rel))) {
                r.push_back("vhost:" + v + ":" + srs_string_join(rel, "."));
            }
        }
    }
    return r;
}
