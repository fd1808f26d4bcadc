// The http_hooks of HLS: on_hls (a JSON POST per completed segment) and on_hls_notify (a GET
// of a URL template per segment, to warm a CDN), made by a coroutine of their own so that the
// muxer, in the publisher's path, never waits for a hook server.
#pragma once

#include <srs_app_hls_muxer.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_core.hpp>
#include <srs_core_st.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>

class SrsConfig;
class SrsStatistic;

// The on_hls body of a segment (SRS's fields); publisher fields come from the statistics
// (client_id, ip, tcUrl) when the stream is there.
std::string srs_hls_hook_body(const SrsHlsSegmentEvent& ev, SrsStatistic* stat, const std::string& cwd);
// The on_hls_notify URL: [server_id] [app] [stream] [ts_url] [param] replaced.
std::string srs_hls_notify_url(const std::string& tmpl, const SrsHlsSegmentEvent& ev, const std::string& server_id);

// Queues the calls of each segment and makes them in order. The queue is bounded: when a hook
// server is slower than the segments, the oldest calls are dropped (logged).
class SrsHlsHookWorker : public ISrsHlsHooks, public ISrsHookPoster, public ISrsCoroutineHandler {
public:
    // config gives the running config at each segment; stat may be null.
    SrsHlsHookWorker(std::function<std::shared_ptr<const SrsConfig>()> config, SrsStatistic* stat);
    ~SrsHlsHookWorker() override;
    SRS_DISALLOW_COPY(SrsHlsHookWorker);

public:
    srs_error_t start();
    void stop();
    void on_hls_segment(const SrsHlsSegmentEvent& event) override;
    // Queues a POST of another hook (on_dvr) made by this worker, named by its event name in
    // the log; for features whose hooks must not wait in the publisher's path either.
    void post(const std::string& name, const std::string& url, const std::string& body, srs_utime_t timeout) override;
    srs_error_t cycle() override;
    size_t pending() const { return queue_.size(); }
    // Calls made (allowed or not), for tests.
    int64_t nb_done() const { return nb_done_; }

private:
    struct Task {
        bool notify = false;
        // The hook's name in the log when not on_hls / on_hls_notify.
        std::string name;
        std::string url;
        std::string body;
        srs_utime_t timeout = 0;
        int nb_notify = 0;
    };
    void run(const Task& t);

    std::function<std::shared_ptr<const SrsConfig>()> config_;
    SrsStatistic* stat_;
    std::string cwd_;
    std::deque<Task> queue_;
    SrsCond cond_;
    std::unique_ptr<SrsCoroutine> trd_;
    int64_t nb_done_ = 0;
};
