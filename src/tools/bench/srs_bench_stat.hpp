// The arithmetic of the load tool's reports: percentiles, bitrate windows, the lag of
// media behind the wall clock, and the per-interval and final report rows.
#pragma once

#include <srs_core.hpp>
#include <srs_core_time.hpp>

#include <string>
#include <vector>

// The nearest-rank percentile (p in [0, 100]) of values: the smallest value such that at
// least p% of the values are at or below it; p=0 gives the minimum. Always one of the
// values, so "p5 player kbit/s" is a real player's figure. 0 when empty.
double srs_bench_percentile(std::vector<double> values, double p);
// Kilobits per second (1000 bits) of bytes over a duration; 0 for a duration <= 0.
double srs_bench_kbps(int64_t bytes, srs_utime_t duration);

// A histogram of lags in milliseconds with bounded memory whatever the sample count:
// 1 ms buckets below 1 s, 10 ms below 10 s, 100 ms below 60 s, then one overflow bucket.
class SrsBenchLagHistogram {
public:
    SrsBenchLagHistogram();
    void add(int64_t ms);
    void merge(const SrsBenchLagHistogram& o);
    void reset();
    int64_t count() const { return count_; }
    int64_t max() const { return max_; }
    // The nearest-rank percentile, as the lower bound of its bucket (exact below 1 s); the
    // overflow bucket reports the largest sample. 0 when empty.
    int64_t percentile(double p) const;

private:
    static int bucket_of(int64_t ms);
    static int64_t bucket_floor(int index);

private:
    std::vector<int64_t> buckets_;
    int64_t count_ = 0;
    int64_t max_ = 0;
};

// The lag of one player: how far the media it receives is behind the best delivery it
// has seen. The lead of a message is (its timestamp - the first timestamp) - (its arrival
// - the first arrival); the largest lead seen is the moment the stream was closest to live
// (the newest frame of the GOP-cache burst, or any frame that arrived at once), and the
// lag of a message is that largest lead minus its own lead. A stall grows the lag by its
// length, a merged write of 350 ms shows as up to 350 ms, a server that forwards each
// frame at once keeps it near 0. The first burst (before warmup has passed since the
// first message) only sets the baseline and gives no samples.
class SrsBenchLagTracker {
public:
    explicit SrsBenchLagTracker(srs_utime_t warmup = 1 * SRS_UTIME_SECONDS) : warmup_(warmup) {}
    // A media message with a 32-bit millisecond timestamp (RTMP, FLV), wrapping handled,
    // arrived at now. Returns its lag in ms (>= 0), or -1 while warming up.
    int64_t on_media(uint32_t timestamp, srs_utime_t now);
    // The timestamp as a 64-bit number continuing across 32-bit wraps.
    int64_t last_timestamp() const { return ts_; }
    bool started() const { return started_; }

private:
    srs_utime_t warmup_;
    bool started_ = false;
    srs_utime_t t0_ = 0;
    uint32_t last_raw_ = 0;
    int64_t ts_ = 0;
    int64_t ts0_ = 0;
    int64_t max_lead_ = 0;
};

// What happened to one simulated client so far.
class SrsBenchClientStat {
public:
    enum State { Idle, Connecting, Running, Failed, Closed };
    // How long after the first media byte the "steady" bitrate window starts, so the
    // GOP-cache burst does not count as bitrate.
    static const srs_utime_t kSteadyDelay = 1 * SRS_UTIME_SECONDS;

    State state = Idle;
    // When it started connecting, finished connecting (playing or publishing), and got or
    // sent its first media.
    srs_utime_t start_at = 0;
    srs_utime_t connected_at = 0;
    srs_utime_t first_media_at = 0;
    // Bytes received (players) or sent (publishers), and media messages.
    int64_t bytes = 0;
    int64_t msgs = 0;
    // The steady window: from steady_at on, with the byte count at that moment.
    srs_utime_t steady_at = 0;
    int64_t steady_bytes = 0;
    // The byte count at the last interval report.
    int64_t mark_bytes = 0;
    // Why it failed, when it did.
    std::string error;

public:
    void on_connecting(srs_utime_t now);
    void on_connected(srs_utime_t now);
    // The running byte total (not a delta) and whether a media message came with it.
    void on_bytes(int64_t total, bool media, srs_utime_t now);
    void on_failed(const std::string& why);
    void on_closed();
    bool connected() const { return connected_at > 0; }
    // The connect time: from the start to the play or publish being accepted.
    srs_utime_t connect_duration() const { return connected_at > 0 ? connected_at - start_at : 0; }
    // The steady bitrate up to now; 0 before the steady window started.
    double steady_kbps(srs_utime_t now) const;
};

// One report row: every figure of an interval or of the whole run.
struct SrsBenchRow {
    bool final_row = false;
    double elapsed_s = 0;
    int clients = 0;
    int connected = 0;
    int alive = 0;
    int failed = 0;
    // Clients that got (players) or sent (publishers) no media message at all.
    int no_media = 0;
    // Sum of all clients' bitrate, and the distribution over the clients that were alive
    // for the whole window.
    double agg_kbps = 0;
    int kbps_clients = 0;
    double kbps_min = 0;
    double kbps_median = 0;
    double kbps_p5 = 0;
    double connect_ms_median = 0;
    double connect_ms_p95 = 0;
    double connect_ms_max = 0;
    int64_t lag_samples = 0;
    int64_t lag_ms_median = 0;
    int64_t lag_ms_p95 = 0;
    int64_t lag_ms_p99 = 0;
    int64_t lag_ms_max = 0;
};

// Builds rows from the clients' stats and formats them for people and for scripts.
class SrsBenchReport {
public:
    explicit SrsBenchReport(srs_utime_t start) : start_(start), last_(start) {}
    // The row of the interval since the last call (or the start). Per-client bitrate uses
    // each client's bytes in the part of the interval after its steady window began; a
    // client with less than half the interval in that part is left out of the
    // distribution. Moves every client's interval mark to now.
    SrsBenchRow interval(const std::vector<SrsBenchClientStat*>& clients, const SrsBenchLagHistogram& lag,
                         srs_utime_t now);
    // The row of the whole run: per-client bitrate over each client's steady window
    // (clients that never reached it count as 0 kbit/s when they failed, and are left out
    // when they started too late to have one), aggregate as the sum of those.
    SrsBenchRow total(const std::vector<SrsBenchClientStat*>& clients, const SrsBenchLagHistogram& lag,
                      srs_utime_t now) const;
    // One human line.
    static std::string format(const SrsBenchRow& row, bool with_lag);
    // One JSON object on one line, for the bench script.
    static std::string to_json(const SrsBenchRow& row, const std::string& type);

private:
    static void fill_common(SrsBenchRow* row, const std::vector<SrsBenchClientStat*>& clients,
                            const SrsBenchLagHistogram& lag);

private:
    srs_utime_t start_;
    srs_utime_t last_;
};
