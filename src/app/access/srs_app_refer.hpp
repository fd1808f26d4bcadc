// Hotlink protection of a vhost (`refer { enabled on; all|publish|play DOMAIN...; }`): the page
// URL of an RTMP client (connect's pageUrl) or the Referer of an HTTP player must be on one of
// the listed domains, as SRS checks it.
#pragma once

#include <srs_app_security.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>

#include <string>
#include <vector>

class SrsConfig;

// The host of a page URL, lower case: "http://www.github.com:80/a?b" -> "www.github.com".
std::string srs_refer_host(const std::string& page_url);

// Whether the page URL's host is a domain (or a subdomain) of one of the domains; an empty
// list allows everything. ERROR_REFER_DENIED when it is not.
srs_error_t srs_refer_check(const std::string& page_url, const std::vector<std::string>& domains);

// Checks at connect (refer.all, for every client) when refer is enabled on the vhost.
srs_error_t srs_refer_check_connect(const SrsConfig& config, const std::string& vhost, const std::string& page_url);
// Checks refer.publish or refer.play when refer is enabled on the vhost. HTTP players, which
// have no connect, are checked against refer.all here too (all_too).
srs_error_t srs_refer_check(const SrsConfig& config, const std::string& vhost, SrsAccessType type,
                            const std::string& page_url, bool all_too = false);
