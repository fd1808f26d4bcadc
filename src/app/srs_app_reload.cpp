#include <srs_app_reload.hpp>

#include <srs_app_config.hpp>

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
