#include <srs_app_memory_files.hpp>

void SrsMemoryFiles::put(const std::string& url_path, std::shared_ptr<const std::string> body) {
    remove(url_path);
    bytes_ += body ? (int64_t)body->size() : 0;
    files_[url_path] = std::move(body);
}

void SrsMemoryFiles::remove(const std::string& url_path) {
    auto it = files_.find(url_path);
    if (it == files_.end()) {
        return;
    }
    bytes_ -= it->second ? (int64_t)it->second->size() : 0;
    files_.erase(it);
}

std::shared_ptr<const std::string> SrsMemoryFiles::get(const std::string& url_path) const {
    auto it = files_.find(url_path);
    return it == files_.end() ? nullptr : it->second;
}
