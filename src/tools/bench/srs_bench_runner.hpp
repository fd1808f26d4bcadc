// The load tool's run: starts the clients at the ramp rate, prints a report per interval,
// stops everything when the duration is over and gives the final report.
#pragma once

#include <srs_bench_client.hpp>

#include <cstdio>
#include <memory>
#include <vector>

// Creates a client of the run's type for client index k; fails for a type this build
// cannot simulate.
srs_error_t srs_bench_create_client(SrsBenchContext* ctx, int k, std::unique_ptr<SrsBenchClient>* out);

// One load run. Must run inside ST (srs_st_init done).
class SrsBenchRunner {
public:
    // Reports go to out (human lines, then the final JSON line last).
    SrsBenchRunner(const SrsBenchOptions& opts, FILE* out);
    ~SrsBenchRunner();
    SRS_DISALLOW_COPY(SrsBenchRunner);

public:
    // Prepares shared state (the publishers' input file).
    srs_error_t initialize();
    // Runs for the duration; *final_row is the final report.
    srs_error_t run(SrsBenchRow* final_row);

private:
    void report(srs_utime_t now);
    void print_failures();
    bool with_lag() const;

private:
    FILE* out_;
    std::unique_ptr<SrsBenchContext> ctx_;
    std::vector<std::unique_ptr<SrsBenchClient>> clients_;
    std::vector<SrsBenchClientStat*> stats_;
    std::unique_ptr<SrsBenchReport> report_;
};
