// Access control: security rules (IP/CIDR, allow/deny), refer domains, hook bodies and answers.
#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_hls_hooks.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_refer.hpp>
#include <srs_app_security.hpp>
#include <srs_core_st.hpp>

#include <nlohmann/json.hpp>

namespace {

std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_string(text, &c);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return c;
}

bool allowed(const std::vector<SrsSecurityRule>& rules, SrsAccessType t, const std::string& ip) {
    srs_error_t err = srs_security_check(rules, t, ip);
    bool ok = err == srs_success;
    if (!ok) {
        EXPECT_EQ(ERROR_SECURITY_DENIED, srs_error_code(err));
    }
    srs_error_reset(err);
    return ok;
}

SrsSecurityRule rule(bool allow, SrsAccessType t, const std::string& who) {
    SrsSecurityRule r;
    r.allow = allow;
    r.type = t;
    r.who = who;
    return r;
}

const SrsAccessType kPub = SrsAccessType::Publish;
const SrsAccessType kPlay = SrsAccessType::Play;

}  // namespace

TEST(AppSecurityTest, IpMatchV4) {
    EXPECT_TRUE(srs_security_ip_match("10.1.2.3", "all"));
    EXPECT_TRUE(srs_security_ip_match("10.1.2.3", "10.1.2.3"));
    EXPECT_FALSE(srs_security_ip_match("10.1.2.4", "10.1.2.3"));
    EXPECT_TRUE(srs_security_ip_match("10.1.2.3", "10.0.0.0/8"));
    EXPECT_FALSE(srs_security_ip_match("11.1.2.3", "10.0.0.0/8"));
    EXPECT_TRUE(srs_security_ip_match("192.168.1.200", "192.168.1.128/25"));
    EXPECT_FALSE(srs_security_ip_match("192.168.1.127", "192.168.1.128/25"));
    EXPECT_TRUE(srs_security_ip_match("1.2.3.4", "0.0.0.0/0"));
    EXPECT_TRUE(srs_security_ip_match("1.2.3.4", "1.2.3.4/32"));
    EXPECT_FALSE(srs_security_ip_match("1.2.3.5", "1.2.3.4/32"));
    // A dual-stack listener reports v4 clients as mapped v6.
    EXPECT_TRUE(srs_security_ip_match("::ffff:10.1.2.3", "10.0.0.0/8"));
    EXPECT_TRUE(srs_security_ip_match("::ffff:127.0.0.1", "127.0.0.1"));
}

TEST(AppSecurityTest, IpMatchV6AndInvalid) {
    EXPECT_TRUE(srs_security_ip_match("::1", "::1"));
    EXPECT_TRUE(srs_security_ip_match("0:0::1", "::1"));
    EXPECT_TRUE(srs_security_ip_match("fd00::1234", "fd00::/8"));
    EXPECT_FALSE(srs_security_ip_match("fe80::1", "fd00::/8"));
    EXPECT_TRUE(srs_security_ip_match("2001:db8::1", "2001:db8::/33"));
    EXPECT_FALSE(srs_security_ip_match("2001:db8:8000::1", "2001:db8::/33"));
    // Families never match each other (except all).
    EXPECT_FALSE(srs_security_ip_match("::1", "127.0.0.1"));
    EXPECT_FALSE(srs_security_ip_match("127.0.0.1", "::/0"));
    EXPECT_TRUE(srs_security_ip_match("::1", "all"));
    // Garbage.
    EXPECT_FALSE(srs_security_ip_match("", "10.0.0.0/8"));
    EXPECT_FALSE(srs_security_ip_match("x", "x"));
    EXPECT_FALSE(srs_security_ip_match("10.0.0.1", "10.0.0.0/33"));
    EXPECT_FALSE(srs_security_ip_match("10.0.0.1", "10.0.0.0/-1"));
    EXPECT_FALSE(srs_security_ip_match("10.0.0.1", "10.0.0.0/"));
    EXPECT_FALSE(srs_security_ip_match("::1", "::/129"));
}

TEST(AppSecurityTest, DenyWinsAllowRequired) {
    std::vector<SrsSecurityRule> rules = {rule(true, kPub, "all"), rule(false, kPub, "10.0.0.0/8"),
                                          rule(true, kPlay, "127.0.0.1"), rule(false, kPlay, "127.0.0.1")};
    EXPECT_TRUE(allowed(rules, kPub, "1.2.3.4"));
    EXPECT_FALSE(allowed(rules, kPub, "10.9.9.9"));
    // Deny wins even when an allow matches too.
    EXPECT_FALSE(allowed(rules, kPlay, "127.0.0.1"));
    // No allow for play matches: refused.
    EXPECT_FALSE(allowed(rules, kPlay, "1.2.3.4"));
    // No rules at all: refused (enabled security needs an allow).
    EXPECT_FALSE(allowed({}, kPub, "1.2.3.4"));
    // Rules of the other type do not apply.
    EXPECT_FALSE(allowed({rule(true, kPlay, "all")}, kPub, "1.2.3.4"));
    EXPECT_TRUE(allowed({rule(true, kPlay, "all"), rule(false, kPub, "all")}, kPlay, "::1"));
}

TEST(AppSecurityTest, FromConfig) {
    auto c = load(R"(
vhost a {
    security {
        enabled on;
        allow publish all;
        deny publish 127.0.0.1;
        deny publish 192.168.0.0/16;
        allow play all;
    }
}
vhost b { security { enabled off; deny publish all; } }
vhost c { security { enabled on; allow publish all; } }
vhost __defaultVhost__ { }
)");
    ASSERT_TRUE(c);
    EXPECT_EQ(4u, srs_security_rules(*c, "a").size());
    srs_error_t err = srs_security_check(*c, "a", kPub, "127.0.0.1");
    EXPECT_EQ(ERROR_SECURITY_DENIED, srs_error_code(err));
    srs_error_reset(err);
    err = srs_security_check(*c, "a", kPub, "192.168.3.4");
    EXPECT_EQ(ERROR_SECURITY_DENIED, srs_error_code(err));
    srs_error_reset(err);
    EXPECT_TRUE(srs_security_check(*c, "a", kPub, "127.0.0.2") == srs_success);
    EXPECT_TRUE(srs_security_check(*c, "a", kPlay, "127.0.0.1") == srs_success);
    // Disabled: rules ignored.
    EXPECT_TRUE(srs_security_check(*c, "b", kPub, "127.0.0.1") == srs_success);
    // Enabled without an allow play: players refused.
    err = srs_security_check(*c, "c", kPlay, "127.0.0.1");
    EXPECT_EQ(ERROR_SECURITY_DENIED, srs_error_code(err));
    srs_error_reset(err);
    // Absent block.
    EXPECT_TRUE(srs_security_check(*c, "__defaultVhost__", kPlay, "127.0.0.1") == srs_success);
}

TEST(AppReferTest, Host) {
    EXPECT_EQ("www.github.com", srs_refer_host("http://www.GitHub.com:8080/a/b?c=d"));
    EXPECT_EQ("github.com", srs_refer_host("https://github.com"));
    EXPECT_EQ("github.com", srs_refer_host("github.com/x"));
    EXPECT_EQ("h.com", srs_refer_host("http://user:pw@h.com:1/x"));
    EXPECT_EQ("::1", srs_refer_host("http://[::1]:8080/x"));
    EXPECT_EQ("", srs_refer_host(""));
}

TEST(AppReferTest, Check) {
    std::vector<std::string> d = {"github.com", "ossrs.net"};
    EXPECT_TRUE(srs_refer_check("http://github.com/page", d) == srs_success);
    EXPECT_TRUE(srs_refer_check("http://www.github.com/page", d) == srs_success);
    EXPECT_TRUE(srs_refer_check("https://a.b.ossrs.net:443/", d) == srs_success);
    EXPECT_TRUE(srs_refer_check("anything", {}) == srs_success);
    for (const char* bad : {"http://evilgithub.com/", "http://github.com.evil.io/", "", "http://ossrs.org/"}) {
        srs_error_t err = srs_refer_check(bad, d);
        EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err)) << bad;
        srs_error_reset(err);
    }
}

TEST(AppReferTest, FromConfig) {
    auto c = load(R"(
vhost a { refer { enabled on; all github.com; publish pub.io; play play.io; } }
vhost b { refer { enabled off; all github.com; } }
)");
    ASSERT_TRUE(c);
    EXPECT_TRUE(srs_refer_check_connect(*c, "a", "http://x.github.com/") == srs_success);
    srs_error_t err = srs_refer_check_connect(*c, "a", "http://x.gitlab.com/");
    EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
    srs_error_reset(err);
    EXPECT_TRUE(srs_refer_check(*c, "a", kPub, "http://pub.io/") == srs_success);
    err = srs_refer_check(*c, "a", kPlay, "http://pub.io/");
    EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
    srs_error_reset(err);
    EXPECT_TRUE(srs_refer_check(*c, "a", kPlay, "http://play.io/") == srs_success);
    // An HTTP player is checked against all too.
    err = srs_refer_check(*c, "a", kPlay, "http://play.io/", true);
    EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
    srs_error_reset(err);
    EXPECT_TRUE(srs_refer_check(*c, "b", kPlay, "") == srs_success);
    EXPECT_TRUE(srs_refer_check_connect(*c, "b", "") == srs_success);
}

TEST(AppHttpHooksTest, CheckResponse) {
    EXPECT_TRUE(srs_hook_check_response(200, "0") == srs_success);
    EXPECT_TRUE(srs_hook_check_response(201, " 0\r\n") == srs_success);
    EXPECT_TRUE(srs_hook_check_response(200, R"({"code":0,"data":"x"})") == srs_success);
    for (auto c : std::vector<std::pair<int, std::string>>{{200, "1"},
                                                           {200, ""},
                                                           {200, "00"},
                                                           {200, R"({"code":1})"},
                                                           {200, R"({"code":"0"})"},
                                                           {200, R"({"data":0})"},
                                                           {200, "[0]"},
                                                           {403, "0"},
                                                           {500, R"({"code":0})"},
                                                           {204, ""}}) {
        srs_error_t err = srs_hook_check_response(c.first, c.second);
        EXPECT_EQ(ERROR_HTTP_HOOK_REJECTED, srs_error_code(err)) << c.first << " " << c.second;
        srs_error_reset(err);
    }
}

TEST(AppHttpHooksTest, Bodies) {
    SrsHookRequest r;
    r.server_id = "vid-s";
    r.service_id = "svc";
    r.client_id = "c1";
    r.ip = "127.0.0.1";
    r.vhost = "__defaultVhost__";
    r.app = "live";
    r.tcUrl = "rtmp://127.0.0.1/live";
    r.stream = "s";
    r.param = "?token=a";
    r.pageUrl = "http://p/";
    r.stream_url = "/live/s";
    r.stream_id = "vid-1";
    r.send_bytes = 10;
    r.recv_bytes = 20;

    nlohmann::json j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Publish, r));
    EXPECT_EQ("on_publish", j["action"]);
    EXPECT_EQ("vid-s", j["server_id"]);
    EXPECT_EQ("svc", j["service_id"]);
    EXPECT_EQ("c1", j["client_id"]);
    EXPECT_EQ("127.0.0.1", j["ip"]);
    EXPECT_EQ("live", j["app"]);
    EXPECT_EQ("s", j["stream"]);
    EXPECT_EQ("?token=a", j["param"]);
    EXPECT_EQ("/live/s", j["stream_url"]);
    EXPECT_EQ("vid-1", j["stream_id"]);
    EXPECT_EQ("rtmp://127.0.0.1/live", j["tcUrl"]);
    EXPECT_FALSE(j.contains("pageUrl"));

    j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Play, r));
    EXPECT_EQ("on_play", j["action"]);
    EXPECT_EQ("http://p/", j["pageUrl"]);
    j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Stop, r));
    EXPECT_EQ("on_stop", j["action"]);
    EXPECT_EQ("s", j["stream"]);
    j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Unpublish, r));
    EXPECT_EQ("on_unpublish", j["action"]);
    j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Connect, r));
    EXPECT_EQ("on_connect", j["action"]);
    EXPECT_EQ("http://p/", j["pageUrl"]);
    EXPECT_FALSE(j.contains("stream"));
    j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Close, r));
    EXPECT_EQ("on_close", j["action"]);
    EXPECT_EQ(10, j["send_bytes"]);
    EXPECT_EQ(20, j["recv_bytes"]);

    // Invalid UTF-8 from a client does not throw.
    r.stream = std::string("\xff\xfe", 2);
    EXPECT_FALSE(srs_hook_body(SrsHookEvent::Play, r).empty());
}

TEST(AppHttpHooksTest, CallEnforcedAndLogged) {
    // A port nobody listens on: connection refused.
    SrsNetFd fd;
    int port = 0;
    {
        srs_error_t err = srs_tcp_listen("127.0.0.1", 0, &fd);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        port = srs_socket_local_port(fd);
        fd.close();
    }
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    auto c = load("vhost __defaultVhost__ { http_hooks { enabled on; timeout 1; on_publish " + url + "; on_unpublish " +
                  url + "; } }\nvhost off { http_hooks { enabled off; on_publish " + url + "; } }\n");
    ASSERT_TRUE(c);
    EXPECT_EQ(1 * SRS_UTIME_SECONDS, c->vhost("__defaultVhost__", srs_key::vhost_http_hooks_timeout));
    SrsHookRequest r;
    r.vhost = "__defaultVhost__";
    EXPECT_TRUE(srs_http_hooks_has(*c, r.vhost, SrsHookEvent::Publish));
    EXPECT_FALSE(srs_http_hooks_has(*c, r.vhost, SrsHookEvent::Play));
    srs_error_t err = srs_http_hooks_call(*c, SrsHookEvent::Publish, r);
    EXPECT_EQ(ERROR_HTTP_HOOK_REJECTED, srs_error_code(err));
    srs_error_reset(err);
    // Not enforced: logged only.
    EXPECT_TRUE(srs_http_hooks_call(*c, SrsHookEvent::Unpublish, r) == srs_success);
    // No URLs for the event, or disabled: allowed.
    EXPECT_TRUE(srs_http_hooks_call(*c, SrsHookEvent::Play, r) == srs_success);
    r.vhost = "off";
    EXPECT_TRUE(srs_http_hooks_call(*c, SrsHookEvent::Publish, r) == srs_success);
}

TEST(AppHlsHooksTest, BodyAndNotifyUrl) {
    SrsHlsSegmentEvent ev;
    ev.vhost = "__defaultVhost__";
    ev.app = "live";
    ev.stream = "s";
    ev.file = "/srv/html/live/s-3.ts";
    ev.url_path = "/live/s-3.ts";
    ev.m3u8_file = "/srv/html/live/s.m3u8";
    ev.m3u8_url_path = "/live/s.m3u8";
    ev.sequence = 3;
    ev.duration = 2.5;
    nlohmann::json j = nlohmann::json::parse(srs_hls_hook_body(ev, nullptr, "/srv"));
    EXPECT_EQ("on_hls", j["action"]);
    EXPECT_EQ("/srv", j["cwd"]);
    EXPECT_EQ("/srv/html/live/s-3.ts", j["file"]);
    EXPECT_EQ("live/s-3.ts", j["url"]);
    EXPECT_EQ("/srv/html/live/s.m3u8", j["m3u8"]);
    EXPECT_EQ("live/s.m3u8", j["m3u8_url"]);
    EXPECT_EQ(3, j["seq_no"]);
    EXPECT_DOUBLE_EQ(2.5, j["duration"].get<double>());
    EXPECT_EQ("/live/s", j["stream_url"]);
    EXPECT_EQ("s", j["stream"]);
    EXPECT_EQ("http://cdn/x/live/s/live/s-3.ts?k=1",
              srs_hls_notify_url("http://cdn/[server_id]/[app]/[stream]/[ts_url][param]?k=1", ev, "x"));
}

TEST(AppHlsHooksTest, WorkerCallsInItsCoroutine) {
    SrsNetFd fd;
    srs_error_t err = srs_tcp_listen("127.0.0.1", 0, &fd);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    int port = srs_socket_local_port(fd);
    fd.close();
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    std::shared_ptr<const SrsConfig> c =
        load("vhost __defaultVhost__ { http_hooks { enabled on; on_hls " + url + "/a " + url + "/b; on_hls_notify " +
             url + "/[ts_url]; } }\n" + "vhost off { http_hooks { enabled off; on_hls " + url + "; } }\n");
    ASSERT_TRUE(c);
    SrsHlsHookWorker w([c]() { return c; }, nullptr);
    ASSERT_TRUE(w.start() == srs_success);
    SrsHlsSegmentEvent ev;
    ev.vhost = "__defaultVhost__";
    ev.app = "live";
    ev.stream = "s";
    ev.url_path = "/live/s-1.ts";
    // Queued at once, made later (connection refused, logged).
    w.on_hls_segment(ev);
    EXPECT_EQ(3u, w.pending());
    ev.vhost = "off";
    w.on_hls_segment(ev);
    EXPECT_EQ(3u, w.pending());
    for (int i = 0; i < 100 && w.nb_done() < 3; i++) {
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    }
    EXPECT_EQ(3, w.nb_done());
    EXPECT_EQ(0u, w.pending());
    w.stop();
}
