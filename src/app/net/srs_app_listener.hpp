// TCP listeners: each accepts in its own coroutine and hands sockets to a handler.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_st.hpp>

#include <memory>
#include <string>

class SrsTcpListener;

// Receives the sockets a listener accepts.
class ISrsTcpHandler {
public:
    virtual ~ISrsTcpHandler() = default;
    // Takes the accepted socket; an error closes only that socket.
    virtual srs_error_t on_tcp_client(SrsTcpListener* listener, SrsNetFd fd) = 0;
};

// Listens on one endpoint ("1935", "127.0.0.1:1935", "[::]:1935") and accepts until closed.
class SrsTcpListener : public ISrsCoroutineHandler {
public:
    // label names the service in logs ("rtmp", "http-api"); kind lets the handler tell listeners apart.
    SrsTcpListener(ISrsTcpHandler* handler, const std::string& endpoint, const std::string& label, int kind);
    ~SrsTcpListener() override;
    SRS_DISALLOW_COPY(SrsTcpListener);

public:
    srs_error_t listen();
    void close();
    const std::string& endpoint() const { return endpoint_; }
    const std::string& label() const { return label_; }
    int kind() const { return kind_; }
    // The bound port (the real one after listening on port 0).
    int port() const { return port_; }
    srs_error_t cycle() override;

private:
    ISrsTcpHandler* handler_;
    std::string endpoint_;
    std::string label_;
    int kind_;
    std::string ip_;
    int port_ = 0;
    SrsNetFd lfd_;
    std::unique_ptr<SrsCoroutine> trd_;
};

// Splits "port", "ip:port" or "[v6]:port" into ip (default 0.0.0.0) and port; false when invalid.
bool srs_parse_endpoint(const std::string& endpoint, std::string* ip, int* port);
