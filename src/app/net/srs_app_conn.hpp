// Client connections and the manager that owns them.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_st.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

// The least time between two heap trims asked by connections (trim_heap_later).
#define SRS_CONN_TRIM_INTERVAL SRS_UTIME_SECONDS

// A client connection served by its own coroutine, with its own context id.
class ISrsConnection {
public:
    virtual ~ISrsConnection() = default;
    // Starts the connection's coroutine.
    virtual srs_error_t start() = 0;
    // The context id of the connection's coroutine; also its client id in the API.
    virtual const std::string& cid() const = 0;
    virtual std::string remote_ip() const = 0;
    // A short label of the protocol, for logs ("RTMP", "HTTP").
    virtual const char* desc() const = 0;
    // Asks the connection to end (API kick, vhost removed, quit); it removes itself when done.
    virtual void expire() = 0;
};

// Told before a connection is destroyed, so nothing keeps a pointer to it.
class ISrsDisposingHandler {
public:
    virtual ~ISrsDisposingHandler() = default;
    virtual void on_disposing(ISrsConnection* conn) = 0;
};

// Owns every live connection. A connection that ends asks to be removed; the manager's own
// coroutine destroys it later, never from inside the connection's cycle, so nothing is
// freed while its coroutine still runs.
class SrsConnectionManager : public ISrsCoroutineHandler {
public:
    SrsConnectionManager();
    ~SrsConnectionManager() override;
    SRS_DISALLOW_COPY(SrsConnectionManager);

public:
    srs_error_t start();
    // Takes ownership and starts the connection; a connection that fails to start is dropped.
    srs_error_t add(std::unique_ptr<ISrsConnection> conn);
    // Schedules the connection for disposal; safe to call from the connection's own coroutine
    // and more than once.
    void remove(ISrsConnection* conn);
    ISrsConnection* find(const std::string& cid) const;
    // Live connections (not counting ones waiting to be disposed).
    size_t size() const { return conns_.size() - zombies_.size(); }
    // Expires every connection, for quit.
    void expire_all();
    // Expires every connection and disposes them as they end, waiting up to timeout.
    void expire_and_wait(srs_utime_t timeout);
    void subscribe(ISrsDisposingHandler* h);
    void unsubscribe(ISrsDisposingHandler* h);
    // Destroys the connections that asked to be removed; also run by the coroutine.
    void dispose();
    // Asks for the freed heap to be given back to the system (malloc_trim) after the
    // connections waiting to be disposed of are gone: a connection that held large buffers
    // asks it as it ends. Done by the manager's coroutine at most once a second, so that a
    // churn of such clients cannot keep the server trimming.
    void trim_heap_later() { trim_wanted_ = true; }

    srs_error_t cycle() override;

private:
    void trim_heap();

private:
    std::unordered_map<ISrsConnection*, std::unique_ptr<ISrsConnection>> conns_;
    std::unordered_map<std::string, ISrsConnection*> by_cid_;
    std::vector<ISrsConnection*> zombies_;
    std::vector<ISrsDisposingHandler*> handlers_;
    SrsCond cond_;
    bool trim_wanted_ = false;
    srs_utime_t last_trim_ = 0;
    std::unique_ptr<SrsCoroutine> trd_;
};
