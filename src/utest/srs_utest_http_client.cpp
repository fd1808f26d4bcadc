// Loopback tests: SrsHttpClient against SrsHttpServerConn on 127.0.0.1, each side in its
// own coroutine.
#include <gtest/gtest.h>

#include <srs_core_st.hpp>
#include <srs_protocol_http_client.hpp>
#include <srs_protocol_http_conn.hpp>
#include <srs_protocol_http_mux.hpp>
#include <srs_utest_http_mock.hpp>

#include <vector>

namespace {

// One accepted connection served in its own coroutine.
class LoopbackConn : public ISrsCoroutineHandler {
public:
    LoopbackConn(SrsNetFd fd, ISrsHttpHandler* h, srs_utime_t rtm)
        : fd_(std::move(fd)), io_(fd_), conn_(&io_, h), trd_("utest-http-conn", this) {
        io_.set_recv_timeout(rtm);
        io_.set_send_timeout(2 * SRS_UTIME_SECONDS);
    }
    srs_error_t cycle() override {
        srs_error_t err = conn_.serve();
        done_ = true;
        // As a real server does: the connection ends, the client sees the close.
        fd_.close();
        return err;
    }
    SrsNetFd fd_;
    SrsStSocket io_;
    SrsHttpServerConn conn_;
    bool done_ = false;
    // Last, so it stops before the socket closes.
    SrsCoroutine trd_;
};

// Listens on 127.0.0.1:0 and serves every connection through the mux.
class LoopbackServer : public ISrsCoroutineHandler {
public:
    SrsHttpServeMux mux;
    srs_utime_t conn_recv_timeout = 2 * SRS_UTIME_SECONDS;

    LoopbackServer() : trd_("utest-http-server", this) {}
    ~LoopbackServer() override {
        trd_.stop();
        conns_.clear();
    }
    srs_error_t start() {
        srs_error_t err = srs_tcp_listen("127.0.0.1", 0, &lfd_);
        if (err) {
            return err;
        }
        port_ = srs_socket_local_port(lfd_);
        return trd_.start();
    }
    int port() const { return port_; }
    int nb_conns() const { return (int)conns_.size(); }
    srs_error_t cycle() override {
        srs_error_t err = srs_success;
        // Bounded: a test never needs more connections than this.
        for (int i = 0; i < 16; i++) {
            SrsNetFd cfd;
            if ((err = srs_tcp_accept(lfd_, SRS_UTIME_NO_TIMEOUT, &cfd)) != srs_success) {
                return err;
            }
            conns_.emplace_back(new LoopbackConn(std::move(cfd), &mux, conn_recv_timeout));
            if ((err = conns_.back()->trd_.start()) != srs_success) {
                return err;
            }
        }
        return err;
    }

private:
    SrsNetFd lfd_;
    int port_ = 0;
    std::vector<std::unique_ptr<LoopbackConn>> conns_;
    SrsCoroutine trd_;
};

// Echoes method, path, query x, content type and body.
class ApiEcho : public ISrsHttpHandler {
public:
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        srs_error_t err = srs_success;
        std::string body;
        if ((err = r->body_read_all(&body)) != srs_success) {
            return err;
        }
        std::string out = std::string(r->method_str()) + " " + r->path() + " x=" + r->query_get("x") +
                          " ct=" + r->header()->get("Content-Type") + " body=" + body;
        return srs_http_write_response(w, 200, "text/plain", out);
    }
};

// Sends n pieces without a length: a chunked body, read by the client as it comes.
class ChunkedPieces : public ISrsHttpHandler {
public:
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) override {
        srs_error_t err = srs_success;
        for (int i = 0; i < 5; i++) {
            std::string p = "piece" + std::to_string(i) + ";";
            if ((err = w->write(p.data(), (int)p.size())) != srs_success) {
                return err;
            }
            srs_usleep(2 * SRS_UTIME_MILLISECONDS);
        }
        return err;
    }
};

class Redirector : public ISrsHttpHandler {
public:
    explicit Redirector(const std::string& to, int code = 302) : to_(to), code_(code) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) override {
        w->header()->set("Location", to_);
        return srs_http_write_error(w, code_);
    }
    std::string to_;
    int code_;
};

class Sized : public ISrsHttpHandler {
public:
    explicit Sized(int size, srs_utime_t delay = 0) : size_(size), delay_(delay) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* /*r*/) override {
        if (delay_ > 0) {
            srs_usleep(delay_);
        }
        return srs_http_write_response(w, 200, "application/octet-stream", std::string(size_, 'x'));
    }
    int size_;
    srs_utime_t delay_;
};

// An HTTP-FLV style endless response that only ends when the client goes away.
class LiveStream : public ISrsHttpHandler {
public:
    bool send_tags = false;
    bool ended = false;
    bool saw_disconnect = false;
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        srs_error_t err = srs_success;
        SrsHttpDisconnectWatcher watcher(r->io());
        if ((err = watcher.start()) != srs_success) {
            return err;
        }
        w->header()->set_content_type("video/x-flv");
        const char flv[] = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};
        if ((err = w->write(flv, sizeof(flv))) != srs_success) {
            return err;
        }
        std::string tag(100, 't');
        // Bounded: 3 seconds at most, so a broken detector fails the test, never hangs it.
        for (int i = 0; i < 300; i++) {
            if (watcher.wait(10 * SRS_UTIME_MILLISECONDS)) {
                break;
            }
            if (send_tags) {
                iovec iov[2] = {{(void*)tag.data(), 50}, {(void*)(tag.data() + 50), 50}};
                if ((err = w->writev(iov, 2, nullptr)) != srs_success) {
                    break;
                }
            }
        }
        srs_error_reset(err);
        saw_disconnect = watcher.disconnected();
        ended = true;
        return watcher.pull();
    }
};

bool wait_for(const bool& flag, srs_utime_t timeout) {
    for (srs_utime_t t = 0; t < timeout && !flag; t += 10 * SRS_UTIME_MILLISECONDS) {
        srs_usleep(10 * SRS_UTIME_MILLISECONDS);
    }
    return flag;
}

}  // namespace

TEST(HttpClientTest, GetPostAndKeepAlive) {
    LoopbackServer server;
    HTTP_ASSERT_OK(server.mux.handle("/api/", std::make_shared<ApiEcho>()));
    HTTP_ASSERT_OK(server.start());

    SrsHttpClient client;
    HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", server.port(), 2 * SRS_UTIME_SECONDS));
    std::unique_ptr<SrsHttpMessage> resp;
    std::string body;
    HTTP_ASSERT_OK(client.get("/api/v1/versions?x=1", "", &resp));
    EXPECT_EQ(200, resp->status());
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ("GET /api/v1/versions x=1 ct= body=", body);
    EXPECT_EQ(SRS_SERVER_SIGNATURE, resp->header()->get("Server"));

    HTTP_ASSERT_OK(client.post("/api/v1/clients", "{\"action\":\"on_publish\"}", &resp));
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ("POST /api/v1/clients x= ct=application/json body={\"action\":\"on_publish\"}", body);

    // A 404 from the mux, on the same connection.
    HTTP_ASSERT_OK(client.get("/nothing", "", &resp));
    EXPECT_EQ(404, resp->status());
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ(1, server.nb_conns());

    // A response whose body is not read: the next request uses a new connection.
    HTTP_ASSERT_OK(client.get("/api/a", "", &resp));
    HTTP_ASSERT_OK(client.get("/api/b", "", &resp));
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ("GET /api/b x= ct= body=", body);
    EXPECT_EQ(2, server.nb_conns());
}

TEST(HttpClientTest, ChunkedResponseReadIncrementally) {
    LoopbackServer server;
    HTTP_ASSERT_OK(server.mux.handle("/pieces", std::make_shared<ChunkedPieces>()));
    HTTP_ASSERT_OK(server.start());
    SrsHttpClient client;
    HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", server.port(), 2 * SRS_UTIME_SECONDS));
    std::unique_ptr<SrsHttpMessage> resp;
    HTTP_ASSERT_OK(client.get("/pieces", "", &resp));
    EXPECT_TRUE(resp->is_chunked());
    std::string got;
    char buf[4];
    int reads = 0;
    while (!resp->body_reader()->eof() && reads < 1000) {
        ssize_t n = 0;
        HTTP_ASSERT_OK(resp->body_reader()->read(buf, sizeof(buf), &n));
        got.append(buf, n);
        reads++;
    }
    EXPECT_EQ("piece0;piece1;piece2;piece3;piece4;", got);
    EXPECT_GT(reads, 5);
    // Kept alive after a complete chunked body.
    HTTP_ASSERT_OK(client.get("/pieces", "", &resp));
    HTTP_ASSERT_OK(resp->body_read_all(&got));
    EXPECT_EQ(1, server.nb_conns());
}

TEST(HttpClientTest, Redirects) {
    LoopbackServer server;
    HTTP_ASSERT_OK(server.mux.handle("/new", std::make_shared<ApiEcho>()));
    HTTP_ASSERT_OK(server.mux.handle("/old", std::make_shared<Redirector>("/new?x=9")));
    HTTP_ASSERT_OK(server.mux.handle("/loop", std::make_shared<Redirector>("/loop")));
    HTTP_ASSERT_OK(server.start());
    HTTP_ASSERT_OK(server.mux.handle(
        "/abs", std::make_shared<Redirector>("http://127.0.0.1:" + std::to_string(server.port()) + "/new", 307)));

    SrsHttpClient client;
    HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", server.port(), 2 * SRS_UTIME_SECONDS));
    std::unique_ptr<SrsHttpMessage> resp;
    HTTP_ASSERT_OK(client.get("/old", "", &resp));
    EXPECT_EQ(302, resp->status());
    EXPECT_EQ("/new?x=9", resp->header()->get("Location"));

    client.set_max_redirects(3);
    std::string body;
    HTTP_ASSERT_OK(client.post("/old", "{}", &resp));
    EXPECT_EQ(200, resp->status());
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ("GET /new x=9 ct= body=", body);

    HTTP_ASSERT_OK(client.post("/abs", "{\"k\":1}", &resp));
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ("POST /new x= ct=application/json body={\"k\":1}", body);

    HTTP_EXPECT_CODE(ERROR_HTTP_REDIRECT_LIMIT, client.get("/loop", "", &resp));
}

TEST(HttpClientTest, LimitsAndTimeouts) {
    LoopbackServer server;
    HTTP_ASSERT_OK(server.mux.handle("/big", std::make_shared<Sized>(4096)));
    HTTP_ASSERT_OK(server.mux.handle("/slow", std::make_shared<Sized>(10, 500 * SRS_UTIME_MILLISECONDS)));
    HTTP_ASSERT_OK(server.start());

    SrsHttpClient client;
    HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", server.port(), 2 * SRS_UTIME_SECONDS));
    client.set_body_limit(1024);
    std::unique_ptr<SrsHttpMessage> resp;
    HTTP_ASSERT_OK(client.get("/big", "", &resp));
    std::string body;
    HTTP_EXPECT_CODE(ERROR_HTTP_BODY_TOO_LARGE, resp->body_read_all(&body));

    client.set_recv_timeout(100 * SRS_UTIME_MILLISECONDS);
    client.close();
    srs_utime_t start = srs_update_system_time();
    HTTP_EXPECT_CODE(ERROR_SOCKET_TIMEOUT, client.get("/slow", "", &resp));
    EXPECT_LT(srs_update_system_time() - start, 400 * SRS_UTIME_MILLISECONDS);

    SrsHttpClient https;
    HTTP_EXPECT_CODE(ERROR_HTTP_SCHEMA_UNSUPPORTED, https.initialize("https", "127.0.0.1", 443));
}

TEST(HttpClientTest, ConnectRefused) {
    // A port that was free a moment ago.
    int port = 0;
    {
        SrsNetFd lfd;
        HTTP_ASSERT_OK(srs_tcp_listen("127.0.0.1", 0, &lfd));
        port = srs_socket_local_port(lfd);
    }
    SrsHttpClient client;
    HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", port, 1 * SRS_UTIME_SECONDS));
    std::unique_ptr<SrsHttpMessage> resp;
    HTTP_EXPECT_FAIL(client.get("/", "", &resp));
    EXPECT_FALSE(client.connected());
}

TEST(HttpClientTest, RetriesWhenServerClosedIdleConnection) {
    LoopbackServer server;
    server.conn_recv_timeout = 50 * SRS_UTIME_MILLISECONDS;
    HTTP_ASSERT_OK(server.mux.handle("/api/", std::make_shared<ApiEcho>()));
    HTTP_ASSERT_OK(server.start());
    SrsHttpClient client;
    HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", server.port(), 2 * SRS_UTIME_SECONDS));
    std::unique_ptr<SrsHttpMessage> resp;
    std::string body;
    HTTP_ASSERT_OK(client.get("/api/1", "", &resp));
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    // The server drops the idle keep-alive connection meanwhile.
    srs_usleep(200 * SRS_UTIME_MILLISECONDS);
    HTTP_ASSERT_OK(client.get("/api/2", "", &resp));
    HTTP_ASSERT_OK(resp->body_read_all(&body));
    EXPECT_EQ("GET /api/2 x= ct= body=", body);
    EXPECT_EQ(2, server.nb_conns());
}

TEST(HttpClientTest, StreamingHandlerSeesDisconnect) {
    for (bool send_tags : {false, true}) {
        LoopbackServer server;
        auto live = std::make_shared<LiveStream>();
        live->send_tags = send_tags;
        HTTP_ASSERT_OK(server.mux.handle("/live/livestream.flv", live));
        HTTP_ASSERT_OK(server.start());

        SrsHttpClient client;
        HTTP_ASSERT_OK(client.initialize("http", "127.0.0.1", server.port(), 2 * SRS_UTIME_SECONDS));
        client.set_body_limit(INT64_MAX);
        std::unique_ptr<SrsHttpMessage> resp;
        HTTP_ASSERT_OK(client.get("/live/livestream.flv", "", &resp));
        EXPECT_EQ(200, resp->status());
        EXPECT_EQ("video/x-flv", resp->header()->get("Content-Type"));
        EXPECT_TRUE(resp->is_chunked());
        char buf[13];
        ssize_t n = 0;
        size_t got = 0;
        while (got < sizeof(buf)) {
            HTTP_ASSERT_OK(resp->body_reader()->read(buf + got, sizeof(buf) - got, &n));
            got += (size_t)n;
        }
        EXPECT_EQ(0, memcmp(buf, "FLV\x01\x05", 5));
        if (send_tags) {
            char tags[300];
            HTTP_ASSERT_OK(resp->body_reader()->read(tags, sizeof(tags), &n));
            EXPECT_GT(n, 0);
        }
        EXPECT_FALSE(live->ended);

        // The player goes away; the handler must notice promptly.
        client.close();
        EXPECT_TRUE(wait_for(live->ended, 2 * SRS_UTIME_SECONDS)) << "send_tags " << send_tags;
        EXPECT_TRUE(live->saw_disconnect || send_tags);
    }
}
