#include <srs_app_client_lifecycle.hpp>

#include <srs_app_config.hpp>
#include <srs_app_refer.hpp>
#include <srs_core_log.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_response.hpp>

namespace {

// The server's hooks: the vhost's http_hooks URLs.
class HttpHookCaller : public ISrsHookCaller {
public:
    srs_error_t call(const SrsConfig& config, SrsHookEvent event, const SrsHookRequest& r) override {
        return srs_http_hooks_call(config, event, r);
    }
};

HttpHookCaller http_hook_caller;

}  // namespace

SrsClientLease::SrsClientLease(const SrsHookRequest& client) : client_(client) {}

SrsClientLease::SrsClientLease(SrsClientLifecycle* owner, const SrsHookRequest& client, SrsHookEvent undo)
    : owner_(owner), client_(client), undo_(undo) {}

SrsClientLease::~SrsClientLease() {
    release();
}

SrsClientLease::SrsClientLease(SrsClientLease&& o) noexcept
    : owner_(o.owner_), client_(std::move(o.client_)), undo_(o.undo_), in_stats_(o.in_stats_), end_(o.end_) {
    o.owner_ = nullptr;
    o.in_stats_ = false;
}

SrsClientLease& SrsClientLease::operator=(SrsClientLease&& o) noexcept {
    if (this != &o) {
        release();
        owner_ = o.owner_;
        client_ = std::move(o.client_);
        undo_ = o.undo_;
        in_stats_ = o.in_stats_;
        end_ = o.end_;
        o.owner_ = nullptr;
        o.in_stats_ = false;
    }
    return *this;
}

void SrsClientLease::update(const SrsHookRequest& client) {
    client_ = client;
}

void SrsClientLease::join_stats(const SrsStatisticRequest& req, SrsClientType type, ISrsIoStat* io) {
    SrsStatistic* stat = owner_ ? owner_->stat() : nullptr;
    if (!stat) {
        return;
    }
    stat->on_client(client_.client_id, req, type, io);
    in_stats_ = true;
}

void SrsClientLease::set_bytes(int64_t recv, int64_t send) {
    client_.recv_bytes = recv;
    client_.send_bytes = send;
}

void SrsClientLease::release() {
    if (owner_) {
        owner_->release(this);
        owner_ = nullptr;
        in_stats_ = false;
    }
}

SrsClientAsk srs_http_player_ask() {
    SrsClientAsk ask;
    ask.type = SrsAccessType::Play;
    ask.refer_all = true;
    return ask;
}

SrsClientLifecycle::SrsClientLifecycle(ConfigGetter config, StatGetter stat, ISrsHookCaller* hooks)
    : config_(std::move(config)), stat_(std::move(stat)), hooks_(hooks ? hooks : &http_hook_caller) {}

SrsHookRequest SrsClientLifecycle::with_ids(const SrsHookRequest& client) const {
    SrsHookRequest r = client;
    if (SrsStatistic* st = stat()) {
        r.server_id = st->server_id();
        r.service_id = st->service_id();
        // A connection that has not named its stream yet has no stream id.
        r.stream_id = client.stream.empty() ? "" : srs_hook_stream_id(st, client.vhost, client.app, client.stream);
    }
    return r;
}

srs_error_t SrsClientLifecycle::call(const SrsConfig& config, SrsHookEvent event, const SrsHookRequest& client) const {
    return hooks_->call(config, event, with_ids(client));
}

srs_error_t SrsClientLifecycle::connect(const SrsConfig& config, const SrsHookRequest& client,
                                        const std::function<srs_error_t()>& more, SrsClientLease* lease) {
    srs_error_t err = srs_success;
    // `refer` (refer.all) and `hooks` (on_connect) may refuse the client, then the front end's
    // own check: on_close follows only for a client all of them let in.
    if ((err = srs_refer_check_connect(config, client.vhost, client.pageUrl)) == srs_success) {
        err = call(config, SrsHookEvent::Connect, client);
    }
    if (err == srs_success && more) {
        err = more();
    }
    if (err != srs_success) {
        return err;
    }
    *lease = SrsClientLease(this, client, SrsHookEvent::Close);
    return err;
}

srs_error_t SrsClientLifecycle::check(const SrsConfig& config, const SrsClientAsk& ask,
                                      const SrsHookRequest& client) const {
    srs_error_t err = srs_success;
    if ((err = srs_security_check(config, client.vhost, ask.type, client.ip)) != srs_success) {
        return err;
    }
    return srs_refer_check(config, client.vhost, ask.type, client.pageUrl, ask.refer_all);
}

srs_error_t SrsClientLifecycle::guard_http_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, bool* refused) const {
    *refused = false;
    std::shared_ptr<const SrsConfig> conf = config();
    std::string vhost = conf ? conf->resolve_vhost(r->hostname()) : "";
    if (vhost.empty()) {
        return srs_success;
    }
    srs_error_t err = check(*conf, srs_http_player_ask(), srs_hook_request_of_http_player(r, "", vhost, "", ""));
    if (err == srs_success) {
        return srs_success;
    }
    srs_warn("http: %s get %s refused, 403: %s", r->peer_ip().c_str(), r->path().c_str(),
             srs_error_summary(err).c_str());
    srs_error_reset(err);
    *refused = true;
    return srs_http_write_error(w, 403);
}

srs_error_t SrsClientLifecycle::admit(const SrsConfig& config, const SrsClientAsk& ask, const SrsHookRequest& client,
                                      SrsClientLease* lease) {
    srs_error_t err = srs_success;
    if (!ask.checked && (err = check(config, ask, client)) != srs_success) {
        return err;
    }
    bool publish = ask.type == SrsAccessType::Publish;
    if ((err = call(config, publish ? SrsHookEvent::Publish : SrsHookEvent::Play, client)) != srs_success) {
        return err;
    }
    *lease = SrsClientLease(this, client, publish ? SrsHookEvent::Unpublish : SrsHookEvent::Stop);
    return err;
}

void SrsClientLifecycle::admit_unchecked(const SrsClientAsk& ask, const SrsHookRequest& client, SrsClientLease* lease) {
    *lease =
        SrsClientLease(this, client, ask.type == SrsAccessType::Publish ? SrsHookEvent::Unpublish : SrsHookEvent::Stop);
}

void SrsClientLifecycle::release(SrsClientLease* lease) {
    // The hook body's ids are taken before the client leaves the statistics, which may drop
    // its stream with it.
    SrsHookRequest r = with_ids(lease->client_);
    // The client leaves the lists at once; a slow hook server must not keep a gone client there.
    if (lease->in_stats_) {
        if (SrsStatistic* st = stat()) {
            st->on_disconnect(r.client_id, lease->end_ == SrsClientEnd::Failed);
        }
    }
    if (lease->end_ == SrsClientEnd::Quit) {
        return;
    }
    // The running config: a reload since the admission decides where the hook goes. Its
    // answer is only logged (srs_hook_event_enforced).
    if (std::shared_ptr<const SrsConfig> conf = config()) {
        srs_error_t err = hooks_->call(*conf, lease->undo_, r);
        srs_error_reset(err);
    }
}
