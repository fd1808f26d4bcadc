// The one error type: a code, a message, where it happened, the context id, and the
// chain of causes it wraps. Owned by a unique pointer, so an error cannot leak.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error_code.hpp>

#include <memory>
#include <string>

// One link of an error chain.
class SrsError {
public:
    SrsError(int code, int sys_errno, const char* func, const char* file, int line, std::string msg);
    ~SrsError();
    SRS_DISALLOW_COPY(SrsError);

public:
    // The code of the root cause, which is what callers compare against.
    int code() const;
    // The message of this link only.
    const std::string& message() const { return msg_; }
    // The root cause's message and code, one line.
    std::string summary() const;
    // The whole chain, from this link down to the root cause, one link per line.
    std::string description() const;
    // The wrapped cause, or null for the root.
    const SrsError* cause() const { return cause_.get(); }

private:
    friend class srs_error_t;
    int code_;
    int sys_errno_;
    std::string func_;
    std::string file_;
    int line_;
    std::string msg_;
    std::string cid_;
    std::unique_ptr<SrsError> cause_;
};

// The result of a function that can fail: empty (srs_success) or an owned error chain.
// nodiscard, so ignoring an error is a compile error.
class [[nodiscard]] srs_error_t {
public:
    srs_error_t() = default;
    srs_error_t(std::nullptr_t) {}
    explicit srs_error_t(std::unique_ptr<SrsError> e) : e_(std::move(e)) {}
    srs_error_t(srs_error_t&&) = default;
    srs_error_t& operator=(srs_error_t&&) = default;
    SRS_DISALLOW_COPY(srs_error_t);

    explicit operator bool() const { return e_ != nullptr; }
    bool operator==(std::nullptr_t) const { return e_ == nullptr; }
    bool operator!=(std::nullptr_t) const { return e_ != nullptr; }
    const SrsError* operator->() const { return e_.get(); }
    const SrsError* get() const { return e_.get(); }

    // Wraps this error as the cause of a new link; used by srs_error_wrap.
    static srs_error_t wrap(srs_error_t cause, const char* func, const char* file, int line, const char* fmt, ...)
        __attribute__((format(printf, 5, 6)));
    static srs_error_t create(int code, const char* func, const char* file, int line, const char* fmt, ...)
        __attribute__((format(printf, 5, 6)));
    // A deep copy, for the rare error that must be reported in two places.
    srs_error_t copy() const;
    // Drops the error: use where an error is deliberately handled by ignoring it.
    void reset() { e_.reset(); }

private:
    std::unique_ptr<SrsError> e_;
};

#define srs_success nullptr

#define srs_error_new(code, fmt, ...) srs_error_t::create(code, __FUNCTION__, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define srs_error_wrap(err, fmt, ...) \
    srs_error_t::wrap(std::move(err), __FUNCTION__, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

// The code of the root cause; ERROR_SUCCESS for success.
int srs_error_code(const srs_error_t& err);
// The whole chain as text; empty for success.
std::string srs_error_desc(const srs_error_t& err);
// The root cause as one line; empty for success.
std::string srs_error_summary(const srs_error_t& err);
// Drops an error that is deliberately ignored.
inline void srs_error_reset(srs_error_t& err) {
    err.reset();
}

// Expected ends of a connection (peer closed, timeout, kicked, interrupted) are logged at
// trace level, not as errors.
bool srs_is_client_gracefully_close(const srs_error_t& err);
bool srs_is_server_gracefully_close(const srs_error_t& err);
