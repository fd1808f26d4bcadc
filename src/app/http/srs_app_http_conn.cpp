#include <srs_app_http_conn.hpp>

#include <srs_core_log.hpp>

#include <memory>

SrsHttpConn::SrsHttpConn(SrsConnectionManager* manager, SrsNetFd fd, ISrsHttpHandler* handler, const char* desc)
    : manager_(manager), fd_(std::move(fd)), skt_(fd_), handler_(handler), desc_(desc) {
    cid_ = srs_context_generate();
    ip_ = srs_socket_peer_ip(fd_);
    port_ = srs_socket_peer_port(fd_);
    trd_ = std::make_unique<SrsCoroutine>("http", this, cid_);
}

SrsHttpConn::~SrsHttpConn() {
    trd_->stop();
}

srs_error_t SrsHttpConn::start() {
    return trd_->start();
}

void SrsHttpConn::expire() {
    trd_->interrupt();
}

srs_error_t SrsHttpConn::cycle() {
    srs_trace("%s client ip=%s:%d, fd=%d", desc_, ip_.c_str(), port_, fd_.osfd());
    skt_.set_recv_timeout(recv_timeout_);
    skt_.set_send_timeout(send_timeout_);

    // On the heap: a live player's play loop runs below this frame for hours, and each stack
    // page it spans is 4 KiB per player (doc/benchmark.md).
    std::unique_ptr<SrsHttpServerConn> conn = std::make_unique<SrsHttpServerConn>(&skt_, handler_, limits_);
    conn->set_peer(ip_, port_);
    conn->set_pull([this]() { return trd_->pull(); });
    srs_error_t err = conn->serve();

    // A client that goes away, times out or is kicked is the normal end of a connection.
    if (err == srs_success || srs_is_client_gracefully_close(err) || srs_is_server_gracefully_close(err)) {
        srs_trace("%s client %s done, requests=%lld, recv=%lld, send=%lld%s%s", desc_, ip_.c_str(),
                  (long long)conn->nb_requests(), (long long)skt_.get_recv_bytes(), (long long)skt_.get_send_bytes(),
                  err ? ", " : "", err ? srs_error_summary(err).c_str() : "");
    } else {
        srs_warn("%s client %s ends: %s", desc_, ip_.c_str(), srs_error_desc(err).c_str());
    }
    srs_error_reset(err);
    manager_->remove(this);
    return srs_success;
}
