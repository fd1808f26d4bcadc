#include <srs_app_dash_http.hpp>

#include <srs_app_dash_mpd.hpp>
#include <srs_protocol_http_response.hpp>

SrsDashUtcTimingHandler::SrsDashUtcTimingHandler(Clock clock) : clock_(std::move(clock)) {
    if (!clock_) {
        clock_ = []() { return srs_get_wall_time(); };
    }
}

srs_error_t SrsDashUtcTimingHandler::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!r->is_get() && !r->is_head()) {
        return srs_http_write_error(w, 405);
    }
    std::string body = srs_dash_iso8601(clock_());
    w->header()->set_content_type("text/plain; charset=utf-8");
    // Every answer is a new time: no cache may keep one.
    w->header()->set("Cache-Control", "no-cache, no-store");
    w->header()->set_content_length((int64_t)body.size());
    w->write_header(200);
    if (r->is_head()) {
        return w->final_request();
    }
    srs_error_t err = w->write(body.data(), (int)body.size());
    if (err != srs_success) {
        return err;
    }
    return w->final_request();
}
