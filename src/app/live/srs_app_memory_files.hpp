// Files kept in memory by URL path ("/live/s.m3u8", "/live/s/video-90000.m4s") for the outputs
// that can live in RAM only (hls_storage, dash_storage ram|both), shared by every stream of an
// output. Bodies are immutable and shared, so a response being written keeps its segment alive
// after the window dropped it.
#pragma once

#include <srs_core.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

class SrsMemoryFiles {
public:
    SrsMemoryFiles() = default;
    virtual ~SrsMemoryFiles() = default;
    SRS_DISALLOW_COPY(SrsMemoryFiles);

public:
    void put(const std::string& url_path, std::shared_ptr<const std::string> body);
    void remove(const std::string& url_path);
    // Null when absent.
    std::shared_ptr<const std::string> get(const std::string& url_path) const;
    bool empty() const { return files_.empty(); }
    size_t size() const { return files_.size(); }
    // Bytes held (the sum of the bodies).
    int64_t bytes() const { return bytes_; }

private:
    std::map<std::string, std::shared_ptr<const std::string>> files_;
    int64_t bytes_ = 0;
};
