#include <srs_core_error.hpp>

#include <srs_core_log.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace {

std::string srs_vformat(const char* fmt, va_list ap) {
    char stack_buf[1024];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(stack_buf, sizeof(stack_buf), fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return std::string();
    }
    if (n < (int)sizeof(stack_buf)) {
        va_end(ap2);
        return std::string(stack_buf, n);
    }
    std::string s(n, '\0');
    vsnprintf(&s[0], n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

const char* srs_basename(const char* file) {
    const char* p = strrchr(file, '/');
    return p ? p + 1 : file;
}

}  // namespace

const char* srs_error_code_name(int code) {
    switch (code) {
#define SRS_ERROR_CODE_NAME(name, value, desc) \
    case value:                                \
        return #name;
        SRS_ERROR_CODES(SRS_ERROR_CODE_NAME)
#undef SRS_ERROR_CODE_NAME
        default:
            return "Unknown";
    }
}

const char* srs_error_code_desc(int code) {
    switch (code) {
#define SRS_ERROR_CODE_DESC(name, value, desc) \
    case value:                                \
        return desc;
        SRS_ERROR_CODES(SRS_ERROR_CODE_DESC)
#undef SRS_ERROR_CODE_DESC
        default:
            return "Unknown error";
    }
}

SrsError::SrsError(int code, int sys_errno, const char* func, const char* file, int line, std::string msg)
    : code_(code), sys_errno_(sys_errno), func_(func), file_(srs_basename(file)), line_(line), msg_(std::move(msg)) {
    cid_ = srs_context_get();
}

SrsError::~SrsError() = default;

int SrsError::code() const {
    const SrsError* e = this;
    while (e->cause_) {
        e = e->cause_.get();
    }
    return e->code_;
}

std::string SrsError::summary() const {
    const SrsError* e = this;
    std::ostringstream ss;
    ss << msg_;
    while (e->cause_) {
        e = e->cause_.get();
        ss << " : " << e->msg_;
    }
    ss << " (code=" << e->code_ << " " << srs_error_code_name(e->code_) << ")";
    return ss.str();
}

std::string SrsError::description() const {
    std::ostringstream ss;
    const SrsError* root = this;
    while (root->cause_) {
        root = root->cause_.get();
    }
    ss << "code=" << root->code_ << "(" << srs_error_code_name(root->code_) << ")(" << srs_error_code_desc(root->code_)
       << ") : " << summary();
    for (const SrsError* e = this; e; e = e->cause_.get()) {
        ss << "\nthread [" << getpid() << "][" << e->cid_ << "]: " << e->func_ << "() [" << e->file_ << ":" << e->line_
           << "]";
        if (e->sys_errno_) {
            ss << "[errno=" << e->sys_errno_ << "(" << strerror(e->sys_errno_) << ")]";
        }
        if (!e->msg_.empty()) {
            ss << " " << e->msg_;
        }
    }
    return ss.str();
}

srs_error_t srs_error_t::create(int code, const char* func, const char* file, int line, const char* fmt, ...) {
    int sys_errno = errno;
    va_list ap;
    va_start(ap, fmt);
    std::string msg = srs_vformat(fmt, ap);
    va_end(ap);
    return srs_error_t(std::make_unique<SrsError>(code, sys_errno, func, file, line, std::move(msg)));
}

srs_error_t srs_error_t::wrap(srs_error_t cause, const char* func, const char* file, int line, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::string msg = srs_vformat(fmt, ap);
    va_end(ap);
    int code = cause.e_ ? cause.e_->code_ : ERROR_SUCCESS;
    auto e = std::make_unique<SrsError>(code, 0, func, file, line, std::move(msg));
    e->cause_ = std::move(cause.e_);
    return srs_error_t(std::move(e));
}

srs_error_t srs_error_t::copy() const {
    if (!e_) {
        return srs_success;
    }
    std::unique_ptr<SrsError> head;
    std::unique_ptr<SrsError>* tail = &head;
    for (const SrsError* e = e_.get(); e; e = e->cause_.get()) {
        auto c =
            std::make_unique<SrsError>(e->code_, e->sys_errno_, e->func_.c_str(), e->file_.c_str(), e->line_, e->msg_);
        c->cid_ = e->cid_;
        *tail = std::move(c);
        tail = &(*tail)->cause_;
    }
    return srs_error_t(std::move(head));
}

int srs_error_code(const srs_error_t& err) {
    return err ? err->code() : ERROR_SUCCESS;
}

std::string srs_error_desc(const srs_error_t& err) {
    return err ? err->description() : std::string();
}

std::string srs_error_summary(const srs_error_t& err) {
    return err ? err->summary() : std::string();
}

bool srs_is_client_gracefully_close(const srs_error_t& err) {
    int code = srs_error_code(err);
    return code == ERROR_SOCKET_READ || code == ERROR_SOCKET_READ_FULLY || code == ERROR_SOCKET_WRITE ||
           code == ERROR_SOCKET_TIMEOUT || code == ERROR_SOCKET_CLOSED || code == ERROR_STREAM_KICKED;
}

bool srs_is_server_gracefully_close(const srs_error_t& err) {
    int code = srs_error_code(err);
    return code == ERROR_THREAD_INTERRUPED || code == ERROR_THREAD_TERMINATED || code == ERROR_SERVER_QUIT ||
           code == ERROR_THREAD_DISPOSED;
}
