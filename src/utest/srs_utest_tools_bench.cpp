// Tests of the load tool: report arithmetic (percentiles, kbps windows, lag), options,
// playlist reading, and the HTTP players against a loopback server.
#include <gtest/gtest.h>

#include <srs_bench_client.hpp>
#include <srs_bench_http.hpp>
#include <srs_bench_options.hpp>
#include <srs_bench_rtmp.hpp>
#include <srs_bench_runner.hpp>
#include <srs_bench_stat.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_protocol_http_conn.hpp>
#include <srs_protocol_http_mux.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>

#include <unistd.h>

#include <fstream>

#include <functional>
#include <map>
#include <vector>

#define BENCH_ASSERT_OK(x)                                                    \
    do {                                                                      \
        srs_error_t bench_err_ = (x);                                         \
        ASSERT_TRUE(bench_err_ == srs_success) << srs_error_desc(bench_err_); \
    } while (0)

namespace {

const srs_utime_t kMs = SRS_UTIME_MILLISECONDS;
const srs_utime_t kS = SRS_UTIME_SECONDS;

}  // namespace

TEST(BenchStatTest, PercentileNearestRank) {
    EXPECT_EQ(0, srs_bench_percentile({}, 50));
    EXPECT_EQ(7, srs_bench_percentile({7}, 0));
    EXPECT_EQ(7, srs_bench_percentile({7}, 99));
    std::vector<double> v;
    for (int i = 100; i >= 1; i--) {
        v.push_back(i);
    }
    // Nearest rank: ceil(p * n / 100)-th smallest.
    EXPECT_EQ(1, srs_bench_percentile(v, 0));
    EXPECT_EQ(1, srs_bench_percentile(v, 1));
    EXPECT_EQ(5, srs_bench_percentile(v, 5));
    EXPECT_EQ(50, srs_bench_percentile(v, 50));
    EXPECT_EQ(95, srs_bench_percentile(v, 95));
    EXPECT_EQ(99, srs_bench_percentile(v, 99));
    EXPECT_EQ(100, srs_bench_percentile(v, 100));
    // Out of range p is clamped.
    EXPECT_EQ(1, srs_bench_percentile(v, -3));
    EXPECT_EQ(100, srs_bench_percentile(v, 250));
    // p5 of 10 values is the first (ceil(0.5) = 1), the median the 5th.
    std::vector<double> ten = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    EXPECT_EQ(10, srs_bench_percentile(ten, 5));
    EXPECT_EQ(50, srs_bench_percentile(ten, 50));
    EXPECT_EQ(20, srs_bench_percentile(ten, 11));
}

TEST(BenchStatTest, Kbps) {
    EXPECT_DOUBLE_EQ(8, srs_bench_kbps(1000, kS));
    EXPECT_DOUBLE_EQ(1000, srs_bench_kbps(125000, kS));
    EXPECT_DOUBLE_EQ(500, srs_bench_kbps(125000, 2 * kS));
    EXPECT_DOUBLE_EQ(16, srs_bench_kbps(1000, 500 * kMs));
    EXPECT_EQ(0, srs_bench_kbps(1000, 0));
    EXPECT_EQ(0, srs_bench_kbps(1000, -kS));
}

TEST(BenchStatTest, LagHistogramBuckets) {
    SrsBenchLagHistogram h;
    EXPECT_EQ(0, h.count());
    EXPECT_EQ(0, h.percentile(50));
    for (int i = 1; i <= 100; i++) {
        h.add(i);
    }
    EXPECT_EQ(100, h.count());
    EXPECT_EQ(50, h.percentile(50));
    EXPECT_EQ(95, h.percentile(95));
    EXPECT_EQ(99, h.percentile(99));
    EXPECT_EQ(100, h.max());

    // 10 ms buckets in [1 s, 10 s), 100 ms in [10 s, 60 s), then the overflow bucket.
    SrsBenchLagHistogram c;
    c.add(1234);
    EXPECT_EQ(1230, c.percentile(50));
    c.reset();
    c.add(23456);
    EXPECT_EQ(23400, c.percentile(50));
    c.reset();
    c.add(90000);
    EXPECT_EQ(90000, c.percentile(50));
    EXPECT_EQ(90000, c.max());
    c.reset();
    c.add(-5);
    EXPECT_EQ(0, c.percentile(100));

    // Merge sums counts and keeps the max.
    SrsBenchLagHistogram a, b;
    for (int i = 0; i < 90; i++) {
        a.add(10);
    }
    for (int i = 0; i < 10; i++) {
        b.add(500);
    }
    a.merge(b);
    EXPECT_EQ(100, a.count());
    EXPECT_EQ(10, a.percentile(90));
    EXPECT_EQ(500, a.percentile(91));
    EXPECT_EQ(500, a.max());
}

TEST(BenchStatTest, LagTrackerRealTime) {
    // A stream delivered exactly at real time has no lag.
    SrsBenchLagTracker t(0);
    srs_utime_t t0 = 100 * kS;
    EXPECT_EQ(0, t.on_media(5000, t0));
    for (int i = 1; i <= 100; i++) {
        EXPECT_EQ(0, t.on_media(5000 + i * 40, t0 + i * 40 * kMs)) << i;
    }
    EXPECT_EQ(9000, t.last_timestamp());
}

TEST(BenchStatTest, LagTrackerBurstThenMergedWrites) {
    SrsBenchLagTracker t(1 * kS);
    srs_utime_t t0 = 10 * kS;
    // GOP cache: 2 s of media at once. Warm-up gives no samples but sets the baseline.
    EXPECT_EQ(-1, t.on_media(0, t0));
    for (int ts = 40; ts <= 2000; ts += 40) {
        EXPECT_EQ(-1, t.on_media(ts, t0 + 1 * kMs));
    }
    // Then live at real time: media 2000+x arrives at t0 + x.
    EXPECT_EQ(-1, t.on_media(2400, t0 + 400 * kMs));
    EXPECT_EQ(0, t.on_media(3000, t0 + 1000 * kMs));
    // Merged writes: frames 3040..3320 all arrive with the last one, at t0 + 1320 ms:
    // the first of them is 280 ms late, the last on time.
    EXPECT_EQ(280, t.on_media(3040, t0 + 1320 * kMs));
    EXPECT_EQ(0, t.on_media(3320, t0 + 1320 * kMs));
    // A 3 s stall shows as 3 s of lag on the next frame.
    EXPECT_EQ(3000, t.on_media(3360, t0 + 4360 * kMs));
}

TEST(BenchStatTest, LagTrackerTimestampWrap) {
    SrsBenchLagTracker t(0);
    srs_utime_t t0 = kS;
    uint32_t ts = 0xffffff00u;
    EXPECT_EQ(0, t.on_media(ts, t0));
    // Across the 32-bit wrap: 0x100 ms later.
    EXPECT_EQ(0, t.on_media(0, t0 + 0x100 * kMs));
    EXPECT_EQ(0, t.on_media(100, t0 + (0x100 + 100) * kMs));
    EXPECT_EQ((int64_t)0xffffff00u + 0x100 + 100, t.last_timestamp());
    // Audio a little behind video (interleave) is a small step back, not a wrap.
    EXPECT_EQ(20, t.on_media(80, t0 + (0x100 + 100) * kMs));
}

TEST(BenchStatTest, ClientStatSteadyWindow) {
    SrsBenchClientStat s;
    EXPECT_EQ(SrsBenchClientStat::Idle, s.state);
    s.on_connecting(10 * kS);
    EXPECT_EQ(SrsBenchClientStat::Connecting, s.state);
    s.on_connected(10 * kS + 25 * kMs);
    EXPECT_EQ(SrsBenchClientStat::Running, s.state);
    EXPECT_EQ(25 * kMs, s.connect_duration());
    // The burst at the start is outside the steady window.
    s.on_bytes(1000, false, 10 * kS + 30 * kMs);
    s.on_bytes(250000, true, 10 * kS + 40 * kMs);
    EXPECT_EQ(10 * kS + 40 * kMs, s.first_media_at);
    EXPECT_EQ(0, s.steady_kbps(11 * kS));
    // One second after the first media the window opens.
    s.on_bytes(375000, true, 11 * kS + 40 * kMs);
    EXPECT_EQ(11 * kS + 40 * kMs, s.steady_at);
    EXPECT_EQ(375000, s.steady_bytes);
    s.on_bytes(500000, true, 12 * kS + 40 * kMs);
    EXPECT_DOUBLE_EQ(1000, s.steady_kbps(12 * kS + 40 * kMs));
    EXPECT_EQ(3, s.msgs);
    s.on_failed("boom");
    EXPECT_EQ(SrsBenchClientStat::Failed, s.state);
    s.on_closed();
    EXPECT_EQ(SrsBenchClientStat::Failed, s.state);
}

TEST(BenchStatTest, ReportIntervalAndTotal) {
    srs_utime_t t0 = 100 * kS;
    SrsBenchReport report(t0);
    // Three clients: a steady 1000 kbit/s one, a slow 500 kbit/s one, one that failed.
    SrsBenchClientStat a, b, c, idle;
    std::vector<SrsBenchClientStat*> all = {&a, &b, &c, &idle};
    for (SrsBenchClientStat* s : {&a, &b, &c}) {
        s->on_connecting(t0);
    }
    a.on_connected(t0 + 10 * kMs);
    b.on_connected(t0 + 30 * kMs);
    c.on_connecting(t0);
    a.on_bytes(0, true, t0 + 1 * kS);
    b.on_bytes(0, true, t0 + 1 * kS);
    a.on_bytes(125000, true, t0 + 2 * kS);
    b.on_bytes(62500, true, t0 + 2 * kS);
    c.on_failed("refused");

    SrsBenchLagHistogram lag;
    lag.add(10);
    lag.add(20);
    SrsBenchRow r1 = report.interval(all, lag, t0 + 2 * kS);
    EXPECT_FALSE(r1.final_row);
    EXPECT_DOUBLE_EQ(2, r1.elapsed_s);
    EXPECT_EQ(3, r1.clients);
    EXPECT_EQ(2, r1.connected);
    EXPECT_EQ(2, r1.alive);
    EXPECT_EQ(1, r1.failed);
    EXPECT_EQ(1, r1.no_media);
    // 187500 bytes over 2 s.
    EXPECT_DOUBLE_EQ(750, r1.agg_kbps);
    // Steady windows opened just now: too short to count.
    EXPECT_EQ(0, r1.kbps_clients);
    EXPECT_DOUBLE_EQ(10, r1.connect_ms_median);
    EXPECT_DOUBLE_EQ(30, r1.connect_ms_max);
    EXPECT_EQ(2, r1.lag_samples);
    EXPECT_EQ(10, r1.lag_ms_median);
    EXPECT_EQ(20, r1.lag_ms_p99);

    // The next 2 s: both in their steady windows for the whole interval.
    a.on_bytes(375000, true, t0 + 4 * kS);
    b.on_bytes(187500, true, t0 + 4 * kS);
    SrsBenchRow r2 = report.interval(all, SrsBenchLagHistogram(), t0 + 4 * kS);
    EXPECT_DOUBLE_EQ(1500, r2.agg_kbps);
    EXPECT_EQ(2, r2.kbps_clients);
    EXPECT_DOUBLE_EQ(500, r2.kbps_min);
    EXPECT_DOUBLE_EQ(500, r2.kbps_p5);
    EXPECT_DOUBLE_EQ(500, r2.kbps_median);
    EXPECT_EQ(0, r2.lag_samples);

    // The total: steady kbit/s per client, the failed one as 0.
    SrsBenchRow t = report.total(all, lag, t0 + 4 * kS);
    EXPECT_TRUE(t.final_row);
    EXPECT_EQ(3, t.kbps_clients);
    EXPECT_DOUBLE_EQ(0, t.kbps_min);
    EXPECT_DOUBLE_EQ(500, t.kbps_median);
    EXPECT_DOUBLE_EQ(1500, t.agg_kbps);
    EXPECT_EQ(1, t.failed);

    std::string line = SrsBenchReport::format(t, true);
    EXPECT_NE(std::string::npos, line.find("failed=1"));
    EXPECT_NE(std::string::npos, line.find("lag_ms(median/p95/p99/max)=10/20/20/20"));
    std::string json = SrsBenchReport::to_json(t, "rtmp-play");
    EXPECT_EQ(0u, json.find("{\"srs_bench\":\"final\",\"type\":\"rtmp-play\""));
    EXPECT_NE(std::string::npos, json.find("\"kbps_p5\":0.0"));
    EXPECT_NE(std::string::npos, json.find("\"agg_kbps\":1500.0"));
    EXPECT_EQ(std::string::npos, json.find('\n'));
}

TEST(BenchOptionsTest, Loopback) {
    EXPECT_TRUE(srs_bench_is_loopback("127.0.0.1"));
    EXPECT_TRUE(srs_bench_is_loopback("127.1.2.3"));
    EXPECT_TRUE(srs_bench_is_loopback("localhost"));
    EXPECT_TRUE(srs_bench_is_loopback("LocalHost"));
    EXPECT_TRUE(srs_bench_is_loopback("::1"));
    EXPECT_TRUE(srs_bench_is_loopback("[::1]"));
    EXPECT_TRUE(srs_bench_is_loopback("::ffff:127.0.0.1"));
    EXPECT_FALSE(srs_bench_is_loopback("128.0.0.1"));
    EXPECT_FALSE(srs_bench_is_loopback("10.0.0.1"));
    EXPECT_FALSE(srs_bench_is_loopback("0.0.0.0"));
    EXPECT_FALSE(srs_bench_is_loopback("::"));
    EXPECT_FALSE(srs_bench_is_loopback("example.com"));
    EXPECT_FALSE(srs_bench_is_loopback("localhost.example.com"));
    EXPECT_FALSE(srs_bench_is_loopback(""));
}

TEST(BenchOptionsTest, Parse) {
    SrsBenchOptions o;
    srs_error_t err =
        o.parse(std::vector<std::string>{"-t",         "rtmp-play", "-u",      "rtmp://127.0.0.1:1935/live/s{i}",
                                         "-c",         "300",       "-r",      "50",
                                         "-d",         "12.5",      "-s",      "3",
                                         "--first",    "10",        "-n",      "2",
                                         "--timeout",  "5",         "--stack", "32",
                                         "--rcvlowat", "8192"});
    BENCH_ASSERT_OK(std::move(err));
    EXPECT_EQ(SrsBenchRtmpPlay, o.type);
    EXPECT_EQ(300, o.clients);
    EXPECT_DOUBLE_EQ(50, o.ramp);
    EXPECT_EQ(12500 * kMs, o.duration);
    EXPECT_EQ(2 * kS, o.interval);
    EXPECT_EQ(5 * kS, o.timeout);
    EXPECT_EQ(32, o.stack_kib);
    EXPECT_EQ(8192, o.rcvlowat);
    EXPECT_EQ("rtmp://127.0.0.1:1935/live/s10", o.url_of(0));
    EXPECT_EQ("rtmp://127.0.0.1:1935/live/s12", o.url_of(2));
    EXPECT_EQ("rtmp://127.0.0.1:1935/live/s10", o.url_of(3));

    SrsBenchOptions h;
    BENCH_ASSERT_OK(h.parse(std::vector<std::string>{"-h"}));
    EXPECT_TRUE(h.help);

    SrsBenchOptions one;
    BENCH_ASSERT_OK(one.parse(std::vector<std::string>{"-t", "flv-play", "-u", "http://localhost:8080/a.flv"}));
    EXPECT_EQ("http://localhost:8080/a.flv", one.url_of(5));
}

TEST(BenchOptionsTest, ParseErrors) {
    struct Case {
        std::vector<std::string> args;
        int code;
    };
    std::vector<Case> cases = {
        {{"-u", "rtmp://127.0.0.1/live/a"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play"}, ERROR_BENCH_OPTIONS},
        {{"-t", "dash-play", "-u", "http://127.0.0.1/a"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "http://127.0.0.1/a"}, ERROR_BENCH_OPTIONS},
        {{"-t", "flv-play", "-u", "rtmp://127.0.0.1/a"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://10.1.2.3/live/a"}, ERROR_BENCH_NOT_LOOPBACK},
        {{"-t", "hls-play", "-u", "http://example.com/a.m3u8"}, ERROR_BENCH_NOT_LOOPBACK},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-c", "0"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-c", "20001"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-c", "12x"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-d", "100000"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-d"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "-s", "4"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-play", "-u", "rtmp://127.0.0.1/live/a", "--bogus", "1"}, ERROR_BENCH_OPTIONS},
        {{"-t", "rtmp-publish", "-u", "rtmp://127.0.0.1/live/a"}, ERROR_BENCH_OPTIONS},
    };
    for (size_t i = 0; i < cases.size(); i++) {
        SrsBenchOptions o;
        srs_error_t err = o.parse(cases[i].args);
        EXPECT_EQ(cases[i].code, srs_error_code(err)) << "case " << i << ": " << srs_error_desc(err);
    }
}

TEST(BenchHlsTest, ParseMediaPlaylist) {
    SrsBenchPlaylist pl;
    std::string text =
        "#EXTM3U\r\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:17\n"
        "#EXTINF:3.960, no desc\nlive-17.ts?hls_ctx=abc\n\n#EXT-X-DISCONTINUITY\n"
        "#EXTINF:4.000,\nlive-18.ts\n";
    BENCH_ASSERT_OK(srs_bench_parse_m3u8(text, &pl));
    EXPECT_EQ(4, pl.target_duration);
    EXPECT_EQ(17, pl.media_sequence);
    ASSERT_EQ(2u, pl.segments.size());
    EXPECT_EQ(17, pl.segments[0].sequence);
    EXPECT_DOUBLE_EQ(3.96, pl.segments[0].duration);
    EXPECT_EQ("live-17.ts?hls_ctx=abc", pl.segments[0].uri);
    EXPECT_EQ(18, pl.segments[1].sequence);
    EXPECT_FALSE(pl.endlist);

    BENCH_ASSERT_OK(srs_bench_parse_m3u8("#EXTM3U\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n", &pl));
    EXPECT_EQ(0, pl.segments[0].sequence);
    EXPECT_TRUE(pl.endlist);

    BENCH_ASSERT_OK(srs_bench_parse_m3u8("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\nhigh/index.m3u8\n", &pl));
    ASSERT_EQ(1u, pl.variants.size());
    EXPECT_EQ("high/index.m3u8", pl.variants[0]);
    EXPECT_TRUE(pl.segments.empty());
}

TEST(BenchHlsTest, ParseErrors) {
    SrsBenchPlaylist pl;
    EXPECT_EQ(ERROR_BENCH_PLAYLIST, srs_error_code(srs_bench_parse_m3u8("", &pl)));
    EXPECT_EQ(ERROR_BENCH_PLAYLIST, srs_error_code(srs_bench_parse_m3u8("<html>", &pl)));
    EXPECT_EQ(ERROR_BENCH_PLAYLIST, srs_error_code(srs_bench_parse_m3u8("#EXTM3U\n#EXTINF:2,\n", &pl)));
    EXPECT_EQ(ERROR_BENCH_PLAYLIST, srs_error_code(srs_bench_parse_m3u8("#EXTM3U\n#EXTINF:x,\na.ts\n", &pl)));
    EXPECT_EQ(ERROR_BENCH_PLAYLIST, srs_error_code(srs_bench_parse_m3u8("#EXTM3U\n#EXT-X-TARGETDURATION:-1\n", &pl)));
    EXPECT_EQ(ERROR_BENCH_PLAYLIST, srs_error_code(srs_bench_parse_m3u8("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:abc\n", &pl)));
}

TEST(BenchHlsTest, ResolveUrl) {
    std::string base = "http://127.0.0.1:8080/live/livestream.m3u8?hls_ctx=x";
    EXPECT_EQ("http://127.0.0.1:8080/live/livestream-1.ts", srs_bench_resolve_url(base, "livestream-1.ts"));
    EXPECT_EQ("http://127.0.0.1:8080/live/a/b.ts?k=v", srs_bench_resolve_url(base, "a/b.ts?k=v"));
    EXPECT_EQ("http://127.0.0.1:8080/other/1.ts", srs_bench_resolve_url(base, "/other/1.ts"));
    EXPECT_EQ("http://127.0.0.2:81/x.ts", srs_bench_resolve_url(base, "http://127.0.0.2:81/x.ts"));
    EXPECT_EQ("http://localhost/x.ts", srs_bench_resolve_url(base, "//localhost/x.ts"));
    EXPECT_EQ("http://127.0.0.1:8080/live/livestream.m3u8?hls_ctx=y", srs_bench_resolve_url(base, "?hls_ctx=y"));
    EXPECT_EQ("http://127.0.0.1:8080/x.ts", srs_bench_resolve_url("http://127.0.0.1:8080", "x.ts"));
}

namespace {

// Serves requests through a function of the path, on 127.0.0.1, one coroutine per
// connection.
class BenchTestHandler : public ISrsHttpHandler {
public:
    std::function<srs_error_t(ISrsHttpResponseWriter*, SrsHttpMessage*)> fn;
    std::map<std::string, int> hits;
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        hits[r->path()]++;
        return fn(w, r);
    }
};

class BenchTestConn : public ISrsCoroutineHandler {
public:
    BenchTestConn(SrsNetFd fd, ISrsHttpHandler* h)
        : fd_(std::move(fd)), io_(fd_), conn_(&io_, h), trd_("utest-bench-conn", this) {
        io_.set_recv_timeout(5 * kS);
        io_.set_send_timeout(5 * kS);
    }
    srs_error_t cycle() override {
        srs_error_t err = conn_.serve();
        fd_.close();
        srs_error_reset(err);
        return srs_success;
    }
    SrsNetFd fd_;
    SrsStSocket io_;
    SrsHttpServerConn conn_;
    SrsCoroutine trd_;
};

class BenchTestServer : public ISrsCoroutineHandler {
public:
    BenchTestHandler handler;
    BenchTestServer() : trd_("utest-bench-server", this) {}
    ~BenchTestServer() override {
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
    srs_error_t cycle() override {
        srs_error_t err = srs_success;
        for (int i = 0; i < 32; i++) {
            SrsNetFd cfd;
            if ((err = srs_tcp_accept(lfd_, SRS_UTIME_NO_TIMEOUT, &cfd)) != srs_success) {
                return err;
            }
            conns_.emplace_back(new BenchTestConn(std::move(cfd), &handler));
            if ((err = conns_.back()->trd_.start()) != srs_success) {
                return err;
            }
        }
        return err;
    }

private:
    SrsNetFd lfd_;
    int port_ = 0;
    std::vector<std::unique_ptr<BenchTestConn>> conns_;
    SrsCoroutine trd_;
};

// An FLV stream: header, then count audio/video tags 20 ms apart of size bytes each.
std::string bench_flv_bytes(int count, int size, int64_t ts0) {
    std::string out(SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE, '\0');
    srs_flv_write_header(&out[0], true, true);
    for (int i = 0; i < count; i++) {
        char h[SRS_FLV_TAG_HEADER_SIZE];
        uint8_t type = i % 2 ? 8 : 9;
        srs_flv_write_tag_header(h, type, size, ts0 + i * 20);
        out.append(h, sizeof(h));
        out.append(size, type == 9 ? '\x17' : '\xaf');
        uint32_t pts = SRS_FLV_TAG_HEADER_SIZE + size;
        char p[4] = {(char)(pts >> 24), (char)(pts >> 16), (char)(pts >> 8), (char)pts};
        out.append(p, 4);
    }
    return out;
}

SrsBenchOptions bench_options(SrsBenchType type, const std::string& url) {
    SrsBenchOptions o;
    o.type = type;
    o.url = url;
    o.timeout = 2 * kS;
    return o;
}

}  // namespace

TEST(BenchPlayerTest, FlvPlayerParsesTagsUntilTheEnd) {
    BenchTestServer server;
    std::string flv = bench_flv_bytes(40, 1000, 0);
    server.handler.fn = [&](ISrsHttpResponseWriter* w, SrsHttpMessage*) -> srs_error_t {
        w->header()->set_content_type("video/x-flv");
        // Chunked, as a live HTTP-FLV stream is, in small pieces.
        for (size_t pos = 0; pos < flv.size(); pos += 3000) {
            srs_error_t err = w->write(flv.data() + pos, (int)std::min<size_t>(3000, flv.size() - pos));
            if (err) {
                return err;
            }
        }
        return srs_success;
    };
    BENCH_ASSERT_OK(server.start());
    SrsBenchContext ctx(
        bench_options(SrsBenchFlvPlay, "http://127.0.0.1:" + std::to_string(server.port()) + "/live/a.flv"));
    SrsBenchFlvPlayer player(&ctx, 0, ctx.options().url_of(0));
    BENCH_ASSERT_OK(player.start());
    for (int i = 0; i < 100 && player.stat()->state != SrsBenchClientStat::Failed; i++) {
        srs_usleep(10 * kMs);
    }
    // The stream ended before the run did: a failure, after every tag was counted.
    EXPECT_EQ(SrsBenchClientStat::Failed, player.stat()->state);
    EXPECT_NE(std::string::npos, player.stat()->error.find("ended")) << player.stat()->error;
    EXPECT_TRUE(player.stat()->connected());
    EXPECT_EQ(40, player.stat()->msgs);
    EXPECT_GT(player.stat()->bytes, (int64_t)flv.size());
    EXPECT_EQ(1, server.handler.hits["/live/a.flv"]);
}

TEST(BenchPlayerTest, FlvPlayerFailsOnBadStatusAndBadBytes) {
    BenchTestServer server;
    server.handler.fn = [&](ISrsHttpResponseWriter* w, SrsHttpMessage* r) -> srs_error_t {
        if (r->path() == "/missing.flv") {
            w->write_header(404);
            return w->write("no", 2);
        }
        return w->write("<html>not flv</html>", 20);
    };
    BENCH_ASSERT_OK(server.start());
    std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    SrsBenchContext ctx(bench_options(SrsBenchFlvPlay, base + "/missing.flv"));
    SrsBenchFlvPlayer missing(&ctx, 0, base + "/missing.flv");
    SrsBenchFlvPlayer garbage(&ctx, 1, base + "/garbage.flv");
    BENCH_ASSERT_OK(missing.start());
    BENCH_ASSERT_OK(garbage.start());
    for (int i = 0; i < 100; i++) {
        if (missing.stat()->state == SrsBenchClientStat::Failed &&
            garbage.stat()->state == SrsBenchClientStat::Failed) {
            break;
        }
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(SrsBenchClientStat::Failed, missing.stat()->state);
    EXPECT_NE(std::string::npos, missing.stat()->error.find("404")) << missing.stat()->error;
    EXPECT_FALSE(missing.stat()->connected());
    EXPECT_EQ(SrsBenchClientStat::Failed, garbage.stat()->state);
    EXPECT_NE(std::string::npos, garbage.stat()->error.find("ERROR_KERNEL_FLV_HEADER")) << garbage.stat()->error;
}

TEST(BenchPlayerTest, FlvPlayerStoppedByTheRunIsNotAFailure) {
    BenchTestServer server;
    std::string flv = bench_flv_bytes(5, 100, 1000);
    server.handler.fn = [&](ISrsHttpResponseWriter* w, SrsHttpMessage*) -> srs_error_t {
        srs_error_t err = w->write(flv.data(), (int)flv.size());
        if (err) {
            return err;
        }
        // Then the stream stalls (until the client goes away).
        srs_usleep(3 * kS);
        return srs_success;
    };
    BENCH_ASSERT_OK(server.start());
    std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/live/b.flv";
    SrsBenchContext ctx(bench_options(SrsBenchFlvPlay, url));
    SrsBenchFlvPlayer player(&ctx, 0, url);
    BENCH_ASSERT_OK(player.start());
    for (int i = 0; i < 100 && player.stat()->msgs < 5; i++) {
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(5, player.stat()->msgs);
    EXPECT_EQ(SrsBenchClientStat::Running, player.stat()->state);
    ctx.set_stopping();
    player.stop();
    EXPECT_EQ(SrsBenchClientStat::Closed, player.stat()->state);
}

TEST(BenchPlayerTest, HlsPlayerFollowsRedirectAndFetchesNewSegments) {
    BenchTestServer server;
    int loads = 0;
    server.handler.fn = [&](ISrsHttpResponseWriter* w, SrsHttpMessage* r) -> srs_error_t {
        if (r->path() == "/live/s.m3u8" && r->query_get("hls_ctx").empty()) {
            // As SRS does: redirect to a session URL, relative.
            w->header()->set("Location", "s.m3u8?hls_ctx=abc");
            w->write_header(302);
            return w->final_request();
        }
        if (r->path() == "/live/s.m3u8") {
            // A live window of 5 segments of 1 s, moving by one per load.
            int first = loads++;
            std::string m = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:" + std::to_string(first) + "\n";
            for (int i = first; i < first + 5; i++) {
                m += "#EXTINF:1.0,\nseg-" + std::to_string(i) + ".ts?hls_ctx=abc\n";
            }
            return w->write(m.data(), (int)m.size());
        }
        std::string seg(1880, 'G');
        return w->write(seg.data(), (int)seg.size());
    };
    BENCH_ASSERT_OK(server.start());
    std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/live/s.m3u8";
    SrsBenchContext ctx(bench_options(SrsBenchHlsPlay, url));
    SrsBenchHlsPlayer player(&ctx, 0, url);
    BENCH_ASSERT_OK(player.start());
    // Two loads: the first fetches the last three segments (2, 3, 4), the second, one
    // target duration later, only the new one (5).
    for (int i = 0; i < 150 && player.stat()->msgs < 4; i++) {
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(SrsBenchClientStat::Running, player.stat()->state) << player.stat()->error;
    EXPECT_EQ(4, player.stat()->msgs);
    EXPECT_EQ(0, server.handler.hits["/live/seg-0.ts"]);
    EXPECT_EQ(1, server.handler.hits["/live/seg-2.ts"]);
    EXPECT_EQ(1, server.handler.hits["/live/seg-4.ts"]);
    EXPECT_EQ(1, server.handler.hits["/live/seg-5.ts"]);
    // One redirect only: the session URL is kept for reloads.
    EXPECT_EQ(3, server.handler.hits["/live/s.m3u8"]);
    EXPECT_GE(player.stat()->bytes, 4 * 1880);
    ctx.set_stopping();
    player.stop();
    EXPECT_EQ(SrsBenchClientStat::Closed, player.stat()->state);
}

TEST(BenchPlayerTest, HlsPlayerEndlistAndNotFound) {
    BenchTestServer server;
    server.handler.fn = [&](ISrsHttpResponseWriter* w, SrsHttpMessage* r) -> srs_error_t {
        if (r->path() == "/vod.m3u8") {
            std::string m = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\na.ts\n#EXT-X-ENDLIST\n";
            return w->write(m.data(), (int)m.size());
        }
        if (r->path() == "/a.ts") {
            return w->write("xx", 2);
        }
        w->write_header(404);
        return w->final_request();
    };
    BENCH_ASSERT_OK(server.start());
    std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    SrsBenchContext ctx(bench_options(SrsBenchHlsPlay, base + "/vod.m3u8"));
    SrsBenchHlsPlayer vod(&ctx, 0, base + "/vod.m3u8");
    SrsBenchHlsPlayer missing(&ctx, 1, base + "/none.m3u8");
    BENCH_ASSERT_OK(vod.start());
    BENCH_ASSERT_OK(missing.start());
    for (int i = 0; i < 100; i++) {
        if (vod.stat()->state == SrsBenchClientStat::Failed && missing.stat()->state == SrsBenchClientStat::Failed) {
            break;
        }
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(SrsBenchClientStat::Failed, vod.stat()->state);
    EXPECT_EQ(1, vod.stat()->msgs);
    EXPECT_NE(std::string::npos, vod.stat()->error.find("ENDLIST")) << vod.stat()->error;
    EXPECT_EQ(SrsBenchClientStat::Failed, missing.stat()->state);
    EXPECT_NE(std::string::npos, missing.stat()->error.find("404")) << missing.stat()->error;
}

TEST(BenchRunnerTest, RunsFlvPlayersAndReports) {
    BenchTestServer server;
    std::string flv = bench_flv_bytes(10, 500, 0);
    server.handler.fn = [&](ISrsHttpResponseWriter* w, SrsHttpMessage*) -> srs_error_t {
        srs_error_t err = w->write(flv.data(), (int)flv.size());
        if (err) {
            return err;
        }
        srs_usleep(3 * kS);
        return srs_success;
    };
    BENCH_ASSERT_OK(server.start());
    SrsBenchOptions o =
        bench_options(SrsBenchFlvPlay, "http://127.0.0.1:" + std::to_string(server.port()) + "/{i}.flv");
    o.clients = 4;
    o.streams = 2;
    o.ramp = 0;
    o.duration = 300 * kMs;
    o.interval = 100 * kMs;
    char* text = nullptr;
    size_t size = 0;
    FILE* out = open_memstream(&text, &size);
    ASSERT_TRUE(out != nullptr);
    SrsBenchRow row;
    {
        SrsBenchRunner runner(o, out);
        BENCH_ASSERT_OK(runner.initialize());
        BENCH_ASSERT_OK(runner.run(&row));
    }
    fclose(out);
    std::string s(text, size);
    free(text);
    EXPECT_EQ(4, row.clients);
    EXPECT_EQ(4, row.connected);
    EXPECT_EQ(4, row.alive);
    EXPECT_EQ(0, row.failed);
    EXPECT_EQ(0, row.no_media);
    EXPECT_EQ(2, server.handler.hits["/0.flv"]);
    EXPECT_EQ(2, server.handler.hits["/1.flv"]);
    EXPECT_NE(std::string::npos, s.find("[stat")) << s;
    // The JSON line is last.
    size_t last = s.rfind("{\"srs_bench\":\"final\"");
    ASSERT_NE(std::string::npos, last) << s;
    EXPECT_EQ(s.size() - 1, s.find('\n', last));
}

TEST(BenchRunnerTest, PublisherWithoutInputFails) {
    SrsBenchOptions o = bench_options(SrsBenchRtmpPublish, "rtmp://127.0.0.1:1/live/a");
    o.input = "/nonexistent.flv";
    o.duration = 100 * kMs;
    SrsBenchRunner runner(o, stdout);
    srs_error_t err = runner.initialize();
    EXPECT_EQ(ERROR_SYSTEM_FILE_NOT_EXISTS, srs_error_code(err)) << srs_error_desc(err);
}

namespace {

// Writes bytes to a temporary file, removed with the object.
class BenchTempFile {
public:
    explicit BenchTempFile(const std::string& bytes) {
        char name[] = "/tmp/srs-utest-bench-XXXXXX";
        int fd = mkstemp(name);
        path = name;
        if (fd >= 0) {
            ssize_t n = ::write(fd, bytes.data(), bytes.size());
            (void)n;
            ::close(fd);
        }
    }
    ~BenchTempFile() { unlink(path.c_str()); }
    std::string path;
};

// One scripted RTMP server session on loopback: plays count media messages 20 ms apart to
// a player, rejects a play, or records what a publisher sends.
class BenchRtmpServer : public ISrsCoroutineHandler {
public:
    enum Mode { Play, RejectPlay, Record };
    explicit BenchRtmpServer(Mode mode) : mode_(mode), trd_("utest-bench-rtmp", this) {}
    ~BenchRtmpServer() override { trd_.stop(); }
    srs_error_t start() {
        srs_error_t err = srs_tcp_listen("127.0.0.1", 0, &lfd_);
        if (err != srs_success) {
            return err;
        }
        port = srs_socket_local_port(lfd_);
        return trd_.start();
    }
    srs_error_t cycle() override {
        srs_error_t err = srs_success;
        SrsNetFd fd;
        if ((err = srs_tcp_accept(lfd_, 3 * kS, &fd)) != srs_success) {
            return err;
        }
        SrsStSocket skt(fd);
        SrsRtmpServer server(&skt);
        server.set_recv_timeout(3 * kS);
        server.set_send_timeout(3 * kS);
        SrsRequest req;
        if ((err = server.handshake()) != srs_success || (err = server.connect_app(&req)) != srs_success ||
            (err = server.set_chunk_size(4096)) != srs_success ||
            (err = server.response_connect_app(&req, "127.0.0.1", "bench")) != srs_success) {
            return err;
        }
        SrsRtmpConnType type = SrsRtmpConnUnknown;
        srs_utime_t duration = 0;
        if ((err = server.identify_client(1, &type, &stream, &duration)) != srs_success) {
            return err;
        }
        if (mode_ == RejectPlay) {
            if ((err = server.reject_play(1, "no such stream")) != srs_success) {
                return err;
            }
            srs_usleep(3 * kS);
            return err;
        }
        if (mode_ == Play) {
            if ((err = server.start_play(1)) != srs_success) {
                return err;
            }
            std::string video(2000, '\x17');
            for (int i = 0; i < count; i++) {
                SrsMediaMessage msg =
                    SrsMediaMessage::create(SrsMsgVideo, 1000 + i * 20, 1, video.data(), (int)video.size());
                if ((err = server.send_messages(&msg, 1)) != srs_success) {
                    return err;
                }
                srs_usleep(20 * kMs);
            }
        } else if ((err = server.start_fmle_publish(1)) != srs_success) {
            return err;
        }
        while (true) {
            SrsMediaMessage msg;
            if ((err = server.recv_message(&msg)) != srs_success) {
                return err;
            }
            if (msg.is_av() || msg.is_script()) {
                types.push_back(msg.type);
                timestamps.push_back(msg.timestamp);
            }
        }
    }

    int port = 0;
    int count = 20;
    std::string stream;
    std::vector<int> types;
    std::vector<int64_t> timestamps;

private:
    Mode mode_;
    SrsNetFd lfd_;
    SrsCoroutine trd_;
};

}  // namespace

TEST(BenchRtmpTest, PlayerReceivesMedia) {
    BenchRtmpServer server(BenchRtmpServer::Play);
    BENCH_ASSERT_OK(server.start());
    std::string url = "rtmp://127.0.0.1:" + std::to_string(server.port) + "/live/stream?k=v";
    SrsBenchOptions o = bench_options(SrsBenchRtmpPlay, url);
    SrsBenchContext ctx(o);
    SrsBenchRtmpPlayer player(&ctx, 0, url);
    BENCH_ASSERT_OK(player.start());
    for (int i = 0; i < 200 && player.stat()->msgs < 20; i++) {
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(SrsBenchClientStat::Running, player.stat()->state) << player.stat()->error;
    EXPECT_EQ(20, player.stat()->msgs);
    EXPECT_EQ("stream?k=v", server.stream);
    EXPECT_GT(player.stat()->bytes, 20 * 2000);
    EXPECT_GT(player.stat()->connect_duration(), 0);
    ctx.set_stopping();
    player.stop();
    EXPECT_EQ(SrsBenchClientStat::Closed, player.stat()->state);
}

TEST(BenchRtmpTest, PlayerRejected) {
    BenchRtmpServer server(BenchRtmpServer::RejectPlay);
    BENCH_ASSERT_OK(server.start());
    std::string url = "rtmp://127.0.0.1:" + std::to_string(server.port) + "/live/none";
    SrsBenchContext ctx(bench_options(SrsBenchRtmpPlay, url));
    SrsBenchRtmpPlayer player(&ctx, 0, url);
    BENCH_ASSERT_OK(player.start());
    for (int i = 0; i < 200 && player.stat()->state != SrsBenchClientStat::Failed; i++) {
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(SrsBenchClientStat::Failed, player.stat()->state);
    EXPECT_NE(std::string::npos, player.stat()->error.find("StreamNotFound")) << player.stat()->error;
    EXPECT_EQ(0, player.stat()->msgs);
}

TEST(BenchRtmpTest, PlayerConnectRefused) {
    // A port nobody listens on: take one and close it.
    int port = 0;
    {
        SrsNetFd lfd;
        BENCH_ASSERT_OK(srs_tcp_listen("127.0.0.1", 0, &lfd));
        port = srs_socket_local_port(lfd);
    }
    std::string url = "rtmp://127.0.0.1:" + std::to_string(port) + "/live/a";
    SrsBenchContext ctx(bench_options(SrsBenchRtmpPlay, url));
    SrsBenchRtmpPlayer player(&ctx, 0, url);
    BENCH_ASSERT_OK(player.start());
    for (int i = 0; i < 200 && player.stat()->state != SrsBenchClientStat::Failed; i++) {
        srs_usleep(10 * kMs);
    }
    EXPECT_EQ(SrsBenchClientStat::Failed, player.stat()->state);
    EXPECT_FALSE(player.stat()->connected());
}

TEST(BenchRtmpTest, FlvInputLoad) {
    // Video at 0, 40, 80 and audio at 20, 60, shifted by 500 ms: the loop is the span plus
    // one video frame.
    BenchTempFile f(bench_flv_bytes(5, 50, 500));
    SrsBenchFlvInput input;
    BENCH_ASSERT_OK(input.load(f.path));
    ASSERT_EQ(5u, input.messages().size());
    EXPECT_EQ(0, input.messages()[0].timestamp);
    EXPECT_EQ(80, input.messages()[4].timestamp);
    EXPECT_EQ(120, input.loop_duration());

    SrsBenchFlvInput missing;
    EXPECT_TRUE(missing.load("/nonexistent/a.flv") != srs_success);
    BenchTempFile empty(bench_flv_bytes(0, 0, 0));
    SrsBenchFlvInput none;
    EXPECT_EQ(ERROR_BENCH_OPTIONS, srs_error_code(none.load(empty.path)));
    BenchTempFile garbage("not an flv file at all");
    SrsBenchFlvInput bad;
    EXPECT_EQ(ERROR_KERNEL_FLV_HEADER, srs_error_code(bad.load(garbage.path)));
}

TEST(BenchRtmpTest, PublisherLoopsAtRealTimeWithContinuingTimestamps) {
    BenchRtmpServer server(BenchRtmpServer::Record);
    BENCH_ASSERT_OK(server.start());
    std::string flv = bench_flv_bytes(5, 50, 0);
    BenchTempFile f(flv);
    auto input = std::make_shared<SrsBenchFlvInput>();
    BENCH_ASSERT_OK(input->load(f.path));
    std::string url = "rtmp://127.0.0.1:" + std::to_string(server.port) + "/live/pub";
    SrsBenchContext ctx(bench_options(SrsBenchRtmpPublish, url));
    ctx.set_input(input);
    SrsBenchRtmpPublisher pub(&ctx, 0, url, ctx.input());
    srs_utime_t start = srs_update_system_time();
    BENCH_ASSERT_OK(pub.start());
    // Three loops of 120 ms: the tags of the third loop start at 240 ms.
    for (int i = 0; i < 200 && server.timestamps.size() < 11; i++) {
        srs_usleep(5 * kMs);
    }
    srs_utime_t elapsed = srs_update_system_time() - start;
    ctx.set_stopping();
    pub.stop();
    EXPECT_EQ(SrsBenchClientStat::Closed, pub.stat()->state) << pub.stat()->error;
    ASSERT_GE(server.timestamps.size(), 11u);
    std::vector<int64_t> want = {0, 20, 40, 60, 80, 120, 140, 160, 180, 200, 240};
    for (size_t i = 0; i < want.size(); i++) {
        EXPECT_EQ(want[i], server.timestamps[i]) << i;
    }
    // Real-time pacing: the tag at 240 ms was not sent before 240 ms.
    EXPECT_GE(elapsed, 230 * kMs);
    EXPECT_EQ("pub", server.stream);
    EXPECT_GE(pub.stat()->msgs, 11);
}
