#include <srs_app_process.hpp>

#include <srs_core_log.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {

// The pid written in the file, or 0.
int srs_read_pid(int fd) {
    char buf[32] = {0};
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    return n > 0 ? atoi(buf) : 0;
}

}  // namespace

SrsPidFile::~SrsPidFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

srs_error_t SrsPidFile::check(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return srs_success;
    }
    struct flock lock;
    memset(&lock, 0, sizeof(lock));
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    int r = fcntl(fd, F_GETLK, &lock);
    int pid = srs_read_pid(fd);
    ::close(fd);
    if (r == 0 && lock.l_type != F_UNLCK) {
        return srs_error_new(ERROR_SYSTEM_PID_ALREADY_RUNNING, "srs is already running as pid %d (pid file %s)",
                             lock.l_pid ? (int)lock.l_pid : pid, path.c_str());
    }
    return srs_success;
}

srs_error_t SrsPidFile::acquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return srs_error_new(ERROR_SYSTEM_PID_ACQUIRE, "open pid file %s", path.c_str());
    }
    struct flock lock;
    memset(&lock, 0, sizeof(lock));
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &lock) < 0) {
        int err = errno;
        int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        int pid = rfd >= 0 ? srs_read_pid(rfd) : 0;
        if (rfd >= 0) {
            ::close(rfd);
        }
        ::close(fd);
        errno = err;
        if (err == EACCES || err == EAGAIN) {
            return srs_error_new(ERROR_SYSTEM_PID_ALREADY_RUNNING, "srs is already running as pid %d (pid file %s)",
                                 pid, path.c_str());
        }
        return srs_error_new(ERROR_SYSTEM_PID_LOCK, "lock pid file %s", path.c_str());
    }
    if (ftruncate(fd, 0) != 0) {
        ::close(fd);
        return srs_error_new(ERROR_SYSTEM_PID_TRUNCATE_FILE, "truncate pid file %s", path.c_str());
    }
    std::string pid = std::to_string(getpid()) + "\n";
    if (pwrite(fd, pid.data(), pid.size(), 0) != (ssize_t)pid.size()) {
        ::close(fd);
        return srs_error_new(ERROR_SYSTEM_PID_WRITE_FILE, "write pid file %s", path.c_str());
    }
    path_ = path;
    fd_ = fd;
    srs_trace("write pid=%d to %s", getpid(), path.c_str());
    return srs_success;
}

void SrsPidFile::release() {
    if (fd_ < 0) {
        return;
    }
    ::unlink(path_.c_str());
    ::close(fd_);
    fd_ = -1;
}

srs_error_t srs_daemonize(int* ready_fd) {
    int fds[2];
    if (pipe(fds) < 0) {
        return srs_error_new(ERROR_SYSTEM_CREATE_PIPE, "daemon pipe");
    }
    pid_t pid = fork();
    if (pid < 0) {
        return srs_error_new(ERROR_SYSTEM_DAEMON, "fork");
    }
    if (pid > 0) {
        // The parent: wait for the child's word, then leave.
        ::close(fds[1]);
        char ok = 0;
        ssize_t n = ::read(fds[0], &ok, 1);
        _exit(n == 1 && ok == '1' ? 0 : 1);
    }
    ::close(fds[0]);
    if (setsid() < 0) {
        return srs_error_new(ERROR_SYSTEM_DAEMON, "setsid");
    }
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    *ready_fd = fds[1];
    return srs_success;
}

void srs_daemon_ready(int ready_fd, bool ok) {
    if (ready_fd < 0) {
        return;
    }
    char c = ok ? '1' : '0';
    ssize_t n = ::write(ready_fd, &c, 1);
    (void)n;
    ::close(ready_fd);
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        if (null_fd > STDERR_FILENO) {
            ::close(null_fd);
        }
    }
}

srs_error_t srs_raise_nofile(int need, int* obtained) {
    rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return srs_error_new(ERROR_SYSTEM_RLIMIT, "getrlimit");
    }
    if (rl.rlim_cur >= (rlim_t)need) {
        *obtained = (int)rl.rlim_cur;
        return srs_success;
    }
    rlimit want = rl;
    want.rlim_cur = need;
    if (want.rlim_max < (rlim_t)need) {
        want.rlim_max = need;
    }
    if (setrlimit(RLIMIT_NOFILE, &want) != 0) {
        // Not allowed to raise the hard limit: take what the hard limit gives.
        want.rlim_max = rl.rlim_max;
        want.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &want) != 0) {
            return srs_error_new(ERROR_SYSTEM_RLIMIT, "setrlimit nofile %d", need);
        }
    }
    getrlimit(RLIMIT_NOFILE, &rl);
    *obtained = (int)rl.rlim_cur;
    return srs_success;
}
