// A client connection that serves HTTP requests with a handler: the HTTP API (1985), the
// exporter (9972) and the HTTP server (8080) each accept into one of these with their mux.
#pragma once

#include <srs_app_conn.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_http_conn.hpp>
#include <srs_protocol_http_mux.hpp>

#include <memory>
#include <string>

// Serves one accepted socket in its own coroutine until the client closes, a timeout, an
// error or a kick; then hands itself to the manager to be disposed of.
class SrsHttpConn : public ISrsConnection, public ISrsCoroutineHandler {
public:
    // handler is not owned and outlives the connection (the server's mux). desc labels the
    // service in logs ("HTTP-API", "EXPORTER", "HTTP").
    SrsHttpConn(SrsConnectionManager* manager, SrsNetFd fd, ISrsHttpHandler* handler, const char* desc);
    ~SrsHttpConn() override;
    SRS_DISALLOW_COPY(SrsHttpConn);

public:
    // How long a request may take to arrive (and a keep-alive connection may idle): a
    // client that sends half a request and waits gets 408 and is closed after it.
    void set_recv_timeout(srs_utime_t tm) { recv_timeout_ = tm; }
    void set_send_timeout(srs_utime_t tm) { send_timeout_ = tm; }
    void set_limits(const SrsHttpConnLimits& limits) { limits_ = limits; }

    srs_error_t start() override;
    const std::string& cid() const override { return cid_; }
    std::string remote_ip() const override { return ip_; }
    const char* desc() const override { return desc_; }
    void expire() override;
    srs_error_t cycle() override;

private:
    SrsConnectionManager* manager_;
    SrsNetFd fd_;
    SrsStSocket skt_;
    ISrsHttpHandler* handler_;
    const char* desc_;
    std::string cid_;
    std::string ip_;
    int port_ = 0;
    srs_utime_t recv_timeout_ = 15 * SRS_UTIME_SECONDS;
    srs_utime_t send_timeout_ = 30 * SRS_UTIME_SECONDS;
    SrsHttpConnLimits limits_;
    // Last, so it stops before the socket closes.
    std::unique_ptr<SrsCoroutine> trd_;
};
