// HTTP callbacks of a vhost (`http_hooks { on_connect URL...; on_publish ...; }`): each event
// POSTs a JSON body with SRS's fields to every URL listed, in order, from the client's own
// coroutine with a timeout. See doc/hooks.md.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_time.hpp>

#include <string>
#include <vector>

class SrsConfig;
class SrsHttpMessage;
class SrsStatistic;

// The events, named as their directives (and as the body's action).
// Dvr (on_dvr) is made by the DVR's worker when a file is complete, never from a client.
// Forward (on_forward) is the body the forward backend gets at a publish (SRS 5 dynamic forward).
enum class SrsHookEvent { Connect, Close, Publish, Unpublish, Play, Stop, Dvr, Forward };

// The directive and action of an event: "on_connect", ...
const char* srs_hook_event_name(SrsHookEvent event);
// Whether a refusal of this event refuses the client (on_connect, on_publish, on_play); the
// other events' answers are only logged.
bool srs_hook_event_enforced(SrsHookEvent event);

// What a hook body tells about the client and its stream.
struct SrsHookRequest {
    std::string server_id;
    std::string service_id;
    // The connection's context id.
    std::string client_id;
    std::string ip;
    std::string vhost;
    std::string app;
    std::string tcUrl;
    std::string stream;
    // The query of the stream (or of the tcUrl), with its '?', e.g. "?token=abc".
    std::string param;
    std::string pageUrl;
    // "/app/stream" (with the vhost when it is not the default one).
    std::string stream_url;
    // The stream's id in /api/v1/streams.
    std::string stream_id;
    // For on_close.
    int64_t send_bytes = 0;
    int64_t recv_bytes = 0;
    // For on_dvr: the server's working directory and the file (as dvr_path made it).
    std::string cwd;
    std::string file;
};

// The hook request of an HTTP player (HTTP-FLV/TS/AAC/MP3, an HLS session) of a stream: its
// peer, the request's query and Referer, tcUrl as SRS names it (the URL up to the app). The
// server's and the stream's ids come from the statistics when the client lifecycle calls a hook.
SrsHookRequest srs_hook_request_of_http_player(SrsHttpMessage* r, const std::string& cid, const std::string& vhost,
                                               const std::string& app, const std::string& stream);

// The stream's id in /api/v1/streams, empty when the statistics do not know it (yet).
std::string srs_hook_stream_id(SrsStatistic* stat, const std::string& vhost, const std::string& app,
                               const std::string& stream);

// The JSON body of an event, with SRS's fields in SRS's order.
std::string srs_hook_body(SrsHookEvent event, const SrsHookRequest& r);

// Whether an answer allows: HTTP 200 or 201 whose body is exactly 0 (spaces around allowed)
// or a JSON object with "code": 0. ERROR_HTTP_HOOK_REJECTED otherwise.
srs_error_t srs_hook_check_response(int status, const std::string& body);

// POSTs body (application/json) to url, bounded by timeout for the connect and for each read
// and write; the status and body of the answer.
srs_error_t srs_hook_post(const std::string& url, const std::string& body, srs_utime_t timeout, int* status,
                          std::string* answer);

// Calls the event's URLs of the vhost, in order, when http_hooks is enabled there. For an
// enforced event the first URL that does not allow refuses (the error says which and why);
// the others are logged and success returned. Every call is logged with its answer.
srs_error_t srs_http_hooks_call(const SrsConfig& config, SrsHookEvent event, const SrsHookRequest& r);

// Whether the vhost has URLs for the event (and hooks enabled).
bool srs_http_hooks_has(const SrsConfig& config, const std::string& vhost, SrsHookEvent event);

// Makes hook POSTs in order, away from the caller's path (a publisher must not wait for a hook
// server); SrsHlsHookWorker is the server's one, shared by HLS and DVR (on_dvr).
class ISrsHookPoster {
public:
    virtual ~ISrsHookPoster() = default;
    // Queues a POST named by its event in the log (on_dvr).
    virtual void post(const std::string& name, const std::string& url, const std::string& body,
                      srs_utime_t timeout) = 0;
};
