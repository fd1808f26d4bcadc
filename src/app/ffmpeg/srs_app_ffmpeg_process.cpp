#include <srs_app_ffmpeg_process.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

const char* srs_child_state_name(SrsChildState s) {
    switch (s) {
        case SrsChildState::Running:
            return "running";
        case SrsChildState::Backoff:
            return "backoff";
        case SrsChildState::Stopping:
            return "stopping";
        default:
            return "exited";
    }
}

srs_utime_t SrsRestartBackoff::on_exit(srs_utime_t uptime) {
    if (uptime >= stable_) {
        failures_ = 0;
    }
    srs_utime_t delay = initial_;
    for (int i = 0; i < failures_ && delay < max_; i++) {
        delay *= 2;
    }
    failures_++;
    return std::min(delay, max_);
}

std::string srs_wait_status_string(int status) {
    if (WIFEXITED(status)) {
        return srs_fmt("exit %d", WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        return srs_fmt("signal %d", WTERMSIG(status));
    }
    return srs_fmt("status %d", status);
}

std::string srs_resolve_program(const std::string& path, bool* fallback) {
    *fallback = false;
    if (path.empty()) {
        return "";
    }
    if (path.find('/') != std::string::npos) {
        if (::access(path.c_str(), X_OK) == 0) {
            return path;
        }
        *fallback = true;
    }
    // A bare name, or a missing path (SRS's ./objs/ffmpeg/bin/ffmpeg): its base name in PATH.
    std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    const char* env = ::getenv("PATH");
    std::string dirs = env ? env : "/usr/local/bin:/usr/bin:/bin";
    for (const std::string& dir : srs_string_split(dirs, ":")) {
        std::string full = (dir.empty() ? "." : dir) + "/" + base;
        struct stat st;
        if (::stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(full.c_str(), X_OK) == 0) {
            return full;
        }
    }
    return "";
}

namespace {

// Logs under the context id of what caused the child, then restores the caller's.
class SrsContextScope {
public:
    explicit SrsContextScope(const std::string& cid) : saved_(srs_context_get()) {
        if (!cid.empty()) {
            srs_context_set(cid);
        }
    }
    ~SrsContextScope() { srs_context_set(saved_); }

private:
    std::string saved_;
};

// Creates the folders of a log file (mkdir -p of its directory).
void srs_mkdir_parents(const std::string& file) {
    size_t slash = file.rfind('/');
    if (slash == std::string::npos || slash == 0) {
        return;
    }
    std::string dir = file.substr(0, slash);
    for (size_t pos = 1; pos <= dir.size(); pos++) {
        if (pos == dir.size() || dir[pos] == '/') {
            ::mkdir(dir.substr(0, pos).c_str(), 0755);
        }
    }
}

// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void srs_child_exec(pid_t parent, const char* log_file, char* const* argv) {
    // Its own session and process group: the terminal's signals do not reach it, and a stop
    // signals the group (a shell and what it started).
    ::setsid();
    // Dies with the server, even a SIGKILLed one; if the server died before this line, the
    // signal will never come, so check that the parent is still ours.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
        ::_exit(126);
    }
    // The server ignores SIGPIPE and may block signals: ffmpeg gets the defaults.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s = 1; s < NSIG; s++) {
        if (s != SIGKILL && s != SIGSTOP) {
            ::signal(s, SIG_DFL);
        }
    }
    int in = ::open("/dev/null", O_RDONLY);
    int out = -1;
    if (log_file && log_file[0]) {
        out = ::open(log_file, O_WRONLY | O_CREAT | O_APPEND, 0644);
    }
    if (out < 0) {
        out = ::open("/dev/null", O_WRONLY);
    }
    if (in >= 0) {
        ::dup2(in, 0);
    }
    if (out >= 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
    }
    // No listener, client socket or epoll fd of the server leaks into the child.
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
#endif
    {
        struct rlimit rl;
        long max = (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) ? (long)rl.rlim_cur : 65536;
        for (long fd = 3; fd < std::min(max, 1L << 20); fd++) {
            ::close((int)fd);
        }
    }
    ::execv(argv[0], argv);
    const char msg[] = "srs: exec failed\n";
    ssize_t n = ::write(2, msg, sizeof(msg) - 1);
    (void)n;
    ::_exit(127);
}

}  // namespace

SrsChildProcess::SrsChildProcess(int64_t id, SrsChildSpec spec, SrsRestartBackoff backoff)
    : spec_(std::move(spec)), backoff_(backoff), id_(id) {}

SrsChildProcess::~SrsChildProcess() {
    if (pid_ > 0) {
        kill_and_reap();
    }
}

srs_utime_t SrsChildProcess::uptime(srs_utime_t now) const {
    return pid_ > 0 && now > started_at_ ? now - started_at_ : 0;
}

std::string SrsChildProcess::command() const {
    return srs_string_join(spec_.argv, " ");
}

void SrsChildProcess::spawn(srs_utime_t now) {
    SrsContextScope scope(spec_.cid);
    if (spec_.argv.empty()) {
        state_ = SrsChildState::Exited;
        srs_error("process %s: no command", spec_.name.c_str());
        return;
    }
    // Everything the child needs is prepared here: after fork it may not allocate.
    std::vector<char*> argv;
    for (const std::string& a : spec_.argv) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    const char* log = spec_.log_file.empty() ? "/dev/null" : spec_.log_file.c_str();
    srs_mkdir_parents(log);
    pid_t parent = ::getpid();

    pid_t pid = ::fork();
    if (pid < 0) {
        srs_error("process %s: fork failed, errno=%d (%s)", spec_.name.c_str(), errno, strerror(errno));
        state_ = SrsChildState::Backoff;
        restart_at_ = now + backoff_.on_exit(0);
        return;
    }
    if (pid == 0) {
        srs_child_exec(parent, log, argv.data());
    }
    pid_ = pid;
    started_at_ = now;
    state_ = SrsChildState::Running;
    if (spawns_++ > 0) {
        restarts_++;
    }
    srs_trace("process %s: started pid=%d, restarts=%d, log=%s, cmd: %s", spec_.name.c_str(), (int)pid, restarts_, log,
              command().c_str());
}

void SrsChildProcess::signal(int signo) {
    if (pid_ <= 0) {
        return;
    }
    // The group exists once the child called setsid; before that, the child itself.
    if (::kill(-pid_, signo) != 0) {
        ::kill(pid_, signo);
    }
}

void SrsChildProcess::on_death(int status, srs_utime_t now) {
    SrsContextScope scope(spec_.cid);
    srs_utime_t ran = uptime(now);
    pid_t pid = pid_;
    pid_ = 0;
    last_exit_ = srs_wait_status_string(status);
    bool success = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (state_ == SrsChildState::Stopping) {
        srs_trace("process %s: pid=%d stopped (%s) after %dms", spec_.name.c_str(), (int)pid, last_exit_.c_str(),
                  srsu2msi(ran));
        state_ = SrsChildState::Exited;
        return;
    }
    if (success && !spec_.restart_on_success) {
        srs_trace("process %s: pid=%d finished (%s) after %dms", spec_.name.c_str(), (int)pid, last_exit_.c_str(),
                  srsu2msi(ran));
        state_ = SrsChildState::Exited;
        return;
    }
    srs_utime_t delay = backoff_.on_exit(ran);
    restart_at_ = now + delay;
    state_ = SrsChildState::Backoff;
    srs_warn("process %s: pid=%d died (%s) after %dms, restart in %dms (failures=%d), log=%s", spec_.name.c_str(),
             (int)pid, last_exit_.c_str(), srsu2msi(ran), srsu2msi(delay), backoff_.failures(), spec_.log_file.c_str());
}

void SrsChildProcess::tick(srs_utime_t now) {
    if (pid_ > 0) {
        int status = 0;
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            on_death(status, now);
        } else if (r < 0 && errno == ECHILD) {
            // Reaped elsewhere (should not happen): forget it rather than wait forever.
            on_death(0, now);
        }
    }
    if (state_ == SrsChildState::Backoff && now >= restart_at_) {
        spawn(now);
    }
    if (state_ == SrsChildState::Stopping && pid_ > 0 && now >= kill_at_) {
        SrsContextScope scope(spec_.cid);
        srs_warn("process %s: pid=%d did not stop in time, SIGKILL", spec_.name.c_str(), (int)pid_);
        signal(SIGKILL);
        // Once is enough; the next ticks reap it.
        kill_at_ = now + 3600 * SRS_UTIME_SECONDS;
    }
}

void SrsChildProcess::stop(srs_utime_t now, srs_utime_t grace) {
    if (state_ == SrsChildState::Stopping || state_ == SrsChildState::Exited) {
        return;
    }
    if (pid_ <= 0) {
        state_ = SrsChildState::Exited;
        return;
    }
    SrsContextScope scope(spec_.cid);
    srs_trace("process %s: stop pid=%d (SIGTERM, SIGKILL after %dms)", spec_.name.c_str(), (int)pid_, srsu2msi(grace));
    state_ = SrsChildState::Stopping;
    kill_at_ = now + grace;
    signal(SIGTERM);
}

void SrsChildProcess::kill_and_reap() {
    if (pid_ <= 0) {
        state_ = SrsChildState::Exited;
        return;
    }
    signal(SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = 0;
    state_ = SrsChildState::Exited;
}

SrsProcessSupervisor::SrsProcessSupervisor() = default;

SrsProcessSupervisor::~SrsProcessSupervisor() {
    // Joined before it is freed: the cycle reads trd_ until it returns.
    if (trd_) {
        trd_->stop();
    }
    trd_.reset();
    for (auto& c : children_) {
        c->kill_and_reap();
    }
}

srs_error_t SrsProcessSupervisor::start() {
    trd_ = std::make_unique<SrsCoroutine>("process-supervisor", this);
    return trd_->start();
}

std::shared_ptr<SrsChildProcess> SrsProcessSupervisor::spawn(SrsChildSpec spec) {
    auto c = std::make_shared<SrsChildProcess>(++last_id_, std::move(spec), backoff_);
    c->spawn(srs_update_system_time());
    children_.push_back(c);
    return c;
}

void SrsProcessSupervisor::stop(const std::shared_ptr<SrsChildProcess>& child) {
    if (child) {
        child->stop(srs_update_system_time(), grace_);
    }
}

void SrsProcessSupervisor::tick() {
    srs_utime_t now = srs_update_system_time();
    // A copy: a tick logs and may yield nowhere, but keep it safe against changes.
    std::vector<std::shared_ptr<SrsChildProcess>> all = children_;
    for (auto& c : all) {
        c->tick(now);
    }
    children_.erase(std::remove_if(children_.begin(), children_.end(),
                                   [](const std::shared_ptr<SrsChildProcess>& c) { return c->done(); }),
                    children_.end());
}

void SrsProcessSupervisor::stop_all_and_wait() {
    if (children_.empty()) {
        return;
    }
    srs_trace("process supervisor: stopping %d children", (int)children_.size());
    for (auto& c : children_) {
        stop(c);
    }
    // The children's own SIGKILL deadline is the grace; a little more for the reaping.
    srs_utime_t deadline = srs_update_system_time() + grace_ + SRS_UTIME_SECONDS;
    while (!children_.empty() && srs_update_system_time() < deadline) {
        tick();
        if (!children_.empty()) {
            srs_usleep(50 * SRS_UTIME_MILLISECONDS);
        }
    }
    for (auto& c : children_) {
        c->kill_and_reap();
    }
    children_.clear();
}

srs_error_t SrsProcessSupervisor::cycle() {
    while (true) {
        srs_error_t err = trd_->pull();
        if (err) {
            return err;
        }
        tick();
        srs_usleep(100 * SRS_UTIME_MILLISECONDS);
    }
}

int SrsChildSet::apply(std::vector<SrsChildSpec> wanted) {
    int n = 0;
    std::map<std::string, std::shared_ptr<SrsChildProcess>> next;
    for (SrsChildSpec& spec : wanted) {
        auto it = running_.find(spec.name);
        if (it != running_.end()) {
            const SrsChildSpec& old = it->second->spec();
            if (old.argv == spec.argv && old.log_file == spec.log_file) {
                next[spec.name] = std::move(it->second);
                running_.erase(it);
                continue;
            }
            srs_trace("%s %s changed, restart", spec.kind.c_str(), spec.name.c_str());
            supervisor_->stop(it->second);
            running_.erase(it);
        }
        std::string name = spec.name;
        next[name] = supervisor_->spawn(std::move(spec));
        n++;
    }
    for (auto& kv : running_) {
        srs_trace("%s %s removed or disabled, stop", kv.second->spec().kind.c_str(), kv.first.c_str());
    }
    n += stop_all();
    running_ = std::move(next);
    return n;
}

int SrsChildSet::stop_all() {
    int n = 0;
    for (auto& kv : running_) {
        supervisor_->stop(kv.second);
        n++;
    }
    running_.clear();
    return n;
}
