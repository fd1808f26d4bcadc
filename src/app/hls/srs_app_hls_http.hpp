// The HLS files of the HTTP server: playlists and segments from the RAM store (hls_storage ram)
// or from the disk under http_server.dir, with the access checks of HLS players (security,
// refer) and their sessions (hls_ctx). The HTTP server mounts it at "/" without knowing HLS.
#pragma once

#include <srs_protocol_http_mux.hpp>
#include <srs_protocol_http_static.hpp>

#include <string>

class SrsClientLifecycle;
class SrsHlsMemoryStore;
class SrsHlsSessions;

// The static files under the root, with the HLS sessions of the playlists and segments on disk
// (the file is known to exist and to be inside the root by then).
class SrsHlsFileServer : public SrsHttpFileServer {
public:
    // Neither is owned; either may be null (no sessions).
    SrsHlsFileServer(const std::string& dir, const SrsClientLifecycle* lifecycle, SrsHlsSessions* sessions);

protected:
    srs_error_t serve_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& fullpath) override;

private:
    const SrsClientLifecycle* lifecycle_;
    SrsHlsSessions* sessions_;
};

// Serves a path from the HLS RAM store when it holds it, else the file under the root.
class SrsHlsHttpHandler : public ISrsHttpHandler {
public:
    // store may be null (no RAM HLS). lifecycle gives the running config for the access checks
    // of HLS requests (security, refer); null: no checks. sessions: the HLS player sessions
    // (hls_ctx); null: none. None is owned.
    SrsHlsHttpHandler(const std::string& dir, SrsHlsMemoryStore* store, const SrsClientLifecycle* lifecycle = nullptr,
                      SrsHlsSessions* sessions = nullptr);
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;
    // HLS in RAM, or a file below the dir.
    bool has_file(const std::string& path) const override;
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
    SrsHlsMemoryStore* store_;
    const SrsClientLifecycle* lifecycle_;
    SrsHlsSessions* sessions_;
    SrsHlsFileServer files_;
};
