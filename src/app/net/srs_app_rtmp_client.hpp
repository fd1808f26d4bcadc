// An outgoing RTMP connection: the forwarders, the edge's pulls and token checks, the load tool.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_st.hpp>
#include <srs_core_time.hpp>
#include <srs_protocol_rtmp_session.hpp>

#include <memory>
#include <string>

// The socket and the RTMP client session over it, connected and handshaken; the session is
// closed with this object.
class SrsRtmpClientConn {
public:
    SrsRtmpClientConn() = default;
    SRS_DISALLOW_COPY(SrsRtmpClientConn);

public:
    // Connects to host:port and does the handshake; timeout bounds the connect and, until
    // changed, every later read and write.
    srs_error_t connect(const std::string& host, int port, srs_utime_t timeout);
    // Valid after a successful connect().
    SrsRtmpClient* rtmp() { return rtmp_.get(); }
    SrsStSocket* socket() { return io_.get(); }
    int osfd() const { return fd_.osfd(); }

private:
    // Declared in the order they depend on each other, so they are destroyed in reverse.
    SrsNetFd fd_;
    std::unique_ptr<SrsStSocket> io_;
    std::unique_ptr<SrsRtmpClient> rtmp_;
};
