#include <srs_app_forward.hpp>

#include <srs_app_rtmp_client.hpp>

#include <srs_app_config.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_play_loop.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>
#include <srs_protocol_rtmp_stack.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace {

// host[:port] or [ipv6][:port]; port 1935 when absent.
bool parse_host_port(const std::string& s, std::string* host, int* port) {
    *port = SRS_DEFAULT_RTMP_PORT;
    std::string p;
    if (!s.empty() && s[0] == '[') {
        size_t e = s.find(']');
        if (e == std::string::npos) {
            return false;
        }
        *host = s.substr(1, e - 1);
        if (e + 1 < s.size()) {
            if (s[e + 1] != ':') {
                return false;
            }
            p = s.substr(e + 2);
            if (p.empty()) {
                return false;
            }
        }
    } else {
        size_t c = s.rfind(':');
        *host = s.substr(0, c);
        if (c != std::string::npos) {
            p = s.substr(c + 1);
            if (p.empty()) {
                return false;
            }
        }
    }
    if (host->empty()) {
        return false;
    }
    if (!p.empty()) {
        if (p.find_first_not_of("0123456789") != std::string::npos || p.size() > 5) {
            return false;
        }
        *port = ::atoi(p.c_str());
        if (*port < 1 || *port > 65535) {
            return false;
        }
    }
    return true;
}

// The query without any vhost/domain key, whose value the forward sets itself.
std::string strip_vhost_query(const std::string& param) {
    std::string q = param;
    if (!q.empty() && q[0] == '?') {
        q = q.substr(1);
    }
    std::vector<std::string> kept;
    size_t pos = 0;
    while (pos <= q.size() && !q.empty()) {
        size_t amp = q.find('&', pos);
        std::string kv = q.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        std::string key = kv.substr(0, kv.find('='));
        if (!kv.empty() && key != "vhost" && key != "domain") {
            kept.push_back(kv);
        }
        if (amp == std::string::npos) {
            break;
        }
        pos = amp + 1;
    }
    return srs_string_join(kept, "&");
}

// Reads what the destination sent, without waiting: acks and the like are applied by the chunk
// layer; an onStatus error (the destination kicked or refused the stream) or a closed connection
// ends the session. A partial message stays in the chunk layer for the next call.
srs_error_t read_destination(SrsRtmpClient* rtmp, SrsStSocket* io) {
    srs_error_t err = srs_success;
    while (rtmp->protocol()->has_buffered_input() || io->readable_now()) {
        SrsMediaMessage msg;
        if ((err = rtmp->recv_message(&msg)) != srs_success) {
            if (srs_error_code(err) == ERROR_SOCKET_TIMEOUT) {
                srs_error_reset(err);
                return srs_success;
            }
            return srs_error_wrap(err, "read from destination");
        }
        if (msg.type != SrsMsgAMF0Command && msg.type != SrsMsgAMF3Command) {
            continue;
        }
        std::unique_ptr<SrsPacket> pkt;
        if ((err = rtmp->decode_message(msg, &pkt)) != srs_success) {
            // A command we do not know is no reason to stop.
            srs_error_reset(err);
            continue;
        }
        std::string what;
        if (SrsOnStatusCallPacket::is_error(pkt.get(), &what)) {
            return srs_error_new(ERROR_FORWARD_FAILED, "destination said %s", what.c_str());
        }
    }
    return err;
}

}  // namespace

SrsForwardConfig srs_forward_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsForwardConfig c;
    c.enabled = conf.vhost(vhost, srs_key::vhost_forward_enabled);
    c.destinations = conf.vhost(vhost, srs_key::vhost_forward_destination);
    c.backend = conf.vhost(vhost, srs_key::vhost_forward_backend);
    c.backend_timeout = conf.vhost(vhost, srs_key::vhost_http_hooks_timeout);
    if (c.backend_timeout <= 0) {
        c.backend_timeout = 30 * SRS_UTIME_SECONDS;
    }
    return c;
}

srs_error_t srs_forward_destination_url(const std::string& destination, const std::string& vhost,
                                        const std::string& app, const std::string& stream, const std::string& param,
                                        std::string* tc_url, std::string* stream_with_query) {
    std::string host;
    int port = 0;
    if (!parse_host_port(destination, &host, &port)) {
        return srs_error_new(ERROR_FORWARD_FAILED, "destination \"%s\" is not host[:port]", destination.c_str());
    }
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    *tc_url = srs_fmt("rtmp://%s:%d/%s", h.c_str(), port, app.c_str());

    std::string q = strip_vhost_query(param);
    if (!vhost.empty() && vhost != SRS_DEFAULT_VHOST) {
        q = "vhost=" + vhost + (q.empty() ? "" : "&" + q);
    }
    *stream_with_query = q.empty() ? stream : stream + "?" + q;
    return srs_success;
}

srs_error_t srs_forward_parse_backend_response(int status, const std::string& body, std::vector<std::string>* urls) {
    urls->clear();
    if (status != 200 && status != 201) {
        return srs_error_new(ERROR_FORWARD_FAILED, "backend status %d", status);
    }
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return srs_error_new(ERROR_FORWARD_FAILED, "backend answer is not a JSON object");
    }
    auto code = j.find("code");
    if (code == j.end() || !code->is_number_integer()) {
        return srs_error_new(ERROR_FORWARD_FAILED, "backend answer has no integer code");
    }
    if (code->get<int64_t>() != 0) {
        return srs_error_new(ERROR_FORWARD_FAILED, "backend answered code %d", (int)code->get<int64_t>());
    }
    auto data = j.find("data");
    if (data == j.end() || data->is_null()) {
        return srs_success;
    }
    if (!data->is_object()) {
        return srs_error_new(ERROR_FORWARD_FAILED, "backend data is not an object");
    }
    auto list = data->find("urls");
    if (list == data->end() || list->is_null()) {
        return srs_success;
    }
    if (!list->is_array()) {
        return srs_error_new(ERROR_FORWARD_FAILED, "backend data.urls is not an array");
    }
    for (const auto& u : *list) {
        if (!u.is_string()) {
            return srs_error_new(ERROR_FORWARD_FAILED, "backend data.urls has a non-string item");
        }
        std::string s = u.get<std::string>();
        if (s.compare(0, 7, "rtmp://") != 0) {
            return srs_error_new(ERROR_FORWARD_FAILED, "backend url \"%s\" is not rtmp://", s.c_str());
        }
        urls->push_back(s);
    }
    return srs_success;
}

srs_utime_t srs_forward_backoff(int attempt, srs_utime_t min, srs_utime_t max) {
    srs_utime_t v = min;
    for (int i = 1; i < attempt && v < max; i++) {
        v *= 2;
    }
    return std::min(v, max);
}

int srs_forward_hops_of(const SrsRequest* req) {
    if (!req || !req->args) {
        return 0;
    }
    double v = req->args->get_number(SRS_FORWARD_HOPS_ARG, 0);
    if (v < 0) {
        return 0;
    }
    return v > 1000 ? 1000 : (int)v;
}

const char* srs_forwarder_state_name(SrsForwarderState s) {
    switch (s) {
        case SrsForwarderState::Idle:
            return "idle";
        case SrsForwarderState::Connecting:
            return "connecting";
        case SrsForwarderState::Forwarding:
            return "forwarding";
        case SrsForwarderState::Backoff:
            return "backoff";
        case SrsForwarderState::GaveUp:
            return "gave_up";
    }
    return "unknown";
}

SrsForwarderOptions::SrsForwarderOptions() {
    consumer.queue_length = SRS_FORWARD_QUEUE_LENGTH;
    consumer.jitter = SrsJitterAlgorithm::Off;
    // Merged write: a few messages per writev, at most 100 ms late.
    consumer.mw_latency = 100 * SRS_UTIME_MILLISECONDS;
    consumer.mw_msgs = 8;
}

SrsForwarder::SrsForwarder(std::shared_ptr<SrsLiveSource> source, const std::string& tc_url, const std::string& stream,
                           const SrsForwarderOptions& options)
    : source_(std::move(source)), tc_url_(tc_url), stream_(stream), options_(options) {
    cid_ = options_.cid.empty() ? srs_context_generate() : options_.cid;
}

SrsForwarder::~SrsForwarder() {
    stop();
}

std::string SrsForwarder::url() const {
    std::string tc = tc_url_;
    size_t q = tc.find('?');
    std::string query = q == std::string::npos ? "" : tc.substr(q);
    tc = tc.substr(0, q);
    return tc + "/" + stream_ + query;
}

int64_t SrsForwarder::nb_dropped() const {
    return nb_dropped_ + (consumer_ ? consumer_->nb_dropped() : 0);
}

srs_error_t SrsForwarder::start() {
    if (trd_) {
        return srs_error_new(ERROR_SYSTEM_ASSERT_FAILED, "forwarder %s already started", url().c_str());
    }
    trd_ = std::make_unique<SrsCoroutine>("forward", this, cid_);
    srs_error_t err = trd_->start();
    if (err != srs_success) {
        trd_.reset();
        return srs_error_wrap(err, "start forwarder %s", url().c_str());
    }
    return err;
}

void SrsForwarder::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
    if (consumer_) {
        nb_dropped_ += consumer_->nb_dropped();
        consumer_.reset();
    }
    if (state_ != SrsForwarderState::GaveUp) {
        state_ = SrsForwarderState::Idle;
    }
}

void SrsForwarder::finish() {
    finish_ = true;
    if (consumer_) {
        consumer_->wakeup();
    }
    if (trd_ && state_ != SrsForwarderState::Forwarding) {
        // Waiting to retry: nothing to send, end now.
        trd_->interrupt();
    }
}

srs_error_t SrsForwarder::cycle() {
    srs_error_t err = srs_success;
    std::string url = this->url();
    srs_trace("forward %s -> %s: start", source_->url().c_str(), url.c_str());

    while (!finish_) {
        if ((err = trd_->pull()) != srs_success) {
            srs_error_reset(err);
            break;
        }
        state_ = SrsForwarderState::Connecting;
        srs_utime_t start = srs_update_system_time();
        err = forward_once();
        if (consumer_) {
            nb_dropped_ += consumer_->nb_dropped();
            consumer_.reset();
        }
        srs_error_t pulled = trd_->pull();
        if (pulled != srs_success || finish_) {
            // Stopped or finished: no retry. A failure while finishing is only logged.
            if (err != srs_success && pulled == srs_success) {
                srs_warn("forward %s -> %s: finish: %s", source_->url().c_str(), url.c_str(),
                         srs_error_summary(err).c_str());
            }
            srs_error_reset(err);
            srs_error_reset(pulled);
            break;
        }
        if (srs_update_system_time() - start >= SRS_FORWARD_BACKOFF_RESET) {
            failures_ = 0;
        }
        failures_++;
        last_error_ = err ? srs_error_summary(err) : "destination closed";
        srs_error_reset(err);
        if (options_.max_attempts > 0 && failures_ >= options_.max_attempts) {
            state_ = SrsForwarderState::GaveUp;
            srs_warn("forward %s -> %s: give up after %d attempts: %s", source_->url().c_str(), url.c_str(), failures_,
                     last_error_.c_str());
            if (on_give_up_) {
                on_give_up_(last_error_);
            }
            return srs_success;
        }
        srs_utime_t wait = srs_forward_backoff(failures_, options_.backoff_min, options_.backoff_max);
        srs_warn("forward %s -> %s: attempt %d failed, retry in %d ms: %s", source_->url().c_str(), url.c_str(),
                 failures_, srsu2msi(wait), last_error_.c_str());
        state_ = SrsForwarderState::Backoff;
        srs_usleep(wait);
    }

    // Interrupted: a normal end.
    srs_trace("forward %s -> %s: stopped, %lld sessions, %lld msgs, %lld dropped", source_->url().c_str(), url.c_str(),
              (long long)nb_sessions_, (long long)nb_msgs_, (long long)nb_dropped());
    if (finish_) {
        // A retired forwarder may wait a while to be freed: it does not keep the source meanwhile.
        source_.reset();
    }
    return srs_success;
}

// The forwarder's end of the play loop: an RTMP publish to the destination, whose answers are
// read between sends.
class SrsForwarder::ForwardSink : public ISrsLivePlaySink {
public:
    ForwardSink(SrsForwarder* f, SrsRtmpClient* rtmp, SrsStSocket* io, int stream_id)
        : f_(f), rtmp_(rtmp), io_(io), stream_id_(stream_id) {}

    srs_error_t write_batch(std::vector<SrsMediaMessage>& msgs) override {
        for (SrsMediaMessage& m : msgs) {
            m.stream_id = stream_id_;
        }
        srs_error_t err = rtmp_->send_messages(msgs.data(), (int)msgs.size());
        if (err != srs_success) {
            return srs_error_wrap(err, "send %d msgs", (int)msgs.size());
        }
        f_->nb_msgs_ += (int64_t)msgs.size();
        // A healthy session: the next failure retries quickly.
        f_->failures_ = 0;
        return err;
    }
    srs_error_t on_stream_event(SrsLiveConsumerEvent ev, bool* end) override {
        // Publish/unpublish of the source: the owner of the forwarder stops it at unpublish (the
        // loop then drains); a republish continues on the same connection.
        (void)ev;
        (void)end;
        return srs_success;
    }
    srs_error_t read_input(ISrsLivePlayControl* control, bool* closed) override {
        (void)control;
        (void)closed;
        return read_destination(rtmp_, io_);
    }
    bool draining() const override { return f_->finish_; }

private:
    SrsForwarder* f_;
    SrsRtmpClient* rtmp_;
    SrsStSocket* io_;
    int stream_id_;
};

srs_error_t SrsForwarder::forward_once() {
    srs_error_t err = srs_success;

    std::string schema, host, app, query;
    int port = SRS_DEFAULT_RTMP_PORT;
    if ((err = srs_rtmp_parse_tc_url(tc_url_, &schema, &host, &port, &app, &query)) != srs_success) {
        return srs_error_wrap(err, "tcUrl %s", tc_url_.c_str());
    }
    SrsRtmpClientConn conn;
    if ((err = conn.connect(host, port, options_.timeout)) != srs_success) {
        return err;
    }
    SrsRtmpClient& rtmp = *conn.rtmp();
    SrsStSocket& io = *conn.socket();
    SrsRequest req;
    if (options_.hops > 0) {
        req.args = std::make_unique<SrsAmf0Object>();
        req.args->set(SRS_FORWARD_HOPS_ARG, SrsAmf0Any::number(options_.hops));
    }
    if ((err = rtmp.connect_app(app, tc_url_, &req)) != srs_success) {
        return srs_error_wrap(err, "connect app %s", app.c_str());
    }
    int stream_id = 0;
    if ((err = rtmp.fmle_publish(stream_, &stream_id, SRS_FORWARD_CHUNK_SIZE)) != srs_success) {
        return srs_error_wrap(err, "publish %s", stream_.c_str());
    }

    // The queue starts with what a new player gets: metadata, sequence headers, the GOP cache.
    if ((err = source_->create_consumer(options_.consumer, &consumer_)) != srs_success) {
        return srs_error_wrap(err, "create consumer");
    }
    // The forwarder's settings, not the vhost's play section, also after a reload.
    consumer_->set_pinned_config(true);
    source_->consumer_dumps(consumer_.get());
    nb_sessions_++;
    state_ = SrsForwarderState::Forwarding;
    srs_trace("forward %s -> %s: publishing (session %lld)", source_->url().c_str(), url().c_str(),
              (long long)nb_sessions_);

    // From here the destination is read only when it has sent something.
    rtmp.set_recv_timeout(0);
    ForwardSink sink(this, &rtmp, &io, stream_id);
    SrsLivePlayOptions options;
    options.max_batch = 128;
    options.read_interval = SRS_FORWARD_READ_INTERVAL;
    SrsLivePlayLoop loop(consumer_.get(), &sink, options);
    if ((err = loop.run()) != srs_success) {
        if (srs_error_code(err) == ERROR_STREAM_KICKED) {
            // The vhost went away or was disabled: a new session starts from the source's state.
            srs_error_t expired =
                srs_error_new(ERROR_FORWARD_FAILED, "queue expired: %s", consumer_->expire_reason().c_str());
            srs_error_reset(err);
            return expired;
        }
        return err;
    }
    // The source unpublished and everything before it was sent: end as an encoder does.
    if ((err = rtmp.fmle_unpublish(stream_, stream_id)) != srs_success) {
        return srs_error_wrap(err, "unpublish");
    }
    state_ = SrsForwarderState::Idle;
    srs_trace("forward %s -> %s: finished, %lld msgs", source_->url().c_str(), url().c_str(), (long long)nb_msgs_);
    return err;
}

// ---- the feature ----

SrsForwardServer::SrsForwardServer() = default;

SrsForwardServer::~SrsForwardServer() = default;

SrsForwardConfig SrsForwardServer::config_of(const std::string& vhost) const {
    if (has_fixed_) {
        return fixed_;
    }
    if (!config_) {
        return SrsForwardConfig();
    }
    return srs_forward_config_load(*config_, vhost);
}

std::unique_ptr<ISrsLiveSourceHandler> SrsForwardServer::create_handler(SrsLiveSource* source) {
    return std::make_unique<SrsForwardSourceHandler>(this, source);
}

std::vector<SrsForwarder*> SrsForwardServer::forwarders_of(const std::string& source_url) const {
    std::vector<SrsForwarder*> out;
    for (size_t i = 0; i < forwarders_.size(); i++) {
        if (forwarder_urls_[i] == source_url) {
            out.push_back(forwarders_[i]);
        }
    }
    return out;
}

void SrsForwardServer::on_forwarder_start(SrsForwarder* f, const std::string& source_url) {
    forwarders_.push_back(f);
    forwarder_urls_.push_back(source_url);
}

void SrsForwardServer::on_forwarder_stop(SrsForwarder* f) {
    for (size_t i = 0; i < forwarders_.size(); i++) {
        if (forwarders_[i] == f) {
            forwarders_.erase(forwarders_.begin() + (long)i);
            forwarder_urls_.erase(forwarder_urls_.begin() + (long)i);
            return;
        }
    }
}

void SrsForwardServer::retire(std::unique_ptr<SrsForwarder> f, srs_utime_t deadline) {
    retired_.push_back(Retired{std::move(f), deadline});
    reap();
}

void SrsForwardServer::reap() {
    // Stopping waits for a coroutine (others run meanwhile, and may retire more): take the
    // done ones out first.
    srs_utime_t now = srs_update_system_time();
    std::vector<std::unique_ptr<SrsForwarder>> done;
    for (size_t i = 0; i < retired_.size();) {
        if (retired_[i].forwarder->finished() || now >= retired_[i].deadline) {
            done.push_back(std::move(retired_[i].forwarder));
            retired_.erase(retired_.begin() + (long)i);
        } else {
            i++;
        }
    }
    for (auto& f : done) {
        f->stop();
    }
}

void SrsForwardServer::dumps(nlohmann::ordered_json* obj) const {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (size_t i = 0; i < forwarders_.size(); i++) {
        const SrsForwarder* f = forwarders_[i];
        nlohmann::ordered_json j;
        j["id"] = f->cid();
        j["source"] = forwarder_urls_[i];
        j["url"] = f->url();
        j["state"] = srs_forwarder_state_name(f->state());
        j["sessions"] = f->nb_sessions();
        j["failures"] = f->nb_failures();
        j["msgs"] = f->nb_msgs();
        j["dropped"] = f->nb_dropped();
        j["last_error"] = f->last_error();
        arr.push_back(j);
    }
    (*obj)["forwards"] = arr;
}

SrsForwardSourceHandler::SrsForwardSourceHandler(SrsForwardServer* server, SrsLiveSource* source)
    : server_(server), source_(source) {}

SrsForwardSourceHandler::~SrsForwardSourceHandler() {
    stop_all();
}

srs_error_t SrsForwardSourceHandler::on_publish() {
    stop_all();
    config_ = server_->config_of(source_->vhost());
    if (!config_.enabled || (config_.destinations.empty() && config_.backend.empty())) {
        return srs_success;
    }

    const SrsRequest* req = source_->publisher() ? source_->publisher()->publish_request() : nullptr;
    hops_ = srs_forward_hops_of(req);
    param_ = req ? req->param : "";
    if (hops_ >= SRS_FORWARD_MAX_HOPS) {
        srs_warn("forward %s: not forwarded, it already went through %d forwards (max %d, a loop?)",
                 source_->url().c_str(), hops_, SRS_FORWARD_MAX_HOPS);
        return srs_success;
    }

    for (const std::string& d : config_.destinations) {
        std::string tc_url, stream;
        srs_error_t err = srs_forward_destination_url(d, source_->vhost(), source_->app(), source_->stream(), param_,
                                                      &tc_url, &stream);
        if (err != srs_success) {
            srs_warn("forward %s: skip destination: %s", source_->url().c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            continue;
        }
        start_forwarder(tc_url, stream);
    }

    if (!config_.backend.empty()) {
        // The body of the on_publish hook with action on_forward (SRS 5), from the publisher's
        // coroutine (its context id is the client_id).
        SrsHookRequest h;
        h.client_id = srs_context_get();
        h.vhost = source_->vhost();
        h.app = source_->app();
        h.stream = source_->stream();
        h.param = param_;
        h.stream_url = srs_generate_stream_url(source_->vhost(), source_->app(), source_->stream());
        if (req) {
            h.ip = req->ip;
            h.tcUrl = req->tcUrl;
        }
        if (SrsStatistic* stat = server_->stat()) {
            h.server_id = stat->server_id();
            h.service_id = stat->service_id();
            h.stream_id = srs_hook_stream_id(stat, h.vhost, h.app, h.stream);
        }
        backend_body_ = srs_hook_body(SrsHookEvent::Forward, h);
        backend_generation_ = generation_;
        backend_ = std::make_unique<SrsCoroutine>("forward-backend", this, srs_context_generate());
        srs_error_t err = backend_->start();
        if (err != srs_success) {
            srs_warn("forward %s: backend %s not asked: %s", source_->url().c_str(), config_.backend.c_str(),
                     srs_error_summary(err).c_str());
            srs_error_reset(err);
            backend_.reset();
        }
    }
    return srs_success;
}

void SrsForwardSourceHandler::on_unpublish() {
    stop_all(true);
}

srs_error_t SrsForwardSourceHandler::cycle() {
    srs_error_t err = srs_success;
    // The publish this call is for; the handler may have moved on when the answer comes.
    int64_t generation = backend_generation_;
    std::string backend = config_.backend;
    std::string body = backend_body_;
    srs_utime_t timeout = config_.backend_timeout;
    int status = 0;
    std::string answer;
    srs_utime_t start = srs_update_system_time();
    err = srs_hook_post(backend, body, timeout, &status, &answer);
    std::vector<std::string> urls;
    if (err == srs_success) {
        err = srs_forward_parse_backend_response(status, answer, &urls);
    }
    if (err != srs_success) {
        // The static destinations go on; the publish is not refused for a backend failure.
        srs_warn("forward %s: backend %s failed in %d ms: %s", source_->url().c_str(), backend.c_str(),
                 srsu2msi(srs_update_system_time() - start), srs_error_summary(err).c_str());
        srs_error_reset(err);
        return srs_success;
    }
    if (generation != generation_) {
        // Unpublished (or published again) meanwhile.
        return srs_success;
    }
    srs_trace("forward %s: backend %s answered %d urls in %d ms", source_->url().c_str(), backend.c_str(),
              (int)urls.size(), srsu2msi(srs_update_system_time() - start));
    for (const std::string& u : urls) {
        std::string tc_url, stream;
        if ((err = srs_rtmp_split_url(u, &tc_url, &stream)) != srs_success || stream.empty()) {
            srs_warn("forward %s: skip backend url %s: %s", source_->url().c_str(), u.c_str(),
                     err ? srs_error_summary(err).c_str() : "no stream");
            srs_error_reset(err);
            continue;
        }
        start_forwarder(tc_url, stream);
    }
    return srs_success;
}

void SrsForwardSourceHandler::start_forwarder(const std::string& tc_url, const std::string& stream) {
    std::shared_ptr<SrsLiveSource> source = source_->weak_from_this().lock();
    if (!source) {
        srs_warn("forward %s: source not held by a shared_ptr", source_->url().c_str());
        return;
    }
    SrsForwarderOptions opts;
    opts.hops = hops_ + 1;
    auto f = std::make_unique<SrsForwarder>(std::move(source), tc_url, stream, opts);
    srs_error_t err = f->start();
    if (err != srs_success) {
        srs_warn("forward %s -> %s: %s", source_->url().c_str(), f->url().c_str(), srs_error_summary(err).c_str());
        srs_error_reset(err);
        return;
    }
    srs_trace("forward %s -> %s: forwarder [%s] started", source_->url().c_str(), f->url().c_str(), f->cid().c_str());
    server_->on_forwarder_start(f.get(), source_->url());
    forwarders_.push_back(std::move(f));
}

void SrsForwardSourceHandler::stop_all(bool graceful) {
    // Stopping a coroutine waits for it, so other coroutines run meanwhile: a new publish of the
    // source may come in and start its own forwarders. Take ours out first.
    generation_++;
    std::unique_ptr<SrsCoroutine> backend = std::move(backend_);
    std::vector<std::unique_ptr<SrsForwarder>> forwarders;
    forwarders.swap(forwarders_);
    for (auto& f : forwarders) {
        server_->on_forwarder_stop(f.get());
    }
    if (graceful) {
        srs_utime_t deadline = srs_update_system_time() + SRS_FORWARD_FINISH_TIMEOUT;
        for (auto& f : forwarders) {
            f->finish();
            server_->retire(std::move(f), deadline);
        }
        forwarders.clear();
    }
    if (backend) {
        backend->stop();
    }
    for (auto& f : forwarders) {
        f->stop();
    }
}
