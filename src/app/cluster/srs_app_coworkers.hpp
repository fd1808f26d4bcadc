// The origin cluster (SRS's coworkers mode) and the cluster API: each origin answers
// GET /api/v1/clusters?vhost=&ip=&app=&stream=&coworker= with where the stream is published
// (when it is published here), and an origin asked for a stream it has not asks its
// coworkers the same and pulls from the holder (see SrsEdgeIngester). Without a stream the
// same URL lists this server's pulls (edge state).
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_http_mux.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsEdgeServer;
class SrsLiveSourceManager;
class SrsStatistic;

// How long a coworker has to answer a lookup.
#define SRS_COWORKER_TIMEOUT (2 * SRS_UTIME_SECONDS)

// The request-target of a lookup at a coworker (its HTTP API endpoint, "host:port"), which
// the coworker echoes so that it answers with the address it was reached at.
std::string srs_coworker_query_path(const std::string& vhost, const std::string& ip, const std::string& app,
                                    const std::string& stream, const std::string& coworker);
// Parses a coworker's answer: the holder's RTMP endpoint "ip:port" when code is 0 and
// data.origin is given; ERROR_SOURCE_NOT_FOUND when the coworker has not the stream.
srs_error_t srs_coworker_parse_answer(const std::string& body, std::string* origin);
// The answer of an origin that publishes the stream: code 0 and data.query/data.origin as SRS
// answers them. service_ip is the address to give (the coworker host it was asked at, when
// known), rtmp_port its RTMP port, api its HTTP API endpoint.
nlohmann::ordered_json srs_coworker_answer(const std::string& vhost, const std::string& ip, const std::string& app,
                                           const std::string& stream, const std::string& service_ip, int rtmp_port,
                                           const std::string& api, const std::string& server_id);
// Asks each coworker in turn; origins receives the holders' RTMP endpoints (usually one).
// An unreachable or failing coworker is skipped (logged).
srs_error_t srs_coworkers_lookup(const std::vector<std::string>& coworkers, const std::string& vhost,
                                 const std::string& app, const std::string& stream, std::vector<std::string>* origins);

// The Redis registry of an origin cluster: key srs:stream:<vhost>/<app>/<stream>, value the
// RTMP endpoint "ip:port" of the origin that publishes it, set with a TTL and refreshed while
// the publish lasts, so an origin that dies leaves the registry within SRS_REDIS_TTL.
#define SRS_REDIS_TTL_SECONDS 30
#define SRS_REDIS_REFRESH (10 * SRS_UTIME_SECONDS)
#define SRS_REDIS_TIMEOUT (1 * SRS_UTIME_SECONDS)
std::string srs_redis_stream_key(const std::string& vhost, const std::string& app, const std::string& stream);
// The holder of a stream in the registry at redis ("host:port"); none when absent.
srs_error_t srs_redis_registry_lookup(const std::string& redis, const std::string& vhost, const std::string& app,
                                      const std::string& stream, std::vector<std::string>* origins);

// Registers one publish in the Redis registry from its own coroutine (SET ... EX, refreshed),
// and removes it at stop (DEL, when the key is still ours).
class SrsRedisRegistration : public ISrsCoroutineHandler {
public:
    // listen: the RTMP listen endpoint ("port", "ip:port"): its port is advertised, with its ip
    // when it is a specific address, else the local address of the connection to Redis.
    SrsRedisRegistration(const std::string& redis, const std::string& key, const std::string& listen);
    ~SrsRedisRegistration() override;
    SRS_DISALLOW_COPY(SrsRedisRegistration);

public:
    srs_error_t start();
    // Stops refreshing and deletes the key (bounded by SRS_REDIS_TIMEOUT).
    void stop();
    srs_error_t cycle() override;
    const std::string& value() const { return value_; }

private:
    srs_error_t set_once();
    std::string redis_;
    std::string key_;
    std::string listen_;
    std::string value_;
    std::unique_ptr<SrsCoroutine> trd_;
};

// GET /api/v1/clusters: the coworker answer when a stream is asked, else the list of pulls.
class SrsClusterApi : public ISrsHttpHandler {
public:
    using ConfigGetter = std::function<std::shared_ptr<SrsConfig>()>;
    // None is owned; all outlive this.
    SrsClusterApi(ConfigGetter config, SrsLiveSourceManager* sources, SrsEdgeServer* edge, SrsStatistic* stat);
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    srs_error_t serve_query(ISrsHttpResponseWriter* w, SrsHttpMessage* r);
    srs_error_t serve_pulls(ISrsHttpResponseWriter* w, SrsHttpMessage* r);
    ConfigGetter config_;
    SrsLiveSourceManager* sources_;
    SrsEdgeServer* edge_;
    SrsStatistic* stat_;
};
