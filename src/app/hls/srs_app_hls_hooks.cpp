#include <srs_app_hls_hooks.hpp>

#include <srs_app_api_context.hpp>
#include <srs_app_config.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_http_client.hpp>
#include <srs_protocol_http_url.hpp>
#include <srs_protocol_rtmp_request.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <climits>

namespace {

// The most calls waiting; at one segment per second and a few URLs, minutes of backlog.
const size_t kMaxPending = 1024;

std::string without_slash(const std::string& s) {
    return !s.empty() && s[0] == '/' ? s.substr(1) : s;
}

}  // namespace

std::string srs_hls_hook_body(const SrsHlsSegmentEvent& ev, SrsStatistic* stat, const std::string& cwd) {
    SrsStatisticStream* stream = nullptr;
    SrsStatisticClient* publisher = nullptr;
    if (stat) {
        SrsStatisticRequest req;
        req.vhost = ev.vhost;
        req.app = ev.app;
        req.stream = ev.stream;
        stream = stat->find_stream(req);
        if (stream && !stream->publisher_cid_.empty()) {
            publisher = stat->find_client(stream->publisher_cid_);
        }
    }
    nlohmann::ordered_json j;
    j["server_id"] = stat ? stat->server_id() : "";
    j["service_id"] = stat ? stat->service_id() : "";
    j["action"] = "on_hls";
    j["client_id"] = publisher ? publisher->id_ : "";
    j["ip"] = publisher ? publisher->req_.ip : "";
    j["vhost"] = ev.vhost;
    j["app"] = ev.app;
    j["tcUrl"] = publisher ? publisher->req_.tcUrl : "";
    j["stream"] = ev.stream;
    j["param"] = "";
    j["duration"] = ev.duration;
    j["cwd"] = cwd;
    j["file"] = ev.file;
    j["url"] = without_slash(ev.url_path);
    j["m3u8"] = ev.m3u8_file;
    j["m3u8_url"] = without_slash(ev.m3u8_url_path);
    j["seq_no"] = ev.sequence;
    j["stream_url"] = srs_generate_stream_url(ev.vhost, ev.app, ev.stream);
    j["stream_id"] = stream ? stream->id_ : "";
    return srs_json_dumps(j);
}

std::string srs_hls_notify_url(const std::string& tmpl, const SrsHlsSegmentEvent& ev, const std::string& server_id) {
    std::string url = tmpl;
    url = srs_string_replace(url, "[server_id]", server_id);
    url = srs_string_replace(url, "[app]", ev.app);
    url = srs_string_replace(url, "[stream]", ev.stream);
    url = srs_string_replace(url, "[ts_url]", without_slash(ev.url_path));
    url = srs_string_replace(url, "[param]", "");
    return url;
}

SrsHlsHookWorker::SrsHlsHookWorker(std::function<std::shared_ptr<const SrsConfig>()> config, SrsStatistic* stat)
    : config_(std::move(config)), stat_(stat) {
    char buf[PATH_MAX] = {0};
    if (getcwd(buf, sizeof(buf))) {
        cwd_ = buf;
    }
}

SrsHlsHookWorker::~SrsHlsHookWorker() {
    stop();
}

srs_error_t SrsHlsHookWorker::start() {
    trd_ = std::make_unique<SrsCoroutine>("hls-hooks", this);
    return trd_->start();
}

void SrsHlsHookWorker::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
}

void SrsHlsHookWorker::on_hls_segment(const SrsHlsSegmentEvent& ev) {
    std::shared_ptr<const SrsConfig> conf = config_ ? config_() : nullptr;
    if (!conf || !conf->vhost(ev.vhost, srs_key::vhost_http_hooks_enabled)) {
        return;
    }
    srs_utime_t timeout = conf->vhost(ev.vhost, srs_key::vhost_http_hooks_timeout);
    std::vector<std::string> urls = conf->vhost(ev.vhost, srs_key::vhost_http_hooks_on_hls);
    std::string notify = conf->vhost(ev.vhost, srs_key::vhost_http_hooks_on_hls_notify);
    if (urls.empty() && notify.empty()) {
        return;
    }
    std::string body = urls.empty() ? "" : srs_hls_hook_body(ev, stat_, cwd_);
    for (const std::string& url : urls) {
        Task t;
        t.url = url;
        t.body = body;
        t.timeout = timeout;
        queue_.push_back(std::move(t));
    }
    if (!notify.empty()) {
        Task t;
        t.notify = true;
        t.url = srs_hls_notify_url(notify, ev, stat_ ? stat_->server_id() : "");
        t.timeout = timeout;
        t.nb_notify = ev.nb_notify > 0 ? ev.nb_notify : 64;
        queue_.push_back(std::move(t));
    }
    while (queue_.size() > kMaxPending) {
        srs_warn("hls hooks: %d calls waiting, drop %s", (int)queue_.size(), queue_.front().url.c_str());
        queue_.pop_front();
    }
    cond_.signal();
}

void SrsHlsHookWorker::post(const std::string& name, const std::string& url, const std::string& body,
                            srs_utime_t timeout) {
    Task t;
    t.name = name;
    t.url = url;
    t.body = body;
    t.timeout = timeout;
    queue_.push_back(std::move(t));
    while (queue_.size() > kMaxPending) {
        srs_warn("hooks: %d calls waiting, drop %s", (int)queue_.size(), queue_.front().url.c_str());
        queue_.pop_front();
    }
    cond_.signal();
}

srs_error_t SrsHlsHookWorker::cycle() {
    srs_error_t err = srs_success;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_error_wrap(err, "hls hooks");
        }
        if (queue_.empty()) {
            cond_.wait(SRS_UTIME_SECONDS);
            continue;
        }
        Task t = std::move(queue_.front());
        queue_.pop_front();
        run(t);
        nb_done_++;
    }
}

void SrsHlsHookWorker::run(const Task& t) {
    srs_error_t err = srs_success;
    srs_utime_t start = srs_update_system_time();
    int status = 0;
    std::string answer;
    if (!t.notify) {
        err = srs_hook_post(t.url, t.body, t.timeout, &status, &answer);
        if (err == srs_success) {
            err = srs_hook_check_response(status, answer);
        }
    } else {
        // A GET whose answer is read up to nb_notify bytes: the CDN only needs to fetch it.
        SrsHttpUri uri;
        SrsHttpClient client;
        std::unique_ptr<SrsHttpMessage> resp;
        if ((err = uri.initialize(t.url)) == srs_success &&
            (err = client.initialize(uri.schema(), uri.host(), uri.port(), t.timeout)) == srs_success) {
            client.set_header("Connection", "close");
            client.set_body_limit(t.nb_notify);
            if ((err = client.get(uri.request_target(), "", &resp)) == srs_success) {
                status = resp->status();
                srs_error_t r = resp->body_read_all(&answer);
                srs_error_reset(r);
            }
        }
    }
    int ms = srsu2msi(srs_update_system_time() - start);
    const char* name = !t.name.empty() ? t.name.c_str() : t.notify ? "on_hls_notify" : "on_hls";
    if (err != srs_success) {
        srs_warn("http hook %s %s: failed in %d ms (ignored): %s", name, t.url.c_str(), ms,
                 srs_error_summary(err).c_str());
        srs_error_reset(err);
        return;
    }
    srs_trace("http hook %s %s: done in %d ms, status=%d", name, t.url.c_str(), ms, status);
}
