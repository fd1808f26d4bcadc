// Thin C++ wrappers over State Threads: init with epoll, coroutines, sync, sockets.
// This file and its .cpp are the only place that calls ST directly.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_core_time.hpp>

#include <cstdint>
#include <string>

typedef void* srs_netfd_t;

// Selects epoll and initializes ST; fails when epoll is unavailable.
srs_error_t srs_st_init();
// The name of the event system ST runs on ("epoll").
const char* srs_st_eventsys_name();

// Sleeps the current coroutine; returns early when it is interrupted.
void srs_usleep(srs_utime_t duration);

// Owns a socket registered with ST; closes it on destruction.
class SrsNetFd {
public:
    SrsNetFd() = default;
    explicit SrsNetFd(srs_netfd_t fd) : fd_(fd) {}
    ~SrsNetFd();
    SrsNetFd(SrsNetFd&& o) noexcept : fd_(o.fd_) { o.fd_ = nullptr; }
    SrsNetFd& operator=(SrsNetFd&& o) noexcept;
    SRS_DISALLOW_COPY(SrsNetFd);

    srs_netfd_t get() const { return fd_; }
    // The OS file descriptor, -1 when empty.
    int osfd() const;
    bool empty() const { return fd_ == nullptr; }
    void close();

private:
    srs_netfd_t fd_ = nullptr;
};

// Registers an already open descriptor (a pipe, a socket) with ST; takes ownership.
srs_error_t srs_netfd_open(int osfd, SrsNetFd* out);
// Opens a listening TCP socket on ip:port (IPv4 or IPv6; "0.0.0.0" or "::" for any).
srs_error_t srs_tcp_listen(const std::string& ip, int port, SrsNetFd* out);
// Accepts a connection; the timeout may be SRS_UTIME_NO_TIMEOUT.
srs_error_t srs_tcp_accept(const SrsNetFd& lfd, srs_utime_t timeout, SrsNetFd* out);
// Connects to host:port within the timeout.
srs_error_t srs_tcp_connect(const std::string& host, int port, srs_utime_t timeout, SrsNetFd* out);
// The local port a socket is bound to (useful after listening on port 0).
int srs_socket_local_port(const SrsNetFd& fd);
// The peer's address as text and its port.
std::string srs_socket_peer_ip(const SrsNetFd& fd);
// The local address of a connected socket (the address the peer reached us at), "" on error.
std::string srs_socket_local_ip(const SrsNetFd& fd);
int srs_socket_peer_port(const SrsNetFd& fd);
srs_error_t srs_socket_set_nodelay(const SrsNetFd& fd, bool enabled);
srs_error_t srs_socket_set_sndbuf(const SrsNetFd& fd, int size);
// SO_SNDBUF of an OS descriptor: Linux doubles size (room for its bookkeeping) and stops
// autotuning the buffer of that socket.
srs_error_t srs_socket_set_sndbuf(int osfd, int size);
// The send buffer the kernel allows the socket (the doubled value), -1 on error.
int srs_socket_get_sndbuf(int osfd);

// A socket as a protocol reader/writer, with timeouts and byte counters. Does not own
// the socket.
class SrsStSocket : public ISrsProtocolReadWriter {
public:
    explicit SrsStSocket(const SrsNetFd& fd);
    ~SrsStSocket() override = default;
    SRS_DISALLOW_COPY(SrsStSocket);

public:
    void set_recv_timeout(srs_utime_t tm) override { rtm_ = tm; }
    srs_utime_t get_recv_timeout() override { return rtm_; }
    void set_send_timeout(srs_utime_t tm) override { stm_ = tm; }
    srs_utime_t get_send_timeout() override { return stm_; }
    int64_t get_recv_bytes() override { return rbytes_; }
    int64_t get_send_bytes() override { return sbytes_; }
    srs_error_t read(void* buf, size_t size, ssize_t* nread) override;
    srs_error_t read_fully(void* buf, size_t size, ssize_t* nread) override;
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override;
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override;
    // Whether a read would return at once (data, the end of the stream or an error), asked of
    // the kernel without yielding: for a coroutine that reads only between its sends.
    bool readable_now() const;
    // The OS descriptor, for socket options.
    int osfd() const;

private:
    srs_netfd_t fd_;
    srs_utime_t rtm_ = SRS_UTIME_NO_TIMEOUT;
    srs_utime_t stm_ = SRS_UTIME_NO_TIMEOUT;
    int64_t rbytes_ = 0;
    int64_t sbytes_ = 0;
};

// Keeps what the kernel holds for a player to under a second of its stream. Linux autotunes a
// send buffer up to tcp_wmem's max (4 MiB, 36 s of a 0.9 Mbit/s stream): a player that stops
// reading would find all of that still waiting when it resumes, stale, on top of the queue
// (play.queue_length) that bounds what we keep for it ourselves. The size follows the bitrate
// the player is sent at (bytes per second of media, measured over a few seconds), with a floor
// so that a low bitrate still goes out in few large writes, and is set only when it moved by a
// quarter: a setsockopt now and then, nothing per message.
class SrsSendBufferSizer {
public:
    // The least and the most the kernel may hold.
    static constexpr int kFloor = 64 * 1024;
    static constexpr int kCeiling = 4 * 1024 * 1024;
    // The media time the kernel may hold: two merged writes (play.mw_latency), so that one
    // batch drains while the next is collected, and at least this much. The buffer also bounds
    // the rate a long path carries (a buffer of W seconds of media keeps up up to an RTT near
    // W), so it is not made smaller.
    static constexpr srs_utime_t kMinWindow = 500 * SRS_UTIME_MILLISECONDS;

    // The socket's OS descriptor (SrsStSocket::osfd()).
    explicit SrsSendBufferSizer(int osfd) : osfd_(osfd) {}
    SRS_DISALLOW_COPY(SrsSendBufferSizer);

    // The player's merge window (the longest it waits to write a batch); resizes at the next
    // estimate.
    void set_merge_window(srs_utime_t v);
    // After a batch was written: the bytes written to the socket so far (its counter) and the
    // timestamp (ms) of the batch's last message.
    void on_sent(int64_t bytes, int64_t timestamp_ms);
    // The bytes the kernel was asked to hold, 0 before the first estimate.
    int size() const { return size_; }
    // The bitrate measured, bytes per second of media; 0 before the first estimate.
    int64_t byte_rate() const { return rate_; }
    // The target size at a bitrate for a window: the rate times the window, within the bounds.
    static int target(int64_t byte_rate, srs_utime_t window);

private:
    void resize();

    int osfd_;
    srs_utime_t window_ = kMinWindow;
    int64_t last_ts_ = -1;
    // Media time and bytes since the last estimate.
    int64_t media_ms_ = 0;
    int64_t bytes_start_ = -1;
    int64_t rate_ = 0;
    int size_ = 0;
};

// The body of a coroutine.
class ISrsCoroutineHandler {
public:
    virtual ~ISrsCoroutineHandler() = default;
    // Runs until done, interrupted or failed; should check SrsCoroutine::pull() in loops.
    virtual srs_error_t cycle() = 0;
};

// A joinable coroutine running a handler's cycle. stop() interrupts and joins it; the
// destructor stops it, so a coroutine never outlives its owner.
class SrsCoroutine {
public:
    // cid: the context id of the coroutine; empty inherits the creator's.
    SrsCoroutine(const std::string& name, ISrsCoroutineHandler* handler, const std::string& cid = "");
    ~SrsCoroutine();
    SRS_DISALLOW_COPY(SrsCoroutine);

public:
    // 64 KiB by default: stacks are mmap'ed and only touched pages cost memory.
    void set_stack_size(int size) { stack_size_ = size; }
    srs_error_t start();
    // Interrupts and waits for the cycle to end. Not to be called from the coroutine itself.
    void stop();
    // Wakes the coroutine from any blocking call; pull() fails from then on.
    void interrupt();
    // Fails when the coroutine was interrupted or its cycle ended.
    srs_error_t pull();
    const std::string& cid() const { return cid_; }
    void set_cid(const std::string& cid);
    bool running() const { return started_ && !cycle_done_; }
    // Gives the pages of this coroutine's stack below the caller's frame back to the OS.
    // For the running coroutine only: see srs_coroutine_trim_stack.
    void trim_stack();

private:
    static void* pfn(void* arg);
    void run();

    std::string name_;
    ISrsCoroutineHandler* handler_;
    std::string cid_;
    void* trd_ = nullptr;
    int stack_size_ = 64 * 1024;
    bool started_ = false;
    bool interrupted_ = false;
    bool cycle_done_ = false;
    bool joined_ = false;
    srs_error_t cycle_err_;
    // An address near the top of the stack (run()'s frame), for trim_stack.
    uintptr_t stack_top_ = 0;
};

// For a coroutine about to spend its life in a shallow loop after a deep setup (a player
// after handshake, connect and play): the stack pages below the current frame hold only dead
// frames, yet stay resident (only touched pages cost memory, and setup touched most of them).
// Drops them (madvise MADV_DONTNEED, zero-filled if touched again). Nothing outside an
// SrsCoroutine.
void srs_coroutine_trim_stack();

// Whether the coroutine running this code (an SrsCoroutine) was interrupted: a kick or a
// quit. For code deep inside a connection's cycle that has no handle on its coroutine, such
// as an HTTP handler streaming a live response: ST clears its interrupt flag once a blocking
// call returned EINTR, so a loop must ask here to notice. Success outside any SrsCoroutine.
srs_error_t srs_coroutine_pull_current();

// A condition variable for coroutines.
class SrsCond {
public:
    SrsCond();
    ~SrsCond();
    SRS_DISALLOW_COPY(SrsCond);
    // Waits for a signal; returns false on timeout or interrupt.
    bool wait(srs_utime_t timeout = SRS_UTIME_NO_TIMEOUT);
    void signal();
    void broadcast();

private:
    void* cond_;
};

// A mutex for coroutines, for the rare section that yields and must not interleave.
class SrsMutex {
public:
    SrsMutex();
    ~SrsMutex();
    SRS_DISALLOW_COPY(SrsMutex);
    void lock();
    void unlock();

private:
    void* mutex_;
};

// Holds a SrsMutex for a scope.
class SrsLocker {
public:
    explicit SrsLocker(SrsMutex& m) : m_(m) { m_.lock(); }
    ~SrsLocker() { m_.unlock(); }
    SRS_DISALLOW_COPY(SrsLocker);

private:
    SrsMutex& m_;
};
