#include <srs_app_dash_store.hpp>

#include <srs_app_client_lifecycle.hpp>

#include <srs_core_utility.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_protocol_http_static.hpp>

namespace {

// One file from memory.
class MemoryFileHandler : public ISrsHttpHandler {
public:
    MemoryFileHandler(std::shared_ptr<const std::string> body, const SrsClientLifecycle* lifecycle)
        : body_(std::move(body)), lifecycle_(lifecycle) {}

    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        bool refused = false;
        srs_error_t err = lifecycle_ ? lifecycle_->guard_http_file(w, r, &refused) : srs_success;
        if (err != srs_success || refused) {
            return err;
        }
        std::string ext = r->ext();
        w->header()->set_content_type(srs_http_mime_type(ext));
        // A live MPD changes every segment; segments never change.
        if (srs_string_lower(ext) == ".mpd") {
            w->header()->set("Cache-Control", "no-cache");
        }
        w->header()->set_content_length((int64_t)body_->size());
        w->write_header(200);
        if (r->is_head()) {
            return w->final_request();
        }
        if ((err = w->write(body_->data(), (int)body_->size())) != srs_success) {
            return err;
        }
        return w->final_request();
    }

private:
    std::shared_ptr<const std::string> body_;
    const SrsClientLifecycle* lifecycle_;
};

}  // namespace

srs_error_t SrsDashMemoryStore::hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) {
    if (empty() || !(r->is_get() || r->is_head())) {
        return srs_success;
    }
    std::shared_ptr<const std::string> body = get(r->path());
    if (body) {
        *ph = std::make_shared<MemoryFileHandler>(std::move(body), lifecycle_);
    }
    return srs_success;
}
