#include <srs_app_refer.hpp>

#include <srs_app_config.hpp>
#include <srs_core_utility.hpp>

std::string srs_refer_host(const std::string& page_url) {
    std::string host = page_url;
    size_t pos = host.find("://");
    if (pos != std::string::npos) {
        host = host.substr(pos + 3);
    }
    pos = host.find_first_of("/?#");
    if (pos != std::string::npos) {
        host = host.substr(0, pos);
    }
    // user@host
    pos = host.rfind('@');
    if (pos != std::string::npos) {
        host = host.substr(pos + 1);
    }
    if (!host.empty() && host[0] == '[') {
        pos = host.find(']');
        host = pos == std::string::npos ? host.substr(1) : host.substr(1, pos - 1);
    } else if ((pos = host.find(':')) != std::string::npos) {
        host = host.substr(0, pos);
    }
    return srs_string_lower(host);
}

srs_error_t srs_refer_check(const std::string& page_url, const std::vector<std::string>& domains) {
    if (domains.empty()) {
        return srs_success;
    }
    std::string host = srs_refer_host(page_url);
    for (const std::string& d : domains) {
        std::string domain = srs_string_lower(d);
        // The domain must be the end of the host (SRS); we also want a label boundary, so that
        // github.com does not let evilgithub.com in.
        if (domain.empty() || host.size() < domain.size() || !srs_string_ends_with(host, domain)) {
            continue;
        }
        size_t at = host.size() - domain.size();
        if (at == 0 || host[at - 1] == '.' || domain[0] == '.') {
            return srs_success;
        }
    }
    return srs_error_new(ERROR_REFER_DENIED, "page url \"%s\" (host \"%s\") matches no refer domain of \"%s\"",
                         page_url.c_str(), host.c_str(), srs_string_join(domains, " ").c_str());
}

srs_error_t srs_refer_check_connect(const SrsConfig& config, const std::string& vhost, const std::string& page_url) {
    if (!config.vhost(vhost, srs_key::vhost_refer_enabled)) {
        return srs_success;
    }
    return srs_refer_check(page_url, config.vhost(vhost, srs_key::vhost_refer_all));
}

srs_error_t srs_refer_check(const SrsConfig& config, const std::string& vhost, SrsAccessType type,
                            const std::string& page_url, bool all_too) {
    srs_error_t err = srs_success;
    if (!config.vhost(vhost, srs_key::vhost_refer_enabled)) {
        return err;
    }
    if (all_too && (err = srs_refer_check(page_url, config.vhost(vhost, srs_key::vhost_refer_all))) != srs_success) {
        return err;
    }
    const auto& key = type == SrsAccessType::Publish ? srs_key::vhost_refer_publish : srs_key::vhost_refer_play;
    return srs_refer_check(page_url, config.vhost(vhost, key));
}
