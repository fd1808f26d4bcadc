#include <srs_app_listener.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

bool srs_parse_endpoint(const std::string& endpoint, std::string* ip, int* port) {
    std::string host = "0.0.0.0";
    std::string sport = endpoint;
    if (!endpoint.empty() && endpoint[0] == '[') {
        size_t end = endpoint.find("]:");
        if (end == std::string::npos) {
            return false;
        }
        host = endpoint.substr(1, end - 1);
        sport = endpoint.substr(end + 2);
    } else {
        size_t pos = endpoint.rfind(':');
        if (pos != std::string::npos) {
            host = endpoint.substr(0, pos);
            sport = endpoint.substr(pos + 1);
        }
    }
    int64_t v = 0;
    if (!srs_parse_int64(sport, &v) || v < 0 || v > 65535 || host.empty()) {
        return false;
    }
    *ip = host;
    *port = (int)v;
    return true;
}

SrsTcpListener::SrsTcpListener(ISrsTcpHandler* handler, const std::string& endpoint, const std::string& label, int kind)
    : handler_(handler), endpoint_(endpoint), label_(label), kind_(kind) {}

SrsTcpListener::~SrsTcpListener() {
    close();
}

srs_error_t SrsTcpListener::listen() {
    if (!srs_parse_endpoint(endpoint_, &ip_, &port_)) {
        return srs_error_new(ERROR_SOCKET_LISTEN, "invalid %s endpoint %s", label_.c_str(), endpoint_.c_str());
    }
    srs_error_t err = srs_tcp_listen(ip_, port_, &lfd_);
    if (err) {
        return srs_error_wrap(err, "%s listen %s", label_.c_str(), endpoint_.c_str());
    }
    port_ = srs_socket_local_port(lfd_);
    trd_ = std::make_unique<SrsCoroutine>("listener-" + label_, this);
    if ((err = trd_->start()) != srs_success) {
        return srs_error_wrap(err, "%s listener", label_.c_str());
    }
    srs_trace("%s listen at tcp://%s:%d, fd=%d", label_.c_str(), ip_.c_str(), port_, lfd_.osfd());
    return srs_success;
}

void SrsTcpListener::close() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
    lfd_.close();
}

srs_error_t SrsTcpListener::cycle() {
    srs_error_t err = srs_success;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            return srs_error_wrap(err, "%s listener", label_.c_str());
        }
        SrsNetFd fd;
        if ((err = srs_tcp_accept(lfd_, SRS_UTIME_NO_TIMEOUT, &fd)) != srs_success) {
            if (srs_error_code(err) == ERROR_THREAD_INTERRUPED) {
                return srs_error_wrap(err, "%s accept", label_.c_str());
            }
            // Out of fds and similar: keep the listener alive, back off a little.
            srs_warn("%s accept failed: %s", label_.c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            srs_usleep(10 * SRS_UTIME_MILLISECONDS);
            continue;
        }
        srs_update_system_time();
        if ((err = handler_->on_tcp_client(this, std::move(fd))) != srs_success) {
            srs_warn("%s client rejected: %s", label_.c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
        }
    }
    return err;
}
