// Turns POSIX signals into events inside the ST loop through a self-pipe.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_st.hpp>

#include <memory>

// Receives signals as ordinary calls on a coroutine.
class ISrsSignalHandler {
public:
    virtual ~ISrsSignalHandler() = default;
    virtual void on_signal(int signo) = 0;
};

// Installs handlers for SIGHUP, SIGUSR1, SIGUSR2, SIGTERM, SIGINT and SIGQUIT that only write
// the signal number into a pipe; a coroutine reads the pipe and calls the handler. SIGPIPE is
// ignored. One per process (a signal handler can only reach a process-wide pipe).
class SrsSignalManager : public ISrsCoroutineHandler {
public:
    explicit SrsSignalManager(ISrsSignalHandler* handler);
    ~SrsSignalManager() override;
    SRS_DISALLOW_COPY(SrsSignalManager);

public:
    srs_error_t start();
    srs_error_t cycle() override;

private:
    ISrsSignalHandler* handler_;
    int pipe_[2] = {-1, -1};
    SrsNetFd read_fd_;
    std::unique_ptr<SrsCoroutine> trd_;
};
