#include <srs_app_conn.hpp>

#include <srs_core_log.hpp>

#include <malloc.h>

#include <algorithm>

SrsConnectionManager::SrsConnectionManager() = default;

SrsConnectionManager::~SrsConnectionManager() {
    if (trd_) {
        trd_->stop();
    }
    // Connections stop their coroutines in their destructors.
    expire_all();
    zombies_.clear();
    by_cid_.clear();
    conns_.clear();
}

srs_error_t SrsConnectionManager::start() {
    trd_ = std::make_unique<SrsCoroutine>("manager", this);
    return trd_->start();
}

srs_error_t SrsConnectionManager::add(std::unique_ptr<ISrsConnection> conn) {
    ISrsConnection* c = conn.get();
    conns_[c] = std::move(conn);
    by_cid_[c->cid()] = c;
    srs_error_t err = c->start();
    if (err) {
        by_cid_.erase(c->cid());
        conns_.erase(c);
        return srs_error_wrap(err, "start %s connection", c->desc());
    }
    return srs_success;
}

void SrsConnectionManager::remove(ISrsConnection* conn) {
    if (!conns_.count(conn)) {
        return;
    }
    if (std::find(zombies_.begin(), zombies_.end(), conn) != zombies_.end()) {
        return;
    }
    zombies_.push_back(conn);
    cond_.signal();
}

ISrsConnection* SrsConnectionManager::find(const std::string& cid) const {
    auto it = by_cid_.find(cid);
    if (it == by_cid_.end()) {
        return nullptr;
    }
    // A connection waiting to be disposed is already gone for its users.
    if (std::find(zombies_.begin(), zombies_.end(), it->second) != zombies_.end()) {
        return nullptr;
    }
    return it->second;
}

void SrsConnectionManager::expire_all() {
    for (auto& kv : conns_) {
        kv.first->expire();
    }
}

void SrsConnectionManager::expire_and_wait(srs_utime_t timeout) {
    expire_all();
    srs_utime_t deadline = srs_update_system_time() + timeout;
    while (!conns_.empty() && srs_update_system_time() < deadline) {
        dispose();
        if (!conns_.empty()) {
            srs_usleep(10 * SRS_UTIME_MILLISECONDS);
        }
    }
    dispose();
}

void SrsConnectionManager::subscribe(ISrsDisposingHandler* h) {
    if (std::find(handlers_.begin(), handlers_.end(), h) == handlers_.end()) {
        handlers_.push_back(h);
    }
}

void SrsConnectionManager::unsubscribe(ISrsDisposingHandler* h) {
    handlers_.erase(std::remove(handlers_.begin(), handlers_.end(), h), handlers_.end());
}

void SrsConnectionManager::dispose() {
    // Destroying a connection may yield (joining its coroutine), during which more
    // connections may ask to be removed: take the batch first.
    while (!zombies_.empty()) {
        std::vector<ISrsConnection*> batch;
        batch.swap(zombies_);
        for (ISrsConnection* c : batch) {
            for (ISrsDisposingHandler* h : handlers_) {
                h->on_disposing(c);
            }
            auto it = by_cid_.find(c->cid());
            if (it != by_cid_.end() && it->second == c) {
                by_cid_.erase(it);
            }
            std::unique_ptr<ISrsConnection> owned = std::move(conns_[c]);
            conns_.erase(c);
            owned.reset();
        }
    }
}

srs_error_t SrsConnectionManager::cycle() {
    srs_error_t err = srs_success;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_error_wrap(err, "connection manager");
        }
        if (zombies_.empty()) {
            cond_.wait(SRS_UTIME_SECONDS);
        }
        dispose();
        trim_heap();
    }
    return err;
}

void SrsConnectionManager::trim_heap() {
    if (!trim_wanted_ || !zombies_.empty()) {
        return;
    }
    srs_utime_t now = srs_update_system_time();
    if (now - last_trim_ < SRS_CONN_TRIM_INTERVAL) {
        return;
    }
    trim_wanted_ = false;
    last_trim_ = now;
    // glibc keeps freed heap: at the top up to twice its mmap threshold (which a freed large
    // buffer raises, up to 32 MiB), and anywhere below the top. malloc_trim gives back every
    // whole free page, as SrsLiveSourceManager::sweep does after streams end.
    malloc_trim(0);
}
