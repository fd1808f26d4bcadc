#include <srs_app_http_stream.hpp>

#include <srs_app_config.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_http_mp4.hpp>
#include <srs_app_http_ts_cache.hpp>
#include <srs_app_play_loop.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_app_vhost.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_raw_audio.hpp>
#include <srs_protocol_http_conn.hpp>
#include <srs_protocol_rtmp_request.hpp>

#include <vector>

namespace {

// How many queued messages one write takes at most: one writev of ~2 iovecs per message,
// within IOV_MAX with room for the chunk framing.
const int kMaxMessagesPerWrite = 128;

// The response body as an ISrsWriter, for the kernel's encoders.
class HttpBodyWriter : public ISrsWriter {
public:
    explicit HttpBodyWriter(ISrsHttpResponseWriter* w) : w_(w) {}
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        srs_error_t err = w_->write((const char*)buf, (int)size);
        if (err == srs_success && nwrite) {
            *nwrite = (ssize_t)size;
        }
        return err;
    }
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override {
        return w_->writev(iov, iov_size, nwrite);
    }

private:
    ISrsHttpResponseWriter* w_;
};

// One player's encoder: the kernel transmuxer of its kind over the response body, or for TS
// the stream's shared TS bytes.
class LiveEncoder {
public:
    LiveEncoder(SrsLiveStreamKind kind, ISrsWriter* out) : kind_(kind), out_(out) {
        switch (kind) {
            case SrsLiveStreamKind::Flv:
                flv_ = std::make_unique<SrsFlvTransmuxer>(out);
                break;
            case SrsLiveStreamKind::Ts:
                break;
            case SrsLiveStreamKind::Aac:
                aac_ = std::make_unique<SrsAacStreamTransmuxer>(out);
                break;
            case SrsLiveStreamKind::Mp3:
                mp3_ = std::make_unique<SrsMp3StreamTransmuxer>(out);
                break;
            case SrsLiveStreamKind::Mp4:
                break;
        }
    }

    srs_error_t write_header(bool has_audio, bool has_video, srs_utime_t mp4_fragment) {
        if (flv_) {
            return flv_->write_header(has_audio, has_video);
        }
        if (kind_ == SrsLiveStreamKind::Mp4) {
            // The init segment waits for the codecs; the tracks expected are known now.
            mp4_ = std::make_unique<SrsHttpMp4Encoder>(out_, has_video, has_audio, srsu2ms(mp4_fragment));
        }
        return srs_success;
    }

    // A batch goes out in one writev whose iovecs point at the shared payloads (for TS, at the
    // stream's TS bytes of each message; ts is null until the stream publishes).
    srs_error_t write(const std::vector<SrsMediaMessage>& msgs, const SrsTsStreamCache* ts) {
        const SrsMediaMessage* p = msgs.data();
        int n = (int)msgs.size();
        switch (kind_) {
            case SrsLiveStreamKind::Flv:
                return flv_->write_tags(p, n);
            case SrsLiveStreamKind::Aac:
                return aac_->write_messages(p, n);
            case SrsLiveStreamKind::Mp3:
                return mp3_->write_messages(p, n);
            case SrsLiveStreamKind::Ts:
                return write_ts(msgs, ts);
            case SrsLiveStreamKind::Mp4:
                return mp4_->write_messages(p, n);
        }
        return srs_success;
    }

private:
    srs_error_t write_ts(const std::vector<SrsMediaMessage>& msgs, const SrsTsStreamCache* ts) {
        if (!ts) {
            return srs_success;
        }
        ts_chunks_.clear();
        iovs_.clear();
        for (const SrsMediaMessage& m : msgs) {
            std::shared_ptr<SrsSharedPayload> chunk = ts->find(m);
            if (chunk) {
                iovs_.push_back(iovec{chunk->data(), (size_t)chunk->size()});
                ts_chunks_.push_back(std::move(chunk));
            }
        }
        if (iovs_.empty()) {
            return srs_success;
        }
        return out_->writev(iovs_.data(), (int)iovs_.size(), nullptr);
    }

private:
    SrsLiveStreamKind kind_;
    ISrsWriter* out_;
    std::unique_ptr<SrsFlvTransmuxer> flv_;
    // The TS bytes of the batch being sent, held until written.
    std::vector<std::shared_ptr<SrsSharedPayload>> ts_chunks_;
    std::vector<iovec> iovs_;
    std::unique_ptr<SrsAacStreamTransmuxer> aac_;
    std::unique_ptr<SrsMp3StreamTransmuxer> mp3_;
    std::unique_ptr<SrsHttpMp4Encoder> mp4_;
};

SrsLiveSourceConfig source_config(const SrsConfig* conf, const std::string& vhost) {
    return conf ? srs_live_source_config_load(*conf, vhost) : SrsLiveSourceConfig();
}

SrsClientType client_type(SrsLiveStreamKind kind) {
    switch (kind) {
        case SrsLiveStreamKind::Flv:
            return SrsClientFlvPlay;
        case SrsLiveStreamKind::Ts:
            return SrsClientTsPlay;
        case SrsLiveStreamKind::Aac:
            return SrsClientAacPlay;
        case SrsLiveStreamKind::Mp3:
            return SrsClientMp3Play;
        case SrsLiveStreamKind::Mp4:
            return SrsClientMp4Play;
    }
    return SrsClientFlvPlay;
}

// Mounts a stream while it publishes.
class HttpStreamSourceHandler : public ISrsLiveSourceHandler, public ISrsHttpStreamMountee {
public:
    HttpStreamSourceHandler(SrsHttpStreamServer* server, const std::string& vhost, const std::string& app,
                            const std::string& stream)
        : server_(server), vhost_(vhost), app_(app), stream_(stream), url_(srs_live_stream_url(vhost, app, stream)) {
        server_->add_mountee(url_, this);
    }
    ~HttpStreamSourceHandler() override {
        if (server_) {
            on_unpublish();
            server_->remove_mountee(url_, this);
        }
    }
    void detach() override {
        server_ = nullptr;
        ts_ = nullptr;
    }

    // A reload moved the mount of the running stream: follow the new mount's shared TS, which
    // starts from the stream's current sequence headers (players join at the next keyframe).
    void on_remount(SrsLiveSource* source) override {
        if (!server_) {
            return;
        }
        ts_ = server_->ts_cache(url_);
        if (ts_) {
            for (const SrsMediaMessage* m : {&source->video_sequence_header(), &source->audio_sequence_header()}) {
                if (m->payload) {
                    ts_->on_message(*m);
                }
            }
        }
    }

    srs_error_t on_publish() override {
        if (!server_) {
            return srs_success;
        }
        srs_error_t err = server_->mount(vhost_, app_, stream_);
        if (err != srs_success) {
            // The stream goes on without its HTTP mount.
            srs_warn("http-stream: mount %s/%s: %s", app_.c_str(), stream_.c_str(), srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
        ts_ = server_->ts_cache(srs_live_stream_url(vhost_, app_, stream_));
        return srs_success;
    }
    void on_unpublish() override {
        if (server_) {
            server_->unmount(vhost_, app_, stream_);
        }
        ts_ = nullptr;
    }
    srs_error_t on_audio(const SrsMediaMessage& msg) override {
        if (ts_) {
            ts_->on_message(msg);
        }
        return srs_success;
    }
    srs_error_t on_video(const SrsMediaMessage& msg) override {
        if (ts_) {
            ts_->on_message(msg);
        }
        return srs_success;
    }

private:
    SrsHttpStreamServer* server_;
    // The stream's shared TS while it publishes on a .ts mount.
    std::shared_ptr<SrsTsStreamCache> ts_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
};

}  // namespace

bool srs_live_stream_kind_from_ext(const std::string& ext, SrsLiveStreamKind* kind) {
    std::string e = srs_string_lower(ext);
    if (e == ".flv") {
        *kind = SrsLiveStreamKind::Flv;
    } else if (e == ".ts") {
        *kind = SrsLiveStreamKind::Ts;
    } else if (e == ".aac") {
        *kind = SrsLiveStreamKind::Aac;
    } else if (e == ".mp3") {
        *kind = SrsLiveStreamKind::Mp3;
    } else if (e == ".mp4") {
        *kind = SrsLiveStreamKind::Mp4;
    } else {
        return false;
    }
    return true;
}

const char* srs_live_stream_content_type(SrsLiveStreamKind kind) {
    switch (kind) {
        case SrsLiveStreamKind::Flv:
            return "video/x-flv";
        case SrsLiveStreamKind::Ts:
            return "video/MP2T";
        case SrsLiveStreamKind::Aac:
            return "audio/aac";
        case SrsLiveStreamKind::Mp3:
            return "audio/mpeg";
        case SrsLiveStreamKind::Mp4:
            return "video/mp4";
    }
    return "application/octet-stream";
}

const char* srs_live_stream_client_type(SrsLiveStreamKind kind) {
    return srs_client_type_string(client_type(kind));
}

SrsHttpRemuxConfig srs_http_remux_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsHttpRemuxConfig c;
    c.enabled = conf.vhost(vhost, srs_key::vhost_http_remux_enabled);
    c.mount = conf.vhost(vhost, srs_key::vhost_http_remux_mount);
    c.has_audio = conf.vhost(vhost, srs_key::vhost_http_remux_has_audio);
    c.has_video = conf.vhost(vhost, srs_key::vhost_http_remux_has_video);
    c.guess_has_av = conf.vhost(vhost, srs_key::vhost_http_remux_guess_has_av);
    c.mp4_fragment = conf.vhost(vhost, srs_key::vhost_http_remux_mp4_fragment);
    return c;
}

std::string srs_http_remux_mount_pattern(const std::string& mount, const std::string& vhost, const std::string& app,
                                         const std::string& stream) {
    bool default_vhost = vhost == SRS_CONSTS_RTMP_DEFAULT_VHOST;
    bool host_form = srs_string_starts_with(mount, "[vhost]") && !default_vhost;
    std::string s = srs_string_replace(mount, "[vhost]", default_vhost ? "" : vhost);
    s = srs_string_replace(s, "[app]", app);
    s = srs_string_replace(s, "[stream]", stream);
    if (!host_form && !srs_string_starts_with(s, "/")) {
        s = "/" + s;
    }
    while (srs_string_contains(s, "//")) {
        s = srs_string_replace(s, "//", "/");
    }
    return s;
}

bool srs_http_remux_match(const std::string& mount, const std::string& vhost, const std::string& host,
                          const std::string& path, std::string* app, std::string* stream) {
    std::string t = srs_http_remux_mount_pattern(mount, vhost, "[app]", "[stream]");
    if (!srs_string_starts_with(t, "/")) {
        // A host pattern: only that Host.
        if (!srs_string_starts_with(t, vhost + "/") || srs_string_lower(host) != srs_string_lower(vhost)) {
            return false;
        }
        t = t.substr(vhost.size());
    }
    size_t pa = t.find("[app]"), ps = t.find("[stream]");
    if (pa == std::string::npos || ps == std::string::npos || ps < pa + 5) {
        return false;
    }
    std::string prefix = t.substr(0, pa);
    std::string mid = t.substr(pa + 5, ps - pa - 5);
    std::string suffix = t.substr(ps + 8);
    if (path.size() < prefix.size() + mid.size() + suffix.size() + 2 || !srs_string_starts_with(path, prefix) ||
        !srs_string_ends_with(path, suffix)) {
        return false;
    }
    std::string rest = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    size_t pos = mid.empty() ? std::string::npos : rest.rfind(mid);
    if (pos == std::string::npos || pos == 0) {
        return false;
    }
    std::string a = rest.substr(0, pos), s = rest.substr(pos + mid.size());
    if (a.empty() || s.empty() || srs_string_contains(s, "/")) {
        return false;
    }
    *app = a;
    *stream = s;
    return true;
}

SrsLiveConsumerConfig srs_http_stream_consumer_config(const SrsConfig& conf, const std::string& vhost) {
    return srs_live_consumer_config_load(conf, vhost);
}

SrsLiveStreamHandler::SrsLiveStreamHandler(SrsHttpStreamServer* server, const std::string& vhost,
                                           const std::string& app, const std::string& stream, SrsLiveStreamKind kind)
    : server_(server), vhost_(vhost), app_(app), stream_(stream), kind_(kind) {
    url_ = srs_live_stream_url(vhost, app, stream);
}

srs_error_t SrsLiveStreamHandler::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    // On the heap, as the set-up's temporaries are off the stack (see start_player).
    std::unique_ptr<SrsClientLease> lease = std::make_unique<SrsClientLease>();
    std::shared_ptr<SrsLiveSource> source;
    std::unique_ptr<SrsLiveConsumer> consumer;
    bool answered = false;
    srs_error_t err = start_player(w, r, lease.get(), &source, &consumer, &answered);
    if (err != srs_success || answered) {
        return err;
    }

    err = do_serve(w, r, consumer.get(), source.get());

    server_->players_.erase(consumer.get());
    server_->nb_players_--;
    // on_stop, and the player leaves the statistics.
    bool failed = err != srs_success && !srs_is_client_gracefully_close(err) && !srs_is_server_gracefully_close(err);
    lease->set_end(failed ? SrsClientEnd::Failed : SrsClientEnd::Normal);
    lease->release();
    return err;
}

__attribute__((noinline)) srs_error_t SrsLiveStreamHandler::start_player(ISrsHttpResponseWriter* w, SrsHttpMessage* r,
                                                                         SrsClientLease* lease,
                                                                         std::shared_ptr<SrsLiveSource>* source,
                                                                         std::unique_ptr<SrsLiveConsumer>* consumer,
                                                                         bool* answered) {
    srs_error_t err = srs_success;
    *answered = true;
    if (!r->is_get() && !r->is_head()) {
        w->header()->set("Allow", "GET, HEAD");
        return srs_http_write_error(w, 405);
    }

    std::shared_ptr<const SrsConfig> conf = server_->config();
    std::string cid = srs_context_get();

    // The lifecycle admits the player (security, refer, on_play) once, before anything is set
    // up; a HEAD is no player: security and refer only.
    SrsHookRequest hr = srs_hook_request_of_http_player(r, cid, vhost_, app_, stream_);
    if (conf) {
        if (r->is_head()) {
            err = server_->lifecycle()->check(*conf, srs_http_player_ask(), hr);
        } else {
            err = server_->lifecycle()->admit(*conf, srs_http_player_ask(), hr, lease);
        }
        if (err != srs_success) {
            srs_warn("http-stream: %s play %s refused, 403: %s", r->peer_ip().c_str(), url_.c_str(),
                     srs_error_summary(err).c_str());
            srs_error_reset(err);
            return srs_http_write_error(w, 403);
        }
    } else {
        server_->lifecycle()->admit_unchecked(srs_http_player_ask(), hr, lease);
    }

    if ((err = server_->sources()->fetch_or_create(vhost_, app_, stream_, source_config(conf.get(), vhost_), source)) !=
        srs_success) {
        return srs_error_wrap(err, "http-stream: source %s", url_.c_str());
    }

    w->header()->set_content_type(srs_live_stream_content_type(kind_));
    // A live body must not be cached or transformed by proxies.
    w->header()->set("Cache-Control", "no-cache");
    if (r->is_head()) {
        w->write_header(200);
        return w->final_request();
    }

    SrsLiveConsumerConfig cc = conf ? srs_http_stream_consumer_config(*conf, vhost_) : SrsLiveConsumerConfig();
    if ((err = (*source)->create_consumer(cc, consumer)) != srs_success) {
        return srs_error_wrap(err, "http-stream: consumer of %s", url_.c_str());
    }
    // Metadata only means something to FLV; the raw audio bodies skip video anyway.
    (*source)->consumer_dumps(consumer->get(), true, kind_ == SrsLiveStreamKind::Flv, true);

    SrsStatisticRequest req;
    req.vhost = vhost_;
    req.app = app_;
    req.stream = stream_;
    req.tcUrl = "http://" + r->host() + r->path();
    req.ip = r->peer_ip();
    lease->join_stats(req, client_type(kind_), r->io());
    server_->nb_players_++;
    // A reload that removes or changes this vhost's mount disconnects the player (remount).
    server_->players_[consumer->get()] =
        SrsHttpStreamServer::Player{vhost_, conf ? srs_http_remux_config_load(*conf, vhost_).mount : ""};
    srs_trace("http-stream: %s play %s as %s, consumers=%d", r->peer_ip().c_str(), url_.c_str(),
              srs_live_stream_client_type(kind_), (*source)->nb_consumers());
    *answered = false;
    return err;
}

namespace {

// An HTTP player's end of the play loop: the body encoder out; in, only the client's close
// (a streaming client has nothing to say), seen by polling the socket between sends.
class HttpPlaySink : public ISrsLivePlaySink {
public:
    HttpPlaySink(SrsHttpStreamServer* server, const std::string& url, SrsLiveStreamKind kind, LiveEncoder* enc,
                 SrsStSocket* skt, SrsHttpDisconnectWatcher* watcher)
        : server_(server), url_(url), kind_(kind), enc_(enc), skt_(skt), watcher_(watcher) {}

    srs_error_t write_batch(std::vector<SrsMediaMessage>& msgs) override {
        if (kind_ == SrsLiveStreamKind::Ts && !ts_) {
            ts_ = server_->ts_cache(url_);
        }
        srs_error_t err = enc_->write(msgs, ts_.get());
        if (err != srs_success) {
            return srs_error_wrap(err, "http-stream: send %d messages", (int)msgs.size());
        }
        return err;
    }

    srs_error_t on_stream_event(SrsLiveConsumerEvent ev, bool* end) override {
        // The publisher left: a new publish may bring other codecs and timestamps, which an
        // FLV/TS body cannot announce, so this response ends (players reconnect).
        *end = ev == SrsLiveConsumerEvent::Unpublish;
        return srs_success;
    }

    srs_error_t read_input(ISrsLivePlayControl* control, bool* closed) override {
        (void)control;
        (void)closed;
        if (watcher_) {
            return watcher_->pull();
        }
        if (!skt_) {
            return srs_success;
        }
        // A readable socket returns at once from read: bytes (dropped), the end, or an error.
        // Bounded, so a client that keeps sending cannot hold the loop here.
        char buf[256];
        for (int i = 0; i < 16 && skt_->readable_now(); i++) {
            ssize_t n = 0;
            srs_error_t err = skt_->read(buf, sizeof(buf), &n);
            if (err != srs_success) {
                std::string reason = srs_error_summary(err);
                srs_error_reset(err);
                return srs_error_new(ERROR_SOCKET_CLOSED, "client gone: %s", reason.c_str());
            }
        }
        return srs_success;
    }

    int64_t send_bytes() const override { return skt_ ? skt_->get_send_bytes() : -1; }

    // Before the wait too: the stream's TS goes with its publish, and a player that joins just
    // before an unpublish first wakes after it.
    void before_wait() override {
        if (kind_ == SrsLiveStreamKind::Ts && !ts_) {
            ts_ = server_->ts_cache(url_);
        }
    }

private:
    SrsHttpStreamServer* server_;
    const std::string& url_;
    SrsLiveStreamKind kind_;
    LiveEncoder* enc_;
    SrsStSocket* skt_;
    SrsHttpDisconnectWatcher* watcher_;
    // Set once the stream publishes (a player may come first and wait).
    std::shared_ptr<SrsTsStreamCache> ts_;
};

}  // namespace

__attribute__((noinline)) void SrsLiveStreamHandler::body_tracks(SrsLiveSource* source, bool* has_audio,
                                                                 bool* has_video) {
    std::shared_ptr<const SrsConfig> conf = server_->config();
    SrsHttpRemuxConfig rc = conf ? srs_http_remux_config_load(*conf, vhost_) : SrsHttpRemuxConfig();
    *has_audio = rc.has_audio;
    *has_video = rc.has_video;
    const SrsLiveCodecInfo& codec = source->codec_info();
    bool audio_seen = codec.audio_codec_id != 0;
    bool video_seen = codec.video_codec_id != 0;
    if (rc.guess_has_av && source->publishing() && (audio_seen || video_seen)) {
        *has_audio = *has_audio && audio_seen;
        *has_video = *has_video && video_seen;
    }
}

srs_error_t SrsLiveStreamHandler::do_serve(ISrsHttpResponseWriter* w, SrsHttpMessage* r, SrsLiveConsumer* consumer,
                                           SrsLiveSource* source) {
    srs_error_t err = srs_success;

    // The client going away is seen by polling its socket between sends, in this coroutine;
    // an IO that is not a socket gets a reader coroutine instead.
    SrsStSocket* skt = dynamic_cast<SrsStSocket*>(r->io());
    std::unique_ptr<SrsHttpDisconnectWatcher> watcher;
    if (r->io() && !skt) {
        watcher = std::make_unique<SrsHttpDisconnectWatcher>(r->io());
        if ((err = watcher->start()) != srs_success) {
            return srs_error_wrap(err, "http-stream: watcher");
        }
    }

    bool has_audio = false, has_video = false;
    body_tracks(source, &has_audio, &has_video);
    std::shared_ptr<const SrsConfig> conf = server_->config();
    srs_utime_t mp4_fragment =
        conf ? srs_http_remux_config_load(*conf, vhost_).mp4_fragment : SrsHttpRemuxConfig().mp4_fragment;
    HttpBodyWriter body(w);
    LiveEncoder enc(kind_, &body);
    // The head and the FLV header go out at once, so the client knows the stream exists.
    if ((err = enc.write_header(has_audio, has_video, mp4_fragment)) != srs_success) {
        return srs_error_wrap(err, "http-stream: header");
    }
    if (kind_ != SrsLiveStreamKind::Flv) {
        w->write_header(200);
        if ((err = w->write(nullptr, 0)) != srs_success) {
            return srs_error_wrap(err, "http-stream: head");
        }
    }

    SrsLivePlayOptions options;
    options.max_batch = kMaxMessagesPerWrite;
    options.idle_timeout = server_->idle_timeout();
    // A player that stops reading is behind by its queue (queue_length) and what the kernel
    // holds: keep the latter to about a second of the stream, as for RTMP players.
    options.osfd = skt ? skt->osfd() : -1;
    HttpPlaySink sink(server_, url_, kind_, &enc, skt, watcher.get());
    SrsLivePlayLoop loop(consumer, &sink, options);
    if ((err = loop.run()) != srs_success) {
        if (srs_error_code(err) == ERROR_STREAM_KICKED) {
            srs_trace("http-stream: %s disconnected: %s", url_.c_str(), consumer->expire_reason().c_str());
            srs_error_t kicked =
                srs_error_new(ERROR_STREAM_KICKED, "http-stream: %s", consumer->expire_reason().c_str());
            srs_error_reset(err);
            return kicked;
        }
        return srs_error_wrap(err, "http-stream: %s", url_.c_str());
    }
    if (loop.end() == SrsLivePlayEnd::Event) {
        srs_trace("http-stream: %s unpublished, end after %lld messages", url_.c_str(), (long long)loop.nb_sent());
    } else if (loop.end() == SrsLivePlayEnd::Idle) {
        srs_trace("http-stream: %s no data for %d ms, end", url_.c_str(), srsu2msi(options.idle_timeout));
    }
    return w->final_request();
}

SrsHttpStreamServer::SrsHttpStreamServer(SrsLiveSourceManager* sources, SrsHttpServeMux* mux)
    : sources_(sources), mux_(mux), lifecycle_([this] { return config_; }, [this] { return stat_; }) {}

SrsHttpStreamServer::~SrsHttpStreamServer() {
    for (auto& it : mountees_) {
        it.second->detach();
    }
    for (auto& it : mounts_) {
        mux_->unhandle(it.second);
    }
}

srs_error_t SrsHttpStreamServer::mount(const std::string& vhost, const std::string& app, const std::string& stream) {
    srs_error_t err = srs_success;
    if (!config_) {
        return srs_success;
    }
    SrsHttpRemuxConfig rc = srs_http_remux_config_load(*config_, vhost);
    if (!rc.enabled) {
        return srs_success;
    }
    std::string pattern = srs_http_remux_mount_pattern(rc.mount, vhost, app, stream);
    size_t dot = pattern.rfind('.');
    SrsLiveStreamKind kind;
    if (dot == std::string::npos || !srs_live_stream_kind_from_ext(pattern.substr(dot), &kind)) {
        return srs_error_new(ERROR_HTTP_LIVE_STREAM_EXT, "mount %s: not .flv, .ts, .aac, .mp3 or .mp4",
                             rc.mount.c_str());
    }
    std::string url = srs_live_stream_url(vhost, app, stream);
    unmount(vhost, app, stream);
    if (mux_->has(pattern)) {
        mux_->unhandle(pattern);
    }
    auto h = std::make_shared<SrsLiveStreamHandler>(this, vhost, app, stream, kind);
    if ((err = mux_->handle(pattern, h)) != srs_success) {
        return srs_error_wrap(err, "mount %s", pattern.c_str());
    }
    mounts_[url] = pattern;
    if (kind == SrsLiveStreamKind::Ts) {
        ts_caches_[url] = std::make_shared<SrsTsStreamCache>();
    }
    srs_trace("http-stream: mount %s at %s", url.c_str(), pattern.c_str());
    return srs_success;
}

void SrsHttpStreamServer::unmount(const std::string& vhost, const std::string& app, const std::string& stream) {
    auto it = mounts_.find(srs_live_stream_url(vhost, app, stream));
    if (it == mounts_.end()) {
        return;
    }
    // Players being served keep their handler (the mux shares it); new requests wait in the
    // hijacker for the next publish.
    mux_->unhandle(it->second);
    srs_trace("http-stream: unmount %s", it->second.c_str());
    ts_caches_.erase(it->first);
    mounts_.erase(it);
}

int SrsHttpStreamServer::remount(const std::string& vhost) {
    SrsHttpRemuxConfig rc = config_ ? srs_http_remux_config_load(*config_, vhost) : SrsHttpRemuxConfig();
    // Players of a mount that went away or moved: their URL no longer serves the stream.
    int kicked = 0;
    for (auto& it : players_) {
        if (it.second.vhost == vhost && (!rc.enabled || it.second.mount != rc.mount) && !it.first->expired()) {
            it.first->expire(srs_fmt("http_remux of vhost %s %s by reload", vhost.c_str(),
                                     rc.enabled ? "mount changed" : "disabled"));
            kicked++;
        }
    }
    // Publishing streams get the new mount at once, not at their next publish.
    for (const auto& it : sources_->sources()) {
        SrsLiveSource* s = it.second.get();
        if (s->vhost() != vhost || !s->publishing()) {
            continue;
        }
        std::string want = rc.enabled ? srs_http_remux_mount_pattern(rc.mount, vhost, s->app(), s->stream()) : "";
        if (mounted(s->url()) == want) {
            continue;
        }
        unmount(vhost, s->app(), s->stream());
        srs_error_t err = mount(vhost, s->app(), s->stream());
        if (err != srs_success) {
            srs_warn("http-stream: remount %s: %s", s->url().c_str(), srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
        auto h = mountees_.find(s->url());
        if (h != mountees_.end()) {
            h->second->on_remount(s);
        }
    }
    return kicked;
}

std::shared_ptr<SrsTsStreamCache> SrsHttpStreamServer::ts_cache(const std::string& url) const {
    auto it = ts_caches_.find(url);
    return it == ts_caches_.end() ? nullptr : it->second;
}

void SrsHttpStreamServer::add_mountee(const std::string& url, ISrsHttpStreamMountee* h) {
    mountees_[url] = h;
}

void SrsHttpStreamServer::remove_mountee(const std::string& url, ISrsHttpStreamMountee* h) {
    auto it = mountees_.find(url);
    if (it != mountees_.end() && it->second == h) {
        mountees_.erase(it);
    }
}

std::string SrsHttpStreamServer::mounted(const std::string& url) const {
    auto it = mounts_.find(url);
    return it == mounts_.end() ? "" : it->second;
}

std::unique_ptr<ISrsLiveSourceHandler> SrsHttpStreamServer::create_handler(SrsLiveSource* source) {
    return std::make_unique<HttpStreamSourceHandler>(this, source->vhost(), source->app(), source->stream());
}

srs_error_t SrsHttpStreamServer::hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) {
    SrsLiveStreamKind kind;
    if (!config_ || !srs_live_stream_kind_from_ext(r->ext(), &kind)) {
        return srs_success;
    }
    if (*ph && dynamic_cast<SrsLiveStreamHandler*>(ph->get())) {
        return srs_success;
    }
    std::string vhost = config_->resolve_vhost(r->hostname());
    if (vhost.empty() || !config_->vhost_enabled(vhost)) {
        return srs_success;
    }
    SrsHttpRemuxConfig rc = srs_http_remux_config_load(*config_, vhost);
    SrsLiveStreamKind mount_kind;
    size_t dot = rc.mount.rfind('.');
    if (!rc.enabled || dot == std::string::npos || !srs_live_stream_kind_from_ext(rc.mount.substr(dot), &mount_kind) ||
        mount_kind != kind) {
        return srs_success;
    }
    std::string app, stream;
    if (!srs_http_remux_match(rc.mount, vhost, r->hostname(), r->path(), &app, &stream)) {
        return srs_success;
    }
    // A file the matched handler has (HLS's init.mp4 and .ts segments, DASH's, a DVR file) is
    // not a stream waiting for its publisher: a published stream is mounted exactly and never
    // gets here, so only unpublished names would shadow files.
    if (*ph && (*ph)->has_file(r->path())) {
        return srs_success;
    }
    // Not published yet: the player waits for the publisher like an RTMP player.
    *ph = std::make_shared<SrsLiveStreamHandler>(this, vhost, app, stream, kind);
    return srs_success;
}
