// The DASH time source of the HTTP server (DASH-IF IOP 4.7.2, urn:mpeg:dash:utc:http-iso:2014):
// GET SRS_DASH_UTC_TIMING_PATH answers the server's UTC clock as ISO 8601 with milliseconds, so
// players compute segment availability with the clock the MPD's times were written with.
#pragma once

#include <srs_core_time.hpp>
#include <srs_protocol_http_mux.hpp>

#include <functional>

class SrsDashUtcTimingHandler : public ISrsHttpHandler {
public:
    // The wall clock; tests give a fixed one.
    using Clock = std::function<srs_utime_t()>;
    explicit SrsDashUtcTimingHandler(Clock clock = nullptr);
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    Clock clock_;
};
