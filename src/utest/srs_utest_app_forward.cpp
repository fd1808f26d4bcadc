// Forward: destination URLs, the backend answer, backoff, the hop count of a publish, and a
// forwarder pushing a live source to a scripted RTMP server on loopback (headers first, then
// media; retry with backoff; give up; the per-source handler following publish and unpublish).
#include <gtest/gtest.h>
#include <srs_utest_app_publish.hpp>

#include <srs_app_config.hpp>
#include <srs_app_forward.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_source.hpp>
#include <srs_core_st.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

const srs_utime_t kMs = SRS_UTIME_MILLISECONDS;
const srs_utime_t kS = SRS_UTIME_SECONDS;

// An RTMP server on loopback that accepts publishers one after another and records, per
// session, the tcUrl, the stream, the hop count and the messages' types.
class ForwardRtmpServer : public ISrsCoroutineHandler {
public:
    ForwardRtmpServer() : trd_("utest-forward-rtmp", this) {}
    ~ForwardRtmpServer() override { trd_.stop(); }
    srs_error_t listen(int port_hint = 0) {
        srs_error_t err = srs_tcp_listen("127.0.0.1", port_hint, &lfd_);
        if (err != srs_success) {
            return err;
        }
        port = srs_socket_local_port(lfd_);
        return srs_success;
    }
    srs_error_t start() { return trd_.start(); }
    srs_error_t cycle() override {
        srs_error_t err = srs_success;
        while (true) {
            SrsNetFd fd;
            if ((err = srs_tcp_accept(lfd_, 5 * kS, &fd)) != srs_success) {
                return err;
            }
            err = session(fd);
            srs_error_reset(err);
            if ((err = trd_.pull()) != srs_success) {
                return err;
            }
        }
    }
    srs_error_t session(const SrsNetFd& fd) {
        srs_error_t err = srs_success;
        SrsStSocket skt(fd);
        SrsRtmpServer server(&skt);
        server.set_recv_timeout(3 * kS);
        server.set_send_timeout(3 * kS);
        SrsRequest req;
        if ((err = server.handshake()) != srs_success || (err = server.connect_app(&req)) != srs_success ||
            (err = server.response_connect_app(&req, "127.0.0.1", "fwd")) != srs_success) {
            return err;
        }
        SrsRtmpConnType type = SrsRtmpConnUnknown;
        srs_utime_t duration = 0;
        std::string stream;
        if ((err = server.identify_client(1, &type, &stream, &duration)) != srs_success) {
            return err;
        }
        if ((err = server.start_fmle_publish(1)) != srs_success) {
            return err;
        }
        sessions++;
        tc_urls.push_back(req.tcUrl);
        streams.push_back(stream);
        hops.push_back(srs_forward_hops_of(&req));
        while (true) {
            SrsMediaMessage msg;
            if ((err = server.recv_message(&msg)) != srs_success) {
                return err;
            }
            if (msg.type == SrsMsgAMF0Command) {
                commands++;
            }
            if (msg.is_av() || msg.is_script()) {
                types.push_back(msg.type);
                sizes.push_back(msg.size());
                timestamps.push_back(msg.timestamp);
            }
            if (stall_after > 0 && (int)types.size() >= stall_after) {
                stall_after = 0;
                // Stop reading: the forwarder's writes fill the socket buffers and block.
                srs_usleep(10 * kS);
                return err;
            }
            if (kick_after > 0 && (int)types.size() >= kick_after) {
                kick_after = 0;
                // Refuse the stream but keep the connection: the forwarder must notice.
                if ((err = server.send_status(1, SRS_STATUS_LEVEL_ERROR, "NetStream.Publish.BadName", "kicked")) !=
                    srs_success) {
                    return err;
                }
                srs_usleep(3 * kS);
                return err;
            }
            if (close_after > 0 && (int)types.size() >= close_after) {
                close_after = 0;
                // Drop the forwarder: it must reconnect.
                return err;
            }
        }
    }

    int port = 0;
    int sessions = 0;
    int close_after = 0;
    int kick_after = 0;
    int stall_after = 0;
    // Commands after the publish started (FCUnpublish, deleteStream).
    int commands = 0;
    std::vector<std::string> tc_urls;
    std::vector<std::string> streams;
    std::vector<int> hops;
    std::vector<int> types;
    std::vector<int> sizes;
    std::vector<int64_t> timestamps;

private:
    SrsNetFd lfd_;
    SrsCoroutine trd_;
};

// A publisher of a source, whose request carries connect args.
class ForwardPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
    const SrsRequest* publish_request() const override { return &req; }
    SrsRequest req;
};

// Waits until pred holds, up to timeout.
template <typename F>
bool wait_for(F pred, srs_utime_t timeout) {
    srs_utime_t deadline = srs_update_system_time() + timeout;
    while (!pred()) {
        if (srs_update_system_time() > deadline) {
            return false;
        }
        srs_usleep(10 * kMs);
    }
    return true;
}

std::shared_ptr<SrsLiveSource> make_source(const std::string& vhost = SRS_DEFAULT_VHOST) {
    return std::make_shared<SrsLiveSource>(vhost, "live", "s");
}

}  // namespace

std::shared_ptr<SrsConfig> load_conf(const std::string& text) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_string(text, &c);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return c;
}

TEST(AppForwardTest, ConfigAndLegacyForm) {
    auto c = load_conf(
        "vhost __defaultVhost__ { forward { enabled on; destination 127.0.0.1:19350 h2; backend http://b/f; } }\n"
        "vhost old { forward 127.0.0.1:19351; }\n"
        "vhost off { http_hooks { enabled on; timeout 3; } }\n");
    ASSERT_TRUE(c != nullptr);
    SrsForwardConfig f = srs_forward_config_load(*c, SRS_DEFAULT_VHOST);
    EXPECT_TRUE(f.enabled);
    ASSERT_EQ(2u, f.destinations.size());
    EXPECT_EQ("h2", f.destinations[1]);
    EXPECT_EQ("http://b/f", f.backend);
    // SRS 1/2: `forward host:port;` in the vhost.
    f = srs_forward_config_load(*c, "old");
    EXPECT_TRUE(f.enabled);
    ASSERT_EQ(1u, f.destinations.size());
    EXPECT_EQ("127.0.0.1:19351", f.destinations[0]);
    f = srs_forward_config_load(*c, "off");
    EXPECT_FALSE(f.enabled);
    EXPECT_TRUE(f.destinations.empty());
    EXPECT_EQ(3 * kS, f.backend_timeout);
}

TEST(AppForwardTest, DestinationUrl) {
    std::string tc, stream;
    ASSERT_TRUE(srs_forward_destination_url("127.0.0.1:19350", SRS_DEFAULT_VHOST, "live", "s", "", &tc, &stream) ==
                srs_success);
    EXPECT_EQ("rtmp://127.0.0.1:19350/live", tc);
    EXPECT_EQ("s", stream);

    // Default port, a named vhost and the publisher's param (its vhost key replaced).
    ASSERT_TRUE(srs_forward_destination_url("backup.example.com", "v.example.com", "app/sub", "s",
                                            "?vhost=other&token=abc", &tc, &stream) == srs_success);
    EXPECT_EQ("rtmp://backup.example.com:1935/app/sub", tc);
    EXPECT_EQ("s?vhost=v.example.com&token=abc", stream);

    ASSERT_TRUE(srs_forward_destination_url("[::1]:1936", SRS_DEFAULT_VHOST, "live", "s", "?token=1", &tc, &stream) ==
                srs_success);
    EXPECT_EQ("rtmp://[::1]:1936/live", tc);
    EXPECT_EQ("s?token=1", stream);
    // The URL parses back to the destination.
    std::string schema, host, app, query;
    int port = 0;
    ASSERT_TRUE(srs_rtmp_parse_tc_url(tc, &schema, &host, &port, &app, &query) == srs_success);
    EXPECT_EQ("::1", host);
    EXPECT_EQ(1936, port);

    const char* bad[] = {"", ":1935", "host:", "host:0", "host:65536", "host:12a", "[::1", "[::1]x"};
    for (const char* b : bad) {
        srs_error_t err = srs_forward_destination_url(b, SRS_DEFAULT_VHOST, "live", "s", "", &tc, &stream);
        EXPECT_TRUE(err != srs_success) << b;
        EXPECT_EQ(ERROR_FORWARD_FAILED, srs_error_code(err));
        srs_error_reset(err);
    }
}

TEST(AppForwardTest, BackendResponse) {
    std::vector<std::string> urls;
    ASSERT_TRUE(srs_forward_parse_backend_response(
                    200, R"({"code":0,"data":{"urls":["rtmp://127.0.0.1:19350/test/teststream","rtmp://h/a/b?x=1"]}})",
                    &urls) == srs_success);
    ASSERT_EQ(2u, urls.size());
    EXPECT_EQ("rtmp://127.0.0.1:19350/test/teststream", urls[0]);
    EXPECT_EQ("rtmp://h/a/b?x=1", urls[1]);

    // Forward nowhere.
    ASSERT_TRUE(srs_forward_parse_backend_response(200, R"({"code":0,"data":{"urls":[]}})", &urls) == srs_success);
    EXPECT_TRUE(urls.empty());
    ASSERT_TRUE(srs_forward_parse_backend_response(200, R"({"code":0})", &urls) == srs_success);
    EXPECT_TRUE(urls.empty());

    const std::pair<int, const char*> bad[] = {
        {500, R"({"code":0})"},
        {200, "0"},
        {200, "not json"},
        {200, R"({"code":1,"data":{"urls":["rtmp://h/a/b"]}})"},
        {200, R"({"code":"0"})"},
        {200, R"({"code":0,"data":{"urls":"rtmp://h/a/b"}})"},
        {200, R"({"code":0,"data":{"urls":[1]}})"},
        {200, R"({"code":0,"data":{"urls":["http://h/a/b"]}})"},
        {200, R"({"code":0,"data":[]})"},
    };
    for (const auto& b : bad) {
        urls.assign(1, "stale");
        srs_error_t err = srs_forward_parse_backend_response(b.first, b.second, &urls);
        EXPECT_TRUE(err != srs_success) << b.second;
        EXPECT_EQ(ERROR_FORWARD_FAILED, srs_error_code(err));
        EXPECT_TRUE(urls.empty());
        srs_error_reset(err);
    }
}

TEST(AppForwardTest, Backoff) {
    EXPECT_EQ(1 * kS, srs_forward_backoff(0));
    EXPECT_EQ(1 * kS, srs_forward_backoff(1));
    EXPECT_EQ(2 * kS, srs_forward_backoff(2));
    EXPECT_EQ(4 * kS, srs_forward_backoff(3));
    EXPECT_EQ(8 * kS, srs_forward_backoff(4));
    EXPECT_EQ(10 * kS, srs_forward_backoff(5));
    EXPECT_EQ(10 * kS, srs_forward_backoff(1000));
    EXPECT_EQ(30 * kMs, srs_forward_backoff(3, 10 * kMs, 30 * kMs));
}

TEST(AppForwardTest, HopsAndBackendBody) {
    EXPECT_EQ(0, srs_forward_hops_of(nullptr));
    SrsRequest req;
    EXPECT_EQ(0, srs_forward_hops_of(&req));
    req.args = std::make_unique<SrsAmf0Object>();
    req.args->set(SRS_FORWARD_HOPS_ARG, SrsAmf0Any::number(2));
    EXPECT_EQ(2, srs_forward_hops_of(&req));
    req.args->set(SRS_FORWARD_HOPS_ARG, SrsAmf0Any::number(-3));
    EXPECT_EQ(0, srs_forward_hops_of(&req));

    SrsHookRequest h;
    h.client_id = "c1";
    h.vhost = SRS_DEFAULT_VHOST;
    h.app = "live";
    h.stream = "s";
    h.param = "?token=1";
    h.tcUrl = "rtmp://127.0.0.1/live";
    nlohmann::json j = nlohmann::json::parse(srs_hook_body(SrsHookEvent::Forward, h));
    EXPECT_EQ("on_forward", j["action"]);
    EXPECT_EQ("live", j["app"]);
    EXPECT_EQ("s", j["stream"]);
    EXPECT_EQ("?token=1", j["param"]);
    EXPECT_EQ("rtmp://127.0.0.1/live", j["tcUrl"]);
}

// Headers first when the forwarder connects mid-stream, then the live media; the connect
// carries the hop count; a dropped connection is re-established with the headers again.
TEST(AppForwardTest, ForwardsHeadersThenMediaAndReconnects) {
    ForwardRtmpServer dst;
    ASSERT_TRUE(dst.listen() == srs_success);
    dst.close_after = 30;
    ASSERT_TRUE(dst.start() == srs_success);

    auto source = make_source();
    ForwardPublisher pub;
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 0, 500) == srs_success);

    SrsForwarderOptions opts;
    opts.hops = 1;
    opts.backoff_min = 20 * kMs;
    opts.backoff_max = 40 * kMs;
    std::string tc = srs_fmt("rtmp://127.0.0.1:%d/live", dst.port);
    SrsForwarder f(source, tc, "s?token=1", opts);
    EXPECT_EQ(srs_fmt("rtmp://127.0.0.1:%d/live/s?token=1", dst.port), f.url());
    ASSERT_TRUE(f.start() == srs_success);
    ASSERT_TRUE(wait_for([&] { return f.state() == SrsForwarderState::Forwarding; }, 3 * kS));

    // Live media, as the publisher sends it.
    for (int i = 0; i < 10 && dst.sessions < 2; i++) {
        ASSERT_TRUE(srs_utest::publish_media(source.get(), 500 + i * 200, 700 + i * 200, false) == srs_success);
        srs_usleep(30 * kMs);
    }
    ASSERT_TRUE(wait_for([&] { return dst.sessions >= 2 && f.state() == SrsForwarderState::Forwarding; }, 3 * kS));
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 3000, 3400, false) == srs_success);
    ASSERT_TRUE(wait_for([&] { return dst.types.size() >= 60; }, 3 * kS));
    f.stop();

    ASSERT_EQ(2u, dst.tc_urls.size());
    EXPECT_EQ(tc, dst.tc_urls[0]);
    EXPECT_EQ("s?token=1", dst.streams[0]);
    EXPECT_EQ(1, dst.hops[0]);
    EXPECT_EQ(2, f.nb_sessions());
    // Each session starts with the two sequence headers (the source has no metadata).
    ASSERT_GE(dst.types.size(), 32u);
    EXPECT_EQ(SrsMsgVideo, dst.types[0]);
    EXPECT_EQ(SrsMsgAudio, dst.types[1]);
    EXPECT_EQ(SrsMsgVideo, dst.types[30]);
    EXPECT_EQ(SrsMsgAudio, dst.types[31]);
    EXPECT_EQ(dst.sizes[0], dst.sizes[30]);
    EXPECT_GT(f.nb_msgs(), 60);
    EXPECT_EQ(SrsForwarderState::Idle, f.state());
    source->on_unpublish(&pub);
}

// A destination that is down: retried with backoff, then it comes up and gets the stream.
TEST(AppForwardTest, RetriesUntilDestinationUp) {
    // Find a free port, then close it: the destination is down.
    int port = 0;
    {
        SrsNetFd lfd;
        ASSERT_TRUE(srs_tcp_listen("127.0.0.1", 0, &lfd) == srs_success);
        port = srs_socket_local_port(lfd);
    }
    auto source = make_source();
    ForwardPublisher pub;
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 0, 200) == srs_success);

    SrsForwarderOptions opts;
    opts.backoff_min = 20 * kMs;
    opts.backoff_max = 40 * kMs;
    SrsForwarder f(source, srs_fmt("rtmp://127.0.0.1:%d/live", port), "s", opts);
    ASSERT_TRUE(f.start() == srs_success);
    ASSERT_TRUE(wait_for([&] { return f.nb_failures() >= 2; }, 3 * kS));
    EXPECT_FALSE(f.last_error().empty());
    EXPECT_EQ(0, source->nb_consumers());

    ForwardRtmpServer dst;
    ASSERT_TRUE(dst.listen(port) == srs_success);
    ASSERT_TRUE(dst.start() == srs_success);
    ASSERT_TRUE(wait_for([&] { return f.state() == SrsForwarderState::Forwarding; }, 3 * kS));
    EXPECT_EQ(1, source->nb_consumers());
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 200, 600, false) == srs_success);
    ASSERT_TRUE(wait_for([&] { return dst.types.size() >= 10; }, 3 * kS));
    EXPECT_EQ(0, f.nb_failures());

    // A vhost reload gives players new settings; the forwarder keeps its own (timestamps as
    // published, never corrected: a jump stays a jump).
    SrsLiveConsumerConfig players;
    players.jitter = SrsJitterAlgorithm::Full;
    source->update_consumers(players);
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 60000, 60200, false) == srs_success);
    ASSERT_TRUE(wait_for([&] { return !dst.timestamps.empty() && dst.timestamps.back() >= 60150; }, 3 * kS));
    // The first message after the jump has the publisher's timestamp, not a corrected one.
    auto it = std::find_if(dst.timestamps.begin(), dst.timestamps.end(), [](int64_t t) { return t >= 600; });
    ASSERT_TRUE(it != dst.timestamps.end());
    EXPECT_EQ(60000, *it);
    f.stop();
    EXPECT_EQ(0, source->nb_consumers());
    source->on_unpublish(&pub);
}

TEST(AppForwardTest, GivesUpAfterMaxAttempts) {
    int port = 0;
    {
        SrsNetFd lfd;
        ASSERT_TRUE(srs_tcp_listen("127.0.0.1", 0, &lfd) == srs_success);
        port = srs_socket_local_port(lfd);
    }
    auto source = make_source();
    SrsForwarderOptions opts;
    opts.backoff_min = 10 * kMs;
    opts.max_attempts = 2;
    SrsForwarder f(source, srs_fmt("rtmp://127.0.0.1:%d/live", port), "s", opts);
    std::string reason;
    f.set_on_give_up([&](const std::string& r) { reason = r; });
    ASSERT_TRUE(f.start() == srs_success);
    ASSERT_TRUE(wait_for([&] { return f.state() == SrsForwarderState::GaveUp; }, 3 * kS));
    EXPECT_EQ(2, f.nb_failures());
    EXPECT_FALSE(reason.empty());
    f.stop();
    EXPECT_EQ(SrsForwarderState::GaveUp, f.state());

    // A tcUrl that does not parse fails each attempt too.
    SrsForwarder bad(source, "http://", "s", opts);
    ASSERT_TRUE(bad.start() == srs_success);
    ASSERT_TRUE(wait_for([&] { return bad.state() == SrsForwarderState::GaveUp; }, 3 * kS));
    EXPECT_TRUE(bad.start() != srs_success);
}

// The per-source handler: forwarders start at publish (with the hop count plus one), stop at
// unpublish; a stream that went through too many forwards is not forwarded.
TEST(AppForwardTest, HandlerFollowsPublish) {
    ForwardRtmpServer dst;
    ASSERT_TRUE(dst.listen() == srs_success);
    ASSERT_TRUE(dst.start() == srs_success);

    SrsForwardServer server;
    SrsForwardConfig c;
    c.enabled = true;
    c.destinations = {srs_fmt("127.0.0.1:%d", dst.port), "bad:port:x"};
    server.set_fixed_config(c);

    auto source = make_source("v.example.com");
    source->add_handler(server.create_handler(source.get()));
    ForwardPublisher pub;
    pub.req.param = "?token=9";
    pub.req.args = std::make_unique<SrsAmf0Object>();
    pub.req.args->set(SRS_FORWARD_HOPS_ARG, SrsAmf0Any::number(1));
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    ASSERT_EQ(1u, server.forwarders().size());
    ASSERT_EQ(1u, server.forwarders_of(source->url()).size());
    ASSERT_TRUE(wait_for([&] { return dst.sessions >= 1; }, 3 * kS));
    EXPECT_EQ("s?vhost=v.example.com&token=9", dst.streams[0]);
    EXPECT_EQ(2, dst.hops[0]);
    // The last messages before the unpublish reach the destination, then FCUnpublish and
    // deleteStream; the unpublish itself does not wait.
    SrsForwarder* f = server.forwarders()[0];
    ASSERT_TRUE(wait_for([&] { return f->state() == SrsForwarderState::Forwarding; }, 3 * kS));
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 0, 1000) == srs_success);
    int nb_published = 2 + 25 + 44;
    srs_utime_t t = srs_update_system_time();
    source->on_unpublish(&pub);
    // Waiting for the drain would take the forwarder's round trips; a loaded 2-core machine
    // takes far less than this to run the unpublish alone.
    EXPECT_LT(srs_update_system_time() - t, 500 * kMs);
    EXPECT_TRUE(server.forwarders().empty());
    EXPECT_EQ(1, server.nb_retired());
    ASSERT_TRUE(wait_for([&] { return dst.commands >= 2; }, 3 * kS));
    EXPECT_GE((int)dst.types.size(), nb_published);
    server.reap();
    EXPECT_EQ(0, server.nb_retired());
    EXPECT_EQ(0, source->nb_consumers());

    // Too many hops: a loop guard.
    pub.req.args->set(SRS_FORWARD_HOPS_ARG, SrsAmf0Any::number(SRS_FORWARD_MAX_HOPS));
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    EXPECT_TRUE(server.forwarders().empty());
    source->on_unpublish(&pub);

    // Disabled: nothing.
    c.enabled = false;
    server.set_fixed_config(c);
    pub.req.args.reset();
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    EXPECT_TRUE(server.forwarders().empty());
    source->on_unpublish(&pub);
}

// A destination that refuses the stream with an onStatus error but keeps the connection open:
// the forwarder reads it and ends the session (to publish again after the backoff).
TEST(AppForwardTest, DestinationErrorStatusEndsSession) {
    ForwardRtmpServer dst;
    ASSERT_TRUE(dst.listen() == srs_success);
    dst.kick_after = 5;
    ASSERT_TRUE(dst.start() == srs_success);

    auto source = make_source();
    ForwardPublisher pub;
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 0, 200) == srs_success);
    SrsForwarderOptions opts;
    opts.backoff_min = 20 * kMs;
    SrsForwarder f(source, srs_fmt("rtmp://127.0.0.1:%d/live", dst.port), "s", opts);
    ASSERT_TRUE(f.start() == srs_success);
    int64_t ts = 200;
    ASSERT_TRUE(wait_for(
        [&] {
            // The stream goes on meanwhile.
            srs_error_t err = srs_utest::publish_media(source.get(), ts, ts + 40, false);
            srs_error_reset(err);
            ts += 40;
            return f.nb_failures() >= 1;
        },
        2 * kS));
    EXPECT_NE(std::string::npos, f.last_error().find("NetStream.Publish.BadName")) << f.last_error();
    EXPECT_EQ(1, dst.sessions);
    f.stop();
    source->on_unpublish(&pub);
}

// A destination that stops reading: the forwarder's queue drops old media (bounded) and its
// session times out; the source's calls never wait for it.
TEST(AppForwardTest, StalledDestinationNeverSlowsTheSource) {
    ForwardRtmpServer dst;
    ASSERT_TRUE(dst.listen() == srs_success);
    dst.stall_after = 3;
    ASSERT_TRUE(dst.start() == srs_success);

    auto source = make_source();
    ForwardPublisher pub;
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    ASSERT_TRUE(srs_utest::publish_media(source.get(), 0, 40) == srs_success);
    SrsForwarderOptions opts;
    opts.timeout = 500 * kMs;
    opts.backoff_min = 5 * kS;
    opts.consumer.queue_length = 1 * kS;
    SrsForwarder f(source, srs_fmt("rtmp://127.0.0.1:%d/live", dst.port), "s", opts);
    ASSERT_TRUE(f.start() == srs_success);
    ASSERT_TRUE(wait_for([&] { return f.state() == SrsForwarderState::Forwarding; }, 3 * kS));

    // 64 KB frames, a keyframe a second, far more than the socket buffers hold.
    std::string key(64 * 1024, '\x65'), inter(64 * 1024, '\x41');
    key[0] = 0x17;
    key[1] = 0x01;
    inter[0] = 0x27;
    inter[1] = 0x01;
    srs_utime_t slowest = 0;
    for (int i = 0; i < 1000 && f.nb_failures() == 0; i++) {
        const std::string& body = i % 25 == 0 ? key : inter;
        SrsMediaMessage m = SrsMediaMessage::create(SrsMsgVideo, 40 + i * 40, 1, body.data(), (int)body.size());
        srs_utime_t t = srs_update_system_time();
        ASSERT_TRUE(source->on_video(m) == srs_success);
        slowest = std::max(slowest, srs_update_system_time() - t);
        if (i % 10 == 9) {
            srs_usleep(2 * kMs);
        }
    }
    ASSERT_TRUE(wait_for([&] { return f.nb_failures() >= 1; }, 3 * kS));
    EXPECT_GT(f.nb_dropped(), 0);
    EXPECT_LT(slowest, 20 * kMs);
    EXPECT_EQ(SrsForwarderState::Backoff, f.state());
    // No queue while waiting to retry.
    EXPECT_EQ(0, source->nb_consumers());
    f.stop();
    source->on_unpublish(&pub);
}

// A backend that cannot be reached: logged, the static destinations go on; an unpublish while
// the backend is being asked stops the call.
TEST(AppForwardTest, BackendDownKeepsStaticDestinations) {
    ForwardRtmpServer dst;
    ASSERT_TRUE(dst.listen() == srs_success);
    ASSERT_TRUE(dst.start() == srs_success);
    int dead = 0;
    {
        SrsNetFd lfd;
        ASSERT_TRUE(srs_tcp_listen("127.0.0.1", 0, &lfd) == srs_success);
        dead = srs_socket_local_port(lfd);
    }

    SrsForwardServer server;
    SrsForwardConfig c;
    c.enabled = true;
    c.destinations = {srs_fmt("127.0.0.1:%d", dst.port)};
    c.backend = srs_fmt("http://127.0.0.1:%d/api/v1/forward", dead);
    c.backend_timeout = 1 * kS;
    server.set_fixed_config(c);
    auto source = make_source();
    source->add_handler(server.create_handler(source.get()));
    ForwardPublisher pub;
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    ASSERT_TRUE(wait_for([&] { return dst.sessions >= 1; }, 3 * kS));
    srs_usleep(50 * kMs);
    EXPECT_EQ(1u, server.forwarders().size());
    source->on_unpublish(&pub);
    EXPECT_TRUE(server.forwarders().empty());

    // Unpublished at once, before the backend answered.
    ASSERT_TRUE(source->on_publish(&pub) == srs_success);
    source->on_unpublish(&pub);
    srs_usleep(50 * kMs);
    EXPECT_TRUE(server.forwarders().empty());
}
