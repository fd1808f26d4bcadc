#include <srs_bench_client.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

SrsBenchContext::SrsBenchContext(const SrsBenchOptions& opts) : opts_(opts) {
    // Not value-initialized: the pages stay untouched (and cost no memory) until a client
    // skips that many bytes at once.
    discard_.reset(new char[kDiscardSize]);
}

SrsBenchContext::~SrsBenchContext() = default;

void SrsBenchContext::record_lag(int64_t ms) {
    interval_lag_.add(ms);
    total_lag_.add(ms);
}

SrsBenchClient::SrsBenchClient(SrsBenchContext* ctx, int index, const std::string& url)
    : ctx_(ctx), index_(index), url_(url), trd_("bench", this, srs_fmt("bench-%d", index)) {
    trd_.set_stack_size(ctx->options().stack_kib * 1024);
}

SrsBenchClient::~SrsBenchClient() {
    trd_.stop();
}

srs_error_t SrsBenchClient::start() {
    return trd_.start();
}

void SrsBenchClient::interrupt() {
    trd_.interrupt();
}

void SrsBenchClient::stop() {
    trd_.stop();
}

srs_error_t SrsBenchClient::pull() {
    return trd_.pull();
}

srs_error_t SrsBenchClient::cycle() {
    stat_.on_connecting(srs_update_system_time());
    srs_error_t err = do_cycle();
    if (ctx_->stopping()) {
        // The run is over: however the client ended (interrupted, most likely), it lasted.
        srs_error_reset(err);
        stat_.on_closed();
        return srs_success;
    }
    if (err == srs_success) {
        err = srs_error_new(ERROR_BENCH_STREAM_ENDED, "client ended before the run");
    }
    stat_.on_failed(srs_error_summary(err));
    srs_info("bench: client %d failed: %s", index_, srs_error_desc(err).c_str());
    // Reported in the run's summary, not by the coroutine's own warning.
    srs_error_reset(err);
    return srs_success;
}

void SrsBenchClient::on_connected() {
    stat_.on_connected(srs_update_system_time());
}

void SrsBenchClient::on_bytes(int64_t total) {
    stat_.on_bytes(total, false, srs_get_system_time());
}

void SrsBenchClient::on_media(uint32_t timestamp, int64_t total, bool with_lag) {
    srs_utime_t now = srs_update_system_time();
    stat_.on_bytes(total, true, now);
    if (with_lag) {
        int64_t lag = lag_.on_media(timestamp, now);
        if (lag >= 0) {
            ctx_->record_lag(lag);
        }
    }
}
