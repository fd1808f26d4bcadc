// The load tool's command line: client type, target URL pattern, counts and times, all
// bounded, and the loopback-only rule for targets.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_time.hpp>

#include <string>
#include <vector>

// The kinds of simulated client.
enum SrsBenchType {
    SrsBenchRtmpPlay,
    SrsBenchRtmpPublish,
    SrsBenchFlvPlay,
    SrsBenchHlsPlay,
};

// "rtmp-play", "rtmp-publish", "flv-play", "hls-play".
const char* srs_bench_type_name(SrsBenchType type);

// Upper bounds, so a typo cannot start a million clients or run for a year.
const int kSrsBenchMaxClients = 20000;
const int kSrsBenchMaxSeconds = 24 * 3600;

// The options of one run.
class SrsBenchOptions {
public:
    SrsBenchType type = SrsBenchRtmpPlay;
    // May hold "{i}", replaced by the stream index of each client.
    std::string url;
    int clients = 1;
    // Clients started per second; 0 starts them all at once.
    double ramp = 100;
    srs_utime_t duration = 30 * SRS_UTIME_SECONDS;
    // Client k uses stream (first + k % streams) for "{i}".
    int streams = 1;
    int first = 0;
    // 0: only the final report.
    srs_utime_t interval = 5 * SRS_UTIME_SECONDS;
    // An FLV or MP4 file, for publishers.
    std::string input;
    // MP4 input: how many Multitrack video tracks (0: plain single-track tags).
    int tracks = 0;
    // Connect and stall timeout: a client without a byte for this long fails.
    srs_utime_t timeout = 10 * SRS_UTIME_SECONDS;
    // SO_RCVLOWAT for RTMP players: wake a player only once this many bytes are buffered,
    // so thousands of players cost the load generator fewer reads and wakeups. Each message
    // may then be seen up to the time that many bytes take to arrive later: 0 (the default)
    // for lag measurements.
    int rcvlowat = 0;
    // Coroutine stack per client.
    int stack_kib = 64;
    // Also print each interval as JSON.
    bool json_intervals = false;
    bool help = false;

public:
    // Parses argv (argv[0] is the program). Fails with ERROR_BENCH_OPTIONS and a message
    // saying which option is wrong; ERROR_BENCH_NOT_LOOPBACK for a target that is not
    // 127.0.0.0/8, ::1 or localhost.
    srs_error_t parse(int argc, char** argv);
    srs_error_t parse(const std::vector<std::string>& args);
    // The URL of client index k (0-based).
    std::string url_of(int k) const;
    static std::string usage();
};

// Whether host (as in a URL: "127.0.0.1", "[::1]", "localhost") is a loopback address.
// Only literal loopback addresses and "localhost" pass: names are not resolved, so a load
// run can never be pointed at another machine.
bool srs_bench_is_loopback(const std::string& host);
// Checks the URL of a run: its schema fits the type and its host is loopback.
srs_error_t srs_bench_check_url(const std::string& url, SrsBenchType type);
