#include <srs_bench_stat.hpp>

#include <srs_core_utility.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

double srs_bench_percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    p = std::max(0.0, std::min(100.0, p));
    // Nearest rank: the ceil(p/100 * n)-th smallest value, 1-based; rank 1 for p=0.
    size_t n = values.size();
    size_t rank = (size_t)std::ceil(p / 100.0 * (double)n);
    if (rank < 1) {
        rank = 1;
    }
    if (rank > n) {
        rank = n;
    }
    std::nth_element(values.begin(), values.begin() + (rank - 1), values.end());
    return values[rank - 1];
}

double srs_bench_kbps(int64_t bytes, srs_utime_t duration) {
    if (duration <= 0) {
        return 0;
    }
    return (double)bytes * 8.0 / 1000.0 / ((double)duration / SRS_UTIME_SECONDS);
}

namespace {

const int kLagFine = 1000;   // 1 ms buckets for [0, 1000)
const int kLagMid = 900;     // 10 ms buckets for [1000, 10000)
const int kLagCoarse = 500;  // 100 ms buckets for [10000, 60000)
const int kLagBuckets = kLagFine + kLagMid + kLagCoarse + 1;

}  // namespace

SrsBenchLagHistogram::SrsBenchLagHistogram() : buckets_(kLagBuckets, 0) {}

int SrsBenchLagHistogram::bucket_of(int64_t ms) {
    if (ms < 0) {
        ms = 0;
    }
    if (ms < 1000) {
        return (int)ms;
    }
    if (ms < 10000) {
        return kLagFine + (int)((ms - 1000) / 10);
    }
    if (ms < 60000) {
        return kLagFine + kLagMid + (int)((ms - 10000) / 100);
    }
    return kLagBuckets - 1;
}

int64_t SrsBenchLagHistogram::bucket_floor(int index) {
    if (index < kLagFine) {
        return index;
    }
    if (index < kLagFine + kLagMid) {
        return 1000 + (int64_t)(index - kLagFine) * 10;
    }
    if (index < kLagBuckets - 1) {
        return 10000 + (int64_t)(index - kLagFine - kLagMid) * 100;
    }
    return 60000;
}

void SrsBenchLagHistogram::add(int64_t ms) {
    if (ms < 0) {
        ms = 0;
    }
    buckets_[bucket_of(ms)]++;
    count_++;
    max_ = std::max(max_, ms);
}

void SrsBenchLagHistogram::merge(const SrsBenchLagHistogram& o) {
    for (int i = 0; i < kLagBuckets; i++) {
        buckets_[i] += o.buckets_[i];
    }
    count_ += o.count_;
    max_ = std::max(max_, o.max_);
}

void SrsBenchLagHistogram::reset() {
    std::fill(buckets_.begin(), buckets_.end(), 0);
    count_ = 0;
    max_ = 0;
}

int64_t SrsBenchLagHistogram::percentile(double p) const {
    if (count_ == 0) {
        return 0;
    }
    p = std::max(0.0, std::min(100.0, p));
    int64_t rank = (int64_t)std::ceil(p / 100.0 * (double)count_);
    rank = std::max<int64_t>(1, std::min(rank, count_));
    int64_t seen = 0;
    for (int i = 0; i < kLagBuckets; i++) {
        seen += buckets_[i];
        if (seen >= rank) {
            return i == kLagBuckets - 1 ? max_ : bucket_floor(i);
        }
    }
    return max_;
}

int64_t SrsBenchLagTracker::on_media(uint32_t timestamp, srs_utime_t now) {
    if (!started_) {
        started_ = true;
        t0_ = now;
        last_raw_ = timestamp;
        ts_ = ts0_ = timestamp;
        max_lead_ = 0;
        return warmup_ > 0 ? -1 : 0;
    }
    // Unwrap: the signed 32-bit difference tolerates the small steps back of interleaved
    // audio and video and the wrap of the 32-bit timestamp after 49.7 days.
    ts_ += (int32_t)(timestamp - last_raw_);
    last_raw_ = timestamp;
    int64_t lead = (ts_ - ts0_) - (now - t0_) / SRS_UTIME_MILLISECONDS;
    if (lead > max_lead_) {
        max_lead_ = lead;
    }
    if (now - t0_ < warmup_) {
        return -1;
    }
    return max_lead_ - lead;
}

void SrsBenchClientStat::on_connecting(srs_utime_t now) {
    state = Connecting;
    start_at = now;
}

void SrsBenchClientStat::on_connected(srs_utime_t now) {
    state = Running;
    connected_at = now;
}

void SrsBenchClientStat::on_bytes(int64_t total, bool media, srs_utime_t now) {
    bytes = total;
    if (media) {
        msgs++;
        if (first_media_at == 0) {
            first_media_at = now;
        }
    }
    if (steady_at == 0 && first_media_at > 0 && now - first_media_at >= kSteadyDelay) {
        steady_at = now;
        steady_bytes = total;
    }
}

void SrsBenchClientStat::on_failed(const std::string& why) {
    state = Failed;
    error = why;
}

void SrsBenchClientStat::on_closed() {
    if (state != Failed) {
        state = Closed;
    }
}

double SrsBenchClientStat::steady_kbps(srs_utime_t now) const {
    if (steady_at == 0) {
        return 0;
    }
    return srs_bench_kbps(bytes - steady_bytes, now - steady_at);
}

void SrsBenchReport::fill_common(SrsBenchRow* row, const std::vector<SrsBenchClientStat*>& clients,
                                 const SrsBenchLagHistogram& lag) {
    std::vector<double> connects;
    for (SrsBenchClientStat* c : clients) {
        if (c->state == SrsBenchClientStat::Idle) {
            continue;
        }
        row->clients++;
        if (c->connected()) {
            row->connected++;
            connects.push_back((double)c->connect_duration() / SRS_UTIME_MILLISECONDS);
        }
        if (c->state == SrsBenchClientStat::Running) {
            row->alive++;
        }
        if (c->state == SrsBenchClientStat::Failed) {
            row->failed++;
        }
        if (c->msgs == 0) {
            row->no_media++;
        }
    }
    row->connect_ms_median = srs_bench_percentile(connects, 50);
    row->connect_ms_p95 = srs_bench_percentile(connects, 95);
    row->connect_ms_max = srs_bench_percentile(connects, 100);
    row->lag_samples = lag.count();
    row->lag_ms_median = lag.percentile(50);
    row->lag_ms_p95 = lag.percentile(95);
    row->lag_ms_p99 = lag.percentile(99);
    row->lag_ms_max = lag.max();
}

SrsBenchRow SrsBenchReport::interval(const std::vector<SrsBenchClientStat*>& clients, const SrsBenchLagHistogram& lag,
                                     srs_utime_t now) {
    SrsBenchRow row;
    row.elapsed_s = (double)(now - start_) / SRS_UTIME_SECONDS;
    fill_common(&row, clients, lag);

    srs_utime_t window = now - last_;
    int64_t delta = 0;
    std::vector<double> kbps;
    for (SrsBenchClientStat* c : clients) {
        delta += c->bytes - c->mark_bytes;
        // The part of the interval in the client's steady window.
        if (c->state == SrsBenchClientStat::Running && c->steady_at > 0) {
            srs_utime_t from = std::max(last_, c->steady_at);
            int64_t base = c->steady_at > last_ ? c->steady_bytes : c->mark_bytes;
            if (window > 0 && now - from >= window / 2) {
                kbps.push_back(srs_bench_kbps(c->bytes - base, now - from));
            }
        }
        c->mark_bytes = c->bytes;
    }
    row.agg_kbps = srs_bench_kbps(delta, window);
    row.kbps_clients = (int)kbps.size();
    row.kbps_min = srs_bench_percentile(kbps, 0);
    row.kbps_median = srs_bench_percentile(kbps, 50);
    row.kbps_p5 = srs_bench_percentile(kbps, 5);
    last_ = now;
    return row;
}

SrsBenchRow SrsBenchReport::total(const std::vector<SrsBenchClientStat*>& clients, const SrsBenchLagHistogram& lag,
                                  srs_utime_t now) const {
    SrsBenchRow row;
    row.final_row = true;
    row.elapsed_s = (double)(now - start_) / SRS_UTIME_SECONDS;
    fill_common(&row, clients, lag);

    std::vector<double> kbps;
    for (SrsBenchClientStat* c : clients) {
        if (c->state == SrsBenchClientStat::Idle) {
            continue;
        }
        if (c->steady_at > 0) {
            kbps.push_back(c->steady_kbps(now));
        } else if (c->state == SrsBenchClientStat::Failed) {
            kbps.push_back(0);
        }
    }
    double sum = 0;
    for (double v : kbps) {
        sum += v;
    }
    row.agg_kbps = sum;
    row.kbps_clients = (int)kbps.size();
    row.kbps_min = srs_bench_percentile(kbps, 0);
    row.kbps_median = srs_bench_percentile(kbps, 50);
    row.kbps_p5 = srs_bench_percentile(kbps, 5);
    return row;
}

std::string SrsBenchReport::format(const SrsBenchRow& r, bool with_lag) {
    std::string s = srs_fmt(
        "[%s %6.1fs] clients=%d connected=%d alive=%d failed=%d no_media=%d agg=%.2fMbps "
        "kbps(min/p5/median)=%.0f/%.0f/%.0f over %d connect_ms(median/p95/max)=%.0f/%.0f/%.0f",
        r.final_row ? "final" : "stat", r.elapsed_s, r.clients, r.connected, r.alive, r.failed, r.no_media,
        r.agg_kbps / 1000.0, r.kbps_min, r.kbps_p5, r.kbps_median, r.kbps_clients, r.connect_ms_median,
        r.connect_ms_p95, r.connect_ms_max);
    if (with_lag) {
        s += srs_fmt(" lag_ms(median/p95/p99/max)=%lld/%lld/%lld/%lld n=%lld", (long long)r.lag_ms_median,
                     (long long)r.lag_ms_p95, (long long)r.lag_ms_p99, (long long)r.lag_ms_max,
                     (long long)r.lag_samples);
    }
    return s;
}

std::string SrsBenchReport::to_json(const SrsBenchRow& r, const std::string& type) {
    nlohmann::ordered_json j;
    j["srs_bench"] = r.final_row ? "final" : "interval";
    j["type"] = type;
    j["elapsed_s"] = std::round(r.elapsed_s * 10) / 10;
    j["clients"] = r.clients;
    j["connected"] = r.connected;
    j["alive"] = r.alive;
    j["failed"] = r.failed;
    j["no_media"] = r.no_media;
    j["agg_kbps"] = std::round(r.agg_kbps);
    j["kbps_clients"] = r.kbps_clients;
    j["kbps_min"] = std::round(r.kbps_min);
    j["kbps_p5"] = std::round(r.kbps_p5);
    j["kbps_median"] = std::round(r.kbps_median);
    j["connect_ms_median"] = std::round(r.connect_ms_median);
    j["connect_ms_p95"] = std::round(r.connect_ms_p95);
    j["connect_ms_max"] = std::round(r.connect_ms_max);
    j["lag_samples"] = r.lag_samples;
    j["lag_ms_median"] = r.lag_ms_median;
    j["lag_ms_p95"] = r.lag_ms_p95;
    j["lag_ms_p99"] = r.lag_ms_p99;
    j["lag_ms_max"] = r.lag_ms_max;
    return j.dump();
}
