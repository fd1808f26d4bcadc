// Time in microseconds: a cached monotonic clock for the hot path and the wall clock.
#pragma once

#include <srs_core.hpp>

// Microseconds, the unit of every duration and timeout in the server.
typedef int64_t srs_utime_t;

#define SRS_UTIME_MILLISECONDS 1000
#define SRS_UTIME_SECONDS 1000000LL
#define SRS_UTIME_MINUTES 60000000LL
#define SRS_UTIME_HOURS 3600000000LL
#define SRS_UTIME_NO_TIMEOUT ((srs_utime_t)-1LL)

#define srsu2ms(us) ((us) / SRS_UTIME_MILLISECONDS)
#define srsu2msi(us) int((us) / SRS_UTIME_MILLISECONDS)
#define srsu2s(us) ((us) / SRS_UTIME_SECONDS)
#define srsu2si(us) int((us) / SRS_UTIME_SECONDS)

// Reads the monotonic clock and refreshes the cache.
srs_utime_t srs_update_system_time();
// The cached monotonic time; cheap enough for every message.
srs_utime_t srs_get_system_time();
// The wall clock (since the epoch), read now.
srs_utime_t srs_get_wall_time();
// The monotonic time at which the process first asked for the time.
srs_utime_t srs_get_system_startup_time();
