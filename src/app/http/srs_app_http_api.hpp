// The HTTP API (http_api { listen 1985; }) in SRS's /api/v1 shapes: versions, summaries,
// system stats, vhosts, streams and clients (with kicks), and the raw reload. Every
// response is JSON {"code":0,"server":"...","service":"...","pid":"...",...}, with JSONP
// through ?callback=, Basic auth and CORS in front of the routes.
#pragma once

#include <srs_app_conn.hpp>
#include <srs_app_statistic.hpp>
#include <srs_app_sysinfo.hpp>
#include <srs_protocol_http_mux.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

class SrsConfig;

// What the API needs from the server. SrsServer implements it.
class ISrsHttpApiServer {
public:
    virtual ~ISrsHttpApiServer() = default;
    // The live connection with this context id, to kick it; null when none.
    virtual ISrsConnection* find_connection(const std::string& cid) = 0;
    // Reloads the config as SIGHUP does.
    virtual srs_error_t reload() = 0;
    // The server's part of /api/v1/summaries.
    virtual SrsSummaryContext summary_context() = 0;
};

// The http_api section of the config, as the API applies it; set again on reload.
struct SrsHttpApiOptions {
    bool crossdomain = true;
    bool auth_enabled = false;
    std::string username;
    std::string password;
    bool raw_api = false;
    bool allow_reload = false;
    bool allow_query = false;
    bool allow_update = false;
};

// The options from a config snapshot (http_api section).
SrsHttpApiOptions srs_http_api_options(const SrsConfig& conf);

// The vhost facts of the statistics from the running config snapshot; the server sets the
// new snapshot on reload, so nothing keeps an old one.
class SrsStatisticConfigView : public ISrsStatisticConfig {
public:
    void set_config(std::shared_ptr<SrsConfig> conf) { conf_ = std::move(conf); }
    bool vhost_enabled(const std::string& vhost) override;
    bool hls_enabled(const std::string& vhost) override;
    double hls_fragment(const std::string& vhost) override;

private:
    std::shared_ptr<SrsConfig> conf_;
};

// Serializes JSON for the wire. Strings from clients (stream names, URLs, headers) may be
// invalid UTF-8; they are replaced by U+FFFD instead of throwing.
std::string srs_json_dumps(const nlohmann::ordered_json& j);

// Writes an API body: JSON, or JSONP "callback(...)" when the query has callback=.
srs_error_t srs_api_respond(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const nlohmann::ordered_json& body,
                            int status = 200);

// Decodes standard base64 (RFC 4648 4); false on invalid input.
bool srs_base64_decode(const std::string& in, std::string* out);

// The API's shared state: statistics, system info, the server and the options. Handlers
// point at it; it outlives them (owned by the server with the API's mux).
class SrsHttpApiContext {
public:
    SrsHttpApiContext(SrsStatistic* stat, SrsSystemInfo* sys, ISrsHttpApiServer* server)
        : stat_(stat), sys_(sys), server_(server) {}

public:
    // {"code":code,"server":...,"service":...,"pid":...}, the head of every response.
    nlohmann::ordered_json envelope(int code = 0) const;

    SrsStatistic* stat_;
    SrsSystemInfo* sys_;
    ISrsHttpApiServer* server_;
    SrsHttpApiOptions options_;
};

// HTTP Basic auth (RFC 7617) in front of every API route when http_api.auth is on: a
// missing or wrong Authorization gets 401 with WWW-Authenticate and nothing else.
class SrsHttpAuthMux : public ISrsHttpHandler {
public:
    SrsHttpAuthMux(SrsHttpApiContext* ctx, std::shared_ptr<ISrsHttpHandler> next) : ctx_(ctx), next_(next) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    bool authorized(SrsHttpMessage* r) const;

private:
    SrsHttpApiContext* ctx_;
    std::shared_ptr<ISrsHttpHandler> next_;
};

// The whole API: the routes on a ServeMux, behind auth, behind CORS. Owned by the server;
// each API connection serves requests through handler().
class SrsHttpApi {
public:
    SrsHttpApi(SrsStatistic* stat, SrsSystemInfo* sys, ISrsHttpApiServer* server);
    ~SrsHttpApi() = default;
    SRS_DISALLOW_COPY(SrsHttpApi);

public:
    // Registers the routes; call once.
    srs_error_t initialize();
    // Applies the http_api config (at start and on reload).
    void set_options(const SrsHttpApiOptions& options);
    const SrsHttpApiOptions& options() const { return ctx_.options_; }
    // The entry of every request: CORS, then auth, then the routes.
    ISrsHttpHandler* handler() { return cors_.get(); }
    SrsHttpServeMux* mux() { return mux_.get(); }
    // For routes registered by other modules on mux() (the DVR's /api/v1/dvrs).
    SrsHttpApiContext* context() { return &ctx_; }
    // Registers a GET route of a feature (/api/v1/forwards): fill adds its fields to the
    // envelope {"code":0,"server":...}. Call before serving.
    srs_error_t add_get_route(const std::string& pattern, std::function<void(nlohmann::ordered_json*)> fill);

private:
    SrsHttpApiContext ctx_;
    std::shared_ptr<SrsHttpServeMux> mux_;
    std::shared_ptr<SrsHttpAuthMux> auth_;
    std::shared_ptr<SrsHttpCorsMux> cors_;
};
