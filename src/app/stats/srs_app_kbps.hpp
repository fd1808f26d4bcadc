// Byte counters and their rates (kbps) over a sliding window of 30 seconds, sampled
// periodically so the hot path only adds to an integer.
#pragma once

#include <srs_core_st.hpp>
#include <srs_core_time.hpp>

#include <cstdint>
#include <memory>
#include <vector>

// The rate of a cumulative byte count over a sliding window. Keeps a small fixed ring of
// points at least `spacing` apart, so memory is constant however often it is sampled.
class SrsRateWindow {
public:
    // window: how far back the rate looks; spacing: the minimum time between kept points.
    // window / spacing must not exceed kCapacity - 2.
    SrsRateWindow(srs_utime_t window, srs_utime_t spacing);

public:
    // Records the cumulative count at now; now must not go backwards.
    void sample(srs_utime_t now, int64_t bytes);
    // Kilobits per second between the oldest kept point inside the window and the latest
    // sample; 0 before two samples.
    int kbps() const;

private:
    struct Point {
        srs_utime_t at = 0;
        int64_t bytes = 0;
    };
    // 30 s at 5 s spacing, with room for the points at both ends: a few hundred bytes a window,
    // held by every client in the statistics.
    static constexpr int kCapacity = 8;

    srs_utime_t window_;
    srs_utime_t spacing_;
    Point ring_[kCapacity];
    int head_ = 0;  // index of the oldest point
    int size_ = 0;
    Point last_;
    bool has_last_ = false;
};

// Bytes received and sent, with their rates over 30 s (SRS's kbps.recv_30s, kbps.send_30s; the
// API shows no other window, so no other is kept). add_delta() is a pair of additions; sample() runs from a timer.
class SrsKbps {
public:
    // The rates start counting from now, so a stream sampled once already has a rate.
    explicit SrsKbps(srs_utime_t now);

public:
    void add_delta(int64_t in, int64_t out) {
        recv_bytes_ += in;
        send_bytes_ += out;
    }
    void sample(srs_utime_t now);

    int64_t get_recv_bytes() const { return recv_bytes_; }
    int64_t get_send_bytes() const { return send_bytes_; }
    int get_recv_kbps_30s() const { return recv_30s_.kbps(); }
    int get_send_kbps_30s() const { return send_30s_.kbps(); }

private:
    int64_t recv_bytes_ = 0;
    int64_t send_bytes_ = 0;
    SrsRateWindow recv_30s_;
    SrsRateWindow send_30s_;
};

// Something updated by the sampler's timer (statistics, system info).
class ISrsSampled {
public:
    virtual ~ISrsSampled() = default;
    virtual void sample(srs_utime_t now) = 0;
};

// A coroutine that calls sample() on its targets every interval (5 s by default), so rates
// are computed off the hot path. Targets must outlive it (or stop() it first).
class SrsSampler : public ISrsCoroutineHandler {
public:
    explicit SrsSampler(srs_utime_t interval = 5 * SRS_UTIME_SECONDS);
    ~SrsSampler() override;
    SRS_DISALLOW_COPY(SrsSampler);

public:
    void add(ISrsSampled* target);
    srs_error_t start();
    void stop();
    // Samples every target now; also what each tick does.
    void tick();
    srs_error_t cycle() override;

private:
    srs_utime_t interval_;
    std::vector<ISrsSampled*> targets_;
    std::unique_ptr<SrsCoroutine> trd_;
};
