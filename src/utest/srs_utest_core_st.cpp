#include <gtest/gtest.h>

#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

// Touches depth KiB of stack below the caller; returns a checksum so it is not optimised out.
__attribute__((noinline)) int srs_test_touch_stack(int depth) {
    volatile char buf[1024];
    memset((char*)buf, depth & 0xff, sizeof(buf));
    if (depth <= 1) {
        return buf[0];
    }
    return srs_test_touch_stack(depth - 1) + buf[512];
}

// Counts the resident pages of [lo, hi).
int srs_test_resident_pages(uintptr_t lo, uintptr_t hi) {
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    lo &= ~(page - 1);
    std::vector<unsigned char> v((hi - lo + page - 1) / page);
    if (mincore((void*)lo, hi - lo, v.data()) != 0) {
        return -1;
    }
    int n = 0;
    for (unsigned char c : v) {
        n += c & 1;
    }
    return n;
}

// Goes deep, trims its stack, and checks its own frame survived and the stack still works.
class TrimHandler : public ISrsCoroutineHandler {
public:
    int before = 0;
    int after = 0;
    int sum_before = 0;
    int sum_after = 0;
    bool frame_intact = false;
    srs_error_t cycle() override {
        char mine[256];
        memset(mine, 0x5a, sizeof(mine));
        sum_before = srs_test_touch_stack(40);
        uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
        before = srs_test_resident_pages(sp - 40 * 1024, sp - 8 * 1024);
        srs_coroutine_trim_stack();
        after = srs_test_resident_pages(sp - 40 * 1024, sp - 8 * 1024);
        frame_intact = true;
        for (char c : mine) {
            frame_intact = frame_intact && c == 0x5a;
        }
        sum_after = srs_test_touch_stack(40);
        return srs_success;
    }
};

// Counts iterations until interrupted; records the context id it ran with.
class CountingHandler : public ISrsCoroutineHandler {
public:
    SrsCoroutine* trd = nullptr;
    int loops = 0;
    std::string cid;
    srs_error_t cycle() override {
        cid = srs_context_get();
        while (true) {
            srs_error_t err = trd->pull();
            if (err) {
                return err;
            }
            loops++;
            srs_usleep(1 * SRS_UTIME_MILLISECONDS);
        }
    }
};

// Accepts one connection and echoes what it reads once.
class EchoServer : public ISrsCoroutineHandler {
public:
    SrsNetFd lfd;
    srs_error_t cycle() override {
        SrsNetFd fd;
        srs_error_t err = srs_tcp_accept(lfd, 2 * SRS_UTIME_SECONDS, &fd);
        if (err) {
            return err;
        }
        SrsStSocket skt(fd);
        skt.set_recv_timeout(2 * SRS_UTIME_SECONDS);
        char buf[64];
        ssize_t n = 0;
        if ((err = skt.read(buf, sizeof(buf), &n)) != srs_success) {
            return err;
        }
        return skt.write(buf, n, nullptr);
    }
};

// Signals a condition after a short sleep, from another coroutine.
class CondSignaler : public ISrsCoroutineHandler {
public:
    SrsCond* cond = nullptr;
    bool signaled = false;
    srs_error_t cycle() override {
        srs_usleep(20 * SRS_UTIME_MILLISECONDS);
        signaled = true;
        cond->signal();
        return srs_success;
    }
};

}  // namespace

TEST(CoreStTest, EventSystemIsEpoll) {
    EXPECT_STREQ("epoll", srs_st_eventsys_name());
}

TEST(CoreStTest, CoroutineRunsWithItsOwnContextAndStops) {
    CountingHandler h;
    SrsCoroutine trd("count", &h, "abcdefgh");
    h.trd = &trd;
    ASSERT_FALSE(trd.start());
    srs_usleep(20 * SRS_UTIME_MILLISECONDS);
    trd.stop();
    EXPECT_GT(h.loops, 0);
    EXPECT_EQ("abcdefgh", h.cid);
    EXPECT_FALSE(trd.running());
    srs_error_t err = trd.pull();
    EXPECT_EQ(ERROR_THREAD_INTERRUPED, srs_error_code(err));
}

TEST(CoreStTest, TrimStackDropsDeadPagesOnly) {
    TrimHandler h;
    SrsCoroutine trd("trim", &h);
    ASSERT_FALSE(trd.start());
    trd.stop();
    EXPECT_GE(h.before, 7);
    EXPECT_EQ(0, h.after);
    EXPECT_TRUE(h.frame_intact);
    EXPECT_EQ(h.sum_before, h.sum_after);
    // Outside a coroutine (the test's main) it does nothing.
    srs_coroutine_trim_stack();
}

TEST(CoreStTest, StartTwiceFails) {
    CountingHandler h;
    SrsCoroutine trd("count", &h);
    h.trd = &trd;
    ASSERT_FALSE(trd.start());
    srs_error_t err = trd.start();
    EXPECT_TRUE(err);
}

TEST(CoreStTest, CondTimesOutAndSignals) {
    SrsCond cond;
    srs_utime_t t0 = srs_update_system_time();
    EXPECT_FALSE(cond.wait(10 * SRS_UTIME_MILLISECONDS));
    EXPECT_GE(srs_update_system_time() - t0, 9 * SRS_UTIME_MILLISECONDS);

    // Signaled from another coroutine: the wait returns true, long before its timeout (a
    // loaded machine may delay the wake-up, never by seconds).
    CondSignaler h;
    h.cond = &cond;
    SrsCoroutine trd("signal", &h);
    ASSERT_FALSE(trd.start());
    t0 = srs_update_system_time();
    EXPECT_TRUE(cond.wait(10 * SRS_UTIME_SECONDS));
    EXPECT_TRUE(h.signaled);
    EXPECT_LT(srs_update_system_time() - t0, 5 * SRS_UTIME_SECONDS);
    trd.stop();
}

TEST(CoreStTest, TcpEchoAndReadTimeout) {
    EchoServer server;
    ASSERT_FALSE(srs_tcp_listen("127.0.0.1", 0, &server.lfd));
    int port = srs_socket_local_port(server.lfd);
    ASSERT_GT(port, 0);
    SrsCoroutine trd("echo", &server);
    ASSERT_FALSE(trd.start());

    SrsNetFd fd;
    ASSERT_FALSE(srs_tcp_connect("127.0.0.1", port, SRS_UTIME_SECONDS, &fd));
    EXPECT_EQ("127.0.0.1", srs_socket_peer_ip(fd));
    EXPECT_EQ(port, srs_socket_peer_port(fd));
    SrsStSocket skt(fd);
    skt.set_recv_timeout(2 * SRS_UTIME_SECONDS);
    ASSERT_FALSE(skt.write("hello", 5, nullptr));
    char buf[5];
    ASSERT_FALSE(skt.read_fully(buf, 5, nullptr));
    EXPECT_EQ("hello", std::string(buf, 5));
    EXPECT_EQ(5, skt.get_send_bytes());
    EXPECT_EQ(5, skt.get_recv_bytes());

    // The server closed after echoing: the next read ends with a closed socket.
    srs_error_t err = skt.read(buf, 1, nullptr);
    EXPECT_EQ(ERROR_SOCKET_READ, srs_error_code(err));
    trd.stop();
}

TEST(CoreStTest, ReadTimeoutIsReported) {
    SrsNetFd lfd;
    ASSERT_FALSE(srs_tcp_listen("127.0.0.1", 0, &lfd));
    SrsNetFd fd;
    ASSERT_FALSE(srs_tcp_connect("127.0.0.1", srs_socket_local_port(lfd), SRS_UTIME_SECONDS, &fd));
    SrsStSocket skt(fd);
    skt.set_recv_timeout(20 * SRS_UTIME_MILLISECONDS);
    char c;
    srs_error_t err = skt.read(&c, 1, nullptr);
    EXPECT_EQ(ERROR_SOCKET_TIMEOUT, srs_error_code(err));
}

TEST(CoreStTest, ConnectRefused) {
    SrsNetFd lfd;
    ASSERT_FALSE(srs_tcp_listen("127.0.0.1", 0, &lfd));
    int port = srs_socket_local_port(lfd);
    lfd.close();
    SrsNetFd fd;
    srs_error_t err = srs_tcp_connect("127.0.0.1", port, SRS_UTIME_SECONDS, &fd);
    EXPECT_TRUE(err);
    EXPECT_TRUE(fd.empty());
}

TEST(CoreStTest, ContextIdsAreShortAndDistinct) {
    std::string a = srs_context_generate();
    std::string b = srs_context_generate();
    EXPECT_EQ(8u, a.size());
    EXPECT_NE(a, b);
}

TEST(CoreStTest, SendBufferSizerFollowsTheBitrate) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    SrsSendBufferSizer s(fd);
    s.set_merge_window(350 * SRS_UTIME_MILLISECONDS);

    // The stream's start, sent at once, opens the measure; nothing is set before a second of
    // media.
    int64_t bytes = 200000;
    s.on_sent(bytes, 0);
    for (int ts = 40; ts < 1000; ts += 40) {
        bytes += 5000;
        s.on_sent(bytes, ts);
    }
    EXPECT_EQ(0, s.size());
    // 125 KB a second of media: two merged writes of it (700 ms).
    bytes += 5000;
    s.on_sent(bytes, 1000);
    EXPECT_EQ(125000, s.byte_rate());
    EXPECT_EQ(87500, s.size());
    // What the kernel was asked (it doubles the half we ask).
    EXPECT_EQ(87500, srs_socket_get_sndbuf(fd));

    // A jump (messages dropped for this player) counts as one short step, not as media.
    bytes += 5000;
    s.on_sent(bytes, 60000);
    EXPECT_EQ(87500, s.size());

    ::close(fd);
}

TEST(CoreStTest, SendBufferSizerBounds) {
    // A low bitrate gets the floor, so that a merged write still goes out in one piece.
    EXPECT_EQ(SrsSendBufferSizer::kFloor, SrsSendBufferSizer::target(1000, SRS_UTIME_SECONDS));
    EXPECT_EQ(125000, SrsSendBufferSizer::target(125000, SRS_UTIME_SECONDS));
    // A long merge window holds two merged writes.
    EXPECT_EQ(500000, SrsSendBufferSizer::target(250000, 2 * SRS_UTIME_SECONDS));
    EXPECT_EQ(SrsSendBufferSizer::kCeiling, SrsSendBufferSizer::target(100 * 1000 * 1000, SRS_UTIME_SECONDS));
}
