#include <srs_app_edge.hpp>

#include <srs_app_config.hpp>
#include <srs_app_coworkers.hpp>
#include <srs_app_forward.hpp>
#include <srs_app_publish_feed.hpp>
#include <srs_app_rtmp_client.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>

#include <algorithm>
#include <cstdlib>

// How often a pull that waits for media looks at its players and its coroutine.
#define SRS_EDGE_PULSE (500 * SRS_UTIME_MILLISECONDS)

std::string SrsEdgeOrigin::str() const {
    if (host.find(':') != std::string::npos) {
        return srs_fmt("[%s]:%d", host.c_str(), port);
    }
    return srs_fmt("%s:%d", host.c_str(), port);
}

bool srs_edge_parse_origin(const std::string& text, SrsEdgeOrigin* out) {
    std::string host = text;
    std::string port;
    if (!host.empty() && host[0] == '[') {
        size_t end = host.find(']');
        if (end == std::string::npos) {
            return false;
        }
        std::string rest = host.substr(end + 1);
        host = host.substr(1, end - 1);
        if (!rest.empty()) {
            if (rest[0] != ':') {
                return false;
            }
            port = rest.substr(1);
            if (port.empty()) {
                return false;
            }
        }
    } else {
        size_t colon = host.find(':');
        if (colon != std::string::npos) {
            if (host.find(':', colon + 1) != std::string::npos) {
                return false;
            }
            port = host.substr(colon + 1);
            host = host.substr(0, colon);
            if (port.empty()) {
                return false;
            }
        }
    }
    if (host.empty()) {
        return false;
    }
    int p = 1935;
    if (!port.empty()) {
        if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
            return false;
        }
        p = ::atoi(port.c_str());
        if (p <= 0 || p > 65535) {
            return false;
        }
    }
    out->host = host;
    out->port = p;
    return true;
}

std::string srs_edge_tc_url(const std::string& vhost, const SrsEdgeOrigin& origin, const std::string& app) {
    SrsEdgeOrigin o = origin;
    if (!vhost.empty() && vhost != SRS_DEFAULT_VHOST) {
        o.host = vhost;
    }
    return "rtmp://" + o.str() + "/" + app;
}

void SrsEdgeOriginSelector::set_origins(const std::vector<std::string>& origins) {
    if (origins == origins_) {
        return;
    }
    std::string cur = current();
    origins_ = origins;
    auto it = std::find(origins_.begin(), origins_.end(), cur);
    index_ = it == origins_.end() ? 0 : (int)(it - origins_.begin());
    failures_ = 0;
}

std::string SrsEdgeOriginSelector::current() const {
    if (origins_.empty()) {
        return "";
    }
    return origins_[index_ % origins_.size()];
}

bool SrsEdgeOriginSelector::on_failure() {
    if (origins_.empty()) {
        return true;
    }
    index_ = (index_ + 1) % (int)origins_.size();
    if (++failures_ >= (int)origins_.size()) {
        failures_ = 0;
        return true;
    }
    return false;
}

const char* srs_edge_state_name(SrsEdgeState s) {
    switch (s) {
        case SrsEdgeState::Init:
            return "init";
        case SrsEdgeState::Connecting:
            return "connecting";
        case SrsEdgeState::Playing:
            return "playing";
        case SrsEdgeState::Retrying:
            return "retrying";
        case SrsEdgeState::Stopped:
            return "stopped";
    }
    return "unknown";
}

SrsEdgeVhostConfig srs_edge_vhost_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsEdgeVhostConfig c;
    c.edge = conf.vhost(vhost, srs_key::vhost_cluster_mode) == "remote";
    c.origins = conf.vhost(vhost, srs_key::vhost_cluster_origin);
    c.upstream_vhost = conf.vhost(vhost, srs_key::vhost_cluster_vhost);
    c.token_traverse = conf.vhost(vhost, srs_key::vhost_cluster_token_traverse);
    c.debug_srs_upnode = conf.vhost(vhost, srs_key::vhost_cluster_debug_srs_upnode);
    c.protocol = conf.vhost(vhost, srs_key::vhost_cluster_protocol);
    c.origin_cluster = conf.vhost(vhost, srs_key::vhost_cluster_origin_cluster);
    c.coworkers = conf.vhost(vhost, srs_key::vhost_cluster_coworkers);
    c.redis = conf.vhost(vhost, srs_key::vhost_cluster_redis);
    return c;
}

// ---- the pull ----

SrsEdgeIngester::SrsEdgeIngester(SrsEdgeServer* server, SrsLiveSource* source)
    : server_(server), source_(source), cid_(srs_context_generate()) {
    server_->add_ingester(this);
}

SrsEdgeIngester::~SrsEdgeIngester() {
    stop();
    server_->remove_ingester(this);
}

srs_error_t SrsEdgeIngester::start() {
    trd_ = std::make_unique<SrsCoroutine>("edge", this, cid_);
    return trd_->start();
}

void SrsEdgeIngester::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
}

void SrsEdgeIngester::on_publish_kicked() {
    kicked_ = true;
    if (trd_) {
        trd_->interrupt();
    }
}

bool SrsEdgeIngester::idle_expired() {
    if (source_->nb_consumers() > 0) {
        idle_since_ = 0;
        return false;
    }
    srs_utime_t now = srs_update_system_time();
    if (!idle_since_) {
        idle_since_ = now;
    }
    return now - idle_since_ >= SRS_EDGE_IDLE_TIMEOUT;
}

bool SrsEdgeIngester::resolve_origins(std::vector<std::string>* origins) {
    std::shared_ptr<SrsConfig> conf = server_->config();
    if (!conf || !conf->vhost_enabled(source_->vhost())) {
        return false;
    }
    SrsEdgeVhostConfig c = srs_edge_vhost_config_load(*conf, source_->vhost());
    if (!c.pulls()) {
        return false;
    }
    if (c.edge) {
        *origins = c.origins;
        return true;
    }
    srs_error_t err = srs_success;
    if (!c.redis.empty()) {
        if ((err = srs_redis_registry_lookup(c.redis, source_->vhost(), source_->app(), source_->stream(), origins)) !=
            srs_success) {
            srs_warn("edge: %s: redis lookup: %s", source_->url().c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            origins->clear();
        }
        if (!origins->empty() || c.coworkers.empty()) {
            return true;
        }
    }
    err = server_->lookup(c.coworkers, source_->vhost(), source_->app(), source_->stream(), origins);
    if (err != srs_success) {
        srs_warn("edge: %s: coworkers lookup: %s", source_->url().c_str(), srs_error_summary(err).c_str());
        srs_error_reset(err);
        origins->clear();
    }
    return true;
}

srs_error_t SrsEdgeIngester::cycle() {
    start_time_ = srs_update_system_time();
    srs_trace("edge: pull %s started, cid=%s", source_->url().c_str(), cid_.c_str());
    std::string reason = "stopped";
    while (!kicked_ && !stop_ && trd_->pull() == srs_success) {
        if (idle_expired()) {
            reason = "no player left";
            break;
        }
        std::vector<std::string> origins;
        if (!resolve_origins(&origins)) {
            reason = "the vhost no longer pulls";
            break;
        }
        selector_.set_origins(origins);
        if (selector_.empty()) {
            // An origin cluster where no coworker has the stream yet: the players wait.
            state_ = SrsEdgeState::Retrying;
            srs_usleep(SRS_EDGE_RETRY_INTERVAL);
            continue;
        }

        std::string origin = selector_.current();
        srs_error_t err = pull(origin);
        if (err == srs_success) {
            reason = "no player left";
            break;
        }
        if (kicked_ || stop_ || trd_->pull() != srs_success) {
            reason = kicked_ ? "kicked" : (stop_ ? srs_error_summary(err) : "stopped");
            srs_error_reset(err);
            break;
        }
        bool round = selector_.on_failure();
        srs_warn("edge: pull %s from %s failed, %s: %s", source_->url().c_str(), origin.c_str(),
                 round ? "every origin failed, retry" : srs_fmt("next origin %s", selector_.current().c_str()).c_str(),
                 srs_error_summary(err).c_str());
        srs_error_reset(err);
        if (published_) {
            nb_switches_++;
        }
        state_ = SrsEdgeState::Retrying;
        if (round) {
            srs_usleep(SRS_EDGE_RETRY_INTERVAL);
        }
    }

    if (published_ && !kicked_) {
        source_->on_unpublish(this);
    }
    published_ = false;
    state_ = SrsEdgeState::Stopped;
    done_ = true;
    srs_trace("edge: pull %s ended after %d ms, %d origin switches: %s", source_->url().c_str(),
              srsu2msi(srs_update_system_time() - start_time_), nb_switches_, reason.c_str());
    return srs_success;
}

srs_error_t SrsEdgeIngester::pull(const std::string& origin_text) {
    srs_error_t err = srs_success;

    SrsEdgeOrigin origin;
    if (!srs_edge_parse_origin(origin_text, &origin)) {
        return srs_error_new(ERROR_RTMP_EDGE_PROXY_PULL, "invalid origin %s", origin_text.c_str());
    }
    std::shared_ptr<SrsConfig> conf = server_->config();
    if (!conf) {
        return srs_error_new(ERROR_EDGE_VHOST_REMOVED, "no config");
    }
    SrsEdgeVhostConfig c = srs_edge_vhost_config_load(*conf, source_->vhost());
    std::string vhost = c.upstream_vhost.empty() ? source_->vhost() : c.upstream_vhost;
    std::string tc_url = srs_edge_tc_url(vhost, origin, source_->app());
    if (!c.protocol.empty() && c.protocol != "rtmp" && nb_switches_ == 0 && !published_) {
        srs_warn("edge: %s: cluster.protocol %s is not supported, pulling over rtmp", source_->url().c_str(),
                 c.protocol.c_str());
    }

    state_ = SrsEdgeState::Connecting;
    origin_ = origin.str();
    upstream_cid_.clear();
    upstream_server_id_.clear();
    upstream_pid_ = 0;

    SrsRtmpClientConn conn;
    if ((err = conn.connect(origin.host, origin.port, SRS_EDGE_CONNECT_TIMEOUT)) != srs_success) {
        return err;
    }
    SrsRtmpClient& rtmp = *conn.rtmp();
    SrsServerInfo si;
    if ((err = rtmp.connect_app(source_->app(), tc_url, nullptr, &si)) != srs_success) {
        return srs_error_wrap(err, "connect %s", tc_url.c_str());
    }
    upstream_cid_ = si.id;
    upstream_server_id_ = si.server_id;
    upstream_pid_ = si.pid;
    if (c.debug_srs_upnode) {
        // The origin's connection id and server id: grep them in the origin's log and API to
        // follow this pull (and each of our players, whose logs name this cid) upstream.
        srs_trace("edge: pull %s from %s, tcUrl=%s, upnode server=%s version=%s ip=%s pid=%d server_id=%s cid=%s",
                  source_->url().c_str(), origin_.c_str(), tc_url.c_str(), si.server.c_str(), si.version.c_str(),
                  si.ip.c_str(), si.pid, si.server_id.c_str(), si.id.c_str());
    } else {
        srs_trace("edge: pull %s from %s, tcUrl=%s", source_->url().c_str(), origin_.c_str(), tc_url.c_str());
    }

    int stream_id = 0;
    if ((err = rtmp.create_stream(&stream_id)) != srs_success) {
        return srs_error_wrap(err, "createStream");
    }
    if ((err = rtmp.play(source_->stream(), stream_id)) != srs_success) {
        return srs_error_wrap(err, "play %s", source_->stream().c_str());
    }
    state_ = SrsEdgeState::Playing;

    // Short receive waits, so that the players' leaving and a stop are seen while no media
    // flows; a message cut by a timeout is kept by the chunk layer and completed next time.
    rtmp.set_recv_timeout(SRS_EDGE_PULSE);
    srs_utime_t last_media = srs_update_system_time();
    int64_t nb_msgs = 0;
    SrsPublishFeed source_feed(source_);
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_error_wrap(err, "edge pull");
        }
        if (idle_expired()) {
            return srs_success;
        }
        SrsMediaMessage msg;
        if ((err = rtmp.recv_message(&msg)) != srs_success) {
            if (srs_error_code(err) != ERROR_SOCKET_TIMEOUT) {
                return srs_error_wrap(err, "recv from %s after %lld msgs", origin_.c_str(), (long long)nb_msgs);
            }
            srs_error_reset(err);
            srs_utime_t silence = srs_update_system_time() - last_media;
            if (silence >= SRS_EDGE_MEDIA_TIMEOUT) {
                return srs_error_new(ERROR_RTMP_EDGE_PROXY_PULL, "no media from %s for %d ms", origin_.c_str(),
                                     srsu2msi(silence));
            }
            continue;
        }
        if (SrsPublishFeed::takes(msg.type)) {
            last_media = srs_update_system_time();
            if (nb_msgs++ == 0) {
                selector_.on_success();
                srs_trace("edge: pull %s from %s, first message type=%d", source_->url().c_str(), origin_.c_str(),
                          msg.type);
            }
        }
        if ((err = feed(&rtmp, &source_feed, msg)) != srs_success) {
            return err;
        }
    }
}

srs_error_t SrsEdgeIngester::feed(SrsRtmpClient* rtmp, SrsPublishFeed* source_feed, const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;

    bool media = SrsPublishFeed::takes(msg.type);
    if (media && !published_) {
        if (source_->publishing()) {
            // A publisher of its own came first: nothing to pull.
            stop_ = true;
            return srs_error_new(ERROR_SYSTEM_STREAM_BUSY, "stream %s has a publisher", source_->url().c_str());
        }
        if ((err = source_->on_publish(this)) != srs_success) {
            stop_ = true;
            return srs_error_wrap(err, "edge publish");
        }
        published_ = true;
    }

    if (media) {
        if ((err = source_feed->feed(msg)) != srs_success) {
            // A feature of the source (HLS, DVR...) failed on this message, or the origin sent
            // data that does not decode: the players keep their stream, the pull goes on.
            srs_warn("edge: %s: %s", source_->url().c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
        }
        return srs_success;
    }
    if (msg.type != SrsMsgAMF0Command && msg.type != SrsMsgAMF3Command) {
        return srs_success;
    }

    std::unique_ptr<SrsPacket> pkt;
    if ((err = rtmp->decode_message(msg, &pkt)) != srs_success) {
        // An unknown command is no reason to drop the pull.
        srs_error_reset(err);
        return srs_success;
    }
    // Other statuses (NetStream.Play.UnpublishNotify: the origin's publisher left and may come
    // back; if it does not, the media timeout moves the pull to the next origin).
    std::string what;
    if (SrsOnStatusCallPacket::is_error(pkt.get(), &what)) {
        return srs_error_new(ERROR_RTMP_EDGE_PROXY_PULL, "origin %s refused play: %s", origin_.c_str(), what.c_str());
    }
    return srs_success;
}

// ---- the source handler ----

SrsEdgeHandler::SrsEdgeHandler(SrsEdgeServer* server, SrsLiveSource* source) : server_(server), source_(source) {}

SrsEdgeHandler::~SrsEdgeHandler() {
    if (registration_) {
        registration_->stop();
        registration_.reset();
    }
    pusher_.reset();
    ingester_.reset();
}

srs_error_t SrsEdgeHandler::on_publish() {
    pusher_.reset();
    push_gave_up_ = false;
    ISrsLivePublisher* publisher = source_->publisher();
    if (!publisher || dynamic_cast<SrsEdgeIngester*>(publisher)) {
        // Our own pull.
        return srs_success;
    }
    std::shared_ptr<SrsConfig> conf = server_->config();
    if (!conf) {
        return srs_success;
    }
    SrsEdgeVhostConfig c = srs_edge_vhost_config_load(*conf, source_->vhost());
    if (!c.edge && c.origin_cluster && !c.redis.empty()) {
        // An origin of a cluster with a Redis registry: the other origins find this publish there.
        std::vector<std::string> listens = conf->get(srs_key::listen);
        registration_ = std::make_unique<SrsRedisRegistration>(
            c.redis, srs_redis_stream_key(source_->vhost(), source_->app(), source_->stream()),
            listens.empty() ? "1935" : listens[0]);
        srs_error_t err = registration_->start();
        if (err != srs_success) {
            srs_warn("redis: register %s: %s", source_->url().c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            registration_.reset();
        }
        return srs_success;
    }
    if (!c.edge || c.origins.empty()) {
        return srs_success;
    }
    const SrsRequest* req = publisher->publish_request();
    push_hops_ = srs_forward_hops_of(req);
    push_param_ = req ? req->param : "";
    push_vhost_ = c.upstream_vhost.empty() ? source_->vhost() : c.upstream_vhost;
    if (push_hops_ >= SRS_FORWARD_MAX_HOPS) {
        srs_warn("edge: %s not pushed to origin, it already went through %d forwards (a loop?)", source_->url().c_str(),
                 push_hops_);
        return srs_success;
    }
    push_origins_.set_origins(c.origins);
    start_push();
    return srs_success;
}

void SrsEdgeHandler::start_push() {
    std::shared_ptr<SrsLiveSource> source = source_->weak_from_this().lock();
    if (!source || push_origins_.empty()) {
        return;
    }
    std::string tc_url, stream;
    srs_error_t err = srs_forward_destination_url(push_origins_.current(), push_vhost_, source_->app(),
                                                  source_->stream(), push_param_, &tc_url, &stream);
    if (err != srs_success) {
        srs_warn("edge: push %s: %s", source_->url().c_str(), srs_error_summary(err).c_str());
        srs_error_reset(err);
        return;
    }
    SrsForwarderOptions opts;
    opts.hops = push_hops_ + 1;
    opts.max_attempts = SRS_EDGE_PUSH_ATTEMPTS;
    pusher_ = std::make_unique<SrsForwarder>(std::move(source), tc_url, stream, opts);
    // Called from the pusher's coroutine, which then ends: the next origin is started from
    // the publisher's (check_push).
    pusher_->set_on_give_up([this](const std::string&) { push_gave_up_ = true; });
    if ((err = pusher_->start()) != srs_success) {
        srs_warn("edge: push %s: %s", source_->url().c_str(), srs_error_summary(err).c_str());
        srs_error_reset(err);
        pusher_.reset();
        return;
    }
    srs_trace("edge: publish %s pushed to origin %s [%s]", source_->url().c_str(), pusher_->url().c_str(),
              pusher_->cid().c_str());
}

void SrsEdgeHandler::check_push() {
    if (!push_gave_up_) {
        return;
    }
    push_gave_up_ = false;
    std::string failed = push_origins_.current();
    pusher_.reset();
    push_origins_.on_failure();
    srs_warn("edge: push %s to %s gave up, next origin %s", source_->url().c_str(), failed.c_str(),
             push_origins_.current().c_str());
    start_push();
}

void SrsEdgeHandler::on_unpublish() {
    if (registration_) {
        registration_->stop();
        registration_.reset();
    }
    if (pusher_ && server_->forward_server()) {
        // The origin gets what was queued, then FCUnpublish, as from the encoder itself; the
        // forward server keeps the pusher (which holds the source) until then.
        pusher_->finish();
        server_->forward_server()->retire(std::move(pusher_), srs_update_system_time() + SRS_FORWARD_FINISH_TIMEOUT);
    }
    pusher_.reset();
    push_gave_up_ = false;
}

srs_error_t SrsEdgeHandler::on_audio(const SrsMediaMessage&) {
    check_push();
    return srs_success;
}

srs_error_t SrsEdgeHandler::on_video(const SrsMediaMessage&) {
    check_push();
    return srs_success;
}

void SrsEdgeHandler::on_player() {
    if (ingester_ && !ingester_->done()) {
        return;
    }
    if (source_->publishing()) {
        // A local publisher (on an edge, one that is forwarded to the origin).
        return;
    }
    std::shared_ptr<SrsConfig> conf = server_->config();
    if (!conf || !srs_edge_vhost_config_load(*conf, source_->vhost()).pulls()) {
        return;
    }
    ingester_ = std::make_unique<SrsEdgeIngester>(server_, source_);
    srs_error_t err = ingester_->start();
    if (err != srs_success) {
        srs_warn("edge: start pull %s: %s", source_->url().c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
        ingester_.reset();
    }
}

// ---- the feature ----

SrsEdgeServer::SrsEdgeServer(ConfigGetter config) : config_(std::move(config)) {}

SrsEdgeServer::~SrsEdgeServer() = default;

srs_error_t SrsEdgeServer::lookup(const std::vector<std::string>& coworkers, const std::string& vhost,
                                  const std::string& app, const std::string& stream,
                                  std::vector<std::string>* origins) {
    if (!lookup_) {
        origins->clear();
        return srs_success;
    }
    return lookup_(coworkers, vhost, app, stream, origins);
}

std::unique_ptr<ISrsLiveSourceHandler> SrsEdgeServer::create_handler(SrsLiveSource* source) {
    // Every source gets one: a reload may turn its vhost into an edge later.
    return std::make_unique<SrsEdgeHandler>(this, source);
}

void SrsEdgeServer::add_ingester(SrsEdgeIngester* i) {
    ingesters_.push_back(i);
}

void SrsEdgeServer::remove_ingester(SrsEdgeIngester* i) {
    ingesters_.erase(std::remove(ingesters_.begin(), ingesters_.end(), i), ingesters_.end());
}

// ---- token traverse ----

srs_error_t srs_edge_token_traverse(const std::vector<std::string>& origins, const SrsRequest& req) {
    srs_error_t err = srs_success;
    std::string last;
    for (const std::string& text : origins) {
        SrsEdgeOrigin origin;
        if (!srs_edge_parse_origin(text, &origin)) {
            continue;
        }
        SrsRtmpClientConn conn;
        if ((err = conn.connect(origin.host, origin.port, SRS_EDGE_CONNECT_TIMEOUT)) != srs_success) {
            last = srs_error_summary(err);
            srs_error_reset(err);
            continue;
        }
        SrsRtmpClient& rtmp = *conn.rtmp();
        // The client's own connect, tcUrl (with its token) and arguments as it sent them.
        std::unique_ptr<SrsRequest> copy = req.copy();
        SrsServerInfo si;
        if ((err = rtmp.connect_app(req.app, req.tcUrl, copy.get(), &si)) != srs_success) {
            if (srs_error_code(err) == ERROR_RTMP_CONNECT_REJECTED) {
                return srs_error_wrap(err, "token traverse %s", origin.str().c_str());
            }
            last = srs_error_summary(err);
            srs_error_reset(err);
            continue;
        }
        srs_trace("edge: token traverse of %s passed at %s, upnode server_id=%s cid=%s", req.tcUrl.c_str(),
                  origin.str().c_str(), si.server_id.c_str(), si.id.c_str());
        return srs_success;
    }
    return srs_error_new(ERROR_RTMP_EDGE_PROXY_PULL, "token traverse: no origin answered (%s)", last.c_str());
}

srs_error_t srs_edge_check_connect(const SrsConfig& conf, const SrsRequest& req) {
    SrsEdgeVhostConfig c = srs_edge_vhost_config_load(conf, req.vhost);
    if (!c.edge || !c.token_traverse) {
        return srs_success;
    }
    return srs_edge_token_traverse(c.origins, req);
}
