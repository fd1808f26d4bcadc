// One RTMP client connection: handshake, connect and vhost routing, then publishing into
// or playing from a live source, in its own coroutine.
#pragma once

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_conn.hpp>
#include <srs_app_front_end.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_source.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsRequest;
class SrsRtmpServer;
class SrsStSocket;
class SrsPublishFeed;

// The timeout of each blocking step before media flows, and of a send to a player that
// stopped reading (SRS_CONSTS_RTMP_TIMEOUT).
#define SRS_RTMP_TIMEOUT (30 * SRS_UTIME_SECONDS)
// How long a refused encoder may take to send its publish command, to read the refusal.
#define SRS_RTMP_REJECT_TIMEOUT (3 * SRS_UTIME_SECONDS)
// How long a publisher that sent FCUnpublish may take to send deleteStream and close.
#define SRS_RTMP_UNPUBLISH_LINGER (2 * SRS_UTIME_SECONDS)
// The most messages sent in one writev.
#define SRS_RTMP_MW_MAX_MSGS 256
// What a client may make us hold until its publish is accepted (and all along for a player,
// which sends only commands): the largest message, and all its partial messages together.
// A connect or play command is a few hundred bytes; without a bound, anyone able to open a
// TCP connection could make us allocate 16 MiB per chunk stream.
#define SRS_RTMP_UNTRUSTED_MAX_BYTES (1024 * 1024)
// A connection whose partial messages once held this much asks, when it ends, for the freed
// heap to go back to the system (see SrsConnectionManager::trim_heap_later).
#define SRS_RTMP_TRIM_AFTER_BYTES (256 * 1024)

// An accepted RTMP socket. Owned by the server's connection manager; when done it asks the
// manager to dispose of it. Publishes as ISrsLivePublisher, so a stale publisher can be
// forced off by the one taking over.
class SrsRtmpConn : public ISrsConnection, public ISrsCoroutineHandler, public ISrsLivePublisher {
public:
    SrsRtmpConn(ISrsFrontEndContext* server, SrsNetFd fd);
    ~SrsRtmpConn() override;
    SRS_DISALLOW_COPY(SrsRtmpConn);

public:
    srs_error_t start() override;
    const std::string& cid() const override { return cid_; }
    std::string remote_ip() const override { return ip_; }
    const char* desc() const override { return "RTMP"; }
    void expire() override;
    srs_error_t cycle() override;
    void on_publish_kicked() override;
    const SrsRequest* publish_request() const override { return req_.get(); }

private:
    srs_error_t do_cycle();
    srs_error_t connect_app(const SrsConfig& config);
    srs_error_t resolve_vhost(const SrsConfig& config, bool on_connect);
    srs_error_t service(const std::shared_ptr<SrsConfig>& config);
    // The vhost's tcp_nodelay, for the media phase.
    void apply_nodelay(const SrsConfig& config);
    void apply_nodelay(bool v);

    // Publish.
    // lease: the admitted publish, released (on_unpublish) when the publish ends.
    srs_error_t publishing(const std::shared_ptr<SrsConfig>& config, int type, SrsClientLease* lease);
    srs_error_t acquire_publish(const SrsConfig& config, SrsLiveSource* source);
    srs_error_t do_publishing(const SrsConfig& config, SrsLiveSource* source);
    srs_error_t handle_publish_message(SrsPublishFeed* feed, const SrsMediaMessage& msg, bool* done);
    // After FCUnpublish an encoder still sends deleteStream before it closes (ffmpeg, OBS):
    // closing at once fails that write on its side ("Broken pipe"). Reads until deleteStream,
    // the client's close, or SRS_RTMP_UNPUBLISH_LINGER.
    void linger_after_unpublish();

    // Play.
    // lease: the admitted play, released (on_stop) when the play ends.
    srs_error_t playing(const std::shared_ptr<SrsConfig>& config, SrsClientLease* lease);
    // Feeds the player through the live play loop, with this connection as its sink.
    srs_error_t do_playing(SrsLiveSource* source, SrsLiveConsumer* consumer);
    // The RTMP sink of the play loop (srs_app_rtmp_conn.cpp): chunks and writes a batch, and
    // reads the player's commands (pause, receiveAudio/Video, closeStream) between sends.
    class PlaySink;

    // Admission by the server's lifecycle: how this client describes itself to the hooks, and
    // the admission of a publish or play, which answers the client with onStatus error when
    // the lifecycle refuses it.
    SrsHookRequest hook_request() const;
    srs_error_t check_access(const SrsConfig& config, int client_type, SrsClientLease* lease);

private:
    ISrsFrontEndContext* server_;
    SrsNetFd fd_;
    std::string ip_;
    int port_;
    std::string cid_;
    srs_utime_t start_time_;
    std::unique_ptr<SrsStSocket> skt_;
    std::unique_ptr<SrsRtmpServer> rtmp_;
    std::unique_ptr<SrsRequest> req_;
    std::unique_ptr<SrsCoroutine> trd_;
    // The stream id our createStream answers with.
    int stream_id_ = 1;
    bool kicked_ = false;
    // The publisher ended with FCUnpublish.
    bool fc_unpublished_ = false;
    bool expired_ = false;
    std::string stage_ = "init";
    // Held once connect was admitted: on_close and leaving the statistics when it goes.
    SrsClientLease conn_lease_;
};
