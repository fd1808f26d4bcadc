#include <srs_app_reload.hpp>

#include <srs_app_config.hpp>
#include <srs_app_config_table.hpp>
#include <srs_core_utility.hpp>

#include <algorithm>

SrsReloadContext::SrsReloadContext(std::shared_ptr<SrsConfig> from, std::shared_ptr<SrsConfig> to)
    : from_(std::move(from)), to_(std::move(to)) {
    changes_ = SrsConfig::diff(*from_, *to_);
}

bool SrsReloadContext::changed(const std::string& section) const {
    return std::find(changes_.begin(), changes_.end(), section) != changes_.end();
}

std::vector<std::string> SrsReloadContext::vhosts_added() const {
    std::vector<std::string> r;
    for (const std::string& v : to_->vhosts()) {
        if (!from_->has_vhost(v)) {
            r.push_back(v);
        }
    }
    return r;
}

std::vector<std::string> SrsReloadContext::vhosts_removed() const {
    std::vector<std::string> r;
    for (const std::string& v : from_->vhosts()) {
        if (!to_->has_vhost(v)) {
            r.push_back(v);
        }
    }
    return r;
}

std::vector<std::string> SrsReloadContext::vhosts_changed() const {
    std::vector<std::string> r;
    for (const std::string& v : to_->vhosts()) {
        if (from_->has_vhost(v) && changed("vhost:" + v)) {
            r.push_back(v);
        }
    }
    return r;
}

void SrsReloadContext::applied(const std::string& what) {
    applied_.push_back(what);
}

std::string srs_reload_generate_doc() {
    std::string s;
    s += "| Directive | Applied | How |\n";
    s += "|-----------|---------|-----|\n";
    std::vector<std::string> restart;
    for (const SrsConfSpec& spec : srs_config_table()) {
        if (spec.type == SrsConfType::Ignored || spec.legacy) {
            continue;
        }
        // A row below a block that does not reload needs a restart with it: list the block.
        bool covered = false;
        for (size_t dot = spec.path.find('.'); dot != std::string::npos; dot = spec.path.find('.', dot + 1)) {
            const SrsConfSpec* up = srs_config_spec(spec.path.substr(0, dot));
            if (up && !up->reloadable) {
                covered = true;
                break;
            }
        }
        if (covered) {
            continue;
        }
        if (!spec.reloadable) {
            restart.push_back(spec.path);
            continue;
        }
        if (spec.is_block()) {
            continue;
        }
        const SrsConfSpec* r = srs_reload_rule(spec.path);
        std::string how =
            r && !r->reload_how.empty() ? r->reload_how : "Accepted; no feature of this server reads it yet.";
        s += srs_fmt("| `%s` | %s | %s |\n", spec.path.c_str(), r ? srs_reload_mode_name(r->reload_mode) : "?",
                     how.c_str());
    }
    s += "\nNeed a restart (a reload logs them as not applied):\n\n";
    for (const std::string& p : restart) {
        s += "- `" + p + "`\n";
    }
    return s;
}
