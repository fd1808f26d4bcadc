#include <srs_app_rtmp_client.hpp>

srs_error_t SrsRtmpClientConn::connect(const std::string& host, int port, srs_utime_t timeout) {
    srs_error_t err = srs_success;
    if ((err = srs_tcp_connect(host, port, timeout, &fd_)) != srs_success) {
        return srs_error_wrap(err, "connect %s:%d", host.c_str(), port);
    }
    io_ = std::make_unique<SrsStSocket>(fd_);
    io_->set_recv_timeout(timeout);
    io_->set_send_timeout(timeout);
    rtmp_ = std::make_unique<SrsRtmpClient>(io_.get());
    rtmp_->set_recv_timeout(timeout);
    rtmp_->set_send_timeout(timeout);
    if ((err = rtmp_->handshake()) != srs_success) {
        return srs_error_wrap(err, "handshake with %s:%d", host.c_str(), port);
    }
    return err;
}
