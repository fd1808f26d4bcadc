// HLS player sessions (`vhost.hls.hls_ctx`, as SRS): a playlist request without an hls_ctx
// query parameter opens a session (a context id, the on_play hook, and a one-entry variant
// playlist pointing to the same URL with `hls_ctx=<id>`), requests carrying the id keep it
// alive, and a session that sees no request
// for its timeout ends (on_stop with the same client_id). Sessions are the HLS players of
// /api/v1/clients ("hls-play"), and can be kicked there. See doc/hls.md.
#pragma once

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_conn.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_core.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsHttpMessage;
class ISrsHttpResponseWriter;

// The query parameter that carries the session id.
constexpr const char* SRS_HLS_CTX_PARAM = "hls_ctx";

// The playlist URL of a session: path, then the original query without any hls_ctx, then
// hls_ctx=ctx ("/live/s.m3u8?token=a&hls_ctx=xyz").
std::string srs_hls_ctx_url(const std::string& path, const std::string& query, const std::string& ctx);
// What a new session gets, as SRS answers: a multivariant playlist (RFC 8216 4.3.4.2) whose
// one variant stream is url. A player follows it like any master playlist; a script or a
// probe that does not follow redirects still gets a playlist, not an empty 302. attributes:
// the EXT-X-STREAM-INF attributes of the stream's multivariant playlist (BANDWIDTH, CODECS,
// RESOLUTION; srs_app_hls_master.hpp); when empty (none written yet) BANDWIDTH is unknown: 1,
// as SRS says.
std::string srs_hls_ctx_variant_playlist(const std::string& url, const std::string& attributes = "");
// The playlist with hls_ctx=ctx appended to each URI line (RFC 8216 4.1: lines that are not
// blank and do not start with '#') and to the URI of each EXT-X-MAP (the fMP4 init segment),
// so segment requests keep the session alive.
std::string srs_hls_ctx_rewrite_playlist(const std::string& body, const std::string& ctx);
// How long a session lives without a request: 3 x hls_fragment, at least 10 s. A player
// reloads a live playlist about every target duration (RFC 8216 6.3.4) and fetches the new
// segments in between, so a live one is seen well within it.
srs_utime_t srs_hls_ctx_timeout(srs_utime_t hls_fragment);

// One HLS player: a virtual connection known by its context id, whose life is its requests.
class SrsHlsSession : public ISrsConnection {
public:
    // lease: the admitted player (client_id is the session id); the session ends with it.
    SrsHlsSession(SrsClientLease lease, srs_utime_t now, srs_utime_t timeout);

public:
    srs_error_t start() override { return srs_success; }
    const std::string& cid() const override { return lease_.cid(); }
    std::string remote_ip() const override { return lease_.client().ip; }
    const char* desc() const override { return "HLS"; }
    // A kick: the session ends at the next check, whatever its last request.
    void expire() override { kicked_ = true; }

    void touch(srs_utime_t now) { last_ = now; }
    bool expired(srs_utime_t now) const { return kicked_ || now - last_ >= timeout_; }
    bool kicked() const { return kicked_; }
    const SrsHookRequest& hook() const { return lease_.client(); }
    SrsClientLease& lease() { return lease_; }

private:
    SrsClientLease lease_;
    srs_utime_t last_;
    srs_utime_t timeout_;
    bool kicked_ = false;
};

// The sessions by id, with a clock that tests can replace.
class SrsHlsSessionTable {
public:
    explicit SrsHlsSessionTable(std::function<srs_utime_t()> clock = srs_get_system_time);
    SRS_DISALLOW_COPY(SrsHlsSessionTable);

public:
    // Adds a session whose id is the lease's client id (replacing one of the same id).
    SrsHlsSession* add(SrsClientLease lease, srs_utime_t timeout);
    // Refreshes a live session; null when there is none of that id or it has expired (an
    // expired one waits for take_expired() to end it with its hook).
    SrsHlsSession* touch(const std::string& ctx);
    SrsHlsSession* find(const std::string& ctx) const;
    // Removes and returns the sessions expired now (or kicked).
    std::vector<std::unique_ptr<SrsHlsSession>> take_expired();
    // Removes and returns every session (at quit).
    std::vector<std::unique_ptr<SrsHlsSession>> take_all();
    size_t size() const { return sessions_.size(); }
    srs_utime_t now() const { return clock_(); }

private:
    std::function<srs_utime_t()> clock_;
    std::map<std::string, std::unique_ptr<SrsHlsSession>> sessions_;
};

// The HLS sessions of the HTTP server: serves the playlist requests of vhosts with hls_ctx on
// and ends idle sessions from a coroutine ticking every second (so they end when no request
// comes at all).
class SrsHlsSessions : public ISrsCoroutineHandler {
public:
    // lifecycle admits the sessions as players (may be null: no hooks, no statistics); not
    // owned, outlives this object.
    explicit SrsHlsSessions(SrsClientLifecycle* lifecycle, std::function<srs_utime_t()> clock = srs_get_system_time);
    ~SrsHlsSessions() override;
    SRS_DISALLOW_COPY(SrsHlsSessions);

public:
    srs_error_t start();
    // Stops the ticking and ends every session (on_stop, stats).
    void stop();
    // Whether playlist requests of this vhost get sessions.
    static bool enabled(const SrsConfig& conf, const std::string& vhost);
    // Serves a GET of a playlist of a vhost with hls_ctx on, whose body is there: without a
    // live session id, opens a session (on_play; 403 when refused) and answers 200 with a
    // variant playlist pointing to the URL with hls_ctx (with the stream_inf attributes of the
    // stream's multivariant playlist, see srs_hls_ctx_variant_playlist); with one, refreshes
    // it and sends the playlist with the id in its URIs (when hls_ts_ctx is on). A
    // multivariant playlist ([stream]-master.m3u8) is the session's entry itself: it is sent
    // with the id in its URI, always, so the media playlist requests carry it. All count in
    // the session's sent bytes.
    srs_error_t serve_playlist(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const SrsConfig& conf,
                               const std::string& vhost, const std::string& body, const std::string& stream_inf = "");
    // A request of another HLS file (a segment) of size bytes: refreshes its session, if any.
    void on_request(SrsHttpMessage* r, int64_t bytes);
    // Ends the expired sessions: they leave the statistics, and on_stop.
    void check();
    // A session as a connection, for the API's kick; null if none.
    ISrsConnection* find_connection(const std::string& cid) const { return table_.find(cid); }
    size_t size() const { return table_.size(); }
    srs_error_t cycle() override;

private:
    // Sends a playlist of session ctx, counted in its sent bytes.
    srs_error_t write_playlist(ISrsHttpResponseWriter* w, const std::string& ctx, const std::string& out);
    // Logs the end and releases the session's lease: it leaves the statistics, and on_stop
    // unless the server quits.
    void end(SrsHlsSession* s, SrsClientEnd why);

private:
    SrsClientLifecycle* lifecycle_;
    SrsHlsSessionTable table_;
    // Last, so it stops before the table goes.
    std::unique_ptr<SrsCoroutine> trd_;
};
