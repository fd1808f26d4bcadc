#include <srs_core_st.hpp>

#include <srs_core_log.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <st.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {

st_utime_t srs_st_timeout(srs_utime_t tm) {
    return tm == SRS_UTIME_NO_TIMEOUT ? ST_UTIME_NO_TIMEOUT : (st_utime_t)tm;
}

st_netfd_t srs_st(srs_netfd_t fd) {
    return static_cast<st_netfd_t>(fd);
}

}  // namespace

srs_error_t srs_st_init() {
    // epoll is the only event system we accept: select/poll cap connections near 1024 and
    // cost O(n) per scheduler loop.
    if (st_set_eventsys(ST_EVENTSYS_ALT) == -1) {
        return srs_error_new(ERROR_ST_SET_EPOLL, "st_set_eventsys(epoll) failed; epoll is required");
    }
    if (strcmp(st_get_eventsys_name(), "epoll") != 0) {
        return srs_error_new(ERROR_ST_SET_EPOLL, "ST runs on %s, epoll is required", st_get_eventsys_name());
    }
    if (st_init() != 0) {
        return srs_error_new(ERROR_ST_INITIALIZE, "st_init failed");
    }
    srs_context_init();
    srs_update_system_time();
    return srs_success;
}

const char* srs_st_eventsys_name() {
    return st_get_eventsys_name();
}

void srs_usleep(srs_utime_t duration) {
    st_usleep(srs_st_timeout(duration));
    srs_update_system_time();
}

SrsNetFd::~SrsNetFd() {
    close();
}

SrsNetFd& SrsNetFd::operator=(SrsNetFd&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = o.fd_;
        o.fd_ = nullptr;
    }
    return *this;
}

int SrsNetFd::osfd() const {
    return fd_ ? st_netfd_fileno(srs_st(fd_)) : -1;
}

void SrsNetFd::close() {
    if (fd_) {
        // st_netfd_close also wakes any coroutine blocked on this fd in other code paths
        // only if they are interrupted first; callers stop readers before closing.
        st_netfd_close(srs_st(fd_));
        fd_ = nullptr;
    }
}

namespace {

srs_error_t srs_resolve(const std::string& host, int port, bool passive, addrinfo** out) {
    addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    std::string sport = std::to_string(port);
    int r = getaddrinfo(host.empty() ? nullptr : host.c_str(), sport.c_str(), &hints, out);
    if (r != 0) {
        return srs_error_new(ERROR_SYSTEM_DNS_RESOLVE, "getaddrinfo %s:%d: %s", host.c_str(), port, gai_strerror(r));
    }
    return srs_success;
}

}  // namespace

srs_error_t srs_netfd_open(int osfd, SrsNetFd* out) {
    st_netfd_t stfd = st_netfd_open(osfd);
    if (!stfd) {
        return srs_error_new(ERROR_ST_OPEN_SOCKET, "st open fd %d", osfd);
    }
    *out = SrsNetFd(stfd);
    return srs_success;
}

srs_error_t srs_tcp_listen(const std::string& ip, int port, SrsNetFd* out) {
    addrinfo* ai = nullptr;
    srs_error_t err = srs_resolve(ip, port, true, &ai);
    if (err) {
        return srs_error_wrap(err, "listen");
    }
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(ai, freeaddrinfo);

    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        return srs_error_new(ERROR_SOCKET_CREATE, "socket for %s:%d", ip.c_str(), port);
    }
    int v = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)) < 0) {
        ::close(fd);
        return srs_error_new(ERROR_SOCKET_SETREUSE, "SO_REUSEADDR %s:%d", ip.c_str(), port);
    }
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        ::close(fd);
        return srs_error_new(ERROR_SOCKET_BIND, "bind %s:%d", ip.c_str(), port);
    }
    if (::listen(fd, 1024) < 0) {
        ::close(fd);
        return srs_error_new(ERROR_SOCKET_LISTEN, "listen %s:%d", ip.c_str(), port);
    }
    st_netfd_t stfd = st_netfd_open_socket(fd);
    if (!stfd) {
        ::close(fd);
        return srs_error_new(ERROR_ST_OPEN_SOCKET, "st open %s:%d", ip.c_str(), port);
    }
    *out = SrsNetFd(stfd);
    return srs_success;
}

srs_error_t srs_tcp_accept(const SrsNetFd& lfd, srs_utime_t timeout, SrsNetFd* out) {
    st_netfd_t cfd = st_accept(srs_st(lfd.get()), nullptr, nullptr, srs_st_timeout(timeout));
    if (!cfd) {
        if (errno == ETIME) {
            return srs_error_new(ERROR_SOCKET_TIMEOUT, "accept timeout");
        }
        if (errno == EINTR) {
            return srs_error_new(ERROR_THREAD_INTERRUPED, "accept interrupted");
        }
        return srs_error_new(ERROR_SOCKET_CREATE, "accept");
    }
    // Accepted sockets inherit nothing useful; close on exec so children (ffmpeg) never
    // hold client connections.
    int osfd = st_netfd_fileno(cfd);
    fcntl(osfd, F_SETFD, fcntl(osfd, F_GETFD) | FD_CLOEXEC);
    *out = SrsNetFd(cfd);
    return srs_success;
}

srs_error_t srs_tcp_connect(const std::string& host, int port, srs_utime_t timeout, SrsNetFd* out) {
    addrinfo* ai = nullptr;
    srs_error_t err = srs_resolve(host, port, false, &ai);
    if (err) {
        return srs_error_wrap(err, "connect");
    }
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(ai, freeaddrinfo);

    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        return srs_error_new(ERROR_SOCKET_CREATE, "socket for %s:%d", host.c_str(), port);
    }
    st_netfd_t stfd = st_netfd_open_socket(fd);
    if (!stfd) {
        ::close(fd);
        return srs_error_new(ERROR_ST_OPEN_SOCKET, "st open for %s:%d", host.c_str(), port);
    }
    SrsNetFd conn(stfd);
    if (st_connect(stfd, ai->ai_addr, ai->ai_addrlen, srs_st_timeout(timeout)) != 0) {
        if (errno == ETIME) {
            return srs_error_new(ERROR_SOCKET_TIMEOUT, "connect %s:%d timeout", host.c_str(), port);
        }
        return srs_error_new(ERROR_ST_CONNECT, "connect %s:%d", host.c_str(), port);
    }
    *out = std::move(conn);
    return srs_success;
}

int srs_socket_local_port(const SrsNetFd& fd) {
    sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    if (getsockname(fd.osfd(), (sockaddr*)&addr, &len) != 0) {
        return 0;
    }
    if (addr.ss_family == AF_INET6) {
        return ntohs(((sockaddr_in6*)&addr)->sin6_port);
    }
    return ntohs(((sockaddr_in*)&addr)->sin_port);
}

namespace {

// The address of one end of a socket: getsockname or getpeername.
std::string srs_socket_ip(const SrsNetFd& fd, int (*get)(int, sockaddr*, socklen_t*)) {
    sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    if (get(fd.osfd(), (sockaddr*)&addr, &len) != 0) {
        return "";
    }
    char buf[INET6_ADDRSTRLEN] = {0};
    if (addr.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((sockaddr_in6*)&addr)->sin6_addr, buf, sizeof(buf));
    } else {
        inet_ntop(AF_INET, &((sockaddr_in*)&addr)->sin_addr, buf, sizeof(buf));
    }
    return buf;
}

}  // namespace

std::string srs_socket_peer_ip(const SrsNetFd& fd) {
    return srs_socket_ip(fd, getpeername);
}

std::string srs_socket_local_ip(const SrsNetFd& fd) {
    return srs_socket_ip(fd, getsockname);
}

int srs_socket_peer_port(const SrsNetFd& fd) {
    sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    if (getpeername(fd.osfd(), (sockaddr*)&addr, &len) != 0) {
        return 0;
    }
    if (addr.ss_family == AF_INET6) {
        return ntohs(((sockaddr_in6*)&addr)->sin6_port);
    }
    return ntohs(((sockaddr_in*)&addr)->sin_port);
}

srs_error_t srs_socket_set_nodelay(const SrsNetFd& fd, bool enabled) {
    int v = enabled ? 1 : 0;
    if (setsockopt(fd.osfd(), IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)) < 0) {
        return srs_error_new(ERROR_SOCKET_CREATE, "TCP_NODELAY=%d", v);
    }
    return srs_success;
}

srs_error_t srs_socket_set_sndbuf(const SrsNetFd& fd, int size) {
    return srs_socket_set_sndbuf(fd.osfd(), size);
}

srs_error_t srs_socket_set_sndbuf(int osfd, int size) {
    if (setsockopt(osfd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) < 0) {
        return srs_error_new(ERROR_SOCKET_CREATE, "SO_SNDBUF=%d", size);
    }
    return srs_success;
}

int srs_socket_get_sndbuf(int osfd) {
    int v = 0;
    socklen_t len = sizeof(v);
    if (getsockopt(osfd, SOL_SOCKET, SO_SNDBUF, &v, &len) < 0) {
        return -1;
    }
    return v;
}

SrsStSocket::SrsStSocket(const SrsNetFd& fd) : fd_(fd.get()) {}

int SrsStSocket::osfd() const {
    return fd_ ? st_netfd_fileno(srs_st(fd_)) : -1;
}

namespace {

srs_error_t srs_io_error(int code, const char* what, srs_utime_t tm) {
    if (errno == ETIME) {
        return srs_error_new(ERROR_SOCKET_TIMEOUT, "%s timeout %d ms", what, srsu2msi(tm));
    }
    if (errno == EINTR) {
        return srs_error_new(ERROR_THREAD_INTERRUPED, "%s interrupted", what);
    }
    return srs_error_new(code, "%s", what);
}

}  // namespace

srs_error_t SrsStSocket::read(void* buf, size_t size, ssize_t* nread) {
    ssize_t nb = st_read(srs_st(fd_), buf, size, srs_st_timeout(rtm_));
    if (nb <= 0) {
        if (nb == 0) {
            errno = ECONNRESET;
            return srs_error_new(ERROR_SOCKET_READ, "read: peer closed");
        }
        return srs_io_error(ERROR_SOCKET_READ, "read", rtm_);
    }
    rbytes_ += nb;
    if (nread) {
        *nread = nb;
    }
    return srs_success;
}

bool SrsStSocket::readable_now() const {
    pollfd pfd = {st_netfd_fileno(srs_st(fd_)), POLLIN, 0};
    return ::poll(&pfd, 1, 0) > 0 && pfd.revents != 0;
}

srs_error_t SrsStSocket::read_fully(void* buf, size_t size, ssize_t* nread) {
    ssize_t nb = st_read_fully(srs_st(fd_), buf, size, srs_st_timeout(rtm_));
    if (nb < 0) {
        return srs_io_error(ERROR_SOCKET_READ_FULLY, "read fully", rtm_);
    }
    rbytes_ += nb;
    if ((size_t)nb != size) {
        errno = ECONNRESET;
        return srs_error_new(ERROR_SOCKET_READ_FULLY, "read fully: peer closed after %d of %d bytes", (int)nb,
                             (int)size);
    }
    if (nread) {
        *nread = nb;
    }
    return srs_success;
}

srs_error_t SrsStSocket::write(const void* buf, size_t size, ssize_t* nwrite) {
    ssize_t nb = st_write(srs_st(fd_), buf, size, srs_st_timeout(stm_));
    if (nb <= 0) {
        return srs_io_error(ERROR_SOCKET_WRITE, "write", stm_);
    }
    sbytes_ += nb;
    if (nwrite) {
        *nwrite = nb;
    }
    return srs_success;
}

srs_error_t SrsStSocket::writev(const iovec* iov, int iov_size, ssize_t* nwrite) {
    ssize_t nb = st_writev(srs_st(fd_), iov, iov_size, srs_st_timeout(stm_));
    if (nb <= 0) {
        return srs_io_error(ERROR_SOCKET_WRITE, "writev", stm_);
    }
    sbytes_ += nb;
    if (nwrite) {
        *nwrite = nb;
    }
    return srs_success;
}

void SrsSendBufferSizer::set_merge_window(srs_utime_t v) {
    window_ = std::max<srs_utime_t>(kMinWindow, 2 * v);
}

int SrsSendBufferSizer::target(int64_t byte_rate, srs_utime_t window) {
    int64_t v = byte_rate * window / SRS_UTIME_SECONDS;
    return (int)std::min<int64_t>(kCeiling, std::max<int64_t>(kFloor, v));
}

void SrsSendBufferSizer::on_sent(int64_t bytes, int64_t timestamp_ms) {
    // Media time by the timestamps: a step counts at most 500 ms, so a jump (messages the
    // queue dropped for this player, a republish) does not look like a long, cheap stream.
    if (last_ts_ >= 0 && timestamp_ms > last_ts_) {
        media_ms_ += std::min<int64_t>(timestamp_ms - last_ts_, 500);
    }
    if (last_ts_ < 0 || timestamp_ms > last_ts_ || last_ts_ - timestamp_ms > 1000) {
        last_ts_ = timestamp_ms;
    }
    if (bytes_start_ < 0) {
        // The first batch (the stream's start, sent at once) opens the measure.
        bytes_start_ = bytes;
        return;
    }
    // The first estimate after a second of media, then every few seconds.
    if (media_ms_ < (rate_ ? 3000 : 1000)) {
        return;
    }
    rate_ = (bytes - bytes_start_) * 1000 / media_ms_;
    bytes_start_ = bytes;
    media_ms_ = 0;
    resize();
}

void SrsSendBufferSizer::resize() {
    int want = target(rate_, window_);
    if (size_ && std::abs(want - size_) < size_ / 4) {
        return;
    }
    // Linux doubles what is asked (for its bookkeeping, small beside our large writes).
    srs_error_t err = srs_socket_set_sndbuf(osfd_, want / 2);
    if (err != srs_success) {
        srs_warn("player send buffer %d bytes: %s", want, srs_error_summary(err).c_str());
        srs_error_reset(err);
        return;
    }
    if (!size_) {
        srs_trace("player send buffer %d bytes: %d kbps, window %d ms", want, (int)(rate_ * 8 / 1000),
                  srsu2msi(window_));
    } else {
        srs_info("player send buffer %d => %d bytes: %d kbps, window %d ms", size_, want, (int)(rate_ * 8 / 1000),
                 srsu2msi(window_));
    }
    size_ = want;
}

namespace {

// AddressSanitizer puts redzones around the locals of every frame, so a call chain needs more
// stack than in the Release build the sizes were chosen for: the sanitizer build gives each
// coroutine a 4x margin (and ST's guard pages there make an overflow fault where it happens).
int srs_coroutine_stack_size(int size) {
#if defined(__SANITIZE_ADDRESS__)
    return size * 4;
#else
    return size;
#endif
}

}  // namespace

SrsCoroutine::SrsCoroutine(const std::string& name, ISrsCoroutineHandler* handler, const std::string& cid)
    : name_(name), handler_(handler), cid_(cid.empty() ? srs_context_get() : cid) {}

SrsCoroutine::~SrsCoroutine() {
    stop();
}

srs_error_t SrsCoroutine::start() {
    if (started_) {
        return srs_error_new(ERROR_ST_CREATE_CYCLE_THREAD, "coroutine %s started twice", name_.c_str());
    }
    trd_ = st_thread_create(pfn, this, 1, srs_coroutine_stack_size(stack_size_));
    if (!trd_) {
        return srs_error_new(ERROR_ST_CREATE_CYCLE_THREAD, "create coroutine %s", name_.c_str());
    }
    started_ = true;
    return srs_success;
}

void SrsCoroutine::stop() {
    if (!started_ || joined_) {
        return;
    }
    interrupt();
    if (st_thread_self() == trd_) {
        // Stopping from inside: the cycle returns on its own and the owner joins later.
        return;
    }
    void* res = nullptr;
    st_thread_join(static_cast<st_thread_t>(trd_), &res);
    joined_ = true;
    if (cycle_err_ && !srs_is_server_gracefully_close(cycle_err_) && !srs_is_client_gracefully_close(cycle_err_)) {
        srs_warn("coroutine %s ended with error: %s", name_.c_str(), srs_error_summary(cycle_err_).c_str());
    }
    cycle_err_.reset();
}

void SrsCoroutine::interrupt() {
    if (!started_ || interrupted_ || cycle_done_) {
        interrupted_ = true;
        return;
    }
    interrupted_ = true;
    st_thread_interrupt(static_cast<st_thread_t>(trd_));
}

srs_error_t SrsCoroutine::pull() {
    if (interrupted_) {
        return srs_error_new(ERROR_THREAD_INTERRUPED, "coroutine %s interrupted", name_.c_str());
    }
    return srs_success;
}

void SrsCoroutine::set_cid(const std::string& cid) {
    cid_ = cid;
    if (started_ && st_thread_self() == trd_) {
        srs_context_set(cid);
    }
}

void* SrsCoroutine::pfn(void* arg) {
    static_cast<SrsCoroutine*>(arg)->run();
    return nullptr;
}

namespace {

// ST key of the SrsCoroutine running each ST thread; -1 until the first coroutine runs.
int& srs_coroutine_key() {
    static int key = -1;
    if (key < 0 && st_key_create(&key, nullptr) != 0) {
        key = -1;
    }
    return key;
}

}  // namespace

srs_error_t srs_coroutine_pull_current() {
    int key = srs_coroutine_key();
    SrsCoroutine* self = key >= 0 ? static_cast<SrsCoroutine*>(st_thread_getspecific(key)) : nullptr;
    return self ? self->pull() : srs_success;
}

void srs_coroutine_trim_stack() {
    int key = srs_coroutine_key();
    SrsCoroutine* self = key >= 0 ? static_cast<SrsCoroutine*>(st_thread_getspecific(key)) : nullptr;
    if (self) {
        self->trim_stack();
    }
}

void SrsCoroutine::trim_stack() {
    if (!stack_top_ || st_thread_self() != trd_) {
        return;
    }
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    // Keep what madvise's own frames (and the x86-64 red zone) use below us: the pages from
    // kTrimMargin below our frame up. Not a whole page more: the loop that called us runs
    // within a page of here for hours, and each page kept is 4 KiB per connection.
    const uintptr_t kTrimMargin = 512;
    const uintptr_t hi = (sp - kTrimMargin) & ~(page - 1);
    // ST puts the thread's bookkeeping above run()'s frame, less than a page; two pages of
    // margin keep the range inside this stack whatever ST did, however it was reused (a
    // reused stack is at least stack_size_ long).
    const uintptr_t lo = (stack_top_ - (uintptr_t)srs_coroutine_stack_size(stack_size_) + 2 * page) & ~(page - 1);
    if (hi > lo) {
        madvise((void*)lo, hi - lo, MADV_DONTNEED);
    }
}

void SrsCoroutine::run() {
    stack_top_ = (uintptr_t)__builtin_frame_address(0);
    srs_context_set(cid_);
    int key = srs_coroutine_key();
    if (key >= 0) {
        st_thread_setspecific(key, this);
    }
    cycle_err_ = handler_->cycle();
    cycle_done_ = true;
}

SrsCond::SrsCond() : cond_(st_cond_new()) {}

SrsCond::~SrsCond() {
    st_cond_destroy(static_cast<st_cond_t>(cond_));
}

bool SrsCond::wait(srs_utime_t timeout) {
    int r = st_cond_timedwait(static_cast<st_cond_t>(cond_), srs_st_timeout(timeout));
    srs_update_system_time();
    return r == 0;
}

void SrsCond::signal() {
    st_cond_signal(static_cast<st_cond_t>(cond_));
}

void SrsCond::broadcast() {
    st_cond_broadcast(static_cast<st_cond_t>(cond_));
}

SrsMutex::SrsMutex() : mutex_(st_mutex_new()) {}

SrsMutex::~SrsMutex() {
    st_mutex_destroy(static_cast<st_mutex_t>(mutex_));
}

void SrsMutex::lock() {
    st_mutex_lock(static_cast<st_mutex_t>(mutex_));
}

void SrsMutex::unlock() {
    st_mutex_unlock(static_cast<st_mutex_t>(mutex_));
}
