// The live source hub: one per stream (vhost/app/stream), one publisher feeding any number
// of consumers and feature handlers; and the manager that creates and frees sources.
#pragma once

#include <srs_app_consumer.hpp>
#include <srs_app_gop_cache.hpp>
#include <srs_app_jitter.hpp>
#include <srs_app_source_handler.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>
#include <srs_kernel_message.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsFormat;

// The source's settings, from the vhost's play section.
struct SrsLiveSourceConfig {
    bool gop_cache = true;
    int gop_cache_max_frames = SRS_GOP_DEFAULT_MAX_FRAMES;
    // Interleave audio and video by timestamp before the fan-out.
    bool mix_correct = false;
};

// What is known of the stream's codecs, for stats and the API: from the sequence headers
// (parsed by SrsFormat), or the FLV tag header for codecs without one.
struct SrsLiveCodecInfo {
    // SrsVideoCodecId / SrsAudioCodecId (FLV ids; enhanced RTMP FourCCs map to 12 HEVC,
    // 13 AV1, 14 VP9), 0 when unknown.
    int video_codec_id = 0;
    int audio_codec_id = 0;
    // AVCProfileIndication / general_profile_idc and the level as coded.
    int video_profile = 0;
    int video_level = 0;
    int width = 0;
    int height = 0;
    // AAC object type, and the sample rate and channels of any codec when known.
    int aac_object = 0;
    int sample_rate = 0;
    int channels = 0;
};

// Builds the stream url key "vhost/app/stream".
std::string srs_live_stream_url(const std::string& vhost, const std::string& app, const std::string& stream);

// One live stream. Always held by shared_ptr (the manager, each consumer, and each
// connection using it), so it lives as long as anyone uses it.
class SrsLiveSource : public std::enable_shared_from_this<SrsLiveSource> {
public:
    SrsLiveSource(const std::string& vhost, const std::string& app, const std::string& stream);
    ~SrsLiveSource();
    SRS_DISALLOW_COPY(SrsLiveSource);

public:
    const std::string& url() const { return url_; }
    const std::string& vhost() const { return vhost_; }
    const std::string& app() const { return app_; }
    const std::string& stream() const { return stream_; }
    // Applies the settings (at creation and on reload).
    void update_config(const SrsLiveSourceConfig& config);
    const SrsLiveSourceConfig& config() const { return config_; }
    // Adds a feature handler; called by the manager when the source is created.
    void add_handler(std::unique_ptr<ISrsLiveSourceHandler> handler);
    int nb_handlers() const { return (int)handlers_.size(); }

public:
    // Whether nobody publishes now.
    bool can_publish() const { return publisher_ == nullptr; }
    bool publishing() const { return publisher_ != nullptr; }
    ISrsLivePublisher* publisher() const { return publisher_; }
    // Starts a publish; fails with ERROR_SYSTEM_STREAM_BUSY when a publisher exists, or when
    // a handler refuses it.
    srs_error_t on_publish(ISrsLivePublisher* publisher);
    // Ends the publish of this publisher; ignored when it is no longer the publisher (it
    // was kicked). Players are told and kept for a republish.
    void on_unpublish(ISrsLivePublisher* publisher);
    // How long the publisher has sent no audio or video (since its publish started when
    // it sent none); 0 when nobody publishes.
    srs_utime_t publisher_silence() const;
    // Whether a publisher exists and has been silent longer than threshold: a new
    // publisher may then take the stream over (an encoder reconnecting while its dead
    // connection is still held).
    bool publisher_is_stale(srs_utime_t threshold) const;
    // Forces the current publisher off: unpublishes it and tells it to close. The reason is
    // kept for the publisher's close log (kick_reason()).
    void kick_publisher(const std::string& reason = "stale publisher replaced by a new one");
    const std::string& kick_reason() const { return kick_reason_; }
    // When the current publish started (system time), 0 when nobody publishes.
    srs_utime_t publish_time() const { return publish_time_; }

public:
    // The publisher's messages. Fan out to every consumer (a header copy each, no payload
    // copy), then to the handlers. Fail when nobody publishes.
    srs_error_t on_audio(const SrsMediaMessage& msg);
    srs_error_t on_video(const SrsMediaMessage& msg);
    // onMetaData (already converted from @setDataFrame by the connection).
    srs_error_t on_meta_data(const SrsMediaMessage& msg);
    // An RTMP aggregate message (type 22): FLV tags back to back, each fed as audio,
    // video or metadata with its time rebased on the aggregate's (RTMP spec 7.1.6).
    srs_error_t on_aggregate(const SrsMediaMessage& msg);

public:
    // A new player. The consumer holds this source alive and detaches on destruction.
    srs_error_t create_consumer(const SrsLiveConsumerConfig& config, std::unique_ptr<SrsLiveConsumer>* out);
    // Gives a consumer the start of the stream: metadata, sequence headers, then the GOP
    // cache (starting at a keyframe).
    void consumer_dumps(SrsLiveConsumer* consumer, bool dump_seq_headers = true, bool dump_meta = true,
                        bool dump_gop = true);
    int nb_consumers() const { return (int)consumers_.size(); }
    // New settings for every player of the stream (a reload of its vhost); each player's
    // send loop picks them up at its next wake-up.
    void update_consumers(const SrsLiveConsumerConfig& config);
    // Asks every player to end (see SrsLiveConsumer::expire); returns how many.
    int expire_consumers(const std::string& reason);
    // Called by ~SrsLiveConsumer.
    void on_consumer_destroy(SrsLiveConsumer* consumer);
    // The messages and events every consumer reads at its own cursor.
    const SrsLiveFanout& fanout() const { return fanout_; }
    // Whether something calls tick() regularly (the manager's sweeper), so players may wait
    // on the source instead of a timer of their own.
    bool ticked() const { return ticked_; }
    void set_ticked(bool v) { ticked_ = v; }
    // A waiting player: wake it at the first message or tick at or after deadline. Once; the
    // consumer asks only when it has not asked yet.
    void wake_later(SrsLiveConsumer* consumer, srs_utime_t deadline);
    // Wakes the players whose deadline passed, when the stream is silent.
    void tick(srs_utime_t now);
    // Wake-up registrations held (a consumer may hold more than one): none is left for a
    // consumer that was destroyed.
    int nb_waiters() const { return (int)waiters_.size(); }

public:
    // The latest metadata and sequence headers; empty messages (no payload) when absent.
    const SrsMediaMessage& meta() const { return meta_; }
    const SrsMediaMessage& video_sequence_header() const { return video_sh_; }
    const SrsMediaMessage& audio_sequence_header() const { return audio_sh_; }
    const SrsGopCache& gop_cache() const { return gop_cache_; }
    const SrsLiveCodecInfo& codec_info() const { return codec_; }
    int64_t nb_audio_msgs() const { return nb_audios_; }
    int64_t nb_video_msgs() const { return nb_videos_; }

    // For the manager: when the source became unused, 0 while in use.
    srs_utime_t idle_since() const { return idle_since_; }
    void set_idle_since(srs_utime_t t) { idle_since_ = t; }

private:
    // Audio and video alike: counts, then mix_correct ordering, then on_av_imp.
    srs_error_t on_av(const SrsMediaMessage& msg);
    srs_error_t on_av_imp(const SrsMediaMessage& msg);
    // Appends a message for every consumer and wakes the realtime ones.
    void fan_out(const SrsMediaMessage& msg);
    // A stream event for every consumer, in order with the messages; wakes them all.
    void fan_out_event(SrsLiveConsumerEvent ev);
    void do_unpublish();
    void update_codec_info(const SrsMediaMessage& msg);

    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
    SrsLiveSourceConfig config_;

    ISrsLivePublisher* publisher_ = nullptr;
    std::string kick_reason_;
    srs_utime_t publish_time_ = 0;
    srs_utime_t last_media_time_ = 0;

    // Not owned: each consumer belongs to its player and removes itself here.
    std::vector<SrsLiveConsumer*> consumers_;
    SrsLiveFanout fanout_;
    // Players waiting to be woken, each once (the consumer remembers that it asked).
    struct Waiter {
        SrsLiveConsumer* consumer;
        srs_utime_t deadline;
    };
    std::vector<Waiter> waiters_;
    bool ticked_ = false;
    // Wakes the waiters whose deadline passed.
    void wake_waiters(srs_utime_t now);
    std::vector<std::unique_ptr<ISrsLiveSourceHandler>> handlers_;

    SrsMediaMessage meta_;
    SrsMediaMessage video_sh_;
    SrsMediaMessage audio_sh_;
    SrsGopCache gop_cache_;
    SrsMixQueue mix_queue_;
    SrsLiveCodecInfo codec_;
    // Parses sequence headers only (not every frame) for codec_.
    std::unique_ptr<SrsFormat> format_;
    int64_t nb_audios_ = 0;
    int64_t nb_videos_ = 0;
    srs_utime_t idle_since_ = 0;
};

// SRS frees nothing; we free a source a few seconds after its last user left.
#define SRS_SOURCE_DEFAULT_IDLE_TIMEOUT (3 * SRS_UTIME_SECONDS)
#define SRS_SOURCE_DEFAULT_SWEEP_INTERVAL (1 * SRS_UTIME_SECONDS)
// A sweep that frees this many sources returns the freed heap to the system.
#define SRS_SOURCE_TRIM_THRESHOLD 64

// All live sources by stream url, and the sweeper that frees the unused ones. A source is
// unused when nobody publishes and no one but the manager holds it (no consumer, no
// connection); it is freed after idle_timeout of that.
class SrsLiveSourceManager : public ISrsCoroutineHandler {
public:
    explicit SrsLiveSourceManager(srs_utime_t idle_timeout = SRS_SOURCE_DEFAULT_IDLE_TIMEOUT,
                                  srs_utime_t sweep_interval = SRS_SOURCE_DEFAULT_SWEEP_INTERVAL);
    ~SrsLiveSourceManager() override;
    SRS_DISALLOW_COPY(SrsLiveSourceManager);

public:
    // Registers a feature; its handler is added to each source created from now on. Not
    // owned; must outlive the manager.
    void add_handler_factory(ISrsLiveSourceHandlerFactory* factory);
    // The source of the stream, created (with config and the features' handlers) when
    // absent.
    srs_error_t fetch_or_create(const std::string& vhost, const std::string& app, const std::string& stream,
                                const SrsLiveSourceConfig& config, std::shared_ptr<SrsLiveSource>* out);
    // The source of a stream url, null when absent.
    std::shared_ptr<SrsLiveSource> find(const std::string& url) const;
    int size() const { return (int)sources_.size(); }
    const std::map<std::string, std::shared_ptr<SrsLiveSource>>& sources() const { return sources_; }

    // Starts the periodic sweep coroutine.
    srs_error_t start();
    void stop();
    // Frees sources unused for idle_timeout; returns how many were freed.
    int sweep();
    srs_error_t cycle() override;
    void set_idle_timeout(srs_utime_t v) { idle_timeout_ = v; }

private:
    srs_utime_t idle_timeout_;
    srs_utime_t sweep_interval_;
    std::map<std::string, std::shared_ptr<SrsLiveSource>> sources_;
    std::vector<ISrsLiveSourceHandlerFactory*> factories_;
    std::unique_ptr<SrsCoroutine> trd_;
};
