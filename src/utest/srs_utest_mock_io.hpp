// An in-memory connection for protocol tests and fuzzers: reads come from a byte string,
// writes are captured. Header-only and free of gtest and ST, so fuzz targets use it too.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>

#include <algorithm>
#include <cstring>
#include <string>

class SrsMockIo : public ISrsProtocolReadWriter {
public:
    SrsMockIo() = default;
    explicit SrsMockIo(std::string input) : in_(std::move(input)) {}

public:
    // Bytes for later reads.
    void append(const std::string& s) { in_.append(s); }
    void append(const void* p, size_t n) { in_.append((const char*)p, n); }
    // At most n bytes per read (0: no limit), like a socket that delivers in pieces.
    void set_read_limit(size_t n) { read_limit_ = n; }
    // At most n bytes per write/writev (0: no limit), like a partial send.
    void set_write_limit(size_t n) { write_limit_ = n; }
    // When the input is used up, reads fail with a timeout instead of "peer closed".
    void set_timeout_at_eof(bool v) { timeout_at_eof_ = v; }
    // Writes fail once this many bytes were written (-1: never).
    void set_write_fail_after(int64_t n) { write_fail_after_ = n; }

    // What was written.
    const std::string& output() const { return out_; }
    // Takes what was written so far.
    std::string take_output() {
        std::string s;
        s.swap(out_);
        return s;
    }
    // Input bytes not read yet.
    size_t unread() const { return in_.size() - rpos_; }
    int nb_reads() const { return nb_reads_; }
    int nb_writes() const { return nb_writes_; }
    int nb_writevs() const { return nb_writevs_; }

public:
    void set_recv_timeout(srs_utime_t tm) override { rtm_ = tm; }
    srs_utime_t get_recv_timeout() override { return rtm_; }
    void set_send_timeout(srs_utime_t tm) override { stm_ = tm; }
    srs_utime_t get_send_timeout() override { return stm_; }
    int64_t get_recv_bytes() override { return rbytes_; }
    int64_t get_send_bytes() override { return sbytes_; }

    srs_error_t read(void* buf, size_t size, ssize_t* nread) override {
        nb_reads_++;
        size_t left = in_.size() - rpos_;
        if (left == 0) {
            return eof_error();
        }
        size_t n = std::min(size, left);
        if (read_limit_ > 0) {
            n = std::min(n, read_limit_);
        }
        memcpy(buf, in_.data() + rpos_, n);
        rpos_ += n;
        rbytes_ += (int64_t)n;
        if (nread) {
            *nread = (ssize_t)n;
        }
        return srs_success;
    }

    srs_error_t read_fully(void* buf, size_t size, ssize_t* nread) override {
        nb_reads_++;
        size_t left = in_.size() - rpos_;
        if (left < size) {
            // Like a socket: what arrived is consumed, then the peer is gone.
            rpos_ = in_.size();
            rbytes_ += (int64_t)left;
            return eof_error();
        }
        memcpy(buf, in_.data() + rpos_, size);
        rpos_ += size;
        rbytes_ += (int64_t)size;
        if (nread) {
            *nread = (ssize_t)size;
        }
        return srs_success;
    }

    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        nb_writes_++;
        iovec iov{const_cast<void*>(buf), size};
        return do_write(&iov, 1, nwrite);
    }

    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override {
        nb_writevs_++;
        return do_write(iov, iov_size, nwrite);
    }

private:
    srs_error_t eof_error() {
        if (timeout_at_eof_) {
            return srs_error_new(ERROR_SOCKET_TIMEOUT, "mock read timeout %d ms", (int)(rtm_ / 1000));
        }
        return srs_error_new(ERROR_SOCKET_READ, "mock read: peer closed");
    }

    srs_error_t do_write(const iovec* iov, int iov_size, ssize_t* nwrite) {
        size_t limit = write_limit_ > 0 ? write_limit_ : (size_t)-1;
        size_t total = 0;
        for (int i = 0; i < iov_size && total < limit; i++) {
            size_t n = std::min(iov[i].iov_len, limit - total);
            if (write_fail_after_ >= 0 && sbytes_ + (int64_t)(total + n) > write_fail_after_) {
                return srs_error_new(ERROR_SOCKET_WRITE, "mock write failed");
            }
            out_.append((const char*)iov[i].iov_base, n);
            total += n;
        }
        sbytes_ += (int64_t)total;
        if (nwrite) {
            *nwrite = (ssize_t)total;
        }
        return srs_success;
    }

private:
    std::string in_;
    size_t rpos_ = 0;
    std::string out_;
    size_t read_limit_ = 0;
    size_t write_limit_ = 0;
    bool timeout_at_eof_ = false;
    int64_t write_fail_after_ = -1;
    srs_utime_t rtm_ = SRS_UTIME_NO_TIMEOUT;
    srs_utime_t stm_ = SRS_UTIME_NO_TIMEOUT;
    int64_t rbytes_ = 0;
    int64_t sbytes_ = 0;
    int nb_reads_ = 0;
    int nb_writes_ = 0;
    int nb_writevs_ = 0;
};
