#include <srs_app_play_loop.hpp>

#include <srs_app_source.hpp>
#include <srs_app_vhost.hpp>
#include <srs_core_st.hpp>

#include <algorithm>
#include <memory>

SrsLivePlayLoop::SrsLivePlayLoop(SrsLiveConsumer* consumer, ISrsLivePlaySink* sink, const SrsLivePlayOptions& options)
    : consumer_(consumer), sink_(sink), options_(options) {
    options_.max_batch = std::max(1, options_.max_batch);
}

srs_error_t SrsLivePlayLoop::run() {
    srs_error_t err = srs_success;

    // Realtime: wake at every message (the consumer merges what comes within
    // SRS_CONSUMER_REALTIME_MERGE); else merge mw_latency of media (at least mw_msgs messages)
    // into one write, waking at least every mw_latency. Read at start and when a reload of the
    // vhost changed them (config_version), never per message.
    srs_utime_t wait = SRS_PLAY_PULSE;
    int nb_msgs = 1;
    uint32_t version = consumer_->config_version();
    srs_live_play_wait(consumer_->config(), &wait, &nb_msgs);
    sink_->on_settings(consumer_->config(), false);

    std::unique_ptr<SrsSendBufferSizer> sndbuf;
    if (options_.osfd >= 0) {
        sndbuf = std::make_unique<SrsSendBufferSizer>(options_.osfd);
        sndbuf->set_merge_window(wait);
    }

    // The handshake and the request went deep; the loop below stays shallow for hours, so the
    // stack pages touched so far go back to the system (they are most of a player's RSS).
    srs_coroutine_trim_stack();

    last_data_ = srs_get_system_time();
    srs_utime_t last_read = 0;
    bool sized = false;
    while (true) {
        // A kick or a quit interrupts the coroutine.
        if ((err = srs_coroutine_pull_current()) != srs_success) {
            return srs_error_wrap(err, "play");
        }
        if (consumer_->expired()) {
            return srs_error_new(ERROR_STREAM_KICKED, "%s", consumer_->expire_reason().c_str());
        }
        if (consumer_->config_version() != version) {
            version = consumer_->config_version();
            srs_live_play_wait(consumer_->config(), &wait, &nb_msgs);
            if (sndbuf) {
                sndbuf->set_merge_window(wait);
            }
            sink_->on_settings(consumer_->config(), true);
        }

        sink_->before_wait();
        bool draining = sink_->draining();
        if (!draining) {
            consumer_->wait(nb_msgs, wait);
        }

        // A realtime player wakes per message, a merged one every mw_latency; the client's input
        // is read at most every read_interval.
        srs_utime_t now = srs_get_system_time();
        if (now - last_read >= options_.read_interval || now < last_read) {
            last_read = now;
            bool closed = false;
            if ((err = sink_->read_input(this, &closed)) != srs_success) {
                return err;
            }
            if (closed) {
                return srs_error_new(ERROR_RTMP_STREAM_EOF, "player closed the stream");
            }
        }

        int64_t before = nb_sent_;
        if ((err = send_queued(sndbuf.get())) != srs_success) {
            return err;
        }
        // The sizer's first estimate logs (a formatted line takes ~3 KiB of stack) about a
        // second into the stream: trim once more after it, or that page stays with the player.
        if (sndbuf && !sized && sndbuf->size()) {
            sized = true;
            srs_coroutine_trim_stack();
        }

        // Stream events, in order after the messages before them.
        SrsLiveConsumerEvent ev;
        while (consumer_->fetch_event(&ev)) {
            bool end = false;
            if ((err = sink_->on_stream_event(ev, &end)) != srs_success) {
                return err;
            }
            if (end) {
                end_ = SrsLivePlayEnd::Event;
                return err;
            }
        }

        if (draining && nb_sent_ == before) {
            end_ = SrsLivePlayEnd::Drained;
            return err;
        }
        if (nb_sent_ == before && options_.idle_timeout > 0 &&
            srs_get_system_time() - last_data_ > options_.idle_timeout) {
            end_ = SrsLivePlayEnd::Idle;
            return err;
        }
    }
}

srs_error_t SrsLivePlayLoop::send_queued(SrsSendBufferSizer* sndbuf) {
    srs_error_t err = srs_success;

    // The batch lives only while it is sent, like the chunk layer's send buffers: a thousand
    // idle players hold no batch between writes.
    std::vector<SrsMediaMessage> msgs;
    while (true) {
        msgs.clear();
        msgs.reserve(std::min(consumer_->size(), options_.max_batch));
        int n = consumer_->dump_packets(options_.max_batch, &msgs);
        if (n <= 0) {
            return err;
        }
        if ((err = sink_->write_batch(msgs)) != srs_success) {
            return err;
        }
        nb_sent_ += n;
        last_data_ = srs_get_system_time();
        if (sndbuf) {
            int64_t bytes = sink_->send_bytes();
            if (bytes >= 0) {
                sndbuf->on_sent(bytes, msgs[n - 1].timestamp);
            }
        }
        if (options_.duration > 0) {
            if (first_ts_ < 0) {
                first_ts_ = msgs.front().timestamp;
            }
            if ((msgs.back().timestamp - first_ts_) * SRS_UTIME_MILLISECONDS >= options_.duration) {
                return srs_error_new(ERROR_RTMP_DURATION_EXCEED, "play duration %d ms reached",
                                     srsu2msi(options_.duration));
            }
        }
    }
}

void SrsLivePlayLoop::on_pause(bool is_pause) {
    consumer_->on_play_client_pause(is_pause);
}

void SrsLivePlayLoop::on_receive_audio(bool enabled) {
    consumer_->set_receive_audio(enabled);
}

void SrsLivePlayLoop::on_receive_video(bool enabled) {
    consumer_->set_receive_video(enabled);
    // Video comes back at the next keyframe, after the current sequence header.
    if (enabled && consumer_->source()) {
        consumer_->source()->consumer_dumps(consumer_, true, false, false);
    }
}
