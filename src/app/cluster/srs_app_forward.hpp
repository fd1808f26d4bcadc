// The forward feature: pushes every stream published here, as is, to other RTMP servers (vhost
// `forward { enabled on; destination host:port...; backend URL; }`), one forwarder coroutine per
// destination with its own bounded queue, retried with backoff. SrsForwarder alone pushes one
// source to one RTMP URL (also used by an edge to push a publish to its origin). See doc/cluster.md.
#pragma once

#include <srs_app_consumer.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;
class SrsRequest;
class SrsStatistic;

// The connect argument (in the connect command's optional arguments object, RTMP spec 7.2.1.1)
// that tells a destination how many forwards a stream went through, for loop safety.
#define SRS_FORWARD_HOPS_ARG "srs_forward_hops"
// A stream that arrived through this many forwards is not forwarded again.
#define SRS_FORWARD_MAX_HOPS 4
// Retries start after 1 s and double up to 10 s.
#define SRS_FORWARD_BACKOFF_MIN (1 * SRS_UTIME_SECONDS)
#define SRS_FORWARD_BACKOFF_MAX (10 * SRS_UTIME_SECONDS)
// A session that lasted this long resets the backoff: the next failure retries quickly again.
#define SRS_FORWARD_BACKOFF_RESET (10 * SRS_UTIME_SECONDS)
// How long a forwarder may take to send its queue after its source unpublished.
#define SRS_FORWARD_FINISH_TIMEOUT (3 * SRS_UTIME_SECONDS)
// Bounds each connect, handshake, command answer and write to a destination.
#define SRS_FORWARD_TIMEOUT (5 * SRS_UTIME_SECONDS)
// A forwarder's queue: a destination that is this far behind loses old media (down to a
// keyframe, as a slow player does), it never slows the source.
#define SRS_FORWARD_QUEUE_LENGTH (10 * SRS_UTIME_SECONDS)
// How often a forwarder reads what its destination sent (acks, an onStatus error, a close).
#define SRS_FORWARD_READ_INTERVAL (500 * SRS_UTIME_MILLISECONDS)
// The chunk size sent to destinations, as SRS's forwarder uses.
#define SRS_FORWARD_CHUNK_SIZE 60000

// The forward section of a vhost.
struct SrsForwardConfig {
    bool enabled = false;
    // host[:port] of each destination.
    std::vector<std::string> destinations;
    // An HTTP API asked at each publish for more destination URLs (SRS 5 dynamic forward).
    std::string backend;
    // The timeout of the backend call (http_hooks.timeout of the vhost).
    srs_utime_t backend_timeout = 30 * SRS_UTIME_SECONDS;
};

// The forward section of a vhost from a config snapshot.
SrsForwardConfig srs_forward_config_load(const SrsConfig& conf, const std::string& vhost);

// Where a stream goes on a destination host[:port]: tc_url "rtmp://host:port/app" and the stream
// name with the query (the publisher's param, and vhost=... when the vhost is not the default,
// so that the destination files it under the same vhost, as SRS does). Fails on a bad host:port.
srs_error_t srs_forward_destination_url(const std::string& destination, const std::string& vhost,
                                        const std::string& app, const std::string& stream, const std::string& param,
                                        std::string* tc_url, std::string* stream_with_query);

// The urls of a backend answer {"code":0,"data":{"urls":["rtmp://..."]}} (SRS 5 dynamic forward).
// A non-zero code or a malformed body fails; an empty list is a valid "forward nowhere".
srs_error_t srs_forward_parse_backend_response(int status, const std::string& body, std::vector<std::string>* urls);

// The wait before retry number attempt (1 for the first retry): min doubling up to max.
srs_utime_t srs_forward_backoff(int attempt, srs_utime_t min = SRS_FORWARD_BACKOFF_MIN,
                                srs_utime_t max = SRS_FORWARD_BACKOFF_MAX);

// How many forwards the publish of req went through (its connect args), 0 for a plain publisher.
int srs_forward_hops_of(const SrsRequest* req);

// What a forwarder does beyond its source and destination.
struct SrsForwarderOptions {
    // The queue (a consumer of the source): bounded duration, no timestamp correction by
    // default so the destination gets the publisher's timestamps.
    SrsLiveConsumerConfig consumer;
    srs_utime_t timeout = SRS_FORWARD_TIMEOUT;
    srs_utime_t backoff_min = SRS_FORWARD_BACKOFF_MIN;
    srs_utime_t backoff_max = SRS_FORWARD_BACKOFF_MAX;
    // Failed attempts in a row before giving up; 0 retries for as long as it runs.
    int max_attempts = 0;
    // Sent in the connect args (SRS_FORWARD_HOPS_ARG); 0 sends nothing.
    int hops = 0;
    // The context id of the coroutine; empty makes a new one.
    std::string cid;

    SrsForwarderOptions();
};

// The state of a forwarder, for logs and the API.
enum class SrsForwarderState { Idle, Connecting, Forwarding, Backoff, GaveUp };
const char* srs_forwarder_state_name(SrsForwarderState s);

// Pushes one live source to one RTMP URL: connects, publishes (FMLE style), sends the metadata
// and sequence headers (and the GOP cache) first, then the live messages from its own bounded
// queue. A failure is logged once per attempt with the destination and retried with backoff; the
// source never waits for it. Runs in its own coroutine between start() and stop().
class SrsForwarder : public ISrsCoroutineHandler {
public:
    // tc_url "rtmp://host[:port]/app[?query]", stream the name published there (query allowed).
    SrsForwarder(std::shared_ptr<SrsLiveSource> source, const std::string& tc_url, const std::string& stream,
                 const SrsForwarderOptions& options = SrsForwarderOptions());
    ~SrsForwarder() override;
    SRS_DISALLOW_COPY(SrsForwarder);

public:
    // Starts the coroutine.
    srs_error_t start();
    // Interrupts and waits for the coroutine; the destination sees the connection close.
    void stop();
    // Ends gracefully, without waiting: the messages already queued are sent, then FCUnpublish
    // and deleteStream, and the coroutine ends by itself (at once when it is connecting or waiting
    // to retry). stop() or the destructor frees it then.
    void finish();
    bool finished() const { return trd_ && !trd_->running(); }
    // Called (from the forwarder's coroutine) when it gave up after max_attempts, with the last
    // error. The coroutine ends right after; the callback must not stop() or free the forwarder
    // (it may kick a publisher, or flag the forwarder for its owner to free later).
    void set_on_give_up(std::function<void(const std::string& reason)> f) { on_give_up_ = std::move(f); }

public:
    // "rtmp://host:port/app/stream?query".
    std::string url() const;
    const std::string& cid() const { return cid_; }
    SrsForwarderState state() const { return state_; }
    // Sessions that published successfully, failed attempts in a row, messages sent in total.
    int64_t nb_sessions() const { return nb_sessions_; }
    int nb_failures() const { return failures_; }
    int64_t nb_msgs() const { return nb_msgs_; }
    int64_t nb_dropped() const;
    const std::string& last_error() const { return last_error_; }

public:
    srs_error_t cycle() override;

private:
    // One connection: publish, then forward until an error or stop.
    srs_error_t forward_once();
    // The play loop's sink of a session (srs_app_forward.cpp).
    class ForwardSink;

private:
    std::shared_ptr<SrsLiveSource> source_;
    std::string tc_url_;
    std::string stream_;
    SrsForwarderOptions options_;
    std::string cid_;
    std::unique_ptr<SrsCoroutine> trd_;
    std::function<void(const std::string&)> on_give_up_;
    SrsForwarderState state_ = SrsForwarderState::Idle;
    // The queue of the current session; null between sessions.
    std::unique_ptr<SrsLiveConsumer> consumer_;
    int64_t nb_sessions_ = 0;
    int failures_ = 0;
    int64_t nb_msgs_ = 0;
    int64_t nb_dropped_ = 0;
    std::string last_error_;
    bool finish_ = false;
};

class SrsForwardSourceHandler;

// The forward feature of all streams. Registered with SrsLiveSourceManager as a handler factory:
// every source gets a handler, which reads the forward section at each publish (so a reload
// applies at the next publish).
class SrsForwardServer : public ISrsLiveSourceHandlerFactory {
public:
    SrsForwardServer();
    ~SrsForwardServer() override;
    SRS_DISALLOW_COPY(SrsForwardServer);

public:
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    std::shared_ptr<const SrsConfig> config() const { return config_; }
    // For the backend body's server_id and stream_id; may be null.
    void set_stat(SrsStatistic* stat) { stat_ = stat; }
    SrsStatistic* stat() const { return stat_; }
    // Overrides the config file, for tests: every vhost gets this forward section.
    void set_fixed_config(const SrsForwardConfig& c) {
        fixed_ = c;
        has_fixed_ = true;
    }
    SrsForwardConfig config_of(const std::string& vhost) const;

    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

public:
    // The running forwarders (registered by the handlers), for the API.
    const std::vector<SrsForwarder*>& forwarders() const { return forwarders_; }
    // The forwarders of a stream url ("vhost/app/stream" as SrsLiveSource::url()).
    std::vector<SrsForwarder*> forwarders_of(const std::string& source_url) const;
    void on_forwarder_start(SrsForwarder* f, const std::string& source_url);
    void on_forwarder_stop(SrsForwarder* f);
    // Keeps a finishing forwarder (its source unpublished) until it ended or deadline passed;
    // frees the ones that are done.
    void retire(std::unique_ptr<SrsForwarder> f, srs_utime_t deadline);
    // Frees the retired forwarders that ended, and stops those past their deadline.
    void reap();
    int nb_retired() const { return (int)retired_.size(); }
    // The running forwarders for /api/v1/forwards: {"forwards":[{"id","source","url","state",...}]}.
    void dumps(nlohmann::ordered_json* obj) const;

private:
    std::shared_ptr<const SrsConfig> config_;
    SrsStatistic* stat_ = nullptr;
    SrsForwardConfig fixed_;
    bool has_fixed_ = false;
    std::vector<SrsForwarder*> forwarders_;
    std::vector<std::string> forwarder_urls_;
    struct Retired {
        std::unique_ptr<SrsForwarder> forwarder;
        srs_utime_t deadline;
    };
    std::vector<Retired> retired_;
};

// Forwards one source: at each publish, when forward is enabled for its vhost and the stream did
// not already go through SRS_FORWARD_MAX_HOPS forwards, starts a forwarder per destination, and
// asks the backend (from a coroutine, so the publish never waits) for more. At unpublish they
// send what they queued and end (the server keeps them meanwhile); the publish never waits.
class SrsForwardSourceHandler : public ISrsLiveSourceHandler, public ISrsCoroutineHandler {
public:
    SrsForwardSourceHandler(SrsForwardServer* server, SrsLiveSource* source);
    ~SrsForwardSourceHandler() override;
    SRS_DISALLOW_COPY(SrsForwardSourceHandler);

public:
    srs_error_t on_publish() override;
    void on_unpublish() override;
    // The backend call.
    srs_error_t cycle() override;
    int nb_forwarders() const { return (int)forwarders_.size(); }

private:
    // Stops the forwarders; with graceful, those publishing finish sending their queue first
    // (the server keeps them meanwhile).
    void stop_all(bool graceful = false);
    // Starts a forwarder to an rtmp:// URL (from the backend) or tc_url + stream.
    void start_forwarder(const std::string& tc_url, const std::string& stream);

private:
    SrsForwardServer* server_;
    SrsLiveSource* source_;
    SrsForwardConfig config_;
    // Of the publish being forwarded.
    int hops_ = 0;
    std::string param_;
    std::string backend_body_;
    std::unique_ptr<SrsCoroutine> backend_;
    std::vector<std::unique_ptr<SrsForwarder>> forwarders_;
    // Bumped at each stop_all(): a backend answer for an older publish is dropped.
    int64_t generation_ = 0;
    int64_t backend_generation_ = 0;
};
