// The edge and the origin cluster: origin parsing and order with failover, the tcUrl of a
// pull, the coworkers' query and answer, and a pull's start from the source hub.
#include <srs_app_config.hpp>
#include <srs_app_coworkers.hpp>
#include <srs_app_edge.hpp>
#include <srs_app_forward.hpp>
#include <srs_app_source.hpp>
#include <srs_core_st.hpp>

#include <gtest/gtest.h>

namespace {

std::shared_ptr<SrsConfig> load_conf(const std::string& text) {
    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_string(text, &conf);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return conf;
}

}  // namespace

TEST(AppEdgeTest, ParseOrigin) {
    SrsEdgeOrigin o;
    ASSERT_TRUE(srs_edge_parse_origin("127.0.0.1:19350", &o));
    EXPECT_EQ("127.0.0.1", o.host);
    EXPECT_EQ(19350, o.port);
    ASSERT_TRUE(srs_edge_parse_origin("origin.example.com", &o));
    EXPECT_EQ("origin.example.com", o.host);
    EXPECT_EQ(1935, o.port);
    ASSERT_TRUE(srs_edge_parse_origin("[::1]:1936", &o));
    EXPECT_EQ("::1", o.host);
    EXPECT_EQ(1936, o.port);
    EXPECT_EQ("[::1]:1936", o.str());
    ASSERT_TRUE(srs_edge_parse_origin("[fe80::1]", &o));
    EXPECT_EQ(1935, o.port);

    EXPECT_FALSE(srs_edge_parse_origin("", &o));
    EXPECT_FALSE(srs_edge_parse_origin(":1935", &o));
    EXPECT_FALSE(srs_edge_parse_origin("host:", &o));
    EXPECT_FALSE(srs_edge_parse_origin("[::1]:", &o));
    EXPECT_FALSE(srs_edge_parse_origin("host:0", &o));
    EXPECT_FALSE(srs_edge_parse_origin("host:65536", &o));
    EXPECT_FALSE(srs_edge_parse_origin("host:12a", &o));
    EXPECT_FALSE(srs_edge_parse_origin("::1", &o));
    EXPECT_FALSE(srs_edge_parse_origin("[::1", &o));
    EXPECT_FALSE(srs_edge_parse_origin("[::1]x", &o));
}

TEST(AppEdgeTest, TcUrlNamesVhostOrOriginHost) {
    SrsEdgeOrigin o;
    ASSERT_TRUE(srs_edge_parse_origin("10.0.0.1:1936", &o));
    EXPECT_EQ("rtmp://10.0.0.1:1936/live", srs_edge_tc_url("__defaultVhost__", o, "live"));
    EXPECT_EQ("rtmp://origin.vhost:1936/live/sub", srs_edge_tc_url("origin.vhost", o, "live/sub"));
    EXPECT_EQ("rtmp://10.0.0.1:1936/live", srs_edge_tc_url("", o, "live"));
}

TEST(AppEdgeTest, SelectorFailsOverInOrderAndCountsRounds) {
    SrsEdgeOriginSelector s;
    EXPECT_TRUE(s.empty());
    EXPECT_EQ("", s.current());
    EXPECT_TRUE(s.on_failure());

    s.set_origins({"a:1", "b:2", "c:3"});
    EXPECT_EQ("a:1", s.current());
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ("b:2", s.current());
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ("c:3", s.current());
    // Every origin failed once: a round, and the first is next.
    EXPECT_TRUE(s.on_failure());
    EXPECT_EQ("a:1", s.current());

    // A working origin is kept; a failure after a success starts a new round there.
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ("b:2", s.current());
    s.on_success();
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ("c:3", s.current());
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ("a:1", s.current());
    EXPECT_TRUE(s.on_failure());
    EXPECT_EQ("b:2", s.current());

    // New origins keep the current one when it is still listed, else start at the first.
    s.set_origins({"x:9", "b:2"});
    EXPECT_EQ("b:2", s.current());
    EXPECT_EQ(1, s.index());
    s.set_origins({"y:8", "z:7"});
    EXPECT_EQ("y:8", s.current());
}

TEST(AppEdgeTest, VhostConfig) {
    auto conf = load_conf(
        "vhost edge { cluster { mode remote; origin 127.0.0.1:1936 127.0.0.1:1937; token_traverse on; vhost up; } }\n"
        "vhost oc { cluster { origin_cluster on; coworkers 127.0.0.1:9090; } }\n"
        "vhost plain { }\n");
    SrsEdgeVhostConfig e = srs_edge_vhost_config_load(*conf, "edge");
    EXPECT_TRUE(e.edge);
    EXPECT_TRUE(e.pulls());
    EXPECT_TRUE(e.token_traverse);
    EXPECT_EQ("up", e.upstream_vhost);
    EXPECT_EQ(2u, e.origins.size());
    EXPECT_TRUE(e.debug_srs_upnode);
    SrsEdgeVhostConfig oc = srs_edge_vhost_config_load(*conf, "oc");
    EXPECT_FALSE(oc.edge);
    EXPECT_TRUE(oc.pulls());
    EXPECT_EQ(std::vector<std::string>{"127.0.0.1:9090"}, oc.coworkers);
    EXPECT_FALSE(srs_edge_vhost_config_load(*conf, "plain").pulls());
}

TEST(AppEdgeTest, CoworkerQueryAndAnswer) {
    EXPECT_EQ("/api/v1/clusters?vhost=v&ip=&app=live&stream=s%20x&coworker=127.0.0.1%3A9090",
              srs_coworker_query_path("v", "", "live", "s x", "127.0.0.1:9090"));

    nlohmann::ordered_json j =
        srs_coworker_answer("__defaultVhost__", "1.2.3.4", "live", "s", "127.0.0.1", 19350, "127.0.0.1:9090", "sid");
    EXPECT_EQ(0, j["code"].get<int>());
    EXPECT_EQ("live", j["data"]["query"]["app"].get<std::string>());
    EXPECT_EQ("127.0.0.1:9090", j["data"]["origin"]["routers"][0].get<std::string>());
    std::string origin;
    srs_error_t err = srs_coworker_parse_answer(j.dump(), &origin);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ("127.0.0.1:19350", origin);

    // SRS's own answer, as its coworkers send it.
    err = srs_coworker_parse_answer(
        R"({"code":0,"data":{"query":{"ip":"","vhost":"__defaultVhost__","app":"live","stream":"s"},)"
        R"("origin":{"ip":"::1","port":1935,"vhost":"__defaultVhost__","api":"[::1]:1985","routers":["[::1]:1985"]}}})",
        &origin);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ("[::1]:1935", origin);
}

TEST(AppEdgeTest, CoworkerAnswerErrors) {
    std::string origin;
    struct Case {
        const char* body;
        int code;
    } cases[] = {
        {"", ERROR_HTTP_DATA_INVALID},
        {"not json", ERROR_HTTP_DATA_INVALID},
        {"[1,2]", ERROR_HTTP_DATA_INVALID},
        {R"({"data":{}})", ERROR_HTTP_DATA_INVALID},
        {R"({"code":3004})", ERROR_SOURCE_NOT_FOUND},
        {R"({"code":0,"data":null})", ERROR_SOURCE_NOT_FOUND},
        {R"({"code":0,"data":{"origin":{"ip":"1.2.3.4"}}})", ERROR_HTTP_DATA_INVALID},
        {R"({"code":0,"data":{"origin":{"ip":"1.2.3.4","port":"1935"}}})", ERROR_HTTP_DATA_INVALID},
        {R"({"code":0,"data":{"origin":{"ip":"","port":1935}}})", ERROR_HTTP_DATA_INVALID},
        {R"({"code":0,"data":{"origin":{"ip":"1.2.3.4","port":70000}}})", ERROR_HTTP_DATA_INVALID},
    };
    for (const Case& c : cases) {
        srs_error_t err = srs_coworker_parse_answer(c.body, &origin);
        EXPECT_EQ(c.code, srs_error_code(err)) << c.body;
        srs_error_reset(err);
    }
}

TEST(AppEdgeTest, CoworkersLookupSkipsUnreachable) {
    std::vector<std::string> origins = {"stale"};
    // Port 1 on loopback refuses at once; an invalid coworker is skipped too.
    srs_error_t err = srs_coworkers_lookup({"127.0.0.1:1", "not:a:host"}, "__defaultVhost__", "live", "s", &origins);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_TRUE(origins.empty());
}

// A player on an edge vhost starts one pull, which waits (the players too) while the origin
// is down; the source is not taken as published, so nothing is refused meanwhile.
TEST(AppEdgeTest, PlayerStartsOnePullAndLocalPublisherNone) {
    auto conf = load_conf(
        "vhost __defaultVhost__ { cluster { mode remote; origin 127.0.0.1:1; } }\n"
        "vhost origin { }\n");
    SrsEdgeServer edge([conf]() { return conf; });
    SrsLiveSourceManager sources;
    sources.add_handler_factory(&edge);

    std::shared_ptr<SrsLiveSource> s;
    srs_error_t err = sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s);
    ASSERT_TRUE(err == srs_success);
    EXPECT_TRUE(edge.ingesters().empty());

    std::unique_ptr<SrsLiveConsumer> c1, c2;
    ASSERT_TRUE(s->create_consumer(SrsLiveConsumerConfig(), &c1) == srs_success);
    ASSERT_TRUE(s->create_consumer(SrsLiveConsumerConfig(), &c2) == srs_success);
    ASSERT_EQ(1u, edge.ingesters().size());
    SrsEdgeIngester* i = edge.ingesters()[0];
    srs_usleep(100 * SRS_UTIME_MILLISECONDS);
    EXPECT_NE(SrsEdgeState::Playing, i->state());
    EXPECT_EQ("127.0.0.1:1", i->origin());
    EXPECT_FALSE(s->publishing());
    EXPECT_FALSE(i->done());

    // An origin vhost (no cluster) never pulls.
    std::shared_ptr<SrsLiveSource> o;
    ASSERT_TRUE(sources.fetch_or_create("origin", "live", "s", SrsLiveSourceConfig(), &o) == srs_success);
    std::unique_ptr<SrsLiveConsumer> c3;
    ASSERT_TRUE(o->create_consumer(SrsLiveConsumerConfig(), &c3) == srs_success);
    EXPECT_EQ(1u, edge.ingesters().size());

    // The source going away stops its pull.
    c1.reset();
    c2.reset();
    c3.reset();
    s.reset();
    o.reset();
    sources.set_idle_timeout(0);
    sources.sweep();
    sources.sweep();
    EXPECT_EQ(0, sources.size());
    EXPECT_TRUE(edge.ingesters().empty());
}

namespace {

class SrsUtestEdgePublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

}  // namespace

// A local publisher on an edge is pushed to the first origin, and to the next one after the
// pusher gave up on it; an origin vhost pushes nothing.
TEST(AppEdgeTest, LocalPublishPushedToOriginsInTurn) {
    auto conf = load_conf(
        "vhost __defaultVhost__ { cluster { mode remote; origin 127.0.0.1:1 127.0.0.1:2; } }\n"
        "vhost plain { }\n");
    SrsEdgeServer edge([conf]() { return conf; });
    SrsLiveSourceManager sources;
    SrsUtestEdgePublisher pub;

    std::shared_ptr<SrsLiveSource> p;
    ASSERT_TRUE(sources.fetch_or_create("plain", "live", "s", SrsLiveSourceConfig(), &p) == srs_success);
    ASSERT_TRUE(p->on_publish(&pub) == srs_success);
    SrsEdgeHandler hp(&edge, p.get());
    ASSERT_TRUE(hp.on_publish() == srs_success);
    EXPECT_EQ(nullptr, hp.pusher());

    std::shared_ptr<SrsLiveSource> s;
    ASSERT_TRUE(sources.fetch_or_create("__defaultVhost__", "live", "s", SrsLiveSourceConfig(), &s) == srs_success);
    ASSERT_TRUE(s->on_publish(&pub) == srs_success);
    SrsEdgeHandler h(&edge, s.get());
    ASSERT_TRUE(h.on_publish() == srs_success);
    ASSERT_NE(nullptr, h.pusher());
    EXPECT_EQ("rtmp://127.0.0.1:1/live/s", h.pusher()->url());

    // Two refused attempts, 1 s apart: the pusher gives up, the next media moves it on.
    srs_utime_t deadline = srs_update_system_time() + 4 * SRS_UTIME_SECONDS;
    while (h.pusher()->url() == "rtmp://127.0.0.1:1/live/s" && srs_update_system_time() < deadline) {
        srs_usleep(100 * SRS_UTIME_MILLISECONDS);
        ASSERT_TRUE(h.on_video(SrsMediaMessage()) == srs_success);
    }
    ASSERT_NE(nullptr, h.pusher());
    EXPECT_EQ("rtmp://127.0.0.1:2/live/s", h.pusher()->url());

    h.on_unpublish();
    EXPECT_EQ(nullptr, h.pusher());
    s->on_unpublish(&pub);
    p->on_unpublish(&pub);
}
