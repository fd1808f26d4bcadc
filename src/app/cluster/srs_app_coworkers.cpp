#include <srs_app_coworkers.hpp>

#include <srs_app_config.hpp>
#include <srs_app_edge.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_http_client.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_protocol_http_url.hpp>
#include <srs_protocol_redis.hpp>
#include <srs_protocol_rtmp_request.hpp>

using json = nlohmann::ordered_json;

std::string srs_coworker_query_path(const std::string& vhost, const std::string& ip, const std::string& app,
                                    const std::string& stream, const std::string& coworker) {
    SrsHttpQuery q;
    q.add("vhost", vhost);
    q.add("ip", ip);
    q.add("app", app);
    q.add("stream", stream);
    q.add("coworker", coworker);
    return "/api/v1/clusters?" + q.encode();
}

srs_error_t srs_coworker_parse_answer(const std::string& body, std::string* origin) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return srs_error_new(ERROR_HTTP_DATA_INVALID, "coworker answer is not a JSON object");
    }
    if (!j.contains("code") || !j["code"].is_number_integer()) {
        return srs_error_new(ERROR_HTTP_DATA_INVALID, "coworker answer has no code");
    }
    int code = j["code"].get<int>();
    if (code != 0) {
        return srs_error_new(ERROR_SOURCE_NOT_FOUND, "coworker answered code %d", code);
    }
    const json* o = nullptr;
    if (j.contains("data") && j["data"].is_object() && j["data"].contains("origin")) {
        o = &j["data"]["origin"];
    }
    if (!o || !o->is_object()) {
        return srs_error_new(ERROR_SOURCE_NOT_FOUND, "coworker answer has no data.origin");
    }
    if (!o->contains("ip") || !(*o)["ip"].is_string() || !o->contains("port") || !(*o)["port"].is_number_integer()) {
        return srs_error_new(ERROR_HTTP_DATA_INVALID, "coworker data.origin needs ip and port");
    }
    std::string ip = (*o)["ip"].get<std::string>();
    int port = (*o)["port"].get<int>();
    if (ip.empty() || port <= 0 || port > 65535) {
        return srs_error_new(ERROR_HTTP_DATA_INVALID, "coworker origin %s:%d is invalid", ip.c_str(), port);
    }
    SrsEdgeOrigin eo;
    eo.host = ip;
    eo.port = port;
    *origin = eo.str();
    return srs_success;
}

json srs_coworker_answer(const std::string& vhost, const std::string& ip, const std::string& app,
                         const std::string& stream, const std::string& service_ip, int rtmp_port,
                         const std::string& api, const std::string& server_id) {
    json routers = json::array();
    if (!api.empty()) {
        routers.push_back(api);
    }
    return json{{"code", 0},
                {"server", server_id},
                {"data",
                 {{"query", {{"ip", ip}, {"vhost", vhost}, {"app", app}, {"stream", stream}}},
                  {"origin",
                   {{"ip", service_ip}, {"port", rtmp_port}, {"vhost", vhost}, {"api", api}, {"routers", routers}}}}}};
}

srs_error_t srs_coworkers_lookup(const std::vector<std::string>& coworkers, const std::string& vhost,
                                 const std::string& app, const std::string& stream, std::vector<std::string>* origins) {
    srs_error_t err = srs_success;
    origins->clear();
    for (const std::string& cw : coworkers) {
        SrsEdgeOrigin ep;
        if (!srs_edge_parse_origin(cw, &ep)) {
            srs_warn("coworkers: invalid coworker %s", cw.c_str());
            continue;
        }
        SrsHttpClient client;
        if ((err = client.initialize("http", ep.host, ep.port, SRS_COWORKER_TIMEOUT)) != srs_success) {
            srs_warn("coworkers: %s: %s", cw.c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            continue;
        }
        std::unique_ptr<SrsHttpMessage> resp;
        std::string body;
        if ((err = client.get(srs_coworker_query_path(vhost, "", app, stream, cw), "", &resp)) != srs_success ||
            (err = resp->body_read_all(&body)) != srs_success) {
            srs_warn("coworkers: ask %s for %s/%s/%s: %s", cw.c_str(), vhost.c_str(), app.c_str(), stream.c_str(),
                     srs_error_summary(err).c_str());
            srs_error_reset(err);
            continue;
        }
        std::string origin;
        if ((err = srs_coworker_parse_answer(body, &origin)) != srs_success) {
            if (srs_error_code(err) != ERROR_SOURCE_NOT_FOUND) {
                srs_warn("coworkers: answer of %s: %s", cw.c_str(), srs_error_summary(err).c_str());
            }
            srs_error_reset(err);
            continue;
        }
        srs_trace("coworkers: %s/%s/%s is published at %s (asked %s)", vhost.c_str(), app.c_str(), stream.c_str(),
                  origin.c_str(), cw.c_str());
        origins->push_back(origin);
    }
    return srs_success;
}

std::string srs_redis_stream_key(const std::string& vhost, const std::string& app, const std::string& stream) {
    return "srs:stream:" + srs_live_stream_url(vhost, app, stream);
}

namespace {

// A connection to the Redis server of the registry.
struct SrsRedisConn {
    SrsNetFd fd;
    std::unique_ptr<SrsStSocket> skt;
    std::unique_ptr<SrsRedisClient> client;

    srs_error_t open(const std::string& redis) {
        srs_error_t err = srs_success;
        SrsEdgeOrigin ep;
        if (!srs_edge_parse_origin(redis, &ep)) {
            return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "redis %s is not host:port", redis.c_str());
        }
        if (redis.find(':') == std::string::npos) {
            ep.port = 6379;
        }
        if ((err = srs_tcp_connect(ep.host, ep.port, SRS_REDIS_TIMEOUT, &fd)) != srs_success) {
            return srs_error_wrap(err, "redis connect %s", redis.c_str());
        }
        skt = std::make_unique<SrsStSocket>(fd);
        skt->set_recv_timeout(SRS_REDIS_TIMEOUT);
        skt->set_send_timeout(SRS_REDIS_TIMEOUT);
        client = std::make_unique<SrsRedisClient>(skt.get());
        return err;
    }
};

}  // namespace

srs_error_t srs_redis_registry_lookup(const std::string& redis, const std::string& vhost, const std::string& app,
                                      const std::string& stream, std::vector<std::string>* origins) {
    srs_error_t err = srs_success;
    origins->clear();
    SrsRedisConn c;
    if ((err = c.open(redis)) != srs_success) {
        return err;
    }
    SrsRedisReply r;
    std::string key = srs_redis_stream_key(vhost, app, stream);
    if ((err = c.client->command({"GET", key}, &r)) != srs_success) {
        return srs_error_wrap(err, "redis GET %s", key.c_str());
    }
    if (r.type == SrsRedisReply::Error) {
        return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis GET %s: %s", key.c_str(), r.str.c_str());
    }
    SrsEdgeOrigin o;
    if (r.type == SrsRedisReply::Bulk && srs_edge_parse_origin(r.str, &o)) {
        srs_trace("redis: %s is published at %s", key.c_str(), r.str.c_str());
        origins->push_back(o.str());
    }
    return err;
}

SrsRedisRegistration::SrsRedisRegistration(const std::string& redis, const std::string& key, const std::string& listen)
    : redis_(redis), key_(key), listen_(listen) {}

SrsRedisRegistration::~SrsRedisRegistration() {
    if (trd_) {
        trd_->stop();
    }
}

srs_error_t SrsRedisRegistration::start() {
    trd_ = std::make_unique<SrsCoroutine>("redis-registry", this);
    return trd_->start();
}

srs_error_t SrsRedisRegistration::set_once() {
    srs_error_t err = srs_success;
    SrsRedisConn c;
    if ((err = c.open(redis_)) != srs_success) {
        return err;
    }
    if (value_.empty()) {
        std::string ip;
        int port = 1935;
        srs_conf_parse_endpoint(listen_, &ip, &port);
        if (ip.empty() || ip == "0.0.0.0" || ip == "::") {
            // The address this host reaches Redis from: the other origins reach us there too.
            ip = srs_socket_local_ip(c.fd);
        }
        SrsEdgeOrigin o;
        o.host = ip.empty() ? "127.0.0.1" : ip;
        o.port = port;
        value_ = o.str();
    }
    SrsRedisReply r;
    if ((err = c.client->command({"SET", key_, value_, "EX", std::to_string(SRS_REDIS_TTL_SECONDS)}, &r)) !=
        srs_success) {
        return srs_error_wrap(err, "redis SET %s", key_.c_str());
    }
    if (r.type == SrsRedisReply::Error) {
        return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis SET %s: %s", key_.c_str(), r.str.c_str());
    }
    return err;
}

srs_error_t SrsRedisRegistration::cycle() {
    bool logged = false;
    while (trd_->pull() == srs_success) {
        srs_error_t err = set_once();
        if (err != srs_success) {
            srs_warn("redis: register %s at %s: %s", key_.c_str(), redis_.c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            logged = false;
        } else if (!logged) {
            srs_trace("redis: registered %s = %s at %s, ttl %d s", key_.c_str(), value_.c_str(), redis_.c_str(),
                      SRS_REDIS_TTL_SECONDS);
            logged = true;
        }
        srs_usleep(SRS_REDIS_REFRESH);
    }
    return srs_success;
}

void SrsRedisRegistration::stop() {
    if (!trd_) {
        return;
    }
    trd_->stop();
    trd_.reset();
    if (value_.empty()) {
        return;
    }
    // Only our own value goes: another origin may have taken the stream over meanwhile.
    SrsRedisConn c;
    SrsRedisReply r;
    srs_error_t err = c.open(redis_);
    if (err == srs_success && (err = c.client->command({"GET", key_}, &r)) == srs_success &&
        r.type == SrsRedisReply::Bulk && r.str == value_) {
        err = c.client->command({"DEL", key_}, &r);
    }
    if (err != srs_success) {
        srs_warn("redis: unregister %s: %s (it expires in %d s)", key_.c_str(), srs_error_summary(err).c_str(),
                 SRS_REDIS_TTL_SECONDS);
        srs_error_reset(err);
        return;
    }
    srs_trace("redis: unregistered %s", key_.c_str());
}

SrsClusterApi::SrsClusterApi(ConfigGetter config, SrsLiveSourceManager* sources, SrsEdgeServer* edge,
                             SrsStatistic* stat)
    : config_(std::move(config)), sources_(sources), edge_(edge), stat_(stat) {}

srs_error_t SrsClusterApi::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!r->is_get()) {
        w->header()->set("Allow", "GET");
        return srs_http_write_error(w, 405);
    }
    if (!r->query_get("stream").empty()) {
        return serve_query(w, r);
    }
    return serve_pulls(w, r);
}

namespace {

srs_error_t srs_cluster_write(ISrsHttpResponseWriter* w, const json& j) {
    return srs_http_write_response(w, 200, "application/json", j.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The host part of "host:port" or "[v6]:port".
std::string srs_cluster_host_of(const std::string& hostport) {
    SrsEdgeOrigin o;
    return srs_edge_parse_origin(hostport, &o) ? o.host : "";
}

}  // namespace

srs_error_t SrsClusterApi::serve_query(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    std::shared_ptr<SrsConfig> conf = config_();
    std::string server_id = stat_ ? stat_->server_id() : "";
    std::string asked = r->query_get("vhost");
    std::string app = r->query_get("app");
    std::string stream = r->query_get("stream");
    std::string coworker = r->query_get("coworker");
    std::string vhost = conf ? conf->resolve_vhost(asked.empty() ? SRS_DEFAULT_VHOST : asked) : "";

    // Only a stream published here counts: one this server pulls (as an edge, or from
    // another origin) would send the asker round in a circle.
    std::shared_ptr<SrsLiveSource> s =
        vhost.empty() ? nullptr : sources_->find(srs_live_stream_url(vhost, app, stream));
    bool here = s && s->publishing() && !dynamic_cast<SrsEdgeIngester*>(s->publisher());
    if (!here) {
        return srs_cluster_write(w, json{{"code", ERROR_SOURCE_NOT_FOUND}, {"server", server_id}});
    }

    // The RTMP port is the first listen endpoint's; the address is the one the asker reached
    // us at (behind a NAT the listen address means nothing to it).
    int port = 1935;
    std::string listen_ip;
    std::vector<std::string> listens = conf->get(srs_key::listen);
    if (!listens.empty()) {
        srs_conf_parse_endpoint(listens[0], &listen_ip, &port);
    }
    std::string ip = srs_cluster_host_of(coworker);
    if (ip.empty()) {
        ip = srs_cluster_host_of(r->host());
    }
    if (ip.empty()) {
        ip = (listen_ip.empty() || listen_ip == "0.0.0.0" || listen_ip == "::") ? "127.0.0.1" : listen_ip;
    }
    return srs_cluster_write(w, srs_coworker_answer(vhost, r->query_get("ip"), app, stream, ip, port,
                                                    coworker.empty() ? r->host() : coworker, server_id));
}

srs_error_t SrsClusterApi::serve_pulls(ISrsHttpResponseWriter* w, SrsHttpMessage*) {
    json pulls = json::array();
    srs_utime_t now = srs_update_system_time();
    for (SrsEdgeIngester* i : edge_->ingesters()) {
        SrsLiveSource* s = i->source();
        pulls.push_back(
            json{{"cid", i->cid()},
                 {"vhost", s->vhost()},
                 {"app", s->app()},
                 {"stream", s->stream()},
                 {"state", srs_edge_state_name(i->state())},
                 {"origin", i->origin()},
                 {"upstream",
                  {{"server_id", i->upstream_server_id()}, {"cid", i->upstream_cid()}, {"pid", i->upstream_pid()}}},
                 {"players", s->nb_consumers()},
                 {"switches", i->nb_switches()},
                 {"alive_ms", srsu2msi(now - i->start_time())}});
    }
    return srs_cluster_write(w, json{{"code", 0}, {"server", stat_ ? stat_->server_id() : ""}, {"pulls", pulls}});
}
