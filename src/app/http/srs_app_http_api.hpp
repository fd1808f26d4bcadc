// The HTTP API (http_api { listen 1985; }) in SRS's /api/v1 shapes: versions, summaries,
// system stats, vhosts, streams and clients (with kicks), and the raw reload. Every
// response is JSON {"code":0,"server":"...","service":"...","pid":"...",...}, with JSONP
// through ?callback=, Basic auth and CORS in front of the routes.
#pragma once

#include <srs_app_api_context.hpp>
#include <srs_app_statistic.hpp>
#include <srs_protocol_http_mux.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

class SrsConfig;

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
