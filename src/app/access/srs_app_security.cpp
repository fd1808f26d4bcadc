#include <srs_app_security.hpp>

#include <srs_app_config.hpp>
#include <srs_core_utility.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace {

// An address as 16 bytes; IPv4 (and IPv4-mapped IPv6, as a dual-stack listener reports v4
// clients) as v4 in its last 4 bytes with v4 set.
struct Addr {
    unsigned char b[16];
    bool v4 = false;
};

bool parse_addr(const std::string& s, Addr* a) {
    memset(a->b, 0, sizeof(a->b));
    in_addr v4;
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        memcpy(a->b + 12, &v4, 4);
        a->v4 = true;
        return true;
    }
    in6_addr v6;
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        memcpy(a->b, &v6, 16);
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        a->v4 = memcmp(a->b, mapped, 12) == 0;
        if (a->v4) {
            memset(a->b, 0, 12);
        }
        return true;
    }
    return false;
}

// Whether the first bits of two addresses of the same family are equal.
bool prefix_equal(const Addr& a, const Addr& b, int bits) {
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a.b, b.b, whole) != 0) {
        return false;
    }
    if (rest == 0) {
        return true;
    }
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a.b[whole] & mask) == (b.b[whole] & mask);
}

}  // namespace

const char* srs_access_type_name(SrsAccessType type) {
    return type == SrsAccessType::Publish ? "publish" : "play";
}

bool srs_security_ip_match(const std::string& ip, const std::string& who) {
    if (who == "all") {
        return true;
    }
    Addr client;
    if (!parse_addr(ip, &client)) {
        return false;
    }

    std::string net = who;
    int bits = -1;
    size_t slash = who.find('/');
    if (slash != std::string::npos) {
        net = who.substr(0, slash);
        int64_t v = 0;
        if (!srs_parse_int64(who.substr(slash + 1), &v) || v < 0 || v > 128) {
            return false;
        }
        bits = (int)v;
    }
    Addr rule;
    if (!parse_addr(net, &rule) || rule.v4 != client.v4) {
        return false;
    }
    if (bits < 0) {
        bits = 128;
    } else if (rule.v4) {
        if (bits > 32) {
            return false;
        }
        // The v4 address lives in the last 32 bits.
        bits += 96;
    }
    return prefix_equal(client, rule, bits);
}

srs_error_t srs_security_check(const std::vector<SrsSecurityRule>& rules, SrsAccessType type, const std::string& ip) {
    for (const SrsSecurityRule& r : rules) {
        if (!r.allow && r.type == type && srs_security_ip_match(ip, r.who)) {
            return srs_error_new(ERROR_SECURITY_DENIED, "%s by %s denied (deny %s %s)", srs_access_type_name(type),
                                 ip.c_str(), srs_access_type_name(type), r.who.c_str());
        }
    }
    for (const SrsSecurityRule& r : rules) {
        if (r.allow && r.type == type && srs_security_ip_match(ip, r.who)) {
            return srs_success;
        }
    }
    return srs_error_new(ERROR_SECURITY_DENIED, "%s by %s not allowed (no allow %s rule matches)",
                         srs_access_type_name(type), ip.c_str(), srs_access_type_name(type));
}

std::vector<SrsSecurityRule> srs_security_rules(const SrsConfig& config, const std::string& vhost) {
    std::vector<SrsSecurityRule> rules;
    const SrsConfDirective* sec = config.vhost(vhost, srs_key::vhost_security);
    if (!sec) {
        return rules;
    }
    for (const SrsConfDirective* d : sec->children()) {
        if ((d->name() != "allow" && d->name() != "deny") || d->args().size() < 2) {
            continue;
        }
        SrsSecurityRule r;
        r.allow = d->name() == "allow";
        r.type = d->arg0() == "publish" ? SrsAccessType::Publish : SrsAccessType::Play;
        r.who = d->arg1();
        rules.push_back(r);
    }
    return rules;
}

srs_error_t srs_security_check(const SrsConfig& config, const std::string& vhost, SrsAccessType type,
                               const std::string& ip) {
    if (!config.vhost(vhost, srs_key::vhost_security_enabled)) {
        return srs_success;
    }
    return srs_security_check(srs_security_rules(config, vhost), type, ip);
}
