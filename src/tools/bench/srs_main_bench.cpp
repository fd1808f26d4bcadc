// srs_bench: the load tool. Simulates thousands of RTMP, HTTP-FLV and HLS clients of a
// server on loopback from one process of coroutines; see srs_bench -h.
#include <srs_bench_runner.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>

namespace {

// Each client holds a socket: raise the descriptor limit to the hard limit.
void srs_bench_raise_nofile() {
    rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            perror("srs_bench: setrlimit(RLIMIT_NOFILE)");
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    SrsBenchOptions opts;
    srs_error_t err = opts.parse(argc, argv);
    if (err != srs_success) {
        fprintf(stderr, "srs_bench: %s\n\n%s", srs_error_summary(err).c_str(), SrsBenchOptions::usage().c_str());
        return 2;
    }
    if (opts.help) {
        printf("%s", SrsBenchOptions::usage().c_str());
        return 0;
    }
    // Per-client failures are summarized in the report; the log shows only warnings.
    srs_logger().configure(SrsLogLevelWarn, "");
    signal(SIGPIPE, SIG_IGN);
    srs_bench_raise_nofile();
    if ((err = srs_st_init()) != srs_success) {
        fprintf(stderr, "srs_bench: %s\n", srs_error_desc(err).c_str());
        return 2;
    }

    SrsBenchRunner runner(opts, stdout);
    if ((err = runner.initialize()) != srs_success) {
        fprintf(stderr, "srs_bench: %s\n", srs_error_desc(err).c_str());
        return 2;
    }
    SrsBenchRow row;
    if ((err = runner.run(&row)) != srs_success) {
        fprintf(stderr, "srs_bench: %s\n", srs_error_desc(err).c_str());
        return 2;
    }
    return row.failed > 0 || row.no_media > 0 || row.connected < row.clients ? 1 : 0;
}
