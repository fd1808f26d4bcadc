#include <srs_app_http_hooks.hpp>

#include <srs_app_api_context.hpp>
#include <srs_app_config.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_http_client.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_url.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace {

// The answer logged, cut to a line.
std::string short_body(const std::string& body) {
    std::string s = body.size() > 128 ? body.substr(0, 128) + "..." : body;
    for (char& c : s) {
        if (c == '\r' || c == '\n') {
            c = ' ';
        }
    }
    return s;
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) {
        return "";
    }
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

}  // namespace

const char* srs_hook_event_name(SrsHookEvent event) {
    switch (event) {
        case SrsHookEvent::Connect:
            return "on_connect";
        case SrsHookEvent::Close:
            return "on_close";
        case SrsHookEvent::Publish:
            return "on_publish";
        case SrsHookEvent::Unpublish:
            return "on_unpublish";
        case SrsHookEvent::Play:
            return "on_play";
        case SrsHookEvent::Stop:
            return "on_stop";
        case SrsHookEvent::Dvr:
            return "on_dvr";
        case SrsHookEvent::Forward:
            return "on_forward";
    }
    return "unknown";
}

bool srs_hook_event_enforced(SrsHookEvent event) {
    return event == SrsHookEvent::Connect || event == SrsHookEvent::Publish || event == SrsHookEvent::Play;
}

SrsHookRequest srs_hook_request_of_http_player(SrsHttpMessage* r, const std::string& cid, const std::string& vhost,
                                               const std::string& app, const std::string& stream) {
    SrsHookRequest h;
    h.client_id = cid;
    h.ip = r->peer_ip();
    h.vhost = vhost;
    h.app = app;
    h.tcUrl = "http://" + r->host() + "/" + app;
    h.stream = stream;
    h.param = r->query().empty() ? "" : "?" + r->query();
    h.pageUrl = r->header()->get("Referer");
    h.stream_url = srs_generate_stream_url(vhost, app, stream);
    return h;
}

std::string srs_hook_stream_id(SrsStatistic* stat, const std::string& vhost, const std::string& app,
                               const std::string& stream) {
    SrsStatisticRequest sr;
    sr.vhost = vhost;
    sr.app = app;
    sr.stream = stream;
    SrsStatisticStream* st = stat ? stat->find_stream(sr) : nullptr;
    return st ? st->id_ : "";
}

std::string srs_hook_body(SrsHookEvent event, const SrsHookRequest& r) {
    nlohmann::ordered_json j;
    j["server_id"] = r.server_id;
    j["service_id"] = r.service_id;
    j["action"] = srs_hook_event_name(event);
    j["client_id"] = r.client_id;
    j["ip"] = r.ip;
    j["vhost"] = r.vhost;
    j["app"] = r.app;
    j["tcUrl"] = r.tcUrl;
    if (event == SrsHookEvent::Connect) {
        j["pageUrl"] = r.pageUrl;
        return srs_json_dumps(j);
    }
    if (event == SrsHookEvent::Close) {
        j["send_bytes"] = r.send_bytes;
        j["recv_bytes"] = r.recv_bytes;
        return srs_json_dumps(j);
    }
    j["stream"] = r.stream;
    j["param"] = r.param;
    if (event == SrsHookEvent::Dvr) {
        j["cwd"] = r.cwd;
        j["file"] = r.file;
    }
    j["stream_url"] = r.stream_url;
    j["stream_id"] = r.stream_id;
    if (event == SrsHookEvent::Play) {
        j["pageUrl"] = r.pageUrl;
    }
    return srs_json_dumps(j);
}

srs_error_t srs_hook_check_response(int status, const std::string& body) {
    if (status != 200 && status != 201) {
        return srs_error_new(ERROR_HTTP_HOOK_REJECTED, "status %d, body \"%s\"", status, short_body(body).c_str());
    }
    std::string b = trim(body);
    if (b == "0") {
        return srs_success;
    }
    nlohmann::json j = nlohmann::json::parse(b, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        auto it = j.find("code");
        if (it != j.end() && it->is_number_integer() && it->get<int64_t>() == 0) {
            return srs_success;
        }
    }
    return srs_error_new(ERROR_HTTP_HOOK_REJECTED, "status %d, body \"%s\" is not 0 nor {\"code\":0}", status,
                         short_body(body).c_str());
}

srs_error_t srs_hook_post(const std::string& url, const std::string& body, srs_utime_t timeout, int* status,
                          std::string* answer) {
    srs_error_t err = srs_success;

    SrsHttpUri uri;
    if ((err = uri.initialize(url)) != srs_success) {
        return srs_error_wrap(err, "hook url %s", url.c_str());
    }
    SrsHttpClient client;
    if ((err = client.initialize(uri.schema(), uri.host(), uri.port(), timeout)) != srs_success) {
        return srs_error_wrap(err, "hook url %s", url.c_str());
    }
    // A small answer is expected; a hook server that streams is cut short.
    client.set_body_limit(64 * 1024);
    client.set_header("Content-Type", "application/json");
    client.set_header("Connection", "close");

    std::unique_ptr<SrsHttpMessage> resp;
    if ((err = client.post(uri.request_target(), body, &resp)) != srs_success) {
        return srs_error_wrap(err, "post %s", url.c_str());
    }
    *status = resp->status();
    if ((err = resp->body_read_all(answer)) != srs_success) {
        return srs_error_wrap(err, "read answer of %s", url.c_str());
    }
    return err;
}

namespace {

// The directive of an event's URLs; null for on_forward, whose body goes to forward.backend.
const SrsConfKey<SrsConfType::Strings, SrsConfScope::Vhost>* srs_hook_event_key(SrsHookEvent event) {
    switch (event) {
        case SrsHookEvent::Connect:
            return &srs_key::vhost_http_hooks_on_connect;
        case SrsHookEvent::Close:
            return &srs_key::vhost_http_hooks_on_close;
        case SrsHookEvent::Publish:
            return &srs_key::vhost_http_hooks_on_publish;
        case SrsHookEvent::Unpublish:
            return &srs_key::vhost_http_hooks_on_unpublish;
        case SrsHookEvent::Play:
            return &srs_key::vhost_http_hooks_on_play;
        case SrsHookEvent::Stop:
            return &srs_key::vhost_http_hooks_on_stop;
        case SrsHookEvent::Dvr:
            return &srs_key::vhost_http_hooks_on_dvr;
        case SrsHookEvent::Forward:
            return nullptr;
    }
    return nullptr;
}

}  // namespace

bool srs_http_hooks_has(const SrsConfig& config, const std::string& vhost, SrsHookEvent event) {
    if (!config.vhost(vhost, srs_key::vhost_http_hooks_enabled)) {
        return false;
    }
    return srs_hook_event_key(event) && !config.vhost(vhost, *srs_hook_event_key(event)).empty();
}

srs_error_t srs_http_hooks_call(const SrsConfig& config, SrsHookEvent event, const SrsHookRequest& r) {
    srs_error_t err = srs_success;
    if (!srs_http_hooks_has(config, r.vhost, event)) {
        return err;
    }
    const char* name = srs_hook_event_name(event);
    std::vector<std::string> urls = config.vhost(r.vhost, *srs_hook_event_key(event));
    srs_utime_t timeout = config.vhost(r.vhost, srs_key::vhost_http_hooks_timeout);
    std::string body = srs_hook_body(event, r);

    for (const std::string& url : urls) {
        srs_utime_t start = srs_update_system_time();
        int status = 0;
        std::string answer;
        err = srs_hook_post(url, body, timeout, &status, &answer);
        if (err == srs_success) {
            err = srs_hook_check_response(status, answer);
        }
        int ms = srsu2msi(srs_update_system_time() - start);
        if (err == srs_success) {
            srs_trace("http hook %s %s: allowed in %d ms, status=%d, body=%s", name, url.c_str(), ms, status,
                      short_body(answer).c_str());
            continue;
        }
        if (!srs_hook_event_enforced(event)) {
            srs_warn("http hook %s %s: failed in %d ms (ignored): %s", name, url.c_str(), ms,
                     srs_error_summary(err).c_str());
            srs_error_reset(err);
            continue;
        }
        srs_warn("http hook %s %s: refused in %d ms: %s", name, url.c_str(), ms, srs_error_summary(err).c_str());
        if (srs_error_code(err) == ERROR_HTTP_HOOK_REJECTED) {
            return srs_error_wrap(err, "%s %s refused", name, url.c_str());
        }
        // Refused, timed out, unreachable: a refusal too, with the cause in the message.
        std::string cause = srs_error_summary(err);
        srs_error_reset(err);
        return srs_error_new(ERROR_HTTP_HOOK_REJECTED, "%s %s failed: %s", name, url.c_str(), cause.c_str());
    }
    return err;
}
