#include <srs_app_source.hpp>

#include <srs_core_log.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_kernel_flv.hpp>

#include <algorithm>

#include <malloc.h>

std::string srs_live_stream_url(const std::string& vhost, const std::string& app, const std::string& stream) {
    std::string url;
    url.reserve(vhost.size() + app.size() + stream.size() + 2);
    url.append(vhost).append("/").append(app).append("/").append(stream);
    return url;
}

SrsLiveSource::SrsLiveSource(const std::string& vhost, const std::string& app, const std::string& stream)
    : vhost_(vhost), app_(app), stream_(stream), url_(srs_live_stream_url(vhost, app, stream)) {
    update_config(config_);
}

SrsLiveSource::~SrsLiveSource() {
    // Consumers hold the source alive, so none can be left here. A handler's destructor may
    // stop a coroutine that still reports to this source on its way out (the edge ingester
    // unpublishes, which walks the handlers): take each handler out of the list before it goes,
    // so the list never holds a freed one (seen by ASan at shutdown in test_edge).
    while (!handlers_.empty()) {
        std::unique_ptr<ISrsLiveSourceHandler> h = std::move(handlers_.back());
        handlers_.pop_back();
        h.reset();
    }
    srs_info("source %s freed", url_.c_str());
}

void SrsLiveSource::update_config(const SrsLiveSourceConfig& config) {
    config_ = config;
    gop_cache_.set_enabled(config.gop_cache);
    gop_cache_.set_max_frames(config.gop_cache_max_frames);
    if (!config.mix_correct) {
        mix_queue_.clear();
    }
}

void SrsLiveSource::add_handler(std::unique_ptr<ISrsLiveSourceHandler> handler) {
    if (handler) {
        handlers_.push_back(std::move(handler));
    }
}

srs_error_t SrsLiveSource::on_publish(ISrsLivePublisher* publisher) {
    srs_error_t err = srs_success;

    if (publisher_) {
        return srs_error_new(ERROR_SYSTEM_STREAM_BUSY, "stream %s is busy, publishing for %d ms, silent for %d ms",
                             url_.c_str(), srsu2msi(srs_update_system_time() - publish_time_),
                             srsu2msi(publisher_silence()));
    }

    publisher_ = publisher;
    publish_time_ = last_media_time_ = srs_update_system_time();
    mix_queue_.clear();

    for (size_t i = 0; i < handlers_.size(); i++) {
        if ((err = handlers_[i]->on_publish()) != srs_success) {
            // Undo the handlers that accepted, so none is left half started.
            for (size_t j = 0; j < i; j++) {
                handlers_[j]->on_unpublish();
            }
            publisher_ = nullptr;
            publish_time_ = 0;
            return srs_error_wrap(err, "source %s handler %d refused publish", url_.c_str(), (int)i);
        }
    }

    fan_out_event(SrsLiveConsumerEvent::Publish);
    srs_trace("source %s: publish started, %d consumers, %d handlers", url_.c_str(), (int)consumers_.size(),
              (int)handlers_.size());
    return err;
}

void SrsLiveSource::on_unpublish(ISrsLivePublisher* publisher) {
    if (!publisher_ || publisher_ != publisher) {
        // Already unpublished: kicked, or a takeover happened.
        return;
    }
    do_unpublish();
}

void SrsLiveSource::do_unpublish() {
    srs_utime_t duration = srs_update_system_time() - publish_time_;
    publisher_ = nullptr;
    publish_time_ = 0;

    for (auto& h : handlers_) {
        h->on_unpublish();
    }
    fan_out_event(SrsLiveConsumerEvent::Unpublish);

    // A new publisher may bring other codecs: nothing of this publish is given to players
    // that join before it.
    gop_cache_.clear();
    mix_queue_.clear();
    meta_ = SrsMediaMessage();
    video_sh_ = SrsMediaMessage();
    audio_sh_ = SrsMediaMessage();
    codec_ = SrsLiveCodecInfo();
    format_.reset();
    srs_trace("source %s: unpublished after %d ms, audio=%lld video=%lld msgs, %d consumers kept", url_.c_str(),
              srsu2msi(duration), (long long)nb_audios_, (long long)nb_videos_, (int)consumers_.size());
    nb_audios_ = nb_videos_ = 0;
}

srs_utime_t SrsLiveSource::publisher_silence() const {
    if (!publisher_) {
        return 0;
    }
    return srs_update_system_time() - last_media_time_;
}

bool SrsLiveSource::publisher_is_stale(srs_utime_t threshold) const {
    return publisher_ && publisher_silence() > threshold;
}

void SrsLiveSource::kick_publisher(const std::string& reason) {
    ISrsLivePublisher* p = publisher_;
    if (!p) {
        return;
    }
    srs_warn("source %s: kick publisher (%s), silent for %d ms", url_.c_str(), reason.c_str(),
             srsu2msi(publisher_silence()));
    kick_reason_ = reason;
    do_unpublish();
    p->on_publish_kicked();
}

srs_error_t SrsLiveSource::on_audio(const SrsMediaMessage& msg) {
    return on_av(msg);
}

srs_error_t SrsLiveSource::on_video(const SrsMediaMessage& msg) {
    return on_av(msg);
}

srs_error_t SrsLiveSource::on_av(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if (!publisher_) {
        return srs_error_new(ERROR_SOURCE_NOT_PUBLISHING, "source %s has no publisher", url_.c_str());
    }
    last_media_time_ = srs_update_system_time();
    (msg.is_audio() ? nb_audios_ : nb_videos_)++;

    if (!config_.mix_correct) {
        return on_av_imp(msg);
    }
    mix_queue_.push(msg);
    SrsMediaMessage m;
    while (mix_queue_.pop(&m)) {
        srs_error_t r = on_av_imp(m);
        if (r != srs_success && err == srs_success) {
            err = std::move(r);
        }
    }
    return err;
}

srs_error_t SrsLiveSource::on_av_imp(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    bool audio = msg.is_audio();

    // The first question asked of a message entering the hub: its payload works out its
    // keyframe and sequence header flags here, once, for every player and feature after.
    if (msg.is_sequence_header()) {
        (audio ? audio_sh_ : video_sh_) = msg;
        update_codec_info(msg);
    } else if (!(audio ? codec_.audio_codec_id : codec_.video_codec_id)) {
        update_codec_info(msg);
    } else if (!audio && codec_.width == 0 && codec_.video_codec_id == SrsVideoCodecIdVP9 && msg.is_keyframe()) {
        // VP9's size is in its keyframes, not in its sequence header.
        update_codec_info(msg);
    }

    // Players first, so a slow handler never delays them.
    fan_out(msg);
    gop_cache_.cache(msg);

    for (auto& h : handlers_) {
        srs_error_t r = audio ? h->on_audio(msg) : h->on_video(msg);
        if (r != srs_success && err == srs_success) {
            err = srs_error_wrap(r, "source %s %s handler", url_.c_str(), audio ? "audio" : "video");
        }
    }
    return err;
}

void SrsLiveSource::fan_out(const SrsMediaMessage& msg) {
    fanout_.push(msg);
    if (!waiters_.empty()) {
        wake_waiters(srs_update_system_time());
    }
    if (fanout_.need_sweep()) {
        // Players that have not pulled for a while (stalled in a write, paused) take their
        // messages now, into their own bounded queues, so the fan-out can let go of them.
        uint64_t keep = fanout_.keep_from();
        for (SrsLiveConsumer* c : consumers_) {
            if (c->cursor() < keep) {
                c->pull();
            }
        }
        fanout_.trim(keep);
    }
}

void SrsLiveSource::fan_out_event(SrsLiveConsumerEvent ev) {
    fanout_.push_event(ev);
    for (SrsLiveConsumer* c : consumers_) {
        c->wakeup();
    }
}

void SrsLiveSource::wake_later(SrsLiveConsumer* consumer, srs_utime_t deadline) {
    waiters_.push_back(Waiter{consumer, deadline});
}

void SrsLiveSource::tick(srs_utime_t now) {
    wake_waiters(now);
}

void SrsLiveSource::wake_waiters(srs_utime_t now) {
    // Runs per message: a scan of a flat array, touching a consumer only to wake it.
    size_t kept = 0;
    for (size_t i = 0; i < waiters_.size(); i++) {
        const Waiter& w = waiters_[i];
        if (w.deadline <= now) {
            w.consumer->on_source_wake();
        } else {
            waiters_[kept++] = w;
        }
    }
    waiters_.resize(kept);
}

srs_error_t SrsLiveSource::on_meta_data(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if (!publisher_) {
        return srs_error_new(ERROR_SOURCE_NOT_PUBLISHING, "source %s has no publisher", url_.c_str());
    }

    // onMetaData describes the stream, it is no frame at a time: players, recorders and
    // forwards get it at 0 whatever the publisher stamped (GStreamer's flvmux re-sends it at
    // its running time), since FFmpeg's FLV demuxer takes script data at any other time for
    // a packet of a phantom subtitle stream. SRS sends it at 0 too.
    SrsMediaMessage meta = msg;
    meta.timestamp = 0;
    meta_ = meta;
    fan_out(meta);
    for (auto& h : handlers_) {
        srs_error_t r = h->on_meta_data(meta);
        if (r != srs_success && err == srs_success) {
            err = srs_error_wrap(r, "source %s metadata handler", url_.c_str());
        }
    }
    return err;
}

srs_error_t SrsLiveSource::on_aggregate(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    SrsFlvAggregateIterator it(msg);
    while (true) {
        SrsMediaMessage sub;
        bool done = false;
        if ((err = it.next(&sub, &done)) != srs_success || done) {
            return err;
        }
        if (sub.type == SrsMsgAudio) {
            err = on_audio(sub);
        } else if (sub.type == SrsMsgVideo) {
            err = on_video(sub);
        } else if (sub.type == SrsMsgAMF0Data) {
            err = on_meta_data(sub);
        }
        // Nothing else belongs in an aggregate: other tags are skipped.
        if (err != srs_success) {
            return srs_error_wrap(err, "aggregate type=%d size=%d", sub.type, sub.size());
        }
    }
}

void SrsLiveSource::update_codec_info(const SrsMediaMessage& msg) {
    int size = msg.size();
    if (size < 1) {
        return;
    }

    // VP9's sequence start (vpcC) has no picture size: the first keyframe after it has (its
    // uncompressed header); parsed once per sequence, while the size is unknown.
    if (msg.is_keyframe() && format_ && codec_.video_codec_id == SrsVideoCodecIdVP9 && codec_.width == 0) {
        srs_error_t err = format_->on_video(msg.timestamp, msg.data(), size);
        if (err == srs_success && format_->has_video_config() && format_->vcodec().width > 0) {
            codec_.width = format_->vcodec().width;
            codec_.height = format_->vcodec().height;
            srs_trace("source %s: video VP9 %dx%d, from the keyframe's header", url_.c_str(), codec_.width,
                      codec_.height);
        }
        srs_error_reset(err);
        return;
    }

    if (!msg.is_sequence_header()) {
        // Codecs without a sequence header (MP3, Speex, VP6, ...): the FLV tag header.
        if (msg.is_video()) {
            if (int id = SrsFlvTag::video_codec_id(msg.data(), size)) {
                codec_.video_codec_id = id;
            }
        } else if (msg.is_audio()) {
            codec_.audio_codec_id = SrsFlvTag::audio_codec_id(msg.data(), size);
        }
        return;
    }

    if (!format_) {
        format_ = std::make_unique<SrsFormat>();
    }
    srs_error_t err = msg.is_video() ? format_->on_video(msg.timestamp, msg.data(), size)
                                     : format_->on_audio(msg.timestamp, msg.data(), size);
    if (err != srs_success) {
        // Not fatal: the stream still passes through to players untouched.
        srs_warn("source %s: cannot parse %s sequence header of %d bytes: %s", url_.c_str(),
                 msg.is_video() ? "video" : "audio", size, srs_error_summary(err).c_str());
        return;
    }

    if (msg.is_video() && format_->has_video_config()) {
        const SrsVideoCodecConfig& v = format_->vcodec();
        codec_.video_codec_id = v.id;
        codec_.video_profile = v.profile;
        codec_.video_level = v.level;
        codec_.width = v.width;
        codec_.height = v.height;
        srs_trace("source %s: video %s profile=%d level=%d %dx%d", url_.c_str(), srs_video_codec_id2str(v.id),
                  v.profile, v.level, v.width, v.height);
    } else if (msg.is_audio() && format_->has_audio_config()) {
        const SrsAudioCodecConfig& a = format_->acodec();
        codec_.audio_codec_id = a.id;
        codec_.aac_object = a.aac_object;
        codec_.sample_rate = a.sample_rate;
        codec_.channels = a.channels;
        srs_trace("source %s: audio %s object=%d %dHz %d channels", url_.c_str(), srs_audio_codec_id2str(a.id),
                  (int)a.aac_object, a.sample_rate, a.channels);
    }
}

srs_error_t SrsLiveSource::create_consumer(const SrsLiveConsumerConfig& config, std::unique_ptr<SrsLiveConsumer>* out) {
    std::shared_ptr<SrsLiveSource> self = weak_from_this().lock();
    if (!self) {
        return srs_error_new(ERROR_SYSTEM_ASSERT_FAILED, "source %s is not held by a shared_ptr", url_.c_str());
    }
    auto consumer = std::make_unique<SrsLiveConsumer>(std::move(self), config);
    consumers_.push_back(consumer.get());
    *out = std::move(consumer);
    for (auto& h : handlers_) {
        h->on_player();
    }
    return srs_success;
}

void SrsLiveSource::consumer_dumps(SrsLiveConsumer* consumer, bool dump_seq_headers, bool dump_meta, bool dump_gop) {
    // What was fanned out before goes first (a player re-enabling video gets the headers
    // after the messages it already had).
    consumer->pull();
    // With atc the player sees the publisher's clock: put the headers at the GOP's start
    // so its first timestamps do not go backwards.
    bool atc = consumer->config().atc;
    int64_t gop_start = gop_cache_.start_time();

    // The metadata stays at 0 (see on_meta_data).
    auto give = [&](const SrsMediaMessage& m) {
        if (!m.payload) {
            return;
        }
        if (atc && gop_start >= 0 && m.is_av()) {
            SrsMediaMessage copy = m;
            copy.timestamp = gop_start;
            consumer->enqueue(copy);
        } else {
            consumer->enqueue(m);
        }
    };

    if (dump_meta) {
        give(meta_);
    }
    if (dump_seq_headers) {
        give(video_sh_);
        give(audio_sh_);
    }
    if (dump_gop) {
        for (int i = 0; i < gop_cache_.size(); i++) {
            consumer->enqueue(gop_cache_.at(i));
        }
    }
}

void SrsLiveSource::update_consumers(const SrsLiveConsumerConfig& config) {
    for (SrsLiveConsumer* c : consumers_) {
        c->update_config(config);
    }
}

int SrsLiveSource::expire_consumers(const std::string& reason) {
    int n = 0;
    for (SrsLiveConsumer* c : consumers_) {
        if (!c->expired()) {
            c->expire(reason);
            n++;
        }
    }
    return n;
}

void SrsLiveSource::on_consumer_destroy(SrsLiveConsumer* consumer) {
    auto it = std::find(consumers_.begin(), consumers_.end(), consumer);
    if (it != consumers_.end()) {
        consumers_.erase(it);
    }
    waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(),
                                  [consumer](const Waiter& w) { return w.consumer == consumer; }),
                   waiters_.end());
}

SrsLiveSourceManager::SrsLiveSourceManager(srs_utime_t idle_timeout, srs_utime_t sweep_interval)
    : idle_timeout_(idle_timeout), sweep_interval_(sweep_interval) {}

SrsLiveSourceManager::~SrsLiveSourceManager() {
    stop();
}

void SrsLiveSourceManager::add_handler_factory(ISrsLiveSourceHandlerFactory* factory) {
    factories_.push_back(factory);
}

srs_error_t SrsLiveSourceManager::fetch_or_create(const std::string& vhost, const std::string& app,
                                                  const std::string& stream, const SrsLiveSourceConfig& config,
                                                  std::shared_ptr<SrsLiveSource>* out) {
    std::string url = srs_live_stream_url(vhost, app, stream);
    auto it = sources_.find(url);
    if (it != sources_.end()) {
        *out = it->second;
        return srs_success;
    }

    auto source = std::make_shared<SrsLiveSource>(vhost, app, stream);
    source->update_config(config);
    for (ISrsLiveSourceHandlerFactory* f : factories_) {
        source->add_handler(f->create_handler(source.get()));
    }
    // The sweeper ticks the sources (wakes their waiting players when the stream is silent).
    source->set_ticked(trd_ != nullptr);
    sources_[url] = source;
    srs_trace("source %s created, %d handlers, %d sources", url.c_str(), source->nb_handlers(), (int)sources_.size());
    *out = std::move(source);
    return srs_success;
}

std::shared_ptr<SrsLiveSource> SrsLiveSourceManager::find(const std::string& url) const {
    auto it = sources_.find(url);
    return it == sources_.end() ? nullptr : it->second;
}

srs_error_t SrsLiveSourceManager::start() {
    if (trd_) {
        return srs_success;
    }
    trd_ = std::make_unique<SrsCoroutine>("source-sweep", this);
    return trd_->start();
}

void SrsLiveSourceManager::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
    // Nothing ticks any more: players go back to timers of their own.
    for (auto& it : sources_) {
        it.second->set_ticked(false);
        it.second->tick(INT64_MAX);
    }
}

int SrsLiveSourceManager::sweep() {
    srs_utime_t now = srs_update_system_time();
    int freed = 0;
    for (auto it = sources_.begin(); it != sources_.end();) {
        SrsLiveSource* s = it->second.get();
        s->tick(now);
        // Only the manager holds it: no consumer, no connection, no publisher.
        bool unused = it->second.use_count() == 1 && !s->publishing();
        if (!unused) {
            s->set_idle_since(0);
            ++it;
            continue;
        }
        if (!s->idle_since()) {
            s->set_idle_since(now);
        }
        if (now - s->idle_since() < idle_timeout_) {
            ++it;
            continue;
        }
        srs_trace("source %s freed after %d ms unused", it->first.c_str(), srsu2msi(now - s->idle_since()));
        it = sources_.erase(it);
        freed++;
    }
    // After a mass end of streams, give the freed heap back to the system: glibc keeps it
    // otherwise, and the process looks as big as at its peak.
    if (freed >= SRS_SOURCE_TRIM_THRESHOLD) {
        malloc_trim(0);
    }
    return freed;
}

srs_error_t SrsLiveSourceManager::cycle() {
    while (trd_->pull() == srs_success) {
        sweep();
        srs_usleep(sweep_interval_);
    }
    return srs_success;
}
