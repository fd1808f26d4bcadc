#include <srs_bench_runner.hpp>

#include <srs_bench_http.hpp>
#include <srs_bench_rtmp.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <algorithm>
#include <map>

srs_error_t srs_bench_create_client(SrsBenchContext* ctx, int k, std::unique_ptr<SrsBenchClient>* out) {
    const SrsBenchOptions& opts = ctx->options();
    std::string url = opts.url_of(k);
    switch (opts.type) {
        case SrsBenchFlvPlay:
            out->reset(new SrsBenchFlvPlayer(ctx, k, url));
            return srs_success;
        case SrsBenchHlsPlay:
            out->reset(new SrsBenchHlsPlayer(ctx, k, url));
            return srs_success;
        case SrsBenchRtmpPlay:
            out->reset(new SrsBenchRtmpPlayer(ctx, k, url));
            return srs_success;
        case SrsBenchRtmpPublish:
            if (!ctx->input()) {
                return srs_error_new(ERROR_BENCH_OPTIONS, "rtmp-publish: no input loaded");
            }
            out->reset(new SrsBenchRtmpPublisher(ctx, k, url, ctx->input()));
            return srs_success;
    }
    return srs_error_new(ERROR_BENCH_OPTIONS, "unknown client type %d", (int)opts.type);
}

SrsBenchRunner::SrsBenchRunner(const SrsBenchOptions& opts, FILE* out) : out_(out), ctx_(new SrsBenchContext(opts)) {}

SrsBenchRunner::~SrsBenchRunner() {
    // Clients first: their coroutines use the context.
    clients_.clear();
}

srs_error_t SrsBenchRunner::initialize() {
    srs_error_t err = srs_success;
    const SrsBenchOptions& opts = ctx_->options();
    if (opts.type != SrsBenchRtmpPublish) {
        return err;
    }
    auto input = std::make_shared<SrsBenchFlvInput>();
    if ((err = input->load(opts.input, opts.tracks)) != srs_success) {
        return srs_error_wrap(err, "publisher input");
    }
    fprintf(out_, "srs_bench: input %s, %d tags, loop %.3fs\n", opts.input.c_str(), (int)input->messages().size(),
            (double)input->loop_duration() / 1000.0);
    ctx_->set_input(input);
    return err;
}

bool SrsBenchRunner::with_lag() const {
    SrsBenchType t = ctx_->options().type;
    return t == SrsBenchRtmpPlay || t == SrsBenchFlvPlay;
}

void SrsBenchRunner::report(srs_utime_t now) {
    SrsBenchRow row = report_->interval(stats_, ctx_->interval_lag(), now);
    ctx_->interval_lag().reset();
    fprintf(out_, "%s\n", SrsBenchReport::format(row, with_lag()).c_str());
    if (ctx_->options().json_intervals) {
        fprintf(out_, "%s\n", SrsBenchReport::to_json(row, srs_bench_type_name(ctx_->options().type)).c_str());
    }
    fflush(out_);
}

void SrsBenchRunner::print_failures() {
    // Group by reason so a thousand identical failures print as one line.
    std::map<std::string, int> reasons;
    for (SrsBenchClientStat* s : stats_) {
        if (s->state == SrsBenchClientStat::Failed) {
            reasons[s->error]++;
        }
    }
    int lines = 0;
    for (const auto& it : reasons) {
        if (++lines > 10) {
            fprintf(out_, "failed: ... and %d more reasons\n", (int)reasons.size() - 10);
            break;
        }
        fprintf(out_, "failed: %d client(s): %s\n", it.second, it.first.c_str());
    }
}

srs_error_t SrsBenchRunner::run(SrsBenchRow* final_row) {
    srs_error_t err = srs_success;
    const SrsBenchOptions& opts = ctx_->options();
    srs_utime_t start = srs_update_system_time();
    srs_utime_t end = start + opts.duration;
    srs_utime_t next_report = opts.interval > 0 ? start + opts.interval : end + 1;
    report_.reset(new SrsBenchReport(start));
    clients_.reserve(opts.clients);
    stats_.reserve(opts.clients);

    fprintf(out_, "srs_bench: %s %d client(s) of %s, %d stream(s), ramp %.0f/s, %.0fs\n",
            srs_bench_type_name(opts.type), opts.clients, opts.url.c_str(), opts.streams, opts.ramp,
            (double)opts.duration / SRS_UTIME_SECONDS);
    fflush(out_);

    int started = 0;
    while (true) {
        srs_utime_t now = srs_update_system_time();
        if (now >= end) {
            break;
        }
        if (now >= next_report) {
            report(now);
            next_report += opts.interval;
            continue;
        }
        // Start every client that is due by now.
        while (started < opts.clients) {
            srs_utime_t due = opts.ramp > 0 ? start + (srs_utime_t)(started * (SRS_UTIME_SECONDS / opts.ramp)) : start;
            if (due > now) {
                break;
            }
            std::unique_ptr<SrsBenchClient> c;
            if ((err = srs_bench_create_client(ctx_.get(), started, &c)) != srs_success) {
                return err;
            }
            if ((err = c->start()) != srs_success) {
                // Out of memory or descriptors for coroutines: stop the ramp, report.
                return srs_error_wrap(err, "start client %d", started);
            }
            stats_.push_back(c->stat());
            clients_.push_back(std::move(c));
            started++;
        }
        srs_utime_t wake = std::min(end, next_report);
        if (started < opts.clients && opts.ramp > 0) {
            wake = std::min(wake, start + (srs_utime_t)(started * (SRS_UTIME_SECONDS / opts.ramp)));
        }
        if (wake > now) {
            srs_usleep(wake - now);
        }
    }

    // The final row is taken before stopping, so "alive" means alive at the end.
    srs_utime_t now = srs_update_system_time();
    *final_row = report_->total(stats_, ctx_->total_lag(), now);
    ctx_->set_stopping();
    for (auto& c : clients_) {
        c->interrupt();
    }
    for (auto& c : clients_) {
        c->stop();
    }
    print_failures();
    fprintf(out_, "%s\n", SrsBenchReport::format(*final_row, with_lag()).c_str());
    fprintf(out_, "%s\n", SrsBenchReport::to_json(*final_row, srs_bench_type_name(opts.type)).c_str());
    fflush(out_);
    return err;
}
