// The one client lifecycle of every front end (RTMP, HTTP live streams, HLS sessions): a
// client is admitted (security, refer, hooks) and gets a lease; the lease undoes the admission
// when it goes (the stop hooks, the statistics). A front end keeps only its wire protocol: what
// it tells the client when it is refused, and how it plays or publishes. (max_connections is
// enforced earlier, at accept, before a client says who it is.)
// See doc/architecture.md ("Client lifecycle").
#pragma once

#include <srs_app_http_hooks.hpp>
#include <srs_app_security.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

class SrsConfig;
class SrsClientLifecycle;
class ISrsHttpResponseWriter;
class SrsHttpMessage;

// Makes the HTTP callbacks of an event: the server's POSTs them (srs_http_hooks_call), a
// test's records them.
class ISrsHookCaller {
public:
    virtual ~ISrsHookCaller() = default;
    // As srs_http_hooks_call: an error only for an enforced event that was refused.
    virtual srs_error_t call(const SrsConfig& config, SrsHookEvent event, const SrsHookRequest& r) = 0;
};

// Why a lease ends, set by the front end before the lease goes.
enum class SrsClientEnd {
    // The client left, or the stream ended.
    Normal,
    // An error ended it: counted as an error in the statistics (the exporter's failures).
    Failed,
    // The API, a reload or a publisher taking over ended it: the stop hooks still run.
    Kicked,
    // The server quits: the client leaves the statistics without the stop hooks, which would
    // hold the quit for a hook timeout each (HLS sessions, which have no connection of their own).
    Quit,
};

// What a client holds once admitted: move-only; when it goes (or release()), the hook that
// pairs with the admission runs (on_close after on_connect, on_unpublish after on_publish,
// on_stop after on_play) and the client leaves the statistics it joined. A refused admission
// leaves no lease, so nothing is undone for it.
class SrsClientLease {
public:
    SrsClientLease() = default;
    // A lease that only describes a client and undoes nothing (no lifecycle admitted it).
    explicit SrsClientLease(const SrsHookRequest& client);
    ~SrsClientLease();
    SrsClientLease(SrsClientLease&& o) noexcept;
    SrsClientLease& operator=(SrsClientLease&& o) noexcept;
    SrsClientLease(const SrsClientLease&) = delete;
    SrsClientLease& operator=(const SrsClientLease&) = delete;

public:
    // Whether releasing it undoes something.
    bool active() const { return owner_ != nullptr; }
    const std::string& cid() const { return client_.client_id; }
    // The client as its hooks describe it.
    const SrsHookRequest& client() const { return client_; }
    // The client told more about itself (an RTMP client names its stream after connect): the
    // hook at release describes it so.
    void update(const SrsHookRequest& client);
    // The client shows in /api/v1/clients until the lease goes. io gives its byte counts (may
    // be null: then SrsStatistic::add_bytes). Joining again moves it to the new stream.
    void join_stats(const SrsStatisticRequest& req, SrsClientType type, ISrsIoStat* io);
    void set_end(SrsClientEnd end) { end_ = end; }
    SrsClientEnd end() const { return end_; }
    // The bytes of the connection, for on_close.
    void set_bytes(int64_t recv, int64_t send);
    // Undoes the admission now (once; the destructor does nothing after it).
    void release();

private:
    friend class SrsClientLifecycle;
    SrsClientLease(SrsClientLifecycle* owner, const SrsHookRequest& client, SrsHookEvent undo);

private:
    SrsClientLifecycle* owner_ = nullptr;
    SrsHookRequest client_;
    // The hook that pairs with the admission.
    SrsHookEvent undo_ = SrsHookEvent::Close;
    bool in_stats_ = false;
    SrsClientEnd end_ = SrsClientEnd::Normal;
};

// How a client asks to publish or play.
struct SrsClientAsk {
    SrsAccessType type = SrsAccessType::Play;
    // An HTTP player has no connect: refer.all is checked with refer.play.
    bool refer_all = false;
    // security and refer were checked for this very request already (the HLS static files
    // check each request): only the hook remains.
    bool checked = false;
};

// How an HTTP player (HTTP-FLV/TS/AAC/MP3 and HLS) asks the lifecycle to play: its peer IP
// against the play rules, its Referer header against refer.all and refer.play (it has no
// connect). Refused players are answered 403.
SrsClientAsk srs_http_player_ask();

// Admits clients and undoes their admission. One per server part that has clients; it reads
// the running config and the statistics through the getters (either may give null: no checks
// and no hooks without a config, no statistics without them).
class SrsClientLifecycle {
public:
    using ConfigGetter = std::function<std::shared_ptr<const SrsConfig>()>;
    using StatGetter = std::function<SrsStatistic*()>;
    // hooks: null for the HTTP callbacks of the config (srs_http_hooks_call); not owned.
    SrsClientLifecycle(ConfigGetter config, StatGetter stat, ISrsHookCaller* hooks = nullptr);
    SRS_DISALLOW_COPY(SrsClientLifecycle);

public:
    // A connection of the vhost client.vhost (RTMP connect): refer.all, then on_connect, then
    // the front end's own check (more, may be empty: the edge's token traverse). On success
    // the lease calls on_close when it goes. Errors are ERROR_REFER_DENIED,
    // ERROR_HTTP_HOOK_REJECTED (or the hook's failure), or more's.
    srs_error_t connect(const SrsConfig& config, const SrsHookRequest& client, const std::function<srs_error_t()>& more,
                        SrsClientLease* lease);
    // A publisher or player of client's stream: security, refer, then on_publish or on_play
    // (security and refer first: local and cheap, as SRS). On success the lease calls
    // on_unpublish or on_stop when it goes. Errors are ERROR_SECURITY_DENIED,
    // ERROR_REFER_DENIED, ERROR_HTTP_HOOK_REJECTED (or the hook's failure).
    srs_error_t admit(const SrsConfig& config, const SrsClientAsk& ask, const SrsHookRequest& client,
                      SrsClientLease* lease);
    // A client admitted without a config (a server part running without one, in tests): no
    // checks and no hooks, but it shows in the statistics it joins until the lease goes.
    void admit_unchecked(const SrsClientAsk& ask, const SrsHookRequest& client, SrsClientLease* lease);
    // security and refer only, for a request that is no client of its own (an HTTP HEAD, an
    // HLS file): nothing to undo.
    srs_error_t check(const SrsConfig& config, const SrsClientAsk& ask, const SrsHookRequest& client) const;
    // A player's request of a file (an HLS or DASH playlist, segment, init segment or key):
    // check() for the vhost its Host names, as an HTTP player (none without a config or vhost).
    // A refusal is logged and answered 403, and *refused says the request is done.
    srs_error_t guard_http_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, bool* refused) const;

    std::shared_ptr<const SrsConfig> config() const { return config_ ? config_() : nullptr; }
    SrsStatistic* stat() const { return stat_ ? stat_() : nullptr; }

private:
    friend class SrsClientLease;
    // The ids a hook body carries from the statistics, looked up at each call (a stream shows
    // there once it has a client or a publisher).
    SrsHookRequest with_ids(const SrsHookRequest& client) const;
    srs_error_t call(const SrsConfig& config, SrsHookEvent event, const SrsHookRequest& client) const;
    void release(SrsClientLease* lease);

private:
    ConfigGetter config_;
    StatGetter stat_;
    ISrsHookCaller* hooks_;
};
