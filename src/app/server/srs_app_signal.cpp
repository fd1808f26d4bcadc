#include <srs_app_signal.hpp>

#include <srs_core_log.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace {

// The write end of the self-pipe; the only thing a signal handler may touch.
volatile int srs_signal_write_fd = -1;

void srs_signal_handler(int signo) {
    int saved = errno;
    unsigned char b = (unsigned char)signo;
    if (srs_signal_write_fd >= 0) {
        ssize_t n = ::write(srs_signal_write_fd, &b, 1);
        (void)n;
    }
    errno = saved;
}

}  // namespace

SrsSignalManager::SrsSignalManager(ISrsSignalHandler* handler) : handler_(handler) {}

SrsSignalManager::~SrsSignalManager() {
    if (trd_) {
        trd_->stop();
    }
    srs_signal_write_fd = -1;
    if (pipe_[1] >= 0) {
        ::close(pipe_[1]);
    }
    // The read end is owned by read_fd_ once registered with ST.
    if (read_fd_.empty() && pipe_[0] >= 0) {
        ::close(pipe_[0]);
    }
}

srs_error_t SrsSignalManager::start() {
    if (pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) < 0) {
        return srs_error_new(ERROR_SYSTEM_CREATE_PIPE, "signal pipe");
    }
    srs_error_t err = srs_netfd_open(pipe_[0], &read_fd_);
    if (err) {
        return srs_error_wrap(err, "signal pipe");
    }
    srs_signal_write_fd = pipe_[1];

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = srs_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int signo : {SIGHUP, SIGUSR1, SIGUSR2, SIGTERM, SIGINT, SIGQUIT}) {
        if (sigaction(signo, &sa, nullptr) < 0) {
            return srs_error_new(ERROR_SYSTEM_SIGNAL, "sigaction %d", signo);
        }
    }
    signal(SIGPIPE, SIG_IGN);

    trd_ = std::make_unique<SrsCoroutine>("signal", this);
    if ((err = trd_->start()) != srs_success) {
        return srs_error_wrap(err, "signal coroutine");
    }
    return srs_success;
}

srs_error_t SrsSignalManager::cycle() {
    srs_error_t err = srs_success;
    SrsStSocket reader(read_fd_);
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_error_wrap(err, "signal manager");
        }
        unsigned char signo = 0;
        ssize_t n = 0;
        if ((err = reader.read(&signo, 1, &n)) != srs_success) {
            return srs_error_wrap(err, "read signal pipe");
        }
        srs_update_system_time();
        handler_->on_signal(signo);
    }
    return err;
}
