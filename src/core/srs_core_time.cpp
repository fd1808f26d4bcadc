#include <srs_core_time.hpp>

#include <ctime>

namespace {

struct SrsTimeCache {
    srs_utime_t now = 0;
    srs_utime_t startup = 0;
};

SrsTimeCache& srs_time_cache() {
    static SrsTimeCache cache;
    return cache;
}

}  // namespace

srs_utime_t srs_update_system_time() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    SrsTimeCache& c = srs_time_cache();
    c.now = (srs_utime_t)ts.tv_sec * SRS_UTIME_SECONDS + ts.tv_nsec / 1000;
    if (!c.startup) {
        c.startup = c.now;
    }
    return c.now;
}

srs_utime_t srs_get_system_time() {
    SrsTimeCache& c = srs_time_cache();
    if (!c.now) {
        return srs_update_system_time();
    }
    return c.now;
}

srs_utime_t srs_get_wall_time() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (srs_utime_t)ts.tv_sec * SRS_UTIME_SECONDS + ts.tv_nsec / 1000;
}

srs_utime_t srs_get_system_startup_time() {
    SrsTimeCache& c = srs_time_cache();
    if (!c.startup) {
        srs_update_system_time();
    }
    return c.startup;
}
