// HTTP live remux (vhost http_remux): a GET on a stream's mount plays it as a live FLV,
// MPEG-TS, AAC (ADTS), MP3 or fragmented MP4 body, fed by a consumer of the live source exactly like an RTMP
// player (queue, merged write, slow-client drops). The mount is registered when the stream
// publishes; a request before that waits for the publisher (SRS's hstrs).
#pragma once

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_consumer.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_core_time.hpp>
#include <srs_protocol_http_mux.hpp>

#include <map>
#include <memory>
#include <string>

class SrsConfig;
class SrsLiveSource;
class SrsLiveSourceManager;
class SrsStatistic;
class SrsTsStreamCache;

// The body a mount serves, from its extension.
enum class SrsLiveStreamKind {
    Flv,
    Ts,
    Aac,
    Mp3,
    // Fragmented MP4 (srs_app_http_mp4.hpp).
    Mp4,
};

// ".flv", ".ts", ".aac", ".mp3", ".mp4" (any case); false for anything else.
bool srs_live_stream_kind_from_ext(const std::string& ext, SrsLiveStreamKind* kind);
// "video/x-flv", "video/MP2T", "audio/aac", "audio/mpeg", "video/mp4".
const char* srs_live_stream_content_type(SrsLiveStreamKind kind);
// "flv-play", "ts-play", "aac-play", "mp3-play", "mp4-play".
const char* srs_live_stream_client_type(SrsLiveStreamKind kind);

// The http_remux section of a vhost.
struct SrsHttpRemuxConfig {
    bool enabled = false;
    std::string mount = "[vhost]/[app]/[stream].flv";
    bool has_audio = true;
    bool has_video = true;
    // Clear the FLV header's audio/video flags of a stream that has no such track yet.
    bool guess_has_av = true;
    // .mp4 mounts: the longest a fragment holds without a keyframe (0: one per GOP).
    srs_utime_t mp4_fragment = 500 * SRS_UTIME_MILLISECONDS;
};
SrsHttpRemuxConfig srs_http_remux_config_load(const SrsConfig& conf, const std::string& vhost);

// The mux pattern of a stream's mount: [vhost] [app] [stream] replaced, where [vhost] of the
// default vhost is dropped ("/live/s.flv") and a named vhost becomes a host pattern
// ("v.com/live/s.flv"). Always a "/path" or "host/path".
std::string srs_http_remux_mount_pattern(const std::string& mount, const std::string& vhost, const std::string& app,
                                         const std::string& stream);
// The app and stream of a request path under a mount template, for requests that come before
// the stream publishes. vhost resolves [vhost] as above; false when the path does not fit.
bool srs_http_remux_match(const std::string& mount, const std::string& vhost, const std::string& host,
                          const std::string& path, std::string* app, std::string* stream);

// How a player is fed, from the vhost's play section (as for RTMP players).
SrsLiveConsumerConfig srs_http_stream_consumer_config(const SrsConfig& conf, const std::string& vhost);

class SrsHttpStreamServer;

// The source handler that mounts a stream, told when a reload moved the running stream's mount.
class ISrsHttpStreamMountee {
public:
    virtual ~ISrsHttpStreamMountee() = default;
    virtual void on_remount(SrsLiveSource* source) = 0;
    // The stream server is going away before the source: forget it.
    virtual void detach() = 0;
};

// One mount: serves each GET as a live player of the stream until the client leaves, the
// stream unpublishes, or the connection is kicked.
class SrsLiveStreamHandler : public ISrsHttpHandler {
public:
    SrsLiveStreamHandler(SrsHttpStreamServer* server, const std::string& vhost, const std::string& app,
                         const std::string& stream, SrsLiveStreamKind kind);
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;
    SrsLiveStreamKind kind() const { return kind_; }
    const std::string& url() const { return url_; }

private:
    // The player's set-up: admission (security, refer, on_play), the source, the consumer, the
    // statistics; answers HEAD, refusals and errors itself (*answered). Kept out of
    // serve_http's frame (noinline): its temporaries are gone before the play loop runs, so
    // the loop runs nearer the top of the coroutine's stack, in fewer pages per player.
    srs_error_t start_player(ISrsHttpResponseWriter* w, SrsHttpMessage* r, SrsClientLease* lease,
                             std::shared_ptr<SrsLiveSource>* source, std::unique_ptr<SrsLiveConsumer>* consumer,
                             bool* answered);
    srs_error_t do_serve(ISrsHttpResponseWriter* w, SrsHttpMessage* r, SrsLiveConsumer* consumer,
                         SrsLiveSource* source);
    // Whether the body announces audio and video (http_remux has_audio, has_video, guess_has_av);
    // noinline, as start_player.
    void body_tracks(SrsLiveSource* source, bool* has_audio, bool* has_video);

private:
    SrsHttpStreamServer* server_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
    SrsLiveStreamKind kind_;
};

// The HTTP live streams of the server: mounts streams into the HTTP server's mux as they
// publish (a source handler factory) and catches requests for streams not yet published (a
// hijacker of the mux).
class SrsHttpStreamServer : public ISrsLiveSourceHandlerFactory, public ISrsHttpMatchHijacker {
public:
    // Neither is owned; both outlive this object.
    SrsHttpStreamServer(SrsLiveSourceManager* sources, SrsHttpServeMux* mux);
    ~SrsHttpStreamServer() override;
    SRS_DISALLOW_COPY(SrsHttpStreamServer);

public:
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    std::shared_ptr<const SrsConfig> config() const { return config_; }
    // Players show up in the stats as clients; may be null.
    void set_stat(SrsStatistic* stat) { stat_ = stat; }
    SrsStatistic* stat() const { return stat_; }
    SrsLiveSourceManager* sources() const { return sources_; }
    // Admits the players (and the HLS sessions) with the config and statistics above.
    SrsClientLifecycle* lifecycle() { return &lifecycle_; }
    const SrsClientLifecycle* lifecycle() const { return &lifecycle_; }
    // How long a player may wait for data (no publisher, or a stalled one) before the response
    // ends; 0 waits forever (SRS's behaviour).
    void set_idle_timeout(srs_utime_t v) { idle_timeout_ = v; }
    srs_utime_t idle_timeout() const { return idle_timeout_; }

    // Mounts and unmounts a stream (by the source handler).
    srs_error_t mount(const std::string& vhost, const std::string& app, const std::string& stream);
    void unmount(const std::string& vhost, const std::string& app, const std::string& stream);
    // The pattern a stream is mounted at, empty when not mounted.
    std::string mounted(const std::string& url) const;
    // Applies a reload of the vhost's http_remux (set_config first): publishing streams are
    // mounted at the new mount (or unmounted when disabled), and players of a mount that went
    // away are disconnected. Returns how many players were disconnected.
    int remount(const std::string& vhost);
    // The source handlers register here, for remount().
    void add_mountee(const std::string& url, ISrsHttpStreamMountee* h);
    void remove_mountee(const std::string& url, ISrsHttpStreamMountee* h);
    // The shared TS of a stream mounted as .ts, null otherwise.
    std::shared_ptr<SrsTsStreamCache> ts_cache(const std::string& url) const;
    int nb_players() const { return nb_players_; }

    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;
    srs_error_t hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) override;

private:
    friend class SrsLiveStreamHandler;
    SrsLiveSourceManager* sources_;
    SrsHttpServeMux* mux_;
    std::shared_ptr<const SrsConfig> config_;
    SrsStatistic* stat_ = nullptr;
    SrsClientLifecycle lifecycle_;
    srs_utime_t idle_timeout_ = 0;
    // Stream url -> mux pattern.
    std::map<std::string, std::string> mounts_;
    // The players being served, with the mount template they came by, for remount().
    struct Player {
        std::string vhost;
        std::string mount;
    };
    std::map<SrsLiveConsumer*, Player> players_;
    // Each source's mounting handler by stream url (each removes itself), for remount().
    std::map<std::string, ISrsHttpStreamMountee*> mountees_;
    // Stream url -> its shared TS, for the streams mounted as .ts.
    std::map<std::string, std::shared_ptr<SrsTsStreamCache>> ts_caches_;
    int nb_players_ = 0;
};
