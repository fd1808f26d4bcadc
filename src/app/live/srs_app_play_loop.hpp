// The one live play loop: how every player of a live source (RTMP, HTTP-FLV/TS/AAC/MP3) is fed
// from its consumer. The loop owns waiting, batching, merged writes and min-latency, stream
// events, timeouts and the slow-client rules; a sink owns only its wire protocol.
#pragma once

#include <srs_app_consumer.hpp>
#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>
#include <srs_kernel_message.hpp>

#include <vector>

// How often a playing connection reads what its player sent (pause, closeStream, acks, the end
// of the connection): between sends, with no coroutine of its own. Each check is a poll()
// system call, 3-5 % of the CPU at 1000 players when made at every merged write (350 ms); a
// player waits at most this long for its pause to be answered, or for its close to be seen.
#define SRS_LIVE_PLAY_READ_INTERVAL (500 * SRS_UTIME_MILLISECONDS)

// What a player asked for, reported by its sink while the loop reads the client's input; the
// loop applies it to the consumer.
class ISrsLivePlayControl {
public:
    virtual ~ISrsLivePlayControl() = default;
    // RTMP pause (NetStream.pause): the queue keeps filling (bounded) and resumes near live.
    virtual void on_pause(bool is_pause) = 0;
    // receiveAudio / receiveVideo; video comes back at the next keyframe.
    virtual void on_receive_audio(bool enabled) = 0;
    virtual void on_receive_video(bool enabled) = 0;
};

// One player's wire protocol, fed by SrsLivePlayLoop. Errors end the play with that error.
class ISrsLivePlaySink {
public:
    virtual ~ISrsLivePlaySink() = default;
    // Encodes and writes one batch (never empty), in as few system calls as it can.
    virtual srs_error_t write_batch(std::vector<SrsMediaMessage>& msgs) = 0;
    // A stream event, in order after the messages queued before it. Set *end to end the play
    // normally (the loop returns success).
    virtual srs_error_t on_stream_event(SrsLiveConsumerEvent ev, bool* end) = 0;
    // Reads what the client sent, without blocking (only what is there), reporting its
    // requests to control. Set *closed when the client closed the stream or the connection.
    virtual srs_error_t read_input(ISrsLivePlayControl* control, bool* closed) = 0;
    // The bytes written to the socket so far (for the slow-client rule), -1 when unknown.
    virtual int64_t send_bytes() const { return -1; }
    // Before each wait: a sink whose encoding depends on the stream's state takes it here.
    virtual void before_wait() {}
    // Whether the sink only wants what is queued, then the end (a forwarder whose source
    // unpublished): the loop stops waiting and ends once nothing is left (SrsLivePlayEnd::Drained).
    virtual bool draining() const { return false; }
    // The consumer's settings, at start and after a reload changed them (config_version).
    virtual void on_settings(const SrsLiveConsumerConfig& c, bool reload) {
        (void)c;
        (void)reload;
    }
};

// How the loop ends a play besides the sink's and the consumer's reasons.
struct SrsLivePlayOptions {
    // The most messages given to one write_batch.
    int max_batch = 128;
    // Ends the play with ERROR_RTMP_DURATION_EXCEED after this much media (by timestamps); 0 for
    // no limit (RTMP's play duration argument).
    srs_utime_t duration = 0;
    // Ends the play normally when no message came for this long; 0 waits forever.
    srs_utime_t idle_timeout = 0;
    // How often the client's input is read (see SRS_LIVE_PLAY_READ_INTERVAL).
    srs_utime_t read_interval = SRS_LIVE_PLAY_READ_INTERVAL;
    // The socket's OS descriptor: its send buffer is kept to about a second of the stream
    // (SrsSendBufferSizer), so a player that stops reading falls behind by its queue only.
    // -1 leaves the buffer alone.
    int osfd = -1;
};

// Why run() ended, when it returned success.
enum class SrsLivePlayEnd {
    // Still running, or ended with an error.
    None,
    // The sink ended it at a stream event.
    Event,
    // No message for idle_timeout.
    Idle,
    // The sink was draining and everything queued was written.
    Drained,
};

// Feeds one player from its consumer until the client leaves, the consumer expires (a kick, a
// reload), the sink ends it or the coroutine is interrupted. Runs in the player's coroutine:
// one coroutine per player, which reads its client only between sends.
class SrsLivePlayLoop : public ISrsLivePlayControl {
public:
    // Neither is owned; both outlive the loop.
    SrsLivePlayLoop(SrsLiveConsumer* consumer, ISrsLivePlaySink* sink, const SrsLivePlayOptions& options);
    ~SrsLivePlayLoop() override = default;
    SRS_DISALLOW_COPY(SrsLivePlayLoop);

public:
    // ERROR_STREAM_KICKED with the consumer's reason when it expired, ERROR_RTMP_STREAM_EOF when
    // the client closed, the sink's or the coroutine's error otherwise; success when the sink or
    // the idle timeout ended it (see end()).
    srs_error_t run();
    SrsLivePlayEnd end() const { return end_; }
    // Messages written.
    int64_t nb_sent() const { return nb_sent_; }

    // ISrsLivePlayControl, applied to the consumer.
    void on_pause(bool is_pause) override;
    void on_receive_audio(bool enabled) override;
    void on_receive_video(bool enabled) override;

private:
    // Everything queued, in batches of max_batch, up to the next event.
    srs_error_t send_queued(SrsSendBufferSizer* sndbuf);

private:
    SrsLiveConsumer* consumer_;
    ISrsLivePlaySink* sink_;
    SrsLivePlayOptions options_;
    SrsLivePlayEnd end_ = SrsLivePlayEnd::None;
    int64_t nb_sent_ = 0;
    int64_t first_ts_ = -1;
    srs_utime_t last_data_ = 0;
};
