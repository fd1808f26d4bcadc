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
// A realtime (min_latency) player writes at most once per this time: the audio and video
// frames that arrive within it (about 73 a second at 30 fps and 44.1 kHz AAC) go out in one
// write, which halves the writes for at most this much more lag.
#define SRS_CONSUMER_REALTIME_MERGE (30 * SRS_UTIME_MILLISECONDS)
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

// The source's messages and stream events, each stored once and read by every consumer at
// its own cursor. The publisher appends a pointer-sized entry per message; each player pulls
// what it has not seen when it wakes, in a batch, so the per-player work runs in the
// player's coroutine with its own data hot in cache, instead of the publisher touching
// every player's queue for every message (one cache miss per player per message).
class SrsLiveFanout {
public:
    struct Entry {
        SrsMediaMessage msg;
        // An event entry carries no message.
        bool is_event = false;
        SrsLiveConsumerEvent ev = SrsLiveConsumerEvent::Publish;
    };

public:
    SrsLiveFanout() : entries_(kSweepAt) {}
    SRS_DISALLOW_COPY(SrsLiveFanout);

public:
    // The sequence number the next entry gets; a consumer at head() has seen everything.
    uint64_t head() const { return base_ + (uint64_t)entries_.size(); }
    // The oldest entry still held.
    uint64_t tail() const { return base_; }
    int size() const { return entries_.size(); }
    const Entry& at(uint64_t seq) const { return entries_.at((int)(seq - base_)); }

    void push(const SrsMediaMessage& msg) {
        Entry e;
        e.msg = msg;
        entries_.push_back(std::move(e));
    }
    void push_event(SrsLiveConsumerEvent ev) {
        Entry e;
        e.is_event = true;
        e.ev = ev;
        entries_.push_back(std::move(e));
    }
    // Whether the owner should sweep: make every consumer behind keep_from() pull, then
    // trim(). Bounds the entries (and the payloads they hold) to kSweepAt.
    bool need_sweep() const { return entries_.size() >= kSweepAt; }
    uint64_t keep_from() const { return head() - kKeep; }
    // Drops the entries before seq; no consumer may still be behind it.
    void trim(uint64_t seq) {
        while (base_ < seq && !entries_.empty()) {
            entries_.drop_front(1);
            base_++;
        }
    }

private:
    // At ~80 messages a second (30 fps video and AAC) a sweep runs about every 0.6 s and
    // keeps the last 0.6 s: players waking every mw_latency (350 ms) pull before being swept,
    // so the publisher pulls only for players that stall (blocked in a write, paused).
    static const int kSweepAt = 96;
    static const int kKeep = 48;

    SrsRing<Entry> entries_;
    uint64_t base_ = 0;
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
    // Queues a message for this player only (the stream's start given by the source, or a
    // message pulled from the fan-out): copies the header (a refcount bump, never the
    // payload) and corrects its timestamp.
    void enqueue(const SrsMediaMessage& msg);
    // Takes what the source fanned out since the last pull into this player's queue.
    void pull();
    // The fan-out sequence number this player has pulled up to.
    uint64_t cursor() const { return cursor_; }
    // Stream events, applied in order with the messages when pulled from the fan-out.
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
    // Wakes a waiting player (for a stream event, a kick, a reload).
    void wakeup();
    // From the source, for a player that asked to be woken (SrsLiveSource::wake_later).
    void on_source_wake() {
        wake_requested_ = false;
        wakeup();
    }

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
    // What is queued, after pulling from the fan-out.
    int size() {
        pull();
        return queue_.size();
    }
    int64_t duration_ms() {
        pull();
        return queue_.duration_ms();
    }
    const SrsConsumerQueue& queue() {
        pull();
        return queue_;
    }
    // Messages dropped because the player did not keep up.
    int64_t nb_dropped() const { return nb_dropped_; }
    int64_t nb_enqueued() const { return nb_enqueued_; }

private:
    bool ready() const;

    std::shared_ptr<SrsLiveSource> source_;
    // The source's fan-out (null without a source) and how far this player has read it.
    const SrsLiveFanout* fanout_ = nullptr;
    uint64_t cursor_ = 0;
    SrsLiveConsumerConfig config_;
    SrsConsumerQueue queue_;
    SrsRtmpJitter jitter_;
    SrsCond cond_;
    bool waiting_ = false;
    // Registered with the source for a wake-up; one registration at a time (a wake by an
    // event leaves it in place: it wakes a later wait early, which is harmless).
    bool wake_requested_ = false;
    srs_utime_t wake_deadline_ = 0;
    // Whether the player was given its first audio or video frame (not a sequence header):
    // until then every wait returns as soon as anything is queued.
    bool started_ = false;
    // When wait() last returned.
    srs_utime_t last_wake_ = 0;
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
