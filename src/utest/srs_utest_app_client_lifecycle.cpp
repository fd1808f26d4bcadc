// The client lifecycle: admission (security, refer, hooks) gives a lease or an error, and the
// lease undoes exactly what the admission did, once, with the statistics.
#include <gtest/gtest.h>

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_config.hpp>
#include <srs_app_statistic.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_string(text, &c);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return c;
}

// Records every hook the lifecycle makes, and refuses the events it is told to.
class FakeHooks : public ISrsHookCaller {
public:
    srs_error_t call(const SrsConfig&, SrsHookEvent event, const SrsHookRequest& r) override {
        calls.push_back(event);
        bodies.push_back(r);
        for (SrsHookEvent e : refuse) {
            if (e == event) {
                return srs_error_new(ERROR_HTTP_HOOK_REJECTED, "%s refused", srs_hook_event_name(event));
            }
        }
        return srs_success;
    }
    int count(SrsHookEvent event) const {
        int n = 0;
        for (SrsHookEvent e : calls) {
            n += e == event;
        }
        return n;
    }

    std::vector<SrsHookEvent> calls;
    std::vector<SrsHookRequest> bodies;
    std::vector<SrsHookEvent> refuse;
};

const char* kConf = R"(
vhost __defaultVhost__ {
    security { enabled on; deny play 10.0.0.66; allow play all; allow publish all; }
    refer { enabled on; all github.com; publish pub.io; }
}
)";

// A lifecycle over a config, real statistics and fake hooks, as a server part holds one.
struct Fixture {
    Fixture() : conf(load(kConf)), lifecycle([this] { return running; }, [this] { return &stat; }, &hooks) {
        running = conf;
        stat.set_server_id("vid-test");
    }

    SrsHookRequest client(const std::string& cid, const std::string& ip = "10.0.0.1",
                          const std::string& page = "http://www.github.com/live.html") {
        SrsHookRequest r;
        r.client_id = cid;
        r.ip = ip;
        r.vhost = "__defaultVhost__";
        r.app = "live";
        r.stream = "s";
        r.pageUrl = page;
        r.stream_url = "/live/s";
        return r;
    }
    SrsStatisticRequest stat_request() {
        SrsStatisticRequest r;
        r.vhost = "__defaultVhost__";
        r.app = "live";
        r.stream = "s";
        r.ip = "10.0.0.1";
        return r;
    }
    static SrsClientAsk ask(SrsAccessType type) {
        SrsClientAsk a;
        a.type = type;
        return a;
    }

    std::shared_ptr<SrsConfig> conf;
    std::shared_ptr<const SrsConfig> running;
    SrsStatistic stat;
    FakeHooks hooks;
    SrsClientLifecycle lifecycle;
};

}  // namespace

TEST(AppClientLifecycleTest, AdmittedPlayerStopsOnceAndLeavesTheStatistics) {
    Fixture f;
    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("c1"), &lease);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_TRUE(lease.active());
        EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Play}, f.hooks.calls);
        // The lifecycle gives the body the server's ids.
        EXPECT_EQ("vid-test", f.hooks.bodies[0].server_id);
        EXPECT_EQ("c1", f.hooks.bodies[0].client_id);

        lease.join_stats(f.stat_request(), SrsClientFlvPlay, nullptr);
        ASSERT_TRUE(f.stat.find_client("c1") != nullptr);
        // The stream shows in the statistics now: the stop hook's body names it.
        std::string stream_id = f.stat.find_stream(f.stat_request())->id_;

        lease.release();
        EXPECT_FALSE(lease.active());
        EXPECT_TRUE(f.stat.find_client("c1") == nullptr);
        ASSERT_EQ(2u, f.hooks.calls.size());
        EXPECT_EQ(SrsHookEvent::Stop, f.hooks.calls[1]);
        EXPECT_EQ("c1", f.hooks.bodies[1].client_id);
        EXPECT_EQ(stream_id, f.hooks.bodies[1].stream_id);
        // Released already: the destructor does nothing more.
    }
    EXPECT_EQ(1, f.hooks.count(SrsHookEvent::Stop));
    EXPECT_EQ(0, f.stat.metrics().nb_errors);
}

TEST(AppClientLifecycleTest, TheDestructorReleases) {
    Fixture f;
    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Publish),
                                            f.client("p1", "10.0.0.1", "http://pub.io/x"), &lease);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        lease.join_stats(f.stat_request(), SrsClientFmlePublish, nullptr);
        EXPECT_EQ(1u, f.stat.nb_clients());
        // A connection that dies without a word: the lease goes with it.
    }
    EXPECT_EQ((std::vector<SrsHookEvent>{SrsHookEvent::Publish, SrsHookEvent::Unpublish}), f.hooks.calls);
    EXPECT_EQ(0u, f.stat.nb_clients());
}

TEST(AppClientLifecycleTest, RefusedBySecurityCallsNoHook) {
    Fixture f;
    {
        SrsClientLease lease;
        srs_error_t err =
            f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("c1", "10.0.0.66"), &lease);
        EXPECT_EQ(ERROR_SECURITY_DENIED, srs_error_code(err));
        srs_error_reset(err);
        EXPECT_FALSE(lease.active());
        // Nothing to undo: joining the statistics without an admission does nothing either.
        lease.join_stats(f.stat_request(), SrsClientFlvPlay, nullptr);
    }
    EXPECT_TRUE(f.hooks.calls.empty());
    EXPECT_EQ(0u, f.stat.nb_clients());
}

TEST(AppClientLifecycleTest, RefusedByReferCallsNoHook) {
    Fixture f;
    SrsClientLease lease;
    // refer.publish wants pub.io.
    srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Publish),
                                        f.client("p1", "10.0.0.1", "http://github.com/x"), &lease);
    EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
    srs_error_reset(err);
    // An HTTP player has no connect: refer.all is checked with its play.
    SrsClientAsk http = Fixture::ask(SrsAccessType::Play);
    http.refer_all = true;
    err = f.lifecycle.admit(*f.conf, http, f.client("c2", "10.0.0.1", "http://evil.com/"), &lease);
    EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
    srs_error_reset(err);
    // Without refer_all, play has no refer list here: admitted.
    err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("c3", "10.0.0.1", "http://evil.com/"),
                            &lease);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    EXPECT_TRUE(lease.active());
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Play}, f.hooks.calls);
}

TEST(AppClientLifecycleTest, RefusedByHookUndoesNothing) {
    Fixture f;
    f.hooks.refuse = {SrsHookEvent::Play};
    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("c1"), &lease);
        EXPECT_EQ(ERROR_HTTP_HOOK_REJECTED, srs_error_code(err));
        srs_error_reset(err);
        EXPECT_FALSE(lease.active());
    }
    // on_stop only for a player that on_play let in.
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Play}, f.hooks.calls);
}

TEST(AppClientLifecycleTest, ChecksOnlyForARequestThatIsNoClient) {
    Fixture f;
    SrsClientAsk http = Fixture::ask(SrsAccessType::Play);
    http.refer_all = true;
    srs_error_t err = f.lifecycle.check(*f.conf, http, f.client("", "10.0.0.66"));
    EXPECT_EQ(ERROR_SECURITY_DENIED, srs_error_code(err));
    srs_error_reset(err);
    err = f.lifecycle.check(*f.conf, http, f.client("", "10.0.0.1", "http://evil.com/"));
    EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
    srs_error_reset(err);
    err = f.lifecycle.check(*f.conf, http, f.client(""));
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    EXPECT_TRUE(f.hooks.calls.empty());

    // Checked already (each HLS request is): only the hook remains.
    http.checked = true;
    SrsClientLease lease;
    err = f.lifecycle.admit(*f.conf, http, f.client("c1", "10.0.0.66"), &lease);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Play}, f.hooks.calls);
}

TEST(AppClientLifecycleTest, ConnectClosesOnlyWhatItLetIn) {
    Fixture f;
    {
        SrsClientLease conn;
        srs_error_t err = f.lifecycle.connect(*f.conf, f.client("r1"), nullptr, &conn);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        // The client names its stream later; on_close describes it as it is then.
        SrsHookRequest named = f.client("r1");
        named.stream = "t";
        conn.update(named);
        conn.set_bytes(100, 200);
        conn.join_stats(f.stat_request(), SrsClientRtmpPlay, nullptr);
    }
    ASSERT_EQ((std::vector<SrsHookEvent>{SrsHookEvent::Connect, SrsHookEvent::Close}), f.hooks.calls);
    EXPECT_EQ("t", f.hooks.bodies[1].stream);
    EXPECT_EQ(100, f.hooks.bodies[1].recv_bytes);
    EXPECT_EQ(200, f.hooks.bodies[1].send_bytes);
    EXPECT_EQ(0u, f.stat.nb_clients());

    // refer.all refuses before the hook.
    f.hooks.calls.clear();
    {
        SrsClientLease conn;
        srs_error_t err = f.lifecycle.connect(*f.conf, f.client("r2", "10.0.0.1", "http://evil.com/"), nullptr, &conn);
        EXPECT_EQ(ERROR_REFER_DENIED, srs_error_code(err));
        srs_error_reset(err);
    }
    EXPECT_TRUE(f.hooks.calls.empty());

    // The front end's own check (an edge's token traverse) refuses after on_connect: no on_close.
    {
        SrsClientLease conn;
        bool asked = false;
        srs_error_t err = f.lifecycle.connect(
            *f.conf, f.client("r3"),
            [&asked] {
                asked = true;
                return srs_error_new(ERROR_RTMP_ACCESS_DENIED, "token");
            },
            &conn);
        EXPECT_TRUE(asked);
        EXPECT_EQ(ERROR_RTMP_ACCESS_DENIED, srs_error_code(err));
        srs_error_reset(err);
        EXPECT_FALSE(conn.active());
    }
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Connect}, f.hooks.calls);

    // on_connect refused: the front end's check is not asked.
    f.hooks.calls.clear();
    f.hooks.refuse = {SrsHookEvent::Connect};
    {
        SrsClientLease conn;
        bool asked = false;
        srs_error_t err = f.lifecycle.connect(
            *f.conf, f.client("r4"),
            [&asked]() -> srs_error_t {
                asked = true;
                return srs_success;
            },
            &conn);
        EXPECT_EQ(ERROR_HTTP_HOOK_REJECTED, srs_error_code(err));
        srs_error_reset(err);
        EXPECT_FALSE(asked);
    }
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Connect}, f.hooks.calls);
}

TEST(AppClientLifecycleTest, KickedAndFailedLeases) {
    Fixture f;
    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("k1"), &lease);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        lease.join_stats(f.stat_request(), SrsClientHlsPlay, nullptr);
        // Kicked by the API: the hook server still hears the player stopped.
        lease.set_end(SrsClientEnd::Kicked);
    }
    EXPECT_EQ(1, f.hooks.count(SrsHookEvent::Stop));
    EXPECT_TRUE(f.stat.find_client("k1") == nullptr);
    EXPECT_EQ(0, f.stat.metrics().nb_errors);

    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("e1"), &lease);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        lease.join_stats(f.stat_request(), SrsClientFlvPlay, nullptr);
        lease.set_end(SrsClientEnd::Failed);
    }
    EXPECT_EQ(2, f.hooks.count(SrsHookEvent::Stop));
    EXPECT_TRUE(f.stat.find_client("e1") == nullptr);
    // An error end is counted for the exporter.
    EXPECT_EQ(1, f.stat.metrics().nb_errors);
}

TEST(AppClientLifecycleTest, QuitLeavesTheStatisticsWithoutHooks) {
    Fixture f;
    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("q1"), &lease);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        lease.join_stats(f.stat_request(), SrsClientHlsPlay, nullptr);
        lease.set_end(SrsClientEnd::Quit);
    }
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Play}, f.hooks.calls);
    EXPECT_TRUE(f.stat.find_client("q1") == nullptr);
}

TEST(AppClientLifecycleTest, ReleaseFollowsTheRunningConfig) {
    Fixture f;
    SrsClientLease lease;
    srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("c1"), &lease);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    lease.join_stats(f.stat_request(), SrsClientFlvPlay, nullptr);
    // No config any more (a server part shutting down): the client still leaves the
    // statistics, with no hook to call.
    f.running = nullptr;
    lease.release();
    EXPECT_EQ(std::vector<SrsHookEvent>{SrsHookEvent::Play}, f.hooks.calls);
    EXPECT_EQ(0u, f.stat.nb_clients());
}

TEST(AppClientLifecycleTest, MovedLeaseReleasesOnce) {
    Fixture f;
    std::vector<SrsClientLease> held;
    {
        SrsClientLease lease;
        srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("m1"), &lease);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        lease.join_stats(f.stat_request(), SrsClientHlsPlay, nullptr);
        held.push_back(std::move(lease));
        EXPECT_FALSE(lease.active());
    }
    EXPECT_EQ(0, f.hooks.count(SrsHookEvent::Stop));
    EXPECT_TRUE(f.stat.find_client("m1") != nullptr);

    // Assigning over a held lease releases the old one first.
    SrsClientLease other;
    srs_error_t err = f.lifecycle.admit(*f.conf, Fixture::ask(SrsAccessType::Play), f.client("m2"), &other);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    held[0] = std::move(other);
    EXPECT_EQ(1, f.hooks.count(SrsHookEvent::Stop));
    EXPECT_TRUE(f.stat.find_client("m1") == nullptr);
    held.clear();
    EXPECT_EQ(2, f.hooks.count(SrsHookEvent::Stop));

    // A lease that only describes a client undoes nothing.
    { SrsClientLease plain(f.client("x")); }
    EXPECT_EQ(2, f.hooks.count(SrsHookEvent::Stop));
}
