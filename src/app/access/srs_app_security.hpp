// IP allow/deny rules of a vhost (`security { enabled on; allow|deny publish|play all|IP|CIDR; }`),
// checked once when a client publishes or plays, with SRS's semantics.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>

#include <string>
#include <vector>

class SrsConfig;

// What a client asks to do, for the security and refer checks.
enum class SrsAccessType { Publish, Play };

// One `allow` or `deny` line of a security block.
struct SrsSecurityRule {
    bool allow = false;
    SrsAccessType type = SrsAccessType::Play;
    // "all", an IP (v4 or v6) or a CIDR (10.0.0.0/8, fd00::/8).
    std::string who;
};

// Whether ip (as the socket gives it, IPv4-mapped IPv6 included) matches who: "all", the same
// address, or inside the CIDR. An address that does not parse matches only "all".
bool srs_security_ip_match(const std::string& ip, const std::string& who);

// SRS's evaluation: a matching deny refuses; otherwise a matching allow is required (so rules
// without an allow for the type refuse everyone). ERROR_SECURITY_DENIED when refused.
srs_error_t srs_security_check(const std::vector<SrsSecurityRule>& rules, SrsAccessType type, const std::string& ip);

// The rules of a vhost's security block, in order (empty when absent).
std::vector<SrsSecurityRule> srs_security_rules(const SrsConfig& config, const std::string& vhost);

// Checks a client of a vhost: success when security is not enabled there.
srs_error_t srs_security_check(const SrsConfig& config, const std::string& vhost, SrsAccessType type,
                               const std::string& ip);

const char* srs_access_type_name(SrsAccessType type);
