#include <srs_bench_options.hpp>

#include <srs_core_utility.hpp>
#include <srs_protocol_http_url.hpp>

#include <arpa/inet.h>

#include <cmath>
#include <cstdlib>

const char* srs_bench_type_name(SrsBenchType type) {
    switch (type) {
        case SrsBenchRtmpPlay:
            return "rtmp-play";
        case SrsBenchRtmpPublish:
            return "rtmp-publish";
        case SrsBenchFlvPlay:
            return "flv-play";
        case SrsBenchHlsPlay:
            return "hls-play";
    }
    return "unknown";
}

bool srs_bench_is_loopback(const std::string& h) {
    std::string host = srs_string_lower(h);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host == "localhost") {
        return true;
    }
    in_addr a4;
    if (inet_pton(AF_INET, host.c_str(), &a4) == 1) {
        return (ntohl(a4.s_addr) >> 24) == 127;
    }
    in6_addr a6;
    if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&a6)) {
            return true;
        }
        // ::ffff:127.x.y.z is IPv4 loopback too.
        return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
    }
    return false;
}

srs_error_t srs_bench_check_url(const std::string& url, SrsBenchType type) {
    srs_error_t err = srs_success;
    // "{i}" is not a valid URL character sequence; check with a stand-in index.
    std::string u = srs_string_replace(url, "{i}", "0");
    SrsHttpUri uri;
    if ((err = uri.initialize(u)) != srs_success) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "invalid url %s: %s", url.c_str(), srs_error_summary(err).c_str());
    }
    bool rtmp = type == SrsBenchRtmpPlay || type == SrsBenchRtmpPublish;
    if (rtmp && uri.schema() != "rtmp") {
        return srs_error_new(ERROR_BENCH_OPTIONS, "%s needs an rtmp:// url, not %s", srs_bench_type_name(type),
                             url.c_str());
    }
    if (!rtmp && uri.schema() != "http") {
        return srs_error_new(ERROR_BENCH_OPTIONS, "%s needs an http:// url, not %s", srs_bench_type_name(type),
                             url.c_str());
    }
    if (!srs_bench_is_loopback(uri.host())) {
        return srs_error_new(ERROR_BENCH_NOT_LOOPBACK,
                             "refusing target host '%s': the load tool only talks to loopback "
                             "(127.0.0.0/8, ::1, localhost)",
                             uri.host().c_str());
    }
    return err;
}

namespace {

srs_error_t srs_bench_parse_number(const std::string& opt, const std::string& v, double lo, double hi, double* out) {
    char* end = nullptr;
    double d = strtod(v.c_str(), &end);
    if (v.empty() || end == nullptr || *end != '\0' || !std::isfinite(d) || d < lo || d > hi) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "option %s: '%s' is not a number in [%g, %g]", opt.c_str(), v.c_str(),
                             lo, hi);
    }
    *out = d;
    return srs_success;
}

}  // namespace

srs_error_t SrsBenchOptions::parse(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; i++) {
        args.emplace_back(argv[i]);
    }
    return parse(args);
}

srs_error_t SrsBenchOptions::parse(const std::vector<std::string>& args) {
    srs_error_t err = srs_success;
    bool has_type = false;
    for (size_t i = 0; i < args.size(); i++) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            help = true;
            return err;
        }
        if (a == "--json-intervals") {
            json_intervals = true;
            continue;
        }
        if (i + 1 >= args.size()) {
            return srs_error_new(ERROR_BENCH_OPTIONS, "option %s needs a value (or is unknown)", a.c_str());
        }
        const std::string& v = args[++i];
        double d = 0;
        if (a == "-t" || a == "--type") {
            has_type = true;
            if (v == "rtmp-play") {
                type = SrsBenchRtmpPlay;
            } else if (v == "rtmp-publish") {
                type = SrsBenchRtmpPublish;
            } else if (v == "flv-play") {
                type = SrsBenchFlvPlay;
            } else if (v == "hls-play") {
                type = SrsBenchHlsPlay;
            } else {
                return srs_error_new(ERROR_BENCH_OPTIONS, "unknown type '%s'", v.c_str());
            }
        } else if (a == "-u" || a == "--url") {
            url = v;
        } else if (a == "-c" || a == "--clients") {
            if ((err = srs_bench_parse_number(a, v, 1, kSrsBenchMaxClients, &d)) != srs_success) {
                return err;
            }
            clients = (int)d;
        } else if (a == "-r" || a == "--ramp") {
            if ((err = srs_bench_parse_number(a, v, 0, 100000, &d)) != srs_success) {
                return err;
            }
            ramp = d;
        } else if (a == "-d" || a == "--duration") {
            if ((err = srs_bench_parse_number(a, v, 1, kSrsBenchMaxSeconds, &d)) != srs_success) {
                return err;
            }
            duration = (srs_utime_t)(d * SRS_UTIME_SECONDS);
        } else if (a == "-s" || a == "--streams") {
            if ((err = srs_bench_parse_number(a, v, 1, kSrsBenchMaxClients, &d)) != srs_success) {
                return err;
            }
            streams = (int)d;
        } else if (a == "--first") {
            if ((err = srs_bench_parse_number(a, v, 0, 1e9, &d)) != srs_success) {
                return err;
            }
            first = (int)d;
        } else if (a == "-n" || a == "--interval") {
            if ((err = srs_bench_parse_number(a, v, 0, kSrsBenchMaxSeconds, &d)) != srs_success) {
                return err;
            }
            interval = (srs_utime_t)(d * SRS_UTIME_SECONDS);
        } else if (a == "-i" || a == "--input") {
            input = v;
        } else if (a == "--tracks") {
            if ((err = srs_bench_parse_number(a, v, 0, 2, &d)) != srs_success) {
                return err;
            }
            tracks = (int)d;
        } else if (a == "--timeout") {
            if ((err = srs_bench_parse_number(a, v, 1, 600, &d)) != srs_success) {
                return err;
            }
            timeout = (srs_utime_t)(d * SRS_UTIME_SECONDS);
        } else if (a == "--rcvlowat") {
            if ((err = srs_bench_parse_number(a, v, 0, 1024 * 1024, &d)) != srs_success) {
                return err;
            }
            rcvlowat = (int)d;
        } else if (a == "--stack") {
            if ((err = srs_bench_parse_number(a, v, 16, 1024, &d)) != srs_success) {
                return err;
            }
            stack_kib = (int)d;
        } else {
            return srs_error_new(ERROR_BENCH_OPTIONS, "unknown option %s", a.c_str());
        }
    }
    if (!has_type) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "-t is required (rtmp-play, rtmp-publish, flv-play, hls-play)");
    }
    if (url.empty()) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "-u is required");
    }
    if (streams > 1 && !srs_string_contains(url, "{i}")) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "-s %d needs {i} in the url", streams);
    }
    if (type == SrsBenchRtmpPublish && input.empty()) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "rtmp-publish needs -i input.flv or input.mp4");
    }
    if ((err = srs_bench_check_url(url, type)) != srs_success) {
        return err;
    }
    return err;
}

std::string SrsBenchOptions::url_of(int k) const {
    int index = first + (streams > 0 ? k % streams : 0);
    return srs_string_replace(url, "{i}", srs_fmt("%d", index));
}

std::string SrsBenchOptions::usage() {
    return "Usage: srs_bench -t TYPE -u URL [options]\n"
           "Simulates many clients of a live streaming server on loopback, in one process.\n"
           "  -t, --type TYPE       rtmp-play | rtmp-publish | flv-play | hls-play\n"
           "  -u, --url URL         rtmp://127.0.0.1:1935/live/livestream, http://127.0.0.1:8080/live/livestream.flv,\n"
           "                        http://127.0.0.1:8080/live/livestream.m3u8; {i} is replaced by the stream index\n"
           "  -c, --clients N       number of clients (1-20000, default 1)\n"
           "  -r, --ramp RATE       clients started per second (default 100; 0: all at once)\n"
           "  -d, --duration SEC    run time from the first client on (default 30)\n"
           "  -s, --streams N       client k uses stream index first + k % N for {i} (default 1)\n"
           "      --first I         the first stream index (default 0)\n"
           "  -n, --interval SEC    report interval (default 5; 0: final report only)\n"
           "  -i, --input FILE      FLV or MP4 file that publishers send in a loop at real-time speed; an MP4\n"
           "                        (told by its ftyp box) goes out as enhanced RTMP: H.264 and AAC as legacy\n"
           "                        tags, HEVC as hvc1, AV1 as av01, VP9 as vp09, Opus as Opus\n"
           "      --tracks N        MP4 only: 0 (default) single-track tags; 1 video as a Multitrack tag\n"
           "                        (OneTrack, track id 0); 2 the same video twice, as track ids 0 and 1\n"
           "      --timeout SEC     connect and stall timeout (default 10)\n"
           "      --rcvlowat BYTES  RTMP players wake only when this many bytes are buffered (default 0):\n"
           "                        fewer reads for big loads, but lag is seen up to that much data late\n"
           "      --stack KIB       coroutine stack per client (default 64, only touched pages cost memory)\n"
           "      --json-intervals  print each interval report as JSON too\n"
           "Targets must be loopback (127.0.0.0/8, ::1, localhost). The last stdout line is the final\n"
           "report as JSON. The exit status is 1 when any client failed, 2 on bad options.\n";
}
