#include <srs_app_rtmp_conn.hpp>

#include <srs_app_config.hpp>
#include <srs_app_play_loop.hpp>
#include <srs_app_publish_feed.hpp>
#include <srs_app_rtmp_track_filter.hpp>
#include <srs_app_statistic.hpp>
#include <srs_app_vhost.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_rtmp_chunk.hpp>
#include <srs_protocol_rtmp_handshake.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>
#include <srs_protocol_rtmp_stack.hpp>

namespace {

bool srs_is_timeout(const srs_error_t& err) {
    return srs_error_code(err) == ERROR_SOCKET_TIMEOUT;
}

}  // namespace

SrsRtmpConn::SrsRtmpConn(ISrsFrontEndContext* server, SrsNetFd fd)
    : server_(server), fd_(std::move(fd)), cid_(srs_context_generate()), start_time_(srs_update_system_time()) {
    ip_ = srs_socket_peer_ip(fd_);
    port_ = srs_socket_peer_port(fd_);
    skt_ = std::make_unique<SrsStSocket>(fd_);
    rtmp_ = std::make_unique<SrsRtmpServer>(skt_.get());
    // Nobody we know yet: a publish that is accepted raises the limits (publishing()).
    rtmp_->protocol()->set_max_message_size(SRS_RTMP_UNTRUSTED_MAX_BYTES);
    rtmp_->protocol()->set_max_partial_bytes(SRS_RTMP_UNTRUSTED_MAX_BYTES);
    req_ = std::make_unique<SrsRequest>();
    req_->ip = ip_;
}

SrsRtmpConn::~SrsRtmpConn() {
    // The coroutine ends before the objects it uses go.
    if (trd_) {
        trd_->stop();
    }
}

srs_error_t SrsRtmpConn::start() {
    trd_ = std::make_unique<SrsCoroutine>("rtmp", this, cid_);
    return trd_->start();
}

void SrsRtmpConn::expire() {
    expired_ = true;
    if (trd_) {
        trd_->interrupt();
    }
}

void SrsRtmpConn::on_publish_kicked() {
    kicked_ = true;
    if (trd_) {
        trd_->interrupt();
    }
}

srs_error_t SrsRtmpConn::cycle() {
    srs_trace("RTMP client %s:%d accepted, fd=%d", ip_.c_str(), port_, fd_.osfd());

    srs_error_t err = do_cycle();

    int duration = srsu2msi(srs_update_system_time() - start_time_);
    long long in = (long long)skt_->get_recv_bytes();
    long long out = (long long)skt_->get_send_bytes();
    bool failed = false;
    if (err == srs_success) {
        srs_trace("RTMP client %s:%d closed at %s after %d ms, in=%lld out=%lld bytes", ip_.c_str(), port_,
                  stage_.c_str(), duration, in, out);
    } else if (kicked_ || expired_ || srs_is_client_gracefully_close(err) || srs_is_server_gracefully_close(err) ||
               srs_error_code(err) == ERROR_RTMP_STREAM_EOF || srs_error_code(err) == ERROR_RTMP_DURATION_EXCEED ||
               srs_error_code(err) == ERROR_STREAM_KICKED) {
        srs_trace("RTMP client %s:%d closed at %s after %d ms, in=%lld out=%lld bytes, reason: %s", ip_.c_str(), port_,
                  stage_.c_str(), duration, in, out, srs_error_summary(err).c_str());
    } else if (srs_error_code(err) == ERROR_RTMP_MESSAGE_TOO_LARGE ||
               srs_error_code(err) == ERROR_RTMP_CHUNK_STREAMS_LIMIT) {
        // Hostile or broken: one line that says which limit, and only this client goes.
        srs_warn("RTMP client %s:%d closed at %s after %d ms, in=%lld out=%lld bytes: over its memory limit: %s",
                 ip_.c_str(), port_, stage_.c_str(), duration, in, out, srs_error_summary(err).c_str());
        failed = true;
    } else {
        srs_warn("RTMP client %s:%d failed at %s after %d ms, in=%lld out=%lld bytes: %s", ip_.c_str(), port_,
                 stage_.c_str(), duration, in, out, srs_error_desc(err).c_str());
        failed = true;
    }
    // The client leaves the statistics (its last bytes counted), and on_close follows for a
    // client that on_connect let in, describing it as it is now.
    if (conn_lease_.active()) {
        conn_lease_.update(hook_request());
        conn_lease_.set_bytes(in, out);
        conn_lease_.set_end(failed ? SrsClientEnd::Failed : kicked_ ? SrsClientEnd::Kicked : SrsClientEnd::Normal);
        conn_lease_.release();
    }

    // The partial messages are freed with us; glibc would keep that heap for good (at the top
    // of the heap up to twice its mmap threshold, which a freed 16 MiB message raised to 16
    // MiB; in the middle, any of it), so ask for it to be given back once we are gone.
    int64_t peak = rtmp_->protocol()->peak_partial_bytes();
    if (peak >= SRS_RTMP_TRIM_AFTER_BYTES) {
        server_->conns().trim_heap_later();
    }
    // The manager destroys us later, from its own coroutine.
    server_->conns().remove(this);
    return srs_success;
}

srs_error_t SrsRtmpConn::do_cycle() {
    srs_error_t err = srs_success;

    // The command phase is a chain of small request/answer exchanges written in several
    // sends: without TCP_NODELAY, Nagle and the client's delayed ack add ~40 ms to each.
    // The vhost's tcp_nodelay applies once media flows.
    if ((err = srs_socket_set_nodelay(fd_, true)) != srs_success) {
        srs_warn("set TCP_NODELAY: %s", srs_error_summary(err).c_str());
        srs_error_reset(err);
    }

    // Each step until media flows has a bounded time.
    rtmp_->set_recv_timeout(SRS_RTMP_TIMEOUT);
    rtmp_->set_send_timeout(SRS_RTMP_TIMEOUT);

    stage_ = "handshake";
    bool complex = false;
    if ((err = SrsRtmpHandshake::server(skt_.get(), &complex)) != srs_success) {
        return srs_error_wrap(err, "handshake");
    }
    srs_trace("%s handshake done", complex ? "complex" : "simple");

    std::shared_ptr<SrsConfig> config = server_->config();
    stage_ = "connect";
    if ((err = connect_app(*config)) != srs_success) {
        return srs_error_wrap(err, "connect");
    }

    stage_ = "identify";
    return service(config);
}

srs_error_t SrsRtmpConn::connect_app(const SrsConfig& config) {
    srs_error_t err = srs_success;

    if ((err = rtmp_->connect_app(req_.get())) != srs_success) {
        return srs_error_wrap(err, "connect app");
    }
    srs_trace("connect app, tcUrl=%s, pageUrl=%s, swfUrl=%s, schema=%s, vhost=%s, port=%d, app=%s, param=%s",
              req_->tcUrl.c_str(), req_->pageUrl.c_str(), req_->swfUrl.c_str(), req_->schema.c_str(),
              req_->vhost.c_str(), req_->port, req_->app.c_str(), req_->param.c_str());
    if (!req_->fourcc_list.empty() || req_->caps_ex) {
        std::string list;
        for (const std::string& f : req_->fourcc_list) {
            list += (list.empty() ? "" : ",") + f;
        }
        srs_trace("connect app: enhanced RTMP client, fourCcList=%s, capsEx=%d", list.c_str(), req_->caps_ex);
    }

    if ((err = resolve_vhost(config, true)) != srs_success) {
        return err;
    }

    // The lifecycle may refuse the client (refer.all, on_connect), and so may the edge's
    // token_traverse, which asks the origin whether it takes this client's connect: _error.
    err = server_->lifecycle().connect(
        config, hook_request(), [this, &config] { return server_->check_cluster_connect(config, *req_); },
        &conn_lease_);
    if (err != srs_success) {
        srs_error_t r = rtmp_->response_connect_reject(req_.get(), srs_error_summary(err));
        srs_error_reset(r);
        srs_warn("connect refused, NetConnection.Connect.Rejected: %s", srs_error_summary(err).c_str());
        return err;
    }

    const std::string& vhost = req_->vhost;
    int64_t out_ack = config.vhost(vhost, srs_key::vhost_out_ack_size);
    if (out_ack > 0 && (err = rtmp_->set_window_ack_size((int)out_ack)) != srs_success) {
        return srs_error_wrap(err, "set window ack size");
    }
    // Dynamic (2), as SRS and FMS send it.
    if ((err = rtmp_->set_peer_bandwidth(2500000, 2)) != srs_success) {
        return srs_error_wrap(err, "set peer bandwidth");
    }
    int chunk_size = (int)config.vhost(vhost, srs_key::vhost_chunk_size);
    if (chunk_size <= 0) {
        chunk_size = 60000;
    }
    if ((err = rtmp_->set_chunk_size(chunk_size)) != srs_success) {
        return srs_error_wrap(err, "set chunk size %d", chunk_size);
    }
    std::string server_id = server_->stat() ? server_->stat()->server_id() : "";
    if ((err = rtmp_->response_connect_app(req_.get(), srs_socket_local_ip(fd_), cid_, server_id)) != srs_success) {
        return srs_error_wrap(err, "response connect app");
    }
    if ((err = rtmp_->on_bw_done()) != srs_success) {
        return srs_error_wrap(err, "on bw done");
    }
    return err;
}

void SrsRtmpConn::apply_nodelay(const SrsConfig& config) {
    apply_nodelay(config.vhost(req_->vhost, srs_key::vhost_tcp_nodelay));
}

void SrsRtmpConn::apply_nodelay(bool v) {
    srs_error_t err = srs_socket_set_nodelay(fd_, v);
    if (err != srs_success) {
        srs_warn("set TCP_NODELAY %d: %s", v, srs_error_summary(err).c_str());
        srs_error_reset(err);
    }
}

srs_error_t SrsRtmpConn::resolve_vhost(const SrsConfig& config, bool on_connect) {
    srs_error_t err = srs_success;

    std::string asked = req_->vhost.empty() ? req_->host : req_->vhost;
    std::string vhost = config.resolve_vhost(asked);
    if (vhost.empty()) {
        std::string desc = srs_fmt("vhost %s not found", asked.c_str());
        if (on_connect) {
            if ((err = rtmp_->response_connect_reject(req_.get(), desc)) != srs_success) {
                srs_warn("send connect reject: %s", srs_error_summary(err).c_str());
                srs_error_reset(err);
            }
        }
        return srs_error_new(ERROR_RTMP_VHOST_NOT_FOUND, "%s, no __defaultVhost__", desc.c_str());
    }
    if (!config.vhost_enabled(vhost)) {
        std::string desc = srs_fmt("vhost %s is disabled", vhost.c_str());
        if (on_connect) {
            if ((err = rtmp_->response_connect_reject(req_.get(), desc)) != srs_success) {
                srs_warn("send connect reject: %s", srs_error_summary(err).c_str());
                srs_error_reset(err);
            }
        }
        return srs_error_new(ERROR_RTMP_VHOST_NOT_FOUND, "%s", desc.c_str());
    }
    if (vhost != req_->vhost) {
        srs_trace("vhost %s served by %s", asked.c_str(), vhost.c_str());
    }
    req_->vhost = vhost;
    return err;
}

srs_error_t SrsRtmpConn::service(const std::shared_ptr<SrsConfig>& connect_config) {
    srs_error_t err = srs_success;

    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream_name;
    srs_utime_t duration = -1;
    if ((err = rtmp_->identify_client(stream_id_, &type, &stream_name, &duration)) != srs_success) {
        return srs_error_wrap(err, "identify client");
    }
    // A reload may have come since connect (the client took its time): play or publish by
    // the running config, whose vhost may be gone or disabled now.
    std::shared_ptr<SrsConfig> config = server_->config();
    if (config.get() != connect_config.get() && (err = resolve_vhost(*config, false)) != srs_success) {
        return srs_error_wrap(err, "stream %s", stream_name.c_str());
    }
    // The stream name may carry a query, which may name the vhost.
    std::string vhost_before = req_->vhost;
    req_->set_stream(stream_name);
    req_->duration = duration;
    req_->strip();
    if (req_->vhost != vhost_before && (err = resolve_vhost(*config, false)) != srs_success) {
        return srs_error_wrap(err, "stream %s", stream_name.c_str());
    }
    if (req_->stream.empty()) {
        return srs_error_new(ERROR_RTMP_STREAM_NAME_EMPTY, "%s with an empty stream name",
                             srs_client_type_string(type));
    }
    srs_trace("client identified, type=%s, vhost=%s, app=%s, stream=%s, param=%s, duration=%d ms",
              srs_client_type_string(type), req_->vhost.c_str(), req_->app.c_str(), req_->stream.c_str(),
              req_->param.c_str(), duration > 0 ? srsu2msi(duration) : -1);

    // --- `api`: the client shows in /api/v1/clients from here; its socket's byte counters give
    // its kbps. It leaves in cycle() with the connection's lease. ---
    conn_lease_.join_stats(srs_stat_request(*req_), srs_stat_client_type(type), skt_.get());

    SrsClientLease lease;
    if ((err = check_access(*config, type, &lease)) != srs_success) {
        return err;
    }

    if (type == SrsRtmpConnPlay) {
        return playing(config, &lease);
    }
    if (srs_client_type_is_publish(type)) {
        return publishing(config, type, &lease);
    }
    return srs_error_new(ERROR_RTMP_CLIENT_ROLE, "unknown client type %d", (int)type);
}

SrsHookRequest SrsRtmpConn::hook_request() const {
    SrsHookRequest r;
    r.client_id = cid_;
    r.ip = ip_;
    r.vhost = req_->vhost;
    r.app = req_->app;
    r.tcUrl = req_->tcUrl;
    r.stream = req_->stream;
    r.param = req_->param;
    r.pageUrl = req_->pageUrl;
    r.stream_url = req_->get_stream_url();
    return r;
}

srs_error_t SrsRtmpConn::check_access(const SrsConfig& config, int client_type, SrsClientLease* lease) {
    srs_error_t err = srs_success;
    bool publish = client_type != SrsRtmpConnPlay;
    SrsAccessType type = publish ? SrsAccessType::Publish : SrsAccessType::Play;
    SrsClientAsk ask;
    ask.type = type;
    if ((err = server_->lifecycle().admit(config, ask, hook_request(), lease)) == srs_success) {
        return err;
    }
    const char* code = publish ? SRS_STATUS_PUBLISH_REJECTED : SRS_STATUS_PLAY_REJECTED;
    srs_error_t r = srs_success;
    if (client_type == SrsRtmpConnFMLEPublish || client_type == SrsRtmpConnHaivisionPublish) {
        // An encoder is identified at FCPublish: its createStream and publish are answered
        // first, so that it reads the refusal instead of a reset connection. Bounded in time.
        rtmp_->set_recv_timeout(SRS_RTMP_REJECT_TIMEOUT);
        r = rtmp_->reject_fmle_publish(stream_id_, code, srs_error_summary(err));
    } else {
        r = rtmp_->send_status(stream_id_, SRS_STATUS_LEVEL_ERROR, code, srs_error_summary(err));
    }
    srs_error_reset(r);
    srs_warn("%s %s refused, %s: %s", srs_access_type_name(type), req_->get_stream_url().c_str(), code,
             srs_error_summary(err).c_str());
    return srs_error_wrap(err, "%s %s", srs_access_type_name(type), req_->get_stream_url().c_str());
}

// ---- publish ----

srs_error_t SrsRtmpConn::publishing(const std::shared_ptr<SrsConfig>& config, int type, SrsClientLease* lease) {
    srs_error_t err = srs_success;

    std::shared_ptr<SrsLiveSource> source;
    if ((err = server_->sources().fetch_or_create(req_->vhost, req_->app, req_->stream,
                                                  srs_live_source_config_load(*config, req_->vhost), &source)) !=
        srs_success) {
        return srs_error_wrap(err, "fetch source");
    }

    stage_ = "publish";
    if ((err = acquire_publish(*config, source.get())) != srs_success) {
        srs_error_t r = rtmp_->reject_publish(stream_id_, srs_error_summary(err));
        srs_error_reset(r);
        srs_warn("publish %s refused, NetStream.Publish.BadName: %s", source->url().c_str(),
                 srs_error_summary(err).c_str());
        // on_publish let it in: the hook server hears it is over (on_unpublish).
        lease->release();
        return srs_error_wrap(err, "acquire publish");
    }

    // The publish is ours from here: the answers to the client come after, so a feature
    // (a hook) refusing it is refused before the client starts sending.
    if (type == SrsRtmpConnFMLEPublish) {
        err = rtmp_->start_fmle_publish(stream_id_);
    } else if (type == SrsRtmpConnHaivisionPublish) {
        err = rtmp_->start_haivision_publish(stream_id_);
    } else {
        err = rtmp_->start_flash_publish(stream_id_);
    }
    if (err == srs_success) {
        apply_nodelay(*config);
        // An accepted publisher sends media: whole keyframes, a few chunk streams at a time.
        int64_t partial = config->vhost(req_->vhost, srs_key::vhost_publish_max_partial_bytes);
        rtmp_->protocol()->set_max_message_size(SRS_RTMP_MAX_MESSAGE_LENGTH);
        rtmp_->protocol()->set_max_partial_bytes(partial);
        srs_trace("publish %s started, %s, max_partial_bytes=%lld", source->url().c_str(),
                  srs_client_type_string((SrsRtmpConnType)type), (long long)partial);
        err = do_publishing(*config, source.get());
    }

    source->on_unpublish(this);
    lease->set_end(kicked_ ? SrsClientEnd::Kicked : SrsClientEnd::Normal);
    lease->release();
    if (err != srs_success && !kicked_) {
        return srs_error_wrap(err, "publish %s", source->url().c_str());
    }
    srs_trace("unpublish %s after %d ms", source->url().c_str(), srsu2msi(srs_update_system_time() - start_time_));
    if (err == srs_success && fc_unpublished_ && !kicked_) {
        linger_after_unpublish();
    }
    if (kicked_) {
        srs_error_reset(err);
        return srs_error_new(ERROR_STREAM_KICKED, "%s", source->kick_reason().c_str());
    }
    return err;
}

void SrsRtmpConn::linger_after_unpublish() {
    rtmp_->set_recv_timeout(SRS_RTMP_UNPUBLISH_LINGER);
    srs_utime_t deadline = srs_update_system_time() + SRS_RTMP_UNPUBLISH_LINGER;
    while (srs_update_system_time() < deadline && trd_->pull() == srs_success) {
        SrsMediaMessage msg;
        srs_error_t err = rtmp_->recv_message(&msg);
        if (err != srs_success) {
            // The client closed (what it should do), or the time is up.
            srs_error_reset(err);
            return;
        }
        std::unique_ptr<SrsPacket> pkt;
        if ((err = rtmp_->decode_message(msg, &pkt)) != srs_success) {
            srs_error_reset(err);
            continue;
        }
        if (dynamic_cast<SrsDeleteStreamPacket*>(pkt.get()) || dynamic_cast<SrsCloseStreamPacket*>(pkt.get())) {
            return;
        }
    }
}

srs_error_t SrsRtmpConn::acquire_publish(const SrsConfig& config, SrsLiveSource* source) {
    if (!source->can_publish()) {
        // An encoder that reconnects while we still hold its dead connection: the old
        // publisher has sent nothing for a while, so it is dropped (never a sending one).
        srs_utime_t stale = config.vhost(req_->vhost, srs_key::vhost_publish_stale_timeout);
        if (stale > 0 && source->publisher_is_stale(stale)) {
            srs_warn("stream %s: publisher silent for %d ms (stale_timeout %d ms), take over", source->url().c_str(),
                     srsu2msi(source->publisher_silence()), srsu2msi(stale));
            source->kick_publisher();
        }
    }
    return source->on_publish(this);
}

srs_error_t SrsRtmpConn::do_publishing(const SrsConfig& config, SrsLiveSource* source) {
    srs_error_t err = srs_success;

    srs_utime_t firstpkt_timeout = config.vhost(req_->vhost, srs_key::vhost_publish_firstpkt_timeout);
    srs_utime_t normal_timeout = config.vhost(req_->vhost, srs_key::vhost_publish_normal_timeout);
    rtmp_->set_recv_timeout(firstpkt_timeout);

    SrsPublishFeed feed(source);
    bool got_media = false;
    int64_t nb_msgs = 0;
    srs_utime_t last_report = srs_get_system_time();
    while (true) {
        if (kicked_) {
            return srs_error_new(ERROR_STREAM_KICKED, "kicked");
        }
        if ((err = trd_->pull()) != srs_success) {
            return srs_error_wrap(err, "publish");
        }

        SrsMediaMessage msg;
        if ((err = rtmp_->recv_message(&msg)) != srs_success) {
            if (srs_is_timeout(err)) {
                return srs_error_wrap(err, "no media for %d ms (%s)",
                                      srsu2msi(got_media ? normal_timeout : firstpkt_timeout),
                                      got_media ? "publish.normal_timeout" : "publish.firstpkt_timeout");
            }
            return srs_error_wrap(err, "recv");
        }
        if (kicked_) {
            return srs_error_new(ERROR_STREAM_KICKED, "kicked");
        }
        if (!got_media && msg.is_av()) {
            got_media = true;
            rtmp_->set_recv_timeout(normal_timeout);
        }
        nb_msgs++;

        bool done = false;
        if ((err = handle_publish_message(&feed, msg, &done)) != srs_success) {
            return srs_error_wrap(err, "handle message type=%d size=%d", msg.type, msg.size());
        }
        if (done) {
            return srs_success;
        }

        srs_utime_t now = srs_get_system_time();
        if (now - last_report > 10 * SRS_UTIME_SECONDS) {
            last_report = now;
            srs_trace("publishing %s: %lld msgs, in=%lld bytes, %d players", source->url().c_str(), (long long)nb_msgs,
                      (long long)rtmp_->get_recv_bytes(), source->nb_consumers());
        }
    }
}

srs_error_t SrsRtmpConn::handle_publish_message(SrsPublishFeed* feed, const SrsMediaMessage& msg, bool* done) {
    srs_error_t err = srs_success;

    // Media and data go to the source; what is left of RTMP here is the publisher's commands.
    if (SrsPublishFeed::takes(msg.type)) {
        return feed->feed(msg);
    }
    if (msg.type != SrsMsgAMF0Command && msg.type != SrsMsgAMF3Command) {
        return err;
    }

    std::unique_ptr<SrsPacket> pkt;
    if ((err = rtmp_->decode_message(msg, &pkt)) != srs_success) {
        return srs_error_wrap(err, "decode");
    }
    if (!pkt) {
        return err;
    }

    if (SrsFMLEStartPacket* fc = dynamic_cast<SrsFMLEStartPacket*>(pkt.get())) {
        if (fc->command_name == SRS_CMD_FC_UNPUBLISH) {
            srs_trace("publisher sent FCUnpublish %s", fc->stream_name.c_str());
            if ((err = rtmp_->fmle_unpublish(stream_id_, fc->transaction_id)) != srs_success) {
                // ffmpeg closes right after FCUnpublish and deleteStream, without waiting for
                // the answer: the publish still ended normally.
                srs_trace("publisher gone before the FCUnpublish answer: %s", srs_error_summary(err).c_str());
                srs_error_reset(err);
            }
            fc_unpublished_ = true;
            *done = true;
        }
        return err;
    }
    if (dynamic_cast<SrsDeleteStreamPacket*>(pkt.get()) || dynamic_cast<SrsCloseStreamPacket*>(pkt.get())) {
        srs_trace("publisher closed the stream");
        *done = true;
    }
    return err;
}

// ---- play ----

srs_error_t SrsRtmpConn::playing(const std::shared_ptr<SrsConfig>& config, SrsClientLease* lease) {
    srs_error_t err = srs_success;

    // A player may come before the publisher: it waits on the source for it.
    std::shared_ptr<SrsLiveSource> source;
    if ((err = server_->sources().fetch_or_create(req_->vhost, req_->app, req_->stream,
                                                  srs_live_source_config_load(*config, req_->vhost), &source)) !=
        srs_success) {
        return srs_error_wrap(err, "fetch source");
    }

    std::unique_ptr<SrsLiveConsumer> consumer;
    if ((err = source->create_consumer(srs_live_consumer_config_load(*config, req_->vhost), &consumer)) !=
        srs_success) {
        return srs_error_wrap(err, "create consumer");
    }

    stage_ = "play";
    if ((err = rtmp_->start_play(stream_id_)) != srs_success) {
        return srs_error_wrap(err, "start play");
    }
    apply_nodelay(*config);
    source->consumer_dumps(consumer.get());
    srs_trace("play %s started, publishing=%d, %d queued for the start, %d players", source->url().c_str(),
              source->publishing(), consumer->size(), source->nb_consumers());

    err = do_playing(source.get(), consumer.get());

    // on_stop.
    lease->set_end(consumer->expired() ? SrsClientEnd::Kicked : SrsClientEnd::Normal);
    lease->release();
    srs_trace("stop play %s after %d ms, out=%lld bytes, %lld msgs dropped for a slow network", source->url().c_str(),
              srsu2msi(srs_update_system_time() - start_time_), (long long)rtmp_->get_send_bytes(),
              (long long)consumer->nb_dropped());
    return err;
}

// The player's end of the play loop: RTMP chunks out, the player's commands in.
class SrsRtmpConn::PlaySink : public ISrsLivePlaySink {
public:
    PlaySink(SrsRtmpConn* conn, SrsLiveSource* source)
        : conn_(conn), source_(source), tracks_(conn->req_->fourcc_list) {
        if (!tracks_.pass_all()) {
            srs_trace("play %s: the player announced a fourCcList, it gets %s", source_->url().c_str(),
                      tracks_.describe().c_str());
        }
    }

    ~PlaySink() override {
        if (tracks_.nb_dropped() || tracks_.nb_rewritten()) {
            srs_trace("play %s: %lld messages left out and %lld rewritten for the player's fourCcList",
                      source_->url().c_str(), (long long)tracks_.nb_dropped(), (long long)tracks_.nb_rewritten());
        }
    }

    srs_error_t write_batch(std::vector<SrsMediaMessage>& msgs) override {
        // The common case (a legacy player, or one listing "*") costs one branch.
        if (!tracks_.pass_all()) {
            tracks_.filter(msgs);
            if (msgs.empty()) {
                return srs_success;
            }
        }
        for (SrsMediaMessage& m : msgs) {
            m.stream_id = conn_->stream_id_;
        }
        srs_error_t err = conn_->rtmp_->send_messages(msgs.data(), (int)msgs.size());
        if (err != srs_success) {
            return srs_error_wrap(err, "send to player");
        }
        return err;
    }

    srs_error_t on_stream_event(SrsLiveConsumerEvent ev, bool* end) override {
        (void)end;
        bool published = ev == SrsLiveConsumerEvent::Publish;
        srs_trace("play %s: stream %s, notify the player", source_->url().c_str(),
                  published ? "republished" : "unpublished");
        srs_error_t err = conn_->rtmp_->on_publish_notify(conn_->stream_id_, published);
        if (err != srs_success) {
            return srs_error_wrap(err, "notify player");
        }
        return err;
    }

    // The player's messages, read between sends when there are some: one coroutine (one stack)
    // per player, and no player parked in ST's I/O queue, which the scheduler walks on every
    // dispatch.
    srs_error_t read_input(ISrsLivePlayControl* control, bool* closed) override {
        srs_error_t err = srs_success;
        while (!*closed && (conn_->rtmp_->protocol()->has_buffered_input() || conn_->skt_->readable_now())) {
            SrsMediaMessage msg;
            if ((err = conn_->rtmp_->recv_message(&msg)) != srs_success) {
                if (srs_is_timeout(err)) {
                    // Part of a message; the chunk layer keeps it and the next check goes on.
                    srs_error_reset(err);
                    return srs_success;
                }
                return srs_error_wrap(err, "read from player");
            }
            if ((err = handle_message(msg, control, closed)) != srs_success) {
                return srs_error_wrap(err, "player message");
            }
        }
        conn_->rtmp_->protocol()->release_read_buffer();
        return err;
    }

    int64_t send_bytes() const override { return conn_->skt_->get_send_bytes(); }

    void on_settings(const SrsLiveConsumerConfig& c, bool reload) override {
        if (reload) {
            conn_->apply_nodelay(c.tcp_nodelay);
        }
        srs_trace("%s %s: %s, mw_latency=%d ms, mw_msgs=%d, queue_length=%d ms, jitter=%s, atc=%d, tcp_nodelay=%d",
                  reload ? "reload" : "playing", source_->url().c_str(), c.realtime ? "realtime" : "merged write",
                  srsu2msi(c.mw_latency), c.mw_msgs, srsu2msi(c.queue_length), srs_jitter_algorithm_name(c.jitter),
                  c.atc, c.tcp_nodelay);
    }

private:
    srs_error_t handle_message(const SrsMediaMessage& msg, ISrsLivePlayControl* control, bool* closed) {
        srs_error_t err = srs_success;

        if (msg.type != SrsMsgAMF0Command && msg.type != SrsMsgAMF3Command) {
            // Acks, user control and the like are handled by the chunk layer; a player sends
            // no media.
            return err;
        }

        std::unique_ptr<SrsPacket> pkt;
        if ((err = conn_->rtmp_->decode_message(msg, &pkt)) != srs_success) {
            return srs_error_wrap(err, "decode player command");
        }
        if (!pkt) {
            return err;
        }

        if (SrsPausePacket* pause = dynamic_cast<SrsPausePacket*>(pkt.get())) {
            srs_trace("player %s at %d ms", pause->is_pause ? "paused" : "resumed", (int)pause->time_ms);
            if ((err = conn_->rtmp_->on_play_client_pause(conn_->stream_id_, pause->is_pause)) != srs_success) {
                return srs_error_wrap(err, "pause reply");
            }
            control->on_pause(pause->is_pause);
            return err;
        }
        if (SrsReceiveAVPacket* av = dynamic_cast<SrsReceiveAVPacket*>(pkt.get())) {
            srs_trace("player %s %s", av->command_name.c_str(), av->enabled ? "on" : "off");
            if (av->command_name == SRS_CMD_RECEIVE_AUDIO) {
                control->on_receive_audio(av->enabled);
            } else {
                control->on_receive_video(av->enabled);
            }
            return err;
        }
        if (dynamic_cast<SrsCloseStreamPacket*>(pkt.get()) || dynamic_cast<SrsDeleteStreamPacket*>(pkt.get())) {
            srs_trace("player closed the stream");
            *closed = true;
        }
        return err;
    }

private:
    SrsRtmpConn* conn_;
    SrsLiveSource* source_;
    SrsRtmpTrackFilter tracks_;
};

srs_error_t SrsRtmpConn::do_playing(SrsLiveSource* source, SrsLiveConsumer* consumer) {
    // A player that stops reading is dropped when a send makes no progress for this long;
    // its queue stays bounded meanwhile.
    rtmp_->set_send_timeout(SRS_RTMP_TIMEOUT);
    // The player's messages are read only when they are there (see PlaySink::read_input): a
    // message cut short waits for the next check instead of blocking the sends.
    rtmp_->set_recv_timeout(0);

    SrsLivePlayOptions options;
    options.max_batch = SRS_RTMP_MW_MAX_MSGS;
    options.duration = req_->duration;
    options.osfd = skt_->osfd();
    PlaySink sink(this, source);
    SrsLivePlayLoop loop(consumer, &sink, options);
    return loop.run();
}
