// The supervisor of external processes (ffmpeg for transcode and ingest, exec commands): starts
// each child with an argv (no shell), its stdout/stderr to a log file, watches it from an ST
// coroutine (waitpid WNOHANG, no blocking wait), restarts it with backoff when it dies, stops
// it with SIGTERM then SIGKILL after a grace period, and never leaves a zombie or an orphan:
// the children die with the server (PR_SET_PDEATHSIG) even when it is SIGKILLed. See doc/ffmpeg.md.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

// Where a child is in its life.
enum class SrsChildState {
    // A process runs.
    Running,
    // It died unexpectedly and waits for its restart.
    Backoff,
    // Asked to stop: SIGTERM sent, SIGKILL after the grace period.
    Stopping,
    // Ended and not restarted (stopped, or a one-shot command that finished).
    Exited,
};
const char* srs_child_state_name(SrsChildState s);

// What to run and how.
struct SrsChildSpec {
    // "transcode", "ingest" or "exec".
    std::string kind;
    // Unique among the running children: "transcode/vhost/app/stream/engine".
    std::string name;
    // The stream the child serves (vhost/app/stream url), for the API.
    std::string stream;
    // The program (an absolute or relative path; not searched in PATH) and its arguments.
    std::vector<std::string> argv;
    // stdout and stderr go here (appended); empty or /dev/null discards them.
    std::string log_file;
    // The context id of what caused the child (the publisher), named in every log of it.
    std::string cid;
    // Whether an exit with status 0 is restarted too (ffmpeg: yes, its input must not end;
    // a one-shot exec command: no). A crash or a non-zero exit is always restarted.
    bool restart_on_success = true;
};

// The restart delay after unexpected deaths: initial, doubled at each death up to max; a
// child that ran at least `stable` before it died starts again from initial.
class SrsRestartBackoff {
public:
    SrsRestartBackoff(srs_utime_t initial = SRS_UTIME_SECONDS, srs_utime_t max = 30 * SRS_UTIME_SECONDS,
                      srs_utime_t stable = 30 * SRS_UTIME_SECONDS)
        : initial_(initial), max_(max), stable_(stable) {}
    // The child died after running `uptime`: the delay before it starts again.
    srs_utime_t on_exit(srs_utime_t uptime);
    // Consecutive quick deaths so far.
    int failures() const { return failures_; }

private:
    srs_utime_t initial_;
    srs_utime_t max_;
    srs_utime_t stable_;
    int failures_ = 0;
};

// The exit status of waitpid as text: "exit 1", "signal 9".
std::string srs_wait_status_string(int status);
// The program to run: path itself when it is executable, else when path is SRS's default
// ffmpeg (or any missing path) its base name searched in PATH ("ffmpeg" from Debian);
// empty when neither exists. *fallback tells the second case, to log it.
std::string srs_resolve_program(const std::string& path, bool* fallback);

// One supervised child: its spec and its current process. Owned by the supervisor (shared
// with whoever started it, who only reads it and asks the supervisor to stop it).
class SrsChildProcess {
public:
    SrsChildProcess(int64_t id, SrsChildSpec spec, SrsRestartBackoff backoff);
    ~SrsChildProcess();
    SRS_DISALLOW_COPY(SrsChildProcess);

public:
    const SrsChildSpec& spec() const { return spec_; }
    SrsChildState state() const { return state_; }
    // The pid of the running process, 0 when none.
    pid_t pid() const { return pid_; }
    // How many times it was started again after a death.
    int restarts() const { return restarts_; }
    // Since the current process started; 0 when none runs.
    srs_utime_t uptime(srs_utime_t now) const;
    // The status of the last death ("exit 1", "signal 15"), empty before any.
    const std::string& last_exit() const { return last_exit_; }
    // An id for the API, unique in the supervisor's (the server's) life.
    int64_t id() const { return id_; }
    // The command line, space-joined, for logs and the API.
    std::string command() const;
    // Whether nothing is left to watch: stopped (or finished) and reaped.
    bool done() const { return state_ == SrsChildState::Exited && pid_ == 0; }

    // For the supervisor.
public:
    // Forks and execs (the first start, or a restart when due). A failed fork goes to backoff.
    void spawn(srs_utime_t now);
    // One check: reaps a dead process (then restarts later or ends), starts a due restart,
    // sends SIGKILL when a stop outlived its grace.
    void tick(srs_utime_t now);
    // SIGTERM now, SIGKILL at now + grace; no restart any more.
    void stop(srs_utime_t now, srs_utime_t grace);
    // SIGKILL and a blocking reap (the process is killed, so it is prompt): the last resort.
    void kill_and_reap();

private:
    // Sends a signal to the child's process group (its own, by setsid), else the child.
    void signal(int signo);
    void on_death(int status, srs_utime_t now);

private:
    SrsChildSpec spec_;
    SrsRestartBackoff backoff_;
    int64_t id_;
    SrsChildState state_ = SrsChildState::Exited;
    pid_t pid_ = 0;
    int restarts_ = 0;
    int spawns_ = 0;
    srs_utime_t started_at_ = 0;
    srs_utime_t restart_at_ = 0;
    srs_utime_t kill_at_ = 0;
    std::string last_exit_;
};

// Every child of the server, watched by one coroutine that polls them every 100 ms (a
// waitpid WNOHANG per child: cheap, and no signal handling is needed).
class SrsProcessSupervisor : public ISrsCoroutineHandler {
public:
    SrsProcessSupervisor();
    // Kills and reaps whatever is left (normally stop_all_and_wait ran before).
    ~SrsProcessSupervisor() override;
    SRS_DISALLOW_COPY(SrsProcessSupervisor);

public:
    srs_error_t start();
    // The restart policy of children started from now on (tests shorten it).
    void set_backoff(const SrsRestartBackoff& b) { backoff_ = b; }
    // How long a stopped child has between SIGTERM and SIGKILL (3 s).
    void set_grace(srs_utime_t grace) { grace_ = grace; }
    srs_utime_t grace() const { return grace_; }
    // Starts a child now and watches it until stopped.
    std::shared_ptr<SrsChildProcess> spawn(SrsChildSpec spec);
    // Stops a child (SIGTERM, SIGKILL after the grace); it is reaped and forgotten later.
    void stop(const std::shared_ptr<SrsChildProcess>& child);
    // At quit: stops every child and waits (yielding) until all are reaped; those left after
    // the grace get SIGKILL.
    void stop_all_and_wait();
    // One round over the children; the coroutine calls it, tests may too.
    void tick();
    // The children being watched (running, in backoff, stopping, or a finished one-shot).
    const std::vector<std::shared_ptr<SrsChildProcess>>& children() const { return children_; }

public:
    srs_error_t cycle() override;

private:
    std::vector<std::shared_ptr<SrsChildProcess>> children_;
    SrsRestartBackoff backoff_;
    srs_utime_t grace_ = 3 * SRS_UTIME_SECONDS;
    int64_t last_id_ = 0;
    std::unique_ptr<SrsCoroutine> trd_;
};

// Children kept by name and brought to a wanted list (transcode engines of a stream, the
// ingests of the config, at start and each reload): the unchanged (same argv and log file)
// keep running, the changed restart, the others stop.
class SrsChildSet {
public:
    explicit SrsChildSet(SrsProcessSupervisor* supervisor) : supervisor_(supervisor) {}
    SRS_DISALLOW_COPY(SrsChildSet);

public:
    // Returns how many children were started or stopped.
    int apply(std::vector<SrsChildSpec> wanted);
    // Stops them all; returns how many.
    int stop_all();
    int size() const { return (int)running_.size(); }

private:
    SrsProcessSupervisor* supervisor_;
    std::map<std::string, std::shared_ptr<SrsChildProcess>> running_;
};
