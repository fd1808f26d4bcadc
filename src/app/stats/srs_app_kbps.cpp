#include <srs_app_kbps.hpp>

#include <cassert>

SrsRateWindow::SrsRateWindow(srs_utime_t window, srs_utime_t spacing) : window_(window), spacing_(spacing) {
    assert(spacing_ > 0 && window_ / spacing_ <= kCapacity - 2);
}

void SrsRateWindow::sample(srs_utime_t now, int64_t bytes) {
    last_.at = now;
    last_.bytes = bytes;
    has_last_ = true;

    if (size_ > 0) {
        const Point& newest = ring_[(head_ + size_ - 1) % kCapacity];
        if (now - newest.at < spacing_) {
            return;
        }
    }
    if (size_ == kCapacity) {
        head_ = (head_ + 1) % kCapacity;
        size_--;
    }
    ring_[(head_ + size_) % kCapacity] = last_;
    size_++;
}

int SrsRateWindow::kbps() const {
    if (!has_last_) {
        return 0;
    }
    // The ring is in time order: the first point inside the window is the oldest usable one.
    for (int i = 0; i < size_; i++) {
        const Point& p = ring_[(head_ + i) % kCapacity];
        if (last_.at - p.at > window_) {
            continue;
        }
        srs_utime_t dt = last_.at - p.at;
        if (dt <= 0) {
            return 0;
        }
        // bytes * 8 bits / (dt / 1000 ms) = kilobits per second.
        return (int)((last_.bytes - p.bytes) * 8 * 1000 / dt);
    }
    return 0;
}

SrsKbps::SrsKbps(srs_utime_t now)
    : recv_30s_(30 * SRS_UTIME_SECONDS, 5 * SRS_UTIME_SECONDS),
      send_30s_(30 * SRS_UTIME_SECONDS, 5 * SRS_UTIME_SECONDS) {
    sample(now);
}

void SrsKbps::sample(srs_utime_t now) {
    recv_30s_.sample(now, recv_bytes_);
    send_30s_.sample(now, send_bytes_);
}

SrsSampler::SrsSampler(srs_utime_t interval) : interval_(interval) {}

SrsSampler::~SrsSampler() {
    stop();
}

void SrsSampler::add(ISrsSampled* target) {
    targets_.push_back(target);
}

srs_error_t SrsSampler::start() {
    trd_ = std::make_unique<SrsCoroutine>("sampler", this);
    return trd_->start();
}

void SrsSampler::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
}

void SrsSampler::tick() {
    srs_utime_t now = srs_update_system_time();
    for (ISrsSampled* t : targets_) {
        t->sample(now);
    }
}

srs_error_t SrsSampler::cycle() {
    srs_error_t err;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_success;
        }
        tick();
        srs_usleep(interval_);
    }
}
