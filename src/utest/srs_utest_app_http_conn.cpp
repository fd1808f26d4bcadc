#include <gtest/gtest.h>

#include <srs_app_exporter.hpp>
#include <srs_app_http_api.hpp>
#include <srs_app_http_conn.hpp>
#include <srs_app_listener.hpp>

using json = nlohmann::ordered_json;

namespace {

// Accepts into SrsHttpConn serving the API, as the server does for http_api.
class ApiAcceptor : public ISrsTcpHandler {
public:
    ApiAcceptor(SrsConnectionManager* m, ISrsHttpHandler* h) : manager_(m), handler_(h) {}
    srs_error_t on_tcp_client(SrsTcpListener*, SrsNetFd fd) override {
        auto conn = std::make_unique<SrsHttpConn>(manager_, std::move(fd), handler_, "HTTP-API");
        conn->set_recv_timeout(recv_timeout);
        last = conn.get();
        return manager_->add(std::move(conn));
    }
    srs_utime_t recv_timeout = 2 * SRS_UTIME_SECONDS;
    SrsHttpConn* last = nullptr;

private:
    SrsConnectionManager* manager_;
    ISrsHttpHandler* handler_;
};

// A raw client: sends bytes, reads until the peer closes or the timeout.
struct RawClient {
    SrsNetFd fd;
    std::unique_ptr<SrsStSocket> skt;
    srs_error_t connect(int port) {
        srs_error_t err = srs_tcp_connect("127.0.0.1", port, SRS_UTIME_SECONDS, &fd);
        if (err == srs_success) {
            skt = std::make_unique<SrsStSocket>(fd);
            skt->set_recv_timeout(3 * SRS_UTIME_SECONDS);
        }
        return err;
    }
    void send(const std::string& s) {
        srs_error_t err = skt->write(s.data(), s.size(), nullptr);
        srs_error_reset(err);
    }
    // Reads until the response holds `until` (or the peer closes, or a timeout).
    std::string read(const std::string& until = "", bool* closed = nullptr) {
        std::string out;
        char buf[4096];
        while (until.empty() || out.find(until) == std::string::npos) {
            ssize_t n = 0;
            srs_error_t err = skt->read(buf, sizeof(buf), &n);
            if (err) {
                if (closed) {
                    *closed = srs_error_code(err) != ERROR_SOCKET_TIMEOUT;
                }
                srs_error_reset(err);
                break;
            }
            out.append(buf, n);
        }
        return out;
    }
};

class FakeServer : public ISrsHttpApiServer {
public:
    SrsConnectionManager* manager = nullptr;
    ISrsConnection* find_connection(const std::string& cid) override { return manager->find(cid); }
    srs_error_t reload() override { return srs_success; }
    SrsSummaryContext summary_context() override { return SrsSummaryContext(); }
};

}  // namespace

TEST(AppHttpConnTest, ServesApiKeepAliveAndKicks) {
    SrsStatistic stat;
    SrsSystemInfo sys;
    FakeServer server;
    SrsConnectionManager manager;
    server.manager = &manager;
    ASSERT_TRUE(manager.start() == srs_success);
    manager.subscribe(&stat);
    SrsHttpApi api(&stat, &sys, &server);
    ASSERT_TRUE(api.initialize() == srs_success);
    ApiAcceptor acceptor(&manager, api.handler());
    SrsTcpListener listener(&acceptor, "127.0.0.1:0", "http-api", 0);
    ASSERT_TRUE(listener.listen() == srs_success);

    RawClient c;
    ASSERT_TRUE(c.connect(listener.port()) == srs_success);
    c.send("GET /api/v1/versions HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string r = c.read("\"version\"");
    EXPECT_EQ(0u, r.find("HTTP/1.1 200 OK\r\n"));
    // Same connection, next request; then the connection shows as a client once it plays.
    c.send("GET /api/v1/summaries HTTP/1.1\r\nHost: x\r\n\r\n");
    r = c.read("\"system\"");
    EXPECT_NE(std::string::npos, r.find("ilde_time"));
    ASSERT_EQ(1u, manager.size());
    ASSERT_TRUE(acceptor.last != nullptr);

    // Kick it through the API from a second connection: the kicked one is closed.
    std::string cid = acceptor.last->cid();
    SrsStatisticRequest req;
    req.vhost = "__defaultVhost__";
    req.app = "live";
    req.stream = "s";
    stat.on_client(cid, req, SrsClientFlvPlay, nullptr);
    RawClient k;
    ASSERT_TRUE(k.connect(listener.port()) == srs_success);
    k.send("DELETE /api/v1/clients/" + cid + " HTTP/1.1\r\nHost: x\r\n\r\n");
    r = k.read("}");
    EXPECT_NE(std::string::npos, r.find("\"code\":0"));
    bool closed = false;
    c.read("", &closed);
    EXPECT_TRUE(closed);
    // Disposed: gone from the manager and, through the disposing hook, from the statistics.
    for (int i = 0; i < 50 && stat.find_client(cid); i++) {
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    }
    EXPECT_TRUE(stat.find_client(cid) == nullptr);
    EXPECT_TRUE(manager.find(cid) == nullptr);
    manager.unsubscribe(&stat);
}

TEST(AppHttpConnTest, BadInputClosesOnlyThatConnection) {
    SrsStatistic stat;
    SrsSystemInfo sys;
    FakeServer server;
    SrsConnectionManager manager;
    server.manager = &manager;
    ASSERT_TRUE(manager.start() == srs_success);
    SrsHttpApi api(&stat, &sys, &server);
    ASSERT_TRUE(api.initialize() == srs_success);
    ApiAcceptor acceptor(&manager, api.handler());
    acceptor.recv_timeout = 200 * SRS_UTIME_MILLISECONDS;
    SrsTcpListener listener(&acceptor, "127.0.0.1:0", "http-api", 0);
    ASSERT_TRUE(listener.listen() == srs_success);

    // Half a request then silence: 408 and closed after the recv timeout.
    RawClient half;
    ASSERT_TRUE(half.connect(listener.port()) == srs_success);
    half.send("GET /api/v1/versions HTTP/1.1\r\nHost: x\r\n");
    // A malformed request line: 400 and closed.
    RawClient bad;
    ASSERT_TRUE(bad.connect(listener.port()) == srs_success);
    bad.send("GARBAGE\r\n\r\n");
    bool closed = false;
    std::string r = bad.read("", &closed);
    EXPECT_EQ(0u, r.find("HTTP/1.1 400")) << r;
    EXPECT_TRUE(closed);

    // A huge header: 431 and closed.
    RawClient huge;
    ASSERT_TRUE(huge.connect(listener.port()) == srs_success);
    huge.send("GET /api/v1/versions HTTP/1.1\r\nX-Big: " + std::string(128 * 1024, 'a') + "\r\n\r\n");
    r = huge.read("", &closed);
    EXPECT_EQ(0u, r.find("HTTP/1.1 431")) << r.substr(0, 100);

    r = half.read("", &closed);
    EXPECT_EQ(0u, r.find("HTTP/1.1 408")) << r;
    EXPECT_TRUE(closed);

    // Others are still served.
    RawClient good;
    ASSERT_TRUE(good.connect(listener.port()) == srs_success);
    good.send("GET /api/v1/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    r = good.read("", &closed);
    EXPECT_EQ(0u, r.find("HTTP/1.1 200 OK")) << r;
    json j = json::parse(r.substr(r.find("\r\n\r\n") + 4), nullptr, false);
    EXPECT_EQ(0, j["code"]);
}
