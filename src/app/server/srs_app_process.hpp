// Process-level duties of the daemon: the pid file, daemonizing, resource limits.
#pragma once

#include <srs_core_error.hpp>

#include <string>

// The pid file, written and locked (fcntl) for the life of the process, so a second
// instance on the same file fails with the running pid.
class SrsPidFile {
public:
    SrsPidFile() = default;
    ~SrsPidFile();
    SRS_DISALLOW_COPY(SrsPidFile);

public:
    // Fails with ERROR_SYSTEM_PID_ALREADY_RUNNING naming the pid when another process holds it.
    static srs_error_t check(const std::string& path);
    // Creates, locks and writes our pid.
    srs_error_t acquire(const std::string& path);
    // Removes the file and drops the lock (on quit).
    void release();
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

// Forks into the background. The parent waits until the child reports that it started
// (srs_daemon_ready) and exits with 0 or 1, so `srs -c` with `daemon on` fails visibly when
// the server cannot start. Returns in the child only; *ready_fd is where to report.
srs_error_t srs_daemonize(int* ready_fd);
// Reports the child's start to the waiting parent and detaches stdio.
void srs_daemon_ready(int ready_fd, bool ok);

// Raises RLIMIT_NOFILE to at least need (bounded by the hard limit, raised when allowed);
// *obtained is the new soft limit.
srs_error_t srs_raise_nofile(int need, int* obtained);
