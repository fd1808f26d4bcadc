#include <srs_app_http_ts_cache.hpp>

#include <srs_core_log.hpp>

namespace {
// Expired entries are dropped every this many inserts: a few seconds of a stream, well
// under a GOP cache's worth of entries kept beyond their time.
const int kSweepInterval = 256;
}  // namespace

SrsTsStreamCache::SrsTsStreamCache() : muxer_(this) {}

void SrsTsStreamCache::on_message(const SrsMediaMessage& msg) {
    if (!msg.payload || !msg.is_av()) {
        return;
    }
    pending_.clear();
    srs_error_t err = muxer_.write_message(msg);
    if (err != srs_success) {
        srs_warn("http-ts: drop message at %lld: %s", (long long)msg.timestamp, srs_error_summary(err).c_str());
        srs_error_reset(err);
        return;
    }
    if (pending_.empty()) {
        return;
    }
    Entry& e = entries_[msg.payload.get()];
    e.message = msg.payload;
    e.ts = std::make_shared<SrsSharedPayload>(pending_.data(), (int)pending_.size());
    if (++inserts_since_sweep_ >= kSweepInterval) {
        sweep();
    }
}

std::shared_ptr<SrsSharedPayload> SrsTsStreamCache::find(const SrsMediaMessage& msg) const {
    auto it = entries_.find(msg.payload.get());
    // An expired entry's address may have been reused by a newer payload not muxed here.
    if (it == entries_.end() || it->second.message.expired()) {
        return nullptr;
    }
    return it->second.ts;
}

srs_error_t SrsTsStreamCache::write(const void* buf, size_t size, ssize_t* nwrite) {
    pending_.append((const char*)buf, size);
    if (nwrite) {
        *nwrite = (ssize_t)size;
    }
    return srs_success;
}

srs_error_t SrsTsStreamCache::writev(const iovec* iov, int iov_size, ssize_t* nwrite) {
    ssize_t n = 0;
    for (int i = 0; i < iov_size; i++) {
        pending_.append((const char*)iov[i].iov_base, iov[i].iov_len);
        n += (ssize_t)iov[i].iov_len;
    }
    if (nwrite) {
        *nwrite = n;
    }
    return srs_success;
}

void SrsTsStreamCache::sweep() {
    inserts_since_sweep_ = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->second.message.expired()) {
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
}
