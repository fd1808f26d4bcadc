// The small IO interfaces protocols are written against, so tests and fuzzers can feed
// bytes without sockets.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_time.hpp>

#include <sys/uio.h>

// Reads bytes.
class ISrsReader {
public:
    virtual ~ISrsReader() = default;
    // Reads up to size bytes; at least one unless an error is returned.
    virtual srs_error_t read(void* buf, size_t size, ssize_t* nread) = 0;
};

// Reads exactly the bytes asked for.
class ISrsFullReader : public ISrsReader {
public:
    virtual srs_error_t read_fully(void* buf, size_t size, ssize_t* nread) = 0;
};

// Writes bytes, whole buffers or scatter-gather.
class ISrsWriter {
public:
    virtual ~ISrsWriter() = default;
    virtual srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) = 0;
    virtual srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) = 0;
};

// Timeouts and byte counters of a connection.
class ISrsIoStat {
public:
    virtual ~ISrsIoStat() = default;
    virtual void set_recv_timeout(srs_utime_t tm) = 0;
    virtual srs_utime_t get_recv_timeout() = 0;
    virtual void set_send_timeout(srs_utime_t tm) = 0;
    virtual srs_utime_t get_send_timeout() = 0;
    virtual int64_t get_recv_bytes() = 0;
    virtual int64_t get_send_bytes() = 0;
};

// What a protocol needs from a connection.
class ISrsProtocolReadWriter : public ISrsFullReader, public ISrsWriter, public ISrsIoStat {
public:
    virtual ~ISrsProtocolReadWriter() = default;
};
