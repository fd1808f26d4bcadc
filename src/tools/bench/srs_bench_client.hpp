// The load tool's simulated client: one coroutine with a small stack per client, its
// stats, and what all clients of a run share (options, a discard buffer, lag histograms).
#pragma once

#include <srs_bench_options.hpp>
#include <srs_bench_stat.hpp>
#include <srs_core_st.hpp>

#include <memory>
#include <string>

class SrsBenchFlvInput;

// What every client of one run shares.
class SrsBenchContext {
public:
    explicit SrsBenchContext(const SrsBenchOptions& opts);
    ~SrsBenchContext();
    SRS_DISALLOW_COPY(SrsBenchContext);

public:
    const SrsBenchOptions& options() const { return opts_; }
    // A buffer for bytes that are counted and skipped but never looked at (media payloads,
    // segment bodies). Shared by every client: coroutines may overwrite each other's bytes
    // in it, which is harmless since nobody reads them, and it saves a buffer per client.
    // Big enough for the largest FLV tag (24-bit size); only touched pages cost memory.
    char* discard_buffer() { return discard_.get(); }
    static const int kDiscardSize = 0xffffff + 16;
    // Records a player's lag sample in the interval's and the run's histograms.
    void record_lag(int64_t ms);
    SrsBenchLagHistogram& interval_lag() { return interval_lag_; }
    const SrsBenchLagHistogram& total_lag() const { return total_lag_; }
    // Set before the clients are stopped at the end, so their ends are not failures.
    bool stopping() const { return stopping_; }
    void set_stopping() { stopping_ = true; }
    // The file publishers send, loaded once for all of them.
    void set_input(std::shared_ptr<SrsBenchFlvInput> input) { input_ = std::move(input); }
    const SrsBenchFlvInput* input() const { return input_.get(); }

private:
    SrsBenchOptions opts_;
    std::unique_ptr<char[]> discard_;
    SrsBenchLagHistogram interval_lag_;
    SrsBenchLagHistogram total_lag_;
    bool stopping_ = false;
    std::shared_ptr<SrsBenchFlvInput> input_;
};

// One simulated client. Subclasses implement do_cycle(): connect, then play or publish
// until interrupted; any return before the run is stopping is a failure.
class SrsBenchClient : public ISrsCoroutineHandler {
public:
    SrsBenchClient(SrsBenchContext* ctx, int index, const std::string& url);
    ~SrsBenchClient() override;
    SRS_DISALLOW_COPY(SrsBenchClient);

public:
    srs_error_t start();
    // Wakes the client; it ends at its next blocking call.
    void interrupt();
    // Interrupts and waits for the end.
    void stop();
    SrsBenchClientStat* stat() { return &stat_; }
    int index() const { return index_; }
    const std::string& url() const { return url_; }
    srs_error_t cycle() override;

protected:
    virtual srs_error_t do_cycle() = 0;
    // Fails once the client is interrupted.
    srs_error_t pull();
    // The play or publish was accepted.
    void on_connected();
    // The byte total moved on without a media message (handshake, headers, segments).
    void on_bytes(int64_t total);
    // A media message with its 32-bit millisecond timestamp; the byte total includes it.
    // with_lag: record its lag (players of RTMP and HTTP-FLV).
    void on_media(uint32_t timestamp, int64_t total, bool with_lag);

protected:
    SrsBenchContext* ctx_;
    int index_;
    std::string url_;
    SrsBenchClientStat stat_;
    SrsBenchLagTracker lag_;
    SrsCoroutine trd_;
};
