// Logging with levels, console or file, and the context id of the current coroutine on
// every line, so one client's whole life can be found with grep.
#pragma once

#include <srs_core.hpp>

#include <string>

enum SrsLogLevel {
    SrsLogLevelVerbose = 0x01,
    SrsLogLevelInfo = 0x02,
    SrsLogLevelTrace = 0x04,
    SrsLogLevelWarn = 0x08,
    SrsLogLevelError = 0x10,
    SrsLogLevelDisabled = 0x20,
};

// Parses "verbose", "info", "trace", "warn", "error"; unknown names give trace.
SrsLogLevel srs_log_level_parse(const std::string& name);
const char* srs_log_level_name(SrsLogLevel level);

// The process's log sink. One per process: logging is cross-cutting and every coroutine
// writes through it; the server configures it from the config and on reload.
class SrsLogger {
public:
    SrsLogger();
    ~SrsLogger();
    SRS_DISALLOW_COPY(SrsLogger);

public:
    // Console when file is empty.
    void configure(SrsLogLevel level, const std::string& file);
    // Opens the log file again, so logrotate's move-and-create works (SIGUSR1).
    void reopen();
    bool enabled(SrsLogLevel level) const { return level >= level_; }
    SrsLogLevel level() const { return level_; }
    const std::string& file() const { return file_; }
    void log(SrsLogLevel level, const char* tag, const char* fmt, ...) __attribute__((format(printf, 4, 5)));

private:
    void open_file();
    SrsLogLevel level_;
    std::string file_;
    int fd_;
};

// The process's logger.
SrsLogger& srs_logger();

#define srs_log_impl(level, tag, msg, ...)                   \
    do {                                                     \
        SrsLogger& srs_log_ref = srs_logger();               \
        if (srs_log_ref.enabled(level)) {                    \
            srs_log_ref.log(level, tag, msg, ##__VA_ARGS__); \
        }                                                    \
    } while (0)

#define srs_verbose(msg, ...) srs_log_impl(SrsLogLevelVerbose, "Verb", msg, ##__VA_ARGS__)
#define srs_info(msg, ...) srs_log_impl(SrsLogLevelInfo, "Debug", msg, ##__VA_ARGS__)
#define srs_trace(msg, ...) srs_log_impl(SrsLogLevelTrace, "Trace", msg, ##__VA_ARGS__)
#define srs_warn(msg, ...) srs_log_impl(SrsLogLevelWarn, "Warn", msg, ##__VA_ARGS__)
#define srs_error(msg, ...) srs_log_impl(SrsLogLevelError, "Error", msg, ##__VA_ARGS__)

// Context ids: a short random id per connection coroutine, inherited by what it starts.
// Stored in the coroutine's ST thread-specific data.
std::string srs_context_generate();
// The id of the current coroutine; empty before one is set.
const std::string& srs_context_get();
// Sets the id of the current coroutine.
void srs_context_set(const std::string& cid);
// Called once ST is initialized: from then on each coroutine has its own id.
void srs_context_init();
