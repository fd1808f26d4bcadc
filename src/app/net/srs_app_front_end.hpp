// What a protocol front end (a connection of RTMP today; SRT, MPEG-TS over UDP, WebRTC later)
// needs from the server, without knowing the server or its features: the running config, the
// client lifecycle (admission and its undo), the live sources, the statistics and the connection
// manager. The server implements it; a test can give a front end its own.
#pragma once

#include <srs_core_error.hpp>

#include <memory>

class SrsConfig;
class SrsClientLifecycle;
class SrsConnectionManager;
class SrsLiveSourceManager;
class SrsRequest;
class SrsStatistic;

class ISrsFrontEndContext {
public:
    virtual ~ISrsFrontEndContext() = default;
    // The running config snapshot; a reload replaces it as a whole.
    virtual std::shared_ptr<SrsConfig> config() const = 0;
    virtual SrsClientLifecycle& lifecycle() = 0;
    virtual SrsLiveSourceManager& sources() = 0;
    // Null when the API (which owns the statistics) is not built.
    virtual SrsStatistic* stat() = 0;
    virtual SrsConnectionManager& conns() = 0;
    // What the cluster adds to a client's connect, after the lifecycle let it in: an edge asks
    // its origin whether it takes the client (token_traverse). Success elsewhere.
    virtual srs_error_t check_cluster_connect(const SrsConfig& config, const SrsRequest& req) = 0;
};
