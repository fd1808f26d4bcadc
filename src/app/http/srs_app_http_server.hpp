// The HTTP server of http_server (port 8080): static files from its dir, HLS playlists and
// segments (from disk, or from RAM with hls_storage ram), and the HTTP live streams of
// http_remux; with CORS when crossdomain is on.
#pragma once

#include <srs_app_hls_session.hpp>
#include <srs_app_http_stream.hpp>
#include <srs_protocol_http_mux.hpp>
#include <srs_protocol_http_static.hpp>

#include <memory>
#include <string>

class SrsConfig;
class SrsHlsMemoryStore;
class SrsLiveSourceManager;

// The static files of the HTTP server, with the HLS sessions of the playlists and segments
// on disk (the file is known to exist and to be inside the root by then).
class SrsHlsFileServer : public SrsHttpFileServer {
public:
    // Neither is owned; either may be null (no sessions).
    SrsHlsFileServer(const std::string& dir, const SrsHttpStreamServer* streams, SrsHlsSessions* sessions);

protected:
    srs_error_t serve_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& fullpath) override;

private:
    const SrsHttpStreamServer* streams_;
    SrsHlsSessions* sessions_;
};

// Serves a path from the HLS RAM store when it holds it, else the file under the root.
class SrsHttpStaticHandler : public ISrsHttpHandler {
public:
    // store may be null (no RAM HLS). streams gives the running config for the access checks
    // of HLS requests (security, refer); null: no checks. sessions: the HLS player sessions
    // (hls_ctx); null: none.
    SrsHttpStaticHandler(const std::string& dir, SrsHlsMemoryStore* store, const SrsHttpStreamServer* streams = nullptr,
                         SrsHlsSessions* sessions = nullptr);
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
    SrsHlsMemoryStore* store_;
    const SrsHttpStreamServer* streams_;
    SrsHlsSessions* sessions_;
    SrsHlsFileServer files_;
};

// The http_server: owns the mux and the live stream mounts. Not the connections: the server
// accepts into SrsHttpConn with handler().
class SrsHttpServer {
public:
    // Neither is owned; both outlive this object. hls_store may be null.
    SrsHttpServer(SrsLiveSourceManager* sources, SrsHlsMemoryStore* hls_store);
    ~SrsHttpServer();
    SRS_DISALLOW_COPY(SrsHttpServer);

public:
    // Applies http_server.dir and crossdomain, and the vhosts' http_remux (at start and on
    // reload; mounted streams keep their mounts until they unpublish).
    srs_error_t apply(std::shared_ptr<const SrsConfig> config);
    // What connections of the HTTP server serve.
    ISrsHttpHandler* handler() { return cors_.get(); }
    SrsHttpServeMux* mux() { return &mux_; }
    // The source handler factory that mounts streams; register it with the source manager.
    SrsHttpStreamServer* streams() { return &streams_; }
    // The HLS player sessions (hls_ctx); start() them once the statistics are set.
    SrsHlsSessions* hls_sessions() { return &hls_sessions_; }

private:
    SrsHlsMemoryStore* hls_store_;
    SrsHttpServeMux mux_;
    SrsHttpStreamServer streams_;
    // After streams_, which it reads.
    SrsHlsSessions hls_sessions_;
    std::shared_ptr<SrsHttpCorsMux> cors_;
    // Shared with the mux as its "/" handler.
    std::shared_ptr<ISrsHttpHandler> mux_ref_;
    std::string dir_;
};
