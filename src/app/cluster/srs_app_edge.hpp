// Edge pulls: an edge (vhost cluster mode remote) or an origin of an origin cluster pulls a
// stream that its players ask for from an upstream server over RTMP and feeds its own source
// hub, as a publisher would, so that RTMP, HTTP-FLV, HLS and the GOP cache serve it unchanged.
// One pull per stream, however many players; it ends a short while after the last player.
#pragma once

#include <srs_app_source.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;
class SrsLiveSourceManager;
class SrsEdgeServer;
class SrsRtmpClient;
class SrsPublishFeed;
class SrsForwarder;
class SrsForwardServer;
class SrsRedisRegistration;

// How long a pull outlives the last player of its stream.
#define SRS_EDGE_IDLE_TIMEOUT (3 * SRS_UTIME_SECONDS)
// An upstream that sends no media this long is given up for the next origin (it has not
// the stream, or stalled).
#define SRS_EDGE_MEDIA_TIMEOUT (5 * SRS_UTIME_SECONDS)
// The bound of the TCP connect and of each step of the RTMP handshake and commands.
#define SRS_EDGE_CONNECT_TIMEOUT (3 * SRS_UTIME_SECONDS)
// The pause after every origin failed once, before the next round.
#define SRS_EDGE_RETRY_INTERVAL (1 * SRS_UTIME_SECONDS)
// A publish pushed to an origin moves to the next origin after this many failed attempts.
#define SRS_EDGE_PUSH_ATTEMPTS 2

// An upstream server, "host[:port]" (port 1935 by default) or "[v6]:port".
struct SrsEdgeOrigin {
    std::string host;
    int port = 1935;
    std::string str() const;
};
// Parses an origin as written in cluster.origin; false when invalid.
bool srs_edge_parse_origin(const std::string& text, SrsEdgeOrigin* out);
// The tcUrl an edge connects with: rtmp://vhost:port/app, with the origin's host in place of
// __defaultVhost__ (so that the origin resolves the vhost as it would for a direct client).
std::string srs_edge_tc_url(const std::string& vhost, const SrsEdgeOrigin& origin, const std::string& app);

// The origins of a pull in their configured order, and which one to try now: the pull stays
// on an origin that works, moves to the next on a failure, and wraps around. A round is a
// failure of every origin in turn, after which the caller pauses.
class SrsEdgeOriginSelector {
public:
    // New origins (at start, on reload, or a coworker lookup); the current one is kept when
    // it is still listed, else the first is current.
    void set_origins(const std::vector<std::string>& origins);
    const std::vector<std::string>& origins() const { return origins_; }
    bool empty() const { return origins_.empty(); }
    // The origin to try now; empty when none.
    std::string current() const;
    int index() const { return index_; }
    // The current origin failed: move to the next. True when every origin failed since the
    // last success (a full round).
    bool on_failure();
    // The current origin serves the stream.
    void on_success() { failures_ = 0; }

private:
    std::vector<std::string> origins_;
    int index_ = 0;
    int failures_ = 0;
};

// Where a pull is, for the API.
enum class SrsEdgeState { Init, Connecting, Playing, Retrying, Stopped };
const char* srs_edge_state_name(SrsEdgeState s);

// One pull: a coroutine that connects to an origin, plays the stream and feeds the source.
// The source's publisher while its media flows (from the first message to the end, across
// origin switches, so players stay connected and see no unpublish).
class SrsEdgeIngester : public ISrsCoroutineHandler, public ISrsLivePublisher {
public:
    // The source owns the handler that owns this, so it outlives this.
    SrsEdgeIngester(SrsEdgeServer* server, SrsLiveSource* source);
    ~SrsEdgeIngester() override;
    SRS_DISALLOW_COPY(SrsEdgeIngester);

public:
    srs_error_t start();
    void stop();
    // Whether the coroutine ended (idle, kicked, or the vhost is no longer an edge).
    bool done() const { return done_; }
    SrsEdgeState state() const { return state_; }
    const std::string& cid() const { return cid_; }
    SrsLiveSource* source() const { return source_; }
    // The origin pulled from now (or last), and what it said about itself.
    const std::string& origin() const { return origin_; }
    const std::string& upstream_server_id() const { return upstream_server_id_; }
    const std::string& upstream_cid() const { return upstream_cid_; }
    int upstream_pid() const { return upstream_pid_; }
    int nb_switches() const { return nb_switches_; }
    srs_utime_t start_time() const { return start_time_; }

public:
    srs_error_t cycle() override;
    void on_publish_kicked() override;

private:
    // Pulls from one origin until it fails, idles out or the coroutine stops.
    srs_error_t pull(const std::string& origin);
    // One message from the origin: media and data into the source (publishing it at the first),
    // the origin's commands here.
    srs_error_t feed(SrsRtmpClient* rtmp, SrsPublishFeed* source_feed, const SrsMediaMessage& msg);
    // Whether no player was left for SRS_EDGE_IDLE_TIMEOUT (tracked across calls).
    bool idle_expired();
    // The origins of this stream now, from the config or the coworkers; false when the vhost
    // no longer pulls.
    bool resolve_origins(std::vector<std::string>* origins);

    SrsEdgeServer* server_;
    SrsLiveSource* source_;
    std::string cid_;
    std::unique_ptr<SrsCoroutine> trd_;
    SrsEdgeOriginSelector selector_;
    SrsEdgeState state_ = SrsEdgeState::Init;
    bool published_ = false;
    bool kicked_ = false;
    bool done_ = false;
    // The stream has a publisher of its own (not us): there is nothing to pull.
    bool stop_ = false;
    srs_utime_t idle_since_ = 0;
    srs_utime_t start_time_ = 0;
    std::string origin_;
    std::string upstream_server_id_;
    std::string upstream_cid_;
    int upstream_pid_ = 0;
    int nb_switches_ = 0;
};

// The edge module of one source: starts the pull when a player comes and the stream has
// no publisher; the pull ends by itself when idle and a later player starts a new one. A
// publisher on an edge is pushed to the origin (an SrsForwarder, moved to the next origin when
// it gives up on one).
class SrsEdgeHandler : public ISrsLiveSourceHandler {
public:
    SrsEdgeHandler(SrsEdgeServer* server, SrsLiveSource* source);
    ~SrsEdgeHandler() override;
    void on_player() override;
    srs_error_t on_publish() override;
    void on_unpublish() override;
    srs_error_t on_audio(const SrsMediaMessage& msg) override;
    srs_error_t on_video(const SrsMediaMessage& msg) override;
    SrsEdgeIngester* ingester() const { return ingester_.get(); }
    // The push of a local publisher to the origin, null when none.
    SrsForwarder* pusher() const { return pusher_.get(); }

private:
    // Pushes to the current origin of push_origins_.
    void start_push();
    // After the pusher gave up on an origin: the next one (from the publisher's coroutine).
    void check_push();

    SrsEdgeServer* server_;
    SrsLiveSource* source_;
    std::unique_ptr<SrsEdgeIngester> ingester_;
    std::unique_ptr<SrsForwarder> pusher_;
    // The publish's entry in the origin cluster's Redis registry.
    std::unique_ptr<SrsRedisRegistration> registration_;
    SrsEdgeOriginSelector push_origins_;
    std::string push_vhost_;
    std::string push_param_;
    int push_hops_ = 0;
    bool push_gave_up_ = false;
};

// What a vhost pulls, from its cluster section.
struct SrsEdgeVhostConfig {
    // remote (an edge) or local (an origin).
    bool edge = false;
    std::vector<std::string> origins;
    // The vhost asked of the origin (cluster.vhost), the vhost itself when empty.
    std::string upstream_vhost;
    bool token_traverse = false;
    bool debug_srs_upnode = true;
    // How the edge pulls (cluster.protocol); only rtmp is implemented, flv/flvs pull RTMP.
    std::string protocol = "rtmp";
    // An origin of an origin cluster: a stream it has not is looked up at the coworkers.
    bool origin_cluster = false;
    std::vector<std::string> coworkers;
    // The Redis registry of the origin cluster ("host:port"), empty when none.
    std::string redis;
    // Whether players of this vhost make it pull.
    bool pulls() const { return edge ? !origins.empty() : (origin_cluster && (!coworkers.empty() || !redis.empty())); }
};
SrsEdgeVhostConfig srs_edge_vhost_config_load(const SrsConfig& conf, const std::string& vhost);

// The edge feature of the server: a source handler factory, and the registry of running pulls
// for the API. The origin lookup of an origin cluster is a function (the coworkers module).
class SrsEdgeServer : public ISrsLiveSourceHandlerFactory {
public:
    using ConfigGetter = std::function<std::shared_ptr<SrsConfig>()>;
    // Asks the coworkers which of them publishes vhost/app/stream; answers "host:port" RTMP
    // endpoints of the holders (none when nobody has it).
    using CoworkerLookup = std::function<srs_error_t(const std::vector<std::string>& coworkers,
                                                     const std::string& vhost, const std::string& app,
                                                     const std::string& stream, std::vector<std::string>* origins)>;
    explicit SrsEdgeServer(ConfigGetter config);
    ~SrsEdgeServer() override;
    SRS_DISALLOW_COPY(SrsEdgeServer);

public:
    void set_coworker_lookup(CoworkerLookup fn) { lookup_ = std::move(fn); }
    // Where an edge's push to the origin goes to finish sending its queue after the unpublish
    // (not owned; may be null: the push then stops at once).
    void set_forward_server(SrsForwardServer* f) { forward_ = f; }
    SrsForwardServer* forward_server() const { return forward_; }
    std::shared_ptr<SrsConfig> config() const { return config_(); }
    srs_error_t lookup(const std::vector<std::string>& coworkers, const std::string& vhost, const std::string& app,
                       const std::string& stream, std::vector<std::string>* origins);
    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;
    // The pulls that exist now (running or just ended), for the API.
    const std::vector<SrsEdgeIngester*>& ingesters() const { return ingesters_; }
    void add_ingester(SrsEdgeIngester* i);
    void remove_ingester(SrsEdgeIngester* i);

private:
    ConfigGetter config_;
    CoworkerLookup lookup_;
    SrsForwardServer* forward_ = nullptr;
    std::vector<SrsEdgeIngester*> ingesters_;
};

// Checks a client's connect with the origin (token_traverse): connects to the first origin
// that answers with the client's tcUrl, pageUrl, swfUrl and connect arguments, and fails when
// the origin rejects it. Origins that cannot be reached are skipped.
class SrsRequest;
srs_error_t srs_edge_token_traverse(const std::vector<std::string>& origins, const SrsRequest& req);
// The connect check of an edge vhost with token_traverse on (nothing otherwise).
srs_error_t srs_edge_check_connect(const SrsConfig& conf, const SrsRequest& req);
