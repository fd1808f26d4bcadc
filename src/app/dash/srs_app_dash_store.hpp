// The DASH files kept in memory (dash_storage ram|both) by URL path ("/live/s.mpd",
// "/live/s/video-90000.m4s"), shared by every stream of the server. The HTTP server finds them
// through its mux's hijackers, before its root handler looks on the disk, so neither the HTTP
// server nor the HLS handler of "/" knows DASH. Bodies are immutable and shared: a response being
// written keeps its segment alive after the window dropped it.
#pragma once

#include <srs_protocol_http_mux.hpp>

#include <map>
#include <memory>
#include <string>

class SrsDashMemoryStore : public ISrsHttpMatchHijacker {
public:
    SrsDashMemoryStore();
    ~SrsDashMemoryStore() override;
    SRS_DISALLOW_COPY(SrsDashMemoryStore);

public:
    void put(const std::string& url_path, std::shared_ptr<const std::string> body);
    void remove(const std::string& url_path);
    // Null when absent.
    std::shared_ptr<const std::string> get(const std::string& url_path) const;
    size_t size() const { return files_.size(); }
    // Bytes held (the sum of the bodies).
    int64_t bytes() const { return bytes_; }

    // A GET or HEAD of a path the store holds is served from memory.
    srs_error_t hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) override;

private:
    std::map<std::string, std::shared_ptr<const std::string>> files_;
    int64_t bytes_ = 0;
};
