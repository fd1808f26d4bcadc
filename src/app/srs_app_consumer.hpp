// A player's view of a live source: a bounded queue of shared messages with its own
// timestamp correction, merged-write waiting and play controls (pause, receiveAudio/Video).
#pragma once

#include <srs_app_jitter.hpp>
#include <srs_app_ring.hpp>
#include <srs_core.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>
#include <srs_kernel_message.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsLiveSource;

// SRS's default play.queue_length (SRS_PERF_PLAY_QUEUE): 30 seconds.
#define SRS_CONSUMER_DEFAULT_QUEUE_LENGTH (30 * SRS_UTIME_SECONDS)
// A hard bound on queued messages whatever the timestamps say, so a publisher with frozen
// timestamps cannot grow a slow player's queue without limit.
#define SRS_CONSUMER_DEFAULT_MAX_MSGS 16384
// The queue clock counts at most this much per message (ms), so a timestamp jump does
// not look like a long queue.
#define SRS_CONSUMER_MAX_STEP_MS 1000

// What happened to the stream, in order with the messages.
enum class SrsLiveConsumerEvent {
    // The publisher left: RTMP players get NetStream.Play.UnpublishNotify.
    Unpublish,
    // A publisher (re)started: RTMP players get NetStream.Play.PublishNotify.
    Publish,
};

// The queue of one consumer: a ring of shared messages bounded by duration and count.
// When full, old data is dropped down to a keyframe and the latest dropped sequence
// headers and metadata are put back in front, so the player can still decode.
class SrsConsumerQueue {
public:
    SrsConsumerQueue();
    SRS_DISALLOW_COPY(SrsConsumerQueue);

public:
    void set_max_duration(srs_utime_t v) { max_duration_ms_ = srsu2ms(v); }
    srs_utime_t max_duration() const { return max_duration_ms_ * SRS_UTIME_MILLISECONDS; }
    void set_max_msgs(int v) { max_msgs_ = v; }

    // Appends a message; drops old data when the queue is full. Returns the number of
    // messages dropped (0 normally).
    int enqueue(SrsMediaMessage msg);
    // Records an event after the messages enqueued so far.
    void push_event(SrsLiveConsumerEvent ev);
    // Moves up to max messages into out (appended), stopping at the next event.
    int dump(int max, std::vector<SrsMediaMessage>* out);
    // Takes the next event once every message before it was dumped.
    bool fetch_event(SrsLiveConsumerEvent* ev);
    bool has_event() const { return !events_.empty(); }
    // Drops everything before the last keyframe, keeping sequence headers: used when a
    // paused player resumes, so it continues near live.
    int drop_to_last_keyframe();
    void clear();

    int size() const { return msgs_.size(); }
    bool empty() const { return msgs_.empty(); }
    // The media duration held, by the queue clock (ms).
    int64_t duration_ms() const;
    int capacity() const { return msgs_.capacity(); }
    const SrsMediaMessage& at(int i) const { return msgs_.at(i).msg; }
    // Asks the CPU to fetch the memory the next enqueue writes (see SrsLiveConsumer::prefetch).
    void prefetch() const {
        if (const Slot* s = msgs_.next_slot()) {
            __builtin_prefetch(s, 1);
        }
    }

private:
    // Drops msgs_[0, cut) and puts back the latest dropped metadata and sequence headers.
    int cut_front(int cut);
    int shrink();

    // Slots kept between bursts: 350 ms of merged write at 30 fps video plus audio is ~25
    // messages.
    static const int kSteadyCapacity = 64;

    struct Slot {
        SrsMediaMessage msg;
        // The queue clock at this message: a monotonic ms count.
        int64_t pos = 0;
    };
    struct Event {
        // Due once this many messages have left the queue.
        uint64_t at;
        SrsLiveConsumerEvent ev;
    };

    SrsRing<Slot> msgs_;
    std::vector<Event> events_;
    int64_t max_duration_ms_;
    int max_msgs_;
    bool has_last_ = false;
    int64_t last_ts_ = 0;
    int64_t last_pos_ = 0;
    // Messages that left the queue (dumped or dropped), for event positions.
    uint64_t popped_ = 0;
};

// How a consumer behaves; filled from the vhost's play section by the connection.
struct SrsLiveConsumerConfig {
    srs_utime_t queue_length = SRS_CONSUMER_DEFAULT_QUEUE_LENGTH;
    int max_msgs = SRS_CONSUMER_DEFAULT_MAX_MSGS;
    SrsJitterAlgorithm jitter = SrsJitterAlgorithm::Full;
    // Absolute time: timestamps are passed through untouched.
    bool atc = false;
    // min_latency: wake the player on every message instead of merging writes.
    bool realtime = false;
    // Merged write (play.mw_latency, play.mw_msgs) and the vhost's tcp_nodelay: not used by
    // the consumer itself but by the player's send loop, which reads them when
    // SrsLiveConsumer::config_version() changes (at start and after a reload), never per message.
    srs_utime_t mw_latency = 350 * SRS_UTIME_MILLISECONDS;
    int mw_msgs = 8;
    bool tcp_nodelay = false;
};

// One player of a live source. Created by SrsLiveSource::create_consumer; holds the
// source alive, and detaches from it when destroyed. Not copyable; used by one coroutine
// (the player's) plus the publisher's coroutine that enqueues.
class SrsLiveConsumer {
public:
    SrsLiveConsumer(std::shared_ptr<SrsLiveSource> source, const SrsLiveConsumerConfig& config);
    ~SrsLiveConsumer();
    SRS_DISALLOW_COPY(SrsLiveConsumer);

public:
    // The hot path, from the source: copies the message header (a refcount bump, never
    // the payload), corrects its timestamp and queues it.
    void enqueue(const SrsMediaMessage& msg);
    // The fan-out writes a slot of every player's queue per message; each queue is elsewhere in
    // memory, so each write is a cache miss. The source prefetches the next consumer's slot
    // while it enqueues into the current one.
    void prefetch() const { queue_.prefetch(); }
    // The lines of this object that enqueue reads, fetched by address only (nothing is loaded
    // from the object here): the source calls it two consumers ahead.
    void prefetch_object() const {
        __builtin_prefetch(this);
        __builtin_prefetch(&queue_);
        __builtin_prefetch(&jitter_);
        __builtin_prefetch(&waiting_);
    }
    // Stream events, from the source.
    void on_publish();
    void on_unpublish();

public:
    // Blocks until there is enough to send: with realtime, any message; otherwise at least
    // nb_msgs messages spanning at least duration of media. Returns after duration of wall
    // time at the latest, at once when an event is pending, and when the calling coroutine
    // is interrupted.
    void wait(int nb_msgs, srs_utime_t duration);
    // Moves up to max queued messages into out (appended; reuse the vector to avoid
    // allocation). Nothing while paused. Stops before the next event.
    int dump_packets(int max, std::vector<SrsMediaMessage>* out);
    // The next stream event, once the messages before it were dumped.
    bool fetch_event(SrsLiveConsumerEvent* ev);
    // Wakes a waiting player (for a kick, a reload).
    void wakeup();

    // RTMP pause (NetStream.pause): paused consumers keep queueing (bounded) and resume
    // near live from the last keyframe.
    void on_play_client_pause(bool is_pause);
    bool paused() const { return paused_; }
    // receiveAudio / receiveVideo; re-enabled video waits for a keyframe.
    void set_receive_audio(bool v) { receive_audio_ = v; }
    void set_receive_video(bool v);
    void set_queue_length(srs_utime_t v) { queue_.set_max_duration(v); }
    void set_realtime(bool v) { config_.realtime = v; }
    const SrsLiveConsumerConfig& config() const { return config_; }
    // New settings for a running player (a reload of its vhost): the queue bounds, timestamp
    // correction and realtime apply to the next message; the send loop sees config_version()
    // change and re-reads the merged-write settings. Wakes the player.
    void update_config(const SrsLiveConsumerConfig& config);
    // Bumped by each update_config(), so the send loop re-reads config() only when it changed.
    uint32_t config_version() const { return config_version_; }
    // Keeps the settings the consumer was created with: a vhost reload (update_config) leaves
    // them alone. For consumers that are not players of the vhost (a forwarder's queue, whose
    // timestamps must not switch correction mid-stream).
    void set_pinned_config(bool v) { pinned_config_ = v; }

    // Asks the player to end (its vhost was removed or disabled, its mount went away): the
    // send loop checks expired() at each wake-up and closes the client with the reason.
    void expire(const std::string& reason);
    bool expired() const { return expired_; }
    const std::string& expire_reason() const { return expire_reason_; }

    SrsLiveSource* source() const { return source_.get(); }
    int size() const { return queue_.size(); }
    int64_t duration_ms() const { return queue_.duration_ms(); }
    const SrsConsumerQueue& queue() const { return queue_; }
    // Messages dropped because the player did not keep up.
    int64_t nb_dropped() const { return nb_dropped_; }
    int64_t nb_enqueued() const { return nb_enqueued_; }

private:
    bool ready() const;

    std::shared_ptr<SrsLiveSource> source_;
    SrsLiveConsumerConfig config_;
    SrsConsumerQueue queue_;
    SrsRtmpJitter jitter_;
    SrsCond cond_;
    bool waiting_ = false;
    int mw_min_msgs_ = 0;
    int64_t mw_duration_ms_ = 0;
    bool paused_ = false;
    bool receive_audio_ = true;
    bool receive_video_ = true;
    bool wait_keyframe_ = false;
    int64_t nb_dropped_ = 0;
    int64_t nb_enqueued_ = 0;
    int64_t nb_overflows_ = 0;
    uint32_t config_version_ = 0;
    bool expired_ = false;
    std::string expire_reason_;
    bool pinned_config_ = false;
};
