#include <srs_app_consumer.hpp>

#include <srs_app_source.hpp>
#include <srs_core_log.hpp>

#include <algorithm>
#include <initializer_list>

namespace {

// A player that waits for a keyframe takes the sequence headers and then starts at a keyframe.
// Out of line: it is rare, and inlined it costs every enqueue of every player a few
// instructions (measured with callgrind on 1000 players).
__attribute__((noinline)) bool srs_pass_keyframe_gate(const SrsMediaMessage& msg, bool* waiting) {
    if (msg.is_keyframe()) {
        *waiting = false;
        return true;
    }
    return msg.is_video_sequence_header();
}

}  // namespace

SrsConsumerQueue::SrsConsumerQueue()
    : msgs_(kSteadyCapacity),
      max_duration_ms_(srsu2ms(SRS_CONSUMER_DEFAULT_QUEUE_LENGTH)),
      max_msgs_(SRS_CONSUMER_DEFAULT_MAX_MSGS) {}

int SrsConsumerQueue::enqueue(SrsMediaMessage msg) {
    // The queue clock advances with the largest timestamp seen, by at most one step per
    // message: audio/video interleaving, jumps and restarts (time_jitter off, atc) cannot
    // make the queue look longer than the media it holds.
    if (msg.is_av()) {
        if (!has_last_) {
            has_last_ = true;
            last_ts_ = msg.timestamp;
        } else {
            int64_t d = msg.timestamp - last_ts_;
            if (d > 0) {
                last_pos_ += std::min<int64_t>(d, SRS_CONSUMER_MAX_STEP_MS);
                last_ts_ = msg.timestamp;
            } else if (d < -SRS_CONSUMER_MAX_STEP_MS) {
                // The clock restarted: continue from here.
                last_ts_ = msg.timestamp;
            }
        }
    }

    Slot slot;
    slot.msg = std::move(msg);
    slot.pos = last_pos_;
    msgs_.push_back(std::move(slot));

    if (duration_ms() > max_duration_ms_ || msgs_.size() > max_msgs_) {
        return shrink();
    }
    return 0;
}

void SrsConsumerQueue::push_event(SrsLiveConsumerEvent ev) {
    events_.push_back(Event{popped_ + (uint64_t)msgs_.size(), ev});
}

int SrsConsumerQueue::dump(int max, std::vector<SrsMediaMessage>* out) {
    int n = std::min(max, msgs_.size());
    if (!events_.empty()) {
        uint64_t at = events_.front().at;
        n = at <= popped_ ? 0 : (int)std::min<uint64_t>((uint64_t)n, at - popped_);
    }
    for (int i = 0; i < n; i++) {
        out->push_back(std::move(msgs_.front().msg));
        msgs_.drop_front(1);
    }
    popped_ += n;
    // The GOP-cache burst at play start grows the ring to a few hundred slots; merged
    // writes keep a few dozen. Give the burst's memory back once the player caught up.
    if (msgs_.empty() && msgs_.capacity() > kSteadyCapacity) {
        msgs_.shrink_to(kSteadyCapacity);
    }
    return n;
}

bool SrsConsumerQueue::fetch_event(SrsLiveConsumerEvent* ev) {
    if (events_.empty() || events_.front().at > popped_) {
        return false;
    }
    *ev = events_.front().ev;
    events_.erase(events_.begin());
    return true;
}

int64_t SrsConsumerQueue::duration_ms() const {
    if (msgs_.empty()) {
        return 0;
    }
    return msgs_.back().pos - msgs_.front().pos;
}

int SrsConsumerQueue::shrink() {
    int n = msgs_.size();
    int64_t end = msgs_.back().pos;

    // The first keyframe after which the rest fits; else the last keyframe.
    int cut = -1;
    int last_kf = -1;
    for (int i = 1; i < n; i++) {
        if (!msgs_.at(i).msg.is_keyframe()) {
            continue;
        }
        last_kf = i;
        // Up to three headers are put back in front of the kept part.
        if (end - msgs_.at(i).pos <= max_duration_ms_ && n - i + 3 <= max_msgs_) {
            cut = i;
            break;
        }
    }
    if (cut < 0) {
        cut = last_kf;
    }
    if (cut < 0) {
        // No keyframe to cut at (audio only, or a GOP longer than the queue): drop down to
        // half the limits, so this scan runs once per half queue, not once per message.
        int64_t target_ms = max_duration_ms_ / 2;
        int target_msgs = std::max(1, max_msgs_ / 2);
        cut = 1;
        while (cut < n - 1 && (end - msgs_.at(cut).pos > target_ms || n - cut > target_msgs)) {
            cut++;
        }
    }
    return cut_front(cut);
}

int SrsConsumerQueue::drop_to_last_keyframe() {
    for (int i = msgs_.size() - 1; i > 0; i--) {
        if (msgs_.at(i).msg.is_keyframe()) {
            return cut_front(i);
        }
    }
    return 0;
}

int SrsConsumerQueue::cut_front(int cut) {
    if (cut <= 0) {
        return 0;
    }
    // The latest metadata and sequence headers among the dropped messages are still needed
    // by the player to decode what follows.
    SrsMediaMessage meta, vsh, ash;
    for (int i = 0; i < cut; i++) {
        const SrsMediaMessage& m = msgs_.at(i).msg;
        if (m.is_script()) {
            meta = m;
        } else if (m.is_video_sequence_header()) {
            vsh = m;
        } else if (m.is_audio_sequence_header()) {
            ash = m;
        }
    }
    msgs_.drop_front(cut);
    uint64_t popped_before = popped_ + cut;

    int64_t ts = msgs_.empty() ? 0 : msgs_.front().msg.timestamp;
    int64_t pos = msgs_.empty() ? last_pos_ : msgs_.front().pos;
    int reinserted = 0;
    for (SrsMediaMessage* m : {&ash, &vsh, &meta}) {
        if (!m->payload) {
            continue;
        }
        Slot slot;
        slot.msg = std::move(*m);
        slot.msg.timestamp = ts;
        slot.pos = pos;
        msgs_.push_front(std::move(slot));
        reinserted++;
    }
    popped_ = popped_before - reinserted;

    // Events among the dropped messages are due now, before the headers put back.
    for (Event& e : events_) {
        if (e.at > popped_ && e.at <= popped_before) {
            e.at = popped_;
        }
    }
    return std::max(0, cut - reinserted);
}

void SrsConsumerQueue::clear() {
    popped_ += msgs_.size();
    msgs_.clear();
}

SrsLiveConsumer::SrsLiveConsumer(std::shared_ptr<SrsLiveSource> source, const SrsLiveConsumerConfig& config)
    : source_(std::move(source)), config_(config) {
    queue_.set_max_duration(config.queue_length);
    queue_.set_max_msgs(config.max_msgs);
    if (source_) {
        // A new player starts at the live edge; the source gives it the stream's start.
        fanout_ = &source_->fanout();
        cursor_ = fanout_->head();
    }
}

SrsLiveConsumer::~SrsLiveConsumer() {
    if (source_) {
        source_->on_consumer_destroy(this);
    }
}

void SrsLiveConsumer::enqueue(const SrsMediaMessage& msg) {
    if (expired_) {
        return;
    }
    if (msg.is_audio()) {
        if (!receive_audio_) {
            return;
        }
    } else if (msg.is_video()) {
        if (!receive_video_) {
            return;
        }
        if (wait_keyframe_ && !srs_pass_keyframe_gate(msg, &wait_keyframe_)) {
            return;
        }
    }

    // The header copy is the player's own: the jitter corrector rewrites its timestamp.
    SrsMediaMessage copy = msg;
    if (!config_.atc) {
        jitter_.correct(&copy, config_.jitter);
    }
    nb_enqueued_++;

    int dropped = queue_.enqueue(std::move(copy));
    if (dropped > 0) {
        nb_dropped_ += dropped;
        nb_overflows_++;
        srs_trace("consumer queue overflow: dropped %d msgs, kept %d msgs %d ms, total dropped %lld in %lld overflows",
                  dropped, queue_.size(), (int)queue_.duration_ms(), (long long)nb_dropped_, (long long)nb_overflows_);
    }

    // Fed directly (the stream's start, a sweep by the source): the player may be waiting.
    if (waiting_ && ready()) {
        waiting_ = false;
        cond_.signal();
    }
}

void SrsLiveConsumer::pull() {
    if (!fanout_) {
        return;
    }
    uint64_t head = fanout_->head();
    if (expired_) {
        cursor_ = head;
        return;
    }
    // The source pulls for every consumer before it trims, so this is only a guard against a
    // consumer the source does not know.
    if (cursor_ < fanout_->tail()) {
        nb_dropped_ += (int64_t)(fanout_->tail() - cursor_);
        cursor_ = fanout_->tail();
    }
    for (; cursor_ < head; cursor_++) {
        const SrsLiveFanout::Entry& e = fanout_->at(cursor_);
        if (!e.is_event) {
            enqueue(e.msg);
        } else if (e.ev == SrsLiveConsumerEvent::Publish) {
            on_publish();
        } else {
            on_unpublish();
        }
    }
}

void SrsLiveConsumer::on_publish() {
    // An expired player ends with its own reason, not the stream's events.
    if (expired_) {
        return;
    }
    jitter_.on_republish();
    // The new publish's first frames go out as soon as they come, like a new player's.
    started_ = false;
    queue_.push_event(SrsLiveConsumerEvent::Publish);
    wakeup();
}

void SrsLiveConsumer::on_unpublish() {
    if (expired_) {
        return;
    }
    queue_.push_event(SrsLiveConsumerEvent::Unpublish);
    wakeup();
}

void SrsLiveConsumer::update_config(const SrsLiveConsumerConfig& config) {
    if (pinned_config_) {
        return;
    }
    config_ = config;
    queue_.set_max_duration(config.queue_length);
    queue_.set_max_msgs(config.max_msgs);
    config_version_++;
    wakeup();
}

void SrsLiveConsumer::expire(const std::string& reason) {
    if (expired_) {
        return;
    }
    expired_ = true;
    expire_reason_ = reason;
    // Nothing more is queued for it; the player's wait returns at once.
    queue_.clear();
    wakeup();
}

bool SrsLiveConsumer::ready() const {
    if (expired_ || queue_.has_event()) {
        return true;
    }
    if (queue_.empty() || paused_) {
        return false;
    }
    // A player that has no picture or sound yet takes whatever there is at once: merging its
    // start would only delay its first frame (by up to mw_latency when the GOP cache is short).
    if (!started_) {
        return true;
    }
    if (config_.realtime) {
        return srs_get_system_time() >= last_wake_ + SRS_CONSUMER_REALTIME_MERGE;
    }
    return queue_.size() >= mw_min_msgs_ && queue_.duration_ms() >= mw_duration_ms_;
}

void SrsLiveConsumer::wait(int nb_msgs, srs_utime_t duration) {
    pull();
    mw_min_msgs_ = nb_msgs;
    mw_duration_ms_ = duration > 0 ? srsu2ms(duration) : 0;
    srs_utime_t now = srs_update_system_time();
    if (!ready()) {
        waiting_ = true;
        // The source wakes us at the first message (or tick) at or after the deadline: a merged
        // write once its duration passed (waking it early for a few messages would only split
        // the write), a realtime player once SRS_CONSUMER_REALTIME_MERGE passed since its last
        // wake-up (at once when it has passed).
        // A player that has not started is woken by the first message that comes.
        srs_utime_t deadline = !started_          ? now
                               : config_.realtime ? std::max(now, last_wake_ + SRS_CONSUMER_REALTIME_MERGE)
                                                  : now + duration;
        // A registration left by an earlier wait stands unless this wait must end sooner (a
        // player that has not started again after a republish).
        if (source_ && (!wake_requested_ || deadline < wake_deadline_)) {
            wake_requested_ = true;
            wake_deadline_ = deadline;
            source_->wake_later(this, deadline);
        }
        // No timer of our own when the source is ticked: a timed wait per player and wake-up
        // costs a timer-heap insert and delete, the scheduler's main cost at thousands of players.
        bool ticked = source_ && source_->ticked() && duration > 0;
        cond_.wait(ticked ? SRS_UTIME_NO_TIMEOUT : duration);
        waiting_ = false;
        now = srs_update_system_time();
    }
    last_wake_ = now;
}

int SrsLiveConsumer::dump_packets(int max, std::vector<SrsMediaMessage>* out) {
    pull();
    if (paused_) {
        return 0;
    }
    size_t from = out->size();
    int n = queue_.dump(max, out);
    for (size_t i = from; !started_ && i < out->size(); i++) {
        const SrsMediaMessage& m = (*out)[i];
        started_ = m.is_av() && !m.is_sequence_header();
    }
    return n;
}

bool SrsLiveConsumer::fetch_event(SrsLiveConsumerEvent* ev) {
    pull();
    return queue_.fetch_event(ev);
}

void SrsLiveConsumer::wakeup() {
    if (waiting_) {
        waiting_ = false;
        cond_.signal();
    }
}

void SrsLiveConsumer::on_play_client_pause(bool is_pause) {
    pull();
    if (paused_ && !is_pause) {
        int dropped = queue_.drop_to_last_keyframe();
        nb_dropped_ += dropped;
        srs_trace("consumer resumed: skipped %d msgs to the last keyframe, %d msgs queued", dropped, queue_.size());
    }
    paused_ = is_pause;
    wakeup();
}

void SrsLiveConsumer::set_receive_video(bool v) {
    if (v && !receive_video_) {
        wait_keyframe_ = true;
    }
    receive_video_ = v;
}
