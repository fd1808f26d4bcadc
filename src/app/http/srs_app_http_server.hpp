// The HTTP server of http_server (port 8080): the files under its dir (through the root handler
// it is given: the server gives the HLS one, which also serves HLS from RAM) and the HTTP live
// streams of http_remux; with CORS when crossdomain is on.
#pragma once

#include <srs_app_http_stream.hpp>
#include <srs_protocol_http_mux.hpp>
#include <srs_protocol_http_static.hpp>

#include <functional>
#include <memory>
#include <string>

class SrsConfig;
class SrsLiveSourceManager;

// The http_server: owns the mux and the live stream mounts. Not the connections: the server
// accepts into SrsHttpConn with handler().
class SrsHttpServer {
public:
    // Makes the handler of "/" for http_server.dir (at start and when a reload changes it).
    using RootFactory = std::function<std::shared_ptr<ISrsHttpHandler>(const std::string& dir)>;

    // sources is not owned and outlives this object. Without a root factory, "/" serves plain
    // files.
    explicit SrsHttpServer(SrsLiveSourceManager* sources, RootFactory root = nullptr);
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

private:
    SrsHttpServeMux mux_;
    SrsHttpStreamServer streams_;
    RootFactory root_;
    std::shared_ptr<SrsHttpCorsMux> cors_;
    // Shared with the mux as its "/" handler.
    std::shared_ptr<ISrsHttpHandler> mux_ref_;
    std::string dir_;
};
