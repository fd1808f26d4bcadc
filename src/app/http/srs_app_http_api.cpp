#include <srs_app_http_api.hpp>

#include <srs_app_config.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>

using json = nlohmann::ordered_json;

SrsHttpApiOptions srs_http_api_options(const SrsConfig& conf) {
    SrsHttpApiOptions o;
    o.crossdomain = conf.get(srs_key::http_api_crossdomain);
    o.auth_enabled = conf.get(srs_key::http_api_auth_enabled);
    o.username = conf.get(srs_key::http_api_auth_username);
    o.password = conf.get(srs_key::http_api_auth_password);
    o.raw_api = conf.get(srs_key::http_api_raw_api_enabled);
    o.allow_reload = conf.get(srs_key::http_api_raw_api_allow_reload);
    o.allow_query = conf.get(srs_key::http_api_raw_api_allow_query);
    o.allow_update = conf.get(srs_key::http_api_raw_api_allow_update);
    return o;
}

bool SrsStatisticConfigView::vhost_enabled(const std::string& vhost) {
    return conf_ ? conf_->vhost_enabled(vhost) : true;
}

bool SrsStatisticConfigView::hls_enabled(const std::string& vhost) {
    return conf_ ? conf_->vhost(vhost, srs_key::vhost_hls_enabled) : false;
}

double SrsStatisticConfigView::hls_fragment(const std::string& vhost) {
    return conf_ ? (double)conf_->vhost(vhost, srs_key::vhost_hls_hls_fragment) / SRS_UTIME_SECONDS : 0;
}

namespace {

// Compares without an early exit, so the time does not tell how much of a secret matched.
bool srs_constant_time_equal(const std::string& a, const std::string& b) {
    size_t n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = i < a.size() ? (unsigned char)a[i] : 0;
        unsigned char y = i < b.size() ? (unsigned char)b[i] : 0;
        diff |= (unsigned char)(x ^ y);
    }
    return diff == 0;
}

enum SrsApiMethods {
    SrsApiGet = 0x01,
    SrsApiPost = 0x02,
    SrsApiPut = 0x04,
    SrsApiDelete = 0x08,
};

int srs_api_method_bit(SrsHttpMessage* r) {
    if (r->is_get() || r->is_head()) {
        return SrsApiGet;
    }
    if (r->is_post()) {
        return SrsApiPost;
    }
    if (r->is_put()) {
        return SrsApiPut;
    }
    if (r->is_delete()) {
        return SrsApiDelete;
    }
    return 0;
}

std::string srs_api_allow(int methods) {
    std::vector<std::string> v;
    if (methods & SrsApiGet) {
        v.push_back("GET, HEAD");
    }
    if (methods & SrsApiPost) {
        v.push_back("POST");
    }
    if (methods & SrsApiPut) {
        v.push_back("PUT");
    }
    if (methods & SrsApiDelete) {
        v.push_back("DELETE");
    }
    return srs_string_join(v, ", ");
}

// One API route: checks the path and the method, then builds the response. A route whose
// pattern ends in '/' either takes an id after it (rest: "vid-xxx" of
// /api/v1/streams/vid-xxx) or, for the indexes, serves only the pattern itself, so an
// unknown path under it is a 404 rather than the index.
class SrsApiRoute : public ISrsHttpHandler {
public:
    using Fn = std::function<srs_error_t(SrsHttpApiContext*, ISrsHttpResponseWriter*, SrsHttpMessage*,
                                         const std::string& rest)>;
    SrsApiRoute(SrsHttpApiContext* ctx, const std::string& pattern, bool takes_id, int methods, Fn fn)
        : ctx_(ctx), pattern_(pattern), takes_id_(takes_id), methods_(methods), fn_(std::move(fn)) {}

    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        std::string rest;
        const std::string& path = r->path();
        if (path.size() > pattern_.size() && pattern_.back() == '/' &&
            path.compare(0, pattern_.size(), pattern_) == 0) {
            rest = path.substr(pattern_.size());
        }
        if (!rest.empty() && !takes_id_) {
            return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_NOT_FOUND), 404);
        }
        if (!(srs_api_method_bit(r) & methods_)) {
            w->header()->set("Allow", srs_api_allow(methods_));
            return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_METHOD_NOT_ALLOWED), 405);
        }
        if (!rest.empty() && rest.back() == '/') {
            rest.pop_back();
        }
        return fn_(ctx_, w, r, rest);
    }

private:
    SrsHttpApiContext* ctx_;
    std::string pattern_;
    bool takes_id_;
    int methods_;
    Fn fn_;
};

// Unknown API paths: 404 with a JSON body.
class SrsApiNotFound : public ISrsHttpHandler {
public:
    explicit SrsApiNotFound(SrsHttpApiContext* ctx) : ctx_(ctx) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_NOT_FOUND), 404);
    }

private:
    SrsHttpApiContext* ctx_;
};

srs_error_t srs_api_data(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const json& data) {
    json obj = ctx->envelope();
    obj["data"] = data;
    return srs_api_respond(w, r, obj);
}

srs_error_t srs_api_code(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, int code) {
    return srs_api_respond(w, r, ctx->envelope(code));
}

// SRS's paging of streams and clients: start from 0, count 10 unless asked.
void srs_api_paging(SrsHttpMessage* r, int* start, int* count) {
    std::string s = r->query_get("start");
    std::string c = r->query_get("count");
    *start = std::max(0, atoi(s.c_str()));
    *count = c.empty() ? 10 : std::max(1, atoi(c.c_str()));
}

srs_error_t api_root(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    json obj = ctx->envelope();
    obj["urls"] = {{"api", "the api root"}};
    return srs_api_respond(w, r, obj);
}

srs_error_t api_api(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    json obj = ctx->envelope();
    obj["urls"] = {{"v1", "the api version 1.0"}};
    return srs_api_respond(w, r, obj);
}

srs_error_t api_v1(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    json obj = ctx->envelope();
    obj["urls"] = {
        {"versions", "the version of SRS"},
        {"summaries", "the summary(pid, argv, pwd, cpu, mem) of SRS"},
        {"rusages", "the rusage of SRS"},
        {"self_proc_stats", "the self process stats"},
        {"system_proc_stats", "the system process stats"},
        {"meminfos", "the meminfo of system"},
        {"authors", "the license, copyright, authors and contributors"},
        {"features", "the supported features of SRS"},
        {"requests", "the request itself, for http debug"},
        {"vhosts", "manage all vhosts or specified vhost"},
        {"streams", "manage all streams or specified stream"},
        {"clients", "manage all clients or specified client, default query top 10 clients"},
        {"raw", "raw api for srs, support CUID srs for instance the config"},
        {"dvrs", "the streams recording, and start/stop recording of a stream"},
    };
    return srs_api_respond(w, r, obj);
}

srs_error_t api_versions(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    return srs_api_data(ctx, w, r,
                        {{"major", SRS_VERSION_MAJOR},
                         {"minor", SRS_VERSION_MINOR},
                         {"revision", SRS_VERSION_REVISION},
                         {"version", SRS_VERSION_STRING}});
}

srs_error_t api_summaries(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    SrsSummaryContext sc = ctx->server_ ? ctx->server_->summary_context() : SrsSummaryContext();
    SrsStatisticMetrics m = ctx->stat_->metrics();
    sc.srs_recv_bytes = m.recv_bytes;
    sc.srs_send_bytes = m.send_bytes;
    json obj = ctx->envelope();
    obj["data"] = ctx->sys_->dumps_summaries(sc);
    return srs_api_respond(w, r, obj);
}

srs_error_t api_rusages(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    return srs_api_data(ctx, w, r, ctx->sys_->dumps_rusage());
}

srs_error_t api_self_proc_stats(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r,
                                const std::string&) {
    return srs_api_data(ctx, w, r, ctx->sys_->dumps_self_proc_stat());
}

srs_error_t api_system_proc_stats(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r,
                                  const std::string&) {
    return srs_api_data(ctx, w, r, ctx->sys_->dumps_system_proc_stat());
}

srs_error_t api_meminfos(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    return srs_api_data(ctx, w, r, ctx->sys_->dumps_meminfo());
}

srs_error_t api_authors(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    return srs_api_data(ctx, w, r, {{"license", SRS_LICENSE}, {"contributors", SRS_AUTHORS}});
}

srs_error_t api_features(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    json features = {
        {"ssl", true},     {"hls", true},          {"hds", false},        {"callback", true},   {"api", true},
        {"httpd", true},   {"dvr", true},          {"transcode", false},  {"ingest", false},    {"stat", true},
        {"caster", false}, {"complex_send", true}, {"tcp_nodelay", true}, {"so_sendbuf", true}, {"mr", true},
    };
    return srs_api_data(ctx, w, r,
                        {{"options", ""},
                         {"options2", ""},
                         {"build", __DATE__},
                         {"build2", __DATE__ " " __TIME__},
                         {"features", features}});
}

srs_error_t api_requests(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    json headers = json::object();
    for (const auto& kv : r->header()->fields()) {
        headers[kv.first] = kv.second;
    }
    json data = {
        {"uri", r->url()},
        {"path", r->path()},
        {"METHOD", r->method_str()},
        {"headers", headers},
        // "sigature" is SRS's spelling.
        {"server",
         {{"sigature", SRS_SERVER_NAME},
          {"version", SRS_VERSION_STRING},
          {"link", SRS_URL},
          {"time", srsu2ms(srs_get_wall_time())}}},
    };
    return srs_api_data(ctx, w, r, data);
}

srs_error_t api_vhosts(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& id) {
    SrsStatisticVhost* vhost = nullptr;
    if (!id.empty() && (vhost = ctx->stat_->find_vhost_by_id(id)) == nullptr) {
        return srs_api_code(ctx, w, r, ERROR_RTMP_VHOST_NOT_FOUND);
    }
    json obj = ctx->envelope();
    if (vhost) {
        obj["vhost"] = ctx->stat_->dumps_vhost(vhost);
    } else {
        obj["vhosts"] = ctx->stat_->dumps_vhosts();
    }
    return srs_api_respond(w, r, obj);
}

srs_error_t api_streams(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& id) {
    SrsStatisticStream* stream = nullptr;
    if (!id.empty() && (stream = ctx->stat_->find_stream(id)) == nullptr) {
        return srs_api_code(ctx, w, r, ERROR_RTMP_STREAM_NOT_FOUND);
    }
    json obj = ctx->envelope();
    if (stream) {
        obj["stream"] = stream->dumps();
    } else {
        int start = 0, count = 0;
        srs_api_paging(r, &start, &count);
        obj["total"] = ctx->stat_->nb_streams();
        obj["streams"] = ctx->stat_->dumps_streams(start, count);
    }
    return srs_api_respond(w, r, obj);
}

srs_error_t api_clients(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& id) {
    SrsStatisticClient* client = nullptr;
    if (!id.empty() && (client = ctx->stat_->find_client(id)) == nullptr) {
        return srs_api_code(ctx, w, r, ERROR_RTMP_CLIENT_NOT_FOUND);
    }

    if (r->is_delete()) {
        // Only one client at a time, never the whole list.
        if (!client) {
            return srs_api_code(ctx, w, r, ERROR_RTMP_CLIENT_NOT_FOUND);
        }
        ISrsConnection* conn = ctx->server_ ? ctx->server_->find_connection(id) : nullptr;
        if (!conn) {
            srs_warn("api: kick client %s: no such connection", id.c_str());
            return srs_api_code(ctx, w, r, ERROR_RTMP_CLIENT_NOT_FOUND);
        }
        // The connection ends in its own coroutine; a publisher's end unpublishes its stream.
        conn->expire();
        srs_trace("api: kick client %s (%s) from %s", id.c_str(), conn->desc(), r->peer_ip().c_str());
        return srs_api_respond(w, r, ctx->envelope());
    }

    json obj = ctx->envelope();
    if (client) {
        obj["client"] = client->dumps(srs_get_system_time());
    } else {
        int start = 0, count = 0;
        srs_api_paging(r, &start, &count);
        obj["total"] = ctx->stat_->nb_clients();
        obj["clients"] = ctx->stat_->dumps_clients(start, count);
    }
    return srs_api_respond(w, r, obj);
}

srs_error_t api_raw(SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
    const SrsHttpApiOptions& o = ctx->options_;
    std::string rpc = r->query_get("rpc");

    // rpc=raw shows what the raw API allows, even when it is off.
    if (rpc == "raw") {
        json obj = ctx->envelope();
        obj["http_api"] = {
            {"enabled", true},
            {"crossdomain", o.crossdomain},
            {"raw_api",
             {{"enabled", o.raw_api},
              {"allow_reload", o.allow_reload},
              {"allow_query", o.allow_query},
              {"allow_update", o.allow_update}}},
        };
        return srs_api_respond(w, r, obj);
    }
    if (!o.raw_api) {
        return srs_api_code(ctx, w, r, ERROR_SYSTEM_CONFIG_RAW_DISABLED);
    }
    if (rpc != "reload") {
        return srs_api_code(ctx, w, r, ERROR_SYSTEM_CONFIG_RAW);
    }
    if (!o.allow_reload) {
        return srs_api_code(ctx, w, r, ERROR_SYSTEM_CONFIG_RAW_NOT_ALLOWED);
    }

    srs_trace("api: raw reload from %s", r->peer_ip().c_str());
    srs_error_t err = ctx->server_ ? ctx->server_->reload() : srs_error_new(ERROR_RELOAD_FAILED, "no server");
    if (err != srs_success) {
        int code = srs_error_code(err);
        srs_warn("api: reload failed: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_api_code(ctx, w, r, code);
    }
    return srs_api_code(ctx, w, r, ERROR_SUCCESS);
}

}  // namespace

srs_error_t SrsHttpAuthMux::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!ctx_->options_.auth_enabled || authorized(r)) {
        return next_->serve_http(w, r);
    }
    srs_warn("api: unauthorized %s %s from %s", r->method_str(), r->path().substr(0, 128).c_str(),
             r->peer_ip().c_str());
    w->header()->set("WWW-Authenticate", "Basic realm=\"SRS\"");
    return srs_http_write_response(w, 401, "application/json", srs_json_dumps(json{{"code", ERROR_HTTP_AUTH}}));
}

bool SrsHttpAuthMux::authorized(SrsHttpMessage* r) const {
    // "Authorization: Basic base64(user:pass)" (RFC 7617 2); the scheme is case-insensitive.
    std::string value = srs_string_trim(r->header()->get("Authorization"));
    if (value.size() < 6 || srs_string_lower(value.substr(0, 6)) != "basic ") {
        return false;
    }
    std::string plain;
    if (!srs_base64_decode(srs_string_trim(value.substr(6)), &plain)) {
        return false;
    }
    size_t colon = plain.find(':');
    if (colon == std::string::npos) {
        return false;
    }
    const SrsHttpApiOptions& o = ctx_->options_;
    bool user = srs_constant_time_equal(plain.substr(0, colon), o.username);
    bool pass = srs_constant_time_equal(plain.substr(colon + 1), o.password);
    return user && pass;
}

SrsHttpApi::SrsHttpApi(SrsStatistic* stat, SrsSystemInfo* sys, ISrsHttpApiServer* server)
    : ctx_(stat, sys, server), mux_(std::make_shared<SrsHttpServeMux>()) {
    auth_ = std::make_shared<SrsHttpAuthMux>(&ctx_, mux_);
    cors_ = std::make_shared<SrsHttpCorsMux>(auth_, ctx_.options_.crossdomain);
}

void SrsHttpApi::set_options(const SrsHttpApiOptions& options) {
    ctx_.options_ = options;
    cors_->set_enabled(options.crossdomain);
}

srs_error_t SrsHttpApi::initialize() {
    srs_error_t err = srs_success;

    struct Route {
        const char* pattern;
        int methods;
        SrsApiRoute::Fn fn;
    };
    const int get = SrsApiGet;
    // Collections answer with and without the trailing slash, so no client sees a redirect.
    std::vector<Route> routes = {
        {"/", get, api_root},
        {"/api", get, api_api},
        {"/api/", get, api_api},
        {"/api/v1", get, api_v1},
        {"/api/v1/", get, api_v1},
        {"/api/v1/versions", get, api_versions},
        {"/api/v1/summaries", get, api_summaries},
        {"/api/v1/rusages", get, api_rusages},
        {"/api/v1/self_proc_stats", get, api_self_proc_stats},
        {"/api/v1/system_proc_stats", get, api_system_proc_stats},
        {"/api/v1/meminfos", get, api_meminfos},
        {"/api/v1/authors", get, api_authors},
        {"/api/v1/features", get, api_features},
        {"/api/v1/requests", get | SrsApiPost | SrsApiPut | SrsApiDelete, api_requests},
        {"/api/v1/vhosts", get, api_vhosts},
        {"/api/v1/vhosts/", get, api_vhosts},
        {"/api/v1/streams", get, api_streams},
        {"/api/v1/streams/", get, api_streams},
        {"/api/v1/clients", get, api_clients},
        {"/api/v1/clients/", get | SrsApiDelete, api_clients},
        {"/api/v1/raw", get | SrsApiPost, api_raw},
    };
    for (const Route& rt : routes) {
        std::string pattern = rt.pattern;
        bool takes_id = pattern == "/api/v1/vhosts/" || pattern == "/api/v1/streams/" || pattern == "/api/v1/clients/";
        auto route = std::make_shared<SrsApiRoute>(&ctx_, pattern, takes_id, rt.methods, rt.fn);
        if ((err = mux_->handle(pattern, route)) != srs_success) {
            return srs_error_wrap(err, "api handle %s", rt.pattern);
        }
    }
    mux_->set_not_found(std::make_shared<SrsApiNotFound>(&ctx_));
    return err;
}

srs_error_t SrsHttpApi::add_get_route(const std::string& pattern, std::function<void(nlohmann::ordered_json*)> fill) {
    auto fn = [fill](SrsHttpApiContext* ctx, ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string&) {
        nlohmann::ordered_json obj = ctx->envelope();
        fill(&obj);
        return srs_api_respond(w, r, obj);
    };
    return mux_->handle(pattern, std::make_shared<SrsApiRoute>(&ctx_, pattern, false, SrsApiGet, fn));
}
