// The server side of one HTTP/1.1 connection: reads requests (keep-alive, pipelining,
// limits), dispatches them to a handler and frames the responses.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_http_mux.hpp>
#include <srs_protocol_http_parser.hpp>

#include <functional>
#include <string>

// The limits of one connection.
struct SrsHttpConnLimits {
    // Request line plus header fields; more gets 431 and the connection closes.
    int header_max = 64 * 1024;
    // Request body; a larger Content-Length gets 413, a larger chunked body closes.
    int64_t body_max = 1024 * 1024;
};

// Serves the requests of one connection until it ends. Runs in the connection's
// coroutine; errors end this connection only.
//
// Timeouts: set the IO's recv timeout before serve(); a client that sends part of a
// request and stops is dropped (408) after it, and an idle keep-alive connection is
// closed after it.
//
// Long responses (HTTP-FLV): the handler keeps writing inside serve_http until the
// client goes away, with the body chunked (or close-delimited for HTTP/1.0). A write
// fails once the peer is gone, but a stream with no data to send would not notice, so a
// streaming handler reads r->io() between its writes when it is readable (the live play
// loop does: SrsStSocket::readable_now, then a read; EOF is the disconnect), or, for an IO
// that is not a socket, starts a SrsHttpDisconnectWatcher and checks its pull().
// When the handler returns, the loop ends unless the response was complete and
// keep-alive.
class SrsHttpServerConn {
public:
    // Neither io nor handler is owned; both outlive serve().
    SrsHttpServerConn(ISrsProtocolReadWriter* io, ISrsHttpHandler* handler,
                      const SrsHttpConnLimits& limits = SrsHttpConnLimits());
    ~SrsHttpServerConn() = default;
    SRS_DISALLOW_COPY(SrsHttpServerConn);

public:
    // The client's address, copied to each request.
    void set_peer(const std::string& ip, int port);
    // Called before each request; an error ends serve() (use the coroutine's pull() so a
    // kick or quit stops the connection between requests).
    void set_pull(std::function<srs_error_t()> pull) { pull_ = std::move(pull); }
    // Serves until the client closes, a response ends with "Connection: close", or an
    // error. Success when the connection ended normally (including an idle keep-alive
    // timeout between requests); otherwise the error, which callers log at trace level
    // when srs_is_client_gracefully_close().
    srs_error_t serve();
    int64_t nb_requests() const { return nb_requests_; }

private:
    // Answers a request that cannot be served, always closing the connection.
    void reply_and_close(int code, const std::string& message);
    srs_error_t serve_one(SrsHttpMessage* r, bool* keep_alive);

private:
    ISrsProtocolReadWriter* io_;
    ISrsHttpHandler* handler_;
    SrsHttpConnLimits limits_;
    SrsHttpParser parser_;
    std::string peer_ip_;
    int peer_port_ = 0;
    std::function<srs_error_t()> pull_;
    int64_t nb_requests_ = 0;
};

// Watches a connection for the client going away while a handler streams a long
// response. A coroutine reads (and drops) whatever the client sends; a read error other
// than a timeout or an interrupt means the client is gone.
//
//   SrsHttpDisconnectWatcher watcher(r->io());
//   if ((err = watcher.start()) != srs_success) return err;
//   while (true) {
//       if ((err = watcher.pull()) != srs_success) return err;   // client closed
//       ... wait for media (or watcher.wait(timeout)) and w->writev(...)
//   }
class SrsHttpDisconnectWatcher : public ISrsCoroutineHandler {
public:
    explicit SrsHttpDisconnectWatcher(ISrsReader* io);
    // Stops (interrupts and joins) the reading coroutine.
    ~SrsHttpDisconnectWatcher() override;
    SRS_DISALLOW_COPY(SrsHttpDisconnectWatcher);

public:
    srs_error_t start();
    // Fails (ERROR_SOCKET_CLOSED wrapping the read error) once the client is gone.
    srs_error_t pull();
    bool disconnected() const { return disconnected_; }
    // Sleeps up to timeout, waking early when the client goes away; true if it did.
    bool wait(srs_utime_t timeout);
    srs_error_t cycle() override;

private:
    ISrsReader* io_;
    SrsCoroutine trd_;
    SrsCond cond_;
    bool disconnected_ = false;
    std::string reason_;
};
