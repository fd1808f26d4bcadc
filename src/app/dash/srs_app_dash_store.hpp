// The DASH files kept in memory (dash_storage ram|both) by URL path ("/live/s.mpd",
// "/live/s/video-90000.m4s"), shared by every stream of the server. The HTTP server finds them
// through its mux's hijackers, before its root handler looks on the disk, so neither the HTTP
// server nor the HLS handler of "/" knows DASH. Bodies are immutable and shared: a response being
// written keeps its segment alive after the window dropped it.
#pragma once

#include <srs_app_memory_files.hpp>
#include <srs_protocol_http_mux.hpp>

#include <memory>
#include <string>

class SrsClientLifecycle;

class SrsDashMemoryStore : public SrsMemoryFiles, public ISrsHttpMatchHijacker {
public:
    // Players' requests get the security and refer checks of their vhost, as DASH files on disk
    // do (null: none, for tests). Not owned; outlives the store.
    void set_lifecycle(const SrsClientLifecycle* lifecycle) { lifecycle_ = lifecycle; }
    // A GET or HEAD of a path the store holds is served from memory.
    srs_error_t hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) override;

private:
    const SrsClientLifecycle* lifecycle_ = nullptr;
};
