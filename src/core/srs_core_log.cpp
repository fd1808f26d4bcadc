#include <srs_core_log.hpp>

#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <st.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>

SrsLogLevel srs_log_level_parse(const std::string& name) {
    if (name == "verbose")
        return SrsLogLevelVerbose;
    if (name == "info")
        return SrsLogLevelInfo;
    if (name == "trace")
        return SrsLogLevelTrace;
    if (name == "warn")
        return SrsLogLevelWarn;
    if (name == "error")
        return SrsLogLevelError;
    if (name == "disabled")
        return SrsLogLevelDisabled;
    return SrsLogLevelTrace;
}

const char* srs_log_level_name(SrsLogLevel level) {
    switch (level) {
        case SrsLogLevelVerbose:
            return "verbose";
        case SrsLogLevelInfo:
            return "info";
        case SrsLogLevelTrace:
            return "trace";
        case SrsLogLevelWarn:
            return "warn";
        case SrsLogLevelError:
            return "error";
        default:
            return "disabled";
    }
}

SrsLogger::SrsLogger() : level_(SrsLogLevelTrace), fd_(-1) {}

SrsLogger::~SrsLogger() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void SrsLogger::configure(SrsLogLevel level, const std::string& file) {
    level_ = level;
    if (file != file_ || (fd_ < 0 && !file.empty())) {
        file_ = file;
        open_file();
    }
}

void SrsLogger::reopen() {
    open_file();
}

void SrsLogger::open_file() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (file_.empty()) {
        return;
    }
    fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        fprintf(stderr, "open log file %s failed: %s, log to console\n", file_.c_str(), strerror(errno));
    }
}

void SrsLogger::log(SrsLogLevel level, const char* tag, const char* fmt, ...) {
    // One fixed buffer: a log call never allocates.
    static char buf[8192];
    timeval tv;
    gettimeofday(&tv, nullptr);
    tm now;
    localtime_r(&tv.tv_sec, &now);

    int size = snprintf(buf, sizeof(buf), "[%d-%02d-%02d %02d:%02d:%02d.%03d][%s][%d][%s] ", 1900 + now.tm_year,
                        1 + now.tm_mon, now.tm_mday, now.tm_hour, now.tm_min, now.tm_sec, (int)(tv.tv_usec / 1000), tag,
                        getpid(), srs_context_get().c_str());
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + size, sizeof(buf) - size - 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
    }
    size += std::min(n, (int)sizeof(buf) - size - 2);
    // Multi-line messages (error chains) keep their lines; strip trailing newlines.
    while (size > 0 && buf[size - 1] == '\n') {
        size--;
    }
    buf[size++] = '\n';

    int fd = fd_;
    if (fd < 0) {
        fd = (level >= SrsLogLevelWarn) ? STDERR_FILENO : STDOUT_FILENO;
    }
    ssize_t r = ::write(fd, buf, size);
    (void)r;
}

SrsLogger& srs_logger() {
    static SrsLogger logger;
    return logger;
}

namespace {

// ST key for the context id of each coroutine; -1 until ST is initialized, when the
// process has one context of its own.
int& srs_context_key_ref() {
    static int key = -1;
    return key;
}

int srs_context_key() {
    return srs_context_key_ref();
}

std::string& srs_process_context() {
    static std::string cid;
    return cid;
}

const std::string& srs_empty_context() {
    static const std::string empty;
    return empty;
}

}  // namespace

std::string srs_context_generate() {
    return srs_random_str(8);
}

void srs_context_init() {
    int& key = srs_context_key_ref();
    if (key >= 0) {
        return;
    }
    if (st_key_create(&key, [](void* p) { delete static_cast<std::string*>(p); }) != 0) {
        key = -1;
        return;
    }
    // The primordial coroutine keeps the id the process had before ST started.
    srs_context_set(srs_process_context());
}

const std::string& srs_context_get() {
    int key = srs_context_key();
    if (key < 0) {
        return srs_process_context();
    }
    auto p = static_cast<std::string*>(st_thread_getspecific(key));
    return p ? *p : srs_empty_context();
}

void srs_context_set(const std::string& cid) {
    int key = srs_context_key();
    if (key < 0) {
        srs_process_context() = cid;
        return;
    }
    auto p = static_cast<std::string*>(st_thread_getspecific(key));
    if (p) {
        *p = cid;
    } else {
        st_thread_setspecific(key, new std::string(cid));
    }
}
