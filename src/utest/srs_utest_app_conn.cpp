#include <gtest/gtest.h>

#include <srs_app_conn.hpp>
#include <srs_app_listener.hpp>
#include <srs_core_log.hpp>

namespace {

// A connection whose coroutine ends on its own after a few ms or when expired.
class FakeConn : public ISrsConnection, public ISrsCoroutineHandler {
public:
    FakeConn(SrsConnectionManager* m, int* destroyed, srs_utime_t life)
        : manager_(m), destroyed_(destroyed), life_(life), cid_(srs_context_generate()) {
        trd_ = std::make_unique<SrsCoroutine>("fake", this, cid_);
    }
    ~FakeConn() override {
        trd_->stop();
        (*destroyed_)++;
    }
    srs_error_t start() override { return trd_->start(); }
    const std::string& cid() const override { return cid_; }
    std::string remote_ip() const override { return "127.0.0.1"; }
    const char* desc() const override { return "FAKE"; }
    void expire() override { trd_->interrupt(); }
    srs_error_t cycle() override {
        srs_usleep(life_);
        manager_->remove(this);
        return srs_success;
    }

private:
    SrsConnectionManager* manager_;
    int* destroyed_;
    srs_utime_t life_;
    std::string cid_;
    std::unique_ptr<SrsCoroutine> trd_;
};

class CountingDisposer : public ISrsDisposingHandler {
public:
    int count = 0;
    void on_disposing(ISrsConnection*) override { count++; }
};

class AcceptCounter : public ISrsTcpHandler {
public:
    int accepted = 0;
    srs_error_t on_tcp_client(SrsTcpListener*, SrsNetFd fd) override {
        accepted++;
        fd.close();
        return srs_success;
    }
};

}  // namespace

TEST(AppConnTest, EndedConnectionsAreDisposedByTheManager) {
    int destroyed = 0;
    SrsConnectionManager m;
    CountingDisposer disposer;
    m.subscribe(&disposer);
    ASSERT_FALSE(m.start());
    auto c = std::make_unique<FakeConn>(&m, &destroyed, 5 * SRS_UTIME_MILLISECONDS);
    std::string cid = c->cid();
    ASSERT_FALSE(m.add(std::move(c)));
    EXPECT_EQ(1u, m.size());
    EXPECT_NE(nullptr, m.find(cid));

    srs_usleep(50 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(0u, m.size());
    EXPECT_EQ(nullptr, m.find(cid));
    EXPECT_EQ(1, destroyed);
    EXPECT_EQ(1, disposer.count);
    m.unsubscribe(&disposer);
}

TEST(AppConnTest, ExpireAndWaitEndsLongConnections) {
    int destroyed = 0;
    SrsConnectionManager m;
    for (int i = 0; i < 3; i++) {
        ASSERT_FALSE(m.add(std::make_unique<FakeConn>(&m, &destroyed, 100 * SRS_UTIME_SECONDS)));
    }
    EXPECT_EQ(3u, m.size());
    m.expire_and_wait(SRS_UTIME_SECONDS);
    EXPECT_EQ(0u, m.size());
    EXPECT_EQ(3, destroyed);
}

TEST(AppConnTest, RemoveIsIdempotentAndIgnoresStrangers) {
    int destroyed = 0;
    SrsConnectionManager m;
    auto c = std::make_unique<FakeConn>(&m, &destroyed, 100 * SRS_UTIME_SECONDS);
    FakeConn* raw = c.get();
    ASSERT_FALSE(m.add(std::move(c)));
    m.remove(raw);
    m.remove(raw);
    m.remove(reinterpret_cast<ISrsConnection*>(&m));
    m.dispose();
    EXPECT_EQ(1, destroyed);
    EXPECT_EQ(0u, m.size());
}

TEST(AppListenerTest, ParseEndpoints) {
    std::string ip;
    int port = 0;
    ASSERT_TRUE(srs_parse_endpoint("1935", &ip, &port));
    EXPECT_EQ("0.0.0.0", ip);
    EXPECT_EQ(1935, port);
    ASSERT_TRUE(srs_parse_endpoint("127.0.0.1:8080", &ip, &port));
    EXPECT_EQ("127.0.0.1", ip);
    EXPECT_EQ(8080, port);
    ASSERT_TRUE(srs_parse_endpoint("[::1]:1985", &ip, &port));
    EXPECT_EQ("::1", ip);
    EXPECT_EQ(1985, port);
    EXPECT_FALSE(srs_parse_endpoint("99999", &ip, &port));
    EXPECT_FALSE(srs_parse_endpoint("abc", &ip, &port));
    EXPECT_FALSE(srs_parse_endpoint("[::1]1985", &ip, &port));
    EXPECT_FALSE(srs_parse_endpoint(":1935", &ip, &port));
}

TEST(AppListenerTest, AcceptsAndHandsOverSockets) {
    AcceptCounter counter;
    SrsTcpListener l(&counter, "127.0.0.1:0", "test", 0);
    ASSERT_FALSE(l.listen());
    ASSERT_GT(l.port(), 0);
    for (int i = 0; i < 3; i++) {
        SrsNetFd fd;
        ASSERT_FALSE(srs_tcp_connect("127.0.0.1", l.port(), SRS_UTIME_SECONDS, &fd));
    }
    srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    EXPECT_EQ(3, counter.accepted);
    l.close();
    SrsNetFd fd;
    srs_error_t err = srs_tcp_connect("127.0.0.1", l.port(), SRS_UTIME_SECONDS, &fd);
    EXPECT_TRUE(err);
}
